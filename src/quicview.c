/* SPDX-License-Identifier: MIT */
/*
 * quicview.c - analyze_quic's result from the finished QUIC analyser:
 * statistics over the connections the filters keep (counted by sorting),
 * the paged connection list and findings in the common shape {type,
 * severity, summary, evidence}.
 */
#include "quicstats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "json.h"
#include "protoview.h"
#include "tally.h"

#define QUIC_TOP          10         /* entries of each statistics list */
#define QUIC_LIST_BUDGET  9000       /* bytes of JSON the connection page may take */
#define QUIC_MAX_FINDINGS 50         /* findings listed */
#define QUIC_SHORT_NS     2000000000 /* a connection shorter than 2 s is short */
#define QUIC_MANY_SHORT   10         /* short connections from one client that make a finding */
#define QUIC_NAME         48         /* bytes of a formatted key (address, version name) */

enum stat_kind { ST_VERSION, ST_SNI, ST_ALPN, ST_JA4, ST_SHORT_CLIENT };

static const char *
row_key(const struct pm_quic_conn *c, enum stat_kind k, char *buf)
{
	switch (k) {
	case ST_VERSION:
		return c->version != 0 ? pm_quic_version_name(c->version, buf) : NULL;
	case ST_SNI:
		return c->sni[0] != '\0' ? c->sni : NULL;
	case ST_ALPN:
		return c->alpn[0] != '\0' ? c->alpn : NULL;
	case ST_JA4:
		return c->client_hello ? c->ja4 : NULL;
	case ST_SHORT_CLIENT:
		if (c->handshake || c->last - c->first >= QUIC_SHORT_NS) {
			return NULL;
		}
		pm_addr_str(c->client, c->ipver, buf);
		return buf;
	}
	return NULL;
}

/* The rows the filters keep, as indexes. */
struct sel {
	const struct pm_quic_stats *q;
	size_t *idx;
	size_t n;
};

/* Fold one statistic of the selected rows into g (room for n + 1); returns the groups. */
static size_t
fold(const struct sel *s, enum stat_kind k, struct pm_tally *v, struct pm_tally_group *g,
     char *names)
{
	size_t m = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct pm_quic_conn *c = &s->q->rows[s->idx[i]];
		const char *key = row_key(c, k, names + i * QUIC_NAME);
		if (key != NULL) {
			v[m].key = key;
			v[m].client = c->client;
			m++;
		}
	}
	return pm_tally_fold(v, m, g);
}

struct scratch {
	struct pm_tally *v;
	struct pm_tally_group *g;
	char *names;
};

static int
scratch_init(struct scratch *t, size_t n)
{
	t->v = malloc((n + 1) * sizeof(*t->v));
	t->g = malloc((n + 1) * sizeof(*t->g));
	t->names = malloc((n + 1) * QUIC_NAME);
	if (t->v == NULL || t->g == NULL || t->names == NULL) {
		free(t->v);
		free(t->g);
		free(t->names);
		return PM_E_NOMEM;
	}
	return 0;
}

static void
scratch_free(struct scratch *t)
{
	free(t->v);
	free(t->g);
	free(t->names);
}

static void
stat(const struct sel *s, struct scratch *t, struct pm_json *w, const char *name, enum stat_kind k,
     bool as_list)
{
	size_t ng = fold(s, k, t->v, t->g, t->names);
	pm_json_key(w, name);
	if (as_list) {
		pm_json_arr_begin(w);
	} else {
		pm_json_obj_begin(w);
	}
	for (size_t i = 0; i < ng && i < QUIC_TOP; i++) {
		if (as_list) {
			pm_json_obj_begin(w);
			pm_json_kstr(w, "value", t->g[i].key);
			pm_json_ku64(w, "count", t->g[i].count);
			pm_json_ku64(w, "clients", t->g[i].clients);
			pm_json_obj_end(w);
		} else {
			pm_json_key(w, t->g[i].key);
			pm_json_u64(w, t->g[i].count);
		}
	}
	if (as_list) {
		pm_json_arr_end(w);
	} else {
		pm_json_obj_end(w);
	}
}

static void
kcid(struct pm_json *w, const char *k, const uint8_t *cid, size_t n)
{
	char hex[2 * PM_QUIC_MAX_CID + 1];
	pm_tls_hex(cid, n, hex);
	pm_json_kstr(w, k, hex);
}

/* A side's connection IDs: {"ids": [hex...], "total": n}. */
static void
kcids(struct pm_json *w, const char *k, const struct pm_quic_cids *l)
{
	pm_json_key(w, k);
	pm_json_obj_begin(w);
	pm_json_key(w, "ids");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < l->n; i++) {
		char hex[2 * PM_QUIC_MAX_CID + 1];
		pm_tls_hex(l->id[i], l->len[i], hex);
		pm_json_str(w, hex);
	}
	pm_json_arr_end(w);
	pm_json_ku64(w, "total", l->total);
	pm_json_obj_end(w);
}

static void
conn_obj(struct pm_json *w, const struct pm_quic_conn *c)
{
	char vb[16];
	pm_json_obj_begin(w);
	pm_pv_kaddr(w, "client", c->client, c->ipver);
	pm_json_ku64(w, "client_port", c->client_port);
	pm_pv_kaddr(w, "server", c->server, c->ipver);
	pm_json_ku64(w, "server_port", c->server_port);
	pm_json_kstr_or_null(w, "version",
	                     c->version ? pm_quic_version_name(c->version, vb) : NULL);
	pm_json_kstr_or_null(w, "server_version",
	                     c->server_version ? pm_quic_version_name(c->server_version, vb)
	                                       : NULL);
	kcid(w, "dcid", c->dcid, c->dcid_len);
	kcid(w, "scid", c->scid, c->scid_len);
	kcid(w, "server_cid", c->server_cid, c->server_cid_len);
	kcids(w, "client_cids", &c->cids[0]); /* PM_DIR_C2S */
	kcids(w, "server_cids", &c->cids[1]);
	pm_json_ku64(w, "dcid_changes", c->dcid_changes);
	pm_json_kstr_or_null(w, "sni", c->sni);
	pm_json_kstr_or_null(w, "alpn", c->alpn);
	pm_json_kstr_or_null(w, "ja4", c->client_hello ? c->ja4 : NULL);
	pm_json_ku64(w, "transport_parameters", c->n_tparams);
	pm_json_kbool(w, "client_hello", c->client_hello);
	pm_json_kbool(w, "decrypt_failed", c->decrypt_failed);
	pm_json_kbool(w, "server_initial", c->server_initial);
	pm_json_kbool(w, "handshake", c->handshake);
	pm_json_kbool(w, "zero_rtt", c->zero_rtt);
	pm_json_kbool(w, "retry", c->retry);
	pm_json_kbool(w, "retry_valid", c->retry_valid);
	pm_json_key(w, "offered_versions");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < c->n_offered; i++) {
		pm_json_str(w, pm_quic_version_name(c->offered[i], vb));
	}
	pm_json_arr_end(w);
	pm_json_ku64(w, "packets_c2s", c->packets[0]);
	pm_json_ku64(w, "packets_s2c", c->packets[1]);
	pm_json_ku64(w, "bytes_c2s", c->bytes[0]);
	pm_json_ku64(w, "bytes_s2c", c->bytes[1]);
	pm_pv_ktime(w, "first_seen", c->first);
	pm_pv_ktime(w, "last_seen", c->last);
	pm_json_obj_end(w);
}

static void
finding(struct pm_json *w, size_t *written, uint64_t *more, const struct pm_quic_conn *c,
        const char *type, const char *severity, const char *summary, const char *detail)
{
	if (*written == QUIC_MAX_FINDINGS) {
		(*more)++;
		return;
	}
	(*written)++;
	pm_pv_finding(w, type, severity, "%s", summary);
	pm_pv_kaddr(w, "client", c->client, c->ipver);
	pm_pv_kaddr(w, "server", c->server, c->ipver);
	char port[8];
	snprintf(port, sizeof(port), "%u", c->server_port);
	pm_json_kstr(w, "server_port", port);
	if (c->sni[0] != '\0') {
		pm_json_kstr(w, "sni", c->sni);
	}
	pm_pv_ktime(w, "first_seen", c->first);
	if (detail != NULL) {
		pm_json_kstr(w, "detail", detail);
	}
	pm_pv_finding_end(w);
}

static void
conn_findings(struct pm_json *w, size_t *written, uint64_t *more, const struct pm_quic_conn *c)
{
	char vb[16];
	if (c->vn && !c->vn_recovered) {
		finding(w, written, more, c, "failed_version_negotiation", "medium",
		        "The server offered versions the client never used", NULL);
	}
	if (c->server_port != 443) {
		finding(w, written, more, c, "non_standard_port", "low",
		        "QUIC to a port other than 443", NULL);
	}
	enum pm_quic_family f = pm_quic_family(c->version);
	if (c->version != 0 && f != PM_QUIC_FAM_V1 && f != PM_QUIC_FAM_V2) {
		finding(w, written, more, c, "unusual_version", "low",
		        "A QUIC version other than v1 or v2 (draft, Google or unknown)",
		        pm_quic_version_name(c->version, vb));
	}
}

static void
findings(const struct sel *s, struct scratch *t, struct pm_json *w)
{
	size_t written = 0;
	uint64_t more = 0;
	pm_json_key(w, "findings");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < s->n; i++) {
		conn_findings(w, &written, &more, &s->q->rows[s->idx[i]]);
	}
	size_t ng = fold(s, ST_SHORT_CLIENT, t->v, t->g, t->names);
	for (size_t i = 0; i < ng && t->g[i].count >= QUIC_MANY_SHORT; i++) {
		/* the first row of that client stands for it in the evidence */
		for (size_t j = 0; j < s->n; j++) {
			const struct pm_quic_conn *c = &s->q->rows[s->idx[j]];
			char a[48], d[48];
			pm_addr_str(c->client, c->ipver, a);
			if (strcmp(a, t->g[i].key) == 0) {
				snprintf(d, sizeof(d), "%llu short connections",
				         (unsigned long long)t->g[i].count);
				finding(w, &written, &more, c, "many_short_connections", "medium",
				        "One client opened many short QUIC connections without a "
				        "completed handshake",
				        d);
				break;
			}
		}
	}
	pm_json_arr_end(w);
	pm_json_ku64(w, "findings_omitted", more);
}

static void
statistics(const struct sel *s, struct scratch *t, struct pm_json *w)
{
	const struct pm_quic_stats *q = s->q;
	uint64_t hello = 0, hs = 0, zrtt = 0, retry = 0, retry_ok = 0, vn = 0, vn_ok = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct pm_quic_conn *c = &q->rows[s->idx[i]];
		hello += c->client_hello;
		hs += c->handshake;
		zrtt += c->zero_rtt;
		retry += c->retry;
		retry_ok += c->retry_valid;
		vn += c->vn;
		vn_ok += c->vn && c->vn_recovered;
	}
	pm_json_key(w, "statistics");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "total_connections", s->n);
	pm_json_ku64(w, "client_hellos", hello);
	pm_json_ku64(w, "with_handshake", hs);
	pm_json_ku64(w, "without_handshake", s->n - hs);
	pm_json_ku64(w, "zero_rtt", zrtt);
	pm_json_ku64(w, "retries", retry);
	pm_json_ku64(w, "retries_valid", retry_ok);
	pm_json_key(w, "version_negotiation");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "negotiations", vn);
	pm_json_ku64(w, "recovered", vn_ok);
	pm_json_ku64(w, "failed", vn - vn_ok);
	pm_json_obj_end(w);
	pm_json_ku64(w, "datagrams", q->datagrams);
	pm_json_ku64(w, "packets", q->packets);
	pm_json_ku64(w, "initials_decrypted", q->decrypted);
	pm_json_ku64(w, "decrypt_failures", q->decrypt_failed);
	pm_json_ku64(w, "not_quic", q->not_quic);
	pm_json_ku64(w, "labels_withdrawn", q->withdrawn);
	pm_json_ku64(w, "malformed", q->malformed);
	stat(s, t, w, "versions", ST_VERSION, false);
	stat(s, t, w, "snis", ST_SNI, false);
	stat(s, t, w, "alpns", ST_ALPN, false);
	stat(s, t, w, "ja4", ST_JA4, true);
	pm_json_obj_end(w);
}

static bool
keep(const struct pm_quic_conn *c, const char *sni, const char *client)
{
	if (sni != NULL && strstr(c->sni, sni) == NULL) {
		return false;
	}
	if (client != NULL) {
		char a[48];
		pm_addr_str(c->client, c->ipver, a);
		return strcmp(a, client) == 0;
	}
	return true;
}

/* see quicstats.h */
int
pm_quic_view(const struct pm_quic_stats *q, uint64_t limit, uint64_t offset, const char *sni,
             const char *client, struct pm_json *w)
{
	struct sel s = { q, malloc((q->n_rows + 1) * sizeof(size_t)), 0 };
	struct scratch t;
	if (s.idx == NULL || scratch_init(&t, q->n_rows) != 0) {
		free(s.idx);
		return PM_E_NOMEM;
	}
	for (size_t i = 0; i < q->n_rows; i++) {
		if (keep(&q->rows[i], sni, client)) {
			s.idx[s.n++] = i;
		}
	}
	statistics(&s, &t, w);
	pm_json_key(w, "connections");
	pm_json_arr_begin(w);
	size_t n = s.n, i = offset < n ? (size_t)offset : n;
	size_t stop = limit < n - i ? i + (size_t)limit : n;
	for (size_t start = w->len; i < stop && w->len - start < QUIC_LIST_BUDGET; i++) {
		conn_obj(w, &q->rows[s.idx[i]]);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "connections", n, i < stop ? i - (size_t)offset : limit, offset);
	findings(&s, &t, w);
	pm_json_kbool(w, "approximate",
	              q->rows_dropped != 0 || q->flows_dropped != 0 || q->crypto_dropped != 0);
	scratch_free(&t);
	free(s.idx);
	return 0;
}

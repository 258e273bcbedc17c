/* SPDX-License-Identifier: MIT */
/*
 * tlsview.c - analyze_tls's result from the finished TLS analyser:
 * statistics and findings of every handshake (the rows', and past the rows
 * the analyser's distinct hellos and kept handshakes, each standing in as a
 * row), the paged handshake list, the distinct certificates and the
 * reassembly counters. Findings have the common shape {type, severity,
 * summary, evidence}.
 */
#include "tlsstats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "isotime.h"
#include "json.h"
#include "tally.h"
#include "tlsknown.h"

#define TLS_TOP           10   /* entries of each statistics list */
#define TLS_LIST_BUDGET   9000 /* bytes of JSON the handshake page may take */
#define TLS_CERT_LIST     10   /* certificates listed */
#define TLS_MAX_FINDINGS  50   /* findings listed (deduplicated by type, server, port) */
#define TLS_WEAK_RSA_BITS 2048 /* NIST SP 800-131A: RSA below 2048 bits is disallowed */
#define TLS_WEAK_EC_BITS  224  /* NIST SP 800-131A: curves below 224 bits are disallowed */

/* The known fingerprints of one handshake, looked up once per view. */
struct mark {
	const struct pm_tls_known *client; /* by JA3 or JA4, malware first, else JA3's */
	const struct pm_tls_known *server; /* by JA3S or JA4S, the same way */
};

static const struct pm_tls_known *
better(const struct pm_tls_known *a, const struct pm_tls_known *b)
{
	if (a == NULL ||
	    (b != NULL && b->kind == PM_TLS_KNOWN_MALWARE && a->kind != PM_TLS_KNOWN_MALWARE)) {
		return b;
	}
	return a;
}

/* Every row's marks (n_rows entries, calloc'd; the caller frees), or NULL without memory. */
static struct mark *
marks_of(const struct pm_tls *t, const struct pm_ja3_feed *feed)
{
	struct mark *m = calloc(t->n_rows + 1, sizeof(*m));
	for (size_t i = 0; m != NULL && i < t->n_rows; i++) {
		const struct pm_tls_row *r = &t->rows[i];
		if (r->has_ch) {
			m[i].client =
			    better(pm_tls_known_match_fp(feed, PM_TLS_FP_JA3, r->ja3_hash),
			           pm_tls_known_match_fp(feed, PM_TLS_FP_JA4, r->ja4));
		}
		if (r->has_sh) {
			m[i].server =
			    better(pm_tls_known_match_fp(feed, PM_TLS_FP_JA3S, r->ja3s_hash),
			           pm_tls_known_match_fp(feed, PM_TLS_FP_JA4S, r->ja4s));
		}
	}
	return m;
}

/* The mark of a hello past the rows (fp_memo), as marks_of gives a row's. */
static const struct pm_tls_known *
hello_mark(const struct pm_tls_hello *h, const struct pm_ja3_feed *feed)
{
	if (h->server) {
		return better(pm_tls_known_match_fp(feed, PM_TLS_FP_JA3S, h->fp.md5),
		              pm_tls_known_match_fp(feed, PM_TLS_FP_JA4S, h->fp.ja4));
	}
	return better(pm_tls_known_match_fp(feed, PM_TLS_FP_JA3, h->fp.md5),
	              pm_tls_known_match_fp(feed, PM_TLS_FP_JA4, h->fp.ja4));
}

/* One statistic of every handshake: a map value -> count, or a list of {value, count, clients}. */
static void
stat(const struct pm_counts *c, struct pm_json *w, const char *name, bool as_list)
{
	struct pm_tally_group g[TLS_TOP];
	size_t ng = pm_counts_top(c, g, TLS_TOP);
	pm_json_key(w, name);
	if (as_list) {
		pm_json_arr_begin(w);
	} else {
		pm_json_obj_begin(w);
	}
	for (size_t i = 0; i < ng; i++) {
		if (as_list) {
			pm_json_obj_begin(w);
			pm_json_kstr(w, "value", g[i].key);
			pm_json_ku64(w, "count", g[i].count);
			pm_json_ku64(w, "clients", g[i].clients);
			pm_json_obj_end(w);
		} else {
			pm_json_key(w, g[i].key);
			pm_json_u64(w, g[i].count);
		}
	}
	if (as_list) {
		pm_json_arr_end(w);
	} else {
		pm_json_obj_end(w);
	}
}

/*
 * The known fingerprints' names -> how many handshakes they marked (the
 * client's mark and the server's): the rows' marks, and every hello past
 * the rows by its count. Absent when none matched, so results without
 * marks stay as they were.
 */
static int
known_stat(const struct pm_tls *t, const struct mark *marks, const struct pm_ja3_feed *feed,
           struct pm_json *w)
{
	size_t n = t->n_rows, extra = t->fp_memo.count;
	struct pm_tally *v = malloc((2 * n + 1) * sizeof(*v));
	struct pm_tally_group *g = malloc((2 * n + extra + 1) * sizeof(*g));
	if (v == NULL || g == NULL) {
		free(v);
		free(g);
		return PM_E_NOMEM;
	}
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		const struct pm_tls_known *side[2] = { marks[i].client, marks[i].server };
		for (int k = 0; k < 2; k++) {
			if (side[k] != NULL) {
				v[m].key = side[k]->name;
				v[m].client = t->rows[i].client;
				m++;
			}
		}
	}
	size_t ng = pm_tally_fold(v, m, g);
	size_t pos = 0;
	void *val;
	while (pm_table_next(&t->fp_memo, &pos, &val) != NULL) {
		const struct pm_tls_hello *h = val;
		const struct pm_tls_known *k = hello_mark(h, feed);
		if (k == NULL) {
			continue;
		}
		size_t i = 0;
		while (i < ng && strcmp(g[i].key, k->name) != 0) {
			i++;
		}
		if (i == ng) {
			g[ng].key = k->name;
			g[ng].count = 0;
			g[ng].clients = 0;
			ng++;
		}
		g[i].count += h->count;
	}
	pm_tally_sort(g, ng);
	if (ng != 0) {
		pm_json_key(w, "known_fingerprints");
		pm_json_obj_begin(w);
		for (size_t i = 0; i < ng && i < TLS_TOP; i++) {
			pm_json_key(w, g[i].key);
			pm_json_u64(w, g[i].count);
		}
		pm_json_obj_end(w);
	}
	free(v);
	free(g);
	return 0;
}

static void
kaddr(struct pm_json *w, const char *k, const uint8_t a[16], uint8_t ipver)
{
	char s[48];
	pm_addr_str(a, ipver, s);
	pm_json_kstr(w, k, s);
}

static void
ktime(struct pm_json *w, const char *k, int64_t secs)
{
	char s[40];
	pm_time_iso(secs * 1000000000, s);
	pm_json_kstr(w, k, s);
}

static void
cert_obj(struct pm_json *w, const struct pm_x509 *x)
{
	char hex[65];
	pm_json_obj_begin(w);
	pm_json_kstr(w, "subject", x->subject);
	pm_json_kstr(w, "issuer", x->issuer);
	pm_json_kstr(w, "serial", x->serial);
	ktime(w, "not_before", x->not_before);
	ktime(w, "not_after", x->not_after);
	pm_json_key(w, "sans");
	pm_json_arr_begin(w);
	for (uint8_t i = 0; i < x->n_sans; i++) {
		pm_json_str(w, x->sans[i]);
	}
	pm_json_arr_end(w);
	pm_json_ku64(w, "sans_total", x->sans_total);
	pm_json_kstr(w, "key_type", x->key_type);
	pm_json_ku64(w, "key_bits", x->key_bits);
	pm_json_kstr(w, "signature_algorithm", x->sig_alg);
	pm_tls_hex(x->sha1, sizeof(x->sha1), hex);
	pm_json_kstr(w, "sha1", hex);
	pm_tls_hex(x->sha256, sizeof(x->sha256), hex);
	pm_json_kstr(w, "sha256", hex);
	pm_json_kbool(w, "self_signed", x->self_signed);
	pm_json_obj_end(w);
}

static void
known_obj(struct pm_json *w, const struct pm_tls_known *k)
{
	pm_json_obj_begin(w);
	pm_json_kstr(w, "kind", pm_tls_known_kind_name(k->kind));
	pm_json_kstr(w, "name", k->name);
	pm_json_kstr(w, "source", k->source);
	pm_json_kstr(w, "fingerprint", pm_tls_fp_name(k->fp));
	pm_json_kstr(w, "value", k->value);
	pm_json_obj_end(w);
}

static void
handshake_obj(const struct pm_tls *t, const struct mark *m, struct pm_json *w,
              const struct pm_tls_row *r)
{
	char vb[8], cb[8];
	pm_json_obj_begin(w);
	kaddr(w, "client", r->client, r->ipver);
	kaddr(w, "server", r->server, r->ipver);
	pm_json_ku64(w, "server_port", r->server_port);
	pm_json_kstr_or_null(w, "sni", r->sni);
	pm_json_kstr_or_null(w, "alpn", r->alpn);
	pm_json_kstr(w, "version", pm_tls_version_name(r->version, vb));
	pm_json_kstr_or_null(w, "cipher", r->has_sh ? pm_tls_cipher_name(r->cipher, cb) : NULL);
	pm_json_kstr_or_null(w, "ja3", r->ja3);
	pm_json_kstr_or_null(w, "ja3_hash", r->has_ch ? r->ja3_hash : NULL);
	pm_json_kstr_or_null(w, "ja3s", r->ja3s);
	pm_json_kstr_or_null(w, "ja3s_hash", r->has_sh ? r->ja3s_hash : NULL);
	pm_json_kstr_or_null(w, "ja4", r->has_ch ? r->ja4 : NULL);
	pm_json_kstr_or_null(w, "ja4s", r->has_sh ? r->ja4s : NULL);
	if (m->client != NULL) {
		pm_json_key(w, "known");
		known_obj(w, m->client);
	}
	if (m->server != NULL) {
		pm_json_key(w, "known_server");
		known_obj(w, m->server);
	}
	pm_json_key(w, "certificate");
	if (r->cert >= 0) {
		cert_obj(w, &t->certs[r->cert]);
	} else {
		pm_json_null(w);
	}
	pm_json_kbool(w, "established", r->established);
	pm_json_obj_end(w);
}

/* RFC 1918, 6598, 3927, loopback; RFC 4193, 4291 link-local and loopback. */
static bool
is_private(const uint8_t *a, uint8_t ipver)
{
	if (ipver == 4) {
		return a[0] == 10 || a[0] == 127 || (a[0] == 172 && (a[1] & 0xF0) == 16) ||
		       (a[0] == 192 && a[1] == 168) || (a[0] == 169 && a[1] == 254) ||
		       (a[0] == 100 && (a[1] & 0xC0) == 64) || a[0] == 0;
	}
	static const uint8_t loop[16] = { [15] = 1 };
	return (a[0] & 0xFE) == 0xFC || (a[0] == 0xFE && (a[1] & 0xC0) == 0x80) ||
	       memcmp(a, loop, 16) == 0;
}

/*
 * Findings already written, to list each (type, server, port) once; or, when
 * probe is set, only how many a handshake would raise (the rest unused).
 */
struct seen {
	bool probe;
	uint64_t would;
	const char *type[TLS_MAX_FINDINGS];
	const struct pm_tls_row *row[TLS_MAX_FINDINGS];
	const struct pm_tls_known *known[TLS_MAX_FINDINGS]; /* a finding also keyed by, or NULL */
	size_t n;
	uint64_t more; /* findings left out beyond TLS_MAX_FINDINGS */
};

/* The evidence key of a known fingerprint's value: JA3's is "ja3_hash", as it always was. */
static const char *
fp_key(enum pm_tls_fp fp)
{
	return fp == PM_TLS_FP_JA3    ? "ja3_hash"
	       : fp == PM_TLS_FP_JA3S ? "ja3s_hash"
	       : fp == PM_TLS_FP_JA4  ? "ja4"
	                              : "ja4s";
}

/*
 * A finding listed once per (type, server, port) and, when known is not
 * NULL, the known fingerprint (kind and value) it reports.
 */
static void
finding_known(struct pm_json *w, struct seen *s, const struct pm_tls_row *r, const char *type,
              const char *severity, const char *summary, const char *detail,
              const struct pm_tls_known *known)
{
	if (s->probe) {
		s->would++;
		return;
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct pm_tls_known *o = s->known[i];
		if (strcmp(s->type[i], type) == 0 && s->row[i]->server_port == r->server_port &&
		    memcmp(s->row[i]->server, r->server, 16) == 0 &&
		    (known == NULL ||
		     (o != NULL && o->fp == known->fp && strcmp(o->value, known->value) == 0))) {
			return;
		}
	}
	if (s->n == TLS_MAX_FINDINGS) {
		s->more++;
		return;
	}
	s->type[s->n] = type;
	s->row[s->n] = r;
	s->known[s->n] = known;
	s->n++;
	pm_json_obj_begin(w);
	pm_json_kstr(w, "type", type);
	pm_json_kstr(w, "severity", severity);
	pm_json_kstr(w, "summary", summary);
	pm_json_key(w, "evidence");
	pm_json_obj_begin(w);
	kaddr(w, "client", r->client, r->ipver);
	kaddr(w, "server", r->server, r->ipver);
	char port[8];
	snprintf(port, sizeof(port), "%u", r->server_port);
	pm_json_kstr(w, "server_port", port);
	if (r->sni[0] != '\0') {
		pm_json_kstr(w, "sni", r->sni);
	}
	char ts[40];
	pm_time_iso(r->ts, ts);
	pm_json_kstr(w, "first_seen", ts);
	if (detail != NULL) {
		pm_json_kstr(w, "detail", detail);
	}
	if (known != NULL) {
		pm_json_kstr(w, "fingerprint", pm_tls_fp_name(known->fp));
		pm_json_kstr(w, fp_key(known->fp), known->value);
	}
	pm_json_obj_end(w);
	pm_json_obj_end(w);
}

static void
finding(struct pm_json *w, struct seen *s, const struct pm_tls_row *r, const char *type,
        const char *severity, const char *summary, const char *detail)
{
	finding_known(w, s, r, type, severity, summary, detail, NULL);
}

/* A hello whose JA3, JA3S, JA4 or JA4S is in the built-in table or the feed. */
static void
known_finding(struct pm_json *w, struct seen *s, const struct pm_tls_row *r,
              const struct pm_tls_known *k)
{
	static const char *const summary[4][2] = {
		[PM_TLS_FP_JA3] = { "The client's JA3 fingerprint is a known tool's",
		                    "The client's JA3 fingerprint is listed as malware" },
		[PM_TLS_FP_JA3S] = { "The server's JA3S fingerprint is a known tool's",
		                     "The server's JA3S fingerprint is listed as malware" },
		[PM_TLS_FP_JA4] = { "The client's JA4 fingerprint is a known tool's",
		                    "The client's JA4 fingerprint is listed as malware" },
		[PM_TLS_FP_JA4S] = { "The server's JA4S fingerprint is a known tool's",
		                     "The server's JA4S fingerprint is listed as malware" },
	};
	char d[PM_JA3_NAME_MAX + 320];
	bool bad = k->kind == PM_TLS_KNOWN_MALWARE;
	snprintf(d, sizeof(d), "%s %s; source: %s", pm_tls_known_kind_name(k->kind), k->name,
	         k->source);
	finding_known(w, s, r, "known_fingerprint", bad ? "high" : "low",
	              summary[(unsigned)k->fp & 3][bad], d, k);
}

static void
cert_findings(struct pm_json *w, struct seen *s, const struct pm_tls_row *r,
              const struct pm_x509 *x)
{
	int64_t now = r->ts / 1000000000;
	char d[PM_X509_MAX_NAME + 64];
	if (x->self_signed) {
		snprintf(d, sizeof(d), "subject %s", x->subject);
		finding(w, s, r, "self_signed_certificate", "medium",
		        "The server presented a self-signed certificate", d);
	}
	if (now > x->not_after) {
		snprintf(d, sizeof(d), "not_after %lld", (long long)x->not_after);
		finding(w, s, r, "expired_certificate", "medium",
		        "The certificate had expired at capture time", d);
	} else if (now < x->not_before) {
		snprintf(d, sizeof(d), "not_before %lld", (long long)x->not_before);
		finding(w, s, r, "certificate_not_yet_valid", "medium",
		        "The certificate was not yet valid at capture time", d);
	}
	bool rsa = strcmp(x->key_type, "RSA") == 0, ec = strcmp(x->key_type, "EC") == 0;
	if (x->key_bits != 0 &&
	    ((rsa && x->key_bits < TLS_WEAK_RSA_BITS) || (ec && x->key_bits < TLS_WEAK_EC_BITS))) {
		snprintf(d, sizeof(d), "%s %u bits", x->key_type, x->key_bits);
		finding(w, s, r, "weak_key", "medium", "The certificate's public key is too short",
		        d);
	}
	if (r->sni[0] != '\0' && !pm_x509_covers(x, r->sni, strlen(r->sni))) {
		snprintf(d, sizeof(d), "certificate for %s", x->subject_cn);
		finding(w, s, r, "sni_mismatch", "medium",
		        "The certificate does not cover the server name the client asked for", d);
	}
}

/* A handshake's findings but its known fingerprints. */
static void
handshake_findings(const struct pm_tls *t, struct pm_json *w, struct seen *s,
                   const struct pm_tls_row *r)
{
	char vb[8];
	if (r->has_sh && r->version <= 0x0301) {
		finding(w, s, r, "deprecated_tls_version", r->version <= 0x0300 ? "high" : "medium",
		        "The connection negotiated SSL or TLS 1.0 (RFC 8996 deprecates them)",
		        pm_tls_version_name(r->version, vb));
	}
	if (r->has_ch && r->sni[0] == '\0' && !is_private(r->server, r->ipver)) {
		finding(w, s, r, "no_sni_public", "low",
		        "A client opened TLS to a public address without a server name", NULL);
	}
	if (r->cert >= 0) {
		cert_findings(w, s, r, &t->certs[r->cert]);
	}
}

/* see tlsstats.h */
bool
pm_tls_row_finds(const struct pm_tls *t, const struct pm_tls_row *r)
{
	struct seen probe;
	probe.probe = true;
	probe.would = 0;
	handshake_findings(t, NULL, &probe, r);
	return probe.would != 0;
}

static void
findings(const struct pm_tls *t, const struct mark *marks, const struct pm_ja3_feed *feed,
         struct pm_json *w)
{
	struct seen *s = calloc(1, sizeof(*s));
	pm_json_key(w, "findings");
	pm_json_arr_begin(w);
	for (size_t i = 0; s != NULL && i < t->n_rows; i++) {
		const struct pm_tls_row *r = &t->rows[i];
		if (marks[i].client != NULL) {
			known_finding(w, s, r, marks[i].client);
		}
		if (marks[i].server != NULL) {
			known_finding(w, s, r, marks[i].server);
		}
		handshake_findings(t, w, s, r);
	}
	/*
	 * Past the rows, a row made of a handshake's addresses and time stands
	 * for it: for each known hello in fp_memo, its first handshake (one
	 * finding per server and port, as for the rows, from its first client);
	 * then the first handshake of each kind late_seen keeps. A stand-in is
	 * kept only when a new finding points at it: at most TLS_MAX_FINDINGS.
	 */
	struct pm_tls_row *first = s != NULL ? calloc(TLS_MAX_FINDINGS + 1, sizeof(*first)) : NULL;
	size_t pos = 0, k = 0;
	void *val;
	while (first != NULL && pm_table_next(&t->fp_memo, &pos, &val) != NULL) {
		const struct pm_tls_hello *h = val;
		const struct pm_tls_known *mark = hello_mark(h, feed);
		if (mark != NULL) {
			struct pm_tls_row *r = &first[k];
			pm_tls_stand_in(r, &h->first);
			size_t before = s->n;
			known_finding(w, s, r, mark);
			k += s->n != before;
		}
	}
	pos = 0;
	const void *key;
	while (first != NULL && (key = pm_table_next(&t->late_seen, &pos, &val)) != NULL) {
		const struct pm_tls_late_key *lk = key;
		const struct pm_tls_late *l = val;
		struct pm_tls_row *r = &first[k];
		pm_tls_stand_in(r, &l->first);
		r->version = lk->version;
		r->has_ch = lk->has_ch;
		r->has_sh = lk->has_sh;
		r->cert = lk->cert;
		snprintf(r->sni, sizeof(r->sni), "%s", l->sni != NULL ? l->sni : "");
		size_t before = s->n;
		handshake_findings(t, w, s, r);
		k += s->n != before;
	}
	pm_json_arr_end(w);
	pm_json_ku64(w, "findings_omitted", s != NULL ? s->more : 0);
	free(first);
	free(s);
}

static int
statistics(const struct pm_tls *t, const struct mark *marks, const struct pm_ja3_feed *feed,
           struct pm_json *w)
{
	pm_json_key(w, "statistics");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "total_handshakes", t->n_rows + t->rows_dropped);
	pm_json_ku64(w, "client_hellos", t->client_hellos);
	pm_json_ku64(w, "server_hellos", t->server_hellos);
	pm_json_ku64(w, "hello_retry_requests", t->hrrs);
	pm_json_ku64(w, "established", t->established);
	pm_json_ku64(w, "grease_hellos", t->grease_hellos);
	pm_json_ku64(w, "ech_hellos", t->ech_hellos);
	pm_json_ku64(w, "sslv2_hellos", t->sslv2_hellos);
	pm_json_ku64(w, "certificates_seen", t->certificates);
	pm_json_ku64(w, "distinct_certificates", t->n_certs);
	pm_json_ku64(w, "alerts", t->alerts);
	pm_json_ku64(w, "not_tls", t->not_tls);
	pm_json_ku64(w, "malformed", t->malformed + t->bad_certs);
	static const struct {
		const char *name;
		enum pm_tls_stat k;
		bool list;
	} stats[] = {
		{ "versions", PM_TLS_VERSIONS, false },
		{ "cipher_suites", PM_TLS_CIPHERS, false },
		{ "snis", PM_TLS_SNIS, false },
		{ "alpns", PM_TLS_ALPNS, false },
		{ "ja3", PM_TLS_JA3, true },
		{ "ja3s", PM_TLS_JA3S, true },
		{ "ja4", PM_TLS_JA4, true },
		{ "ja4s", PM_TLS_JA4S, true },
	};
	for (size_t i = 0; i < PM_ARRAY_LEN(stats); i++) {
		stat(&t->stats[stats[i].k], w, stats[i].name, stats[i].list);
	}
	int rc = known_stat(t, marks, feed, w);
	pm_json_obj_end(w);
	return rc;
}

/* What the marks were looked up in; written only when a feed is configured. */
static void
fingerprint_table(const struct pm_ja3_feed *feed, struct pm_json *w)
{
	if (feed == NULL || strcmp(feed->status, "not_configured") == 0) {
		return;
	}
	size_t n;
	(void)pm_tls_known_table(&n);
	pm_json_key(w, "fingerprint_table");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "builtin_entries", n);
	pm_json_kstr(w, "feed", feed->status);
	pm_json_ku64(w, "feed_entries", feed->n);
	pm_json_ku64(w, "feed_skipped", feed->skipped);
	pm_json_ku64(w, "feed_duplicates", feed->duplicates);
	pm_json_kbool(w, "feed_truncated", feed->truncated);
	pm_json_obj_end(w);
}

/* see tlsstats.h */
int
pm_tls_view(const struct pm_tls *t, const struct pm_ja3_feed *feed, uint64_t limit, uint64_t offset,
            struct pm_json *w)
{
	struct mark *marks = marks_of(t, feed);
	if (marks == NULL) {
		return PM_E_NOMEM;
	}
	int rc = statistics(t, marks, feed, w);
	if (rc != 0) {
		goto out_marks;
	}
	pm_json_key(w, "handshakes");
	pm_json_arr_begin(w);
	size_t n = t->n_rows, i = offset < n ? (size_t)offset : n;
	size_t stop = limit < n - i ? i + (size_t)limit : n;
	for (size_t start = w->len; i < stop && w->len - start < TLS_LIST_BUDGET; i++) {
		handshake_obj(t, &marks[i], w, &t->rows[i]);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "handshakes", n, i < stop ? i - (size_t)offset : limit, offset);
	pm_json_key(w, "certificates");
	pm_json_arr_begin(w);
	for (size_t k = 0; k < t->n_certs && k < TLS_CERT_LIST; k++) {
		cert_obj(w, &t->certs[k]);
	}
	pm_json_arr_end(w);
	findings(t, marks, feed, w);
	fingerprint_table(feed, w);
	pm_reasm_pool_json(&t->pool, w);
	bool dropped = false;
	for (size_t k = 0; k < PM_TLS_STATS; k++) {
		dropped |= t->stats[k].dropped != 0;
	}
	pm_json_kbool(w, "approximate",
	              t->rows_dropped != 0 || t->certs_dropped != 0 || t->flows_dropped != 0 ||
	                  t->pool.capped != 0 || t->hellos_unseen != 0 || t->late_unseen != 0 ||
	                  dropped);
out_marks:
	free(marks);
	return rc;
}

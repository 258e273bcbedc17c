/* SPDX-License-Identifier: MIT */
/*
 * quicstats.c - the QUIC analyser (row "quic"): each datagram of a UDP flow
 * labelled QUIC through pm_quic_parse_datagram; the client's Initials
 * decrypted (pm_quic_unprotect) until its ClientHello is whole, CRYPTO
 * frames placed by offset in a bounded buffer (RFC 9001 §4.1.3), and the
 * hello parsed by the TLS parser (JA4 with QUIC's 'q'). The connection IDs
 * of long headers are kept per side, and the DCIDs of short headers
 * compared with them. A flow stops being offered once it is understood and
 * its first datagrams are read, or once it is plainly not QUIC, when its
 * label is withdrawn (quicstats.h).
 */
#include "quicstats.h"

#include <stdlib.h>
#include <string.h>

#include "analyser.h"
#include "analysers.h"
#include "analysis.h"
#include "decode.h"
#include "flow.h"
#include "label.h"
#include "quiccrypt.h"

#define QUIC_SCRATCH 65536 /* largest UDP payload: one packet decrypted at a time */
#define QUIC_NO_CID  0xff  /* a last_len that holds no connection ID yet */

/* Reassembly of the client's Initial CRYPTO stream, while it is incomplete. */
struct quic_flow {
	uint8_t buf[PM_QUIC_MAX_CRYPTO];      /* the stream from offset 0 */
	uint8_t have[PM_QUIC_MAX_CRYPTO / 8]; /* bit per byte of buf received */
	size_t prefix;                        /* contiguous bytes received from 0 */
	struct pm_quic_keys keys;             /* the client's Initial keys */
	uint8_t keyed_dcid[PM_QUIC_MAX_CID];  /* the DCID they were derived from */
	uint8_t keyed_len;                    /* bytes of keyed_dcid; 0xff: none yet */
	uint8_t decrypts;                     /* Initial packets tried */
	struct pm_quic_stats *q;              /* for the frame callback's counters */
};

struct quic_slot {
	struct quic_flow *f; /* malloc'd, owned; NULL when not reassembling */
	int32_t row;         /* index into rows, or -1 */
	uint16_t dgrams;     /* datagrams seen */
	bool finished;       /* no more packets wanted */
	bool no_hello;       /* the reassembly state could not be allocated */
	bool hello_over;     /* the ClientHello was read, or will not be: f is gone for good */
	uint8_t last_len[2]; /* by PM_DIR_*: bytes of last_dcid, or QUIC_NO_CID */
	uint8_t last_dcid[2][PM_QUIC_MAX_CID]; /* the DCID of that direction's last short header */
};

static int
quic_init(void *st, const struct pm_analysis_opts *o)
{
	struct pm_quic_stats *q = st;
	size_t cap =
	    o != NULL && o->max_table_bytes != 0 && o->max_table_bytes < PM_QUIC_MAX_FLOW_TABLE
	        ? o->max_table_bytes
	        : PM_QUIC_MAX_FLOW_TABLE;
	pm_table_init(&q->flows, sizeof(struct pm_flow_key), sizeof(struct quic_slot), cap);
	return 0;
}

static struct pm_quic_conn *
new_row(struct pm_quic_stats *q, struct quic_slot *s, const struct pm_pass_pkt *pp)
{
	if (q->n_rows >= PM_QUIC_MAX_CONNS) {
		q->rows_dropped++;
		return NULL;
	}
	if (q->n_rows == q->cap_rows) {
		size_t cap = q->cap_rows ? q->cap_rows * 2 : 64;
		struct pm_quic_conn *r = realloc(q->rows, cap * sizeof(*r));
		if (r == NULL) {
			q->rows_dropped++;
			return NULL;
		}
		q->rows = r;
		q->cap_rows = cap;
	}
	struct pm_quic_conn *c = &q->rows[q->n_rows];
	memset(c, 0, sizeof(*c));
	const struct pm_pkt *p = pp->pkt;
	bool c2s = pp->dir == PM_DIR_C2S;
	memcpy(c->client, c2s ? p->src : p->dst, 16);
	memcpy(c->server, c2s ? p->dst : p->src, 16);
	c->client_port = c2s ? p->sport : p->dport;
	c->server_port = c2s ? p->dport : p->sport;
	c->ipver = p->ipver;
	c->flow = pp->flow;
	s->row = (int32_t)q->n_rows++;
	return c;
}

static void
copy_str(char *out, size_t cap, const uint8_t *p, size_t n)
{
	size_t k = n < cap - 1 ? n : cap - 1;
	memcpy(out, p, k);
	out[k] = '\0';
}

/* Copy a connection ID view (NULL when absent) of n bytes; returns the bytes kept. */
static uint8_t
copy_cid(uint8_t out[PM_QUIC_MAX_CID], const uint8_t *cid, size_t n)
{
	if (cid == NULL || n > PM_QUIC_MAX_CID) {
		return 0;
	}
	memcpy(out, cid, n);
	return (uint8_t)n;
}

static void
on_client_hello(struct pm_quic_stats *q, struct pm_quic_conn *c, const uint8_t *body, size_t n)
{
	struct pm_tls_client_hello h;
	if (pm_tls_parse_client_hello(body, n, &h) != 0) {
		q->malformed++;
		return;
	}
	c->client_hello = true;
	c->tls_version = h.version;
	if (h.sni != NULL) {
		copy_str(c->sni, sizeof(c->sni), h.sni, h.sni_len);
	}
	if (h.alpn != NULL && h.alpn_len > 1 && h.alpn[0] != 0 && h.alpn[0] < h.alpn_len) {
		copy_str(c->alpn, sizeof(c->alpn), h.alpn + 1, h.alpn[0]);
	}
	pm_tls_ja4(&h, c->ja4);
	c->ja4[0] = 'q'; /* JA4: the transport letter, QUIC instead of TCP */
	struct pm_quic_tparams tp;
	if (pm_quic_tparams(body, n, &tp) == 0) {
		c->n_tparams = tp.total;
	}
}

static void
on_crypto(void *arg, uint64_t off, const uint8_t *data, size_t len)
{
	struct quic_flow *f = arg;
	if (off >= PM_QUIC_MAX_CRYPTO || len > PM_QUIC_MAX_CRYPTO - off) {
		f->q->crypto_dropped += len;
		return;
	}
	memcpy(f->buf + off, data, len);
	/* mark [a, b) held: bit by bit at the ends, whole bytes between */
	size_t a = (size_t)off, b = (size_t)off + len;
	for (; a < b && a % 8 != 0; a++) {
		f->have[a / 8] |= (uint8_t)(1u << (a % 8));
	}
	if (b - a >= 8) {
		memset(f->have + a / 8, 0xff, (b - a) / 8);
		a += (b - a) / 8 * 8;
	}
	for (; a < b; a++) {
		f->have[a / 8] |= (uint8_t)(1u << (a % 8));
	}
	while (f->prefix % 8 == 0 && f->prefix < PM_QUIC_MAX_CRYPTO &&
	       f->have[f->prefix / 8] == 0xff) {
		f->prefix += 8;
	}
	while (f->prefix < PM_QUIC_MAX_CRYPTO && (f->have[f->prefix / 8] >> (f->prefix % 8)) & 1) {
		f->prefix++;
	}
}

/* The ClientHello is whole once the prefix covers its handshake header's length. */
static bool
try_hello(struct pm_quic_stats *q, struct quic_flow *f, struct pm_quic_conn *c)
{
	if (f->prefix < 4) {
		return false;
	}
	size_t len = (size_t)f->buf[1] << 16 | (size_t)f->buf[2] << 8 | f->buf[3];
	if (f->buf[0] != PM_TLS_HS_CLIENT_HELLO || len > PM_QUIC_MAX_CRYPTO - 4) {
		q->malformed++;
		return true; /* not a hello, or one too large to hold: stop trying */
	}
	if (f->prefix < 4 + len) {
		return false;
	}
	on_client_hello(q, c, f->buf + 4, len);
	return true;
}

/* Derive the client's Initial keys from h's DCID; false when the version has none. */
static bool
rekey(struct quic_flow *f, const struct pm_quic_hdr *h)
{
	if (h->dcid_len > PM_QUIC_MAX_CID ||
	    pm_quic_initial_keys(h->version, h->dcid, h->dcid_len, &f->keys, NULL) != 0) {
		f->decrypts = PM_QUIC_MAX_DECRYPTS;
		return false;
	}
	memcpy(f->keyed_dcid, h->dcid, h->dcid_len);
	f->keyed_len = (uint8_t)h->dcid_len;
	return true;
}

/*
 * Decrypt one client Initial and feed its CRYPTO frames to the reassembly.
 * Returns true when it was the connection's first Initial and its tag did
 * not match: the verdict that the flow is not QUIC.
 */
static bool
client_initial(struct pm_quic_stats *q, struct quic_flow *f, struct pm_quic_conn *c,
               const struct pm_quic_hdr *h)
{
	if (f->decrypts >= PM_QUIC_MAX_DECRYPTS) {
		return false;
	}
	f->decrypts++;
	/*
	 * The keys come from the client's first DCID and stay when the client
	 * moves to the server's connection ID; only a Retry makes it derive them
	 * again from the new DCID (RFC 9001 §5.2). So the first DCID keys, and a
	 * packet that fails with them is tried with its own DCID's keys.
	 */
	bool first = f->keyed_len == 0xff;
	if (first && !rekey(f, h)) {
		return false; /* no keys for the version: the long header is the verdict */
	}
	struct pm_quic_plain pl;
	int rc = pm_quic_unprotect(&f->keys, h, q->scratch, QUIC_SCRATCH, &pl);
	if (rc == PM_E_TLS && !first &&
	    (f->keyed_len != h->dcid_len || memcmp(f->keyed_dcid, h->dcid, h->dcid_len) != 0)) {
		struct pm_quic_keys old = f->keys;
		if (rekey(f, h)) {
			rc = pm_quic_unprotect(&f->keys, h, q->scratch, QUIC_SCRATCH, &pl);
		}
		if (rc != 0) {
			f->keys = old;
		}
	}
	if (rc != 0) {
		q->decrypt_failed += rc == PM_E_TLS;
		c->decrypt_failed = c->decrypt_failed || rc == PM_E_TLS;
		return first && rc == PM_E_TLS;
	}
	q->decrypted++;
	struct pm_quic_frames fr;
	if (pm_quic_walk_frames(pl.payload, pl.payload_len, h->version, on_crypto, f, &fr) != 0) {
		q->malformed++;
	}
	if (try_hello(q, f, c)) {
		f->decrypts = PM_QUIC_MAX_DECRYPTS;
	}
	return false;
}

static void
on_vn(struct pm_quic_conn *c, const struct pm_quic_hdr *h)
{
	c->vn = true;
	for (size_t i = 0; i < h->nvers && c->n_offered < PM_QUIC_MAX_OFFERED; i++) {
		c->offered[c->n_offered++] = h->vers[i];
	}
}

static bool
has_cid(const struct pm_quic_cids *l, const uint8_t *cid, size_t n)
{
	for (size_t i = 0; i < l->n; i++) {
		if (l->len[i] == n && memcmp(l->id[i], cid, n) == 0) {
			return true;
		}
	}
	return false;
}

/* A long header's SCID joins its side's list when it is new (empty IDs are not listed). */
static void
add_cid(struct pm_quic_cids *l, const struct pm_quic_hdr *h)
{
	if (!h->is_long || h->type == PM_QUIC_VN || h->scid == NULL || h->scid_len == 0 ||
	    h->scid_len > PM_QUIC_MAX_CID || has_cid(l, h->scid, h->scid_len)) {
		return;
	}
	l->total += l->total < UINT16_MAX;
	if (l->n < PM_QUIC_MAX_CIDS) {
		memcpy(l->id[l->n], h->scid, h->scid_len);
		l->len[l->n++] = (uint8_t)h->scid_len;
	}
}

/*
 * A short header's DCID (of the length the peer chose) is a change when it
 * is not the one this direction's previous short header carried, or, for
 * the first short header, not one the peer announced in a long header
 * (NEW_CONNECTION_ID in use, or a migration).
 */
static void
note_dcid(struct pm_quic_conn *c, struct quic_slot *s, unsigned dir, const struct pm_quic_hdr *h)
{
	if (h->dcid == NULL || h->dcid_len == 0 || h->dcid_len > PM_QUIC_MAX_CID) {
		return;
	}
	bool seen = s->last_len[dir] == QUIC_NO_CID
	                ? has_cid(&c->cids[!dir], h->dcid, h->dcid_len)
	                : s->last_len[dir] == h->dcid_len &&
	                      memcmp(s->last_dcid[dir], h->dcid, h->dcid_len) == 0;
	c->dcid_changes += !seen;
	memcpy(s->last_dcid[dir], h->dcid, h->dcid_len);
	s->last_len[dir] = (uint8_t)h->dcid_len;
}

/*
 * The reassembly state and the scratch buffer, made at a connection's first
 * client Initial: flows that never send one cost no allocation.
 */
static bool
begin_hello(struct pm_quic_stats *q, struct quic_slot *s)
{
	if (q->scratch == NULL && (q->scratch = malloc(QUIC_SCRATCH)) == NULL) {
		s->no_hello = true;
		return false;
	}
	if (s->f == NULL) {
		s->f = calloc(1, sizeof(*s->f));
		if (s->f == NULL) {
			s->no_hello = true;
			return false;
		}
		s->f->keyed_len = 0xff;
		s->f->q = q;
		q->live++;
	}
	return true;
}

/* One packet from the client; returns client_initial's verdict. */
static bool
client_packet(struct pm_quic_stats *q, struct quic_slot *s, struct pm_quic_conn *c,
              const struct pm_quic_hdr *h)
{
	if (h->version == 0) {
		return false;
	}
	add_cid(&c->cids[PM_DIR_C2S], h);
	if (c->version == 0) {
		c->version = h->version;
		c->dcid_len = copy_cid(c->dcid, h->dcid, h->dcid_len);
		c->scid_len = copy_cid(c->scid, h->scid, h->scid_len);
	}
	for (size_t i = 0; c->vn && i < c->n_offered; i++) {
		c->vn_recovered = c->vn_recovered || c->offered[i] == h->version;
	}
	c->google = c->google || h->type == PM_QUIC_GQUIC ||
	            pm_quic_family(h->version) == PM_QUIC_FAM_GOOGLE;
	if (h->type == PM_QUIC_0RTT) {
		c->zero_rtt = true;
	} else if (h->type == PM_QUIC_INITIAL && !c->client_hello && !s->no_hello &&
	           !s->hello_over && begin_hello(q, s)) {
		return client_initial(q, s->f, c, h);
	}
	return false;
}

static void
server_packet(struct pm_quic_conn *c, const struct pm_quic_hdr *h)
{
	if (h->type == PM_QUIC_VN) {
		on_vn(c, h);
		return;
	}
	if (h->is_long && c->server_version == 0) {
		c->server_version = h->version;
		c->server_cid_len = copy_cid(c->server_cid, h->scid, h->scid_len);
	}
	add_cid(&c->cids[PM_DIR_S2C], h);
	if (h->type == PM_QUIC_INITIAL) {
		c->server_initial = true;
	} else if (h->type == PM_QUIC_HANDSHAKE || h->type == PM_QUIC_SHORT) {
		c->handshake = true;
	} else if (h->type == PM_QUIC_RETRY) {
		c->retry = true;
		c->retry_valid = pm_quic_retry_check(h, c->dcid, c->dcid_len) == 0;
	}
}

static void
drop_hello(struct pm_quic_stats *q, struct quic_slot *s)
{
	if (s->f != NULL) {
		free(s->f);
		s->f = NULL;
		q->live--;
	}
	s->hello_over = true;
}

static void
finish_slot(struct pm_quic_stats *q, struct quic_slot *s)
{
	drop_hello(q, s);
	s->finished = true;
}

/*
 * Nothing more to learn from the flow's datagrams: its first ones are read
 * (connection IDs change after the handshake, and Google QUIC's long
 * headers name theirs too), its Initial flight long since over.
 */
static bool
understood(const struct quic_slot *s)
{
	return s->dgrams >= PM_QUIC_WATCH_DGRAMS;
}

/*
 * The verdict against the flow's QUIC label: it falls back to what the
 * other port names, or to none, and stays (both directions count as
 * labelled, so flow.c's first-payload check cannot bring it back).
 */
static void
withdraw_label(struct pm_quic_stats *q, const struct pm_pass_pkt *pp)
{
	struct pm_flow *fl = pp->flow;
	enum pm_app app = pm_app_by_port(pp->key->proto, pp->key->pa);
	if (app == PM_APP_QUIC || app == PM_APP_UNKNOWN) {
		app = pm_app_by_port(pp->key->proto, pp->key->pb);
	}
	app = app == PM_APP_QUIC ? PM_APP_UNKNOWN : app;
	fl->app = (uint8_t)app;
	fl->app_src = app == PM_APP_UNKNOWN ? PM_LABEL_NONE : PM_LABEL_PORT;
	fl->d[0].labelled = fl->d[1].labelled = true;
	q->withdrawn++;
}

/*
 * A flow is read as QUIC when its first datagram opens with a long header of
 * a known version family (or a Google public header): random bytes on UDP
 * 443 have the form bit half the time, but seldom a version that means
 * something.
 */
static bool
opens_quic(const struct pm_quic_hdr *h, size_t k)
{
	if (k == 0 || h[0].type == PM_QUIC_SHORT) {
		return false;
	}
	return h[0].type == PM_QUIC_GQUIC || pm_quic_family(h[0].version) != PM_QUIC_FAM_UNKNOWN;
}

static void
observe_flow(struct pm_quic_stats *q, struct quic_slot *s, const struct pm_pass_pkt *pp)
{
	const struct pm_pkt *p = pp->pkt;
	struct pm_quic_conn *c = s->row >= 0 ? &q->rows[s->row] : NULL;
	bool c2s = pp->dir == PM_DIR_C2S;
	/* short headers carry the DCID the peer chose: the server's SCID, or the client's */
	size_t sdl = c == NULL ? 0 : c2s ? c->server_cid_len : c->scid_len;
	struct pm_quic_hdr h[PM_QUIC_MAX_PKT];
	int rc;
	size_t k = pm_quic_parse_datagram(p->payload, p->payload_len, sdl, h, PM_QUIC_MAX_PKT, &rc);
	/* a packet cut by the snapshot length still names its version and IDs */
	if (rc == PM_E_TRUNC && k < PM_QUIC_MAX_PKT && h[k].is_long && h[k].scid != NULL) {
		h[k].type = h[k].type == PM_QUIC_INITIAL ? PM_QUIC_OTHER_LONG : h[k].type;
		k++;
	}
	if (c == NULL && !opens_quic(h, k)) {
		q->not_quic++;
		withdraw_label(q, pp);
		finish_slot(q, s);
		pm_pass_done(pp, PM_AN_QUIC);
		return;
	}
	q->datagrams++;
	q->packets += k;
	q->malformed += rc == PM_E_MALFORMED;
	if (c == NULL && (c = new_row(q, s, pp)) == NULL) {
		finish_slot(q, s);
		pm_pass_done(pp, PM_AN_QUIC);
		return;
	}
	bool undecrypted = false;
	for (size_t i = 0; i < k; i++) {
		if (h[i].type == PM_QUIC_SHORT && sdl != 0) {
			note_dcid(c, s, pp->dir, &h[i]);
		}
		if (c2s) {
			undecrypted = client_packet(q, s, c, &h[i]) || undecrypted;
		} else {
			server_packet(c, &h[i]);
		}
	}
	if (undecrypted) {
		withdraw_label(q, pp);
		finish_slot(q, s);
		pm_pass_done(pp, PM_AN_QUIC);
		return;
	}
	if (c->client_hello || (s->f != NULL && s->f->decrypts >= PM_QUIC_MAX_DECRYPTS)) {
		drop_hello(q, s);
	}
	if (understood(s)) {
		finish_slot(q, s);
		pm_pass_done(pp, PM_AN_QUIC); /* its later packets cost nothing */
	}
}

static void
quic_observe(void *st, const struct pm_pass_pkt *pp)
{
	struct pm_quic_stats *q = st;
	if (pp->key == NULL || pp->flow == NULL || pp->pkt->payload_len == 0) {
		return;
	}
	bool is_new;
	struct quic_slot *s = pm_table_upsert_tag(&q->flows, pp->key, pp->tag, &is_new);
	if (s == NULL || s->finished) {
		q->flows_dropped += s == NULL;
		pm_pass_done(pp, PM_AN_QUIC);
		return;
	}
	if (is_new) {
		s->row = -1;
		s->last_len[0] = s->last_len[1] = QUIC_NO_CID;
	}
	s->dgrams++;
	observe_flow(q, s, pp);
}

/* Release the per-flow state: the table, the reassembly buffers, the scratch buffer. */
static void
release(struct pm_quic_stats *q)
{
	size_t pos = 0;
	void *v;
	while (pm_table_next(&q->flows, &pos, &v) != NULL) {
		finish_slot(q, v);
	}
	pm_table_free(&q->flows);
	free(q->scratch);
	q->scratch = NULL;
}

static void
quic_finish(void *st, const struct pm_an_deps *deps)
{
	(void)deps;
	struct pm_quic_stats *q = st;
	release(q);
	for (size_t i = 0; i < q->n_rows; i++) {
		struct pm_quic_conn *c = &q->rows[i];
		const struct pm_flow *f = c->flow;
		if (f == NULL) {
			continue;
		}
		/* the flow's client is endpoint f->client; its direction is d[f->client] */
		for (int d = 0; d < 2; d++) {
			const struct pm_flow_dir *fd =
			    &f->d[d == PM_DIR_C2S ? f->client : !f->client];
			c->packets[d] = fd->packets;
			c->bytes[d] = fd->bytes;
		}
		c->first = f->first;
		c->last = f->last;
		c->flow = NULL;
	}
}

static void
quic_free(void *st)
{
	struct pm_quic_stats *q = st;
	release(q); /* not finish: the flow table the rows point into may be gone */
	free(q->rows);
	q->rows = NULL;
}

static size_t
quic_mem(const void *st)
{
	const struct pm_quic_stats *q = st;
	return sizeof(*q) + q->flows.bytes + q->cap_rows * sizeof(*q->rows) +
	       q->live * sizeof(struct quic_flow) + (q->scratch != NULL ? QUIC_SCRATCH : 0);
}

const struct pm_analyser pm_analyser_quic = {
	.name = "quic",
	.state_size = sizeof(struct pm_quic_stats),
	.after = PM_AN_BIT(FLOWS), /* labels and the flow come from the flow table */
	.want = { .classes = PM_WANT_UDP, .apps = 1ull << PM_APP_QUIC },
	.init = quic_init,
	.observe = quic_observe,
	.finish = quic_finish,
	.free = quic_free,
	.mem = quic_mem,
};

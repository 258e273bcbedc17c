/* SPDX-License-Identifier: MIT */
/*
 * tlsstats.c - the TLS analyser: per flow and direction, reassembled bytes
 * into records (RFC 8446 §5.1: type(1) version(2) length(2) fragment),
 * handshake fragments into messages (type(1) length(3) body), and the
 * messages into the connection's row. Records are parsed in place; only a
 * handshake message split over records is copied, into a per-direction
 * buffer of at most PM_TLS_MAX_HS bytes. Stops at the first encrypted record
 * of each direction and frees what the flow held.
 */
#include "tlsstats.h"

#include <stdlib.h>
#include <string.h>

#include "analyser.h"
#include "analysis.h"
#include "cursor.h"
#include "decode.h"
#include "flow.h"

#define ROW_DROPPED UINT32_MAX /* tls_flow.row: the handshake found the row list full */

/* Per-flow parse state, kept in the flow record (pm_flow_state_attach) while the handshake is parsed. */
struct tls_flow {
	struct pm_flow_state link; /* first: the analyser's list of live states */
	/* What every packet reads, first (pm_flows_prefetch_state fetches the first lines). */
	bool done[2];             /* the direction is no longer parsed */
	bool ccs[2];              /* ChangeCipherSpec sent: later handshake records are encrypted */
	uint32_t row;             /* 1 + index into rows; 0 when none yet; ROW_DROPPED */
	uint32_t hs_len[2];       /* bytes at hs */
	uint8_t *hs[2];           /* partial handshake message per direction, malloc'd */
	struct pm_reasm_dir d[2]; /* by PM_DIR_* */
	/* What the hellos set and handshake_end counts, as its row keeps it. */
	bool counted;               /* a hello or certificate was met: the handshake is counted */
	bool has_ch, has_sh;        /* the first hellos (a second after HRR counts nothing) */
	uint16_t version;           /* negotiated, else the client's highest */
	uint32_t cert1;             /* 1 + index into certs of its leaf certificate; 0: none */
	struct fp_last *last;       /* the client's entry in fp_last, NULL before its first hello */
	const struct pm_count *sni; /* its SNI in stats[PM_TLS_SNIS], or NULL */
	char alpn[PM_TLS_MAX_ALPN]; /* the server's choice, else the client's first offer */
	struct pm_tls_where at;     /* where it went, when the rows were full (ROW_DROPPED) */
	char late_sni[PM_TLS_MAX_SNI]; /* past the rows, its SNI for its certificate's findings */
};

/*
 * A certificate's DER as the key of der_seen: its length and SipHash (keyed
 * per run, so a capture cannot aim two certificates at one key). The value
 * is what the first copy gave: its index in certs, CERT_BAD, or -1 (full).
 */
struct der_key {
	uint64_t hash;
	uint64_t len;
};

#define CERT_BAD (-2) /* the DER reader refused it */

/*
 * fp_memo's key: the keyed hash and length of the fields a hello's
 * fingerprints are made of. Clients and servers send the same hello again
 * and again; past the rows each distinct one is fingerprinted once.
 */
struct fp_key {
	uint64_t hash;
	uint64_t len;
};

/*
 * A client's fingerprints of its last handshake, in fp_last: a client that
 * sends the same hello again (the common case) is among that value's
 * clients already, and its pairs need no lookup.
 */
struct fp_client {
	uint8_t addr[16];
};
struct fp_last {
	struct pm_count *fp[4]; /* by enum pm_tls_stat - PM_TLS_JA3 */
};

static int
tls_init(void *st, const struct pm_analysis_opts *o)
{
	struct pm_tls *t = st;
	size_t cap = o != NULL && o->max_table_bytes != 0 && o->max_table_bytes < PM_TLS_MAX_STATE
	                 ? o->max_table_bytes
	                 : PM_TLS_MAX_STATE;
	t->max_live = cap / sizeof(struct tls_flow);
	pm_table_init(&t->der_seen, sizeof(struct der_key), sizeof(int32_t), 0);
	pm_table_init(&t->fp_memo, sizeof(struct fp_key), sizeof(struct pm_tls_hello), 0);
	pm_table_init(&t->fp_last, sizeof(struct fp_client), sizeof(struct fp_last), 0);
	pm_table_init(&t->late_seen, sizeof(struct pm_tls_late_key), sizeof(struct pm_tls_late), 0);
	for (size_t i = 0; i < PM_TLS_STATS; i++) {
		pm_counts_init(&t->stats[i], PM_TLS_MAX_DISTINCT,
		               i >= PM_TLS_JA3 ? PM_TLS_MAX_CLIENTS : 0);
	}
	if (o != NULL) {
		t->pool.window = o->reasm_window;       /* 0: PM_REASM_WINDOW */
		t->pool.max_bytes = o->reasm_max_bytes; /* 0: PM_REASM_POOL_MAX */
	}
	return 0;
}

static void
dir_done(struct pm_tls *t, struct tls_flow *f, int dir)
{
	f->done[dir] = true;
	pm_reasm_release(&t->pool, &f->d[dir]);
	free(f->hs[dir]);
	f->hs[dir] = NULL;
	f->hs_len[dir] = 0;
}

/* Where pp's flow goes, and pp's time. */
static void
where_of(const struct pm_pass_pkt *pp, struct pm_tls_where *w)
{
	const struct pm_pkt *p = pp->pkt;
	bool c2s = pp->dir == PM_DIR_C2S;
	memcpy(w->client, c2s ? p->src : p->dst, 16);
	memcpy(w->server, c2s ? p->dst : p->src, 16);
	w->ts = p->ts_ns;
	w->server_port = c2s ? p->dport : p->sport;
	w->ipver = p->ipver;
}

static struct pm_tls_row *
row_of(struct pm_tls *t, struct tls_flow *f, const struct pm_pass_pkt *pp)
{
	f->counted = true;
	if (f->row == ROW_DROPPED) {
		return NULL;
	}
	if (f->row != 0) {
		return &t->rows[f->row - 1];
	}
	if (t->n_rows >= PM_TLS_MAX_HANDSHAKES) {
		t->rows_dropped++; /* once per handshake, not per message */
		f->row = ROW_DROPPED;
		where_of(pp, &f->at);
		return NULL;
	}
	if (t->n_rows == t->cap_rows) {
		size_t cap = t->cap_rows != 0 ? t->cap_rows * 2 : 64;
		struct pm_tls_row *v = realloc(t->rows, cap * sizeof(*v));
		if (v == NULL) {
			t->rows_dropped++;
			f->row = ROW_DROPPED;
			return NULL;
		}
		t->rows = v;
		t->cap_rows = cap;
	}
	struct pm_tls_row *r = &t->rows[t->n_rows++];
	memset(r, 0, sizeof(*r));
	f->row = (uint32_t)t->n_rows;
	const struct pm_pkt *p = pp->pkt;
	bool c2s = pp->dir == PM_DIR_C2S;
	memcpy(r->client, c2s ? p->src : p->dst, 16);
	memcpy(r->server, c2s ? p->dst : p->src, 16);
	r->client_port = c2s ? p->sport : p->dport;
	r->server_port = c2s ? p->dport : p->sport;
	r->ipver = p->ipver;
	r->ts = p->ts_ns;
	r->cert = -1;
	return r;
}

static void
copy_str(char *out, size_t cap, const uint8_t *p, size_t n)
{
	size_t k = n < cap - 1 ? n : cap - 1;
	memcpy(out, p, k);
	out[k] = '\0';
}

/* The client's address of pp's flow (16 bytes, network order). */
static const uint8_t *
client_of(const struct pm_pass_pkt *pp)
{
	return pp->dir == PM_DIR_C2S ? pp->pkt->src : pp->pkt->dst;
}

/* Count the string s under statistic k. */
static void
count_str(struct pm_tls *t, enum pm_tls_stat k, const char *s)
{
	(void)pm_counts_add(&t->stats[k], s, strlen(s));
}

/* Count fingerprint s under statistic k (PM_TLS_JA3 ..), and pp's client among its clients. */
static void
count_fp(struct pm_tls *t, struct tls_flow *f, const struct pm_pass_pkt *pp, enum pm_tls_stat k,
         const char *s)
{
	struct pm_count *v = pm_counts_add(&t->stats[k], s, strlen(s));
	if (v == NULL) {
		return;
	}
	if (f->last == NULL) {
		struct fp_client key;
		memcpy(key.addr, client_of(pp), 16);
		bool is_new;
		f->last = pm_table_upsert_max(&t->fp_last, &key, PM_TLS_MAX_CLIENTS, &is_new);
	}
	struct pm_count **last = f->last != NULL ? &f->last->fp[k - PM_TLS_JA3] : NULL;
	if (last == NULL || *last != v) {
		pm_counts_client(&t->stats[k], v, client_of(pp));
		if (last != NULL) {
			*last = v;
		}
	}
}

/*
 * The fingerprints of the hello h (a ServerHello when server) whose fields
 * are the n bytes at key: made by make when fp_memo does not hold them yet,
 * and the hello counted there, with pp's flow as its first when it is new.
 */
static void
fingerprints(struct pm_tls *t, const struct pm_pass_pkt *pp, bool server, const uint8_t *key,
             size_t n, const void *h,
             void (*make)(const void *h, struct pm_tls_fingerprints *out, char *ja3),
             struct pm_tls_fingerprints *out)
{
	struct fp_key k = { pm_hash(key, n), n };
	bool is_new;
	struct pm_tls_hello *m = pm_table_upsert_max_tag(
	    &t->fp_memo, &k, pm_table_derive(k.hash, k.len), PM_TLS_MAX_DISTINCT, &is_new);
	char ja3[PM_TLS_JA3_MAX];
	if (m == NULL) {
		t->hellos_unseen++;
		make(h, out, ja3);
		return;
	}
	if (is_new) {
		make(h, &m->fp, ja3);
		m->server = server;
		where_of(pp, &m->first);
	}
	m->count++;
	*out = m->fp;
}

/* Append the n bytes at p to the key at *at (room checked by the caller's sizing). */
static uint8_t *
put(uint8_t *at, const void *p, size_t n)
{
	memcpy(at, p, n);
	return at + n;
}

static uint8_t *
put_list(uint8_t *at, const struct pm_tls_list *l)
{
	at = put(at, &l->n, sizeof(l->n));
	return put(at, l->v, l->n * sizeof(l->v[0]));
}

/* A ClientHello's fingerprints, its JA3 string in ja3 (PM_TLS_JA3_MAX bytes). */
static void
make_client(const void *hello, struct pm_tls_fingerprints *out, char *ja3)
{
	const struct pm_tls_client_hello *h = hello;
	pm_tls_ja3(h, ja3, PM_TLS_JA3_MAX, out->md5);
	pm_tls_ja4(h, out->ja4);
}

static void
make_server(const void *hello, struct pm_tls_fingerprints *out, char *ja3s)
{
	const struct pm_tls_server_hello *h = hello;
	pm_tls_ja3s(h, ja3s, PM_TLS_JA3_MAX, out->md5);
	pm_tls_ja4s(h, out->ja4);
}

/* What JA3 and JA4 are made of (tls.c): versions, SNI present, first ALPN, five lists. */
static void
client_fp(struct pm_tls *t, const struct pm_pass_pkt *pp, const struct pm_tls_client_hello *h,
          struct pm_tls_fingerprints *out)
{
	uint8_t key[1 + 2 * 2 + 1 + 1 + 255 + 5 * (2 + PM_TLS_MAX_LIST * 2)];
	uint8_t *at = put(key, "c", 1);
	at = put(at, &h->legacy_version, 2);
	at = put(at, &h->version, 2);
	*at++ = h->sni != NULL;
	uint8_t alen =
	    h->alpn != NULL && h->alpn_len > 1 && h->alpn[0] < h->alpn_len ? h->alpn[0] : 0;
	*at++ = alen;
	at = put(at, alen != 0 ? h->alpn + 1 : key, alen);
	at = put_list(at, &h->ciphers);
	at = put_list(at, &h->exts);
	at = put_list(at, &h->groups);
	at = put_list(at, &h->point_fmts);
	at = put_list(at, &h->sig_algs);
	fingerprints(t, pp, false, key, (size_t)(at - key), h, make_client, out);
}

/* What JA3S and JA4S are made of: versions, suite, ALPN, extension types. */
static void
server_fp(struct pm_tls *t, const struct pm_pass_pkt *pp, const struct pm_tls_server_hello *h,
          struct pm_tls_fingerprints *out)
{
	uint8_t key[1 + 3 * 2 + 1 + 255 + 2 + PM_TLS_MAX_LIST * 2];
	uint8_t *at = put(key, "s", 1);
	at = put(at, &h->legacy_version, 2);
	at = put(at, &h->version, 2);
	at = put(at, &h->cipher, 2);
	uint8_t alen = h->alpn != NULL && h->alpn_len <= 255 ? (uint8_t)h->alpn_len : 0;
	*at++ = alen;
	at = put(at, alen != 0 ? h->alpn : key, alen);
	at = put_list(at, &h->exts);
	fingerprints(t, pp, true, key, (size_t)(at - key), h, make_server, out);
}

/*
 * The hello h's fingerprints into out, counted from pp's client: made here
 * for a row, whose JA3 or JA3S string is strdup'd into *row_str, else from
 * fp_memo (row_str NULL).
 */
static void
hello_fp(struct pm_tls *t, struct tls_flow *f, const struct pm_pass_pkt *pp, const void *h,
         bool server, char **row_str, struct pm_tls_fingerprints *out)
{
	if (row_str != NULL) {
		char ja3[PM_TLS_JA3_MAX];
		(server ? make_server : make_client)(h, out, ja3);
		*row_str = strdup(ja3);
	} else if (server) {
		server_fp(t, pp, h, out);
	} else {
		client_fp(t, pp, h, out);
	}
	count_fp(t, f, pp, server ? PM_TLS_JA3S : PM_TLS_JA3, out->md5);
	count_fp(t, f, pp, server ? PM_TLS_JA4S : PM_TLS_JA4, out->ja4);
}

/*
 * A ClientHello: its fingerprints, SNI and ALPN offer counted for every
 * handshake, and kept in the row when it has one (the JA3 string too).
 */
static void
on_client_hello(struct pm_tls *t, struct tls_flow *f, const struct pm_pass_pkt *pp,
                struct pm_tls_row *r, const uint8_t *body, size_t n)
{
	struct pm_tls_client_hello h;
	if (pm_tls_parse_client_hello(body, n, &h) != 0) {
		t->malformed++;
		return;
	}
	t->client_hellos++;
	if (f->has_ch) {
		return; /* the second hello after a HelloRetryRequest keeps the first's fingerprint */
	}
	f->has_ch = true;
	if (!f->has_sh) {
		f->version = h.version;
	}
	t->grease_hellos += h.grease;
	t->ech_hellos += h.ech;
	/* the SNI's slot is fetched while the fingerprints are made: most SNIs are new or rare */
	char sni[PM_TLS_MAX_SNI] = "";
	if (h.sni != NULL) {
		copy_str(sni, sizeof(sni), h.sni, h.sni_len);
	}
	size_t sni_len = strlen(sni);
	struct pm_counts_key sk = { 0, 0, 0 };
	if (sni_len != 0) {
		sk = pm_counts_key(sni, sni_len);
		pm_counts_prefetch(&t->stats[PM_TLS_SNIS], &sk);
	}
	if (h.alpn != NULL && h.alpn_len > 1 && h.alpn[0] != 0 && h.alpn[0] < h.alpn_len &&
	    f->alpn[0] == '\0') {
		copy_str(f->alpn, sizeof(f->alpn), h.alpn + 1, h.alpn[0]);
	}
	struct pm_tls_fingerprints fp;
	hello_fp(t, f, pp, &h, false, r != NULL ? &r->ja3 : NULL, &fp);
	if (sni_len != 0) {
		f->sni = pm_counts_add_key(&t->stats[PM_TLS_SNIS], sni, sni_len, &sk);
	}
	if (r == NULL && f->row == ROW_DROPPED) {
		memcpy(f->late_sni, sni,
		       sni_len + 1); /* while it is hot: the arena's copy is not */
	}
	if (r == NULL) {
		return;
	}
	r->has_ch = true;
	r->client_version = h.version;
	r->version = f->version;
	r->grease = h.grease;
	r->ech = h.ech;
	memcpy(r->sni, sni, sizeof(r->sni));
	memcpy(r->alpn, f->alpn, sizeof(r->alpn));
	memcpy(r->ja3_hash, fp.md5, sizeof(r->ja3_hash));
	memcpy(r->ja4, fp.ja4, sizeof(r->ja4));
}

/* A ServerHello (or HelloRetryRequest): the chosen suite and JA3S/JA4S, as for a ClientHello. */
static void
on_server_hello(struct pm_tls *t, struct tls_flow *f, const struct pm_pass_pkt *pp,
                struct pm_tls_row *r, const uint8_t *body, size_t n)
{
	struct pm_tls_server_hello h;
	if (pm_tls_parse_server_hello(body, n, &h) != 0) {
		t->malformed++;
		return;
	}
	if (h.hrr) {
		t->hrrs++;
		if (r != NULL) {
			r->hrr = true;
		}
		return;
	}
	t->server_hellos++;
	if (f->has_sh) {
		return;
	}
	f->has_sh = true;
	f->version = h.version;
	if (h.alpn != NULL) {
		copy_str(f->alpn, sizeof(f->alpn), h.alpn, h.alpn_len);
	}
	char cb[8];
	count_str(t, PM_TLS_CIPHERS, pm_tls_cipher_name(h.cipher, cb));
	struct pm_tls_fingerprints fp;
	hello_fp(t, f, pp, &h, true, r != NULL ? &r->ja3s : NULL, &fp);
	if (r == NULL) {
		return;
	}
	r->has_sh = true;
	r->version = f->version;
	r->cipher = h.cipher;
	memcpy(r->alpn, f->alpn, sizeof(r->alpn));
	memcpy(r->ja3s_hash, fp.md5, sizeof(r->ja3s_hash));
	memcpy(r->ja4s, fp.ja4, sizeof(r->ja4s));
}

/*
 * The end of a handshake (both directions done, or the capture's end): what
 * depends on both hellos is counted, once per handshake that had a row or
 * would have had one; one past the rows is kept in late_seen for its
 * findings, the first of each kind (struct pm_tls_late_key).
 */
static void
handshake_end(struct pm_tls *t, const struct tls_flow *f)
{
	if (!f->counted) {
		return;
	}
	char vb[8];
	count_str(t, PM_TLS_VERSIONS, pm_tls_version_name(f->version, vb));
	if (f->alpn[0] != '\0') {
		count_str(t, PM_TLS_ALPNS, f->alpn);
	}
	if (f->row != ROW_DROPPED) {
		return; /* the row has what its findings need */
	}
	struct pm_tls_row r;
	pm_tls_stand_in(&r, &f->at);
	r.version = f->version;
	r.has_ch = f->has_ch;
	r.has_sh = f->has_sh;
	r.cert = (int32_t)f->cert1 - 1;
	memcpy(r.sni, f->late_sni, strlen(f->late_sni) + 1);
	if (!pm_tls_row_finds(t, &r)) {
		return; /* most handshakes raise nothing: kept only when it does */
	}
	struct pm_tls_late_key k;
	memset(&k, 0, sizeof(k)); /* the padding is compared too */
	memcpy(k.server, f->at.server, 16);
	k.sni_tag = f->sni != NULL ? f->sni->tag : 0;
	k.cert = (int32_t)f->cert1 - 1;
	k.server_port = f->at.server_port;
	k.version = f->version;
	k.ipver = f->at.ipver;
	k.has_ch = f->has_ch;
	k.has_sh = f->has_sh;
	bool is_new;
	struct pm_tls_late *v =
	    pm_table_upsert_max(&t->late_seen, &k, PM_TLS_MAX_DISTINCT, &is_new);
	if (v == NULL) {
		t->late_unseen++;
	} else if (is_new) {
		v->first = f->at;
		v->sni = f->sni != NULL ? f->sni->value : NULL;
	}
}

/* see tlsstats.h */
void
pm_tls_stand_in(struct pm_tls_row *r, const struct pm_tls_where *w)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->client, w->client, 16);
	memcpy(r->server, w->server, 16);
	r->ipver = w->ipver;
	r->server_port = w->server_port;
	r->ts = w->ts;
	r->cert = -1;
}

/* The index of a new distinct certificate x; -1 when full. */
static int32_t
cert_index(struct pm_tls *t, const struct pm_x509 *x)
{
	if (t->n_certs >= PM_TLS_MAX_CERTS) {
		t->certs_dropped++;
		return -1;
	}
	if (t->n_certs == t->cap_certs) {
		size_t cap = t->cap_certs != 0 ? t->cap_certs * 2 : 16;
		struct pm_x509 *v = realloc(t->certs, cap * sizeof(*v));
		if (v == NULL) {
			t->certs_dropped++;
			return -1;
		}
		t->certs = v;
		t->cap_certs = cap;
	}
	t->certs[t->n_certs] = *x;
	return (int32_t)t->n_certs++;
}

/*
 * What a certificate's DER gave the first time it was met: its index in
 * certs, CERT_BAD, or -1 (certs full). Servers send the same certificate to
 * every client, so each is parsed and fingerprinted once: der_seen keys
 * them by a keyed hash of the whole DER, and the memo of the last few, by
 * their bytes, spares a repeat that hash (a slot shared by two certificates
 * only costs the hash again).
 */
static int32_t
der_seen(struct pm_tls *t, const uint8_t *der, uint32_t len)
{
	if (len == 0) {
		t->bad_certs++; /* ASN.1Cert<1..2^24-1>: what the DER reader says of no bytes */
		return CERT_BAD;
	}
	struct pm_tls_der_memo *m =
	    &t->der_memo[(len ^ der[len - 1] ^ (uint32_t)der[len / 2] << 4) % PM_TLS_DER_MEMO];
	if (m->der != NULL && m->len == len && memcmp(m->der, der, len) == 0) {
		t->bad_certs += m->idx == CERT_BAD;
		t->certs_dropped += m->idx == -1;
		return m->idx;
	}
	struct der_key k = { pm_hash(der, len), len };
	bool is_new;
	int32_t *seen = pm_table_upsert_max(&t->der_seen, &k, 2 * PM_TLS_MAX_CERTS, &is_new);
	int32_t idx;
	if (seen != NULL && !is_new) {
		idx = *seen;
		t->bad_certs += idx == CERT_BAD;
		t->certs_dropped += idx == -1;
	} else {
		struct pm_x509 *x = malloc(sizeof(*x));
		if (x == NULL) {
			return -1;
		}
		if (pm_x509_parse(der, len, x) != 0) {
			t->bad_certs++;
			idx = CERT_BAD;
		} else {
			idx = cert_index(t, x);
		}
		free(x);
		if (seen == NULL) {
			return idx; /* not remembered: the memo holds only what der_seen does */
		}
		*seen = idx;
	}
	if (len <= PM_TLS_DER_MEMO_MAX) {
		uint8_t *copy = realloc(m->der, len);
		if (copy != NULL) {
			memcpy(copy, der, len);
			m->der = copy;
			m->len = len;
			m->idx = idx;
		}
	}
	return idx;
}

/* Certificate (RFC 5246 §7.4.2): certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>. */
static void
on_certificate(struct pm_tls *t, struct tls_flow *f, struct pm_tls_row *r, const uint8_t *body,
               size_t n)
{
	struct pm_cur c = pm_cur_init(body, n);
	uint32_t total = (uint32_t)pm_cur_u8(&c) << 16 | pm_cur_be16(&c);
	struct pm_cur list = pm_cur_sub(&c, total);
	uint32_t len = (uint32_t)pm_cur_u8(&list) << 16 | pm_cur_be16(&list);
	const uint8_t *der = pm_cur_bytes(&list, len);
	if (der == NULL) {
		t->malformed++;
		return;
	}
	t->certificates++;
	int32_t idx = der_seen(t, der, len);
	if (f->cert1 == 0 && idx >= 0) {
		f->cert1 = (uint32_t)idx + 1;
	}
	if (r != NULL && r->cert < 0 && idx >= 0) {
		r->cert = idx;
	}
}

static void
on_message(struct pm_tls *t, struct tls_flow *f, int dir, const struct pm_pass_pkt *pp,
           uint8_t type, const uint8_t *body, size_t n)
{
	switch (type) {
	case PM_TLS_HS_CLIENT_HELLO:
		on_client_hello(t, f, pp, row_of(t, f, pp), body, n);
		break;
	case PM_TLS_HS_SERVER_HELLO:
		on_server_hello(t, f, pp, row_of(t, f, pp), body, n);
		break;
	case PM_TLS_HS_CERTIFICATE:
		if (dir == PM_DIR_S2C) {
			on_certificate(t, f, row_of(t, f, pp), body, n);
		}
		break;
	case PM_TLS_HS_SERVER_DONE:
		dir_done(t, f, dir);
		break;
	default:
		break;
	}
}

/* Whole messages at the front of c; returns bytes used. Fails c on an oversized message. */
static size_t
messages(struct pm_tls *t, struct tls_flow *f, int dir, const struct pm_pass_pkt *pp,
         struct pm_cur *c)
{
	size_t used = 0;
	for (unsigned i = 0; i < 64 && pm_cur_left(c) >= 4 && !f->done[dir]; i++) {
		uint8_t type = pm_cur_peek(c, 0);
		uint32_t len = (uint32_t)pm_cur_peek(c, 1) << 16 |
		               (uint32_t)pm_cur_peek(c, 2) << 8 | pm_cur_peek(c, 3);
		if (len > PM_TLS_MAX_HS - 4) {
			pm_cur_fail(c);
			return used;
		}
		if (pm_cur_left(c) - 4 < len) {
			break;
		}
		pm_cur_skip(c, 4);
		const uint8_t *body = pm_cur_bytes(c, len);
		on_message(t, f, dir, pp, type, body, len);
		used += 4 + len;
	}
	return used;
}

/* One handshake record's fragment: messages parsed in place, a partial one kept. */
static void
handshake_fragment(struct pm_tls *t, struct tls_flow *f, int dir, const struct pm_pass_pkt *pp,
                   struct pm_cur frag)
{
	if (f->hs_len[dir] == 0) {
		size_t used = messages(t, f, dir, pp, &frag);
		if (!pm_cur_ok(&frag)) {
			t->malformed++;
			dir_done(t, f, dir);
			return;
		}
		if (f->done[dir]) {
			return;
		}
		frag = pm_cur_init(frag.buf + used, frag.len - used);
	}
	size_t n = pm_cur_left(&frag);
	if (n == 0) {
		return;
	}
	if (n > PM_TLS_MAX_HS - f->hs_len[dir]) {
		t->malformed++;
		dir_done(t, f, dir);
		return;
	}
	if (f->hs[dir] == NULL) {
		f->hs[dir] = malloc(PM_TLS_MAX_HS);
		if (f->hs[dir] == NULL) {
			dir_done(t, f, dir);
			return;
		}
	}
	memcpy(f->hs[dir] + f->hs_len[dir], frag.buf, n);
	f->hs_len[dir] += (uint32_t)n;
	struct pm_cur c = pm_cur_init(f->hs[dir], f->hs_len[dir]);
	size_t used = messages(t, f, dir, pp, &c);
	if (!pm_cur_ok(&c)) {
		t->malformed++;
		dir_done(t, f, dir);
		return;
	}
	if (f->done[dir] || used == 0) {
		return;
	}
	memmove(f->hs[dir], f->hs[dir] + used, f->hs_len[dir] - used);
	f->hs_len[dir] -= (uint32_t)used;
}

/* Bytes that do not start a TLS record: an SSL 2.0 CLIENT-HELLO is counted, anything else is not TLS. */
static void
not_a_record(struct pm_tls *t, struct tls_flow *f, int dir, const struct pm_cur *c, bool first)
{
	if (first && (pm_cur_peek(c, 0) & 0x80) != 0 && pm_cur_peek(c, 2) == 1) {
		t->sslv2_hellos++; /* SSL 2.0: 2-byte length with the high bit set, then type 1 */
	} else if (first) {
		t->not_tls++;
	} else {
		t->malformed++;
	}
	dir_done(t, f, dir);
}

/*
 * The direction's first encrypted record: the client's (its Finished, TLS
 * 1.2 after ChangeCipherSpec, TLS 1.3 as application data) after a
 * ServerHello means the handshake went through. Nothing after it is parsed.
 */
static void
encrypted(struct pm_tls *t, struct tls_flow *f, int dir)
{
	struct pm_tls_row *r = f->row != 0 && f->row != ROW_DROPPED ? &t->rows[f->row - 1] : NULL;
	if (dir == PM_DIR_C2S && f->has_sh) {
		t->established++;
		if (r != NULL) {
			r->established = true;
		}
	}
	dir_done(t, f, dir);
}

/*
 * After a TLS 1.3 HelloRetryRequest the middlebox-compatibility
 * ChangeCipherSpec (RFC 8446 §D.4) comes before a second hello in clear: a
 * record holding exactly one ClientHello or ServerHello is taken as plain.
 */
static bool
plain_hello(const struct pm_cur *frag)
{
	if (frag->len < 4) {
		return false;
	}
	uint8_t type = frag->buf[0];
	uint32_t len = (uint32_t)frag->buf[1] << 16 | (uint32_t)frag->buf[2] << 8 | frag->buf[3];
	return (type == PM_TLS_HS_CLIENT_HELLO || type == PM_TLS_HS_SERVER_HELLO) &&
	       len + 4 == frag->len;
}

static void
on_record(struct pm_tls *t, struct tls_flow *f, int dir, const struct pm_pass_pkt *pp, uint8_t type,
          struct pm_cur frag)
{
	struct pm_tls_row *r;
	switch (type) {
	case PM_TLS_CT_HANDSHAKE:
		if (f->ccs[dir] && !plain_hello(&frag)) {
			encrypted(t, f, dir);
		} else {
			handshake_fragment(t, f, dir, pp, frag);
		}
		break;
	case PM_TLS_CT_CCS:
		f->ccs[dir] = true;
		break;
	case PM_TLS_CT_ALERT:
		t->alerts++;
		r = row_of(t, f, pp);
		if (!f->ccs[dir] && frag.len == 2 && r != NULL && !r->alert) {
			r->alert = true;
			r->alert_level = frag.buf[0];
			r->alert_desc = frag.buf[1];
		}
		break;
	case PM_TLS_CT_APPDATA:
		encrypted(t, f, dir);
		break;
	default:
		t->heartbeats++;
		break;
	}
}

/* What parse_records needs besides the bytes. */
struct tls_parse {
	struct pm_tls *t;
	struct tls_flow *f;
	const struct pm_pass_pkt *pp;
	int dir;
};

/* see pm_reasm_parse_fn: the whole records of one direction. */
static size_t
parse_records(void *ctx, const uint8_t *p, size_t n, uint64_t at)
{
	struct tls_parse *x = ctx;
	struct tls_flow *f = x->f;
	size_t done = 0;
	for (unsigned i = 0; i < 256 && !f->done[x->dir]; i++) {
		struct pm_cur c = pm_cur_init(p + done, n - done);
		if (pm_cur_left(&c) < 5) {
			break;
		}
		uint8_t type = pm_cur_u8(&c);
		uint8_t major = pm_cur_u8(&c);
		pm_cur_skip(&c, 1);
		uint16_t len = pm_cur_be16(&c);
		if (type < PM_TLS_CT_CCS || type > PM_TLS_CT_HEARTBEAT || major != 3 ||
		    len > PM_TLS_RECORD_MAX) {
			not_a_record(x->t, f, x->dir, &c, at + done == 0);
			break;
		}
		if (pm_cur_left(&c) < len) {
			break;
		}
		struct pm_cur frag = pm_cur_sub(&c, len);
		on_record(x->t, f, x->dir, x->pp, type, frag);
		if (!f->done[x->dir]) {
			done += 5 + (size_t)len;
		}
	}
	return done;
}

static void
observe_flow(struct pm_tls *t, struct tls_flow *f, const struct pm_pass_pkt *pp)
{
	const struct pm_pkt *p = pp->pkt;
	int dir = pp->dir, other = 1 - dir;
	if ((p->tcp_flags & PM_TCP_ACK) != 0 && !f->done[other]) {
		pm_reasm_ack(&t->pool, &f->d[other], p->ack);
		if (!pm_reasm_open(&f->d[other])) {
			struct tls_parse x = { t, f, pp, other };
			pm_reasm_parse_held(&f->d[other], parse_records, &x);
			dir_done(t, f, other);
		}
	}
	if (f->done[dir]) {
		return;
	}
	struct tls_parse x = { t, f, pp, dir };
	pm_reasm_feed(&t->pool, &f->d[dir], p->seq, p->tcp_flags, p->payload, p->payload_len,
	              parse_records, &x);
	if (!f->done[dir] && !pm_reasm_open(&f->d[dir])) {
		dir_done(t, f, dir);
	}
}

/*
 * Whether the first bytes of a stream may start TLS: a record header
 * (parse_dir's test) or an SSL 2.0 CLIENT-HELLO (not_a_record's), or too few
 * bytes to tell. What this rejects, parse_dir would count as not TLS.
 */
static bool
plausible_start(const struct pm_pkt *p)
{
	const uint8_t *b = p->payload;
	if (p->payload_len < 5) {
		return true;
	}
	uint16_t len = (uint16_t)(b[3] << 8 | b[4]);
	bool record = b[0] >= PM_TLS_CT_CCS && b[0] <= PM_TLS_CT_HEARTBEAT && b[1] == 3 &&
	              len <= PM_TLS_RECORD_MAX;
	return record || ((b[0] & 0x80) != 0 && b[2] == 1);
}

static void
tls_observe(void *st, const struct pm_pass_pkt *pp)
{
	struct pm_tls *t = st;
	if (pp->key == NULL || pp->flow == NULL) {
		return;
	}
	if (pm_reasm_no_payload_yet(pp)) {
		return; /* the handshake so far: the flow table keeps the SYNs' sequence numbers */
	}
	if (pm_reasm_first_bytes(pp) && !plausible_start(pp->pkt)) {
		t->not_tls++; /* judged without any state: the common case for non-TLS on 443 */
		pm_pass_done(pp, PM_AN_TLS);
		return;
	}
	struct tls_flow *f = pm_flow_state_get(pp, PM_AN_TLS);
	if (f == NULL) {
		f = pm_flow_state_new(&t->live, pp, PM_AN_TLS, sizeof(*f), t->max_live,
		                      &t->flows_dropped);
		if (f == NULL) {
			return;
		}
		pm_reasm_begin_flow(f->d, pp);
	}
	observe_flow(t, f, pp);
	if (f->done[0] && f->done[1]) {
		handshake_end(t, f);
		pm_flow_state_done(&t->live, pp, PM_AN_TLS, f); /* its later packets cost nothing */
	}
}

static void
tls_finish(void *st, const struct pm_an_deps *deps)
{
	(void)deps;
	struct pm_tls *t = st;
	struct tls_flow *f;
	while ((f = pm_flow_state_pop(&t->live)) != NULL) {
		for (int d = 0; d < 2; d++) {
			pm_reasm_close(&t->pool, &f->d[d]);
			dir_done(t, f, d);
		}
		handshake_end(t, f);
		free(f);
	}
	pm_flow_states_free(&t->live);
}

static void
tls_free(void *st)
{
	struct pm_tls *t = st;
	tls_finish(st, NULL);
	for (size_t i = 0; i < t->n_rows; i++) {
		free(t->rows[i].ja3);
		free(t->rows[i].ja3s);
	}
	free(t->rows);
	free(t->certs);
	pm_table_free(&t->der_seen);
	pm_table_free(&t->fp_memo);
	pm_table_free(&t->fp_last);
	pm_table_free(&t->late_seen);
	for (size_t i = 0; i < PM_TLS_STATS; i++) {
		pm_counts_free(&t->stats[i]);
	}
	for (size_t i = 0; i < PM_TLS_DER_MEMO; i++) {
		free(t->der_memo[i].der);
	}
}

static size_t
tls_mem(const void *st)
{
	const struct pm_tls *t = st;
	size_t held = 0;
	for (size_t i = 0; i < PM_TLS_DER_MEMO; i++) {
		held += t->der_memo[i].der != NULL ? t->der_memo[i].len : 0;
	}
	for (size_t i = 0; i < PM_TLS_STATS; i++) {
		held += pm_counts_bytes(&t->stats[i]);
	}
	return sizeof(*t) + held + t->pool.bytes + t->cap_rows * sizeof(*t->rows) +
	       t->live.n * sizeof(struct tls_flow) + t->cap_certs * sizeof(*t->certs) +
	       t->der_seen.bytes + t->fp_memo.bytes + t->fp_last.bytes + t->late_seen.bytes +
	       t->n_rows * 2 * 128;
}

const struct pm_analyser pm_analyser_tls = {
	.name = "tls",
	.state_size = sizeof(struct pm_tls),
	.after = PM_AN_BIT(FLOWS), /* labels and the flow come from the flow table */
	.want = { .classes = PM_WANT_TCP, .apps = 1ull << PM_APP_TLS },
	.init = tls_init,
	.observe = tls_observe,
	.finish = tls_finish,
	.free = tls_free,
	.mem = tls_mem,
};

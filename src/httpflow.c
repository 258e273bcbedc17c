/* SPDX-License-Identifier: MIT */
/*
 * httpflow.c - the HTTP analyser row: per flow and direction, reassembled
 * bytes (reasm.h) into heads (http.c) and delimited bodies, consumed as
 * they are parsed so the window slides over long keep-alive connections.
 * Requests wait in a per-flow queue of PM_HTTP_MAX_PENDING for their
 * responses, which arrive in order (RFC 9112 §9.3.2).
 */
#include "http.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyser.h"
#include "analysis.h"
#include "decode.h"
#include "flow.h"
#include "reasm.h"
#include "sha256.h"

#define CHUNK_LINE_MAX 256 /* bytes of a chunk-size line with extensions */

enum mode {
	M_HEAD = 0,   /* expecting a head */
	M_BODY,       /* left bytes of a Content-Length body */
	M_CHUNK_SIZE, /* a chunk-size line */
	M_CHUNK_DATA, /* left bytes of a chunk */
	M_CHUNK_END,  /* the CRLF after a chunk */
	M_TRAILER,    /* trailer fields up to the empty line */
	M_CLOSE,      /* a body delimited by the end of the connection */
	M_DONE,       /* nothing more is parsed */
};

/* One direction's parse state. */
struct http_dir {
	uint8_t mode;          /* enum mode */
	bool hashing;          /* the body so far fits PM_HTTP_MAX_HASH_BODY */
	uint8_t magic_n;       /* bytes in magic */
	uint8_t magic[16];     /* the body's first bytes */
	bool decided;          /* whether to hash was decided on the first bytes */
	bool file_type;        /* the Content-Type names a file (application/octet-stream, x-*) */
	uint64_t left;         /* bytes left of the body or chunk */
	uint64_t body;         /* body bytes so far */
	uint32_t row;          /* 1 + the row the body belongs to; 0 none */
	struct pm_sha256 *sha; /* the flow's response digest (S2C only; NULL for requests) */
};

/* Per-flow parse state, kept in the flow record (pm_flow_state_attach) while the flow is parsed. */
struct http_flow {
	struct pm_flow_state link; /* first: the analyser's list of live states */
	struct http_dir s[2];      /* what every packet reads first, then its direction */
	struct pm_reasm_dir d[2];
	uint32_t pending[PM_HTTP_MAX_PENDING]; /* 1 + row of requests awaiting a response */
	uint8_t p_head, p_n;
	bool head_request[PM_HTTP_MAX_PENDING]; /* the pending request was HEAD */
	struct pm_sha256 sha;                   /* last: touched only for the bodies hashed */
};

static int
http_init(void *st, const struct pm_analysis_opts *o)
{
	struct pm_http *h = st;
	size_t cap = o != NULL && o->max_table_bytes != 0 && o->max_table_bytes < PM_HTTP_MAX_STATE
	                 ? o->max_table_bytes
	                 : PM_HTTP_MAX_STATE;
	h->max_live = cap / sizeof(struct http_flow);
	if (o != NULL) {
		h->pool.window = o->reasm_window;       /* 0: PM_REASM_WINDOW */
		h->pool.max_bytes = o->reasm_max_bytes; /* 0: PM_REASM_POOL_MAX */
	}
	for (size_t i = 0; i < PM_HTTP_STATS; i++) {
		pm_counts_init(&h->stats[i], PM_HTTP_MAX_DISTINCT, 0);
	}
	return 0;
}

static void
copy_view(char *out, size_t cap, struct pm_http_view v)
{
	size_t n = v.p == NULL ? 0 : v.n < cap - 1 ? v.n : cap - 1;
	for (size_t i = 0; i < n; i++) {
		out[i] = v.p[i] >= 0x20 && v.p[i] != 0x7F ? (char)v.p[i] : '?';
	}
	out[n] = '\0';
}

/* The bytes a row's field (a char array) can keep. */
#define FIELD_CAP(f) sizeof(((struct pm_http_row *)NULL)->f)

/* Count v as copy_view keeps it in a field of cap bytes; absent or empty is not counted. */
static void
count_view(struct pm_counts *c, size_t cap, struct pm_http_view v)
{
	char s[FIELD_CAP(uri)];
	copy_view(s, cap < sizeof(s) ? cap : sizeof(s), v);
	if (s[0] != '\0') {
		(void)pm_counts_add(c, s, strlen(s));
	}
}

/*
 * A value of a statistic with many distinct values (URIs, hosts), copied
 * as a row keeps it and its slot fetched ahead (ahead), counted once the
 * rest of the message is done (counted): the fetches of a request's values
 * overlap, and overlap its other work.
 */
struct ahead {
	char s[FIELD_CAP(uri)];
	size_t n;
	struct pm_counts_key k;
};

static void
ahead(struct ahead *a, const struct pm_counts *c, size_t cap, struct pm_http_view v)
{
	copy_view(a->s, cap < sizeof(a->s) ? cap : sizeof(a->s), v);
	a->n = strlen(a->s);
	if (a->n != 0) {
		a->k = pm_counts_key(a->s, a->n);
		pm_counts_prefetch(c, &a->k);
	}
}

static void
counted(struct pm_counts *c, const struct ahead *a)
{
	if (a->n != 0) {
		(void)pm_counts_add_key(c, a->s, a->n, &a->k);
	}
}

static struct pm_http_row *
new_row(struct pm_http *h, const struct pm_pass_pkt *pp, int dir)
{
	if (h->n_rows >= PM_HTTP_MAX_EXCHANGES) {
		h->rows_dropped++;
		return NULL;
	}
	if (h->n_rows == h->cap_rows) {
		size_t cap = h->cap_rows != 0 ? h->cap_rows * 2 : 64;
		struct pm_http_row *v = realloc(h->rows, cap * sizeof(*v));
		if (v == NULL) {
			h->rows_dropped++;
			return NULL;
		}
		h->rows = v;
		h->cap_rows = cap;
	}
	struct pm_http_row *r = &h->rows[h->n_rows++];
	memset(r, 0, sizeof(*r));
	const struct pm_pkt *p = pp->pkt;
	bool c2s = dir == PM_DIR_C2S;
	memcpy(r->client, c2s ? p->src : p->dst, 16);
	memcpy(r->server, c2s ? p->dst : p->src, 16);
	r->server_port = c2s ? p->dport : p->sport;
	r->ipver = p->ipver;
	r->req_length = r->resp_length = -1;
	return r;
}

static void
body_start(struct http_dir *s, uint32_t row, bool file_type)
{
	s->row = row;
	s->decided = false;
	s->hashing = false;
	s->file_type = file_type;
	s->magic_n = 0;
	s->body = 0;
}

/*
 * Whether a body is hashed: one that is a file by its magic bytes (not
 * HTML, not gzip content coding) or by its Content-Type. Hashing every page,
 * script and style sheet would double the cost of the whole analysis for
 * no indicator an analyst looks up.
 */
static bool
wants_hash(const struct http_dir *s)
{
	const char *m = pm_http_magic(s->magic, s->magic_n);
	return s->file_type || (m != NULL && strcmp(m, "html") != 0 && strcmp(m, "gzip") != 0);
}

/*
 * Decide on the body's first bytes; the bytes held so far start the hash.
 * Only a response body with an exchange row to hold its digest is hashed:
 * past PM_HTTP_MAX_EXCHANGES rows, or for a request, the digest would be
 * computed and dropped.
 */
static void
decide(struct http_dir *s, int dir)
{
	s->decided = true;
	s->hashing = dir == PM_DIR_S2C && s->sha != NULL && s->row != 0 && wants_hash(s);
	if (s->hashing) {
		pm_sha256_init(s->sha);
		pm_sha256_update(s->sha, s->magic, s->magic_n);
	}
}

/* A field name like a password's in a form body ("password=", "passwd=", "pwd=", "pass="). */
static bool
has_password_field(const uint8_t *p, size_t n)
{
	static const char *const names[] = { "password=", "passwd=", "pwd=", "pass=" };
	for (size_t i = 0; i < n; i++) {
		if (i != 0 && p[i - 1] != '&') {
			continue;
		}
		for (size_t k = 0; k < PM_ARRAY_LEN(names); k++) {
			size_t m = strlen(names[k]);
			size_t j = 0;
			while (j < m && i + j < n && tolower(p[i + j]) == names[k][j]) {
				j++;
			}
			if (j == m) {
				return true;
			}
		}
	}
	return false;
}

static void
body_feed(struct pm_http *h, struct http_dir *s, int dir, const uint8_t *p, size_t n)
{
	size_t k = 0;
	if (!s->decided) {
		k = n < sizeof(s->magic) - s->magic_n ? n : sizeof(s->magic) - s->magic_n;
		memcpy(s->magic + s->magic_n, p, k);
		s->magic_n = (uint8_t)(s->magic_n + k);
		if (s->magic_n == sizeof(s->magic)) {
			decide(s, dir);
		}
	}
	if (dir == PM_DIR_C2S && s->row != 0 && s->body < 4096 && has_password_field(p, n)) {
		h->rows[s->row - 1].form_password = true;
	}
	s->body += n;
	if (s->hashing && s->body <= PM_HTTP_MAX_HASH_BODY) {
		pm_sha256_update(s->sha, p + k, n - k);
	} else {
		s->hashing = false;
	}
}

static void
body_end(struct pm_http *h, struct http_dir *s, int dir)
{
	if (!s->decided) {
		decide(s, dir);
	}
	h->bodies_hashed += s->hashing && s->body != 0;
	if (dir == PM_DIR_S2C && s->row != 0) {
		struct pm_http_row *r = &h->rows[s->row - 1];
		r->resp_body = s->body;
		if (s->hashing && s->body != 0) {
			pm_sha256_out(s->sha, r->resp_sha256);
			r->body_hashed = true;
		}
		r->resp_magic = pm_http_magic(s->magic, s->magic_n);
	}
	s->row = 0;
	s->mode = M_HEAD;
}

static void
on_request(struct pm_http *h, struct http_flow *f, const struct pm_pass_pkt *pp,
           const struct pm_http_head *m)
{
	h->requests++;
	struct ahead uri, host;
	ahead(&uri, &h->stats[PM_HTTP_URIS], FIELD_CAP(uri), m->uri);
	ahead(&host, &h->stats[PM_HTTP_HOSTS], FIELD_CAP(host), m->host);
	count_view(&h->stats[PM_HTTP_METHODS], FIELD_CAP(method), m->method);
	count_view(&h->stats[PM_HTTP_AGENTS], FIELD_CAP(user_agent), m->user_agent);
	struct pm_http_row *r = new_row(h, pp, PM_DIR_C2S);
	uint32_t row = r != NULL ? (uint32_t)h->n_rows : 0;
	if (r != NULL) {
		r->ts_req = pp->pkt->ts_ns;
		copy_view(r->method, sizeof(r->method), m->method);
		copy_view(r->uri, sizeof(r->uri), m->uri);
		copy_view(r->host, sizeof(r->host), m->host);
		copy_view(r->user_agent, sizeof(r->user_agent), m->user_agent);
		copy_view(r->req_type, sizeof(r->req_type), m->content_type);
		copy_view(r->auth_scheme, sizeof(r->auth_scheme), m->auth_scheme);
		r->cookie = m->cookie;
		r->version_minor = m->version_minor;
		r->req_length = m->content_length;
	}
	if (f->p_n < PM_HTTP_MAX_PENDING) {
		unsigned at = (f->p_head + f->p_n) % PM_HTTP_MAX_PENDING;
		f->pending[at] = row;
		f->head_request[at] = m->method.n == 4 && memcmp(m->method.p, "HEAD", 4) == 0;
		f->p_n++;
	}
	struct http_dir *s = &f->s[PM_DIR_C2S];
	body_start(s, row, false);
	if (m->chunked) {
		s->mode = M_CHUNK_SIZE;
	} else if (m->content_length > 0) {
		s->mode = M_BODY;
		s->left = (uint64_t)m->content_length;
	}
	counted(&h->stats[PM_HTTP_URIS], &uri);
	counted(&h->stats[PM_HTTP_HOSTS], &host);
}

/* A Content-Type that names a download rather than a page. */
static bool
file_content_type(struct pm_http_view v)
{
	static const char *const types[] = { "application/octet-stream", "application/x-",
		                             "application/zip", "application/pdf",
		                             "application/vnd.microsoft.portable-executable" };
	for (size_t i = 0; v.p != NULL && i < PM_ARRAY_LEN(types); i++) {
		size_t n = strlen(types[i]);
		if (v.n >= n && strncasecmp((const char *)v.p, types[i], n) == 0) {
			return true;
		}
	}
	return false;
}

/* Returns false when the flow stops being HTTP/1.x (an upgrade). */
static bool
on_response(struct pm_http *h, struct http_flow *f, const struct pm_pass_pkt *pp,
            const struct pm_http_head *m)
{
	int64_t ts = pp->pkt->ts_ns;
	h->responses++;
	if (m->status >= 100 && m->status < 200 && m->status != 101) {
		return true; /* interim: the final response is still to come */
	}
	char code[4] = { (char)('0' + m->status / 100 % 10), (char)('0' + m->status / 10 % 10),
		         (char)('0' + m->status % 10), '\0' };
	size_t skip = m->status < 10 ? 2 : m->status < 100 ? 1 : 0; /* "%u", as rows are shown */
	(void)pm_counts_add(&h->stats[PM_HTTP_STATUSES], code + skip, 3 - skip);
	count_view(&h->stats[PM_HTTP_CTYPES], FIELD_CAP(resp_type), m->content_type);
	uint32_t row = 0;
	bool head = false;
	if (f->p_n != 0) {
		row = f->pending[f->p_head];
		head = f->head_request[f->p_head];
		f->p_head = (uint8_t)((f->p_head + 1) % PM_HTTP_MAX_PENDING);
		f->p_n--;
	} else {
		/* the request was not captured: the response still gets its row */
		h->unmatched_responses++;
		struct pm_http_row *r = new_row(h, pp, PM_DIR_S2C);
		if (r != NULL) {
			r->ts_req = ts;
			row = (uint32_t)h->n_rows;
		}
	}
	if (row != 0) {
		struct pm_http_row *r = &h->rows[row - 1];
		r->has_resp = true;
		r->status = m->status;
		r->ts_resp = ts;
		copy_view(r->resp_type, sizeof(r->resp_type), m->content_type);
		copy_view(r->server_sw, sizeof(r->server_sw), m->server);
		copy_view(r->location, sizeof(r->location), m->location);
		r->resp_length = m->content_length;
		r->chunked = m->chunked;
	}
	if (m->status == 101) {
		h->upgrades++;
		return false;
	}
	struct http_dir *s = &f->s[PM_DIR_S2C];
	body_start(s, row, file_content_type(m->content_type));
	if (head || m->status == 204 || m->status == 304) {
		body_end(h, s, PM_DIR_S2C);
	} else if (m->chunked) {
		s->mode = M_CHUNK_SIZE;
	} else if (m->content_length >= 0) {
		s->mode = m->content_length > 0 ? M_BODY : M_HEAD;
		s->left = (uint64_t)m->content_length;
		if (m->content_length == 0) {
			body_end(h, s, PM_DIR_S2C);
		}
	} else {
		s->mode = M_CLOSE;
	}
	return true;
}

static void
flow_done(struct pm_http *h, struct http_flow *f)
{
	for (int d = 0; d < 2; d++) {
		f->s[d].mode = M_DONE;
		pm_reasm_release(&h->pool, &f->d[d]);
	}
}

/* A head at stream offset at of direction dir. Returns bytes used, 0 when more are needed. */
static size_t
head(struct pm_http *h, struct http_flow *f, int dir, const struct pm_pass_pkt *pp,
     struct pm_cur *c, uint64_t at)
{
	static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"; /* RFC 9113 §3.4 */
	size_t n = pm_cur_left(c);
	if (dir == PM_DIR_C2S && at == 0 && n >= 16 && memcmp(c->buf, preface, 16) == 0) {
		h->h2_prior_knowledge++;
		flow_done(h, f);
		return 0;
	}
	struct pm_http_head m;
	int rc = pm_http_parse_head(c->buf, n, dir == PM_DIR_S2C, &m);
	if (rc == PM_E_TRUNC) {
		return 0;
	}
	if (rc != 0) {
		if (at == 0) {
			h->not_http++;
		} else {
			h->malformed++;
		}
		flow_done(h, f);
		return 0;
	}
	if (dir == PM_DIR_C2S) {
		on_request(h, f, pp, &m);
	} else if (!on_response(h, f, pp, &m)) {
		flow_done(h, f);
		return 0;
	}
	return m.head_len;
}

/* A line at the front of c: its length with the line end in *used; false when incomplete. */
static bool
line_at(const struct pm_cur *c, size_t *len, size_t *used)
{
	size_t n = pm_cur_left(c) < CHUNK_LINE_MAX ? pm_cur_left(c) : CHUNK_LINE_MAX;
	const uint8_t *nl = memchr(c->buf, '\n', n);
	if (nl == NULL) {
		*used = pm_cur_left(c) >= CHUNK_LINE_MAX ? SIZE_MAX : 0;
		return false;
	}
	*used = (size_t)(nl - c->buf) + 1;
	*len = *used - 1 - (*used >= 2 && c->buf[*used - 2] == '\r');
	return true;
}

/* One step of chunked framing. Returns bytes used; 0 wants more; SIZE_MAX is malformed. */
static size_t
chunk_step(struct pm_http *h, struct http_dir *s, int dir, const struct pm_cur *c)
{
	size_t len, used;
	size_t avail = pm_cur_left(c);
	if (s->mode == M_CHUNK_DATA) {
		size_t take = avail < s->left ? avail : (size_t)s->left;
		body_feed(h, s, dir, c->buf, take);
		s->left -= take;
		if (s->left == 0) {
			s->mode = M_CHUNK_END;
		}
		return take;
	}
	if (!line_at(c, &len, &used)) {
		return used;
	}
	if (s->mode == M_CHUNK_END) {
		s->mode = M_CHUNK_SIZE;
		return len == 0 ? used : SIZE_MAX;
	}
	if (s->mode == M_TRAILER) {
		if (len == 0) {
			body_end(h, s, dir);
		}
		return used;
	}
	uint64_t size = 0;
	size_t i = 0;
	for (; i < len && isxdigit(c->buf[i]) && i < 15; i++) {
		size = size * 16 + (uint64_t)(isdigit(c->buf[i]) ? c->buf[i] - '0'
		                                                 : tolower(c->buf[i]) - 'a' + 10);
	}
	if (i == 0) {
		return SIZE_MAX;
	}
	s->mode = size == 0 ? M_TRAILER : M_CHUNK_DATA;
	s->left = size;
	return used;
}

/* What parse_bytes needs besides the bytes. */
struct http_parse {
	struct pm_http *h;
	struct http_flow *f;
	const struct pm_pass_pkt *pp;
	int dir;
};

/* see pm_reasm_parse_fn: heads, bodies and chunk framing of one direction. */
static size_t
parse_bytes(void *ctx, const uint8_t *p, size_t n, uint64_t at)
{
	struct http_parse *x = ctx;
	struct pm_http *h = x->h;
	struct http_dir *s = &x->f->s[x->dir];
	size_t done = 0;
	for (unsigned i = 0; i < 1024 && s->mode != M_DONE && done < n; i++) {
		struct pm_cur c = pm_cur_init(p + done, n - done);
		size_t avail = n - done, used;
		switch (s->mode) {
		case M_HEAD:
			used = head(h, x->f, x->dir, x->pp, &c, at + done);
			break;
		case M_BODY:
		case M_CLOSE:
			used = s->mode == M_CLOSE || avail < s->left ? avail : (size_t)s->left;
			body_feed(h, s, x->dir, c.buf, used);
			if (s->mode == M_BODY) {
				s->left -= used;
				if (s->left == 0) {
					body_end(h, s, x->dir);
				}
			}
			break;
		default:
			used = chunk_step(h, s, x->dir, &c);
			if (used == SIZE_MAX) {
				h->malformed++;
				flow_done(h, x->f);
				return done;
			}
			break;
		}
		if (used == 0 || s->mode == M_DONE) {
			break;
		}
		done += used;
	}
	return done;
}

static void
observe_flow(struct pm_http *h, struct http_flow *f, const struct pm_pass_pkt *pp)
{
	const struct pm_pkt *p = pp->pkt;
	int dir = pp->dir, other = 1 - dir;
	if ((p->tcp_flags & PM_TCP_ACK) != 0 && f->s[other].mode != M_DONE) {
		pm_reasm_ack(&h->pool, &f->d[other], p->ack);
	}
	if (f->s[dir].mode != M_DONE) {
		struct http_parse x = { h, f, pp, dir };
		pm_reasm_feed(&h->pool, &f->d[dir], p->seq, p->tcp_flags, p->payload,
		              p->payload_len, parse_bytes, &x);
	}
	for (int d = 0; d < 2; d++) {
		struct http_dir *s = &f->s[d];
		if (s->mode != M_DONE && !pm_reasm_open(&f->d[d])) {
			if (s->mode == M_CLOSE) {
				body_end(h, s, d);
			}
			s->mode = M_DONE;
			pm_reasm_release(&h->pool, &f->d[d]);
		}
	}
}

/*
 * Whether the first byte of a stream may start what head() parses: a
 * request's method (upper case, '-', '_'; the HTTP/2 preface starts with
 * 'P') from the client, a status line ("HTTP/") from the server.
 */
static bool
plausible_start(const struct pm_pass_pkt *pp)
{
	uint8_t b = pp->pkt->payload[0];
	if (pp->dir == PM_DIR_S2C) {
		return b == 'H';
	}
	return (b >= 'A' && b <= 'Z') || b == '-' || b == '_';
}

static void
http_observe(void *st, const struct pm_pass_pkt *pp)
{
	struct pm_http *h = st;
	if (pp->key == NULL || pp->flow == NULL) {
		return;
	}
	if (pm_reasm_no_payload_yet(pp)) {
		return; /* the handshake so far: the flow table keeps the SYNs' sequence numbers */
	}
	if (pm_reasm_first_bytes(pp) && !plausible_start(pp)) {
		h->not_http++; /* judged without any state: head() would say the same */
		pm_pass_done(pp, PM_AN_HTTP);
		return;
	}
	struct http_flow *f = pm_flow_state_get(pp, PM_AN_HTTP);
	if (f == NULL) {
		f = pm_flow_state_new(&h->live, pp, PM_AN_HTTP, sizeof(*f), h->max_live,
		                      &h->flows_dropped);
		if (f == NULL) {
			return;
		}
		f->s[PM_DIR_S2C].sha = &f->sha;
		pm_reasm_begin_flow(f->d, pp);
	}
	observe_flow(h, f, pp);
	if (f->s[0].mode == M_DONE && f->s[1].mode == M_DONE) {
		/* its later packets cost nothing */
		pm_flow_state_done(&h->live, pp, PM_AN_HTTP, f);
	}
}

static void
http_finish(void *st, const struct pm_an_deps *deps)
{
	(void)deps;
	struct pm_http *h = st;
	struct http_flow *f;
	while ((f = pm_flow_state_pop(&h->live)) != NULL) {
		for (int d = 0; d < 2; d++) {
			if (f->s[d].mode == M_CLOSE) {
				body_end(h, &f->s[d], d);
			}
			pm_reasm_close(&h->pool, &f->d[d]);
		}
		flow_done(h, f);
		free(f);
	}
	pm_flow_states_free(&h->live);
}

static void
http_free(void *st)
{
	struct pm_http *h = st;
	http_finish(st, NULL);
	free(h->rows);
	for (size_t i = 0; i < PM_HTTP_STATS; i++) {
		pm_counts_free(&h->stats[i]);
	}
}

static size_t
http_mem(const void *st)
{
	const struct pm_http *h = st;
	size_t n = 0;
	for (size_t i = 0; i < PM_HTTP_STATS; i++) {
		n += pm_counts_bytes(&h->stats[i]);
	}
	return sizeof(*h) + h->pool.bytes + h->cap_rows * sizeof(*h->rows) +
	       h->live.n * sizeof(struct http_flow) + n;
}

const struct pm_analyser pm_analyser_http = {
	.name = "http",
	.state_size = sizeof(struct pm_http),
	.after = PM_AN_BIT(FLOWS), /* labels and the flow come from the flow table */
	.want = { .classes = PM_WANT_TCP, .apps = 1ull << PM_APP_HTTP },
	.init = http_init,
	.observe = http_observe,
	.finish = http_finish,
	.free = http_free,
	.mem = http_mem,
};

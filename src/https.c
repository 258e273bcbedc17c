/* SPDX-License-Identifier: MIT */
/*
 * https.c - the BearSSL HTTPS client: trust anchors, sockets with
 * deadlines, CONNECT, the TLS engine, one request and its response.
 */
#include "https.h"

#include <bearssl.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "httpresp.h"
#include "resolve.h"

#define DEFAULT_CONNECT_MS 5000
#define DEFAULT_TOTAL_MS   15000
#define DEFAULT_MAX_BODY   (1u << 20)
#define RAW_SLACK          (PM_HTTP_MAX_HEAD + 65536u) /* head and chunk framing over the body cap */

/* Where Debian, Fedora, openSUSE, Alpine and the BSDs keep the bundle. */
static const char *const system_bundles[] = {
	"/etc/ssl/certs/ca-certificates.crt",
	"/etc/pki/tls/certs/ca-bundle.crt",
	"/etc/ssl/ca-bundle.pem",
	"/etc/pki/tls/cacert.pem",
	"/etc/ssl/cert.pem",
};

/*
 * Trust anchors.
 */

struct grow {
	unsigned char *p;
	size_t n, cap;
	bool oom;
};

static void
grow_append(void *ctx, const void *buf, size_t len)
{
	struct grow *g = ctx;
	if (g->oom || len > (16u << 20) - g->n) {
		g->oom = true;
		return;
	}
	if (g->n + len > g->cap) {
		size_t cap = g->cap != 0 ? g->cap : 1024;
		while (cap < g->n + len) {
			cap *= 2;
		}
		unsigned char *p = realloc(g->p, cap);
		if (p == NULL) {
			g->oom = true;
			return;
		}
		g->p = p;
		g->cap = cap;
	}
	memcpy(g->p + g->n, buf, len);
	g->n += len;
}

struct anchors {
	br_x509_trust_anchor *v;
	size_t n, cap;
};

static void
anchors_free(struct anchors *a)
{
	for (size_t i = 0; i < a->n; i++) {
		br_x509_trust_anchor *t = &a->v[i];
		free(t->dn.data);
		if (t->pkey.key_type == BR_KEYTYPE_RSA) {
			free(t->pkey.key.rsa.n);
			free(t->pkey.key.rsa.e);
		} else {
			free(t->pkey.key.ec.q);
		}
	}
	free(a->v);
	memset(a, 0, sizeof(*a));
}

static unsigned char *
dup_bytes(const unsigned char *p, size_t n)
{
	unsigned char *d = malloc(n != 0 ? n : 1);
	if (d != NULL) {
		memcpy(d, p, n);
	}
	return d;
}

/* Decode one DER certificate into a trust anchor; false when it does not decode. */
static bool
add_anchor(struct anchors *a, const unsigned char *der, size_t len)
{
	br_x509_decoder_context dc;
	struct grow dn = { 0 };
	br_x509_decoder_init(&dc, grow_append, &dn);
	br_x509_decoder_push(&dc, der, len);
	const br_x509_pkey *pk = br_x509_decoder_get_pkey(&dc);
	if (pk == NULL || dn.oom || (a->n == a->cap && a->cap >= 8192)) {
		free(dn.p);
		return false;
	}
	if (a->n == a->cap) {
		size_t cap = a->cap != 0 ? a->cap * 2 : 64;
		br_x509_trust_anchor *v = realloc(a->v, cap * sizeof(*v));
		if (v == NULL) {
			free(dn.p);
			return false;
		}
		a->v = v;
		a->cap = cap;
	}
	br_x509_trust_anchor t = { .dn = { dn.p, dn.n },
		                   .flags = br_x509_decoder_isCA(&dc) ? BR_X509_TA_CA : 0 };
	t.pkey.key_type = pk->key_type;
	bool ok;
	if (pk->key_type == BR_KEYTYPE_RSA) {
		t.pkey.key.rsa.n = dup_bytes(pk->key.rsa.n, pk->key.rsa.nlen);
		t.pkey.key.rsa.nlen = pk->key.rsa.nlen;
		t.pkey.key.rsa.e = dup_bytes(pk->key.rsa.e, pk->key.rsa.elen);
		t.pkey.key.rsa.elen = pk->key.rsa.elen;
		ok = t.pkey.key.rsa.n != NULL && t.pkey.key.rsa.e != NULL;
	} else {
		t.pkey.key.ec.curve = pk->key.ec.curve;
		t.pkey.key.ec.q = dup_bytes(pk->key.ec.q, pk->key.ec.qlen);
		t.pkey.key.ec.qlen = pk->key.ec.qlen;
		ok = t.pkey.key.ec.q != NULL;
	}
	a->v[a->n++] = t; /* freed with the rest even when a copy failed */
	return ok;
}

static int
read_file(const char *path, struct grow *g, struct pm_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return pm_error_set(err, PM_E_IO, 0, "trust anchors: %s: %s", path,
		                    strerror(errno));
	}
	unsigned char buf[8192];
	ssize_t r;
	while ((r = read(fd, buf, sizeof(buf))) > 0 && !g->oom) {
		grow_append(g, buf, (size_t)r);
		g->oom = g->oom || g->n > PM_HTTPS_MAX_CA_FILE;
	}
	close(fd);
	if (r < 0 || g->oom) {
		return pm_error_set(err, PM_E_IO, 0, "trust anchors: %s: unreadable or over 16 MiB",
		                    path);
	}
	return 0;
}

/* Every CERTIFICATE in the PEM file at path. */
static int
load_anchors(const char *path, struct anchors *a, struct pm_error *err)
{
	struct grow file = { 0 }, der = { 0 };
	br_pem_decoder_context pc;
	bool in_cert = false;
	int rc = read_file(path, &file, err);
	if (rc != 0) {
		goto out_free;
	}
	grow_append(&file, "\n", 1); /* the decoder needs a final newline */
	br_pem_decoder_init(&pc);
	for (size_t off = 0; off < file.n && rc == 0;) {
		off += br_pem_decoder_push(&pc, file.p + off, file.n - off);
		switch (br_pem_decoder_event(&pc)) {
		case BR_PEM_BEGIN_OBJ:
			in_cert = strcmp(br_pem_decoder_name(&pc), "CERTIFICATE") == 0 ||
			          strcmp(br_pem_decoder_name(&pc), "X509 CERTIFICATE") == 0;
			der.n = 0;
			br_pem_decoder_setdest(&pc, in_cert ? grow_append : NULL, &der);
			break;
		case BR_PEM_END_OBJ:
			if (in_cert && !der.oom) {
				(void)add_anchor(a, der.p, der.n);
			}
			in_cert = false;
			break;
		case BR_PEM_ERROR:
			rc = pm_error_set(err, PM_E_MALFORMED, off, "trust anchors: %s: bad PEM",
			                  path);
			break;
		default:
			break;
		}
	}
	if (rc == 0 && a->n == 0) {
		rc =
		    pm_error_set(err, PM_E_MALFORMED, 0, "trust anchors: %s: no certificate", path);
	}
out_free:
	free(file.p);
	free(der.p);
	return rc;
}

/* The file to read: o->ca_file, SSL_CERT_FILE, or the first system bundle present. */
static const char *
anchor_path(const struct pm_https_opts *o)
{
	if (o->ca_file != NULL && o->ca_file[0] != '\0') {
		return o->ca_file;
	}
	const char *env = getenv("SSL_CERT_FILE");
	if (env != NULL && env[0] != '\0') {
		return env;
	}
	for (size_t i = 0; i < PM_ARRAY_LEN(system_bundles); i++) {
		if (access(system_bundles[i], R_OK) == 0) {
			return system_bundles[i];
		}
	}
	return system_bundles[0];
}

/* see https.h */
int
pm_https_count_anchors(const char *path, struct pm_error *err)
{
	struct anchors a = { 0 };
	int rc = load_anchors(path, &a, err);
	int n = rc == 0 ? (int)a.n : rc;
	anchors_free(&a);
	return n;
}

/*
 * URLs.
 */

/* see https.h */
int
pm_https_split_url(const char *url, char host[256], unsigned *port, char path[PM_HTTPS_MAX_URL])
{
	if (strncmp(url, "https://", 8) != 0) {
		return PM_E_UNSUPPORTED;
	}
	const char *h = url + 8;
	size_t hlen = strcspn(h, ":/?#");
	if (hlen == 0 || hlen >= 256 || memchr(h, '@', hlen) != NULL) {
		return PM_E_MALFORMED;
	}
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	const char *rest = h + hlen;
	*port = 443;
	if (*rest == ':') {
		char *end;
		unsigned long p = strtoul(rest + 1, &end, 10);
		if (end == rest + 1 || p == 0 || p > 65535) {
			return PM_E_MALFORMED;
		}
		*port = (unsigned)p;
		rest = end;
	}
	size_t plen = strcspn(rest, "#");
	if (*rest != '/' && *rest != '?' && *rest != '\0' && *rest != '#') {
		return PM_E_MALFORMED;
	}
	if (plen + 2 > PM_HTTPS_MAX_URL || strpbrk(rest, " \r\n\t") != NULL) {
		return PM_E_MALFORMED;
	}
	snprintf(path, PM_HTTPS_MAX_URL, "%s%.*s", *rest == '/' ? "" : "/", (int)plen, rest);
	return 0;
}

/*
 * Sockets with a deadline.
 */

struct conn {
	int fd;
	int64_t deadline; /* CLOCK_MONOTONIC ms */
	bool timed_out;
	bool eof;
};

/* Wait for events on the socket until the deadline; false on timeout or error. */
static bool
wait_fd(struct conn *c, short events)
{
	for (;;) {
		int64_t left = c->deadline - pm_monotonic_ms();
		if (left <= 0) {
			c->timed_out = true;
			return false;
		}
		struct pollfd p = { .fd = c->fd, .events = events };
		int r = poll(&p, 1, left > 60000 ? 60000 : (int)left);
		if (r > 0) {
			return true;
		}
		if (r < 0 && errno != EINTR) {
			return false;
		}
	}
}

static int
sock_read(void *ctx, unsigned char *buf, size_t len)
{
	struct conn *c = ctx;
	for (;;) {
		ssize_t r = read(c->fd, buf, len);
		if (r > 0) {
			return (int)r;
		}
		if (r == 0) {
			c->eof = true;
			return -1;
		}
		if ((errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) ||
		    !wait_fd(c, POLLIN)) {
			return -1;
		}
	}
}

static int
sock_write(void *ctx, const unsigned char *buf, size_t len)
{
	struct conn *c = ctx;
	for (;;) {
		ssize_t r = send(c->fd, buf, len, MSG_NOSIGNAL);
		if (r >= 0) {
			return (int)r;
		}
		if ((errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) ||
		    !wait_fd(c, POLLOUT)) {
			return -1;
		}
	}
}

/*
 * Connect to host:port, each address in turn (each passed to o->dial_check
 * first, when set), within connect_ms and the total deadline.
 */
static int
dial(struct conn *c, const struct pm_https_opts *o, const char *host, unsigned port, int connect_ms,
     struct pm_error *err)
{
	struct addrinfo *res;
	char serv[8];
	snprintf(serv, sizeof(serv), "%u", port);
	int64_t total = c->deadline;
	int64_t by =
	    pm_monotonic_ms() + connect_ms < total ? pm_monotonic_ms() + connect_ms : total;
	if (pm_resolve(host, serv, by, &res, err) != 0) {
		return PM_E_IO; /* the resolver's words, or "timed out" */
	}
	int rc = pm_error_set(err, PM_E_IO, 0, "connect %s:%u: no address", host, port);
	for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
		if (o != NULL && o->dial_check != NULL &&
		    (rc = o->dial_check(o->dial_opaque, host, ai->ai_addr, err)) != 0) {
			continue;
		}
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			continue;
		}
		c->fd = fd;
		c->deadline =
		    pm_monotonic_ms() + connect_ms < total ? pm_monotonic_ms() + connect_ms : total;
		int soerr = 0;
		socklen_t sl = sizeof(soerr);
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
			soerr = errno;
		} else if (!wait_fd(c, POLLOUT)) {
			soerr = ETIMEDOUT;
		} else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0) {
			soerr = errno;
		}
		c->deadline = total;
		c->timed_out = false;
		if (soerr == 0) {
			rc = 0;
			break;
		}
		rc = pm_error_set(err, PM_E_IO, 0, "connect %s:%u: %s", host, port,
		                  soerr == ETIMEDOUT ? "timed out" : strerror(soerr));
		close(fd);
		c->fd = -1;
	}
	freeaddrinfo(res);
	return rc;
}

/* Write all n bytes in the clear (the CONNECT request). */
static bool
write_all(struct conn *c, const char *p, size_t n)
{
	while (n > 0) {
		int w = sock_write(c, (const unsigned char *)p, n);
		if (w <= 0) {
			return false;
		}
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* HTTP CONNECT through the proxy "http://host:port" to host:port. */
static int
via_proxy(struct conn *c, const char *proxy, const char *host, unsigned port, int connect_ms,
          struct pm_error *err)
{
	char phost[256];
	const char *p = strncmp(proxy, "http://", 7) == 0 ? proxy + 7 : proxy;
	size_t hl = strcspn(p, ":/");
	unsigned long pport = p[hl] == ':' ? strtoul(p + hl + 1, NULL, 10) : 80;
	if (hl == 0 || hl >= sizeof(phost) || pport == 0 || pport > 65535) {
		return pm_error_set(err, PM_E_MALFORMED, 0, "HTTPS_PROXY is not http://host:port");
	}
	memcpy(phost, p, hl);
	phost[hl] = '\0';
	int rc = dial(c, NULL, phost, (unsigned)pport, connect_ms, err);
	if (rc != 0) {
		return rc;
	}
	char req[600];
	int n = snprintf(req, sizeof(req), "CONNECT %s:%u HTTP/1.1\r\nHost: %s:%u\r\n\r\n", host,
	                 port, host, port);
	if (!write_all(c, req, (size_t)n)) {
		return pm_error_set(err, PM_E_IO, 0, "proxy %s: %s", phost,
		                    c->timed_out ? "timed out" : "write failed");
	}
	/* Read the proxy's head byte by byte, so no tunnelled byte is taken. */
	uint8_t head[4096];
	size_t len = 0;
	while (len < sizeof(head) && !(len >= 4 && memcmp(head + len - 4, "\r\n\r\n", 4) == 0)) {
		if (sock_read(c, head + len, 1) != 1) {
			return pm_error_set(err, PM_E_IO, 0, "proxy %s: %s", phost,
			                    c->timed_out ? "timed out" : "closed");
		}
		len++;
	}
	struct pm_http_resp r;
	uint8_t nobody[1];
	if (pm_http_parse_response(head, len, false, true, nobody, 0, &r) != 0 || r.status != 200) {
		return pm_error_set(err, PM_E_IO, 0, "proxy %s: CONNECT refused (status %d)", phost,
		                    r.status);
	}
	return 0;
}

/*
 * TLS and one request.
 */

struct tls {
	br_ssl_client_context sc;
	br_x509_minimal_context xc;
	br_sslio_context io;
	unsigned char buf[BR_SSL_BUFSIZE_BIDI];
};

static const char *
tls_reason(int e)
{
	switch (e) {
	case BR_ERR_X509_NOT_TRUSTED:
		return "certificate not trusted (unknown CA)";
	case BR_ERR_X509_EXPIRED:
		return "certificate expired or not yet valid";
	case BR_ERR_X509_BAD_SERVER_NAME:
		return "certificate does not match the host name";
	case BR_ERR_X509_NOT_CA:
	case BR_ERR_X509_FORBIDDEN_KEY_USAGE:
	case BR_ERR_X509_WEAK_PUBLIC_KEY:
		return "certificate chain refused";
	case BR_ERR_BAD_VERSION:
	case BR_ERR_BAD_CIPHER_SUITE:
		return "no common TLS version or cipher (TLS 1.2 needed)";
	default:
		return NULL;
	}
}

static int
tls_fail(const struct tls *t, const struct conn *c, const char *host, unsigned port,
         struct pm_error *err)
{
	int e = br_ssl_engine_last_error(&t->sc.eng);
	const char *why = tls_reason(e);
	if (c->timed_out) {
		return pm_error_set(err, PM_E_IO, 0, "timeout: %s:%u did not answer in time", host,
		                    port);
	}
	if (why != NULL) {
		return pm_error_set(err, PM_E_TLS, 0, "TLS %s:%u: %s", host, port, why);
	}
	return pm_error_set(err, PM_E_TLS, 0, "TLS %s:%u: failed (BearSSL error %d)", host, port,
	                    e);
}

/* The request's bytes, or 0 when they do not fit. */
static size_t
build_request(char *out, size_t cap, const struct pm_https_req *req, const char *host,
              unsigned port, const char *path)
{
	size_t n = 0;
	int k = snprintf(out, cap, "%s %s HTTP/1.1\r\nHost: %s", req->method, path, host);
	n = k > 0 ? (size_t)k : cap;
	if (port != 443 && n < cap) {
		k = snprintf(out + n, cap - n, ":%u", port);
		n += k > 0 ? (size_t)k : cap;
	}
	if (n < cap) {
		k = snprintf(out + n, cap - n,
		             "\r\nUser-Agent: pcapmcp/" PM_VERSION "\r\nAccept: application/json, "
		             "*/*\r\nConnection: close\r\n");
		n += k > 0 ? (size_t)k : cap;
	}
	for (size_t i = 0; req->headers != NULL && req->headers[i] != NULL && n < cap; i++) {
		if (strpbrk(req->headers[i], "\r\n") != NULL) {
			return 0;
		}
		k = snprintf(out + n, cap - n, "%s\r\n", req->headers[i]);
		n += k > 0 ? (size_t)k : cap;
	}
	if (req->body != NULL && n < cap) {
		k = snprintf(out + n, cap - n, "Content-Length: %zu\r\n", req->body_len);
		n += k > 0 ? (size_t)k : cap;
	}
	if (n < cap) {
		k = snprintf(out + n, cap - n, "\r\n");
		n += k > 0 ? (size_t)k : cap;
	}
	return n < cap ? n : 0;
}

struct exchange {
	const struct pm_https_opts *o;
	const struct anchors *ta;
	int64_t deadline;
	size_t max_body;
	uint8_t *raw; /* received bytes; max_body + RAW_SLACK */
	size_t raw_cap;
	uint64_t stream_cap; /* sink: bytes of body accepted */
	uint64_t streamed;   /* sink: bytes handed over */
};

/* The sink of a streamed body, with the bytes it took counted against the cap. */
struct counted {
	struct exchange *x;
	uint64_t total;
	bool over; /* the body passed the cap */
};

static int
counted_sink(void *opaque, const uint8_t *p, size_t n)
{
	struct counted *k = opaque;
	if (k->total + n > k->x->stream_cap) {
		k->over = true;
		return PM_E_LIMIT;
	}
	if (k->x->o->sink(k->x->o->sink_opaque, p, n) != 0) {
		return PM_E_IO;
	}
	k->total += n;
	k->x->streamed = k->total;
	return 0;
}

/* A chunked 2xx body, decoded as it arrives (pm_dechunk_feed) and handed to the sink. */
static int
stream_chunked(struct exchange *x, struct tls *t, struct conn *c, size_t off, size_t n, bool eof,
               const char *host, unsigned port, struct pm_error *err)
{
	struct pm_dechunk dc = { 0 };
	struct counted k = { x, 0, false };
	for (;;) {
		int rc = pm_dechunk_feed(&dc, x->raw + off, n, counted_sink, &k);
		if (rc == 1) {
			return 0;
		}
		if (k.over) {
			return pm_error_set(err, PM_E_LIMIT, 0, "%s:%u: response over %llu bytes",
			                    host, port, (unsigned long long)x->stream_cap);
		}
		if (rc == PM_E_IO) {
			return pm_error_set(err, PM_E_IO, 0, "%s:%u: storing the body failed", host,
			                    port);
		}
		if (rc != 0) {
			return pm_error_set(err, PM_E_MALFORMED, 0, "HTTP %s:%u: bad chunked body",
			                    host, port);
		}
		if (eof) {
			return pm_error_set(err, PM_E_TRUNC, 0, "HTTP %s:%u: truncated response",
			                    host, port);
		}
		int got = br_sslio_read(&t->io, x->raw, x->raw_cap);
		eof = got < 0 && (c->eof || br_ssl_engine_last_error(&t->sc.eng) == BR_ERR_OK);
		if (got < 0 && !eof) {
			return tls_fail(t, c, host, port, err);
		}
		off = 0;
		n = got > 0 ? (size_t)got : 0;
	}
}

/*
 * The body of the 2xx response r, whose head and first bytes are the got
 * bytes at x->raw, handed to the sink: up to Content-Length, or to the close.
 */
static int
stream_body(struct exchange *x, struct tls *t, struct conn *c, const struct pm_http_resp *r,
            size_t got, bool eof, const char *host, unsigned port, struct pm_error *err)
{
	uint64_t want = r->has_length ? r->length : UINT64_MAX, total = 0;
	size_t off = r->head_len, n = got - r->head_len;
	if (r->chunked) {
		return stream_chunked(x, t, c, off, n, eof, host, port, err);
	}
	for (;;) {
		n = n > want - total ? (size_t)(want - total) : n;
		if (total + n > x->stream_cap || (r->has_length && want > x->stream_cap)) {
			return pm_error_set(err, PM_E_LIMIT, 0, "%s:%u: response over %llu bytes",
			                    host, port, (unsigned long long)x->stream_cap);
		}
		if (n > 0 && x->o->sink(x->o->sink_opaque, x->raw + off, n) != 0) {
			return pm_error_set(err, PM_E_IO, 0, "%s:%u: storing the body failed", host,
			                    port);
		}
		total += n;
		x->streamed = total;
		if (total == want || eof) {
			break;
		}
		int k = br_sslio_read(&t->io, x->raw, x->raw_cap);
		eof = k < 0 && (c->eof || br_ssl_engine_last_error(&t->sc.eng) == BR_ERR_OK);
		if (k < 0 && !eof) {
			return tls_fail(t, c, host, port, err);
		}
		off = 0;
		n = k > 0 ? (size_t)k : 0;
	}
	if (r->has_length && total < want) {
		return pm_error_set(err, PM_E_TRUNC, 0, "HTTP %s:%u: truncated response", host,
		                    port);
	}
	return 0;
}

/* One request to url; the parsed response in *r, the body in out. */
static int
exchange_one(struct exchange *x, const struct pm_https_req *req, const char *url, uint8_t *body,
             struct pm_http_resp *r, struct pm_error *err)
{
	char host[256], path[PM_HTTPS_MAX_URL];
	unsigned port;
	int rc = pm_https_split_url(url, host, &port, path);
	if (rc != 0) {
		return pm_error_set(err, rc, 0, "URL is not https://host[:port]/path");
	}
	struct conn c = { .fd = -1, .deadline = x->deadline };
	int cms = x->o->connect_timeout_ms > 0 ? x->o->connect_timeout_ms : DEFAULT_CONNECT_MS;
	const char *proxy = x->o->proxy;
	if (x->o->dial_check != NULL) {
		proxy = NULL;
	} else if (proxy == NULL && !x->o->no_proxy) {
		proxy =
		    getenv("HTTPS_PROXY") != NULL ? getenv("HTTPS_PROXY") : getenv("https_proxy");
	}
	rc = proxy != NULL && proxy[0] != '\0' ? via_proxy(&c, proxy, host, port, cms, err)
	                                       : dial(&c, x->o, host, port, cms, err);
	struct tls *t = rc == 0 ? calloc(1, sizeof(*t)) : NULL;
	if (rc == 0 && t == NULL) {
		rc = pm_error_set(err, PM_E_NOMEM, 0, "out of memory");
	}
	if (rc != 0) {
		goto out_close;
	}
	br_ssl_client_init_full(&t->sc, &t->xc, x->ta->v, x->ta->n);
	br_ssl_engine_set_versions(&t->sc.eng, BR_TLS12, BR_TLS12);
	br_ssl_engine_set_buffer(&t->sc.eng, t->buf, sizeof(t->buf), 1);
	br_ssl_client_reset(&t->sc, host, 0);
	br_sslio_init(&t->io, &t->sc.eng, sock_read, &c, sock_write, &c);
	char head[8192];
	size_t hn = build_request(head, sizeof(head), req, host, port, path);
	if (hn == 0) {
		rc = pm_error_set(err, PM_E_LIMIT, 0, "request headers too long or malformed");
		goto out_tls;
	}
	if (br_sslio_write_all(&t->io, head, hn) != 0 ||
	    (req->body != NULL && br_sslio_write_all(&t->io, req->body, req->body_len) != 0) ||
	    br_sslio_flush(&t->io) != 0) {
		rc = tls_fail(t, &c, host, port, err);
		goto out_tls;
	}
	size_t got = 0;
	bool no_body = strcmp(req->method, "HEAD") == 0;
	for (;;) {
		int n =
		    got < x->raw_cap ? br_sslio_read(&t->io, x->raw + got, x->raw_cap - got) : 0;
		bool eof = n < 0 && (c.eof || br_ssl_engine_last_error(&t->sc.eng) == BR_ERR_OK);
		if (n < 0 && !eof) {
			rc = tls_fail(t, &c, host, port, err);
			break;
		}
		got += n > 0 ? (size_t)n : 0;
		if (x->o->sink != NULL && !no_body) {
			int hr = pm_http_parse_response(x->raw, got, false, true, body, 0, r);
			if (hr == 0 && r->status >= 200 && r->status < 300 && r->status != 204) {
				rc = stream_body(x, t, &c, r, got, eof, host, port, err);
				break;
			}
			if (hr == PM_E_TRUNC && !eof && got < x->raw_cap) {
				continue;
			}
		}
		rc = pm_http_parse_response(x->raw, got, eof || got == x->raw_cap, no_body, body,
		                            x->max_body, r);
		if (rc == PM_E_TRUNC && !eof && got < x->raw_cap) {
			continue;
		}
		if (rc == PM_E_LIMIT || (rc == PM_E_TRUNC && got == x->raw_cap)) {
			rc = pm_error_set(err, PM_E_LIMIT, 0, "%s:%u: response over %zu bytes",
			                  host, port, x->max_body);
		} else if (rc != 0) {
			rc = pm_error_set(err, rc, 0, "HTTP %s:%u: %s response", host, port,
			                  rc == PM_E_TRUNC ? "truncated" : "malformed");
		}
		break;
	}
out_tls:
	free(t);
out_close:
	if (c.fd >= 0) {
		close(c.fd);
	}
	return rc;
}

/* A redirect target against the current URL: absolute https, or a path on the same origin. */
static int
resolve_location(const char *cur, const char *loc, char *out, size_t cap, struct pm_error *err)
{
	if (strncmp(loc, "https://", 8) == 0) {
		snprintf(out, cap, "%s", loc);
		return 0;
	}
	if (loc[0] == '/' && loc[1] != '/') {
		const char *h = cur + 8;
		size_t origin = 8 + strcspn(h, "/?#");
		if ((size_t)snprintf(out, cap, "%.*s%s", (int)origin, cur, loc) >= cap) {
			return pm_error_set(err, PM_E_LIMIT, 0, "redirect target too long");
		}
		return 0;
	}
	return pm_error_set(err, PM_E_UNSUPPORTED, 0, "redirect to a non-https location refused");
}

/* see https.h */
int
pm_https_fetch(const struct pm_https_opts *o, const struct pm_https_req *req,
               struct pm_https_resp *out, struct pm_error *err)
{
	struct anchors ta = { 0 };
	struct exchange x = { .o = o, .ta = &ta };
	memset(out, 0, sizeof(*out));
	out->retry_after = -1;
	x.max_body = o->max_body > 0 ? o->max_body : DEFAULT_MAX_BODY;
	x.stream_cap = o->max_stream > 0 ? o->max_stream : x.max_body;
	if (o->sink != NULL) {
		x.max_body = 65536; /* what a redirect or an error page may carry */
	}
	x.deadline =
	    pm_monotonic_ms() + (o->total_timeout_ms > 0 ? o->total_timeout_ms : DEFAULT_TOTAL_MS);
	x.raw_cap = x.max_body + RAW_SLACK;
	int max_redir = o->max_redirects < 0    ? -1
	                : o->max_redirects == 0 ? PM_HTTPS_MAX_REDIRECTS
	                                        : o->max_redirects;
	char url[PM_HTTPS_MAX_URL];
	struct pm_http_resp *r = calloc(1, sizeof(*r));
	x.raw = malloc(x.raw_cap);
	out->body = malloc(x.max_body + 1);
	int rc = r != NULL && x.raw != NULL && out->body != NULL ? 0 : PM_E_NOMEM;
	if (rc != 0) {
		pm_error_set(err, rc, 0, "out of memory");
		goto out_free;
	}
	if ((rc = load_anchors(anchor_path(o), &ta, err)) != 0) {
		goto out_free;
	}
	snprintf(url, sizeof(url), "%s", req->url);
	for (;;) {
		if ((rc = exchange_one(&x, req, url, out->body, r, err)) != 0) {
			break;
		}
		bool redirect = (r->status == 301 || r->status == 302 || r->status == 303 ||
		                 r->status == 307 || r->status == 308) &&
		                r->location[0] != '\0';
		if (!redirect || max_redir < 0) {
			break;
		}
		if (out->redirects == max_redir) {
			rc = pm_error_set(err, PM_E_LIMIT, 0, "more than %d redirects", max_redir);
			break;
		}
		char next[PM_HTTPS_MAX_URL];
		if ((rc = resolve_location(url, r->location, next, sizeof(next), err)) != 0) {
			break;
		}
		snprintf(url, sizeof(url), "%s", next);
		out->redirects++;
	}
	if (rc == 0) {
		out->status = r->status;
		out->body_len = r->body_len;
		out->body[r->body_len] = '\0';
		out->retry_after = r->retry_after;
		snprintf(out->content_type, sizeof(out->content_type), "%s", r->content_type);
		snprintf(out->etag, sizeof(out->etag), "%s", r->etag);
		snprintf(out->last_modified, sizeof(out->last_modified), "%s", r->last_modified);
		out->streamed = x.streamed;
	}
out_free:
	anchors_free(&ta);
	free(x.raw);
	free(r);
	if (rc != 0) {
		free(out->body);
		out->body = NULL;
	}
	return rc;
}

/* see https.h */
void
pm_https_resp_free(struct pm_https_resp *r)
{
	free(r->body);
	memset(r, 0, sizeof(*r));
}

#ifdef PM_STATIC
/*
 * Debian's libbearssl.a was built with glibc's _FORTIFY_SOURCE; musl has no
 * checked variants, so the static build forwards them to the plain
 * functions (DESIGN.md, dependency notes).
 */
void *__memcpy_chk(void *d, const void *s, size_t n, size_t dn);
void *__memmove_chk(void *d, const void *s, size_t n, size_t dn);
void *__memset_chk(void *d, int c, size_t n, size_t dn);

void *
__memcpy_chk(void *d, const void *s, size_t n, size_t dn)
{
	(void)dn;
	return memcpy(d, s, n);
}

void *
__memmove_chk(void *d, const void *s, size_t n, size_t dn)
{
	(void)dn;
	return memmove(d, s, n);
}

void *
__memset_chk(void *d, int c, size_t n, size_t dn)
{
	(void)dn;
	return memset(d, c, n);
}
#endif

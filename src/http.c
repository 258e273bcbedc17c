/* SPDX-License-Identifier: MIT */
/*
 * http.c - HTTP/1.x head parser (RFC 9112 §2-§6) and the HTTP analyser:
 * per flow and direction, reassembled bytes into heads and delimited
 * bodies (Content-Length, chunked per RFC 9112 §7.1, or close), requests
 * queued until their responses arrive in order (pipelining, keep-alive).
 *
 *   request-line = method SP request-target SP HTTP-version CRLF
 *   status-line  = HTTP-version SP status-code SP [ reason-phrase ] CRLF
 *   field-line   = field-name ":" OWS field-value OWS CRLF
 *
 * Bare LF line ends are accepted (RFC 9112 §2.2). Obsolete line folding is
 * not joined: a folded line is a field without a colon, which is skipped.
 */
#include "http.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/*
 * The lines of a head: [0, end) split at each '\n'. head_end already found
 * the first HEAD_LINES line ends, so those are not searched for again.
 */
#define HEAD_LINES 48

struct lines {
	const uint8_t *p;
	size_t end, off;
	uint32_t nl[HEAD_LINES]; /* offsets of the first k '\n' */
	size_t k, j;             /* line ends known, and used */
};

/* The next line (without its CR LF) in *line; false at the end. */
static bool
next_line(struct lines *ls, struct pm_http_view *line)
{
	if (ls->off >= ls->end) {
		return false;
	}
	const uint8_t *p = ls->p + ls->off;
	size_t left = ls->end - ls->off, n;
	if (ls->j < ls->k) {
		n = ls->nl[ls->j++] - ls->off;
	} else {
		const uint8_t *nl = memchr(p, '\n', left);
		n = nl != NULL ? (size_t)(nl - p) : left;
	}
	ls->off += n < left ? n + 1 : n;
	line->p = p;
	line->n = n > 0 && p[n - 1] == '\r' ? n - 1 : n;
	return true;
}

/* ASCII lower case (C locale, no table lookup). */
static inline uint8_t
lower(uint8_t ch)
{
	return ch >= 'A' && ch <= 'Z' ? (uint8_t)(ch | 0x20) : ch;
}

/* v equals the n lower-case bytes at s, ignoring case. */
static bool
ieq_n(struct pm_http_view v, const char *s, size_t n)
{
	if (v.n != n) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (lower(v.p[i]) != (uint8_t)s[i]) {
			return false;
		}
	}
	return true;
}

static bool
ieq(struct pm_http_view v, const char *s)
{
	return ieq_n(v, s, strlen(s));
}

static struct pm_http_view
trim(const uint8_t *p, size_t n)
{
	while (n > 0 && (p[0] == ' ' || p[0] == '\t')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t')) {
		n--;
	}
	struct pm_http_view v = { p, n };
	return v;
}

/* "HTTP/1.x" at p: the minor digit, or -1. */
static int
version_at(const uint8_t *p, size_t n)
{
	if (n != 8 || memcmp(p, "HTTP/1.", 7) != 0 || p[7] < '0' || p[7] > '9') {
		return -1;
	}
	return p[7] - '0';
}

static bool
start_line(struct pm_http_view l, bool response, struct pm_http_head *h)
{
	const uint8_t *sp1 = memchr(l.p, ' ', l.n);
	if (sp1 == NULL) {
		return false;
	}
	size_t a = (size_t)(sp1 - l.p);
	if (response) {
		int v = version_at(l.p, a);
		if (v < 0 || l.n < a + 4 || !isdigit(l.p[a + 1]) || !isdigit(l.p[a + 2]) ||
		    !isdigit(l.p[a + 3]) || (l.n > a + 4 && l.p[a + 4] != ' ')) {
			return false;
		}
		h->version_minor = (uint8_t)v;
		h->status = (uint16_t)((l.p[a + 1] - '0') * 100 + (l.p[a + 2] - '0') * 10 +
		                       (l.p[a + 3] - '0'));
		if (l.n > a + 4) {
			h->reason = trim(l.p + a + 5, l.n - a - 5);
		}
		return true;
	}
	if (a == 0 || a > 15) {
		return false;
	}
	for (size_t i = 0; i < a; i++) {
		if (!isupper(l.p[i]) && l.p[i] != '-' && l.p[i] != '_') {
			return false;
		}
	}
	const uint8_t *sp2 = memchr(sp1 + 1, ' ', l.n - a - 1);
	if (sp2 == NULL || sp2 == sp1 + 1) {
		return false;
	}
	size_t b = (size_t)(sp2 - l.p);
	int v = version_at(sp2 + 1, l.n - b - 1);
	if (v < 0) {
		return false;
	}
	h->method.p = l.p;
	h->method.n = a;
	h->uri.p = sp1 + 1;
	h->uri.n = b - a - 1;
	h->version_minor = (uint8_t)v;
	return true;
}

static int64_t
parse_length(struct pm_http_view v)
{
	if (v.n == 0 || v.n > 18) {
		return -1;
	}
	int64_t n = 0;
	for (size_t i = 0; i < v.n; i++) {
		if (!isdigit(v.p[i])) {
			return -1;
		}
		n = n * 10 + (v.p[i] - '0');
	}
	return n;
}

/* Whether the last comma-separated element of v is token (case-insensitive). */
static bool
ends_with_token(struct pm_http_view v, const char *token)
{
	size_t i = v.n;
	while (i > 0 && v.p[i - 1] != ',') {
		i--;
	}
	return ieq(trim(v.p + i, v.n - i), token);
}

enum field_id {
	F_NONE,
	F_HOST,
	F_USER_AGENT,
	F_CONTENT_TYPE,
	F_CONTENT_LENGTH,
	F_REFERER,
	F_COOKIE,
	F_AUTHORIZATION,
	F_SERVER,
	F_LOCATION,
	F_UPGRADE,
	F_TRANSFER_ENCODING,
	F_CONNECTION,
};

/* The fields a head keeps, by name (lower case) and its length, tested first. */
static const struct {
	const char *name;
	uint8_t len;
	uint8_t id; /* enum field_id */
} fields[] = {
	{ "host", 4, F_HOST },
	{ "user-agent", 10, F_USER_AGENT },
	{ "content-type", 12, F_CONTENT_TYPE },
	{ "content-length", 14, F_CONTENT_LENGTH },
	{ "referer", 7, F_REFERER },
	{ "cookie", 6, F_COOKIE },
	{ "authorization", 13, F_AUTHORIZATION },
	{ "server", 6, F_SERVER },
	{ "location", 8, F_LOCATION },
	{ "upgrade", 7, F_UPGRADE },
	{ "transfer-encoding", 17, F_TRANSFER_ENCODING },
	{ "connection", 10, F_CONNECTION },
};

static enum field_id
field_id(struct pm_http_view name)
{
	for (size_t i = 0; i < PM_ARRAY_LEN(fields); i++) {
		if (fields[i].len == name.n && lower(name.p[0]) == (uint8_t)fields[i].name[0] &&
		    ieq_n(name, fields[i].name, fields[i].len)) {
			return (enum field_id)fields[i].id;
		}
	}
	return F_NONE;
}

static void
field(struct pm_http_view name, struct pm_http_view value, struct pm_http_head *h)
{
	switch (field_id(name)) {
	case F_HOST:
		h->host = value;
		break;
	case F_USER_AGENT:
		h->user_agent = value;
		break;
	case F_CONTENT_TYPE:
		h->content_type = value;
		break;
	case F_CONTENT_LENGTH:
		h->content_length = parse_length(value);
		break;
	case F_REFERER:
		h->referer = value;
		break;
	case F_COOKIE:
		h->cookie = true;
		break;
	case F_AUTHORIZATION: {
		const uint8_t *sp = memchr(value.p, ' ', value.n);
		h->auth_scheme.p = value.p;
		h->auth_scheme.n = sp != NULL ? (size_t)(sp - value.p) : value.n;
		h->basic_auth = ieq(h->auth_scheme, "basic");
		break;
	}
	case F_SERVER:
		h->server = value;
		break;
	case F_LOCATION:
		h->location = value;
		break;
	case F_UPGRADE:
		h->upgrade = value;
		break;
	case F_TRANSFER_ENCODING:
		h->transfer_encoding = value;
		h->chunked = ends_with_token(value, "chunked");
		break;
	case F_CONNECTION:
		h->close = ends_with_token(value, "close");
		break;
	case F_NONE:
		break;
	}
}

/*
 * Bytes up to and including the empty line ending the head, or 0 when not
 * within n. The line ends met on the way are kept in ls for the parse.
 */
static size_t
head_end(const uint8_t *p, size_t n, struct lines *ls)
{
	ls->k = 0;
	for (const uint8_t *q = n != 0 ? memchr(p, '\n', n) : NULL; q != NULL;
	     q = memchr(q + 1, '\n', n - (size_t)(q + 1 - p))) {
		size_t i = (size_t)(q - p);
		if (ls->k < HEAD_LINES) {
			ls->nl[ls->k++] = (uint32_t)i;
		}
		if (i >= 1 &&
		    (p[i - 1] == '\n' || (i >= 2 && p[i - 1] == '\r' && p[i - 2] == '\n'))) {
			return i + 1;
		}
	}
	return 0;
}

/* see http.h */
int
pm_http_parse_head(const uint8_t *p, size_t n, bool response, struct pm_http_head *out)
{
	memset(out, 0, sizeof(*out));
	out->content_length = -1;
	out->is_response = response;
	size_t lim = n < PM_HTTP_MAX_HEAD ? n : PM_HTTP_MAX_HEAD;
	struct lines ls;
	size_t end = head_end(p, lim, &ls);
	if (end == 0) {
		return n < PM_HTTP_MAX_HEAD ? PM_E_TRUNC : PM_E_MALFORMED;
	}
	out->head_len = end;
	ls.p = p;
	ls.end = end;
	ls.off = ls.j = 0;
	struct pm_http_view l;
	if (!next_line(&ls, &l) || !start_line(l, response, out)) {
		return PM_E_MALFORMED;
	}
	for (unsigned i = 0; i < PM_HTTP_MAX_FIELDS && next_line(&ls, &l) && l.n != 0; i++) {
		const uint8_t *colon = memchr(l.p, ':', l.n);
		if (colon == NULL || colon == l.p) {
			continue;
		}
		size_t k = (size_t)(colon - l.p);
		struct pm_http_view name = { l.p, k };
		field(name, trim(colon + 1, l.n - k - 1), out);
	}
	return 0;
}

/* see http.h */
const char *
pm_http_magic(const uint8_t *p, size_t n)
{
	static const struct {
		const char *magic;
		size_t n;
		const char *name;
	} m[] = {
		{ "MZ", 2, "pe" },
		{ "\x7f"
		  "ELF",
		  4, "elf" },
		{ "\xcf\xfa\xed\xfe", 4, "macho" },
		{ "\xca\xfe\xba\xbe", 4, "macho" },
		{ "%PDF", 4, "pdf" },
		{ "PK\x03\x04", 4, "zip" },
		{ "\x1f\x8b", 2, "gzip" },
		{ "\x89PNG", 4, "png" },
		{ "\xff\xd8\xff", 3, "jpeg" },
		{ "GIF8", 4, "gif" },
		{ "<!DOCTYPE", 9, "html" },
		{ "<!doctype", 9, "html" },
		{ "<html", 5, "html" },
		{ "<HTML", 5, "html" },
	};
	for (size_t i = 0; i < PM_ARRAY_LEN(m); i++) {
		if (n >= m[i].n && memcmp(p, m[i].magic, m[i].n) == 0) {
			return m[i].name;
		}
	}
	return NULL;
}

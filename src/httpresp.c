/* SPDX-License-Identifier: MIT */
/*
 * httpresp.c - HTTP/1.1 response parsing: status line, fields, body.
 */
#include "httpresp.h"

#include <string.h>

#include "cursor.h"

/* Bytes up to (not including) the next CRLF, or NULL when no CRLF is in the cursor yet. */
static const uint8_t *
read_line(struct pm_cur *c, size_t *len)
{
	const uint8_t *start = c->buf + c->off;
	size_t left = pm_cur_left(c);
	for (size_t i = 0; i + 1 < left; i++) {
		if (start[i] == '\r' && start[i + 1] == '\n') {
			*len = i;
			pm_cur_skip(c, i + 2);
			return start;
		}
	}
	return NULL;
}

static bool
name_is(const uint8_t *p, size_t n, const char *name)
{
	size_t k = strlen(name);
	if (n != k) {
		return false;
	}
	for (size_t i = 0; i < k; i++) {
		uint8_t ch = p[i];
		if (ch >= 'A' && ch <= 'Z') {
			ch = (uint8_t)(ch - 'A' + 'a');
		}
		if (ch != (uint8_t)name[i]) {
			return false;
		}
	}
	return true;
}

/* A decimal of at most 18 digits; false for anything else. */
static bool
parse_dec(const uint8_t *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	if (n == 0 || n > 18) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9') {
			return false;
		}
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	*out = v;
	return true;
}

static void
copy_field(char *dst, size_t cap, const uint8_t *v, size_t n)
{
	size_t k = n < cap - 1 ? n : cap - 1;
	memcpy(dst, v, k);
	dst[k] = '\0';
}

/* One "Name: value" line into *out; false when malformed. */
static int
parse_field(const uint8_t *line, size_t len, struct pm_http_resp *out)
{
	const uint8_t *colon = memchr(line, ':', len);
	if (colon == NULL || colon == line) {
		return PM_E_MALFORMED;
	}
	size_t nlen = (size_t)(colon - line), vlen = len - nlen - 1;
	const uint8_t *v = colon + 1;
	while (vlen > 0 && (v[0] == ' ' || v[0] == '\t')) {
		v++;
		vlen--;
	}
	while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t')) {
		vlen--;
	}
	for (size_t i = 0; i < vlen; i++) {
		if (v[i] == '\0' || v[i] == '\r' || v[i] == '\n') {
			return PM_E_MALFORMED;
		}
	}
	uint64_t num;
	if (name_is(line, nlen, "content-length")) {
		if (!parse_dec(v, vlen, &num) || (out->has_length && num != out->length)) {
			return PM_E_MALFORMED; /* RFC 9112 §6.3: an invalid or conflicting length */
		}
		out->has_length = true;
		out->length = num;
	} else if (name_is(line, nlen, "transfer-encoding")) {
		if (!name_is(v, vlen, "chunked")) {
			return PM_E_UNSUPPORTED; /* only chunked is read (no gzip, no lists) */
		}
		out->chunked = true;
	} else if (name_is(line, nlen, "location")) {
		if (vlen >= sizeof(out->location)) {
			return PM_E_LIMIT;
		}
		copy_field(out->location, sizeof(out->location), v, vlen);
	} else if (name_is(line, nlen, "retry-after")) {
		out->retry_after = parse_dec(v, vlen, &num) && num <= INT32_MAX ? (int64_t)num : -1;
	} else if (name_is(line, nlen, "content-type")) {
		copy_field(out->content_type, sizeof(out->content_type), v, vlen);
	} else if (name_is(line, nlen, "etag") && vlen < sizeof(out->etag)) {
		copy_field(out->etag, sizeof(out->etag), v, vlen);
	} else if (name_is(line, nlen, "last-modified") && vlen < sizeof(out->last_modified)) {
		copy_field(out->last_modified, sizeof(out->last_modified), v, vlen);
	}
	return 0;
}

/* "HTTP/1.x SSS reason" */
static int
parse_status(const uint8_t *line, size_t len, struct pm_http_resp *out)
{
	if (len < 12 || memcmp(line, "HTTP/1.", 7) != 0 || (line[7] != '0' && line[7] != '1') ||
	    line[8] != ' ' || (len > 12 && line[12] != ' ')) {
		return PM_E_MALFORMED;
	}
	uint64_t code;
	if (!parse_dec(line + 9, 3, &code) || code < 100 || code > 599) {
		return PM_E_MALFORMED;
	}
	out->status = (int)code;
	return 0;
}

static int
parse_head(struct pm_cur *c, struct pm_http_resp *out)
{
	size_t len;
	const uint8_t *line = read_line(c, &len);
	if (line == NULL) {
		return pm_cur_left(c) > PM_HTTP_MAX_HEAD ? PM_E_LIMIT : PM_E_TRUNC;
	}
	int rc = parse_status(line, len, out);
	for (size_t nf = 0; rc == 0; nf++) {
		if ((line = read_line(c, &len)) == NULL) {
			return c->len > PM_HTTP_MAX_HEAD ? PM_E_LIMIT : PM_E_TRUNC;
		}
		if (c->off > PM_HTTP_MAX_HEAD || nf >= PM_HTTP_MAX_FIELDS) {
			return PM_E_LIMIT;
		}
		if (len == 0) {
			break;
		}
		rc = parse_field(line, len, out);
	}
	return rc;
}

static int
put_body(const uint8_t *p, size_t n, uint8_t *body, size_t cap, struct pm_http_resp *out)
{
	if (n > cap - out->body_len) {
		return PM_E_LIMIT;
	}
	memcpy(body + out->body_len, p, n);
	out->body_len += n;
	return 0;
}

/* Chunk size line "HEX[;ext]". */
static int
chunk_size(const uint8_t *line, size_t len, uint64_t *size)
{
	uint64_t v = 0;
	size_t i = 0;
	for (; i < len && i < 16; i++) {
		uint8_t ch = line[i];
		unsigned d = ch >= '0' && ch <= '9'   ? (unsigned)(ch - '0')
		             : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
		             : ch >= 'A' && ch <= 'F' ? (unsigned)(ch - 'A' + 10)
		                                      : 16u;
		if (d == 16) {
			break;
		}
		v = v << 4 | d;
	}
	if (i == 0 || (i < len && line[i] != ';' && line[i] != ' ' && line[i] != '\t')) {
		return PM_E_MALFORMED;
	}
	*size = v;
	return 0;
}

static int
parse_chunked(struct pm_cur *c, uint8_t *body, size_t cap, struct pm_http_resp *out)
{
	for (uint32_t k = 0; k < PM_HTTP_MAX_CHUNKS; k++) {
		size_t len;
		uint64_t size;
		const uint8_t *line = read_line(c, &len);
		if (line == NULL) {
			return pm_cur_left(c) > 1024 ? PM_E_MALFORMED : PM_E_TRUNC;
		}
		int rc = chunk_size(line, len, &size);
		if (rc != 0) {
			return rc;
		}
		if (size == 0) {
			/* Trailer fields are skipped, up to the empty line. */
			for (size_t t = 0; t < PM_HTTP_MAX_FIELDS; t++) {
				if ((line = read_line(c, &len)) == NULL) {
					return PM_E_TRUNC;
				}
				if (len == 0) {
					return 0;
				}
			}
			return PM_E_LIMIT;
		}
		if (size > cap - out->body_len) {
			return PM_E_LIMIT;
		}
		const uint8_t *data = pm_cur_bytes(c, (size_t)size);
		const uint8_t *crlf = pm_cur_bytes(c, 2);
		if (data == NULL || crlf == NULL) {
			return PM_E_TRUNC;
		}
		if (crlf[0] != '\r' || crlf[1] != '\n') {
			return PM_E_MALFORMED;
		}
		if ((rc = put_body(data, (size_t)size, body, cap, out)) != 0) {
			return rc;
		}
	}
	return PM_E_LIMIT;
}

/* see httpresp.h */
int
pm_http_parse_response(const uint8_t *p, size_t n, bool eof, bool no_body, uint8_t *body,
                       size_t cap, struct pm_http_resp *out)
{
	struct pm_cur c = pm_cur_init(p, n);
	memset(out, 0, sizeof(*out));
	out->retry_after = -1;
	int rc = parse_head(&c, out);
	if (rc != 0) {
		return rc == PM_E_TRUNC && eof ? PM_E_MALFORMED : rc;
	}
	out->head_len = c.off;
	if (no_body || out->status < 200 || out->status == 204 || out->status == 304) {
		return 0;
	}
	if (out->chunked) {
		out->has_length = false; /* RFC 9112 §6.3: chunked overrides a length */
		return parse_chunked(&c, body, cap, out);
	}
	if (out->has_length) {
		if (out->length > cap) {
			return PM_E_LIMIT;
		}
		const uint8_t *data = pm_cur_bytes(&c, (size_t)out->length);
		if (data == NULL) {
			return PM_E_TRUNC;
		}
		return put_body(data, (size_t)out->length, body, cap, out);
	}
	/* Delimited by the close: everything so far, complete only at eof. */
	rc = put_body(c.buf + c.off, pm_cur_left(&c), body, cap, out);
	if (rc != 0) {
		return rc;
	}
	return eof ? 0 : PM_E_TRUNC;
}

enum dechunk_state {
	DC_SIZE = 0, /* a chunk-size line */
	DC_DATA,     /* left bytes of chunk data */
	DC_CR,       /* the CRLF after the data */
	DC_LF,
	DC_TRAILER, /* trailer lines, to the empty one */
	DC_DONE,
};

/* Append a byte to d's line; false when the line is too long. */
static bool
line_push(struct pm_dechunk *d, uint8_t b)
{
	if (d->line_len >= PM_DECHUNK_LINE_MAX) {
		return false;
	}
	d->line[d->line_len++] = b;
	return true;
}

/* A line ended at '\n': its bytes without the CR. */
static size_t
line_end(const struct pm_dechunk *d)
{
	size_t len = d->line_len;
	return len != 0 && d->line[len - 1] == '\r' ? len - 1 : len;
}

/* see httpresp.h */
int
pm_dechunk_feed(struct pm_dechunk *d, const uint8_t *p, size_t n,
                int (*sink)(void *opaque, const uint8_t *p, size_t n), void *opaque)
{
	struct pm_cur c = pm_cur_init(p, n);
	while (pm_cur_left(&c) != 0 && d->state != DC_DONE) {
		if (d->state == DC_DATA) {
			size_t k = pm_cur_left(&c) < d->left ? pm_cur_left(&c) : (size_t)d->left;
			int rc = sink(opaque, c.buf + c.off, k);
			if (rc != 0) {
				return rc;
			}
			pm_cur_skip(&c, k);
			d->left -= k;
			d->state = d->left == 0 ? DC_CR : DC_DATA;
			continue;
		}
		uint8_t b = pm_cur_u8(&c);
		switch (d->state) {
		case DC_CR:
			d->state = b == '\r' ? DC_LF : b == '\n' ? DC_SIZE : DC_DONE;
			if (d->state == DC_DONE) {
				return PM_E_MALFORMED;
			}
			break;
		case DC_LF:
			if (b != '\n') {
				return PM_E_MALFORMED;
			}
			d->state = DC_SIZE;
			break;
		case DC_SIZE:
		case DC_TRAILER:
			if (b != '\n') {
				if (!line_push(d, b)) {
					return PM_E_LIMIT;
				}
				break;
			}
			size_t len = line_end(d);
			d->line_len = 0;
			if (d->state == DC_TRAILER) {
				d->state = len == 0 ? DC_DONE : DC_TRAILER;
				break;
			}
			uint64_t size;
			if (chunk_size(d->line, len, &size) != 0) {
				return PM_E_MALFORMED;
			}
			if (++d->chunks > PM_HTTP_MAX_CHUNKS) {
				return PM_E_LIMIT;
			}
			d->left = size;
			d->state = size == 0 ? DC_TRAILER : DC_DATA;
			break;
		default:
			return PM_E_MALFORMED;
		}
	}
	return d->state == DC_DONE ? 1 : 0;
}

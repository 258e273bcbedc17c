/* SPDX-License-Identifier: MIT */
/*
 * httpresp.h - the bounded HTTP/1.1 response parser of the HTTPS client.
 *
 * Parses a status line, header fields (RFC 9112 §2-§5) and a body delimited
 * by Content-Length, chunked transfer coding (§7.1) or the close of the
 * connection (§6.3), from the bytes received so far. The body is copied
 * (chunked: decoded) into the caller's buffer, so the caller only keeps the
 * raw bytes until the response completes. Every read goes through the
 * cursor; the header section, the number of fields, chunk sizes and the
 * body are capped. Nothing here allocates or does I/O.
 */
#ifndef PM_HTTPRESP_H
#define PM_HTTPRESP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

#define PM_HTTP_MAX_HEAD   16384u /* bytes of status line and header fields */
#define PM_HTTP_MAX_FIELDS 100u   /* header fields */
#define PM_HTTP_MAX_CHUNKS 65536u /* chunks in one body */

struct pm_http_resp {
	int status;          /* 100..599 */
	size_t head_len;     /* bytes of the status line and fields, final CRLF included */
	bool chunked;        /* Transfer-Encoding: chunked */
	bool has_length;     /* Content-Length given */
	uint64_t length;     /* Content-Length */
	int64_t retry_after; /* Retry-After in seconds, -1 when absent or a date */
	char location[2048]; /* Location, "" when absent; truncated responses are refused */
	char content_type[128];
	char etag[128];         /* ETag, "" when absent or too long (RFC 9110 §8.8.3) */
	char last_modified[64]; /* Last-Modified, "" when absent or too long (§8.8.2) */
	size_t body_len;        /* body bytes written to the caller's buffer */
};

/*
 * Parse the n bytes at p, the response received so far; eof says the peer
 * closed the connection after them. On success the body (at most cap bytes)
 * is in body[0..out->body_len). Returns 0 when the response is complete,
 * PM_E_TRUNC when more bytes are needed (or, with eof, the body was cut
 * short), PM_E_LIMIT when the head or the body exceeds its cap, or
 * PM_E_MALFORMED. A 1xx, 204 or 304 response, or one to a HEAD request
 * (no_body), has no body.
 */
PM_MUST_CHECK int pm_http_parse_response(const uint8_t *p, size_t n, bool eof, bool no_body,
                                         uint8_t *body, size_t cap, struct pm_http_resp *out);

/*
 * A chunked body decoded as it arrives (RFC 9112 §7.1), for downloads that
 * are streamed to a file rather than held: feed it the body's bytes in any
 * pieces; the decoded data goes to sink. Zeroed is a decoder at the first
 * chunk-size line. Lines (sizes with extensions, trailer fields) are capped
 * at PM_DECHUNK_LINE_MAX bytes and chunks at PM_HTTP_MAX_CHUNKS.
 */
#define PM_DECHUNK_LINE_MAX 256

struct pm_dechunk {
	uint8_t state;     /* internal */
	uint16_t line_len; /* bytes of the current line so far */
	uint8_t line[PM_DECHUNK_LINE_MAX];
	uint64_t left;   /* data bytes left of the current chunk */
	uint32_t chunks; /* chunks seen */
};

/*
 * Decode the n bytes at p. Returns 0 (more may follow), 1 when the body
 * ended (the last chunk and its trailer; bytes after it are not used),
 * PM_E_MALFORMED or PM_E_LIMIT, or what a non-zero sink returned.
 */
int pm_dechunk_feed(struct pm_dechunk *d, const uint8_t *p, size_t n,
                    int (*sink)(void *opaque, const uint8_t *p, size_t n), void *opaque);

#endif /* PM_HTTPRESP_H */

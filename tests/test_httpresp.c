/* SPDX-License-Identifier: MIT */
/*
 * test_httpresp.c - the HTTP response parser: each body delimitation,
 * statuses without bodies, caps, malformed heads, and a truncation sweep
 * of every fixture against a guard page (every prefix is PM_E_TRUNC, or
 * complete only at the end).
 */
#include <string.h>

#include "guard.h"
#include "httpresp.h"
#include "test.h"

static const char *const fixtures[] = {
	"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: application/json\r\n\r\nhello",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	"5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n",
	"HTTP/1.1 302 Found\r\nLocation: https://example.org/next\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nContent-Length: 2\r\n\r\n{}",
	"HTTP/1.1 204 No Content\r\n\r\n",
	"HTTP/1.0 200 OK\r\nServer: x\r\n\r\nuntil the close",
};

static void
test_cases(void)
{
	static uint8_t body[256];
	struct pm_http_resp r;
	const char *f = fixtures[0];
	CHECK_EQ(pm_http_parse_response((const uint8_t *)f, strlen(f), false, false, body,
	                                sizeof(body), &r),
	         0);
	CHECK(r.status == 200 && r.body_len == 5 && memcmp(body, "hello", 5) == 0);
	CHECK_STR(r.content_type, "application/json");
	f = fixtures[1];
	CHECK_EQ(pm_http_parse_response((const uint8_t *)f, strlen(f), false, false, body,
	                                sizeof(body), &r),
	         0);
	CHECK(r.chunked && r.body_len == 12 && memcmp(body, "hello, world", 12) == 0);
	f = fixtures[2];
	CHECK_EQ(pm_http_parse_response((const uint8_t *)f, strlen(f), false, false, body,
	                                sizeof(body), &r),
	         0);
	CHECK(r.status == 302 && strcmp(r.location, "https://example.org/next") == 0);
	f = fixtures[3];
	CHECK_EQ(pm_http_parse_response((const uint8_t *)f, strlen(f), false, false, body,
	                                sizeof(body), &r),
	         0);
	CHECK(r.status == 429 && r.retry_after == 7);
	f = fixtures[5];
	CHECK_EQ(pm_http_parse_response((const uint8_t *)f, strlen(f), false, false, body,
	                                sizeof(body), &r),
	         PM_E_TRUNC);
	CHECK_EQ(pm_http_parse_response((const uint8_t *)f, strlen(f), true, false, body,
	                                sizeof(body), &r),
	         0);
	CHECK(r.body_len == 15 && memcmp(body, "until the close", 15) == 0);
	/* Caps: a body over cap, a chunk over cap, a close-delimited body over cap. */
	CHECK_EQ(pm_http_parse_response((const uint8_t *)fixtures[0], strlen(fixtures[0]), false,
	                                false, body, 4, &r),
	         PM_E_LIMIT);
	CHECK_EQ(pm_http_parse_response((const uint8_t *)fixtures[1], strlen(fixtures[1]), false,
	                                false, body, 8, &r),
	         PM_E_LIMIT);
	CHECK_EQ(pm_http_parse_response((const uint8_t *)f, strlen(f), true, false, body, 3, &r),
	         PM_E_LIMIT);
	static const char *const bad[] = {
		"HTTP/2 200 OK\r\n\r\n",
		"HTTP/1.1 20 OK\r\n\r\n",
		"HTTP/1.1 700 Odd\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
		"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
		"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = pm_http_parse_response((const uint8_t *)bad[i], strlen(bad[i]), true,
		                                false, body, sizeof(body), &r);
		CHECK(rc == PM_E_MALFORMED);
	}
	const char *gz = "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n";
	CHECK_EQ(pm_http_parse_response((const uint8_t *)gz, strlen(gz), false, false, body,
	                                sizeof(body), &r),
	         PM_E_UNSUPPORTED);
	/* A head that never ends is refused at the cap, not read forever. */
	static uint8_t big[PM_HTTP_MAX_HEAD + 64];
	memcpy(big, "HTTP/1.1 200 OK\r\nX: ", 20);
	memset(big + 20, 'a', sizeof(big) - 20);
	CHECK_EQ(pm_http_parse_response(big, sizeof(big), false, false, body, sizeof(body), &r),
	         PM_E_LIMIT);
}

static void
test_sweep(void)
{
	static uint8_t body[256];
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		size_t n = strlen(fixtures[i]);
		for (size_t k = 0; k < n; k++) {
			struct pm_http_resp r;
			const uint8_t *g = pm_guard(fixtures[i], k);
			int rc = pm_http_parse_response(g, k, false, false, body, sizeof(body), &r);
			/* 204 is complete once its head is; nothing else before its end. */
			CHECK(rc == PM_E_TRUNC || (rc == 0 && i == 4 && k == n));
		}
		struct pm_http_resp r;
		CHECK_EQ(pm_http_parse_response(pm_guard(fixtures[i], n), n, true, false, body,
		                                sizeof(body), &r),
		         0);
	}
}

void test_httpresp(void);

/* Decoded bytes, up to 64. */
struct got {
	uint8_t buf[64];
	size_t len;
};

static int
collect(void *opaque, const uint8_t *p, size_t n)
{
	struct got *g = opaque;
	size_t k = n < sizeof(g->buf) - g->len ? n : sizeof(g->buf) - g->len;
	memcpy(g->buf + g->len, p, k);
	g->len += k;
	return 0;
}

/*
 * The streaming chunked decoder (RFC 9112 §7.1): a body with an extension,
 * bare LF line ends and a trailer decodes to its data whatever the two
 * pieces it is fed in (every split point) and ends at the trailer's empty
 * line; a body cut before its end asks for more; a bad size, a missing CRLF
 * after the data and an over-long line are refused.
 */
static void
test_dechunk(void)
{
	static const char body[] = "5;name=value\r\nhello\r\n7\r\n, world\r\n1\n!\n"
	                           "0\r\nX-Trailer: yes\r\n\r\nAFTER";
	const uint8_t *p = (const uint8_t *)body;
	size_t n = sizeof(body) - 1, end = n - 5;
	for (size_t cut = 0; cut <= n; cut++) {
		struct pm_dechunk d = { 0 };
		struct got g = { .len = 0 };
		int a = pm_dechunk_feed(&d, p, cut, collect, &g);
		int b = a == 0 ? pm_dechunk_feed(&d, p + cut, n - cut, collect, &g) : a;
		CHECK_EQ(b, 1);
		CHECK(g.len == 13 && memcmp(g.buf, "hello, world!", 13) == 0);
		struct pm_dechunk t = { 0 };
		struct got h = { .len = 0 };
		CHECK_EQ(pm_dechunk_feed(&t, p, cut, collect, &h), cut < end ? 0 : 1);
	}
	static const char *const bad[] = { "zz\r\n", "5\r\nhelloX\r\n", "5\r\nhello\rX" };
	for (size_t i = 0; i < PM_ARRAY_LEN(bad); i++) {
		struct pm_dechunk d = { 0 };
		struct got g = { .len = 0 };
		CHECK_EQ(pm_dechunk_feed(&d, (const uint8_t *)bad[i], strlen(bad[i]), collect, &g),
		         PM_E_MALFORMED);
	}
	uint8_t longline[PM_DECHUNK_LINE_MAX + 8];
	memset(longline, '1', sizeof(longline));
	struct pm_dechunk d = { 0 };
	struct got g = { .len = 0 };
	CHECK_EQ(pm_dechunk_feed(&d, longline, sizeof(longline), collect, &g), PM_E_LIMIT);
}

void
test_httpresp(void)
{
	test_cases();
	test_sweep();
	test_dechunk();
}

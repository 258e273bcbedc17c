/* SPDX-License-Identifier: MIT */
/*
 * fuzz_httpresp.c - the HTTP response parser of the HTTPS client. The first
 * byte picks eof and no_body; the rest is the response. A complete response
 * must fit its buffers; the parse must not depend on anything but its input
 * (a second parse agrees). The same bytes go to the streaming chunked
 * decoder whole and in pieces of the first byte's size: both decode the
 * same data with the same result. Inputs are capped at 1 MiB.
 */
#include <string.h>

#include "fuzz.h"
#include "httpresp.h"

#define FUZZ_HTTP_MAX_INPUT (1u << 20)

/* Decoded bytes: a running checksum and count. */
struct acc {
	uint64_t n, sum;
};

static int
acc_sink(void *opaque, const uint8_t *p, size_t n)
{
	struct acc *a = opaque;
	for (size_t i = 0; i < n; i++) {
		a->sum = a->sum * 31 + p[i];
	}
	a->n += n;
	return 0;
}

/* Decode p[0..n) in pieces of step bytes; the decoder's result. */
static int
dechunk(const uint8_t *p, size_t n, size_t step, struct acc *a)
{
	struct pm_dechunk d;
	memset(&d, 0, sizeof(d));
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i += step) {
		rc = pm_dechunk_feed(&d, p + i, n - i < step ? n - i : step, acc_sink, a);
	}
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t body[4096], body2[4096];
	if (size < 1 || size > FUZZ_HTTP_MAX_INPUT) {
		return 0;
	}
	bool eof = data[0] & 1, no_body = data[0] & 2;
	struct pm_http_resp r, r2;
	int rc = pm_http_parse_response(data + 1, size - 1, eof, no_body, body, sizeof(body), &r);
	FUZZ_ASSERT(rc == 0 || rc == PM_E_TRUNC || rc == PM_E_LIMIT || rc == PM_E_MALFORMED ||
	            rc == PM_E_UNSUPPORTED);
	if (rc == 0) {
		FUZZ_ASSERT(r.status >= 100 && r.status <= 599);
		FUZZ_ASSERT(r.body_len <= sizeof(body) && r.head_len <= size - 1);
		FUZZ_ASSERT(strlen(r.location) < sizeof(r.location));
	}
	int rc2 =
	    pm_http_parse_response(data + 1, size - 1, eof, no_body, body2, sizeof(body2), &r2);
	FUZZ_ASSERT(rc2 == rc);
	FUZZ_ASSERT(rc != 0 || (r2.body_len == r.body_len && memcmp(body, body2, r.body_len) == 0));
	struct acc whole = { 0 }, pieces = { 0 };
	int d1 = dechunk(data + 1, size - 1, size, &whole);
	int d2 = dechunk(data + 1, size - 1, 1 + data[0] % 17, &pieces);
	FUZZ_ASSERT(d1 == 0 || d1 == 1 || d1 == PM_E_MALFORMED || d1 == PM_E_LIMIT);
	FUZZ_ASSERT(d1 == d2 && whole.n == pieces.n && whole.sum == pieces.sum);
	return 0;
}

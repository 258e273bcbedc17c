/* SPDX-License-Identifier: MIT */
/*
 * fuzz_httpresp.c - the HTTP response parser of the HTTPS client. The first
 * byte picks eof and no_body; the rest is the response. A complete response
 * must fit its buffers; the parse must not depend on anything but its input
 * (a second parse agrees). Inputs are capped at 1 MiB.
 */
#include <string.h>

#include "fuzz.h"
#include "httpresp.h"

#define FUZZ_HTTP_MAX_INPUT (1u << 20)

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
	return 0;
}

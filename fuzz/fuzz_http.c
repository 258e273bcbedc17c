/* SPDX-License-Identifier: MIT */
/*
 * fuzz_http.c - the HTTP head parser: the input as a request and as a
 * response. Every view must lie inside the input and a parsed head must
 * not claim more bytes than it was given.
 */
#include "fuzz.h"
#include "http.h"

static void
check_view(const uint8_t *in, size_t n, struct pm_http_view v)
{
	if (v.p == NULL) {
		return;
	}
	FUZZ_ASSERT(v.p >= in && (size_t)(v.p - in) <= n && v.n <= n - (size_t)(v.p - in));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int response = 0; response < 2; response++) {
		struct pm_http_head h;
		if (pm_http_parse_head(data, size, response != 0, &h) != 0) {
			continue;
		}
		FUZZ_ASSERT(h.head_len <= size);
		const struct pm_http_view views[] = {
			h.method,     h.uri,          h.reason,  h.host,
			h.user_agent, h.content_type, h.referer, h.auth_scheme,
			h.server,     h.location,     h.upgrade, h.transfer_encoding
		};
		for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
			check_view(data, h.head_len, views[i]);
		}
		(void)pm_http_magic(data, size);
	}
	return 0;
}

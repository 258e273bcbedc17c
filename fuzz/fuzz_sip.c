/* SPDX-License-Identifier: MIT */
/*
 * fuzz_sip.c - one payload through pm_sip_parse: every view inside the
 * input, the message length within it, the header count within its cap.
 */
#include "fuzz.h"
#include "sip.h"

#define FUZZ_MAX_MSG 65535

static void
check_view(const uint8_t *in, size_t n, const struct pm_sip_view *v)
{
	if (v->p == NULL) {
		return;
	}
	FUZZ_ASSERT(v->p >= in && (size_t)(v->p - in) <= n && v->n <= n - (size_t)(v->p - in));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_MAX_MSG) {
		return 0;
	}
	struct pm_sip_msg m;
	int rc = pm_sip_parse(data, size, &m);
	FUZZ_ASSERT(rc == 0 || rc == PM_E_TRUNC || rc == PM_E_MALFORMED);
	FUZZ_ASSERT(m.n_headers <= PM_SIP_MAX_HEADERS);
	const struct pm_sip_view *views[] = { &m.start_line,   &m.method,     &m.uri,
		                              &m.version,      &m.reason,     &m.call_id,
		                              &m.from,         &m.to,         &m.contact,
		                              &m.via,          &m.user_agent, &m.server,
		                              &m.content_type, &m.cseq,       &m.cseq_method };
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		check_view(data, size, views[i]);
	}
	if (rc == 0) {
		FUZZ_ASSERT(m.header_len <= size && m.body_len <= size - m.header_len);
		FUZZ_ASSERT(m.is_request || (m.status >= 100 && m.status <= 699));
	}
	(void)pm_sip_looks_like(data, size);
	return 0;
}

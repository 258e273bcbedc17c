/* SPDX-License-Identifier: MIT */
/*
 * fuzz_dns.c - one message through pm_dns_parse and the labelling check.
 * Every name must be NUL-terminated within its buffer, the counts of kept
 * entries within their caps, and every view inside the input.
 */
#include <string.h>

#include "dns.h"
#include "fuzz.h"

#define FUZZ_MAX_MSG 65535 /* the largest message a TCP length prefix can carry */

static void
check_view(const uint8_t *in, size_t n, const uint8_t *p, size_t len)
{
	if (p == NULL) {
		return;
	}
	FUZZ_ASSERT(p >= in && (size_t)(p - in) <= n && len <= n - (size_t)(p - in));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_MAX_MSG) {
		return 0;
	}
	static struct pm_dns_msg m;
	int rc = pm_dns_parse(data, size, &m);
	FUZZ_ASSERT(rc == 0 || rc == PM_E_TRUNC || rc == PM_E_MALFORMED);
	FUZZ_ASSERT((rc == PM_E_MALFORMED) == (m.bad != PM_DNS_BAD_NONE));
	FUZZ_ASSERT(m.nq <= PM_DNS_MAX_Q && m.nrr <= PM_DNS_MAX_RR);
	for (size_t i = 0; i < m.nq; i++) {
		FUZZ_ASSERT(memchr(m.q[i].name, 0, sizeof(m.q[i].name)) != NULL);
		FUZZ_ASSERT(strlen(m.q[i].name) < PM_DNS_MAX_NAME);
	}
	for (size_t i = 0; i < m.nrr; i++) {
		const struct pm_dns_rr *rr = &m.rr[i];
		FUZZ_ASSERT(memchr(rr->name, 0, sizeof(rr->name)) != NULL);
		FUZZ_ASSERT(memchr(rr->target, 0, sizeof(rr->target)) != NULL);
		FUZZ_ASSERT(rr->section <= PM_DNS_SEC_AR);
		check_view(data, size, rr->rdata, rr->rdlen);
		check_view(data, size, rr->txt, rr->txt_len);
	}
	(void)pm_dns_looks_like(data, size);
	(void)pm_dns_rcode_name(pm_dns_rcode(m.flags));
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * fuzz_icmp.c - one message through pm_icmp_parse. The first input byte
 * picks ICMP or ICMPv6; the rest is the message from its type byte. Kept
 * counts must stay within their caps and the names must exist for both
 * versions.
 */
#include <stdbool.h>

#include "fuzz.h"
#include "icmp.h"

#define FUZZ_MAX_MSG 65535

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > FUZZ_MAX_MSG) {
		return 0;
	}
	bool v6 = (data[0] & 1) != 0;
	struct pm_icmp_msg m;
	int rc = pm_icmp_parse(data + 1, size - 1, v6, &m);
	FUZZ_ASSERT(rc == 0 || rc == PM_E_TRUNC || rc == PM_E_MALFORMED);
	FUZZ_ASSERT(m.n_prefix <= PM_ICMP_MAX_PREFIX);
	FUZZ_ASSERT(!m.has_inner || m.inner.ipver == 4 || m.inner.ipver == 6);
	FUZZ_ASSERT(!m.has_inner || m.is_error);
	(void)pm_icmp_type_name(v6, m.type);
	(void)pm_icmp_code_name(v6, m.type, m.code);
	return 0;
}

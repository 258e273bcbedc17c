/* SPDX-License-Identifier: MIT */
/*
 * fuzz_dhcp.c - one payload through pm_dhcp_parse and pm_dhcp6_parse.
 * Every view must lie inside the input and the kept counts within caps.
 */
#include "dhcp.h"
#include "fuzz.h"

#define FUZZ_MAX_MSG 65535

static void
check_view(const uint8_t *in, size_t n, const struct pm_dhcp_view *v)
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
	struct pm_dhcp_msg m;
	int rc = pm_dhcp_parse(data, size, &m);
	FUZZ_ASSERT(rc == 0 || rc == PM_E_TRUNC || rc == PM_E_MALFORMED);
	FUZZ_ASSERT(m.n_dns <= PM_DHCP_MAX_DNS);
	check_view(data, size, &m.hostname);
	check_view(data, size, &m.client_id);
	check_view(data, size, &m.vendor);
	check_view(data, size, &m.prl);
	check_view(data, size, &m.relay);
	struct pm_dhcp6_msg m6;
	rc = pm_dhcp6_parse(data, size, &m6);
	FUZZ_ASSERT(rc == 0 || rc == PM_E_TRUNC || rc == PM_E_MALFORMED);
	FUZZ_ASSERT(m6.n_addr <= PM_DHCP6_MAX_ADDR && m6.n_prefix <= PM_DHCP6_MAX_ADDR);
	FUZZ_ASSERT(m6.relays <= PM_DHCP6_MAX_RELAY);
	check_view(data, size, &m6.client_duid);
	check_view(data, size, &m6.server_duid);
	(void)pm_dhcp_type_name(m.msg_type);
	(void)pm_dhcp6_type_name(m6.msg_type);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * protofields.h - the result trees (tools.h's struct pm_field lists) of
 * analyze_dns_packets, analyze_dhcp_packets, analyze_icmp_packets and
 * analyze_sip_packets, kept apart from their rows (tools_protocols.c) for
 * size. Each lists every member its view writes; tests/mcp/schema.mjs
 * checks them against real results.
 */
#ifndef PM_PROTOFIELDS_H
#define PM_PROTOFIELDS_H

#include "tools.h"

extern const struct pm_field pm_field_dns_result[];
extern const struct pm_field pm_field_dhcp_result[];
extern const struct pm_field pm_field_icmp_result[];
extern const struct pm_field pm_field_sip_result[];

#endif /* PM_PROTOFIELDS_H */

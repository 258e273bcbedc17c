/* SPDX-License-Identifier: MIT */
/*
 * dhcpview.h - analyze_dhcp_packets: the DHCP view over a finished
 * analysis (dhcpstats.h), with mcpcap's keys first.
 *
 * Arguments (struct pm_dhcp_args; pm_dhcp_args_init sets the defaults):
 *   client   string, optional: client MAC "aa:bb:cc:dd:ee:ff" (any case);
 *            selects the packets sample and the transactions list
 *   type     integer 1..255, optional: DHCPv4 message type (packets sample
 *            only; see pm_dhcp_type_parse for names); default -1 (any)
 *   limit    integer 0..1000 (clamped), default 20: packets per page
 *   offset   integer >= 0, default 0
 *   top      integer 1..100 (clamped), default 10: entries per list
 *
 * Members written: file, total_packets, dhcp_packets_found,
 * dhcp_packets_analyzed, statistics (mcpcap's unique_clients_count,
 * unique_servers_count, unique_clients, unique_servers (the `top`
 * first), message_type_counts keyed DISCOVER..INFORM, transaction_count;
 * then dora_completed, dhcpv6 message types, truncated, approximate),
 * transactions (sequence, DORA completed, server, address), clients
 * (host name, vendor class, fingerprint, assigned address, lease), servers
 * (offers, acks, naks, clients answered), dhcpv6_servers, packets
 * (+ packets_page, mcpcap's per-packet fields), findings.
 */
#ifndef PM_DHCPVIEW_H
#define PM_DHCPVIEW_H

#include <stdint.h>

#include "pm.h"
#include "protoview.h"

struct pm_analysis;
struct pm_json;

struct pm_dhcp_args {
	const char *client; /* MAC text; NULL: any */
	int32_t type;       /* 1..255; -1: any */
	struct pm_pv_page page;
};

#define PM_DHCP_NAK_STORM      10 /* NAKs that make a storm */
#define PM_DHCP_STARVATION_MAC 50 /* distinct MACs sending DISCOVER: starvation hint */

void pm_dhcp_args_init(struct pm_dhcp_args *a);

/* A DHCPv4 message type as a number or name ("ACK", any case); -1 when neither. */
int32_t pm_dhcp_type_parse(const char *s);

/* Returns 0, PM_E_UNSUPPORTED (the analyser did not run) or PM_E_MALFORMED (bad argument). */
PM_MUST_CHECK int pm_dhcp_view(const struct pm_analysis *a, const struct pm_dhcp_args *args,
                               struct pm_json *w, struct pm_error *err);

#endif /* PM_DHCPVIEW_H */

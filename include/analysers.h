/* SPDX-License-Identifier: MIT */
/*
 * analysers.h - the analyser table: one line per analyser.
 *
 * Each line names the analyser's id, its row (const struct pm_analyser
 * pm_analyser_<name>, defined in the analyser's own .c file) and the struct
 * of its state. From this list come the ids (enum pm_an_id), the table the
 * pass walks (in this order: observe and finish follow it, so an analyser
 * comes after those it reads at finish) and typed accessors in analysis.h
 * (pm_an_<name>(a)). Adding an analyser is its .c/.h and one line here.
 */
#ifndef PM_ANALYSERS_H
#define PM_ANALYSERS_H

#include "analyser.h"

/* X(ID, name, state struct) */
#define PM_ANALYSERS(X)                                                                            \
	X(INFO, info, pm_info)             /* capinfos facts: every record */                      \
	X(FLOWS, flows, pm_flows)          /* the flow table the pass feeds */                     \
	X(TIMELINE, timeline, pm_timeline) /* IP packets and bytes over time */                    \
	X(HOSTS, hosts, pm_hosts)          /* hosts, server ports, labels: from the flows */       \
	X(SCAN, scan, pm_scan)             /* port scans: from the flows */                        \
	X(DNS, dns, pm_dns_stats)          /* DNS, mDNS, LLMNR messages */                         \
	X(ICMP, icmp, pm_icmp_stats)       /* ICMP and ICMPv6 messages */                          \
	X(DHCP, dhcp, pm_dhcp_stats)       /* DHCPv4 and DHCPv6 messages */                        \
	X(SIP, sip, pm_sip_stats)          /* SIP requests and responses */                        \
	X(TUNNELS, tunnels, pm_tunnels)    /* tunnels by kind and outer endpoints */               \
	X(TLS, tls, pm_tls)                /* TLS handshakes over reassembled TCP */               \
	X(HTTP, http, pm_http)             /* HTTP/1.x exchanges over reassembled TCP */           \
	X(QUIC, quic, pm_quic_stats)       /* QUIC connections, Initials decrypted */

enum pm_an_id {
#define PM_AN_ENUM(id, name, type) PM_AN_##id,
	PM_ANALYSERS(PM_AN_ENUM)
#undef PM_AN_ENUM
	    PM_AN_COUNT
};

#define PM_AN_BIT(id) (1u << PM_AN_##id)
#define PM_AN_ALL     ((1u << PM_AN_COUNT) - 1)

_Static_assert(PM_AN_COUNT <= 32, "analyser sets are 32-bit masks");
_Static_assert(PM_AN_COUNT <= 16, "struct pm_flow's an_done holds a bit per analyser");

#define PM_AN_EXTERN(id, name, type) extern const struct pm_analyser pm_analyser_##name;
PM_ANALYSERS(PM_AN_EXTERN)
#undef PM_AN_EXTERN

/* The rows, indexed by enum pm_an_id. */
extern const struct pm_analyser *const pm_analysers[PM_AN_COUNT];

#endif /* PM_ANALYSERS_H */

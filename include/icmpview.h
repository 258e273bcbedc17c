/* SPDX-License-Identifier: MIT */
/*
 * icmpview.h - analyze_icmp_packets: the ICMP/ICMPv6 view over a finished
 * analysis (icmpstats.h), with mcpcap's keys first.
 *
 * Arguments (struct pm_icmp_args; pm_icmp_args_init sets the defaults):
 *   host     string, optional: IPv4 or IPv6 address at either end of the
 *            packet (packets sample only)
 *   type     integer 0..255, optional: ICMP or ICMPv6 type (packets sample
 *            only); default -1 (any)
 *   version  integer 0, 4 or 6, default 0 (both): ICMP (4) or ICMPv6 (6)
 *            only (packets sample only)
 *   limit    integer 0..1000 (clamped), default 20: packets per page
 *   offset   integer >= 0, default 0
 *   top      integer 1..100 (clamped), default 10: entries per list
 *
 * Members written: file, total_packets, icmp_packets_found,
 * icmp_packets_analyzed, statistics (mcpcap's icmp_type_counts,
 * unique_sources_count, unique_destinations_count, unique_sources,
 * unique_destinations (the `top` busiest), echo_sessions, echo_pairs (by
 * echo id, the `top` busiest), unreachable_destinations_count,
 * unreachable_destinations; then type_codes, echo totals, truncated,
 * malformed, approximate), echo_hosts (round-trip times per requester and
 * responder), unreachable (destination, protocol, port, code, reporter),
 * traceroute (routers per quoted path), neighbor_discovery (routers with
 * their prefixes, solicitations, advertisements, DAD probes), packets
 * (+ packets_page, a sample of the first PM_ICMP_MAX_SAMPLES messages with
 * mcpcap's per-packet fields), findings.
 */
#ifndef PM_ICMPVIEW_H
#define PM_ICMPVIEW_H

#include <stdint.h>

#include "pm.h"
#include "protoview.h"

struct pm_analysis;
struct pm_json;

struct pm_icmp_args {
	const char *host; /* address text; NULL: any */
	int32_t type;     /* 0..255; -1: any */
	int32_t version;  /* 0 (both), 4 or 6 */
	struct pm_pv_page page;
};

#define PM_ICMP_SWEEP_TARGETS 20 /* distinct hosts one source pings: a sweep */

void pm_icmp_args_init(struct pm_icmp_args *a);

/* Returns 0, PM_E_UNSUPPORTED (the analyser did not run) or PM_E_MALFORMED (bad argument). */
PM_MUST_CHECK int pm_icmp_view(const struct pm_analysis *a, const struct pm_icmp_args *args,
                               struct pm_json *w, struct pm_error *err);

#endif /* PM_ICMPVIEW_H */

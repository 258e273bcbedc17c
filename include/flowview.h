/* SPDX-License-Identifier: MIT */
/*
 * flowview.h - views over the flow table: the flow listings
 * (analyze_port_flows, analyze_ip_flows, analyze_protocol_flows; CLI `flows`)
 * and what the flow and TCP views share: flow selection and sorting.
 * Arguments, paging, budgets and argument errors are view.h's; the TCP
 * views are declared in tcpview.h.
 *
 * A view reads a finished analysis and writes members of one JSON object:
 * the caller opens the object and writes "ok": true first, and closes it
 * after. Lists are sorted with ties broken by the flow key's bytes, so
 * output never depends on hash order, and every list is followed by its
 * "<name>_page" member.
 *
 * Sizes and errors as in view.h.
 */
#ifndef PM_FLOWVIEW_H
#define PM_FLOWVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"
#include "pm.h"
#include "view.h"

struct pm_analysis;
struct pm_json;

/* One flow of the table: both pointers point into the analysis. */
struct pm_flow_ref {
	const struct pm_flow_key *key;
	const struct pm_flow *flow;
};

/* A flow's endpoints and directions seen from the client (fl->client). */
struct pm_view_ends {
	const uint8_t *caddr, *saddr;        /* into the key, network order */
	uint16_t cport, sport;               /* ports as keyed (ICMP: echo id or type/code) */
	const struct pm_flow_dir *c2s, *s2c; /* into the flow */
};

/* Predicate over flows for pm_view_collect; ctx is passed through. */
typedef bool (*pm_flow_pred)(const struct pm_flow_key *k, const struct pm_flow *fl,
                             const void *ctx);

/* "TCP", "UDP", "ICMP", "ICMPv6", or the protocol number as text, in buf. */
const char *pm_view_proto_name(uint8_t proto, char buf[8]);

void pm_view_ends(const struct pm_flow_key *k, const struct pm_flow *fl, struct pm_view_ends *e);

/* "192.0.2.1:80" or "[2001:db8::1]:443" into out. */
void pm_view_hostport(const uint8_t *addr, uint8_t ipver, uint16_t port, char out[64]);

/*
 * The flows for which pred (NULL: every flow) holds, sorted by sort, in a
 * malloc'd array the caller frees, even when *n is 0. Returns 0 or
 * PM_E_NOMEM (then *out is NULL).
 */
PM_MUST_CHECK int pm_view_collect(const struct pm_analysis *a, pm_flow_pred pred, const void *ctx,
                                  enum pm_flow_sort sort, struct pm_flow_ref **out, size_t *n);

/* Write one flow object (the members listed in the `flows` tool) as a list item. */
void pm_view_flow_obj(struct pm_json *w, const struct pm_flow_key *k, const struct pm_flow *fl);

/*
 * The flows a listing selects: by args->port, args->ip or args->protocol
 * (exactly one must be set), sorted by args->sort. Same ownership and
 * errors as pm_view_collect, plus PM_E_MALFORMED for bad arguments.
 */
PM_MUST_CHECK int pm_view_flows_select(const struct pm_analysis *a, const struct pm_view_args *args,
                                       struct pm_flow_ref **out, size_t *n, struct pm_error *err);

/*
 * analyze_port_flows: TCP and UDP flows with args->port at either end.
 * Members: filter, flows, flows_page, totals.
 */
PM_MUST_CHECK int pm_view_port_flows(const struct pm_analysis *a, const struct pm_view_args *args,
                                     struct pm_json *w, struct pm_error *err);

/*
 * analyze_ip_flows: flows with args->ip at either end. Adds `direction` to
 * each flow ("outbound": the IP is the client, "inbound": the server,
 * "both") and the members inbound and outbound.
 */
PM_MUST_CHECK int pm_view_ip_flows(const struct pm_analysis *a, const struct pm_view_args *args,
                                   struct pm_json *w, struct pm_error *err);

/* analyze_protocol_flows: by IP protocol (tcp, udp, icmp, icmpv6) or label, any case. */
PM_MUST_CHECK int pm_view_protocol_flows(const struct pm_analysis *a,
                                         const struct pm_view_args *args, struct pm_json *w,
                                         struct pm_error *err);

/*
 * Shared by the views (flowview.c, tcpview.c); not part of the tool
 * contract.
 */

/*
 * Parse the IPv4 or IPv6 text s into addr (network order) and *ipver (4 or
 * 6). Returns 0, or PM_E_MALFORMED with an invalid_ip message.
 */
PM_MUST_CHECK int pm_view_parse_ip(const char *s, uint8_t addr[16], uint8_t *ipver,
                                   struct pm_error *err);

/* Packets of a flow, both directions. */
uint64_t pm_view_flow_packets(const struct pm_flow *fl);

/* Retransmitted segments of a flow, both directions. */
uint64_t pm_view_flow_retrans(const struct pm_flow *fl);

/*
 * Retransmissions over the segments that occupy sequence space (payload,
 * SYN or FIN), both directions: at most 1, the definition summary's
 * tcp_health uses (pm_summary_retrans_rate).
 */
double pm_view_flow_retrans_rate(const struct pm_flow *fl);

/* The sequence-space segments of both directions (the rate's denominator). */
uint64_t pm_view_flow_segs(const struct pm_flow *fl);

#endif /* PM_FLOWVIEW_H */

/* SPDX-License-Identifier: MIT */
/*
 * tcpview.h - TCP views over the flow table (analyze_tcp_connections,
 * analyze_tcp_anomalies, analyze_tcp_retransmissions, analyze_traffic_flow;
 * CLI `tcp`), all selecting TCP flows by their server endpoint.
 *
 * The views follow the contract in flowview.h (members, paging, size budget,
 * errors). They keep mcpcap's key names but count from the flow table (per
 * connection and direction), never per packet.
 */
#ifndef PM_TCPVIEW_H
#define PM_TCPVIEW_H

#include <stddef.h>

#include "flowview.h"
#include "pm.h"

struct pm_analysis;
struct pm_json;

/*
 * The TCP flows whose server endpoint matches args->server_ip and
 * args->server_port (each optional), sorted by sort.
 */
PM_MUST_CHECK int pm_view_tcp_select(const struct pm_analysis *a, const struct pm_view_args *args,
                                     enum pm_flow_sort sort, struct pm_flow_ref **out, size_t *n,
                                     struct pm_error *err);

/*
 * analyze_tcp_connections: members filter, total_packets, tcp_packets_found,
 * summary, connections (by packets), connections_page, issues, issues_page.
 */
PM_MUST_CHECK int pm_view_tcp_connections(const struct pm_analysis *a,
                                          const struct pm_view_args *args, struct pm_json *w,
                                          struct pm_error *err);

/* analyze_tcp_anomalies: members filter, statistics, patterns, patterns_page, summary. */
PM_MUST_CHECK int pm_view_tcp_anomalies(const struct pm_analysis *a,
                                        const struct pm_view_args *args, struct pm_json *w,
                                        struct pm_error *err);

/*
 * analyze_tcp_retransmissions: rate over the matching TCP packets and the
 * connections with retransmissions (by_connection, by rate).
 */
PM_MUST_CHECK int pm_view_tcp_retransmissions(const struct pm_analysis *a,
                                              const struct pm_view_args *args, struct pm_json *w,
                                              struct pm_error *err);

/* analyze_traffic_flow: client-to-server against server-to-client; server_ip required. */
PM_MUST_CHECK int pm_view_traffic_flow(const struct pm_analysis *a, const struct pm_view_args *args,
                                       struct pm_json *w, struct pm_error *err);

#endif /* PM_TCPVIEW_H */

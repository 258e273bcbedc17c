/* SPDX-License-Identifier: MIT */
/*
 * summary.h - get_pcap_summary (CLI `summary`): totals, flow counts, the
 * protocol distribution, top talkers, top ports, top flows, TCP health and
 * the timeline, all from the flow, host and port tables of one analysis.
 *
 * The pieces are exported separately so the CLI can print them as tables;
 * pm_summary_emit writes them all as members of one JSON object (the caller
 * writes the braces and "ok"). Lists are sorted with ties broken by key
 * bytes or name, so output never depends on hash order.
 */
#ifndef PM_SUMMARY_H
#define PM_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"
#include "flowview.h"
#include "hosts.h"
#include "pm.h"

struct pm_analysis;
struct pm_json;

#define PM_SUMMARY_MAX_PROTOS  (PM_APP_COUNT + 8) /* labels plus the unlabelled groups */
#define PM_SUMMARY_MAX_BUCKETS 200                /* timeline buckets written */

/* One row of the protocol distribution. */
struct pm_proto_share {
	const char *name; /* static string: a label, "TCP (other)", "non-IP", ... */
	uint64_t packets;
	uint64_t bytes; /* frame bytes on the wire */
};

struct pm_flow_count {
	uint64_t total, tcp, udp, icmp, other; /* icmp counts ICMP and ICMPv6 */
};

/* TCP connection health over every TCP flow. */
struct pm_tcp_health {
	uint64_t connections;
	uint64_t handshakes_completed;     /* the client's SYN, the SYN-ACK and the client's ACK */
	uint64_t joined_mid_handshake;     /* SYN-ACK and ACK without the client's SYN */
	uint64_t state[PM_TCP_ACTIVE + 1]; /* by enum pm_tcp_state */
	uint64_t syn_without_answer;       /* the client sent SYN, the server sent nothing */
	uint64_t rst_packets;
	uint64_t retransmissions; /* sequence segments whose range was seen before */
	uint64_t data_segments;   /* segments carrying payload */
	uint64_t seq_segments;    /* segments that occupy sequence space (payload, SYN, FIN) */
	uint64_t out_of_order;
	uint64_t zero_window;
};

struct pm_host_ref {
	const struct pm_host_key *key; /* into the analysis */
	const struct pm_host *host;
};

struct pm_port_ref {
	const struct pm_port_key *key; /* into the analysis */
	const struct pm_port *port;
};

void pm_summary_flow_count(const struct pm_analysis *a, struct pm_flow_count *out);

/* Whether a table of the flows or hosts analysers was full: counts are lower bounds. */
bool pm_summary_approximate(const struct pm_analysis *a);

/*
 * The protocol distribution, by packets descending (ties by name): labels,
 * unlabelled flows by IP protocol, "non-IP" records, and "untracked (table
 * full)" when packets were dropped. Returns the rows written (only non-empty).
 */
size_t pm_summary_protocols(const struct pm_analysis *a,
                            struct pm_proto_share out[PM_SUMMARY_MAX_PROTOS]);

void pm_summary_tcp_health(const struct pm_analysis *a, struct pm_tcp_health *out);

/*
 * retransmissions / seq_segments: both count segments that occupy sequence
 * space (a retransmitted SYN is one, a bare ACK is neither), so the rate
 * is at most 1. The TCP views use the same definition.
 */
double pm_summary_retrans_rate(const struct pm_tcp_health *h);

/*
 * Every host by bytes sent plus received, descending; every port by
 * packets, descending. Malloc'd arrays the caller frees (even when *n is 0).
 * Return 0 or PM_E_NOMEM.
 */
PM_MUST_CHECK int pm_summary_hosts(const struct pm_analysis *a, struct pm_host_ref **out,
                                   size_t *n);
PM_MUST_CHECK int pm_summary_ports(const struct pm_analysis *a, struct pm_port_ref **out,
                                   size_t *n);

/*
 * get_pcap_summary: members total_packets, total_bytes, duration_seconds,
 * flow_count, approximate, dropped_packets, protocols, top_talkers,
 * top_ports, top_flows (args->top of each, default 10), tcp_health and
 * timeline (at most PM_SUMMARY_MAX_BUCKETS buckets). Returns 0, PM_E_NOMEM,
 * or PM_E_MALFORMED ("invalid_argument: ..." in err->msg) for a bad top.
 */
PM_MUST_CHECK int pm_summary_emit(const struct pm_analysis *a, const struct pm_view_args *args,
                                  struct pm_json *w, struct pm_error *err);

#endif /* PM_SUMMARY_H */

/* SPDX-License-Identifier: MIT */
/*
 * tools_flows.c - the flows group: the flow listings (port, ip, protocol)
 * and the TCP views (connections, anomalies, retransmissions, traffic
 * balance). Rows, argument tables, result trees and handlers.
 */
#include "tools.h"

#include "flowview.h"
#include "tcpview.h"
#include "view.h"

/*
 * Result trees.
 */

#define FLOW_FIELDS                                                                                \
	{ .name = "protocol",                                                                      \
	  .type = PM_F_STR,                                                                        \
	  .description = "TCP, UDP, ICMP, ICMPv6 or the protocol number" },                        \
	    { .name = "client",                                                                    \
	      .type = PM_F_STR,                                                                    \
	      .description = "the side that opened the flow" },                                    \
	    { .name = "client_port",                                                               \
	      .type = PM_F_INT,                                                                    \
	      .nullable = true,                                                                    \
	      .description = "null without ports" },                                               \
	    { .name = "server", .type = PM_F_STR },                                                \
	    { .name = "server_port", .type = PM_F_INT, .nullable = true },                         \
	    { .name = "icmp_echo_id",                                                              \
	      .type = PM_F_INT,                                                                    \
	      .optional = true,                                                                    \
	      .description = "ICMP echo flows" },                                                  \
	    { .name = "icmp_type",                                                                 \
	      .type = PM_F_INT,                                                                    \
	      .optional = true,                                                                    \
	      .description = "other ICMP flows" },                                                 \
	    { .name = "icmp_code",                                                                 \
	      .type = PM_F_INT,                                                                    \
	      .optional = true,                                                                    \
	      .description = "other ICMP flows" },                                                 \
	    { .name = "label",                                                                     \
	      .type = PM_F_STR,                                                                    \
	      .description = "application label (HTTP, TLS, DNS, ...)" },                          \
	    { .name = "label_source", .type = PM_F_STR, .description = "payload, port or none" },  \
	    { .name = "state",                                                                     \
	      .type = PM_F_STR,                                                                    \
	      .description = "TCP: established, closed, reset, failed, half_open or active; n/a "  \
		             "for the rest" },                                                     \
	    { .name = "first_seen", .type = PM_F_STR }, { .name = "last_seen", .type = PM_F_STR }, \
	    { .name = "duration_seconds", .type = PM_F_NUM },                                      \
	    { .name = "packets_c2s", .type = PM_F_INT },                                           \
	    { .name = "packets_s2c", .type = PM_F_INT },                                           \
	    { .name = "bytes_c2s", .type = PM_F_INT }, { .name = "bytes_s2c", .type = PM_F_INT },  \
	    { .name = "pps", .type = PM_F_NUM, .description = "packets per second" },              \
	    { .name = "bytes_per_second", .type = PM_F_NUM },                                      \
	{                                                                                          \
		.name = "bps", .type = PM_F_NUM, .description = "bits per second"                  \
	}

const struct pm_field pm_field_flow[] = {
	FLOW_FIELDS,
	{ 0 },
};

static const struct pm_field ip_flow_members[] = {
	FLOW_FIELDS,
	{ .name = "direction",
	  .type = PM_F_STR,
	  .description = "outbound (the address is the client), inbound (the server) or both" },
	{ 0 },
};

static const struct pm_field tally_members[] = {
	{ .name = "flows", .type = PM_F_INT },
	{ .name = "packets", .type = PM_F_INT },
	{ .name = "bytes", .type = PM_F_INT },
	{ 0 },
};

static const struct pm_field port_filter[] = {
	{ .name = "port", .type = PM_F_INT },
	{ .name = "sort", .type = PM_F_STR },
	{ 0 },
};
static const struct pm_field ip_filter[] = {
	{ .name = "ip", .type = PM_F_STR },
	{ .name = "sort", .type = PM_F_STR },
	{ 0 },
};
static const struct pm_field protocol_filter[] = {
	{ .name = "protocol",
	  .type = PM_F_STR,
	  .description = "as matched: TCP, UDP, ICMP, ICMPv6, a label or a summary row name" },
	{ .name = "sort", .type = PM_F_STR },
	{ 0 },
};
static const struct pm_field server_filter[] = {
	{ .name = "server_ip", .type = PM_F_STR, .nullable = true },
	{ .name = "server_port", .type = PM_F_INT, .nullable = true },
	{ 0 },
};

#define FLOW_LIST(filter, flow_members)                                                            \
	{ .name = "filter", .type = PM_F_OBJ, .members = filter },                                 \
	    { .name = "flows",                                                                     \
	      .type = PM_F_ARR,                                                                    \
	      .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = flow_members } },     \
	    { .name = "flows_page", .type = PM_F_OBJ, .members = pm_field_page },                  \
	{                                                                                          \
		.name = "totals", .type = PM_F_OBJ, .members = tally_members,                      \
		.description = "all matching flows, not just this page"                            \
	}

static const struct pm_field port_result[] = {
	FLOW_LIST(port_filter, pm_field_flow),
	{ 0 },
};
static const struct pm_field ip_result[] = {
	FLOW_LIST(ip_filter, ip_flow_members),
	{ .name = "inbound", .type = PM_F_OBJ, .members = tally_members },
	{ .name = "outbound", .type = PM_F_OBJ, .members = tally_members },
	{ 0 },
};
static const struct pm_field protocol_result[] = {
	FLOW_LIST(protocol_filter, pm_field_flow),
	{ 0 },
};

static const struct pm_field conn_summary[] = {
	{ .name = "total_connections", .type = PM_F_INT },
	{ .name = "successful_handshakes", .type = PM_F_INT },
	{ .name = "failed_handshakes", .type = PM_F_INT },
	{ .name = "reset_connections", .type = PM_F_INT },
	{ .name = "normal_close", .type = PM_F_INT },
	{ .name = "active_connections", .type = PM_F_INT },
	{ .name = "established_connections", .type = PM_F_INT },
	{ .name = "joined_mid_handshake",
	  .type = PM_F_INT,
	  .description = "connections seen from the SYN-ACK on, without the client's SYN" },
	{ 0 },
};

static const struct pm_field conn_members[] = {
	{ .name = "client", .type = PM_F_STR },
	{ .name = "server", .type = PM_F_STR },
	{ .name = "state",
	  .type = PM_F_STR,
	  .description = "established, closed, reset, failed, half_open, active" },
	{ .name = "handshake_completed", .type = PM_F_BOOL },
	{ .name = "joined_mid_handshake",
	  .type = PM_F_BOOL,
	  .description =
	      "SYN-ACK and ACK seen without the client's SYN: not counted as a handshake" },
	{ .name = "syn_count", .type = PM_F_INT },
	{ .name = "syn_ack_count", .type = PM_F_INT },
	{ .name = "fin_count", .type = PM_F_INT },
	{ .name = "rst_count", .type = PM_F_INT },
	{ .name = "packet_count", .type = PM_F_INT },
	{ .name = "data_packets", .type = PM_F_INT },
	{ .name = "retransmissions", .type = PM_F_INT },
	{ .name = "first_seen", .type = PM_F_STR },
	{ .name = "last_seen", .type = PM_F_STR },
	{ .name = "close_reason", .type = PM_F_STR },
	{ 0 },
};

static const struct pm_field connections_result[] = {
	{ .name = "filter", .type = PM_F_OBJ, .members = server_filter },
	{ .name = "total_packets", .type = PM_F_INT },
	{ .name = "tcp_packets_found", .type = PM_F_INT },
	{ .name = "summary", .type = PM_F_OBJ, .members = conn_summary },
	{ .name = "connections",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = conn_members } },
	{ .name = "connections_page", .type = PM_F_OBJ, .members = pm_field_page },
	{ .name = "issues",
	  .type = PM_F_ARR,
	  .item = &pm_field_str,
	  .description = "what looks wrong, in words" },
	{ .name = "issues_page", .type = PM_F_OBJ, .members = pm_field_page },
	{ 0 },
};

static const struct pm_field states_members[] = {
	{ .name = "established", .type = PM_F_INT },
	{ .name = "closed", .type = PM_F_INT },
	{ .name = "reset", .type = PM_F_INT },
	{ .name = "failed", .type = PM_F_INT },
	{ .name = "half_open", .type = PM_F_INT },
	{ .name = "active", .type = PM_F_INT },
	{ 0 },
};
static const struct pm_field handshake_members[] = {
	{ .name = "successful", .type = PM_F_INT },
	{ .name = "failed", .type = PM_F_INT },
	{ .name = "incomplete", .type = PM_F_INT },
	{ .name = "joined_mid_handshake", .type = PM_F_INT },
	{ 0 },
};
static const struct pm_field flags_members[] = {
	{ .name = "syn", .type = PM_F_INT },
	{ .name = "syn_ack", .type = PM_F_INT },
	{ .name = "fin", .type = PM_F_INT },
	{ .name = "rst", .type = PM_F_INT },
	{ 0 },
};
static const struct pm_field rst_members[] = {
	{ .name = "connections_with_rst", .type = PM_F_INT },
	{ .name = "from_server", .type = PM_F_INT },
	{ .name = "to_server", .type = PM_F_INT },
	{ 0 },
};
static const struct pm_field retrans_members[] = {
	{ .name = "total", .type = PM_F_INT },
	{ .name = "sequence_segments", .type = PM_F_INT },
	{ .name = "rate", .type = PM_F_NUM, .description = "total / sequence_segments" },
	{ 0 },
};
static const struct pm_field stats_members[] = {
	{ .name = "total_packets", .type = PM_F_INT },
	{ .name = "total_connections", .type = PM_F_INT },
	{ .name = "connection_states", .type = PM_F_OBJ, .members = states_members },
	{ .name = "handshake", .type = PM_F_OBJ, .members = handshake_members },
	{ .name = "flags", .type = PM_F_OBJ, .members = flags_members },
	{ .name = "rst_distribution", .type = PM_F_OBJ, .members = rst_members },
	{ .name = "retransmissions", .type = PM_F_OBJ, .members = retrans_members },
	{ 0 },
};

/* Each pattern names the statistics behind it; which ones depends on the pattern. */
static const struct pm_field observation_members[] = {
	{ .name = "from_server", .type = PM_F_INT, .optional = true },
	{ .name = "to_server", .type = PM_F_INT, .optional = true },
	{ .name = "retransmissions", .type = PM_F_INT, .optional = true },
	{ .name = "rate", .type = PM_F_NUM, .optional = true },
	{ .name = "threshold", .type = PM_F_NUM, .optional = true },
	{ .name = "attempted", .type = PM_F_INT, .optional = true },
	{ .name = "completed", .type = PM_F_INT, .optional = true },
	{ .name = "failed", .type = PM_F_INT, .optional = true },
	{ .name = "incomplete", .type = PM_F_INT, .optional = true },
	{ .name = "completion_rate", .type = PM_F_NUM, .optional = true },
	{ .name = "reset_connections", .type = PM_F_INT, .optional = true },
	{ .name = "total_connections", .type = PM_F_INT, .optional = true },
	{ .name = "reset_ratio", .type = PM_F_NUM, .optional = true },
	{ .name = "syn", .type = PM_F_INT, .optional = true },
	{ .name = "syn_ack", .type = PM_F_INT, .optional = true },
	{ .name = "response_ratio", .type = PM_F_NUM, .optional = true },
	{ 0 },
};
static const struct pm_field pattern_members[] = {
	{ .name = "pattern", .type = PM_F_STR },
	{ .name = "category", .type = PM_F_STR },
	{ .name = "description", .type = PM_F_STR },
	{ .name = "observations", .type = PM_F_OBJ, .members = observation_members },
	{ 0 },
};
static const struct pm_field anomaly_summary[] = {
	{ .name = "total_patterns", .type = PM_F_INT },
	{ .name = "by_category",
	  .type = PM_F_MAP,
	  .item = &pm_field_int,
	  .description = "patterns per category" },
	{ .name = "notable_observations", .type = PM_F_ARR, .item = &pm_field_str },
	{ .name = "notable_observations_page", .type = PM_F_OBJ, .members = pm_field_page },
	{ 0 },
};
static const struct pm_field anomalies_result[] = {
	{ .name = "filter", .type = PM_F_OBJ, .members = server_filter },
	{ .name = "statistics", .type = PM_F_OBJ, .members = stats_members },
	{ .name = "patterns",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = pattern_members } },
	{ .name = "patterns_page", .type = PM_F_OBJ, .members = pm_field_page },
	{ .name = "summary", .type = PM_F_OBJ, .members = anomaly_summary },
	{ 0 },
};

static const struct pm_field by_conn_members[] = {
	{ .name = "connection", .type = PM_F_STR, .description = "client -> server" },
	{ .name = "total_packets", .type = PM_F_INT },
	{ .name = "retrans_count", .type = PM_F_INT },
	{ .name = "retrans_c2s", .type = PM_F_INT },
	{ .name = "retrans_s2c", .type = PM_F_INT },
	{ .name = "retrans_rate", .type = PM_F_NUM },
	{ 0 },
};
static const struct pm_field retrans_summary[] = {
	{ .name = "connections_above_threshold", .type = PM_F_INT },
	{ .name = "worst_connection", .type = PM_F_STR, .nullable = true },
	{ .name = "worst_retrans_rate", .type = PM_F_NUM },
	{ 0 },
};
static const struct pm_field retransmissions_result[] = {
	{ .name = "filter", .type = PM_F_OBJ, .members = server_filter },
	{ .name = "total_packets", .type = PM_F_INT },
	{ .name = "total_retransmissions", .type = PM_F_INT },
	{ .name = "retransmission_rate", .type = PM_F_NUM },
	{ .name = "threshold", .type = PM_F_NUM },
	{ .name = "exceeds_threshold", .type = PM_F_BOOL },
	{ .name = "by_connection",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = by_conn_members },
	  .description = "worst first" },
	{ .name = "by_connection_page", .type = PM_F_OBJ, .members = pm_field_page },
	{ .name = "summary", .type = PM_F_OBJ, .members = retrans_summary },
	{ 0 },
};

static const struct pm_field side_members[] = {
	{ .name = "packet_count", .type = PM_F_INT },
	{ .name = "byte_count", .type = PM_F_INT },
	{ .name = "syn_count", .type = PM_F_INT },
	{ .name = "fin_count", .type = PM_F_INT },
	{ .name = "rst_count", .type = PM_F_INT },
	{ .name = "data_packets", .type = PM_F_INT },
	{ .name = "retransmissions", .type = PM_F_INT },
	{ 0 },
};
static const struct pm_field balance_members[] = {
	{ .name = "asymmetry_ratio",
	  .type = PM_F_NUM,
	  .nullable = true,
	  .description = "server-to-client bytes per client-to-server byte; null without "
	                 "connections" },
	{ .name = "data_flow_direction", .type = PM_F_STR },
	{ .name = "primary_rst_source", .type = PM_F_STR },
	{ .name = "interpretation", .type = PM_F_STR },
	{ 0 },
};
static const struct pm_field traffic_result[] = {
	{ .name = "server", .type = PM_F_STR },
	{ .name = "connections", .type = PM_F_INT },
	{ .name = "client_to_server", .type = PM_F_OBJ, .members = side_members },
	{ .name = "server_to_client", .type = PM_F_OBJ, .members = side_members },
	{ .name = "analysis", .type = PM_F_OBJ, .members = balance_members },
	{ 0 },
};

/*
 * Arguments.
 */

static const struct pm_tool_arg arg_port = {
	.name = "port",
	.type = PM_ARG_INT,
	.description = "TCP or UDP port at either end of the flow.",
	.required = true,
	.has_min = true,
	.has_max = true,
	.max = 65535,
};
static const struct pm_tool_arg arg_ip = {
	.name = "ip",
	.type = PM_ARG_STR,
	.description = "IPv4 or IPv6 address at either end of the flow.",
	.required = true,
	.min_length = 1,
};
static const struct pm_tool_arg arg_protocol = {
	.name = "protocol",
	.type = PM_ARG_STR,
	.description = "tcp, udp, icmp, icmpv6, an application label (http, tls, dns, ...) or "
	               "any name get_pcap_summary.protocols reports (TCP (other), UDP (other), "
	               "other IP, non-IP), any case.",
	.required = true,
	.min_length = 1,
};
static const struct pm_tool_arg arg_threshold = {
	.name = "threshold",
	.type = PM_ARG_NUM,
	.description = "Retransmission rate that counts as notable.",
	.has_min = true,
	.has_max = true,
	.max = 1,
	.has_default = true,
	.def = PM_VIEW_DEFAULT_THRESHOLD,
};

#define P0 &pm_arg_path, &pm_arg_pcap_file, &pm_arg_auth_token
static const struct pm_tool_arg *const port_args[] = {
	P0, &arg_port, &pm_arg_sort, &pm_arg_limit, &pm_arg_offset, NULL
};
static const struct pm_tool_arg *const ip_args[] = {
	P0, &arg_ip, &pm_arg_sort, &pm_arg_limit, &pm_arg_offset, NULL
};
static const struct pm_tool_arg *const protocol_args[] = {
	P0, &arg_protocol, &pm_arg_sort, &pm_arg_limit, &pm_arg_offset, NULL
};
static const struct pm_tool_arg arg_detailed = {
	.name = "detailed",
	.type = PM_ARG_BOOL,
	.description = "mcpcap's switch: false lists the first 10 connections, true all of them "
	               "(paged: up to 1000 per call, within the result budget, continued with "
	               "offset). An explicit limit wins.",
};
static const struct pm_tool_arg *const connections_args[] = {
	P0,  &pm_arg_server_ip, &pm_arg_server_port, &pm_arg_limit, &pm_arg_offset, &arg_detailed,
	NULL
};
static const struct pm_tool_arg *const anomalies_args[] = { P0, &pm_arg_server_ip,
	                                                    &pm_arg_server_port, NULL };
static const struct pm_tool_arg *const retransmissions_args[] = {
	P0,  &pm_arg_server_ip, &pm_arg_server_port, &arg_threshold, &pm_arg_limit, &pm_arg_offset,
	NULL
};
static const struct pm_tool_arg *const traffic_args[] = { P0, &pm_arg_server_ip_required,
	                                                  &pm_arg_server_port, NULL };

/*
 * Handlers: one adapter per view, the checked arguments in a struct pm_view_args.
 */

static void
view_args(const struct pm_tool_ctx *ctx, const struct pm_tool_args *a, struct pm_view_args *v)
{
	pm_view_args_init(v);
	v->max_bytes = pm_tool_result_cap(ctx);
	if (pm_arg_given(a, "port")) {
		v->port = (int32_t)pm_arg_int(a, "port");
	}
	if (pm_arg_given(a, "server_port")) {
		v->server_port = (int32_t)pm_arg_int(a, "server_port");
	}
	v->ip = pm_arg_str(a, "ip");
	v->protocol = pm_arg_str(a, "protocol");
	v->server_ip = pm_arg_str(a, "server_ip");
	const char *sort = pm_arg_str(a, "sort");
	if (sort != NULL && !pm_view_sort_parse(sort, &v->sort)) {
		v->sort = PM_SORT_BYTES; /* not reached: the table's enum admits only the three */
	}
	if (pm_tool_arg_find(a->tool, "threshold") != NULL) {
		v->threshold = pm_arg_num(a, "threshold");
	}
	v->offset = pm_arg_int(a, "offset");
	if (pm_arg_given(a, "detailed")) {
		/* mcpcap: the first 10, or all of them. */
		v->limit = pm_arg_bool(a, "detailed") ? PM_VIEW_MAX_LIMIT : 10;
		v->budget = 0;
	}
	if (pm_arg_given(a, "limit")) {
		v->limit = pm_arg_int(a, "limit");
		v->budget =
		    0; /* an explicit limit is the caller's choice of size, up to max_bytes */
	}
}

#define VIEW_TOOL(fname, view)                                                                     \
	static int fname(struct pm_tool_ctx *ctx, const struct pm_analysis *a,                     \
	                 const struct pm_tool_args *args, struct pm_json *w, struct pm_error *err) \
	{                                                                                          \
		struct pm_view_args v;                                                             \
		view_args(ctx, args, &v);                                                          \
		return view(a, &v, w, err);                                                        \
	}

VIEW_TOOL(tool_port_flows, pm_view_port_flows)
VIEW_TOOL(tool_ip_flows, pm_view_ip_flows)
VIEW_TOOL(tool_protocol_flows, pm_view_protocol_flows)
VIEW_TOOL(tool_tcp_connections, pm_view_tcp_connections)
VIEW_TOOL(tool_tcp_anomalies, pm_view_tcp_anomalies)
VIEW_TOOL(tool_tcp_retransmissions, pm_view_tcp_retransmissions)
VIEW_TOOL(tool_traffic_flow, pm_view_traffic_flow)

const struct pm_tool pm_tools_flows[] = {
	{
	    .name = "analyze_port_flows",
	    .title = "Flows on a port",
	    .description =
	        "Bidirectional TCP/UDP flows where either side uses `port`: client and "
	        "server, application label, TCP state, first/last seen, duration, packets "
	        "and bytes each way, packets and bytes per second. Sorted by bytes, packets "
	        "or start; paged with limit/offset.",
	    .args = port_args,
	    .result = port_result,
	    .group = PM_GROUP_FLOWS,
	    .reads_capture = true,
	    .fn = tool_port_flows,
	},
	{
	    .name = "analyze_ip_flows",
	    .title = "Flows of a host",
	    .description =
	        "Flows to and from one IPv4 or IPv6 address, each marked inbound (the "
	        "address is the server) or outbound (it is the client), with inbound and "
	        "outbound totals. Use it to see what a host talked to and how much.",
	    .args = ip_args,
	    .result = ip_result,
	    .group = PM_GROUP_FLOWS,
	    .reads_capture = true,
	    .fn = tool_ip_flows,
	},
	{
	    .name = "analyze_protocol_flows",
	    .title = "Flows of a protocol",
	    .description =
	        "Flows of one protocol: an IP protocol (tcp, udp, icmp, icmpv6), an "
	        "application label (http, tls, dns, quic, ssh, smtp, dhcp, ntp, sip, ...) or "
	        "any name get_pcap_summary.protocols reports (TCP (other) and UDP (other) "
	        "are the unlabelled TCP and UDP flows, other IP the unlabelled flows of other "
	        "IP protocols; non-IP has no flows), any case: the flows returned are exactly "
	        "those the summary counts under that name. Labels come from the first payload "
	        "bytes or a well-known port. "
	        "QUIC stays only on flows the QUIC analyser confirms (a long header of a "
	        "known version whose Initial, where keys are known, decrypts).",
	    .args = protocol_args,
	    .result = protocol_result,
	    .group = PM_GROUP_FLOWS,
	    .reads_capture = true,
	    .fn = tool_protocol_flows,
	},
	{
	    .name = "analyze_tcp_connections",
	    .title = "TCP connections",
	    .description =
	        "TCP connection states and lifecycle (mcpcap's analyze_tcp_connections, its core "
	        "tool for most TCP questions): a summary of connection statistics (handshakes "
	        "completed and failed, resets, normal closes, active), the connections with "
	        "their state (established, closed, reset, failed, half_open, active), "
	        "handshake, SYN/FIN/RST counts, data segments, retransmissions and close "
	        "reason, and the issues detected. Optional server_ip/server_port filter; "
	        "detailed=false lists the first 10 connections, true all of them (paged).",
	    .args = connections_args,
	    .result = connections_result,
	    .group = PM_GROUP_FLOWS,
	    .reads_capture = true,
	    .fn = tool_tcp_connections,
	},
	{
	    .name = "analyze_tcp_anomalies",
	    .title = "TCP anomalies",
	    .description =
	        "TCP traffic patterns from statistical analysis (mcpcap's analyze_tcp_anomalies), "
	        "purely observational, without guessing causes such as a firewall or "
	        "congestion: statistics (handshakes, flags, RST distribution, retransmissions, "
	        "connection states), the patterns detected by category "
	        "(connection_establishment: handshake success and SYN response ratios; "
	        "connection_termination: RST distribution, abnormal closes; reliability: "
	        "retransmission rate; connection_lifecycle) with the statistics behind each, "
	        "and a summary. Optional server_ip/server_port filter.",
	    .args = anomalies_args,
	    .result = anomalies_result,
	    .group = PM_GROUP_FLOWS,
	    .reads_capture = true,
	    .fn = tool_tcp_anomalies,
	},
	{
	    .name = "analyze_tcp_retransmissions",
	    .title = "TCP retransmissions",
	    .description =
	        "TCP retransmission patterns (mcpcap's analyze_tcp_retransmissions): "
	        "total_retransmissions, retransmission_rate overall and per connection "
	        "(by_connection, worst first) against `threshold` (default 0.02 = 2%), and a "
	        "summary of the worst connection and the threshold violations. "
	        "Retransmissions are payload segments whose sequence range was seen before. "
	        "Optional server_ip/server_port filter.",
	    .args = retransmissions_args,
	    .result = retransmissions_result,
	    .group = PM_GROUP_FLOWS,
	    .reads_capture = true,
	    .fn = tool_tcp_retransmissions,
	},
	{
	    .name = "analyze_traffic_flow",
	    .title = "Client/server traffic balance",
	    .description =
	        "Bidirectional traffic flow characteristics for one server (mcpcap's "
	        "analyze_traffic_flow): traffic direction, asymmetry, RST sources and data "
	        "transfer patterns as client_to_server and server_to_client statistics "
	        "(packets, bytes, SYN/FIN/RST, data segments, retransmissions) and an analysis "
	        "(asymmetry ratio, data flow direction, primary RST source, interpretation). "
	        "server_ip is required, server_port optional.",
	    .args = traffic_args,
	    .result = traffic_result,
	    .group = PM_GROUP_FLOWS,
	    .reads_capture = true,
	    .fn = tool_traffic_flow,
	},
};

const size_t pm_tools_flows_n = PM_ARRAY_LEN(pm_tools_flows);

/* SPDX-License-Identifier: MIT */
/*
 * tools_capture.c - the capture group: analyze_capinfos, load_pcap_file,
 * get_pcap_summary. Rows, argument tables, result trees and handlers.
 */
#include "tools.h"

#include <stdio.h>

#include "analysis.h"
#include "info.h"
#include "json.h"
#include "summary.h"
#include "view.h"

/*
 * Result trees.
 */

static const struct pm_field isb_members[] = {
	{ .name = "blocks", .type = PM_F_INT, .description = "interface statistics blocks read" },
	{ .name = "start_time", .type = PM_F_STR, .nullable = true },
	{ .name = "end_time", .type = PM_F_STR, .nullable = true },
	{ .name = "if_received", .type = PM_F_INT, .nullable = true },
	{ .name = "if_dropped", .type = PM_F_INT, .nullable = true },
	{ .name = "filter_accepted", .type = PM_F_INT, .nullable = true },
	{ .name = "os_dropped", .type = PM_F_INT, .nullable = true },
	{ .name = "user_delivered", .type = PM_F_INT, .nullable = true },
	{ 0 },
};

static const struct pm_field iface_members[] = {
	{ .name = "index", .type = PM_F_INT },
	{ .name = "section",
	  .type = PM_F_INT,
	  .description = "pcapng section the interface belongs to" },
	{ .name = "name", .type = PM_F_STR, .nullable = true },
	{ .name = "description", .type = PM_F_STR, .nullable = true },
	{ .name = "linktype", .type = PM_F_INT, .description = "LINKTYPE_ number" },
	{ .name = "linktype_name",
	  .type = PM_F_STR,
	  .nullable = true,
	  .description = "null when unknown" },
	{ .name = "encapsulation",
	  .type = PM_F_STR,
	  .nullable = true,
	  .description = "null when unknown" },
	{ .name = "snaplen", .type = PM_F_INT },
	{ .name = "timestamp_resolution", .type = PM_F_STR },
	{ .name = "timestamp_offset_seconds", .type = PM_F_INT },
	{ .name = "fcs_length", .type = PM_F_INT, .nullable = true },
	{ .name = "packets", .type = PM_F_INT },
	{ .name = "statistics",
	  .type = PM_F_OBJ,
	  .nullable = true,
	  .members = isb_members,
	  .description = "the last interface statistics block, null when none" },
	{ 0 },
};

static const struct pm_field section_members[] = {
	{ .name = "byte_order", .type = PM_F_STR },
	{ .name = "version", .type = PM_F_STR },
	{ .name = "section_length", .type = PM_F_INT, .description = "-1 when not given" },
	{ .name = "interfaces", .type = PM_F_INT },
	{ .name = "hardware", .type = PM_F_STR, .nullable = true },
	{ .name = "os", .type = PM_F_STR, .nullable = true },
	{ .name = "application", .type = PM_F_STR, .nullable = true },
	{ 0 },
};

static const struct pm_field nrb_members[] = {
	{ .name = "address", .type = PM_F_STR },
	{ .name = "name", .type = PM_F_STR },
	{ 0 },
};

static const struct pm_field block_members[] = {
	{ .name = "section_header", .type = PM_F_INT },
	{ .name = "interface_description", .type = PM_F_INT },
	{ .name = "enhanced_packet", .type = PM_F_INT },
	{ .name = "simple_packet", .type = PM_F_INT },
	{ .name = "packet_obsolete", .type = PM_F_INT },
	{ .name = "name_resolution", .type = PM_F_INT },
	{ .name = "interface_statistics", .type = PM_F_INT },
	{ .name = "decryption_secrets", .type = PM_F_INT },
	{ .name = "decryption_secrets_types", .type = PM_F_ARR, .item = &pm_field_str },
	{ .name = "custom", .type = PM_F_INT },
	{ .name = "unknown", .type = PM_F_INT },
	{ 0 },
};

static const struct pm_field link_members[] = {
	{ .name = "ethernet", .type = PM_F_INT },
	{ .name = "vlan_tagged", .type = PM_F_INT },
	{ .name = "linux_sll", .type = PM_F_INT },
	{ .name = "linux_sll2", .type = PM_F_INT },
	{ .name = "loopback", .type = PM_F_INT },
	{ .name = "raw_ip", .type = PM_F_INT },
	{ .name = "ppp", .type = PM_F_INT },
	{ .name = "cisco_hdlc", .type = PM_F_INT },
	{ .name = "ieee802_11", .type = PM_F_INT, .description = "802.11 data frames" },
	{ .name = "radiotap", .type = PM_F_INT },
	{ .name = "ppi", .type = PM_F_INT },
	{ .name = "nflog", .type = PM_F_INT },
	{ .name = "pktap", .type = PM_F_INT },
	{ .name = "ipoib", .type = PM_F_INT },
	{ .name = "fddi", .type = PM_F_INT },
	{ .name = "arcnet", .type = PM_F_INT },
	{ .name = "frame_relay", .type = PM_F_INT },
	{ .name = "llc_snap", .type = PM_F_INT },
	{ .name = "encrypted",
	  .type = PM_F_INT,
	  .description = "frames whose payload is encrypted (802.11 protected, MACsec with "
	                 "encryption): not decoded further" },
	{ .name = "unknown_linktype", .type = PM_F_INT },
	{ 0 },
};

/* Packets decoded inside each kind of tunnel (the inner packet is the one flows count). */
static const struct pm_field tunnel_members[] = {
	{ .name = "gre", .type = PM_F_INT },
	{ .name = "erspan", .type = PM_F_INT },
	{ .name = "vxlan", .type = PM_F_INT },
	{ .name = "geneve", .type = PM_F_INT },
	{ .name = "ipip", .type = PM_F_INT },
	{ .name = "ip6ip", .type = PM_F_INT },
	{ .name = "gtpu", .type = PM_F_INT },
	{ .name = "teredo", .type = PM_F_INT },
	{ .name = "l2tp", .type = PM_F_INT },
	{ .name = "mpls", .type = PM_F_INT },
	{ .name = "pppoe", .type = PM_F_INT },
	{ .name = "pbb", .type = PM_F_INT },
	{ .name = "nsh", .type = PM_F_INT },
	{ .name = "macsec", .type = PM_F_INT },
	{ .name = "pim_register", .type = PM_F_INT },
	{ .name = "depth_capped",
	  .type = PM_F_INT,
	  .description = "packets whose tunnels nested deeper than the decoder enters" },
	{ 0 },
};

/* One tunnel of the summary: kind, outer endpoints and what went through it. */
static const struct pm_field tunnel_row_members[] = {
	{ .name = "kind",
	  .type = PM_F_STR,
	  .description = "gre, erspan, vxlan, geneve, ipip, ..." },
	{ .name = "outer_src",
	  .type = PM_F_STR,
	  .nullable = true,
	  .description = "outer source address; null for a tunnel not over IP (MPLS, PPPoE)" },
	{ .name = "outer_dst", .type = PM_F_STR, .nullable = true },
	{ .name = "packets", .type = PM_F_INT },
	{ .name = "bytes", .type = PM_F_INT, .description = "frame bytes on the wire" },
	{ .name = "inner_flows",
	  .type = PM_F_INT,
	  .description = "flows whose first packet came through this tunnel" },
	{ 0 },
};

/* IP fragment reassembly. */
static const struct pm_field reassembly_members[] = {
	{ .name = "datagrams", .type = PM_F_INT, .description = "datagrams reassembled" },
	{ .name = "overlapping_fragments",
	  .type = PM_F_INT,
	  .description = "fragments overlapping earlier ones (the first copy wins): an evasion "
	                 "signal" },
	{ .name = "timed_out", .type = PM_F_INT },
	{ .name = "evicted", .type = PM_F_INT, .description = "dropped at the memory cap" },
	{ .name = "too_big", .type = PM_F_INT },
	{ .name = "unusable_fragments", .type = PM_F_INT },
	{ .name = "incomplete", .type = PM_F_INT, .description = "datagrams never completed" },
	{ 0 },
};

static const struct pm_field network_members[] = {
	{ .name = "ipv4", .type = PM_F_INT },      { .name = "ipv6", .type = PM_F_INT },
	{ .name = "fragments", .type = PM_F_INT }, { .name = "arp", .type = PM_F_INT },
	{ .name = "other", .type = PM_F_INT },     { 0 },
};

static const struct pm_field transport_members[] = {
	{ .name = "tcp", .type = PM_F_INT },   { .name = "udp", .type = PM_F_INT },
	{ .name = "icmp", .type = PM_F_INT },  { .name = "icmpv6", .type = PM_F_INT },
	{ .name = "other", .type = PM_F_INT }, { 0 },
};

static const struct pm_field unknown_lt_members[] = {
	{ .name = "linktype", .type = PM_F_INT },
	{ .name = "packets", .type = PM_F_INT },
	{ 0 },
};

static const struct pm_field layer_members[] = {
	{ .name = "link", .type = PM_F_OBJ, .members = link_members },
	{ .name = "tunnels", .type = PM_F_OBJ, .members = tunnel_members },
	{ .name = "network", .type = PM_F_OBJ, .members = network_members },
	{ .name = "reassembly", .type = PM_F_OBJ, .members = reassembly_members },
	{ .name = "transport", .type = PM_F_OBJ, .members = transport_members },
	{ .name = "unknown_linktypes",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = unknown_lt_members } },
	{ .name = "truncated",
	  .type = PM_F_MAP,
	  .item = &pm_field_int,
	  .description = "packets cut short, by layer" },
	{ .name = "malformed",
	  .type = PM_F_MAP,
	  .item = &pm_field_int,
	  .description = "invalid headers, by layer" },
	{ 0 },
};

static const struct pm_field warning_members[] = {
	{ .name = "code",
	  .type = PM_F_STR,
	  .description = "capture_damaged, out_of_order, name_records_dropped or bad_tsresol" },
	{ .name = "message", .type = PM_F_STR },
	{ .name = "offset",
	  .type = PM_F_INT,
	  .optional = true,
	  .description = "capture_damaged: byte offset" },
	{ .name = "reason",
	  .type = PM_F_STR,
	  .optional = true,
	  .description = "capture_damaged: what was wrong" },
	{ .name = "packets",
	  .type = PM_F_INT,
	  .optional = true,
	  .description = "out_of_order: packets" },
	{ .name = "records",
	  .type = PM_F_INT,
	  .optional = true,
	  .description = "name_records_dropped: records" },
	{ .name = "interfaces",
	  .type = PM_F_INT,
	  .optional = true,
	  .description = "bad_tsresol: interfaces whose if_tsresol no 64-bit count can use (read "
	                 "as microseconds)" },
	{ 0 },
};

/* The capinfos facts (pm_info_emit), shared by analyze_capinfos and load_pcap_file. */
#define INFO_FIELDS                                                                                \
	{ .name = "filename", .type = PM_F_STR, .description = "the capture's file name" },        \
	    { .name = "path", .type = PM_F_STR, .description = "the resolved path" },              \
	    { .name = "file_size_bytes", .type = PM_F_INT },                                       \
	    { .name = "file_encapsulation",                                                        \
	      .type = PM_F_STR,                                                                    \
	      .description = "link type of every interface, \"Per packet\" or "                    \
		             "\"Unknown\"" },                                                      \
	    { .name = "format",                                                                    \
	      .type = PM_F_STR,                                                                    \
	      .description = "pcap, pcap-nsec, pcap-modified or pcapng" },                         \
	    { .name = "format_version", .type = PM_F_STR },                                        \
	    { .name = "byte_order", .type = PM_F_STR },                                            \
	    { .name = "packet_count", .type = PM_F_INT },                                          \
	    { .name = "data_size_bytes", .type = PM_F_INT, .description = "captured bytes" },      \
	    { .name = "wire_size_bytes", .type = PM_F_INT, .description = "bytes on the wire" },   \
	    { .name = "capture_duration_seconds", .type = PM_F_NUM },                              \
	    { .name = "first_packet_time",                                                         \
	      .type = PM_F_STR,                                                                    \
	      .nullable = true,                                                                    \
	      .description = "ISO 8601 UTC" },                                                     \
	    { .name = "last_packet_time",                                                          \
	      .type = PM_F_STR,                                                                    \
	      .nullable = true,                                                                    \
	      .description = "ISO 8601 UTC" },                                                     \
	    { .name = "data_rate_bytes", .type = PM_F_NUM, .description = "bytes per second" },    \
	    { .name = "data_rate_bits", .type = PM_F_NUM, .description = "bits per second" },      \
	    { .name = "average_packet_size_bytes", .type = PM_F_NUM },                             \
	    { .name = "average_packet_rate",                                                       \
	      .type = PM_F_NUM,                                                                    \
	      .description = "packets per second" },                                               \
	    { .name = "truncated_packets",                                                         \
	      .type = PM_F_INT,                                                                    \
	      .description = "captured shorter than on the wire" },                                \
	    { .name = "packets_without_timestamp", .type = PM_F_INT },                             \
	    { .name = "out_of_order_packets", .type = PM_F_INT },                                  \
	    { .name = "largest_packet_bytes", .type = PM_F_INT },                                  \
	    { .name = "sections",                                                                  \
	      .type = PM_F_ARR,                                                                    \
	      .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = section_members },    \
	      .description = "pcapng section headers (one pseudo-section for pcap)" },             \
	    { .name = "interfaces",                                                                \
	      .type = PM_F_ARR,                                                                    \
	      .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = iface_members } },    \
	    { .name = "interfaces_page", .type = PM_F_OBJ, .members = pm_field_page },             \
	    { .name = "name_resolution",                                                           \
	      .type = PM_F_ARR,                                                                    \
	      .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = nrb_members },        \
	      .description = "pcapng name resolution records" },                                   \
	    { .name = "name_resolution_page", .type = PM_F_OBJ, .members = pm_field_page },        \
	    { .name = "blocks",                                                                    \
	      .type = PM_F_OBJ,                                                                    \
	      .nullable = true,                                                                    \
	      .members = block_members,                                                            \
	      .description = "pcapng blocks by type; null for pcap" },                             \
	    { .name = "layers",                                                                    \
	      .type = PM_F_OBJ,                                                                    \
	      .members = layer_members,                                                            \
	      .description = "decoded packets by layer" },                                         \
	{                                                                                          \
		.name = "warnings", .type = PM_F_ARR,                                              \
		.item = &(const struct pm_field){ .type = PM_F_OBJ, .members = warning_members },  \
		.description = "damage, out-of-order packets, dropped records"                     \
	}

static const struct pm_field capinfos_result[] = {
	INFO_FIELDS,
	{ 0 },
};

static const struct pm_field load_result[] = {
	{ .name = "loaded", .type = PM_F_STR, .description = "the path later calls default to" },
	{ .name = "message", .type = PM_F_STR },
	INFO_FIELDS,
	{ 0 },
};

static const struct pm_field flow_count_members[] = {
	{ .name = "total", .type = PM_F_INT }, { .name = "tcp", .type = PM_F_INT },
	{ .name = "udp", .type = PM_F_INT },   { .name = "icmp", .type = PM_F_INT },
	{ .name = "other", .type = PM_F_INT }, { 0 },
};

static const struct pm_field proto_members[] = {
	{ .name = "name", .type = PM_F_STR },
	{ .name = "packets", .type = PM_F_INT },
	{ .name = "bytes", .type = PM_F_INT },
	{ .name = "percent", .type = PM_F_NUM, .description = "of all bytes" },
	{ 0 },
};

static const struct pm_field talker_members[] = {
	{ .name = "ip", .type = PM_F_STR },
	{ .name = "names",
	  .type = PM_F_ARR,
	  .optional = true,
	  .item = &pm_field_str,
	  .description = "up to 3 names that DNS answers in the capture resolved to this address, "
	                 "first seen first; absent when none did" },
	{ .name = "packets_sent", .type = PM_F_INT },
	{ .name = "packets_received", .type = PM_F_INT },
	{ .name = "bytes_sent", .type = PM_F_INT },
	{ .name = "bytes_received", .type = PM_F_INT },
	{ .name = "flows", .type = PM_F_INT },
	{ .name = "peers", .type = PM_F_INT },
	{ .name = "distinct_ports", .type = PM_F_INT },
	{ .name = "first_seen", .type = PM_F_STR },
	{ .name = "last_seen", .type = PM_F_STR },
	{ 0 },
};

static const struct pm_field port_members[] = {
	{ .name = "port", .type = PM_F_INT },    { .name = "protocol", .type = PM_F_STR },
	{ .name = "label", .type = PM_F_STR },   { .name = "flows", .type = PM_F_INT },
	{ .name = "clients", .type = PM_F_INT }, { .name = "packets", .type = PM_F_INT },
	{ .name = "bytes", .type = PM_F_INT },   { 0 },
};

static const struct pm_field health_members[] = {
	{ .name = "connections", .type = PM_F_INT },
	{ .name = "handshakes_completed", .type = PM_F_INT },
	{ .name = "established", .type = PM_F_INT },
	{ .name = "closed", .type = PM_F_INT },
	{ .name = "reset", .type = PM_F_INT },
	{ .name = "failed", .type = PM_F_INT },
	{ .name = "half_open", .type = PM_F_INT },
	{ .name = "active", .type = PM_F_INT },
	{ .name = "syn_without_answer", .type = PM_F_INT },
	{ .name = "rst_packets", .type = PM_F_INT },
	{ .name = "data_segments", .type = PM_F_INT },
	{ .name = "sequence_segments",
	  .type = PM_F_INT,
	  .description = "segments occupying sequence space (payload, SYN or FIN): the rate's "
	                 "denominator" },
	{ .name = "retransmissions", .type = PM_F_INT },
	{ .name = "retransmission_rate",
	  .type = PM_F_NUM,
	  .description = "retransmissions / sequence_segments, at most 1" },
	{ .name = "joined_mid_handshake",
	  .type = PM_F_INT,
	  .description = "connections whose SYN-ACK and ACK were seen without the client's SYN" },
	{ .name = "out_of_order", .type = PM_F_INT },
	{ .name = "zero_window", .type = PM_F_INT },
	{ 0 },
};

static const struct pm_field timeline_members[] = {
	{ .name = "start",
	  .type = PM_F_STR,
	  .nullable = true,
	  .description = "first bucket, null when no packets" },
	{ .name = "interval_seconds", .type = PM_F_NUM, .description = "bucket width" },
	{ .name = "buckets", .type = PM_F_INT },
	{ .name = "packets", .type = PM_F_ARR, .item = &pm_field_int },
	{ .name = "bytes", .type = PM_F_ARR, .item = &pm_field_int },
	{ 0 },
};

static const struct pm_field summary_result[] = {
	{ .name = "total_packets", .type = PM_F_INT },
	{ .name = "total_bytes", .type = PM_F_INT },
	{ .name = "duration_seconds", .type = PM_F_NUM },
	{ .name = "dropped_packets",
	  .type = PM_F_INT,
	  .description = "reported dropped by interface statistics" },
	{ .name = "approximate",
	  .type = PM_F_BOOL,
	  .description = "a table was full: counts are lower bounds" },
	{ .name = "flow_count", .type = PM_F_OBJ, .members = flow_count_members },
	{ .name = "protocols",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = proto_members },
	  .description = "distribution by application label" },
	{ .name = "protocols_page", .type = PM_F_OBJ, .members = pm_field_page },
	{ .name = "top_talkers",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = talker_members } },
	{ .name = "top_talkers_page", .type = PM_F_OBJ, .members = pm_field_page },
	{ .name = "top_ports",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = port_members },
	  .description = "server ports" },
	{ .name = "top_ports_page", .type = PM_F_OBJ, .members = pm_field_page },
	{ .name = "top_flows",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = pm_field_flow },
	  .description = "by bytes" },
	{ .name = "top_flows_page", .type = PM_F_OBJ, .members = pm_field_page },
	{ .name = "tcp_health", .type = PM_F_OBJ, .members = health_members },
	{ .name = "tunnelled_packets",
	  .type = PM_F_INT,
	  .description = "frames decoded inside a tunnel (their inner packets are the flows')" },
	{ .name = "tunnels",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = tunnel_row_members },
	  .description = "tunnels by kind and outer endpoints, most packets first (top of them)" },
	{ .name = "tunnels_page", .type = PM_F_OBJ, .members = pm_field_page },
	{ .name = "timeline", .type = PM_F_OBJ, .members = timeline_members },
	{ 0 },
};

/*
 * Arguments.
 */

static const struct pm_tool_arg arg_top = {
	.name = "top",
	.type = PM_ARG_INT,
	.description = "Length of the top lists.",
	.has_min = true,
	.min = 1,
	.has_max = true,
	.max = PM_VIEW_MAX_LIMIT,
	.has_default = true,
	.def = PM_VIEW_DEFAULT_TOP,
};

static const struct pm_tool_arg *const capinfos_args[] = { &pm_arg_path, &pm_arg_pcap_file,
	                                                   &pm_arg_auth_token, NULL };
static const struct pm_tool_arg *const load_args[] = { &pm_arg_path_required, &pm_arg_pcap_file,
	                                               &pm_arg_auth_token, NULL };
static const struct pm_tool_arg *const summary_args[] = { &pm_arg_path, &pm_arg_pcap_file,
	                                                  &pm_arg_auth_token, &arg_top, NULL };

/*
 * Handlers.
 */

static int
tool_capinfos(struct pm_tool_ctx *ctx, const struct pm_analysis *a, const struct pm_tool_args *args,
              struct pm_json *w, struct pm_error *err)
{
	(void)ctx;
	(void)args;
	(void)err;
	pm_info_emit(w, pm_an_info(a), &a->cap, &a->dec, a->path);
	return 0;
}

static int
tool_load(struct pm_tool_ctx *ctx, const struct pm_analysis *a, const struct pm_tool_args *args,
          struct pm_json *w, struct pm_error *err)
{
	(void)args;
	(void)err;
	pm_tool_set_loaded(ctx, a->path);
	pm_json_kstr(w, "loaded", a->path);
	pm_json_kstr(w, "message",
	             "Capture analysed and remembered: later tool calls may omit path.");
	pm_info_emit(w, pm_an_info(a), &a->cap, &a->dec, a->path);
	return 0;
}

static int
tool_summary(struct pm_tool_ctx *ctx, const struct pm_analysis *a, const struct pm_tool_args *args,
             struct pm_json *w, struct pm_error *err)
{
	struct pm_view_args v;
	pm_view_args_init(&v);
	v.top = pm_arg_int(args, "top");
	v.max_bytes = pm_tool_result_cap(ctx);
	return pm_summary_emit(a, &v, w, err);
}

const struct pm_tool pm_tools_capture[] = {
	{
	    .name = "analyze_capinfos",
	    .title = "Capture file facts",
	    .description =
	        "Metadata of a capture file, like Wireshark's capinfos (mcpcap's "
	        "analyze_capinfos): file size, name and encapsulation, format, interfaces "
	        "and link types, packet count, sizes, first and last packet time, duration, "
	        "data and packet rates, truncated packets, interface statistics and "
	        "layer counts (Ethernet, VLAN, IPv4, IPv6, TCP, UDP, ICMP). Use it first to "
	        "see what a capture holds and whether it is damaged.",
	    .args = capinfos_args,
	    .result = capinfos_result,
	    .group = PM_GROUP_CAPTURE,
	    .reads_capture = true,
	    .info_only = true,
	    .fn = tool_capinfos,
	},
	{
	    .name = "load_pcap_file",
	    .title = "Load a capture",
	    .description =
	        "Analyse a capture once and remember it, so later calls may omit `path`. "
	        "Returns the same facts as analyze_capinfos. Later calls on the same file "
	        "are answered from the analysis cache.",
	    .args = load_args,
	    .result = load_result,
	    .group = PM_GROUP_CAPTURE,
	    .reads_capture = true,
	    .fn = tool_load,
	},
	{
	    .name = "get_pcap_summary",
	    .title = "Capture summary",
	    .description =
	        "Overview of a capture in one answer: totals, duration, flow counts by "
	        "protocol, protocol distribution by application label with percentages, top "
	        "talkers, top server ports, top flows by bytes, TCP health (handshakes, "
	        "failures, resets, retransmission rate) and a packets/bytes timeline. `top` "
	        "sets the length of the top lists (default 10).",
	    .args = summary_args,
	    .result = summary_result,
	    .group = PM_GROUP_CAPTURE,
	    .reads_capture = true,
	    .fn = tool_summary,
	},
};

const size_t pm_tools_capture_n = PM_ARRAY_LEN(pm_tools_capture);

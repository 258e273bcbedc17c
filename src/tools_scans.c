/* SPDX-License-Identifier: MIT */
/*
 * tools_scans.c - the scans group: scan_overview, list_suspects,
 * first_scan_event (PortHunter's tools). Rows, argument tables, result
 * trees and handlers.
 */
#include "tools.h"

#include "analysis.h"
#include "info.h"
#include "isotime.h"
#include "scan.h"
#include "scanview.h"
#include "view.h"

#define SCAN_MAX_WINDOW_S 31536000.0 /* a year */

/*
 * Result trees.
 */

static const struct pm_field technique_members[] = {
	{ .name = "name", .type = PM_F_STR },
	{ .name = "count", .type = PM_F_INT },
	{ 0 },
};

/* What scanners and suspects share. */
#define SOURCE_FIELDS                                                                              \
	{ .name = "ip", .type = PM_F_STR, .description = "the scanning source" },                  \
	    { .name = "pkts", .type = PM_F_INT, .description = "probe packets" },                  \
	    { .name = "distinct_ports", .type = PM_F_INT },                                        \
	    { .name = "distinct_hosts", .type = PM_F_INT },                                        \
	    { .name = "distinct_targets",                                                          \
	      .type = PM_F_INT,                                                                    \
	      .description = "distinct (host, port) pairs" },                                      \
	    { .name = "kind", .type = PM_F_STR, .description = "vertical, horizontal or block" },  \
	    { .name = "techniques",                                                                \
	      .type = PM_F_ARR,                                                                    \
	      .item =                                                                              \
		  &(const struct pm_field){ .type = PM_F_OBJ, .members = technique_members } },    \
	    { .name = "first_seen", .type = PM_F_STR }, { .name = "last_seen", .type = PM_F_STR }, \
	    { .name = "rate_pps",                                                                  \
	      .type = PM_F_NUM,                                                                    \
	      .description = "probe packets per second over the active span" },                    \
	{                                                                                          \
		.name = "open_ports_found", .type = PM_F_INT,                                      \
		.description = "probes answered with SYN-ACK"                                      \
	}

static const struct pm_field tcp_flag_members[] = {
	{ .name = "SYN", .type = PM_F_INT },
	{ .name = "FIN", .type = PM_F_INT },
	{ .name = "PSH", .type = PM_F_INT },
	{ .name = "URG", .type = PM_F_INT },
	{ .name = "RST", .type = PM_F_INT },
	{ .name = "ACK", .type = PM_F_INT },
	{ 0 },
};

static const struct pm_field scanner_members[] = {
	SOURCE_FIELDS,
	{ .name = "flag_stats",
	  .type = PM_F_OBJ,
	  .members = tcp_flag_members,
	  .description = "TCP probes by the flags of their first segment, as PortHunter counts "
	                 "them" },
	{ .name = "technique_stats",
	  .type = PM_F_MAP,
	  .item = &pm_field_int,
	  .description = "probes by technique (SYN, FIN, NULL, XMAS, ACK, MAIMON, CONNECT, UDP, "
	                 "ICMP)" },
	{ .name = "max_targets_in_window",
	  .type = PM_F_INT,
	  .description = "most distinct targets probed within any time_window_s" },
	{ 0 },
};

static const struct pm_field suspect_members[] = {
	SOURCE_FIELDS,
	{ .name = "flags_seen",
	  .type = PM_F_ARR,
	  .item = &pm_field_str,
	  .description = "TCP flags of its probes: SYN, FIN, PSH, URG, RST, ACK" },
	{ .name = "score", .type = PM_F_NUM },
	{ 0 },
};

static const struct pm_field target_members[] = {
	{ .name = "ip", .type = PM_F_STR },
	{ .name = "pkts", .type = PM_F_INT },
	{ .name = "ports_hit",
	  .type = PM_F_ARR,
	  .item = &pm_field_int,
	  .description = "the probed TCP/UDP ports, ascending, at most 32" },
	{ .name = "ports_hit_count", .type = PM_F_INT, .description = "distinct ports probed" },
	{ 0 },
};

static const struct pm_field traceroute_members[] = {
	{ .name = "ip", .type = PM_F_STR, .description = "the tracing source" },
	{ .name = "probes", .type = PM_F_INT },
	{ .name = "max_ttl", .type = PM_F_INT, .description = "the highest TTL or hop limit sent" },
	{ .name = "first_seen", .type = PM_F_STR },
	{ .name = "last_seen", .type = PM_F_STR },
	{ 0 },
};

static const struct pm_field port_hit_members[] = {
	{ .name = "port", .type = PM_F_INT },
	{ .name = "hits", .type = PM_F_INT },
	{ 0 },
};

static const struct pm_field overview_thresholds[] = {
	{ .name = "scanner_min_targets", .type = PM_F_INT },
	{ .name = "kind_few", .type = PM_F_INT },
	{ .name = "time_window_s", .type = PM_F_NUM },
	{ 0 },
};

static const struct pm_field overview_members[] = {
	{ .name = "file", .type = PM_F_STR, .description = "the path as given" },
	{ .name = "path", .type = PM_F_STR, .description = "the resolved path" },
	{ .name = "total_pkts", .type = PM_F_INT },
	{ .name = "interval_s", .type = PM_F_NUM, .description = "first to last packet" },
	{ .name = "scanners",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = scanner_members } },
	{ .name = "scanners_page", .type = PM_F_OBJ, .members = pm_field_page },
	{ .name = "targets",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = target_members },
	  .description = "the most probed hosts" },
	{ .name = "targets_page", .type = PM_F_OBJ, .members = pm_field_page },
	{ .name = "port_distribution",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = port_hit_members },
	  .description = "the most probed ports" },
	{ .name = "port_distribution_page", .type = PM_F_OBJ, .members = pm_field_page },
	{ .name = "suspected_patterns", .type = PM_F_ARR, .item = &pm_field_str },
	{ .name = "traceroutes",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = traceroute_members },
	  .description = "sources that sent UDP or ICMP with increasing TTLs answered by time "
	                 "exceeded: traceroute, not a scan" },
	{ .name = "thresholds", .type = PM_F_OBJ, .members = overview_thresholds },
	{ .name = "approximate",
	  .type = PM_F_BOOL,
	  .description = "a table was full: counts are lower bounds" },
	{ 0 },
};

static const struct pm_field overview_result[] = {
	{ .name = "overview", .type = PM_F_OBJ, .members = overview_members },
	{ 0 },
};

static const struct pm_field suspects_thresholds[] = {
	{ .name = "min_ports", .type = PM_F_INT },
	{ .name = "min_rate_pps", .type = PM_F_NUM },
	{ .name = "kind_few", .type = PM_F_INT },
	{ 0 },
};

static const struct pm_field suspects_result[] = {
	{ .name = "suspects",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = suspect_members },
	  .description = "most suspicious first" },
	{ .name = "suspects_page", .type = PM_F_OBJ, .members = pm_field_page },
	{ .name = "thresholds", .type = PM_F_OBJ, .members = suspects_thresholds },
	{ .name = "approximate", .type = PM_F_BOOL },
	{ 0 },
};

static const struct pm_field event_members[] = {
	{ .name = "ts",
	  .type = PM_F_STR,
	  .description = "ISO-8601 UTC as PortHunter writes it: seconds, microseconds when the "
	                 "capture has them" },
	{ .name = "src", .type = PM_F_STR },
	{ .name = "dst", .type = PM_F_STR },
	{ .name = "port", .type = PM_F_INT, .nullable = true, .description = "null for ICMP echo" },
	{ .name = "flags",
	  .type = PM_F_STR,
	  .nullable = true,
	  .description = "TCP flags as tcpdump letters (S, F, FPU, A, FA; \"\" for none); null "
	                 "for UDP and ICMP" },
	{ .name = "time", .type = PM_F_STR, .description = "ISO-8601 UTC with nanoseconds" },
	{ .name = "tcp_flags",
	  .type = PM_F_STR,
	  .nullable = true,
	  .description = "TCP flag names (SYN, FIN,PSH,URG, none); null for UDP and ICMP" },
	{ .name = "technique", .type = PM_F_STR },
	{ .name = "protocol", .type = PM_F_STR },
	{ .name = "state", .type = PM_F_STR },
	{ 0 },
};

static const struct pm_field first_result[] = {
	{ .name = "first_event",
	  .type = PM_F_OBJ,
	  .nullable = true,
	  .members = event_members,
	  .description = "null when there is no scanner" },
	{ 0 },
};

/*
 * Arguments.
 */

static const struct pm_tool_arg arg_window = {
	.name = "time_window_s",
	.type = PM_ARG_NUM,
	.description = "Window for max_targets_in_window, seconds.",
	.has_min = true,
	.exclusive_min = true,
	.has_max = true,
	.max = SCAN_MAX_WINDOW_S,
	.has_default = true,
	.def = PM_SCAN_DEFAULT_WINDOW_S,
};
static const struct pm_tool_arg arg_top_k = {
	.name = "top_k",
	.type = PM_ARG_INT,
	.description = "Items per list.",
	.has_min = true,
	.min = 1,
	.has_max = true,
	.max = PM_VIEW_MAX_LIMIT,
	.has_default = true,
	.def = PM_SCAN_DEFAULT_TOP,
};
static const struct pm_tool_arg arg_min_ports = {
	.name = "min_ports",
	.type = PM_ARG_INT,
	.description = "Fewest distinct (host, port) targets a suspect probed.",
	.has_min = true,
	.min = 1,
	.has_max = true,
	.max = 1000000000,
	.has_default = true,
	.def = PM_SCAN_DEFAULT_MIN_PORTS,
};
static const struct pm_tool_arg arg_min_rate = {
	.name = "min_rate_pps",
	.type = PM_ARG_NUM,
	.description = "Lowest probe rate of a suspect, packets per second.",
	.has_min = true,
	.has_max = true,
	.max = 1e12,
	.has_default = true,
	.def = PM_SCAN_DEFAULT_MIN_RATE,
};

#define P0 &pm_arg_path, &pm_arg_pcap_file, &pm_arg_auth_token
static const struct pm_tool_arg *const overview_args[] = { P0, &arg_window, &arg_top_k, NULL };
static const struct pm_tool_arg *const suspects_args[] = { P0, &arg_min_ports, &arg_min_rate,
	                                                   NULL };
static const struct pm_tool_arg *const first_args[] = { P0, NULL };

/*
 * Handlers.
 */

static int
tool_scan_overview(struct pm_tool_ctx *ctx, const struct pm_analysis *a,
                   const struct pm_tool_args *args, struct pm_json *w, struct pm_error *err)
{
	const char *given = pm_arg_str(args, "path");
	given = given != NULL ? given : pm_arg_str(args, "pcap_file");
	struct pm_scan_file fi = {
		.file = given != NULL ? given : a->path,
		.path = a->path,
		.total_pkts = pm_an_info(a)->packets,
		.max_bytes = pm_tool_result_cap(ctx),
	};
	if (pm_an_info(a)->packets != 0 && pm_an_info(a)->ts_max > pm_an_info(a)->ts_min) {
		fi.interval_s = pm_time_span_s(pm_an_info(a)->ts_min, pm_an_info(a)->ts_max);
	}
	int rc = pm_scan_overview(pm_an_scan(a), &fi, pm_arg_num(args, "time_window_s"),
	                          (uint64_t)pm_arg_int(args, "top_k"), w);
	if (rc != 0) {
		return pm_error_setc(err, rc, PM_EC_INTERNAL_ERROR, 0, "out of memory");
	}
	return 0;
}

static int
tool_list_suspects(struct pm_tool_ctx *ctx, const struct pm_analysis *a,
                   const struct pm_tool_args *args, struct pm_json *w, struct pm_error *err)
{
	int rc =
	    pm_scan_suspects_capped(pm_an_scan(a), (uint64_t)pm_arg_int(args, "min_ports"),
	                            pm_arg_num(args, "min_rate_pps"), pm_tool_result_cap(ctx), w);
	if (rc != 0) {
		return pm_error_setc(err, rc, PM_EC_INTERNAL_ERROR, 0, "out of memory");
	}
	return 0;
}

static int
tool_first_scan_event(struct pm_tool_ctx *ctx, const struct pm_analysis *a,
                      const struct pm_tool_args *args, struct pm_json *w, struct pm_error *err)
{
	(void)ctx;
	(void)args;
	(void)err;
	pm_scan_first_event(pm_an_scan(a), w);
	return 0;
}

const struct pm_tool pm_tools_scans[] = {
	{
	    .name = "scan_overview",
	    .title = "Port scans: overview",
	    .description =
	        "Who scanned whom in a capture (PortHunter's scan_overview). A probe is a "
	        "flow a source opened that carried no payload either way: TCP SYN (syn), "
	        "FIN (fin), no flags (null), FIN+PSH+URG (xmas), bare ACK (ack), FIN+ACK "
	        "(maimon), a completed handshake closed by the client without data "
	        "(connect), UDP without a reply or answered by ICMP unreachable (udp), ICMP "
	        "echo requests (icmp_sweep). A scanner probed at least 10 distinct targets "
	        "(host, port; an ICMP-swept host counts as one). Per scanner: probe packets "
	        "(pkts), distinct ports, hosts and targets, flag_stats (TCP probes by flag: "
	        "SYN, FIN, PSH, URG, RST, ACK), technique_stats (probes by technique), "
	        "kind (vertical: <=3 hosts; horizontal: <=3 ports; block: more of both), "
	        "techniques, first/last probe, rate, open_ports_found (answered SYN-ACK) and "
	        "max_targets_in_window: the most distinct targets probed within any "
	        "time_window_s seconds (default 60), which tells bursts from slow scans. "
	        "Also the most probed hosts (targets, each with ports_hit, its probed "
	        "ports, and ports_hit_count), ports (port_distribution) and "
	        "suspected_patterns. Lists hold top_k items (default 20). Servers "
	        "answering, clients whose connections carry data and answered UDP queries "
	        "are never probes.",
	    .args = overview_args,
	    .result = overview_result,
	    .group = PM_GROUP_SCANS,
	    .reads_capture = true,
	    .fn = tool_scan_overview,
	},
	{
	    .name = "list_suspects",
	    .title = "Port scans: suspects",
	    .description =
	        "Sources that look like port scanners, most suspicious first "
	        "(PortHunter's list_suspects). A source is listed when it probed at least "
	        "min_ports distinct (host, port) targets (default 10; the name is "
	        "PortHunter's but it counts targets, so a horizontal scan of one port over "
	        "many hosts is not missed) at a rate of at least min_rate_pps probe "
	        "packets per second over its active span (default 5). Probes and kinds "
	        "as in scan_overview; flags_seen names the TCP flags of its probes (SYN, "
	        "FIN, PSH, URG, RST, ACK). score = log2(1 + distinct_targets) * (1 + "
	        "open_ports_found / distinct_targets) * 1.5 if any stealth probe "
	        "(FIN, NULL, XMAS, ACK, Maimon) was sent, else 1. Slow scans below the "
	        "rate stay visible in scan_overview.",
	    .args = suspects_args,
	    .result = suspects_result,
	    .group = PM_GROUP_SCANS,
	    .reads_capture = true,
	    .fn = tool_list_suspects,
	},
	{
	    .name = "first_scan_event",
	    .title = "Port scans: first probe",
	    .description =
	        "When reconnaissance began (PortHunter's first_scan_event): the earliest "
	        "probe sent by any source scan_overview reports as a scanner, whatever its "
	        "rate, in PortHunter's shape {ts, src, dst, port, flags} (ts ISO-8601 UTC, "
	        "flags tcpdump letters: S, F, FPU, \"\" for a null scan, A) plus time "
	        "(nanoseconds), tcp_flags (SYN, FIN,PSH,URG), technique, protocol and state; "
	        "null when there is no scanner. port is null for ICMP echo, flags null for "
	        "UDP and ICMP.",
	    .args = first_args,
	    .result = first_result,
	    .group = PM_GROUP_SCANS,
	    .reads_capture = true,
	    .fn = tool_first_scan_event,
	},
};

const size_t pm_tools_scans_n = PM_ARRAY_LEN(pm_tools_scans);

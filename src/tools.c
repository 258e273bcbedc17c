/* SPDX-License-Identifier: MIT */
/*
 * tools.c - the tool registry: names, descriptions for models, schemas, and
 * the handlers that turn parsed arguments into view calls; plus the one call
 * path both MCP and the CLI use (token, sandbox, cache, error contract).
 */
#include "tools.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "arena.h"
#include "cache.h"
#include "flowview.h"
#include "json.h"
#include "jsonparse.h"
#include "sandbox.h"
#include "scan.h"
#include "summary.h"
#include "tcpview.h"

/* Schema fragments shared by the input schemas. */
#define S_OPEN "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","
#define P_PATH                                                                                     \
	"\"path\":{\"type\":\"string\",\"minLength\":1,\"description\":\"Capture file (.pcap or "  \
	".pcapng) below the allowed directory; relative paths are relative to it. May be "         \
	"omitted after load_pcap_file.\"}"
#define P_TOKEN                                                                                    \
	"\"auth_token\":{\"type\":\"string\",\"description\":\"Required when the server is "       \
	"started with PCAPMCP_REQUIRE_TOKEN.\"}"
#define P_PAGE                                                                                     \
	"\"limit\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":1000,\"default\":50,"           \
	"\"description\":\"Items per list.\"},\"offset\":{\"type\":\"integer\",\"minimum\":0,"     \
	"\"default\":0,\"description\":\"Items skipped before the page.\"}"
#define P_SORT                                                                                     \
	"\"sort\":{\"type\":\"string\",\"enum\":[\"bytes\",\"packets\",\"start\"],"                \
	"\"default\":\"bytes\"}"
#define P_SERVER                                                                                   \
	"\"server_ip\":{\"type\":\"string\",\"description\":\"Only connections to this server "    \
	"address (IPv4 or IPv6).\"},\"server_port\":{\"type\":\"integer\",\"minimum\":0,"          \
	"\"maximum\":65535,\"description\":\"Only connections to this server port.\"}"
#define S_CLOSE(required) "},\"required\":[" required "],\"additionalProperties\":false}"

/* Output schemas: the members every result has, plus the tool's own. */
#define O_OPEN                                                                                     \
	"{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","       \
	"\"properties\":{\"ok\":{\"type\":\"boolean\"},\"generated_at\":{\"type\":\"string\"},"    \
	"\"error\":{\"type\":\"string\"},\"message\":{\"type\":\"string\"}"
#define O_CLOSE   "},\"required\":[\"ok\",\"generated_at\"]}"
#define O_INT(n)  ",\"" n "\":{\"type\":\"integer\"}"
#define O_NUM(n)  ",\"" n "\":{\"type\":\"number\"}"
#define O_STR(n)  ",\"" n "\":{\"type\":[\"string\",\"null\"]}"
#define O_ARR(n)  ",\"" n "\":{\"type\":\"array\"}"
#define O_OBJ(n)  ",\"" n "\":{\"type\":\"object\"}"
#define O_BOOL(n) ",\"" n "\":{\"type\":\"boolean\"}"

/* Read an optional integer argument within [lo, hi]; false (err filled) when invalid. */
static bool
arg_int(const struct pm_jv *args, const char *key, int64_t lo, int64_t hi, int64_t *out,
        struct pm_error *err)
{
	const struct pm_jv *v = pm_jv_get(args, key);
	if (v == NULL) {
		return true;
	}
	int64_t x;
	if (!pm_jv_int(v, &x) || x < lo || x > hi) {
		pm_error_set(err, PM_E_MALFORMED, 0,
		             "invalid_argument: %s must be an integer from %lld to %lld", key,
		             (long long)lo, (long long)hi);
		return false;
	}
	*out = x;
	return true;
}

/* Read an optional string argument; false (err filled) when present but not a string. */
static bool
arg_str(const struct pm_jv *args, const char *key, const char **out, struct pm_error *err)
{
	const struct pm_jv *v = pm_jv_get(args, key);
	if (v == NULL) {
		return true;
	}
	const char *s = pm_jv_str(v);
	if (s == NULL) {
		pm_error_set(err, PM_E_MALFORMED, 0, "invalid_argument: %s must be a string", key);
		return false;
	}
	*out = s;
	return true;
}

/* The view arguments common to the flow and TCP tools. */
static bool
view_args(const struct pm_jv *args, struct pm_view_args *v, struct pm_error *err)
{
	pm_view_args_init(v);
	int64_t port = -1, sport = -1, limit = v->limit, offset = 0, top = v->top;
	const char *sort = NULL;
	bool ok =
	    arg_int(args, "port", 0, 65535, &port, err) &&
	    arg_int(args, "server_port", 0, 65535, &sport, err) &&
	    arg_int(args, "limit", 0, PM_VIEW_MAX_LIMIT, &limit, err) &&
	    arg_int(args, "offset", 0, INT64_MAX, &offset, err) &&
	    arg_int(args, "top", 1, PM_VIEW_MAX_LIMIT, &top, err) &&
	    arg_str(args, "ip", &v->ip, err) && arg_str(args, "protocol", &v->protocol, err) &&
	    arg_str(args, "server_ip", &v->server_ip, err) && arg_str(args, "sort", &sort, err);
	if (!ok) {
		return false;
	}
	const struct pm_jv *th = pm_jv_get(args, "threshold");
	if (th != NULL && (!pm_jv_num(th, &v->threshold) || v->threshold < 0 || v->threshold > 1)) {
		pm_error_set(err, PM_E_MALFORMED, 0,
		             "invalid_argument: threshold must be a number from 0 to 1");
		return false;
	}
	if (sort != NULL && !pm_view_sort_parse(sort, &v->sort)) {
		pm_error_set(err, PM_E_MALFORMED, 0,
		             "invalid_argument: sort must be bytes, packets or start");
		return false;
	}
	v->port = (int32_t)port;
	v->server_port = (int32_t)sport;
	v->offset = offset;
	v->top = top;
	if (pm_jv_get(args, "limit") != NULL) {
		v->limit = limit;
		v->budget = 0; /* an explicit limit is the caller's choice of size */
	}
	return true;
}

/* Guards what every ctx->loaded points at: calls run on several threads. */
static pthread_mutex_t loaded_lock = PTHREAD_MUTEX_INITIALIZER;

/* Copy the loaded path into out ("" when none); returns its length. */
static size_t
loaded_path(const struct pm_tool_ctx *ctx, char out[PM_TOOL_PATH_MAX])
{
	pthread_mutex_lock(&loaded_lock);
	snprintf(out, PM_TOOL_PATH_MAX, "%s", ctx->loaded != NULL ? ctx->loaded : "");
	pthread_mutex_unlock(&loaded_lock);
	return strlen(out);
}

static int
tool_capinfos(struct pm_tool_ctx *ctx, const struct pm_analysis *a, const struct pm_jv *args,
              struct pm_json *w, struct pm_error *err)
{
	(void)ctx;
	(void)args;
	(void)err;
	pm_info_emit(w, &a->info, &a->cap, &a->dec, a->path);
	return 0;
}

static int
tool_load(struct pm_tool_ctx *ctx, const struct pm_analysis *a, const struct pm_jv *args,
          struct pm_json *w, struct pm_error *err)
{
	(void)args;
	(void)err;
	pthread_mutex_lock(&loaded_lock);
	if (ctx->loaded != NULL) {
		snprintf(ctx->loaded, PM_TOOL_PATH_MAX, "%s", a->path);
	}
	pthread_mutex_unlock(&loaded_lock);
	pm_json_kstr(w, "loaded", a->path);
	pm_json_kstr(w, "message",
	             "Capture analysed and remembered: later tool calls may omit path.");
	pm_info_emit(w, &a->info, &a->cap, &a->dec, a->path);
	return 0;
}

static int
tool_summary(struct pm_tool_ctx *ctx, const struct pm_analysis *a, const struct pm_jv *args,
             struct pm_json *w, struct pm_error *err)
{
	(void)ctx;
	struct pm_view_args v;
	if (!view_args(args, &v, err)) {
		return PM_E_MALFORMED;
	}
	return pm_summary_emit(a, &v, w, err);
}

/* One adapter per view: same shape, different view function. */
#define VIEW_TOOL(fname, view)                                                                     \
	static int fname(struct pm_tool_ctx *ctx, const struct pm_analysis *a,                     \
	                 const struct pm_jv *args, struct pm_json *w, struct pm_error *err)        \
	{                                                                                          \
		(void)ctx;                                                                         \
		struct pm_view_args v;                                                             \
		if (!view_args(args, &v, err)) {                                                   \
			return PM_E_MALFORMED;                                                     \
		}                                                                                  \
		return view(a, &v, w, err);                                                        \
	}

VIEW_TOOL(tool_port_flows, pm_view_port_flows)
VIEW_TOOL(tool_ip_flows, pm_view_ip_flows)
VIEW_TOOL(tool_protocol_flows, pm_view_protocol_flows)
VIEW_TOOL(tool_tcp_connections, pm_view_tcp_connections)
VIEW_TOOL(tool_tcp_anomalies, pm_view_tcp_anomalies)
VIEW_TOOL(tool_tcp_retransmissions, pm_view_tcp_retransmissions)
VIEW_TOOL(tool_traffic_flow, pm_view_traffic_flow)

/* Read an optional number argument within [lo, hi]; false (err filled) when invalid. */
static bool
arg_num(const struct pm_jv *args, const char *key, double lo, double hi, double *out,
        struct pm_error *err)
{
	const struct pm_jv *v = pm_jv_get(args, key);
	if (v == NULL) {
		return true;
	}
	double x;
	if (!pm_jv_num(v, &x) || !(x >= lo && x <= hi)) {
		pm_error_set(err, PM_E_MALFORMED, 0,
		             "invalid_argument: %s must be a number from %g to %g", key, lo, hi);
		return false;
	}
	*out = x;
	return true;
}

#define SCAN_MAX_WINDOW_S 31536000.0 /* a year */

static int
tool_scan_overview(struct pm_tool_ctx *ctx, const struct pm_analysis *a, const struct pm_jv *args,
                   struct pm_json *w, struct pm_error *err)
{
	(void)ctx;
	double window = PM_SCAN_DEFAULT_WINDOW_S;
	int64_t top = PM_SCAN_DEFAULT_TOP;
	if (!arg_num(args, "time_window_s", 0.000001, SCAN_MAX_WINDOW_S, &window, err) ||
	    !arg_int(args, "top_k", 1, PM_VIEW_MAX_LIMIT, &top, err)) {
		return PM_E_MALFORMED;
	}
	struct pm_scan_file fi = { .file = a->path, .total_pkts = a->info.packets };
	if (a->info.packets != 0 && a->info.ts_max > a->info.ts_min) {
		fi.interval_s = (double)(a->info.ts_max - a->info.ts_min) / 1e9;
	}
	int rc = pm_scan_overview(&a->scan, &fi, window, (uint64_t)top, w);
	if (rc != 0) {
		return pm_error_set(err, rc, 0, "internal_error: out of memory");
	}
	return 0;
}

static int
tool_list_suspects(struct pm_tool_ctx *ctx, const struct pm_analysis *a, const struct pm_jv *args,
                   struct pm_json *w, struct pm_error *err)
{
	(void)ctx;
	int64_t min_ports = PM_SCAN_DEFAULT_MIN_PORTS;
	double min_rate = PM_SCAN_DEFAULT_MIN_RATE;
	if (!arg_int(args, "min_ports", 1, 1000000000, &min_ports, err) ||
	    !arg_num(args, "min_rate_pps", 0, 1e12, &min_rate, err)) {
		return PM_E_MALFORMED;
	}
	int rc = pm_scan_suspects(&a->scan, (uint64_t)min_ports, min_rate, w);
	if (rc != 0) {
		return pm_error_set(err, rc, 0, "internal_error: out of memory");
	}
	return 0;
}

static int
tool_first_scan_event(struct pm_tool_ctx *ctx, const struct pm_analysis *a,
                      const struct pm_jv *args, struct pm_json *w, struct pm_error *err)
{
	(void)ctx;
	(void)args;
	(void)err;
	pm_scan_first_event(&a->scan, w);
	return 0;
}

static int
tool_get_info(struct pm_tool_ctx *ctx, const struct pm_analysis *a, const struct pm_jv *args,
              struct pm_json *w, struct pm_error *err)
{
	(void)a;
	(void)args;
	(void)err;
	size_t n;
	const struct pm_tool *t = pm_tools(&n);
	pm_json_kstr(w, "name", "pcapmcp");
	pm_json_kstr(w, "version", PM_VERSION);
	pm_json_key(w, "protocol_versions");
	pm_json_arr_begin(w);
	static const char *const versions[] = { "2024-11-05", "2025-03-26", "2025-06-18",
		                                "2025-11-25", "2026-07-28" };
	for (size_t i = 0; i < PM_ARRAY_LEN(versions); i++) {
		pm_json_str(w, versions[i]);
	}
	pm_json_arr_end(w);
	pm_json_key(w, "sandbox");
	pm_json_obj_begin(w);
	pm_config_describe(ctx->cfg, w);
	pm_json_obj_end(w);
	pm_json_key(w, "limits");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "default_list_limit", PM_VIEW_DEFAULT_LIMIT);
	pm_json_ku64(w, "max_list_limit", PM_VIEW_MAX_LIMIT);
	pm_json_ku64(w, "max_table_bytes", PM_DEFAULT_MAX_TABLE_BYTES);
	pm_json_obj_end(w);
	char loaded[PM_TOOL_PATH_MAX];
	pm_json_kstr(w, "loaded_capture", loaded_path(ctx, loaded) != 0 ? loaded : NULL);
	pm_json_key(w, "tools");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < n; i++) {
		if (ctx->enabled[i]) {
			pm_json_str(w, t[i].name);
		}
	}
	pm_json_arr_end(w);
	return 0;
}

static const struct pm_tool registry[] = {
	{
	    .name = "analyze_capinfos",
	    .title = "Capture file facts",
	    .description =
	        "Facts about a capture file, like Wireshark's capinfos: format, interfaces "
	        "and link types, packet count, sizes, first and last packet time, duration, "
	        "data and packet rates, truncated packets, interface statistics and "
	        "layer counts (Ethernet, VLAN, IPv4, IPv6, TCP, UDP, ICMP). Use it first to "
	        "see what a capture holds and whether it is damaged.",
	    .input_schema = S_OPEN "\"properties\":{" P_PATH "," P_TOKEN S_CLOSE(""),
	    .output_schema = O_OPEN O_STR("filename") O_INT("packet_count") O_INT("file_size_bytes")
	        O_NUM("capture_duration_seconds") O_STR("first_packet_time")
	            O_STR("last_packet_time") O_ARR("interfaces") O_ARR("warnings") O_CLOSE,
	    .group = PM_GROUP_CAPTURE,
	    .reads_capture = true,
	    .fn = tool_capinfos,
	},
	{
	    .name = "load_pcap_file",
	    .title = "Load a capture",
	    .description =
	        "Analyse a capture once and remember it, so later calls may omit `path`. "
	        "Returns the same facts as analyze_capinfos. Later calls on the same file "
	        "are answered from the analysis cache.",
	    .input_schema = S_OPEN "\"properties\":{" P_PATH "," P_TOKEN S_CLOSE("\"path\""),
	    .output_schema = O_OPEN O_STR("loaded") O_INT("packet_count") O_CLOSE,
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
	    .input_schema = S_OPEN "\"properties\":{" P_PATH "," P_TOKEN
	                           ",\"top\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000,"
	                           "\"default\":10}" S_CLOSE(""),
	    .output_schema = O_OPEN O_INT("total_packets") O_INT("total_bytes") O_NUM(
	        "duration_seconds") O_OBJ("flow_count") O_ARR("protocols") O_ARR("top_talkers")
	        O_ARR("top_ports") O_ARR("top_flows") O_OBJ("tcp_health") O_OBJ("timeline") O_CLOSE,
	    .group = PM_GROUP_CAPTURE,
	    .reads_capture = true,
	    .fn = tool_summary,
	},
	{
	    .name = "analyze_port_flows",
	    .title = "Flows on a port",
	    .description =
	        "Bidirectional TCP/UDP flows where either side uses `port`: client and "
	        "server, application label, TCP state, first/last seen, duration, packets "
	        "and bytes each way, packets and bytes per second. Sorted by bytes, packets "
	        "or start; paged with limit/offset.",
	    .input_schema =
	        S_OPEN "\"properties\":{" P_PATH "," P_TOKEN
	               ",\"port\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":65535}," P_SORT
	               "," P_PAGE S_CLOSE("\"port\""),
	    .output_schema =
	        O_OPEN O_OBJ("filter") O_ARR("flows") O_OBJ("flows_page") O_OBJ("totals") O_CLOSE,
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
	    .input_schema = S_OPEN "\"properties\":{" P_PATH "," P_TOKEN
	                           ",\"ip\":{\"type\":\"string\",\"minLength\":1}," P_SORT
	                           "," P_PAGE S_CLOSE("\"ip\""),
	    .output_schema = O_OPEN O_OBJ("filter") O_ARR("flows") O_OBJ("inbound")
	        O_OBJ("outbound") O_OBJ("totals") O_CLOSE,
	    .group = PM_GROUP_FLOWS,
	    .reads_capture = true,
	    .fn = tool_ip_flows,
	},
	{
	    .name = "analyze_protocol_flows",
	    .title = "Flows of a protocol",
	    .description =
	        "Flows of one protocol: an IP protocol (tcp, udp, icmp, icmpv6) or an "
	        "application label (http, tls, dns, quic, ssh, smtp, dhcp, ntp, sip, ...), "
	        "any case. Labels come from the first payload bytes or a well-known port.",
	    .input_schema = S_OPEN "\"properties\":{" P_PATH "," P_TOKEN
	                           ",\"protocol\":{\"type\":\"string\",\"minLength\":1}," P_SORT
	                           "," P_PAGE S_CLOSE("\"protocol\""),
	    .output_schema = O_OPEN O_OBJ("filter") O_ARR("flows") O_OBJ("totals") O_CLOSE,
	    .group = PM_GROUP_FLOWS,
	    .reads_capture = true,
	    .fn = tool_protocol_flows,
	},
	{
	    .name = "analyze_tcp_connections",
	    .title = "TCP connections",
	    .description = "TCP connections with their state (established, closed, reset, failed, "
	                   "half_open, active), handshake, SYN/FIN/RST counts, data segments, "
	                   "retransmissions and close reason, plus a summary and a list of issues. "
	                   "Optional server_ip/server_port filter.",
	    .input_schema =
	        S_OPEN "\"properties\":{" P_PATH "," P_TOKEN "," P_SERVER "," P_PAGE S_CLOSE(""),
	    .output_schema = O_OPEN O_OBJ("summary") O_ARR("connections") O_ARR("issues") O_CLOSE,
	    .group = PM_GROUP_FLOWS,
	    .reads_capture = true,
	    .fn = tool_tcp_connections,
	},
	{
	    .name = "analyze_tcp_anomalies",
	    .title = "TCP anomalies",
	    .description =
	        "Observable TCP patterns, without guessing causes: RST direction asymmetry, "
	        "retransmission rate, handshake completion, abnormal terminations and "
	        "unanswered SYNs, with the statistics behind each.",
	    .input_schema = S_OPEN "\"properties\":{" P_PATH "," P_TOKEN "," P_SERVER S_CLOSE(""),
	    .output_schema = O_OPEN O_OBJ("statistics") O_ARR("patterns") O_OBJ("summary") O_CLOSE,
	    .group = PM_GROUP_FLOWS,
	    .reads_capture = true,
	    .fn = tool_tcp_anomalies,
	},
	{
	    .name = "analyze_tcp_retransmissions",
	    .title = "TCP retransmissions",
	    .description =
	        "Retransmission rate overall and per connection against `threshold` "
	        "(default 0.02 = 2%), worst connections first. Retransmissions are payload "
	        "segments whose sequence range was seen before.",
	    .input_schema = S_OPEN "\"properties\":{" P_PATH "," P_TOKEN "," P_SERVER
	                           ",\"threshold\":{\"type\":\"number\",\"minimum\":0,"
	                           "\"maximum\":1,\"default\":0.02}," P_PAGE S_CLOSE(""),
	    .output_schema = O_OPEN O_INT("total_retransmissions") O_NUM("retransmission_rate")
	        O_ARR("by_connection") O_OBJ("summary") O_CLOSE,
	    .group = PM_GROUP_FLOWS,
	    .reads_capture = true,
	    .fn = tool_tcp_retransmissions,
	},
	{
	    .name = "analyze_traffic_flow",
	    .title = "Client/server traffic balance",
	    .description =
	        "Client-to-server against server-to-client traffic for one server address "
	        "(and optionally port): packets, bytes, SYN/FIN/RST, data segments, "
	        "retransmissions, asymmetry ratio and which side sends the RSTs.",
	    .input_schema =
	        S_OPEN "\"properties\":{" P_PATH "," P_TOKEN "," P_SERVER S_CLOSE("\"server_ip\""),
	    .output_schema = O_OPEN O_OBJ("client_to_server") O_OBJ("server_to_client")
	        O_OBJ("analysis") O_CLOSE,
	    .group = PM_GROUP_FLOWS,
	    .reads_capture = true,
	    .fn = tool_traffic_flow,
	},
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
	        "(pkts), distinct ports, hosts and targets, flag_stats (probes by technique), "
	        "kind (vertical: <=3 hosts; horizontal: <=3 ports; block: more of both), "
	        "techniques, first/last probe, rate, open_ports_found (answered SYN-ACK) and "
	        "max_targets_in_window: the most distinct targets probed within any "
	        "time_window_s seconds (default 60), which tells bursts from slow scans. "
	        "Also the most probed hosts (targets), ports (port_distribution) and "
	        "suspected_patterns. Lists hold top_k items (default 20). Servers "
	        "answering, clients whose connections carry data and answered UDP queries "
	        "are never probes.",
	    .input_schema =
	        S_OPEN "\"properties\":{" P_PATH "," P_TOKEN
	               ",\"time_window_s\":{\"type\":\"number\",\"exclusiveMinimum\":0,"
	               "\"maximum\":31536000,\"default\":60},\"top_k\":{\"type\":"
	               "\"integer\",\"minimum\":1,\"maximum\":1000,\"default\":20}" S_CLOSE(""),
	    .output_schema = O_OPEN O_OBJ("overview") O_CLOSE,
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
	        "as in scan_overview. score = log2(1 + distinct_targets) * (1 + "
	        "open_ports_found / distinct_targets) * 1.5 if any stealth probe "
	        "(FIN, NULL, XMAS, ACK, Maimon) was sent, else 1. Slow scans below the "
	        "rate stay visible in scan_overview.",
	    .input_schema = S_OPEN "\"properties\":{" P_PATH "," P_TOKEN
	                           ",\"min_ports\":{\"type\":\"integer\",\"minimum\":1,"
	                           "\"maximum\":1000000000,\"default\":10},\"min_rate_pps\":{"
	                           "\"type\":\"number\",\"minimum\":0,\"default\":5.0}" S_CLOSE(""),
	    .output_schema = O_OPEN O_ARR("suspects") O_OBJ("suspects_page") O_OBJ("thresholds")
	        O_BOOL("approximate") O_CLOSE,
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
	        "rate, as {ts, src, dst, port, flags, technique, protocol, state}; null "
	        "when there is no scanner. port is null for ICMP echo, flags (the TCP "
	        "flags of the probe, e.g. SYN or FIN,PSH,URG) null for UDP and ICMP.",
	    .input_schema = S_OPEN "\"properties\":{" P_PATH "," P_TOKEN S_CLOSE(""),
	    .output_schema = O_OPEN ",\"first_event\":{\"type\":[\"object\",\"null\"]}" O_CLOSE,
	    .group = PM_GROUP_SCANS,
	    .reads_capture = true,
	    .fn = tool_first_scan_event,
	},
	{
	    .name = "get_info",
	    .title = "Server information",
	    .description = "This server's name, version, supported MCP protocol versions, sandbox "
	                   "settings (allowed directory, size limit, whether a token is required), "
	                   "limits, the loaded capture and the tools it offers.",
	    .input_schema = S_OPEN "\"properties\":{" P_TOKEN S_CLOSE(""),
	    .output_schema = O_OPEN O_STR("name") O_STR("version") O_ARR("protocol_versions")
	        O_OBJ("sandbox") O_ARR("tools") O_CLOSE,
	    .group = PM_GROUP_SERVER,
	    .fn = tool_get_info,
	},
};

_Static_assert(PM_ARRAY_LEN(registry) <= PM_ARRAY_LEN(((struct pm_tool_ctx *)0)->enabled),
               "pm_tool_ctx.enabled has a flag per tool");

/* see tools.h */
const struct pm_tool *
pm_tools(size_t *n)
{
	*n = PM_ARRAY_LEN(registry);
	return registry;
}

/* see tools.h */
const struct pm_tool *
pm_tool_find(const char *name)
{
	for (size_t i = 0; i < PM_ARRAY_LEN(registry); i++) {
		if (strcmp(registry[i].name, name) == 0) {
			return &registry[i];
		}
	}
	return NULL;
}

/* see tools.h */
const char *
pm_tool_group_name(enum pm_tool_group g)
{
	static const char *const names[PM_GROUP_COUNT] = { "capture",   "flows",      "scans",
		                                           "protocols", "enrichment", "server" };
	return (size_t)g < PM_GROUP_COUNT ? names[g] : "unknown";
}

static bool
select_one(struct pm_tool_ctx *ctx, const char *item)
{
	bool found = false;
	for (size_t i = 0; i < PM_ARRAY_LEN(registry); i++) {
		if (strcmp(item, "all") == 0 || strcmp(item, registry[i].name) == 0 ||
		    strcmp(item, pm_tool_group_name(registry[i].group)) == 0) {
			ctx->enabled[i] = true;
			found = true;
		}
	}
	return found;
}

/* see tools.h */
int
pm_tools_select(struct pm_tool_ctx *ctx, const char *spec, struct pm_error *err)
{
	char buf[1024];
	if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf)) {
		return pm_error_set(err, PM_E_MALFORMED, 0, "tool selection too long");
	}
	memset(ctx->enabled, 0, sizeof(ctx->enabled));
	char *save = NULL;
	for (char *item = strtok_r(buf, ", ", &save); item != NULL;
	     item = strtok_r(NULL, ", ", &save)) {
		if (!select_one(ctx, item)) {
			return pm_error_set(err, PM_E_MALFORMED, 0,
			                    "unknown tool or group '%s' (groups: capture, flows, "
			                    "scans, protocols, enrichment, server)",
			                    item);
		}
	}
	return 0;
}

/* see tools.h */
void
pm_tools_now(char out[32])
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t now = sde != NULL && *sde != '\0' ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
	struct tm tm;
	if (gmtime_r(&now, &tm) == NULL || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		snprintf(out, 32, "1970-01-01T00:00:00Z");
	}
}

/* The error-contract code at the start of a message ("code: what to do"). */
static const char *
code_of(const struct pm_error *err, char buf[48])
{
	const char *colon = strstr(err->msg, ": ");
	size_t n = colon != NULL ? (size_t)(colon - err->msg) : 0;
	if (n == 0 || n >= 48 || strspn(err->msg, "abcdefghijklmnopqrstuvwxyz_") != n) {
		return err->code == PM_E_NOMEM ? "internal_error" : "invalid_argument";
	}
	memcpy(buf, err->msg, n);
	buf[n] = '\0';
	return buf;
}

static int
fail(struct pm_json *w, const struct pm_error *err, bool *is_error)
{
	char buf[48], at[32];
	const char *code = code_of(err, buf);
	const char *msg =
	    strncmp(err->msg, code, strlen(code)) == 0 && err->msg[strlen(code)] == ':'
	        ? err->msg + strlen(code) + 2
	        : err->msg;
	*is_error = true;
	pm_json_obj_begin(w);
	pm_json_kbool(w, "ok", false);
	pm_json_kstr(w, "error", code);
	pm_json_kstr(w, "message", msg);
	if (strcmp(code, "capture_damaged") == 0) {
		pm_json_ku64(w, "offset", err->offset);
	}
	pm_tools_now(at);
	pm_json_kstr(w, "generated_at", at);
	pm_json_obj_end(w);
	return pm_json_finish(w);
}

/*
 * The parsed input schema of a tool. Schemas are static text, parsed once
 * into an arena that lives as long as the process (the tests check that
 * every schema parses), under a lock: calls run on several threads.
 */
static const struct pm_jv *
input_schema(const struct pm_tool *t)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static struct pm_arena arena;
	static const struct pm_jv *parsed[PM_ARRAY_LEN(registry)];
	size_t i = (size_t)(t - registry);
	if (i >= PM_ARRAY_LEN(registry)) {
		return NULL;
	}
	pthread_mutex_lock(&lock);
	if (parsed[i] == NULL &&
	    pm_json_parse((const uint8_t *)t->input_schema, strlen(t->input_schema), &arena,
	                  &parsed[i], NULL) != 0) {
		parsed[i] = NULL;
	}
	const struct pm_jv *v = parsed[i];
	pthread_mutex_unlock(&lock);
	return v;
}

/* Reject arguments the schema does not name (additionalProperties: false). */
static bool
known_args(const struct pm_tool *t, const struct pm_jv *args, struct pm_error *err)
{
	if (args != NULL && !pm_jv_is(args, PM_JV_OBJ)) {
		pm_error_set(err, PM_E_MALFORMED, 0,
		             "invalid_argument: arguments must be an object");
		return false;
	}
	const struct pm_jv *props = pm_jv_get(input_schema(t), "properties");
	for (size_t i = 0; args != NULL && i < args->len; i++) {
		const char *k = args->members[i].key;
		if (strlen(k) != args->members[i].key_len || pm_jv_get(props, k) == NULL) {
			pm_error_set(err, PM_E_MALFORMED, 0,
			             "invalid_argument: %s does not take the argument '%.80s'",
			             t->name, k);
			return false;
		}
	}
	for (size_t i = 0; i < 8; i++) {
		const struct pm_jv *req = pm_jv_get(input_schema(t), "required");
		if (req == NULL || i >= req->len) {
			break;
		}
		const char *name = pm_jv_str(&req->items[i]);
		if (name != NULL && (args == NULL || pm_jv_get(args, name) == NULL)) {
			pm_error_set(err, PM_E_MALFORMED, 0, "invalid_argument: %s needs '%s'",
			             t->name, name);
			return false;
		}
	}
	return true;
}

/*
 * Open the capture a call is about (its `path`, else the loaded one) through
 * the sandbox, which checks the file and hands back the descriptor it
 * checked, so the file analysed is the file checked. Returns the descriptor
 * (the caller closes it) or -1 with err filled.
 */
static int
capture_open(struct pm_tool_ctx *ctx, const struct pm_jv *args, char out[PATH_MAX],
             struct pm_error *err)
{
	const struct pm_jv *v = pm_jv_get(args, "path");
	char loaded[PM_TOOL_PATH_MAX];
	const char *path = loaded;
	size_t len = loaded_path(ctx, loaded);
	if (v != NULL) {
		if (!pm_jv_is(v, PM_JV_STR)) {
			pm_error_set(err, PM_E_MALFORMED, 0,
			             "invalid_argument: path must be a string");
			return -1;
		}
		path = v->s;
		len = v->len;
	} else if (len == 0) {
		pm_error_set(err, PM_E_MALFORMED, 0,
		             "invalid_argument: path is required (or call load_pcap_file first)");
		return -1;
	}
	int fd = -1;
	return pm_sandbox_open(ctx->cfg, path, len, out, &fd, err) == 0 ? fd : -1;
}

/* see tools.h */
int
pm_tools_call(struct pm_tool_ctx *ctx, const struct pm_tool *t, const struct pm_jv *args,
              struct pm_json *w, bool *is_error)
{
	struct pm_error err = { 0 };
	*is_error = false;
	const char *token = NULL;
	if (!known_args(t, args, &err)) {
		return fail(w, &err, is_error);
	}
	if (!arg_str(args, "auth_token", &token, &err) || !pm_sandbox_token_ok(ctx->cfg, token)) {
		pm_error_set(&err, PM_E_MALFORMED, 0,
		             "unauthorized: this server requires auth_token with the configured "
		             "token");
		return fail(w, &err, is_error);
	}
	const struct pm_analysis *a = NULL;
	if (t->reads_capture) {
		char path[PATH_MAX];
		int fd = capture_open(ctx, args, path, &err);
		if (fd < 0) {
			return fail(w, &err, is_error);
		}
		const struct pm_cache_hooks h = { ctx->progress, ctx->cancelled, ctx->opaque };
		a = pm_cache_get(ctx->cache, fd, path, &h, &err);
		close(fd);
		if (a == NULL) {
			return fail(w, &err, is_error);
		}
	}
	pm_json_obj_begin(w);
	pm_json_kbool(w, "ok", true);
	int rc = t->fn(ctx, a, args, w, &err);
	pm_cache_put(ctx->cache, a);
	if (rc != 0) {
		bool pretty = w->pretty;
		size_t limit = w->limit;
		pm_json_free(w);
		pm_json_init(w, limit);
		w->pretty = pretty;
		return fail(w, &err, is_error);
	}
	char at[32];
	pm_tools_now(at);
	pm_json_kstr(w, "generated_at", at);
	pm_json_obj_end(w);
	return pm_json_finish(w);
}

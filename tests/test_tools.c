/* SPDX-License-Identifier: MIT */
/*
 * test_tools.c - the tool registry as data: every tool's parsed input
 * schema, the error-contract codes, and the argument checks pm_tools_call
 * makes before a handler runs.
 */
#define _DEFAULT_SOURCE /* realpath */
#include "test.h"

#include <stdbool.h>
#include <string.h>

#include <limits.h>
#include <stdlib.h>

#include "arena.h"
#include "cache.h"
#include "json.h"
#include "jsonparse.h"
#include "sandbox.h"
#include "tools.h"

static struct pm_config cfg;
static struct pm_cache cache;
static struct pm_tool_ctx ctx;
static struct pm_arena arena;

/*
 * Call tool with the JSON text args (NULL: none) through pm_tools_call and
 * return the result object parsed, with *is_error set.
 */
static const struct pm_jv *
call(const char *tool, const char *args, bool *is_error)
{
	const struct pm_tool *t = pm_tool_find(tool);
	const struct pm_jv *a = NULL, *res = NULL;
	struct pm_json w;
	CHECK(t != NULL);
	if (t == NULL || (args != NULL && pm_json_parse((const uint8_t *)args, strlen(args), &arena,
	                                                &a, NULL) != 0)) {
		CHECK(!"call: bad tool or arguments");
		return NULL;
	}
	pm_json_init(&w, 0);
	CHECK_EQ(pm_tools_call(&ctx, t, a, &w, is_error), 0);
	CHECK_EQ(pm_json_parse((const uint8_t *)w.buf, w.len, &arena, &res, NULL), 0);
	pm_json_free(&w);
	return res;
}

/* A tool error: ok false, the contract code in "error", a message without the code in front. */
static void
expect_error(const char *tool, const char *args, const char *code)
{
	bool is_error = false;
	const struct pm_jv *r = call(tool, args, &is_error);
	CHECK(is_error);
	CHECK(pm_jv_is(pm_jv_get(r, "ok"), PM_JV_BOOL) && !pm_jv_get(r, "ok")->b);
	const char *got = pm_jv_str(pm_jv_get(r, "error"));
	const char *msg = pm_jv_str(pm_jv_get(r, "message"));
	CHECK_STR(got != NULL ? got : "(none)", code);
	CHECK(msg != NULL && *msg != '\0' && strncmp(msg, code, strlen(code)) != 0);
	CHECK(pm_jv_str(pm_jv_get(r, "generated_at")) != NULL);
}

/* The error contract of the one call path, each code from where it is decided. */
static void
test_call_errors(void)
{
	expect_error("get_info", "{\"bogus\":1}", "invalid_argument");
	expect_error("get_info", "[1]", "invalid_argument");
	expect_error("analyze_capinfos", "{\"path\":\"no-such.pcap\"}", "path_not_found");
	expect_error("analyze_capinfos", "{\"path\":\"../README.md\"}", "path_outside_allowed_dir");
	expect_error("analyze_capinfos", "{\"path\":\"README.md\"}", "unsupported_file_type");
	expect_error("analyze_capinfos", "{\"path\":\".\"}", "not_a_regular_file");
	expect_error("analyze_capinfos", NULL, "invalid_argument");
	expect_error("analyze_ip_flows", "{\"path\":\"lt-ether.pcap\",\"ip\":\"10.0.0.300\"}",
	             "invalid_ip");
	expect_error("analyze_port_flows", "{\"path\":\"lt-ether.pcap\",\"port\":70000}",
	             "invalid_argument");
	cfg.require_token = true;
	cfg.token_set = true;
	snprintf(cfg.token, sizeof(cfg.token), "sesame");
	/* get_info needs no token (issue 9); a wrong one is still refused, other tools need it. */
	expect_error("analyze_capinfos", "{\"path\":\"lt-ether.pcap\"}", "unauthorized");
	expect_error("get_info", "{\"auth_token\":\"wrong\"}", "unauthorized");
	bool is_error = true;
	const struct pm_jv *open_info = call("get_info", NULL, &is_error);
	CHECK(!is_error);
	CHECK(pm_jv_is(pm_jv_get(open_info, "secure_mode"), PM_JV_BOOL) &&
	      pm_jv_get(open_info, "secure_mode")->b);
	is_error = true;
	const struct pm_jv *r = call("get_info", "{\"auth_token\":\"sesame\"}", &is_error);
	CHECK(!is_error);
	CHECK(pm_jv_is(pm_jv_get(r, "ok"), PM_JV_BOOL) && pm_jv_get(r, "ok")->b);
	cfg.require_token = false;
	cfg.token_set = false;
	cfg.token[0] = '\0';
}

/* PCAPMCP_TOOLS: every documented group name, also one without tools yet (issue 9). */
static void
test_select_groups(void)
{
	struct pm_error err = { 0 };
	size_t n, on = 0;
	pm_tools(&n);
	CHECK_EQ(pm_tools_select(&ctx, "enrichment,protocols,hunting,packets", &err), 0);
	for (size_t i = 0; i < n; i++) {
		on += ctx.enabled[i];
		CHECK(!ctx.enabled[i] || pm_tools(&n)[i].group == PM_GROUP_PROTOCOLS ||
		      pm_tools(&n)[i].group == PM_GROUP_ENRICHMENT);
	}
	CHECK_EQ(pm_tools_select(&ctx, "scans,enrichment", &err), 0);
	CHECK(ctx.enabled[n - 1] == false && on <= n);
	const struct pm_tool *so = pm_tool_find("scan_overview");
	CHECK(so != NULL && ctx.enabled[so - pm_tools(&n)]);
	CHECK_EQ(pm_tools_select(&ctx, "scans,frobnicate", &err), PM_E_MALFORMED);
	CHECK(strstr(err.msg, "frobnicate") != NULL && strstr(err.msg, "hunting") != NULL);
	for (int g = 0; g < PM_GROUP_COUNT; g++) {
		CHECK_EQ(pm_tools_select(&ctx, pm_tool_group_name((enum pm_tool_group)g), &err), 0);
	}
}

/* The registry: the groups' rows in the fixed order tools/list has always had. */
static void
test_registry(void)
{
	static const char *const order[] = {
		"analyze_capinfos",
		"load_pcap_file",
		"get_pcap_summary",
		"analyze_port_flows",
		"analyze_ip_flows",
		"analyze_protocol_flows",
		"analyze_tcp_connections",
		"analyze_tcp_anomalies",
		"analyze_tcp_retransmissions",
		"analyze_traffic_flow",
		"scan_overview",
		"list_suspects",
		"first_scan_event",
		"analyze_dns_packets",
		"analyze_dhcp_packets",
		"analyze_icmp_packets",
		"analyze_sip_packets",
		"enrich_ip",
		"correlate",
		"enrich_capture",
		"analyze_http_packets",
		"analyze_tls",
		"analyze_quic",
		"get_info",
	};
	size_t n;
	const struct pm_tool *t = pm_tools(&n);
	CHECK_EQ(n, pm_tools_capture_n + pm_tools_flows_n + pm_tools_scans_n +
	                pm_tools_protocols_n + pm_tools_enrichment_n + pm_tools_web_n +
	                pm_tools_quic_n + pm_tools_server_n);
	CHECK_EQ(n, sizeof(order) / sizeof(order[0]));
	for (size_t i = 0; i < n && i < sizeof(order) / sizeof(order[0]); i++) {
		CHECK_STR(t[i].name, order[i]);
		CHECK(pm_tool_find(order[i]) == &t[i]);
		CHECK(t[i].args != NULL && t[i].result != NULL && t[i].fn != NULL);
	}
	CHECK(pm_tool_find("no_such_tool") == NULL);
	CHECK(pm_tool_find("analyze_capinfos")->info_only);
	CHECK(!pm_tool_find("get_pcap_summary")->info_only);
}

/* Every tool has a parsed input schema naming auth_token, and the same pointer each time. */
static void
test_input_schema_jv(void)
{
	size_t n;
	const struct pm_tool *t = pm_tools(&n);
	CHECK(n > 0);
	for (size_t i = 0; i < n; i++) {
		const struct pm_jv *s = pm_tool_input_schema_jv(&t[i]);
		CHECK(pm_jv_is(s, PM_JV_OBJ));
		CHECK(pm_tool_input_schema_jv(&t[i]) == s);
		const struct pm_jv *props = pm_jv_get(s, "properties");
		CHECK(pm_jv_is(props, PM_JV_OBJ));
		CHECK(pm_jv_get(props, "auth_token") != NULL);
		CHECK((pm_jv_get(props, "path") != NULL) == t[i].reads_capture);
	}
	const struct pm_tool *pf = pm_tool_find("analyze_port_flows");
	CHECK(pf != NULL);
	const struct pm_jv *port =
	    pm_jv_get(pm_jv_get(pm_tool_input_schema_jv(pf), "properties"), "port");
	CHECK_STR(pm_jv_str(pm_jv_get(port, "type")), "integer");
	struct pm_tool outside = t[0];
	CHECK(pm_tool_input_schema_jv(&outside) == NULL);
}

/* Parse text into the test arena. */
static const struct pm_jv *
parse(const char *text)
{
	const struct pm_jv *v = NULL;
	CHECK_EQ(pm_json_parse((const uint8_t *)text, strlen(text), &arena, &v, NULL), 0);
	return v;
}

/* The checks the argument table implies, before any handler runs. */
static void
test_check_args(void)
{
	struct pm_error err = { 0 };
	const struct pm_tool *pf = pm_tool_find("analyze_port_flows");
	const struct pm_tool *so = pm_tool_find("scan_overview");
	CHECK(pf != NULL && so != NULL);
	if (pf == NULL || so == NULL) {
		return;
	}
	CHECK_EQ(pm_tool_check_args(pf, parse("{\"port\":80}"), &err), 0);
	/* Numbers as strings, as PortHunter's Python framework coerces them. */
	CHECK_EQ(pm_tool_check_args(pf, parse("{\"port\":\"80\"}"), &err), 0);
	CHECK_EQ(pm_tool_check_args(pf, parse("{\"port\":\"80\",\"limit\":\"5\"}"), &err), 0);
	CHECK_EQ(pm_tool_check_args(so, parse("{\"time_window_s\":\"0.5\",\"top_k\":\"3\"}"), &err),
	         0);
	CHECK_EQ(pm_tool_check_args(so, parse("{\"time_window_s\":\"nan\"}"), &err),
	         PM_E_MALFORMED);
	CHECK_EQ(pm_tool_check_args(so, parse("{\"time_window_s\":\"1e999\"}"), &err),
	         PM_E_MALFORMED);
	/* pcap_file is path's other name; two different captures are refused. */
	CHECK_EQ(pm_tool_check_args(pf, parse("{\"port\":80,\"pcap_file\":\"a.pcap\"}"), &err), 0);
	CHECK_EQ(pm_tool_check_args(
	             pf, parse("{\"port\":80,\"pcap_file\":\"a.pcap\",\"path\":\"a.pcap\"}"), &err),
	         0);
	CHECK_EQ(pm_tool_check_args(
	             pf, parse("{\"port\":80,\"pcap_file\":\"a.pcap\",\"path\":\"b.pcap\"}"), &err),
	         PM_E_MALFORMED);
	CHECK_EQ(err.ecode, PM_EC_INVALID_ARGUMENT);
	const struct pm_tool *lp = pm_tool_find("load_pcap_file");
	CHECK(lp != NULL && pm_tool_check_args(lp, parse("{\"pcap_file\":\"a.pcap\"}"), &err) == 0);
	static const struct {
		const char *args;
		const char *msg;
	} bad[] = {
		{ "{}", "analyze_port_flows needs 'port'" },
		{ "{\"port\":80,\"x\":1}", "analyze_port_flows does not take the argument 'x'" },
		{ "{\"port\":\"80x\"}", "port must be an integer from 0 to 65535" },
		{ "{\"port\":\" 80\"}", "port must be an integer from 0 to 65535" },
		{ "{\"port\":\"8.5\"}", "port must be an integer from 0 to 65535" },
		{ "{\"port\":\"\"}", "port must be an integer from 0 to 65535" },
		{ "{\"port\":\"65536\"}", "port must be an integer from 0 to 65535" },
		{ "{\"port\":true}", "port must be an integer from 0 to 65535" },
		{ "{\"port\":65536}", "port must be an integer from 0 to 65535" },
		{ "{\"port\":-1}", "port must be an integer from 0 to 65535" },
		{ "{\"port\":1.5}", "port must be an integer from 0 to 65535" },
		{ "{\"port\":80,\"sort\":\"size\"}", "sort must be bytes, packets or start" },
		{ "{\"port\":80,\"sort\":1}", "sort must be a string" },
		{ "{\"port\":80,\"limit\":1001}", "limit must be an integer from 0 to 1000" },
		{ "{\"port\":80,\"path\":\"\"}", "path must not be empty" },
		{ "[]", "arguments must be an object" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		CHECK_EQ(pm_tool_check_args(pf, parse(bad[i].args), &err), PM_E_MALFORMED);
		CHECK_EQ(err.ecode, PM_EC_INVALID_ARGUMENT);
		CHECK_STR(err.msg, bad[i].msg);
	}
	/* exclusiveMinimum: 0 is out, anything above is in. */
	CHECK_EQ(pm_tool_check_args(so, parse("{\"time_window_s\":0}"), &err), PM_E_MALFORMED);
	CHECK_EQ(pm_tool_check_args(so, parse("{\"time_window_s\":0.5}"), &err), 0);
	CHECK_EQ(pm_tool_check_args(so, parse("{\"top_k\":0}"), &err), PM_E_MALFORMED);
	/* Typed reads: the value, else the table's default. */
	struct pm_tool_args a = { .tool = so, .v = parse("{\"top_k\":7}") };
	CHECK_EQ(pm_arg_int(&a, "top_k"), 7);
	CHECK(pm_arg_given(&a, "top_k"));
	CHECK(!pm_arg_given(&a, "time_window_s"));
	CHECK(pm_arg_num(&a, "time_window_s") == 60.0);
	CHECK(pm_arg_str(&a, "path") == NULL);
	a.tool = pf;
	a.v = NULL;
	CHECK_STR(pm_arg_str(&a, "sort"), "bytes");
	CHECK_EQ(pm_arg_int(&a, "limit"), 50);
	CHECK_EQ(pm_arg_int(&a, "offset"), 0);
	CHECK(!pm_arg_bool(&a, "nonexistent"));
}

/* Whether any schema node below v has a "type" that is not a string (a type array). */
static bool
has_type_array(const struct pm_jv *v)
{
	if (pm_jv_is(v, PM_JV_OBJ)) {
		const struct pm_jv *t = pm_jv_get(v, "type");
		if (t != NULL && !pm_jv_is(t, PM_JV_STR) && pm_jv_get(v, "properties") == NULL &&
		    pm_jv_get(t, "type") == NULL) {
			return true; /* a member named "type" (findings) is a property, not the keyword */
		}
		for (size_t i = 0; i < v->len; i++) {
			const struct pm_jv *m = &v->members[i].value;
			if (strcmp(v->members[i].key, "properties") == 0 &&
			    pm_jv_is(m, PM_JV_OBJ)) {
				/* Member schemas: a member may be called "type" itself. */
				for (size_t j = 0; j < m->len; j++) {
					if (has_type_array(&m->members[j].value)) {
						return true;
					}
				}
			} else if (has_type_array(m)) {
				return true;
			}
		}
	} else if (pm_jv_is(v, PM_JV_ARR)) {
		for (size_t i = 0; i < v->len; i++) {
			if (has_type_array(&v->items[i])) {
				return true;
			}
		}
	}
	return false;
}

/* Every object schema below v lists properties, required and additionalProperties false. */
static bool
objects_closed(const struct pm_jv *v)
{
	if (pm_jv_is(v, PM_JV_ARR)) {
		for (size_t i = 0; i < v->len; i++) {
			if (!objects_closed(&v->items[i])) {
				return false;
			}
		}
		return true;
	}
	if (!pm_jv_is(v, PM_JV_OBJ)) {
		return true;
	}
	const char *type = pm_jv_str(pm_jv_get(v, "type"));
	const struct pm_jv *props = pm_jv_get(v, "properties");
	const struct pm_jv *extra = pm_jv_get(v, "additionalProperties");
	if (props != NULL && (pm_jv_get(v, "required") == NULL || !pm_jv_is(extra, PM_JV_BOOL) ||
	                      extra->b || type == NULL || strcmp(type, "object") != 0)) {
		return false;
	}
	for (size_t i = 0; i < v->len; i++) {
		if (!objects_closed(&v->members[i].value)) {
			return false;
		}
	}
	return true;
}

/* The output schemas: an object with anyOf success and error, no type arrays, all closed. */
static void
test_output_schemas(void)
{
	size_t n;
	const struct pm_tool *t = pm_tools(&n);
	for (size_t i = 0; i < n; i++) {
		struct pm_json w;
		pm_json_init(&w, 0);
		pm_tool_output_schema(&w, &t[i]);
		CHECK_EQ(pm_json_finish(&w), 0);
		const struct pm_jv *s = parse(w.buf);
		pm_json_free(&w);
		CHECK_STR(pm_jv_str(pm_jv_get(s, "type")), "object");
		const struct pm_jv *any = pm_jv_get(s, "anyOf");
		CHECK(pm_jv_is(any, PM_JV_ARR) && any->len == 2);
		CHECK(!has_type_array(s));
		CHECK(objects_closed(s));
		if (pm_jv_is(any, PM_JV_ARR) && any->len == 2) {
			const struct pm_jv *req = pm_jv_get(&any->items[0], "required");
			CHECK(pm_jv_is(req, PM_JV_ARR) && req->len >= 2);
			CHECK(pm_jv_get(pm_jv_get(&any->items[1], "properties"), "offset") != NULL);
		}
	}
}

/* The CLI's lean path: info_only tools analyse without the cache; others still use it. */
static void
test_lean(void)
{
	bool is_error = true;
	uint64_t misses = cache.misses, hits = cache.hits;
	ctx.lean = true;
	const struct pm_jv *r = call("analyze_capinfos", "{\"path\":\"lt-ether.pcap\"}", &is_error);
	CHECK(!is_error);
	CHECK(pm_jv_is(pm_jv_get(r, "packet_count"), PM_JV_NUM));
	CHECK_EQ(cache.misses, misses);
	CHECK_EQ(cache.hits, hits);
	r = call("get_pcap_summary", "{\"path\":\"lt-ether.pcap\"}", &is_error);
	CHECK(!is_error);
	CHECK_EQ(cache.misses + cache.hits, misses + hits + 1);
	ctx.lean = false;
	r = call("analyze_capinfos", "{\"path\":\"lt-ether.pcap\"}", &is_error);
	CHECK(!is_error);
	CHECK_EQ(cache.misses + cache.hits, misses + hits + 2);
}

void test_tools(void);

void
test_tools(void)
{
	test_registry();
	test_input_schema_jv();
	memset(&cfg, 0, sizeof(cfg));
	cfg.max_file_mb = 4096;
	if (realpath("captures", cfg.allowed_dir) == NULL) {
		CHECK(!"test_tools needs captures/");
		return;
	}
	pm_arena_init(&arena, 64u << 20);
	pm_cache_init(&cache, 64u << 20);
	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg = &cfg;
	ctx.cache = &cache;
	test_select_groups();
	CHECK_EQ(pm_tools_select(&ctx, "all", NULL), 0);
	test_call_errors();
	test_check_args();
	test_output_schemas();
	test_lean();
	pm_cache_free(&cache);
	pm_arena_free(&arena);
}

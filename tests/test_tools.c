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
	expect_error("get_info", NULL, "unauthorized");
	expect_error("get_info", "{\"auth_token\":\"wrong\"}", "unauthorized");
	bool is_error = true;
	const struct pm_jv *r = call("get_info", "{\"auth_token\":\"sesame\"}", &is_error);
	CHECK(!is_error);
	CHECK(pm_jv_is(pm_jv_get(r, "ok"), PM_JV_BOOL) && pm_jv_get(r, "ok")->b);
	cfg.require_token = false;
	cfg.token_set = false;
	cfg.token[0] = '\0';
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

void test_tools(void);

void
test_tools(void)
{
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
	CHECK_EQ(pm_tools_select(&ctx, "all", NULL), 0);
	test_call_errors();
	pm_cache_free(&cache);
	pm_arena_free(&arena);
}

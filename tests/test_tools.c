/* SPDX-License-Identifier: MIT */
/*
 * test_tools.c - the tool registry as data: every tool's parsed input
 * schema, the error-contract codes, and the argument checks pm_tools_call
 * makes before a handler runs.
 */
#include "test.h"

#include <stdbool.h>
#include <string.h>

#include "jsonparse.h"
#include "tools.h"

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
}

/* SPDX-License-Identifier: MIT */
/*
 * tools_server.c - the server group: get_info. Row, argument table, result
 * tree and handler.
 */
#include "tools.h"

#include "analysis.h"
#include "json.h"
#include "sandbox.h"
#include "view.h"

static const struct pm_field sandbox_members[] = {
	{ .name = "allowed_dir", .type = PM_F_STR, .description = "captures are read below it" },
	{ .name = "max_file_mb", .type = PM_F_INT },
	{ .name = "require_token", .type = PM_F_BOOL },
	{ .name = "token_set", .type = PM_F_BOOL },
	{ .name = "offline", .type = PM_F_BOOL },
	{ .name = "allow_private", .type = PM_F_BOOL },
	{ .name = "tools",
	  .type = PM_F_STR,
	  .description = "the tool selection the server started with" },
	{ .name = "reasm_window_kb",
	  .type = PM_F_INT,
	  .description = "TCP reassembly window per direction (PCAPMCP_REASM_WINDOW_KB)" },
	{ .name = "reasm_max_mb",
	  .type = PM_F_INT,
	  .description = "cap of each reassembly pool (PCAPMCP_REASM_MAX_MB)" },
	{ 0 },
};

static const struct pm_field limits_members[] = {
	{ .name = "default_list_limit", .type = PM_F_INT },
	{ .name = "max_list_limit", .type = PM_F_INT },
	{ .name = "max_table_bytes", .type = PM_F_INT },
	{ 0 },
};

static const struct pm_field server_info_members[] = {
	{ .name = "name", .type = PM_F_STR },
	{ .name = "version", .type = PM_F_STR },
	{ 0 },
};

static const struct pm_field info_result[] = {
	{ .name = "serverInfo",
	  .type = PM_F_OBJ,
	  .members = server_info_members,
	  .description = "PortHunter's key: name and version" },
	{ .name = "protocolVersion",
	  .type = PM_F_STR,
	  .description = "PortHunter's key: the newest MCP version with the initialize handshake" },
	{ .name = "secure_mode",
	  .type = PM_F_BOOL,
	  .description = "PortHunter's key: whether a token is required" },
	{ .name = "allow_private",
	  .type = PM_F_BOOL,
	  .description = "PortHunter's key: private addresses are enriched too" },
	{ .name = "allowed_dir",
	  .type = PM_F_STR,
	  .description = "PortHunter's key: captures are read below it" },
	{ .name = "name", .type = PM_F_STR },
	{ .name = "version", .type = PM_F_STR },
	{ .name = "protocol_versions",
	  .type = PM_F_ARR,
	  .item = &pm_field_str,
	  .description = "MCP versions spoken" },
	{ .name = "sandbox", .type = PM_F_OBJ, .members = sandbox_members },
	{ .name = "limits", .type = PM_F_OBJ, .members = limits_members },
	{ .name = "loaded_capture",
	  .type = PM_F_STR,
	  .nullable = true,
	  .description = "from load_pcap_file" },
	{ .name = "tools",
	  .type = PM_F_ARR,
	  .item = &pm_field_str,
	  .description = "the tools this server offers" },
	{ 0 },
};

static const struct pm_tool_arg *const info_args[] = { &pm_arg_auth_token, NULL };

static int
tool_get_info(struct pm_tool_ctx *ctx, const struct pm_analysis *a, const struct pm_tool_args *args,
              struct pm_json *w, struct pm_error *err)
{
	(void)a;
	(void)args;
	(void)err;
	size_t n;
	const struct pm_tool *t = pm_tools(&n);
	pm_json_key(w, "serverInfo");
	pm_json_obj_begin(w);
	pm_json_kstr(w, "name", "pcapmcp");
	pm_json_kstr(w, "version", PM_VERSION);
	pm_json_obj_end(w);
	pm_json_kstr(w, "protocolVersion", "2025-11-25");
	pm_json_kbool(w, "secure_mode", ctx->cfg->require_token);
	pm_json_kbool(w, "allow_private", ctx->cfg->allow_private);
	pm_json_kstr(w, "allowed_dir", ctx->cfg->allowed_dir);
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
	pm_json_kstr(w, "loaded_capture", pm_tool_loaded(ctx, loaded) != 0 ? loaded : NULL);
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

const struct pm_tool pm_tools_server[] = {
	{
	    .name = "get_info",
	    .title = "Server information",
	    .description = "This server's name, version, supported MCP protocol versions, sandbox "
	                   "settings (allowed directory, size limit, whether a token is required), "
	                   "limits, the loaded capture and the tools it offers; also PortHunter's "
	                   "keys (serverInfo, protocolVersion, secure_mode, allow_private, "
	                   "allowed_dir). Needs no auth_token.",
	    .args = info_args,
	    .no_token = true,
	    .result = info_result,
	    .group = PM_GROUP_SERVER,
	    .fn = tool_get_info,
	},
};

const size_t pm_tools_server_n = PM_ARRAY_LEN(pm_tools_server);

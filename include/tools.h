/* SPDX-License-Identifier: MIT */
/*
 * tools.h - the one registry of tools, served by MCP (tools/list, tools/call)
 * and by the CLI (`pcapmcp call TOOL 'JSON'`), so the two never disagree.
 *
 * A tool has a name, a title, a description written for a model, JSON Schema
 * 2020-12 input and output schemas (static JSON text, parsed and checked by
 * the tests), annotations and a handler. Handlers of capture tools receive a
 * finished analysis; the caller (pm_tools_call) resolves the path through the
 * sandbox, consults the analysis cache and applies the error contract of
 * DESIGN.md. The registry knows nothing of JSON-RPC.
 */
#ifndef PM_TOOLS_H
#define PM_TOOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

struct pm_analysis;
struct pm_arena;
struct pm_cache;
struct pm_config;
struct pm_json;
struct pm_jv;

enum pm_tool_group {
	PM_GROUP_CAPTURE = 0, /* capture facts */
	PM_GROUP_FLOWS,       /* flows and TCP */
	PM_GROUP_SCANS,       /* port scans */
	PM_GROUP_PROTOCOLS,   /* DNS, DHCP, ICMP, HTTP, TLS, QUIC, SIP */
	PM_GROUP_ENRICHMENT,  /* IP reputation */
	PM_GROUP_SERVER,      /* get_info */
	PM_GROUP_COUNT
};

struct pm_tool_ctx;

/*
 * A handler writes the members of its result object (not the braces, not
 * "ok" or "generated_at") and returns 0, or returns a negative pm_err with
 * err->msg starting with an error-contract code and ": " (invalid_argument,
 * invalid_ip, ...). a is NULL for tools that read no capture.
 */
typedef int (*pm_tool_fn)(struct pm_tool_ctx *ctx, const struct pm_analysis *a,
                          const struct pm_jv *args, struct pm_json *w, struct pm_error *err);

struct pm_tool {
	const char *name;          /* MCP tool name and `call` name */
	const char *title;         /* short human title */
	const char *description;   /* for the model: what it answers, when to use it, parameters */
	const char *input_schema;  /* JSON Schema 2020-12 text, additionalProperties false */
	const char *output_schema; /* JSON Schema 2020-12 text of the result object */
	enum pm_tool_group group;
	bool reads_capture; /* takes `path` (or the loaded capture) and gets an analysis */
	bool open_world;    /* calls the network (enrichment) */
	pm_tool_fn fn;
};

/*
 * How a front end turns a capture path (the len bytes at path, not
 * NUL-terminated) into a descriptor, when it does not use the sandbox.
 * Returns an open descriptor at offset 0 (the caller closes it) and writes
 * the name the analysis is known by to out (cap bytes), or returns -1 with
 * err filled, its message starting with an error-contract code.
 */
typedef int (*pm_tool_open_fn)(const char *path, size_t len, char *out, size_t cap,
                               struct pm_error *err);

/* Settings and state a call runs with; the server keeps one for its lifetime. */
struct pm_tool_ctx {
	const struct pm_config *cfg; /* sandbox, token, limits */
	struct pm_cache *cache;      /* recent analyses; progress and cancel live in its opts */
	char loaded[4096];           /* path remembered by load_pcap_file, "" when none */
	bool enabled[64];            /* per registry index: offered by this server */
	bool lean;                   /* one-shot caller (the CLI): capinfos runs info-only */
	int io;                      /* enum pm_io (capture.h) of new analyses; 0 = default */
	pm_tool_open_fn open;        /* NULL: paths go through the sandbox of cfg (MCP) */
};

/*
 * Set up ctx for a front end: cfg borrowed, a cache of its own (default
 * cap), every tool enabled, the other fields zero. Returns 0, or PM_E_NOMEM
 * with err filled. pm_tool_ctx_free releases the cache.
 */
PM_MUST_CHECK int pm_tool_ctx_init(struct pm_tool_ctx *ctx, const struct pm_config *cfg,
                                   struct pm_error *err);
void pm_tool_ctx_free(struct pm_tool_ctx *ctx);

/* The registry: n tools in a fixed, deterministic order. */
const struct pm_tool *pm_tools(size_t *n);

/* The tool called name, or NULL. */
const struct pm_tool *pm_tool_find(const char *name);

/*
 * The tool's input schema, parsed (a JSON Schema object with "properties"
 * and "required"), or NULL for a tool not in the registry. It lives as long
 * as the process.
 */
const struct pm_jv *pm_tool_input_schema_jv(const struct pm_tool *t);

/* "capture", "flows", "scans", "protocols", "enrichment", "server". */
const char *pm_tool_group_name(enum pm_tool_group g);

/*
 * Enable the tools named in spec: "all", or a comma-separated list of tool
 * names and group names. Returns 0, or PM_E_MALFORMED with err naming the
 * unknown entry.
 */
PM_MUST_CHECK int pm_tools_select(struct pm_tool_ctx *ctx, const char *spec, struct pm_error *err);

/*
 * Run the tool with the parsed arguments (an object, or NULL for none) and
 * write the complete result object to w: {"ok": true, ..., "generated_at"}
 * on success, or {"ok": false, "error": code, "message": ..., "generated_at"}
 * on failure, in which case *is_error is set. Returns 0 when a result object
 * was written (success or tool error), or PM_E_NOMEM/PM_E_LIMIT when even
 * that failed. Unknown tools are the caller's to reject (pm_tool_find).
 */
PM_MUST_CHECK int pm_tools_call(struct pm_tool_ctx *ctx, const struct pm_tool *t,
                                const struct pm_jv *args, struct pm_json *w, bool *is_error);

/* Write "YYYY-MM-DDTHH:MM:SSZ" for now (SOURCE_DATE_EPOCH when set, for tests). */
void pm_tools_now(char out[32]);

#endif /* PM_TOOLS_H */

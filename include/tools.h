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

#define PM_TOOL_PATH_MAX 4096 /* bytes of the path load_pcap_file remembers, NUL included */

/*
 * Settings and state a call runs with. A server keeps one and hands each
 * call a copy with that call's hooks set; the copies share the cache and the
 * loaded path, so calls may run on several threads at once.
 */
struct pm_tool_ctx {
	const struct pm_config *cfg; /* sandbox, token, limits */
	struct pm_cache *cache;      /* recent analyses (cache.h), thread-safe; not owned */
	/* This call's hooks, handed to the pass it runs or waits for; NULL: none. */
	void (*progress)(void *opaque, uint64_t done, uint64_t total); /* bytes read, file size */
	bool (*cancelled)(void *opaque); /* true: the call is abandoned, stop its pass */
	void *opaque;                    /* passed to progress and cancelled */
	char *loaded;     /* PM_TOOL_PATH_MAX bytes shared by the copies, read and written under a
	                     lock in tools.c: the path load_pcap_file remembered, "" when none;
	                     NULL: nothing is remembered */
	bool enabled[64]; /* per registry index: offered by this server */
};

/* The registry: n tools in a fixed, deterministic order. */
const struct pm_tool *pm_tools(size_t *n);

/* The tool called name, or NULL. */
const struct pm_tool *pm_tool_find(const char *name);

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

/* SPDX-License-Identifier: MIT */
/*
 * tools.h - the one registry of tools, served by MCP (tools/list, tools/call)
 * and by the CLI (`pcapmcp call TOOL 'JSON'`), so the two never disagree.
 *
 * A tool is a row of data: a name, a title, a description written for a
 * model, a table of its arguments, a tree of the members of its result,
 * annotations and a handler. From the argument table come the input JSON
 * Schema (tools/list), the argument checks every call passes before its
 * handler runs, and the CLI's options; from the result tree come the output
 * JSON Schema and, with the arguments, the tool reference (docs/TOOLS.md).
 *
 * Tools live in one file per group (tools_capture.c, tools_flows.c,
 * tools_scans.c, tools_protocols.c, tools_server.c), each exporting its rows; toolcall.c puts
 * them together in a fixed order and holds the one call path (token,
 * sandbox, cache, argument checks, error contract of DESIGN.md);
 * toolschema.c writes the schemas and the reference. The registry knows
 * nothing of JSON-RPC.
 */
#ifndef PM_TOOLS_H
#define PM_TOOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pm.h"

struct pm_analysis;
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
	PM_GROUP_HUNTING,     /* hunt, export (DESIGN.md; no tools yet) */
	PM_GROUP_PACKETS,     /* packet queries, stream follow (DESIGN.md; no tools yet) */
	PM_GROUP_COUNT
};

/* The JSON type of an argument. */
enum pm_arg_type {
	PM_ARG_INT = 0, /* integer */
	PM_ARG_NUM,     /* number */
	PM_ARG_STR,     /* string */
	PM_ARG_BOOL,    /* boolean */
	PM_ARG_ENUM,    /* string, one of values */
	PM_ARG_STRS,    /* array of strings (each min_length bytes or more, at most max items
	                   when has_max); a single string is also taken, for callers of the
	                   comma-separated form */
};

/* One argument of a tool: a row of its input schema. */
struct pm_tool_arg {
	const char *name;          /* key in the call's arguments object */
	enum pm_arg_type type;     /* JSON type */
	const char *description;   /* for the model; NULL: none */
	bool required;             /* a call without it fails (invalid_argument) */
	bool has_min, has_max;     /* INT, NUM: min / max apply */
	bool exclusive_min;        /* NUM: min itself is refused (exclusiveMinimum) */
	double min, max;           /* INT, NUM: bounds, inclusive unless exclusive_min */
	bool has_default;          /* def / def_str is the value when absent */
	double def;                /* INT, NUM: the default (BOOL: 0 or 1) */
	const char *def_str;       /* STR, ENUM: the default */
	const char *const *values; /* ENUM: the accepted strings, NULL-terminated */
	size_t min_length;         /* STR: fewest bytes accepted */
};

/* The JSON type of a result member. */
enum pm_field_type {
	PM_F_INT = 0, /* integer */
	PM_F_NUM,     /* number */
	PM_F_STR,     /* string */
	PM_F_BOOL,    /* boolean */
	PM_F_OBJ,     /* object with the named members */
	PM_F_ARR,     /* array of item */
	PM_F_MAP,     /* object keyed by data (names, counters), every value an item */
};

/*
 * One member of a result: a node of its output schema. Lists of members
 * end with a row whose name is NULL.
 */
struct pm_field {
	const char *name;               /* member name; NULL ends a list */
	enum pm_field_type type;        /* JSON type */
	bool nullable;                  /* may be null as well */
	bool optional;                  /* not always present (not in "required") */
	const char *description;        /* NULL: none */
	const struct pm_field *members; /* OBJ: the members */
	const struct pm_field *item;    /* ARR: the items; MAP: every value */
};

struct pm_tool_ctx;
struct pm_tool;

/* The validated arguments of one call, read with pm_arg_* below. */
struct pm_tool_args {
	const struct pm_tool *tool; /* whose argument table applies */
	const struct pm_jv *v;      /* the arguments object, or NULL for none */
};

/*
 * A handler writes the members of its result object (not the braces, not
 * "ok" or "generated_at") and returns 0, or returns a negative pm_err with
 * err->ecode the error-contract code (PM_EC_INVALID_ARGUMENT when not set)
 * and err->msg what to do. a is NULL for tools that read no capture. The
 * arguments have passed the checks of the tool's table.
 */
typedef int (*pm_tool_fn)(struct pm_tool_ctx *ctx, const struct pm_analysis *a,
                          const struct pm_tool_args *args, struct pm_json *w, struct pm_error *err);

struct pm_tool {
	const char *name;                      /* MCP tool name and `call` name */
	const char *title;                     /* short human title */
	const char *description;               /* for the model: what it answers, when to use it */
	const struct pm_tool_arg *const *args; /* the arguments, NULL-terminated */
	const struct pm_field *result; /* members of the success result besides ok, generated_at */
	enum pm_tool_group group;
	bool reads_capture; /* takes `path` (or the loaded capture) and gets an analysis */
	bool info_only;     /* needs only capinfos facts (pm_analysis_opts.info_only suffices) */
	bool open_world;    /* calls the network (enrichment) */
	bool no_token;      /* answers without auth_token when one is required; a wrong one fails */
	pm_tool_fn fn;
};

/*
 * How a front end turns a capture path (the len bytes at path, not
 * NUL-terminated) into a descriptor, when it does not use the sandbox.
 * Returns an open descriptor at offset 0 (the caller closes it) and writes
 * the name the analysis is known by to out (cap bytes), or returns -1 with
 * err filled (err->ecode: the error-contract code).
 */
typedef int (*pm_tool_open_fn)(const char *path, size_t len, char *out, size_t cap,
                               struct pm_error *err);

#define PM_TOOL_PATH_MAX 4096 /* bytes of the path load_pcap_file remembers, NUL included */

/*
 * Settings and state a call runs with. A server keeps one and hands each
 * call a copy with that call's hooks set; the copies share the cache and the
 * loaded path, so calls may run on several threads at once.
 */
struct pm_tool_ctx {
	const struct pm_config *cfg; /* sandbox, token, limits */
	struct pm_cache *cache;      /* recent analyses (cache.h), thread-safe */
	/* This call's hooks, handed to the pass it runs or waits for; NULL: none. */
	void (*progress)(void *opaque, uint64_t done, uint64_t total); /* bytes read, file size */
	bool (*cancelled)(void *opaque); /* true: the call is abandoned, stop its pass */
	void *opaque;                    /* passed to progress and cancelled */
	char *loaded;         /* PM_TOOL_PATH_MAX bytes shared by the copies, read and written
	                         under a lock in toolcall.c: the path load_pcap_file remembered,
	                         "" when none; NULL: nothing is remembered */
	bool enabled[64];     /* per registry index: offered by this server */
	bool lean;            /* one-shot caller (the CLI): info_only tools skip the cache */
	int io;               /* enum pm_io (source.h) of new analyses; 0 = default */
	pm_tool_open_fn open; /* NULL: paths go through the sandbox of cfg (MCP) */
	bool owns_cache;      /* pm_tool_ctx_init made the cache; pm_tool_ctx_free frees it */
};

/*
 * Set up ctx for a front end: cfg borrowed, a cache of its own (default
 * cap), every tool enabled, the other fields zero. Returns 0, or PM_E_NOMEM
 * with err filled. pm_tool_ctx_free releases the cache.
 */
PM_MUST_CHECK int pm_tool_ctx_init(struct pm_tool_ctx *ctx, const struct pm_config *cfg,
                                   struct pm_error *err);
void pm_tool_ctx_free(struct pm_tool_ctx *ctx);

/* Copy the path load_pcap_file remembered into out ("" when none); returns its length. */
size_t pm_tool_loaded(const struct pm_tool_ctx *ctx, char out[PM_TOOL_PATH_MAX]);

/* Remember path for later calls (nothing when ctx->loaded is NULL). */
void pm_tool_set_loaded(struct pm_tool_ctx *ctx, const char *path);

/* Argument rows several tools share (toolcall.c). */
extern const struct pm_tool_arg pm_arg_path;          /* capture path, optional */
extern const struct pm_tool_arg pm_arg_path_required; /* capture path, required */
extern const struct pm_tool_arg pm_arg_pcap_file;     /* mcpcap's name for path */
extern const struct pm_tool_arg pm_arg_auth_token;
extern const struct pm_tool_arg pm_arg_limit;
extern const struct pm_tool_arg pm_arg_offset;
extern const struct pm_tool_arg pm_arg_sort;
extern const struct pm_tool_arg pm_arg_server_ip;          /* optional filter */
extern const struct pm_tool_arg pm_arg_server_ip_required; /* analyze_traffic_flow */
extern const struct pm_tool_arg pm_arg_server_port;

/* Items of arrays and maps: an integer, a string. */
extern const struct pm_field pm_field_int;
extern const struct pm_field pm_field_str;

/* Result members several tools share: the page after a list (total, truncated, limit, offset). */
extern const struct pm_field pm_field_page[];
/* One flow of a listing (pm_view_flow_obj; tools_flows.c). */
extern const struct pm_field pm_field_flow[];

/* The rows of each group's tools file, in tools/list order. */
extern const struct pm_tool pm_tools_capture[];
extern const size_t pm_tools_capture_n;
extern const struct pm_tool pm_tools_flows[];
extern const size_t pm_tools_flows_n;
extern const struct pm_tool pm_tools_scans[];
extern const size_t pm_tools_scans_n;
extern const struct pm_tool pm_tools_protocols[];
extern const size_t pm_tools_protocols_n;
extern const struct pm_tool pm_tools_enrichment[];
extern const size_t pm_tools_enrichment_n;
extern const struct pm_tool pm_tools_web[]; /* analyze_tls, analyze_http_packets */
extern const size_t pm_tools_web_n;
extern const struct pm_tool pm_tools_quic[]; /* analyze_quic */
extern const size_t pm_tools_quic_n;
extern const struct pm_tool pm_tools_server[];
extern const size_t pm_tools_server_n;

/* The registry: n tools in a fixed, deterministic order (capture, flows, scans, protocols,
 * server). */
const struct pm_tool *pm_tools(size_t *n);

/* The tool called name, or NULL. */
const struct pm_tool *pm_tool_find(const char *name);

/* The argument of t called name, or NULL. */
const struct pm_tool_arg *pm_tool_arg_find(const struct pm_tool *t, const char *name);

/*
 * Write t's input schema (JSON Schema 2020-12: an object with properties,
 * required and additionalProperties false) as a value to w.
 */
void pm_tool_input_schema(struct pm_json *w, const struct pm_tool *t);

/*
 * Write t's output schema: "type": "object" with anyOf the success shape
 * (ok true, the result tree, generated_at) and the error shape (ok false,
 * error, message, generated_at, offset for capture_damaged). Nullable
 * members are anyOf [{type}, {type: null}], every object lists its
 * properties, required and additionalProperties false.
 */
void pm_tool_output_schema(struct pm_json *w, const struct pm_tool *t);

/*
 * The tool's input schema, parsed (a JSON Schema object with "properties"
 * and "required"), or NULL for a tool not in the registry. Every schema is
 * parsed once, at the first call from any thread; the result lives as long
 * as the process and is never written to again.
 */
const struct pm_jv *pm_tool_input_schema_jv(const struct pm_tool *t);

/*
 * Write the tool reference in Markdown (docs/TOOLS.md): for every tool its
 * description, its arguments and the members of its result. Returns 0, or
 * PM_E_IO when writing failed.
 */
PM_MUST_CHECK int pm_tools_markdown(FILE *out);

/* "capture", "flows", "scans", "protocols", "enrichment", "server", "hunting", "packets". */
const char *pm_tool_group_name(enum pm_tool_group g);

/*
 * Enable the tools named in spec: "all", or a comma-separated list of tool
 * names and group names. Every group name is accepted, also one whose tools
 * have not landed yet (it then enables nothing). Returns 0, or
 * PM_E_MALFORMED with err naming the unknown entry.
 */
PM_MUST_CHECK int pm_tools_select(struct pm_tool_ctx *ctx, const char *spec, struct pm_error *err);

/*
 * Check args (an object, or NULL for none) against t's argument table:
 * every key named, every required one present, each value of its type,
 * within its bounds and, for enums, one of its values. Returns 0, or
 * PM_E_MALFORMED with err (invalid_argument) saying which.
 */
PM_MUST_CHECK int pm_tool_check_args(const struct pm_tool *t, const struct pm_jv *args,
                                     struct pm_error *err);

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

/*
 * Typed reads of a checked argument: its value, or the table's default when
 * absent (0, 0.0, NULL or false when the table gives none). name must be in
 * the tool's table.
 */
bool pm_arg_given(const struct pm_tool_args *a, const char *name);
int64_t pm_arg_int(const struct pm_tool_args *a, const char *name);
double pm_arg_num(const struct pm_tool_args *a, const char *name);
const char *pm_arg_str(const struct pm_tool_args *a, const char *name);
bool pm_arg_bool(const struct pm_tool_args *a, const char *name);
/* The argument as given (a PM_ARG_STRS array or string), or NULL when absent. */
const struct pm_jv *pm_arg_value(const struct pm_tool_args *a, const char *name);

/*
 * Bytes a handler's lists may fill before they stop taking items, so the
 * whole result stays within the configured budget (PCAPMCP_MAX_RESULT_CHARS)
 * whatever limit or top asks: the budget less PM_TOOL_RESULT_RESERVE for the
 * item being written and the members after the lists. 0 (no cap) when the
 * configuration sets no budget (the CLI's tables).
 */
#define PM_TOOL_RESULT_RESERVE 8192
size_t pm_tool_result_cap(const struct pm_tool_ctx *ctx);

/* Write "YYYY-MM-DDTHH:MM:SSZ" for now (SOURCE_DATE_EPOCH when set, for tests). */
void pm_tools_now(char out[32]);

#endif /* PM_TOOLS_H */

/* SPDX-License-Identifier: MIT */
/*
 * mcp.c - the MCP server: newline-delimited JSON-RPC 2.0 over stdio, the
 * legacy (initialize) and modern (2026-07-28, stateless _meta) eras, tools,
 * prompts and capture resources. One message at a time: while a tool runs,
 * the progress callback polls stdin only to catch notifications/cancelled,
 * and queues every other line in the input buffer, in order.
 *
 * References: JSON-RPC 2.0 §4-§6; MCP 2025-11-25 basic/lifecycle, server/
 * tools, prompts, resources; MCP 2026-07-28 schema.ts (server/discover,
 * resultType, CacheableResult, -32022).
 */
#include "mcp.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "json.h"
#include "jsonparse.h"
#include "prompts.h"
#include "resources.h"
#include "sandbox.h"

#define RPC_PARSE_ERROR      (-32700) /* JSON-RPC 2.0 §5.1 */
#define RPC_INVALID_REQUEST  (-32600)
#define RPC_METHOD_NOT_FOUND (-32601)
#define RPC_INVALID_PARAMS   (-32602)
#define RPC_INTERNAL_ERROR   (-32603)
#define MCP_NOT_FOUND        (-32002) /* MCP 2025-11-25 resources: resource not found */
#define MCP_BAD_VERSION      (-32022) /* MCP 2026-07-28: unsupported protocol version */

#define META_VERSION "io.modelcontextprotocol/protocolVersion"
#define META_CAPS    "io.modelcontextprotocol/clientCapabilities"
#define META_SERVER  "io.modelcontextprotocol/serverInfo"

#define IN_CAP          ((size_t)PM_MAX_MCP_LINE + 1) /* a maximal line plus its newline */
#define CANCEL_MAX_LINE 65536                         /* longer lines cannot be cancellations */
#define PROMPT_MAX_PATH 1024                          /* bytes of path a prompt embeds */

static const char *const versions[] = { "2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25",
	                                "2026-07-28" };
#define N_LEGACY      4 /* versions[0..3] use the initialize handshake */
#define LATEST_LEGACY "2025-11-25"

static const char *const levels[] = { "debug", "info",     "notice", "warning",
	                              "error", "critical", "alert",  "emergency" };

static const char instructions[] =
    "pcapmcp analyses PCAP and PCAPNG network captures. Start with analyze_capinfos or "
    "get_pcap_summary on a capture, then use the flow, TCP and protocol tools to dig into "
    "what they show. Paths are relative to the server's allowed directory (get_info shows "
    "it, resources/list lists the captures); load_pcap_file lets later calls omit path. "
    "Lists are paged: results carry total and truncated, and tools take limit and offset.";

static volatile sig_atomic_t stop_requested;

/* One request being answered. */
struct req {
	const struct pm_jv *id;     /* echoed exactly; NULL when it could not be read */
	const struct pm_jv *params; /* an object, or NULL when absent */
	bool modern;                /* carries 2026-07-28 _meta: modern result shape */
	struct pm_arena *a;         /* the message's arena */
};

/* Output. */

static void
write_all(struct pm_mcp *m, const char *p, size_t n)
{
	while (n > 0 && !m->out_failed) {
		ssize_t k = write(m->out_fd, p, n);
		if (k < 0 && errno == EINTR) {
			continue;
		}
		if (k <= 0) {
			fprintf(stderr, "pcapmcp: writing a response failed: %s\n",
			        strerror(errno));
			m->out_failed = true;
			return;
		}
		p += k;
		n -= (size_t)k;
	}
}

static void
send_line(struct pm_mcp *m, const char *p, size_t n)
{
	write_all(m, p, n);
	write_all(m, "\n", 1);
}

static void
reset(struct pm_json *w)
{
	pm_json_free(w);
	pm_json_init(w, PM_MCP_MAX_RESPONSE);
}

static void
begin_response(struct pm_json *w, const struct pm_jv *id)
{
	pm_json_obj_begin(w);
	pm_json_kstr(w, "jsonrpc", "2.0");
	if (id != NULL) {
		pm_json_key(w, "id");
		pm_json_value(w, id);
	}
}

static void
begin_error(struct pm_json *w, const struct pm_jv *id, int code, const char *msg)
{
	begin_response(w, id);
	pm_json_key(w, "error");
	pm_json_obj_begin(w);
	pm_json_ki64(w, "code", code);
	pm_json_kstr(w, "message", msg);
}

static void
end_error(struct pm_json *w)
{
	pm_json_obj_end(w);
	pm_json_obj_end(w);
}

static void reply_error(struct pm_json *w, const struct pm_jv *id, int code, const char *fmt, ...)
    PM_PRINTF(4, 5);

/* Replace whatever w holds with one error response. */
static void
reply_error(struct pm_json *w, const struct pm_jv *id, int code, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	reset(w);
	begin_error(w, id, code, msg);
	end_error(w);
}

static void
server_info(struct pm_json *w, bool full)
{
	pm_json_obj_begin(w);
	pm_json_kstr(w, "name", "pcapmcp");
	pm_json_kstr(w, "version", PM_VERSION);
	if (full) {
		pm_json_kstr(w, "title", "pcapmcp: PCAP and PCAPNG analysis");
	}
	pm_json_obj_end(w);
}

static void
begin_result(struct pm_json *w, const struct req *r)
{
	begin_response(w, r->id);
	pm_json_key(w, "result");
	pm_json_obj_begin(w);
}

static void
end_result(struct pm_json *w, const struct req *r)
{
	if (r->modern) {
		pm_json_kstr(w, "resultType", "complete");
		pm_json_key(w, "_meta");
		pm_json_obj_begin(w);
		pm_json_key(w, META_SERVER);
		server_info(w, false);
		pm_json_obj_end(w);
	}
	pm_json_obj_end(w);
	pm_json_obj_end(w);
}

/* CacheableResult members (2026-07-28), only in modern results. */
static void
cacheable(struct pm_json *w, const struct req *r, const char *scope)
{
	if (r->modern) {
		pm_json_ku64(w, "ttlMs", PM_MCP_TTL_MS);
		pm_json_kstr(w, "cacheScope", scope);
	}
}

static void
capabilities(struct pm_json *w)
{
	pm_json_obj_begin(w);
	pm_json_key(w, "tools");
	pm_json_obj_begin(w);
	pm_json_kbool(w, "listChanged", false);
	pm_json_obj_end(w);
	pm_json_key(w, "prompts");
	pm_json_obj_begin(w);
	pm_json_kbool(w, "listChanged", false);
	pm_json_obj_end(w);
	pm_json_key(w, "resources");
	pm_json_obj_begin(w);
	pm_json_kbool(w, "subscribe", false);
	pm_json_kbool(w, "listChanged", false);
	pm_json_obj_end(w);
	pm_json_key(w, "logging");
	pm_json_obj_begin(w);
	pm_json_obj_end(w);
	pm_json_obj_end(w);
}

static bool
is_version(const char *s, size_t n)
{
	for (size_t i = 0; s != NULL && i < n; i++) {
		if (strcmp(s, versions[i]) == 0) {
			return true;
		}
	}
	return false;
}

/* Cancellation and progress, polled from inside an analysis pass. */

static bool
same_id(const struct pm_jv *a, const struct pm_jv *b)
{
	if (a == NULL || b == NULL || a->type != b->type) {
		return false;
	}
	if (a->type == PM_JV_STR) {
		return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
	}
	return a->type == PM_JV_NUM && a->is_int && b->is_int && a->i == b->i;
}

static bool
cancels_running(const struct pm_mcp *m, const char *line, size_t n)
{
	struct pm_arena a;
	const struct pm_jv *msg = NULL;
	pm_arena_init(&a, 1u << 20);
	bool hit = false;
	if (pm_json_parse((const uint8_t *)line, n, &a, &msg, NULL) == 0 &&
	    pm_jv_get(msg, "id") == NULL) {
		const char *method = pm_jv_str(pm_jv_get(msg, "method"));
		const struct pm_jv *rid = pm_jv_get(pm_jv_get(msg, "params"), "requestId");
		hit = method != NULL && strcmp(method, "notifications/cancelled") == 0 &&
		      same_id(rid, m->running);
	}
	pm_arena_free(&a);
	return hit;
}

/* Move the unconsumed input to the front of the buffer. */
static void
compact(struct pm_mcp *m)
{
	if (m->in_off == 0) {
		return;
	}
	memmove(m->in, m->in + m->in_off, m->in_len - m->in_off);
	m->in_len -= m->in_off;
	m->cancel_off = m->cancel_off > m->in_off ? m->cancel_off - m->in_off : 0;
	m->in_off = 0;
}

/*
 * Read what stdin has without blocking, and check the complete lines not yet
 * checked for a cancellation of the running call. The lines stay in the
 * buffer: the serve loop handles them, in order, after the call.
 */
static void
poll_input(struct pm_mcp *m)
{
	if (m->in_fd < 0 || m->in == NULL) {
		return;
	}
	for (int i = 0; i < 64 && !m->in_eof && !m->discarding; i++) {
		struct pollfd p = { .fd = m->in_fd, .events = POLLIN };
		if (poll(&p, 1, 0) <= 0) {
			break;
		}
		compact(m);
		if (m->in_len == IN_CAP) {
			break;
		}
		ssize_t k = read(m->in_fd, m->in + m->in_len, IN_CAP - m->in_len);
		if (k == 0) {
			m->in_eof = true;
		} else if (k > 0) {
			m->in_len += (size_t)k;
		} else if (errno != EINTR) {
			break;
		}
	}
	if (m->cancel_off < m->in_off) {
		m->cancel_off = m->in_off;
	}
	for (;;) {
		const char *s = m->in + m->cancel_off;
		const char *nl = memchr(s, '\n', m->in_len - m->cancel_off);
		if (nl == NULL) {
			break;
		}
		size_t n = (size_t)(nl - s);
		m->cancel_off += n + 1;
		if (n < CANCEL_MAX_LINE && cancels_running(m, s, n)) {
			m->cancel = 1;
		}
	}
}

static void
on_progress(void *opaque, uint64_t done, uint64_t total)
{
	struct pm_mcp *m = opaque;
	poll_input(m);
	if (stop_requested) {
		m->cancel = 1;
	}
	if (m->token == NULL || m->cancel || done <= m->progress_last) {
		return;
	}
	m->progress_last = done;
	struct pm_json w;
	char msg[96];
	pm_json_init(&w, 4096);
	pm_json_obj_begin(&w);
	pm_json_kstr(&w, "jsonrpc", "2.0");
	pm_json_kstr(&w, "method", "notifications/progress");
	pm_json_key(&w, "params");
	pm_json_obj_begin(&w);
	pm_json_key(&w, "progressToken");
	pm_json_value(&w, m->token);
	pm_json_ku64(&w, "progress", done);
	if (total >= done) {
		pm_json_ku64(&w, "total", total);
	}
	snprintf(msg, sizeof(msg), "analysed %llu of %llu MiB", (unsigned long long)(done >> 20),
	         (unsigned long long)(total >> 20));
	pm_json_kstr(&w, "message", msg);
	pm_json_obj_end(&w);
	pm_json_obj_end(&w);
	if (pm_json_finish(&w) == 0) {
		send_line(m, w.buf, w.len);
	}
	pm_json_free(&w);
}

/*
 * Run a tool for request r with progress and cancellation wired in. Returns
 * pm_tools_call's result, or 1 when the call was cancelled (nothing to send).
 */
static int
run_tool(struct pm_mcp *m, const struct req *r, const struct pm_tool *t, const struct pm_jv *args,
         struct pm_json *tw, bool *is_error)
{
	const struct pm_jv *token = pm_jv_get(pm_jv_get(r->params, "_meta"), "progressToken");
	bool token_ok = pm_jv_is(token, PM_JV_STR) || (pm_jv_is(token, PM_JV_NUM) && token->is_int);
	m->running = r->id;
	m->token = token_ok ? token : NULL;
	m->progress_last = 0;
	m->cancel = 0;
	m->cancel_off = m->in_off;
	m->cache.opts.progress = on_progress;
	m->cache.opts.opaque = m;
	m->cache.opts.cancel = &m->cancel;
	int rc = pm_tools_call(&m->ctx, t, args, tw, is_error);
	m->cache.opts.progress = NULL;
	m->cache.opts.opaque = NULL;
	m->cache.opts.cancel = NULL;
	m->running = NULL;
	m->token = NULL;
	if (m->cancel) {
		fprintf(stderr, "pcapmcp: %s cancelled\n", t->name);
		return 1;
	}
	return rc;
}

/* Methods. Each writes exactly one response to w. */

static void
do_initialize(struct pm_mcp *m, const struct req *r, struct pm_json *w)
{
	const char *want = pm_jv_str(pm_jv_get(r->params, "protocolVersion"));
	if (want == NULL) {
		reply_error(w, r->id, RPC_INVALID_PARAMS,
		            "Invalid params: initialize needs protocolVersion as a string");
		return;
	}
	snprintf(m->version, sizeof(m->version), "%s",
	         is_version(want, N_LEGACY) ? want : LATEST_LEGACY);
	m->initialized = true;
	begin_result(w, r);
	pm_json_kstr(w, "protocolVersion", m->version);
	pm_json_key(w, "capabilities");
	capabilities(w);
	pm_json_key(w, "serverInfo");
	server_info(w, true);
	pm_json_kstr(w, "instructions", instructions);
	end_result(w, r);
}

static void
do_discover(struct pm_mcp *m, const struct req *r, struct pm_json *w)
{
	(void)m;
	struct req modern = *r;
	modern.modern = true;
	begin_result(w, &modern);
	pm_json_key(w, "supportedVersions");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < PM_ARRAY_LEN(versions); i++) {
		pm_json_str(w, versions[i]);
	}
	pm_json_arr_end(w);
	pm_json_key(w, "capabilities");
	capabilities(w);
	pm_json_kstr(w, "instructions", instructions);
	cacheable(w, &modern, "public");
	end_result(w, &modern);
}

static void
do_ping(struct pm_mcp *m, const struct req *r, struct pm_json *w)
{
	(void)m;
	begin_result(w, r);
	end_result(w, r);
}

static void
do_set_level(struct pm_mcp *m, const struct req *r, struct pm_json *w)
{
	const char *level = pm_jv_str(pm_jv_get(r->params, "level"));
	for (size_t i = 0; level != NULL && i < PM_ARRAY_LEN(levels); i++) {
		if (strcmp(level, levels[i]) == 0) {
			m->log_level = (int)i;
			do_ping(m, r, w);
			return;
		}
	}
	reply_error(w, r->id, RPC_INVALID_PARAMS,
	            "Invalid params: level must be one of debug, info, notice, warning, error, "
	            "critical, alert, emergency");
}

/* The enabled tool called name, or NULL. */
static const struct pm_tool *
enabled_tool(const struct pm_mcp *m, const char *name)
{
	size_t n;
	const struct pm_tool *all = pm_tools(&n);
	const struct pm_tool *t = name != NULL ? pm_tool_find(name) : NULL;
	if (t == NULL) {
		return NULL;
	}
	size_t i = (size_t)(t - all);
	return i < n && i < PM_ARRAY_LEN(m->ctx.enabled) && m->ctx.enabled[i] ? t : NULL;
}

static void
do_tools_list(struct pm_mcp *m, const struct req *r, struct pm_json *w)
{
	size_t n;
	const struct pm_tool *t = pm_tools(&n);
	begin_result(w, r);
	pm_json_key(w, "tools");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < n; i++) {
		if (enabled_tool(m, t[i].name) == NULL) {
			continue;
		}
		pm_json_obj_begin(w);
		pm_json_kstr(w, "name", t[i].name);
		pm_json_kstr(w, "title", t[i].title);
		pm_json_kstr(w, "description", t[i].description);
		pm_json_key(w, "inputSchema");
		pm_tool_input_schema(w, &t[i]);
		pm_json_key(w, "outputSchema");
		pm_tool_output_schema(w, &t[i]);
		pm_json_key(w, "annotations");
		pm_json_obj_begin(w);
		pm_json_kstr(w, "title", t[i].title);
		pm_json_kbool(w, "readOnlyHint", true);
		pm_json_kbool(w, "destructiveHint", false);
		pm_json_kbool(w, "idempotentHint", true);
		pm_json_kbool(w, "openWorldHint", t[i].open_world);
		pm_json_obj_end(w);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	cacheable(w, r, "public");
	end_result(w, r);
}

static void
do_tools_call(struct pm_mcp *m, const struct req *r, struct pm_json *w)
{
	const char *name = pm_jv_str(pm_jv_get(r->params, "name"));
	const struct pm_jv *args = pm_jv_get(r->params, "arguments");
	if (name == NULL) {
		reply_error(w, r->id, RPC_INVALID_PARAMS,
		            "Invalid params: tools/call needs name as a string");
		return;
	}
	const struct pm_tool *t = enabled_tool(m, name);
	if (t == NULL) {
		reply_error(w, r->id, RPC_INVALID_PARAMS, "Unknown tool: %.100s", name);
		return;
	}
	if (args != NULL && !pm_jv_is(args, PM_JV_OBJ)) {
		reply_error(w, r->id, RPC_INVALID_PARAMS,
		            "Invalid params: arguments must be an object");
		return;
	}
	struct pm_json tw;
	bool is_error = false;
	const struct pm_jv *sc = NULL;
	pm_json_init(&tw, PM_MCP_MAX_RESULT);
	int rc = run_tool(m, r, t, args, &tw, &is_error);
	if (rc == 1) {
		goto out_free; /* cancelled: no response */
	}
	if (rc == 0 && pm_json_parse((const uint8_t *)tw.buf, tw.len, r->a, &sc, NULL) != 0) {
		rc = PM_E_MALFORMED;
	}
	if (rc != 0) {
		reply_error(w, r->id, RPC_INTERNAL_ERROR,
		            rc == PM_E_LIMIT ? "Internal error: the result of %s is too large; ask "
		                               "for fewer items with limit and offset"
		                             : "Internal error: %s could not produce its result",
		            t->name);
		goto out_free;
	}
	begin_result(w, r);
	pm_json_key(w, "content");
	pm_json_arr_begin(w);
	pm_json_obj_begin(w);
	pm_json_kstr(w, "type", "text");
	pm_json_key(w, "text");
	pm_json_strn(w, tw.buf, tw.len);
	pm_json_obj_end(w);
	pm_json_arr_end(w);
	pm_json_key(w, "structuredContent");
	pm_json_value(w, sc);
	pm_json_kbool(w, "isError", is_error);
	end_result(w, r);
out_free:
	pm_json_free(&tw);
}

static void
do_prompts_list(struct pm_mcp *m, const struct req *r, struct pm_json *w)
{
	(void)m;
	size_t n;
	const struct pm_prompt *p = pm_prompts(&n);
	begin_result(w, r);
	pm_json_key(w, "prompts");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < n; i++) {
		pm_json_obj_begin(w);
		pm_json_kstr(w, "name", p[i].name);
		pm_json_kstr(w, "title", p[i].title);
		pm_json_kstr(w, "description", p[i].description);
		pm_json_key(w, "arguments");
		pm_json_arr_begin(w);
		pm_json_obj_begin(w);
		pm_json_kstr(w, "name", "path");
		pm_json_kstr(w, "description",
		             "The capture to examine, relative to the server's allowed directory");
		pm_json_kbool(w, "required", true);
		pm_json_obj_end(w);
		pm_json_arr_end(w);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	cacheable(w, r, "public");
	end_result(w, r);
}

static void append(char *buf, size_t cap, size_t *len, const char *fmt, ...) PM_PRINTF(4, 5);

static void
append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(buf + *len, cap - *len, fmt, ap);
	va_end(ap);
	*len = k < 0 ? *len : (size_t)k >= cap - *len ? cap - 1 : *len + (size_t)k;
}

static void
do_prompts_get(struct pm_mcp *m, const struct req *r, struct pm_json *w)
{
	const char *name = pm_jv_str(pm_jv_get(r->params, "name"));
	const struct pm_prompt *p = name != NULL ? pm_prompt_find(name) : NULL;
	const char *path = pm_jv_str(pm_jv_get(pm_jv_get(r->params, "arguments"), "path"));
	if (p == NULL) {
		reply_error(w, r->id, RPC_INVALID_PARAMS, "Unknown prompt: %.100s",
		            name != NULL ? name : "(name must be a string)");
		return;
	}
	if (path == NULL || path[0] == '\0' || strlen(path) > PROMPT_MAX_PATH) {
		reply_error(w, r->id, RPC_INVALID_PARAMS,
		            "Invalid params: prompt %s needs the argument path (a capture path "
		            "of at most %d bytes)",
		            p->name, PROMPT_MAX_PATH);
		return;
	}
	char text[8192];
	size_t len = 0;
	unsigned k = 0;
	append(text, sizeof(text), &len,
	       "%s \"%s\" with the pcapmcp tools. Paths are relative to the server's allowed "
	       "directory. Call the tools in this order, passing path \"%s\":\n",
	       p->intro, path, path);
	for (size_t i = 0; i < p->nsteps; i++) {
		if (enabled_tool(m, p->steps[i].tool) != NULL) {
			append(text, sizeof(text), &len, "%u. %s: %s.\n", ++k, p->steps[i].tool,
			       p->steps[i].why);
		}
	}
	append(text, sizeof(text), &len,
	       "Lists are paged: when a result says truncated, call again with a larger offset "
	       "or a narrower filter rather than a huge limit. %s",
	       p->outro);
	begin_result(w, r);
	pm_json_kstr(w, "description", p->description);
	pm_json_key(w, "messages");
	pm_json_arr_begin(w);
	pm_json_obj_begin(w);
	pm_json_kstr(w, "role", "user");
	pm_json_key(w, "content");
	pm_json_obj_begin(w);
	pm_json_kstr(w, "type", "text");
	pm_json_kstr(w, "text", text);
	pm_json_obj_end(w);
	pm_json_obj_end(w);
	pm_json_arr_end(w);
	end_result(w, r);
}

/* Resources: the captures under the allowed directory. */

static void
do_resources_list(struct pm_mcp *m, const struct req *r, struct pm_json *w)
{
	begin_result(w, r);
	pm_json_key(w, "resources");
	if (pm_resources_list(w, m->cfg->allowed_dir, r->a) != 0) {
		reply_error(w, r->id, RPC_INTERNAL_ERROR, "Internal error: out of memory");
		return;
	}
	cacheable(w, r, "public");
	end_result(w, r);
}

static void
do_templates_list(struct pm_mcp *m, const struct req *r, struct pm_json *w)
{
	(void)m;
	begin_result(w, r);
	pm_json_key(w, "resourceTemplates");
	pm_json_arr_begin(w);
	pm_json_arr_end(w);
	cacheable(w, r, "public");
	end_result(w, r);
}

static void
do_resources_read(struct pm_mcp *m, const struct req *r, struct pm_json *w)
{
	const char *uri = pm_jv_str(pm_jv_get(r->params, "uri"));
	char path[PATH_MAX], resolved[PATH_MAX];
	struct pm_error err = { 0 };
	if (uri == NULL) {
		reply_error(w, r->id, RPC_INVALID_PARAMS,
		            "Invalid params: resources/read needs uri as a string");
		return;
	}
	if (pm_resources_uri_path(uri, path, sizeof(path)) != 0 ||
	    pm_sandbox_resolve(m->cfg, path, resolved, &err) != 0) {
		reset(w);
		begin_error(w, r->id, r->modern ? RPC_INVALID_PARAMS : MCP_NOT_FOUND,
		            "Resource not found");
		pm_json_key(w, "data");
		pm_json_obj_begin(w);
		pm_json_kstr(w, "uri", uri);
		pm_json_obj_end(w);
		end_error(w);
		return;
	}
	/* The arguments a client would pass to analyze_capinfos, as a parsed object. */
	struct pm_json aw, tw;
	const struct pm_jv *args = NULL;
	const char *token = pm_jv_str(pm_jv_get(r->params, "auth_token"));
	const struct pm_tool *t = pm_tool_find("analyze_capinfos");
	bool is_error = false;
	pm_json_init(&aw, 0);
	pm_json_init(&tw, PM_MCP_MAX_RESULT);
	pm_json_obj_begin(&aw);
	pm_json_kstr(&aw, "path", resolved);
	if (token != NULL) {
		pm_json_kstr(&aw, "auth_token", token);
	}
	pm_json_obj_end(&aw);
	int rc = t == NULL || pm_json_finish(&aw) != 0
	             ? PM_E_NOMEM
	             : pm_json_parse((const uint8_t *)aw.buf, aw.len, r->a, &args, NULL);
	if (rc == 0) {
		rc = run_tool(m, r, t, args, &tw, &is_error);
	}
	if (rc == 1) {
		goto out_free;
	}
	if (rc != 0) {
		reply_error(w, r->id, RPC_INTERNAL_ERROR,
		            "Internal error: the capture facts of "
		            "this resource could not be produced");
		goto out_free;
	}
	begin_result(w, r);
	pm_json_key(w, "contents");
	pm_json_arr_begin(w);
	pm_json_obj_begin(w);
	pm_json_kstr(w, "uri", uri);
	pm_json_kstr(w, "mimeType", "application/json");
	pm_json_key(w, "text");
	pm_json_strn(w, tw.buf, tw.len);
	pm_json_obj_end(w);
	pm_json_arr_end(w);
	cacheable(w, r, "private");
	end_result(w, r);
out_free:
	pm_json_free(&tw);
	pm_json_free(&aw);
}

/* Dispatch. */

static const struct method {
	const char *name;
	void (*fn)(struct pm_mcp *m, const struct req *r, struct pm_json *w);
} methods[] = {
	{ "initialize", do_initialize },         { "ping", do_ping },
	{ "logging/setLevel", do_set_level },    { "server/discover", do_discover },
	{ "tools/list", do_tools_list },         { "tools/call", do_tools_call },
	{ "prompts/list", do_prompts_list },     { "prompts/get", do_prompts_get },
	{ "resources/list", do_resources_list }, { "resources/templates/list", do_templates_list },
	{ "resources/read", do_resources_read },
};

/* A paginated list method ("tools/list", "resources/templates/list", ...). */
static bool
is_list(const char *method)
{
	size_t n = strlen(method);
	return n > 5 && strcmp(method + n - 5, "/list") == 0;
}

/* A request id as JSON-RPC and MCP allow it: a string or an integer (never null). */
static bool
valid_id(const struct pm_jv *id)
{
	return pm_jv_is(id, PM_JV_STR) || (pm_jv_is(id, PM_JV_NUM) && id->is_int);
}

/*
 * Modern _meta (2026-07-28): a request that names a protocol version is
 * served statelessly, whatever the process negotiated. Returns false when an
 * error was written instead.
 */
static bool
check_meta(struct req *r, struct pm_json *w)
{
	const struct pm_jv *meta = pm_jv_get(r->params, "_meta");
	const struct pm_jv *v = pm_jv_get(meta, META_VERSION);
	if (v == NULL) {
		return true;
	}
	const char *want = pm_jv_str(v);
	if (want == NULL) {
		reply_error(w, r->id, RPC_INVALID_PARAMS,
		            "Invalid params: _meta " META_VERSION " must be a string");
		return false;
	}
	if (!is_version(want, PM_ARRAY_LEN(versions))) {
		begin_error(w, r->id, MCP_BAD_VERSION, "Unsupported protocol version");
		pm_json_key(w, "data");
		pm_json_obj_begin(w);
		pm_json_key(w, "supported");
		pm_json_arr_begin(w);
		for (size_t i = 0; i < PM_ARRAY_LEN(versions); i++) {
			pm_json_str(w, versions[i]);
		}
		pm_json_arr_end(w);
		pm_json_kstr(w, "requested", want);
		pm_json_obj_end(w);
		end_error(w);
		return false;
	}
	if (!pm_jv_is(pm_jv_get(meta, META_CAPS), PM_JV_OBJ)) {
		reply_error(w, r->id, RPC_INVALID_PARAMS,
		            "Invalid params: _meta needs " META_CAPS " as an object");
		return false;
	}
	r->modern = true;
	return true;
}

/* Write the response to one message (none for a notification) into w. */
static void
dispatch(struct pm_mcp *m, const struct pm_jv *msg, struct pm_arena *a, struct pm_json *w)
{
	if (!pm_jv_is(msg, PM_JV_OBJ)) {
		reply_error(w, NULL, RPC_INVALID_REQUEST, "Invalid Request: not a JSON object");
		return;
	}
	const struct pm_jv *id = pm_jv_get(msg, "id");
	const char *method = pm_jv_str(pm_jv_get(msg, "method"));
	const char *version = pm_jv_str(pm_jv_get(msg, "jsonrpc"));
	struct req r = { .id = id, .params = pm_jv_get(msg, "params"), .a = a };
	if (id != NULL && !valid_id(id)) {
		reply_error(w, NULL, RPC_INVALID_REQUEST,
		            "Invalid Request: id must be a string or an integer");
		return;
	}
	/*
	 * Notifications get no response, even when unknown or malformed.
	 * Requests run one at a time, so a cancellation read here names a
	 * request already answered; those for a running call are caught by
	 * poll_input.
	 */
	if (id == NULL && method != NULL) {
		return;
	}
	/* A response from the client (we send no requests) is never answered. */
	if (id != NULL && pm_jv_get(msg, "method") == NULL &&
	    (pm_jv_get(msg, "result") != NULL || pm_jv_get(msg, "error") != NULL)) {
		return;
	}
	if (version == NULL || strcmp(version, "2.0") != 0) {
		reply_error(w, id, RPC_INVALID_REQUEST, "Invalid Request: jsonrpc must be \"2.0\"");
		return;
	}
	if (method == NULL) {
		reply_error(w, id, RPC_INVALID_REQUEST, "Invalid Request: method must be a string");
		return;
	}
	if (r.params != NULL && !pm_jv_is(r.params, PM_JV_OBJ)) {
		reply_error(w, id, RPC_INVALID_PARAMS, "Invalid params: params must be an object");
		return;
	}
	if (!check_meta(&r, w)) {
		return;
	}
	for (size_t i = 0; i < PM_ARRAY_LEN(methods); i++) {
		if (strcmp(method, methods[i].name) == 0) {
			if (is_list(method) && pm_jv_get(r.params, "cursor") != NULL) {
				/* Every list fits one page, so no cursor was ever handed out. */
				reply_error(w, id, RPC_INVALID_PARAMS,
				            "Invalid params: unknown cursor");
				return;
			}
			methods[i].fn(m, &r, w);
			return;
		}
	}
	reply_error(w, id, RPC_METHOD_NOT_FOUND, "Method not found: %.100s", method);
}

/* dispatch, then make sure what w holds is a complete response (or nothing). */
static void
respond(struct pm_mcp *m, const struct pm_jv *msg, struct pm_arena *a, struct pm_json *w)
{
	dispatch(m, msg, a, w);
	if (w->len == 0 && !w->err) {
		return;
	}
	if (pm_json_finish(w) != 0) {
		const struct pm_jv *id = pm_jv_get(msg, "id");
		reply_error(w, valid_id(id) ? id : NULL, RPC_INTERNAL_ERROR,
		            "Internal error: the response exceeds %u bytes", PM_MCP_MAX_RESPONSE);
		if (pm_json_finish(w) != 0) {
			reset(w);
		}
	}
}

static void
reply_line(struct pm_mcp *m, int code, const char *msg)
{
	struct pm_json w;
	pm_json_init(&w, 0);
	begin_error(&w, NULL, code, msg);
	end_error(&w);
	if (pm_json_finish(&w) == 0) {
		send_line(m, w.buf, w.len);
	}
	pm_json_free(&w);
}

/* JSON-RPC batches, which only MCP 2025-03-26 has. Responses form one array line. */
static void
batch(struct pm_mcp *m, const struct pm_jv *arr, struct pm_arena *a)
{
	if (!m->initialized || strcmp(m->version, "2025-03-26") != 0) {
		reply_line(m, RPC_INVALID_REQUEST,
		           "Invalid Request: batches are accepted only under protocol 2025-03-26");
		return;
	}
	if (arr->len == 0) {
		reply_line(m, RPC_INVALID_REQUEST, "Invalid Request: empty batch");
		return;
	}
	char *out = malloc(PM_MCP_MAX_RESPONSE + 2);
	size_t len = 0;
	if (out == NULL) {
		reply_line(m, RPC_INTERNAL_ERROR, "Internal error: out of memory");
		return;
	}
	out[len++] = '[';
	for (size_t i = 0; i < arr->len; i++) {
		struct pm_json w;
		pm_json_init(&w, PM_MCP_MAX_RESPONSE);
		respond(m, &arr->items[i], a, &w);
		if (w.len > 0 && w.len > PM_MCP_MAX_RESPONSE - len) {
			const struct pm_jv *id = pm_jv_get(&arr->items[i], "id");
			reply_error(&w, valid_id(id) ? id : NULL, RPC_INTERNAL_ERROR,
			            "Internal error: the batch response is too large");
			if (pm_json_finish(&w) != 0 || w.len > PM_MCP_MAX_RESPONSE - len) {
				w.len = 0;
			}
		}
		if (w.len > 0) {
			if (len > 1) {
				out[len++] = ',';
			}
			memcpy(out + len, w.buf, w.len);
			len += w.len;
		}
		pm_json_free(&w);
	}
	out[len++] = ']';
	if (len > 2) {
		send_line(m, out, len);
	}
	free(out);
}

/* see mcp.h */
void
pm_mcp_handle_line(struct pm_mcp *m, const char *line, size_t n)
{
	if (n > 0 && line[n - 1] == '\r') {
		n--;
	}
	size_t blank = 0;
	while (blank < n && strchr(" \t\r", line[blank]) != NULL && line[blank] != '\0') {
		blank++;
	}
	if (blank == n || m->out_failed) {
		return;
	}
	if (n > PM_MAX_MCP_LINE) {
		reply_line(m, RPC_INVALID_REQUEST, "Invalid Request: line longer than 4 MiB");
		return;
	}
	struct pm_arena a;
	struct pm_error err = { 0 };
	const struct pm_jv *msg = NULL;
	const struct pm_json_limits lim = { .max_input = PM_MAX_MCP_LINE,
		                            .max_values = PM_MCP_MAX_VALUES,
		                            .max_depth = PM_JSON_MAX_PARSE_DEPTH };
	pm_arena_init(&a, PM_MCP_ARENA_CAP);
	int rc = pm_json_parse_limits((const uint8_t *)line, n, &lim, &a, &msg, &err);
	if (rc == PM_E_MALFORMED) {
		char text[200];
		snprintf(text, sizeof(text), "Parse error at byte %zu: %s", err.offset, err.msg);
		reply_line(m, RPC_PARSE_ERROR, text);
	} else if (rc == PM_E_LIMIT) {
		reply_line(
		    m, RPC_INVALID_REQUEST,
		    "Invalid Request: too deeply nested (at most 64 levels) or too many values");
	} else if (rc != 0) {
		reply_line(m, RPC_INTERNAL_ERROR, "Internal error: out of memory");
	} else if (pm_jv_is(msg, PM_JV_ARR)) {
		batch(m, msg, &a);
	} else {
		struct pm_json w;
		pm_json_init(&w, PM_MCP_MAX_RESPONSE);
		respond(m, msg, &a, &w);
		if (w.len > 0) {
			send_line(m, w.buf, w.len);
		}
		pm_json_free(&w);
	}
	pm_arena_free(&a);
}

/* see mcp.h */
int
pm_mcp_init(struct pm_mcp *m, const struct pm_config *cfg, const char *tools_spec, int out_fd)
{
	struct pm_error err = { 0 };
	memset(m, 0, sizeof(*m));
	m->cfg = cfg;
	m->in_fd = -1;
	m->out_fd = out_fd;
	pm_cache_init(&m->cache, 0);
	m->ctx.cfg = cfg;
	m->ctx.cache = &m->cache;
	const char *spec = tools_spec != NULL && tools_spec[0] != '\0' ? tools_spec
	                   : cfg->tools[0] != '\0'                     ? cfg->tools
	                                                               : "all";
	if (pm_tools_select(&m->ctx, spec, &err) != 0) {
		fprintf(stderr, "pcapmcp: tools: %s\n", err.msg);
		return PM_E_MALFORMED;
	}
	return 0;
}

/* see mcp.h */
void
pm_mcp_free(struct pm_mcp *m)
{
	pm_cache_free(&m->cache);
	free(m->in);
	m->in = NULL;
}

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* The next complete line in the input buffer; answers the end of an over-long one. */
static bool
take_line(struct pm_mcp *m, const char **line, size_t *n)
{
	for (;;) {
		const char *s = m->in + m->in_off;
		const char *nl = memchr(s, '\n', m->in_len - m->in_off);
		if (nl == NULL) {
			if (m->discarding) {
				m->in_off = m->in_len = m->cancel_off = 0;
			}
			return false;
		}
		size_t k = (size_t)(nl - s);
		m->in_off += k + 1;
		if (!m->discarding) {
			*line = s;
			*n = k;
			return true;
		}
		m->discarding = false;
		reply_line(m, RPC_INVALID_REQUEST, "Invalid Request: line longer than 4 MiB");
	}
}

/* Block for more input. Returns -1 on a read error. */
static int
read_more(struct pm_mcp *m)
{
	compact(m);
	if (m->in_len == IN_CAP) {
		/* A full buffer without a newline: drop the line up to its end. */
		m->discarding = true;
		m->in_len = m->cancel_off = 0;
	}
	ssize_t k = read(m->in_fd, m->in + m->in_len, IN_CAP - m->in_len);
	if (k > 0) {
		m->in_len += (size_t)k;
	} else if (k == 0) {
		m->in_eof = true;
	} else if (errno != EINTR) {
		fprintf(stderr, "pcapmcp: reading stdin failed: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* see mcp.h */
int
pm_mcp_serve(const struct pm_config *cfg, const char *tools_spec, int in_fd, int out_fd)
{
	struct pm_mcp m;
	struct sigaction sa;
	int rc = 0;
	if (pm_mcp_init(&m, cfg, tools_spec, out_fd) != 0) {
		pm_mcp_free(&m);
		return 2;
	}
	m.in_fd = in_fd;
	m.in = malloc(IN_CAP);
	if (m.in == NULL) {
		fprintf(stderr, "pcapmcp: out of memory\n");
		pm_mcp_free(&m);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: a blocked read() returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	stop_requested = 0;
	fprintf(stderr, "pcapmcp %s: serving MCP on stdio, captures under %s\n", PM_VERSION,
	        cfg->allowed_dir);
	while (!stop_requested && !m.out_failed) {
		const char *line;
		size_t n;
		while (!stop_requested && !m.out_failed && take_line(&m, &line, &n)) {
			pm_mcp_handle_line(&m, line, n);
		}
		if (stop_requested || m.out_failed) {
			break;
		}
		if (m.in_eof) {
			if (m.discarding) {
				reply_line(&m, RPC_INVALID_REQUEST,
				           "Invalid Request: line longer than 4 MiB");
			} else if (m.in_len > m.in_off) {
				size_t off = m.in_off;
				m.in_off = m.in_len;
				pm_mcp_handle_line(&m, m.in + off, m.in_len - off);
			}
			break;
		}
		if (read_more(&m) != 0) {
			rc = 1;
			break;
		}
	}
	if (m.out_failed) {
		rc = 1;
	}
	pm_mcp_free(&m);
	return rc;
}

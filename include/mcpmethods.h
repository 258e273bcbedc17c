/* SPDX-License-Identifier: MIT */
/*
 * mcpmethods.h - the MCP methods the dispatcher (mcp.h) routes requests to,
 * and the protocol versions they negotiate.
 *
 * A method writes exactly one response (result or error) for a request whose
 * envelope the dispatcher already checked, or nothing when the request was
 * cancelled while it ran. Methods that run a tool take a while and report
 * progress and observe cancellation through the request's call
 * (mcpio.h); they are marked slow so the dispatcher runs them off the
 * reading thread.
 */
#ifndef PM_MCPMETHODS_H
#define PM_MCPMETHODS_H

#include <stdbool.h>
#include <stddef.h>

struct pm_arena;
struct pm_json;
struct pm_jv;
struct pm_mcp;
struct pm_mcpio_call;

/* One request being answered. */
struct pm_mcp_req {
	const struct pm_jv *id;     /* echoed exactly; NULL when it could not be read */
	const struct pm_jv *params; /* an object, or NULL when absent */
	bool modern;                /* carries 2026-07-28 _meta: modern result shape */
	struct pm_arena *a;         /* the message's arena */
	struct pm_mcpio_call *call; /* its cancellation; NULL: it cannot be cancelled */
};

struct pm_mcp_method {
	const char *name; /* "tools/call", ... */
	void (*fn)(struct pm_mcp *m, const struct pm_mcp_req *r, struct pm_json *w);
	bool slow; /* runs a tool: answered on a worker thread under pm_mcp_serve */
};

/* The method called name, or NULL. */
const struct pm_mcp_method *pm_mcp_method_find(const char *name);

/* s names a protocol version this server speaks (either era). */
bool pm_mcp_version_ok(const char *s);

/* Write the array of every protocol version this server speaks, oldest first. */
void pm_mcp_versions(struct pm_json *w);

#endif /* PM_MCPMETHODS_H */

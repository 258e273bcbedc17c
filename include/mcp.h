/* SPDX-License-Identifier: MIT */
/*
 * mcp.h - the MCP server: the JSON-RPC 2.0 dispatcher over the stdio
 * transport (mcpio.h), one message per line.
 *
 * Speaks both protocol eras: the legacy handshake (initialize, versions
 * 2024-11-05 to 2025-11-25, batches only under 2025-03-26) and the modern,
 * stateless 2026-07-28 era (server/discover, per-request _meta). Serves the
 * tool registry (tools.h), the prompts (prompts.h) and the captures under
 * the allowed directory as resources (the methods are in mcpmethods.h).
 * Knows nothing of packets or of the analysis cache: every tool call goes
 * through pm_tools_call with the call's progress and cancellation hooks.
 *
 * Under pm_mcp_serve, tools/call, resources/read and batches run on worker
 * threads, so ping, notifications/cancelled, tools/list and calls answered
 * from the cache are served while an analysis runs; responses may arrive in
 * any order. stdout carries only JSON-RPC lines; the few log lines go to
 * stderr and never contain the token.
 */
#ifndef PM_MCP_H
#define PM_MCP_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mcpio.h"
#include "pm.h"
#include "tools.h"

struct pm_cache;
struct pm_config;

#define PM_MAX_MCP_LINE     PM_MCPIO_LINE_MAX /* bytes in one message line, newline excluded */
#define PM_MCP_MAX_RESULT   (2u << 20)        /* bytes of one tool result object */
#define PM_MCP_MAX_RESPONSE (9u << 20)  /* bytes of one response line (SDK reads up to 10 MiB) */
#define PM_MCP_ARENA_CAP    (64u << 20) /* per-message arena: parsed request and result */
#define PM_MCP_MAX_VALUES   200000u     /* JSON values in one message */
#define PM_MCP_TTL_MS       300000      /* ttlMs of cacheable modern results */

struct pm_mcp {
	const struct pm_config *cfg; /* sandbox and token; borrowed */
	struct pm_cache *cache;      /* analyses across calls; owned */
	struct pm_tool_ctx ctx;      /* registry state; each call runs with a copy plus its hooks */
	char loaded[PM_TOOL_PATH_MAX]; /* what ctx.loaded points at (load_pcap_file) */
	struct pm_mcpio io;            /* stdout, workers, registered calls */
	pthread_mutex_t lock;          /* guards initialized, version and log_level */
	bool initialized;              /* initialize seen: legacy era for the process */
	char version[16];              /* negotiated legacy version, "" before initialize */
	int log_level;                 /* index into the level names; 0 = debug */
};

/*
 * Set up *m for a server writing to out_fd: an empty cache and the tools
 * selected by tools_spec (NULL or "": cfg->tools, or "all" when that is empty
 * too). cfg must outlive m. Returns 0, or PM_E_MALFORMED after writing a line
 * naming the unknown tool or group to stderr (m is then still usable, with
 * no tools offered, and must be freed), or PM_E_NOMEM.
 */
PM_MUST_CHECK int pm_mcp_init(struct pm_mcp *m, const struct pm_config *cfg, const char *tools_spec,
                              int out_fd);

/*
 * Handle one message line of n bytes (without its newline; a trailing CR is
 * ignored): write zero or more lines (progress notifications, then at most
 * one response, or one array for a batch) to m's out_fd. Outside
 * pm_mcp_serve (tests, fuzzing) everything runs on this thread and is
 * written before returning; under it, slow requests and batches are queued
 * for the workers. Never fails; every problem becomes a JSON-RPC error
 * response.
 */
void pm_mcp_handle_line(struct pm_mcp *m, const char *line, size_t n);

/* Release the cache and the transport. */
void pm_mcp_free(struct pm_mcp *m);

/*
 * Serve MCP on in_fd/out_fd until EOF, SIGTERM or SIGINT, with worker
 * threads. Installs handlers for SIGTERM and SIGINT (without SA_RESTART) and
 * ignores SIGPIPE. Lines longer than PM_MAX_MCP_LINE are dropped up to their
 * newline and answered with -32600. On EOF, a failed write or a signal,
 * running passes stop at their next check (work already finished is still
 * answered) and the server returns within about PM_MCPIO_POLL_MS plus two
 * PM_PROGRESS_EVERY intervals. Writes one line of cache counts to stderr at
 * the end. Returns the process exit code: 0 on EOF or a signal, 1 when
 * reading or writing fails, 2 when tools_spec is invalid.
 */
int pm_mcp_serve(const struct pm_config *cfg, const char *tools_spec, int in_fd, int out_fd);

#endif /* PM_MCP_H */

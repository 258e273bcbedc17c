/* SPDX-License-Identifier: MIT */
/*
 * mcp.h - the MCP server: JSON-RPC 2.0 over stdio, one message per line.
 *
 * Speaks both protocol eras: the legacy handshake (initialize, versions
 * 2024-11-05 to 2025-11-25, batches only under 2025-03-26) and the modern,
 * stateless 2026-07-28 era (server/discover, per-request _meta). Serves the
 * tool registry (tools.h), the prompts (prompts.h) and the captures under
 * the allowed directory as resources. Knows nothing of packets: every tool
 * call goes through pm_tools_call. stdout carries only JSON-RPC lines; the
 * few log lines go to stderr and never contain the token.
 */
#ifndef PM_MCP_H
#define PM_MCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cache.h"
#include "pm.h"
#include "tools.h"

struct pm_config;
struct pm_jv;

#define PM_MAX_MCP_LINE     (4u << 20)  /* bytes in one message line, newline excluded */
#define PM_MCP_MAX_RESULT   (2u << 20)  /* bytes of one tool result object */
#define PM_MCP_MAX_RESPONSE (9u << 20)  /* bytes of one response line (SDK reads up to 10 MiB) */
#define PM_MCP_ARENA_CAP    (64u << 20) /* per-message arena: parsed request and result */
#define PM_MCP_MAX_VALUES   200000u     /* JSON values in one message */
#define PM_MCP_TTL_MS       300000      /* ttlMs of cacheable modern results */

struct pm_mcp {
	const struct pm_config *cfg; /* sandbox and token; borrowed */
	struct pm_cache cache;       /* analyses across calls; progress/cancel in cache.opts */
	struct pm_tool_ctx ctx;      /* registry state: enabled tools, loaded capture */
	int in_fd;                   /* polled for cancellations during a call; -1: none */
	int out_fd;                  /* responses and notifications */
	bool initialized;            /* initialize seen: legacy era for the process */
	char version[16];            /* negotiated legacy version, "" before initialize */
	int log_level;               /* index into the level names; 0 = debug */
	bool out_failed;             /* a write to out_fd failed; the server stops */
	/* private: */
	char *in;                    /* input buffer of PM_MAX_MCP_LINE + 1 bytes; owned */
	size_t in_off;               /* first unconsumed byte */
	size_t in_len;               /* bytes in the buffer */
	size_t cancel_off;           /* lines before this offset were checked for cancels */
	bool in_eof;                 /* read() returned 0 */
	bool discarding;             /* inside an over-long line, dropping up to its newline */
	const struct pm_jv *running; /* id of the tools/call in progress, NULL when none */
	const struct pm_jv *token;   /* its progress token, NULL when none */
	uint64_t progress_last;      /* last progress value sent */
	volatile int cancel;         /* set when the running call is cancelled */
};

/*
 * Set up *m for a server writing to out_fd: an empty cache and the tools
 * selected by tools_spec (NULL or "": cfg->tools, or "all" when that is empty
 * too). cfg must outlive m. Returns 0, or PM_E_MALFORMED after writing a line
 * naming the unknown tool or group to stderr (m is then still usable, with
 * no tools offered, and must be freed).
 */
PM_MUST_CHECK int pm_mcp_init(struct pm_mcp *m, const struct pm_config *cfg, const char *tools_spec,
                              int out_fd);

/*
 * Handle one message line of n bytes (without its newline; a trailing CR is
 * ignored): write zero or more lines (progress notifications, then at most
 * one response, or one array for a batch) to m->out_fd. Never fails; every
 * problem becomes a JSON-RPC error response.
 */
void pm_mcp_handle_line(struct pm_mcp *m, const char *line, size_t n);

/* Release the cache and the input buffer. */
void pm_mcp_free(struct pm_mcp *m);

/*
 * Serve MCP on in_fd/out_fd until EOF, SIGTERM or SIGINT. Installs handlers
 * for SIGTERM and SIGINT (without SA_RESTART) and ignores SIGPIPE. Lines
 * longer than PM_MAX_MCP_LINE are dropped up to their newline and answered
 * with -32600. Returns the process exit code: 0 on EOF or a signal, 1 when
 * reading or writing fails, 2 when tools_spec is invalid.
 */
int pm_mcp_serve(const struct pm_config *cfg, const char *tools_spec, int in_fd, int out_fd);

#endif /* PM_MCP_H */

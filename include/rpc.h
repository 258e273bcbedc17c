/* SPDX-License-Identifier: MIT */
/*
 * rpc.h - the JSON-RPC 2.0 envelope: error codes, the start of a response,
 * error objects, and the request ids JSON-RPC and MCP allow.
 *
 * Writes through the JSON writer (json.h) and reads parsed ids (jsonparse.h);
 * knows no MCP method. Shared by the stdio transport (mcpio.h), which answers
 * lines it cannot hand on, and the dispatcher (mcp.h).
 */
#ifndef PM_RPC_H
#define PM_RPC_H

#include <stdbool.h>

#include "pm.h"

struct pm_json;
struct pm_jv;

#define PM_RPC_PARSE_ERROR      (-32700) /* JSON-RPC 2.0 §5.1 */
#define PM_RPC_INVALID_REQUEST  (-32600)
#define PM_RPC_METHOD_NOT_FOUND (-32601)
#define PM_RPC_INVALID_PARAMS   (-32602)
#define PM_RPC_INTERNAL_ERROR   (-32603)

/* Open a response object: {"jsonrpc":"2.0" and "id" when id is non-NULL. */
void pm_rpc_begin(struct pm_json *w, const struct pm_jv *id);

/* Open a response and its error object, with code and message; pm_rpc_error_end closes both. */
void pm_rpc_error_begin(struct pm_json *w, const struct pm_jv *id, int code, const char *msg);
void pm_rpc_error_end(struct pm_json *w);

/*
 * Replace whatever w holds (its limit kept) with one complete error response
 * whose message is formatted from fmt (at most 255 bytes).
 */
void pm_rpc_error(struct pm_json *w, const struct pm_jv *id, int code, const char *fmt, ...)
    PM_PRINTF(4, 5);

/* A request id as JSON-RPC and MCP allow it: a string or an integer (never null). */
bool pm_rpc_valid_id(const struct pm_jv *id);

/* a and b are the same valid id (a string with the same bytes, or the same integer). */
bool pm_rpc_same_id(const struct pm_jv *a, const struct pm_jv *b);

#endif /* PM_RPC_H */

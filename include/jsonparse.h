/* SPDX-License-Identifier: MIT */
/*
 * jsonparse.h - a strict JSON parser (RFC 8259) that builds a tree of
 * struct pm_jv (jsontree.h) in the caller's arena.
 *
 * The parser accepts exactly the RFC 8259 grammar over RFC 3629 UTF-8, without
 * recursion and with a cap on depth, input size and value count. It takes no
 * extensions (comments, trailing commas, NaN, single quotes). It does not
 * write JSON itself: pm_json_value (jsontree.h) hands a parsed value to the
 * writer in json.h.
 */
#ifndef PM_JSONPARSE_H
#define PM_JSONPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "jsontree.h" /* struct pm_jv, its accessors, pm_json_value */
#include "pm.h"

struct pm_arena;

/*
 * Policies, chosen for a JSON-RPC server that must not be confused by what
 * it reads:
 * - Duplicate object keys are accepted (RFC 8259 §4 says names SHOULD be
 *   unique, and most JSON-RPC servers take the last one). Every member stays
 *   in members[] in input order; pm_jv_get returns the LAST one.
 * - A byte order mark is rejected (§8.1: senders MUST NOT add one).
 * - A number too large for a double (1e400) is accepted: its text is kept
 *   exactly, d holds +-HUGE_VAL and pm_jv_num refuses it. Underflow gives 0.
 *   The text is what pm_json_value writes, so any number round-trips.
 * - A number is an integer when its value is integral, as JSON Schema says:
 *   1, -0, 1.0 and 1e2 all are; is_int is set when it also fits int64.
 * - Strings are decoded to UTF-8; \u0000 is kept, so a string may hold NUL.
 *
 * Nothing in a parsed tree points into the input: strings and number texts
 * are copied into the arena, and the whole tree lives until pm_arena_free.
 */
#define PM_JSON_MAX_PARSE_DEPTH  64          /* nested arrays/objects accepted */
#define PM_JSON_MAX_PARSE_VALUES 1000000u    /* values per document (keys not counted) */
#define PM_JSON_MAX_PARSE_INPUT  (16u << 20) /* default input limit, bytes */

/* Limits for pm_json_parse_limits; a zero field takes the default. */
struct pm_json_limits {
	size_t max_input;  /* bytes of input; default PM_JSON_MAX_PARSE_INPUT */
	size_t max_values; /* values in the tree; default PM_JSON_MAX_PARSE_VALUES */
	int max_depth;     /* nesting, at most PM_JSON_MAX_PARSE_DEPTH (the default) */
};

/*
 * Parse the JSON text of n bytes at p (exactly one value, surrounded by
 * optional whitespace) into a tree allocated from a, and point *out at its
 * root. Returns 0, or on failure fills *err (when non-NULL) with the code,
 * the byte offset of the problem and a message, leaves *out NULL, and returns
 * PM_E_MALFORMED (grammar, escapes, UTF-8; also input that ends early),
 * PM_E_LIMIT (input size, depth or value count) or PM_E_NOMEM (the arena is
 * full). The whole input is checked before anything is allocated, so
 * rejected input costs no memory. Never reads outside [p, p + n).
 */
PM_MUST_CHECK int pm_json_parse(const uint8_t *p, size_t n, struct pm_arena *a,
                                const struct pm_jv **out, struct pm_error *err);

/* pm_json_parse with caller-chosen limits; lim may be NULL (all defaults). */
PM_MUST_CHECK int pm_json_parse_limits(const uint8_t *p, size_t n, const struct pm_json_limits *lim,
                                       struct pm_arena *a, const struct pm_jv **out,
                                       struct pm_error *err);

#endif /* PM_JSONPARSE_H */

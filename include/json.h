/* SPDX-License-Identifier: MIT */
/*
 * json.h - a JSON writer that can only emit valid JSON (RFC 8259).
 *
 * The writer tracks nesting and places commas itself, escapes control
 * characters, and escapes bytes that are not valid UTF-8 visibly as the six
 * characters \\xNN (a literal backslash, x and two hex digits) instead of
 * passing them through. Output grows in a malloc'd buffer up to a byte limit;
 * past it the writer goes into a sticky error state and pm_json_finish fails.
 *
 * It does not parse; the strict parser and its tree are in jsonparse.h.
 */
#ifndef PM_JSON_H
#define PM_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

#define PM_JSON_MAX_DEPTH 64          /* nesting the writer accepts */
#define PM_MAX_JSON_OUT   (64u << 20) /* default output limit, bytes */

struct pm_json {
	char *buf;                         /* output, NUL-terminated; owned */
	size_t len;                        /* bytes written, excluding the NUL */
	size_t cap;                        /* bytes allocated */
	size_t limit;                      /* maximum len */
	int depth;                         /* open containers */
	bool err;                          /* sticky: limit, allocation or misuse */
	bool pretty;                       /* two-space indentation for people */
	bool after_key;                    /* a key was written, a value must follow */
	bool has_items[PM_JSON_MAX_DEPTH]; /* per level: a comma is due before the next item */
	bool is_object[PM_JSON_MAX_DEPTH]; /* per level: object (true) or array */
};

/* Start an empty writer whose output may reach limit bytes (0: PM_MAX_JSON_OUT). */
void pm_json_init(struct pm_json *w, size_t limit);

/* Release the buffer. */
void pm_json_free(struct pm_json *w);

/*
 * Check the document is complete (every container closed) and no error
 * occurred. Returns 0, PM_E_LIMIT (output limit), PM_E_NOMEM or PM_E_MALFORMED
 * (unbalanced calls). The text stays in w->buf until pm_json_free.
 */
PM_MUST_CHECK int pm_json_finish(struct pm_json *w);

void pm_json_obj_begin(struct pm_json *w);
void pm_json_obj_end(struct pm_json *w);
void pm_json_arr_begin(struct pm_json *w);
void pm_json_arr_end(struct pm_json *w);

/* Object key; k is a NUL-terminated string written with full escaping. */
void pm_json_key(struct pm_json *w, const char *k);
/* Object key of n bytes that may contain anything, escaped like pm_json_strn. */
void pm_json_keyn(struct pm_json *w, const void *k, size_t n);

void pm_json_str(struct pm_json *w, const char *s);
/* A string of n bytes that may contain anything (NUL, invalid UTF-8). */
void pm_json_strn(struct pm_json *w, const void *s, size_t n);
void pm_json_u64(struct pm_json *w, uint64_t v);
void pm_json_i64(struct pm_json *w, int64_t v);
/* A number with at most `decimals` digits after the point; NaN and infinities become null. */
void pm_json_dbl(struct pm_json *w, double v, int decimals);
void pm_json_bool(struct pm_json *w, bool v);
void pm_json_null(struct pm_json *w);

/* Key plus value in one call, for the common object members. */
void pm_json_kstr(struct pm_json *w, const char *k, const char *s);
/* Member k: the string s, or null when s is NULL or empty. */
void pm_json_kstr_or_null(struct pm_json *w, const char *k, const char *s);
void pm_json_ku64(struct pm_json *w, const char *k, uint64_t v);
void pm_json_ki64(struct pm_json *w, const char *k, int64_t v);
void pm_json_kdbl(struct pm_json *w, const char *k, double v, int decimals);
void pm_json_kbool(struct pm_json *w, const char *k, bool v);

/*
 * Paging facts for the list just written under key `name`: writes the member
 * "<name>_page": {"total", "truncated", "limit", "offset"}, where truncated
 * says whether items past offset + limit were left out.
 */
void pm_json_page(struct pm_json *w, const char *name, uint64_t total, uint64_t limit,
                  uint64_t offset);

/*
 * A number given as its JSON text: the n bytes at s are written verbatim as
 * one value. The caller guarantees they match RFC 8259 §6 (number), as the
 * source text of a parsed PM_JV_NUM does; nothing here checks it.
 */
void pm_json_num_text(struct pm_json *w, const char *s, size_t n);

/*
 * A complete value given as its JSON text: the n bytes at s are written
 * verbatim as one value. For text a pm_json writer produced and finished
 * (pm_json_finish returned 0), so it is valid JSON; nothing here checks it.
 * Lets a result be written once and embedded without parsing it back.
 */
void pm_json_raw(struct pm_json *w, const char *s, size_t n);

/*
 * Length of the valid UTF-8 sequence at p (1..4), or 0 when invalid (RFC 3629
 * §4: overlongs, surrogates and anything above U+10FFFF are invalid). Reads at
 * most n bytes; n must be at least 1.
 */
size_t pm_json_utf8_len(const unsigned char *p, size_t n);

#endif /* PM_JSON_H */

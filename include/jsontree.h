/* SPDX-License-Identifier: MIT */
/*
 * jsontree.h - a parsed JSON value (struct pm_jv), the accessors that read
 * it, and pm_json_value, which writes it back out through json.h's writer.
 *
 * jsonparse.h builds these trees; nothing here parses. The accessors check
 * the type before they read, so a caller can chain them over untrusted
 * arguments (pm_jv_get on a non-object gives NULL, which every accessor
 * accepts).
 */
#ifndef PM_JSONTREE_H
#define PM_JSONTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pm_json;

enum pm_jv_type {
	PM_JV_NULL,
	PM_JV_BOOL,
	PM_JV_NUM,
	PM_JV_STR,
	PM_JV_ARR,
	PM_JV_OBJ,
};

struct pm_jv_member;

/* One parsed value. Which fields mean something depends on type. */
struct pm_jv {
	enum pm_jv_type type;      /* which fields below apply */
	bool b;                    /* BOOL: the value */
	bool is_int;               /* NUM: integral and within int64; i is exact */
	const char *s;             /* STR: decoded UTF-8; NUM: source text. NUL-terminated; arena */
	size_t len;                /* STR, NUM: bytes in s; ARR: items; OBJ: members */
	double d;                  /* NUM: nearest double (strtod, C locale); may be +-inf */
	int64_t i;                 /* NUM: exact value when is_int, else 0 */
	const struct pm_jv *items; /* ARR: len values in order; NULL when empty; arena */
	const struct pm_jv_member *members; /* OBJ: len members in input order; NULL when empty */
};

struct pm_jv_member {
	const char *key; /* decoded UTF-8, NUL-terminated (may also hold NUL); arena */
	size_t key_len;  /* bytes in key */
	struct pm_jv value;
};

/*
 * The value of the member named key (NUL-terminated) in obj; the last one when
 * the key repeats. NULL when absent or when obj is not an object. Linear in
 * the member count.
 */
const struct pm_jv *pm_jv_get(const struct pm_jv *obj, const char *key);

/* v is non-NULL and of type t. */
bool pm_jv_is(const struct pm_jv *v, enum pm_jv_type t);

/*
 * The decoded string as a C string (in the arena), or NULL when v is not a
 * string or the string holds a NUL byte (which a C string would cut short:
 * "a.pcap\u0000.txt" must not become "a.pcap"). Use v->s and v->len for those.
 */
const char *pm_jv_str(const struct pm_jv *v);

/* Store the exact integer value of v; false (and *out untouched) unless v->is_int. */
bool pm_jv_int(const struct pm_jv *v, int64_t *out);

/* Store v's value as a double; false unless v is a number with a finite double. */
bool pm_jv_num(const struct pm_jv *v, double *out);

/* Store v's boolean; false unless v is true or false. */
bool pm_jv_bool(const struct pm_jv *v, bool *out);

/*
 * Write the parsed value v (NULL writes null) at the writer's current
 * position, without recursion. Numbers are written from their source text,
 * so they round-trip exactly; strings and keys are written with pm_json_strn
 * escaping. A tree nested deeper than the writer allows sets its error.
 */
void pm_json_value(struct pm_json *w, const struct pm_jv *v);

#endif /* PM_JSONTREE_H */

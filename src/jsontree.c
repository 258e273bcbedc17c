/* SPDX-License-Identifier: MIT */
/*
 * jsontree.c - reading a parsed JSON tree (struct pm_jv) and writing it back
 * out through the writer in json.c, without recursion. Nothing here parses.
 */
#include "jsontree.h"

#include <math.h>
#include <string.h>

#include "json.h"

/* see jsontree.h */
const struct pm_jv *
pm_jv_get(const struct pm_jv *obj, const char *key)
{
	if (!pm_jv_is(obj, PM_JV_OBJ) || key == NULL) {
		return NULL;
	}
	size_t klen = strlen(key);
	for (size_t i = obj->len; i-- > 0;) {
		const struct pm_jv_member *m = &obj->members[i];
		if (m->key_len == klen && memcmp(m->key, key, klen) == 0) {
			return &m->value;
		}
	}
	return NULL;
}

/* see jsontree.h */
bool
pm_jv_is(const struct pm_jv *v, enum pm_jv_type t)
{
	return v != NULL && v->type == t;
}

/* see jsontree.h */
const char *
pm_jv_str(const struct pm_jv *v)
{
	if (!pm_jv_is(v, PM_JV_STR) || memchr(v->s, '\0', v->len) != NULL) {
		return NULL;
	}
	return v->s;
}

/* see jsontree.h */
bool
pm_jv_int(const struct pm_jv *v, int64_t *out)
{
	if (!pm_jv_is(v, PM_JV_NUM) || !v->is_int) {
		return false;
	}
	*out = v->i;
	return true;
}

/* see jsontree.h */
bool
pm_jv_num(const struct pm_jv *v, double *out)
{
	if (!pm_jv_is(v, PM_JV_NUM) || !isfinite(v->d)) {
		return false;
	}
	*out = v->d;
	return true;
}

/* see jsontree.h */
bool
pm_jv_bool(const struct pm_jv *v, bool *out)
{
	if (!pm_jv_is(v, PM_JV_BOOL)) {
		return false;
	}
	*out = v->b;
	return true;
}

/* see jsontree.h */
void
pm_json_value(struct pm_json *w, const struct pm_jv *v)
{
	struct {
		const struct pm_jv *v; /* open container */
		size_t next;           /* index of its next item or member */
	} open[PM_JSON_MAX_DEPTH];
	int depth = 0;
	for (;;) {
		if (v == NULL) {
			pm_json_null(w);
		} else if (v->type == PM_JV_ARR || v->type == PM_JV_OBJ) {
			if (depth == PM_JSON_MAX_DEPTH) {
				w->err = true;
				return;
			}
			if (v->type == PM_JV_ARR) {
				pm_json_arr_begin(w);
			} else {
				pm_json_obj_begin(w);
			}
			open[depth].v = v;
			open[depth].next = 0;
			depth++;
		} else if (v->type == PM_JV_STR) {
			pm_json_strn(w, v->s, v->len);
		} else if (v->type == PM_JV_NUM) {
			pm_json_num_text(w, v->s, v->len);
		} else if (v->type == PM_JV_BOOL) {
			pm_json_bool(w, v->b);
		} else {
			pm_json_null(w);
		}
		/* Find the next value to write, closing finished containers. */
		for (;;) {
			if (depth == 0 || w->err) {
				return;
			}
			const struct pm_jv *top = open[depth - 1].v;
			size_t i = open[depth - 1].next;
			if (i < top->len) {
				open[depth - 1].next++;
				if (top->type == PM_JV_OBJ) {
					pm_json_keyn(w, top->members[i].key,
					             top->members[i].key_len);
					v = &top->members[i].value;
				} else {
					v = &top->items[i];
				}
				break;
			}
			if (top->type == PM_JV_ARR) {
				pm_json_arr_end(w);
			} else {
				pm_json_obj_end(w);
			}
			depth--;
		}
	}
}

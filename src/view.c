/* SPDX-License-Identifier: MIT */
/*
 * view.c - what every view shares whatever it reads: argument defaults,
 * paging, result budgets, argument errors and ratios.
 */
#include "view.h"

#include <string.h>

#include "json.h"

/* see view.h */
void
pm_view_args_init(struct pm_view_args *v)
{
	memset(v, 0, sizeof(*v));
	v->port = -1;
	v->server_port = -1;
	v->sort = PM_SORT_BYTES;
	v->threshold = PM_VIEW_DEFAULT_THRESHOLD;
	v->limit = PM_VIEW_DEFAULT_LIMIT;
	v->top = PM_VIEW_DEFAULT_TOP;
	v->budget = PM_VIEW_LIST_BUDGET;
}

/* see view.h */
bool
pm_view_sort_parse(const char *s, enum pm_flow_sort *out)
{
	static const char *const names[] = { "bytes", "packets", "start" };
	for (size_t i = 0; i < PM_ARRAY_LEN(names); i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum pm_flow_sort)i;
			return true;
		}
	}
	return false;
}

/* see view.h */
int
pm_view_bad_arg(struct pm_error *err, enum pm_ecode code, const char *what)
{
	return pm_error_setc(err, PM_E_MALFORMED, code, 0, "%s", what);
}

/* see view.h */
int
pm_view_check_paging(const struct pm_view_args *v, uint64_t *limit, struct pm_error *err)
{
	if (v->limit < 0 || v->offset < 0) {
		return pm_view_bad_arg(err, PM_EC_INVALID_ARGUMENT,
		                       "limit and offset must not be negative");
	}
	*limit = v->limit > PM_VIEW_MAX_LIMIT ? PM_VIEW_MAX_LIMIT : (uint64_t)v->limit;
	return 0;
}

/* see view.h */
bool
pm_view_fits(const struct pm_json *w, size_t start, const struct pm_view_args *v)
{
	return (v->budget == 0 || w->len - start < v->budget) &&
	       (v->max_bytes == 0 || w->len < v->max_bytes);
}

/* see view.h */
size_t
pm_view_page_end(size_t n, uint64_t offset, uint64_t limit)
{
	if (offset >= n) {
		return n;
	}
	return n - offset > limit ? (size_t)(offset + limit) : n;
}

/* see view.h */
double
pm_view_ratio(uint64_t num, uint64_t den)
{
	return den == 0 ? 0.0 : (double)num / (double)den;
}

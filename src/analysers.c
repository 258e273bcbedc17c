/* SPDX-License-Identifier: MIT */
/*
 * analysers.c - the analyser table, built from the list in analysers.h,
 * and the dependency lookup finish functions use.
 */
#include "analysers.h"

#include <assert.h>

#include "analysis.h"

#define PM_AN_ROW(id, name, type) [PM_AN_##id] = &pm_analyser_##name,
const struct pm_analyser *const pm_analysers[PM_AN_COUNT] = { PM_ANALYSERS(PM_AN_ROW) };
#undef PM_AN_ROW

/* see analyser.h */
const void *
pm_an_dep(const struct pm_an_deps *deps, unsigned id)
{
	assert(id < PM_AN_COUNT && (deps->allowed & (1u << id)) != 0);
	if (id >= PM_AN_COUNT || (deps->allowed & (1u << id)) == 0) {
		return NULL;
	}
	return deps->a->state[id];
}

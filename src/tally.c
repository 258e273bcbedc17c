/* SPDX-License-Identifier: MIT */
/*
 * tally.c - string counts and distinct clients by sorting.
 */
#include "tally.h"

#include <stdbool.h>

#include <stdlib.h>
#include <string.h>

static int
cmp_tally(const void *a, const void *b)
{
	const struct pm_tally *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c != 0 ? c : memcmp(x->client, y->client, 16);
}

static int
cmp_group(const void *a, const void *b)
{
	const struct pm_tally_group *x = a, *y = b;
	if (x->count != y->count) {
		return x->count > y->count ? -1 : 1;
	}
	return strcmp(x->key, y->key);
}

/* see tally.h */
size_t
pm_tally_fold(struct pm_tally *v, size_t n, struct pm_tally_group *g)
{
	if (n == 0) {
		return 0;
	}
	qsort(v, n, sizeof(*v), cmp_tally);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool new_key = i == 0 || strcmp(v[i].key, v[i - 1].key) != 0;
		if (new_key) {
			g[k].key = v[i].key;
			g[k].count = 0;
			g[k].clients = 0;
			k++;
		}
		g[k - 1].count++;
		if (new_key || memcmp(v[i].client, v[i - 1].client, 16) != 0) {
			g[k - 1].clients++;
		}
	}
	pm_tally_sort(g, k);
	return k;
}

/* see tally.h */
void
pm_tally_sort(struct pm_tally_group *g, size_t n)
{
	qsort(g, n, sizeof(*g), cmp_group);
}

/* SPDX-License-Identifier: MIT */
/*
 * cache.c - the analysis cache: a handful of slots, least recently used
 * out first, keyed by what stat says about the file.
 */
#include "cache.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* see cache.h */
void
pm_cache_init(struct pm_cache *c, size_t max_bytes)
{
	memset(c, 0, sizeof(*c));
	c->max_bytes = max_bytes != 0 ? max_bytes : PM_CACHE_MAX_BYTES;
}

static void
drop(struct pm_cache_entry *e)
{
	if (e->a != NULL) {
		pm_analysis_free(e->a);
		free(e->a);
	}
	memset(e, 0, sizeof(*e));
}

/* see cache.h */
void
pm_cache_free(struct pm_cache *c)
{
	for (size_t i = 0; i < PM_CACHE_SLOTS; i++) {
		drop(&c->e[i]);
	}
}

/* Drop least recently used entries, other than keep, while over the cap. */
static void
shrink(struct pm_cache *c, const struct pm_cache_entry *keep)
{
	for (;;) {
		size_t total = 0;
		struct pm_cache_entry *oldest = NULL;
		for (size_t i = 0; i < PM_CACHE_SLOTS; i++) {
			struct pm_cache_entry *e = &c->e[i];
			total += e->bytes;
			if (e->used != 0 && e != keep &&
			    (oldest == NULL || e->used < oldest->used)) {
				oldest = e;
			}
		}
		if (total <= c->max_bytes || oldest == NULL) {
			return;
		}
		drop(oldest);
	}
}

/* see cache.h */
const struct pm_analysis *
pm_cache_get(struct pm_cache *c, int fd, const char *path, struct pm_error *err)
{
	struct stat st;
	if (fstat(fd, &st) != 0) {
		pm_error_setc(err, PM_E_IO, PM_EC_PATH_NOT_FOUND, 0, "%s: %s", path,
		              strerror(errno));
		return NULL;
	}
	int64_t mtime = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	c->clock++;
	struct pm_cache_entry *slot = &c->e[0];
	for (size_t i = 0; i < PM_CACHE_SLOTS; i++) {
		struct pm_cache_entry *e = &c->e[i];
		if (e->used != 0 && e->dev == st.st_dev && e->ino == st.st_ino &&
		    e->size == st.st_size && e->mtime_ns == mtime) {
			e->used = c->clock;
			c->hits++;
			return e->a;
		}
		if (e->used < slot->used) {
			slot = e; /* empty (0) or least recently used */
		}
	}
	c->misses++;
	drop(slot);
	struct pm_analysis *a = malloc(sizeof(*a));
	if (a == NULL) {
		pm_error_setc(err, PM_E_NOMEM, PM_EC_INTERNAL_ERROR, 0, "out of memory");
		return NULL;
	}
	int rc = pm_analysis_run_fd(a, fd, path, &c->opts, err);
	if (rc != 0) {
		free(a);
		if (err != NULL && err->ecode == PM_EC_NONE) {
			err->ecode = pm_ecode_for_read(rc);
		}
		return NULL;
	}
	slot->dev = st.st_dev;
	slot->ino = st.st_ino;
	slot->size = st.st_size;
	slot->mtime_ns = mtime;
	slot->used = c->clock;
	slot->a = a;
	slot->bytes = pm_analysis_mem(a);
	shrink(c, slot);
	return a;
}

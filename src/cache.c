/* SPDX-License-Identifier: MIT */
/*
 * cache.c - the analysis cache: a handful of reference-counted slots, least
 * recently used out first, keyed by what stat says about the file. One mutex
 * guards the table; a pass runs outside it, on the thread of the call that
 * started it, while later calls for the same file wait on a condition
 * variable. Analyses are freed outside the mutex, so a large free never
 * delays a call answered from the cache.
 */
#include "cache.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* The runner's view of its entry, for pass_progress. */
struct pass_ctx {
	struct pm_cache *c;
	struct pm_cache_entry *e;
};

static const struct pm_cache_hooks no_hooks = { 0 };

/* see cache.h */
void
pm_cache_init(struct pm_cache *c, size_t max_bytes)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->done, NULL);
	c->max_bytes = max_bytes != 0 ? max_bytes : PM_CACHE_MAX_BYTES;
}

static void
free_analysis(struct pm_analysis *a)
{
	if (a != NULL) {
		pm_analysis_free(a);
		free(a);
	}
}

/* see cache.h */
void
pm_cache_free(struct pm_cache *c)
{
	for (size_t i = 0; i < PM_CACHE_SLOTS; i++) {
		free_analysis(c->e[i].a);
		c->e[i].a = NULL;
	}
	pthread_cond_destroy(&c->done);
	pthread_mutex_destroy(&c->lock);
}

static bool
is_called(const struct pm_cache_hooks *h)
{
	return h->cancelled != NULL && h->cancelled(h->opaque);
}

/*
 * Empty entries no call refers to that are over the cap, least recently used
 * first, never the most recently used one; their analyses go to out[] for
 * the caller to free once the lock is released. Returns how many.
 */
static size_t
shrink(struct pm_cache *c, struct pm_analysis *out[PM_CACHE_SLOTS])
{
	size_t n = 0;
	for (;;) {
		size_t total = 0;
		struct pm_cache_entry *oldest = NULL, *newest = NULL;
		for (size_t i = 0; i < PM_CACHE_SLOTS; i++) {
			struct pm_cache_entry *e = &c->e[i];
			if (e->a == NULL) {
				continue;
			}
			total += e->bytes;
			if (newest == NULL || e->used > newest->used) {
				newest = e;
			}
		}
		for (size_t i = 0; i < PM_CACHE_SLOTS; i++) {
			struct pm_cache_entry *e = &c->e[i];
			if (e->a != NULL && e->refs == 0 && e != newest &&
			    (oldest == NULL || e->used < oldest->used)) {
				oldest = e;
			}
		}
		if (total <= c->max_bytes || oldest == NULL) {
			return n;
		}
		out[n++] = oldest->a;
		memset(oldest, 0, sizeof(*oldest));
	}
}

/* Drop one reference to e (lock held); a failed entry is emptied by its last holder. */
static void
unref(struct pm_cache_entry *e)
{
	e->refs--;
	if (e->refs == 0 && e->a == NULL && !e->running) {
		memset(e, 0, sizeof(*e));
	}
}

static void
unlock_and_free(struct pm_cache *c, struct pm_analysis *drop[PM_CACHE_SLOTS], size_t n)
{
	pthread_mutex_unlock(&c->lock);
	for (size_t i = 0; i < n; i++) {
		free_analysis(drop[i]);
	}
}

/*
 * Progress of a running pass, on its thread: tell every waiter that has not
 * given up, and stop the pass (at its next check) when all of them have.
 */
static void
pass_progress(void *opaque, uint64_t done, uint64_t total)
{
	struct pass_ctx *p = opaque;
	bool all = true;
	pthread_mutex_lock(&p->c->lock);
	for (struct pm_cache_waiter *w = p->e->waiters; w != NULL; w = w->next) {
		if (is_called(w->h)) {
			continue;
		}
		all = false;
		if (w->h->progress != NULL) {
			w->h->progress(w->h->opaque, done, total);
		}
	}
	p->e->cancel = all;
	pthread_mutex_unlock(&p->c->lock);
}

static void
unlink_waiter(struct pm_cache_entry *e, struct pm_cache_waiter *me)
{
	for (struct pm_cache_waiter **pp = &e->waiters; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == me) {
			*pp = me->next;
			return;
		}
	}
}

/* Wait (lock held, released on return) for the pass another call runs on e. */
static const struct pm_analysis *
wait_for(struct pm_cache *c, struct pm_cache_entry *e, const struct pm_cache_hooks *h,
         const char *path, struct pm_error *err)
{
	struct pm_cache_waiter me = { .h = h, .next = e->waiters };
	e->waiters = &me;
	c->shared++;
	while (e->running && !is_called(h)) {
		struct timespec t;
		clock_gettime(CLOCK_REALTIME, &t);
		t.tv_nsec += PM_CACHE_POLL_MS * 1000000L;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&c->done, &c->lock, &t);
	}
	unlink_waiter(e, &me);
	const struct pm_analysis *a = e->running ? NULL : e->a;
	if (a == NULL) {
		if (e->running) {
			pm_error_setc(err, PM_E_LIMIT, PM_EC_CANCELLED, 0,
			              "%.100s: the call was cancelled", path);
		} else {
			*err = e->err;
		}
		unref(e);
	}
	pthread_mutex_unlock(&c->lock);
	return a;
}

/* An empty slot, else the least recently used one no call refers to; NULL when all are busy. */
static struct pm_cache_entry *
free_slot(struct pm_cache *c)
{
	struct pm_cache_entry *slot = NULL;
	for (size_t i = 0; i < PM_CACHE_SLOTS; i++) {
		struct pm_cache_entry *e = &c->e[i];
		if (e->refs == 0 && !e->running && (slot == NULL || e->used < slot->used)) {
			slot = e; /* empty (0) or least recently used */
		}
	}
	return slot;
}

/* Run the pass for e (lock not held); returns the analysis or NULL with e->err filled. */
static struct pm_analysis *
run_pass(struct pm_cache *c, struct pm_cache_entry *e, int fd, const char *path)
{
	struct pass_ctx p = { c, e };
	struct pm_analysis_opts o = c->opts;
	o.progress = pass_progress;
	o.opaque = &p;
	o.cancel = &e->cancel;
	struct pm_analysis *a = malloc(sizeof(*a));
	struct pm_error err = { 0 };
	int rc = a == NULL
	             ? pm_error_setc(&err, PM_E_NOMEM, PM_EC_INTERNAL_ERROR, 0, "out of memory")
	             : pm_analysis_run_fd(a, fd, path, &o, &err);
	if (rc != 0) {
		free(a);
		e->err = err;
		if (e->err.ecode == PM_EC_NONE) {
			e->err.ecode = pm_ecode_for_read(rc);
		}
		return NULL;
	}
	return a;
}

/* see cache.h */
const struct pm_analysis *
pm_cache_get(struct pm_cache *c, int fd, const char *path, const struct pm_cache_hooks *h,
             struct pm_error *err)
{
	struct stat st;
	if (fstat(fd, &st) != 0) {
		pm_error_setc(err, PM_E_IO, PM_EC_PATH_NOT_FOUND, 0, "%s: %s", path,
		              strerror(errno));
		return NULL;
	}
	h = h != NULL ? h : &no_hooks;
	int64_t mtime = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	pthread_mutex_lock(&c->lock);
	c->clock++;
	for (size_t i = 0; i < PM_CACHE_SLOTS; i++) {
		struct pm_cache_entry *e = &c->e[i];
		if ((e->a != NULL || e->running) && e->dev == st.st_dev && e->ino == st.st_ino &&
		    e->size == st.st_size && e->mtime_ns == mtime) {
			e->used = c->clock;
			e->refs++;
			if (e->running) {
				return wait_for(c, e, h, path, err);
			}
			c->hits++;
			pthread_mutex_unlock(&c->lock);
			return e->a;
		}
	}
	struct pm_cache_entry *e = free_slot(c);
	if (e == NULL) {
		pthread_mutex_unlock(&c->lock);
		pm_error_setc(err, PM_E_LIMIT, PM_EC_INTERNAL_ERROR, 0,
		              "%d analyses are in use; try again later", PM_CACHE_SLOTS);
		return NULL;
	}
	struct pm_analysis *drop[PM_CACHE_SLOTS] = { e->a };
	struct pm_cache_waiter me = { .h = h };
	memset(e, 0, sizeof(*e));
	e->dev = st.st_dev;
	e->ino = st.st_ino;
	e->size = st.st_size;
	e->mtime_ns = mtime;
	e->used = c->clock;
	e->refs = 1;
	e->running = true;
	e->waiters = &me;
	c->misses++;
	unlock_and_free(c, drop, 1);

	struct pm_analysis *a = run_pass(c, e, fd, path);

	pthread_mutex_lock(&c->lock);
	e->running = false;
	unlink_waiter(e, &me);
	pthread_cond_broadcast(&c->done);
	size_t n = 0;
	if (a == NULL) {
		*err = e->err;
		unref(e);
	} else {
		e->a = a;
		e->bytes = pm_analysis_mem(a);
		n = shrink(c, drop);
	}
	unlock_and_free(c, drop, n);
	return a;
}

/* see cache.h */
void
pm_cache_put(struct pm_cache *c, const struct pm_analysis *a)
{
	if (a == NULL) {
		return;
	}
	struct pm_analysis *drop[PM_CACHE_SLOTS];
	size_t n = 0;
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < PM_CACHE_SLOTS; i++) {
		struct pm_cache_entry *e = &c->e[i];
		if (e->a == a && e->refs > 0) {
			unref(e);
			n = e->refs == 0 ? shrink(c, drop) : 0;
			break;
		}
	}
	unlock_and_free(c, drop, n);
}

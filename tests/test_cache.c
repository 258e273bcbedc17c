/* SPDX-License-Identifier: MIT */
/*
 * test_cache.c - the analysis cache: hits, reference counts that keep an
 * analysis in use from being evicted, a second call sharing the pass another
 * thread runs, and a cancelled pass that leaves nothing behind.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include "test.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "info.h"
#include "pcapbuild.h"

#define FRAMES 100000 /* about a dozen progress calls */

static char dir[] = "/tmp/pcapmcp-cache-XXXXXX";

/* Write a capture of `frames` UDP datagrams (port p) as dir/name; returns its path. */
static const char *
write_capture(const char *name, uint16_t p, char out[128])
{
	struct pcapbuf b;
	pb_start(&b);
	for (uint32_t i = 0; i < FRAMES; i++) {
		pb_udp(&b, 0x0a000001, 0x0a000002 + (i & 255), 4000, p, 8);
	}
	snprintf(out, 128, "%s/%s", dir, name);
	FILE *f = fopen(out, "wb");
	CHECK(f != NULL && fwrite(b.p, 1, b.n, f) == b.n && fclose(f) == 0);
	pb_free(&b);
	return out;
}

static const struct pm_analysis *
get(struct pm_cache *c, const char *path, const struct pm_cache_hooks *h, struct pm_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	const struct pm_analysis *a = pm_cache_get(c, fd, path, h, err);
	close(fd);
	return a;
}

static size_t
kept(const struct pm_cache *c)
{
	size_t n = 0;
	for (size_t i = 0; i < PM_CACHE_SLOTS; i++) {
		n += c->e[i].a != NULL;
	}
	return n;
}

static void
test_hits_and_refs(const char *pa, const char *pb)
{
	struct pm_cache c;
	struct pm_error err = { 0 };
	pm_cache_init(&c, 1); /* a cap every analysis exceeds */
	const struct pm_analysis *a = get(&c, pa, NULL, &err);
	const struct pm_analysis *a2 = get(&c, pa, NULL, &err);
	CHECK(a != NULL && a == a2);
	CHECK_EQ(c.misses, 1);
	CHECK_EQ(c.hits, 1);
	/* b is newer; a is over the cap but held, so both stay. */
	const struct pm_analysis *b = get(&c, pb, NULL, &err);
	CHECK(b != NULL && b != a);
	CHECK_EQ(kept(&c), 2);
	CHECK_EQ(a != NULL ? pm_an_info(a)->packets : 0, FRAMES);
	pm_cache_put(&c, b);
	pm_cache_put(&c, a2);
	CHECK_EQ(kept(&c), 2);
	pm_cache_put(&c, a); /* the last hold on a: evicted; b, the newest, stays */
	CHECK_EQ(kept(&c), 1);
	CHECK(get(&c, pb, NULL, &err) == b);
	pm_cache_put(&c, b);
	pm_cache_free(&c);
}

/* A progress hook that holds the pass until a second call joined it. */
static void
wait_shared(void *opaque, uint64_t done, uint64_t total)
{
	struct pm_cache *c = opaque; /* called with c->lock held */
	(void)done;
	(void)total;
	for (int i = 0; i < 500 && c->shared == 0; i++) {
		struct timespec t;
		clock_gettime(CLOCK_REALTIME, &t);
		t.tv_nsec += 10000000L;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&c->done, &c->lock, &t);
	}
}

struct getter {
	struct pm_cache *c;
	const char *path;
	const struct pm_cache_hooks *h;
	const struct pm_analysis *a;
};

/* No CHECK here: it runs on two threads at once; the caller checks g->a. */
static void *
getter(void *arg)
{
	struct getter *g = arg;
	struct pm_error err = { 0 };
	int fd = open(g->path, O_RDONLY | O_CLOEXEC);
	g->a = fd >= 0 ? pm_cache_get(g->c, fd, g->path, g->h, &err) : NULL;
	if (fd >= 0) {
		close(fd);
	}
	return NULL;
}

static void
test_shared(const char *path)
{
	struct pm_cache c;
	pm_cache_init(&c, 0);
	const struct pm_cache_hooks h = { .progress = wait_shared, .opaque = &c };
	struct getter g1 = { &c, path, &h, NULL }, g2 = { &c, path, &h, NULL };
	pthread_t t;
	CHECK(pthread_create(&t, NULL, getter, &g1) == 0);
	getter(&g2);
	pthread_join(t, NULL);
	CHECK(g1.a != NULL && g1.a == g2.a);
	CHECK_EQ(c.misses, 1);
	CHECK_EQ(c.shared, 1);
	pm_cache_put(&c, g1.a);
	pm_cache_put(&c, g2.a);
	pm_cache_free(&c);
}

static bool
always(void *opaque)
{
	(void)opaque;
	return true;
}

static void
test_cancelled(const char *path)
{
	struct pm_cache c;
	struct pm_error err = { 0 };
	pm_cache_init(&c, 0);
	const struct pm_cache_hooks h = { .cancelled = always };
	CHECK(get(&c, path, &h, &err) == NULL);
	CHECK_EQ(err.ecode, PM_EC_CANCELLED);
	CHECK_EQ(err.code, PM_E_LIMIT);
	CHECK_EQ(kept(&c), 0);
	const struct pm_analysis *a = get(&c, path, NULL, &err);
	CHECK(a != NULL);
	CHECK_EQ(c.misses, 2);
	pm_cache_put(&c, a);
	pm_cache_free(&c);
}

void test_cache(void);

void
test_cache(void)
{
	char pa[128], pb[128];
	if (mkdtemp(dir) == NULL) {
		CHECK(!"test_cache needs a temporary directory");
		return;
	}
	write_capture("a.pcap", 53, pa);
	write_capture("b.pcap", 123, pb);
	test_hits_and_refs(pa, pb);
	test_shared(pa);
	test_cancelled(pb);
	unlink(pa);
	unlink(pb);
	rmdir(dir);
}

/* SPDX-License-Identifier: MIT */
/*
 * test_enrichcache.c - the provider cache: a stored answer comes back, the
 * TTL expires it, names that could leave the directory are refused, a
 * corrupt entry is a miss and is removed, and two processes writing the
 * same entry while a third reads never expose half of one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "enrichcache.h"
#include "test.h"

static void
test_roundtrip(struct pm_ecache *c)
{
	struct pm_error err;
	uint8_t *body;
	size_t len;
	int status = 0;
	CHECK_EQ(pm_ecache_get(c, "greynoise", "8.8.8.8", &status, &body, &len), 0);
	CHECK_EQ(
	    pm_ecache_put(c, "greynoise", "8.8.8.8", 200, (const uint8_t *)"{\"a\":1}", 7, &err),
	    0);
	CHECK_EQ(pm_ecache_get(c, "greynoise", "8.8.8.8", &status, &body, &len), 1);
	CHECK(status == 200 && len == 7 && memcmp(body, "{\"a\":1}", 8) == 0);
	free(body);
	/* 404 "not known" is kept too; an IPv6 key. */
	CHECK_EQ(pm_ecache_put(c, "otx", "2001:db8::1", 404, (const uint8_t *)"", 0, &err), 0);
	CHECK_EQ(pm_ecache_get(c, "otx", "2001:db8::1", &status, &body, &len), 1);
	CHECK(status == 404 && len == 0);
	free(body);
	/* The TTL: one second short of it is a hit, at it a miss; a future entry is a miss. */
	int64_t t0 = c->now;
	c->now = t0 + PM_ECACHE_DEFAULT_TTL - 1;
	CHECK_EQ(pm_ecache_get(c, "greynoise", "8.8.8.8", &status, &body, &len), 1);
	free(body);
	c->now = t0 + PM_ECACHE_DEFAULT_TTL;
	CHECK_EQ(pm_ecache_get(c, "greynoise", "8.8.8.8", &status, &body, &len), 0);
	c->ttl_s = 60;
	c->now = t0 + 59;
	CHECK_EQ(pm_ecache_get(c, "otx", "2001:db8::1", &status, &body, &len), 1);
	free(body);
	c->now = t0 - 10;
	CHECK_EQ(pm_ecache_get(c, "otx", "2001:db8::1", &status, &body, &len), 0);
	c->now = t0;
	c->ttl_s = 0;
	/* Names that would leave the directory, or are not addresses, are refused. */
	static const char *const bad[] = { "../x", "a/b", ".hidden", "", "x y", NULL };
	for (size_t i = 0; bad[i] != NULL; i++) {
		CHECK_EQ(pm_ecache_put(c, "otx", bad[i], 200, (const uint8_t *)"x", 1, &err),
		         PM_E_MALFORMED);
		CHECK_EQ(pm_ecache_put(c, bad[i], "1.2.3.4", 200, (const uint8_t *)"x", 1, &err),
		         PM_E_MALFORMED);
		CHECK_EQ(pm_ecache_get(c, "otx", bad[i], &status, &body, &len), 0);
	}
}

static void
test_corrupt(struct pm_ecache *c)
{
	static const char *const junk[] = { "",
		                            "PMC1",
		                            "PMC1 1 200 5\nabc",
		                            "PMC1 x 200 1\na",
		                            "PMC2 1 200 1\na",
		                            "PMC1 1 999 1\na",
		                            "PMC1 1 200 1\nab" };
	char path[PATH_MAX + 64];
	struct pm_error err;
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		uint8_t *body;
		size_t len;
		int status;
		CHECK_EQ(pm_ecache_put(c, "shodan", "1.2.3.4", 200, (const uint8_t *)"ok", 2, &err),
		         0);
		snprintf(path, sizeof(path), "%s/enrich/shodan/1.2.3.4", c->dir);
		FILE *f = fopen(path, "w");
		CHECK(f != NULL);
		if (f != NULL) {
			fputs(junk[i], f);
			fclose(f);
		}
		CHECK_EQ(pm_ecache_get(c, "shodan", "1.2.3.4", &status, &body, &len), 0);
		CHECK(access(path, F_OK) != 0); /* removed */
		CHECK_EQ(pm_ecache_put(c, "shodan", "1.2.3.4", 200, (const uint8_t *)"ok", 2, &err),
		         0);
		CHECK_EQ(pm_ecache_get(c, "shodan", "1.2.3.4", &status, &body, &len), 1);
		free(body);
	}
}

/* Two writers and this reader on one entry: every hit is one whole body. */
static void
test_two_processes(struct pm_ecache *c)
{
	static const char a[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	static const char b[] =
	    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
	pid_t kids[2];
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		if (kids[k] == 0) {
			struct pm_error err;
			const char *s = k == 0 ? a : b;
			for (int i = 0; i < 300; i++) {
				if (pm_ecache_put(c, "abuseipdb", "5.6.7.8", 200,
				                  (const uint8_t *)s, strlen(s), &err) != 0) {
					_exit(1);
				}
			}
			_exit(0);
		}
	}
	unsigned bad = 0, hits = 0;
	for (int i = 0; i < 300; i++) {
		uint8_t *body;
		size_t len;
		int status;
		if (pm_ecache_get(c, "abuseipdb", "5.6.7.8", &status, &body, &len) == 1) {
			hits++;
			bad += !((len == strlen(a) && memcmp(body, a, len) == 0) ||
			         (len == strlen(b) && memcmp(body, b, len) == 0));
			free(body);
		}
	}
	for (int k = 0; k < 2; k++) {
		int st = -1;
		waitpid(kids[k], &st, 0);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	CHECK_EQ(bad, 0);
	uint8_t *body;
	size_t len;
	int status;
	CHECK_EQ(pm_ecache_get(c, "abuseipdb", "5.6.7.8", &status, &body, &len), 1);
	free(body);
	(void)hits;
}

void test_enrichcache(void);

void
test_enrichcache(void)
{
	char dir[] = "/tmp/pcapmcp-ecache-XXXXXX";
	if (mkdtemp(dir) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	struct pm_ecache c = { .now = 1700000000 };
	snprintf(c.dir, sizeof(c.dir), "%s/cache", dir);
	test_roundtrip(&c);
	test_corrupt(&c);
	c.now = 0;
	test_two_processes(&c);
	char rm[PATH_MAX + 16];
	snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
	CHECK(system(rm) == 0);
}

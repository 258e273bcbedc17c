/* SPDX-License-Identifier: MIT */
/*
 * test_resources.c - resources/list pages (nextCursor) and the template for
 * captures by relative path (issue 9), over a temporary tree of 450
 * captures: the pages join to the whole sorted list, each cursor continues
 * where its page stopped, a foreign cursor is refused, and the template's
 * expansion decodes back to the capture's path.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include "test.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "json.h"
#include "jsonparse.h"
#include "resources.h"

void test_resources(void);

#define N_CAPTURES 450

static char root[PATH_MAX];

static void
put_capture(const char *name)
{
	static const unsigned char magic[4] = { 0xd4, 0xc3, 0xb2, 0xa1 };
	char p[PATH_MAX * 5];
	snprintf(p, sizeof(p), "%s/%s", root, name);
	FILE *f = fopen(p, "wb");
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK_EQ(fwrite(magic, 1, 4, f), 4);
		fclose(f);
	}
}

/* One page parsed; *n its items, names appended to all[]. */
static int
page(const char *cursor, char next[PM_RESOURCES_CURSOR_MAX], char (*all)[32], size_t *n)
{
	struct pm_arena a;
	struct pm_json w;
	const struct pm_jv *v = NULL;
	pm_arena_init(&a, 8u << 20);
	pm_json_init(&w, 0);
	int rc = pm_resources_list_page(&w, root, &a, cursor, next);
	if (rc == 0 && pm_json_finish(&w) == 0 &&
	    pm_json_parse((const uint8_t *)w.buf, w.len, &a, &v, NULL) == 0) {
		for (size_t i = 0; pm_jv_is(v, PM_JV_ARR) && i < v->len; i++) {
			const char *name = pm_jv_str(pm_jv_get(&v->items[i], "name"));
			snprintf(all[*n], 32, "%s", name != NULL ? name : "?");
			(*n)++;
		}
	}
	pm_json_free(&w);
	pm_arena_free(&a);
	return rc;
}

static int
cmp_names(const void *x, const void *y)
{
	return strcmp(x, y);
}

static void
test_pages(void)
{
	static char all[N_CAPTURES + 8][32], want[N_CAPTURES][32];
	char next[PM_RESOURCES_CURSOR_MAX], cursor[PM_RESOURCES_CURSOR_MAX];
	size_t n = 0, pages = 0;
	for (size_t i = 0; i < N_CAPTURES; i++) {
		snprintf(want[i], sizeof(want[i]), "c%03zu.pcap", (i * 7) % N_CAPTURES);
		put_capture(want[i]);
	}
	qsort(want, N_CAPTURES, sizeof(want[0]), cmp_names);
	cursor[0] = '\0';
	do {
		size_t before = n;
		CHECK_EQ(page(cursor, next, all, &n), 0);
		CHECK(n - before <= PM_RESOURCES_MAX);
		snprintf(cursor, sizeof(cursor), "%s", next);
		pages++;
	} while (cursor[0] != '\0' && pages < 10);
	CHECK_EQ(pages, 3); /* 200 + 200 + 50 */
	CHECK_EQ(n, N_CAPTURES);
	bool same = n == N_CAPTURES;
	for (size_t i = 0; same && i < n; i++) {
		same = strcmp(all[i], want[i]) == 0;
	}
	CHECK(same);
	/* The first page is what pm_resources_list writes; a cursor names the page's last capture. */
	n = 0;
	CHECK_EQ(page(NULL, next, all, &n), 0);
	CHECK_EQ(n, PM_RESOURCES_MAX);
	CHECK(strncmp(next, "after:", 6) == 0 && strcmp(next + 6, want[PM_RESOURCES_MAX - 1]) == 0);
	/* A capture removed between calls does not shift the next page. */
	char gone[PATH_MAX + 64];
	snprintf(gone, sizeof(gone), "%s/%s", root, want[PM_RESOURCES_MAX - 1]);
	CHECK_EQ(unlink(gone), 0);
	n = 0;
	CHECK_EQ(page(next, cursor, all, &n), 0);
	CHECK(n > 0 && strcmp(all[0], want[PM_RESOURCES_MAX]) == 0);
	/* Cursors this server never handed out. */
	static const char *const bad[] = { "200", "after:", "before:c001.pcap", "x" };
	for (size_t i = 0; i < PM_ARRAY_LEN(bad); i++) {
		n = 0;
		CHECK_EQ(page(bad[i], next, all, &n), PM_E_MALFORMED);
		CHECK_EQ(n, 0);
	}
	/* A capture five levels down is listed (the corpus nests that deep). */
	char deep[PATH_MAX + 64];
	snprintf(deep, sizeof(deep), "%s/a/b/c/d", root);
	for (char *q = strchr(deep + strlen(root) + 1, '/'); q != NULL; q = strchr(q + 1, '/')) {
		*q = '\0';
		mkdir(deep, 0700);
		*q = '/';
	}
	CHECK_EQ(mkdir(deep, 0700), 0);
	put_capture("a/b/c/d/deep.pcap");
	n = 0;
	CHECK_EQ(page(NULL, next, all, &n), 0);
	CHECK_STR(all[0], "a/b/c/d/deep.pcap");
	/* A cursor past the end gives an empty last page. */
	n = 0;
	CHECK_EQ(page("after:zzz", next, all, &n), 0);
	CHECK(n == 0 && next[0] == '\0');
}

static void
test_template(void)
{
	struct pm_arena a;
	struct pm_json w;
	const struct pm_jv *v = NULL;
	pm_arena_init(&a, 1u << 20);
	pm_json_init(&w, 0);
	pm_resources_templates(&w, root);
	CHECK_EQ(pm_json_finish(&w), 0);
	CHECK_EQ(pm_json_parse((const uint8_t *)w.buf, w.len, &a, &v, NULL), 0);
	CHECK(pm_jv_is(v, PM_JV_ARR) && v->len == 1);
	const char *t =
	    v != NULL && v->len == 1 ? pm_jv_str(pm_jv_get(&v->items[0], "uriTemplate")) : NULL;
	CHECK(t != NULL);
	if (t != NULL) {
		/* Expand {+path} with a relative path and decode it as resources/read does. */
		const char *hole = strstr(t, "{+path}");
		CHECK(hole != NULL && hole[7] == '\0' && strncmp(t, "file:///", 8) == 0);
		char uri[PATH_MAX * 3], path[PATH_MAX], want[PATH_MAX + 32];
		snprintf(uri, sizeof(uri), "%.*sc001.pcap", hole != NULL ? (int)(hole - t) : 0, t);
		CHECK_EQ(pm_resources_uri_path(uri, path, sizeof(path)), 0);
		snprintf(want, sizeof(want), "%s/c001.pcap", root);
		CHECK_STR(path, want);
	}
	CHECK_STR(pm_jv_str(pm_jv_get(&v->items[0], "name")), "capture");
	CHECK(pm_jv_str(pm_jv_get(&v->items[0], "mimeType")) != NULL);
	pm_json_free(&w);
	pm_arena_free(&a);
}

void
test_resources(void)
{
	char tmpl[] = "/tmp/pcapmcp-res-XXXXXX";
	if (mkdtemp(tmpl) == NULL || realpath(tmpl, root) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	test_pages();
	test_template();
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	CHECK_EQ(system(cmd), 0);
}

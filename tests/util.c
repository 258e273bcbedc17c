/* SPDX-License-Identifier: MIT */
/*
 * util.c - the test harness's helpers: hex fixtures, hex dumps, the guard
 * page and where the public corpus lives.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "guard.h"
#include "test.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis.h"
#include "jsonparse.h"

unsigned long pm_test_passed, pm_test_failed;

void
pm_test_hexdump(const char *label, const void *p, size_t n)
{
	const uint8_t *b = p;
	fprintf(stderr, "  %s:", label);
	for (size_t i = 0; i < n && i < 256; i++) {
		fprintf(stderr, "%s%02x", i % 16 == 0 ? "\n    " : " ", b[i]);
	}
	fprintf(stderr, "\n");
}

size_t
pm_test_unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;
	for (; *hex != '\0'; hex++) {
		if (isspace((unsigned char)*hex)) {
			continue;
		}
		int v = isdigit((unsigned char)*hex) ? *hex - '0'
		                                     : (tolower((unsigned char)*hex) - 'a' + 10);
		if (hi < 0) {
			hi = v;
		} else if (n < cap) {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		} else {
			abort();
		}
	}
	return n;
}

const uint8_t *
pm_guard(const void *p, size_t n)
{
	static uint8_t *region;
	static size_t page;
	if (region == NULL) {
		page = (size_t)sysconf(_SC_PAGESIZE);
		region = mmap(NULL, PM_GUARD_MAX + page, PROT_READ | PROT_WRITE,
		              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (region == MAP_FAILED || mprotect(region + PM_GUARD_MAX, page, PROT_NONE) != 0) {
			abort();
		}
	}
	if (n > PM_GUARD_MAX) {
		abort();
	}
	uint8_t *dst = region + PM_GUARD_MAX - n;
	if (n != 0) {
		memcpy(dst, p, n);
	}
	return dst;
}

const char *
pm_test_corpus_dir(void)
{
	const char *d = getenv("PCAPMCP_CORPUS");
	if (d == NULL) {
		d = "../shared/corpus";
	}
	struct stat st;
	return stat(d, &st) == 0 && S_ISDIR(st.st_mode) ? d : NULL;
}

size_t
pm_test_split_tabs(char *line, char **field, size_t max)
{
	size_t n = 0;
	char *p = line;
	while (n < max) {
		field[n++] = p;
		p = strchr(p, '\t');
		if (p == NULL) {
			break;
		}
		*p++ = '\0';
	}
	return n;
}

void
pm_test_cat_line(struct pm_test_cats *c, const char *line)
{
	char name[32];
	if (c->n < PM_TEST_MAX_CATS && strncmp(line, "#   ", 4) == 0 && line[4] != ' ' &&
	    sscanf(line + 4, "%31s", name) == 1) {
		snprintf(c->name[c->n++], sizeof(c->name[0]), "%s", name);
	}
}

bool
pm_test_cat_known(const struct pm_test_cats *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->name[i], name) == 0) {
			return true;
		}
	}
	return false;
}

size_t
pm_test_tsv_each(const char *tsv, size_t max, uint32_t analysers,
                 void (*fn)(char **f, size_t n, const struct pm_analysis *a, void *ctx), void *ctx,
                 size_t *skipped)
{
	FILE *fp = fopen(tsv, "r");
	const char *corpus = pm_test_corpus_dir();
	size_t rows = 0;
	char line[8192], *f[32];
	*skipped = 0;
	if (fp == NULL || max > 32) {
		fprintf(stderr, "%s: cannot read\n", tsv);
		pm_test_failed++;
		if (fp != NULL) {
			fclose(fp);
		}
		return 0;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0') {
			continue;
		}
		size_t n = pm_test_split_tabs(line, f, max);
		char path[4096];
		if (strncmp(f[0], "captures/", 9) == 0) {
			snprintf(path, sizeof(path), "%s", f[0]);
		} else if (corpus == NULL) {
			(*skipped)++;
			continue;
		} else {
			snprintf(path, sizeof(path), "%s/%s", corpus, f[0]);
		}
		struct pm_analysis a;
		struct pm_error err;
		struct pm_analysis_opts o = { .analysers = analysers };
		memset(&err, 0, sizeof(err));
		if (pm_analysis_run(&a, path, &o, &err) != 0) {
			fprintf(stderr, "%s: analysis failed: %s\n", f[0], err.msg);
			pm_test_failed++;
			continue;
		}
		fn(f, n, &a, ctx);
		pm_analysis_free(&a);
		rows++;
	}
	fclose(fp);
	return rows;
}

unsigned
pm_test_findings_of(const struct pm_jv *root, const char *type)
{
	const struct pm_jv *f = pm_jv_get(root, "findings");
	unsigned n = 0;
	for (size_t i = 0; f != NULL && i < f->len; i++) {
		const char *ty = pm_jv_str(pm_jv_get(&f->items[i], "type"));
		n += ty != NULL && strcmp(ty, type) == 0;
	}
	return n;
}

size_t
pm_test_missing(const char *label, const char *text, const char *const *want, size_t n)
{
	size_t missing = 0;
	for (size_t i = 0; i < n; i++) {
		if (strstr(text, want[i]) == NULL) {
			fprintf(stderr, "%s: %s not in the result\n", label, want[i]);
			missing++;
		}
	}
	return missing;
}

size_t
pm_test_occurs(const char *text, const char *needle)
{
	size_t n = 0;
	for (const char *q = strstr(text, needle); q != NULL; q = strstr(q + 1, needle)) {
		n++;
	}
	return n;
}

/* SPDX-License-Identifier: MIT */
/*
 * test.h - the unit-test macros. A failed check prints file:line and both
 * values and counts a failure; the suite goes on. tests/main.c lists the
 * suites and prints "unit: N passed, N failed".
 */
#ifndef PM_TEST_H
#define PM_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern unsigned long pm_test_passed, pm_test_failed;

void pm_test_hexdump(const char *label, const void *p, size_t n);

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (c) {                                                                           \
			pm_test_passed++;                                                          \
		} else {                                                                           \
			pm_test_failed++;                                                          \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c);      \
		}                                                                                  \
	} while (0)

#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		long long a_ = (long long)(a), b_ = (long long)(b);                                \
		if (a_ == b_) {                                                                    \
			pm_test_passed++;                                                          \
		} else {                                                                           \
			pm_test_failed++;                                                          \
			fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__,        \
			        __LINE__, #a, #b, a_, b_);                                         \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		if (a_ != NULL && b_ != NULL && strcmp(a_, b_) == 0) {                             \
			pm_test_passed++;                                                          \
		} else {                                                                           \
			pm_test_failed++;                                                          \
			fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" != \"%s\"\n", __FILE__,    \
			        __LINE__, #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");         \
		}                                                                                  \
	} while (0)

#define CHECK_MEM(a, b, n)                                                                         \
	do {                                                                                       \
		if (memcmp((a), (b), (n)) == 0) {                                                  \
			pm_test_passed++;                                                          \
		} else {                                                                           \
			pm_test_failed++;                                                          \
			fprintf(stderr, "%s:%d: %s == %s failed\n", __FILE__, __LINE__, #a, #b);   \
			pm_test_hexdump("got", (a), (n));                                          \
			pm_test_hexdump("want", (b), (n));                                         \
		}                                                                                  \
	} while (0)

/* Decode a hex string (whitespace ignored) into out; returns the byte count. */
size_t pm_test_unhex(const char *hex, uint8_t *out, size_t cap);

/*
 * Split line in place at tabs into at most max fields; returns how many.
 * A line with more tabs leaves the rest in the last field.
 */
size_t pm_test_split_tabs(char *line, char **field, size_t max);

/*
 * The categories a differences table's header describes: its lines
 * "#   name  rule" (three spaces, then a name). Rows must name one.
 */
#define PM_TEST_MAX_CATS 32
struct pm_test_cats {
	char name[PM_TEST_MAX_CATS][32];
	size_t n;
};

/* Take line's category if it describes one (a header line of the table). */
void pm_test_cat_line(struct pm_test_cats *c, const char *line);
/* Whether name is one of the described categories. */
bool pm_test_cat_known(const struct pm_test_cats *c, const char *name);

struct pm_analysis;

/*
 * For every row of the TSV at tsv (lines starting with '#' skipped): split
 * it into at most max fields, analyse the capture field 0 names (under the
 * corpus, or captures/... in the tree) with the analysers in `analysers`
 * (0: all), and call fn with the fields and the analysis. Rows of corpus
 * files without a corpus are counted in *skipped. Returns the rows checked;
 * a failed analysis is a test failure.
 */
size_t pm_test_tsv_each(const char *tsv, size_t max, uint32_t analysers,
                        void (*fn)(char **f, size_t n, const struct pm_analysis *a, void *ctx),
                        void *ctx, size_t *skipped);

struct pm_jv;

/* How many members of root's "findings" array have "type" equal to type. */
unsigned pm_test_findings_of(const struct pm_jv *root, const char *type);
/* How many of the n strings at want are not in text; each is printed after label. */
size_t pm_test_missing(const char *label, const char *text, const char *const *want, size_t n);
/* How often needle occurs in text. */
size_t pm_test_occurs(const char *text, const char *needle);

/* Path of ../shared/corpus (PCAPMCP_CORPUS overrides), or NULL when absent. */
const char *pm_test_corpus_dir(void);

#endif /* PM_TEST_H */

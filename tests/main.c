/* SPDX-License-Identifier: MIT */
/*
 * main.c - the unit-test runner: every suite, listed explicitly, in order.
 * With an argument, runs only the suites whose names contain it.
 */
#include "test.h"

#include <stdlib.h>

void test_cursor(void);
void test_arena(void);
void test_json(void);
void test_table(void);
void test_capture(void);
void test_decode(void);
void test_encap(void);
void test_info(void);
void test_corpus(void);
void test_views(void);
void test_flows(void);
void test_conform(void);
void test_scan(void);
void test_sandbox(void);
void test_mcp(void);

static const struct {
	const char *name;
	void (*fn)(void);
} suites[] = {
	{ "cursor", test_cursor }, { "arena", test_arena },     { "json", test_json },
	{ "table", test_table },   { "capture", test_capture }, { "decode", test_decode },
	{ "encap", test_encap },   { "info", test_info },       { "corpus", test_corpus },
	{ "views", test_views },   { "flows", test_flows },     { "conform", test_conform },
	{ "scan", test_scan },     { "sandbox", test_sandbox }, { "mcp", test_mcp },
};

int
main(int argc, char **argv)
{
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (argc > 1 && strstr(suites[i].name, argv[1]) == NULL) {
			continue;
		}
		unsigned long f0 = pm_test_failed, p0 = pm_test_passed;
		suites[i].fn();
		fprintf(stderr, "suite %-8s %lu passed, %lu failed\n", suites[i].name,
		        pm_test_passed - p0, pm_test_failed - f0);
	}
	printf("unit: %lu passed, %lu failed\n", pm_test_passed, pm_test_failed);
	return pm_test_failed != 0;
}

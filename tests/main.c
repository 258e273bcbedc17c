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
void test_counts(void);
void test_capture(void);
void test_decode(void);
void test_encap(void);
void test_info(void);
void test_corpus(void);
void test_views(void);
void test_flows(void);
void test_analysis(void);
void test_conform(void);
void test_scan(void);
void test_scancorpus(void);
void test_tcp(void);
void test_sandbox(void);
void test_cache(void);
void test_mcp(void);
void test_tools(void);
void test_dns(void);
void test_icmp(void);
void test_dhcp(void);
void test_sip(void);
void test_budget(void);
void test_resources(void);
void test_mmdb(void);
void test_enrich(void);
void test_httpresp(void);
void test_https(void);
void test_enrichcache(void);
void test_reasm(void);
void test_tls(void);
void test_tlsknown(void);
void test_x509(void);
void test_http(void);
void test_providers(void);
void test_quic(void);

static const struct {
	const char *name;
	void (*fn)(void);
} suites[] = {
	{ "cursor", test_cursor },
	{ "arena", test_arena },
	{ "json", test_json },
	{ "table", test_table },
	{ "counts", test_counts },
	{ "capture", test_capture },
	{ "decode", test_decode },
	{ "encap", test_encap },
	{ "info", test_info },
	{ "corpus", test_corpus },
	{ "views", test_views },
	{ "flows", test_flows },
	{ "conform", test_conform },
	{ "analysis", test_analysis },
	{ "scan", test_scan },
	{ "scancorpus", test_scancorpus },
	{ "tcp", test_tcp },
	{ "dns", test_dns },
	{ "icmp", test_icmp },
	{ "dhcp", test_dhcp },
	{ "sip", test_sip },
	{ "sandbox", test_sandbox },
	{ "cache", test_cache },
	{ "mcp", test_mcp },
	{ "tools", test_tools },
	{ "budget", test_budget },
	{ "resources", test_resources },
	{ "mmdb", test_mmdb },
	{ "enrich", test_enrich },
	{ "httpresp", test_httpresp },
	{ "https", test_https },
	{ "enrichcache", test_enrichcache },
	{ "reasm", test_reasm },
	{ "tls", test_tls },
	{ "tlsknown", test_tlsknown },
	{ "x509", test_x509 },
	{ "http", test_http },
	{ "providers", test_providers },
	{ "quic", test_quic },
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

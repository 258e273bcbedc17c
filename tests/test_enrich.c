/* SPDX-License-Identifier: MIT */
/*
 * test_enrich.c - address kinds and ranges, IPv4-mapped folding, offline
 * lookups in the MaxMind test databases (values as mmdblookup gives them:
 * tests/mmdb_expected.txt), the private-address rule, provider states and
 * the threat score.
 */
#include <stdlib.h>
#include <string.h>

#include "enrich.h"
#include "json.h"
#include "sandbox.h"
#include "test.h"

static void
test_kinds(void)
{
	static const struct {
		const char *ip;
		enum pm_ip_kind kind;
		const char *range; /* NULL: public */
	} cases[] = {
		{ "8.8.8.8", PM_IP_PUBLIC, NULL },
		{ "10.0.0.1", PM_IP_PRIVATE, "rfc1918" },
		{ "172.16.0.1", PM_IP_PRIVATE, "rfc1918" },
		{ "172.31.255.255", PM_IP_PRIVATE, "rfc1918" },
		{ "172.32.0.1", PM_IP_PUBLIC, NULL },
		{ "192.168.1.1", PM_IP_PRIVATE, "rfc1918" },
		{ "100.64.0.1", PM_IP_PRIVATE, "cgnat" },
		{ "100.127.255.255", PM_IP_PRIVATE, "cgnat" },
		{ "100.128.0.1", PM_IP_PUBLIC, NULL },
		{ "127.0.0.1", PM_IP_PRIVATE, "loopback" },
		{ "169.254.169.254", PM_IP_PRIVATE, "link_local" },
		{ "0.1.2.3", PM_IP_RESERVED, "this_network" },
		{ "192.0.2.1", PM_IP_RESERVED, "documentation" },
		{ "198.51.100.7", PM_IP_RESERVED, "documentation" },
		{ "203.0.113.9", PM_IP_RESERVED, "documentation" },
		{ "198.19.255.1", PM_IP_RESERVED, "benchmark" },
		{ "224.0.0.251", PM_IP_RESERVED, "multicast" },
		{ "239.255.255.250", PM_IP_RESERVED, "multicast" },
		{ "240.0.0.1", PM_IP_RESERVED, "future_use" },
		{ "255.255.255.255", PM_IP_RESERVED, "broadcast" },
		{ "::ffff:10.1.1.1", PM_IP_PRIVATE, "rfc1918" },
		{ "::ffff:8.8.4.4", PM_IP_PUBLIC, NULL },
		{ "::", PM_IP_RESERVED, "unspecified" },
		{ "::1", PM_IP_PRIVATE, "loopback" },
		{ "fd00::1", PM_IP_PRIVATE, "ula" },
		{ "fc00::1", PM_IP_PRIVATE, "ula" },
		{ "fe80::1", PM_IP_PRIVATE, "link_local" },
		{ "febf::1", PM_IP_PRIVATE, "link_local" },
		{ "fec0::1", PM_IP_PUBLIC, NULL },
		{ "ff02::1", PM_IP_RESERVED, "multicast" },
		{ "2001:db8::1", PM_IP_RESERVED, "documentation" },
		{ "2001:4860:4860::8888", PM_IP_PUBLIC, NULL },
		{ "2606:4700::1111", PM_IP_PUBLIC, NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pm_ip ip;
		const char *range = "x";
		CHECK(pm_ip_parse(cases[i].ip, &ip));
		enum pm_ip_kind k = pm_ip_classify(&ip, &range);
		if (k != cases[i].kind || (range == NULL) != (cases[i].range == NULL) ||
		    (range != NULL && strcmp(range, cases[i].range) != 0)) {
			fprintf(stderr, "enrich: %s: %s/%s, want %s/%s\n", cases[i].ip,
			        pm_ip_kind_name(k), range ? range : "-",
			        pm_ip_kind_name(cases[i].kind),
			        cases[i].range ? cases[i].range : "-");
			pm_test_failed++;
		} else {
			pm_test_passed++;
		}
	}
	struct pm_ip ip;
	CHECK(pm_ip_parse("::ffff:1.2.3.4", &ip) && ip.is_v4);
	CHECK_STR(ip.text, "1.2.3.4");
	CHECK(pm_ip_parse("2001:DB8:0:0::1", &ip) && !ip.is_v4);
	CHECK_STR(ip.text, "2001:db8::1");
	CHECK(!pm_ip_parse("300.1.1.1", &ip));
	CHECK(!pm_ip_parse("", &ip));
	CHECK(!pm_ip_parse("1.2.3.4/24", &ip));
	CHECK(!pm_ip_parse("example.com", &ip));
}

static void
write_one(const struct pm_config *cfg, const struct pm_enrichment *r, struct pm_json *w)
{
	pm_json_init(w, 0);
	pm_json_obj_begin(w);
	pm_enrich_write(cfg, r, w);
	pm_json_obj_end(w);
	CHECK_EQ(pm_json_finish(w), 0);
}

static void
test_lookups(const char *corpus)
{
	static struct pm_config cfg;
	struct pm_enrichment r;
	struct pm_ip ip;
	struct pm_json w;
	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.geoip_db, sizeof(cfg.geoip_db), "%s/mmdb/test-data/GeoLite2-City-Test.mmdb",
	         corpus);
	snprintf(cfg.asn_db, sizeof(cfg.asn_db), "%s/mmdb/test-data/GeoLite2-ASN-Test.mmdb",
	         corpus);
	/* mmdblookup: 81.2.69.142 is GB, London; 1.128.0.0 is AS1221 "Telstra Pty Ltd". */
	CHECK(pm_ip_parse("81.2.69.142", &ip));
	CHECK_EQ(pm_enrich_ip(&cfg, &ip, &r), 0);
	CHECK(r.geo_enabled && !r.skipped);
	CHECK_STR(r.country, "GB");
	CHECK_STR(r.city, "London");
	CHECK_STR(r.country_name, "United Kingdom");
	CHECK_STR(r.geo_source, "GeoLite2-City");
	CHECK(pm_ip_parse("::ffff:1.128.0.0", &ip));
	CHECK_EQ(pm_enrich_ip(&cfg, &ip, &r), 0);
	CHECK(r.asn_found && r.asn == 1221);
	CHECK_STR(r.asn_org, "Telstra Pty Ltd");
	CHECK_STR(r.asn_source, "GeoLite2-ASN");
	write_one(&cfg, &r, &w);
	CHECK(strstr(w.buf, "\"asn\":{\"asn\":1221,\"org\":\"Telstra Pty Ltd\"") != NULL);
	CHECK(strstr(w.buf, "\"sources\":[\"asn_db\"]") != NULL);
	pm_json_free(&w);
	/* Private: skipped, nothing looked up, unless allowed. */
	CHECK(pm_ip_parse("10.9.8.7", &ip));
	CHECK_EQ(pm_enrich_ip(&cfg, &ip, &r), 0);
	CHECK(r.skipped && !r.geo_enabled && r.geo_source[0] == '\0');
	cfg.allow_private = true;
	CHECK_EQ(pm_enrich_ip(&cfg, &ip, &r), 0);
	CHECK(!r.skipped && r.geo_enabled && r.country[0] == '\0');
	cfg.allow_private = false;
	/* A database that is not one: reported, never fatal; the other still answers. */
	snprintf(cfg.geoip_db, sizeof(cfg.geoip_db),
	         "%s/mmdb/bad-data/maxminddb-golang/"
	         "metadata-is-an-uint128.mmdb",
	         corpus);
	CHECK(pm_ip_parse("1.128.0.0", &ip));
	CHECK_EQ(pm_enrich_ip(&cfg, &ip, &r), 0);
	CHECK(!r.geo_enabled && r.geo_error[0] != '\0' && r.asn_found);
	snprintf(cfg.geoip_db, sizeof(cfg.geoip_db), "/nonexistent/GeoLite2-City.mmdb");
	CHECK_EQ(pm_enrich_ip(&cfg, &ip, &r), 0);
	CHECK(!r.geo_enabled && strstr(r.geo_error, "cannot open") != NULL);
	pm_enrich_reset();
}

static void
test_providers_and_score(void)
{
	static struct pm_config cfg;
	struct pm_enrichment r;
	struct pm_ip ip;
	struct pm_json w;
	struct pm_score s;
	memset(&cfg, 0, sizeof(cfg));
	CHECK(pm_ip_parse("8.8.8.8", &ip));
	CHECK_EQ(pm_enrich_ip(&cfg, &ip, &r), 0);
	cfg.prov_key_var[PM_PROV_SHODAN] = "SHODAN_API_KEY"; /* as pm_config_load sets it */
	write_one(&cfg, &r, &w);
	CHECK(strstr(w.buf, "\"shodan\":{\"enabled\":false,\"status\":\"not_configured\"") != NULL);
	CHECK(strstr(w.buf, "\"offline\":false") != NULL);
	pm_json_free(&w);
	/* A key (sandbox.c reads PCAP Hunter's alias too) makes it configured; not queried yet. */
	snprintf(cfg.prov_key[PM_PROV_SHODAN], sizeof(cfg.prov_key[0]), "s3cr3t-test-key");
	write_one(&cfg, &r, &w);
	CHECK(strstr(w.buf, "\"shodan\":{\"enabled\":false,\"status\":\"unavailable\"") != NULL);
	CHECK(strstr(w.buf, "s3cr3t") == NULL);
	pm_json_free(&w);
	cfg.prov_key[PM_PROV_SHODAN][0] = '\0';
	cfg.offline = true;
	write_one(&cfg, &r, &w);
	CHECK(strstr(w.buf, "\"status\":\"offline\"") != NULL &&
	      strstr(w.buf, "\"status\":\"not_configured\"") == NULL &&
	      strstr(w.buf, "\"offline\":true") != NULL);
	pm_json_free(&w);
	pm_enrich_score(&r, -1, &s);
	CHECK_EQ(s.score, 0);
	CHECK(s.n == 1 && strcmp(s.why[0].signal, "threat_intel") == 0);
	pm_enrich_score(&r, 8.5, &s);
	CHECK_EQ(s.score, 13);
	CHECK(s.n == 2 && strcmp(s.why[0].signal, "scan_suspect") == 0 && s.why[0].points == 13);
	pm_enrich_score(&r, 500, &s);
	CHECK_EQ(s.score, 40);
	CHECK(pm_ip_parse("192.168.0.9", &ip));
	CHECK_EQ(pm_enrich_ip(&cfg, &ip, &r), 0);
	pm_enrich_score(&r, -1, &s);
	CHECK(s.score == 0 && strcmp(s.why[0].signal, "non_public_address") == 0);
}

void test_enrich(void);

void
test_enrich(void)
{
	test_kinds();
	test_providers_and_score();
	const char *corpus = pm_test_corpus_dir();
	if (corpus == NULL) {
		fprintf(stderr, "enrich: corpus absent, database lookups skipped\n");
		return;
	}
	test_lookups(corpus);
}

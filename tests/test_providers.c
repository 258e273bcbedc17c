/* SPDX-License-Identifier: MIT */
/*
 * test_providers.c - the threat-intel providers and captures by URL.
 *
 * Offline: each provider's documented response shape mapped to its members
 * and score signals, the RDAP bootstrap lookup, every prefix of every
 * sample refused cleanly, correlate's array argument.
 *
 * Against tests/tls_server.py (started by test_https.c, canned answers in
 * the providers' formats): 200 data, 404 cached, 429 not cached with
 * retry_after, 401, 500, a body that is not JSON, a provider that never
 * answers not holding the others past the deadline, RDAP through the
 * bootstrap and a redirect, the key never in a result or on stderr; and URL
 * captures: allowed, refused host, refused private address without the
 * override, too large, not a capture, http:// refused, revalidated by ETag.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "cache.h"
#include "enrich.h"
#include "json.h"
#include "jsonparse.h"
#include "providers.h"
#include "provmap.h"
#include "sandbox.h"
#include "test.h"
#include "tools.h"
#include "urlcap.h"

#define KEY "PM-TEST-KEY-9f3c71" /* tls_server.py's */

/* The documented shapes (tls_server.py serves the same). */
static const char *const samples[PM_PROV_COUNT] = {
	[PM_PROV_OTX] = "{\"indicator\":\"1.2.3.4\",\"reputation\":0,\"country_code\":\"AU\","
	                "\"asn\":\"AS64500 EXAMPLE\",\"pulse_info\":{\"count\":3,\"pulses\":"
	                "[{\"name\":\"Mirai C2\"},{\"name\":\"SSH brute force\"},{\"id\":7}]}}",
	[PM_PROV_GREYNOISE] =
	    "{\"ip\":\"1.2.3.4\",\"noise\":true,\"riot\":false,"
	    "\"classification\":\"malicious\",\"name\":\"unknown\",\"link\":"
	    "\"https://viz.greynoise.io/ip/1.2.3.4\",\"last_seen\":\"2026-11-30\"}",
	[PM_PROV_ABUSEIPDB] = "{\"data\":{\"abuseConfidenceScore\":100,\"countryCode\":\"AU\","
	                      "\"usageType\":\"Data Center\",\"isp\":\"Example ISP\","
	                      "\"totalReports\":1520,\"lastReportedAt\":\"2026-11-30T10:00:00Z\"}}",
	[PM_PROV_VIRUSTOTAL] = "{\"data\":{\"attributes\":{\"as_owner\":\"EXAMPLE-AS\","
	                       "\"reputation\":-12,\"last_analysis_stats\":{\"harmless\":60,"
	                       "\"malicious\":4,\"suspicious\":1,\"undetected\":25}}}}",
	[PM_PROV_SHODAN] = "{\"ports\":[22,80,443],\"hostnames\":[\"h.example.net\"],\"org\":"
	                   "\"Example Org\",\"os\":null,\"vulns\":[\"CVE-2021-44228\"],"
	                   "\"last_update\":\"2026-11-29T01:02:03.000000\"}",
	[PM_PROV_RDAP] = "{\"handle\":\"NET-1-2-3-0-1\",\"startAddress\":\"1.2.3.0\","
	                 "\"endAddress\":\"1.2.3.255\",\"name\":\"EXAMPLE-NET\",\"country\":\"AU\","
	                 "\"arin_originas0_originautnums\":[64500]}",
};

static const char *const expect[PM_PROV_COUNT] = {
	[PM_PROV_OTX] = "\"pulse_count\":3,\"pulses\":[\"Mirai C2\",\"SSH brute force\"],"
	                "\"reputation\":0,\"country\":\"AU\",\"asn\":\"AS64500 EXAMPLE\"",
	[PM_PROV_GREYNOISE] = "\"found\":true,\"noise\":true,\"riot\":false,\"classification\":"
	                      "\"malicious\",\"name\":\"unknown\",\"last_seen\":\"2026-11-30\"",
	[PM_PROV_ABUSEIPDB] = "\"abuse_confidence_score\":100,\"total_reports\":1520,\"country\":"
	                      "\"AU\",\"isp\":\"Example ISP\",\"usage_type\":\"Data Center\"",
	[PM_PROV_VIRUSTOTAL] = "\"malicious\":4,\"suspicious\":1,\"harmless\":60,\"undetected\":25,"
	                       "\"reputation\":-12,\"as_owner\":\"EXAMPLE-AS\"",
	[PM_PROV_SHODAN] = "\"ports\":[22,80,443],\"hostnames\":[\"h.example.net\"],\"org\":"
	                   "\"Example Org\",\"os\":null,\"vulns\":[\"CVE-2021-44228\"]",
	[PM_PROV_RDAP] =
	    "\"name\":\"EXAMPLE-NET\",\"handle\":\"NET-1-2-3-0-1\",\"country\":\"AU\","
	    "\"start_address\":\"1.2.3.0\",\"end_address\":\"1.2.3.255\",\"asn\":64500",
};

static void
test_mapping(void)
{
	for (size_t p = 0; p < PM_PROV_COUNT; p++) {
		struct pm_json w;
		struct pm_prov_signals g;
		const char *s = samples[p];
		pm_json_init(&w, 0);
		pm_json_obj_begin(&w);
		CHECK_EQ(
		    pm_provmap((enum pm_provider)p, 200, (const uint8_t *)s, strlen(s), &w, &g), 0);
		pm_json_obj_end(&w);
		CHECK_EQ(pm_json_finish(&w), 0);
		if (strstr(w.buf, expect[p]) == NULL) {
			fprintf(stderr, "providers: %s mapped to %s\n", pm_prov_name(p), w.buf);
			CHECK(!"documented shape mapped");
		}
		pm_json_free(&w);
		/* Every prefix of a sample is refused or mapped, never over-read (ASan). */
		for (size_t n = 0; n < strlen(s); n++) {
			char *cut = malloc(n + 1);
			memcpy(cut, s, n);
			CHECK(pm_provmap((enum pm_provider)p, 200, (const uint8_t *)cut, n, NULL,
			                 &g) != 0);
			free(cut);
		}
	}
	struct pm_prov_signals g;
	CHECK_EQ(pm_provmap(PM_PROV_GREYNOISE, 200, (const uint8_t *)samples[1], strlen(samples[1]),
	                    NULL, &g),
	         0);
	CHECK(g.gn_malicious && g.gn_noise && !g.gn_benign);
	CHECK_EQ(pm_provmap(PM_PROV_OTX, 200, (const uint8_t *)"[1]", 3, NULL, &g), PM_E_MALFORMED);
	/* A 404 is "not known": GreyNoise says found false, the body is not read. */
	struct pm_json w;
	pm_json_init(&w, 0);
	pm_json_obj_begin(&w);
	CHECK_EQ(pm_provmap(PM_PROV_GREYNOISE, 404, (const uint8_t *)"x", 1, &w, &g), 0);
	pm_json_obj_end(&w);
	CHECK_EQ(pm_json_finish(&w), 0);
	CHECK_STR(w.buf, "{\"found\":false}");
	pm_json_free(&w);
}

static void
test_bootstrap(void)
{
	static const char boot[] =
	    "{\"version\":\"1.0\",\"services\":[[[\"41.0.0.0/8\",\"102.0.0.0/8\"],"
	    "[\"https://rdap.afrinic.net/rdap/\",\"http://rdap.afrinic.net/rdap/\"]],"
	    "[[\"1.0.0.0/8\"],[\"http://x/\",\"https://rdap.apnic.net\"]],"
	    "[[\"1.2.0.0/16\"],[\"https://narrow.example/r/\"]],"
	    "[[\"2001:200::/23\"],[\"https://rdap.apnic.net/\"]]]}";
	const uint8_t *b = (const uint8_t *)boot;
	uint8_t a[16] = { 1, 9, 9, 9 };
	char url[256];
	CHECK_EQ(pm_rdap_bootstrap_find(b, strlen(boot), a, true, url, sizeof(url)), 1);
	CHECK_STR(url, "https://rdap.apnic.net/");
	a[1] = 2; /* 1.2.9.9: the longer prefix wins */
	CHECK_EQ(pm_rdap_bootstrap_find(b, strlen(boot), a, true, url, sizeof(url)), 1);
	CHECK_STR(url, "https://narrow.example/r/");
	a[0] = 8;
	CHECK_EQ(pm_rdap_bootstrap_find(b, strlen(boot), a, true, url, sizeof(url)), 0);
	uint8_t v6[16] = { 0x20, 0x01, 0x02, 0x00 };
	CHECK_EQ(pm_rdap_bootstrap_find(b, strlen(boot), v6, false, url, sizeof(url)), 1);
	CHECK_EQ(pm_rdap_bootstrap_find(b, 20, v6, false, url, sizeof(url)), PM_E_MALFORMED);
	CHECK_EQ(pm_rdap_bootstrap_find((const uint8_t *)"{}", 2, v6, false, url, sizeof(url)),
	         PM_E_MALFORMED);
}

/* correlate takes an array of strings, and the comma-separated string still. */
static void
test_correlate_array(void)
{
	static struct pm_config cfg;
	const struct pm_tool *t = pm_tool_find("correlate");
	struct pm_tool_ctx ctx;
	struct pm_error err = { 0 };
	memset(&cfg, 0, sizeof(cfg));
	cfg.offline = true;
	CHECK(t != NULL && pm_tool_ctx_init(&ctx, &cfg, &err) == 0);
	static const char *const calls[] = {
		"{\"ips\":[\"8.8.8.8\",\"10.0.0.1\"]}",
		"{\"ips\":\"8.8.8.8, 10.0.0.1\"}",
		"{\"ips\":[\"8.8.8.8\",7]}",
		"{\"ips\":[]}",
		"{\"ips\":[\"nope\"]}",
	};
	static const char *const want[] = { "\"ip\":\"10.0.0.1\"", "\"ip\":\"10.0.0.1\"",
		                            "item 2 must be", "no address given", "invalid_ip" };
	for (size_t i = 0; t != NULL && i < PM_ARRAY_LEN(calls); i++) {
		struct pm_arena a;
		const struct pm_jv *args;
		struct pm_json w;
		bool is_error;
		pm_arena_init(&a, 1u << 20);
		CHECK_EQ(
		    pm_json_parse((const uint8_t *)calls[i], strlen(calls[i]), &a, &args, NULL), 0);
		pm_json_init(&w, 0);
		CHECK_EQ(pm_tools_call(&ctx, t, args, &w, &is_error), 0);
		CHECK(is_error == (i >= 2));
		if (strstr(w.buf, want[i]) == NULL) {
			fprintf(stderr, "providers: correlate %s: %s\n", calls[i], w.buf);
			CHECK(!"correlate argument");
		}
		pm_json_free(&w);
		pm_arena_free(&a);
	}
	/* 51 addresses: over the documented maximum. */
	char many[1024] = "{\"ips\":[";
	for (int i = 0; i < 51; i++) {
		strcat(many, i == 0 ? "\"8.8.8.8\"" : ",\"8.8.8.8\"");
	}
	strcat(many, "]}");
	struct pm_arena a;
	const struct pm_jv *args;
	pm_arena_init(&a, 1u << 20);
	CHECK_EQ(pm_json_parse((const uint8_t *)many, strlen(many), &a, &args, NULL), 0);
	CHECK(t != NULL && pm_tool_check_args(t, args, &err) != 0 &&
	      strstr(err.msg, "at most 50") != NULL);
	pm_arena_free(&a);
	pm_tool_ctx_free(&ctx);
}

/*
 * Against the loopback server.
 */

static struct pm_config live;

static void
live_config(const char *dir, const char *ca, unsigned port, bool keys)
{
	static const char *const prefix[PM_PROV_COUNT] = {
		[PM_PROV_OTX] = "otx",         [PM_PROV_GREYNOISE] = "gn",
		[PM_PROV_ABUSEIPDB] = "abuse", [PM_PROV_VIRUSTOTAL] = "vt",
		[PM_PROV_SHODAN] = "shodan",   [PM_PROV_RDAP] = "iana",
	};
	static const char *const vars[PM_PROV_COUNT] = { "OTX_API_KEY",       "GREYNOISE_API_KEY",
		                                         "ABUSEIPDB_API_KEY", "VT_API_KEY",
		                                         "SHODAN_API_KEY",    NULL };
	memset(&live, 0, sizeof(live));
	snprintf(live.ca_file, sizeof(live.ca_file), "%s", ca);
	snprintf(live.cache_dir, sizeof(live.cache_dir), "%s/cache", dir);
	live.enrich_timeout_ms = 4000;
	for (size_t i = 0; i < PM_PROV_COUNT; i++) {
		snprintf(live.prov_url[i], sizeof(live.prov_url[i]), "https://localhost:%u/%s/",
		         port, prefix[i]);
		live.prov_key_var[i] = vars[i];
		if (keys && vars[i] != NULL) {
			snprintf(live.prov_key[i], sizeof(live.prov_key[i]), "%s", KEY);
		}
	}
}

/* Enrich ip against the server; the enrichment object's JSON (the caller frees w). */
static void
ask(const char *ip, struct pm_json *w, struct pm_score *s)
{
	struct pm_ip a;
	struct pm_enrichment r;
	CHECK(pm_ip_parse(ip, &a));
	CHECK_EQ(pm_enrich_ip(&live, &a, &r), 0);
	pm_enrich_query(&live, &r);
	pm_enrich_score(&r, -1, s);
	pm_json_init(w, 0);
	pm_json_obj_begin(w);
	pm_enrich_write(&live, &r, w);
	pm_json_key(w, "threat");
	pm_json_obj_begin(w);
	pm_enrich_write_score(s, w);
	pm_json_obj_end(w);
	pm_json_obj_end(w);
	CHECK_EQ(pm_json_finish(w), 0);
	pm_enrich_free(&r);
}

/* Every answer of ip has status (and, when cached >= 0, that cached flag). */
static void
expect_all(const char *ip, const char *status, int cached, const char *also)
{
	struct pm_json w;
	struct pm_score s;
	char want[96];
	ask(ip, &w, &s);
	for (size_t i = 0; i < PM_PROV_COUNT; i++) {
		snprintf(want, sizeof(want), "\"%s\":{\"enabled\":true,\"status\":\"%s\"",
		         pm_prov_name((enum pm_provider)i), status);
		const char *at = strstr(w.buf, want);
		bool ok = at != NULL;
		if (ok && cached >= 0) {
			const char *c = strstr(at, "\"cached\":");
			ok = c != NULL &&
			     strncmp(c + 9, cached ? "true" : "false", cached ? 4 : 5) == 0;
		}
		if (!ok) {
			fprintf(stderr, "providers: %s: %s %s (cached %d) missing in %s\n", ip,
			        pm_prov_name((enum pm_provider)i), status, cached, w.buf);
			CHECK(!"provider status");
		}
	}
	CHECK(also == NULL || strstr(w.buf, also) != NULL);
	CHECK(strstr(w.buf, KEY) == NULL);
	pm_json_free(&w);
}

static int64_t
ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
check_answers(void)
{
	struct pm_json w;
	struct pm_score s;
	/* tls_server.py's samples: the offline ones plus a pulse, a usage type and a CVE. */
	static const char *const served[] = {
		"\"pulses\":[\"Mirai C2\",\"SSH brute force\",\"Scanners\"]",
		"\"usage_type\":\"Data Center/Web Hosting/Transit\",\"last_reported_at\":"
		"\"2026-11-30T10:00:00+00:00\"",
		"\"vulns\":[\"CVE-2021-44228\",\"CVE-2014-0160\"]",
	};
	ask("1.2.3.4", &w, &s);
	for (size_t i = 0; i < PM_PROV_COUNT; i++) {
		bool same = i != PM_PROV_OTX && i != PM_PROV_ABUSEIPDB && i != PM_PROV_SHODAN;
		if ((same && strstr(w.buf, expect[i]) == NULL) ||
		    (!same && strstr(w.buf, served[i == PM_PROV_OTX      ? 0
		                                   : i == PM_PROV_SHODAN ? 2
		                                                         : 1]) == NULL)) {
			fprintf(stderr, "providers: 1.2.3.4 %s: %s\n", pm_prov_name(i), w.buf);
			CHECK(!"live answer mapped");
		}
	}
	/* 30 + 15 + 30 + 22 + 4 = 101, capped; each signal with what it added. */
	CHECK_EQ(s.score, 100);
	CHECK(strstr(w.buf, "{\"signal\":\"greynoise\",\"points\":30") != NULL &&
	      strstr(w.buf, "{\"signal\":\"otx\",\"points\":15") != NULL &&
	      strstr(w.buf, "{\"signal\":\"abuseipdb\",\"points\":30") != NULL &&
	      strstr(w.buf, "{\"signal\":\"virustotal\",\"points\":22") != NULL &&
	      strstr(w.buf, "{\"signal\":\"shodan\",\"points\":4") != NULL);
	CHECK(strstr(w.buf, "\"sources\":[\"otx\",\"greynoise\",\"abuseipdb\",\"virustotal\","
	                    "\"shodan\",\"rdap\"]") != NULL);
	pm_json_free(&w);
	expect_all("1.2.3.4", "ok", 1, "\"cached\":true,\"offline\":false");
	expect_all("5.6.7.8", "not_found", 0, "\"found\":false");
	expect_all("5.6.7.8", "not_found", 1, NULL);
	expect_all("9.9.9.9", "rate_limited", 0, "\"http_status\":429,\"retry_after\":30");
	expect_all("9.9.9.9", "rate_limited", 0, NULL); /* 429 is never cached */
	expect_all("7.7.7.7", "auth_failed", 0, "check the key in GREYNOISE_API_KEY");
	expect_all("6.6.6.6", "provider_error", 0, "\"http_status\":500");
	expect_all("4.4.4.4", "provider_error", 0, "not the documented JSON");
	char path[PATH_MAX + 64];
	struct stat st;
	snprintf(path, sizeof(path), "%s/enrich/otx/9.9.9.9", live.cache_dir);
	CHECK(stat(path, &st) != 0);
	snprintf(path, sizeof(path), "%s/enrich/otx/5.6.7.8", live.cache_dir);
	CHECK(stat(path, &st) == 0);
}

static void
check_deadline(void)
{
	/* GreyNoise never answers for 2.2.2.2: the others still do, by the deadline. */
	live.enrich_timeout_ms = 1500;
	struct pm_json w;
	struct pm_score s;
	int64_t t0 = ms_now();
	ask("2.2.2.2", &w, &s);
	int64_t took = ms_now() - t0;
	CHECK(took >= 1400 && took < 3000);
	CHECK(strstr(w.buf, "\"greynoise\":{\"enabled\":true,\"status\":\"unavailable\"") != NULL);
	CHECK(strstr(w.buf, "\"otx\":{\"enabled\":true,\"status\":\"ok\"") != NULL &&
	      strstr(w.buf, "\"shodan\":{\"enabled\":true,\"status\":\"ok\"") != NULL);
	CHECK(strstr(w.buf, "timeout") != NULL);
	pm_json_free(&w);
	t0 = ms_now();
	expect_all("3.3.3.3", "unavailable", 0, NULL);
	CHECK(ms_now() - t0 < 3000);
	live.enrich_timeout_ms = 4000;
}

/* Without keys: the keyed providers are not configured, the keyless still asked. */
static void
check_keyless(const char *dir, const char *ca, unsigned port)
{
	live_config(dir, ca, port, false);
	snprintf(live.cache_dir, sizeof(live.cache_dir), "%s/cache2", dir);
	struct pm_json w;
	struct pm_score s;
	ask("1.2.3.4", &w, &s);
	CHECK(strstr(w.buf, "\"shodan\":{\"enabled\":false,\"status\":\"not_configured\","
	                    "\"message\":\"SHODAN_API_KEY\"}") != NULL);
	CHECK(strstr(w.buf, "\"greynoise\":{\"enabled\":true,\"status\":\"auth_failed\"") != NULL);
	CHECK(strstr(w.buf, "\"rdap\":{\"enabled\":true,\"status\":\"ok\"") != NULL);
	pm_json_free(&w);
}

/*
 * URL captures.
 */

static int
url_open(const char *url, struct pm_error *err)
{
	char out[PATH_MAX];
	memset(err, 0, sizeof(*err));
	return pm_urlcap_open(&live, url, strlen(url), out, err);
}

static void
expect_refused(const char *url, enum pm_ecode code, const char *msg)
{
	struct pm_error err;
	int fd = url_open(url, &err);
	CHECK_EQ(fd, -1);
	CHECK_EQ(err.ecode, code);
	if (strstr(err.msg, msg) == NULL) {
		fprintf(stderr, "providers: %s: %s\n", url, err.msg);
		CHECK(!"URL refusal message");
	}
	if (fd >= 0) {
		close(fd);
	}
}

/* Through the registry: mcpcap's pcap_file as a URL is analysed like a file. */
static void
check_url_tool(const char *url)
{
	struct pm_tool_ctx ctx;
	struct pm_error err = { 0 };
	char args[256];
	struct pm_arena a;
	const struct pm_jv *v;
	struct pm_json w;
	bool is_error = true;
	const struct pm_tool *t = pm_tool_find("analyze_capinfos");
	CHECK(t != NULL && pm_tool_ctx_init(&ctx, &live, &err) == 0);
	snprintf(args, sizeof(args), "{\"pcap_file\":\"%s\"}", url);
	pm_arena_init(&a, 1u << 20);
	CHECK_EQ(pm_json_parse((const uint8_t *)args, strlen(args), &a, &v, NULL), 0);
	for (int i = 0; t != NULL && i < 2; i++) {
		pm_json_init(&w, 0);
		CHECK_EQ(pm_tools_call(&ctx, t, v, &w, &is_error), 0);
		CHECK(!is_error && strstr(w.buf, "\"packet_count\":") != NULL);
		if (is_error) {
			fprintf(stderr, "providers: capinfos of %s: %s\n", url, w.buf);
		}
		pm_json_free(&w);
	}
	/* The second call was a 304 on the kept file: the analysis cache answered. */
	CHECK(ctx.cache->hits >= 1);
	pm_arena_free(&a);
	pm_tool_ctx_free(&ctx);
}

static void
check_urls(const char *dir, const char *ca, unsigned port)
{
	char ok[128], url[128];
	struct pm_error err;
	struct stat a, b;
	live_config(dir, ca, port, false);
	live.max_file_mb = 1;
	snprintf(ok, sizeof(ok), "https://localhost:%u/cap/ok.pcap", port);
	expect_refused(ok, PM_EC_INVALID_ARGUMENT, "PCAPMCP_ALLOW_URLS");
	snprintf(live.allow_urls, sizeof(live.allow_urls), "example.org, other.example");
	expect_refused(ok, PM_EC_INVALID_ARGUMENT, "not in PCAPMCP_ALLOW_URLS");
	snprintf(live.allow_urls, sizeof(live.allow_urls), "example.org,localhost");
	expect_refused(ok, PM_EC_INVALID_ARGUMENT, "loopback address; refused");
	snprintf(url, sizeof(url), "http://localhost:%u/cap/ok.pcap", port);
	expect_refused(url, PM_EC_INVALID_ARGUMENT, "only https://");
	live.allow_private_urls = true;
	int fd = url_open(ok, &err), fd2;
	CHECK(fd >= 0 && fstat(fd, &a) == 0 && a.st_nlink == 0 && (a.st_mode & 0777) == 0600);
	uint8_t magic[4] = { 0 };
	CHECK(fd >= 0 && read(fd, magic, 4) == 4 && magic[0] == 0xd4 && magic[3] == 0xa1);
	/* Again: 304 for the ETag, the same file (so the analysis cache answers). */
	fd2 = url_open(ok, &err);
	CHECK(fd2 >= 0 && fstat(fd2, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	close(fd);
	close(fd2);
	check_url_tool(ok);
	snprintf(url, sizeof(url), "https://localhost:%u/cap/close.pcap", port);
	fd = url_open(url, &err);
	CHECK(fd >= 0 && fstat(fd, &a) == 0 && a.st_size == b.st_size);
	if (fd >= 0) {
		close(fd);
	}
	/* A chunked download (extension, trailer) is decoded into the same bytes. */
	snprintf(url, sizeof(url), "https://localhost:%u/cap/chunked.pcap", port);
	fd = url_open(url, &err);
	CHECK(fd >= 0 && fstat(fd, &a) == 0 && a.st_size == b.st_size);
	if (fd >= 0) {
		close(fd);
	}
	snprintf(url, sizeof(url), "https://localhost:%u/cap/bigchunked.pcap", port);
	expect_refused(url, PM_EC_FILE_TOO_LARGE, "larger than PCAPMCP_MAX_FILE_MB");
	snprintf(url, sizeof(url), "https://localhost:%u/cap/big.pcap", port);
	expect_refused(url, PM_EC_FILE_TOO_LARGE, "larger than PCAPMCP_MAX_FILE_MB");
	snprintf(url, sizeof(url), "https://localhost:%u/cap/page.html", port);
	expect_refused(url, PM_EC_UNSUPPORTED_FILE_TYPE, "not a capture");
	snprintf(url, sizeof(url), "https://localhost:%u/cap/moved.pcap", port);
	expect_refused(url, PM_EC_INVALID_ARGUMENT, "host 127.0.0.1 is not in PCAPMCP_ALLOW_URLS");
	/* Nothing of the downloads stays in the cache directory. */
	char cmd[PATH_MAX + 64];
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A '%s/urlcap')\"", live.cache_dir);
	CHECK(system(cmd) == 0);
	pm_urlcap_reset();
}

void test_providers_live(const char *dir, const char *ca, unsigned port);

/* see test_https.c, which starts the server */
void
test_providers_live(const char *dir, const char *ca, unsigned port)
{
	/* The key must never reach stderr either: it goes to a file while the providers run. */
	char errlog[PATH_MAX];
	snprintf(errlog, sizeof(errlog), "%s/stderr.log", dir);
	fflush(stderr);
	int saved = dup(2), log = open(errlog, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(saved >= 0 && log >= 0 && dup2(log, 2) == 2);
	live_config(dir, ca, port, true);
	check_answers();
	check_deadline();
	check_keyless(dir, ca, port);
	check_urls(dir, ca, port);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(log);
	char cmd[2 * PATH_MAX + 64];
	snprintf(cmd, sizeof(cmd), "cat '%s' >&2; ! grep -q '%s' '%s'", errlog, KEY, errlog);
	CHECK(system(cmd) == 0);
}

void test_providers(void);

void
test_providers(void)
{
	test_mapping();
	test_bootstrap();
	test_correlate_array();
}

/* SPDX-License-Identifier: MIT */
/*
 * provmap.c - provider answers into members and score signals, and the RDAP
 * bootstrap lookup. The response shapes are the ones each provider documents:
 * - GreyNoise Community API, GET /v3/community/{ip}: ip, noise, riot,
 *   classification, name, link, last_seen, message
 *   (https://docs.greynoise.io/reference/getcommunityip);
 * - OTX DirectConnect, GET /api/v1/indicators/IPv4|IPv6/{ip}/general:
 *   pulse_info{count, pulses[{name, ...}]}, reputation, country_code, asn
 *   (https://otx.alienvault.com/api, section "general");
 * - AbuseIPDB APIv2, GET /api/v2/check: data{abuseConfidenceScore,
 *   totalReports, countryCode, isp, usageType, lastReportedAt}
 *   (https://docs.abuseipdb.com/#check-endpoint);
 * - VirusTotal API v3, GET /api/v3/ip_addresses/{ip}: data.attributes
 *   {last_analysis_stats{malicious, suspicious, harmless, undetected},
 *   reputation, as_owner} (https://docs.virustotal.com/reference/ip-info);
 * - Shodan REST, GET /shodan/host/{ip}: ports, hostnames, org, os, vulns,
 *   last_update (https://developer.shodan.io/api, "Host Information");
 * - RDAP, RFC 9083 §5.4 IP network: handle, startAddress, endAddress, name,
 *   country, and ARIN's arin_originas0_originautnums; bootstrap RFC 9224 §5.
 * Does not fetch anything (providers.c does).
 */
#include "provmap.h"

#include <string.h>

#include "addr.h"
#include "arena.h"
#include "json.h"
#include "jsonparse.h"

#define ARENA_CAP (16u << 20) /* a 1 MiB body parses into far less */

/* see provmap.h */
void
pm_prov_signals_init(struct pm_prov_signals *s)
{
	memset(s, 0, sizeof(*s));
	s->otx_pulses = s->abuse_score = s->abuse_reports = -1;
	s->vt_malicious = s->vt_suspicious = s->shodan_vulns = -1;
}

static int
parse(const uint8_t *body, size_t n, struct pm_arena *a, const struct pm_jv **root)
{
	struct pm_json_limits lim = { .max_input = PM_PROVMAP_MAX_BODY,
		                      .max_depth = PM_PROVMAP_MAX_DEPTH };
	if (n > PM_PROVMAP_MAX_BODY) {
		return PM_E_LIMIT;
	}
	int rc = pm_json_parse_limits(body, n, &lim, a, root, NULL);
	if (rc == 0 && !pm_jv_is(*root, PM_JV_OBJ)) {
		rc = PM_E_MALFORMED;
	}
	return rc;
}

/* Bytes of s to write: at most PM_PROVMAP_MAX_STR, never ending inside a UTF-8 sequence. */
static size_t
clip(const char *s, size_t len)
{
	if (len <= PM_PROVMAP_MAX_STR) {
		return len;
	}
	len = PM_PROVMAP_MAX_STR;
	while (len > 0 && ((unsigned char)s[len] & 0xc0u) == 0x80u) {
		len--;
	}
	return len;
}

/* The string member key of obj written as name, or null when absent or not a string. */
static void
put_str(struct pm_json *w, const char *name, const struct pm_jv *obj, const char *key)
{
	const struct pm_jv *v = pm_jv_get(obj, key);
	if (w == NULL) {
		return;
	}
	pm_json_key(w, name);
	if (pm_jv_is(v, PM_JV_STR)) {
		pm_json_strn(w, v->s, clip(v->s, v->len));
	} else {
		pm_json_null(w);
	}
}

/* The integer member key of obj written as name (null when not one); the value or -1. */
static int64_t
put_int(struct pm_json *w, const char *name, const struct pm_jv *obj, const char *key)
{
	int64_t x = -1;
	bool ok = pm_jv_int(pm_jv_get(obj, key), &x);
	if (w != NULL) {
		pm_json_key(w, name);
		if (ok) {
			pm_json_i64(w, x);
		} else {
			pm_json_null(w);
		}
	}
	return ok ? x : -1;
}

static void
put_bool(struct pm_json *w, const char *name, const struct pm_jv *obj, const char *key, bool *out)
{
	bool b = false;
	bool ok = pm_jv_bool(pm_jv_get(obj, key), &b);
	if (out != NULL) {
		*out = ok && b;
	}
	if (w != NULL) {
		pm_json_key(w, name);
		if (ok) {
			pm_json_bool(w, b);
		} else {
			pm_json_null(w);
		}
	}
}

/*
 * The array member key of obj written as name: its strings (or, with
 * item_key, the string member item_key of its objects), or its integers
 * when ints; at most PM_PROVMAP_MAX_LIST. Returns the items in the answer.
 */
static int64_t
put_list(struct pm_json *w, const char *name, const struct pm_jv *obj, const char *key,
         const char *item_key, bool ints)
{
	const struct pm_jv *arr = pm_jv_get(obj, key);
	if (!pm_jv_is(arr, PM_JV_ARR)) {
		if (w != NULL) {
			pm_json_key(w, name);
			pm_json_null(w);
		}
		return -1;
	}
	if (w == NULL) {
		return (int64_t)arr->len;
	}
	pm_json_key(w, name);
	pm_json_arr_begin(w);
	for (size_t i = 0, k = 0; i < arr->len && k < PM_PROVMAP_MAX_LIST; i++) {
		const struct pm_jv *v = &arr->items[i];
		int64_t x;
		if (item_key != NULL) {
			v = pm_jv_get(v, item_key);
		}
		if (ints && pm_jv_int(v, &x)) {
			pm_json_i64(w, x);
			k++;
		} else if (!ints && pm_jv_is(v, PM_JV_STR)) {
			pm_json_strn(w, v->s, clip(v->s, v->len));
			k++;
		}
	}
	pm_json_arr_end(w);
	return (int64_t)arr->len;
}

static void
map_otx(const struct pm_jv *r, struct pm_json *w, struct pm_prov_signals *sig)
{
	const struct pm_jv *pi = pm_jv_get(r, "pulse_info");
	sig->otx_pulses = put_int(w, "pulse_count", pi, "count");
	put_list(w, "pulses", pi, "pulses", "name", false);
	put_int(w, "reputation", r, "reputation");
	put_str(w, "country", r, "country_code");
	put_str(w, "asn", r, "asn");
}

static void
map_greynoise(const struct pm_jv *r, struct pm_json *w, struct pm_prov_signals *sig)
{
	bool riot = false;
	const char *cls = pm_jv_str(pm_jv_get(r, "classification"));
	if (w != NULL) {
		pm_json_kbool(w, "found", true);
	}
	put_bool(w, "noise", r, "noise", &sig->gn_noise);
	put_bool(w, "riot", r, "riot", &riot);
	put_str(w, "classification", r, "classification");
	put_str(w, "name", r, "name");
	put_str(w, "last_seen", r, "last_seen");
	put_str(w, "link", r, "link");
	sig->gn_malicious = cls != NULL && strcmp(cls, "malicious") == 0;
	sig->gn_benign = riot || (cls != NULL && strcmp(cls, "benign") == 0);
}

static void
map_abuseipdb(const struct pm_jv *r, struct pm_json *w, struct pm_prov_signals *sig)
{
	const struct pm_jv *d = pm_jv_get(r, "data");
	sig->abuse_score = put_int(w, "abuse_confidence_score", d, "abuseConfidenceScore");
	sig->abuse_reports = put_int(w, "total_reports", d, "totalReports");
	put_str(w, "country", d, "countryCode");
	put_str(w, "isp", d, "isp");
	put_str(w, "usage_type", d, "usageType");
	put_str(w, "last_reported_at", d, "lastReportedAt");
}

static void
map_virustotal(const struct pm_jv *r, struct pm_json *w, struct pm_prov_signals *sig)
{
	const struct pm_jv *a = pm_jv_get(pm_jv_get(r, "data"), "attributes");
	const struct pm_jv *st = pm_jv_get(a, "last_analysis_stats");
	sig->vt_malicious = put_int(w, "malicious", st, "malicious");
	sig->vt_suspicious = put_int(w, "suspicious", st, "suspicious");
	put_int(w, "harmless", st, "harmless");
	put_int(w, "undetected", st, "undetected");
	put_int(w, "reputation", a, "reputation");
	put_str(w, "as_owner", a, "as_owner");
}

static void
map_shodan(const struct pm_jv *r, struct pm_json *w, struct pm_prov_signals *sig)
{
	put_list(w, "ports", r, "ports", NULL, true);
	put_list(w, "hostnames", r, "hostnames", NULL, false);
	put_str(w, "org", r, "org");
	put_str(w, "os", r, "os");
	sig->shodan_vulns = put_list(w, "vulns", r, "vulns", NULL, false);
	put_str(w, "last_update", r, "last_update");
}

static void
map_rdap(const struct pm_jv *r, struct pm_json *w)
{
	put_str(w, "name", r, "name");
	put_str(w, "handle", r, "handle");
	put_str(w, "country", r, "country");
	put_str(w, "start_address", r, "startAddress");
	put_str(w, "end_address", r, "endAddress");
	/* ARIN's origin-AS extension; other registries give no AS in an ip answer. */
	const struct pm_jv *as = pm_jv_get(r, "arin_originas0_originautnums");
	int64_t asn;
	if (w != NULL) {
		pm_json_key(w, "asn");
		if (pm_jv_is(as, PM_JV_ARR) && as->len > 0 && pm_jv_int(&as->items[0], &asn)) {
			pm_json_i64(w, asn);
		} else {
			pm_json_null(w);
		}
	}
}

/* see provmap.h */
int
pm_provmap(enum pm_provider p, int status, const uint8_t *body, size_t n, struct pm_json *w,
           struct pm_prov_signals *sig)
{
	struct pm_prov_signals none;
	struct pm_arena a;
	const struct pm_jv *r = NULL;
	if (sig == NULL) {
		sig = &none;
	}
	pm_prov_signals_init(sig);
	if (status == 404) {
		if (p == PM_PROV_GREYNOISE && w != NULL) {
			pm_json_kbool(w, "found", false);
		}
		return 0;
	}
	pm_arena_init(&a, ARENA_CAP);
	int rc = parse(body, n, &a, &r);
	if (rc == 0) {
		switch (p) {
		case PM_PROV_OTX:
			map_otx(r, w, sig);
			break;
		case PM_PROV_GREYNOISE:
			map_greynoise(r, w, sig);
			break;
		case PM_PROV_ABUSEIPDB:
			map_abuseipdb(r, w, sig);
			break;
		case PM_PROV_VIRUSTOTAL:
			map_virustotal(r, w, sig);
			break;
		case PM_PROV_SHODAN:
			map_shodan(r, w, sig);
			break;
		case PM_PROV_RDAP:
		case PM_PROV_COUNT:
			map_rdap(r, w);
			break;
		}
	}
	pm_arena_free(&a);
	return rc;
}

/* "1.0.0.0/8" or "2001:200::/23" matches addr: the prefix length, or -1. */
static int
prefix_match(const char *cidr, const uint8_t addr[16], bool is_v4)
{
	char text[64];
	uint8_t net[16];
	const char *slash = strchr(cidr, '/');
	size_t len = slash != NULL ? (size_t)(slash - cidr) : 0;
	if (slash == NULL || len == 0 || len >= sizeof(text)) {
		return -1;
	}
	memcpy(text, cidr, len);
	text[len] = '\0';
	int ver = pm_addr_parse(text, net);
	unsigned bits = 0;
	const char *d = slash + 1;
	size_t nd = strspn(d, "0123456789");
	if (ver == 0 || (ver == 4) != is_v4 || nd == 0 || nd > 3 || d[nd] != '\0') {
		return -1;
	}
	for (size_t i = 0; i < nd; i++) {
		bits = bits * 10 + (unsigned)(d[i] - '0');
	}
	if (bits > (is_v4 ? 32u : 128u)) {
		return -1;
	}
	for (unsigned i = 0; i < bits; i++) {
		unsigned byte = i >> 3, shift = 7u - (i & 7u);
		if (((addr[byte] ^ net[byte]) >> shift & 1u) != 0) {
			return -1;
		}
	}
	return (int)bits;
}

/* The first https URL with a host of urls into url with a trailing '/'; false when none fits. */
static bool
first_https(const struct pm_jv *urls, char *url, size_t cap)
{
	for (size_t i = 0; pm_jv_is(urls, PM_JV_ARR) && i < urls->len; i++) {
		const char *u = pm_jv_str(&urls->items[i]);
		size_t n = u != NULL ? strlen(u) : 0;
		/* a host after the scheme ("https:///" names none) */
		if (n > 8 && strncmp(u, "https://", 8) == 0 && u[8] != '/' && n + 2 <= cap &&
		    strpbrk(u, " \r\n\t") == NULL) {
			memcpy(url, u, n + 1);
			if (u[n - 1] != '/') {
				memcpy(url + n, "/", 2);
			}
			return true;
		}
	}
	return false;
}

/* see provmap.h */
int
pm_rdap_bootstrap_find(const uint8_t *body, size_t n, const uint8_t addr[16], bool is_v4, char *url,
                       size_t cap)
{
	struct pm_arena a;
	const struct pm_jv *r = NULL;
	pm_arena_init(&a, ARENA_CAP);
	int rc = parse(body, n, &a, &r), best = -1;
	const struct pm_jv *sv = rc == 0 ? pm_jv_get(r, "services") : NULL;
	if (rc == 0 && !pm_jv_is(sv, PM_JV_ARR)) {
		rc = PM_E_MALFORMED;
	}
	for (size_t i = 0; rc == 0 && i < sv->len; i++) {
		const struct pm_jv *entry = &sv->items[i];
		if (!pm_jv_is(entry, PM_JV_ARR) || entry->len < 2 ||
		    !pm_jv_is(&entry->items[0], PM_JV_ARR)) {
			continue;
		}
		const struct pm_jv *prefixes = &entry->items[0];
		for (size_t k = 0; k < prefixes->len; k++) {
			const char *cidr = pm_jv_str(&prefixes->items[k]);
			int bits = cidr != NULL ? prefix_match(cidr, addr, is_v4) : -1;
			if (bits > best && first_https(&entry->items[1], url, cap)) {
				best = bits;
			}
		}
	}
	pm_arena_free(&a);
	return rc != 0 ? rc : best >= 0;
}

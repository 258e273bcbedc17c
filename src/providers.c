/* SPDX-License-Identifier: MIT */
/*
 * providers.c - one request per provider, as each documents it, on its own
 * thread, within the deadline; the answer mapped to a status and cached.
 *
 * Requests (the base URL may be replaced by PCAPMCP_<PROVIDER>_URL):
 * - GreyNoise: GET https://api.greynoise.io/v3/community/{ip}, header
 *   "key" when a key is set (https://docs.greynoise.io/reference/getcommunityip);
 * - OTX: GET https://otx.alienvault.com/api/v1/indicators/{IPv4|IPv6}/{ip}/general,
 *   header X-OTX-API-KEY when set (https://otx.alienvault.com/api);
 * - AbuseIPDB: GET https://api.abuseipdb.com/api/v2/check?ipAddress={ip}&maxAgeInDays=90,
 *   headers Key and Accept: application/json (https://docs.abuseipdb.com/#check-endpoint);
 * - VirusTotal: GET https://www.virustotal.com/api/v3/ip_addresses/{ip}, header
 *   x-apikey (https://docs.virustotal.com/reference/ip-info);
 * - Shodan: GET https://api.shodan.io/shodan/host/{ip}?key={key}
 *   (https://developer.shodan.io/api: the key is a query parameter);
 * - RDAP: the IANA bootstrap https://data.iana.org/rdap/ipv4.json (ipv6.json;
 *   PCAPMCP_RDAP_URL replaces the bootstrap's base) gives the registry's base
 *   URL (RFC 9224 §5), then GET {base}ip/{ip} (RFC 9082 §3.1.1), whose
 *   redirects (RIR to RIR) are followed.
 */
#include "providers.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "enrichcache.h"
#include "https.h"
#include "provmap.h"
#include "resolve.h"

#define CONNECT_MS          5000
#define RDAP_BOOTSTRAP_IANA "https://data.iana.org/rdap" /* RFC 9224 §4 */

struct provider {
	const char *name;
	const char *base; /* default base URL, no trailing '/' */
	bool key_required;
};

static const struct provider table[PM_PROV_COUNT] = {
	[PM_PROV_OTX] = { "otx", "https://otx.alienvault.com", false },
	[PM_PROV_GREYNOISE] = { "greynoise", "https://api.greynoise.io", false },
	[PM_PROV_ABUSEIPDB] = { "abuseipdb", "https://api.abuseipdb.com", true },
	[PM_PROV_VIRUSTOTAL] = { "virustotal", "https://www.virustotal.com", true },
	[PM_PROV_SHODAN] = { "shodan", "https://api.shodan.io", true },
	[PM_PROV_RDAP] = { "rdap", RDAP_BOOTSTRAP_IANA, false }, /* the bootstrap's base */
};

/* see providers.h */
const char *
pm_prov_name(enum pm_provider p)
{
	return p < PM_PROV_COUNT ? table[p].name : "unknown";
}

/* see providers.h */
const char *
pm_prov_status_name(enum pm_prov_status s)
{
	static const char *const names[] = {
		[PM_PS_NOT_QUERIED] = "not_queried",   [PM_PS_OK] = "ok",
		[PM_PS_NOT_FOUND] = "not_found",       [PM_PS_AUTH_FAILED] = "auth_failed",
		[PM_PS_RATE_LIMITED] = "rate_limited", [PM_PS_PROVIDER_ERROR] = "provider_error",
		[PM_PS_UNAVAILABLE] = "unavailable",
	};
	return (size_t)s < PM_ARRAY_LEN(names) ? names[s] : "unknown";
}

/* see providers.h */
bool
pm_prov_configured(const struct pm_config *c, enum pm_provider p)
{
	return !table[p].key_required || c->prov_key[p][0] != '\0';
}

/* One provider's job: what it reads, and its answer. */
struct job {
	const struct pm_config *cfg;
	enum pm_provider p;
	const char *ip;
	const uint8_t *addr;
	bool is_v4;
	int64_t deadline; /* CLOCK_MONOTONIC ms */
	struct pm_prov_answer *out;
};

/* GET url with headers before the deadline; 0 with *r, or <0 with the answer's message set. */
static int
get(const struct job *j, const char *url, const char *const *headers, struct pm_https_resp *r)
{
	struct pm_error err = { 0 };
	int64_t left = j->deadline - pm_monotonic_ms();
	if (left <= 0) {
		snprintf(j->out->message, sizeof(j->out->message),
		         "timeout: no answer within PCAPMCP_ENRICH_TIMEOUT_MS");
		return PM_E_IO;
	}
	struct pm_https_opts o = { .ca_file = j->cfg->ca_file,
		                   .connect_timeout_ms = left < CONNECT_MS ? (int)left : CONNECT_MS,
		                   .total_timeout_ms = (int)left,
		                   .max_body = PM_PROVMAP_MAX_BODY };
	struct pm_https_req req = { .method = "GET", .url = url, .headers = headers };
	int rc = pm_https_fetch(&o, &req, r, &err);
	if (rc != 0) {
		/* https.c's messages name the host and port, never the path or a header. */
		snprintf(j->out->message, sizeof(j->out->message), "%s", err.msg);
	}
	return rc;
}

/* The status of an answer, its message, and whether it may be cached. */
static bool
classify(const struct job *j, int status, int64_t retry_after, const uint8_t *body, size_t n)
{
	struct pm_prov_answer *a = j->out;
	a->http_status = status;
	a->message[0] = '\0';
	if (status == 200) {
		if (pm_provmap(j->p, 200, body, n, NULL, NULL) == 0) {
			a->status = PM_PS_OK;
			return true;
		}
		a->status = PM_PS_PROVIDER_ERROR;
		snprintf(a->message, sizeof(a->message), "the answer is not the documented JSON");
		return false;
	}
	if (status == 404) {
		a->status = PM_PS_NOT_FOUND;
		snprintf(a->message, sizeof(a->message), "the provider does not know the address");
		return true;
	}
	if (status == 401 || status == 403) {
		a->status = PM_PS_AUTH_FAILED;
		snprintf(a->message, sizeof(a->message), "HTTP %d: check the key in %s", status,
		         j->cfg->prov_key_var[j->p] != NULL ? j->cfg->prov_key_var[j->p]
		                                            : "the provider's key variable");
	} else if (status == 429) {
		a->status = PM_PS_RATE_LIMITED;
		a->retry_after = retry_after;
		snprintf(a->message, sizeof(a->message), "HTTP 429: rate limited");
	} else {
		a->status = PM_PS_PROVIDER_ERROR;
		snprintf(a->message, sizeof(a->message), "HTTP %d from the provider", status);
	}
	return false;
}

/* A cached answer for the job's address: true when one was used. */
static bool
from_cache(const struct job *j, const struct pm_ecache *c)
{
	int status;
	uint8_t *body;
	size_t len;
	if (c->dir[0] == '\0' ||
	    pm_ecache_get(c, table[j->p].name, j->ip, &status, &body, &len) != 1) {
		return false;
	}
	if ((status != 200 && status != 404) || !classify(j, status, -1, body, len)) {
		free(body);
		memset(j->out, 0, sizeof(*j->out));
		j->out->retry_after = -1;
		return false;
	}
	j->out->cached = true;
	if (status == 200) {
		j->out->body = body;
		j->out->body_len = len;
	} else {
		free(body);
	}
	return true;
}

/* "%3A" for ':' (AbuseIPDB asks for the address URL-encoded; IPv6 has colons). */
static void
query_escape(const char *ip, char out[160])
{
	size_t n = 0;
	for (const char *p = ip; *p != '\0' && n + 4 < 160; p++) {
		if (*p == ':') {
			memcpy(out + n, "%3A", 3);
			n += 3;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
}

/* The base URL of the job's provider: the override without a trailing '/', or the default. */
static void
base_url(const struct job *j, char *out, size_t cap)
{
	const char *o = j->cfg->prov_url[j->p];
	size_t n = strlen(o);
	if (n == 0) {
		snprintf(out, cap, "%s", table[j->p].base != NULL ? table[j->p].base : "");
		return;
	}
	while (n > 8 && o[n - 1] == '/') {
		n--;
	}
	snprintf(out, cap, "%.*s", (int)n, o);
}

/* The request of a keyed or keyless provider: its URL and header lines. */
static void
build(const struct job *j, char *url, size_t cap, char hdr[2][PM_CONFIG_MAX_KEY + 32])
{
	char base[PM_CONFIG_MAX_BASE_URL], esc[160];
	const char *key = j->cfg->prov_key[j->p];
	bool has_key = key[0] != '\0';
	base_url(j, base, sizeof(base));
	hdr[0][0] = hdr[1][0] = '\0';
	switch (j->p) {
	case PM_PROV_OTX:
		snprintf(url, cap, "%s/api/v1/indicators/%s/%s/general", base,
		         j->is_v4 ? "IPv4" : "IPv6", j->ip);
		if (has_key) {
			snprintf(hdr[0], sizeof(hdr[0]), "X-OTX-API-KEY: %s", key);
		}
		break;
	case PM_PROV_GREYNOISE:
		snprintf(url, cap, "%s/v3/community/%s", base, j->ip);
		if (has_key) {
			snprintf(hdr[0], sizeof(hdr[0]), "key: %s", key);
		}
		break;
	case PM_PROV_ABUSEIPDB:
		query_escape(j->ip, esc);
		snprintf(url, cap, "%s/api/v2/check?ipAddress=%s&maxAgeInDays=90", base, esc);
		snprintf(hdr[0], sizeof(hdr[0]), "Key: %s", key);
		snprintf(hdr[1], sizeof(hdr[1]), "Accept: application/json");
		break;
	case PM_PROV_VIRUSTOTAL:
		snprintf(url, cap, "%s/api/v3/ip_addresses/%s", base, j->ip);
		snprintf(hdr[0], sizeof(hdr[0]), "x-apikey: %s", key);
		break;
	case PM_PROV_SHODAN:
		snprintf(url, cap, "%s/shodan/host/%s?key=%s", base, j->ip, key);
		break;
	case PM_PROV_RDAP:
	case PM_PROV_COUNT:
		snprintf(url, cap, "%s/ip/%s", base, j->ip);
		break;
	}
}

/*
 * RDAP: the registry's base URL from the IANA bootstrap file (at
 * PCAPMCP_RDAP_URL when set), itself cached a day under
 * rdap_bootstrap/ipv4 or ipv6.
 */
static bool
rdap_base(const struct job *j, const struct pm_ecache *c, char *url, size_t cap)
{
	const char *family = j->is_v4 ? "ipv4" : "ipv6";
	char boot[PM_CONFIG_MAX_BASE_URL + 16];
	uint8_t *body = NULL;
	size_t len = 0;
	int status = 0;
	bool have = c->dir[0] != '\0' &&
	            pm_ecache_get(c, "rdap_bootstrap", family, &status, &body, &len) == 1 &&
	            status == 200;
	if (!have) {
		struct pm_https_resp r;
		free(body);
		body = NULL;
		char base[PM_CONFIG_MAX_BASE_URL];
		base_url(j, base, sizeof(base));
		snprintf(boot, sizeof(boot), "%s/%s.json", base, family);
		if (get(j, boot, NULL, &r) != 0) {
			j->out->status = PM_PS_UNAVAILABLE;
			return false;
		}
		if (r.status != 200) {
			j->out->status = PM_PS_PROVIDER_ERROR;
			snprintf(j->out->message, sizeof(j->out->message),
			         "RDAP bootstrap: HTTP %d from IANA", r.status);
			pm_https_resp_free(&r);
			return false;
		}
		body = r.body;
		len = r.body_len;
	}
	int found = pm_rdap_bootstrap_find(body, len, j->addr, j->is_v4, url, cap);
	if (found == 1 && !have && c->dir[0] != '\0') {
		struct pm_error err;
		(void)!pm_ecache_put(c, "rdap_bootstrap", family, 200, body, len, &err);
	}
	free(body);
	if (found != 1) {
		j->out->status = found == 0 ? PM_PS_NOT_FOUND : PM_PS_PROVIDER_ERROR;
		snprintf(j->out->message, sizeof(j->out->message), "%s",
		         found == 0 ? "no RDAP service for the address in the IANA bootstrap"
		                    : "the IANA bootstrap file does not parse");
	}
	return found == 1;
}

static void *
run(void *arg)
{
	const struct job *j = arg;
	struct pm_ecache c = { .ttl_s = 0 };
	char url[PM_HTTPS_MAX_URL], hdr[2][PM_CONFIG_MAX_KEY + 32];
	snprintf(c.dir, sizeof(c.dir), "%s", j->cfg->cache_dir);
	if (from_cache(j, &c)) {
		return NULL;
	}
	if (j->p == PM_PROV_RDAP) {
		char base[PM_HTTPS_MAX_URL - 64];
		if (!rdap_base(j, &c, base, sizeof(base))) {
			return NULL;
		}
		snprintf(url, sizeof(url), "%sip/%s", base, j->ip);
		hdr[0][0] = hdr[1][0] = '\0';
	} else {
		build(j, url, sizeof(url), hdr);
	}
	const char *headers[3] = { NULL, NULL, NULL };
	for (size_t i = 0, k = 0; i < 2; i++) {
		if (hdr[i][0] != '\0') {
			headers[k++] = hdr[i];
		}
	}
	struct pm_https_resp r;
	if (get(j, url, headers, &r) != 0) {
		j->out->status = PM_PS_UNAVAILABLE;
		return NULL;
	}
	if (classify(j, r.status, r.retry_after, r.body, r.body_len) && c.dir[0] != '\0') {
		struct pm_error err;
		(void)!pm_ecache_put(&c, table[j->p].name, j->ip, r.status, r.body, r.body_len,
		                     &err);
	}
	if (j->out->status == PM_PS_OK) {
		j->out->body = r.body;
		j->out->body_len = r.body_len;
		r.body = NULL;
	}
	pm_https_resp_free(&r);
	return NULL;
}

/* see providers.h */
void
pm_providers_query(const struct pm_config *c, const char *ip, const uint8_t addr[16], bool is_v4,
                   struct pm_prov_answer out[PM_PROV_COUNT])
{
	struct job jobs[PM_PROV_COUNT];
	pthread_t tid[PM_PROV_COUNT];
	bool started[PM_PROV_COUNT] = { false };
	int64_t deadline =
	    pm_monotonic_ms() +
	    (c->enrich_timeout_ms != 0 ? c->enrich_timeout_ms : PM_CONFIG_DEFAULT_ENRICH_MS);
	for (size_t i = 0; i < PM_PROV_COUNT; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].retry_after = -1;
		jobs[i] = (struct job){ .cfg = c,
			                .p = (enum pm_provider)i,
			                .ip = ip,
			                .addr = addr,
			                .is_v4 = is_v4,
			                .deadline = deadline,
			                .out = &out[i] };
		if (c->offline || !pm_prov_configured(c, (enum pm_provider)i)) {
			continue;
		}
		started[i] = pthread_create(&tid[i], NULL, run, &jobs[i]) == 0;
		if (!started[i]) {
			run(&jobs[i]); /* no thread to spare: ask in turn */
		}
	}
	/* Every request is bounded by the deadline (connect, TLS, read), so the joins are too. */
	for (size_t i = 0; i < PM_PROV_COUNT; i++) {
		if (started[i]) {
			pthread_join(tid[i], NULL);
		}
	}
}

/* see providers.h */
void
pm_prov_answers_free(struct pm_prov_answer a[PM_PROV_COUNT])
{
	for (size_t i = 0; i < PM_PROV_COUNT; i++) {
		free(a[i].body);
		a[i].body = NULL;
		a[i].body_len = 0;
	}
}

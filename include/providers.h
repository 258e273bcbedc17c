/* SPDX-License-Identifier: MIT */
/*
 * providers.h - the threat-intel queries for one address: GreyNoise
 * Community, OTX, AbuseIPDB, VirusTotal and Shodan with the keys of the
 * configuration, and RDAP through the IANA bootstrap (RFC 9224), each on its
 * own thread, all within one deadline (PCAPMCP_ENRICH_TIMEOUT_MS).
 *
 * Status mapping: 200 data (cached); 404 not known (cached); 401/403
 * auth_failed; 429 rate_limited (not cached, Retry-After reported); 5xx
 * and a body that is not JSON provider_error; no answer (resolve, connect,
 * TLS, timeout) unavailable. Answers are cached on disk (enrichcache.h)
 * under the configured cache directory. A provider whose key is required
 * and unset is not queried (not_configured). Keys go into the request
 * headers (Shodan: its query) and never into a message or an answer.
 * Nothing here runs when the configuration is offline.
 */
#ifndef PM_PROVIDERS_H
#define PM_PROVIDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"
#include "sandbox.h" /* enum pm_provider, struct pm_config */

enum pm_prov_status {
	PM_PS_NOT_QUERIED = 0, /* not asked (offline, skipped address, no key) */
	PM_PS_OK,              /* 200: data */
	PM_PS_NOT_FOUND,       /* 404: the provider does not know the address */
	PM_PS_AUTH_FAILED,     /* 401 or 403 */
	PM_PS_RATE_LIMITED,    /* 429 */
	PM_PS_PROVIDER_ERROR,  /* 5xx, another status, or a body that does not map */
	PM_PS_UNAVAILABLE,     /* no answer: resolve, connect, TLS, timeout */
};

/* One provider's answer for one address. */
struct pm_prov_answer {
	enum pm_prov_status status;
	int http_status;     /* final HTTP status; 0 when none */
	int64_t retry_after; /* seconds from Retry-After (429), -1 when absent */
	bool cached;         /* served from the on-disk cache */
	char message[160];   /* what failed or what to set; never a key; "" when ok */
	uint8_t *body;       /* malloc'd JSON body of a 200 answer, NUL-terminated; or NULL */
	size_t body_len;
};

/* "otx", "greynoise", "abuseipdb", "virustotal", "shodan", "rdap". */
const char *pm_prov_name(enum pm_provider p);

/* "ok", "not_found", "auth_failed", "rate_limited", "provider_error", "unavailable", ... */
const char *pm_prov_status_name(enum pm_prov_status s);

/* Whether p may be queried: a keyless provider always, another when its key is set. */
bool pm_prov_configured(const struct pm_config *c, enum pm_provider p);

/*
 * Query every configured provider about the address (its canonical text,
 * and the 16 bytes of network order, IPv4 in the first 4 when is_v4)
 * concurrently, and fill out[] (every entry: PM_PS_NOT_QUERIED for those
 * not asked). Returns when all have answered or the deadline passed; a
 * provider that never answers is reported unavailable (timeout). Free the
 * bodies with pm_prov_answers_free.
 */
void pm_providers_query(const struct pm_config *c, const char *ip, const uint8_t addr[16],
                        bool is_v4, struct pm_prov_answer out[PM_PROV_COUNT]);

void pm_prov_answers_free(struct pm_prov_answer a[PM_PROV_COUNT]);

#endif /* PM_PROVIDERS_H */

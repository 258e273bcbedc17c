/* SPDX-License-Identifier: MIT */
/*
 * provmap.h - threat-intel answers mapped to pcapmcp's members: a provider's
 * HTTP status and JSON body become the members of its object in the
 * enrichment (PortHunter's names for otx and greynoise) and the signals the
 * threat score reads; and the IANA RDAP bootstrap file (RFC 9224) mapped to
 * the registry's base URL for an address.
 *
 * Bodies are hostile: they go through the strict JSON parser (jsonparse.h)
 * with a depth and size cap into a private arena, and every member is read
 * with the type-checking accessors of jsontree.h. Nothing here does I/O.
 */
#ifndef PM_PROVMAP_H
#define PM_PROVMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"
#include "sandbox.h" /* enum pm_provider */

struct pm_json;

#define PM_PROVMAP_MAX_BODY  (1u << 20) /* bytes of JSON mapped */
#define PM_PROVMAP_MAX_LIST  20         /* items of a list written (pulses, ports, ...) */
#define PM_PROVMAP_MAX_STR   200        /* bytes of one string written */
#define PM_PROVMAP_MAX_DEPTH 32         /* JSON nesting accepted */

/* What the score reads from the answers; -1 (or false) where a provider said nothing. */
struct pm_prov_signals {
	int64_t otx_pulses;    /* OTX pulse_info.count */
	bool gn_malicious;     /* GreyNoise classification "malicious" */
	bool gn_benign;        /* classification "benign", or in RIOT */
	bool gn_noise;         /* seen scanning the internet */
	int64_t abuse_score;   /* AbuseIPDB abuseConfidenceScore, 0..100 */
	int64_t abuse_reports; /* totalReports */
	int64_t vt_malicious;  /* VirusTotal last_analysis_stats.malicious */
	int64_t vt_suspicious; /* last_analysis_stats.suspicious */
	int64_t shodan_vulns;  /* entries in Shodan's vulns */
};

/* Every signal unset (-1 / false). */
void pm_prov_signals_init(struct pm_prov_signals *s);

/*
 * Map provider p's answer (HTTP status 200 or 404, and the n bytes of body)
 * into members of the object open in w (w may be NULL: signals only) and
 * into *sig (may be NULL). 404 means "not known": greynoise writes found
 * false, the others nothing. Returns 0, or PM_E_MALFORMED when a 200 body
 * is not a JSON object (nothing written then), PM_E_LIMIT when it exceeds
 * PM_PROVMAP_MAX_BODY or the depth cap, PM_E_NOMEM.
 */
PM_MUST_CHECK int pm_provmap(enum pm_provider p, int status, const uint8_t *body, size_t n,
                             struct pm_json *w, struct pm_prov_signals *sig);

/*
 * Find the RDAP base URL for the address (network order, IPv4 in the first
 * 4 bytes when is_v4) in the n bytes of an IANA bootstrap file
 * ({"services": [[["prefix/len", ...], ["url", ...]], ...]}): the longest
 * matching prefix, and of its URLs the first https one, written to url (cap
 * bytes) with a trailing '/'. Returns 1 found, 0 not listed, or
 * PM_E_MALFORMED / PM_E_LIMIT / PM_E_NOMEM for a bad file.
 */
PM_MUST_CHECK int pm_rdap_bootstrap_find(const uint8_t *body, size_t n, const uint8_t addr[16],
                                         bool is_v4, char *url, size_t cap);

#endif /* PM_PROVMAP_H */

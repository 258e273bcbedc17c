/* SPDX-License-Identifier: MIT */
/*
 * enrich.h - "who is this address": its kind (public, private, reserved),
 * country and city, ASN and owner from local MaxMind-format databases
 * (PCAPMCP_GEOIP_DB, PCAPMCP_ASN_DB), the state of each threat-intel
 * provider, and a 0-100 threat score with the rationale for it.
 *
 pm_enrich_ip is offline: it opens no socket. pm_enrich_query then asks
 * the providers (GreyNoise, OTX, AbuseIPDB, VirusTotal, Shodan, RDAP;
 * providers.h) unless the configuration is offline or the address was
 * skipped; each is reported "offline" under PCAPMCP_OFFLINE,
 * "not_configured" without its key, else its answer's status.
 *
 * The databases are opened once per process and path, behind a mutex, and
 * reopened when the file changes (size or mtime).
 */
#ifndef PM_ENRICH_H
#define PM_ENRICH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"
#include "providers.h" /* struct pm_prov_answer */

struct pm_config;
struct pm_json;

#define PM_ENRICH_MAX_IPS    50 /* addresses one correlate call takes */
#define PM_ENRICH_MAX_REASON 8  /* rationale rows one score keeps */

enum pm_ip_kind {
	PM_IP_PUBLIC = 0,
	PM_IP_PRIVATE,  /* RFC 1918, CGNAT, loopback, link-local, ULA */
	PM_IP_RESERVED, /* unspecified, documentation, benchmark, multicast, future use */
};

/* An address, IPv4-mapped IPv6 folded to IPv4. */
struct pm_ip {
	uint8_t addr[16]; /* network order; IPv4 in the first 4 bytes */
	bool is_v4;
	char text[48]; /* canonical text (dotted quad, RFC 5952) */
};

/* What the offline lookup found for one address. */
struct pm_enrichment {
	struct pm_ip ip;
	enum pm_ip_kind kind;
	const char *range; /* static: "rfc1918", "loopback", ...; NULL for public */
	bool skipped;      /* private or reserved, and not allowed: nothing looked up */
	bool geo_enabled;  /* a geo database is configured and opened */
	char country[8];   /* ISO 3166 code, "" when unknown */
	char country_name[64];
	char city[64];
	char geo_source[64]; /* database_type of the geo database, "" when none */
	bool asn_found;
	uint32_t asn;
	char asn_org[128];
	char asn_source[64];
	char geo_error[128]; /* why the geo database is not used, "" when it is (or unset) */
	char asn_error[128];
	bool queried; /* pm_enrich_query asked the providers */
	struct pm_prov_answer
	    prov[PM_PROV_COUNT]; /* their answers; bodies owned (pm_enrich_free) */
};

/* One line of a score's rationale. */
struct pm_score_reason {
	const char *signal; /* static: "private_address", "scan_suspect", ... */
	int points;         /* what it added (may be 0) */
	char detail[96];
};

struct pm_score {
	int score; /* 0..100 */
	size_t n;
	struct pm_score_reason why[PM_ENRICH_MAX_REASON];
};

/*
 * Parse an IPv4 or IPv6 address (IPv4-mapped folded to IPv4) into *ip.
 * Returns false when s is not an address.
 */
bool pm_ip_parse(const char *s, struct pm_ip *ip);

/* The kind of ip and, for private and reserved ones, the range's name (static). */
enum pm_ip_kind pm_ip_classify(const struct pm_ip *ip, const char **range);

/* "public", "private", "reserved". */
const char *pm_ip_kind_name(enum pm_ip_kind k);

/*
 * Enrich ip offline into *out: classify it; unless it is private or
 * reserved and cfg->allow_private is off, look it up in the configured
 * databases. A missing or bad database is not an error: it is reported in
 * geo_error / asn_error. Never opens a socket. Returns 0 or PM_E_NOMEM.
 */
PM_MUST_CHECK int pm_enrich_ip(const struct pm_config *cfg, const struct pm_ip *ip,
                               struct pm_enrichment *out);

/*
 * Ask the threat-intel providers about r's address (pm_providers_query),
 * unless cfg is offline or r was skipped. Opens sockets; takes at most
 * cfg->enrich_timeout_ms. pm_enrich_free releases the answers.
 */
void pm_enrich_query(const struct pm_config *cfg, struct pm_enrichment *r);

/* Free what pm_enrich_query kept in r (the answers' bodies). */
void pm_enrich_free(struct pm_enrichment *r);

/*
 * Score r from 0 to 100: being a scan suspect in the capture adds 10 to 40
 * whatever the address (scan_score is list_suspects's score, < 0 when
 * none); for a public address, the providers' signals add theirs:
 * GreyNoise malicious 30 (seen scanning 10, benign or RIOT 0), OTX 5 per
 * pulse up to 25, AbuseIPDB its confidence score times 0.3 (up to 30),
 * VirusTotal 5 per malicious and 2 per suspicious engine up to 30, Shodan
 * 2 per known vulnerability up to 10; the sum is capped at 100. The
 * rationale lists every signal considered, with the points it added.
 */
void pm_enrich_score(const struct pm_enrichment *r, double scan_score, struct pm_score *out);

/*
 * Write the members of the "enrichment" object (PortHunter's contract: ip,
 * kind, range, skipped, reason, asn, geo, otx, greynoise, abuseipdb,
 * virustotal, shodan, rdap, sources, cached, offline) to the object open in w.
 */
void pm_enrich_write(const struct pm_config *cfg, const struct pm_enrichment *r, struct pm_json *w);

/* Write the members of a score object (score, rationale) to the object open in w. */
void pm_enrich_write_score(const struct pm_score *s, struct pm_json *w);

/* Close the databases pm_enrich_ip opened (tests, and the end of a process). */
void pm_enrich_reset(void);

#endif /* PM_ENRICH_H */

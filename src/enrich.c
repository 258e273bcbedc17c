/* SPDX-License-Identifier: MIT */
/*
 * enrich.c - address kinds, offline geo and ASN lookups, provider states,
 * the threat score, and the enrichment object.
 */
#include "enrich.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "addr.h"
#include "json.h"
#include "mmdb.h"
#include "provmap.h"
#include "sandbox.h"

/*
 * Special-purpose ranges (RFC 6890 and the IANA registries). The first
 * match wins, so narrower ranges come before the ones that contain them.
 */
struct range {
	uint8_t prefix[16];
	unsigned bits;
	enum pm_ip_kind kind;
	const char *name;
};

static const struct range v4_ranges[] = {
	{ { 0 }, 8, PM_IP_RESERVED, "this_network" },                /* RFC 1122 */
	{ { 10 }, 8, PM_IP_PRIVATE, "rfc1918" },                     /* RFC 1918 */
	{ { 100, 64 }, 10, PM_IP_PRIVATE, "cgnat" },                 /* RFC 6598 */
	{ { 127 }, 8, PM_IP_PRIVATE, "loopback" },                   /* RFC 1122 */
	{ { 169, 254 }, 16, PM_IP_PRIVATE, "link_local" },           /* RFC 3927 */
	{ { 172, 16 }, 12, PM_IP_PRIVATE, "rfc1918" },               /* RFC 1918 */
	{ { 192, 0, 0 }, 24, PM_IP_RESERVED, "ietf_protocol" },      /* RFC 6890 */
	{ { 192, 0, 2 }, 24, PM_IP_RESERVED, "documentation" },      /* RFC 5737 */
	{ { 192, 168 }, 16, PM_IP_PRIVATE, "rfc1918" },              /* RFC 1918 */
	{ { 198, 18 }, 15, PM_IP_RESERVED, "benchmark" },            /* RFC 2544 */
	{ { 198, 51, 100 }, 24, PM_IP_RESERVED, "documentation" },   /* RFC 5737 */
	{ { 203, 0, 113 }, 24, PM_IP_RESERVED, "documentation" },    /* RFC 5737 */
	{ { 224 }, 4, PM_IP_RESERVED, "multicast" },                 /* RFC 5771 */
	{ { 255, 255, 255, 255 }, 32, PM_IP_RESERVED, "broadcast" }, /* RFC 919 */
	{ { 240 }, 4, PM_IP_RESERVED, "future_use" },                /* RFC 1112 */
};

static const struct range v6_ranges[] = {
	{ { 0 }, 128, PM_IP_RESERVED, "unspecified" },                       /* RFC 4291 */
	{ { [15] = 1 }, 128, PM_IP_PRIVATE, "loopback" },                    /* RFC 4291 */
	{ { 0x01 }, 64, PM_IP_RESERVED, "discard" },                         /* RFC 6666 */
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, PM_IP_RESERVED, "documentation" }, /* RFC 3849 */
	{ { 0x20, 0x01 }, 23, PM_IP_RESERVED, "ietf_protocol" },             /* RFC 2928 */
	{ { 0xfc }, 7, PM_IP_PRIVATE, "ula" },                               /* RFC 4193 */
	{ { 0xfe, 0x80 }, 10, PM_IP_PRIVATE, "link_local" },                 /* RFC 4291 */
	{ { 0xff }, 8, PM_IP_RESERVED, "multicast" },                        /* RFC 4291 */
};

static bool
in_range(const uint8_t *addr, const struct range *r)
{
	for (unsigned i = 0; i < r->bits; i++) {
		unsigned byte = i >> 3, shift = 7u - (i & 7u);
		if (((addr[byte] ^ r->prefix[byte]) >> shift & 1u) != 0) {
			return false;
		}
	}
	return true;
}

/* see enrich.h */
bool
pm_ip_parse(const char *s, struct pm_ip *ip)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	memset(ip, 0, sizeof(*ip));
	int ver = pm_addr_parse(s, ip->addr);
	if (ver == 0) {
		return false;
	}
	ip->is_v4 = ver == 4;
	if (!ip->is_v4 && memcmp(ip->addr, mapped, sizeof(mapped)) == 0) {
		memmove(ip->addr, ip->addr + 12, 4);
		memset(ip->addr + 4, 0, 12);
		ip->is_v4 = true;
	}
	pm_addr_str(ip->addr, ip->is_v4 ? 4 : 6, ip->text);
	return true;
}

/* see enrich.h */
enum pm_ip_kind
pm_ip_classify(const struct pm_ip *ip, const char **range)
{
	const struct range *t = ip->is_v4 ? v4_ranges : v6_ranges;
	size_t n = ip->is_v4 ? PM_ARRAY_LEN(v4_ranges) : PM_ARRAY_LEN(v6_ranges);
	*range = NULL;
	for (size_t i = 0; i < n; i++) {
		if (in_range(ip->addr, &t[i])) {
			*range = t[i].name;
			return t[i].kind;
		}
	}
	return PM_IP_PUBLIC;
}

/* see enrich.h */
const char *
pm_ip_kind_name(enum pm_ip_kind k)
{
	return k == PM_IP_PRIVATE ? "private" : k == PM_IP_RESERVED ? "reserved" : "public";
}

/*
 * The databases, opened once per process and path. A lookup holds the
 * mutex: the reader is fast and the server handles one call at a time.
 */
struct open_db {
	char path[4096];
	off_t size;
	struct timespec mtime;
	struct pm_mmdb db;
	bool ok;
	char error[128];
};

static pthread_mutex_t dbs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct open_db dbs[2]; /* [0] geo, [1] asn */

/* The database at path in slot, opened or reopened as needed; NULL with *error set. */
static const struct pm_mmdb *
db_get(struct open_db *slot, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		pm_mmdb_close(&slot->db);
		slot->ok = false;
		slot->path[0] = '\0';
		snprintf(slot->error, sizeof(slot->error), "cannot open the database");
		return NULL;
	}
	if (strcmp(slot->path, path) != 0 || slot->size != st.st_size ||
	    slot->mtime.tv_sec != st.st_mtim.tv_sec || slot->mtime.tv_nsec != st.st_mtim.tv_nsec) {
		struct pm_error err = { 0 };
		pm_mmdb_close(&slot->db);
		snprintf(slot->path, sizeof(slot->path), "%s", path);
		slot->size = st.st_size;
		slot->mtime = st.st_mtim;
		slot->ok = pm_mmdb_open_file(path, &slot->db, &err) == 0;
		snprintf(slot->error, sizeof(slot->error), "%s", slot->ok ? "" : err.msg);
	}
	return slot->ok ? &slot->db : NULL;
}

/*
 * The entry for ip in db: 1 found (*off), 0 not, <0 bad tree. source gets
 * the database's type and, on error, error what went wrong (64 and 128 bytes).
 */
static int
db_find(const struct pm_mmdb *db, const struct pm_ip *ip, size_t *off, char source[64],
        char error[128])
{
	struct pm_mmdb_hit hit;
	struct pm_error err = { 0 };
	snprintf(source, 64, "%s", db->type);
	*off = 0;
	if (pm_mmdb_lookup(db, ip->addr, ip->is_v4, &hit, &err) != 0) {
		snprintf(error, 128, "%s", err.msg);
		return -1;
	}
	*off = hit.off;
	return hit.found ? 1 : 0;
}

static void
lookup_geo(const struct pm_mmdb *db, struct pm_enrichment *out)
{
	static const char *const iso[] = { "country", "iso_code", NULL };
	static const char *const reg[] = { "registered_country", "iso_code", NULL };
	static const char *const cname[] = { "country", "names", "en", NULL };
	static const char *const city[] = { "city", "names", "en", NULL };
	size_t off;
	if (db_find(db, &out->ip, &off, out->geo_source, out->geo_error) != 1) {
		return;
	}
	/* GeoLite2 or DB-IP, country or city; an anycast range may carry only the registry's country. */
	if (pm_mmdb_get_str(&db->data, off, iso, out->country, sizeof(out->country)) != 1) {
		(void)!pm_mmdb_get_str(&db->data, off, reg, out->country, sizeof(out->country));
	}
	(void)!pm_mmdb_get_str(&db->data, off, cname, out->country_name, sizeof(out->country_name));
	(void)!pm_mmdb_get_str(&db->data, off, city, out->city, sizeof(out->city));
}

static void
lookup_asn(const struct pm_mmdb *db, struct pm_enrichment *out)
{
	static const char *const num[] = { "autonomous_system_number", NULL };
	static const char *const org[] = { "autonomous_system_organization", NULL };
	struct pm_mmdb_val v;
	size_t off;
	if (db_find(db, &out->ip, &off, out->asn_source, out->asn_error) == 1 &&
	    pm_mmdb_get(&db->data, off, num, &v) == 1 &&
	    (v.type == PM_MMDB_UINT32 || v.type == PM_MMDB_UINT16) && v.u <= UINT32_MAX) {
		out->asn_found = true;
		out->asn = (uint32_t)v.u;
		(void)!pm_mmdb_get_str(&db->data, off, org, out->asn_org, sizeof(out->asn_org));
	}
}

/* see enrich.h */
int
pm_enrich_ip(const struct pm_config *cfg, const struct pm_ip *ip, struct pm_enrichment *out)
{
	memset(out, 0, sizeof(*out));
	out->ip = *ip;
	out->kind = pm_ip_classify(ip, &out->range);
	/* sandbox.c reads PCAPMCP_ALLOW_PRIVATE, else PortHunter's PORT_HUNTER_ALLOW_PRIVATE. */
	if (out->kind != PM_IP_PUBLIC && !cfg->allow_private) {
		out->skipped = true;
		return 0;
	}
	pthread_mutex_lock(&dbs_lock);
	if (cfg->geoip_db[0] != '\0') {
		const struct pm_mmdb *db = db_get(&dbs[0], cfg->geoip_db);
		out->geo_enabled = db != NULL;
		if (db != NULL) {
			lookup_geo(db, out);
		} else {
			snprintf(out->geo_error, sizeof(out->geo_error), "%s", dbs[0].error);
		}
	}
	if (cfg->asn_db[0] != '\0') {
		const struct pm_mmdb *db = db_get(&dbs[1], cfg->asn_db);
		if (db != NULL) {
			lookup_asn(db, out);
		} else {
			snprintf(out->asn_error, sizeof(out->asn_error), "%s", dbs[1].error);
		}
	}
	pthread_mutex_unlock(&dbs_lock);
	return 0;
}

/* see enrich.h */
void
pm_enrich_reset(void)
{
	pthread_mutex_lock(&dbs_lock);
	for (size_t i = 0; i < PM_ARRAY_LEN(dbs); i++) {
		pm_mmdb_close(&dbs[i].db);
		memset(&dbs[i], 0, sizeof(dbs[i]));
	}
	pthread_mutex_unlock(&dbs_lock);
}

static void
add_reason(struct pm_score *s, const char *signal, int points, const char *detail)
{
	if (s->n < PM_ENRICH_MAX_REASON) {
		struct pm_score_reason *r = &s->why[s->n++];
		r->signal = signal;
		r->points = points;
		snprintf(r->detail, sizeof(r->detail), "%s", detail);
	}
	s->score += points;
}

/* see enrich.h */
void
pm_enrich_query(const struct pm_config *cfg, struct pm_enrichment *r)
{
	if (cfg->offline || r->skipped) {
		return;
	}
	pm_providers_query(cfg, r->ip.text, r->ip.addr, r->ip.is_v4, r->prov);
	r->queried = true;
}

/* see enrich.h */
void
pm_enrich_free(struct pm_enrichment *r)
{
	pm_prov_answers_free(r->prov);
}

/* v clamped to 0..cap. */
static int
clamp(int64_t v, int64_t cap)
{
	return (int)(v > cap ? cap : v < 0 ? 0 : v);
}

/* One provider's signals into s (see enrich.h for the points). */
static void
score_one(enum pm_provider p, const struct pm_prov_signals *g, struct pm_score *s)
{
	char d[96];
	switch (p) {
	case PM_PROV_GREYNOISE:
		snprintf(d, sizeof(d), "GreyNoise: %s",
		         g->gn_malicious ? "classified malicious"
		         : g->gn_benign  ? "benign or a known business service (RIOT)"
		         : g->gn_noise   ? "seen scanning the internet"
		                         : "nothing notable");
		add_reason(s, "greynoise",
		           g->gn_malicious                ? 30
		           : g->gn_noise && !g->gn_benign ? 10
		                                          : 0,
		           d);
		break;
	case PM_PROV_OTX:
		snprintf(d, sizeof(d), "OTX: %d pulses", clamp(g->otx_pulses, INT32_MAX));
		add_reason(s, "otx", clamp(clamp(g->otx_pulses, 100) * 5, 25), d);
		break;
	case PM_PROV_ABUSEIPDB:
		snprintf(d, sizeof(d), "AbuseIPDB: confidence %d%%, %d reports",
		         clamp(g->abuse_score, 100), clamp(g->abuse_reports, INT32_MAX));
		add_reason(s, "abuseipdb", clamp(g->abuse_score, 100) * 3 / 10, d);
		break;
	case PM_PROV_VIRUSTOTAL:
		snprintf(d, sizeof(d), "VirusTotal: %d malicious, %d suspicious engines",
		         clamp(g->vt_malicious, INT32_MAX), clamp(g->vt_suspicious, INT32_MAX));
		add_reason(
		    s, "virustotal",
		    clamp(clamp(g->vt_malicious, 100) * 5 + clamp(g->vt_suspicious, 100) * 2, 30),
		    d);
		break;
	case PM_PROV_SHODAN:
		snprintf(d, sizeof(d), "Shodan: %d known vulnerabilities",
		         clamp(g->shodan_vulns, INT32_MAX));
		add_reason(s, "shodan", clamp(clamp(g->shodan_vulns, 100) * 2, 10), d);
		break;
	case PM_PROV_RDAP:
	case PM_PROV_COUNT:
		break;
	}
}

/* The providers' signals into s; false when no threat-intel provider answered with data. */
static bool
score_intel(const struct pm_enrichment *r, struct pm_score *s)
{
	bool any = false;
	for (size_t i = 0; r->queried && i < PM_PROV_COUNT; i++) {
		const struct pm_prov_answer *a = &r->prov[i];
		struct pm_prov_signals g;
		/* RDAP is registration data: it carries no threat signal. */
		if (i == PM_PROV_RDAP || a->status != PM_PS_OK ||
		    pm_provmap((enum pm_provider)i, 200, a->body, a->body_len, NULL, &g) != 0) {
			continue;
		}
		any = true;
		score_one((enum pm_provider)i, &g, s);
	}
	return any;
}

/* see enrich.h */
void
pm_enrich_score(const struct pm_enrichment *r, double scan_score, struct pm_score *out)
{
	memset(out, 0, sizeof(*out));
	/* What the capture itself shows counts for every address; intel only for public ones. */
	if (scan_score >= 0) {
		/* list_suspects's score grows with targets and rate; 100 and up is a busy scanner. */
		int pts = scan_score >= 100 ? 40 : (int)(scan_score * 0.4) + 10;
		char d[96];
		snprintf(d, sizeof(d), "scan suspect in the capture (score %.1f)", scan_score);
		add_reason(out, "scan_suspect", pts > 40 ? 40 : pts, d);
	}
	if (r->kind != PM_IP_PUBLIC) {
		add_reason(out, "non_public_address", 0,
		           r->kind == PM_IP_PRIVATE ? "a private address: no threat intel"
		                                    : "a reserved address: no threat intel");
	} else if (!score_intel(r, out)) {
		add_reason(out, "threat_intel", 0,
		           "no provider data (offline, not configured or unavailable)");
	}
	if (out->score > 100) {
		out->score = 100;
	}
}

/* How an answer's transport fields are written: cached, http_status, retry_after. */
static void
write_answer_head(const struct pm_prov_answer *a, struct pm_json *w)
{
	pm_json_kbool(w, "cached", a->cached);
	if (a->http_status != 0) {
		pm_json_ki64(w, "http_status", a->http_status);
	}
	if (a->status == PM_PS_RATE_LIMITED) {
		pm_json_key(w, "retry_after");
		if (a->retry_after >= 0) {
			pm_json_i64(w, a->retry_after);
		} else {
			pm_json_null(w);
		}
	}
}

static void
write_provider(const struct pm_config *cfg, const struct pm_enrichment *r, enum pm_provider p,
               struct pm_json *w)
{
	const struct pm_prov_answer *a = &r->prov[p];
	bool asked = r->queried && a->status != PM_PS_NOT_QUERIED;
	const char *status = "unavailable";
	const char *msg =
	    r->skipped ? "a private or reserved address is not sent to providers" : "not queried";
	pm_json_key(w, pm_prov_name(p));
	pm_json_obj_begin(w);
	pm_json_kbool(w, "enabled", asked);
	if (cfg->offline) {
		status = "offline";
		msg = "PCAPMCP_OFFLINE: no network, local databases only";
	} else if (!pm_prov_configured(cfg, p)) {
		status = "not_configured";
		msg = cfg->prov_key_var[p]; /* the variable to set; never its value */
	} else if (asked) {
		status = pm_prov_status_name(a->status);
		msg = a->message[0] != '\0' ? a->message : NULL;
	}
	pm_json_kstr(w, "status", status);
	pm_json_kstr(w, "message", msg);
	if (asked) {
		write_answer_head(a, w);
	}
	if (asked && (a->status == PM_PS_OK || a->status == PM_PS_NOT_FOUND)) {
		(void)!pm_provmap(p, a->status == PM_PS_OK ? 200 : 404, a->body, a->body_len, w,
		                  NULL);
	}
	pm_json_obj_end(w);
}

/* see enrich.h */
void
pm_enrich_write(const struct pm_config *cfg, const struct pm_enrichment *r, struct pm_json *w)
{
	pm_json_kstr(w, "ip", r->ip.text);
	pm_json_kstr(w, "kind", pm_ip_kind_name(r->kind));
	pm_json_kstr(w, "range", r->range);
	pm_json_kbool(w, "skipped", r->skipped);
	pm_json_kstr(w, "reason", r->skipped ? "private_ip" : NULL);
	pm_json_key(w, "asn");
	pm_json_obj_begin(w);
	if (r->asn_found) {
		pm_json_ku64(w, "asn", r->asn);
	} else {
		pm_json_kstr(w, "asn", NULL);
	}
	pm_json_kstr(w, "org", r->asn_org[0] != '\0' ? r->asn_org : NULL);
	pm_json_kstr(w, "source", r->asn_source[0] != '\0' ? r->asn_source : NULL);
	pm_json_kstr(w, "error", r->asn_error[0] != '\0' ? r->asn_error : NULL);
	pm_json_obj_end(w);
	pm_json_key(w, "geo");
	pm_json_obj_begin(w);
	pm_json_kbool(w, "enabled", r->geo_enabled);
	pm_json_kstr(w, "country", r->country[0] != '\0' ? r->country : NULL);
	pm_json_kstr(w, "country_name", r->country_name[0] != '\0' ? r->country_name : NULL);
	pm_json_kstr(w, "city", r->city[0] != '\0' ? r->city : NULL);
	pm_json_kstr(w, "source", r->geo_source[0] != '\0' ? r->geo_source : NULL);
	pm_json_kstr(w, "error", r->geo_error[0] != '\0' ? r->geo_error : NULL);
	pm_json_obj_end(w);
	bool cached = false;
	for (size_t i = 0; i < PM_PROV_COUNT; i++) {
		write_provider(cfg, r, (enum pm_provider)i, w);
		cached = cached || (r->queried && r->prov[i].cached);
	}
	pm_json_key(w, "sources");
	pm_json_arr_begin(w);
	if (r->geo_enabled && r->country[0] != '\0') {
		pm_json_str(w, "geoip_db");
	}
	if (r->asn_found) {
		pm_json_str(w, "asn_db");
	}
	for (size_t i = 0; r->queried && i < PM_PROV_COUNT; i++) {
		if (r->prov[i].status == PM_PS_OK) {
			pm_json_str(w, pm_prov_name((enum pm_provider)i));
		}
	}
	pm_json_arr_end(w);
	pm_json_kbool(w, "cached", cached);
	pm_json_kbool(w, "offline", cfg->offline);
}

/* see enrich.h */
void
pm_enrich_write_score(const struct pm_score *s, struct pm_json *w)
{
	pm_json_ki64(w, "score", s->score);
	pm_json_key(w, "rationale");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < s->n; i++) {
		pm_json_obj_begin(w);
		pm_json_kstr(w, "signal", s->why[i].signal);
		pm_json_ki64(w, "points", s->why[i].points);
		pm_json_kstr(w, "detail", s->why[i].detail);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
}

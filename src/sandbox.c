/* SPDX-License-Identifier: MIT */
/*
 * sandbox.c - configuration from the environment, capture-path checks and
 * the token comparison.
 *
 * Paths are judged after realpath(), by whole components, and the file that
 * is opened is checked to be the one that was stat()ed. This file does not
 * parse captures beyond their 4-byte magic (capture.c does) and does not
 * create the cache directory (the enrichment cache does). References:
 * POSIX.1-2008 realpath(), open() O_NOFOLLOW; pcap-savefile(5); pcapng SHB.
 */
#define _DEFAULT_SOURCE /* realpath(); NOLINT(bugprone-reserved-identifier) */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cursor.h"
#include "json.h"
#include "reasm.h"

#define PCAP_MAGIC_US  0xa1b2c3d4u /* pcap-savefile(5) */
#define PCAP_MAGIC_NS  0xa1b23c4du /* pcap-savefile(5), nanosecond variant */
#define PCAP_MAGIC_MOD 0xa1b2cd34u /* Kuznetzov's modified pcap */
#define PCAPNG_MAGIC   0x0a0d0d0au /* pcapng SHB block type; a palindrome */

/*
 * Configuration.
 */

/* An empty value counts as unset, as MCP client configs often carry "". */
static const char *
env_get(char *const *envp, const char *name)
{
	const char *v = NULL;
	size_t n = strlen(name);
	if (envp == NULL) {
		v = getenv(name);
	}
	for (; envp != NULL && *envp != NULL && v == NULL; envp++) {
		if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=') {
			v = *envp + n + 1;
		}
	}
	return v != NULL && *v != '\0' ? v : NULL;
}

/* The PCAPMCP_ value, else the alias's; *used names the variable read so messages can cite it. */
static const char *
env_pick(char *const *envp, const char *name, const char *alias, const char **used)
{
	const char *v = env_get(envp, name);
	*used = name;
	if (v == NULL && alias != NULL) {
		v = env_get(envp, alias);
		*used = alias;
	}
	return v;
}

static int
copy_value(char dst[PATH_MAX], const char *name, const char *v, struct pm_error *err)
{
	size_t n = strlen(v);
	if (n >= PATH_MAX) {
		/* The value is not quoted: it may be the token. */
		return pm_error_set(err, PM_E_LIMIT, 0, "%s is longer than %d bytes; shorten it",
		                    name, PATH_MAX - 1);
	}
	memcpy(dst, v, n + 1);
	return 0;
}

static bool
parse_bool(const char *s, bool *out)
{
	static const struct {
		const char *word;
		bool value;
	} words[] = {
		{ "true", true },   { "1", true },  { "yes", true },
		{ "false", false }, { "0", false }, { "no", false },
	};
	for (size_t i = 0; i < PM_ARRAY_LEN(words); i++) {
		if (strcasecmp(s, words[i].word) == 0) {
			*out = words[i].value;
			return true;
		}
	}
	return false;
}

static int
load_bool(char *const *envp, const char *name, const char *alias, bool *out, struct pm_error *err)
{
	const char *used;
	const char *v = env_pick(envp, name, alias, &used);
	*out = false;
	if (v != NULL && !parse_bool(v, out)) {
		return pm_error_set(
		    err, PM_E_MALFORMED, 0,
		    "%s=\"%.24s\" is not a boolean; use true, false, 1, 0, yes or no", used, v);
	}
	return 0;
}

/* Digits only: strtoull would take signs, spaces and "0x", and wrap. */
static bool
parse_mb(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	for (const char *p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9') {
			return false;
		}
		unsigned d = (unsigned)(*p - '0');
		if (v > (PM_CONFIG_MAX_MB - d) / 10) {
			return false;
		}
		v = v * 10 + d;
	}
	*out = v;
	return v != 0;
}

/*
 * PortHunter's "0.5": digits, '.', up to 6 digits, as exact bytes (rounded
 * up) and MiB (rounded up). Whole numbers go through parse_mb.
 */
static bool
parse_mb_fraction(const char *s, uint64_t *mb, uint64_t *bytes)
{
	const char *dot = strchr(s, '.');
	char whole[32];
	size_t wn = dot != NULL ? (size_t)(dot - s) : strlen(s);
	if (dot == NULL || wn >= sizeof(whole) || dot[1] == '\0' || strlen(dot + 1) > 6 ||
	    strspn(dot + 1, "0123456789") != strlen(dot + 1)) {
		return false;
	}
	memcpy(whole, s, wn);
	whole[wn] = '\0';
	uint64_t w = 0, frac = 0, scale = 1;
	if ((wn != 0 && !parse_mb(whole, &w) && strspn(whole, "0") != wn) || w > (1ull << 40)) {
		return false;
	}
	for (const char *p = dot + 1; *p != '\0'; p++) {
		frac = frac * 10 + (uint64_t)(*p - '0');
		scale *= 10;
	}
	*bytes = (w << 20) + ((frac << 20) + scale - 1) / scale;
	*mb = (*bytes + (1u << 20) - 1) >> 20;
	return *bytes != 0;
}

static int
load_max_mb(struct pm_config *c, char *const *envp, struct pm_error *err)
{
	const char *used;
	const char *v = env_pick(envp, "PCAPMCP_MAX_FILE_MB", "PORT_HUNTER_MAX_PCAP_MB", &used);
	c->max_file_mb = PM_CONFIG_DEFAULT_MAX_MB;
	c->max_mb_var = v != NULL ? used : "PCAPMCP_MAX_FILE_MB";
	bool ph = strcmp(c->max_mb_var, "PORT_HUNTER_MAX_PCAP_MB") == 0;
	if (v != NULL && !parse_mb(v, &c->max_file_mb) &&
	    !(ph && parse_mb_fraction(v, &c->max_file_mb, &c->max_file_bytes))) {
		return pm_error_set(err, PM_E_MALFORMED, 0,
		                    "%s=\"%.24s\" is not a positive %s of MiB; use e.g. %s", used,
		                    v, ph ? "number" : "whole number", ph ? "50 or 0.5" : "4096");
	}
	return 0;
}

static int
load_result_chars(struct pm_config *c, char *const *envp, struct pm_error *err)
{
	const char *v = env_get(envp, "PCAPMCP_MAX_RESULT_CHARS");
	uint64_t n = PM_CONFIG_DEFAULT_RESULT_CHARS;
	if (v != NULL && (!parse_mb(v, &n) || n < PM_CONFIG_MIN_RESULT_CHARS || n > (1u << 30))) {
		return pm_error_set(err, PM_E_MALFORMED, 0,
		                    "PCAPMCP_MAX_RESULT_CHARS=\"%.24s\" is not a whole number from "
		                    "%u to %u; use e.g. %u",
		                    v, PM_CONFIG_MIN_RESULT_CHARS, 1u << 30,
		                    PM_CONFIG_DEFAULT_RESULT_CHARS);
	}
	c->max_result_chars = (size_t)n;
	return 0;
}

/* A whole number in [lo, hi] from name, or dflt when unset. */
static int
load_range(char *const *envp, const char *name, uint64_t lo, uint64_t hi, uint32_t dflt,
           uint32_t *out, struct pm_error *err)
{
	const char *v = env_get(envp, name);
	uint64_t n = dflt;
	if (v != NULL && (!parse_mb(v, &n) || n < lo || n > hi)) {
		return pm_error_set(
		    err, PM_E_MALFORMED, 0,
		    "%s=\"%.24s\" is not a whole number from %llu to %llu; use e.g. %u", name, v,
		    (unsigned long long)lo, (unsigned long long)hi, dflt);
	}
	*out = (uint32_t)n;
	return 0;
}

static int
load_dir(struct pm_config *c, char *const *envp, struct pm_error *err)
{
	const char *used;
	const char *v = env_pick(envp, "PCAPMCP_ALLOWED_DIR", "PORT_HUNTER_ALLOWED_DIR", &used);
	struct stat st;
	c->dir_var = v != NULL ? used : "PCAPMCP_ALLOWED_DIR";
	if (v == NULL) {
		v = "."; /* the working directory at start */
	}
	if (strlen(v) >= PATH_MAX) {
		return copy_value(c->allowed_dir, used, v, err);
	}
	if (realpath(v, c->allowed_dir) == NULL || stat(c->allowed_dir, &st) != 0) {
		return pm_error_set(err, PM_E_IO, 0,
		                    "%s=\"%.40s\": %s; set it to an existing directory", used, v,
		                    strerror(errno));
	}
	if (!S_ISDIR(st.st_mode)) {
		return pm_error_set(err, PM_E_IO, 0,
		                    "%s=\"%.40s\" is not a directory; set it to one", used, v);
	}
	return 0;
}

static int
load_token(struct pm_config *c, char *const *envp, struct pm_error *err)
{
	const char *used, *req_used;
	const char *v = env_pick(envp, "PCAPMCP_TOKEN", "PORT_HUNTER_TOKEN", &used);
	int rc = v != NULL ? copy_value(c->token, used, v, err) : 0;
	if (rc != 0) {
		return rc;
	}
	c->token_set = c->token[0] != '\0';
	c->token_var = v != NULL ? used : "PCAPMCP_TOKEN";
	const char *req =
	    env_pick(envp, "PCAPMCP_REQUIRE_TOKEN", "PORT_HUNTER_REQUIRE_TOKEN", &req_used);
	c->require_var = req != NULL ? req_used : "PCAPMCP_REQUIRE_TOKEN";
	rc = load_bool(envp, "PCAPMCP_REQUIRE_TOKEN", "PORT_HUNTER_REQUIRE_TOKEN",
	               &c->require_token, err);
	/* PortHunter requires its token unless told otherwise. */
	if (rc == 0 && req == NULL && env_get(envp, "PORT_HUNTER_TOKEN") != NULL) {
		c->require_token = true;
		c->require_var = "PORT_HUNTER_TOKEN";
	}
	if (rc == 0 && c->require_token && !c->token_set) {
		/* Failing open (no check) or closed (refuse all) would both surprise. */
		bool ph = strcmp(req_used, "PORT_HUNTER_REQUIRE_TOKEN") == 0;
		return pm_error_set(err, PM_E_MALFORMED, 0,
		                    "%s is true but no token is set; set %s or turn the "
		                    "requirement off",
		                    req_used, ph ? "PORT_HUNTER_TOKEN" : "PCAPMCP_TOKEN");
	}
	return rc;
}

static int
load_cache_dir(struct pm_config *c, char *const *envp, struct pm_error *err)
{
	const char *xdg = env_get(envp, "XDG_CACHE_HOME");
	const char *home = env_get(envp, "HOME");
	const char *v = env_get(envp, "PCAPMCP_CACHE_DIR");
	int n = 0;
	if (v != NULL) {
		return copy_value(c->cache_dir, "PCAPMCP_CACHE_DIR", v, err);
	}
	/* The XDG Base Directory spec says to ignore a relative XDG_CACHE_HOME. */
	if (xdg != NULL && xdg[0] == '/') {
		n = snprintf(c->cache_dir, PATH_MAX, "%s/pcapmcp", xdg);
	} else if (home != NULL) {
		n = snprintf(c->cache_dir, PATH_MAX, "%s/.cache/pcapmcp", home);
	}
	if (n < 0 || n >= PATH_MAX) {
		c->cache_dir[0] = '\0';
		return pm_error_set(err, PM_E_LIMIT, 0,
		                    "the default cache directory is longer than %d bytes; "
		                    "set PCAPMCP_CACHE_DIR",
		                    PATH_MAX - 1);
	}
	return 0;
}

static int
load_strings(struct pm_config *c, char *const *envp, struct pm_error *err)
{
	static const struct {
		const char *name;
		size_t off;
	} vars[] = {
		{ "PCAPMCP_CA_FILE", offsetof(struct pm_config, ca_file) },
		{ "PCAPMCP_GEOIP_DB", offsetof(struct pm_config, geoip_db) },
		{ "PCAPMCP_ASN_DB", offsetof(struct pm_config, asn_db) },
		{ "PCAPMCP_TOOLS", offsetof(struct pm_config, tools) },
	};
	int rc = load_cache_dir(c, envp, err);
	memcpy(c->tools, "all", sizeof("all"));
	for (size_t i = 0; i < PM_ARRAY_LEN(vars) && rc == 0; i++) {
		const char *v = env_get(envp, vars[i].name);
		if (v != NULL) {
			rc = copy_value((char *)c + vars[i].off, vars[i].name, v, err);
		}
	}
	return rc;
}

/* Key variables (PortHunter's, then PCAP Hunter's) and base-URL variables, by provider. */
static const struct {
	const char *key, *alias, *url;
} prov_vars[PM_PROV_COUNT] = {
	[PM_PROV_OTX] = { "OTX_API_KEY", "OTX_KEY", "PCAPMCP_OTX_URL" },
	[PM_PROV_GREYNOISE] = { "GREYNOISE_API_KEY", "GREYNOISE_KEY", "PCAPMCP_GREYNOISE_URL" },
	[PM_PROV_ABUSEIPDB] = { "ABUSEIPDB_API_KEY", "ABUSEIPDB_KEY", "PCAPMCP_ABUSEIPDB_URL" },
	[PM_PROV_VIRUSTOTAL] = { "VT_API_KEY", "VT_KEY", "PCAPMCP_VIRUSTOTAL_URL" },
	[PM_PROV_SHODAN] = { "SHODAN_API_KEY", "SHODAN_KEY", "PCAPMCP_SHODAN_URL" },
	[PM_PROV_RDAP] = { NULL, NULL, "PCAPMCP_RDAP_URL" },
};

/* A key goes into a header or a query: visible ASCII only, and it must fit. */
static int
load_key(struct pm_config *c, char *const *envp, size_t i, struct pm_error *err)
{
	const char *used;
	const char *v = env_pick(envp, prov_vars[i].key, prov_vars[i].alias, &used);
	c->prov_key_var[i] = v != NULL ? used : prov_vars[i].key;
	if (v == NULL) {
		return 0;
	}
	size_t n = strlen(v);
	for (size_t k = 0; k < n; k++) {
		if (v[k] < '!' || v[k] > '~') {
			/* The value is not quoted: it is the key. */
			return pm_error_set(err, PM_E_MALFORMED, 0,
			                    "%s holds a space or control character; set the key "
			                    "alone",
			                    used);
		}
	}
	if (n >= PM_CONFIG_MAX_KEY) {
		return pm_error_set(err, PM_E_LIMIT, 0, "%s is longer than %d bytes", used,
		                    PM_CONFIG_MAX_KEY - 1);
	}
	memcpy(c->prov_key[i], v, n + 1);
	return 0;
}

static int
load_providers(struct pm_config *c, char *const *envp, struct pm_error *err)
{
	int rc = 0;
	for (size_t i = 0; i < PM_PROV_COUNT && rc == 0; i++) {
		const char *u = env_get(envp, prov_vars[i].url);
		if (prov_vars[i].key != NULL) {
			rc = load_key(c, envp, i, err);
		}
		if (rc == 0 && u != NULL &&
		    (strncmp(u, "https://", 8) != 0 || strlen(u) >= PM_CONFIG_MAX_BASE_URL)) {
			rc = pm_error_set(err, PM_E_MALFORMED, 0,
			                  "%s=\"%.40s\" is not an https:// URL of under %d bytes",
			                  prov_vars[i].url, u, PM_CONFIG_MAX_BASE_URL);
		} else if (rc == 0 && u != NULL) {
			snprintf(c->prov_url[i], sizeof(c->prov_url[i]), "%s", u);
		}
	}
	const char *t = env_get(envp, "PCAPMCP_ENRICH_TIMEOUT_MS");
	uint64_t ms = PM_CONFIG_DEFAULT_ENRICH_MS;
	if (rc == 0 && t != NULL && (!parse_mb(t, &ms) || ms < 100 || ms > 120000)) {
		rc = pm_error_set(err, PM_E_MALFORMED, 0,
		                  "PCAPMCP_ENRICH_TIMEOUT_MS=\"%.24s\" is not a whole number of "
		                  "milliseconds from 100 to 120000",
		                  t);
	}
	c->enrich_timeout_ms = (unsigned)ms;
	const char *a = env_get(envp, "PCAPMCP_ALLOW_URLS");
	if (rc == 0 && a != NULL) {
		if (strlen(a) >= sizeof(c->allow_urls)) {
			rc = pm_error_set(err, PM_E_LIMIT, 0,
			                  "PCAPMCP_ALLOW_URLS is longer than %zu bytes",
			                  sizeof(c->allow_urls) - 1);
		} else {
			snprintf(c->allow_urls, sizeof(c->allow_urls), "%s", a);
		}
	}
	if (rc == 0) {
		rc = load_bool(envp, "PCAPMCP_ALLOW_PRIVATE_URLS", NULL, &c->allow_private_urls,
		               err);
	}
	return rc;
}

/* see sandbox.h */
int
pm_config_load(struct pm_config *c, char *const *envp, struct pm_error *err)
{
	memset(c, 0, sizeof(*c));
	int rc = load_dir(c, envp, err);
	if (rc == 0) {
		rc = load_max_mb(c, envp, err);
	}
	if (rc == 0) {
		rc = load_token(c, envp, err);
	}
	if (rc == 0) {
		rc = load_bool(envp, "PCAPMCP_OFFLINE", NULL, &c->offline, err);
	}
	if (rc == 0) {
		rc = load_bool(envp, "PCAPMCP_ALLOW_PRIVATE", "PORT_HUNTER_ALLOW_PRIVATE",
		               &c->allow_private, err);
	}
	if (rc == 0) {
		rc = load_result_chars(c, envp, err);
	}
	if (rc == 0) {
		rc = pm_config_load_analysis(c, envp, err);
	}
	if (rc == 0) {
		rc = load_strings(c, envp, err);
	}
	if (rc == 0) {
		rc = load_providers(c, envp, err);
	}
	return rc;
}

/* see sandbox.h */
int
pm_config_load_analysis(struct pm_config *c, char *const *envp, struct pm_error *err)
{
	int rc = load_range(envp, "PCAPMCP_REASM_WINDOW_KB", 1, PM_REASM_MAX_WINDOW >> 10,
	                    PM_CONFIG_DEFAULT_REASM_KB, &c->reasm_window_kb, err);
	const char *feed = env_get(envp, "PCAPMCP_JA3_FEED");
	if (rc == 0 && feed != NULL) {
		rc = copy_value(c->ja3_feed, "PCAPMCP_JA3_FEED", feed, err);
	}
	if (rc == 0) {
		rc = load_range(envp, "PCAPMCP_REASM_MAX_MB", 1, 4096, PM_CONFIG_DEFAULT_REASM_MB,
		                &c->reasm_max_mb, err);
	}
	return rc;
}

/* see sandbox.h */
void
pm_config_describe(const struct pm_config *c, struct pm_json *w)
{
	pm_json_kstr(w, "allowed_dir", c->allowed_dir);
	pm_json_ku64(w, "max_file_mb", c->max_file_mb);
	pm_json_kbool(w, "require_token", c->require_token);
	pm_json_kbool(w, "token_set", c->token_set);
	pm_json_kbool(w, "offline", c->offline);
	pm_json_kbool(w, "allow_private", c->allow_private);
	pm_json_kstr(w, "tools", c->tools);
	pm_json_ku64(w, "reasm_window_kb", c->reasm_window_kb);
	pm_json_ku64(w, "reasm_max_mb", c->reasm_max_mb);
}

/*
 * Path checks.
 */

/*
 * Fill err with the code and "p1 mid p2 hint". pm_error.msg holds 127 characters, so
 * long strings keep only their tails ("..."): p2 (the allowed directory, the
 * reason) first, as the caller already knows p1 (the path it sent).
 */
static int
fail(struct pm_error *err, int rc, enum pm_ecode code, const char *p1, const char *mid,
     const char *p2, const char *hint)
{
	size_t fixed = strlen(mid) + strlen(hint);
	size_t room = sizeof(err->msg) - 1 > fixed ? sizeof(err->msg) - 1 - fixed : 0;
	size_t n1 = strlen(p1), n2 = strlen(p2);
	size_t keep1 = n1 < 16 ? n1 : 16;
	size_t k2 = n2 + keep1 <= room ? n2 : (room > keep1 ? room - keep1 : 0);
	size_t k1 = room - k2;
	const char *t1 = n1 <= k1 ? p1 : p1 + n1 - (k1 > 3 ? k1 - 3 : 0);
	const char *t2 = n2 <= k2 ? p2 : p2 + n2 - (k2 > 3 ? k2 - 3 : 0);
	return pm_error_setc(err, rc, code, 0, "%s%s%s%s%s%s", t1 == p1 ? "" : "...", t1, mid,
	                     t2 == p2 ? "" : "...", t2, hint);
}

/* Whether p equals dir or lies below it by whole components; both are absolute. */
static bool
is_below(const char *dir, const char *p)
{
	size_t n = strlen(dir);
	if (n == 1) {
		return p[0] == '/';
	}
	return strncmp(p, dir, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

/*
 * Collapse "//", "." and ".." without touching the file system. Used only to
 * word the error for a path that does not resolve, never to admit one.
 */
static void
normalize(const char *in, char out[PATH_MAX])
{
	size_t n = 1;
	out[0] = '/';
	while (*in != '\0') {
		while (*in == '/') {
			in++;
		}
		const char *s = in;
		while (*in != '\0' && *in != '/') {
			in++;
		}
		size_t k = (size_t)(in - s);
		if (k == 0 || (k == 1 && s[0] == '.')) {
			continue;
		}
		if (k == 2 && s[0] == '.' && s[1] == '.') {
			while (out[n - 1] != '/') {
				n--;
			}
			n = n > 1 ? n - 1 : 1;
			continue;
		}
		if (n > 1) {
			out[n++] = '/';
		}
		/* The output never outgrows the input, which fits PATH_MAX. */
		memcpy(out + n, s, k);
		n += k;
	}
	out[n] = '\0';
}

/*
 * Copy the request's path to given (for messages) and join it onto the
 * allowed directory, unless absolute, in abs.
 */
static int
make_abs(const struct pm_config *c, const char *path, size_t len, char given[PATH_MAX],
         char abs[PATH_MAX], struct pm_error *err)
{
	if (len == 0) {
		return fail(err, PM_E_MALFORMED, PM_EC_INVALID_ARGUMENT, "", "path is empty", "",
		            "; give a capture file's path");
	}
	if (memchr(path, '\0', len) != NULL) {
		return fail(err, PM_E_MALFORMED, PM_EC_INVALID_ARGUMENT, "",
		            "path contains a NUL byte", "", "; give a capture file's path");
	}
	const char *dir = c->allowed_dir;
	size_t dn = path[0] == '/' ? 0 : strlen(dir);
	size_t sep = dn > 1 ? 1 : 0;
	if (dn + sep + len >= PATH_MAX) {
		return fail(err, PM_E_LIMIT, PM_EC_INVALID_ARGUMENT, "", "path is too long", "",
		            "; use a shorter path");
	}
	memcpy(abs, dir, dn);
	memcpy(abs + dn, "/", sep);
	memcpy(abs + dn + sep, path, len);
	abs[dn + sep + len] = '\0';
	memcpy(given, path, len);
	given[len] = '\0';
	return 0;
}

static int
fail_outside(const struct pm_config *c, const char *given, struct pm_error *err)
{
	char hint[64];
	snprintf(hint, sizeof(hint), "; use a path below it or set %s",
	         c->dir_var != NULL ? c->dir_var : "PCAPMCP_ALLOWED_DIR");
	return fail(err, PM_E_LIMIT, PM_EC_PATH_OUTSIDE_ALLOWED_DIR, given, " is outside ",
	            c->allowed_dir, hint);
}

static int
resolve(const struct pm_config *c, const char *given, const char *abs, char out[PATH_MAX],
        struct pm_error *err)
{
	if (realpath(abs, out) == NULL) {
		int e = errno;
		char norm[PATH_MAX];
		normalize(abs, norm);
		/* Outside by name alone: say so rather than reveal whether it exists. */
		if (!is_below(c->allowed_dir, norm)) {
			return fail_outside(c, given, err);
		}
		if (e == ENOENT || e == ENOTDIR) {
			return fail(err, PM_E_IO, PM_EC_PATH_NOT_FOUND, given,
			            " does not exist; relative paths start at ", c->allowed_dir,
			            "");
		}
		return fail(err, PM_E_IO, PM_EC_PATH_NOT_FOUND, given, ": ", strerror(e),
		            "; check the path");
	}
	if (!is_below(c->allowed_dir, out)) {
		return fail_outside(c, given, err);
	}
	return 0;
}

static const char *
kind_of(mode_t m)
{
	if (S_ISDIR(m)) {
		return "a directory";
	}
	if (S_ISFIFO(m)) {
		return "a FIFO";
	}
	if (S_ISSOCK(m)) {
		return "a socket";
	}
	if (S_ISCHR(m) || S_ISBLK(m)) {
		return "a device";
	}
	return "not a regular file";
}

/* Refuse by stat() before open(): opening a FIFO can block, a device can act. */
static int
check_stat(const struct pm_config *c, const char *given, const char *real, struct stat *st,
           struct pm_error *err)
{
	if (stat(real, st) != 0) {
		return fail(err, PM_E_IO, PM_EC_PATH_NOT_FOUND, given, ": ", strerror(errno),
		            "; check the name");
	}
	if (!S_ISREG(st->st_mode)) {
		return fail(err, PM_E_UNSUPPORTED, PM_EC_NOT_A_REGULAR_FILE, given, " is ",
		            kind_of(st->st_mode), "; give a capture file");
	}
	uint64_t max = c->max_file_bytes != 0 ? c->max_file_bytes : c->max_file_mb << 20;
	if ((uint64_t)st->st_size > max) {
		char size[96], hint[64];
		if ((max & ((1u << 20) - 1)) != 0) { /* a fraction of a MiB: say bytes */
			snprintf(size, sizeof(size), "%llu bytes, over the %llu-byte limit",
			         (unsigned long long)st->st_size, (unsigned long long)max);
		} else {
			snprintf(
			    size, sizeof(size), "%llu MiB, over the %llu MiB limit",
			    (unsigned long long)(((uint64_t)st->st_size + (1u << 20) - 1) >> 20),
			    (unsigned long long)(max >> 20));
		}
		snprintf(hint, sizeof(hint), "; raise %s or split it (editcap -c)",
		         c->max_mb_var != NULL ? c->max_mb_var : "PCAPMCP_MAX_FILE_MB");
		return fail(err, PM_E_LIMIT, PM_EC_FILE_TOO_LARGE, given, " is ", size, hint);
	}
	return 0;
}

static bool
is_capture_magic(const uint8_t m[4])
{
	static const uint32_t pcap[] = { PCAP_MAGIC_US, PCAP_MAGIC_NS, PCAP_MAGIC_MOD };
	struct pm_cur be = pm_cur_init(m, 4), le = pm_cur_init(m, 4);
	uint32_t b = pm_cur_be32(&be), l = pm_cur_le32(&le);
	for (size_t i = 0; i < PM_ARRAY_LEN(pcap); i++) {
		if (b == pcap[i] || l == pcap[i]) {
			return true;
		}
	}
	return b == PCAPNG_MAGIC;
}

static int
check_magic(int fd, const char *given, struct pm_error *err)
{
	uint8_t m[4] = { 0 };
	char what[48];
	/* pread keeps the offset at 0 for the caller. */
	ssize_t n = pread(fd, m, sizeof(m), 0);
	if (n < 0) {
		return fail(err, PM_E_IO, PM_EC_PATH_NOT_FOUND, given, ": ", strerror(errno),
		            "; check the file");
	}
	if (n < (ssize_t)sizeof(m)) {
		snprintf(what, sizeof(what), "%d bytes long, too short for", (int)n);
		return fail(err, PM_E_UNSUPPORTED, PM_EC_UNSUPPORTED_FILE_TYPE, given, " is ", what,
		            " a capture; give a pcap or pcapng file");
	}
	if (!is_capture_magic(m)) {
		snprintf(what, sizeof(what), "%02x%02x%02x%02x", m[0], m[1], m[2], m[3]);
		return fail(err, PM_E_UNSUPPORTED, PM_EC_UNSUPPORTED_FILE_TYPE, given,
		            " starts with ", what,
		            ", not a pcap/pcapng magic; give a capture file");
	}
	return 0;
}

/* Open what was checked, and make sure it is still the same inode. */
static int
open_checked(const char *given, const char *real, const struct stat *st, int *fd_out,
             struct pm_error *err)
{
	struct stat fst;
	int fd = open(real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		return fail(err, PM_E_IO, PM_EC_PATH_NOT_FOUND, given, ": ", strerror(errno),
		            "; check the file");
	}
	if (fstat(fd, &fst) != 0 || fst.st_dev != st->st_dev || fst.st_ino != st->st_ino ||
	    !S_ISREG(fst.st_mode)) {
		close(fd);
		return fail(err, PM_E_IO, PM_EC_PATH_NOT_FOUND, given,
		            " changed while being checked", "", "; try again");
	}
	int rc = check_magic(fd, given, err);
	if (rc != 0) {
		close(fd);
		return rc;
	}
	*fd_out = fd;
	return 0;
}

/* see sandbox.h */
int
pm_sandbox_open(const struct pm_config *c, const char *path, size_t len, char out[PATH_MAX],
                int *fd_out, struct pm_error *err)
{
	/* Zeroed only to spare static analysers a path they cannot follow. */
	char given[PATH_MAX] = "", abs[PATH_MAX] = "";
	struct stat st;
	*fd_out = -1;
	out[0] = '\0';
	int rc = make_abs(c, path, len, given, abs, err);
	if (rc == 0) {
		rc = resolve(c, given, abs, out, err);
	}
	if (rc == 0) {
		rc = check_stat(c, given, out, &st, err);
	}
	if (rc == 0) {
		rc = open_checked(given, out, &st, fd_out, err);
	}
	if (rc != 0) {
		out[0] = '\0';
	}
	return rc;
}

/* see sandbox.h */
int
pm_sandbox_resolve(const struct pm_config *c, const char *path, char out[PATH_MAX],
                   struct pm_error *err)
{
	int fd;
	int rc = pm_sandbox_open(c, path, strlen(path), out, &fd, err);
	if (rc == 0) {
		close(fd);
	}
	return rc;
}

/*
 * Token.
 */

/* see sandbox.h */
bool
pm_sandbox_token_ok(const struct pm_config *c, const char *given)
{
	if (!c->require_token) {
		return true;
	}
	const char *g = given != NULL ? given : "";
	size_t tn = strlen(c->token), gn = strlen(g);
	/* volatile keeps the compiler from turning the fold into an early exit. */
	volatile unsigned diff = tn != gn || tn == 0;
	for (size_t i = 0; i < tn; i++) {
		unsigned char gb = i < gn ? (unsigned char)g[i] : 0;
		diff |= (unsigned char)c->token[i] ^ gb;
	}
	return diff == 0;
}

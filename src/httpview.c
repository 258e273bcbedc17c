/* SPDX-License-Identifier: MIT */
/*
 * httpview.c - analyze_http_packets's result from the finished HTTP
 * analyser: mcpcap's statistics keys plus content types and top URIs, the
 * paged exchanges, findings {type, severity, summary, evidence} with every
 * secret redacted, and the reassembly counters.
 */
#include "http.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "isotime.h"
#include "json.h"
#include "tally.h"
#include "tls.h"

#define HTTP_TOP          10   /* entries of the maps and top lists */
#define HTTP_UNIQUE_MAX   50   /* unique hosts and user agents listed */
#define HTTP_LIST_BUDGET  9000 /* bytes of JSON the exchanges page may take */
#define HTTP_MAX_FINDINGS 50

/*
 * One statistic: as a map value -> count (shape 0), a list of the distinct
 * values (shape 1, with their number under count_key), or a list of
 * {value, count} (shape 2).
 */
static void
stat(const struct pm_counts *c, struct pm_json *w, const char *name, int shape,
     const char *count_key)
{
	struct pm_tally_group g[HTTP_UNIQUE_MAX];
	size_t ng = pm_counts_top(c, g, shape == 1 ? HTTP_UNIQUE_MAX : HTTP_TOP);
	if (count_key != NULL) {
		pm_json_ku64(w, count_key, pm_counts_distinct(c));
	}
	pm_json_key(w, name);
	if (shape == 0) {
		pm_json_obj_begin(w);
	} else {
		pm_json_arr_begin(w);
	}
	for (size_t i = 0; i < ng; i++) {
		if (shape == 0) {
			pm_json_key(w, g[i].key);
			pm_json_u64(w, g[i].count);
		} else if (shape == 1) {
			pm_json_str(w, g[i].key);
		} else {
			pm_json_obj_begin(w);
			pm_json_kstr(w, "value", g[i].key);
			pm_json_ku64(w, "count", g[i].count);
			pm_json_obj_end(w);
		}
	}
	if (shape == 0) {
		pm_json_obj_end(w);
	} else {
		pm_json_arr_end(w);
	}
}

static void
statistics(const struct pm_http *h, struct pm_json *w)
{
	pm_json_key(w, "statistics");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "total_requests", h->requests);
	pm_json_ku64(w, "total_responses", h->responses);
	stat(&h->stats[PM_HTTP_METHODS], w, "http_methods", 0, NULL);
	stat(&h->stats[PM_HTTP_STATUSES], w, "status_codes", 0, NULL);
	stat(&h->stats[PM_HTTP_HOSTS], w, "unique_hosts", 1, "unique_hosts_count");
	stat(&h->stats[PM_HTTP_AGENTS], w, "unique_user_agents", 1, "unique_user_agents_count");
	stat(&h->stats[PM_HTTP_CTYPES], w, "content_types", 0, NULL);
	stat(&h->stats[PM_HTTP_URIS], w, "top_uris", 2, NULL);
	pm_json_ku64(w, "unmatched_responses", h->unmatched_responses);
	pm_json_ku64(w, "h2_prior_knowledge", h->h2_prior_knowledge);
	pm_json_ku64(w, "upgrades", h->upgrades);
	pm_json_ku64(w, "malformed", h->malformed);
	pm_json_ku64(w, "not_http", h->not_http);
	pm_json_obj_end(w);
}

static void
kaddr(struct pm_json *w, const char *k, const uint8_t a[16], uint8_t ipver)
{
	char s[48];
	pm_addr_str(a, ipver, s);
	pm_json_kstr(w, k, s);
}

static void
exchange_obj(struct pm_json *w, const struct pm_http_row *r)
{
	pm_json_obj_begin(w);
	kaddr(w, "client", r->client, r->ipver);
	kaddr(w, "server", r->server, r->ipver);
	pm_json_ku64(w, "server_port", r->server_port);
	char ts[40];
	pm_time_iso(r->ts_req, ts);
	pm_json_kstr(w, "ts", ts);
	pm_json_kstr(w, "method", r->method);
	pm_json_kstr_or_null(w, "host", r->host);
	pm_json_kstr(w, "uri", r->uri);
	pm_json_kstr(w, "version", r->version_minor == 0 ? "HTTP/1.0" : "HTTP/1.1");
	pm_json_kstr_or_null(w, "user_agent", r->user_agent);
	pm_json_kstr_or_null(w, "request_content_type", r->req_type);
	pm_json_kstr_or_null(w, "authorization", r->auth_scheme);
	pm_json_kbool(w, "cookie", r->cookie);
	pm_json_key(w, "status");
	if (r->has_resp) {
		pm_json_u64(w, r->status);
	} else {
		pm_json_null(w);
	}
	pm_json_kstr_or_null(w, "content_type", r->resp_type);
	pm_json_key(w, "content_length");
	if (r->resp_length >= 0) {
		pm_json_i64(w, r->resp_length);
	} else {
		pm_json_null(w);
	}
	pm_json_kbool(w, "chunked", r->chunked);
	pm_json_kstr_or_null(w, "server_software", r->server_sw);
	pm_json_kstr_or_null(w, "location", r->location);
	pm_json_key(w, "response_time_ms");
	if (r->has_resp && r->ts_resp >= r->ts_req) {
		pm_json_dbl(w, (double)(r->ts_resp - r->ts_req) / 1e6, 3);
	} else {
		pm_json_null(w);
	}
	pm_json_ku64(w, "body_bytes", r->resp_body);
	char hex[65];
	if (r->body_hashed) {
		pm_tls_hex(r->resp_sha256, 32, hex);
	}
	pm_json_kstr_or_null(w, "body_sha256", r->body_hashed ? hex : NULL);
	pm_json_kstr_or_null(w, "file_type", r->resp_magic);
	pm_json_obj_end(w);
}

/* Case-insensitive substring search in the first n bytes of s. */
static bool
has(const char *s, const char *needle)
{
	size_t m = strlen(needle);
	for (const char *p = s; *p != '\0'; p++) {
		size_t j = 0;
		while (j < m && p[j] != '\0' && tolower((unsigned char)p[j]) == needle[j]) {
			j++;
		}
		if (j == m) {
			return true;
		}
	}
	return false;
}

/* The URI with %XX decoded and '+' as space, into out (cap bytes). */
static void
url_decode(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; s[i] != '\0' && n + 1 < cap; i++) {
		if (s[i] == '%' && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hx[3] = { s[i + 1], s[i + 2], 0 };
			out[n++] = (char)strtol(hx, NULL, 16);
			i += 2;
		} else {
			out[n++] = s[i] == '+' ? ' ' : s[i];
		}
	}
	out[n] = '\0';
}

/*
 * The findings of a view, gathered over every row before any is written so
 * each carries its count. One finding per (type, client, server, port); a
 * cleartext_credentials finding per (kind, server, port) instead, whichever
 * client sent them, so a form password and Basic auth to one server are two
 * findings, each with its first location.
 */
struct found {
	const char *type, *kind; /* kind: "basic_auth", ...; NULL for other types */
	const char *severity, *summary;
	const struct pm_http_row *row; /* the first request */
	char detail[160];
	uint64_t count; /* requests */
};

struct seen {
	struct found f[HTTP_MAX_FINDINGS];
	size_t n;
	uint64_t more;
	uint8_t (*browsers)[16]; /* sorted clients with a browser-like User-Agent, malloc'd */
	size_t n_browsers;
};

static bool
same_finding(const struct found *f, const struct pm_http_row *r, const char *type, const char *kind)
{
	const struct pm_http_row *o = f->row;
	if (strcmp(f->type, type) != 0 || o->server_port != r->server_port ||
	    memcmp(o->server, r->server, 16) != 0) {
		return false;
	}
	if (kind != NULL || f->kind != NULL) {
		return kind != NULL && f->kind != NULL && strcmp(kind, f->kind) == 0;
	}
	return memcmp(o->client, r->client, 16) == 0;
}

static void
finding_kind(struct seen *s, const struct pm_http_row *r, const char *type, const char *kind,
             const char *severity, const char *summary, const char *detail)
{
	for (size_t i = 0; i < s->n; i++) {
		if (same_finding(&s->f[i], r, type, kind)) {
			s->f[i].count++;
			return;
		}
	}
	if (s->n == HTTP_MAX_FINDINGS) {
		s->more++;
		return;
	}
	struct found *f = &s->f[s->n++];
	f->type = type;
	f->kind = kind;
	f->severity = severity;
	f->summary = summary;
	f->row = r;
	snprintf(f->detail, sizeof(f->detail), "%s", detail);
	f->count = 1;
}

static void
finding(struct seen *s, const struct pm_http_row *r, const char *type, const char *severity,
        const char *summary, const char *detail)
{
	finding_kind(s, r, type, NULL, severity, summary, detail);
}

static void
finding_json(struct pm_json *w, const struct found *f)
{
	const struct pm_http_row *r = f->row;
	pm_json_obj_begin(w);
	pm_json_kstr(w, "type", f->type);
	pm_json_kstr(w, "severity", f->severity);
	pm_json_kstr(w, "summary", f->summary);
	pm_json_ku64(w, "count", f->count);
	pm_json_key(w, "evidence");
	pm_json_obj_begin(w);
	if (f->kind != NULL) {
		pm_json_kstr(w, "kind", f->kind);
	}
	kaddr(w, "client", r->client, r->ipver);
	kaddr(w, "server", r->server, r->ipver);
	char port[8];
	snprintf(port, sizeof(port), "%u", r->server_port);
	pm_json_kstr(w, "server_port", port);
	char ts[40];
	pm_time_iso(r->ts_req, ts);
	pm_json_kstr(w, "first_seen", ts);
	pm_json_kstr(w, "request", r->method);
	if (r->host[0] != '\0') {
		pm_json_kstr(w, "host", r->host);
	}
	pm_json_kstr(w, "detail", f->detail);
	pm_json_obj_end(w);
	pm_json_obj_end(w);
}

/* Tools that announce themselves (their own documentation names the User-Agent). */
static const char *const tool_agents[] = { "sqlmap",   "nikto",     "nmap",   "masscan", "zgrab",
	                                   "gobuster", "dirbuster", "wpscan", "nuclei",  "hydra" };
/* Scripted clients: notable only from a host that otherwise browses. */
static const char *const script_agents[] = { "curl/",         "wget/",          "python-requests",
	                                     "python-urllib", "go-http-client", "powershell" };
static const char *const sqli[] = { "union select", "' or '1'='1",        "' or 1=1",
	                            "\" or 1=1",    "or 1=1--",           "sleep(",
	                            "benchmark(",   "information_schema", "xp_cmdshell",
	                            "waitfor delay" };
static const char *const shell[] = { "/bin/sh",     "/bin/bash",  "cmd.exe", ";wget ",
	                             "|wget ",      ";curl ",     "$(",      "`",
	                             "/etc/passwd", "powershell", "nc -e" };
static const char *const secrets[] = { "password=", "passwd=", "pwd=",          "token=",
	                               "api_key=",  "apikey=", "access_token=", "secret=" };

static const char *
any_of(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (has(s, list[i])) {
			return list[i];
		}
	}
	return NULL;
}

static int
cmp_addr(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

/* The clients of h's rows that sent a browser-like User-Agent ("Mozilla/"), sorted, into s. */
static void
find_browsers(const struct pm_http *h, struct seen *s)
{
	s->browsers = malloc((h->n_rows + 1) * sizeof(*s->browsers));
	s->n_browsers = 0;
	for (size_t i = 0; s->browsers != NULL && i < h->n_rows; i++) {
		if (strncmp(h->rows[i].user_agent, "Mozilla/", 8) == 0) {
			memcpy(s->browsers[s->n_browsers++], h->rows[i].client, 16);
		}
	}
	if (s->n_browsers != 0) {
		qsort(s->browsers, s->n_browsers, sizeof(*s->browsers), cmp_addr);
	}
}

/* Whether the client of r also sent a browser-like User-Agent elsewhere (false without memory). */
static bool
browses(const struct seen *s, const struct pm_http_row *r)
{
	return s->n_browsers != 0 && bsearch(r->client, s->browsers, s->n_browsers,
	                                     sizeof(*s->browsers), cmp_addr) != NULL;
}

static bool
executable_uri(const char *uri)
{
	static const char *const ext[] = { ".exe", ".dll", ".scr", ".msi", ".ps1", ".bat", ".hta" };
	const char *q = strchr(uri, '?');
	size_t n = q != NULL ? (size_t)(q - uri) : strlen(uri);
	for (size_t i = 0; i < PM_ARRAY_LEN(ext); i++) {
		size_t m = strlen(ext[i]);
		if (n >= m && strncasecmp(uri + n - m, ext[i], m) == 0) {
			return true;
		}
	}
	return false;
}

static void
row_findings(struct seen *s, const struct pm_http_row *r)
{
	char dec[512], d[160];
	const char *hit;
	url_decode(r->uri, dec, sizeof(dec));
	if (strcasecmp(r->auth_scheme, "Basic") == 0) {
		finding_kind(s, r, "cleartext_credentials", "basic_auth", "high",
		             "HTTP Basic credentials sent in clear",
		             "Authorization header (redacted)");
	} else if (strcasecmp(r->auth_scheme, "Bearer") == 0) {
		finding_kind(s, r, "cleartext_credentials", "bearer_token", "high",
		             "An HTTP bearer token sent in clear",
		             "Authorization header (redacted)");
	}
	if (r->form_password) {
		finding_kind(s, r, "cleartext_credentials", "form_password", "high",
		             "A form field named like a password sent in clear",
		             "request body (redacted)");
	}
	if ((hit = any_of(r->uri, secrets, PM_ARRAY_LEN(secrets))) != NULL) {
		snprintf(d, sizeof(d), "query parameter %s<redacted>", hit);
		finding(s, r, "secret_in_url", "medium", "A credential or token in a URL", d);
	}
	if (has(dec, "../") || has(dec, "..\\")) {
		finding(s, r, "path_traversal", "high", "A request climbing out of the web root",
		        "dot-dot segments in the URI");
	}
	if ((hit = any_of(dec, sqli, PM_ARRAY_LEN(sqli))) != NULL) {
		snprintf(d, sizeof(d), "URI contains \"%s\"", hit);
		finding(s, r, "sql_injection", "high", "A request that looks like SQL injection",
		        d);
	}
	if ((hit = any_of(dec, shell, PM_ARRAY_LEN(shell))) != NULL) {
		snprintf(d, sizeof(d), "URI contains \"%s\"", hit);
		finding(s, r, "command_injection", "high",
		        "A request that looks like shell or command injection", d);
	}
	if ((hit = any_of(r->user_agent, tool_agents, PM_ARRAY_LEN(tool_agents))) != NULL) {
		snprintf(d, sizeof(d), "User-Agent names %s", hit);
		finding(s, r, "scanner_user_agent", "medium", "A scanning tool's User-Agent", d);
	} else if ((hit = any_of(r->user_agent, script_agents, PM_ARRAY_LEN(script_agents))) !=
	               NULL &&
	           browses(s, r)) {
		snprintf(d, sizeof(d), "User-Agent %s from a host that also browses", hit);
		finding(s, r, "scripted_client", "low",
		        "A scripted client from a host that otherwise browses", d);
	}
	bool exe = r->resp_magic != NULL &&
	           (strcmp(r->resp_magic, "pe") == 0 || strcmp(r->resp_magic, "elf") == 0 ||
	            strcmp(r->resp_magic, "macho") == 0);
	if (r->has_resp && r->status == 200 &&
	    (exe || executable_uri(r->uri) || has(r->resp_type, "x-msdownload") ||
	     has(r->resp_type, "x-dosexec") || has(r->resp_type, "x-executable"))) {
		snprintf(d, sizeof(d), "%s%s", exe ? "body is " : "URI or Content-Type",
		         exe ? r->resp_magic : "");
		finding(s, r, "executable_download", "high",
		        "An executable downloaded over plain HTTP", d);
	}
}

static void
findings(const struct pm_http *h, struct pm_json *w)
{
	struct seen *s = calloc(1, sizeof(*s));
	if (s != NULL) {
		find_browsers(h, s);
	}
	pm_json_key(w, "findings");
	pm_json_arr_begin(w);
	for (size_t i = 0; s != NULL && i < h->n_rows; i++) {
		row_findings(s, &h->rows[i]);
	}
	for (size_t i = 0; s != NULL && i < s->n; i++) {
		finding_json(w, &s->f[i]);
	}
	pm_json_arr_end(w);
	pm_json_ku64(w, "findings_omitted", s != NULL ? s->more : 0);
	if (s != NULL) {
		free(s->browsers);
	}
	free(s);
}

/* see http.h */
int
pm_http_view(const struct pm_http *h, uint64_t limit, uint64_t offset, struct pm_json *w)
{
	statistics(h, w);
	pm_json_key(w, "exchanges");
	pm_json_arr_begin(w);
	size_t n = h->n_rows, i = offset < n ? (size_t)offset : n;
	size_t stop = limit < n - i ? i + (size_t)limit : n;
	for (size_t start = w->len; i < stop && w->len - start < HTTP_LIST_BUDGET; i++) {
		exchange_obj(w, &h->rows[i]);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "exchanges", n, i < stop ? i - (size_t)offset : limit, offset);
	findings(h, w);
	pm_reasm_pool_json(&h->pool, w);
	bool dropped = false;
	for (size_t k = 0; k < PM_HTTP_STATS; k++) {
		dropped |= h->stats[k].dropped != 0;
	}
	pm_json_kbool(w, "approximate",
	              h->rows_dropped != 0 || h->flows_dropped != 0 || h->pool.capped != 0 ||
	                  dropped);
	return 0;
}

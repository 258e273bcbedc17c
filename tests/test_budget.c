/* SPDX-License-Identifier: MIT */
/*
 * test_budget.c - results that fit the assistant, on every capture of the
 * public corpus (../shared/corpus), through pm_tools_call with a fresh
 * context per capture (issue 9):
 * - every tool that reads a capture, with its default arguments, returns
 *   under 20,000 characters;
 * - with limit, top, top_k and detailed at their maximum (and list_suspects'
 *   thresholds at their minimum), at most PCAPMCP_MAX_RESULT_CHARS (100,000);
 * - every name get_pcap_summary.protocols reports, as given and upper-cased,
 *   selects through analyze_protocol_flows exactly the packets counted
 *   under it.
 * Prints the largest result of each tool (and its capture) to stderr.
 * Captures over BUDGET_MAX_FILE bytes are skipped and counted.
 */
#define _DEFAULT_SOURCE /* realpath, DT_DIR */
#include "test.h"

#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "arena.h"
#include "json.h"
#include "jsonparse.h"
#include "sandbox.h"
#include "tools.h"

void test_budget(void);

#define BUDGET_DEFAULT         20000u  /* a default result stays under this */
#define BUDGET_HARD            100000u /* PCAPMCP_MAX_RESULT_CHARS default */
#define BUDGET_MAX_FILE        (64u << 20)
#define BUDGET_MAX_DEPTH       6
#define BUDGET_MAX_SHOWN       20   /* failures printed */
#define PM_VIEW_MAX_LIMIT_TEST 1000 /* the limit the calls at maximum ask for */

struct largest {
	size_t def, max;                   /* bytes */
	char def_file[128], max_file[128]; /* where */
};

static struct {
	struct pm_config cfg;
	struct pm_arena arena;
	struct largest big[64];
	size_t files, skipped, unread, calls, names, cuts;
	unsigned long shown;
	const char *rel; /* the capture being checked */
} B;

static void
fail_once(const char *what, const char *tool, const char *args, size_t len)
{
	pm_test_failed++;
	if (B.shown++ < BUDGET_MAX_SHOWN) {
		fprintf(stderr, "budget: %s: %s %s: %s (%zu bytes)\n", B.rel, tool, args, what,
		        len);
	}
}

/* Run tool with the JSON text args; the parsed result, or NULL. *len: its bytes. */
static const struct pm_jv *
run(struct pm_tool_ctx *ctx, const struct pm_tool *t, const char *args, size_t *len, bool *is_error)
{
	const struct pm_jv *a = NULL, *res = NULL;
	struct pm_json w;
	*len = 0;
	if (pm_json_parse((const uint8_t *)args, strlen(args), &B.arena, &a, NULL) != 0) {
		fail_once("arguments do not parse", t->name, args, 0);
		return NULL;
	}
	pm_json_init(&w, 0);
	if (pm_tools_call(ctx, t, a, &w, is_error) != 0 ||
	    pm_json_parse((const uint8_t *)w.buf, w.len, &B.arena, &res, NULL) != 0) {
		fail_once("no result object", t->name, args, w.len);
		res = NULL;
	}
	*len = w.len;
	B.calls++;
	pm_json_free(&w);
	return res;
}

/* The value a required argument gets: from the summary's lists. */
struct picks {
	char ip[64];
	long port;
};

/* Append ,"name":value for the argument rows t has; false when a required one is unknown. */
static bool
fill(const struct pm_tool *t, const struct picks *pk, bool at_max, char *out, size_t cap)
{
	size_t n = strlen(out);
	for (size_t i = 0; t->args[i] != NULL; i++) {
		const struct pm_tool_arg *r = t->args[i];
		const char *k = r->name;
		int m = 0;
		if (strcmp(k, "port") == 0 || (strcmp(k, "server_port") == 0 && r->required)) {
			m = snprintf(out + n, cap - n, ",\"%s\":%ld", k, pk->port);
		} else if (strcmp(k, "ip") == 0 || strcmp(k, "server_ip") == 0) {
			if (r->required) {
				m = snprintf(out + n, cap - n, ",\"%s\":\"%s\"", k, pk->ip);
			}
		} else if (strcmp(k, "protocol") == 0) {
			m = snprintf(out + n, cap - n, ",\"protocol\":\"tcp\"");
		} else if (at_max && (strcmp(k, "limit") == 0 || strcmp(k, "top") == 0 ||
		                      strcmp(k, "top_k") == 0)) {
			m = snprintf(out + n, cap - n, ",\"%s\":%.0f", k, r->max);
		} else if (at_max && strcmp(k, "min_ports") == 0) {
			m = snprintf(out + n, cap - n, ",\"min_ports\":1");
		} else if (at_max && strcmp(k, "min_rate_pps") == 0) {
			m = snprintf(out + n, cap - n, ",\"min_rate_pps\":0");
		} else if (r->required && strcmp(k, "path") != 0) {
			return false; /* a tool this test does not know how to call yet */
		}
		n += m > 0 ? (size_t)m : 0;
	}
	return n + 2 < cap && snprintf(out + n, cap - n, "}") > 0;
}

static void
note(size_t idx, bool at_max, size_t len)
{
	struct largest *l = &B.big[idx];
	size_t *v = at_max ? &l->max : &l->def;
	if (len > *v) {
		*v = len;
		snprintf(at_max ? l->max_file : l->def_file, sizeof(l->def_file), "%s", B.rel);
	}
}

/*
 * A list cut by the budget says truncated, its limit is what it returned,
 * and offset = limit continues it: the next call answers with its page at
 * that offset. args is the cut call's JSON text, ending in '}'.
 */
static void
continues(struct pm_tool_ctx *ctx, const struct pm_tool *t, const char *args, const struct pm_jv *r)
{
	/* A top list (the protocol tools' unanswered, unreachable, ...) holds `top` items at most. */
	const struct pm_tool_arg *top = pm_tool_arg_find(t, "top");
	int64_t top_max = top != NULL && top->has_max ? (int64_t)top->max : -1;
	for (size_t i = 0; i < r->len; i++) {
		const char *k = r->members[i].key;
		size_t kn = strlen(k);
		const struct pm_jv *pg = &r->members[i].value, *tr = pm_jv_get(pg, "truncated");
		int64_t lim = 0, total = 0;
		if (kn < 6 || strcmp(k + kn - 5, "_page") != 0 || !pm_jv_is(tr, PM_JV_BOOL) ||
		    !tr->b || !pm_jv_int(pm_jv_get(pg, "limit"), &lim) ||
		    !pm_jv_int(pm_jv_get(pg, "total"), &total) || lim >= PM_VIEW_MAX_LIMIT_TEST ||
		    lim >= total || lim == top_max) {
			continue; /* not cut by size (a top list cut at the top asked for) */
		}
		if (lim == 0) {
			fail_once("a list cut to nothing", t->name, args, 0);
			continue;
		}
		B.cuts++;
		if (pm_tool_arg_find(t, "offset") == NULL) {
			continue; /* a top list: truncated says so, there is no page after it */
		}
		char more[PATH_MAX + 320];
		snprintf(more, sizeof(more), "%.*s,\"offset\":%lld}", (int)(strlen(args) - 1), args,
		         (long long)lim);
		size_t len;
		bool is_error = true;
		const struct pm_jv *r2 = run(ctx, t, more, &len, &is_error);
		int64_t off = -1;
		pm_jv_int(pm_jv_get(pm_jv_get(r2, k), "offset"), &off);
		if (r2 == NULL || is_error || off != lim || len > BUDGET_HARD) {
			fail_once("offset = limit does not continue the cut list", t->name, more,
			          len);
		} else {
			pm_test_passed++;
		}
	}
}

/* Every name of the summary's protocols selects the packets counted under it. */
static void
round_trip(struct pm_tool_ctx *ctx, const char *path, const struct pm_jv *summary)
{
	const struct pm_tool *pf = pm_tool_find("analyze_protocol_flows");
	const struct pm_jv *rows = pm_jv_get(summary, "protocols");
	for (size_t i = 0; pf != NULL && pm_jv_is(rows, PM_JV_ARR) && i < rows->len; i++) {
		const char *name = pm_jv_str(pm_jv_get(&rows->items[i], "name"));
		int64_t want = 0;
		if (name == NULL || !pm_jv_int(pm_jv_get(&rows->items[i], "packets"), &want)) {
			fail_once("protocols row without name or packets", "get_pcap_summary", "",
			          0);
			continue;
		}
		if (strcmp(name, "non-IP") == 0 || strncmp(name, "untracked", 9) == 0 ||
		    strncmp(name, "IP only", 7) == 0) {
			want = 0; /* packets in no flow */
		}
		for (int upper = 0; upper < 2; upper++) {
			char nm[64], args[PATH_MAX + 160];
			snprintf(nm, sizeof(nm), "%s", name);
			for (char *c = nm; upper && *c != '\0'; c++) {
				*c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
			}
			snprintf(args, sizeof(args),
			         "{\"path\":\"%s\",\"protocol\":\"%s\",\"limit\":1}", path, nm);
			size_t len;
			bool is_error = true;
			const struct pm_jv *r = run(ctx, pf, args, &len, &is_error);
			int64_t got = -1;
			pm_jv_int(pm_jv_get(pm_jv_get(r, "totals"), "packets"), &got);
			B.names++;
			if (r == NULL || is_error || got != want) {
				char what[96];
				snprintf(what, sizeof(what),
				         "totals.packets %lld, the summary counts %lld",
				         (long long)got, (long long)want);
				fail_once(what, pf->name, args, len);
			} else {
				pm_test_passed++;
			}
		}
	}
}

/* The first top talker and top port of the summary, for tools that need one. */
static void
pick(const struct pm_jv *summary, struct picks *pk)
{
	const struct pm_jv *t = pm_jv_get(summary, "top_talkers");
	const struct pm_jv *p = pm_jv_get(summary, "top_ports");
	const char *ip =
	    pm_jv_is(t, PM_JV_ARR) && t->len > 0 ? pm_jv_str(pm_jv_get(&t->items[0], "ip")) : NULL;
	int64_t port = 80;
	if (pm_jv_is(p, PM_JV_ARR) && p->len > 0) {
		pm_jv_int(pm_jv_get(&p->items[0], "port"), &port);
	}
	snprintf(pk->ip, sizeof(pk->ip), "%s", ip != NULL ? ip : "192.0.2.1");
	pk->port = (long)port;
}

static void
check_capture(const char *rel)
{
	struct pm_tool_ctx ctx;
	struct pm_error err = { 0 };
	size_t n;
	const struct pm_tool *tools = pm_tools(&n);
	if (strpbrk(rel, "\"\\") != NULL || pm_tool_ctx_init(&ctx, &B.cfg, &err) != 0) {
		B.skipped++;
		return;
	}
	pm_arena_init(&B.arena, 64u << 20);
	B.rel = rel;
	char base[PATH_MAX + 32];
	snprintf(base, sizeof(base), "{\"path\":\"%s\"", rel);
	size_t len;
	bool is_error = true;
	char args[PATH_MAX + 256];
	snprintf(args, sizeof(args), "%s}", base);
	const struct pm_jv *sum =
	    run(&ctx, pm_tool_find("get_pcap_summary"), args, &len, &is_error);
	if (sum == NULL || is_error) {
		/* Not a capture (no magic), or one that cannot be read: nothing to measure. */
		const char *code = pm_jv_str(pm_jv_get(sum, "error"));
		if (code == NULL || strcmp(code, "unsupported_file_type") != 0) {
			B.unread++;
			fprintf(stderr, "budget: note: %s: %s\n", rel,
			        code != NULL ? code : "no result");
		}
		B.skipped++;
		goto out_free;
	}
	B.files++;
	struct picks pk;
	pick(sum, &pk);
	round_trip(&ctx, rel, sum);
	for (size_t i = 0; i < n && i < PM_ARRAY_LEN(B.big); i++) {
		for (int at_max = 0; at_max < 2; at_max++) {
			snprintf(args, sizeof(args), "%s", tools[i].reads_capture ? base : "{");
			if (!fill(&tools[i], &pk, at_max, args, sizeof(args))) {
				break;
			}
			if (args[1] == ',') {
				args[1] = ' ';
			}
			const struct pm_jv *r = run(&ctx, &tools[i], args, &len, &is_error);
			note(i, at_max, len);
			if (at_max && r != NULL && !is_error) {
				continues(&ctx, &tools[i], args, r);
			}
			size_t cap = at_max ? BUDGET_HARD : BUDGET_DEFAULT - 1;
			if (r != NULL && len > cap) {
				fail_once(at_max ? "over the hard budget"
				                 : "default result over 20,000",
				          tools[i].name, args, len);
			} else {
				pm_test_passed++;
			}
		}
	}
	/* mcpcap's detailed=true lists all connections: still within the budget. */
	snprintf(args, sizeof(args), "%s,\"detailed\":true}", base);
	run(&ctx, pm_tool_find("analyze_tcp_connections"), args, &len, &is_error);
	if (len > BUDGET_HARD) {
		fail_once("over the hard budget", "analyze_tcp_connections", args, len);
	}
out_free:
	pm_arena_free(&B.arena);
	pm_tool_ctx_free(&ctx);
}

/* NOLINTNEXTLINE(misc-no-recursion): depth is at most BUDGET_MAX_DEPTH */
static void
walk(const char *root, const char *rel, int depth)
{
	char dir[2 * PATH_MAX + 2];
	snprintf(dir, sizeof(dir), "%s%s%s", root, rel[0] != '\0' ? "/" : "", rel);
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d != NULL && (e = readdir(d)) != NULL) {
		char sub[PATH_MAX], full[2 * PATH_MAX + 2];
		struct stat st;
		if (e->d_name[0] == '.' ||
		    snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] != '\0' ? "/" : "",
		             e->d_name) >= (int)sizeof(sub)) {
			continue;
		}
		snprintf(full, sizeof(full), "%s/%s", root, sub);
		if (lstat(full, &st) != 0) {
			continue;
		}
		if (S_ISDIR(st.st_mode) && depth < BUDGET_MAX_DEPTH) {
			walk(root, sub, depth + 1);
		} else if (S_ISREG(st.st_mode) && st.st_size > BUDGET_MAX_FILE) {
			B.skipped++;
		} else if (S_ISREG(st.st_mode)) {
			check_capture(sub);
		}
	}
	if (d != NULL) {
		closedir(d);
	}
}

void
test_budget(void)
{
	const char *dir = pm_test_corpus_dir();
	struct pm_error err = { 0 };
	if (dir == NULL) {
		fprintf(stderr, "budget: ../shared/corpus missing, skipped\n");
		return;
	}
	char env[PATH_MAX + 32];
	snprintf(env, sizeof(env), "PCAPMCP_ALLOWED_DIR=%s", dir);
	/* Offline: the enrichment tools run on every capture, and tests never reach the internet. */
	char offline[] = "PCAPMCP_OFFLINE=1";
	char *envp[] = { env, offline, NULL };
	if (pm_config_load(&B.cfg, envp, &err) != 0) {
		CHECK(!"budget: config");
		return;
	}
	CHECK_EQ(B.cfg.max_result_chars, BUDGET_HARD);
	time_t t0 = time(NULL);
	walk(B.cfg.allowed_dir, "", 0);
	size_t n;
	const struct pm_tool *tools = pm_tools(&n);
	for (size_t i = 0; i < n && i < PM_ARRAY_LEN(B.big); i++) {
		fprintf(stderr, "budget: %-28s default %6zu (%s)  max %6zu (%s)\n", tools[i].name,
		        B.big[i].def, B.big[i].def_file, B.big[i].max, B.big[i].max_file);
	}
	fprintf(stderr,
	        "budget: %zu captures, %zu files skipped (%zu captures unreadable, the rest not "
	        "captures "
	        "or over 64 MiB), %zu calls, "
	        "%zu protocol names round-tripped, %zu lists cut by the budget, %lld s\n",
	        B.files, B.skipped, B.unread, B.calls, B.names, B.cuts,
	        (long long)(time(NULL) - t0));
	CHECK(B.files > 0);
}

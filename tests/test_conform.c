/* SPDX-License-Identifier: MIT */
/*
 * test_conform.c - the flow engine against tshark's conversation tables.
 *
 * Every capture named in tests/flows_expected.tsv (made by
 * tests/mk_flows_expected.sh; its header says what each column means) is
 * analysed: each TCP/UDP conversation must be one flow with tshark's packets
 * and frame bytes each way, each tunnel carrier must be no flow, each
 * endpoint a host with tshark's tx/rx counts, and the numbers of TCP flows,
 * UDP flows, hosts and frames must be tshark's. A row that
 * tests/flows_differences.tsv lists (with its reason) must differ instead;
 * that table may hold at most 1 % of the conversation rows. One line per
 * mismatch, at most CONF_MAX_REPORT (PCAPMCP_FLOWS_ALL=1 prints them all;
 * PCAPMCP_FLOWS_KEYS=FILE writes the keys of the unlisted ones to FILE, the
 * first columns of new rows for the differences table).
 */
#include "addr.h"
#include "analysis.h"
#include "flow.h"
#include "hosts.h"
#include "table.h"
#include "test.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void test_conform(void);

#define CONF_TSV        "tests/flows_expected.tsv"
#define CONF_DIFF_TSV   "tests/flows_differences.tsv"
#define CONF_MAX_LINE   1024 /* bytes of one TSV row */
#define CONF_MAX_REPORT 30   /* mismatch lines printed */
#define CONF_MAX_PATH   4096
#define CONF_MAX_DIFFS  4096 /* rows of the differences table */
#define CONF_MAX_FIELDS 11

static unsigned long n_mismatch;
static bool report_all;
static FILE *keys_out; /* PCAPMCP_FLOWS_KEYS: where the keys of unlisted mismatches go */

static void mismatch(const char *path, const char *fmt, ...) PM_PRINTF(2, 3);

/* Count a failure and print it as "flows: PATH: what", up to the cap. */
static void
mismatch(const char *path, const char *fmt, ...)
{
	va_list ap;
	pm_test_failed++;
	if (n_mismatch++ >= CONF_MAX_REPORT && !report_all) {
		return;
	}
	fprintf(stderr, "flows: %s: ", path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static unsigned long long
num(const char *s)
{
	return strtoull(s, NULL, 10);
}

/* The known differences: each row's key (the expected row's identifying fields) and use. */
struct diffs {
	char *key[CONF_MAX_DIFFS]; /* malloc'd, sorted */
	bool seen[CONF_MAX_DIFFS];
	size_t n;
	size_t n_conv; /* of them, conversation rows */
};

/* How many leading fields identify a row of this kind. */
static size_t
key_fields(const char *kind)
{
	if (strcmp(kind, "tcp") == 0 || strcmp(kind, "udp") == 0) {
		return 6;
	}
	if (strcmp(kind, "carrier") == 0) {
		return 7;
	}
	if (strcmp(kind, "host") == 0) {
		return 3;
	}
	return 2;
}

/* The key of the row f (nf fields) into buf: its identifying fields joined by tabs. */
static void
row_key(char **f, size_t nf, char *buf, size_t size)
{
	size_t k = key_fields(f[1]), at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < k && i < nf && at < size; i++) {
		at += (size_t)snprintf(buf + at, size - at, "%s%s", i == 0 ? "" : "\t", f[i]);
	}
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The next data row of fp split into f (comments and blank lines skipped); 0 at the end. */
static size_t
next_row(FILE *fp, char *line, int size, char **f)
{
	while (fgets(line, size, fp) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] != '#' && line[0] != '\0') {
			return pm_test_split_tabs(line, f, CONF_MAX_FIELDS);
		}
	}
	return 0;
}

static void
load_diffs(struct diffs *d)
{
	memset(d, 0, sizeof(*d));
	FILE *fp = fopen(CONF_DIFF_TSV, "r");
	if (fp == NULL) {
		mismatch(CONF_DIFF_TSV, "cannot open");
		return;
	}
	char line[CONF_MAX_LINE], key[CONF_MAX_LINE];
	char *f[CONF_MAX_FIELDS];
	size_t nf;
	while ((nf = next_row(fp, line, sizeof(line), f)) != 0) {
		if (nf < key_fields(f[1]) + 1 || d->n == CONF_MAX_DIFFS) {
			mismatch(CONF_DIFF_TSV, "bad or excess row for %s", f[0]);
			continue;
		}
		row_key(f, nf, key, sizeof(key));
		d->key[d->n++] = strdup(key);
		d->n_conv += key_fields(f[1]) == 6;
	}
	fclose(fp);
	qsort(d->key, d->n, sizeof(d->key[0]), cmp_str);
}

/* The index of row f in the differences table, or -1. */
static long
find_diff(const struct diffs *d, char **f, size_t nf)
{
	char key[CONF_MAX_LINE];
	row_key(f, nf, key, sizeof(key));
	const char *k = key;
	char *const *hit = bsearch(&k, d->key, d->n, sizeof(d->key[0]), cmp_str);
	return hit == NULL ? -1 : (long)(hit - d->key);
}

/* The capture being compared; open is false when it could not be analysed. */
struct current {
	char path[CONF_MAX_PATH]; /* as in the TSV */
	bool open;
	bool skipped; /* corpus file without a corpus */
	struct pm_analysis a;
};

static void
close_current(struct current *c)
{
	if (c->open) {
		pm_analysis_free(&c->a);
	}
	c->open = false;
	c->skipped = false;
	c->path[0] = '\0';
}

static void
open_current(struct current *c, const char *path, const char *corpus, unsigned long *n_files)
{
	char full[CONF_MAX_PATH + 512];
	close_current(c);
	snprintf(c->path, sizeof(c->path), "%s", path);
	if (strncmp(path, "captures/", 9) == 0) {
		snprintf(full, sizeof(full), "%s", path);
	} else if (corpus == NULL) {
		c->skipped = true;
		return;
	} else {
		snprintf(full, sizeof(full), "%s/%s", corpus, path);
	}
	struct pm_error err;
	memset(&err, 0, sizeof(err));
	if (pm_analysis_run(&c->a, full, NULL, &err) != 0) {
		mismatch(path, "analysis failed: %s", err.msg);
		return;
	}
	c->open = true;
	(*n_files)++;
}

/* Each check returns whether the row agrees, after reporting it (when report is set). */
static bool
check_total(struct current *c, char **f, bool report)
{
	unsigned long long tcp = 0, udp = 0, frames = 0;
	size_t pos = 0;
	void *v;
	const struct pm_flow_key *k;
	while ((k = pm_table_next(&pm_an_flows(&c->a)->flows, &pos, &v)) != NULL) {
		const struct pm_flow *fl = v;
		bool l4 = k->proto == PM_IPPROTO_TCP || k->proto == PM_IPPROTO_UDP;
		tcp += k->proto == PM_IPPROTO_TCP;
		udp += k->proto == PM_IPPROTO_UDP;
		frames += l4 ? fl->d[0].packets + fl->d[1].packets : 0;
	}
	unsigned long long hosts = pm_an_hosts(&c->a)->hosts.count;
	bool ok = tcp == num(f[2]) && udp == num(f[3]) && frames == num(f[5]) &&
	          (strcmp(f[4], "-") == 0 || hosts == num(f[4])) &&
	          !pm_an_flows(&c->a)->approximate;
	if (!ok && report) {
		mismatch(c->path,
		         "TCP/UDP flows %llu/%llu, hosts %llu, frames %llu; tshark %s/%s, %s, %s",
		         tcp, udp, hosts, frames, f[2], f[3], f[4], f[5]);
	}
	return ok;
}

/* The key of the conversation in fields f[1..5] (proto, a, a_port, b, b_port). */
static bool
conv_key(struct current *c, char **f, struct pm_flow_key *k)
{
	memset(k, 0, sizeof(*k));
	int va = pm_addr_parse(f[1 + 1], k->a), vb = pm_addr_parse(f[1 + 3], k->b);
	if (va == 0 || va != vb) {
		mismatch(c->path, "bad TSV addresses %s %s", f[2], f[4]);
		return false;
	}
	k->ipver = (uint8_t)va;
	k->proto = strcmp(f[1], "tcp") == 0 ? PM_IPPROTO_TCP : PM_IPPROTO_UDP;
	k->pa = (uint16_t)num(f[3]);
	k->pb = (uint16_t)num(f[5]);
	return true;
}

static bool
check_conv(struct current *c, char **f, bool report)
{
	struct pm_flow_key k;
	if (!conv_key(c, f, &k)) {
		return false;
	}
	const struct pm_flow *fl = pm_table_find(&pm_an_flows(&c->a)->flows, &k);
	if (fl == NULL) {
		if (report) {
			mismatch(c->path, "%s %s:%s <-> %s:%s: no flow (tshark %s+%s pkts)", f[1],
			         f[2], f[3], f[4], f[5], f[6], f[8]);
		}
		return false;
	}
	const struct pm_flow_dir *a = &fl->d[0], *b = &fl->d[1];
	bool ok = a->packets == num(f[6]) && a->bytes == num(f[7]) && b->packets == num(f[8]) &&
	          b->bytes == num(f[9]);
	if (!ok && report) {
		mismatch(c->path,
		         "%s %s:%s <-> %s:%s: %llu/%llu and %llu/%llu, tshark %s/%s and %s/%s",
		         f[1], f[2], f[3], f[4], f[5], (unsigned long long)a->packets,
		         (unsigned long long)a->bytes, (unsigned long long)b->packets,
		         (unsigned long long)b->bytes, f[6], f[7], f[8], f[9]);
	}
	return ok;
}

/* A tunnel carrier (its fields shifted by one) must be no flow: pcapmcp enters the tunnel. */
static bool
check_carrier(struct current *c, char **f, bool report)
{
	struct pm_flow_key k;
	if (!conv_key(c, f + 1, &k)) {
		return false;
	}
	bool ok = pm_table_find(&pm_an_flows(&c->a)->flows, &k) == NULL;
	if (!ok && report) {
		mismatch(c->path, "tunnel carrier %s %s:%s <-> %s:%s is a flow", f[2], f[3], f[4],
		         f[5], f[6]);
	}
	return ok;
}

static bool
check_host(struct current *c, char **f, bool report)
{
	struct pm_host_key k;
	memset(&k, 0, sizeof(k));
	k.ipver = (uint8_t)pm_addr_parse(f[2], k.addr);
	const struct pm_host *h = pm_table_find(&pm_an_hosts(&c->a)->hosts, &k);
	bool ok = h != NULL && h->pkts_sent == num(f[3]) && h->bytes_sent == num(f[4]) &&
	          h->pkts_recv == num(f[5]) && h->bytes_recv == num(f[6]);
	if (!ok && report) {
		if (h == NULL) {
			mismatch(c->path, "host %s: absent (tshark tx %s rx %s pkts)", f[2], f[3],
			         f[5]);
		} else {
			mismatch(
			    c->path, "host %s: tx %llu/%llu rx %llu/%llu, tshark tx %s/%s rx %s/%s",
			    f[2], (unsigned long long)h->pkts_sent,
			    (unsigned long long)h->bytes_sent, (unsigned long long)h->pkts_recv,
			    (unsigned long long)h->bytes_recv, f[3], f[4], f[5], f[6]);
		}
	}
	return ok;
}

/* Check one row; a row the differences table lists must disagree. */
static void
check_row(struct current *c, struct diffs *d, char **f, size_t nf, unsigned long *n_conv)
{
	long di = find_diff(d, f, nf);
	bool report = di < 0, ok;
	if (strcmp(f[1], "total") == 0 && nf >= 6) {
		ok = check_total(c, f, report);
	} else if ((strcmp(f[1], "tcp") == 0 || strcmp(f[1], "udp") == 0) && nf >= 10) {
		(*n_conv)++;
		ok = check_conv(c, f, report);
	} else if (strcmp(f[1], "carrier") == 0 && nf >= 8) {
		ok = check_carrier(c, f, report);
	} else if (strcmp(f[1], "host") == 0 && nf >= 7) {
		ok = check_host(c, f, report);
	} else if (strcmp(f[1], "skip") == 0) {
		return;
	} else {
		mismatch(c->path, "unknown or short row kind %s", f[1]);
		return;
	}
	if (!ok && di < 0 && keys_out != NULL) {
		char key[CONF_MAX_LINE];
		row_key(f, nf, key, sizeof(key));
		fprintf(keys_out, "%s\n", key);
	}
	if (di >= 0) {
		d->seen[di] = true;
		if (ok) {
			mismatch(c->path, "listed difference now agrees: %s %s %s", f[1], f[2],
			         nf > 3 ? f[3] : "");
			return;
		}
	} else if (!ok) {
		return;
	}
	pm_test_passed++;
}

static void
conformance(void)
{
	const char *corpus = pm_test_corpus_dir();
	const char *all = getenv("PCAPMCP_FLOWS_ALL");
	report_all = all != NULL && all[0] != '\0' && all[0] != '0';
	const char *keys = getenv("PCAPMCP_FLOWS_KEYS");
	keys_out = keys != NULL && keys[0] != '\0' ? fopen(keys, "w") : NULL;
	static struct diffs d;
	load_diffs(&d);
	FILE *fp = fopen(CONF_TSV, "r");
	if (fp == NULL) {
		mismatch(CONF_TSV, "cannot open (run the tests from the project root)");
		return;
	}
	if (corpus == NULL) {
		fprintf(stderr, "flows: no corpus (../shared/corpus or PCAPMCP_CORPUS): "
		                "checking captures/ rows only\n");
	}
	static struct current c; /* struct pm_analysis is large: keep it off the stack */
	char line[CONF_MAX_LINE];
	char *f[CONF_MAX_FIELDS];
	size_t nf;
	unsigned long n_files = 0, n_rows = 0, n_skipped = 0, n_conv = 0;
	close_current(&c);
	while ((nf = next_row(fp, line, sizeof(line), f)) != 0) {
		if (nf < 3) {
			mismatch(CONF_TSV, "short row for %s", f[0]);
			continue;
		}
		if (strcmp(f[1], "skip") == 0) {
			continue;
		}
		if (strcmp(f[0], c.path) != 0) {
			open_current(&c, f[0], corpus, &n_files);
		}
		if (c.skipped) {
			n_skipped++;
			continue;
		}
		if (!c.open) {
			continue;
		}
		n_rows++;
		check_row(&c, &d, f, nf, &n_conv);
	}
	close_current(&c);
	fclose(fp);
	if (keys_out != NULL) {
		fclose(keys_out);
		keys_out = NULL;
	}
	/* The table of differences stays small: at most 1 % of the conversations. */
	if (corpus != NULL) {
		CHECK(d.n_conv * 100 <= n_conv);
	}
	for (size_t i = 0; i < d.n; i++) {
		if (!d.seen[i] && corpus != NULL) {
			mismatch(CONF_DIFF_TSV, "no such row in %s: %s", CONF_TSV, d.key[i]);
		}
		free(d.key[i]);
	}
	if (n_mismatch > CONF_MAX_REPORT && !report_all) {
		fprintf(stderr, "flows: %lu more mismatches not shown (PCAPMCP_FLOWS_ALL=1)\n",
		        n_mismatch - CONF_MAX_REPORT);
	}
	fprintf(stderr,
	        "flows: %lu captures, %lu rows checked (%lu conversations), %lu skipped, %zu known "
	        "differences, %lu mismatches\n",
	        n_files, n_rows, n_conv, n_skipped, d.n, n_mismatch);
}

/* see tests/main.c */
void
test_conform(void)
{
	conformance();
}

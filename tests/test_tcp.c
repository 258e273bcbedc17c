/* SPDX-License-Identifier: MIT */
/*
 * test_tcp.c - the flow table's TCP bookkeeping against tshark's TCP
 * analysis on the public corpus (issue 10): tests/tcp_expected.tsv, made by
 * tests/mk_tcp_expected.sh, holds per-file totals and per-connection rows
 * (SYN, SYN-ACK, FIN, RST, retransmissions, completed handshakes); each
 * file is analysed once in-process and compared. Differences of definition
 * are listed in tests/tcp_differences.tsv, each with a category its header
 * describes and the frames that differ; a difference not listed fails, and
 * so does a listed one that no longer occurs or a row without category or
 * frames.
 */
#include "addr.h"
#include "analysis.h"
#include "decode.h"
#include "flow.h"
#include "test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void test_tcp(void);

#define TCP_TSV    "tests/tcp_expected.tsv"
#define DIFF_TSV   "tests/tcp_differences.tsv"
#define MAX_DIFFS  512
#define N_COUNTS   6 /* syn synack fin rst retrans handshake */
#define FIELD_CONN "connections"

static const char *const count_names[N_COUNTS] = { "syn", "synack",  "fin",
	                                           "rst", "retrans", "handshake" };

/* One listed difference: where, which count, ours and tshark's, why. */
struct diff {
	char path[256];
	char conn[128]; /* "a pa b pb", or "*" for the file's totals */
	char field[16];
	unsigned long ours, theirs;
	bool seen;
};

static struct diff diffs[MAX_DIFFS];
static size_t n_diffs;

/* The categories the table's header describes ("#   name  rule"); a row names one of them. */
static struct pm_test_cats cats;

static void
load_diffs(void)
{
	n_diffs = 0;
	cats.n = 0;
	FILE *f = fopen(DIFF_TSV, "r");
	if (f == NULL) {
		return; /* no differences listed */
	}
	char line[1024];
	while (fgets(line, sizeof(line), f) != NULL && n_diffs < MAX_DIFFS) {
		char *fld[7];
		if (line[0] == '#') {
			pm_test_cat_line(&cats, line);
			continue;
		}
		size_t nf = pm_test_split_tabs(line, fld, 7);
		if (nf < 5) {
			continue;
		}
		/* every row names a described category and the frames that differ */
		bool described = nf == 7 && pm_test_cat_known(&cats, fld[5]) && fld[6][0] != '\0';
		if (!described) {
			fprintf(stderr, "tcp: %s row without a known category or frames\n", fld[0]);
		}
		CHECK(described);
		struct diff *d = &diffs[n_diffs++];
		memset(d, 0, sizeof(*d));
		snprintf(d->path, sizeof(d->path), "%s", fld[0]);
		snprintf(d->conn, sizeof(d->conn), "%s", fld[1]);
		snprintf(d->field, sizeof(d->field), "%s", fld[2]);
		d->ours = strtoul(fld[3], NULL, 10);
		d->theirs = strtoul(fld[4], NULL, 10);
	}
	fclose(f);
}

static unsigned long n_mismatch, n_listed;

/* Compare one count; a difference passes only when tcp_differences.tsv lists it exactly. */
static void
compare(const char *path, const char *conn, const char *field, unsigned long ours,
        unsigned long theirs)
{
	if (ours == theirs) {
		pm_test_passed++;
		return;
	}
	for (size_t i = 0; i < n_diffs; i++) {
		struct diff *d = &diffs[i];
		if (strcmp(d->path, path) == 0 && strcmp(d->conn, conn) == 0 &&
		    strcmp(d->field, field) == 0 && d->ours == ours && d->theirs == theirs) {
			d->seen = true;
			n_listed++;
			pm_test_passed++;
			return;
		}
	}
	n_mismatch++;
	pm_test_failed++;
	if (n_mismatch <= 40 || getenv("PCAPMCP_TCP_VERBOSE") != NULL) {
		fprintf(stderr, "tcp: %s\t%s\t%s\t%lu\t%lu\n", path, conn, field, ours, theirs);
	}
}

/* Our counts of one flow, in count_names order. */
static void
flow_counts(const struct pm_flow *fl, unsigned long c[N_COUNTS])
{
	const struct pm_flow_dir *a = &fl->d[0], *b = &fl->d[1];
	const struct pm_flow_dir *cl = &fl->d[fl->client], *sv = &fl->d[!fl->client];
	/* d->syn counts SYN and SYN-ACK alike: the client's are SYNs, the server's SYN-ACKs */
	c[0] = cl->syn;
	c[1] = sv->syn;
	c[2] = (unsigned long)a->fin + b->fin;
	c[3] = (unsigned long)a->rst + b->rst;
	c[4] = (unsigned long)a->retrans + b->retrans;
	c[5] = fl->handshake;
}

/* The F row's totals over every TCP flow of a. */
static void
check_totals(const char *path, const struct pm_analysis *a, char **fld)
{
	unsigned long tot[N_COUNTS] = { 0 }, conns = 0;
	size_t pos = 0;
	void *v;
	const struct pm_flow_key *k;
	while ((k = pm_table_next(&pm_an_flows(a)->flows, &pos, &v)) != NULL) {
		if (k->proto != PM_IPPROTO_TCP) {
			continue;
		}
		unsigned long c[N_COUNTS];
		flow_counts(v, c);
		conns++;
		for (int i = 0; i < N_COUNTS; i++) {
			tot[i] += c[i];
		}
	}
	compare(path, "*", FIELD_CONN, conns, strtoul(fld[2], NULL, 10));
	for (int i = 0; i < N_COUNTS; i++) {
		compare(path, "*", count_names[i], tot[i], strtoul(fld[3 + i], NULL, 10));
	}
}

/* A C row: the one connection a pa <-> b pb. */
static void
check_conn(const char *path, const struct pm_analysis *a, char **fld)
{
	struct pm_flow_key k;
	memset(&k, 0, sizeof(k));
	int va = pm_addr_parse(fld[2], k.a), vb = pm_addr_parse(fld[4], k.b);
	char conn[128];
	snprintf(conn, sizeof(conn), "%s %s %s %s", fld[2], fld[3], fld[4], fld[5]);
	CHECK(va != 0 && va == vb);
	k.pa = (uint16_t)strtoul(fld[3], NULL, 10);
	k.pb = (uint16_t)strtoul(fld[5], NULL, 10);
	k.proto = PM_IPPROTO_TCP;
	k.ipver = (uint8_t)va;
	const struct pm_flow *fl = pm_table_find(&pm_an_flows(a)->flows, &k);
	if (fl == NULL) {
		compare(path, conn, FIELD_CONN, 0, 1);
		return;
	}
	unsigned long c[N_COUNTS];
	flow_counts(fl, c);
	for (int i = 0; i < N_COUNTS; i++) {
		compare(path, conn, count_names[i], c[i], strtoul(fld[6 + i], NULL, 10));
	}
}

void
test_tcp(void)
{
	const char *dir = pm_test_corpus_dir();
	if (dir == NULL) {
		fprintf(stderr, "tcp: ../shared/corpus missing, skipped\n");
		return;
	}
	FILE *f = fopen(TCP_TSV, "r");
	if (f == NULL) {
		fprintf(stderr, "tcp: cannot open %s (run from the project root)\n", TCP_TSV);
		CHECK(false);
		return;
	}
	load_diffs();
	n_mismatch = n_listed = 0;
	static struct pm_analysis a;
	static char line[8192];
	char cur[4096] = "", file[4096];
	bool loaded = false;
	unsigned long files = 0, rows = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *fld[13];
		size_t nf = line[0] == '#' ? 0 : pm_test_split_tabs(line, fld, 13);
		if (nf < 2 || (fld[0][0] == 'F' ? nf < 10 : fld[0][0] != 'C' || nf < 13)) {
			continue;
		}
		if (strcmp(cur, fld[1]) != 0) {
			if (loaded) {
				pm_analysis_free(&a);
			}
			snprintf(cur, sizeof(cur), "%s", fld[1]);
			snprintf(file, sizeof(file), "%s/%s", dir, fld[1]);
			struct pm_error err;
			memset(&err, 0, sizeof(err));
			loaded = pm_analysis_run(&a, file, NULL, &err) == 0;
			CHECK(loaded);
			files += loaded;
		}
		if (!loaded) {
			continue;
		}
		rows++;
		if (fld[0][0] == 'F') {
			check_totals(cur, &a, fld);
		} else {
			check_conn(cur, &a, fld);
		}
	}
	if (loaded) {
		pm_analysis_free(&a);
	}
	fclose(f);
	CHECK(rows > 0);
	unsigned long stale = 0;
	for (size_t i = 0; i < n_diffs; i++) {
		if (!diffs[i].seen) {
			fprintf(stderr, "tcp: listed difference no longer seen: %s %s %s\n",
			        diffs[i].path, diffs[i].conn, diffs[i].field);
			stale++;
		}
	}
	CHECK_EQ(stale, 0);
	fprintf(stderr, "tcp: %lu files, %lu rows, %lu listed differences, %lu mismatches\n", files,
	        rows, n_listed, n_mismatch);
}

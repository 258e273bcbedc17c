/* SPDX-License-Identifier: MIT */
/*
 * test_scancorpus.c - the scan detector on real captures: the recorded and
 * crafted captures/scan-*.pcap (scanner, technique, kind), then every
 * capture of the public corpus (../shared/corpus, issue 10): the scan
 * captures named in tests/scan_corpus.tsv are found with their technique,
 * and no other capture lists a scanner or a default suspect, apart from the
 * sources that file allows with a reason. One pass per file, in-process.
 */
#include "addr.h"
#include "analysis.h"
#include "scan.h"
#include "scanview.h"
#include "test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void test_scancorpus(void);

#define SCAN_TSV   "tests/scan_corpus.tsv"
#define CORPUS_TSV "tests/corpus_expected.tsv"
#define MAX_ROWS   64

/* Recorded (nmap on lo) and crafted captures: the scanner, technique and kind each must give. */
static const struct {
	const char *path;
	size_t scanners; /* sources scan_overview reports */
	const char *ip;  /* the top scanner */
	int tech;        /* its main technique */
	const char *kind;
	size_t suspects; /* list_suspects with the defaults */
} real[] = {
	{ "captures/scan-syn.pcap", 1, "127.0.0.66", PM_SCAN_SYN, "vertical", 1 },
	{ "captures/scan-fin.pcap", 1, "127.0.0.67", PM_SCAN_FIN, "vertical", 1 },
	{ "captures/scan-null.pcap", 1, "127.0.0.68", PM_SCAN_NULL, "vertical", 1 },
	{ "captures/scan-xmas.pcap", 1, "127.0.0.69", PM_SCAN_XMAS, "vertical", 1 },
	{ "captures/scan-ack.pcap", 1, "127.0.0.70", PM_SCAN_ACK, "vertical", 1 },
	{ "captures/scan-connect.pcap", 1, "127.0.0.71", PM_SCAN_CONNECT, "vertical", 1 },
	{ "captures/scan-udp.pcap", 1, "127.0.0.72", PM_SCAN_UDP, "vertical", 1 },
	{ "captures/scan-horizontal.pcap", 1, "127.0.0.77", PM_SCAN_SYN, "horizontal", 1 },
	{ "captures/scan-block.pcap", 1, "203.0.113.33", PM_SCAN_SYN, "block", 1 },
	{ "captures/scan-burst.pcap", 1, "203.0.113.50", PM_SCAN_SYN, "vertical", 1 },
	{ "captures/scan-slow.pcap", 1, "203.0.113.7", PM_SCAN_SYN, "vertical", 0 },
	{ "captures/scan-mixed-benign.pcap", 3, "203.0.113.5", PM_SCAN_SYN, "vertical", 3 },
	{ "captures/scan-techniques.pcap", 9, "203.0.113.19", PM_SCAN_ICMP, "horizontal", 9 },
};

static void
real_captures(void)
{
	static struct pm_analysis a;
	for (size_t i = 0; i < sizeof(real) / sizeof(real[0]); i++) {
		struct pm_error err;
		memset(&err, 0, sizeof(err));
		FILE *f = fopen(real[i].path, "rb");
		if (f == NULL) {
			continue; /* not generated in this checkout */
		}
		fclose(f);
		if (pm_analysis_run(&a, real[i].path, NULL, &err) != 0) {
			CHECK(false);
			continue;
		}
		const struct pm_scan_src **v;
		size_t n;
		CHECK_EQ(pm_scan_scanner_list(pm_an_scan(&a), &v, &n), 0);
		CHECK_EQ(n, real[i].scanners);
		if (n != 0) {
			char ip[48];
			pm_addr_str(v[0]->addr, v[0]->ipver, ip);
			CHECK_STR(ip, real[i].ip);
			CHECK(v[0]->tech[real[i].tech] * 2 > v[0]->hi - v[0]->lo);
			CHECK_STR(pm_scan_kind(v[0]), real[i].kind);
		}
		free(v);
		CHECK_EQ(pm_scan_suspect_list(pm_an_scan(&a), 10, 5.0, &v, &n), 0);
		CHECK_EQ(n, real[i].suspects);
		free(v);
		if (real[i].scanners != 0 && pm_scan_first(pm_an_scan(&a)) == NULL) {
			fprintf(stderr, "%s: no first scan event\n", real[i].path);
			CHECK(false);
		}
		pm_analysis_free(&a);
	}
}

/* One row of scan_corpus.tsv: a scan capture's scanner, or a source a capture may list. */
struct scan_row {
	char path[256];
	char ip[48];
	char tech[16]; /* the scanner's main technique; "-" for an allowed source */
	bool scan;     /* role "scan": must be found; "allowed": may be listed */
	bool seen;
};

static size_t
load_rows(struct scan_row *rows)
{
	FILE *f = fopen(SCAN_TSV, "r");
	if (f == NULL) {
		fprintf(stderr, "scancorpus: cannot open %s\n", SCAN_TSV);
		CHECK(false);
		return 0;
	}
	char line[1024];
	size_t n = 0;
	while (fgets(line, sizeof(line), f) != NULL && n < MAX_ROWS) {
		char *fld[5];
		if (line[0] == '#' || pm_test_split_tabs(line, fld, 5) < 4) {
			continue;
		}
		struct scan_row *r = &rows[n++];
		memset(r, 0, sizeof(*r));
		snprintf(r->path, sizeof(r->path), "%s", fld[0]);
		r->scan = strcmp(fld[1], "scan") == 0;
		snprintf(r->ip, sizeof(r->ip), "%s", fld[2]);
		snprintf(r->tech, sizeof(r->tech), "%s", fld[3]);
	}
	fclose(f);
	return n;
}

/* The technique with the most probes of src. */
static const char *
main_tech(const struct pm_scan_src *src)
{
	int best = 0;
	for (int t = 1; t < PM_SCAN_TECH_COUNT; t++) {
		if (src->tech[t] > src->tech[best]) {
			best = t;
		}
	}
	return pm_scan_tech_name((enum pm_scan_tech)best);
}

/* Check one corpus capture's scanners and suspects against rows; counts scanners seen. */
static void
check_file(const char *path, const struct pm_analysis *a, struct scan_row *rows, size_t n_rows,
           unsigned long *found)
{
	const struct pm_scan_src **v;
	size_t n;
	CHECK_EQ(pm_scan_scanner_list(pm_an_scan(a), &v, &n), 0);
	for (size_t i = 0; i < n; i++) {
		char ip[48];
		pm_addr_str(v[i]->addr, v[i]->ipver, ip);
		struct scan_row *r = NULL;
		for (size_t j = 0; j < n_rows && r == NULL; j++) {
			if (strcmp(rows[j].path, path) == 0 && strcmp(rows[j].ip, ip) == 0) {
				r = &rows[j];
			}
		}
		(*found)++;
		if (r == NULL) {
			fprintf(stderr,
			        "scancorpus: %s: %s listed as a scanner (%s, %llu targets)\n", path,
			        ip, main_tech(v[i]), (unsigned long long)v[i]->targets);
			CHECK(false);
			continue;
		}
		r->seen = true;
		if (r->scan && strcmp(main_tech(v[i]), r->tech) != 0) {
			fprintf(stderr, "scancorpus: %s: %s technique %s, want %s\n", path, ip,
			        main_tech(v[i]), r->tech);
			CHECK(false);
			continue;
		}
		pm_test_passed++;
	}
	free(v);
	/* Default suspects are scanners too (min_ports 10 counts targets). */
	CHECK_EQ(pm_scan_suspect_list(pm_an_scan(a), PM_SCAN_DEFAULT_MIN_PORTS,
	                              PM_SCAN_DEFAULT_MIN_RATE, &v, &n),
	         0);
	for (size_t i = 0; i < n; i++) {
		CHECK(v[i]->is_scanner);
	}
	free(v);
}

static void
corpus_sweep(void)
{
	const char *dir = pm_test_corpus_dir();
	if (dir == NULL) {
		fprintf(stderr, "scancorpus: ../shared/corpus missing, skipped\n");
		return;
	}
	static struct scan_row rows[MAX_ROWS];
	size_t n_rows = load_rows(rows);
	FILE *f = fopen(CORPUS_TSV, "r");
	if (f == NULL) {
		fprintf(stderr, "scancorpus: cannot open %s\n", CORPUS_TSV);
		CHECK(false);
		return;
	}
	static struct pm_analysis a;
	char line[4096], file[4096];
	unsigned long files = 0, found = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *fld[3];
		if (line[0] == '#' || pm_test_split_tabs(line, fld, 3) < 2 ||
		    strcmp(fld[1], "foreign") == 0) {
			continue;
		}
		int len = snprintf(file, sizeof(file), "%s/%s", dir, fld[0]);
		if (len < 0 || (size_t)len >= sizeof(file)) {
			continue;
		}
		struct pm_error err;
		memset(&err, 0, sizeof(err));
		if (pm_analysis_run(&a, file, NULL, &err) != 0) {
			continue; /* test_corpus checks what opens and what does not */
		}
		files++;
		check_file(fld[0], &a, rows, n_rows, &found);
		pm_analysis_free(&a);
	}
	fclose(f);
	for (size_t i = 0; i < n_rows; i++) {
		if (rows[i].scan && !rows[i].seen) {
			fprintf(stderr, "scancorpus: %s: scanner %s (%s) not found\n", rows[i].path,
			        rows[i].ip, rows[i].tech);
		}
		CHECK(!rows[i].scan || rows[i].seen);
	}
	fprintf(stderr, "scancorpus: %lu files, %lu scanners listed\n", files, found);
}

void
test_scancorpus(void)
{
	real_captures();
	corpus_sweep();
}

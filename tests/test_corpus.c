/* SPDX-License-Identifier: MIT */
/*
 * test_corpus.c - conformance against Wireshark: every capture of the public
 * corpus (../shared/corpus) is walked with both sources and compared with
 * tests/corpus_expected.tsv, which tests/mk_corpus_expected.sh makes from
 * capinfos (the TSV's header says what each column means and where capinfos
 * is wrong). Packets, interfaces, link types, earliest/latest time and time
 * order must match for `ok` rows; `error` rows must only end cleanly;
 * `foreign` files (snoop, zstd) must not open; the read() and mmap sources
 * must give identical records. Prints one line per
 * mismatch, naming the file. Does not copy or decode any capture.
 */
#include "capture.h"
#include "test.h"

#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void test_corpus(void);

#define CORPUS_TSV      "tests/corpus_expected.tsv"
#define CORPUS_MAX_LINE 8192     /* bytes of one TSV row */
#define CORPUS_MAX_LTS  1024     /* bytes of the link-type list, "1,0,113" */
#define CORPUS_MAX_RECS 50000000 /* a walk longer than this does not terminate */

enum order {
	ORDER_NONE = 0, /* "-": not checked */
	ORDER_TRUE,
	ORDER_FALSE,
	ORDER_UNKNOWN,
};

/* One row of corpus_expected.tsv; the strings point into the line buffer. */
struct expect {
	const char *path;      /* relative to the corpus dir */
	const char *status;    /* "ok", "error" or "foreign" */
	long long packets;     /* -1 when "-" */
	long long ifaces;      /* -1 when "-" */
	const char *linktypes; /* "1,0,113" or "-" */
	bool has_times;        /* min_ns/max_ns given */
	int64_t min_ns;        /* ns since the epoch, saturated to int64 */
	int64_t max_ns;        /* likewise */
	int prec_min;          /* fraction digits capinfos printed for min_ns, 0..9 */
	int prec_max;          /* the same for max_ns */
	enum order order;      /* ORDER_NONE when "-" */
};

/* What one walk of a capture saw. */
struct walk {
	int open_rc;                    /* pm_capture_open_file's return */
	int next_rc;                    /* last pm_capture_next return (0 at the end) */
	bool endless;                   /* CORPUS_MAX_RECS records without an end */
	uint64_t packets;               /* records returned */
	size_t n_ifaces;                /* c.n_ifaces at the end of the walk */
	char linktypes[CORPUS_MAX_LTS]; /* "1,0,113", or "-" without interfaces */
	bool has_times;                 /* some record carried a time stamp */
	int64_t min_ns;                 /* earliest ts_ns of the timestamped records */
	int64_t max_ns;                 /* latest */
	enum order order;               /* capinfos' notion, see the TSV header */
	uint64_t digest;                /* FNV-1a over every record's fields and bytes */
	bool damaged;                   /* c.damaged */
	char damage[sizeof(((struct pm_error *)0)->msg)]; /* c.damage.msg, copied */
};

static unsigned long n_mismatch;

static void mismatch(const char *path, const char *src, const char *fmt, ...) PM_PRINTF(3, 4);

/* Count a failure and print it as "corpus: PATH (SOURCE): what". */
static void
mismatch(const char *path, const char *src, const char *fmt, ...)
{
	va_list ap;
	pm_test_failed++;
	n_mismatch++;
	fprintf(stderr, "corpus: %s (%s): ", path, src);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++) {
		h = (h ^ b[i]) * 0x100000001b3u;
	}
	return h;
}

static long long
parse_count(const char *s)
{
	if (strcmp(s, "-") == 0) {
		return -1;
	}
	return strtoll(s, NULL, 10);
}

/*
 * The expected times are exact decimal ns; those beyond int64 (pcapng-example's
 * year-586000 interface) saturate, as pm_tsresol_to_ns does: strtoll's ERANGE
 * result is exactly that.
 */
static int64_t
parse_ns(const char *s)
{
	return (int64_t)strtoll(s, NULL, 10);
}

static enum order
parse_order(const char *s)
{
	if (strcmp(s, "true") == 0) {
		return ORDER_TRUE;
	}
	if (strcmp(s, "false") == 0) {
		return ORDER_FALSE;
	}
	if (strcmp(s, "unknown") == 0) {
		return ORDER_UNKNOWN;
	}
	return ORDER_NONE;
}

static const char *
order_name(enum order o)
{
	static const char *const names[] = { "-", "true", "false", "unknown" };
	return names[o];
}

/* Parse a data row; false for comments, blank or short lines. */
static bool
parse_row(char *line, struct expect *e)
{
	char *f[11];
	line[strcspn(line, "\r\n")] = '\0';
	if (line[0] == '#' || line[0] == '\0') {
		return false;
	}
	if (pm_test_split_tabs(line, f, 11) < 10) {
		return false;
	}
	memset(e, 0, sizeof(*e));
	e->path = f[0];
	e->status = f[1];
	e->packets = parse_count(f[2]);
	e->ifaces = parse_count(f[3]);
	e->linktypes = f[4];
	e->has_times = strcmp(f[5], "-") != 0 && strcmp(f[6], "-") != 0;
	if (e->has_times) {
		e->min_ns = parse_ns(f[5]);
		e->max_ns = parse_ns(f[6]);
		e->prec_min = e->prec_max = 9;
		if (sscanf(f[7], "%d/%d", &e->prec_min, &e->prec_max) == 1) {
			e->prec_max = e->prec_min;
		}
		if (e->prec_min < 0 || e->prec_min > 9 || e->prec_max < 0 || e->prec_max > 9) {
			e->prec_min = e->prec_max = 9;
		}
	}
	e->order = parse_order(f[9]);
	return true;
}

/*
 * ns truncated toward minus infinity to `digits` fraction digits, as capinfos
 * prints. Saturated values stay as they are: the expected side saturated too.
 */
static int64_t
trunc_ns(int64_t ns, int digits)
{
	if (ns == INT64_MAX || ns == INT64_MIN) {
		return ns;
	}
	int64_t q = 1;
	for (int i = digits; i < 9; i++) {
		q *= 10;
	}
	int64_t r = ns % q;
	if (r < 0) {
		r += q;
	}
	return ns - r;
}

static void
walk_file(const char *file, enum pm_io io, struct walk *w)
{
	struct pm_capture c;
	struct pm_error err;
	struct pm_rec r;
	int64_t prev = 0;
	bool have_prev = false;

	memset(w, 0, sizeof(*w));
	w->digest = 0xcbf29ce484222325u;
	w->order = ORDER_TRUE;
	w->open_rc = pm_capture_open_file(&c, file, io, &err);
	if (w->open_rc != 0) {
		return;
	}
	for (;;) {
		w->next_rc = pm_capture_next(&c, &r);
		if (w->next_rc != 1) {
			break;
		}
		if (++w->packets > CORPUS_MAX_RECS) {
			w->endless = true;
			break;
		}
		w->digest = fnv(w->digest, &r.caplen, sizeof(r.caplen));
		w->digest = fnv(w->digest, &r.len, sizeof(r.len));
		w->digest = fnv(w->digest, &r.iface, sizeof(r.iface));
		w->digest = fnv(w->digest, &r.has_ts, sizeof(r.has_ts));
		if (r.caplen != 0) {
			w->digest = fnv(w->digest, r.data, r.caplen);
		}
		if (!r.has_ts) {
			/* capinfos: a record without a time makes the order unknown. */
			if (w->order == ORDER_TRUE) {
				w->order = ORDER_UNKNOWN;
			}
			continue;
		}
		w->digest = fnv(w->digest, &r.ts_ns, sizeof(r.ts_ns));
		if (!w->has_times || r.ts_ns < w->min_ns) {
			w->min_ns = r.ts_ns;
		}
		if (!w->has_times || r.ts_ns > w->max_ns) {
			w->max_ns = r.ts_ns;
		}
		w->has_times = true;
		if (have_prev && r.ts_ns < prev) {
			w->order = ORDER_FALSE;
		}
		prev = r.ts_ns;
		have_prev = true;
	}
	w->n_ifaces = c.n_ifaces;
	size_t off = 0;
	for (size_t i = 0; i < c.n_ifaces && off < sizeof(w->linktypes); i++) {
		int n = snprintf(w->linktypes + off, sizeof(w->linktypes) - off, "%s%" PRIu32,
		                 i == 0 ? "" : ",", c.ifaces[i].linktype);
		if (n < 0) {
			break;
		}
		off += (size_t)n;
	}
	if (c.n_ifaces == 0) {
		snprintf(w->linktypes, sizeof(w->linktypes), "-");
	}
	w->damaged = c.damaged;
	if (c.damaged) {
		snprintf(w->damage, sizeof(w->damage), "%s", c.damage.msg);
	}
	pm_capture_close(&c);
}

static void
check_ok(const struct expect *e, const struct walk *w, const char *src)
{
	unsigned long before = n_mismatch;
	if (w->open_rc != 0) {
		mismatch(e->path, src, "open failed: %s", pm_strerror(w->open_rc));
		return;
	}
	if (w->endless) {
		mismatch(e->path, src, "walk did not end after %d records", CORPUS_MAX_RECS);
		return;
	}
	if (w->next_rc < 0) {
		mismatch(e->path, src, "pm_capture_next failed: %s", pm_strerror(w->next_rc));
	}
	if (w->damaged) {
		mismatch(e->path, src, "damaged after %" PRIu64 " records: %s", w->packets,
		         w->damage);
	}
	if (e->packets >= 0 && (long long)w->packets != e->packets) {
		mismatch(e->path, src, "expected %lld packets got %" PRIu64, e->packets,
		         w->packets);
	}
	if (e->ifaces >= 0 && (long long)w->n_ifaces != e->ifaces) {
		mismatch(e->path, src, "expected %lld interfaces got %zu", e->ifaces, w->n_ifaces);
	}
	if (strcmp(e->linktypes, w->linktypes) != 0) {
		mismatch(e->path, src, "expected link types %s got %s", e->linktypes, w->linktypes);
	}
	if (e->has_times && !w->has_times) {
		mismatch(e->path, src, "expected times %" PRId64 "..%" PRId64 " got none",
		         e->min_ns, e->max_ns);
	} else if (e->has_times) {
		if (trunc_ns(w->min_ns, e->prec_min) != e->min_ns) {
			mismatch(e->path, src,
			         "expected earliest %" PRId64 " ns got %" PRId64 " ns", e->min_ns,
			         w->min_ns);
		}
		if (trunc_ns(w->max_ns, e->prec_max) != e->max_ns) {
			mismatch(e->path, src, "expected latest %" PRId64 " ns got %" PRId64 " ns",
			         e->max_ns, w->max_ns);
		}
	} else if (w->has_times && e->packets > 0) {
		mismatch(e->path, src, "expected no times got %" PRId64 "..%" PRId64, w->min_ns,
		         w->max_ns);
	}
	if (e->order != ORDER_NONE && e->order != w->order) {
		mismatch(e->path, src, "expected time order %s got %s", order_name(e->order),
		         order_name(w->order));
	}
	if (n_mismatch == before) {
		pm_test_passed++;
	}
}

/* Read and mmap must hand out the same records. */
static void
check_same(const char *path, const struct walk *a, const struct walk *b)
{
	if (a->open_rc != b->open_rc) {
		mismatch(path, "mmap", "open returned %d, read %d", b->open_rc, a->open_rc);
		return;
	}
	if (a->packets != b->packets || a->digest != b->digest || a->min_ns != b->min_ns ||
	    a->max_ns != b->max_ns || a->damaged != b->damaged ||
	    strcmp(a->linktypes, b->linktypes) != 0) {
		mismatch(path, "mmap",
		         "differs from read: %" PRIu64 " vs %" PRIu64 " packets, %" PRId64
		         "..%" PRId64 " vs %" PRId64 "..%" PRId64 ", digest %s, damaged %d vs %d",
		         b->packets, a->packets, b->min_ns, b->max_ns, a->min_ns, a->max_ns,
		         a->digest == b->digest ? "same" : "differs", b->damaged, a->damaged);
		return;
	}
	pm_test_passed++;
}

/*
 * capinfos failed on these; the reader may read more or less of them, but
 * must end: an open error, damage, or records.
 */
static void
check_error(const struct expect *e, const struct walk *w, bool verbose)
{
	if (w->endless) {
		mismatch(e->path, "read", "walk did not end after %d records", CORPUS_MAX_RECS);
		return;
	}
	if (w->open_rc == 0 && !w->damaged && w->packets == 0) {
		mismatch(e->path, "read",
		         "capinfos fails, but the reader opens it, reads "
		         "no records and reports no damage");
		return;
	}
	pm_test_passed++;
	if (verbose) {
		fprintf(stderr,
		        "corpus: note: %s: capinfos fails after %lld packets; reader: ", e->path,
		        e->packets < 0 ? 0 : e->packets);
		if (w->open_rc != 0) {
			fprintf(stderr, "open %s\n", pm_strerror(w->open_rc));
		} else {
			fprintf(stderr, "%" PRIu64 " records, %s%s\n", w->packets,
			        w->damaged ? "damaged: " : "clean", w->damage);
		}
	}
}

/* See the file header. */
void
test_corpus(void)
{
	const char *dir = pm_test_corpus_dir();
	if (dir == NULL) {
		fprintf(stderr, "corpus: ../shared/corpus missing, skipped\n");
		return;
	}
	FILE *f = fopen(CORPUS_TSV, "r");
	if (f == NULL) {
		fprintf(stderr, "corpus: cannot open %s (run from the project root)\n", CORPUS_TSV);
		pm_test_failed++;
		return;
	}
	bool verbose = getenv("PCAPMCP_CORPUS_VERBOSE") != NULL;
	static char line[CORPUS_MAX_LINE];
	static struct walk wr, wm;
	char file[4096];
	unsigned long rows = 0, n_ok = 0, n_err = 0, n_foreign = 0;
	n_mismatch = 0;

	while (fgets(line, sizeof(line), f) != NULL) {
		struct expect e;
		if (!parse_row(line, &e)) {
			continue;
		}
		rows++;
		int n = snprintf(file, sizeof(file), "%s/%s", dir, e.path);
		if (n < 0 || (size_t)n >= sizeof(file)) {
			mismatch(e.path, "-", "path too long");
			continue;
		}
		walk_file(file, PM_IO_READ, &wr);
		if (strcmp(e.status, "ok") == 0) {
			n_ok++;
			check_ok(&e, &wr, "read");
			walk_file(file, PM_IO_MMAP, &wm);
			check_same(e.path, &wr, &wm);
		} else if (strcmp(e.status, "foreign") == 0) {
			/* Not pcap/pcapng (snoop, zstd): opening must fail. */
			n_foreign++;
			if (wr.open_rc == 0) {
				mismatch(e.path, "read", "not a pcap/pcapng file, but it opened");
			} else {
				pm_test_passed++;
			}
		} else {
			/* capinfos fails on these: read what we can, with both sources alike. */
			n_err++;
			check_error(&e, &wr, verbose);
			walk_file(file, PM_IO_MMAP, &wm);
			check_same(e.path, &wr, &wm);
		}
	}
	fclose(f);
	CHECK(rows > 0);
	fprintf(stderr, "corpus: %lu files (%lu ok, %lu error, %lu foreign), %lu mismatches\n",
	        rows, n_ok, n_err, n_foreign, n_mismatch);
}

/* SPDX-License-Identifier: MIT */
/*
 * bench_walk.c - wall time of walking one capture file, ours against libpcap.
 *
 * Methods, each run RUNS times (default 5) in its own forked child so that
 * the child's VmHWM is that method's peak resident memory:
 *   floor        read() into a 4 MiB buffer, hopping over pcap record headers
 *                with no checks: the I/O floor, classic pcap only
 *   libpcap      pcap_open_offline + pcap_next_ex, counting records and caplen
 *   read, mmap   pm_capture_open_file(PM_IO_READ / PM_IO_MMAP) + pm_capture_next
 *   decode-read, decode-mmap   the same plus pm_decode on every record
 * Each run times open + walk + close with CLOCK_MONOTONIC. The file is read
 * once before any timing so every method starts from a warm page cache.
 * Every method must agree on the record count and the caplen sum.
 *
 * Usage: bench_walk [-r RUNS] [-m METHOD[,METHOD...]] [-F] FILE
 *   -F runs the methods in this process (no fork; for valgrind), no RSS.
 */
/* pcap.h uses the BSD u_char/u_int types, which _POSIX_C_SOURCE alone hides. */
#define _DEFAULT_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "capture.h"
#include "decode.h"
#include "flow.h"
#include "info.h"

#define MAX_RUNS 31
#ifndef FLOOR_BUF
#define FLOOR_BUF (256u << 10) /* same size as PM_READ_BUF; -DFLOOR_BUF=... to compare */
#endif

enum method {
	M_FLOOR,
	M_LIBPCAP,
	M_READ,
	M_MMAP,
	M_DEC_READ,
	M_DEC_MMAP,
	M_ANALYSIS,
	M_ANALYSIS_CORE,
	M_ANALYSIS_NOWEB,
	M_ANALYSIS_NOQUIC,
	M_COUNT
};

static const char *const method_name[M_COUNT] = {
	"floor",       "libpcap",  "read",          "mmap",           "decode-read",
	"decode-mmap", "analysis", "analysis-core", "analysis-noweb", "analysis-noquic",
};

/* analysis-core: the whole pass without the protocol analysers (DNS, ICMP, DHCP, SIP, TLS, HTTP). */
#define CORE_ANALYSERS                                                                             \
	(PM_AN_BIT(INFO) | PM_AN_BIT(FLOWS) | PM_AN_BIT(TIMELINE) | PM_AN_BIT(HOSTS) |             \
	 PM_AN_BIT(SCAN) | PM_AN_BIT(TUNNELS))
/* analysis-noweb: every analyser but the two over reassembled TCP (TLS, HTTP). */
#define NOWEB_ANALYSERS (PM_AN_ALL & ~(PM_AN_BIT(TLS) | PM_AN_BIT(HTTP)))
/* analysis-noquic: analysis-noweb without QUIC. */
#define NOQUIC_ANALYSERS (NOWEB_ANALYSERS & ~PM_AN_BIT(QUIC))

/* What one method's child sends back through the pipe. */
struct result {
	int ok; /* 1 when every run succeeded */
	int runs;
	double secs[MAX_RUNS];               /* wall time of each run, seconds */
	double cpu[MAX_RUNS];                /* CPU time (user + system) of each run, seconds */
	uint64_t packets;                    /* records in one walk */
	uint64_t caplen_sum;                 /* bytes of captured data in one walk */
	uint64_t check;                      /* decode: sum of ports, lengths, proto */
	long hwm_kib;                        /* VmHWM at the end of the child, KiB; -1 unknown */
	long base_kib;                       /* VmRSS when the child started, KiB */
	uint64_t tcp, udp, icmp, ipv4, ipv6; /* decode stats of the last walk */
	char err[400];                       /* why it failed */
};

struct walk {
	uint64_t packets;
	uint64_t caplen_sum;
	uint64_t check;
	struct pm_decode_stats st;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* This process's CPU time, user and system, in seconds. */
static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Value of a "Key:   123 kB" line of /proc/self/status, or -1. */
static long
proc_status_kib(const char *key)
{
	char line[256];
	size_t kl = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f) {
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
			v = strtol(line + kl + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

static uint32_t
get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Read the file once so that every method starts from a warm page cache. */
static int
warm(const char *path, uint64_t *size)
{
	static uint8_t buf[1u << 20];
	uint64_t n = 0;
	ssize_t got;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		return -1;
	}
	while ((got = read(fd, buf, sizeof(buf))) > 0) {
		n += (uint64_t)got;
	}
	close(fd);
	*size = n;
	return got < 0 ? -1 : 0;
}

/*
 * The I/O floor: read() into a 4 MiB buffer and hop over 16-byte LE record
 * headers. No validation at all, so it is a bound, not a reader.
 */
static int
walk_floor(const char *path, struct walk *w, char *err, size_t errlen)
{
	static uint8_t buf[FLOOR_BUF];
	size_t have = 0, off = 24;
	bool header = true;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		ssize_t got = read(fd, buf + have, sizeof(buf) - have);
		if (got <= 0) {
			break;
		}
		have += (size_t)got;
		if (header) {
			if (have < 24 || get_le32(buf) != 0xa1b2c3d4) {
				snprintf(err, errlen, "floor: not a LE microsecond pcap");
				close(fd);
				return -1;
			}
			header = false;
		}
		while (have - off >= 16) {
			uint32_t caplen = get_le32(buf + off + 8);
			if (caplen > have - off - 16) {
				break;
			}
			w->packets++;
			w->caplen_sum += caplen;
			off += 16 + caplen;
		}
		memmove(buf, buf + off, have - off);
		have -= off;
		off = 0;
	}
	close(fd);
	return 0;
}

static int
walk_libpcap(const char *path, struct walk *w, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const unsigned char *data;
	pcap_t *p = pcap_open_offline(path, ebuf);
	int rc;

	if (!p) {
		snprintf(err, errlen, "libpcap: %s", ebuf);
		return -1;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		w->packets++;
		w->caplen_sum += h->caplen;
	}
	if (rc != PCAP_ERROR_BREAK) {
		snprintf(err, errlen, "libpcap: %s", pcap_geterr(p));
		pcap_close(p);
		return -1;
	}
	pcap_close(p);
	return 0;
}

static int
walk_ours(const char *path, enum pm_io io, bool decode, struct walk *w, char *err, size_t errlen)
{
	struct pm_capture c;
	struct pm_error e;
	struct pm_rec r;
	struct pm_pkt pkt;
	int rc;

	if (pm_capture_open_file(&c, path, io, &e) != 0) {
		snprintf(err, errlen, "pm_capture_open_file: %s", e.msg);
		return -1;
	}
	if (c.io != io) {
		snprintf(err, errlen, "asked for io %d, the reader used %d", (int)io, (int)c.io);
		pm_capture_close(&c);
		return -1;
	}
	while ((rc = pm_capture_next(&c, &r)) == 1) {
		w->packets++;
		w->caplen_sum += r.caplen;
		if (decode) {
			pm_decode(&w->st, r.linktype, r.data, r.caplen, r.len, r.ts_ns, &pkt);
			w->check += (uint64_t)pkt.sport + pkt.dport + pkt.payload_len + pkt.proto;
		}
	}
	if (rc < 0 || c.damaged) {
		snprintf(err, errlen, "walk ended with rc %d%s%s", rc,
		         c.damaged ? ", damaged: " : "", c.damaged ? c.damage.msg : "");
		pm_capture_close(&c);
		return -1;
	}
	pm_capture_close(&c);
	return 0;
}

/*
 * The whole pass as `pcapmcp summary` runs it: reader, decoder, every
 * analyser (analysers 0), or only the ones in the mask.
 */
static int
walk_analysis(const char *path, uint32_t analysers, struct walk *w, char *err, size_t errlen)
{
	static struct pm_analysis a;
	struct pm_analysis_opts o = { .analysers = analysers };
	struct pm_error e;
	if (pm_analysis_run(&a, path, &o, &e) != 0) {
		snprintf(err, errlen, "pm_analysis_run: %s", e.msg);
		return -1;
	}
	w->packets = pm_an_info(&a)->packets;
	w->caplen_sum = pm_an_info(&a)->bytes_captured;
	w->st = a.dec;
	w->check = pm_an_flows(&a)->flows.count;
	pm_analysis_free(&a);
	return 0;
}

static int
walk_once(enum method m, const char *path, struct walk *w, char *err, size_t errlen)
{
	memset(w, 0, sizeof(*w));
	switch (m) {
	case M_FLOOR:
		return walk_floor(path, w, err, errlen);
	case M_LIBPCAP:
		return walk_libpcap(path, w, err, errlen);
	case M_READ:
		return walk_ours(path, PM_IO_READ, false, w, err, errlen);
	case M_MMAP:
		return walk_ours(path, PM_IO_MMAP, false, w, err, errlen);
	case M_DEC_READ:
		return walk_ours(path, PM_IO_READ, true, w, err, errlen);
	case M_DEC_MMAP:
		return walk_ours(path, PM_IO_MMAP, true, w, err, errlen);
	case M_ANALYSIS_CORE:
		return walk_analysis(path, CORE_ANALYSERS, w, err, errlen);
	case M_ANALYSIS_NOWEB:
		return walk_analysis(path, NOWEB_ANALYSERS, w, err, errlen);
	case M_ANALYSIS_NOQUIC:
		return walk_analysis(path, NOQUIC_ANALYSERS, w, err, errlen);
	case M_ANALYSIS:
	default:
		return walk_analysis(path, 0, w, err, errlen);
	}
}

static void
run_method(enum method m, const char *path, int runs, struct result *res)
{
	struct walk w;
	int i;

	memset(res, 0, sizeof(*res));
	res->base_kib = proc_status_kib("VmRSS");
	res->runs = runs;
	for (i = 0; i < runs; i++) {
		double t0 = now(), c0 = cpu_now();
		if (walk_once(m, path, &w, res->err, sizeof(res->err)) != 0) {
			return;
		}
		res->secs[i] = now() - t0;
		res->cpu[i] = cpu_now() - c0;
	}
	res->packets = w.packets;
	res->caplen_sum = w.caplen_sum;
	res->check = w.check;
	res->tcp = w.st.tcp;
	res->udp = w.st.udp;
	res->icmp = w.st.icmp + w.st.icmpv6;
	res->ipv4 = w.st.ipv4;
	res->ipv6 = w.st.ipv6;
	res->hwm_kib = proc_status_kib("VmHWM");
	res->ok = 1;
}

/* Run the method in a child; its VmHWM is then the method's own peak. */
static void
run_forked(enum method m, const char *path, int runs, struct result *res)
{
	int fds[2];
	pid_t pid;

	memset(res, 0, sizeof(*res));
	if (pipe(fds) != 0) {
		snprintf(res->err, sizeof(res->err), "pipe: %s", strerror(errno));
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		snprintf(res->err, sizeof(res->err), "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		static struct result child;
		close(fds[0]);
		run_method(m, path, runs, &child);
		ssize_t put = write(fds[1], &child, sizeof(child));
		_exit(put == (ssize_t)sizeof(child) ? 0 : 1);
	}
	close(fds[1]);
	size_t got = 0;
	while (got < sizeof(*res)) {
		ssize_t n = read(fds[0], (char *)res + got, sizeof(*res) - got);
		if (n <= 0) {
			break;
		}
		got += (size_t)n;
	}
	close(fds[0]);
	int status;
	(void)waitpid(pid, &status, 0);
	if (got != sizeof(*res)) {
		memset(res, 0, sizeof(*res));
		snprintf(res->err, sizeof(res->err), "child died (status %d)", status);
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median_of(const double *v, int runs)
{
	double s[MAX_RUNS];

	memcpy(s, v, sizeof(double) * (size_t)runs);
	qsort(s, (size_t)runs, sizeof(double), cmp_double);
	if (runs % 2) {
		return s[runs / 2];
	}
	return (s[runs / 2 - 1] + s[runs / 2]) / 2;
}

static double
median(const struct result *r)
{
	return median_of(r->secs, r->runs);
}

static double
minimum(const struct result *r)
{
	double m = r->secs[0];

	for (int i = 1; i < r->runs; i++) {
		if (r->secs[i] < m) {
			m = r->secs[i];
		}
	}
	return m;
}

static int
parse_methods(const char *s, bool want[M_COUNT])
{
	char tmp[256];
	char *save = NULL;

	snprintf(tmp, sizeof(tmp), "%s", s);
	for (char *t = strtok_r(tmp, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int m;
		for (m = 0; m < M_COUNT; m++) {
			if (strcmp(t, method_name[m]) == 0) {
				want[m] = true;
				break;
			}
		}
		if (m == M_COUNT) {
			fprintf(stderr, "bench_walk: unknown method '%s'\n", t);
			return -1;
		}
	}
	return 0;
}

static int
usage(void)
{
	fprintf(
	    stderr,
	    "usage: bench_walk [-r RUNS] [-m METHOD[,METHOD...]] [-F] FILE\n"
	    "  methods: floor libpcap read mmap decode-read decode-mmap analysis analysis-core\n"
	    "           analysis-noweb analysis-noquic\n"
	    "           (default: all)\n");
	return 2;
}

int
main(int argc, char **argv)
{
	static struct result res[M_COUNT];
	bool want[M_COUNT] = { false };
	bool any = false, forked = true;
	const char *path = NULL;
	int runs = 5, i;
	uint64_t size;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) {
			runs = atoi(argv[++i]);
		} else if (strcmp(argv[i], "-m") == 0 && i + 1 < argc) {
			if (parse_methods(argv[++i], want) != 0) {
				return 2;
			}
		} else if (strcmp(argv[i], "-F") == 0) {
			forked = false;
		} else if (argv[i][0] == '-' || path) {
			return usage();
		} else {
			path = argv[i];
		}
	}
	if (!path || runs < 1 || runs > MAX_RUNS) {
		return usage();
	}
	for (i = 0; i < M_COUNT; i++) {
		any |= want[i];
	}
	if (!any) {
		for (i = 0; i < M_COUNT; i++) {
			want[i] = true;
		}
	}
	if (warm(path, &size) != 0) {
		fprintf(stderr, "bench_walk: %s: %s\n", path, strerror(errno));
		return 1;
	}
	printf("bench_walk: %s, %.1f MB, %d runs per method, median wall time, warm page cache\n",
	       path, (double)size / 1e6, runs);
	printf("%-12s %9s %9s %9s %8s %8s %9s %9s\n", "method", "median_s", "min_s", "Mpkt/s",
	       "ns/pkt", "MB/s", "/libpcap", "peak_MiB");

	int fails = 0;
	const struct result *ref = NULL;
	for (i = 0; i < M_COUNT; i++) {
		struct result *r = &res[i];
		if (!want[i]) {
			continue;
		}
		if (forked) {
			run_forked((enum method)i, path, runs, r);
		} else {
			run_method((enum method)i, path, runs, r);
			r->hwm_kib = -1;
		}
		if (!r->ok) {
			printf("%-12s FAILED: %s\n", method_name[i], r->err);
			fails++;
			continue;
		}
		if (ref && (r->packets != ref->packets || r->caplen_sum != ref->caplen_sum)) {
			printf("%-12s MISMATCH: %llu packets / %llu bytes, expected %llu / %llu\n",
			       method_name[i], (unsigned long long)r->packets,
			       (unsigned long long)r->caplen_sum, (unsigned long long)ref->packets,
			       (unsigned long long)ref->caplen_sum);
			fails++;
		}
		if (!ref) {
			ref = r;
		}
		double t = median(r);
		char ratio[16] = "-";
		if (i != M_LIBPCAP && want[M_LIBPCAP] && res[M_LIBPCAP].ok) {
			snprintf(ratio, sizeof(ratio), "%.2f", t / median(&res[M_LIBPCAP]));
		}
		char hwm[16] = "-";
		if (r->hwm_kib >= 0) {
			snprintf(hwm, sizeof(hwm), "%.1f", (double)r->hwm_kib / 1024);
		}
		printf("%-12s %9.4f %9.4f %9.2f %8.1f %8.0f %9s %9s\n", method_name[i], t,
		       minimum(r), (double)r->packets / t / 1e6, t * 1e9 / (double)r->packets,
		       (double)size / 1e6 / t, ratio, hwm);
	}
	if (ref) {
		printf("records %llu, caplen sum %llu bytes, mean %.1f bytes/record\n",
		       (unsigned long long)ref->packets, (unsigned long long)ref->caplen_sum,
		       ref->packets ? (double)ref->caplen_sum / (double)ref->packets : 0.0);
	}
	if (want[M_ANALYSIS] && res[M_ANALYSIS].ok && res[M_ANALYSIS].hwm_kib > 0) {
		const struct result *an = &res[M_ANALYSIS];
		long used = an->hwm_kib - an->base_kib;
		printf("flows: %llu, analysis peak RSS %ld KiB above the child's start, %.0f bytes "
		       "per "
		       "flow\n",
		       (unsigned long long)an->check, used,
		       an->check != 0 ? (double)used * 1024.0 / (double)an->check : 0.0);
	}
	for (i = M_ANALYSIS; i <= M_ANALYSIS_NOQUIC; i++) {
		if (want[i] && res[i].ok) {
			printf("cpu_s %s %.4f (median user + system of the runs)\n", method_name[i],
			       median_of(res[i].cpu, res[i].runs));
		}
	}
	if (want[M_ANALYSIS] && want[M_ANALYSIS_CORE] && res[M_ANALYSIS].ok &&
	    res[M_ANALYSIS_CORE].ok) {
		printf("DNS, ICMP, DHCP, SIP, TLS, HTTP: analysis / analysis-core = %.3f (median "
		       "wall), %.3f (median CPU)\n",
		       median(&res[M_ANALYSIS]) / median(&res[M_ANALYSIS_CORE]),
		       median_of(res[M_ANALYSIS].cpu, res[M_ANALYSIS].runs) /
		           median_of(res[M_ANALYSIS_CORE].cpu, res[M_ANALYSIS_CORE].runs));
	}
	if (want[M_ANALYSIS] && want[M_ANALYSIS_NOWEB] && res[M_ANALYSIS].ok &&
	    res[M_ANALYSIS_NOWEB].ok) {
		printf("TLS and HTTP: analysis / analysis-noweb = %.3f (median wall), %.3f (median "
		       "CPU)\n",
		       median(&res[M_ANALYSIS]) / median(&res[M_ANALYSIS_NOWEB]),
		       median_of(res[M_ANALYSIS].cpu, res[M_ANALYSIS].runs) /
		           median_of(res[M_ANALYSIS_NOWEB].cpu, res[M_ANALYSIS_NOWEB].runs));
	}
	if (want[M_ANALYSIS_NOWEB] && want[M_ANALYSIS_NOQUIC] && res[M_ANALYSIS_NOWEB].ok &&
	    res[M_ANALYSIS_NOQUIC].ok) {
		printf("QUIC: analysis-noweb / analysis-noquic = %.3f (median wall), %.3f (median "
		       "CPU)\n",
		       median(&res[M_ANALYSIS_NOWEB]) / median(&res[M_ANALYSIS_NOQUIC]),
		       median_of(res[M_ANALYSIS_NOWEB].cpu, res[M_ANALYSIS_NOWEB].runs) /
		           median_of(res[M_ANALYSIS_NOQUIC].cpu, res[M_ANALYSIS_NOQUIC].runs));
	}
	if (want[M_DEC_READ] && want[M_DEC_MMAP] && res[M_DEC_READ].ok && res[M_DEC_MMAP].ok &&
	    res[M_DEC_READ].check != res[M_DEC_MMAP].check) {
		printf("decode-read and decode-mmap disagree: check %llu vs %llu\n",
		       (unsigned long long)res[M_DEC_READ].check,
		       (unsigned long long)res[M_DEC_MMAP].check);
		fails++;
	}
	for (i = M_DEC_READ; i <= M_DEC_MMAP; i++) {
		if (want[i] && res[i].ok) {
			const struct result *r = &res[i];
			printf("decoded: ipv4 %llu, ipv6 %llu, tcp %llu, udp %llu, icmp %llu\n",
			       (unsigned long long)r->ipv4, (unsigned long long)r->ipv6,
			       (unsigned long long)r->tcp, (unsigned long long)r->udp,
			       (unsigned long long)r->icmp);
			break;
		}
	}
	if (forked && ref) {
		printf("peak_MiB is the child's VmHWM; it starts at %.1f MiB (VmRSS after fork)\n",
		       (double)ref->base_kib / 1024);
	}
	return fails ? 1 : 0;
}

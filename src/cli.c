/* SPDX-License-Identifier: MIT */
/*
 * cli.c - subcommands, option parsing, human-readable output and exit codes.
 * The only place (with mcp.c) that turns errors into words.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis.h"
#include "json.h"

struct opts {
	bool json;
	enum pm_io io;
	const char *file;
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: pcapmcp <verb> [options]\n"
		   "\n"
		   "verbs:\n"
		   "  info FILE [--json] [--io=mmap|read]   capture facts (capinfos-style);\n"
		   "                                       FILE may be - for stdin\n"
		   "  version                              print the version\n"
		   "  help                                 this text\n"
		   "\n"
		   "exit codes: 0 ok (warnings included), 1 internal failure, 2 usage or unreadable file\n");
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--json") == 0) {
			o->json = true;
		} else if (strncmp(a, "--io=", 5) == 0) {
			if (!pm_io_parse(a + 5, &o->io)) {
				fprintf(stderr, "pcapmcp: --io takes mmap or read, not '%s'\n", a + 5);
				return PM_EXIT_USAGE;
			}
		} else if (strcmp(a, "--io") == 0 && i + 1 < argc) {
			if (!pm_io_parse(argv[++i], &o->io)) {
				fprintf(stderr, "pcapmcp: --io takes mmap or read, not '%s'\n", argv[i]);
				return PM_EXIT_USAGE;
			}
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "pcapmcp: unknown option '%s'\n", a);
			return PM_EXIT_USAGE;
		} else if (o->file == NULL) {
			o->file = a;
		} else {
			fprintf(stderr, "pcapmcp: unexpected argument '%s'\n", a);
			return PM_EXIT_USAGE;
		}
	}
	if (o->file == NULL) {
		fprintf(stderr, "pcapmcp: %s needs a capture file\n", argv[1]);
		return PM_EXIT_USAGE;
	}
	return PM_EXIT_OK;
}

/* The time for generated_at: SOURCE_DATE_EPOCH when set (reproducible tests), else now. */
static void
generated_at(char out[40])
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	int64_t now = (int64_t)time(NULL);
	if (sde != NULL && *sde != '\0') {
		now = strtoll(sde, NULL, 10);
	}
	pm_time_iso(now * 1000000000, out);
	/* whole seconds are enough here: drop the nanoseconds */
	memcpy(out + 19, "Z", 2);
}

static int
print_json(struct pm_json *w)
{
	char at[40];
	generated_at(at);
	pm_json_kstr(w, "generated_at", at);
	pm_json_obj_end(w);
	if (pm_json_finish(w) != 0) {
		fprintf(stderr, "pcapmcp: output could not be produced (%s)\n",
			w->err ? "too large" : "internal error");
		return PM_EXIT_FAIL;
	}
	fwrite(w->buf, 1, w->len, stdout);
	fputc('\n', stdout);
	return PM_EXIT_OK;
}

static void
print_size(const char *label, uint64_t bytes)
{
	static const char *const unit[] = { "bytes", "kB", "MB", "GB", "TB" };
	double v = (double)bytes;
	size_t u = 0;
	while (v >= 1000 && u + 1 < PM_ARRAY_LEN(unit)) {
		v /= 1000;
		u++;
	}
	if (u == 0) {
		printf("%-22s%llu bytes\n", label, (unsigned long long)bytes);
	} else {
		printf("%-22s%llu bytes (%.1f %s)\n", label, (unsigned long long)bytes, v, unit[u]);
	}
}

static void
print_iface(const struct pm_capture *c, size_t i)
{
	const struct pm_iface *f = &c->ifaces[i];
	const char *name = pm_linktype_name(f->linktype);
	const char *desc = pm_linktype_desc(f->linktype);
	char res[32];
	pm_info_tsresol(f->tsresol, res, sizeof(res));
	printf("  #%-3zu %-12s %s (linktype %u%s%s), snaplen %u, %s, %llu packets\n", i,
	       f->name != NULL ? f->name : "-", desc != NULL ? desc : "unknown", f->linktype,
	       name != NULL ? ", " : "", name != NULL ? name : "", f->snaplen, res,
	       (unsigned long long)f->packets);
	if (f->isb_count != 0) {
		static const struct {
			uint32_t bit;
			const char *name;
		} names[] = { { PM_ISB_IFRECV, "received" },	 { PM_ISB_IFDROP, "dropped" },
			      { PM_ISB_FILTERACCEPT, "accepted" }, { PM_ISB_OSDROP, "os dropped" },
			      { PM_ISB_USRDELIV, "delivered" } };
		const uint64_t v[] = { f->isb_ifrecv, f->isb_ifdrop, f->isb_filteraccept,
				       f->isb_osdrop, f->isb_usrdeliv };
		printf("        statistics:");
		for (size_t k = 0; k < PM_ARRAY_LEN(names); k++) {
			if ((f->isb_present & names[k].bit) != 0) {
				printf(" %s %llu", names[k].name, (unsigned long long)v[k]);
			}
		}
		printf("\n");
	}
}

static void
print_info(const struct pm_analysis *a)
{
	const struct pm_capture *c = &a->cap;
	const struct pm_info *st = &a->info;
	const struct pm_decode_stats *d = &a->dec;
	struct pm_info_rates rt;
	pm_info_rates(st, &rt);
	char t0[40], t1[40];
	pm_time_iso(st->ts_min, t0);
	pm_time_iso(st->ts_max, t1);

	printf("%-22s%s\n", "File name:", a->path);
	printf("%-22s%s (version %u.%u, %s)\n", "File type:", pm_format_name(c->format),
	       c->ver_major, c->ver_minor, c->big_endian ? "big-endian" : "little-endian");
	printf("%-22s%s\n", "File encapsulation:", pm_info_encapsulation(c));
	print_size("File size:", c->file_size);
	printf("%-22s%llu\n", "Packets:", (unsigned long long)st->packets);
	print_size("Data size:", st->bytes_captured);
	print_size("Data on the wire:", st->bytes_wire);
	printf("%-22s%llu\n", "Truncated packets:", (unsigned long long)st->truncated);
	printf("%-22s%s\n", "First packet time:", st->has_ts ? t0 : "n/a");
	printf("%-22s%s\n", "Last packet time:", st->has_ts ? t1 : "n/a");
	printf("%-22s%.6f seconds\n", "Capture duration:", rt.duration_s);
	printf("%-22s%.0f bytes/s\n", "Data byte rate:", rt.bytes_per_s);
	printf("%-22s%.0f bits/s\n", "Data bit rate:", rt.bits_per_s);
	printf("%-22s%.2f bytes\n", "Average packet size:", rt.avg_packet_bytes);
	printf("%-22s%.2f packets/s\n", "Average packet rate:", rt.packets_per_s);
	printf("%-22s%zu\n", "Sections:", c->n_sections);
	printf("%-22s%zu\n", "Interfaces:", c->n_ifaces);
	for (size_t i = 0; i < c->n_ifaces && i < PM_INFO_MAX_IFACES_OUT; i++) {
		print_iface(c, i);
	}
	if (c->n_nrb != 0) {
		printf("%-22s%zu\n", "Name records:", c->n_nrb);
	}
	printf("%-22sEthernet %llu, VLAN-tagged %llu, SLL %llu, SLL2 %llu, loopback %llu, "
	       "raw IP %llu, unknown %llu\n",
	       "Link layer:", (unsigned long long)d->ethernet, (unsigned long long)d->vlan,
	       (unsigned long long)d->sll, (unsigned long long)d->sll2,
	       (unsigned long long)d->loopback, (unsigned long long)d->rawip,
	       (unsigned long long)d->unknown_linktype);
	printf("%-22sIPv4 %llu, IPv6 %llu, fragments %llu, ARP %llu, other %llu\n", "Network:",
	       (unsigned long long)d->ipv4, (unsigned long long)d->ipv6,
	       (unsigned long long)d->fragments, (unsigned long long)d->arp,
	       (unsigned long long)d->other_l3);
	printf("%-22sTCP %llu, UDP %llu, ICMP %llu, ICMPv6 %llu, other %llu\n", "Transport:",
	       (unsigned long long)d->tcp, (unsigned long long)d->udp, (unsigned long long)d->icmp,
	       (unsigned long long)d->icmpv6, (unsigned long long)d->other_l4);
	if (c->damaged) {
		printf("%-22scapture_damaged at byte %zu: %s\n", "Warning:", c->damage.offset,
		       c->damage.msg);
	}
	if (st->out_of_order != 0) {
		printf("%-22s%llu packets are out of time order\n", "Warning:",
		       (unsigned long long)st->out_of_order);
	}
}

static int
verb_info(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts(argc, argv, &o);
	if (rc != PM_EXIT_OK) {
		return rc;
	}
	struct pm_analysis *a = malloc(sizeof(*a));
	if (a == NULL) {
		fprintf(stderr, "pcapmcp: out of memory\n");
		return PM_EXIT_FAIL;
	}
	struct pm_error err = { 0 };
	struct pm_analysis_opts ao = { .io = o.io, .info_only = true };
	if (pm_analysis_run(a, o.file, &ao, &err) != 0) {
		fprintf(stderr, "pcapmcp: %s: %s\n", o.file, err.msg);
		free(a);
		return PM_EXIT_USAGE;
	}
	if (a->cap.damaged) {
		fprintf(stderr, "pcapmcp: warning: %s: capture_damaged at byte %zu: %s\n", o.file,
			a->cap.damage.offset, a->cap.damage.msg);
	}
	rc = PM_EXIT_OK;
	if (o.json) {
		struct pm_json w;
		pm_json_init(&w, 0);
		w.pretty = true;
		pm_json_obj_begin(&w);
		pm_json_kbool(&w, "ok", true);
		pm_info_emit(&w, &a->info, &a->cap, &a->dec, a->path);
		rc = print_json(&w);
		pm_json_free(&w);
	} else {
		print_info(a);
	}
	pm_analysis_free(a);
	free(a);
	return rc;
}

/* see cli.h */
int
pm_cli_main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return PM_EXIT_USAGE;
	}
	const char *verb = argv[1];
	if (strcmp(verb, "info") == 0) {
		return verb_info(argc, argv);
	}
	if (strcmp(verb, "version") == 0 || strcmp(verb, "--version") == 0) {
		printf("pcapmcp %s\n", PM_VERSION);
		return PM_EXIT_OK;
	}
	if (strcmp(verb, "help") == 0 || strcmp(verb, "--help") == 0 || strcmp(verb, "-h") == 0) {
		usage(stdout);
		return PM_EXIT_OK;
	}
	fprintf(stderr, "pcapmcp: unknown verb '%s'\n", verb);
	usage(stderr);
	return PM_EXIT_USAGE;
}

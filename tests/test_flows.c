/* SPDX-License-Identifier: MIT */
/*
 * test_flows.c - the flow engine on crafted captures (the tshark
 * conformance is test_conform.c).
 *
 * Small Ethernet/IPv4 pcaps built in memory exercise TCP state, client
 * detection, retransmission, reordering, zero windows, a full table, frames
 * shorter than their IP length, missing transport headers, fragment
 * reassembly and tunnels.
 */
#include "addr.h"
#include "analysis.h"
#include "flow.h"
#include "hosts.h"
#include "info.h"
#include "isotime.h"
#include "json.h"
#include "pcapbuild.h"
#include "summary.h"
#include "table.h"
#include "tcpview.h"
#include "test.h"
#include "timeline.h"
#include "tunnels.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void test_flows(void);

/* The client 10.0.0.2:40000 talks to the server 10.0.0.1:80; the server is endpoint a. */
#define SRV   0x0A000001u
#define CLI   0x0A000002u
#define SPORT 80
#define CPORT 40000
#define CISN  1000u
#define SISN  5000u
#define WIN   65535

#define F_FIN PM_TCP_FIN
#define F_SYN PM_TCP_SYN
#define F_RST PM_TCP_RST
#define F_PSH PM_TCP_PSH
#define F_ACK PM_TCP_ACK

static void
c2s(struct pcapbuf *b, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win, size_t len)
{
	pb_tcp(b, CLI, SRV, CPORT, SPORT, seq, ack, flags, win, len);
}

static void
s2c(struct pcapbuf *b, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win, size_t len)
{
	pb_tcp(b, SRV, CLI, SPORT, CPORT, seq, ack, flags, win, len);
}

static void
handshake(struct pcapbuf *b)
{
	c2s(b, CISN, 0, F_SYN, WIN, 0);
	s2c(b, SISN, CISN + 1, F_SYN | F_ACK, WIN, 0);
	c2s(b, CISN + 1, SISN + 1, F_ACK, WIN, 0);
}

/* Analyse b (freed here) into *a; exactly one flow must result. */
static const struct pm_flow *
one_flow(struct pm_analysis *a, struct pcapbuf *b, struct pm_flow_key *key)
{
	struct pm_error err;
	memset(&err, 0, sizeof(err));
	int rc = pm_analysis_run_mem(a, b->p, b->n, NULL, &err);
	free(b->p);
	CHECK_EQ(rc, 0);
	if (rc != 0) {
		return NULL;
	}
	CHECK_EQ(pm_an_flows(a)->flows.count, 1);
	size_t pos = 0;
	void *v = NULL;
	const struct pm_flow_key *k = pm_table_next(&pm_an_flows(a)->flows, &pos, &v);
	CHECK(k != NULL);
	if (k == NULL) {
		pm_analysis_free(a);
		return NULL;
	}
	*key = *k;
	/* The canonical key puts the lower address first: the server here. */
	uint8_t srv[16] = { 10, 0, 0, 1 }, cli[16] = { 10, 0, 0, 2 };
	CHECK_MEM(key->a, srv, 16);
	CHECK_MEM(key->b, cli, 16);
	CHECK_EQ(key->pa, SPORT);
	CHECK_EQ(key->pb, CPORT);
	CHECK_EQ(key->proto, PM_IPPROTO_TCP);
	CHECK_EQ(key->ipver, 4);
	return v;
}

static void
crafted_closed(void)
{
	struct pcapbuf b;
	pb_start(&b);
	handshake(&b);
	c2s(&b, CISN + 1, SISN + 1, F_PSH | F_ACK, WIN, 100);
	s2c(&b, SISN + 1, CISN + 101, F_PSH | F_ACK, WIN, 300);
	c2s(&b, CISN + 101, SISN + 301, F_FIN | F_ACK, WIN, 0);
	s2c(&b, SISN + 301, CISN + 102, F_FIN | F_ACK, WIN, 0);
	c2s(&b, CISN + 102, SISN + 302, F_ACK, WIN, 0);
	static struct pm_analysis a;
	struct pm_flow_key k;
	const struct pm_flow *fl = one_flow(&a, &b, &k);
	if (fl == NULL) {
		return;
	}
	CHECK_EQ(pm_flow_tcp_state(&k, fl), PM_TCP_CLOSED);
	CHECK_EQ(fl->client, 1); /* the SYN sender is endpoint b */
	CHECK(fl->client_by_syn);
	CHECK(fl->synack);
	CHECK(fl->handshake);
	CHECK_EQ(fl->d[1].packets, 5);
	CHECK_EQ(fl->d[0].packets, 3);
	CHECK_EQ(fl->d[1].bytes, 5 * 54 + 100);
	CHECK_EQ(fl->d[0].bytes, 3 * 54 + 300);
	CHECK_EQ(fl->d[1].payload, 100);
	CHECK_EQ(fl->d[0].payload, 300);
	CHECK_EQ(fl->d[1].syn, 1);
	CHECK_EQ(fl->d[0].syn, 1);
	CHECK_EQ(fl->d[1].fin, 1);
	CHECK_EQ(fl->d[0].fin, 1);
	CHECK_EQ(fl->d[0].retrans + fl->d[1].retrans, 0);
	CHECK_EQ(fl->d[0].ooo + fl->d[1].ooo, 0);
	CHECK_EQ(fl->d[0].zero_win + fl->d[1].zero_win, 0);
	CHECK_EQ(fl->d[1].isn, CISN);
	CHECK_EQ(fl->app, PM_APP_HTTP);
	/* Hosts: the client sent 5 packets and received 3. */
	struct pm_host_key hk;
	memset(&hk, 0, sizeof(hk));
	hk.addr[0] = 10;
	hk.addr[3] = 2;
	hk.ipver = 4;
	const struct pm_host *h = pm_table_find(&pm_an_hosts(&a)->hosts, &hk);
	CHECK(h != NULL);
	if (h != NULL) {
		CHECK_EQ(h->pkts_sent, 5);
		CHECK_EQ(h->pkts_recv, 3);
		CHECK_EQ(h->bytes_sent, 5 * 54 + 100);
		CHECK_EQ(h->bytes_recv, 3 * 54 + 300);
		CHECK_EQ(h->flows, 1);
		CHECK_EQ(h->peers, 1);
		CHECK_EQ(h->ports, 1);
	}
	struct pm_port_key pk = { .port = SPORT, .proto = PM_IPPROTO_TCP };
	const struct pm_port *pt = pm_table_find(&pm_an_hosts(&a)->ports, &pk);
	CHECK(pt != NULL);
	if (pt != NULL) {
		CHECK_EQ(pt->packets, 8);
		CHECK_EQ(pt->flows, 1);
		CHECK_EQ(pt->clients, 1);
	}
	pm_analysis_free(&a);
}

/* The server's side opens the capture (SYN-ACK first): the client is still the SYN sender. */
static void
crafted_client_from_synack(void)
{
	struct pcapbuf b;
	pb_start(&b);
	s2c(&b, SISN, CISN + 1, F_SYN | F_ACK, WIN, 0);
	c2s(&b, CISN + 1, SISN + 1, F_ACK, WIN, 0);
	static struct pm_analysis a;
	struct pm_flow_key k;
	const struct pm_flow *fl = one_flow(&a, &b, &k);
	if (fl == NULL) {
		return;
	}
	CHECK_EQ(fl->client, 1);
	CHECK_EQ(pm_flow_tcp_state(&k, fl), PM_TCP_ESTABLISHED);
	/* Without the SYN the capture joined mid-handshake: no completed handshake (issue 10). */
	CHECK_EQ(fl->handshake, 0);
	CHECK_EQ(fl->joined, 1);
	pm_analysis_free(&a);
}

/*
 * A RST injected before the real SYN-ACK (zeek rst-inject-rae.pcap, issue
 * 10): the handshake completes, so the connection is reset, not failed, and
 * the counts add up in summary and in the anomalies view.
 */
static void
crafted_rst_inject(void)
{
	struct pcapbuf b;
	pb_start(&b);
	c2s(&b, CISN, 0, F_SYN, WIN, 0);
	s2c(&b, 0, CISN + 1, F_RST | F_ACK, 0, 0);
	s2c(&b, SISN, CISN + 1, F_SYN | F_ACK, WIN, 0);
	c2s(&b, CISN + 1, SISN + 1, F_ACK, WIN, 0);
	c2s(&b, CISN + 1, SISN + 1, F_PSH | F_ACK, WIN, 25);
	s2c(&b, SISN + 1, CISN + 26, F_RST, 0, 0);
	static struct pm_analysis a;
	struct pm_flow_key k;
	const struct pm_flow *fl = one_flow(&a, &b, &k);
	if (fl == NULL) {
		return;
	}
	CHECK_EQ(fl->handshake, 1);
	CHECK_EQ(fl->rst_answer, 0);
	CHECK_EQ(pm_flow_tcp_state(&k, fl), PM_TCP_RESET);
	struct pm_tcp_health h;
	pm_summary_tcp_health(&a, &h);
	CHECK_EQ(h.handshakes_completed, 1);
	CHECK_EQ(h.state[PM_TCP_FAILED], 0);
	CHECK_EQ(h.state[PM_TCP_RESET], 1);
	struct pm_view_args v;
	struct pm_error err = { 0 };
	struct pm_json w;
	pm_view_args_init(&v);
	pm_json_init(&w, 0);
	pm_json_obj_begin(&w);
	CHECK_EQ(pm_view_tcp_anomalies(&a, &v, &w, &err), 0);
	pm_json_obj_end(&w);
	CHECK_EQ(pm_json_finish(&w), 0);
	CHECK(w.buf != NULL &&
	      strstr(w.buf, "\"successful\":1,\"failed\":0,\"incomplete\":0") != NULL);
	CHECK(w.buf != NULL && strstr(w.buf, "\"handshake_completion\"") == NULL);
	pm_json_free(&w);
	pm_analysis_free(&a);
}

/*
 * Retransmitted SYNs and SYN-ACKs (ndpi tls_port_80.pcapng, issue 10): they
 * are retransmissions, as tshark says, and the rate counts them against
 * the segments that occupy sequence space, so it stays at most 1.
 */
static void
crafted_syn_retrans(void)
{
	struct pcapbuf b;
	pb_start(&b);
	for (int i = 0; i < 5; i++) {
		c2s(&b, CISN, 0, F_SYN, WIN, 0);
		s2c(&b, SISN, CISN + 1, F_SYN | F_ACK, WIN, 0);
	}
	c2s(&b, CISN + 1, SISN + 1, F_ACK, WIN, 0);
	c2s(&b, CISN + 1, SISN + 1, F_PSH | F_ACK, WIN, 100);
	s2c(&b, SISN + 1, CISN + 101, F_ACK, WIN, 0);
	static struct pm_analysis a;
	struct pm_flow_key k;
	const struct pm_flow *fl = one_flow(&a, &b, &k);
	if (fl == NULL) {
		return;
	}
	CHECK_EQ(fl->d[1].retrans + fl->d[0].retrans, 8);
	CHECK_EQ(fl->d[1].segs + fl->d[0].segs, 11);
	struct pm_tcp_health h;
	pm_summary_tcp_health(&a, &h);
	CHECK_EQ(h.retransmissions, 8);
	CHECK_EQ(h.data_segments, 1);
	CHECK_EQ(h.seq_segments, 11);
	CHECK(pm_summary_retrans_rate(&h) <= 1.0);
	CHECK(pm_summary_retrans_rate(&h) > 0.72 && pm_summary_retrans_rate(&h) < 0.73);
	pm_analysis_free(&a);
}

static void
crafted_state(const char *name, int which, enum pm_tcp_state want)
{
	struct pcapbuf b;
	pb_start(&b);
	switch (which) {
	case 0: /* SYN answered by RST */
		c2s(&b, CISN, 0, F_SYN, WIN, 0);
		s2c(&b, 0, CISN + 1, F_RST | F_ACK, 0, 0);
		break;
	case 1: /* SYN only, repeated */
		c2s(&b, CISN, 0, F_SYN, WIN, 0);
		c2s(&b, CISN, 0, F_SYN, WIN, 0);
		break;
	case 2: /* handshake, then RST */
		handshake(&b);
		c2s(&b, CISN + 1, SISN + 1, F_PSH | F_ACK, WIN, 10);
		s2c(&b, SISN + 1, CISN + 11, F_RST | F_ACK, 0, 0);
		break;
	default: /* handshake only */
		handshake(&b);
		break;
	}
	static struct pm_analysis a;
	struct pm_flow_key k;
	const struct pm_flow *fl = one_flow(&a, &b, &k);
	if (fl == NULL) {
		return;
	}
	enum pm_tcp_state got = pm_flow_tcp_state(&k, fl);
	if (got != want) {
		fprintf(stderr, "flows: crafted %s: state %s, want %s\n", name,
		        pm_tcp_state_name(got), pm_tcp_state_name(want));
	}
	CHECK_EQ(got, want);
	CHECK_EQ(fl->client, 1);
	/* A RST carries no window: it is not a zero-window advertisement. */
	CHECK_EQ(fl->d[0].zero_win + fl->d[1].zero_win, 0);
	pm_analysis_free(&a);
}

static void
crafted_retrans(void)
{
	struct pcapbuf b;
	pb_start(&b);
	handshake(&b);
	c2s(&b, CISN + 1, SISN + 1, F_PSH | F_ACK, WIN, 100);
	c2s(&b, CISN + 1, SISN + 1, F_PSH | F_ACK, WIN, 100);
	s2c(&b, SISN + 1, CISN + 101, F_ACK, WIN, 0);
	static struct pm_analysis a;
	struct pm_flow_key k;
	const struct pm_flow *fl = one_flow(&a, &b, &k);
	if (fl == NULL) {
		return;
	}
	CHECK_EQ(fl->d[1].retrans, 1);
	CHECK_EQ(fl->d[1].ooo, 0);
	CHECK_EQ(fl->d[1].data, 2);
	CHECK_EQ(fl->d[0].retrans, 0);
	CHECK_EQ(pm_flow_tcp_state(&k, fl), PM_TCP_ESTABLISHED);
	pm_analysis_free(&a);
}

static void
crafted_ooo(void)
{
	struct pcapbuf b;
	pb_start(&b);
	handshake(&b);
	c2s(&b, CISN + 101, SISN + 1, F_PSH | F_ACK, WIN, 100); /* segment 2 first */
	c2s(&b, CISN + 1, SISN + 1, F_PSH | F_ACK, WIN, 100);   /* then segment 1 */
	c2s(&b, CISN + 201, SISN + 1, F_PSH | F_ACK, WIN, 100); /* then in order */
	s2c(&b, SISN + 1, CISN + 301, F_ACK, WIN, 0);
	static struct pm_analysis a;
	struct pm_flow_key k;
	const struct pm_flow *fl = one_flow(&a, &b, &k);
	if (fl == NULL) {
		return;
	}
	CHECK_EQ(fl->d[1].ooo, 1);
	CHECK_EQ(fl->d[1].retrans, 0);
	CHECK(!fl->d[1].hole_open);
	CHECK_EQ(fl->d[1].next_seq, CISN + 301);
	pm_analysis_free(&a);
}

static void
crafted_zero_window(void)
{
	struct pcapbuf b;
	pb_start(&b);
	handshake(&b);
	c2s(&b, CISN + 1, SISN + 1, F_PSH | F_ACK, WIN, 100);
	s2c(&b, SISN + 1, CISN + 101, F_ACK, 0, 0);
	s2c(&b, SISN + 1, CISN + 101, F_ACK, WIN, 0);
	static struct pm_analysis a;
	struct pm_flow_key k;
	const struct pm_flow *fl = one_flow(&a, &b, &k);
	if (fl == NULL) {
		return;
	}
	CHECK_EQ(fl->d[0].zero_win, 1);
	CHECK_EQ(fl->d[1].zero_win, 0);
	pm_analysis_free(&a);
}

/* An empty ACK whose IP header claims 85 bytes more than the frame holds (telnet.pcap). */
static void
c2s_overlong(struct pcapbuf *b, uint32_t seq, uint32_t ack)
{
	uint8_t f[14 + 20 + 20] = { 0 };
	f[0] = 0x02;
	f[6] = 0x02;
	f[11] = 1;
	pb_be16(f + 12, PM_ETH_IPV4);
	uint8_t *ip = f + 14, *t = f + 34;
	ip[0] = 0x45;
	pb_be16(ip + 2, 40 + 85);
	ip[8] = 64;
	ip[9] = PM_IPPROTO_TCP;
	pb_be32(ip + 12, CLI);
	pb_be32(ip + 16, SRV);
	pb_be16(t, CPORT);
	pb_be16(t + 2, SPORT);
	pb_be32(t + 4, seq);
	pb_be32(t + 8, ack);
	t[12] = 5 << 4;
	t[13] = F_ACK;
	pb_be16(t + 14, WIN);
	pb_record(b, f, sizeof(f));
}

/* The payload is bounded by the frame: empty ACKs are no retransmissions (issue 10). */
static void
crafted_overlong(void)
{
	struct pcapbuf b;
	pb_start(&b);
	handshake(&b);
	c2s(&b, CISN + 1, SISN + 1, F_PSH | F_ACK, WIN, 100);
	for (int i = 0; i < 3; i++) {
		c2s_overlong(&b, CISN + 101, SISN + 1);
	}
	static struct pm_analysis a;
	struct pm_flow_key k;
	const struct pm_flow *fl = one_flow(&a, &b, &k);
	if (fl == NULL) {
		return;
	}
	CHECK_EQ(fl->d[1].retrans, 0);
	CHECK_EQ(fl->d[1].data, 1);
	CHECK_EQ(fl->d[1].payload, 100);
	CHECK_EQ(fl->d[1].packets, 6);
	pm_analysis_free(&a);
}

/* An IP header without its TCP header makes no port-0 flow, only IP-level counts. */
static void
crafted_no_l4(void)
{
	struct pcapbuf b, t;
	pb_start(&b);
	pb_start(&t);
	pb_tcp(&t, CLI, SRV, CPORT, SPORT, CISN, 0, F_SYN, WIN, 0);
	pb_record(&b, t.p + 24 + 16, 14 + 20); /* the frame cut after its IP header */
	pb_free(&t);
	pb_udp(&b, CLI, SRV, 1024, 53, 20);
	static struct pm_analysis a;
	struct pm_error err;
	memset(&err, 0, sizeof(err));
	int rc = pm_analysis_run_mem(&a, b.p, b.n, NULL, &err);
	pb_free(&b);
	CHECK_EQ(rc, 0);
	if (rc != 0) {
		return;
	}
	CHECK_EQ(pm_an_flows(&a)->flows.count, 1); /* the UDP flow only */
	CHECK_EQ(pm_an_flows(&a)->ip_packets, 2);
	CHECK_EQ(pm_an_flows(&a)->ip_only_packets, 1);
	CHECK_EQ(pm_an_flows(&a)->ip_only_bytes, 34);
	CHECK_EQ(a.dec.tcp, 0);
	pm_analysis_free(&a);
}

/* One IPv4 fragment CLI -> SRV of a UDP datagram: payload bytes [off, off + n) of dgram. */
static void
frag4(struct pcapbuf *b, uint16_t id, size_t off, bool more, const uint8_t *dgram, size_t n)
{
	uint8_t f[14 + 20 + 256] = { 0 };
	f[0] = 0x02;
	f[6] = 0x02;
	f[11] = 1;
	pb_be16(f + 12, PM_ETH_IPV4);
	uint8_t *ip = f + 14;
	ip[0] = 0x45;
	pb_be16(ip + 2, (uint32_t)(20 + n));
	pb_be16(ip + 4, id);
	pb_be16(ip + 6, (uint32_t)((more ? 0x2000 : 0) | off / 8));
	ip[8] = 64;
	ip[9] = PM_IPPROTO_UDP;
	pb_be32(ip + 12, CLI);
	pb_be32(ip + 16, SRV);
	memcpy(ip + 20, dgram + off, n);
	pb_record(b, f, 34 + n);
}

/* Analyse b (freed here) with every analyser; false when the run failed. */
static bool
run_all(struct pm_analysis *a, struct pcapbuf *b)
{
	struct pm_error err;
	memset(&err, 0, sizeof(err));
	int rc = pm_analysis_run_mem(a, b->p, b->n, NULL, &err);
	pb_free(b);
	CHECK_EQ(rc, 0);
	return rc == 0;
}

/*
 * A UDP datagram in three fragments, the last first: reassembled once, its
 * flow holds one packet (the completing frame's bytes, as tshark counts it)
 * with the whole payload; the other two count at IP level only. A repeated
 * fragment with other bytes is an overlap; a datagram left incomplete is
 * counted at the end, and fragments 61 s old by then time out.
 */
static void
crafted_fragments(void)
{
	uint8_t dg[8 + 200];
	memset(dg, 'a', sizeof(dg));
	pb_be16(dg, CPORT);
	pb_be16(dg + 2, 53);
	pb_be16(dg + 4, sizeof(dg));
	struct pcapbuf b;
	pb_start(&b);
	frag4(&b, 7, 160, false, dg, sizeof(dg) - 160);
	frag4(&b, 7, 0, true, dg, 80);
	uint8_t other[sizeof(dg)];
	memset(other, 'z', sizeof(other));
	frag4(&b, 7, 0, true, other, 80); /* overlaps the first copy, which wins */
	frag4(&b, 7, 80, true, dg, 80);
	frag4(&b, 8, 0, true, dg, 80); /* never completed */
	frag4(&b, 9, 0, true, dg, 80);
	b.ts_us += 61u * 1000000;
	frag4(&b, 9, 80, false, dg, 80); /* the first part timed out */
	/* A first fragment the snap length cut is not reassembled: its UDP header is a flow. */
	size_t at = b.n;
	frag4(&b, 10, 0, true, dg, 80);
	pb_le32(b.p + at + 12, 34 + 1480);          /* the record's wire length */
	pb_be16(b.p + at + 16 + 14 + 2, 20 + 1480); /* and the IP length */
	b.p[at + 16 + 14 + 12 + 3] = 9;             /* another source: a flow of its own */
	static struct pm_analysis a;
	if (!run_all(&a, &b)) {
		return;
	}
	const struct pm_flows *f = pm_an_flows(&a);
	CHECK_EQ(f->flows.count, 2);
	CHECK_EQ(f->ip_packets, 8);
	CHECK_EQ(f->ip_only_packets, 6);
	CHECK_EQ(a.dec.frag_unusable, 1);
	CHECK_EQ(a.dec.frag_datagrams, 1);
	CHECK_EQ(a.dec.frag_overlaps, 1);
	CHECK_EQ(a.dec.frag_timeouts, 2);   /* ids 8 and 9 were 61 s old at the last frame */
	CHECK_EQ(a.dec.frag_incomplete, 1); /* id 9's second part */
	size_t pos = 0;
	void *v = NULL;
	const struct pm_flow_key *k = pm_table_next(&f->flows, &pos, &v);
	CHECK(k != NULL);
	if (k != NULL) {
		const struct pm_flow *fl = v;
		CHECK_EQ(k->proto, PM_IPPROTO_UDP);
		CHECK_EQ(k->pa + k->pb, CPORT + 53);
		CHECK_EQ(fl->d[0].packets + fl->d[1].packets, 1);
		CHECK_EQ(fl->d[0].payload + fl->d[1].payload, 200);
		CHECK_EQ(fl->d[0].bytes + fl->d[1].bytes, 34 + 80); /* the completing frame */
	}
	pm_analysis_free(&a);
}

/* Wrap the last frame written to inner in Ethernet/IPv4/UDP/VXLAN from src to dst, into b. */
static void
vxlan_wrap(struct pcapbuf *b, struct pcapbuf *inner, uint32_t src, uint32_t dst)
{
	const uint8_t *rec = inner->p + 24;
	size_t n = (size_t)rec[8] | (size_t)rec[9] << 8;
	uint8_t f[14 + 20 + 8 + 8 + 1600] = { 0 };
	f[0] = 0x02;
	f[6] = 0x02;
	pb_be16(f + 12, PM_ETH_IPV4);
	uint8_t *ip = f + 14, *u = f + 34, *vx = f + 42;
	ip[0] = 0x45;
	pb_be16(ip + 2, (uint32_t)(20 + 8 + 8 + n));
	ip[8] = 64;
	ip[9] = PM_IPPROTO_UDP;
	pb_be32(ip + 12, src);
	pb_be32(ip + 16, dst);
	pb_be16(u, 50000);
	pb_be16(u + 2, 4789); /* RFC 7348 */
	pb_be16(u + 4, (uint32_t)(8 + 8 + n));
	vx[0] = 0x08; /* VNI valid */
	memcpy(f + 50, rec + 16, n);
	pb_record(b, f, 50 + n);
	pb_free(inner);
	pb_start(inner);
}

/*
 * Three TCP flows inside VXLAN between two VTEPs, one of them also seen
 * from the other VTEP: flows count the inner packets, the tunnels analyser
 * one row per outer direction with its packets and new inner flows.
 */
static void
crafted_tunnels(void)
{
	struct pcapbuf b, in;
	pb_start(&b);
	pb_start(&in);
	const uint32_t vtep1 = 0xC0000201u, vtep2 = 0xC0000202u;
	for (uint16_t i = 0; i < 3; i++) {
		pb_tcp(&in, CLI, SRV, (uint16_t)(CPORT + i), SPORT, CISN, 0, F_SYN, WIN, 0);
		vxlan_wrap(&b, &in, vtep1, vtep2);
	}
	pb_tcp(&in, SRV, CLI, SPORT, CPORT, SISN, CISN + 1, F_SYN | F_ACK, WIN, 0);
	vxlan_wrap(&b, &in, vtep2, vtep1);
	pb_free(&in);
	static struct pm_analysis a;
	if (!run_all(&a, &b)) {
		return;
	}
	CHECK_EQ(pm_an_flows(&a)->flows.count, 3);
	CHECK_EQ(a.dec.tunnels[PM_TUN_VXLAN], 4);
	const struct pm_tunnels *t = pm_an_tunnels(&a);
	CHECK(t != NULL);
	if (t == NULL) {
		return;
	}
	CHECK_EQ(t->packets, 4);
	CHECK_EQ(t->rows.count, 2);
	size_t pos = 0;
	void *v = NULL;
	const struct pm_tunnel_key *k;
	uint64_t flows = 0, pkts = 0;
	while ((k = pm_table_next(&t->rows, &pos, &v)) != NULL) {
		const struct pm_tunnel_row *r = v;
		CHECK_EQ(k->kind, PM_TUN_VXLAN);
		CHECK_EQ(k->ipver, 4);
		flows += r->inner_flows;
		pkts += r->packets;
	}
	CHECK_EQ(flows, 3);
	CHECK_EQ(pkts, 4);
	/* get_pcap_summary lists them: kind and outer endpoints, most packets first. */
	struct pm_json w;
	struct pm_view_args va;
	struct pm_error err = { 0 };
	pm_view_args_init(&va);
	pm_json_init(&w, 0);
	pm_json_obj_begin(&w);
	CHECK_EQ(pm_summary_emit(&a, &va, &w, &err), 0);
	pm_json_obj_end(&w);
	CHECK_EQ(pm_json_finish(&w), 0);
	CHECK(w.buf != NULL && strstr(w.buf, "\"tunnelled_packets\":4,") != NULL);
	CHECK(w.buf != NULL && strstr(w.buf, "\"tunnels\":[{\"kind\":\"vxlan\",") != NULL);
	CHECK(w.buf != NULL && strstr(w.buf, "\"tunnels_page\":{\"total\":2,") != NULL);
	pm_json_free(&w);
	pm_analysis_free(&a);
}

#define FULL_FLOWS 5000
#define FULL_BYTES (64u << 10) /* far below what 5000 flow records need */

/*
 * 5000 UDP flows through a table capped at max_bytes: flows are dropped and
 * counted, the result says it is approximate, and decoder totals stay exact.
 */
static void
table_full(size_t max_bytes, bool expect_some)
{
	struct pcapbuf b;
	pb_start(&b);
	for (uint32_t i = 0; i < FULL_FLOWS; i++) {
		pb_udp(&b, 0xC0A80000u + i, 0x0A000001u, (uint16_t)(1024 + i), 53, 20);
	}
	static struct pm_analysis a;
	struct pm_analysis_opts o;
	memset(&o, 0, sizeof(o));
	o.max_table_bytes = max_bytes;
	struct pm_error err;
	memset(&err, 0, sizeof(err));
	int rc = pm_analysis_run_mem(&a, b.p, b.n, &o, &err);
	free(b.p);
	CHECK_EQ(rc, 0);
	if (rc != 0) {
		return;
	}
	CHECK(pm_an_flows(&a)->approximate);
	CHECK(pm_an_flows(&a)->flows.dropped > 0);
	CHECK(pm_an_flows(&a)->flows.count < FULL_FLOWS);
	if (expect_some) {
		CHECK(pm_an_flows(&a)->flows.count > 0);
	}
	CHECK_EQ(pm_an_flows(&a)->flows.count + pm_an_flows(&a)->flows.dropped, FULL_FLOWS);
	CHECK_EQ(pm_an_flows(&a)->dropped_packets, pm_an_flows(&a)->flows.dropped);
	/* The cap is a promise about memory: no table may hold more. */
	if (pm_an_flows(&a)->flows.bytes > max_bytes) {
		fprintf(stderr, "flows: table capped at %zu bytes holds %zu\n", max_bytes,
		        pm_an_flows(&a)->flows.bytes);
	}
	CHECK(pm_an_flows(&a)->flows.bytes <= max_bytes);
	CHECK_EQ(a.dec.udp, FULL_FLOWS);
	CHECK_EQ(a.dec.packets, FULL_FLOWS);
	CHECK_EQ(pm_an_flows(&a)->ip_packets, FULL_FLOWS);
	pm_analysis_free(&a);
}

static void
crafted_table_full(void)
{
	table_full(FULL_BYTES, false);
	/*
	 * Room for the recent-key cache (PM_TABLE_RECENT slots of a 64-bit tag and
	 * a 64-bit index) plus 64 KiB: some flows fit, 5000 cannot (>= 200 bytes each).
	 */
	table_full(PM_TABLE_RECENT * 2 * sizeof(uint64_t) + FULL_BYTES, true);
}

/*
 * libFuzzer's find (fuzz_capture, minimized): a first packet in 1915 (a
 * negative if_tsoffset) and a last one saturated at INT64_MAX are more than
 * INT64_MAX ns apart; the timeline took that difference in int64_t (the
 * ASan+UBSan build aborted). Both land in the timeline.
 */
static void
timeline_span(void)
{
	static struct pm_analysis a;
	struct pm_error err;
	memset(&err, 0, sizeof(err));
	int rc = pm_analysis_run(&a, "fuzz/corpus/capture/ubsan-timeline-span-overflow-min.pcapng",
	                         NULL, &err);
	CHECK_EQ(rc, 0);
	if (rc != 0) {
		return;
	}
	const struct pm_timeline *tl = pm_an_timeline(&a);
	CHECK_EQ(pm_an_info(&a)->packets, 2);
	CHECK(pm_an_info(&a)->ts_min < 0 && pm_an_info(&a)->ts_max == INT64_MAX);
	CHECK_EQ(tl->base, pm_an_info(&a)->ts_min);
	CHECK_EQ(tl->before, 0);
	uint64_t pkts = 0;
	for (size_t i = 0; i < PM_TIMELINE_SLOTS; i++) {
		pkts += tl->pkts[i];
	}
	CHECK_EQ(pkts, 2);
	CHECK_EQ(tl->pkts[0], 1);
	/* The last slot in use holds the INT64_MAX packet: span / width < slots. */
	CHECK_EQ(tl->pkts[tl->used - 1], 1);
	/* The same span in seconds, as the views compute it: no signed overflow. */
	CHECK(pm_time_span_s(pm_an_info(&a)->ts_min, INT64_MAX) > 9.2e9);
	CHECK(pm_time_span_s(INT64_MAX, pm_an_info(&a)->ts_min) < -9.2e9);
	CHECK(pm_time_span_s(1000000000, 3500000000) == 2.5);
	CHECK((uint64_t)INT64_MAX - (uint64_t)tl->base >= (uint64_t)tl->width * (tl->used - 1));
	pm_analysis_free(&a);
}

/* see the file comment */
void
test_flows(void)
{
	timeline_span();
	crafted_closed();
	crafted_client_from_synack();
	crafted_rst_inject();
	crafted_syn_retrans();
	crafted_state("syn-rst", 0, PM_TCP_FAILED);
	crafted_state("syn-only", 1, PM_TCP_FAILED);
	crafted_state("handshake-rst", 2, PM_TCP_RESET);
	crafted_state("handshake", 3, PM_TCP_ESTABLISHED);
	crafted_retrans();
	crafted_ooo();
	crafted_zero_window();
	crafted_overlong();
	crafted_no_l4();
	crafted_fragments();
	crafted_tunnels();
	crafted_table_full();
}

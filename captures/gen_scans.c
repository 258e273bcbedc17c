/* SPDX-License-Identifier: MIT */
/*
 * gen_scans.c - writes the crafted port-scan captures of captures/ (scan-*.pcap).
 *
 * One standalone C11 program (libc only), run with the output directory as
 * argv[1]. Each file is classic pcap (little-endian, microseconds, Ethernet)
 * with fixed time stamps and fixed bytes, so the scanners, their targets and
 * the benign traffic around them are known exactly; captures/scans_expected.tsv
 * holds the answers. It does not write the loopback recordings (scan-syn.pcap
 * and friends), which come from nmap and tcpdump. References: RFC 791, 792,
 * 793/9293 (RST generation, §3.10.7), 768, 8200, 1035, and nmap's scan types.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE (64 * 1024) /* every capture stays under this, bytes */
#define MAX_PKTS 2048        /* packets per file */
#define MAX_L3   256         /* bytes per network-layer packet */

#define PCAP_MAGIC_US 0xA1B2C3D4u /* draft-ietf-opsawg-pcap §4 */
#define LT_ETHER      1
#define SNAPLEN       262144

#define ETH_IPV4 0x0800 /* RFC 894 */
#define ETH_IPV6 0x86DD /* RFC 2464 */

#define IPP_ICMP 1
#define IPP_TCP  6
#define IPP_UDP  17

#define ICMP_ECHO_REPLY   0 /* RFC 792 */
#define ICMP_UNREACH      3
#define ICMP_UNREACH_PORT 3
#define ICMP_ECHO         8

#define TCP_FIN 0x01 /* RFC 9293 §3.1 */
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20

#define US_PER_S 1000000LL
#define RTT_US   2000 /* client-server round trip of the background traffic */
#define REPLY_US 150  /* a probed host's reply delay */

/* A byte buffer: a network-layer packet or a transport segment. */
struct buf {
	uint8_t d[MAX_L3]; /* the bytes */
	size_t n;          /* bytes used */
};

/* One address and port. IPv4 addresses use a[0..3] and alen 4. */
struct ep {
	uint8_t a[16]; /* address, network order */
	size_t alen;   /* 4 or 16 */
	uint16_t port; /* host order; 0 for ICMP */
};

/* One captured frame, kept until the file is sorted by time and written. */
struct pkt {
	int64_t ts_us; /* microseconds since the epoch */
	size_t off;    /* offset of the frame in g_pool */
	size_t len;    /* frame length, bytes */
	int seq;       /* emission order, breaks ties between equal times */
};

static uint8_t g_pool[MAX_PKTS * (MAX_L3 + 14)]; /* frames of the file being built */
static size_t g_pool_n;                          /* bytes used in g_pool */
static struct pkt g_pkts[MAX_PKTS];              /* packets of the file being built */
static int g_npkts;                              /* packets used */
static bool g_full;                              /* a cap was hit; the file is not written */
static int64_t g_t0;                             /* the file's time origin, µs */
static uint16_t g_ipid;                          /* next IPv4 identification */
static uint32_t g_rng;                           /* LCG state for ISNs and ephemeral ports */
static const char *g_dir;                        /* output directory */
static int g_files;                              /* files written */
static int g_errors;                             /* files that could not be written */

static const uint8_t V6_PREFIX[14] = { 0x20, 0x01, 0x0d, 0xb8 }; /* 2001:db8::/32, RFC 3849 */

static uint32_t
rnd(void)
{
	g_rng = g_rng * 1103515245u + 12345u;
	return g_rng >> 1;
}

static void
begin_file(int64_t t0_s, uint32_t seed)
{
	g_pool_n = 0;
	g_npkts = 0;
	g_full = false;
	g_t0 = t0_s * US_PER_S;
	g_ipid = 0x1000;
	g_rng = seed;
}

static void
put_u8(struct buf *b, uint8_t v)
{
	if (b->n >= sizeof(b->d)) {
		g_full = true;
		return;
	}
	b->d[b->n++] = v;
}

static void
put_bytes(struct buf *b, const void *p, size_t n)
{
	const uint8_t *s = p;

	for (size_t i = 0; i < n; i++) {
		put_u8(b, s[i]);
	}
}

static void
put_be16(struct buf *b, uint16_t v)
{
	put_u8(b, (uint8_t)(v >> 8));
	put_u8(b, (uint8_t)v);
}

static void
put_be32(struct buf *b, uint32_t v)
{
	put_be16(b, (uint16_t)(v >> 16));
	put_be16(b, (uint16_t)v);
}

static void
patch_be16(struct buf *b, size_t at, uint16_t v)
{
	b->d[at] = (uint8_t)(v >> 8);
	b->d[at + 1] = (uint8_t)v;
}

/* RFC 1071 one's-complement sum; an odd tail is padded with a zero byte. */
static uint32_t
csum_add(uint32_t acc, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2) {
		acc += (uint32_t)(p[i] << 8 | p[i + 1]);
	}
	if (i < n) {
		acc += (uint32_t)p[i] << 8;
	}
	return acc;
}

static uint16_t
csum_fold(uint32_t acc)
{
	while (acc >> 16) {
		acc = (acc & 0xffff) + (acc >> 16);
	}
	return (uint16_t)~acc;
}

static struct ep
ep4(uint32_t ip, uint16_t port)
{
	struct ep e = { .alen = 4, .port = port };

	e.a[0] = (uint8_t)(ip >> 24);
	e.a[1] = (uint8_t)(ip >> 16);
	e.a[2] = (uint8_t)(ip >> 8);
	e.a[3] = (uint8_t)ip;
	return e;
}

/* 2001:db8::<host>, host being the last 16 bits. */
static struct ep
ep6(uint16_t host, uint16_t port)
{
	struct ep e = { .alen = 16, .port = port };

	memcpy(e.a, V6_PREFIX, sizeof(V6_PREFIX));
	e.a[14] = (uint8_t)(host >> 8);
	e.a[15] = (uint8_t)host;
	return e;
}

static uint32_t
ip4(unsigned a, unsigned b, unsigned c, unsigned d)
{
	return (uint32_t)a << 24 | (uint32_t)b << 16 | (uint32_t)c << 8 | (uint32_t)d;
}

/*
 * Wraps the segment in an IPv4 (RFC 791, DF set, TTL 64) or IPv6 (RFC 8200,
 * hop limit 64) header into l3, and fills the transport checksum (RFC 9293
 * §3.1, RFC 768 and RFC 792, the last without a pseudo-header).
 */
static void
ip_packet(struct buf *l3, const struct ep *src, const struct ep *dst, uint8_t proto,
          struct buf *seg)
{
	size_t at = proto == IPP_TCP ? 16 : proto == IPP_UDP ? 6 : 2;
	uint32_t acc = 0;
	uint16_t c;

	if (proto != IPP_ICMP) {
		acc = csum_add(acc, src->a, src->alen);
		acc = csum_add(acc, dst->a, dst->alen);
		acc += proto;
		acc += (uint32_t)seg->n;
	}
	c = csum_fold(csum_add(acc, seg->d, seg->n));
	patch_be16(seg, at, proto == IPP_UDP && c == 0 ? 0xffff : c);

	l3->n = 0;
	if (src->alen == 4) {
		put_u8(l3, 0x45);
		put_u8(l3, 0);
		put_be16(l3, (uint16_t)(20 + seg->n));
		put_be16(l3, g_ipid++);
		put_be16(l3, 0x4000); /* DF */
		put_u8(l3, 64);
		put_u8(l3, proto);
		put_be16(l3, 0);
		put_bytes(l3, src->a, 4);
		put_bytes(l3, dst->a, 4);
		patch_be16(l3, 10, csum_fold(csum_add(0, l3->d, 20)));
	} else {
		put_be32(l3, 0x60000000u);
		put_be16(l3, (uint16_t)seg->n);
		put_u8(l3, proto);
		put_u8(l3, 64);
		put_bytes(l3, src->a, 16);
		put_bytes(l3, dst->a, 16);
	}
	put_bytes(l3, seg->d, seg->n);
}

/*
 * Appends an Ethernet frame carrying l3 at t_us past the file's origin.
 * MACs are 02:00 followed by the last four address bytes. Frames are not
 * padded to 60 bytes, as on the sending host.
 */
static void
emit(int64_t t_us, const struct ep *src, const struct ep *dst, const struct buf *l3)
{
	struct pkt *p;
	uint8_t *f;

	if (g_npkts >= MAX_PKTS || g_full) {
		g_full = true;
		return;
	}
	p = &g_pkts[g_npkts];
	p->ts_us = g_t0 + t_us;
	p->off = g_pool_n;
	p->len = 14 + l3->n;
	p->seq = g_npkts++;
	f = g_pool + p->off;
	f[0] = 0x02;
	f[1] = 0x00;
	memcpy(f + 2, dst->a + dst->alen - 4, 4);
	f[6] = 0x02;
	f[7] = 0x00;
	memcpy(f + 8, src->a + src->alen - 4, 4);
	f[12] = (uint8_t)((src->alen == 4 ? ETH_IPV4 : ETH_IPV6) >> 8);
	f[13] = (uint8_t)(src->alen == 4 ? ETH_IPV4 : ETH_IPV6);
	memcpy(f + 14, l3->d, l3->n);
	g_pool_n += p->len;
}

static void
tcp(int64_t t_us, const struct ep *s, const struct ep *d, uint32_t seq, uint32_t ack, uint8_t flags,
    const char *payload)
{
	struct buf seg = { .n = 0 };
	struct buf l3;
	bool mss = (flags & TCP_SYN) != 0;

	put_be16(&seg, s->port);
	put_be16(&seg, d->port);
	put_be32(&seg, seq);
	put_be32(&seg, ack);
	put_u8(&seg, (uint8_t)((mss ? 6 : 5) << 4));
	put_u8(&seg, flags);
	put_be16(&seg, (flags & TCP_RST) != 0 ? 0 : 1024);
	put_be16(&seg, 0);
	put_be16(&seg, 0);
	if (mss) {
		put_u8(&seg, 2); /* MSS, RFC 9293 §3.2 */
		put_u8(&seg, 4);
		put_be16(&seg, 1460);
	}
	put_bytes(&seg, payload, strlen(payload));
	ip_packet(&l3, s, d, IPP_TCP, &seg);
	emit(t_us, s, d, &l3);
}

/* Sends a UDP datagram; the network-layer packet is left in *l3. */
static void
udp(int64_t t_us, const struct ep *s, const struct ep *d, const void *payload, size_t n,
    struct buf *l3)
{
	struct buf seg = { .n = 0 };

	put_be16(&seg, s->port);
	put_be16(&seg, d->port);
	put_be16(&seg, (uint16_t)(8 + n));
	put_be16(&seg, 0);
	put_bytes(&seg, payload, n);
	ip_packet(l3, s, d, IPP_UDP, &seg);
	emit(t_us, s, d, l3);
}

/* ICMP echo request or reply (RFC 792) with a 16-byte payload. */
static void
icmp_echo(int64_t t_us, const struct ep *s, const struct ep *d, uint8_t type, uint16_t id,
          uint16_t sq)
{
	struct buf seg = { .n = 0 };
	struct buf l3;

	put_u8(&seg, type);
	put_u8(&seg, 0);
	put_be16(&seg, 0);
	put_be16(&seg, id);
	put_be16(&seg, sq);
	put_bytes(&seg, "pcapmcp-scan-gen", 16);
	ip_packet(&l3, s, d, IPP_ICMP, &seg);
	emit(t_us, s, d, &l3);
}

/* ICMP port unreachable (RFC 792) quoting the IP header and 8 bytes of orig. */
static void
icmp_port_unreach(int64_t t_us, const struct ep *s, const struct ep *d, const struct buf *orig)
{
	struct buf seg = { .n = 0 };
	struct buf l3;

	put_u8(&seg, ICMP_UNREACH);
	put_u8(&seg, ICMP_UNREACH_PORT);
	put_be16(&seg, 0);
	put_be32(&seg, 0);
	put_bytes(&seg, orig->d, orig->n < 28 ? orig->n : 28);
	ip_packet(&l3, s, d, IPP_ICMP, &seg);
	emit(t_us, s, d, &l3);
}

/*
 * A complete benign TCP conversation: handshake, one request and one
 * response with data, then an orderly FIN close (8 packets over about 4 RTT).
 */
static void
conversation(int64_t t, const struct ep *c, const struct ep *s, const char *req, const char *resp)
{
	uint32_t x = rnd();
	uint32_t y = rnd();
	uint32_t xq = (uint32_t)strlen(req);
	uint32_t yr = (uint32_t)strlen(resp);

	tcp(t, c, s, x, 0, TCP_SYN, "");
	tcp(t + RTT_US / 2, s, c, y, x + 1, TCP_SYN | TCP_ACK, "");
	tcp(t + RTT_US, c, s, x + 1, y + 1, TCP_ACK, "");
	tcp(t + RTT_US + 50, c, s, x + 1, y + 1, TCP_PSH | TCP_ACK, req);
	tcp(t + 2 * RTT_US, s, c, y + 1, x + 1 + xq, TCP_PSH | TCP_ACK, resp);
	tcp(t + 3 * RTT_US, c, s, x + 1 + xq, y + 1 + yr, TCP_FIN | TCP_ACK, "");
	tcp(t + 3 * RTT_US + RTT_US / 2, s, c, y + 1 + yr, x + 2 + xq, TCP_FIN | TCP_ACK, "");
	tcp(t + 4 * RTT_US, c, s, x + 2 + xq, y + 2 + yr, TCP_ACK, "");
}

static uint16_t
ephemeral(void)
{
	return (uint16_t)(32768 + rnd() % 28000);
}

static void
http_client(int64_t t, uint32_t client, uint32_t server, uint16_t port)
{
	struct ep c = ep4(client, ephemeral());
	struct ep s = ep4(server, port);

	conversation(t, &c, &s, "GET / HTTP/1.0\r\n\r\n", "HTTP/1.0 200 OK\r\n\r\nok");
}

/* A DNS query for example.com (RFC 1035 §4.1) and its answer 20 ms later. */
static void
dns_exchange(int64_t t, uint32_t resolver, uint32_t server, uint16_t id)
{
	static const uint8_t q[] = { 7,   'e', 'x', 'a', 'm', 'p', 'l', 'e', 3,
		                     'c', 'o', 'm', 0,   0,   1,   0,   1 };
	static const uint8_t rr[] = {
		0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 192, 0, 2, 80
	};
	struct ep c = ep4(resolver, ephemeral());
	struct ep s = ep4(server, 53);
	struct buf m = { .n = 0 };
	struct buf l3;

	put_be16(&m, id);
	put_be16(&m, 0x0000); /* standard query, RD clear: an iterative resolver */
	put_be16(&m, 1);
	put_be16(&m, 0);
	put_be16(&m, 0);
	put_be16(&m, 0);
	put_bytes(&m, q, sizeof(q));
	udp(t, &c, &s, m.d, m.n, &l3);
	patch_be16(&m, 2, 0x8400); /* response, AA */
	patch_be16(&m, 6, 1);
	put_bytes(&m, rr, sizeof(rr));
	udp(t + 20000, &s, &c, m.d, m.n, &l3);
}

static bool
port_in(uint16_t port, const uint16_t *set, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (set[i] == port) {
			return true;
		}
	}
	return false;
}

/*
 * One stealth-scan probe (nmap -sS/-sF/-sN/-sX/-sA/-sM) from s to d and the
 * reply RFC 9293 §3.10.7 prescribes: SYN to an open port gets SYN-ACK (the
 * scanner's kernel answers RST); to a closed port RST-ACK. FIN, NULL and
 * XMAS get RST-ACK when closed and nothing when open. ACK and FIN+ACK
 * (Maimon) get a bare RST, open or closed. A filtered target answers nothing.
 */
static void
probe(int64_t t, const struct ep *s, const struct ep *d, uint8_t flags, bool open, bool filtered)
{
	uint32_t seq = rnd();
	uint32_t ack = (flags & TCP_ACK) != 0 ? rnd() : 0;
	uint32_t len = (flags & (TCP_SYN | TCP_FIN)) != 0 ? 1 : 0;
	int64_t r = t + REPLY_US;

	tcp(t, s, d, seq, ack, flags, "");
	if (filtered) {
		return;
	}
	if ((flags & TCP_ACK) != 0) {
		tcp(r, d, s, ack, 0, TCP_RST, "");
	} else if (flags == TCP_SYN && open) {
		tcp(r, d, s, rnd(), seq + 1, TCP_SYN | TCP_ACK, "");
		tcp(r + REPLY_US, s, d, seq + 1, 0, TCP_RST, "");
	} else if (!open) {
		tcp(r, d, s, 0, seq + len, TCP_RST | TCP_ACK, "");
	}
}

/* A connect() scan probe: SYN; if open, SYN-ACK, ACK, then RST-ACK, no data. */
static void
connect_probe(int64_t t, const struct ep *scanner, const struct ep *d, bool open)
{
	struct ep s = *scanner;
	uint32_t seq = rnd();
	uint32_t y = rnd();

	s.port = ephemeral();
	tcp(t, &s, d, seq, 0, TCP_SYN, "");
	if (!open) {
		tcp(t + REPLY_US, d, &s, 0, seq + 1, TCP_RST | TCP_ACK, "");
		return;
	}
	tcp(t + REPLY_US, d, &s, y, seq + 1, TCP_SYN | TCP_ACK, "");
	tcp(t + 2 * REPLY_US, &s, d, seq + 1, y + 1, TCP_ACK, "");
	tcp(t + 3 * REPLY_US, &s, d, seq + 1, y + 1, TCP_RST | TCP_ACK, "");
}

static int
cmp_pkt(const void *a, const void *b)
{
	const struct pkt *x = a;
	const struct pkt *y = b;

	if (x->ts_us != y->ts_us) {
		return x->ts_us < y->ts_us ? -1 : 1;
	}
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static void
put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Sorts the packets by time and writes them as one classic pcap file. */
static void
write_file(const char *name)
{
	static uint8_t out[MAX_FILE];
	char path[1024];
	size_t n = 24;
	FILE *fp;
	int r = snprintf(path, sizeof(path), "%s/%s", g_dir, name);

	qsort(g_pkts, (size_t)g_npkts, sizeof(g_pkts[0]), cmp_pkt);
	put_le32(out, PCAP_MAGIC_US);
	put_le32(out + 4, 2 | 4u << 16); /* version 2.4 */
	put_le32(out + 8, 0);            /* thiszone */
	put_le32(out + 12, 0);           /* sigfigs */
	put_le32(out + 16, SNAPLEN);
	put_le32(out + 20, LT_ETHER);
	for (int i = 0; i < g_npkts && !g_full; i++) {
		const struct pkt *p = &g_pkts[i];

		if (p->len + 16 > sizeof(out) - n) {
			g_full = true;
			break;
		}
		put_le32(out + n, (uint32_t)(p->ts_us / US_PER_S));
		put_le32(out + n + 4, (uint32_t)(p->ts_us % US_PER_S));
		put_le32(out + n + 8, (uint32_t)p->len);
		put_le32(out + n + 12, (uint32_t)p->len);
		memcpy(out + n + 16, g_pool + p->off, p->len);
		n += 16 + p->len;
	}
	if (g_full || r < 0 || (size_t)r >= sizeof(path)) {
		fprintf(stderr, "gen_scans: %s: too large\n", name);
		g_errors++;
		return;
	}
	fp = fopen(path, "wb");
	if (fp == NULL) {
		perror(path);
		g_errors++;
		return;
	}
	if (fwrite(out, 1, n, fp) != n || fclose(fp) != 0) {
		perror(path);
		g_errors++;
		return;
	}
	g_files++;
}

/* ---- the captures ---- */

#define S(x)  ((int64_t)(x)*US_PER_S)
#define MS(x) ((int64_t)(x)*1000)

/*
 * scan-mixed-benign.pcap, origin 2024-03-01T10:00:00Z, about 110 s: web
 * server 192.0.2.10 with 30 clients, resolver 192.0.2.53 and 25 servers, busy
 * server 192.0.2.11 with 30 clients, three IPv6 clients of 2001:db8::20, and
 * exactly three scanners (see scans_expected.tsv).
 */
static void
gen_mixed(void)
{
	static const uint16_t open_a[] = { 22, 80 };
	static const uint16_t open_v6[] = { 22, 80 };
	struct ep a = ep4(ip4(203, 0, 113, 5), 48211);
	struct ep b = ep4(ip4(203, 0, 113, 9), 61002);
	struct ep v6 = ep6(0x0bad, 50433);

	begin_file(1709287200, 1);
	for (unsigned i = 0; i < 30; i++) {
		http_client(S(2) + MS(3500) * i, ip4(198, 51, 100, 101 + i), ip4(192, 0, 2, 10),
		            i % 2 == 0 ? 80 : 443);
	}
	for (unsigned i = 0; i < 25; i++) {
		dns_exchange(S(5) + MS(4000) * i, ip4(192, 0, 2, 53), ip4(198, 51, 100, 1 + i),
		             (uint16_t)(0x2000 + i));
	}
	for (unsigned i = 0; i < 30; i++) {
		struct ep c = ep4(ip4(198, 51, 100, 151 + i), ephemeral());
		struct ep s = ep4(ip4(192, 0, 2, 11), i % 2 == 0 ? 8443 : 8444);
		int64_t t = S(30) + MS(50) * i;

		if (i % 2 == 0) {
			conversation(t, &c, &s, "PING\n", "PONG\n");
		} else {
			uint32_t x = rnd();

			tcp(t, &c, &s, x, 0, TCP_SYN, "");
			tcp(t + RTT_US / 2, &s, &c, 0, x + 1, TCP_RST | TCP_ACK, "");
		}
	}
	for (unsigned p = 1; p <= 100; p++) {
		struct ep d = ep4(ip4(192, 0, 2, 20), (uint16_t)p);

		probe(S(40) + MS(5) * (p - 1), &a, &d, TCP_SYN, port_in((uint16_t)p, open_a, 2),
		      false);
	}
	for (unsigned h = 1; h <= 60; h++) {
		struct ep d = ep4(ip4(192, 0, 2, h), 445);

		probe(S(60) + MS(10) * (h - 1), &b, &d, TCP_SYN, false, true);
	}
	for (unsigned p = 1; p <= 50; p++) {
		struct ep d = ep6(0x20, (uint16_t)p);

		probe(S(80) + MS(5) * (p - 1), &v6, &d, TCP_FIN, port_in((uint16_t)p, open_v6, 2),
		      false);
	}
	for (unsigned i = 0; i < 3; i++) {
		struct ep c = ep6((uint16_t)(0xc1 + i), ephemeral());
		struct ep s = ep6(0x20, 80);

		conversation(S(85) + S(5) * i, &c, &s, "GET / HTTP/1.0\r\n\r\n",
		             "HTTP/1.0 200 OK\r\n\r\nok");
	}
	write_file("scan-mixed-benign.pcap");
}

/* Background for the slow and burst files: web clients and resolver queries. */
static void
background(int64_t span, int64_t step_http, int64_t step_dns)
{
	unsigned i = 0;

	for (int64_t t = S(1); t < span; t += step_http, i++) {
		http_client(t, ip4(198, 51, 100, 101 + i % 100), ip4(192, 0, 2, 10),
		            i % 2 == 0 ? 80 : 443);
	}
	i = 0;
	for (int64_t t = S(3); t < span; t += step_dns, i++) {
		dns_exchange(t, ip4(192, 0, 2, 53), ip4(198, 51, 100, 1 + i % 50),
		             (uint16_t)(0x3000 + i));
	}
}

/*
 * scan-slow.pcap, origin 2024-03-01T11:00:00Z: 203.0.113.7 SYN-probes ports
 * 1-40 of 192.0.2.30 (22 open), one probe every 10.5 s from t = 20 s, so no
 * 60 s window, closed or half-open, holds more than 6 probes.
 */
static void
gen_slow(void)
{
	static const uint16_t open[] = { 22 };
	struct ep s = ep4(ip4(203, 0, 113, 7), 40404);

	begin_file(1709290800, 2);
	background(S(450), S(30), S(45));
	for (unsigned p = 1; p <= 40; p++) {
		struct ep d = ep4(ip4(192, 0, 2, 30), (uint16_t)p);

		probe(S(20) + MS(10500) * (p - 1), &s, &d, TCP_SYN, port_in((uint16_t)p, open, 1),
		      false);
	}
	write_file("scan-slow.pcap");
}

/*
 * scan-burst.pcap, origin 2024-03-01T12:00:00Z, 600 s: 203.0.113.50 sends
 * 100 SYN probes to ports 1-100 of 192.0.2.50 (22 and 80 open), one every
 * 20 ms from t = 300 s, and nothing else. The last benign packet is at
 * t = 598.008 s.
 */
static void
gen_burst(void)
{
	static const uint16_t open[] = { 22, 80 };
	struct ep s = ep4(ip4(203, 0, 113, 50), 55555);

	begin_file(1709294400, 3);
	background(S(600), S(30), S(40));
	http_client(S(598), ip4(198, 51, 100, 200), ip4(192, 0, 2, 10), 80);
	for (unsigned p = 1; p <= 100; p++) {
		struct ep d = ep4(ip4(192, 0, 2, 50), (uint16_t)p);

		probe(S(300) + MS(20) * (p - 1), &s, &d, TCP_SYN, port_in((uint16_t)p, open, 2),
		      false);
	}
	write_file("scan-burst.pcap");
}

/* nmap's top 20 TCP ports and a 20-port UDP list. */
static const uint16_t TOP20_TCP[20] = { 21,  22,  23,  25,  53,   80,   110,  111,  135,  139,
	                                443, 445, 993, 995, 1723, 3306, 3389, 5900, 8080, 8443 };
static const uint16_t UDP20[20] = { 53,  67,  68,  69,  111,  123,  135,  137,   138,   161,
	                            162, 500, 514, 520, 1900, 4500, 5353, 11211, 33434, 9999 };

/*
 * scan-techniques.pcap, origin 2024-03-01T13:00:00Z: one source per
 * technique against 192.0.2.40 (TCP 22, 80 and 443 open), 10 s apart, one
 * probe every 10 ms; then an ICMP echo sweep of 192.0.2.100-140.
 */
static void
gen_techniques(void)
{
	static const uint16_t open[] = { 22, 80, 443 };
	static const uint8_t kinds[6] = {
		TCP_SYN, TCP_FIN, 0, TCP_FIN | TCP_PSH | TCP_URG, TCP_ACK, TCP_FIN | TCP_ACK,
	};
	struct ep con = ep4(ip4(203, 0, 113, 17), 0);
	struct ep u = ep4(ip4(203, 0, 113, 18), 45678);
	struct ep ic = ep4(ip4(203, 0, 113, 19), 0);

	begin_file(1709298000, 4);
	for (unsigned i = 0; i < 5; i++) {
		http_client(S(2) + S(2) * i, ip4(198, 51, 100, 101 + i), ip4(192, 0, 2, 40), 80);
		dns_exchange(S(3) + S(20) * i, ip4(192, 0, 2, 53), ip4(198, 51, 100, 1 + i),
		             (uint16_t)(0x4000 + i));
	}
	for (unsigned k = 0; k < 6; k++) {
		struct ep s = ep4(ip4(203, 0, 113, 11 + k), (uint16_t)(40000 + k));

		for (unsigned i = 0; i < 20; i++) {
			struct ep d = ep4(ip4(192, 0, 2, 40), TOP20_TCP[i]);

			probe(S(10 + 10 * k) + MS(10) * i, &s, &d, kinds[k],
			      port_in(TOP20_TCP[i], open, 3), false);
		}
	}
	for (unsigned i = 0; i < 20; i++) {
		struct ep d = ep4(ip4(192, 0, 2, 40), TOP20_TCP[i]);

		connect_probe(S(70) + MS(10) * i, &con, &d, port_in(TOP20_TCP[i], open, 3));
	}
	for (unsigned i = 0; i < 20; i++) {
		struct ep d = ep4(ip4(192, 0, 2, 40), UDP20[i]);
		int64_t t = S(80) + MS(10) * i;
		struct buf l3;

		udp(t, &u, &d, "", 0, &l3);
		if (UDP20[i] == 53) {
			udp(t + REPLY_US, &d, &u, "\0\0\x80\x01\0\0\0\0\0\0\0\0", 12, &l3);
		} else if (UDP20[i] != 161) {
			icmp_port_unreach(t + REPLY_US, &d, &u, &l3);
		}
	}
	for (unsigned h = 100; h <= 140; h++) {
		struct ep d = ep4(ip4(192, 0, 2, h), 0);
		int64_t t = S(90) + MS(10) * (h - 100);

		icmp_echo(t, &ic, &d, ICMP_ECHO, 0x5ca7, (uint16_t)(h - 99));
		if (h % 5 == 0) {
			icmp_echo(t + REPLY_US, &d, &ic, ICMP_ECHO_REPLY, 0x5ca7,
			          (uint16_t)(h - 99));
		}
	}
	write_file("scan-techniques.pcap");
}

/*
 * scan-block.pcap, origin 2024-03-01T14:00:00Z: 203.0.113.33 SYN-scans 12
 * ports on each of 192.0.2.64-88 (25 hosts), port by port, one probe every
 * 4 ms from t = 10 s. Only .64-.68 are up; the rest are silent (filtered).
 */
static void
gen_block(void)
{
	static const uint16_t ports[12] = {
		21, 22, 23, 25, 53, 80, 110, 139, 443, 445, 3389, 8080
	};
	struct ep s = ep4(ip4(203, 0, 113, 33), 33333);
	unsigned n = 0;

	begin_file(1709301600, 5);
	for (unsigned i = 0; i < 6; i++) {
		http_client(S(2) + S(5) * i, ip4(198, 51, 100, 101 + i), ip4(192, 0, 2, 64), 80);
		dns_exchange(S(4) + S(5) * i, ip4(192, 0, 2, 53), ip4(198, 51, 100, 1 + i),
		             (uint16_t)(0x5000 + i));
	}
	for (unsigned p = 0; p < 12; p++) {
		for (unsigned h = 64; h <= 88; h++, n++) {
			struct ep d = ep4(ip4(192, 0, 2, h), ports[p]);
			bool open = (h == 64 && (ports[p] == 22 || ports[p] == 80)) ||
			            (h == 65 && ports[p] == 443) || (h == 66 && ports[p] == 22);

			probe(S(10) + MS(4) * n, &s, &d, TCP_SYN, open, h > 68);
		}
	}
	write_file("scan-block.pcap");
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_scans OUTPUT_DIR\n");
		return 2;
	}
	g_dir = argv[1];
	gen_mixed();
	gen_slow();
	gen_burst();
	gen_techniques();
	gen_block();
	printf("gen_scans: wrote %d files to %s\n", g_files, g_dir);
	return g_errors == 0 ? 0 : 1;
}

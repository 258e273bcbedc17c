/* SPDX-License-Identifier: MIT */
/*
 * gen_big.c - writes a large, deterministic classic pcap for the benchmarks.
 *
 * Output: little-endian pcap, microsecond timestamps, LINKTYPE_ETHERNET,
 * snaplen 65535. Flows are started as the file grows and a pool of them is
 * interleaved at random: ~85% TCP (handshake, request/response rounds, FIN
 * close; HTTP text on port 80, TLS 1.2 records on port 443: a ClientHello
 * with SNI and ALPN, a ServerHello, Certificate and ServerHelloDone, then
 * application data), ~12% UDP (2/3 DNS exchanges on port 53 with
 * well-formed RFC 1035 messages, 1/3 other datagram exchanges), ~3% ICMP
 * echo. ~10% of each kind is IPv6. IPv4 header, TCP, UDP and ICMP checksums
 * are correct. The same arguments always give the same bytes.
 *
 * It is a bench tool, not part of the library: bench/run.sh builds it with
 * cc directly. It does not try to model any real network's statistics.
 *
 * Usage: gen_big [-s SIZE[K|M|G]] [-n PACKETS] [OUT]   (default 1.1G, bench/data/big.pcap)
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL      2048        /* flows in progress at any time */
#define OUT_BUF   (8u << 20)  /* stdio buffer for the output file */
#define RAND_POOL 65536       /* bytes of random payload material */
#define MAX_FRAME 1514        /* Ethernet frame without FCS */
#define MIN_FRAME 60          /* Ethernet minimum without FCS */
#define MSS4      1460        /* TCP MSS over IPv4 on a 1500-byte MTU */
#define MSS6      1440        /* TCP MSS over IPv6 on a 1500-byte MTU */
#define T0        1704067200u /* 2024-01-01T00:00:00Z, first timestamp */

#define ETH_IPV4 0x0800 /* RFC 894 */
#define ETH_IPV6 0x86DD /* RFC 2464 */
#define P_ICMP   1
#define P_TCP    6
#define P_UDP    17
#define P_ICMPV6 58

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_PSH 0x08
#define TH_ACK 0x10

enum kind { K_TCP, K_DNS, K_UDP, K_ICMP, K_COUNT };

/* TCP script phases; see step_tcp. */
enum phase {
	PH_SYN,
	PH_SYNACK,
	PH_ACK,
	PH_REQ,
	PH_RESP,
	PH_CACK,
	PH_FIN1,
	PH_FIN2,
	PH_FIN3,
	PH_DONE
};

struct flow {
	uint32_t idx; /* flow number, unique across the file */
	enum kind kind;
	bool v6;
	uint8_t cip[16];       /* client address, network order; IPv4 in the first 4 bytes */
	uint8_t sip[16];       /* server address, same layout */
	uint8_t cmac[6];       /* client MAC; the server side is behind the gateway MAC */
	uint16_t cport, sport; /* host order; ICMP: echo id in cport */
	uint32_t cseq, sseq;   /* next sequence number each side sends */
	enum phase phase;
	uint32_t rounds;  /* TCP request/response rounds, or UDP/ICMP exchanges */
	uint32_t round;   /* rounds done */
	uint32_t left;    /* TCP: response bytes still to send */
	uint32_t unacked; /* TCP: server segments since the last client ACK */
	bool
	    resp_hdr; /* TCP port 80: the response's HTTP head was sent; 443: the server's flight */
	uint16_t dns_id; /* DNS transaction id */
	uint32_t name;   /* DNS/HTTP host number */
};

struct gen {
	uint64_t rng; /* xorshift64* state */
	FILE *out;
	uint64_t bytes; /* bytes written, file header included */
	uint64_t packets;
	uint64_t usec;     /* timestamp of the last packet, µs after T0 */
	uint32_t next_idx; /* next flow number */
	uint64_t started[K_COUNT];
	uint64_t finished;
	uint64_t v6_flows;
	uint8_t rnd[RAND_POOL + MAX_FRAME]; /* payload material */
	struct flow pool[POOL];
};

static uint64_t
rnd(struct gen *g)
{
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 0x2545F4914F6CDD1DULL;
}

/* Uniform in [lo, hi]. */
static uint32_t
rnd_in(struct gen *g, uint32_t lo, uint32_t hi)
{
	return lo + (uint32_t)((rnd(g) >> 32) % (hi - lo + 1));
}

static void
be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* RFC 1071 one's-complement sum, not yet folded. */
static uint32_t
sum16(const uint8_t *p, size_t n, uint32_t s)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2) {
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	}
	if (n & 1) {
		s += (uint32_t)p[n - 1] << 8;
	}
	return s;
}

static uint16_t
fold(uint32_t s)
{
	while (s >> 16) {
		s = (s & 0xffff) + (s >> 16);
	}
	return (uint16_t)~s;
}

/*
 * Write Ethernet and IP headers for an L4 segment of l4len bytes in the given
 * direction; returns the offset of the L4 header.
 */
static size_t
put_l3(uint8_t *f, const struct flow *fl, bool c2s, uint8_t proto, size_t l4len)
{
	static const uint8_t gw[6] = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	const uint8_t *src = c2s ? fl->cip : fl->sip;
	const uint8_t *dst = c2s ? fl->sip : fl->cip;

	memcpy(f, c2s ? gw : fl->cmac, 6);
	memcpy(f + 6, c2s ? fl->cmac : gw, 6);
	if (fl->v6) {
		be16(f + 12, ETH_IPV6);
		be32(f + 14, 0x60000000u | (fl->idx & 0xfffff));
		be16(f + 18, (uint16_t)l4len);
		f[20] = proto;
		f[21] = c2s ? 64 : 57;
		memcpy(f + 22, src, 16);
		memcpy(f + 38, dst, 16);
		return 54;
	}
	be16(f + 12, ETH_IPV4);
	f[14] = 0x45;
	f[15] = 0;
	be16(f + 16, (uint16_t)(20 + l4len));
	be16(f + 18, (uint16_t)(fl->idx * 7 + fl->round));
	be16(f + 20, 0x4000); /* DF */
	f[22] = c2s ? 64 : 57;
	f[23] = proto;
	be16(f + 24, 0);
	memcpy(f + 26, src, 4);
	memcpy(f + 30, dst, 4);
	be16(f + 24, fold(sum16(f + 14, 20, 0)));
	return 34;
}

/* Fill the L4 checksum at l4 + csum_off (TCP, UDP, ICMPv6 use the pseudo-header). */
static void
l4_csum(uint8_t *f, const struct flow *fl, size_t l4, size_t l4len, uint8_t proto, size_t csum_off)
{
	uint32_t s = 0;

	be16(f + l4 + csum_off, 0);
	if (proto != P_ICMP) {
		if (fl->v6) {
			s = sum16(f + 22, 32, 0);
		} else {
			s = sum16(f + 26, 8, 0);
		}
		s += proto + (uint32_t)l4len;
	}
	s = sum16(f + l4, l4len, s);
	uint16_t c = fold(s);
	if (proto == P_UDP && c == 0) {
		c = 0xffff; /* RFC 768: a computed zero is sent as all ones */
	}
	be16(f + l4 + csum_off, c);
}

/* Pad to the Ethernet minimum; returns the frame length. */
static size_t
finish(uint8_t *f, size_t n)
{
	if (n < MIN_FRAME) {
		memset(f + n, 0, MIN_FRAME - n);
		n = MIN_FRAME;
	}
	return n;
}

static size_t
tcp_seg(struct gen *g, uint8_t *f, struct flow *fl, bool c2s, uint8_t flags, size_t plen,
        const void *head, size_t head_len)
{
	size_t optlen = (flags & TH_SYN) ? 20 : 12;
	size_t hl = 20 + optlen;
	size_t l4 = put_l3(f, fl, c2s, P_TCP, hl + plen);
	uint8_t *t = f + l4;
	uint32_t *seq = c2s ? &fl->cseq : &fl->sseq;
	uint32_t ack = c2s ? fl->sseq : fl->cseq;

	be16(t, c2s ? fl->cport : fl->sport);
	be16(t + 2, c2s ? fl->sport : fl->cport);
	be32(t + 4, *seq);
	be32(t + 8, (flags & TH_ACK) ? ack : 0);
	t[12] = (uint8_t)((hl / 4) << 4);
	t[13] = flags;
	be16(t + 14, c2s ? 2052 : 2049); /* scaled by 2^7 (SYN option) */
	be16(t + 18, 0);
	uint32_t tsval = (uint32_t)(g->usec / 1000);
	if (flags & TH_SYN) {
		/* MSS, SACK permitted, timestamps, NOP, window scale (RFC 9293, 2018, 7323) */
		static const uint8_t o[8] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10 };
		memcpy(t + 20, o, 8);
		if (fl->v6) {
			be16(t + 22, MSS6);
		}
		be32(t + 28, tsval);
		be32(t + 32, c2s ? 0 : tsval - 3);
		t[36] = 1;
		t[37] = 3;
		t[38] = 3;
		t[39] = 7;
	} else {
		t[20] = 1;
		t[21] = 1;
		t[22] = 8;
		t[23] = 10;
		be32(t + 24, tsval);
		be32(t + 28, tsval - 3);
	}
	uint8_t *p = t + hl;
	size_t tl = head_len < plen ? head_len : plen;
	if (tl) {
		memcpy(p, head, tl);
	}
	if (plen > tl) {
		memcpy(p + tl, g->rnd + rnd_in(g, 0, RAND_POOL - 1), plen - tl);
	}
	*seq += (uint32_t)plen + ((flags & (TH_SYN | TH_FIN)) ? 1u : 0u);
	l4_csum(f, fl, l4, hl + plen, P_TCP, 16);
	return finish(f, l4 + hl + plen);
}

/*
 * The server's certificate, DER: CN=www.example.com, SAN *.example.com and
 * example.com, P-256 key, issued by "CN=Bench CA", valid 2023-01-01 to
 * 2033-01-01 (so valid at the file's 2024 timestamps). Made once with:
 *   openssl ecparam -name prime256v1 -genkey -noout -out k.pem
 *   openssl req -new -key k.pem -subj /CN=www.example.com -out r.csr
 *   openssl ecparam -name prime256v1 -genkey -noout -out cak.pem
 *   openssl req -new -x509 -key cak.pem -subj "/CN=Bench CA" -days 3650 -out ca.pem
 *   openssl ca -batch -config ca.cnf -cert ca.pem -keyfile cak.pem -in r.csr -out c.pem \
 *     -startdate 20230101000000Z -enddate 20330101000000Z
 *   openssl x509 -in c.pem -outform DER | xxd -i
 * where ca.cnf copies the request's extensions and adds the SAN (captures/README.md
 * has the same recipe for the expired certificate).
 */
static const uint8_t bench_cert[] = {
	0x30, 0x82, 0x01, 0x91, 0x30, 0x82, 0x01, 0x36, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01,
	0x02, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02, 0x30, 0x13,
	0x31, 0x11, 0x30, 0x0f, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x08, 0x42, 0x65, 0x6e, 0x63,
	0x68, 0x20, 0x43, 0x41, 0x30, 0x1e, 0x17, 0x0d, 0x32, 0x33, 0x30, 0x31, 0x30, 0x31, 0x30,
	0x30, 0x30, 0x30, 0x30, 0x30, 0x5a, 0x17, 0x0d, 0x33, 0x33, 0x30, 0x31, 0x30, 0x31, 0x30,
	0x30, 0x30, 0x30, 0x30, 0x30, 0x5a, 0x30, 0x1a, 0x31, 0x18, 0x30, 0x16, 0x06, 0x03, 0x55,
	0x04, 0x03, 0x0c, 0x0f, 0x77, 0x77, 0x77, 0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
	0x2e, 0x63, 0x6f, 0x6d, 0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d,
	0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
	0x04, 0x74, 0x79, 0x1d, 0x40, 0x56, 0xb8, 0x50, 0xce, 0x43, 0x8d, 0xbc, 0xec, 0x44, 0x64,
	0xe8, 0x63, 0x94, 0x99, 0xe4, 0x13, 0x10, 0x17, 0x36, 0x56, 0x8d, 0x2b, 0x77, 0x1a, 0x81,
	0xc1, 0xc1, 0xff, 0x5e, 0xa4, 0x4d, 0x8e, 0x3d, 0x7d, 0x68, 0xaa, 0xc8, 0x5d, 0x05, 0xad,
	0xdb, 0xed, 0x20, 0x7f, 0x68, 0x04, 0xc5, 0xe2, 0x6f, 0x48, 0xd0, 0xea, 0x60, 0x65, 0xe7,
	0x3d, 0xfb, 0x1c, 0xee, 0x96, 0xa3, 0x74, 0x30, 0x72, 0x30, 0x25, 0x06, 0x03, 0x55, 0x1d,
	0x11, 0x04, 0x1e, 0x30, 0x1c, 0x82, 0x0d, 0x2a, 0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c,
	0x65, 0x2e, 0x63, 0x6f, 0x6d, 0x82, 0x0b, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e,
	0x63, 0x6f, 0x6d, 0x30, 0x09, 0x06, 0x03, 0x55, 0x1d, 0x13, 0x04, 0x02, 0x30, 0x00, 0x30,
	0x1d, 0x06, 0x03, 0x55, 0x1d, 0x0e, 0x04, 0x16, 0x04, 0x14, 0xab, 0x84, 0xa0, 0x55, 0x15,
	0x55, 0x72, 0x70, 0x70, 0xa3, 0xd4, 0xee, 0xc5, 0x39, 0x6d, 0xf3, 0x41, 0x70, 0x09, 0xd0,
	0x30, 0x1f, 0x06, 0x03, 0x55, 0x1d, 0x23, 0x04, 0x18, 0x30, 0x16, 0x80, 0x14, 0x98, 0x74,
	0xe1, 0xe1, 0xb0, 0x9c, 0x22, 0xb8, 0x30, 0xa2, 0x03, 0xc1, 0xd6, 0x38, 0xca, 0x62, 0xe5,
	0x6b, 0x18, 0x67, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02,
	0x03, 0x49, 0x00, 0x30, 0x46, 0x02, 0x21, 0x00, 0xf6, 0x32, 0x7a, 0x5f, 0x2c, 0xbd, 0x22,
	0xe6, 0x7d, 0xab, 0x1c, 0xcd, 0xb0, 0x31, 0xd7, 0x6b, 0x7e, 0x10, 0x07, 0x30, 0xfe, 0x61,
	0xe7, 0xb1, 0x07, 0x5c, 0xdf, 0x25, 0xb7, 0xd1, 0x44, 0x24, 0x02, 0x21, 0x00, 0x92, 0x05,
	0xc4, 0x4e, 0x09, 0x41, 0xba, 0x4b, 0x12, 0x82, 0xba, 0x24, 0xa0, 0x98, 0x74, 0x6b, 0x12,
	0x29, 0x8c, 0xe3, 0xad, 0x8c, 0x78, 0x54, 0x25, 0xb0, 0x95, 0x6f, 0x0a, 0x5c, 0x04, 0x9f,
};

#define TLS_FLIGHT_MAX (128 + sizeof(bench_cert)) /* ServerHello + Certificate + Done */

static size_t
put24(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 16);
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)v;
	return 3;
}

/* An application data record header (RFC 5246 §6.2.1) for a record of n bytes with it. */
static void
tls_appdata_header(uint8_t *p, size_t n)
{
	p[0] = 23;
	p[1] = 3;
	p[2] = 3;
	be16(p + 3, (uint16_t)(n - 5));
}

/* Start a handshake record holding one message of type; returns the body's offset. */
static size_t
tls_hs_begin(uint8_t *p, uint8_t type)
{
	p[0] = 22;
	p[1] = 3;
	p[2] = 1;
	p[5] = type;
	return 9;
}

/* Close the record started at p whose message ends at n; returns n. */
static size_t
tls_hs_end(uint8_t *p, size_t n)
{
	be16(p + 3, (uint16_t)(n - 5));
	put24(p + 6, n - 9);
	return n;
}

/*
 * A ClientHello like a browser's (RFC 5246 §7.4.1.2, RFC 8446 §4.1.2): a
 * GREASE suite, TLS 1.3 and 1.2 suites, SNI h<name>.example.com, groups,
 * point formats, signature algorithms, ALPN h2 and http/1.1, supported
 * versions 1.3 and 1.2, an X25519 key share. Returns its record's length.
 */
static size_t
tls_client_hello(struct gen *g, const struct flow *fl, uint8_t *p)
{
	static const uint16_t suites[] = { 0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f,
		                           0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014,
		                           0x009c, 0x009d, 0x002f, 0x0035 };
	static const uint8_t groups[] = {
		0, 10, 0, 10, 0, 8, 0x0a, 0x0a, 0, 0x1d, 0, 0x17, 0, 0x18
	};
	static const uint8_t sigalgs[] = { 0, 13, 0, 18, 0, 16, 4, 3, 8, 4, 4,
		                           1, 5,  3, 8,  5, 5,  1, 8, 6, 6, 1 };
	static const uint8_t alpn[] = { 0, 16,  0,   14,  0,   12,  2,   'h', '2',
		                        8, 'h', 't', 't', 'p', '/', '1', '.', '1' };
	static const uint8_t versions[] = { 0, 43, 0, 5, 4, 3, 4, 3, 3 };
	static const uint8_t tail[] = { 0, 11, 0, 2, 1, 0,  0, 23, 0, 0, 0xff,
		                        1, 0,  1, 0, 0, 45, 0, 2,  1, 1 };
	size_t n = tls_hs_begin(p, 1);
	p[n++] = 3;
	p[n++] = 3;
	memcpy(p + n, g->rnd + rnd_in(g, 0, RAND_POOL - 1), 32); /* random */
	n += 32;
	p[n++] = 32;
	memcpy(p + n, g->rnd + rnd_in(g, 0, RAND_POOL - 1), 32); /* legacy session id */
	n += 32;
	be16(p + n, (uint16_t)(2 * (sizeof(suites) / sizeof(suites[0]))));
	n += 2;
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++, n += 2) {
		be16(p + n, suites[i]);
	}
	p[n++] = 1;
	p[n++] = 0; /* null compression */
	size_t ext = n;
	n += 2;
	char host[40];
	int hl = snprintf(host, sizeof(host), "h%u.example.com", fl->name);
	be16(p + n, 0); /* server_name (RFC 6066 §3) */
	be16(p + n + 2, (uint16_t)(hl + 5));
	be16(p + n + 4, (uint16_t)(hl + 3));
	p[n + 6] = 0;
	be16(p + n + 7, (uint16_t)hl);
	memcpy(p + n + 9, host, (size_t)hl);
	n += 9 + (size_t)hl;
	memcpy(p + n, groups, sizeof(groups));
	n += sizeof(groups);
	memcpy(p + n, sigalgs, sizeof(sigalgs));
	n += sizeof(sigalgs);
	memcpy(p + n, alpn, sizeof(alpn));
	n += sizeof(alpn);
	memcpy(p + n, versions, sizeof(versions));
	n += sizeof(versions);
	be16(p + n, 51); /* key_share: X25519 */
	be16(p + n + 2, 38);
	be16(p + n + 4, 36);
	be16(p + n + 6, 0x1d);
	be16(p + n + 8, 32);
	memcpy(p + n + 10, g->rnd + rnd_in(g, 0, RAND_POOL - 1), 32);
	n += 42;
	memcpy(p + n, tail, sizeof(tail));
	n += sizeof(tail);
	be16(p + ext, (uint16_t)(n - ext - 2));
	return tls_hs_end(p, n);
}

/* ServerHello (TLS 1.2, ECDHE-RSA-AES128-GCM, ALPN h2), Certificate, ServerHelloDone. */
static size_t
tls_server_flight(struct gen *g, uint8_t *p)
{
	static const uint8_t exts[] = { 0, 23, 0, 0, 0xff, 1, 0, 1, 0, 0, 11,  0,
		                        2, 1,  0, 0, 16,   0, 5, 0, 3, 2, 'h', '2' };
	size_t n = tls_hs_begin(p, 2);
	p[n++] = 3;
	p[n++] = 3;
	memcpy(p + n, g->rnd + rnd_in(g, 0, RAND_POOL - 1), 32);
	n += 32;
	p[n++] = 0; /* no session id */
	be16(p + n, 0xc02f);
	n += 2;
	p[n++] = 0;
	be16(p + n, (uint16_t)sizeof(exts));
	n += 2;
	memcpy(p + n, exts, sizeof(exts));
	n += sizeof(exts);
	size_t m = tls_hs_end(p, n);
	n = tls_hs_begin(p + m, 11) + m; /* Certificate (RFC 5246 §7.4.2) */
	n += put24(p + n, 3 + sizeof(bench_cert));
	n += put24(p + n, sizeof(bench_cert));
	memcpy(p + n, bench_cert, sizeof(bench_cert));
	n += sizeof(bench_cert);
	tls_hs_end(p + m, n - m);
	m = n;
	n = tls_hs_begin(p + m, 14) + m; /* ServerHelloDone */
	tls_hs_end(p + m, n - m);
	return n;
}

/* Response body size: mostly one segment, a tail of larger transfers. */
static uint32_t
resp_size(struct gen *g)
{
	uint32_t r = rnd_in(g, 0, 99);

	if (r < 72) {
		return rnd_in(g, 80, 1400);
	}
	if (r < 97) {
		return rnd_in(g, 1400, 6000);
	}
	return rnd_in(g, 6000, 30000);
}

/*
 * One TCP packet. The script: SYN, SYN-ACK, ACK; `rounds` times a request
 * followed by response segments with a client ACK after every second segment
 * and after the last; then FIN, FIN, ACK.
 */
static size_t
step_tcp(struct gen *g, uint8_t *f, struct flow *fl)
{
	char text[160];
	uint8_t tls[MSS4];
	size_t mss = fl->v6 ? MSS6 : MSS4;
	size_t n;

	switch (fl->phase) {
	case PH_SYN:
		fl->phase = PH_SYNACK;
		return tcp_seg(g, f, fl, true, TH_SYN, 0, NULL, 0);
	case PH_SYNACK:
		fl->phase = PH_ACK;
		return tcp_seg(g, f, fl, false, TH_SYN | TH_ACK, 0, NULL, 0);
	case PH_ACK:
		fl->phase = PH_REQ;
		return tcp_seg(g, f, fl, true, TH_ACK, 0, NULL, 0);
	case PH_REQ:
		fl->phase = PH_RESP;
		fl->left = resp_size(g);
		if (fl->sport == 443 && fl->round == 0 && fl->left < TLS_FLIGHT_MAX + 64) {
			fl->left = TLS_FLIGHT_MAX + 64;
		}
		fl->unacked = 0;
		fl->resp_hdr = false;
		if (fl->sport == 80) {
			int k = snprintf(text, sizeof(text),
			                 "GET /obj/%u/%u HTTP/1.1\r\nHost: h%u.example.com\r\n"
			                 "User-Agent: gen_big/1\r\nAccept: */*\r\n\r\n",
			                 fl->idx, fl->round, fl->name);
			return tcp_seg(g, f, fl, true, TH_PSH | TH_ACK, (size_t)k, text, (size_t)k);
		}
		if (fl->sport == 443) {
			size_t k =
			    fl->round == 0 ? tls_client_hello(g, fl, tls) : rnd_in(g, 40, 700);
			if (fl->round != 0) {
				tls_appdata_header(tls, k);
			}
			return tcp_seg(g, f, fl, true, TH_PSH | TH_ACK, k, tls,
			               fl->round == 0 ? k : 5);
		}
		return tcp_seg(g, f, fl, true, TH_PSH | TH_ACK, rnd_in(g, 40, 700), NULL, 0);
	case PH_RESP:
		n = fl->left < mss ? fl->left : mss;
		fl->left -= (uint32_t)n;
		fl->unacked++;
		if (fl->left == 0 || fl->unacked == 2) {
			fl->phase = PH_CACK;
		}
		text[0] = 0;
		if (fl->sport == 80 && !fl->resp_hdr && n >= 82) {
			fl->resp_hdr = true;
			/* Content-Length counts the body after this 82-byte head */
			snprintf(text, sizeof(text),
			         "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
			         "Content-Length: %05u\r\n\r\n",
			         (unsigned)(fl->left + n - 82));
		}
		if (fl->sport == 443) {
			/* the server's flight first, then application data, whole records per segment */
			size_t k = 0;
			if (fl->round == 0 && !fl->resp_hdr) {
				fl->resp_hdr = true;
				k = tls_server_flight(g, tls);
			}
			if (n >= k + 5) {
				tls_appdata_header(tls + k, n - k);
				k += 5;
			}
			return tcp_seg(g, f, fl, false, (uint8_t)(TH_ACK | (fl->left ? 0 : TH_PSH)),
			               n, tls, k);
		}
		return tcp_seg(g, f, fl, false, (uint8_t)(TH_ACK | (fl->left ? 0 : TH_PSH)), n,
		               text[0] ? text : NULL, strlen(text));
	case PH_CACK:
		fl->unacked = 0;
		if (fl->left) {
			fl->phase = PH_RESP;
		} else if (++fl->round < fl->rounds) {
			fl->phase = PH_REQ;
		} else {
			fl->phase = PH_FIN1;
		}
		return tcp_seg(g, f, fl, true, TH_ACK, 0, NULL, 0);
	case PH_FIN1:
		fl->phase = PH_FIN2;
		return tcp_seg(g, f, fl, true, TH_FIN | TH_ACK, 0, NULL, 0);
	case PH_FIN2:
		fl->phase = PH_FIN3;
		return tcp_seg(g, f, fl, false, TH_FIN | TH_ACK, 0, NULL, 0);
	case PH_FIN3:
	default:
		fl->phase = PH_DONE;
		return tcp_seg(g, f, fl, true, TH_ACK, 0, NULL, 0);
	}
}

static size_t
udp_dgram(uint8_t *f, const struct flow *fl, bool c2s, const uint8_t *pl, size_t plen)
{
	size_t l4 = put_l3(f, fl, c2s, P_UDP, 8 + plen);
	uint8_t *u = f + l4;

	be16(u, c2s ? fl->cport : fl->sport);
	be16(u + 2, c2s ? fl->sport : fl->cport);
	be16(u + 4, (uint16_t)(8 + plen));
	memcpy(u + 8, pl, plen);
	l4_csum(f, fl, l4, 8 + plen, P_UDP, 6);
	return finish(f, l4 + 8 + plen);
}

/* Encode "www.h<name>.example.com" as DNS labels (RFC 1035 §3.1); returns bytes. */
static size_t
dns_qname(uint8_t *p, uint32_t name)
{
	char host[16];
	int hl = snprintf(host, sizeof(host), "h%u", name);
	size_t n = 0;

	p[n++] = 3;
	memcpy(p + n, "www", 3);
	n += 3;
	p[n++] = (uint8_t)hl;
	memcpy(p + n, host, (size_t)hl);
	n += (size_t)hl;
	p[n++] = 7;
	memcpy(p + n, "example", 7);
	n += 7;
	p[n++] = 3;
	memcpy(p + n, "com", 3);
	n += 3;
	p[n++] = 0;
	return n;
}

/* A DNS query, then its response: A or AAAA, 1-4 answers, 1 in 20 NXDOMAIN. */
static size_t
step_dns(struct gen *g, uint8_t *f, struct flow *fl)
{
	uint8_t m[512];
	uint16_t qtype = (fl->name & 3) == 0 ? 28 : 1; /* AAAA (RFC 3596) or A */
	bool query = fl->phase == PH_SYN;
	size_t n;

	be16(m, fl->dns_id);
	be16(m + 2, query ? 0x0100 : 0x8180); /* RD; QR|RD|RA */
	be16(m + 4, 1);
	be16(m + 6, 0);
	be16(m + 8, 0);
	be16(m + 10, 0);
	n = 12 + dns_qname(m + 12, fl->name);
	be16(m + n, qtype);
	be16(m + n + 2, 1);
	n += 4;
	if (query) {
		fl->phase = PH_SYNACK;
		return udp_dgram(f, fl, true, m, n);
	}
	fl->phase = PH_DONE;
	if (fl->name % 20 == 7) {
		m[3] = 0x83; /* NXDOMAIN */
		return udp_dgram(f, fl, false, m, n);
	}
	uint32_t an = 1 + fl->name % 4;
	be16(m + 6, (uint16_t)an);
	for (uint32_t i = 0; i < an; i++) {
		size_t rdlen = qtype == 28 ? 16 : 4;
		be16(m + n, 0xc00c); /* pointer to the question name (§4.1.4) */
		be16(m + n + 2, qtype);
		be16(m + n + 4, 1);
		be32(m + n + 6, 300);
		be16(m + n + 10, (uint16_t)rdlen);
		memset(m + n + 12, 0, rdlen);
		if (qtype == 28) {
			be16(m + n + 12, 0x2001);
			be16(m + n + 14, 0x0db8);
			be32(m + n + 24, fl->name * 4 + i);
		} else {
			m[n + 12] = 198;
			m[n + 13] = 18;
			be16(m + n + 14, (uint16_t)(fl->name * 4 + i));
		}
		n += 12 + rdlen;
	}
	(void)g;
	return udp_dgram(f, fl, false, m, n);
}

/* Other UDP: `rounds` datagrams, alternating, 40-1200 bytes. */
static size_t
step_udp(struct gen *g, uint8_t *f, struct flow *fl)
{
	bool c2s = (fl->round & 1) == 0;
	size_t plen = fl->sport == 123 ? 48 : rnd_in(g, 40, 1200);

	if (++fl->round >= fl->rounds) {
		fl->phase = PH_DONE;
	}
	uint8_t *pl = g->rnd + rnd_in(g, 0, RAND_POOL - 1);
	if (fl->sport == 123) {
		uint8_t ntp[48];
		memcpy(ntp, pl, sizeof(ntp));
		ntp[0] = c2s ? 0x23 : 0x24; /* RFC 5905: LI 0, version 4, client/server */
		ntp[1] = c2s ? 0 : 2;
		return udp_dgram(f, fl, c2s, ntp, sizeof(ntp));
	}
	return udp_dgram(f, fl, c2s, pl, plen);
}

/* ICMP or ICMPv6 echo: `rounds` request/reply pairs with 56 bytes of data. */
static size_t
step_icmp(struct gen *g, uint8_t *f, struct flow *fl)
{
	bool c2s = (fl->round & 1) == 0;
	uint8_t proto = fl->v6 ? P_ICMPV6 : P_ICMP;
	size_t l4 = put_l3(f, fl, c2s, proto, 8 + 56);
	uint8_t *t = f + l4;

	/* RFC 792 echo 8/0, RFC 4443 echo 128/129 */
	t[0] = fl->v6 ? (c2s ? 128 : 129) : (c2s ? 8 : 0);
	t[1] = 0;
	be16(t + 4, fl->cport);
	be16(t + 6, (uint16_t)(1 + fl->round / 2));
	memcpy(t + 8, g->rnd + (fl->idx % 4096), 56);
	l4_csum(f, fl, l4, 64, proto, 2);
	if (++fl->round >= fl->rounds) {
		fl->phase = PH_DONE;
	}
	return finish(f, l4 + 64);
}

/*
 * Start flow number idx in *fl. Client host h and source port are a bijection
 * of idx (h = idx mod 8192 scrambled, port from idx / 8192), so no two flows
 * share a 5-tuple for the first 500 M flows.
 */
static void
new_flow(struct gen *g, struct flow *fl)
{
	uint32_t idx = g->next_idx++;
	uint32_t h = (idx * 2654435761u) & 8191;
	uint32_t srv = rnd_in(g, 0, 1999);
	uint32_t r = rnd_in(g, 0, 999);

	memset(fl, 0, sizeof(*fl));
	fl->idx = idx;
	fl->v6 = rnd_in(g, 0, 9) == 0;
	fl->cport = (uint16_t)(1024 + ((idx / 8192) * 7919u + h * 31u) % 64000u);
	fl->cmac[0] = 0x02;
	fl->cmac[4] = (uint8_t)(h >> 8);
	fl->cmac[5] = (uint8_t)h;
	fl->name = rnd_in(g, 0, 49999);
	fl->phase = PH_SYN;
	if (fl->v6) {
		/* fd00::/8 clients (RFC 4193), 2001:db8::/32 servers (RFC 3849) */
		fl->cip[0] = 0xfd;
		fl->cip[14] = (uint8_t)(h >> 8);
		fl->cip[15] = (uint8_t)h;
		be16(fl->sip, 0x2001);
		be16(fl->sip + 2, 0x0db8);
		be16(fl->sip + 14, (uint16_t)srv);
		g->v6_flows++;
	} else {
		/* 10.0.0.0/8 clients, 198.18.0.0/15 servers (RFC 2544 bench range) */
		fl->cip[0] = 10;
		fl->cip[1] = (uint8_t)(1 + (h >> 8));
		fl->cip[2] = (uint8_t)h;
		fl->cip[3] = (uint8_t)(1 + h % 250);
		fl->sip[0] = 198;
		fl->sip[1] = 18;
		fl->sip[2] = (uint8_t)(srv >> 8);
		fl->sip[3] = (uint8_t)srv;
	}
	if (r < 850) {
		static const uint16_t ports[8] = { 443, 443, 443, 443, 443, 80, 80, 22 };
		fl->kind = K_TCP;
		fl->sport = ports[r % 8];
		fl->rounds = rnd_in(g, 0, 3) == 0 ? rnd_in(g, 2, 4) : 1;
		fl->cseq = (uint32_t)rnd(g);
		fl->sseq = (uint32_t)rnd(g);
	} else if (r < 930) {
		fl->kind = K_DNS;
		fl->sport = 53;
		fl->dns_id = (uint16_t)rnd(g);
		/* resolvers: a handful of addresses */
		if (fl->v6) {
			be16(fl->sip + 14, (uint16_t)(0x53 + srv % 4));
		} else {
			fl->sip[2] = 0x53;
			fl->sip[3] = (uint8_t)(1 + srv % 4);
		}
	} else if (r < 970) {
		fl->kind = K_UDP;
		fl->sport = (r & 1) ? 443 : (r & 2) ? 123 : (uint16_t)rnd_in(g, 5000, 60000);
		fl->rounds = fl->sport == 123 ? 2 : rnd_in(g, 2, 12);
	} else {
		fl->kind = K_ICMP;
		fl->sport = 0;
		fl->cport = (uint16_t)idx;
		fl->rounds = 2 * rnd_in(g, 1, 4);
	}
	g->started[fl->kind]++;
}

static int
emit(struct gen *g, const uint8_t *f, size_t n)
{
	uint8_t h[16];

	g->usec += rnd_in(g, 1, 199);
	le32(h, (uint32_t)(T0 + g->usec / 1000000));
	le32(h + 4, (uint32_t)(g->usec % 1000000));
	le32(h + 8, (uint32_t)n);
	le32(h + 12, (uint32_t)n);
	if (fwrite(h, 1, 16, g->out) != 16 || fwrite(f, 1, n, g->out) != n) {
		return -1;
	}
	g->bytes += 16 + n;
	g->packets++;
	return 0;
}

static uint64_t
parse_size(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	switch (*end) {
	case 'k':
	case 'K':
		v *= 1e3;
		break;
	case 'm':
	case 'M':
		v *= 1e6;
		break;
	case 'g':
	case 'G':
		v *= 1e9;
		break;
	default:
		break;
	}
	return v > 0 ? (uint64_t)v : 0;
}

static int
usage(void)
{
	fprintf(stderr, "usage: gen_big [-s SIZE[K|M|G]] [-n PACKETS] [OUT]\n"
	                "  defaults: -s 1.1G, OUT bench/data/big.pcap\n");
	return 2;
}

int
main(int argc, char **argv)
{
	static struct gen g;
	static uint8_t frame[MAX_FRAME + 64];
	uint64_t target = 1100000000ull;
	uint64_t max_pkts = 0;
	const char *path = "bench/data/big.pcap";
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
			target = parse_size(argv[++i]);
		} else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
			max_pkts = strtoull(argv[++i], NULL, 10);
			target = UINT64_MAX;
		} else if (argv[i][0] == '-') {
			return usage();
		} else {
			path = argv[i];
		}
	}
	if (target == 0) {
		return usage();
	}
	g.rng = 0x9E3779B97F4A7C15ULL;
	for (i = 0; i < RAND_POOL + MAX_FRAME; i++) {
		g.rnd[i] = (uint8_t)(rnd(&g) >> 56);
	}
	g.out = fopen(path, "wb");
	if (!g.out) {
		fprintf(stderr, "gen_big: %s: %s\n", path, strerror(errno));
		return 1;
	}
	static char obuf[OUT_BUF];
	setvbuf(g.out, obuf, _IOFBF, sizeof(obuf));

	uint8_t fh[24] = { 0 };
	le32(fh, 0xa1b2c3d4);
	fh[4] = 2; /* version 2.4 */
	fh[6] = 4;
	le32(fh + 16, 65535);
	le32(fh + 20, 1); /* LINKTYPE_ETHERNET */
	if (fwrite(fh, 1, sizeof(fh), g.out) != sizeof(fh)) {
		goto out_write;
	}
	g.bytes = sizeof(fh);
	for (i = 0; i < POOL; i++) {
		new_flow(&g, &g.pool[i]);
	}
	while (g.bytes < target && (max_pkts == 0 || g.packets < max_pkts)) {
		struct flow *fl = &g.pool[(rnd(&g) >> 32) % POOL];
		size_t n;

		switch (fl->kind) {
		case K_TCP:
			n = step_tcp(&g, frame, fl);
			break;
		case K_DNS:
			n = step_dns(&g, frame, fl);
			break;
		case K_UDP:
			n = step_udp(&g, frame, fl);
			break;
		case K_ICMP:
		default:
			n = step_icmp(&g, frame, fl);
			break;
		}
		if (emit(&g, frame, n) != 0) {
			goto out_write;
		}
		if (fl->phase == PH_DONE) {
			g.finished++;
			new_flow(&g, fl);
		}
	}
	if (fclose(g.out) != 0) {
		g.out = NULL;
		goto out_write;
	}
	uint64_t flows = g.next_idx;
	fprintf(stderr,
	        "gen_big: %s: %llu bytes, %llu packets (mean %.0f B/frame), %llu flows started "
	        "(%llu tcp, %llu dns, %llu udp, %llu icmp; %llu ipv6), %llu completed\n",
	        path, (unsigned long long)g.bytes, (unsigned long long)g.packets,
	        g.packets ? (double)(g.bytes - 24) / (double)g.packets - 16 : 0.0,
	        (unsigned long long)flows, (unsigned long long)g.started[K_TCP],
	        (unsigned long long)g.started[K_DNS], (unsigned long long)g.started[K_UDP],
	        (unsigned long long)g.started[K_ICMP], (unsigned long long)g.v6_flows,
	        (unsigned long long)g.finished);
	return 0;

out_write:
	fprintf(stderr, "gen_big: %s: write failed: %s\n", path, strerror(errno));
	if (g.out) {
		fclose(g.out);
	}
	return 1;
}

/* SPDX-License-Identifier: MIT */
/*
 * gen_captures.c - writes the crafted test captures of captures/.
 *
 * One standalone C11 program (libc only): `make captures` runs it with the
 * output directory as argv[1]. Every file is built byte by byte in memory,
 * so the output is deterministic and each file stays under 64 KiB. It covers
 * classic pcap (draft-ietf-opsawg-pcap: both magics, both byte orders, the
 * 24-byte "modified" records, FCS bits), pcapng (draft-ietf-opsawg-pcapng:
 * SHB, IDB, EPB, SPB, PB, NRB, ISB, DSB, custom and unknown blocks), the link
 * types decode.h handles, and deliberately damaged files. captures/README.md
 * lists what each file exercises; captures/expected.tsv holds capinfos' view.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_FILE (64 * 1024) /* every capture stays under this, bytes */

/* Times: packet i of a file is at BASE_NS + i * STEP_NS (µs formats floor it). */
#define BASE_NS  1704164645123456789LL /* 2024-01-02T03:04:05.123456789Z */
#define STEP_NS  250001001LL
#define TSOFFSET 1704067200LL /* 2024-01-01T00:00:00Z, the if_tsoffset used */
#define NS_PER_S 1000000000LL
#define PEN_DOC  32473u /* RFC 5612 documentation Private Enterprise Number */

/* Classic pcap (draft-ietf-opsawg-pcap) magics and the libpcap FCS bits. */
#define PCAP_MAGIC_US    0xA1B2C3D4u
#define PCAP_MAGIC_NS    0xA1B23C4Du
#define PCAP_MAGIC_MOD   0xA1B2CD34u /* Kuznetzov's patched libpcap */
#define PCAP_FCS_PRESENT 0x04000000u /* bit 26 */
#define PCAP_FCS_SHIFT   28          /* FCS length in 16-bit words, bits 28-31 */

/* pcapng block types (draft-ietf-opsawg-pcapng §4, §11.1). */
#define NG_SHB     0x0A0D0D0Au
#define NG_IDB     0x00000001u
#define NG_PB      0x00000002u /* obsolete Packet Block, Appendix A */
#define NG_SPB     0x00000003u
#define NG_NRB     0x00000004u
#define NG_ISB     0x00000005u
#define NG_EPB     0x00000006u
#define NG_DSB     0x0000000Au
#define NG_CB_COPY 0x00000BADu
#define NG_CB_NOCP 0x40000BADu
#define NG_UNKNOWN 0x00000099u
#define NG_BOM     0x1A2B3C4Du
#define NG_DSB_TLS 0x544C534Bu /* "TLSK": NSS key log */

/* pcapng option codes (draft-ietf-opsawg-pcapng §3.5, §4.2, §4.3, §4.5, §4.6). */
#define OPT_END          0
#define OPT_COMMENT      1
#define OPT_CUSTOM_STR   2988
#define SHB_HARDWARE     2
#define SHB_OS           3
#define SHB_USERAPPL     4
#define IF_NAME          2
#define IF_DESCRIPTION   3
#define IF_TSRESOL       9
#define IF_OS            12
#define IF_FCSLEN        13
#define IF_TSOFFSET      14
#define EPB_FLAGS        2
#define EPB_DROPCOUNT    4
#define EPB_PACKETID     5
#define EPB_QUEUE        6
#define PACK_FLAGS       2
#define NRB_END          0
#define NRB_IPV4         1
#define NRB_IPV6         2
#define ISB_STARTTIME    2
#define ISB_ENDTIME      3
#define ISB_IFRECV       4
#define ISB_IFDROP       5
#define ISB_FILTERACCEPT 6
#define ISB_OSDROP       7
#define ISB_USRDELIV     8

/* LINKTYPE_* numbers (tcpdump.org/linktypes.html). */
#define LT_NULL  0
#define LT_ETHER 1
#define LT_RAW12 12
#define LT_RAW14 14
#define LT_RAW   101
#define LT_LOOP  108
#define LT_SLL   113
#define LT_USER0 147
#define LT_IPV4  228
#define LT_IPV6  229
#define LT_SLL2  276

#define ETH_IPV4 0x0800 /* RFC 894 */
#define ETH_ARP  0x0806 /* RFC 826 */
#define ETH_VLAN 0x8100 /* IEEE 802.1Q */
#define ETH_QINQ 0x88A8 /* IEEE 802.1ad */
#define ETH_IPV6 0x86DD /* RFC 2464 */

#define IPP_HOPOPTS  0
#define IPP_ICMP     1
#define IPP_TCP      6
#define IPP_UDP      17
#define IPP_ROUTING  43
#define IPP_FRAGMENT 44
#define IPP_ICMPV6   58
#define IPP_DSTOPTS  60

#define TCP_FIN 0x01 /* RFC 9293 §3.1; ECE/CWR per RFC 3168 §6.1 */
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_ECE 0x40
#define TCP_CWR 0x80

#define IP4_DF 0x4000 /* RFC 791 flags in the fragment word */
#define IP4_MF 0x2000

/* The standard packet set: N_ARP ARP frames, then N_IP IP packets. */
#define N_ARP    2
#define N_IP     17
#define N_STD    (N_ARP + N_IP)
#define FIRST_V6 (N_ARP + 10) /* standard-set index of the first IPv6 packet */

/* A byte buffer being filled: a whole file, a frame, or a transport segment. */
struct buf {
	uint8_t d[MAX_FILE]; /* the bytes */
	size_t n;            /* bytes used */
	bool be;             /* put16/put32/put64 write big-endian (pcap/pcapng order) */
	bool full;           /* a write did not fit; the file is not written */
};

/* Link-layer framings of the standard set. */
enum link { K_ETHER, K_VLAN, K_QINQ, K_SLL, K_SLL2, K_RAW, K_NULL, K_LOOP };

static struct buf g_out;   /* the file being built */
static struct buf g_frame; /* one link-layer frame */
static struct buf g_l3;    /* one network-layer packet */
static struct buf g_seg;   /* one transport segment */
static struct buf g_ext;   /* IPv6 extension headers plus segment */
static const char *g_dir;  /* output directory */
static int g_files;        /* files written */
static int g_errors;       /* files that could not be written */

static const uint8_t CLI4[4] = { 192, 0, 2, 10 };
static const uint8_t GW4[4] = { 192, 0, 2, 1 };
static const uint8_t DNS4[4] = { 192, 0, 2, 53 };
static const uint8_t SRV4[4] = { 198, 51, 100, 20 };
static const uint8_t CLI6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10 };
static const uint8_t DNS6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53 };
static const uint8_t SRV6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20 };
static const uint8_t MAC_CLI[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t MAC_GW[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t MAC_BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t MAC_ZERO[6] = { 0 };

static void
reset(struct buf *b, bool be)
{
	b->n = 0;
	b->be = be;
	b->full = false;
}

static void
put_u8(struct buf *b, uint8_t v)
{
	if (b->n >= sizeof(b->d)) {
		b->full = true;
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
put_str(struct buf *b, const char *s)
{
	put_bytes(b, s, strlen(s));
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
put_le16(struct buf *b, uint16_t v)
{
	put_u8(b, (uint8_t)v);
	put_u8(b, (uint8_t)(v >> 8));
}

static void
put_le32(struct buf *b, uint32_t v)
{
	put_le16(b, (uint16_t)v);
	put_le16(b, (uint16_t)(v >> 16));
}

static void
put16(struct buf *b, uint16_t v)
{
	if (b->be) {
		put_be16(b, v);
	} else {
		put_le16(b, v);
	}
}

static void
put32(struct buf *b, uint32_t v)
{
	if (b->be) {
		put_be32(b, v);
	} else {
		put_le32(b, v);
	}
}

static void
put64(struct buf *b, uint64_t v)
{
	if (b->be) {
		put_be32(b, (uint32_t)(v >> 32));
		put_be32(b, (uint32_t)v);
	} else {
		put_le32(b, (uint32_t)v);
		put_le32(b, (uint32_t)(v >> 32));
	}
}

static void
pad4(struct buf *b)
{
	while (b->n % 4 != 0) {
		put_u8(b, 0);
	}
}

/* Overwrites 4 bytes at `at` in the buffer's byte order. */
static void
patch32(struct buf *b, size_t at, uint32_t v)
{
	size_t keep = b->n;

	if (at + 4 > keep) {
		b->full = true;
		return;
	}
	b->n = at;
	put32(b, v);
	b->n = keep;
}

static void
patch64(struct buf *b, size_t at, uint64_t v)
{
	size_t keep = b->n;

	if (at + 8 > keep) {
		b->full = true;
		return;
	}
	b->n = at;
	put64(b, v);
	b->n = keep;
}

static void
patch_be16(struct buf *b, size_t at, uint16_t v)
{
	if (at + 2 > b->n) {
		b->full = true;
		return;
	}
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

/*
 * Fills the checksum of the transport segment in s: TCP, UDP and ICMPv6 over
 * the pseudo-header of addresses src/dst (alen bytes each; RFC 9293 §3.1,
 * RFC 768, RFC 8200 §8.1), ICMP over the message alone (RFC 792).
 */
static void
l4_checksum(struct buf *s, uint8_t proto, const uint8_t *src, const uint8_t *dst, size_t alen)
{
	uint32_t acc = 0;
	size_t at = proto == IPP_TCP ? 16 : proto == IPP_UDP ? 6 : 2;
	uint16_t c;

	if (proto != IPP_ICMP) {
		acc = csum_add(acc, src, alen);
		acc = csum_add(acc, dst, alen);
		acc += proto;
		acc += (uint32_t)s->n;
	}
	c = csum_fold(csum_add(acc, s->d, s->n));
	if (proto == IPP_UDP && c == 0) {
		c = 0xffff;
	}
	patch_be16(s, at, c);
}

static void
tcp_seg(struct buf *s, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
        const char *payload)
{
	bool syn = (flags & TCP_SYN) != 0;

	reset(s, true);
	put_be16(s, sport);
	put_be16(s, dport);
	put_be32(s, seq);
	put_be32(s, ack);
	put_u8(s, (uint8_t)((syn ? 6 : 5) << 4));
	put_u8(s, flags);
	put_be16(s, 64240);
	put_be16(s, 0);
	put_be16(s, 0);
	if (syn) {
		put_u8(s, 2); /* MSS, RFC 9293 §3.2 */
		put_u8(s, 4);
		put_be16(s, 1460);
	}
	put_str(s, payload);
}

static void
udp_seg(struct buf *s, uint16_t sport, uint16_t dport, const uint8_t *payload, size_t n)
{
	reset(s, true);
	put_be16(s, sport);
	put_be16(s, dport);
	put_be16(s, (uint16_t)(8 + n));
	put_be16(s, 0);
	put_bytes(s, payload, n);
}

/* ICMP (RFC 792) or ICMPv6 (RFC 4443 §4) echo message with a 16-byte payload. */
static void
echo_seg(struct buf *s, uint8_t type, uint16_t id, uint16_t seq)
{
	reset(s, true);
	put_u8(s, type);
	put_u8(s, 0);
	put_be16(s, 0);
	put_be16(s, id);
	put_be16(s, seq);
	put_str(s, "abcdefghijklmnop");
}

/* A DNS query (RFC 1035 §4.1) for www.example.com; n receives its length. */
static size_t
dns_query(uint8_t *q, uint16_t id, uint16_t qtype)
{
	static const uint8_t name[] = "\3www\7example\3com";
	size_t n = 0;

	q[n++] = (uint8_t)(id >> 8);
	q[n++] = (uint8_t)id;
	q[n++] = 0x01; /* RD */
	q[n++] = 0x00;
	q[n++] = 0;
	q[n++] = 1; /* QDCOUNT */
	memset(q + n, 0, 6);
	n += 6;
	memcpy(q + n, name, sizeof(name)); /* includes the root label's 0 */
	n += sizeof(name);
	q[n++] = (uint8_t)(qtype >> 8);
	q[n++] = (uint8_t)qtype;
	q[n++] = 0;
	q[n++] = 1; /* IN */
	return n;
}

struct v4hdr {
	const uint8_t *src, *dst; /* 4 bytes each */
	uint8_t proto;
	uint8_t tos;
	uint8_t ttl;
	uint16_t id;
	uint16_t frag;      /* flags and offset as on the wire */
	const uint8_t *opt; /* options, optlen a multiple of 4 */
	size_t optlen;
};

static void
put_ip4(struct buf *p, const struct v4hdr *h, const uint8_t *pl, size_t n)
{
	size_t at = p->n;
	size_t hl = 20 + h->optlen;

	put_u8(p, (uint8_t)(0x40 | hl / 4));
	put_u8(p, h->tos);
	put_be16(p, (uint16_t)(hl + n));
	put_be16(p, h->id);
	put_be16(p, h->frag);
	put_u8(p, h->ttl);
	put_u8(p, h->proto);
	put_be16(p, 0);
	put_bytes(p, h->src, 4);
	put_bytes(p, h->dst, 4);
	put_bytes(p, h->opt, h->optlen);
	if (!p->full) {
		patch_be16(p, at + 10, csum_fold(csum_add(0, p->d + at, hl)));
	}
	put_bytes(p, pl, n);
}

static void
put_ip6(struct buf *p, const uint8_t *src, const uint8_t *dst, uint8_t next, uint8_t hlim,
        const uint8_t *pl, size_t n)
{
	put_be32(p, 0x60000000u);
	put_be16(p, (uint16_t)n);
	put_u8(p, next);
	put_u8(p, hlim);
	put_bytes(p, src, 16);
	put_bytes(p, dst, 16);
	put_bytes(p, pl, n);
}

/* An IPv4 packet of the standard set carrying the finished segment g_seg. */
static void
ip4_of_seg(struct buf *p, const uint8_t *src, const uint8_t *dst, uint8_t proto, uint16_t id,
           uint8_t tos)
{
	struct v4hdr h = { .src = src, .dst = dst, .proto = proto, .tos = tos, .id = id };

	h.ttl = src == SRV4 ? 57 : 64;
	h.frag = IP4_DF;
	l4_checksum(&g_seg, proto, src, dst, 4);
	put_ip4(p, &h, g_seg.d, g_seg.n);
}

static void
ip6_of_seg(struct buf *p, const uint8_t *src, const uint8_t *dst, uint8_t proto)
{
	l4_checksum(&g_seg, proto, src, dst, 16);
	put_ip6(p, src, dst, proto, src == SRV6 ? 57 : 64, g_seg.d, g_seg.n);
}

/* ARP over Ethernet for IPv4 (RFC 826): op 1 request, 2 reply. */
static void
arp(struct buf *p, uint16_t op)
{
	put_be16(p, 1);
	put_be16(p, ETH_IPV4);
	put_u8(p, 6);
	put_u8(p, 4);
	put_be16(p, op);
	if (op == 1) {
		put_bytes(p, MAC_CLI, 6);
		put_bytes(p, CLI4, 4);
		put_bytes(p, MAC_ZERO, 6);
		put_bytes(p, GW4, 4);
	} else {
		put_bytes(p, MAC_GW, 6);
		put_bytes(p, GW4, 4);
		put_bytes(p, MAC_CLI, 6);
		put_bytes(p, CLI4, 4);
	}
}

/* IPv4 fragments (RFC 791 §3.2) of one 48-byte UDP datagram: part 0 or 1. */
static void
ip4_frag(struct buf *p, int part)
{
	static const uint8_t data[40] = "fragmented UDP datagram, 40 bytes long.";
	struct v4hdr h = { .src = CLI4, .dst = SRV4, .proto = IPP_UDP, .ttl = 64, .id = 0x4242 };

	udp_seg(&g_seg, 5002, 5003, data, sizeof(data));
	l4_checksum(&g_seg, IPP_UDP, CLI4, SRV4, 4);
	if (part == 0) {
		h.frag = IP4_MF;
		put_ip4(p, &h, g_seg.d, 32);
	} else {
		h.frag = 32 / 8;
		put_ip4(p, &h, g_seg.d + 32, g_seg.n - 32);
	}
}

/* IPv6 fragments (RFC 8200 §4.5) of one 48-byte UDP datagram: part 0 or 1. */
static void
ip6_frag(struct buf *p, int part)
{
	static const uint8_t data[40] = "fragmented UDPv6 datagram, 40 bytes...";

	udp_seg(&g_seg, 5002, 5003, data, sizeof(data));
	l4_checksum(&g_seg, IPP_UDP, CLI6, SRV6, 16);
	reset(&g_ext, true);
	put_u8(&g_ext, IPP_UDP);
	put_u8(&g_ext, 0);
	put_be16(&g_ext, part == 0 ? 0x0001 : (uint16_t)(32 / 8) << 3); /* offset << 3 | M */
	put_be32(&g_ext, 0x1234abcd);
	if (part == 0) {
		put_bytes(&g_ext, g_seg.d, 32);
	} else {
		put_bytes(&g_ext, g_seg.d + 32, g_seg.n - 32);
	}
	put_ip6(p, CLI6, SRV6, IPP_FRAGMENT, 64, g_ext.d, g_ext.n);
}

/*
 * IPv6 with hop-by-hop options, a type 0 routing header with Segments Left 0
 * (ignored per RFC 5095 §3), an atomic fragment header (RFC 6946) and
 * destination options, in RFC 8200 §4.1 order, then UDP.
 */
static void
ip6_ext_chain(struct buf *p)
{
	static const uint8_t padn[6] = { 1, 4, 0, 0, 0, 0 }; /* PadN, RFC 8200 §4.2 */
	static const uint8_t data[] = "ext-headers";

	udp_seg(&g_seg, 5000, 5001, data, sizeof(data) - 1);
	l4_checksum(&g_seg, IPP_UDP, CLI6, SRV6, 16);
	reset(&g_ext, true);
	put_u8(&g_ext, IPP_ROUTING); /* hop-by-hop */
	put_u8(&g_ext, 0);
	put_bytes(&g_ext, padn, sizeof(padn));
	put_u8(&g_ext, IPP_FRAGMENT); /* routing */
	put_u8(&g_ext, 2);
	put_u8(&g_ext, 0);
	put_u8(&g_ext, 0);
	put_be32(&g_ext, 0);
	put_bytes(&g_ext, SRV6, 16);
	put_u8(&g_ext, IPP_DSTOPTS); /* fragment: offset 0, M 0 */
	put_u8(&g_ext, 0);
	put_be16(&g_ext, 0);
	put_be32(&g_ext, 0x0000abcd);
	put_u8(&g_ext, IPP_UDP); /* destination options */
	put_u8(&g_ext, 0);
	put_bytes(&g_ext, padn, sizeof(padn));
	put_bytes(&g_ext, g_seg.d, g_seg.n);
	put_ip6(p, CLI6, SRV6, IPP_HOPOPTS, 64, g_ext.d, g_ext.n);
}

/*
 * Builds network-layer packet k of the standard set into p (reset first) and
 * returns its ethertype; *reply is set for packets towards the client.
 */
static uint16_t
build_l3(struct buf *p, int k, bool *reply)
{
	static const uint8_t router_alert[4] = { 0x94, 0x04, 0x00, 0x00 }; /* RFC 2113 */
	static const uint8_t opt_data[] = "ipv4 with router alert option";
	struct v4hdr h = { .src = CLI4, .dst = SRV4, .proto = IPP_UDP, .ttl = 64, .id = 0x1008 };
	uint8_t q[64];
	size_t qn;

	reset(p, true);
	*reply = k == 1 || k == N_ARP + 1 || k == N_ARP + 6 || k == N_ARP + 13;
	switch (k) {
	case 0:
	case 1:
		arp(p, (uint16_t)(k + 1));
		return ETH_ARP;
	case N_ARP + 0:
		tcp_seg(&g_seg, 49152, 80, 1000, 0, TCP_SYN | TCP_ECE | TCP_CWR, "");
		ip4_of_seg(p, CLI4, SRV4, IPP_TCP, 0x1001, 0);
		break;
	case N_ARP + 1:
		tcp_seg(&g_seg, 80, 49152, 5000, 1001, TCP_SYN | TCP_ACK | TCP_ECE, "");
		ip4_of_seg(p, SRV4, CLI4, IPP_TCP, 0, 0);
		break;
	case N_ARP + 2:
		tcp_seg(&g_seg, 49152, 80, 1001, 5001, TCP_ACK, "");
		ip4_of_seg(p, CLI4, SRV4, IPP_TCP, 0x1002, 0);
		break;
	case N_ARP + 3:
		tcp_seg(&g_seg, 49152, 80, 1001, 5001, TCP_PSH | TCP_ACK,
		        "GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n");
		ip4_of_seg(p, CLI4, SRV4, IPP_TCP, 0x1003, 0x02); /* ECT(0), RFC 3168 */
		break;
	case N_ARP + 4:
		qn = dns_query(q, 0x1234, 1);
		udp_seg(&g_seg, 53000, 53, q, qn);
		ip4_of_seg(p, CLI4, DNS4, IPP_UDP, 0x1004, 0);
		break;
	case N_ARP + 5:
		echo_seg(&g_seg, 8, 0x0101, 1);
		ip4_of_seg(p, CLI4, SRV4, IPP_ICMP, 0x1005, 0);
		break;
	case N_ARP + 6:
		echo_seg(&g_seg, 0, 0x0101, 1);
		ip4_of_seg(p, SRV4, CLI4, IPP_ICMP, 0x2005, 0);
		break;
	case N_ARP + 7:
		udp_seg(&g_seg, 5000, 5001, opt_data, sizeof(opt_data) - 1);
		l4_checksum(&g_seg, IPP_UDP, CLI4, SRV4, 4);
		h.opt = router_alert;
		h.optlen = sizeof(router_alert);
		put_ip4(p, &h, g_seg.d, g_seg.n);
		break;
	case N_ARP + 8:
	case N_ARP + 9:
		ip4_frag(p, k - (N_ARP + 8));
		break;
	case N_ARP + 10:
		tcp_seg(&g_seg, 49153, 443, 7000, 0, TCP_SYN | TCP_ECE | TCP_CWR, "");
		ip6_of_seg(p, CLI6, SRV6, IPP_TCP);
		return ETH_IPV6;
	case N_ARP + 11:
		qn = dns_query(q, 0x5678, 28);
		udp_seg(&g_seg, 53001, 53, q, qn);
		ip6_of_seg(p, CLI6, DNS6, IPP_UDP);
		return ETH_IPV6;
	case N_ARP + 12:
		echo_seg(&g_seg, 128, 0x0202, 1);
		ip6_of_seg(p, CLI6, SRV6, IPP_ICMPV6);
		return ETH_IPV6;
	case N_ARP + 13:
		echo_seg(&g_seg, 129, 0x0202, 1);
		ip6_of_seg(p, SRV6, CLI6, IPP_ICMPV6);
		return ETH_IPV6;
	case N_ARP + 14:
		ip6_ext_chain(p);
		return ETH_IPV6;
	default:
		ip6_frag(p, k - (N_ARP + 15));
		return ETH_IPV6;
	}
	return ETH_IPV4;
}

/* Ethernet II header with `tags` VLAN tags: 802.1ad outer when there are two. */
static void
put_eth(struct buf *f, bool reply, uint16_t ethertype, int tags, bool bcast)
{
	put_bytes(f, bcast ? MAC_BCAST : reply ? MAC_CLI : MAC_GW, 6);
	put_bytes(f, reply ? MAC_GW : MAC_CLI, 6);
	if (tags == 2) {
		put_be16(f, ETH_QINQ);
		put_be16(f, 200); /* PCP 0, DEI 0, VID 200 */
	}
	if (tags >= 1) {
		put_be16(f, ETH_VLAN);
		put_be16(f, (uint16_t)(3 << 13 | 100)); /* PCP 3, VID 100 */
	}
	put_be16(f, ethertype);
}

/* The NULL/LOOP address family of an IPv6 packet: BSD AF_INET6 24, 28, 30. */
static uint32_t
af_inet6(int k)
{
	static const uint32_t af[3] = { 24, 28, 30 };

	return af[(k - FIRST_V6) % 3];
}

/*
 * Builds frame k of the standard set for link framing l into g_frame.
 * Returns false when the framing carries no such packet (ARP on IP links).
 */
static bool
build_frame(enum link l, int k)
{
	struct buf *f = &g_frame;
	bool reply;
	uint16_t et = build_l3(&g_l3, k, &reply);
	bool bcast = k == 0;

	reset(f, true);
	if (et == ETH_ARP && l >= K_RAW) {
		return false;
	}
	switch (l) {
	case K_ETHER:
	case K_VLAN:
	case K_QINQ:
		put_eth(f, reply, et, (int)l, bcast);
		break;
	case K_SLL:
		put_be16(f, reply ? 0 : 4); /* packet type: to us / outgoing */
		put_be16(f, 1);             /* ARPHRD_ETHER */
		put_be16(f, 6);
		put_bytes(f, reply ? MAC_GW : MAC_CLI, 6);
		put_be16(f, 0);
		put_be16(f, et);
		break;
	case K_SLL2:
		put_be16(f, et);
		put_be16(f, 0);
		put_be32(f, 2); /* interface index */
		put_be16(f, 1); /* ARPHRD_ETHER */
		put_u8(f, reply ? 0 : 4);
		put_u8(f, 6);
		put_bytes(f, reply ? MAC_GW : MAC_CLI, 6);
		put_be16(f, 0);
		break;
	case K_RAW:
		break;
	case K_NULL:
		put_le32(f, et == ETH_IPV4 ? 2 : af_inet6(k)); /* host order of an LE writer */
		break;
	case K_LOOP:
		put_be32(f, et == ETH_IPV4 ? 2 : 24); /* always network order */
		break;
	}
	put_bytes(f, g_l3.d, g_l3.n);
	if (l <= K_QINQ) {
		while (f->n < 60) {
			put_u8(f, 0); /* Ethernet minimum frame, FCS excluded */
		}
	}
	return true;
}

/* IEEE 802.3 CRC-32 (reflected 0xEDB88320), the Ethernet FCS. */
static uint32_t
crc32_ieee(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int b = 0; b < 8; b++) {
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
		}
	}
	return ~c;
}

static int64_t
ts_of(int i)
{
	return BASE_NS + (int64_t)i * STEP_NS;
}

static void
write_file(const char *name)
{
	char path[1024];
	FILE *fp;
	int r = snprintf(path, sizeof(path), "%s/%s", g_dir, name);

	if (g_out.full || r < 0 || (size_t)r >= sizeof(path)) {
		fprintf(stderr, "gen_captures: %s: too large\n", name);
		g_errors++;
		return;
	}
	fp = fopen(path, "wb");
	if (fp == NULL) {
		perror(path);
		g_errors++;
		return;
	}
	if (fwrite(g_out.d, 1, g_out.n, fp) != g_out.n || fclose(fp) != 0) {
		perror(path);
		g_errors++;
		return;
	}
	g_files++;
}

/* ---- classic pcap ---- */

struct pcapfmt {
	bool be;            /* file byte order */
	bool ns;            /* nanosecond magic */
	bool modified;      /* a1b2cd34 with 24-byte records */
	uint32_t snaplen;   /* header snaplen */
	uint32_t linkfield; /* LinkType and additional information */
};

static void
pcap_header(const struct pcapfmt *pf)
{
	reset(&g_out, pf->be);
	put32(&g_out, pf->modified ? PCAP_MAGIC_MOD : pf->ns ? PCAP_MAGIC_NS : PCAP_MAGIC_US);
	put16(&g_out, 2);
	put16(&g_out, 4);
	put32(&g_out, 0); /* thiszone */
	put32(&g_out, 0); /* sigfigs */
	put32(&g_out, pf->snaplen);
	put32(&g_out, pf->linkfield);
}

static void
pcap_record(const struct pcapfmt *pf, int64_t ts, const uint8_t *data, size_t caplen, size_t len)
{
	put32(&g_out, (uint32_t)(ts / NS_PER_S));
	put32(&g_out, (uint32_t)(pf->ns ? ts % NS_PER_S : ts % NS_PER_S / 1000));
	put32(&g_out, (uint32_t)caplen);
	put32(&g_out, (uint32_t)len);
	if (pf->modified) {
		put32(&g_out, 2); /* ifindex */
		put_be16(&g_out, caplen >= 14 ? (uint16_t)(data[12] << 8 | data[13])
		                              : 0);                        /* skb->protocol */
		put_u8(&g_out, memcmp(data + 6, MAC_CLI, 6) == 0 ? 4 : 0); /* pkt_type */
		put_u8(&g_out, 0);
	}
	put_bytes(&g_out, data, caplen);
}

/* The standard set on framing l as one classic pcap file. */
static void
gen_pcap_std(const char *name, const struct pcapfmt *pf, enum link l)
{
	int i = 0;

	pcap_header(pf);
	for (int k = 0; k < N_STD; k++) {
		if (!build_frame(l, k)) {
			continue;
		}
		if (pf->linkfield & PCAP_FCS_PRESENT) {
			uint32_t fcs = crc32_ieee(g_frame.d, g_frame.n);

			put_le32(&g_frame, fcs); /* transmitted least significant bit first */
		}
		size_t cap = g_frame.n < pf->snaplen ? g_frame.n : pf->snaplen;

		pcap_record(pf, ts_of(i++), g_frame.d, cap, g_frame.n);
	}
	write_file(name);
}

/* IP packets only, on LINKTYPE_IPV4 (228) or LINKTYPE_IPV6 (229). */
static void
gen_pcap_ipver(const char *name, uint32_t lt, uint16_t want)
{
	struct pcapfmt pf = { .snaplen = 262144, .linkfield = lt };
	int i = 0;
	bool reply;

	pcap_header(&pf);
	for (int k = N_ARP; k < N_STD; k++) {
		if (build_l3(&g_l3, k, &reply) == want) {
			pcap_record(&pf, ts_of(i++), g_l3.d, g_l3.n, g_l3.n);
		}
	}
	write_file(name);
}

static void
gen_pcap_files(void)
{
	static const struct {
		const char *name;
		enum link l;
		uint32_t lt;
	} lts[] = {
		{ "lt-ether.pcap", K_ETHER, LT_ETHER }, { "lt-vlan.pcap", K_VLAN, LT_ETHER },
		{ "lt-qinq.pcap", K_QINQ, LT_ETHER },   { "lt-sll.pcap", K_SLL, LT_SLL },
		{ "lt-sll2.pcap", K_SLL2, LT_SLL2 },    { "lt-raw101.pcap", K_RAW, LT_RAW },
		{ "lt-raw12.pcap", K_RAW, LT_RAW12 },   { "lt-raw14.pcap", K_RAW, LT_RAW14 },
		{ "lt-null.pcap", K_NULL, LT_NULL },    { "lt-loop.pcap", K_LOOP, LT_LOOP },
	};
	struct pcapfmt pf = { .snaplen = 262144, .linkfield = LT_ETHER };

	for (size_t i = 0; i < sizeof(lts) / sizeof(lts[0]); i++) {
		pf.linkfield = lts[i].lt;
		gen_pcap_std(lts[i].name, &pf, lts[i].l);
	}
	gen_pcap_ipver("lt-ipv4.pcap", LT_IPV4, ETH_IPV4);
	gen_pcap_ipver("lt-ipv6.pcap", LT_IPV6, ETH_IPV6);

	pf.linkfield = LT_ETHER;
	gen_pcap_std("pcap-us-le.pcap", &pf, K_ETHER);
	pf.be = true;
	gen_pcap_std("pcap-us-be.pcap", &pf, K_ETHER);
	pf.ns = true;
	gen_pcap_std("pcap-ns-be.pcap", &pf, K_ETHER);
	pf.be = false;
	gen_pcap_std("pcap-ns-le.pcap", &pf, K_ETHER);
	pf.ns = false;
	pf.modified = true;
	gen_pcap_std("pcap-modified.pcap", &pf, K_ETHER);
	pf.modified = false;
	pf.linkfield = LT_ETHER | PCAP_FCS_PRESENT | 2u << PCAP_FCS_SHIFT;
	gen_pcap_std("pcap-fcs.pcap", &pf, K_ETHER);
	pf.linkfield = LT_ETHER;
	pf.snaplen = 64;
	gen_pcap_std("pcap-snaplen.pcap", &pf, K_ETHER);
	pf.snaplen = 262144;
	pcap_header(&pf);
	write_file("pcap-empty.pcap");

	/* LINKTYPE_USER0: opaque frames a reader passes through undecoded. */
	pf.linkfield = LT_USER0;
	pcap_header(&pf);
	for (int i = 0; i < 3; i++) {
		char frame[64];
		int n = snprintf(frame, sizeof(frame), "opaque USER0 frame %d, link type 147", i);

		pcap_record(&pf, ts_of(i), (const uint8_t *)frame, (size_t)n, (size_t)n);
	}
	write_file("lt-unknown147.pcap");
}

/* Damaged classic pcap files: five good Ethernet records, then the damage. */
static void
gen_pcap_damaged(void)
{
	struct pcapfmt pf = { .snaplen = 262144, .linkfield = LT_ETHER };
	uint32_t x = 12345;

	pcap_header(&pf);
	for (int k = 0; k < 5; k++) {
		build_frame(K_ETHER, k);
		pcap_record(&pf, ts_of(k), g_frame.d, g_frame.n, g_frame.n);
	}
	size_t good = g_out.n;

	build_frame(K_ETHER, 5);
	pcap_record(&pf, ts_of(5), g_frame.d, g_frame.n, g_frame.n);
	g_out.n -= g_frame.n / 2; /* cut mid-data */
	write_file("dmg-trunc-last.pcap");

	g_out.n = good;
	put32(&g_out, (uint32_t)(ts_of(5) / NS_PER_S));
	put32(&g_out, 0);
	put32(&g_out, 0x7fffffffu);
	put32(&g_out, 0x7fffffffu);
	build_frame(K_ETHER, 5);
	put_bytes(&g_out, g_frame.d, g_frame.n);
	write_file("dmg-lying-len.pcap");

	g_out.n = good;
	for (int i = 0; i < 200; i++) {
		x = x * 1103515245u + 12345u; /* fixed LCG: the same garbage every run */
		put_u8(&g_out, (uint8_t)(x >> 23 | 0x80));
	}
	write_file("dmg-garbage.pcap");

	g_out.n = 0; /* rewrite the magic only */
	put32(&g_out, 0xDEADBEEFu);
	g_out.n = good;
	write_file("dmg-bad-magic.pcap");
}

/* ---- pcapng ---- */

static size_t
blk_begin(uint32_t type)
{
	size_t at = g_out.n;

	put32(&g_out, type);
	put32(&g_out, 0); /* Block Total Length, patched by blk_end */
	return at;
}

static void
blk_end(size_t at)
{
	uint32_t total;

	pad4(&g_out);
	total = (uint32_t)(g_out.n - at + 4);
	put32(&g_out, total);
	patch32(&g_out, at + 4, total);
}

static void
opt_bytes(uint16_t code, const void *p, size_t n)
{
	put16(&g_out, code);
	put16(&g_out, (uint16_t)n);
	put_bytes(&g_out, p, n);
	pad4(&g_out);
}

static void
opt_str(uint16_t code, const char *s)
{
	opt_bytes(code, s, strlen(s));
}

static void
opt_u8(uint16_t code, uint8_t v)
{
	opt_bytes(code, &v, 1);
}

static void
opt_u32(uint16_t code, uint32_t v)
{
	put16(&g_out, code);
	put16(&g_out, 4);
	put32(&g_out, v);
}

static void
opt_u64(uint16_t code, uint64_t v)
{
	put16(&g_out, code);
	put16(&g_out, 8);
	put64(&g_out, v);
}

/* A timestamp option (isb_starttime/endtime): high then low 32-bit word, as in an EPB. */
static void
opt_ts(uint16_t code, uint64_t ticks)
{
	put16(&g_out, code);
	put16(&g_out, 8);
	put32(&g_out, (uint32_t)(ticks >> 32));
	put32(&g_out, (uint32_t)ticks);
}

static void
opt_end(void)
{
	put16(&g_out, OPT_END);
	put16(&g_out, 0);
}

/* Where a section's SHB sits, to fill in its Section Length afterwards. */
struct section {
	size_t len_at; /* offset of the Section Length field */
	size_t end;    /* offset just past the SHB: the section's first block */
};

/* Starts a section in byte order be, Section Length -1 (not specified). */
static struct section
shb(bool be, bool with_opts)
{
	struct section s;
	size_t at;

	g_out.be = be;
	at = blk_begin(NG_SHB);
	put32(&g_out, NG_BOM);
	put16(&g_out, 1);
	put16(&g_out, 0);
	s.len_at = g_out.n;
	put64(&g_out, UINT64_MAX);
	if (with_opts) {
		opt_str(OPT_COMMENT, "crafted by captures/gen_captures.c");
		opt_str(SHB_HARDWARE, "x86_64 documentation machine");
		opt_str(SHB_OS, "Linux 6.1.0 (example)");
		opt_str(SHB_USERAPPL, "gen_captures (pcapmcp test captures)");
		opt_end();
	}
	blk_end(at);
	s.end = g_out.n;
	return s;
}

/* Sets the Section Length to the bytes written after the SHB (§4.1). */
static void
shb_set_length(const struct section *s)
{
	patch64(&g_out, s->len_at, (uint64_t)(g_out.n - s->end));
}

struct idb {
	uint16_t linktype;
	uint32_t snaplen;
	const char *name;  /* if_name or NULL */
	const char *descr; /* if_description or NULL */
	int tsresol;       /* if_tsresol byte, or -1 for none (default 6) */
	int64_t tsoffset;  /* if_tsoffset seconds, 0 for none */
	int fcslen;        /* if_fcslen, or -1 for none */
};

static void
idb(const struct idb *d)
{
	size_t at = blk_begin(NG_IDB);

	put16(&g_out, d->linktype);
	put16(&g_out, 0);
	put32(&g_out, d->snaplen);
	if (d->name != NULL) {
		opt_str(IF_NAME, d->name);
	}
	if (d->descr != NULL) {
		opt_str(IF_DESCRIPTION, d->descr);
	}
	if (d->tsresol >= 0) {
		opt_u8(IF_TSRESOL, (uint8_t)d->tsresol);
	}
	if (d->fcslen >= 0) {
		opt_u8(IF_FCSLEN, (uint8_t)d->fcslen);
	}
	if (d->tsoffset != 0) {
		opt_u64(IF_TSOFFSET, (uint64_t)d->tsoffset);
	}
	if (d->name != NULL || d->descr != NULL || d->tsresol >= 0 || d->fcslen >= 0 ||
	    d->tsoffset != 0) {
		opt_end();
	}
	blk_end(at);
}

/* Units per second of an if_tsresol byte (only the exact ones used here). */
static uint64_t
units_per_s(int tsresol)
{
	uint64_t u = 1;

	if (tsresol < 0) {
		tsresol = 6;
	}
	if (tsresol & 0x80) {
		return u << (tsresol & 0x7f);
	}
	for (int i = 0; i < tsresol; i++) {
		u *= 10;
	}
	return u;
}

/* Ticks of absolute time ts (ns) on interface d; exact for power-of-10 resolutions. */
static uint64_t
ticks_of(const struct idb *d, int64_t ts)
{
	uint64_t u = units_per_s(d->tsresol);
	int64_t rel = ts - d->tsoffset * NS_PER_S;

	return (uint64_t)(rel / NS_PER_S) * u + (uint64_t)(rel % NS_PER_S) * u / NS_PER_S;
}

/* Writes an EPB up to its options; the caller adds options (or not) and calls blk_end. */
static size_t
epb_begin(uint32_t iface, uint64_t ticks, const uint8_t *data, uint32_t caplen, uint32_t len)
{
	size_t at = blk_begin(NG_EPB);

	put32(&g_out, iface);
	put32(&g_out, (uint32_t)(ticks >> 32));
	put32(&g_out, (uint32_t)ticks);
	put32(&g_out, caplen);
	put32(&g_out, len);
	put_bytes(&g_out, data, caplen);
	pad4(&g_out);
	return at;
}

static void
epb(uint32_t iface, uint64_t ticks, const uint8_t *data, uint32_t len)
{
	blk_end(epb_begin(iface, ticks, data, len, len));
}

/* EPB of standard-set frame k on framing l; returns false if l has no such frame. */
static bool
epb_std(uint32_t iface, const struct idb *d, enum link l, int k, int64_t ts)
{
	if (!build_frame(l, k)) {
		return false;
	}
	epb(iface, ticks_of(d, ts), g_frame.d, (uint32_t)g_frame.n);
	return true;
}

/* NRB record (§4.5): address then NUL-terminated names, padded to 32 bits. */
static void
nrb_record(uint16_t type, const uint8_t *addr, size_t alen, const char *const *names, size_t nn)
{
	size_t vlen = alen;

	for (size_t i = 0; i < nn; i++) {
		vlen += strlen(names[i]) + 1;
	}
	put16(&g_out, type);
	put16(&g_out, (uint16_t)vlen);
	put_bytes(&g_out, addr, alen);
	for (size_t i = 0; i < nn; i++) {
		put_bytes(&g_out, names[i], strlen(names[i]) + 1);
	}
	pad4(&g_out);
}

static void
nrb(void)
{
	static const char *const cli[] = { "client.example" };
	static const char *const dns[] = { "ns1.example", "resolver.example" };
	static const char *const srv[] = { "www.example.com" };
	size_t at = blk_begin(NG_NRB);

	nrb_record(NRB_IPV4, CLI4, 4, cli, 1);
	nrb_record(NRB_IPV4, DNS4, 4, dns, 2);
	nrb_record(NRB_IPV4, SRV4, 4, srv, 1);
	nrb_record(NRB_IPV6, SRV6, 16, srv, 1);
	nrb_record(NRB_IPV6, DNS6, 16, dns, 1);
	put16(&g_out, NRB_END);
	put16(&g_out, 0);
	blk_end(at);
}

/* SHB, IDB with if_name/if_description/if_tsresol/if_fcslen/if_tsoffset, NRB, EPBs, ISB. */
static void
gen_ng_basic(const char *name, bool be)
{
	const struct idb d = { .linktype = LT_ETHER,
		               .snaplen = 262144,
		               .name = "eth0",
		               .descr = "documentation LAN 192.0.2.0/24",
		               .tsresol = 9,
		               .tsoffset = TSOFFSET,
		               .fcslen = 0 };
	size_t at;
	int i;

	reset(&g_out, be);
	shb(be, false);
	idb(&d);
	nrb();
	for (i = 0; i < N_STD; i++) {
		epb_std(0, &d, K_ETHER, i, ts_of(i));
	}
	at = blk_begin(NG_ISB);
	put32(&g_out, 0);
	put32(&g_out, (uint32_t)(ticks_of(&d, ts_of(i)) >> 32));
	put32(&g_out, (uint32_t)ticks_of(&d, ts_of(i)));
	opt_ts(ISB_STARTTIME, ticks_of(&d, BASE_NS - NS_PER_S));
	opt_ts(ISB_ENDTIME, ticks_of(&d, ts_of(i)));
	opt_u64(ISB_IFRECV, 25);
	opt_u64(ISB_IFDROP, 1);
	opt_u64(ISB_FILTERACCEPT, 20);
	opt_u64(ISB_OSDROP, 2);
	opt_u64(ISB_USRDELIV, 19);
	opt_end();
	blk_end(at);
	write_file(name);
}

/* Three sections (LE, BE, LE) with their own interfaces and link types. */
static void
gen_ng_multisection(void)
{
	const struct idb eth = {
		.linktype = LT_ETHER, .snaplen = 262144, .name = "eth0", .tsresol = -1, .fcslen = -1
	};
	const struct idb raw = {
		.linktype = LT_RAW, .snaplen = 65535, .name = "tun0", .tsresol = -1, .fcslen = -1
	};
	const struct idb sll = {
		.linktype = LT_SLL, .snaplen = 65535, .name = "any", .tsresol = 9, .fcslen = -1
	};
	const struct idb null = {
		.linktype = LT_NULL, .snaplen = 65535, .name = "lo0", .tsresol = -1, .fcslen = -1
	};
	struct section sec;
	int t = 0;

	reset(&g_out, false);
	shb(false, false); /* section 1: little-endian, length -1 */
	idb(&eth);
	for (int k = 0; k < 3; k++) {
		epb_std(0, &eth, K_ETHER, k, ts_of(t++));
	}

	sec = shb(true, false); /* section 2: big-endian, length given */
	idb(&raw);
	idb(&sll);
	epb_std(0, &raw, K_RAW, N_ARP + 0, ts_of(t++));
	epb_std(1, &sll, K_SLL, N_ARP + 1, ts_of(t++));
	epb_std(0, &raw, K_RAW, N_ARP + 12, ts_of(t++));
	epb_std(1, &sll, K_SLL, N_ARP + 13, ts_of(t++));
	shb_set_length(&sec);

	sec = shb(false, false); /* section 3: little-endian, length given */
	idb(&null);
	epb_std(0, &null, K_NULL, N_ARP + 5, ts_of(t++));
	epb_std(0, &null, K_NULL, N_ARP + 6, ts_of(t++));
	epb_std(0, &null, K_NULL, N_ARP + 12, ts_of(t++));
	shb_set_length(&sec);
	write_file("ng-multisection.pcapng");
}

/* Interfaces at 10^-3 (with if_tsoffset), 10^-6, 10^-9 and 2^-20 seconds. */
static void
gen_ng_tsresol(void)
{
	static const struct idb ifs[4] = {
		{ .linktype = LT_ETHER,
		  .snaplen = 262144,
		  .name = "ms",
		  .tsresol = 3,
		  .tsoffset = TSOFFSET,
		  .fcslen = -1 },
		{ .linktype = LT_ETHER,
		  .snaplen = 262144,
		  .name = "us",
		  .tsresol = 6,
		  .fcslen = -1 },
		{ .linktype = LT_ETHER,
		  .snaplen = 262144,
		  .name = "ns",
		  .tsresol = 9,
		  .fcslen = -1 },
		{ .linktype = LT_ETHER,
		  .snaplen = 262144,
		  .name = "2^-20",
		  .tsresol = 0x94,
		  .fcslen = -1 },
	};
	/* Seconds and sub-second ticks in each interface's own unit. */
	static const struct {
		uint32_t iface;
		int64_t sec;
		uint64_t frac;
	} pk[] = {
		{ 0, 1704164645, 123 },    { 1, 1704164645, 234567 }, { 2, 1704164645, 345678901 },
		{ 3, 1704164645, 524288 }, /* 0.5 s exactly */
		{ 0, 1704164646, 1 },      { 1, 1704164646, 100001 }, { 2, 1704164646, 200000002 },
		{ 3, 1704164646, 314573 }, /* 0.300000190734863... s: not a whole ns */
	};

	reset(&g_out, false);
	shb(false, false);
	for (size_t i = 0; i < 4; i++) {
		idb(&ifs[i]);
	}
	for (size_t i = 0; i < sizeof(pk) / sizeof(pk[0]); i++) {
		const struct idb *d = &ifs[pk[i].iface];
		uint64_t ticks =
		    (uint64_t)(pk[i].sec - d->tsoffset) * units_per_s(d->tsresol) + pk[i].frac;

		build_frame(K_ETHER, N_ARP + (int)i);
		epb(pk[i].iface, ticks, g_frame.d, (uint32_t)g_frame.n);
	}
	write_file("ng-tsresol.pcapng");
}

/* Simple Packet Blocks: captured length is min(original length, IDB snaplen 96). */
static void
gen_ng_spb(void)
{
	const struct idb d = { .linktype = LT_ETHER, .snaplen = 96, .tsresol = -1, .fcslen = -1 };

	reset(&g_out, false);
	shb(false, false);
	idb(&d);
	for (int k = 0; k < N_STD; k++) {
		size_t at;
		size_t cap;

		build_frame(K_ETHER, k);
		cap = g_frame.n < d.snaplen ? g_frame.n : d.snaplen;
		at = blk_begin(NG_SPB);
		put32(&g_out, (uint32_t)g_frame.n);
		put_bytes(&g_out, g_frame.d, cap);
		blk_end(at);
	}
	write_file("ng-spb.pcapng");
}

/* The obsolete Packet Block (type 2): 16-bit interface ID and drops count. */
static void
gen_ng_pb(void)
{
	const struct idb d = {
		.linktype = LT_ETHER, .snaplen = 262144, .tsresol = -1, .fcslen = -1
	};

	reset(&g_out, false);
	shb(false, false);
	idb(&d);
	for (int k = 0; k < 6; k++) {
		uint64_t ticks = ticks_of(&d, ts_of(k));
		size_t at;

		build_frame(K_ETHER, k);
		at = blk_begin(NG_PB);
		put16(&g_out, 0);
		put16(&g_out, k == 3 ? 1 : 0); /* drops count */
		put32(&g_out, (uint32_t)(ticks >> 32));
		put32(&g_out, (uint32_t)ticks);
		put32(&g_out, (uint32_t)g_frame.n);
		put32(&g_out, (uint32_t)g_frame.n);
		put_bytes(&g_out, g_frame.d, g_frame.n);
		pad4(&g_out);
		if (k == 2) {
			opt_u32(PACK_FLAGS, 0x00000005); /* inbound, unicast */
			opt_end();
		}
		blk_end(at);
	}
	write_file("ng-pb.pcapng");
}

/* A Decryption Secrets Block (§4.7) with a TLS key log, then packets. */
static void
gen_ng_dsb(void)
{
	static const char keylog[] =
	    "CLIENT_RANDOM "
	    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f "
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	    "00112233445566778899aabbccddeeff\n";
	const struct idb d = {
		.linktype = LT_ETHER, .snaplen = 262144, .tsresol = -1, .fcslen = -1
	};
	size_t at;

	reset(&g_out, false);
	shb(false, false);
	at = blk_begin(NG_DSB);
	put32(&g_out, NG_DSB_TLS);
	put32(&g_out, (uint32_t)(sizeof(keylog) - 1));
	put_bytes(&g_out, keylog, sizeof(keylog) - 1);
	blk_end(at);
	idb(&d);
	for (int k = 0; k < 4; k++) {
		epb_std(0, &d, K_ETHER, N_ARP + k, ts_of(k));
	}
	write_file("ng-dsb.pcapng");
}

/* Custom blocks (§4.8) of both copy kinds and an unknown block between packets. */
static void
gen_ng_custom(void)
{
	const struct idb d = {
		.linktype = LT_ETHER, .snaplen = 262144, .tsresol = -1, .fcslen = -1
	};
	size_t at;

	reset(&g_out, false);
	shb(false, false);
	idb(&d);
	epb_std(0, &d, K_ETHER, N_ARP + 0, ts_of(0));
	at = blk_begin(NG_CB_COPY);
	put32(&g_out, PEN_DOC);
	put_str(&g_out, "custom block, may be copied");
	blk_end(at);
	epb_std(0, &d, K_ETHER, N_ARP + 1, ts_of(1));
	at = blk_begin(NG_CB_NOCP);
	put32(&g_out, PEN_DOC);
	put_str(&g_out, "custom block, do not copy");
	blk_end(at);
	epb_std(0, &d, K_ETHER, N_ARP + 2, ts_of(2));
	at = blk_begin(NG_UNKNOWN);
	put32(&g_out, 0x01020304);
	put32(&g_out, 0x05060708);
	blk_end(at);
	epb_std(0, &d, K_ETHER, N_ARP + 3, ts_of(3));
	write_file("ng-custom.pcapng");
}

/* SHB options, and EPB options: comments, flags, drop count, packet id, queue, custom. */
static void
gen_ng_options(void)
{
	const struct idb d = { .linktype = LT_ETHER,
		               .snaplen = 262144,
		               .name = "eth0",
		               .descr = "with options",
		               .tsresol = -1,
		               .fcslen = -1 };
	size_t at;

	reset(&g_out, false);
	shb(false, true);
	idb(&d);
	for (int k = 0; k < 5; k++) {
		build_frame(K_ETHER, N_ARP + k);
		at = epb_begin(0, ticks_of(&d, ts_of(k)), g_frame.d, (uint32_t)g_frame.n,
		               (uint32_t)g_frame.n);
		switch (k) {
		case 0:
			opt_str(OPT_COMMENT, "first comment");
			opt_str(OPT_COMMENT, "second comment on the same packet");
			opt_u32(EPB_FLAGS, 0x00000006); /* outbound, unicast */
			opt_end();
			break;
		case 1:
			opt_str(OPT_COMMENT, "reply, UTF-8: na\xc3\xafve caf\xc3\xa9");
			opt_u32(EPB_FLAGS, 0x00000005); /* inbound, unicast */
			opt_u64(EPB_DROPCOUNT, 3);
			opt_u64(EPB_PACKETID, 0x0123456789abcdefULL);
			opt_u32(EPB_QUEUE, 1);
			opt_end();
			break;
		case 2:
			put32(&g_out, 0); /* an empty option list: opt_endofopt alone */
			break;
		case 3:
			put16(&g_out, OPT_CUSTOM_STR); /* PEN, then UTF-8 (§3.5.1) */
			put16(&g_out, 4 + 13);
			put32(&g_out, PEN_DOC);
			put_str(&g_out, "custom option");
			pad4(&g_out);
			opt_str(OPT_COMMENT, "after a custom option");
			opt_end();
			break;
		default:
			break; /* no options at all */
		}
		blk_end(at);
	}
	write_file("ng-options.pcapng");
}

/* Damaged pcapng: good blocks first, then one block that cannot be trusted. */
static void
gen_ng_damaged(void)
{
	const struct idb d = {
		.linktype = LT_ETHER, .snaplen = 262144, .tsresol = -1, .fcslen = -1
	};
	size_t good;
	size_t at;

	reset(&g_out, false);
	shb(false, false);
	idb(&d);
	for (int k = 0; k < 5; k++) {
		epb_std(0, &d, K_ETHER, k, ts_of(k));
	}
	good = g_out.n;
	epb_std(0, &d, K_ETHER, 5, ts_of(5));
	g_out.n -= 30; /* cut inside the packet data */
	write_file("dmg-trunc-last.pcapng");

	g_out.n = good;
	epb_std(0, &d, K_ETHER, 5, ts_of(5));
	patch32(&g_out, g_out.n - 4, (uint32_t)(g_out.n - good + 8)); /* trailer says 8 more */
	epb_std(0, &d, K_ETHER, 6, ts_of(6));
	epb_std(0, &d, K_ETHER, 7, ts_of(7));
	write_file("dmg-bad-trailer.pcapng");

	/* Block Total Length 93 in both places, 93 not being a multiple of 4. */
	g_out.n = good;
	build_frame(K_ETHER, N_ARP + 2);
	at = blk_begin(NG_EPB);
	put32(&g_out, 0);
	put32(&g_out, (uint32_t)(ticks_of(&d, ts_of(5)) >> 32));
	put32(&g_out, (uint32_t)ticks_of(&d, ts_of(5)));
	put32(&g_out, 61);
	put32(&g_out, 61);
	put_bytes(&g_out, g_frame.d, 60);
	put_u8(&g_out, 0);
	put32(&g_out, (uint32_t)(g_out.n - at + 4));
	patch32(&g_out, at + 4, (uint32_t)(g_out.n - at));
	while (g_out.n % 4 != 0) {
		put_u8(&g_out, 0);
	}
	epb_std(0, &d, K_ETHER, 6, ts_of(6));
	write_file("dmg-misaligned.pcapng");
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_captures OUTPUT_DIR\n");
		return 2;
	}
	g_dir = argv[1];
	gen_pcap_files();
	gen_pcap_damaged();
	gen_ng_basic("ng-le.pcapng", false);
	gen_ng_basic("ng-be.pcapng", true);
	gen_ng_multisection();
	gen_ng_tsresol();
	gen_ng_spb();
	gen_ng_pb();
	gen_ng_dsb();
	gen_ng_custom();
	gen_ng_options();
	gen_ng_damaged();
	printf("gen_captures: wrote %d files to %s\n", g_files, g_dir);
	return g_errors == 0 ? 0 : 1;
}

/* SPDX-License-Identifier: MIT */
/*
 * test_decode.c - the packet decoder: one hex fixture per link type and per
 * IP/transport case, checked field by field (several cross-checked with
 * tshark -V), then a truncation sweep that feeds every prefix of every
 * fixture against a PROT_NONE page (pm_test_decode_sweep, which
 * test_encap.c runs over the tunnel and link type fixtures too).
 */
#include "decode.h"
#include "decodetest.h"
#include "guard.h"
#include "test.h"

#include <stdbool.h>

void test_decode(void);

/*
 * Ethernet, IPv4 192.0.2.1 -> 198.51.100.2, TCP SYN 49152 -> 80 with MSS,
 * SACK-permitted, timestamps, NOP, window scale (checked against tshark).
 */
static const char ETH_TCP_SYN[] = "00112233445566778899aabb08004500003c1234000040067c51c0000201c633"
                                  "6402c00000501122334400000000a002faf000000000020405b40402080a0001"
                                  "e2400000000001030307";
/* 802.1Q VID 100, IPv4, UDP 5353 -> 53, payload "abcd". */
static const char ETH_VLAN[] = "00112233445566778899aabb810020640800450000201234000040117c62c000"
                               "0201c633640214e90035000c000061626364";
/* 802.1ad VID 200 then 802.1Q VID 300, IPv6 2001:db8::1 -> ::2, UDP 1234 -> 443, "xyz". */
static const char ETH_QINQ[] = "00112233445566778899aabb88a800c88100012c86dd60000000000b11402001"
                               "0db800000000000000000000000120010db800000000000000000000000204d2"
                               "01bb000b000078797a";
/* Three tags (0x9100 VID 5, 0x8100 VID 6, 0x8100 VID 7), IPv4 ICMP echo request id 0x0101. */
static const char ETH_TRIPLE[] = "00112233445566778899aabb9100000581000006810000070800450000201234"
                                 "000040017c72c0000201c6336402080000000101000770696e67";
/* Linux SLL, IPv4 10.0.0.1 -> 10.0.0.2, TCP PSH|ACK 40000 -> 80, "GET /". */
static const char SLL_TCP[] = "000000010006001122334455000008004500002d12340000400654950a000001"
                              "0a0000029c400050000003e8000007d05018020000000000474554202f";
/* Linux SLL2, IPv6, TCP FIN|ACK 443 -> 51000, window 1024. */
static const char SLL2_TCP6[] = "86dd000000000002000104060011223344550000600000000014064020010db8"
                                "00000000000000000000000120010db800000000000000000000000201bbc738"
                                "00000005000000065011040000000000";
/* Raw IPv4, UDP 68 -> 67, "dhcp". */
static const char RAW_V4[] = "450000201234000040117c62c0000201c633640200440043000c000064686370";
/* Raw IPv6, ICMPv6 echo request id 0x4242, "hello". */
static const char RAW_V6[] = "60000000000d3a4020010db800000000000000000000000120010db800000000"
                             "0000000000000002800000004242000168656c6c6f";
/* LINKTYPE_IPV4: ICMP echo reply id 0x0909, "pong". */
static const char IPV4_LT[] = "450000201234000040017c72c0000201c63364020000000009090002706f6e67";
/* LINKTYPE_IPV6: UDP 5000 -> 6000, empty payload. */
static const char IPV6_LT[] = "600000000008114020010db800000000000000000000000120010db800000000"
                              "00000000000000021388177000080000";
/* NULL, AF_INET written little-endian, IPv4 127.0.0.1, UDP 1111 -> 2222, "q". */
static const char NULL_LE[] = "020000004500001d1234000040116a9a7f0000017f000001045708ae00090000"
                              "71";
/* NULL, AF_INET written big-endian, same packet. */
static const char NULL_BE[] = "000000024500001d1234000040116a9a7f0000017f000001045708ae00090000"
                              "71";
/* NULL, AF_INET6 = 24 (NetBSD/OpenBSD), IPv6 ::1, TCP SYN 3000 -> 4000. */
static const char NULL_AF24[] = "1800000060000000001406400000000000000000000000000000000100000000"
                                "0000000000000000000000010bb80fa000000001000000005002006400000000";
/* NULL, AF_INET6 = 28 (FreeBSD), same packet. */
static const char NULL_AF28[] = "1c00000060000000001406400000000000000000000000000000000100000000"
                                "0000000000000000000000010bb80fa000000001000000005002006400000000";
/* NULL, AF_INET6 = 30 (Darwin), same packet. */
static const char NULL_AF30[] = "1e00000060000000001406400000000000000000000000000000000100000000"
                                "0000000000000000000000010bb80fa000000001000000005002006400000000";
/* LOOP (always big-endian), AF_INET, TCP FIN 1 -> 2. */
static const char LOOP_V4[] = "00000002450000281234000040067c65c0000201c63364020001000200000003"
                              "000000045001000500000000";
/* IPv4 with IHL 6 (router alert option, RFC 2113), UDP 9 -> 9, "opt". */
static const char IPV4_OPTS[] = "00112233445566778899aabb080046000023123400004011e75ac0000201c633"
                                "64029404000000090009000b00006f7074";
/* IPv4 first fragment (MF, offset 0, id 0xbeef): UDP header claims 3000 bytes. */
static const char IPV4_FRAG1[] = "00112233445566778899aabb08004500002cbeef20004011af9ac0000201c633"
                                 "64020fa000350bb8000041414141414141414141414141414141";
/* IPv4 non-first fragment (offset 3, i.e. 24 bytes), id 0xbeef. */
static const char IPV4_FRAG2[] = "00112233445566778899aabb08004500002cbeef00034011cf97c0000201c633"
                                 "6402424242424242424242424242424242424242424242424242";
/*
 * IPv6 hop-by-hop, routing, fragment (offset 0, M, id 0xcafe1234),
 * destination options, AH (24 bytes), UDP 7 -> 7 "chain".
 */
static const char IPV6_CHAIN[] = "600000000045004020010db800000000000000000000000120010db800000000"
                                 "00000000000000022b000104000000002c000000000000003c000001cafe1234"
                                 "3300010400000000110400000000010000000001111111111111111111111111"
                                 "00070007000d0000636861696e";
/* IPv6 next header ESP: decoding stops there. */
static const char IPV6_ESP[] = "600000000018324020010db800000000000000000000000120010db800000000"
                               "0000000000000002000010000000000122222222222222222222222222222222";
/* IPv6 with 17 destination options headers: one more than PM_MAX_IPV6_EXT. */
static const char IPV6_LONGCHAIN[] =
    "6000000000903c4020010db800000000000000000000000120010db800000000"
    "00000000000000023c000104000000003c000104000000003c00010400000000"
    "3c000104000000003c000104000000003c000104000000003c00010400000000"
    "3c000104000000003c000104000000003c000104000000003c00010400000000"
    "3c000104000000003c000104000000003c000104000000003c00010400000000"
    "3c0001040000000011000104000000000001000200080000";
/* Raw IPv4, TCP SYN|PSH|ACK|ECE|CWR|NS, seq 0xfffffffe, ack 0x80000000, 2 payload bytes. */
static const char TCP_FLAGS[] = "4500002a1234000040067c63c0000201c633640204d2162efffffffe80000000"
                                "51daffff000000000001";
/* Raw IPv4, TCP data offset 4 (< 5): malformed. */
static const char TCP_BADDOFF[] = "450000281234000040067c65c0000201c6336402000100020000000300000004"
                                  "4010000500000000";
/* Raw IPv4, UDP length 7 (< 8): malformed. */
static const char UDP_BADLEN[] = "4500001f1234000040117c63c0000201c63364020001000200070000616263";
/* Raw IPv4, ICMP port unreachable (3/3) quoting an IPv4+UDP header. */
static const char ICMP_UNREACH[] =
    "450000381234000040017c5ac0000201c633640203030000000000004500001c"
    "1234000040117c66c6336402c0000201829a829b00080000";
/* Ethernet minimum frame: 40-byte IPv4+TCP ACK and 6 bytes of padding. */
static const char ETH_PAD[] = "00112233445566778899aabb0800450000281234000040067c65c0000201c633"
                              "64020050c000000000090000000a5010012c00000000000000000000";
/* IPv4 total length 1500 captured with snaplen 100: TCP 80 -> 49152, 46 payload bytes kept. */
static const char SNAPLEN[] = "00112233445566778899aabb0800450005dc12340000400676b1c0000201c633"
                              "64020050c000000000090000000a5018012c0000000044444444444444444444"
                              "4444444444444444444444444444444444444444444444444444444444444444"
                              "44444444";
/* LINKTYPE_USER0 (147): not decoded, only counted. */
static const char UNKNOWN147[] = "01020304";
/* 802.3 length frame (length 0x26) carrying LLC/STP. */
static const char ETH_8023[] = "00112233445566778899aabb0026424203000000000000000000000000000000"
                               "00000000000000000000000000000000000000000000000000000000";
/* Ethernet ARP request. */
static const char ETH_ARP[] = "ffffffffffff66778899aabb0806000108000604000100000000000000000000"
                              "00000000000000000000";
/* IPv6 non-first fragment (offset 32, id 0x77) of a UDP datagram. */
static const char IPV6_FRAG2[] = "6000000000182c4020010db800000000000000000000000120010db800000000"
                                 "0000000000000002110001000000007743434343434343434343434343434343";
/* IPv6 with exactly PM_MAX_IPV6_EXT destination options headers, then UDP 1 -> 2 "16". */
static const char IPV6_CHAIN16[] =
    "60000000008a3c4020010db800000000000000000000000120010db800000000"
    "00000000000000023c000104000000003c000104000000003c00010400000000"
    "3c000104000000003c000104000000003c000104000000003c00010400000000"
    "3c000104000000003c000104000000003c000104000000003c00010400000000"
    "3c000104000000003c000104000000003c000104000000003c00010400000000"
    "110001040000000000010002000a00003136";
/* IPv6 jumbogram (RFC 2675): payload length 0, jumbo option, UDP length 0, "jumbo". */
static const char IPV6_JUMBO[] = "600000000000004020010db800000000000000000000000120010db800000000"
                                 "00000000000000021100c2040000001500080009000000006a756d626f";

static const struct fixture fixtures[] = {
	{ "eth_tcp_syn", 1, ETH_TCP_SYN, 0 },
	{ "eth_vlan", 1, ETH_VLAN, 0 },
	{ "eth_qinq", 1, ETH_QINQ, 0 },
	{ "eth_triple", 1, ETH_TRIPLE, 0 },
	{ "sll_tcp", 113, SLL_TCP, 0 },
	{ "sll2_tcp6", 276, SLL2_TCP6, 0 },
	{ "raw_v4", 101, RAW_V4, 0 },
	{ "raw_v6", 101, RAW_V6, 0 },
	{ "ipv4_lt", 228, IPV4_LT, 0 },
	{ "ipv6_lt", 229, IPV6_LT, 0 },
	{ "null_le", 0, NULL_LE, 0 },
	{ "null_be", 0, NULL_BE, 0 },
	{ "null_af24", 0, NULL_AF24, 0 },
	{ "null_af28", 0, NULL_AF28, 0 },
	{ "null_af30", 0, NULL_AF30, 0 },
	{ "loop_v4", 108, LOOP_V4, 0 },
	{ "ipv4_opts", 1, IPV4_OPTS, 0 },
	{ "ipv4_frag1", 1, IPV4_FRAG1, 0 },
	{ "ipv4_frag2", 1, IPV4_FRAG2, 0 },
	{ "ipv6_chain", 229, IPV6_CHAIN, 0 },
	{ "ipv6_esp", 229, IPV6_ESP, 0 },
	{ "ipv6_longchain", 229, IPV6_LONGCHAIN, 0 },
	{ "tcp_flags", 101, TCP_FLAGS, 0 },
	{ "tcp_baddoff", 101, TCP_BADDOFF, 0 },
	{ "udp_badlen", 101, UDP_BADLEN, 0 },
	{ "icmp_unreach", 101, ICMP_UNREACH, 0 },
	{ "eth_pad", 1, ETH_PAD, 0 },
	{ "snaplen", 1, SNAPLEN, 0 },
	{ "unknown147", 147, UNKNOWN147, 0 },
	{ "eth_8023", 1, ETH_8023, 0 },
	{ "eth_arp", 1, ETH_ARP, 0 },
	{ "ipv6_frag2", 229, IPV6_FRAG2, 0 },
	{ "ipv6_chain16", 229, IPV6_CHAIN16, 0 },
	{ "ipv6_jumbo", 229, IPV6_JUMBO, 40 + 8 + 8 },
};

#define FRAME_MAX 512

static const uint8_t ADDR4_S[4] = { 192, 0, 2, 1 };
static const uint8_t ADDR4_D[4] = { 198, 51, 100, 2 };
static const uint8_t ADDR6_S[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t ADDR6_D[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
static const uint8_t ZERO[16];

/* The last decode: its stats, packet and the guarded frame it points into. */
static struct pm_decode_stats st;
static struct pm_pkt pkt;
static const uint8_t *frame;

/* Decode n captured bytes of a frame that had wire bytes on the wire. */
static void
run_wire(uint32_t linktype, const uint8_t *b, size_t n, size_t wire)
{
	memset(&st, 0, sizeof(st));
	frame = pm_guard(b, n);
	pm_decode(&st, linktype, frame, (uint32_t)n, (uint32_t)wire, 42, &pkt);
}

static void
run_bytes(uint32_t linktype, const uint8_t *b, size_t n)
{
	run_wire(linktype, b, n, n);
}

/* Decode a hex fixture; returns its length. */
static size_t
run(uint32_t linktype, const char *hex)
{
	uint8_t b[FRAME_MAX];
	size_t n = pm_test_unhex(hex, b, sizeof(b));
	run_bytes(linktype, b, n);
	return n;
}

/* Offset of a view into the frame, or -1 for NULL. */
static long long
off(const uint8_t *p)
{
	return p == NULL ? -1 : (long long)(p - frame);
}

static uint64_t
sum(const uint64_t *v)
{
	uint64_t s = 0;
	for (int l = 0; l < PM_L_COUNT; l++) {
		s += v[l];
	}
	return s;
}

/* No layer counted as truncated or malformed, and no flag says so. */
static void
check_clean(void)
{
	CHECK_EQ(sum(st.truncated), 0);
	CHECK_EQ(sum(st.malformed), 0);
	CHECK_EQ(pkt.flags & (PM_PKT_TRUNC | PM_PKT_MALFORMED), 0);
}

static void
check_v4(const uint8_t *src, const uint8_t *dst)
{
	CHECK_EQ(pkt.ipver, 4);
	CHECK_EQ(st.ipv4, 1);
	CHECK_MEM(pkt.src, src, 4);
	CHECK_MEM(pkt.dst, dst, 4);
	CHECK_MEM(pkt.src + 4, ZERO, 12);
	CHECK_MEM(pkt.dst + 4, ZERO, 12);
}

static void
check_v6(const uint8_t *src, const uint8_t *dst)
{
	CHECK_EQ(pkt.ipver, 6);
	CHECK_EQ(st.ipv6, 1);
	CHECK_MEM(pkt.src, src, 16);
	CHECK_MEM(pkt.dst, dst, 16);
}

static void
check_payload(const char *want, size_t n)
{
	CHECK_EQ(pkt.payload_len, n);
	CHECK_EQ(pkt.payload_wire, n);
	CHECK(pkt.payload != NULL);
	if (pkt.payload != NULL && pkt.payload_len == n) {
		CHECK_MEM(pkt.payload, want, n);
	}
}

static void
ethernet_syn(void)
{
	size_t n = run(PM_LINKTYPE_ETHERNET, ETH_TCP_SYN);
	check_clean();
	CHECK_EQ(st.packets, 1);
	CHECK_EQ(st.ethernet, 1);
	CHECK_EQ(st.tcp, 1);
	CHECK_EQ(pkt.ts_ns, 42);
	CHECK_EQ(pkt.caplen, n);
	CHECK_EQ(pkt.wirelen, n);
	CHECK_EQ(pkt.linktype, PM_LINKTYPE_ETHERNET);
	CHECK_EQ(pkt.flags, PM_PKT_HAS_L3 | PM_PKT_HAS_L4);
	CHECK_EQ(pkt.ethertype, PM_ETH_IPV4);
	CHECK_EQ(pkt.vlan_depth, 0);
	check_v4(ADDR4_S, ADDR4_D);
	CHECK_EQ(pkt.ttl, 64);
	CHECK_EQ(pkt.proto, PM_IPPROTO_TCP);
	CHECK_EQ(pkt.ip_len, 60);
	CHECK_EQ(pkt.frag_id_lo, 0x1234);
	CHECK_EQ(off(pkt.l3), 14);
	CHECK_EQ(pkt.sport, 49152);
	CHECK_EQ(pkt.dport, 80);
	CHECK_EQ(pkt.seq, 0x11223344u);
	CHECK_EQ(pkt.ack, 0);
	CHECK_EQ(pkt.tcp_flags, PM_TCP_SYN);
	CHECK_EQ(pkt.window, 64240);
	CHECK_EQ(off(pkt.payload), 74); /* after 20 bytes of options */
	CHECK_EQ(pkt.payload_len, 0);
	CHECK_EQ(pkt.payload_wire, 0);
}

static void
vlan_stacks(void)
{
	run(PM_LINKTYPE_ETHERNET, ETH_VLAN);
	check_clean();
	CHECK_EQ(st.vlan, 1);
	CHECK_EQ(pkt.flags & PM_PKT_VLAN, PM_PKT_VLAN);
	CHECK_EQ(pkt.vlan_id, 100);
	CHECK_EQ(pkt.vlan_depth, 1);
	CHECK_EQ(pkt.ethertype, PM_ETH_IPV4);
	check_v4(ADDR4_S, ADDR4_D);
	CHECK_EQ(off(pkt.l3), 18);
	CHECK_EQ(st.udp, 1);
	CHECK_EQ(pkt.sport, 5353);
	CHECK_EQ(pkt.dport, 53);
	check_payload("abcd", 4);

	run(PM_LINKTYPE_ETHERNET, ETH_QINQ);
	check_clean();
	CHECK_EQ(st.vlan, 1);
	CHECK_EQ(pkt.vlan_id, 200); /* the outer (802.1ad) tag */
	CHECK_EQ(pkt.vlan_depth, 2);
	CHECK_EQ(pkt.ethertype, PM_ETH_IPV6);
	check_v6(ADDR6_S, ADDR6_D);
	CHECK_EQ(pkt.ip_len, 51);
	CHECK_EQ(pkt.ttl, 64);
	CHECK_EQ(off(pkt.l3), 22);
	CHECK_EQ(pkt.sport, 1234);
	CHECK_EQ(pkt.dport, 443);
	check_payload("xyz", 3);

	run(PM_LINKTYPE_ETHERNET, ETH_TRIPLE);
	check_clean();
	CHECK_EQ(pkt.vlan_id, 5);
	CHECK_EQ(pkt.vlan_depth, 3);
	CHECK_EQ(st.icmp, 1);
	CHECK_EQ(pkt.icmp_type, 8);
	CHECK_EQ(pkt.icmp_code, 0);
	CHECK_EQ(pkt.icmp_id, 0x0101);
	check_payload("ping", 4);
}

/* One tag more than PM_MAX_VLAN_DEPTH is malformed; exactly the cap is not. */
static void
vlan_cap(void)
{
	uint8_t b[FRAME_MAX] = { 0 };
	size_t n = 12;
	for (int i = 0; i <= PM_MAX_VLAN_DEPTH; i++) {
		b[n] = 0x81;
		b[n + 3] = (uint8_t)(i + 1);
		n += 4;
	}
	b[n] = 0x08;
	b[n + 1] = 0x06;
	n += 30;
	run_bytes(PM_LINKTYPE_ETHERNET, b, n);
	CHECK_EQ(st.malformed[PM_L_VLAN], 1);
	CHECK_EQ(pkt.flags & PM_PKT_MALFORMED, PM_PKT_MALFORMED);
	CHECK_EQ(pkt.vlan_depth, PM_MAX_VLAN_DEPTH);
	CHECK_EQ(pkt.vlan_id, 1);
	CHECK_EQ(st.vlan, 1);
	CHECK_EQ(st.arp, 0);

	/* Drop the first tag: now exactly PM_MAX_VLAN_DEPTH tags, then ARP. */
	run_bytes(PM_LINKTYPE_ETHERNET, b + 4, n - 4);
	check_clean();
	CHECK_EQ(pkt.vlan_depth, PM_MAX_VLAN_DEPTH);
	CHECK_EQ(st.arp, 1);
	CHECK_EQ(pkt.ethertype, PM_ETH_ARP);
}

static void
cooked(void)
{
	run(PM_LINKTYPE_LINUX_SLL, SLL_TCP);
	check_clean();
	CHECK_EQ(st.sll, 1);
	CHECK_EQ(st.ethernet, 0);
	CHECK_EQ(pkt.ethertype, PM_ETH_IPV4);
	CHECK_EQ(off(pkt.l3), 16);
	static const uint8_t s[4] = { 10, 0, 0, 1 }, d[4] = { 10, 0, 0, 2 };
	check_v4(s, d);
	CHECK_EQ(st.tcp, 1);
	CHECK_EQ(pkt.sport, 40000);
	CHECK_EQ(pkt.dport, 80);
	CHECK_EQ(pkt.seq, 1000);
	CHECK_EQ(pkt.ack, 2000);
	CHECK_EQ(pkt.window, 512);
	CHECK_EQ(pkt.tcp_flags, PM_TCP_PSH | PM_TCP_ACK);
	check_payload("GET /", 5);

	run(PM_LINKTYPE_LINUX_SLL2, SLL2_TCP6);
	check_clean();
	CHECK_EQ(st.sll2, 1);
	CHECK_EQ(pkt.ethertype, PM_ETH_IPV6);
	CHECK_EQ(off(pkt.l3), 20);
	check_v6(ADDR6_S, ADDR6_D);
	CHECK_EQ(pkt.sport, 443);
	CHECK_EQ(pkt.dport, 51000);
	CHECK_EQ(pkt.seq, 5);
	CHECK_EQ(pkt.ack, 6);
	CHECK_EQ(pkt.window, 1024);
	CHECK_EQ(pkt.tcp_flags, PM_TCP_FIN | PM_TCP_ACK);
	CHECK_EQ(pkt.payload_len, 0);
}

static void
raw(void)
{
	static const uint32_t lts[] = { PM_LINKTYPE_RAW, PM_LINKTYPE_RAW_OLD12,
		                        PM_LINKTYPE_RAW_OLD14 };
	for (size_t i = 0; i < PM_ARRAY_LEN(lts); i++) {
		run(lts[i], RAW_V4);
		check_clean();
		CHECK_EQ(st.rawip, 1);
		CHECK_EQ(pkt.ethertype, PM_ETH_IPV4);
		CHECK_EQ(off(pkt.l3), 0);
		check_v4(ADDR4_S, ADDR4_D);
		CHECK_EQ(pkt.sport, 68);
		CHECK_EQ(pkt.dport, 67);
		check_payload("dhcp", 4);
	}

	run(PM_LINKTYPE_RAW, RAW_V6);
	check_clean();
	CHECK_EQ(pkt.ethertype, PM_ETH_IPV6);
	check_v6(ADDR6_S, ADDR6_D);
	CHECK_EQ(pkt.proto, PM_IPPROTO_ICMPV6);
	CHECK_EQ(st.icmpv6, 1);
	CHECK_EQ(pkt.icmp_type, 128);
	CHECK_EQ(pkt.icmp_id, 0x4242);
	CHECK_EQ(pkt.sport, 0);
	check_payload("hello", 5);

	run(PM_LINKTYPE_IPV4, IPV4_LT);
	check_clean();
	CHECK_EQ(st.rawip, 1);
	check_v4(ADDR4_S, ADDR4_D);
	CHECK_EQ(st.icmp, 1);
	CHECK_EQ(pkt.icmp_type, 0);
	CHECK_EQ(pkt.icmp_id, 0x0909);
	check_payload("pong", 4);

	run(PM_LINKTYPE_IPV6, IPV6_LT);
	check_clean();
	check_v6(ADDR6_S, ADDR6_D);
	CHECK_EQ(pkt.sport, 5000);
	CHECK_EQ(pkt.dport, 6000);
	CHECK_EQ(off(pkt.payload), 48);
	CHECK_EQ(pkt.payload_len, 0);

	/* The link type, not the version nibble, decides for 228 and 229. */
	run(PM_LINKTYPE_IPV4, IPV6_LT);
	CHECK_EQ(st.malformed[PM_L_IPV4], 1);
	CHECK_EQ(pkt.ipver, 0);
	run(PM_LINKTYPE_RAW, "5000");
	CHECK_EQ(st.other_l3, 1);
	check_clean();
}

static void
loopback(void)
{
	static const uint8_t lo[4] = { 127, 0, 0, 1 };
	static const uint8_t lo6[16] = { [15] = 1 };
	static const char *const v4[] = { NULL_LE, NULL_BE };
	for (size_t i = 0; i < PM_ARRAY_LEN(v4); i++) {
		run(PM_LINKTYPE_NULL, v4[i]);
		check_clean();
		CHECK_EQ(st.loopback, 1);
		CHECK_EQ(pkt.ethertype, PM_ETH_IPV4);
		CHECK_EQ(off(pkt.l3), 4);
		check_v4(lo, lo);
		CHECK_EQ(pkt.sport, 1111);
		CHECK_EQ(pkt.dport, 2222);
		check_payload("q", 1);
	}
	static const char *const v6[] = { NULL_AF24, NULL_AF28, NULL_AF30 };
	for (size_t i = 0; i < PM_ARRAY_LEN(v6); i++) {
		run(PM_LINKTYPE_NULL, v6[i]);
		check_clean();
		CHECK_EQ(pkt.ethertype, PM_ETH_IPV6);
		check_v6(lo6, lo6);
		CHECK_EQ(pkt.sport, 3000);
		CHECK_EQ(pkt.tcp_flags, PM_TCP_SYN);
	}

	/* AF 24 from a big-endian host, and AF 10 (Linux) / 23 (Windows). */
	uint8_t b[FRAME_MAX];
	size_t n = pm_test_unhex(NULL_AF24, b, sizeof(b));
	static const uint8_t hdrs[][4] = { { 0, 0, 0, 24 }, { 10, 0, 0, 0 }, { 0, 0, 0, 23 } };
	for (size_t i = 0; i < PM_ARRAY_LEN(hdrs); i++) {
		memcpy(b, hdrs[i], 4);
		run_bytes(PM_LINKTYPE_NULL, b, n);
		check_clean();
		CHECK_EQ(pkt.ipver, 6);
		CHECK_EQ(pkt.dport, 4000);
	}
	memcpy(b, (const uint8_t[4]){ 7, 0, 0, 0 }, 4);
	run_bytes(PM_LINKTYPE_NULL, b, n);
	check_clean();
	CHECK_EQ(st.other_l3, 1);
	CHECK_EQ(pkt.ipver, 0);

	run(PM_LINKTYPE_LOOP, LOOP_V4);
	check_clean();
	CHECK_EQ(st.loopback, 1);
	check_v4(ADDR4_S, ADDR4_D);
	CHECK_EQ(pkt.tcp_flags, PM_TCP_FIN);
	CHECK_EQ(pkt.sport, 1);
	CHECK_EQ(pkt.dport, 2);

	/* LOOP is big-endian only: a little-endian AF_INET is not IPv4. */
	n = pm_test_unhex(LOOP_V4, b, sizeof(b));
	memcpy(b, (const uint8_t[4]){ 2, 0, 0, 0 }, 4);
	run_bytes(PM_LINKTYPE_LOOP, b, n);
	CHECK_EQ(st.other_l3, 1);
	CHECK_EQ(pkt.ipver, 0);
}

static void
ipv4_cases(void)
{
	uint8_t b[FRAME_MAX];
	size_t n;

	run(PM_LINKTYPE_ETHERNET, IPV4_OPTS);
	check_clean();
	CHECK_EQ(pkt.ip_len, 35);
	CHECK_EQ(pkt.sport, 9);
	CHECK_EQ(off(pkt.payload), 14 + 24 + 8);
	check_payload("opt", 3);

	run(PM_LINKTYPE_ETHERNET, IPV4_FRAG1);
	check_clean();
	CHECK_EQ(pkt.flags & (PM_PKT_FRAG | PM_PKT_FRAG_FIRST), PM_PKT_FRAG | PM_PKT_FRAG_FIRST);
	CHECK_EQ(st.fragments, 1);
	CHECK_EQ(pkt.frag_id_lo, 0xbeef);
	CHECK_EQ(st.udp, 1);
	CHECK_EQ(pkt.sport, 4000);
	CHECK_EQ(pkt.dport, 53);
	CHECK_EQ(pkt.payload_len, 16); /* the fragment's part, not the 3000 UDP claims */
	CHECK_EQ(pkt.payload_wire, 16);

	run(PM_LINKTYPE_ETHERNET, IPV4_FRAG2);
	check_clean();
	CHECK_EQ(pkt.flags & (PM_PKT_FRAG | PM_PKT_FRAG_FIRST | PM_PKT_HAS_L4), PM_PKT_FRAG);
	CHECK_EQ(st.fragments, 1);
	CHECK_EQ(st.other_l4, 1);
	CHECK_EQ(st.udp, 0);
	CHECK_EQ(pkt.proto, PM_IPPROTO_UDP);
	CHECK_EQ(pkt.sport, 0);
	CHECK(pkt.payload == NULL);

	run(PM_LINKTYPE_ETHERNET, ETH_PAD);
	check_clean();
	CHECK_EQ(pkt.ip_len, 40);
	CHECK_EQ(pkt.tcp_flags, PM_TCP_ACK);
	CHECK_EQ(off(pkt.payload), 54);
	CHECK_EQ(pkt.payload_len, 0); /* the 6 padding bytes are not payload */
	CHECK_EQ(pkt.payload_wire, 0);

	n = pm_test_unhex(SNAPLEN, b, sizeof(b));
	run_wire(PM_LINKTYPE_ETHERNET, b, n, 1514); /* a snap length cut the frame */
	CHECK_EQ(pkt.flags & (PM_PKT_TRUNC | PM_PKT_MALFORMED | PM_PKT_HAS_L4),
	         PM_PKT_TRUNC | PM_PKT_HAS_L4);
	CHECK_EQ(st.truncated[PM_L_IPV4], 1);
	CHECK_EQ(sum(st.truncated), 1);
	CHECK_EQ(pkt.ip_len, 1500);
	CHECK_EQ(st.tcp, 1);
	CHECK_EQ(pkt.sport, 80);
	CHECK_EQ(pkt.tcp_flags, PM_TCP_PSH | PM_TCP_ACK);
	CHECK_EQ(pkt.payload_len, 46);
	CHECK_EQ(pkt.payload_wire, 1460);
	/* The same frame with nothing beyond the capture: bounded by the frame. */
	run_bytes(PM_LINKTYPE_ETHERNET, b, n);
	CHECK_EQ(st.truncated[PM_L_IPV4], 1);
	CHECK_EQ(pkt.payload_wire, 46);

	n = pm_test_unhex(RAW_V4, b, sizeof(b));
	b[0] = 0x44; /* IHL 4 */
	run_bytes(PM_LINKTYPE_RAW, b, n);
	CHECK_EQ(st.malformed[PM_L_IPV4], 1);
	CHECK_EQ(st.udp, 0);
	b[0] = 0x45;
	b[2] = 0;
	b[3] = 19; /* total length below the header */
	run_bytes(PM_LINKTYPE_RAW, b, n);
	CHECK_EQ(st.malformed[PM_L_IPV4], 1);
	CHECK_EQ(pkt.flags & PM_PKT_MALFORMED, PM_PKT_MALFORMED);
	b[3] = 0; /* total length 0: segmentation offload, length from the capture */
	run_bytes(PM_LINKTYPE_RAW, b, n);
	check_clean();
	CHECK_EQ(pkt.ip_len, 0);
	check_payload("dhcp", 4);
	b[0] = 0x4f; /* IHL 15: 60 bytes, more than the 32 captured and than the length */
	b[3] = 32;
	run_bytes(PM_LINKTYPE_RAW, b, n);
	CHECK_EQ(st.malformed[PM_L_IPV4], 1);
	b[3] = 80; /* now the length allows it: the capture cut the options */
	run_wire(PM_LINKTYPE_RAW, b, n, 80);
	CHECK_EQ(st.truncated[PM_L_IPV4], 1);
	CHECK_EQ(sum(st.malformed), 0);
}

static void
ipv6_cases(void)
{
	run(PM_LINKTYPE_IPV6, IPV6_CHAIN);
	check_clean();
	check_v6(ADDR6_S, ADDR6_D);
	CHECK_EQ(pkt.ip_len, 40 + 69);
	CHECK_EQ(pkt.proto, PM_IPPROTO_UDP);
	CHECK_EQ(pkt.flags & (PM_PKT_FRAG | PM_PKT_FRAG_FIRST), PM_PKT_FRAG | PM_PKT_FRAG_FIRST);
	CHECK_EQ(st.fragments, 1);
	CHECK_EQ(pkt.frag_id_lo, 0x1234);
	CHECK_EQ(st.udp, 1);
	CHECK_EQ(pkt.sport, 7);
	CHECK_EQ(off(pkt.payload), 40 + 8 * 4 + 24 + 8);
	check_payload("chain", 5);

	run(PM_LINKTYPE_IPV6, IPV6_FRAG2);
	check_clean();
	CHECK_EQ(pkt.flags & (PM_PKT_FRAG | PM_PKT_FRAG_FIRST | PM_PKT_HAS_L4), PM_PKT_FRAG);
	CHECK_EQ(pkt.frag_id_lo, 0x77);
	CHECK_EQ(pkt.proto, PM_IPPROTO_UDP);
	CHECK_EQ(st.other_l4, 1);
	CHECK_EQ(st.udp, 0);
	CHECK(pkt.payload == NULL);

	run(PM_LINKTYPE_IPV6, IPV6_ESP);
	check_clean();
	CHECK_EQ(pkt.proto, PM_IPPROTO_ESP);
	CHECK_EQ(st.other_l4, 1);
	CHECK_EQ(pkt.flags & PM_PKT_HAS_L4, 0);

	run(PM_LINKTYPE_IPV6, IPV6_LONGCHAIN);
	CHECK_EQ(st.malformed[PM_L_IPV6], 1);
	CHECK_EQ(pkt.flags & (PM_PKT_MALFORMED | PM_PKT_HAS_L4), PM_PKT_MALFORMED);
	CHECK_EQ(st.udp, 0);

	run(PM_LINKTYPE_IPV6, IPV6_CHAIN16);
	check_clean();
	CHECK_EQ(st.udp, 1);
	CHECK_EQ(pkt.dport, 2);
	check_payload("16", 2);

	run(PM_LINKTYPE_IPV6, IPV6_JUMBO);
	check_clean();
	CHECK_EQ(pkt.ip_len, 61);
	CHECK_EQ(st.udp, 1);
	CHECK_EQ(pkt.sport, 8);
	check_payload("jumbo", 5);

	/* An extension header longer than the payload length is malformed. */
	uint8_t b[FRAME_MAX];
	size_t n = pm_test_unhex(IPV6_CHAIN, b, sizeof(b));
	b[41] = 20; /* hop-by-hop: 168 bytes */
	run_bytes(PM_LINKTYPE_IPV6, b, n);
	CHECK_EQ(st.malformed[PM_L_IPV6], 1);
	b[5] = 200; /* payload length 200 > captured: the capture is short */
	run_wire(PM_LINKTYPE_IPV6, b, n, 240);
	CHECK_EQ(st.truncated[PM_L_IPV6], 1);
	CHECK_EQ(sum(st.malformed), 0);
}

static void
transport_cases(void)
{
	run(PM_LINKTYPE_RAW, TCP_FLAGS);
	check_clean();
	CHECK_EQ(pkt.tcp_flags,
	         PM_TCP_SYN | PM_TCP_PSH | PM_TCP_ACK | PM_TCP_ECE | PM_TCP_CWR | PM_TCP_NS);
	CHECK_EQ(pkt.seq, 0xfffffffeu);
	CHECK_EQ(pkt.ack, 0x80000000u);
	CHECK_EQ(pkt.window, 65535);
	check_payload("\x00\x01", 2);

	run(PM_LINKTYPE_RAW, TCP_BADDOFF);
	CHECK_EQ(st.malformed[PM_L_TCP], 1);
	CHECK_EQ(sum(st.malformed) + sum(st.truncated), 1);
	CHECK_EQ(pkt.flags & PM_PKT_MALFORMED, PM_PKT_MALFORMED);
	/* A data offset below 5 words is no TCP header (issue 10): no ports, no flow. */
	CHECK_EQ(st.tcp, 0);
	CHECK_EQ(pkt.sport, 0);
	CHECK_EQ(pkt.flags & (PM_PKT_HAS_L4 | PM_PKT_NO_L4), PM_PKT_NO_L4);
	CHECK_EQ(pkt.proto, PM_IPPROTO_TCP);
	CHECK(pkt.payload == NULL);

	run(PM_LINKTYPE_RAW, UDP_BADLEN);
	CHECK_EQ(st.malformed[PM_L_UDP], 1);
	CHECK_EQ(pkt.flags & PM_PKT_MALFORMED, PM_PKT_MALFORMED);
	CHECK(pkt.payload == NULL);

	/* A UDP length beyond a complete, unfragmented IP packet is malformed. */
	uint8_t b[FRAME_MAX];
	size_t n = pm_test_unhex(RAW_V4, b, sizeof(b));
	b[25] = 13;
	run_bytes(PM_LINKTYPE_RAW, b, n);
	CHECK_EQ(st.malformed[PM_L_UDP], 1);
	CHECK_EQ(pkt.payload_len, 4);
	/* A UDP length shorter than the IP payload bounds the payload. */
	b[25] = 10;
	run_bytes(PM_LINKTYPE_RAW, b, n);
	check_clean();
	check_payload("dh", 2);

	/* A data offset of 15 words in a 40-byte packet contradicts the IP length. */
	n = pm_test_unhex(TCP_BADDOFF, b, sizeof(b));
	b[32] = 0xf0;
	run_bytes(PM_LINKTYPE_RAW, b, n);
	CHECK_EQ(st.malformed[PM_L_TCP], 1);

	run(PM_LINKTYPE_RAW, ICMP_UNREACH);
	check_clean();
	CHECK_EQ(st.icmp, 1);
	CHECK_EQ(pkt.icmp_type, 3);
	CHECK_EQ(pkt.icmp_code, 3);
	CHECK_EQ(pkt.icmp_id, 0);
	CHECK_EQ(pkt.payload_len, 28);
	CHECK_EQ(off(pkt.payload), 28);
	CHECK_EQ(pkt.payload != NULL ? pkt.payload[0] : 0, 0x45);
}

/* Lengths bounded by the wire, and packets without a transport header (issue 10). */
static void
wire_bounds(void)
{
	uint8_t b[FRAME_MAX];
	size_t n;
	/*
	 * An IP length beyond the frame on the wire (tcpdump's telnet.pcap: 66-byte
	 * frames claiming 137 IP bytes) is bounded by the frame: an empty segment,
	 * not 85 bytes of payload.
	 */
	n = pm_test_unhex(TCP_FLAGS, b, sizeof(b));
	b[2] = 0x00;
	b[3] = 0x89;
	run_bytes(PM_LINKTYPE_RAW, b, n);
	CHECK_EQ(st.tcp, 1);
	CHECK_EQ(pkt.ip_len, 137);
	CHECK_EQ(pkt.payload_wire, n - 40);
	CHECK_EQ(pkt.payload_len, n - 40);
	CHECK_EQ(st.truncated[PM_L_IPV4], 1);
	CHECK_EQ(sum(st.malformed) + sum(st.truncated), 1);
	/* The same length with the rest cut by the snap length is truncation. */
	memset(&st, 0, sizeof(st));
	pm_decode(&st, PM_LINKTYPE_RAW, frame, (uint32_t)n, 137, 0, &pkt);
	CHECK_EQ(pkt.payload_wire, 137 - 40);
	CHECK_EQ(pkt.payload_len, n - 40);
	CHECK_EQ(st.truncated[PM_L_IPV4], 1);
	CHECK_EQ(sum(st.malformed) + sum(st.truncated), 1);

	/* An IP header with no room for the TCP header: IP-level only. */
	run_bytes(PM_LINKTYPE_RAW, b, 30);
	CHECK_EQ(pkt.ipver, 4);
	CHECK_EQ(st.tcp, 0);
	CHECK_EQ(pkt.flags & (PM_PKT_HAS_L4 | PM_PKT_NO_L4), PM_PKT_NO_L4);
}

static void
link_misc(void)
{
	run(PM_LINKTYPE_ETHERNET, ETH_8023);
	check_clean();
	CHECK_EQ(st.ethernet, 1);
	CHECK_EQ(st.other_l3, 1);
	CHECK_EQ(pkt.ethertype, 0);
	CHECK_EQ(pkt.ipver, 0);

	run(PM_LINKTYPE_ETHERNET, ETH_ARP);
	check_clean();
	CHECK_EQ(st.arp, 1);
	CHECK_EQ(st.other_l3, 0);
	CHECK_EQ(pkt.ethertype, PM_ETH_ARP);

	run(147, UNKNOWN147);
	check_clean();
	CHECK_EQ(st.packets, 1);
	CHECK_EQ(st.unknown_linktype, 1);
	CHECK_EQ(st.unknown_lt[0], 147);
	CHECK_EQ(st.unknown_lt_count[0], 1);
	CHECK_EQ(pkt.linktype, 147);
	CHECK_EQ(pkt.flags, 0);

	/* Ten packets over nine distinct types: the first eight are kept. */
	memset(&st, 0, sizeof(st));
	static const uint32_t lts[] = { 147, 200, 147, 201, 202, 203, 204, 205, 206, 207 };
	for (size_t i = 0; i < PM_ARRAY_LEN(lts); i++) {
		pm_decode(&st, lts[i], frame, 4, 4, 0, &pkt);
	}
	CHECK_EQ(st.packets, 10);
	CHECK_EQ(st.unknown_linktype, 10);
	CHECK_EQ(st.unknown_lt[0], 147);
	CHECK_EQ(st.unknown_lt_count[0], 2);
	CHECK_EQ(st.unknown_lt[1], 200);
	CHECK_EQ(st.unknown_lt[7], 206);
	CHECK_EQ(st.unknown_lt_count[7], 1);

	CHECK_STR(pm_layer_name(PM_L_LINK), "link");
	CHECK_STR(pm_layer_name(PM_L_VLAN), "vlan");
	CHECK_STR(pm_layer_name(PM_L_IPV6), "ipv6");
	CHECK_STR(pm_layer_name(PM_L_ICMPV6), "icmpv6");
	CHECK_STR(pm_layer_name(PM_L_COUNT), "unknown");
}

/* Counters add up across packets into one stats struct. */
static void
accumulate(void)
{
	struct pm_decode_stats acc;
	memset(&acc, 0, sizeof(acc));
	for (size_t i = 0; i < PM_ARRAY_LEN(fixtures); i++) {
		uint8_t b[FRAME_MAX];
		size_t n = pm_test_unhex(fixtures[i].hex, b, sizeof(b));
		pm_decode(&acc, fixtures[i].linktype, pm_guard(b, n), (uint32_t)n, (uint32_t)n, 0,
		          &pkt);
	}
	CHECK_EQ(acc.packets, PM_ARRAY_LEN(fixtures));
	CHECK_EQ(acc.ethernet, 11);
	CHECK_EQ(acc.vlan, 3);
	CHECK_EQ(acc.sll + acc.sll2, 2);
	CHECK_EQ(acc.loopback, 6);
	CHECK_EQ(acc.unknown_linktype, 1);
	CHECK_EQ(acc.fragments, 4);
	CHECK_EQ(acc.arp, 1);
	CHECK_EQ(sum(acc.malformed), 3); /* long chain, data offset, UDP length */
	CHECK_EQ(sum(acc.truncated), 1); /* snaplen */
}

/* Is the view [p, p + n) inside [frame, frame + len]? */
static bool
inside(const uint8_t *p, size_t n, size_t len)
{
	if (p == NULL) {
		return n == 0;
	}
	return p >= frame && (size_t)(p - frame) <= len && n <= len - (size_t)(p - frame);
}

/*
 * Decode every prefix of every fixture against the guard page. Below the
 * length the full packet's IP header claims (or its link header, for frames
 * without IP, or the fixture's need) some layer must say truncated or
 * malformed; and always exactly
 * one counter moves when a flag is set, and every view stays in the prefix.
 */
/* see tests/decodetest.h */
void
pm_test_decode_sweep(const struct fixture *f)
{
	{
		uint8_t b[FRAME_MAX];
		size_t n = run(f->linktype, f->hex);
		pm_test_unhex(f->hex, b, sizeof(b));
		size_t need = f->need;
		if (need == 0 && pkt.l3 != NULL) {
			need =
			    (size_t)off(pkt.l3) + (pkt.ip_len != 0 ? pkt.ip_len : n - off(pkt.l3));
		} else if (need == 0 && (pkt.ethertype != 0 || st.other_l3 != 0)) {
			need = f->linktype == PM_LINKTYPE_ETHERNET ? 14 : 4;
		}
		bool ok = true;
		for (size_t k = 0; k <= n; k++) {
			run_bytes(f->linktype, b, k);
			bool bad = (pkt.flags & (PM_PKT_TRUNC | PM_PKT_MALFORMED)) != 0;
			ok = ok && st.packets == 1;
			ok = ok && sum(st.truncated) == ((pkt.flags & PM_PKT_TRUNC) != 0);
			ok = ok && sum(st.malformed) == ((pkt.flags & PM_PKT_MALFORMED) != 0);
			ok = ok && (k >= need || bad);
			ok = ok && inside(pkt.payload, pkt.payload_len, k);
			ok = ok && inside(pkt.l3, 0, k);
			ok = ok && (pkt.ipver == 0 || pkt.ipver == 4 || pkt.ipver == 6);
			if (!ok) {
				fprintf(stderr, "sweep %s: prefix %zu of %zu\n", f->name, k, n);
				break;
			}
		}
		CHECK(ok);
	}
}

static void
truncation_sweep(void)
{
	for (size_t i = 0; i < PM_ARRAY_LEN(fixtures); i++) {
		pm_test_decode_sweep(&fixtures[i]);
	}
}

/* see tests/main.c */
void
test_decode(void)
{
	ethernet_syn();
	vlan_stacks();
	vlan_cap();
	cooked();
	raw();
	loopback();
	ipv4_cases();
	ipv6_cases();
	transport_cases();
	wire_bounds();
	link_misc();
	accumulate();
	truncation_sweep();
}

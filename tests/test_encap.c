/* SPDX-License-Identifier: MIT */
/*
 * test_encap.c - the decoder's tunnels (decode_tun.c), link types
 * (decode_link.c) and IPv6 routing/home-address keys: one fixture each,
 * decoded to its inner packet, then the truncation sweep over all of them.
 * The fixtures were made by a script from the header layouts the decoder
 * cites; the inner packet is 10.0.0.1:1111 -> 10.0.0.2:80 TCP SYN, or
 * 2001:db8::1:2222 -> 2001:db8::2:53 UDP.
 */
#include "decode.h"
#include "decodetest.h"
#include "guard.h"
#include "test.h"

#include <stdbool.h>
#include <string.h>

void test_encap(void);

#define FRAME_MAX 512

static const char GRE_IP[] = "00112233445566778899aabb08004500004412340000402f0000c0000201c633"
                             "640220000800000000074500002812340000400600000a0000010a0000020457"
                             "005000000001000000005002040000000000";
static const char GRE_TEB[] = "00112233445566778899aabb08004500004e12340000402f0000c0000201c633"
                              "64020000655800112233445566778899aabb0800450000281234000040060000"
                              "0a0000010a0000020457005000000001000000005002040000000000";
static const char ERSPAN2[] = "00112233445566778899aabb08004500005a12340000402f0000c0000201c633"
                              "6402100088be00000005100000010000000000112233445566778899aabb0800"
                              "4500002812340000400600000a0000010a000002045700500000000100000000"
                              "5002040000000000";
static const char ERSPAN3[] = "00112233445566778899aabb08004500005e12340000402f0000c0000201c633"
                              "6402100022eb0000000520000001000000000000000000112233445566778899"
                              "aabb08004500002812340000400600000a0000010a0000020457005000000001"
                              "000000005002040000000000";
static const char VXLAN[] = "00112233445566778899aabb08004500005a1234000040110000c0000201c633"
                            "64029c4012b500460000080000000000010000112233445566778899aabb0800"
                            "4500002812340000400600000a0000010a000002045700500000000100000000"
                            "5002040000000000";
/* VXLAN-GPE (UDP 4790) carrying NSH carrying IPv4. */
static const char VXLAN_GPE[] = "00112233445566778899aabb0800450000641234000040110000c0000201c633"
                                "64029c4012b6005000000c000004000001000006010100000000000000000000"
                                "000000000000000000004500002812340000400600000a0000010a0000020457"
                                "005000000001000000005002040000000000";
/* PIM Register (RFC 7761 §4.9.3) and WCCPv2 redirection in GRE. */
static const char PIM_REG[] = "00112233445566778899aabb0800450000441234000040670000c0000201c633"
                              "640221000000000000004500002812340000400600000a0000010a0000020457"
                              "005000000001000000005002040000000000";
static const char GRE_WCCP[] = "00112233445566778899aabb08004500004412340000402f0000c0000201c633"
                               "64020000883e055900484500002812340000400600000a0000010a0000020457"
                               "005000000001000000005002040000000000";
/* GRE-in-UDP (RFC 8086, UDP 4754). */
static const char GRE_UDP[] = "00112233445566778899aabb0800450000481234000040110000c0000201c633"
                              "64029c40129200340000000008004500002812340000400600000a0000010a00"
                              "00020457005000000001000000005002040000000000";
static const char GENEVE[] = "00112233445566778899aabb08004500005e1234000040110000c0000201c633"
                             "64029c4017c1004a000001006558000001000000000000112233445566778899"
                             "aabb08004500002812340000400600000a0000010a0000020457005000000001"
                             "000000005002040000000000";
static const char IPIP[] = "00112233445566778899aabb08004500003c1234000040040000c0000201c633"
                           "64024500002812340000400600000a0000010a00000204570050000000010000"
                           "00005002040000000000";
static const char IP6IP[] = "00112233445566778899aabb0800450000471234000040290000c0000201c633"
                            "640260000000000b114020010db800000000000000000000000120010db80000"
                            "0000000000000000000208ae0035000b0000646e73";
static const char GTPU[] = "00112233445566778899aabb08004500004c1234000040110000c0000201c633"
                           "6402086808680038000030ff0028000012344500002812340000400600000a00"
                           "00010a0000020457005000000001000000005002040000000000";
static const char TEREDO[] = "00112233445566778899aabb0800450000571234000040110000c0000201c633"
                             "64020dd89c4000430000000000000000000060000000000b114020010db80000"
                             "0000000000000000000120010db800000000000000000000000208ae0035000b"
                             "0000646e73";
static const char L2TP[] = "00112233445566778899aabb08004500004e1234000040110000c0000201c633"
                           "640206a506a5003a0000000200010002ff030021450000281234000040060000"
                           "0a0000010a0000020457005000000001000000005002040000000000";
static const char MPLS[] = "00112233445566778899aabb8847000100400002014045000028123400004006"
                           "00000a0000010a0000020457005000000001000000005002040000000000";
static const char MPLS_PW[] = "00112233445566778899aabb8847000201400000000000112233445566778899"
                              "aabb08004500002812340000400600000a0000010a0000020457005000000001"
                              "000000005002040000000000";
static const char PPPOE[] = "00112233445566778899aabb886411000001002a002145000028123400004006"
                            "00000a0000010a0000020457005000000001000000005002040000000000";
static const char PBB[] = "00112233445566778899aabb88e70000010000112233445566778899aabb0800"
                          "4500002812340000400600000a0000010a000002045700500000000100000000"
                          "5002040000000000";
static const char NSH[] = "00112233445566778899aabb894f000601010000000000000000000000000000"
                          "0000000000004500002812340000400600000a0000010a000002045700500000"
                          "0001000000005002040000000000";
static const char MACSEC[] = "00112233445566778899aabb88e5000000000000080045000028123400004006"
                             "00000a0000010a00000204570050000000010000000050020400000000000000"
                             "0000000000000000000000000000";
static const char SNAP[] = "00112233445566778899aabb0030aaaa03000000080045000028123400004006"
                           "00000a0000010a0000020457005000000001000000005002040000000000";
static const char PPP[] = "ff0300214500002812340000400600000a0000010a0000020457005000000001"
                          "000000005002040000000000";
static const char PPP_HDLC[] = "ff03005760000000000b114020010db800000000000000000000000120010db8"
                               "00000000000000000000000208ae0035000b0000646e73";
static const char CHDLC[] = "0f0008004500002812340000400600000a0000010a0000020457005000000001"
                            "000000005002040000000000";
static const char WIFI[] = "080100000000000000000000000000000000000000000000aaaa030000000800"
                           "4500002812340000400600000a0000010a000002045700500000000100000000"
                           "5002040000000000";
static const char RADIOTAP[] = "0000080000000000080100000000000000000000000000000000000000000000"
                               "aaaa0300000008004500002812340000400600000a0000010a00000204570050"
                               "00000001000000005002040000000000";
static const char PPI[] = "0000080069000000080100000000000000000000000000000000000000000000"
                          "aaaa0300000008004500002812340000400600000a0000010a00000204570050"
                          "00000001000000005002040000000000";
static const char NFLOG[] = "0200000008000100000000002c0009004500002812340000400600000a000001"
                            "0a0000020457005000000001000000005002040000000000";
static const char PKTAP[] = "0c000000010000000100000000112233445566778899aabb0800450000281234"
                            "0000400600000a0000010a000002045700500000000100000000500204000000"
                            "0000";
/* Frame Relay: Cisco encapsulation (arkime icmp-frame-relay.pcap) and RFC 2427 NLPID. */
static const char FR_CISCO[] = "186108004500002812340000400600000a0000010a0000020457005000000001"
                               "000000005002040000000000";
static const char FR_NLPID[] = "186103cc4500002812340000400600000a0000010a0000020457005000000001"
                               "000000005002040000000000";
/* IPv4 with a loose source route to 10.0.0.9 (RFC 791 §3.1): the final destination is the flow's. */
static const char IPV4_LSRR[] = "00112233445566778899aabb08004800003412340000400600000a0000010a00"
                                "0002018307040a00000900000000045700500000000100000000500204000000"
                                "0000";
/* NULL with an ethertype where the family goes (pcapplusplus NullLoopback.pcap). */
static const char NULL_ETYPE[] = "0f0008004500002812340000400600000a0000010a0000020457005000000001"
                                 "000000005002040000000000";
static const char IPOIB[] = "080000004500002812340000400600000a0000010a0000020457005000000001"
                            "000000005002040000000000";
static const char FDDI[] = "00000000000000000000000000aaaa0300000008004500002812340000400600"
                           "000a0000010a0000020457005000000001000000005002040000000000";
static const char ARCNET[] = "01020000d40000004500002812340000400600000a0000010a00000204570050"
                             "00000001000000005002040000000000";
static const char DEEP[] = "00112233445566778899aabb08004500008c1234000040040000c0000201c633"
                           "6402450000781234000040040000c0000201c633640245000064123400004004"
                           "0000c0000201c6336402450000501234000040040000c0000201c63364024500"
                           "003c1234000040040000c0000201c63364024500002812340000400600000a00"
                           "00010a0000020457005000000001000000005002040000000000";

static const char IP4IN6[] = "00112233445566778899aabb86dd600000000028044020010db8000000000000"
                             "00000000000120010db800000000000000000000000245000028123400004006"
                             "00000a0000010a0000020457005000000001000000005002040000000000";
static const char VXLAN_ARP[] = "00112233445566778899aabb08004500004e1234000040110000c0000201c633"
                                "64029c4012b5003a0000080000000000010000112233445566778899aabb0806"
                                "00010800060400010000000000000000000000000000000000000000";

/* IPv6 routing headers (type 0, segment routing) and the home address option: flows keyed as tshark keys them. */
static const char IPV6_RH0[] = "6000000000232b4020010db800000000000000000000000120010db800000000"
                               "0000000000000002110200010000000020010db80000000000000000000000ff"
                               "08ae0035000b0000646e73";
static const char IPV6_SRH[] = "6000000000332b4020010db800000000000000000000000120010db800000000"
                               "0000000000000002110404010100000020010db80000000000000000000000ff"
                               "20010db800000000000000000000000208ae0035000b0000646e73";
static const char IPV6_HAO[] = "6000000000233c4020010db800000000000000000000000120010db800000000"
                               "0000000000000002110201020000c91020010db800000000000000000000aaaa"
                               "08ae0035000b0000646e73";

static const uint8_t ADDR4_S[4] = { 192, 0, 2, 1 };
static const uint8_t ADDR4_D[4] = { 198, 51, 100, 2 };
static const uint8_t ADDR6_S[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t ADDR6_D[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
static const uint8_t ZERO[16];

/* The last decode: its stats and packet. */
static struct pm_decode_stats st;
static struct pm_pkt pkt;

static void
run_bytes(uint32_t linktype, const uint8_t *b, size_t n)
{
	memset(&st, 0, sizeof(st));
	pm_decode(&st, linktype, pm_guard(b, n), (uint32_t)n, (uint32_t)n, 42, &pkt);
}

static void
run(uint32_t linktype, const char *hex)
{
	uint8_t b[FRAME_MAX];
	run_bytes(linktype, b, pm_test_unhex(hex, b, sizeof(b)));
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

/* One encapsulation: its link type, frame, the tunnel it enters, and whether the inner packet is IPv6. */
struct encap {
	const char *name;
	uint32_t linktype;
	const char *hex;
	enum pm_tunnel kind;
	bool v6;
	uint8_t more; /* tunnels entered after the first */
};

static const struct encap encaps[] = {
	{ "gre_ip", 1, GRE_IP, PM_TUN_GRE, false, 0 },
	{ "gre_teb", 1, GRE_TEB, PM_TUN_GRE, false, 0 },
	{ "erspan2", 1, ERSPAN2, PM_TUN_ERSPAN, false, 0 },
	{ "erspan3", 1, ERSPAN3, PM_TUN_ERSPAN, false, 0 },
	{ "vxlan", 1, VXLAN, PM_TUN_VXLAN, false, 0 },
	{ "geneve", 1, GENEVE, PM_TUN_GENEVE, false, 0 },
	{ "pim_reg", 1, PIM_REG, PM_TUN_PIM, false, 0 },
	{ "gre_wccp", 1, GRE_WCCP, PM_TUN_GRE, false, 0 },
	{ "gre_udp", 1, GRE_UDP, PM_TUN_GRE, false, 0 },
	{ "vxlan_gpe", 1, VXLAN_GPE, PM_TUN_VXLAN, false, 1 }, /* then NSH */
	{ "ipip", 1, IPIP, PM_TUN_IPIP, false, 0 },
	{ "ip6ip", 1, IP6IP, PM_TUN_IP6IP, true, 0 },
	{ "gtpu", 1, GTPU, PM_TUN_GTPU, false, 0 },
	{ "teredo", 1, TEREDO, PM_TUN_TEREDO, true, 0 },
	{ "l2tp", 1, L2TP, PM_TUN_L2TP, false, 0 },
	{ "mpls", 1, MPLS, PM_TUN_MPLS, false, 0 },
	{ "mpls_pw", 1, MPLS_PW, PM_TUN_MPLS, false, 0 },
	{ "pppoe", 1, PPPOE, PM_TUN_PPPOE, false, 0 },
	{ "pbb", 1, PBB, PM_TUN_PBB, false, 0 },
	{ "nsh", 1, NSH, PM_TUN_NSH, false, 0 },
	{ "macsec", 1, MACSEC, PM_TUN_MACSEC, false, 0 },
	{ "snap", 1, SNAP, PM_TUN_NONE, false, 0 },
	{ "ppp", 9, PPP, PM_TUN_NONE, false, 0 },
	{ "ppp_hdlc", 50, PPP_HDLC, PM_TUN_NONE, true, 0 },
	{ "chdlc", 104, CHDLC, PM_TUN_NONE, false, 0 },
	{ "wifi", 105, WIFI, PM_TUN_NONE, false, 0 },
	{ "radiotap", 127, RADIOTAP, PM_TUN_NONE, false, 0 },
	{ "ppi", 192, PPI, PM_TUN_NONE, false, 0 },
	{ "nflog", 239, NFLOG, PM_TUN_NONE, false, 0 },
	{ "pktap", 258, PKTAP, PM_TUN_NONE, false, 0 },
	{ "ipoib", 242, IPOIB, PM_TUN_NONE, false, 0 },
	{ "fddi", 10, FDDI, PM_TUN_NONE, false, 0 },
	{ "arcnet", 129, ARCNET, PM_TUN_NONE, false, 0 },
	{ "null_etype", 0, NULL_ETYPE, PM_TUN_NONE, false, 0 },
	{ "fr_cisco", 107, FR_CISCO, PM_TUN_NONE, false, 0 },
	{ "fr_nlpid", 107, FR_NLPID, PM_TUN_NONE, false, 0 },
};

/* Every encapsulation decodes to its inner packet, and says which tunnel it entered. */
static void
encapsulations(void)
{
	static const uint8_t in_s[4] = { 10, 0, 0, 1 }, in_d[4] = { 10, 0, 0, 2 };
	for (size_t i = 0; i < PM_ARRAY_LEN(encaps); i++) {
		const struct encap *e = &encaps[i];
		run(e->linktype, e->hex);
		bool ok = (pkt.flags & (PM_PKT_TRUNC | PM_PKT_MALFORMED)) == 0 &&
		          (pkt.flags & PM_PKT_HAS_L4) != 0 && pkt.tun_kind == e->kind &&
		          pkt.tun_depth == (e->kind != PM_TUN_NONE) + e->more &&
		          st.tunnels[e->kind] == (e->kind != PM_TUN_NONE) &&
		          st.unknown_linktype == 0;
		if (e->v6) {
			ok = ok && pkt.ipver == 6 && pkt.proto == PM_IPPROTO_UDP &&
			     pkt.sport == 2222 && pkt.dport == 53 &&
			     memcmp(pkt.dst, ADDR6_D, 16) == 0 && pkt.payload_len == 3;
		} else {
			ok = ok && pkt.ipver == 4 && pkt.proto == PM_IPPROTO_TCP &&
			     pkt.sport == 1111 && pkt.dport == 80 && pkt.tcp_flags == PM_TCP_SYN &&
			     memcmp(pkt.src, in_s, 4) == 0 && memcmp(pkt.dst, in_d, 4) == 0;
		}
		/* Tunnels over IP keep the carrier's endpoints. */
		if (e->kind != PM_TUN_NONE && pkt.tun_ipver == 4) {
			ok = ok && memcmp(pkt.tun_src, ADDR4_S, 4) == 0 &&
			     memcmp(pkt.tun_dst, ADDR4_D, 4) == 0;
		}
		if (!ok) {
			fprintf(
			    stderr,
			    "encapsulation %s: flags %#x kind %u depth %u proto %u ports %u %u\n",
			    e->name, pkt.flags, pkt.tun_kind, pkt.tun_depth, pkt.proto, pkt.sport,
			    pkt.dport);
		}
		CHECK(ok);
	}
	/* Tunnels over IP: GRE, VXLAN, IP-in-IP and kin carry outer endpoints; MPLS does not. */
	run(PM_LINKTYPE_ETHERNET, VXLAN);
	CHECK_EQ(pkt.tun_ipver, 4);
	run(PM_LINKTYPE_ETHERNET, MPLS);
	CHECK_EQ(pkt.tun_ipver, 0);
	CHECK_EQ(st.tcp, 1);

	/* Five IP-in-IP layers: four are entered, the fifth is counted. */
	run(PM_LINKTYPE_ETHERNET, DEEP);
	CHECK_EQ(pkt.tun_depth, PM_MAX_TUNNEL_DEPTH);
	CHECK_EQ(st.tunnel_capped, 1);
	CHECK_EQ(st.tunnels[PM_TUN_IPIP], PM_MAX_TUNNEL_DEPTH);
	CHECK_EQ(pkt.proto, PM_IPPROTO_IPIP);

	/* A VXLAN header without its I flag is plain UDP. */
	uint8_t b[FRAME_MAX];
	size_t n = pm_test_unhex(VXLAN, b, sizeof(b));
	b[42] = 0;
	run_bytes(PM_LINKTYPE_ETHERNET, b, n);
	CHECK_EQ(pkt.tun_depth, 0);
	CHECK_EQ(pkt.proto, PM_IPPROTO_UDP);
	CHECK_EQ(pkt.dport, 4789);

	/* A protected 802.11 frame is counted as encrypted, not decoded. */
	n = pm_test_unhex(WIFI, b, sizeof(b));
	b[1] |= 0x40;
	run_bytes(PM_LINKTYPE_IEEE802_11, b, n);
	CHECK_EQ(st.encrypted, 1);
	CHECK_EQ(pkt.ipver, 0);

	static const uint8_t route_end[4] = { 10, 0, 0, 9 };
	run(PM_LINKTYPE_ETHERNET, IPV4_LSRR);
	check_clean();
	CHECK_MEM(pkt.dst, route_end, 4);
	CHECK_EQ(pkt.dport, 80);

	/* IPv4 inside IPv6: the inner addresses do not keep the outer's last 12 bytes. */
	run(PM_LINKTYPE_ETHERNET, IP4IN6);
	CHECK_EQ(pkt.tun_kind, PM_TUN_IPIP);
	CHECK_EQ(pkt.tun_ipver, 6);
	CHECK_EQ(pkt.ipver, 4);
	CHECK_MEM(pkt.src + 4, ZERO, 12);
	CHECK_MEM(pkt.dst + 4, ZERO, 12);
	CHECK_MEM(pkt.tun_src, ADDR6_S, 16);

	/* IP protocol 4 with an empty payload (nmap's protocol scan) is no tunnel. */
	n = pm_test_unhex(IPIP, b, sizeof(b));
	b[16] = 0;
	b[17] = 20;
	run_bytes(PM_LINKTYPE_ETHERNET, b, 34);
	CHECK_EQ(pkt.tun_depth, 0);
	CHECK_EQ(pkt.proto, PM_IPPROTO_IPIP);
	CHECK_EQ(pkt.flags & PM_PKT_NO_L4, 0);
	check_clean();

	/* ARP inside VXLAN: no flow of the carrier's addresses, IP-level only. */
	run(PM_LINKTYPE_ETHERNET, VXLAN_ARP);
	CHECK_EQ(pkt.tun_kind, PM_TUN_VXLAN);
	CHECK_EQ(st.arp, 1);
	CHECK_EQ(pkt.flags & (PM_PKT_HAS_L4 | PM_PKT_NO_L4), PM_PKT_NO_L4);

	/* The lower port decides (as tshark): DNS from 53 to 4789 is no VXLAN. */
	n = pm_test_unhex(VXLAN, b, sizeof(b));
	b[34] = 0;
	b[35] = 53;
	run_bytes(PM_LINKTYPE_ETHERNET, b, n);
	CHECK_EQ(pkt.tun_depth, 0);
	CHECK_EQ(pkt.sport, 53);

	/* The final destination of a routing header and the home address are the flow's. */
	static const uint8_t fin[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0xff };
	static const uint8_t home[16] = { 0x20, 0x01, 0x0d, 0xb8, [14] = 0xaa, [15] = 0xaa };
	run(PM_LINKTYPE_IPV6, IPV6_RH0);
	CHECK_MEM(pkt.dst, fin, 16);
	CHECK_EQ(pkt.dport, 53);
	run(PM_LINKTYPE_IPV6, IPV6_SRH);
	CHECK_MEM(pkt.dst, fin, 16);
	CHECK_EQ(pkt.dport, 53);
	run(PM_LINKTYPE_IPV6, IPV6_HAO);
	CHECK_MEM(pkt.src, home, 16);
	CHECK_MEM(pkt.dst, ADDR6_D, 16);
	CHECK_EQ(pkt.sport, 2222);
	check_clean();
	/* With no segments left the header's destination stands. */
	n = pm_test_unhex(IPV6_RH0, b, sizeof(b));
	b[43] = 0;
	run_bytes(PM_LINKTYPE_IPV6, b, n);
	CHECK_MEM(pkt.dst, ADDR6_D, 16);

	CHECK_STR(pm_tunnel_name(PM_TUN_VXLAN), "vxlan");
	CHECK_STR(pm_tunnel_name(PM_TUN_COUNT), "unknown");
	CHECK_STR(pm_layer_name(PM_L_TUNNEL), "tunnel");
}

static void
sweep(void)
{
	for (size_t i = 0; i < PM_ARRAY_LEN(encaps); i++) {
		struct fixture f = { encaps[i].name, encaps[i].linktype, encaps[i].hex, 0 };
		pm_test_decode_sweep(&f);
	}
	static const struct fixture more[] = {
		{ "deep", PM_LINKTYPE_ETHERNET, DEEP, 0 },
		{ "ip4in6", PM_LINKTYPE_ETHERNET, IP4IN6, 0 },
		{ "vxlan_arp", PM_LINKTYPE_ETHERNET, VXLAN_ARP, 0 },
		{ "ipv6_rh0", PM_LINKTYPE_IPV6, IPV6_RH0, 0 },
		{ "ipv6_srh", PM_LINKTYPE_IPV6, IPV6_SRH, 0 },
		{ "ipv6_hao", PM_LINKTYPE_IPV6, IPV6_HAO, 0 },
		{ "ipv4_lsrr", PM_LINKTYPE_ETHERNET, IPV4_LSRR, 0 },
	};
	for (size_t i = 0; i < PM_ARRAY_LEN(more); i++) {
		pm_test_decode_sweep(&more[i]);
	}
}

/* see tests/main.c */
void
test_encap(void)
{
	encapsulations();
	sweep();
}

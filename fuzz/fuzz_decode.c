/* SPDX-License-Identifier: MIT */
/*
 * fuzz_decode.c - one frame through pm_decode. The first input byte picks
 * the link type from a fixed table (every supported one plus one unknown);
 * the rest is the frame. Every view the decoder returns must lie inside the
 * frame, and the counters must agree with the packet's flags.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "fuzz.h"

#define FUZZ_MAX_FRAME (256u << 10) /* larger frames add nothing but time */

static const uint32_t linktypes[] = {
	PM_LINKTYPE_ETHERNET,
	PM_LINKTYPE_LINUX_SLL,
	PM_LINKTYPE_LINUX_SLL2,
	PM_LINKTYPE_RAW,
	PM_LINKTYPE_RAW_OLD12,
	PM_LINKTYPE_RAW_OLD14,
	PM_LINKTYPE_IPV4,
	PM_LINKTYPE_IPV6,
	PM_LINKTYPE_NULL,
	PM_LINKTYPE_LOOP,
	147, /* LINKTYPE_USER0: not decoded */
	PM_LINKTYPE_PPP,
	PM_LINKTYPE_PPP_HDLC,
	PM_LINKTYPE_C_HDLC,
	PM_LINKTYPE_IEEE802_11,
	PM_LINKTYPE_RADIOTAP,
	PM_LINKTYPE_PPI,
	PM_LINKTYPE_NFLOG,
	PM_LINKTYPE_PKTAP,
	PM_LINKTYPE_IPOIB,
	PM_LINKTYPE_FDDI,
	PM_LINKTYPE_ARCNET_LINUX,
	PM_LINKTYPE_FRELAY,
};

/* Offset of a view [p, p + n) in the frame, or abort if it leaves the frame. */
static void
check_view(const uint8_t *frame, size_t len, const uint8_t *p, size_t n)
{
	if (p == NULL) {
		FUZZ_ASSERT(n == 0);
		return;
	}
	FUZZ_ASSERT(p >= frame);
	size_t off = (size_t)(p - frame);
	FUZZ_ASSERT(off <= len);
	FUZZ_ASSERT(n <= len - off);
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size - 1 > FUZZ_MAX_FRAME) {
		return 0;
	}
	uint32_t lt = linktypes[data[0] % PM_ARRAY_LEN(linktypes)];
	const uint8_t *frame = data + 1;
	size_t len = size - 1;
	struct pm_decode_stats st;
	struct pm_pkt pkt;
	memset(&st, 0, sizeof(st));
	pm_decode(&st, lt, frame, (uint32_t)len, (uint32_t)len, 0, &pkt);

	FUZZ_ASSERT(st.packets == 1);
	FUZZ_ASSERT(pkt.linktype == lt && pkt.caplen == len);
	FUZZ_ASSERT(pkt.ipver == 0 || pkt.ipver == 4 || pkt.ipver == 6);
	FUZZ_ASSERT((pkt.ipver != 0) == ((pkt.flags & PM_PKT_HAS_L3) != 0));
	FUZZ_ASSERT(pkt.ipver != 0 || (pkt.flags & PM_PKT_HAS_L4) == 0);
	FUZZ_ASSERT(pkt.vlan_depth <= PM_MAX_VLAN_DEPTH);
	FUZZ_ASSERT(pkt.tun_depth <= PM_MAX_TUNNEL_DEPTH);
	FUZZ_ASSERT((pkt.tun_kind != PM_TUN_NONE) == (pkt.tun_depth != 0));
	FUZZ_ASSERT(pkt.tun_kind < PM_TUN_COUNT);
	check_view(frame, len, pkt.l3, 0);
	check_view(frame, len, pkt.payload, pkt.payload_len);
	FUZZ_ASSERT(pkt.payload_len <= pkt.payload_wire);
	FUZZ_ASSERT(pkt.payload == NULL || (pkt.flags & PM_PKT_HAS_L4) != 0);
	/* At most one layer is blamed, and the flag says which kind. */
	FUZZ_ASSERT(sum(st.truncated) == ((pkt.flags & PM_PKT_TRUNC) != 0));
	FUZZ_ASSERT(sum(st.malformed) == ((pkt.flags & PM_PKT_MALFORMED) != 0));
	FUZZ_ASSERT(sum(st.truncated) + sum(st.malformed) <= 1);
	FUZZ_ASSERT(st.unknown_linktype == (lt == 147));
	return 0;
}

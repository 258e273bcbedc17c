/* SPDX-License-Identifier: MIT */
/*
 * ipfrag.h - IPv4 (RFC 791 §3.2) and IPv6 (RFC 8200 §4.5) fragment
 * reassembly across the packets of one pass.
 *
 * The pass offers every decoded fragment (PM_PKT_FRAG). Fragments are held
 * per datagram (source, destination, identification, and for IPv4 the
 * protocol) until the datagram is whole; the fragment that completes it is
 * then re-decoded as the whole datagram (pm_decode_ip), so its transport
 * header and payload reach flows and analysers with that frame's time and
 * wire length, as tshark's conversation tables count it. The other fragments
 * count at IP level only.
 *
 * Overlaps: the first copy of each byte wins (later bytes are ignored) and
 * the fragment is counted in frag_overlaps, an evasion signal (RFC 5722
 * forbids overlaps for IPv6; RFC 3128 describes the IPv4 attacks).
 * A datagram is dropped, and counted, when it waits longer than
 * PM_IPFRAG_TIMEOUT_NS of capture time, when it would exceed
 * PM_IPFRAG_MAX_DATAGRAM, or when the pending datagrams hit PM_IPFRAG_MAX_PENDING
 * or PM_IPFRAG_MAX_BYTES (the oldest goes). For IPv6, extension headers
 * before the fragment header are not kept in the reassembled datagram.
 */
#ifndef PM_IPFRAG_H
#define PM_IPFRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"

#define PM_IPFRAG_MAX_DATAGRAM 65535u      /* RFC 791 total length / RFC 8200 payload length */
#define PM_IPFRAG_MAX_PENDING  256         /* datagrams being reassembled at once */
#define PM_IPFRAG_MAX_BYTES    (16u << 20) /* bytes held by pending datagrams, in total */
#define PM_IPFRAG_TIMEOUT_NS   (INT64_C(60) * 1000000000) /* RFC 8200 §4.5: 60 s */
#define PM_IPFRAG_RING         32 /* reassembled datagrams kept: more than the pass queue holds */
#define PM_IPFRAG_HDR_MAX      60 /* IPv4 header with options; IPv6 uses 40 */

/* One datagram being reassembled. private: */
struct pm_ipfrag_dgram {
	uint8_t src[16], dst[16]; /* network order, as in pm_pkt */
	uint32_t id;              /* identification: 16 bits for IPv4, 32 for IPv6 */
	uint8_t ipver;            /* 4 or 6; 0: the slot is free */
	uint8_t proto;            /* IPv4 protocol; IPv6: next header after the fragment header */
	uint8_t hlen;             /* header bytes in hdr; 0 until the first fragment arrived */
	uint8_t hdr[PM_IPFRAG_HDR_MAX]; /* the first fragment's IP header */
	int64_t first_ts;               /* capture time of the first fragment held */
	uint32_t total; /* payload bytes, known from the last fragment; 0 until then */
	uint32_t have;  /* payload bytes held */
	uint8_t *data;  /* payload bytes, malloc'd; cap bytes */
	uint32_t cap;
	uint8_t *blocks; /* one bit per 8-byte block held, malloc'd */
};

/* Reassembly state for one pass. Zero it, then pm_ipfrag_free when done. */
struct pm_ipfrag {
	struct pm_ipfrag_dgram pend[PM_IPFRAG_MAX_PENDING];
	size_t held_bytes;             /* sum of pend[].cap */
	uint8_t *ring[PM_IPFRAG_RING]; /* reassembled datagrams, malloc'd; reused in turn */
	size_t ring_cap[PM_IPFRAG_RING];
	size_t ring_next;
	struct pm_decode_stats scratch; /* counters of the re-decodes (not reported) */
};

/* What became of an offered fragment. */
enum pm_ipfrag_result {
	PM_IPFRAG_HELD = 0,    /* kept for its datagram: count the packet at IP level only */
	PM_IPFRAG_DONE = 1,    /* it completed its datagram: *pkt is now the whole datagram */
	PM_IPFRAG_SKIPPED = 2, /* unusable (cut by the capture, too big, inconsistent): as it is */
};

/*
 * Offer the fragment pkt (PM_PKT_FRAG set) and count it in st's frag_*
 * members. On PM_IPFRAG_DONE *pkt describes the whole datagram
 * (PM_PKT_REASSEMBLED), whose bytes stay valid until PM_IPFRAG_RING more
 * datagrams are reassembled; otherwise *pkt is unchanged. Like tshark, a
 * fragment whose bytes were not all captured is not reassembled: a first
 * fragment then keeps its own transport header.
 */
enum pm_ipfrag_result pm_ipfrag_add(struct pm_ipfrag *f, struct pm_decode_stats *st,
                                    struct pm_pkt *pkt);

/* Count the datagrams still incomplete at the end of the pass (frag_incomplete). */
void pm_ipfrag_finish(struct pm_ipfrag *f, struct pm_decode_stats *st);

/* Release everything f holds. */
void pm_ipfrag_free(struct pm_ipfrag *f);

#endif /* PM_IPFRAG_H */

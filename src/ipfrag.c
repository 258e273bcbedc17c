/* SPDX-License-Identifier: MIT */
/*
 * ipfrag.c - IPv4 and IPv6 fragment reassembly for the pass (see ipfrag.h).
 *
 * Each fragment's IP header is read again from the packet's l3 view through
 * a cursor (fragments are rare, so the per-packet decoder stays as it is).
 * Bytes are copied into the datagram's buffer block by block (8 octets, the
 * fragment offset unit of RFC 791 §3.1 and RFC 8200 §4.5); a block already
 * held keeps its first copy. Does not verify checksums.
 * References: RFC 791 §3.2, RFC 815, RFC 8200 §4.5, RFC 5722, RFC 3128.
 */
#include "ipfrag.h"

#include <stdlib.h>
#include <string.h>

#include "cursor.h"

#define V4_MF       0x2000 /* RFC 791 §3.1 */
#define V4_OFF_MASK 0x1FFF
#define V6_HDR      40 /* RFC 8200 §3 */
#define V6_FRAG_HDR 8  /* RFC 8200 §4.5 */
#define V6_MAX_EXT  16 /* extension headers walked to find the fragment header */
#define BLOCK       8

/* One fragment, as read from its packet. */
struct frag {
	uint8_t ipver, proto;
	uint32_t id;
	uint32_t off, len; /* payload offset and bytes */
	bool more;
	const uint8_t *hdr; /* the IP header, for the first fragment */
	size_t hlen;
	const uint8_t *data;
};

static bool
read_v4(const struct pm_pkt *p, struct frag *fr)
{
	struct pm_cur c = pm_cur_init(p->l3, p->l3_cap);
	uint8_t vihl = pm_cur_u8(&c);
	pm_cur_skip(&c, 3);
	fr->id = pm_cur_be16(&c);
	uint16_t fo = pm_cur_be16(&c);
	pm_cur_skip(&c, 1);
	fr->proto = pm_cur_u8(&c);
	fr->hlen = (size_t)(vihl & 0x0F) * 4;
	if (!pm_cur_ok(&c) || fr->hlen < 20 || fr->hlen > p->l3_wire) {
		return false;
	}
	fr->hdr = p->l3;
	fr->off = (uint32_t)(fo & V4_OFF_MASK) * BLOCK;
	fr->more = (fo & V4_MF) != 0;
	fr->len = (uint32_t)(p->l3_wire - fr->hlen);
	fr->data = p->l3 + fr->hlen;
	return true;
}

/* Bytes in an IPv6 extension header before the fragment header (RFC 8200 §4.3-§4.6, RFC 4302). */
static size_t
v6_ext(uint8_t nh, uint8_t len)
{
	switch (nh) {
	case PM_IPPROTO_HOPOPTS:
	case PM_IPPROTO_ROUTING:
	case PM_IPPROTO_DSTOPTS:
		return ((size_t)len + 1) * 8;
	case PM_IPPROTO_AH:
		return ((size_t)len + 2) * 4;
	default:
		return 0;
	}
}

static bool
read_v6(const struct pm_pkt *p, struct frag *fr)
{
	struct pm_cur c = pm_cur_init(p->l3, p->l3_cap);
	pm_cur_skip(&c, 6);
	uint8_t nh = pm_cur_u8(&c);
	pm_cur_skip(&c, V6_HDR - 7);
	for (size_t i = 0; nh != PM_IPPROTO_FRAGMENT; i++) {
		struct pm_cur h = c;
		uint8_t next = pm_cur_u8(&h);
		size_t n = v6_ext(nh, pm_cur_u8(&h));
		if (i == V6_MAX_EXT || n == 0) {
			return false;
		}
		pm_cur_skip(&c, n);
		nh = next;
	}
	fr->proto = pm_cur_u8(&c);
	pm_cur_skip(&c, 1);
	uint16_t fo = pm_cur_be16(&c);
	fr->id = pm_cur_be32(&c);
	if (!pm_cur_ok(&c)) {
		return false;
	}
	fr->hdr = p->l3;
	fr->hlen = V6_HDR;
	fr->off = fo & ~7u;
	fr->more = (fo & 1) != 0;
	size_t at = p->l3_cap - pm_cur_left(&c);
	fr->len = (uint32_t)(p->l3_wire - at);
	fr->data = p->l3 + at;
	return true;
}

static void
drop(struct pm_ipfrag *f, struct pm_ipfrag_dgram *g)
{
	f->held_bytes -= g->cap;
	free(g->data);
	free(g->blocks);
	memset(g, 0, sizeof(*g));
}

/* The pending datagram of fr, a free slot for it, or NULL; counts timeouts and evictions. */
static struct pm_ipfrag_dgram *
find(struct pm_ipfrag *f, struct pm_decode_stats *st, const struct pm_pkt *p, const struct frag *fr)
{
	struct pm_ipfrag_dgram *free_slot = NULL, *oldest = NULL;
	for (size_t i = 0; i < PM_IPFRAG_MAX_PENDING; i++) {
		struct pm_ipfrag_dgram *g = &f->pend[i];
		if (g->ipver != 0 && p->ts_ns - g->first_ts > PM_IPFRAG_TIMEOUT_NS) {
			st->frag_timeouts++;
			drop(f, g);
		}
		if (g->ipver == 0) {
			free_slot = free_slot != NULL ? free_slot : g;
			continue;
		}
		if (g->ipver == fr->ipver && g->id == fr->id &&
		    (fr->ipver == 6 || g->proto == fr->proto) && memcmp(g->src, p->src, 16) == 0 &&
		    memcmp(g->dst, p->dst, 16) == 0) {
			return g;
		}
		if (oldest == NULL || g->first_ts < oldest->first_ts) {
			oldest = g;
		}
	}
	if (free_slot == NULL) {
		st->frag_evicted++;
		drop(f, oldest);
		free_slot = oldest;
	}
	free_slot->ipver = fr->ipver;
	free_slot->id = fr->id;
	free_slot->proto = fr->proto;
	memcpy(free_slot->src, p->src, 16);
	memcpy(free_slot->dst, p->dst, 16);
	free_slot->first_ts = p->ts_ns;
	return free_slot;
}

/* Grow g's buffers to hold end payload bytes; false when a cap forbids it. */
static bool
reserve(struct pm_ipfrag *f, struct pm_decode_stats *st, struct pm_ipfrag_dgram *g, uint32_t end)
{
	if (end <= g->cap) {
		return true;
	}
	uint32_t cap = g->cap == 0 ? 2048 : g->cap;
	while (cap < end) {
		cap *= 2;
	}
	cap = cap > PM_IPFRAG_MAX_DATAGRAM ? PM_IPFRAG_MAX_DATAGRAM : cap;
	for (size_t i = 0; f->held_bytes + cap - g->cap > PM_IPFRAG_MAX_BYTES; i++) {
		/* Evict the oldest other datagram until this one fits. */
		struct pm_ipfrag_dgram *oldest = NULL;
		for (size_t j = 0; j < PM_IPFRAG_MAX_PENDING; j++) {
			struct pm_ipfrag_dgram *o = &f->pend[j];
			if (o != g && o->ipver != 0 &&
			    (oldest == NULL || o->first_ts < oldest->first_ts)) {
				oldest = o;
			}
		}
		if (oldest == NULL) {
			return false;
		}
		st->frag_evicted++;
		drop(f, oldest);
	}
	uint8_t *data = realloc(g->data, cap);
	if (data == NULL) {
		return false;
	}
	g->data = data;
	uint8_t *blocks = realloc(g->blocks, cap / BLOCK / 8 + 1);
	if (blocks == NULL) {
		return false;
	}
	memset(blocks + (g->cap == 0 ? 0 : g->cap / BLOCK / 8 + 1), 0,
	       cap / BLOCK / 8 + 1 - (g->cap == 0 ? 0 : g->cap / BLOCK / 8 + 1));
	g->blocks = blocks;
	f->held_bytes += cap - g->cap;
	g->cap = cap;
	return true;
}

/* Copy fr's bytes into g, first copy winning; returns whether any block was held already. */
static bool
copy_in(struct pm_ipfrag_dgram *g, const struct frag *fr, uint32_t end)
{
	bool overlap = false;
	for (uint32_t b = fr->off / BLOCK; b * BLOCK < end; b++) {
		uint8_t bit = (uint8_t)(1u << (b % 8));
		uint32_t at = b * BLOCK, n = end - at < BLOCK ? end - at : BLOCK;
		if ((g->blocks[b / 8] & bit) != 0) {
			overlap = true;
			continue;
		}
		g->blocks[b / 8] |= bit;
		memcpy(g->data + at, fr->data + (at - fr->off), n);
		g->have += n;
	}
	return overlap;
}

/* Put g's whole datagram into the next ring buffer and re-decode pkt as it. */
static bool
complete(struct pm_ipfrag *f, struct pm_decode_stats *st, struct pm_ipfrag_dgram *g,
         struct pm_pkt *pkt)
{
	size_t n = g->hlen + g->total, i = f->ring_next;
	if (f->ring_cap[i] < n) {
		uint8_t *b = realloc(f->ring[i], n);
		if (b == NULL) {
			return false;
		}
		f->ring[i] = b;
		f->ring_cap[i] = n;
	}
	uint8_t *b = f->ring[i];
	f->ring_next = (i + 1) % PM_IPFRAG_RING;
	memcpy(b, g->hdr, g->hlen);
	memcpy(b + g->hlen, g->data, g->total);
	if (g->ipver == 4) {
		b[2] =
		    (uint8_t)(n >> 8); /* total length; flags and offset cleared (RFC 791 §3.2) */
		b[3] = (uint8_t)n;
		b[6] = b[7] = 0;
	} else {
		b[4] = (uint8_t)(g->total >>
		                 8); /* payload length, next header past the fragment header */
		b[5] = (uint8_t)g->total;
		b[6] = g->proto;
	}
	st->frag_datagrams++;
	drop(f, g);
	pm_decode_ip(&f->scratch, b, (uint32_t)n, pkt);
	return true;
}

/* see ipfrag.h */
enum pm_ipfrag_result
pm_ipfrag_add(struct pm_ipfrag *f, struct pm_decode_stats *st, struct pm_pkt *pkt)
{
	struct frag fr = { .ipver = pkt->ipver };
	bool ok = pkt->l3 != NULL && pkt->l3_cap == pkt->l3_wire &&
	          (pkt->ipver == 4 ? read_v4(pkt, &fr) : read_v6(pkt, &fr));
	if (!ok || (fr.more && fr.len % BLOCK != 0) || (fr.len == 0 && fr.more)) {
		st->frag_unusable++;
		return PM_IPFRAG_SKIPPED;
	}
	uint32_t end = fr.off + fr.len;
	if (end > PM_IPFRAG_MAX_DATAGRAM - fr.hlen) {
		st->frag_too_big++;
		return PM_IPFRAG_SKIPPED;
	}
	struct pm_ipfrag_dgram *g = find(f, st, pkt, &fr);
	if (!fr.more) {
		if (g->total != 0 && g->total != end) {
			st->frag_unusable++; /* a second, different last fragment */
			return PM_IPFRAG_SKIPPED;
		}
		g->total = end;
	}
	if (g->total != 0 && end > g->total) {
		st->frag_unusable++;
		return PM_IPFRAG_SKIPPED;
	}
	if (!reserve(f, st, g, end)) {
		st->frag_evicted++;
		drop(f, g);
		return PM_IPFRAG_SKIPPED;
	}
	if (copy_in(g, &fr, end)) {
		st->frag_overlaps++;
	}
	if (fr.off == 0 && g->hlen == 0) {
		memcpy(g->hdr, fr.hdr, fr.hlen);
		g->hlen = (uint8_t)fr.hlen;
	}
	if (g->total == 0 || g->have != g->total || g->hlen == 0) {
		return PM_IPFRAG_HELD;
	}
	return complete(f, st, g, pkt) ? PM_IPFRAG_DONE : PM_IPFRAG_HELD;
}

/* see ipfrag.h */
void
pm_ipfrag_finish(struct pm_ipfrag *f, struct pm_decode_stats *st)
{
	for (size_t i = 0; i < PM_IPFRAG_MAX_PENDING; i++) {
		if (f->pend[i].ipver != 0) {
			st->frag_incomplete++;
			drop(f, &f->pend[i]);
		}
	}
}

/* see ipfrag.h */
void
pm_ipfrag_free(struct pm_ipfrag *f)
{
	for (size_t i = 0; i < PM_IPFRAG_MAX_PENDING; i++) {
		if (f->pend[i].ipver != 0) {
			drop(f, &f->pend[i]);
		}
	}
	for (size_t i = 0; i < PM_IPFRAG_RING; i++) {
		free(f->ring[i]);
		f->ring[i] = NULL;
		f->ring_cap[i] = 0;
	}
}

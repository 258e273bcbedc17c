/* SPDX-License-Identifier: MIT */
/*
 * peermemo.h - a small direct-mapped memo, in front of an analyser's
 * per-address tables, of the records one ordered address pair (client and
 * server, requester and responder) last used. The slot is chosen by the
 * packet's flow record, whose address is stable for the run, so the packets
 * of one flow find the records their first packet looked up without hashing
 * an address again. Every hit is checked against both addresses, so a slot
 * shared by two flows only costs a lookup, never a wrong count. The memo
 * holds pointers into tables that never move their records (table.h).
 * Header-only: each analyser keeps its memo inside its state.
 */
#ifndef PM_PEERMEMO_H
#define PM_PEERMEMO_H

#include <stdint.h>
#include <string.h>

#define PM_PEER_MEMO_BITS 10 /* 1024 slots */
#define PM_PEER_MEMO_VALS 6  /* records kept per pair */

struct pm_peer_memo_slot {
	uint8_t a[16], b[16];       /* the pair, network order */
	uint8_t ipver;              /* 4 or 6; 0: empty */
	void *v[PM_PEER_MEMO_VALS]; /* the analyser's records for the pair; NULL: not looked up */
};

struct pm_peer_memo {
	struct pm_peer_memo_slot s[1u << PM_PEER_MEMO_BITS];
};

/*
 * The slot of the pair (a, b) in family ipver, for the packet of flow (any
 * stable pointer, NULL allowed): its records when the slot holds this pair,
 * otherwise the slot reset to it with no records.
 */
static inline struct pm_peer_memo_slot *
pm_peer_memo_get(struct pm_peer_memo *m, const void *flow, const uint8_t a[16], const uint8_t b[16],
                 uint8_t ipver)
{
	uint64_t h = (uint64_t)(uintptr_t)flow * UINT64_C(0x9E3779B97F4A7C15);
	struct pm_peer_memo_slot *s = &m->s[h >> (64 - PM_PEER_MEMO_BITS)];
	if (s->ipver != ipver || memcmp(s->a, a, 16) != 0 || memcmp(s->b, b, 16) != 0) {
		memcpy(s->a, a, 16);
		memcpy(s->b, b, 16);
		s->ipver = ipver;
		memset(s->v, 0, sizeof(s->v));
	}
	return s;
}

#endif /* PM_PEERMEMO_H */

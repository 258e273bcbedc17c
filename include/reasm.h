/* SPDX-License-Identifier: MIT */
/*
 * reasm.h - TCP stream reassembly: the first bytes of each direction of a
 * flow, in order, for the analysers that parse application messages (TLS,
 * HTTP, later DNS and SIP over TCP).
 *
 * A library, not an analyser row: an analyser that wants stream bytes keeps
 * one struct pm_reasm_dir per direction inside its own per-flow state
 * (keyed by the pass's flow key and tag), feeds it the segments its want
 * mask already selects (so only flows some analyser wants are reassembled),
 * and reads the contiguous bytes through a cursor after each segment
 * (pm_reasm_cur). Parsed bytes are consumed, which slides the window; a
 * direction holds at most its window of unconsumed bytes (default
 * PM_REASM_WINDOW), and all directions fed from one struct pm_reasm_pool
 * together at most the pool's cap. Nothing holds packets: only the window's
 * bytes, copied in.
 *
 * Deterministic rules (RFC 9293 §3.4 serial arithmetic, so sequence wrap is
 * ordinary arithmetic on uint32_t differences):
 * - the stream starts at the SYN's sequence number + 1, or at the first
 *   payload segment when the SYN was not seen (midstream);
 * - a segment's bytes already held (or consumed) are compared where they
 *   are still held: the first copy wins and a differing byte range counts
 *   one conflicting overlap; wholly old segments are retransmissions;
 * - out-of-order bytes within the window are held in up to
 *   PM_REASM_MAX_RANGES ranges beyond the contiguous prefix;
 * - a gap ends the direction (state PM_REASM_GAP, gap_at its stream
 *   offset): when the peer acknowledges bytes never captured, when more
 *   ranges would be needed, or when the direction ends (FIN, RST,
 *   pm_reasm_close) with a hole before held bytes;
 * - bytes beyond the window, after a FIN, or after a RST are not held
 *   (state FULL / FIN / RST); a full pool stops the direction (CAPPED).
 */
#ifndef PM_REASM_H
#define PM_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

struct pm_json;
struct pm_pass_pkt;

#define PM_REASM_WINDOW     (64u << 10)  /* default unconsumed bytes per direction */
#define PM_REASM_MAX_WINDOW (16u << 20)  /* largest window a caller may ask for */
#define PM_REASM_POOL_MAX   (256u << 20) /* default cap of one pool: bytes of all windows */
#define PM_REASM_MAX_RANGES 16           /* out-of-order ranges held beyond the prefix */
#define PM_REASM_FIRST_BUF  2048         /* first allocation of a direction's buffer */

/* Why a direction stopped taking bytes (PM_REASM_OPEN while it takes them). */
enum pm_reasm_state {
	PM_REASM_IDLE = 0, /* nothing seen yet */
	PM_REASM_OPEN,     /* taking bytes */
	PM_REASM_FIN,      /* the sender's FIN: no bytes after it */
	PM_REASM_RST,      /* the sender reset the connection */
	PM_REASM_GAP,      /* bytes missing from the capture: nothing after gap_at */
	PM_REASM_FULL,     /* the window filled without being consumed */
	PM_REASM_CAPPED,   /* the pool's cap was reached */
	PM_REASM_DONE,     /* the consumer released it (pm_reasm_release) */
};

/* Memory shared by the directions one consumer feeds, and what happened to them. */
struct pm_reasm_pool {
	size_t bytes;       /* buffer bytes allocated now */
	size_t peak;        /* most bytes allocated at once */
	size_t max_bytes;   /* cap; 0 = PM_REASM_POOL_MAX */
	uint32_t window;    /* per-direction window; 0 = PM_REASM_WINDOW */
	uint64_t segments;  /* payload segments fed */
	uint64_t retrans;   /* segments wholly at or before bytes already seen */
	uint64_t overlaps;  /* segments overlapping bytes still held */
	uint64_t conflicts; /* overlaps whose bytes differed (first copy kept) */
	uint64_t gaps;      /* directions ended by a gap */
	uint64_t full;      /* directions whose window filled */
	uint64_t capped;    /* directions stopped by the pool's cap */
	uint64_t beyond;    /* segments (or their tails) dropped beyond the window */
};

/* One out-of-order range, relative to the start of the buffer. */
struct pm_reasm_range {
	uint32_t off; /* bytes from buf[0] */
	uint32_t len; /* bytes */
};

/* One direction of one flow. Zeroed state is an idle direction; 64 bytes, one cache line. */
struct pm_reasm_dir {
	uint8_t *buf;      /* cap bytes, malloc'd, owned (accounted in the pool) */
	uint64_t consumed; /* stream offset of buf[0] (bytes consumed before it) */
	uint64_t gap_at;   /* stream offset where a gap was found (state GAP) */
	/*
	 * PM_REASM_MAX_RANGES held ranges, malloc'd at the first out-of-order
	 * segment (accounted in the pool), so a direction read in order is small.
	 */
	struct pm_reasm_range *r;
	uint32_t cap;       /* bytes allocated at buf */
	uint32_t len;       /* contiguous bytes at buf[0] */
	uint32_t base_seq;  /* sequence number of buf[0] */
	uint32_t n_ranges;  /* held out-of-order ranges at r, sorted, disjoint, beyond len */
	uint32_t fin_seq;   /* sequence number the FIN occupies (one past the last byte) */
	uint32_t conflicts; /* conflicting overlaps in this direction */
	uint32_t retrans;   /* retransmitted segments in this direction */
	uint8_t state;      /* enum pm_reasm_state */
	bool midstream;     /* the SYN was not seen */
	bool syn;           /* the SYN was seen */
	bool fin_seen;      /* a FIN was seen; fin_seq holds its sequence number */
};

/*
 * Feed one TCP segment of direction d: its sequence number, flags
 * (PM_TCP_*), and the n captured payload bytes at p (n may be 0). Returns
 * true when the contiguous bytes grew. p is copied; nothing points into it
 * afterwards.
 */
bool pm_reasm_seg(struct pm_reasm_pool *pool, struct pm_reasm_dir *d, uint32_t seq, uint16_t flags,
                  const uint8_t *p, size_t n);

/*
 * How a consumer parses reassembled bytes: the n contiguous unconsumed bytes
 * at p, the first of them at stream offset at. Returns how many it used
 * (whole messages; at most n), which are consumed. It may release d.
 */
typedef size_t pm_reasm_parse_fn(void *ctx, const uint8_t *p, size_t n, uint64_t at);

/*
 * Feed one segment as pm_reasm_seg does, then let parse read the contiguous
 * bytes and consume what it used. Returns whether parse was called (the
 * contiguous bytes grew).
 *
 * An in-order segment (no SYN, FIN or RST, at most a window, starting at the
 * next byte) of an open direction that holds nothing is parsed where it
 * lies, and only what parse leaves is copied in: a stream read as it comes
 * costs no copy and no buffer. The bytes parse sees, their offsets and the
 * pool's counters are those of pm_reasm_seg, a parse of pm_reasm_cur and
 * pm_reasm_consume; only the buffer bytes (peak) are fewer.
 */
bool pm_reasm_feed(struct pm_reasm_pool *pool, struct pm_reasm_dir *d, uint32_t seq, uint16_t flags,
                   const uint8_t *p, size_t n, pm_reasm_parse_fn *parse, void *ctx);

/* Let parse read what d holds now (after a gap ended it, say), and consume what it used. */
void pm_reasm_parse_held(struct pm_reasm_dir *d, pm_reasm_parse_fn *parse, void *ctx);

/*
 * For a consumer that keeps state only for flows with payload (so a flow it
 * does not want costs it no table entry): the stream start of direction d
 * is the SYN the flow table already saw (sequence isn), before the consumer
 * started. A no-op unless d is idle.
 */
void pm_reasm_begin(struct pm_reasm_dir *d, uint32_t isn);
/*
 * The flow of pp has carried no payload yet, either way: nothing to
 * reassemble, and a consumer without state for it can skip the packet.
 */
bool pm_reasm_no_payload_yet(const struct pm_pass_pkt *pp);
/*
 * pp is the first payload segment of its flow and sits at the start of its
 * direction's stream (just after the SYN, or no SYN was seen): its bytes are
 * the first the stream has, so a consumer may judge the protocol on them.
 */
bool pm_reasm_first_bytes(const struct pm_pass_pkt *pp);
/* Start both directions (by PM_DIR_*) of a consumer's new state at the SYNs the flow saw. */
void pm_reasm_begin_flow(struct pm_reasm_dir d[2], const struct pm_pass_pkt *pp);
/*
 * The peer of d acknowledged up to ack (a packet of the other direction
 * with ACK set): bytes of d before ack that were never captured make a gap.
 */
void pm_reasm_ack(struct pm_reasm_pool *pool, struct pm_reasm_dir *d, uint32_t ack);

/* A cursor over the contiguous unconsumed bytes (valid until the next call on d). */
struct pm_cur pm_reasm_cur(const struct pm_reasm_dir *d);

/* Drop the first n contiguous bytes (n <= len): they are parsed, and the window slides. */
void pm_reasm_consume(struct pm_reasm_dir *d, size_t n);

/* The stream offset of the next contiguous byte after the held ones. */
uint64_t pm_reasm_end(const struct pm_reasm_dir *d);

/* True while d may still get bytes. */
bool pm_reasm_open(const struct pm_reasm_dir *d);

/* The stream ended (flow finished at the end of the capture): holes before held bytes are a gap. */
void pm_reasm_close(struct pm_reasm_pool *pool, struct pm_reasm_dir *d);

/* Free d's buffer and stop taking bytes (state DONE unless it had already stopped). */
void pm_reasm_release(struct pm_reasm_pool *pool, struct pm_reasm_dir *d);

/*
 * Write the pool's counters as the member "reassembly": {segments,
 * retransmissions, overlaps, conflicting_overlaps, gaps, windows_full,
 * capped, peak_bytes, cap_bytes}.
 */
void pm_reasm_pool_json(const struct pm_reasm_pool *pool, struct pm_json *w);

/* "idle", "open", "fin", "rst", "gap", "full", "capped", "done". */
const char *pm_reasm_state_name(enum pm_reasm_state s);

#endif /* PM_REASM_H */

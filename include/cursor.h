/* SPDX-License-Identifier: MIT */
/*
 * cursor.h - the bounded byte reader every parser uses.
 *
 * A cursor is a span plus an offset. Reads past the end return 0, set the
 * sticky err flag and park the offset at the end, so a parser reads a whole
 * header straight through and checks pm_cur_ok() once. Nothing here ever
 * forms a pointer outside [buf, buf + len). Header-only: every function is
 * static inline so the per-packet path pays no call.
 */
#ifndef PM_CURSOR_H
#define PM_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pm_cur {
	const uint8_t *buf; /* start of the readable span; not owned */
	size_t len;         /* bytes in the span */
	size_t off;         /* next byte to read; invariant: off <= len */
	bool err;           /* sticky: set by the first short read, never cleared */
};

static inline struct pm_cur
pm_cur_init(const uint8_t *p, size_t n)
{
	struct pm_cur c = { p, n, 0, false };
	return c;
}

static inline size_t
pm_cur_left(const struct pm_cur *c)
{
	return c->len - c->off;
}

static inline bool
pm_cur_ok(const struct pm_cur *c)
{
	return !c->err;
}

/* Mark the cursor failed and exhausted. Returns false for use in conditions. */
static inline bool
pm_cur_fail(struct pm_cur *c)
{
	c->err = true;
	c->off = c->len;
	return false;
}

/* True when n more bytes are available; otherwise fails the cursor. */
static inline bool
pm_cur_need(struct pm_cur *c, size_t n)
{
	if (n > c->len - c->off) {
		return pm_cur_fail(c);
	}
	return true;
}

static inline uint8_t
pm_cur_u8(struct pm_cur *c)
{
	if (!pm_cur_need(c, 1)) {
		return 0;
	}
	return c->buf[c->off++];
}

static inline uint16_t
pm_cur_be16(struct pm_cur *c)
{
	if (!pm_cur_need(c, 2)) {
		return 0;
	}
	c->off += 2;
	return (uint16_t)(c->buf[c->off - 2] << 8 | c->buf[c->off - 1]);
}

static inline uint16_t
pm_cur_le16(struct pm_cur *c)
{
	if (!pm_cur_need(c, 2)) {
		return 0;
	}
	c->off += 2;
	return (uint16_t)(c->buf[c->off - 1] << 8 | c->buf[c->off - 2]);
}

static inline uint32_t
pm_cur_be32(struct pm_cur *c)
{
	if (!pm_cur_need(c, 4)) {
		return 0;
	}
	const uint8_t *p = c->buf + c->off;
	c->off += 4;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint32_t
pm_cur_le32(struct pm_cur *c)
{
	if (!pm_cur_need(c, 4)) {
		return 0;
	}
	const uint8_t *p = c->buf + c->off;
	c->off += 4;
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static inline uint64_t
pm_cur_le64(struct pm_cur *c)
{
	uint64_t lo = pm_cur_le32(c);
	return lo | (uint64_t)pm_cur_le32(c) << 32;
}

static inline uint64_t
pm_cur_be64(struct pm_cur *c)
{
	uint64_t hi = pm_cur_be32(c);
	return hi << 32 | pm_cur_be32(c);
}

/* 16/32-bit read in the byte order the caller names (pcap, pcapng). */
static inline uint16_t
pm_cur_u16x(struct pm_cur *c, bool big_endian)
{
	return big_endian ? pm_cur_be16(c) : pm_cur_le16(c);
}

static inline uint32_t
pm_cur_u32x(struct pm_cur *c, bool big_endian)
{
	return big_endian ? pm_cur_be32(c) : pm_cur_le32(c);
}

/* Return a view of the next n bytes and advance, or NULL when short. */
static inline const uint8_t *
pm_cur_bytes(struct pm_cur *c, size_t n)
{
	if (!pm_cur_need(c, n)) {
		return NULL;
	}
	c->off += n;
	return c->buf + c->off - n;
}

static inline void
pm_cur_skip(struct pm_cur *c, size_t n)
{
	if (pm_cur_need(c, n)) {
		c->off += n;
	}
}

/* Move to an absolute offset inside the span (DNS pointers). */
static inline void
pm_cur_seek(struct pm_cur *c, size_t off)
{
	if (off > c->len) {
		pm_cur_fail(c);
		return;
	}
	c->off = off;
}

/* Look at the byte n ahead of the offset without consuming; 0 when short. */
static inline uint8_t
pm_cur_peek(const struct pm_cur *c, size_t n)
{
	return n < c->len - c->off ? c->buf[c->off + n] : 0;
}

/*
 * Carve a child cursor over exactly the next n bytes and advance the parent
 * past them. When fewer than n remain, the child gets what remains, is marked
 * failed, and the parent is exhausted and failed too.
 */
static inline struct pm_cur
pm_cur_sub(struct pm_cur *c, size_t n)
{
	struct pm_cur s = { c->buf + c->off, n, 0, false };
	if (n > c->len - c->off) {
		s.len = c->len - c->off;
		s.err = true;
		pm_cur_fail(c);
		return s;
	}
	c->off += n;
	return s;
}

/*
 * Like pm_cur_sub, but clamps n to what remains without failing anything:
 * for length fields that may legitimately exceed the captured bytes
 * (snaplen-truncated packets). *short_by gets how many bytes were missing.
 */
static inline struct pm_cur
pm_cur_sub_clamp(struct pm_cur *c, size_t n, size_t *short_by)
{
	size_t left = c->len - c->off;
	size_t take = n < left ? n : left;
	struct pm_cur s = { c->buf + c->off, take, 0, false };
	*short_by = n - take;
	c->off += take;
	return s;
}

#endif /* PM_CURSOR_H */

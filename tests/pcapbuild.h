/* SPDX-License-Identifier: MIT */
/*
 * pcapbuild.h - build small captures in memory for tests: a little-endian
 * microsecond classic pcap of Ethernet frames carrying IPv4 (no options).
 * Each frame is stamped 1 ms after the one before; tests move ts_us to
 * make gaps. Allocation failure aborts: these are tests.
 */
#ifndef PM_PCAPBUILD_H
#define PM_PCAPBUILD_H

#include <stddef.h>
#include <stdint.h>

struct pcapbuf {
	uint8_t *p;     /* malloc'd, owned; free with pb_free */
	size_t n;       /* bytes written */
	size_t cap;     /* bytes allocated */
	uint64_t ts_us; /* time of the next frame, µs after the epoch */
	uint8_t ttl;    /* IPv4 TTL of the frames pb_frame writes; 0 means 64 */
};

#define PB_MAX_L4      80   /* transport header bytes pb_frame accepts */
#define PB_MAX_PAYLOAD 1400 /* payload bytes pb_frame accepts */

/* Start a capture: the 24-byte file header, link type Ethernet, time 1 s. */
void pb_start(struct pcapbuf *b);
void pb_free(struct pcapbuf *b);

void pb_put(struct pcapbuf *b, const void *src, size_t n);
void pb_le32(uint8_t *p, uint32_t v);
void pb_be16(uint8_t *p, uint32_t v);
void pb_be32(uint8_t *p, uint32_t v);

/* Append a record holding the n-byte frame f, and advance the clock 1 ms. */
void pb_record(struct pcapbuf *b, const uint8_t *f, size_t n);

/*
 * Append Ethernet + IPv4 from src to dst (host-order addresses) with the
 * l4len-byte transport header l4 and len payload bytes of 'x'.
 */
void pb_frame(struct pcapbuf *b, uint8_t proto, uint32_t src, uint32_t dst, const uint8_t *l4,
              size_t l4len, size_t len);

/*
 * Append Ethernet + IPv4 (or IPv6, with 16-byte addresses in network order)
 * carrying the n bytes at l4: a transport header and its payload, as given.
 */
void pb_frame_data(struct pcapbuf *b, uint8_t proto, uint32_t src, uint32_t dst, const uint8_t *l4,
                   size_t n);
void pb_frame6(struct pcapbuf *b, uint8_t proto, const uint8_t src[16], const uint8_t dst[16],
               const uint8_t *l4, size_t n);

/* A UDP datagram carrying the n bytes at data. */
void pb_udp_data(struct pcapbuf *b, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
                 const uint8_t *data, size_t n);

/* A TCP segment (20-byte header, no options) with len payload bytes. */
void pb_tcp(struct pcapbuf *b, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
            uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win, size_t len);

/* A UDP datagram with len payload bytes. */
void pb_udp(struct pcapbuf *b, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
            size_t len);

#endif /* PM_PCAPBUILD_H */

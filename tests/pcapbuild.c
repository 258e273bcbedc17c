/* SPDX-License-Identifier: MIT */
/* pcapbuild.c - in-memory test captures; see pcapbuild.h. */
#include "pcapbuild.h"

#include <stdlib.h>
#include <string.h>

#include "decode.h"

void
pb_put(struct pcapbuf *b, const void *src, size_t n)
{
	if (n > b->cap - b->n) {
		size_t cap = b->cap * 2 + n + 4096;
		uint8_t *p = realloc(b->p, cap);
		if (p == NULL) {
			abort();
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, src, n);
	b->n += n;
}

void
pb_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

void
pb_be16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void
pb_be32(uint8_t *p, uint32_t v)
{
	pb_be16(p, v >> 16);
	pb_be16(p + 2, v & 0xFFFF);
}

void
pb_start(struct pcapbuf *b)
{
	uint8_t h[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0 };
	memset(b, 0, sizeof(*b));
	pb_le32(h + 16, 65535);
	pb_le32(h + 20, PM_LINKTYPE_ETHERNET);
	pb_put(b, h, sizeof(h));
	b->ts_us = 1000000;
}

void
pb_free(struct pcapbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void
pb_record(struct pcapbuf *b, const uint8_t *f, size_t n)
{
	uint8_t rec[16];
	pb_le32(rec, (uint32_t)(b->ts_us / 1000000));
	pb_le32(rec + 4, (uint32_t)(b->ts_us % 1000000));
	pb_le32(rec + 8, (uint32_t)n);
	pb_le32(rec + 12, (uint32_t)n);
	pb_put(b, rec, sizeof(rec));
	pb_put(b, f, n);
	b->ts_us += 1000;
}

void
pb_frame(struct pcapbuf *b, uint8_t proto, uint32_t src, uint32_t dst, const uint8_t *l4,
         size_t l4len, size_t len)
{
	uint8_t d[PB_MAX_L4 + PB_MAX_PAYLOAD];
	if (l4len > PB_MAX_L4 || len > PB_MAX_PAYLOAD) {
		abort();
	}
	memcpy(d, l4, l4len);
	memset(d + l4len, 'x', len);
	pb_frame_data(b, proto, src, dst, d, l4len + len);
}

void
pb_tcp(struct pcapbuf *b, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, uint32_t seq,
       uint32_t ack, uint8_t flags, uint16_t win, size_t len)
{
	uint8_t h[20] = { 0 };
	pb_be16(h, sport);
	pb_be16(h + 2, dport);
	pb_be32(h + 4, seq);
	pb_be32(h + 8, ack);
	h[12] = 5 << 4;
	h[13] = flags;
	pb_be16(h + 14, win);
	pb_frame(b, PM_IPPROTO_TCP, src, dst, h, sizeof(h), len);
}

void
pb_udp(struct pcapbuf *b, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, size_t len)
{
	uint8_t h[8] = { 0 };
	pb_be16(h, sport);
	pb_be16(h + 2, dport);
	pb_be16(h + 4, (uint32_t)(8 + len));
	pb_frame(b, PM_IPPROTO_UDP, src, dst, h, sizeof(h), len);
}

void
pb_frame_data(struct pcapbuf *b, uint8_t proto, uint32_t src, uint32_t dst, const uint8_t *l4,
              size_t n)
{
	uint8_t f[14 + 20 + PB_MAX_L4 + PB_MAX_PAYLOAD] = { 0 };
	if (n > PB_MAX_L4 + PB_MAX_PAYLOAD) {
		abort();
	}
	f[0] = 0x02;
	f[6] = 0x02;
	f[11] = 1;
	pb_be16(f + 12, PM_ETH_IPV4);
	uint8_t *ip = f + 14;
	ip[0] = 0x45;
	pb_be16(ip + 2, (uint32_t)(20 + n));
	ip[8] = b->ttl != 0 ? b->ttl : 64;
	ip[9] = proto;
	pb_be32(ip + 12, src);
	pb_be32(ip + 16, dst);
	memcpy(ip + 20, l4, n);
	pb_record(b, f, 14 + 20 + n);
}

void
pb_frame6(struct pcapbuf *b, uint8_t proto, const uint8_t src[16], const uint8_t dst[16],
          const uint8_t *l4, size_t n)
{
	uint8_t f[14 + 40 + PB_MAX_L4 + PB_MAX_PAYLOAD] = { 0 };
	if (n > PB_MAX_L4 + PB_MAX_PAYLOAD) {
		abort();
	}
	f[0] = 0x33;
	f[1] = 0x33;
	f[6] = 0x02;
	f[11] = src[15];
	pb_be16(f + 12, PM_ETH_IPV6);
	uint8_t *ip = f + 14;
	ip[0] = 0x60;
	pb_be16(ip + 4, (uint32_t)n);
	ip[6] = proto;
	ip[7] = 255;
	memcpy(ip + 8, src, 16);
	memcpy(ip + 24, dst, 16);
	memcpy(ip + 40, l4, n);
	pb_record(b, f, 14 + 40 + n);
}

void
pb_udp_data(struct pcapbuf *b, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
            const uint8_t *data, size_t n)
{
	uint8_t d[8 + PB_MAX_PAYLOAD] = { 0 };
	if (n > PB_MAX_PAYLOAD) {
		abort();
	}
	pb_be16(d, sport);
	pb_be16(d + 2, dport);
	pb_be16(d + 4, (uint32_t)(8 + n));
	memcpy(d + 8, data, n);
	pb_frame_data(b, PM_IPPROTO_UDP, src, dst, d, 8 + n);
}

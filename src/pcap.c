/* SPDX-License-Identifier: MIT */
/*
 * pcap.c - the classic libpcap file format (draft-ietf-opsawg-pcap).
 *
 * Reads the three magics in both byte orders, as capture.c's magic table
 * tells them apart: a1b2c3d4 (µs), a1b23c4d (ns) and a1b2cd34 (Kuznetzov's
 * "modified" format, 24-byte record headers).
 * Like libpcap, a record longer than max(snaplen, 262144) is treated as a
 * lying length: the walk ends there rather than trusting it.
 */
#include "pcap.h"

#include "capmeta.h"
#include "capture.h"
#include "cursor.h"
#include "source.h"

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                          Magic Number                         |
 * +-------------------------------+-------------------------------+
 * |          Major Version        |         Minor Version         |
 * +-------------------------------+-------------------------------+
 * |                           Reserved1 (thiszone)                |
 * |                           Reserved2 (sigfigs)                 |
 * |                            SnapLen                            |
 * | FCS |f|0 0 0 0 0 0 0 0 0 0 0 0|         LinkType              |
 * +---------------------------------------------------------------+
 */
#define PCAP_HDR_LEN        24
#define PCAP_REC_LEN        16
#define PCAP_MOD_REC_LEN    24     /* + ifindex(4) protocol(2) pkt_type(1) pad(1) */
#define PCAP_MAX_SNAPLEN    262144 /* libpcap's MAXIMUM_SNAPLEN */
#define PCAP_LT_FCS_PRESENT (1u << 26)
#define PCAP_LT_RESERVED    0x03FF0000u /* must be zero, as libpcap and Wireshark insist */

/* see pcap.h */
int
pm_pcap_open(struct pm_capture *c, struct pm_error *err)
{
	struct pm_source *s = &c->src;
	if (!pm_source_want(s, PCAP_HDR_LEN)) {
		return pm_error_set(err, PM_E_TRUNC, 0,
		                    "pcap file header truncated: %zu of 24 bytes",
		                    s->win_len - s->off);
	}
	bool be = c->big_endian;
	struct pm_cur cur = pm_cur_init(s->win + s->off, PCAP_HDR_LEN);
	pm_cur_skip(&cur, 4); /* the magic, looked up by capture.c */
	uint16_t major = pm_cur_u16x(&cur, be);
	uint16_t minor = pm_cur_u16x(&cur, be);
	pm_cur_skip(&cur, 8); /* thiszone, sigfigs: always 0 in practice, ignored by readers */
	uint32_t snaplen = pm_cur_u32x(&cur, be);
	uint32_t ltfield = pm_cur_u32x(&cur, be);

	c->sect_big_endian = be;
	c->ver_major = major;
	c->ver_minor = minor;
	c->rec_hdr_len = c->format == PM_FMT_PCAP_MODIFIED ? PCAP_MOD_REC_LEN : PCAP_REC_LEN;
	c->tick_ns = c->format == PM_FMT_PCAP_NSEC ? 1 : 1000;
	c->rec_max = c->rec_hdr_len + (snaplen > PCAP_MAX_SNAPLEN ? snaplen : PCAP_MAX_SNAPLEN);
	c->pcap_fcs_bits = ltfield >> 26;
	if (major != 2) {
		return pm_error_set(err, PM_E_UNSUPPORTED, 4,
		                    "pcap version %u.%u is not supported (only 2.x)", major, minor);
	}
	if ((ltfield & PCAP_LT_RESERVED) != 0) {
		return pm_error_set(err, PM_E_MALFORMED, 20,
		                    "link-type field 0x%08x has reserved bits 16-25 set", ltfield);
	}

	struct pm_section *sec = pm_capmeta_add_section(c);
	struct pm_iface *i = pm_capmeta_add_iface(c);
	if (sec == NULL || i == NULL) {
		return pm_error_set(err, PM_E_NOMEM, 0, "out of memory");
	}
	sec->big_endian = be;
	sec->major = major;
	sec->minor = minor;
	sec->length = -1;
	sec->n_ifaces = 1;
	i->linktype = ltfield & 0xFFFF;
	i->snaplen = snaplen;
	i->tsresol = c->format == PM_FMT_PCAP_NSEC ? 9 : 6;
	if ((ltfield & PCAP_LT_FCS_PRESENT) != 0) {
		i->fcslen = (int)(ltfield >> 28) * 2; /* counted in 16-bit words */
	}
	s->off += PCAP_HDR_LEN;
	return 0;
}

/* see pcap.h */
int
pm_pcap_next(struct pm_capture *c, struct pm_rec *r)
{
	struct pm_source *s = &c->src;
	size_t hl = c->rec_hdr_len;
	if (!pm_source_want(s, hl)) {
		if (s->off == s->win_len) {
			s->done = true;
			return 0;
		}
		return pm_source_damage(s, PM_E_TRUNC, s->off,
		                        "record header truncated: %zu of %zu bytes at end of file",
		                        s->win_len - s->off, hl);
	}
	bool be = c->sect_big_endian;
	struct pm_cur cur = pm_cur_init(s->win + s->off, hl);
	uint32_t sec = pm_cur_u32x(&cur, be);
	uint32_t frac = pm_cur_u32x(&cur, be);
	uint32_t caplen = pm_cur_u32x(&cur, be);
	uint32_t len = pm_cur_u32x(&cur, be);

	uint32_t snaplen = c->ifaces[0].snaplen;
	uint32_t max = snaplen > PCAP_MAX_SNAPLEN ? snaplen : PCAP_MAX_SNAPLEN;
	if (caplen > max || caplen > PM_MAX_RECORD) {
		return pm_source_damage(s, PM_E_MALFORMED, s->off,
		                        "record length %u exceeds the maximum of %u", caplen, max);
	}
	if (!pm_source_want(s, hl + caplen)) {
		return pm_source_damage(s, PM_E_TRUNC, s->off,
		                        "last record truncated: %zu of %u bytes of data",
		                        s->win_len - s->off - hl, caplen);
	}
	r->ts_ns = (int64_t)sec * 1000000000 + (int64_t)frac * c->tick_ns;
	r->data = s->win + s->off + hl;
	r->caplen = caplen;
	r->len = len;
	r->iface = 0;
	r->linktype = c->ifaces[0].linktype;
	r->has_ts = true;
	c->ifaces[0].packets++;
	s->off += hl + caplen;
	return 1;
}

/* see pcap.h */
size_t
pm_pcap_peek(const struct pm_capture *c)
{
	const struct pm_source *s = &c->src;
	size_t hl = c->rec_hdr_len;
	if (s->win_len - s->off < hl) {
		return hl;
	}
	struct pm_cur cur = pm_cur_init(s->win + s->off + 8, 4); /* caplen */
	return hl + pm_cur_u32x(&cur, c->sect_big_endian);
}

/* SPDX-License-Identifier: MIT */
/*
 * test_capture.c - the readers over captures built here byte by byte: every
 * pcap magic in both byte orders, pcapng blocks and sections, damage, both
 * sources, and the truncation sweep (every prefix of every fixture).
 */
#include "capture.h"
#include "guard.h"
#include "isotime.h"
#include "test.h"

#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

void test_capture(void);

/* A growable byte buffer for building fixtures. */
struct buf {
	uint8_t b[1 << 16];
	size_t n;
	bool be; /* byte order for the integer appenders */
};

static void
put(struct buf *f, const void *p, size_t n)
{
	if (n > sizeof(f->b) - f->n) {
		abort();
	}
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static void
u8(struct buf *f, uint8_t v)
{
	put(f, &v, 1);
}

static void
u16(struct buf *f, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	if (!f->be) {
		b[0] = (uint8_t)v;
		b[1] = (uint8_t)(v >> 8);
	}
	put(f, b, 2);
}

static void
u32(struct buf *f, uint32_t v)
{
	if (f->be) {
		u16(f, (uint16_t)(v >> 16));
		u16(f, (uint16_t)v);
	} else {
		u16(f, (uint16_t)v);
		u16(f, (uint16_t)(v >> 16));
	}
}

static void
u64(struct buf *f, uint64_t v)
{
	if (f->be) {
		u32(f, (uint32_t)(v >> 32));
		u32(f, (uint32_t)v);
	} else {
		u32(f, (uint32_t)v);
		u32(f, (uint32_t)(v >> 32));
	}
}

static void
pad4(struct buf *f)
{
	while (f->n % 4 != 0) {
		u8(f, 0);
	}
}

/* Patch the block length at start+4 and append the trailing length. */
static void
block_end(struct buf *f, size_t start)
{
	pad4(f);
	uint32_t len = (uint32_t)(f->n - start + 4);
	u32(f, len);
	size_t save = f->n;
	f->n = start + 4;
	u32(f, len);
	f->n = save;
}

static void
opt(struct buf *f, uint16_t code, const void *v, uint16_t len)
{
	u16(f, code);
	u16(f, len);
	put(f, v, len);
	pad4(f);
}

static void
opt_end(struct buf *f)
{
	u32(f, 0);
}

static const uint8_t frame[60] = {
	/* Ethernet, IPv4 UDP 192.0.2.1:1000 -> 192.0.2.2:53 */
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0x66, 0x77, 0x88, 0x99, 0xaa, 0x08, 0x00, 0x45,
	0x00, 0x00, 0x1d, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0x00, 0x02, 0x01,
	0xc0, 0x00, 0x02, 0x02, 0x03, 0xe8, 0x00, 0x35, 0x00, 0x09, 0x00, 0x00, 0x41,
};

/* Classic pcap: magic (as a host value written in f->be order), 3 records. */
static void
make_pcap(struct buf *f, bool be, uint32_t magic, uint32_t ltfield)
{
	f->n = 0;
	f->be = be;
	u32(f, magic);
	u16(f, 2);
	u16(f, 4);
	u32(f, 0);
	u32(f, 0);
	u32(f, 65535);
	u32(f, ltfield);
	for (uint32_t i = 0; i < 3; i++) {
		u32(f, 1700000000 + i);
		u32(f, 250 + i);
		u32(f, 43 - i); /* caplen */
		u32(f, 43 + i); /* len */
		if (magic == 0xA1B2CD34) {
			u32(f, 7); /* ifindex */
			u16(f, 0x0800);
			u8(f, 0);
			u8(f, 0);
		}
		put(f, frame, 43 - i);
	}
}

struct walked {
	size_t n;
	struct pm_rec r[16];
	uint8_t first[16]; /* first data byte of each record */
	bool damaged;
	int damage_code;
	size_t damage_off;
};

static int
walk_mem(const uint8_t *p, size_t n, struct walked *w, struct pm_capture *keep)
{
	struct pm_capture c;
	struct pm_error err;
	memset(w, 0, sizeof(*w));
	int rc = pm_capture_open_mem(&c, p, n, &err);
	if (rc != 0) {
		return rc;
	}
	struct pm_rec r;
	while ((rc = pm_capture_next(&c, &r)) == 1) {
		if (w->n < 16) {
			w->first[w->n] = r.caplen != 0 ? r.data[0] : 0;
			w->r[w->n] = r;
			w->r[w->n].data = NULL;
		}
		w->n++;
	}
	CHECK_EQ(rc, 0);
	w->damaged = c.damaged;
	w->damage_code = c.damage.code;
	w->damage_off = c.damage.offset;
	if (keep != NULL) {
		*keep = c;
	} else {
		pm_capture_close(&c);
	}
	return 0;
}

static void
pcap_variants(void)
{
	static struct buf f;
	struct walked w;
	struct pm_capture c;
	const struct {
		bool be;
		uint32_t magic;
		enum pm_format fmt;
		int64_t tick;
	} v[] = {
		{ false, 0xA1B2C3D4, PM_FMT_PCAP, 1000 },
		{ true, 0xA1B2C3D4, PM_FMT_PCAP, 1000 },
		{ false, 0xA1B23C4D, PM_FMT_PCAP_NSEC, 1 },
		{ true, 0xA1B23C4D, PM_FMT_PCAP_NSEC, 1 },
		{ false, 0xA1B2CD34, PM_FMT_PCAP_MODIFIED, 1000 },
		{ true, 0xA1B2CD34, PM_FMT_PCAP_MODIFIED, 1000 },
	};
	for (size_t k = 0; k < PM_ARRAY_LEN(v); k++) {
		make_pcap(&f, v[k].be, v[k].magic, 1);
		CHECK_EQ(walk_mem(f.b, f.n, &w, &c), 0);
		CHECK_EQ(c.format, v[k].fmt);
		CHECK_EQ(c.big_endian, v[k].be);
		CHECK_EQ(c.ver_major, 2);
		CHECK_EQ(c.ver_minor, 4);
		CHECK_EQ(c.n_ifaces, 1);
		CHECK_EQ(c.ifaces[0].linktype, 1);
		CHECK_EQ(c.ifaces[0].snaplen, 65535);
		CHECK_EQ(c.ifaces[0].packets, 3);
		CHECK(!w.damaged);
		CHECK_EQ(w.n, 3);
		CHECK_EQ(w.r[0].ts_ns, 1700000000ll * 1000000000 + 250 * v[k].tick);
		CHECK_EQ(w.r[2].ts_ns, 1700000002ll * 1000000000 + 252 * v[k].tick);
		CHECK_EQ(w.r[1].caplen, 42);
		CHECK_EQ(w.r[1].len, 44);
		CHECK_EQ(w.first[2], 0x00);
		CHECK(w.r[0].has_ts);
		pm_capture_close(&c);
	}

	/* The FCS bits of the link-type field: f=1, 2 sixteen-bit words. */
	make_pcap(&f, false, 0xA1B2C3D4, 0x24000001);
	CHECK_EQ(walk_mem(f.b, f.n, &w, &c), 0);
	CHECK_EQ(c.ifaces[0].linktype, 1);
	CHECK_EQ(c.ifaces[0].fcslen, 4);
	pm_capture_close(&c);

	/* Version 1.x is refused; 2.5 is read (as libpcap and Wireshark do). */
	make_pcap(&f, false, 0xA1B2C3D4, 1);
	f.b[4] = 1;
	CHECK_EQ(walk_mem(f.b, f.n, &w, NULL), PM_E_UNSUPPORTED);
	f.b[4] = 2;
	f.b[6] = 5;
	CHECK_EQ(walk_mem(f.b, f.n, &w, NULL), 0);
}

static void
pcap_damage(void)
{
	static struct buf f;
	struct walked w;
	/* Last record cut: the first two survive, damage points at the third. */
	make_pcap(&f, false, 0xA1B2C3D4, 1);
	size_t third = 24 + 16 + 43 + 16 + 42;
	CHECK_EQ(walk_mem(f.b, f.n - 5, &w, NULL), 0);
	CHECK_EQ(w.n, 2);
	CHECK(w.damaged);
	CHECK_EQ(w.damage_code, PM_E_TRUNC);
	CHECK_EQ(w.damage_off, third);
	/* A lying length in the second record. */
	make_pcap(&f, false, 0xA1B2C3D4, 1);
	f.b[24 + 16 + 43 + 8] = 0xff;
	f.b[24 + 16 + 43 + 11] = 0x7f;
	CHECK_EQ(walk_mem(f.b, f.n, &w, NULL), 0);
	CHECK_EQ(w.n, 1);
	CHECK_EQ(w.damage_code, PM_E_MALFORMED);
	CHECK_EQ(w.damage_off, 24 + 16 + 43);
	/* Too short for a header, and not a capture at all. */
	CHECK_EQ(walk_mem(f.b, 10, &w, NULL), PM_E_TRUNC);
	struct pm_capture c;
	struct pm_error err;
	CHECK_EQ(pm_capture_open_mem(&c, (const uint8_t *)"GET / HTTP/1.1\r\n", 16, &err),
	         PM_E_UNSUPPORTED);
	CHECK(strstr(err.msg, "47 45 54 20") != NULL);
	CHECK_EQ(pm_capture_open_mem(&c, (const uint8_t *)"ab", 2, &err), PM_E_UNSUPPORTED);
}

static size_t
shb(struct buf *f, bool be)
{
	size_t s = f->n;
	f->be = be;
	u32(f, 0x0A0D0D0A);
	u32(f, 0);
	u32(f, 0x1A2B3C4D);
	u16(f, 1);
	u16(f, 0);
	u64(f, UINT64_MAX); /* section length unspecified */
	opt(f, 2, "test-hw", 7);
	opt(f, 4, "test_capture", 12);
	opt_end(f);
	block_end(f, s);
	return s;
}

static void
idb(struct buf *f, uint16_t lt, uint32_t snaplen, int tsresol, int64_t tsoffset, const char *name)
{
	size_t s = f->n;
	u32(f, 1);
	u32(f, 0);
	u16(f, lt);
	u16(f, 0);
	u32(f, snaplen);
	if (name != NULL) {
		opt(f, 2, name, (uint16_t)strlen(name));
	}
	if (tsresol >= 0) {
		uint8_t r = (uint8_t)tsresol;
		opt(f, 9, &r, 1);
	}
	if (tsoffset != 0) {
		struct buf o = { .be = f->be };
		u64(&o, (uint64_t)tsoffset);
		opt(f, 14, o.b, 8);
	}
	opt_end(f);
	block_end(f, s);
}

static void
epb(struct buf *f, uint32_t iface, uint64_t ts, uint32_t caplen, uint32_t len)
{
	size_t s = f->n;
	u32(f, 6);
	u32(f, 0);
	u32(f, iface);
	u32(f, (uint32_t)(ts >> 32));
	u32(f, (uint32_t)ts);
	u32(f, caplen);
	u32(f, len);
	put(f, frame, caplen);
	pad4(f);
	opt(f, 1, "a comment", 9);
	opt_end(f);
	block_end(f, s);
}

static void
spb(struct buf *f, uint32_t len, uint32_t stored)
{
	size_t s = f->n;
	u32(f, 3);
	u32(f, 0);
	u32(f, len);
	put(f, frame, stored);
	block_end(f, s);
}

static void
pb(struct buf *f, uint16_t iface, uint64_t ts, uint32_t caplen)
{
	size_t s = f->n;
	u32(f, 2);
	u32(f, 0);
	u16(f, iface);
	u16(f, 0);
	u32(f, (uint32_t)(ts >> 32));
	u32(f, (uint32_t)ts);
	u32(f, caplen);
	u32(f, caplen);
	put(f, frame, caplen);
	block_end(f, s);
}

static void
nrb(struct buf *f)
{
	size_t s = f->n;
	u32(f, 4);
	u32(f, 0);
	u16(f, 1);
	u16(f, 4 + 20);
	put(f,
	    "\xc0\x00\x02\x01"
	    "a.example\0b.example",
	    4 + 20);
	pad4(f);
	u16(f, 2);
	u16(f, 16 + 8);
	put(f, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01v6.test", 16 + 8);
	pad4(f);
	u16(f, 9); /* unknown record type: skipped */
	u16(f, 3);
	put(f, "xyz", 3);
	pad4(f);
	u32(f, 0);
	opt_end(f);
	block_end(f, s);
}

static void
isb(struct buf *f, uint32_t iface)
{
	size_t s = f->n;
	u32(f, 5);
	u32(f, 0);
	u32(f, iface);
	u32(f, 0);
	u32(f, 0);
	struct buf o = { .be = f->be };
	u32(&o, 0);
	u32(&o, 1000000); /* start: 1 s at tsresol 6 */
	opt(f, 2, o.b, 8);
	o.n = 0;
	u64(&o, 1234);
	opt(f, 4, o.b, 8); /* ifrecv */
	o.n = 0;
	u64(&o, 5);
	opt(f, 5, o.b, 8); /* ifdrop */
	opt_end(f);
	block_end(f, s);
}

static void
other(struct buf *f, uint32_t type)
{
	size_t s = f->n;
	u32(f, type);
	u32(f, 0);
	u32(f, 0x544c534b); /* DSB secrets type, or a custom block's PEN */
	u32(f, 3);
	put(f, "abc", 3);
	block_end(f, s);
}

static void
make_pcapng(struct buf *f, bool be)
{
	f->n = 0;
	shb(f, be);
	idb(f, 1, 0, 9, 10, "eth0");
	idb(f, 101, 40, -1, 0, NULL);
	epb(f, 0, 1700000000123456789ull, 43, 43);
	nrb(f);
	epb(f, 1, 1700000001000000ull, 40, 43); /* µs by default */
	spb(f, 43, 43);                         /* first interface: snaplen 0, unlimited */
	pb(f, 1, 1700000002000000ull, 20);
	isb(f, 1);
	other(f, 0x0000000A);
	other(f, 0x00000BAD);
	other(f, 0x40000BAD);
	other(f, 0x00000099);
	epb(f, 0, 1700000003000000000ull, 43, 60);
}

static void
pcapng_blocks(void)
{
	static struct buf f;
	struct walked w;
	struct pm_capture c;
	for (int be = 0; be <= 1; be++) {
		make_pcapng(&f, be);
		CHECK_EQ(walk_mem(f.b, f.n, &w, &c), 0);
		CHECK_EQ(c.format, PM_FMT_PCAPNG);
		CHECK_EQ(c.big_endian, be);
		CHECK(!w.damaged);
		CHECK_EQ(w.n, 5);
		CHECK_EQ(c.n_sections, 1);
		CHECK_EQ(c.sections[0].length, -1);
		CHECK_STR(c.sections[0].hardware, "test-hw");
		CHECK_STR(c.sections[0].userappl, "test_capture");
		CHECK_EQ(c.n_ifaces, 2);
		CHECK_STR(c.ifaces[0].name, "eth0");
		CHECK_EQ(c.ifaces[0].tsresol, 9);
		CHECK_EQ(c.ifaces[0].tsoffset_s, 10);
		CHECK_EQ(c.ifaces[1].linktype, 101);
		CHECK_EQ(c.ifaces[1].snaplen, 40);
		/* EPB on iface 0: ns resolution plus a 10 s offset. */
		CHECK_EQ(w.r[0].ts_ns, 1700000010123456789ll);
		CHECK_EQ(w.r[0].iface, 0);
		CHECK_EQ(w.r[1].ts_ns, 1700000001000000000ll);
		CHECK_EQ(w.r[1].iface, 1);
		CHECK_EQ(w.r[1].linktype, 101);
		CHECK_EQ(w.r[1].caplen, 40);
		CHECK_EQ(w.r[1].len, 43);
		CHECK(!w.r[2].has_ts); /* SPB */
		CHECK_EQ(w.r[2].caplen, 43);
		CHECK_EQ(w.r[2].iface, 0);
		CHECK_EQ(w.r[3].caplen, 20); /* PB */
		CHECK_EQ(w.r[3].iface, 1);
		CHECK_EQ(w.r[3].ts_ns, 1700000002000000000ll);
		CHECK_EQ(w.r[4].len, 60);
		CHECK_EQ(c.ifaces[0].packets, 3);
		CHECK_EQ(c.ifaces[1].packets, 2);
		CHECK_EQ(c.n_nrb, 3);
		CHECK_STR(c.nrb[0].name, "a.example");
		CHECK_STR(c.nrb[1].name, "b.example");
		CHECK_EQ(c.nrb[2].family, 6);
		CHECK_STR(c.nrb[2].name, "v6.test");
		CHECK_EQ(c.nrb[2].addr[15], 1);
		CHECK_EQ(c.ifaces[1].isb_count, 1);
		CHECK_EQ(c.ifaces[1].isb_ifrecv, 1234);
		CHECK_EQ(c.ifaces[1].isb_ifdrop, 5);
		CHECK_EQ(c.ifaces[1].isb_starttime_ns, 1000000000);
		CHECK_EQ(c.ifaces[1].isb_present, PM_ISB_STARTTIME | PM_ISB_IFRECV | PM_ISB_IFDROP);
		CHECK_EQ(c.blocks.dsb, 1);
		CHECK_EQ(c.blocks.dsb_types[0], 0x544c534b);
		CHECK_EQ(c.blocks.custom, 2);
		CHECK_EQ(c.blocks.unknown, 1);
		CHECK_EQ(c.blocks.epb, 3);
		pm_capture_close(&c);
	}
}

static void
pcapng_sections(void)
{
	static struct buf f;
	struct walked w;
	struct pm_capture c;
	/* Three sections, LE then BE then LE; interface ids restart in each. */
	f.n = 0;
	shb(&f, false);
	idb(&f, 1, 0, 6, 0, "le0");
	epb(&f, 0, 1000000, 43, 43);
	shb(&f, true);
	idb(&f, 0, 0, 6, 0, "be0");
	idb(&f, 1, 0, 0x94, 0, "be1"); /* 2^-20 s */
	epb(&f, 1, 3ull << 20, 43, 43);
	epb(&f, 0, 2000000, 43, 43);
	shb(&f, false);
	idb(&f, 228, 0, 3, 0, "le1");
	epb(&f, 0, 4000, 43, 43);
	CHECK_EQ(walk_mem(f.b, f.n, &w, &c), 0);
	CHECK(!w.damaged);
	CHECK_EQ(c.n_sections, 3);
	CHECK(c.sections[1].big_endian);
	CHECK_EQ(c.sections[1].first_iface, 1);
	CHECK_EQ(c.sections[1].n_ifaces, 2);
	CHECK_EQ(c.n_ifaces, 4);
	CHECK_EQ(w.n, 4);
	CHECK_EQ(w.r[0].ts_ns, 1000000000);
	CHECK_EQ(w.r[1].iface, 2);
	CHECK_EQ(w.r[1].ts_ns, 3000000000ll);
	CHECK_EQ(w.r[2].iface, 1);
	CHECK_EQ(w.r[2].linktype, 0);
	CHECK_EQ(w.r[3].iface, 3);
	CHECK_EQ(w.r[3].linktype, 228);
	CHECK_EQ(w.r[3].ts_ns, 4000000000ll);
	pm_capture_close(&c);

	/* An unsupported version in a later section ends the walk there. */
	size_t second = f.n;
	f.n = 0;
	shb(&f, false);
	idb(&f, 1, 0, 6, 0, NULL);
	epb(&f, 0, 1000000, 43, 43);
	second = f.n;
	shb(&f, false);
	f.b[second + 12] = 2; /* major version 2 */
	idb(&f, 1, 0, 6, 0, NULL);
	epb(&f, 0, 1000000, 43, 43);
	CHECK_EQ(walk_mem(f.b, f.n, &w, NULL), 0);
	CHECK_EQ(w.n, 1);
	CHECK(w.damaged);
	CHECK_EQ(w.damage_code, PM_E_UNSUPPORTED);
	CHECK_EQ(w.damage_off, second);
}

static void
pcapng_damage(void)
{
	static struct buf f;
	struct walked w;
	size_t at;
	/* Trailing length differs. */
	f.n = 0;
	shb(&f, false);
	idb(&f, 1, 0, 6, 0, NULL);
	epb(&f, 0, 1, 43, 43);
	at = f.n;
	epb(&f, 0, 2, 43, 43);
	f.b[f.n - 4] ^= 0x10;
	CHECK_EQ(walk_mem(f.b, f.n, &w, NULL), 0);
	CHECK_EQ(w.n, 1);
	CHECK_EQ(w.damage_code, PM_E_MALFORMED);
	CHECK_EQ(w.damage_off, at);
	/* A block length that is not a multiple of 4. */
	f.b[at + 4] += 1;
	CHECK_EQ(walk_mem(f.b, f.n, &w, NULL), 0);
	CHECK_EQ(w.n, 1);
	CHECK_EQ(w.damage_off, at);
	/* A packet for an interface that was never described. */
	f.n = at;
	epb(&f, 3, 2, 43, 43);
	CHECK_EQ(walk_mem(f.b, f.n, &w, NULL), 0);
	CHECK_EQ(w.n, 1);
	CHECK_EQ(w.damage_code, PM_E_MALFORMED);
	/* Captured length beyond its block. */
	f.n = at;
	epb(&f, 0, 2, 43, 43);
	f.b[at + 20] = 0xff;
	CHECK_EQ(walk_mem(f.b, f.n, &w, NULL), 0);
	CHECK_EQ(w.n, 1);
	CHECK(w.damaged);
	/* Bad byte-order magic, and a first block that is not an SHB. */
	f.n = 0;
	shb(&f, false);
	f.b[8] = 0x55;
	CHECK(walk_mem(f.b, f.n, &w, NULL) < 0);
}

static void
truncation_sweep_one(const uint8_t *full, size_t n)
{
	struct walked all, part;
	CHECK_EQ(walk_mem(full, n, &all, NULL), 0);
	for (size_t k = 0; k < n; k++) {
		const uint8_t *p = pm_guard(full, k);
		int rc = walk_mem(p, k, &part, NULL);
		if (rc != 0) {
			if (rc != PM_E_TRUNC && rc != PM_E_UNSUPPORTED) {
				CHECK_EQ(rc, PM_E_TRUNC);
			}
			continue;
		}
		/* Every record read from a prefix is the record read from the whole. */
		if (part.n > all.n) {
			CHECK(part.n <= all.n);
			return;
		}
		for (size_t i = 0; i < part.n && i < 16; i++) {
			if (part.r[i].ts_ns != all.r[i].ts_ns ||
			    part.r[i].caplen != all.r[i].caplen || part.first[i] != all.first[i]) {
				CHECK(!"prefix record differs");
				return;
			}
		}
		if (part.damaged && part.damage_code != PM_E_TRUNC) {
			CHECK_EQ(part.damage_code, PM_E_TRUNC);
			return;
		}
	}
	CHECK(true);
}

static void
truncation_sweep(void)
{
	static struct buf f;
	make_pcap(&f, false, 0xA1B2C3D4, 1);
	truncation_sweep_one(f.b, f.n);
	make_pcap(&f, true, 0xA1B2CD34, 1);
	truncation_sweep_one(f.b, f.n);
	make_pcapng(&f, false);
	truncation_sweep_one(f.b, f.n);
	make_pcapng(&f, true);
	truncation_sweep_one(f.b, f.n);
}

/* Both file sources agree, including a record larger than the read buffer. */
static void
sources(void)
{
	size_t big = PM_READ_BUF + 100000;
	size_t n = 24 + 3 * 16 + big + 86;
	uint8_t *img = calloc(1, n);
	struct buf *h = calloc(1, sizeof(*h));
	if (img == NULL || h == NULL) {
		abort();
	}
	h->be = false;
	u32(h, 0xA1B2C3D4);
	u16(h, 2);
	u16(h, 4);
	u64(h, 0);
	u32(h, (uint32_t)big); /* snaplen admits the big record */
	u32(h, 1);
	const uint32_t lens[3] = { 43, (uint32_t)big, 43 };
	size_t off = 0;
	memcpy(img, h->b, h->n);
	off = h->n;
	for (int i = 0; i < 3; i++) {
		h->n = 0;
		u32(h, (uint32_t)i);
		u32(h, 0);
		u32(h, lens[i]);
		u32(h, lens[i]);
		memcpy(img + off, h->b, 16);
		off += 16;
		memcpy(img + off, frame, 43);
		img[off] = (uint8_t)(0xa0 + i);
		off += lens[i];
	}
	char path[] = "/tmp/pcapmcp-test-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0 && write(fd, img, off) == (ssize_t)off);
	close(fd);
	const enum pm_io ios[] = { PM_IO_READ, PM_IO_MMAP };
	for (size_t k = 0; k < 2; k++) {
		struct pm_capture c;
		struct pm_error err;
		struct pm_rec r;
		CHECK_EQ(pm_capture_open_file(&c, path, ios[k], &err), 0);
		CHECK_EQ(c.io, ios[k]);
		CHECK_EQ(c.file_size, off);
		for (int i = 0; i < 3; i++) {
			CHECK_EQ(pm_capture_next(&c, &r), 1);
			CHECK_EQ(r.caplen, lens[i]);
			CHECK_EQ(r.data[0], 0xa0 + i);
			CHECK_EQ(r.data[r.caplen - 1], i == 1 ? 0 : 0x41);
		}
		CHECK_EQ(pm_capture_next(&c, &r), 0);
		CHECK(!c.damaged);
		CHECK_EQ(c.bytes_read, off);
		pm_capture_close(&c);
	}
	unlink(path);
	struct pm_capture c;
	struct pm_error err;
	CHECK_EQ(pm_capture_open_file(&c, "/nonexistent/x.pcap", PM_IO_READ, &err), PM_E_IO);
	CHECK(strstr(err.msg, "No such file") != NULL);
	free(img);
	free(h);
}

/* A pcap of n records of varied lengths, each filled with its own byte pattern. */
static void
make_pcap_many(struct buf *f, bool be, size_t n)
{
	make_pcap(f, be, 0xA1B2C3D4, 1);
	f->n = 24;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t caplen = (i * 37) % 190 + (i % 5 == 0 ? 0 : 1);
		u32(f, 1700000000 + i);
		u32(f, i);
		u32(f, caplen);
		u32(f, caplen);
		for (uint32_t j = 0; j < caplen; j++) {
			u8(f, (uint8_t)(i * 7 + j * 3 + 1));
		}
	}
}

/* Several sections in alternating byte orders, each with every kind of block. */
static void
make_pcapng_many(struct buf *f, size_t sections)
{
	f->n = 0;
	for (size_t k = 0; k < sections; k++) {
		shb(f, k % 2 == 1);
		idb(f, 1, 0, 9, 0, "eth0");
		idb(f, 101, 40, -1, 0, NULL);
		epb(f, 0, 1700000000123456789ull + k, (uint32_t)(43 - k % 7), 43);
		nrb(f);
		epb(f, 1, 1700000001000000ull, 40, 43);
		spb(f, 43, (uint32_t)(43 - k % 3));
		pb(f, 1, 1700000002000000ull, (uint32_t)(20 + k % 9));
		isb(f, 1);
		other(f, 0x0000000A);
		other(f, 0x00000099);
		epb(f, 0, 1700000003000000000ull, (uint32_t)(k % 43), 60);
	}
}

/* The last records handed out since next_moves last said true, with copies of their bytes. */
struct kept {
	size_t n;
	const uint8_t *data[16];
	uint32_t caplen[16];
	uint8_t copy[16][256];
};

struct moves_seen {
	size_t records, said_true, said_false;
	size_t clobbered; /* kept bytes changed although next_moves said false */
	size_t shifted;   /* the window moved or released although next_moves said false */
	size_t released;  /* mmap: releases, each announced by next_moves */
	size_t differ;    /* records that differ from the walk over memory */
};

/*
 * Walk fd's capture as the analysis pass does with its prefetch queue: keep
 * the last 16 records, drop them whenever next_moves says true, and check
 * the kept bytes whenever it said false.
 */
static void
walk_moves(int fd, enum pm_io io, size_t size, const uint8_t *img, size_t img_len,
           struct moves_seen *m)
{
	struct pm_source_sizes sizes = { .read_buf = size, .release_step = size };
	struct pm_source src;
	struct pm_capture c, ref;
	struct pm_error err;
	struct pm_rec r, rr;
	static struct kept k;
	memset(m, 0, sizeof(*m));
	k.n = 0;
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(pm_source_open_fd(&src, fd, "moves", io, &sizes, &err), 0);
	CHECK_EQ(pm_capture_open_source(&c, &src, &err), 0);
	CHECK_EQ(c.io, io);
	CHECK_EQ(pm_capture_open_mem(&ref, img, img_len, &err), 0);
	for (;;) {
		bool moves = pm_capture_next_moves(&c);
		const uint8_t *win = c.src.win;
		uint64_t base = c.src.win_base;
		size_t advised = c.src.advised;
		int rc = pm_capture_next(&c, &r);
		if (c.src.advised != advised) {
			m->released++;
		}
		if (moves) {
			m->said_true++;
			k.n = 0;
		} else {
			m->said_false++;
			if (c.src.win != win || c.src.win_base != base ||
			    c.src.advised != advised) {
				m->shifted++;
			}
			for (size_t i = 0; i < k.n; i++) {
				if (memcmp(k.data[i], k.copy[i], k.caplen[i]) != 0) {
					m->clobbered++;
				}
			}
		}
		if (rc != 1) {
			CHECK_EQ(rc, 0);
			CHECK_EQ(pm_capture_next(&ref, &rr), 0);
			CHECK(!pm_capture_next_moves(&c)); /* the walk has ended */
			break;
		}
		m->records++;
		if (pm_capture_next(&ref, &rr) != 1 || rr.caplen != r.caplen ||
		    rr.ts_ns != r.ts_ns || memcmp(rr.data, r.data, r.caplen) != 0) {
			m->differ++;
		}
		if (k.n == 16) {
			memmove(&k.data[0], &k.data[1], 15 * sizeof(k.data[0]));
			memmove(&k.caplen[0], &k.caplen[1], 15 * sizeof(k.caplen[0]));
			memmove(&k.copy[0], &k.copy[1], 15 * sizeof(k.copy[0]));
			k.n = 15;
		}
		k.data[k.n] = r.data;
		k.caplen[k.n] = r.caplen < 256 ? r.caplen : 256;
		memcpy(k.copy[k.n], r.data, k.caplen[k.n]);
		k.n++;
	}
	CHECK(!c.damaged);
	pm_capture_close(&c);
	pm_capture_close(&ref);
}

/* pm_capture_next_moves: false only when the records handed out stay where they are. */
static void
next_moves(void)
{
	static struct buf f;
	struct moves_seen m;
	struct pm_capture c;
	struct pm_error err;
	struct pm_rec r;
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	for (int fmt = 0; fmt < 3; fmt++) {
		if (fmt == 2) {
			make_pcapng_many(&f, 24);
		} else {
			make_pcap_many(&f, fmt == 1, 320);
		}
		char path[] = "/tmp/pcapmcp-moves-XXXXXX";
		int fd = mkstemp(path);
		CHECK(fd >= 0 && write(fd, f.b, f.n) == (ssize_t)f.n);
		unlink(path);
		/* read(): tiny buffers refill often and grow for the larger records. */
		const size_t bufs[] = { 1, 7, 64, 100, 333, 1024, 4096, 1u << 16 };
		for (size_t b = 0; b < PM_ARRAY_LEN(bufs); b++) {
			walk_moves(fd, PM_IO_READ, bufs[b], f.b, f.n, &m);
			CHECK(m.records >= 120);
			CHECK_EQ(m.differ, 0);
			CHECK_EQ(m.clobbered, 0);
			CHECK_EQ(m.shifted, 0);
			CHECK_EQ(m.released, 0);
			if (bufs[b] >= 1024) {
				CHECK(m.said_false > 0);
			}
			if (bufs[b] < f.n) {
				CHECK(m.said_true > 0);
			}
		}
		/* mmap, releasing behind the walk every page: each release announced. */
		walk_moves(fd, PM_IO_MMAP, page, f.b, f.n, &m);
		CHECK_EQ(m.differ, 0);
		CHECK_EQ(m.shifted, 0);
		CHECK(m.released >= f.n / page - 1);
		CHECK_EQ(m.said_true, m.released);
		CHECK(m.said_false > 0);
		close(fd);
		/* A span in memory never moves. */
		CHECK_EQ(pm_capture_open_mem(&c, f.b, f.n, &err), 0);
		size_t said_true = 0;
		do {
			said_true += pm_capture_next_moves(&c);
		} while (pm_capture_next(&c, &r) == 1);
		CHECK_EQ(said_true, 0);
		pm_capture_close(&c);
	}
}

static void
time_conversions(void)
{
	CHECK_EQ(pm_tsresol_to_ns(1, 6), 1000);
	CHECK_EQ(pm_tsresol_to_ns(1, 9), 1);
	CHECK_EQ(pm_tsresol_to_ns(7, 0), 7000000000ll);
	CHECK_EQ(pm_tsresol_to_ns(1234567, 12), 1234);
	CHECK_EQ(pm_tsresol_to_ns(3ull << 20 | 1ull << 19, 0x94), 3500000000ll);
	CHECK_EQ(pm_tsresol_to_ns(1ull << 40, 0xA8), 1000000000ll); /* 2^-40 */
	CHECK_EQ(pm_tsresol_to_ns(UINT64_MAX, 0), INT64_MAX);       /* saturates */
	char iso[40];
	pm_time_iso(0, iso);
	CHECK_STR(iso, "1970-01-01T00:00:00.000000000Z");
	pm_time_iso(-1, iso);
	CHECK_STR(iso, "1969-12-31T23:59:59.999999999Z");
	pm_time_iso(1700000000123456789ll, iso);
	CHECK_STR(iso, "2023-11-14T22:13:20.123456789Z");
	CHECK_STR(pm_linktype_name(276), "LINUX_SLL2");
	CHECK(pm_linktype_name(65000) == NULL);
}

/*
 * The reference for pm_tsresol_to_ns, by a different road: decimal digit
 * strings. units * 10^9 is units' digits followed by nine zeros; a decimal
 * resolution 10^-e drops the last e digits; a binary one 2^-e halves the
 * string e times (schoolbook division, each halving floors, and floors of
 * floors are the floor of the whole). The result saturates by comparing
 * digit strings with INT64_MAX's.
 */
static int64_t
ref_ns(uint64_t units, uint8_t tsresol)
{
	char d[48];
	int n = snprintf(d, sizeof(d), "%llu000000000", (unsigned long long)units);
	unsigned e = tsresol & 0x7F;
	if ((tsresol & 0x80) == 0) {
		n = (int)e >= n ? 0 : n - (int)e;
	} else {
		for (unsigned k = 0; k < e; k++) {
			int rem = 0, m = 0;
			for (int i = 0; i < n; i++) {
				int v = rem * 10 + (d[i] - '0');
				rem = v % 2;
				if (m != 0 || v / 2 != 0) {
					d[m++] = (char)('0' + v / 2);
				}
			}
			n = m;
		}
	}
	d[n] = '\0';
	const char *max = "9223372036854775807";
	if (n > 19 || (n == 19 && strcmp(d, max) > 0)) {
		return INT64_MAX;
	}
	return n == 0 ? 0 : strtoll(d, NULL, 10);
}

/* Every if_tsresol byte has a meaning; unusable ones fall back to µs and warn. */
static void
tsresol_edges(void)
{
	static const unsigned exps[] = { 0, 9, 19, 20, 28, 29, 63, 64, 93, 94, 96, 127 };
	static const uint64_t units[] = { 0, 1, UINT64_MAX };
	for (size_t i = 0; i < sizeof(exps) / sizeof(exps[0]); i++) {
		for (size_t j = 0; j < sizeof(units) / sizeof(units[0]); j++) {
			CHECK_EQ(pm_tsresol_to_ns(units[j], (uint8_t)exps[i]),
			         ref_ns(units[j], (uint8_t)exps[i]));
			CHECK_EQ(pm_tsresol_to_ns(units[j], (uint8_t)(0x80 | exps[i])),
			         ref_ns(units[j], (uint8_t)(0x80 | exps[i])));
		}
	}
	/* By hand: (2^64-1) 10^9 / 2^63 = 2e9 - tiny, / 2^64 = 1e9 - tiny,
	 * / 2^93 = 1.86, / 2^94 = 0.93; 10^9 / 2^19 = 1907.3; 18446744073709551615
	 * decimal ticks at 10^-19, -20, -28, -29 s: 1844674407 ns, 184467440, 1, 0. */
	CHECK_EQ(pm_tsresol_to_ns(UINT64_MAX, 0x80 | 63), 1999999999);
	CHECK_EQ(pm_tsresol_to_ns(UINT64_MAX, 0x80 | 64), 999999999);
	CHECK_EQ(pm_tsresol_to_ns(UINT64_MAX, 0x80 | 93), 1);
	CHECK_EQ(pm_tsresol_to_ns(UINT64_MAX, 0x80 | 94), 0);
	CHECK_EQ(pm_tsresol_to_ns(UINT64_MAX, 0xFF), 0);
	CHECK_EQ(pm_tsresol_to_ns(1, 0x80 | 19), 1907);
	CHECK_EQ(pm_tsresol_to_ns(UINT64_MAX, 0x80), INT64_MAX);
	CHECK_EQ(pm_tsresol_to_ns(UINT64_MAX, 19), 1844674407);
	CHECK_EQ(pm_tsresol_to_ns(UINT64_MAX, 20), 184467440);
	CHECK_EQ(pm_tsresol_to_ns(UINT64_MAX, 28), 1);
	CHECK_EQ(pm_tsresol_to_ns(UINT64_MAX, 29), 0);
	CHECK_EQ(pm_tsresol_to_ns(UINT64_MAX, 9), INT64_MAX);
	CHECK_EQ(pm_tsresol_to_ns(1, 0), 1000000000);
	/* Every byte, at counts around the word boundaries, and usability. */
	static const uint64_t more[] = { 2, 999999999, 0xFFFFFFFFu, 1ull << 32, 1ull << 63,
		                         0x123456789ABCDEFull,
		                         /* the low word of units * 10^9 carries: */
		                         0xE6DA52468A29262Full };
	bool all = true;
	for (unsigned r = 0; r < 256; r++) {
		for (size_t j = 0; j < sizeof(more) / sizeof(more[0]); j++) {
			all &= pm_tsresol_to_ns(more[j], (uint8_t)r) == ref_ns(more[j], (uint8_t)r);
		}
		unsigned e = r & 0x7F;
		bool usable = (r & 0x80) != 0 ? e <= 93 : e <= 28;
		all &= pm_tsresol_usable((uint8_t)r) == usable;
		all &= usable == (ref_ns(UINT64_MAX, (uint8_t)r) != 0);
	}
	CHECK(all);

	/* The reader: 0xFF and 0xE0 (and decimal 29) fall back to microseconds. */
	static struct buf f;
	struct walked w;
	struct pm_capture c;
	for (int be = 0; be <= 1; be++) {
		f.n = 0;
		shb(&f, be);
		idb(&f, 1, 0, 0xFF, 0, "ff");
		idb(&f, 1, 0, 0xE0, 0, "e0");
		idb(&f, 1, 0, 0x80 | 93, 0, "dd");
		idb(&f, 1, 0, 29, 0, "d29");
		epb(&f, 0, UINT64_MAX, 43, 43);
		epb(&f, 1, 1700000000000001ull, 43, 43);
		epb(&f, 2, UINT64_MAX, 43, 43);
		epb(&f, 3, 5, 43, 43);
		CHECK_EQ(walk_mem(f.b, f.n, &w, &c), 0);
		CHECK(!w.damaged);
		CHECK_EQ(w.n, 4);
		CHECK_EQ(c.bad_tsresol, 3);
		CHECK_EQ(c.ifaces[0].tsresol, PM_TSRESOL_DEFAULT);
		CHECK_EQ(c.ifaces[0].tsresol_bad, 0xFF);
		CHECK_EQ(c.ifaces[1].tsresol, PM_TSRESOL_DEFAULT);
		CHECK_EQ(c.ifaces[1].tsresol_bad, 0xE0);
		CHECK_EQ(c.ifaces[2].tsresol, 0x80 | 93);
		CHECK_EQ(c.ifaces[2].tsresol_bad, 0);
		CHECK_EQ(c.ifaces[3].tsresol_bad, 29);
		CHECK_EQ(w.r[0].ts_ns, INT64_MAX); /* 2^64-1 µs saturates */
		CHECK_EQ(w.r[1].ts_ns, 1700000000000001000ll);
		CHECK_EQ(w.r[2].ts_ns, 1);
		CHECK_EQ(w.r[3].ts_ns, 5000);
		pm_capture_close(&c);
	}
	/* The fuzz corpus inputs that caught the shift (issue 15). */
	static const struct {
		const char *path;
		uint8_t bad;
		int64_t ts_ns;
	} found[] = {
		{ "fuzz/corpus/capture/ubsan-tsresol-ff-shift-by-95.pcapng", 0xFF, INT64_MAX },
		{ "fuzz/corpus/capture/ubsan-tsresol-e0-shift-by-64.pcapng", 0xE0,
		  1700000000123456000ll },
		/* libFuzzer's, minimized: loopback-http.pcapng with if_tsresol 0xF8 */
		{ "fuzz/corpus/capture/ubsan-tsresol-f8-shift-by-88-min.pcapng", 0xF8, INT64_MAX },
	};
	for (size_t i = 0; i < sizeof(found) / sizeof(found[0]); i++) {
		struct pm_error err;
		struct pm_rec r;
		CHECK_EQ(pm_capture_open_file(&c, found[i].path, PM_IO_READ, &err), 0);
		CHECK_EQ(pm_capture_next(&c, &r), 1);
		CHECK_EQ(r.ts_ns, found[i].ts_ns);
		CHECK_EQ(pm_capture_next(&c, &r), 0); /* the minimized one ends damaged */
		CHECK_EQ(c.bad_tsresol, 1);
		CHECK_EQ(c.ifaces[0].tsresol_bad, found[i].bad);
		pm_capture_close(&c);
	}
}

void
test_capture(void)
{
	pcap_variants();
	pcap_damage();
	pcapng_blocks();
	pcapng_sections();
	pcapng_damage();
	truncation_sweep();
	sources();
	next_moves();
	time_conversions();
	tsresol_edges();
}

/* SPDX-License-Identifier: MIT */
/*
 * capture.c - opens a byte source (source.c), picks the format walker from a
 * table of magic numbers and dispatches each record to it; link-type and
 * format names.
 *
 * The walkers (pcap.c, pcapng.c) read through the source and never call back
 * up here. An unknown magic is named in the error, with a guess at what the
 * file is when it is a well-known non-capture.
 */
#include "capture.h"

#include <errno.h>
#include <string.h>

#include "cursor.h"
#include "pcap.h"
#include "pcapng.h"

/*
 * The magics, read as a big-endian 32-bit number from the first 4 bytes. A
 * classic pcap magic also gives the file's byte order: a1b2c3d4 read
 * big-endian means the writer was big-endian. pcapng's block type reads the
 * same in both orders; each SHB's byte-order magic decides.
 */
static const struct magic {
	uint32_t be32;         /* the first 4 bytes, big-endian */
	enum pm_format format; /* what they announce */
	bool big_endian;       /* pcap: the file's byte order; pcapng: unused */
	int (*open)(struct pm_capture *c, struct pm_error *err);
	int (*next)(struct pm_capture *c, struct pm_rec *r);
	size_t (*peek)(const struct pm_capture *c);
} magics[] = {
	{ 0xA1B2C3D4, PM_FMT_PCAP, true, pm_pcap_open, pm_pcap_next, pm_pcap_peek },
	{ 0xD4C3B2A1, PM_FMT_PCAP, false, pm_pcap_open, pm_pcap_next, pm_pcap_peek },
	{ 0xA1B23C4D, PM_FMT_PCAP_NSEC, true, pm_pcap_open, pm_pcap_next, pm_pcap_peek },
	{ 0x4D3CB2A1, PM_FMT_PCAP_NSEC, false, pm_pcap_open, pm_pcap_next, pm_pcap_peek },
	{ 0xA1B2CD34, PM_FMT_PCAP_MODIFIED, true, pm_pcap_open, pm_pcap_next, pm_pcap_peek },
	{ 0x34CDB2A1, PM_FMT_PCAP_MODIFIED, false, pm_pcap_open, pm_pcap_next, pm_pcap_peek },
	{ 0x0A0D0D0A, PM_FMT_PCAPNG, false, pm_pcapng_open, pm_pcapng_next, pm_pcapng_peek },
};

/* Names of well-known non-capture files, for a helpful error. */
static const char *
guess_magic(const uint8_t *p, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *what;
	} known[] = {
		{ "\x1f\x8b", 2, "gzip-compressed data (gunzip it first)" },
		{ "\x28\xb5\x2f\xfd", 4, "zstd-compressed data (unzstd it first)" },
		{ "\xfd"
		  "7zXZ",
		  5, "xz-compressed data (unxz it first)" },
		{ "PK\x03\x04", 4, "a zip archive" },
		{ "snoop\0\0\0", 8, "a Solaris snoop capture (convert it with editcap)" },
		{ "\x7f"
		  "ELF",
		  4, "an ELF executable" },
		{ "%PDF", 4, "a PDF document" },
		{ "{", 1, "JSON or text" },
		{ "<", 1, "XML or HTML" },
	};
	for (size_t i = 0; i < PM_ARRAY_LEN(known); i++) {
		if (n >= known[i].len && memcmp(p, known[i].magic, known[i].len) == 0) {
			return known[i].what;
		}
	}
	return NULL;
}

/* The source is open: look the magic up and let its walker read the file header. */
static int
detect(struct pm_capture *c, struct pm_error *err)
{
	struct pm_source *s = &c->src;
	c->file_size = s->file_size;
	c->io = s->io;
	if (!pm_source_want(s, 4)) {
		if (s->io_errno != 0) {
			return pm_error_set(err, PM_E_IO, 0, "read: %s", strerror(s->io_errno));
		}
		return pm_error_set(
		    err, PM_E_UNSUPPORTED, 0,
		    "not a capture: file is %zu bytes, too short for a magic number", s->win_len);
	}
	struct pm_cur cur = pm_cur_init(s->win, 4);
	uint32_t be = pm_cur_be32(&cur);
	for (size_t i = 0; i < PM_ARRAY_LEN(magics); i++) {
		if (magics[i].be32 == be) {
			c->format = magics[i].format;
			c->big_endian = magics[i].big_endian;
			c->next = magics[i].next;
			c->peek = magics[i].peek;
			return magics[i].open(c, err);
		}
	}
	const uint8_t *p = s->win;
	const char *what = guess_magic(p, s->win_len);
	return pm_error_set(err, PM_E_UNSUPPORTED, 0,
	                    "not a pcap or pcapng capture: magic bytes %02x %02x %02x %02x%s%s",
	                    p[0], p[1], p[2], p[3], what != NULL ? ", looks like " : "",
	                    what != NULL ? what : "");
}

static void
init(struct pm_capture *c)
{
	memset(c, 0, sizeof(*c));
	pm_source_init(&c->src);
	pm_arena_init(&c->arena, 64u << 20);
}

/* Detect the format over the open source; close the capture on failure. */
static int
open_detect(struct pm_capture *c, int rc, struct pm_error *err)
{
	if (rc == 0) {
		rc = detect(c, err);
	}
	if (rc != 0) {
		pm_capture_close(c);
	}
	return rc;
}

/* see capture.h */
int
pm_capture_open_mem(struct pm_capture *c, const uint8_t *p, size_t n, struct pm_error *err)
{
	init(c);
	pm_source_open_mem(&c->src, p, n);
	return open_detect(c, 0, err);
}

/* see capture.h */
int
pm_capture_open_source(struct pm_capture *c, const struct pm_source *src, struct pm_error *err)
{
	init(c);
	c->src = *src;
	return open_detect(c, 0, err);
}

/* see capture.h */
int
pm_capture_open_file(struct pm_capture *c, const char *path, enum pm_io io, struct pm_error *err)
{
	init(c);
	return open_detect(c, pm_source_open_file(&c->src, path, io, NULL, err), err);
}

/* see capture.h */
int
pm_capture_open_fd(struct pm_capture *c, int fd, const char *name, enum pm_io io,
                   struct pm_error *err)
{
	init(c);
	return open_detect(c, pm_source_open_fd(&c->src, fd, name, io, NULL, err), err);
}

/* see capture.h */
int
pm_capture_next(struct pm_capture *c, struct pm_rec *r)
{
	struct pm_source *s = &c->src;
	if (s->done) {
		return 0;
	}
	pm_source_step(s);
	int rc = c->next(c, r);
	c->bytes_read = s->win_base + s->off;
	if (rc != 0) {
		return rc;
	}
	if (s->damaged) {
		c->damaged = true;
		c->damage = s->damage;
	}
	if (s->io_errno != 0) {
		s->done = true;
		return s->io_errno == ENOMEM ? PM_E_NOMEM : PM_E_IO;
	}
	return 0;
}

/* see capture.h */
bool
pm_capture_next_moves_peek(const struct pm_capture *c)
{
	if (c->src.done) {
		return false;
	}
	return pm_source_moves(&c->src, c->peek(c));
}

/* see capture.h */
void
pm_capture_release_source(struct pm_capture *c)
{
	pm_source_close(&c->src);
}

/* see capture.h */
void
pm_capture_close(struct pm_capture *c)
{
	pm_capture_release_source(c);
	pm_arena_free(&c->arena);
	c->ifaces = NULL;
	c->n_ifaces = 0;
	c->sections = NULL;
	c->n_sections = 0;
	c->nrb = NULL;
	c->n_nrb = 0;
}

/* see capture.h */
const char *
pm_format_name(enum pm_format f)
{
	switch (f) {
	case PM_FMT_PCAP:
		return "pcap";
	case PM_FMT_PCAP_NSEC:
		return "pcap-nsec";
	case PM_FMT_PCAP_MODIFIED:
		return "pcap-modified";
	case PM_FMT_PCAPNG:
		return "pcapng";
	}
	return "unknown";
}

static const struct {
	uint32_t linktype;
	const char *name;
	const char *desc;
} linktypes[] = {
	{ 0, "NULL", "BSD loopback" },
	{ 1, "EN10MB", "Ethernet" },
	{ 6, "IEEE802", "Token Ring" },
	{ 8, "SLIP", "SLIP" },
	{ 9, "PPP", "PPP" },
	{ 10, "FDDI", "FDDI" },
	{ 12, "RAW", "Raw IP" },
	{ 14, "RAW", "Raw IP" },
	{ 101, "RAW", "Raw IP" },
	{ 104, "C_HDLC", "Cisco HDLC" },
	{ 105, "IEEE802_11", "IEEE 802.11 Wireless LAN" },
	{ 108, "LOOP", "OpenBSD loopback" },
	{ 113, "LINUX_SLL", "Linux cooked-mode capture v1" },
	{ 119, "PRISM_HEADER", "IEEE 802.11 plus Prism header" },
	{ 127, "IEEE802_11_RADIOTAP", "IEEE 802.11 plus radiotap header" },
	{ 143, "DOCSIS", "DOCSIS" },
	{ 147, "USER0", "User 0" },
	{ 187, "BLUETOOTH_HCI_H4", "Bluetooth H4" },
	{ 195, "IEEE802_15_4_WITHFCS", "IEEE 802.15.4" },
	{ 220, "USB_LINUX_MMAPPED", "USB packets with Linux header" },
	{ 227, "CAN_SOCKETCAN", "SocketCAN" },
	{ 228, "IPV4", "Raw IPv4" },
	{ 229, "IPV6", "Raw IPv6" },
	{ 239, "NFLOG", "Linux netfilter log" },
	{ 249, "NETANALYZER", "netANALYZER" },
	{ 252, "WIRESHARK_UPPER_PDU", "Wireshark upper PDU export" },
	{ 276, "LINUX_SLL2", "Linux cooked-mode capture v2" },
};

/* see capture.h */
const char *
pm_linktype_name(uint32_t linktype)
{
	for (size_t i = 0; i < PM_ARRAY_LEN(linktypes); i++) {
		if (linktypes[i].linktype == linktype) {
			return linktypes[i].name;
		}
	}
	return NULL;
}

/* see capture.h */
const char *
pm_linktype_desc(uint32_t linktype)
{
	for (size_t i = 0; i < PM_ARRAY_LEN(linktypes); i++) {
		if (linktypes[i].linktype == linktype) {
			return linktypes[i].desc;
		}
	}
	return NULL;
}

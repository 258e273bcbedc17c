/* SPDX-License-Identifier: MIT */
/*
 * capture.h - PCAP and PCAPNG readers over one record-walking core.
 *
 * A capture is walked record by record over a byte window (source.h). Two
 * sources feed the window: the whole file mapped with mmap
 * (pm_capture_open_file with PM_IO_MMAP), or read() into a large buffer that
 * is refilled as the walk advances (PM_IO_READ; also pipes and "-" for
 * stdin). pm_capture_open_mem walks a caller's span directly (tests,
 * fuzzing). All give identical records. capture.c opens the source and picks
 * the format walker (pcap.h, pcapng.h) from a table of magic numbers; the
 * walkers fill the metadata declared in capmeta.h.
 *
 * Formats: classic pcap (µs and ns magics, both byte orders, the 24-byte-record
 * "modified" variant), and pcapng (draft-ietf-opsawg-pcapng: SHB in both byte
 * orders and many sections, IDB, EPB, SPB, obsolete PB, NRB, ISB, DSB, custom
 * and unknown blocks skipped by length).
 *
 * Damage never loses what was read: the walk ends at the first record that
 * cannot be trusted, and `damaged`/`damage` say where and why. The reader
 * does not decode packets (see decode.h).
 */
#ifndef PM_CAPTURE_H
#define PM_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "capmeta.h" /* struct pm_iface, pm_section, pm_nrb_entry, pm_block_counts */
#include "pm.h"
#include "source.h" /* enum pm_io, struct pm_source */

enum pm_format {
	PM_FMT_PCAP = 1,      /* a1b2c3d4: microsecond timestamps */
	PM_FMT_PCAP_NSEC,     /* a1b23c4d: nanosecond timestamps */
	PM_FMT_PCAP_MODIFIED, /* a1b2cd34: Kuznetzov's 24-byte record headers */
	PM_FMT_PCAPNG,
};

/* One record handed to the caller. */
struct pm_rec {
	int64_t ts_ns;       /* nanoseconds since the Unix epoch (UTC) */
	const uint8_t *data; /* caplen bytes; see pm_capture_next_moves for how long */
	uint32_t caplen;     /* bytes captured */
	uint32_t len;        /* bytes on the wire */
	uint32_t iface;      /* index into pm_capture.ifaces */
	uint32_t linktype;   /* copy of ifaces[iface].linktype */
	bool has_ts;         /* false for pcapng Simple Packet Blocks, which carry no time */
};

struct pm_capture {
	/* public, read-only */
	enum pm_format format;
	bool big_endian;               /* byte order of the file header (first section) */
	uint16_t ver_major, ver_minor; /* pcap header or first SHB */
	uint64_t file_size;            /* bytes, 0 when unknown (pipe, stdin) */
	uint64_t bytes_read;           /* bytes of the file consumed by the walk so far */
	enum pm_io io;                 /* the source in use */
	struct pm_iface *ifaces;       /* n_ifaces entries; arena-owned */
	size_t n_ifaces;
	struct pm_section *sections; /* n_sections entries; arena-owned */
	size_t n_sections;
	struct pm_nrb_entry *nrb; /* n_nrb entries; arena-owned */
	size_t n_nrb;
	uint64_t nrb_dropped; /* records past PM_MAX_NRB */
	uint64_t bad_tsresol; /* interfaces whose if_tsresol was unusable (pm_tsresol_usable) */
	struct pm_block_counts blocks;
	bool damaged;           /* the walk ended early; see damage */
	struct pm_error damage; /* code, file offset and reason when damaged */
	uint32_t pcap_fcs_bits; /* pcap header: bits 26-31 of the link-type field */

	/* private: */
	struct pm_source src; /* the bytes; the walkers read through it */
	int (*next)(struct pm_capture *c, struct pm_rec *r); /* the format's walker */
	size_t (*peek)(const struct pm_capture *c);          /* bytes its next call reads */
	struct pm_arena arena;
	size_t ifaces_cap, sections_cap, nrb_cap;
	uint32_t rec_hdr_len; /* pcap: 16, or 24 for the modified format */
	size_t rec_max;   /* pcap: bytes of the largest record the walk accepts, header included */
	uint32_t tick_ns; /* pcap: ns per sub-second unit (1000 or 1) */
	bool sect_big_endian; /* pcapng: byte order of the current section */
};

/*
 * Open the capture at path ("-" reads stdin) with the given source. The
 * format is decided by the magic bytes, never the file name. On failure
 * returns PM_E_IO (open/stat/mmap/read), PM_E_UNSUPPORTED (not a capture:
 * err->msg names the magic found) or PM_E_TRUNC/PM_E_MALFORMED (bad file
 * header), and the capture needs no close.
 */
PM_MUST_CHECK int pm_capture_open_file(struct pm_capture *c, const char *path, enum pm_io io,
                                       struct pm_error *err);

/*
 * Open the capture on fd, already open for reading at offset 0 (the sandbox
 * opens and checks it, so the file read is the file checked). The capture
 * does not close fd. name is used in messages only. As above.
 */
PM_MUST_CHECK int pm_capture_open_fd(struct pm_capture *c, int fd, const char *name, enum pm_io io,
                                     struct pm_error *err);

/* Open a capture over n bytes at p, which must outlive the capture. As above. */
PM_MUST_CHECK int pm_capture_open_mem(struct pm_capture *c, const uint8_t *p, size_t n,
                                      struct pm_error *err);

/*
 * Open a capture over a source the caller opened with pm_source_open_* (to
 * choose its sizes, as tests do). The capture takes the source over, also
 * on failure; *src must not be used or closed afterwards. As above.
 */
PM_MUST_CHECK int pm_capture_open_source(struct pm_capture *c, const struct pm_source *src,
                                         struct pm_error *err);

/*
 * Read the next record into *r. Returns 1 for a record, 0 at the end of the
 * capture (check c->damaged: the walk may have ended at damage), or PM_E_IO /
 * PM_E_NOMEM when the source or memory failed.
 */
PM_MUST_CHECK int pm_capture_next(struct pm_capture *c, struct pm_rec *r);

/*
 * Whether the next pm_capture_next may invalidate the bytes of records it
 * returned earlier.
 *
 * A record's data is valid at least until the next pm_capture_next. When
 * this returns false, that next call neither moves nor releases any byte of
 * the window, so the data of every record returned since it last returned
 * true (or since the open) stays valid through the call as well. True means
 * the call may move them: the read() source will refill (moving the unread
 * tail to the front of its buffer, or growing the buffer) because the next
 * record, or a pcapng block before it, is not wholly in the window; or the
 * mmap source will release the pages behind the walk (once every
 * PM_RELEASE_STEP bytes). A caller that keeps pointers into the last few
 * records (a prefetch queue) finishes with them before that call.
 *
 * Always false over pm_capture_open_mem, once the whole input is in the
 * window, and once the walk has ended. It errs only towards true (at the
 * very end of a read() input, or before a block that ends the walk as
 * damage). Cheap: it peeks at the next record header in the window (pcapng:
 * at the block headers up to the next packet block) and changes nothing.
 */
/* private: the full answer behind pm_capture_next_moves, peeking at the next record. */
bool pm_capture_next_moves_peek(const struct pm_capture *c);

static inline bool
pm_capture_next_moves(const struct pm_capture *c)
{
	const struct pm_source *s = &c->src;
	/* Most calls: a pcap window with room for the largest record the walk accepts. */
	if (s->map == NULL && c->rec_max != 0 && s->win_len - s->off >= c->rec_max) {
		return false;
	}
	return pm_capture_next_moves_peek(c);
}

/*
 * Close the file and free the window, keeping the metadata (interfaces,
 * sections, NRB entries, damage) readable until pm_capture_close.
 */
void pm_capture_release_source(struct pm_capture *c);

/* Release everything; records and strings from this capture become invalid. */
void pm_capture_close(struct pm_capture *c);

/* Name of a LINKTYPE_* number ("EN10MB", ...), or NULL when unknown. */
const char *pm_linktype_name(uint32_t linktype);

/* Short description of a LINKTYPE_* ("Ethernet", ...), or NULL when unknown. */
const char *pm_linktype_desc(uint32_t linktype);

/* "pcap", "pcap-nsec", "pcap-modified" or "pcapng". */
const char *pm_format_name(enum pm_format f);

#endif /* PM_CAPTURE_H */

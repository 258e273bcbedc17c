/* SPDX-License-Identifier: MIT */
/*
 * capture.h - PCAP and PCAPNG readers over one record-walking core.
 *
 * A capture is walked record by record over a byte window. Two sources feed
 * the window: the whole file mapped with mmap (pm_capture_open_file with
 * PM_IO_MMAP), or read() into a large buffer that is refilled as the walk
 * advances (PM_IO_READ; also pipes and "-" for stdin). pm_capture_open_mem
 * walks a caller's span directly (tests, fuzzing). All give identical records.
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
#include "pm.h"

enum pm_io {
	PM_IO_DEFAULT = 0, /* the faster source as measured in bench/ (read) */
	PM_IO_MMAP,
	PM_IO_READ,
};

enum pm_format {
	PM_FMT_PCAP = 1,      /* a1b2c3d4: microsecond timestamps */
	PM_FMT_PCAP_NSEC,     /* a1b23c4d: nanosecond timestamps */
	PM_FMT_PCAP_MODIFIED, /* a1b2cd34: Kuznetzov's 24-byte record headers */
	PM_FMT_PCAPNG,
};

/* ISB option bits in pm_iface.isb_present. */
#define PM_ISB_STARTTIME    (1u << 0)
#define PM_ISB_ENDTIME      (1u << 1)
#define PM_ISB_IFRECV       (1u << 2)
#define PM_ISB_IFDROP       (1u << 3)
#define PM_ISB_FILTERACCEPT (1u << 4)
#define PM_ISB_OSDROP       (1u << 5)
#define PM_ISB_USRDELIV     (1u << 6)

/* One capture interface: the pcap file header, or one pcapng IDB. */
struct pm_iface {
	uint32_t linktype;        /* LINKTYPE_* number (pcap: low 16 bits of the header field) */
	uint32_t snaplen;         /* bytes; 0 = no limit */
	uint8_t tsresol;          /* pcapng if_tsresol byte: bit 7 = power of 2, else power of 10 */
	uint8_t tsresol_bad;      /* unusable if_tsresol byte, replaced by the default; 0 none */
	int64_t tsoffset_s;       /* if_tsoffset, seconds added to every timestamp */
	int fcslen;               /* FCS bytes at the end of each frame; -1 unknown */
	uint32_t section;         /* index into pm_capture.sections */
	const char *name;         /* if_name, NUL-terminated, or NULL; arena-owned */
	const char *description;  /* if_description or NULL; arena-owned */
	uint64_t packets;         /* records read for this interface */
	uint32_t isb_count;       /* ISBs seen; the last one's values are kept */
	uint32_t isb_present;     /* PM_ISB_* bits present in the last ISB */
	int64_t isb_starttime_ns; /* ns since the epoch */
	int64_t isb_endtime_ns;   /* ns since the epoch */
	uint64_t isb_ifrecv;      /* packets received by the interface */
	uint64_t isb_ifdrop;      /* packets dropped by the interface */
	uint64_t isb_filteraccept; /* packets accepted by the capture filter */
	uint64_t isb_osdrop;       /* packets dropped by the OS */
	uint64_t isb_usrdeliv;     /* packets delivered to the user */
};

/* One pcapng section (one SHB); a classic pcap file has one. */
struct pm_section {
	bool big_endian;       /* byte order of this section */
	uint16_t major, minor; /* format version */
	int64_t length;        /* section length from the SHB; -1 = unspecified */
	uint32_t first_iface;  /* index of its first interface in pm_capture.ifaces */
	uint32_t n_ifaces;     /* interfaces defined in this section */
	const char *hardware;  /* shb_hardware or NULL; arena-owned */
	const char *os;        /* shb_os or NULL; arena-owned */
	const char *userappl;  /* shb_userappl or NULL; arena-owned */
};

/* One address-to-name record from a pcapng NRB. */
struct pm_nrb_entry {
	uint8_t family;   /* 4 or 6 */
	uint8_t addr[16]; /* network order; IPv4 uses the first 4 bytes */
	const char *name; /* first name of the record; arena-owned */
};

/* One record handed to the caller. */
struct pm_rec {
	int64_t ts_ns;       /* nanoseconds since the Unix epoch (UTC) */
	const uint8_t *data; /* caplen bytes; valid until the next pm_capture_next */
	uint32_t caplen;     /* bytes captured */
	uint32_t len;        /* bytes on the wire */
	uint32_t iface;      /* index into pm_capture.ifaces */
	uint32_t linktype;   /* copy of ifaces[iface].linktype */
	bool has_ts;         /* false for pcapng Simple Packet Blocks, which carry no time */
};

/* Counts of the pcapng block types seen, for `info`. */
struct pm_block_counts {
	uint64_t shb, idb, epb, spb, pb, nrb, isb, dsb, custom, unknown;
	uint32_t dsb_types[4]; /* first distinct DSB secrets types, 0 = unused */
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
	struct pm_arena arena;
	int fd;       /* read source, or -1 */
	bool own_fd;  /* close fd in pm_capture_close */
	uint8_t *map; /* mmap source, or NULL */
	size_t map_len;
	size_t advised; /* mmap: bytes behind the walk already released */
	uint8_t *buf;   /* read source buffer; owned */
	size_t buf_cap;
	const uint8_t *win; /* current window onto the file */
	size_t win_len;     /* bytes in the window */
	size_t off;         /* walk position inside the window */
	uint64_t win_base;  /* file offset of win[0] */
	bool eof;           /* nothing more will arrive beyond the window */
	bool done;          /* the walk has ended */
	size_t need;        /* bytes from off the walker needs next */
	size_t ifaces_cap, sections_cap, nrb_cap;
	uint32_t rec_hdr_len; /* pcap: 16, or 24 for the modified format */
	uint32_t tick_ns;     /* pcap: ns per sub-second unit (1000 or 1) */
	bool sect_big_endian; /* pcapng: byte order of the current section */
	int io_errno;         /* errno of a failed read(), or 0 */
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
 * Read the next record into *r. Returns 1 for a record, 0 at the end of the
 * capture (check c->damaged: the walk may have ended at damage), or PM_E_IO /
 * PM_E_NOMEM when the source or memory failed.
 */
PM_MUST_CHECK int pm_capture_next(struct pm_capture *c, struct pm_rec *r);

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

/*
 * A pcapng if_tsresol byte: bit 7 set means ticks of 2^-e seconds, clear
 * 10^-e seconds, with e the low 7 bits (0..127). Returns the time of `units`
 * ticks in nanoseconds, exactly floor(units * 10^9 * resolution), saturating
 * at INT64_MAX; defined for every byte and every count.
 */
int64_t pm_tsresol_to_ns(uint64_t units, uint8_t tsresol);

/*
 * Whether a resolution can express a time at all: false when even the
 * largest 64-bit count is under one nanosecond, that is binary exponents
 * 94..127 (2^64 ticks of 2^-94 s = 0.93 ns) and decimal exponents 29..127
 * (1.8e19 ticks of 1e-29 s = 0.18 ns). The pcapng reader treats such an
 * if_tsresol as a malformed option: the interface keeps PM_TSRESOL_DEFAULT
 * (what pcapng specifies when the option is absent), the byte is kept in
 * pm_iface.tsresol_bad, the interface is counted in pm_capture.bad_tsresol,
 * and `info` warns (code bad_tsresol).
 */
bool pm_tsresol_usable(uint8_t tsresol);

#define PM_TSRESOL_DEFAULT 6 /* microseconds: pcapng's if_tsresol when absent */

/* Write ts_ns as ISO-8601 UTC with nanoseconds ("2024-01-02T03:04:05.123456789Z"). */
void pm_time_iso(int64_t ts_ns, char out[40]);

/*
 * private: the window and the format walkers, shared by capture.c, pcap.c and
 * pcapng.c. Not for callers.
 *
 * pm_capture_want returns true when n bytes are available at win + off,
 * refilling the read() buffer if needed; false at the end of the input (or
 * on a read error, which sets io_errno). It may move the window, so pointers
 * into it are taken only after the call. pm_capture_damage ends the walk and
 * records why, at file offset win_base + at; it returns 0.
 */
bool pm_capture_want(struct pm_capture *c, size_t n);
int pm_capture_damage(struct pm_capture *c, int code, size_t at, const char *fmt, ...)
    PM_PRINTF(4, 5);
struct pm_iface *pm_capture_add_iface(struct pm_capture *c);
int pm_pcap_open(struct pm_capture *c, struct pm_error *err);
int pm_pcap_next(struct pm_capture *c, struct pm_rec *r);
int pm_pcapng_open(struct pm_capture *c, struct pm_error *err);
int pm_pcapng_next(struct pm_capture *c, struct pm_rec *r);

#endif /* PM_CAPTURE_H */

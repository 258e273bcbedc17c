/* SPDX-License-Identifier: MIT */
/*
 * capmeta.h - what the format walkers learn about a capture besides its
 * records: interfaces, sections, name-resolution entries and block counts.
 *
 * The structs are the capture's public metadata (struct pm_capture holds the
 * arrays). The functions append to those arrays in the capture's arena,
 * doubling them and keeping the named caps, for pcap.c and pcapng.c; they
 * read no wire bytes. pm_tsresol_to_ns converts interface time units.
 */
#ifndef PM_CAPMETA_H
#define PM_CAPMETA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pm_capture;

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

/* Counts of the pcapng block types seen, for `info`. */
struct pm_block_counts {
	uint64_t shb, idb, epb, spb, pb, nrb, isb, dsb, custom, unknown;
	uint32_t dsb_types[4]; /* first distinct DSB secrets types, 0 = unused */
};

/*
 * Append an interface to c->ifaces with the defaults (tsresol 6, fcslen -1,
 * the rest zero). Returns it, or NULL past PM_MAX_IFACES or out of memory.
 * The pointer is valid until the next append (the array may move).
 */
struct pm_iface *pm_capmeta_add_iface(struct pm_capture *c);

/* Append a zeroed section to c->sections. Returns it, or NULL out of memory. As above. */
struct pm_section *pm_capmeta_add_section(struct pm_capture *c);

/*
 * Append the name-resolution entry (family 4 or 6, alen address bytes at
 * addr, the first len bytes of name, capped at PM_MAX_NAME) to c->nrb.
 * Past PM_MAX_NRB or out of memory the entry is counted in c->nrb_dropped.
 */
void pm_capmeta_add_nrb(struct pm_capture *c, uint8_t family, const uint8_t *addr, size_t alen,
                        const char *name, size_t len);

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

#endif /* PM_CAPMETA_H */

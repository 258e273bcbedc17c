/* SPDX-License-Identifier: MIT */
/*
 * info.h - capinfos-style facts about a capture: the `info` verb and the
 * `analyze_capinfos` tool.
 *
 * pm_info_observe counts every record in the one pass; pm_info_emit writes
 * the JSON object, keeping mcpcap's analyze_capinfos keys (filename,
 * file_size_bytes, packet_count, ...) and adding the rest under clear names.
 * First and last packet times are the earliest and latest timestamps, as
 * capinfos reports them; out-of-order records are counted.
 */
#ifndef PM_INFO_H
#define PM_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pm_json;
struct pm_capture;
struct pm_rec;
struct pm_decode_stats;

#define PM_INFO_MAX_IFACES_OUT 64 /* interfaces listed; the rest are counted */
#define PM_INFO_MAX_NRB_OUT    50 /* NRB entries listed; the rest are counted */

struct pm_info {
	uint64_t packets;        /* records */
	uint64_t bytes_captured; /* sum of captured lengths */
	uint64_t bytes_wire;     /* sum of on-wire lengths */
	uint64_t truncated;      /* records with caplen < len (snaplen cut them) */
	uint64_t no_ts;          /* records without a timestamp (pcapng SPB) */
	uint64_t out_of_order;   /* records older than the one before */
	uint32_t caplen_max;     /* largest captured length */
	bool has_ts;             /* at least one record had a timestamp */
	int64_t ts_min, ts_max;  /* ns since the epoch, over records with timestamps */
	int64_t ts_prev;         /* the previous record's timestamp */
};

/* Figures derived from the counts, shared by the JSON and the table. */
struct pm_info_rates {
	double duration_s;  /* latest minus earliest timestamp, seconds */
	double bytes_per_s; /* captured bytes per second; 0 when duration is 0 */
	double bits_per_s;
	double packets_per_s;
	double avg_packet_bytes; /* captured bytes per packet */
};

void pm_info_rates(const struct pm_info *st, struct pm_info_rates *out);

/* Name of the file's encapsulation: the one link type's description, or "Per packet". */
const char *pm_info_encapsulation(const struct pm_capture *c);

/* Write an interface's timestamp resolution ("microseconds", "2^-20 s", ...) into out. */
void pm_info_tsresol(uint8_t tsresol, char *out, size_t n);

/*
 * The bad_tsresol warning's message ("1 interface (first: 0) with
 * if_tsresol 0xff, ...") into out when c has interfaces with an unusable if_tsresol
 * (see pm_tsresol_usable); returns false, writing nothing, when it has none.
 */
bool pm_info_tsresol_warning(const struct pm_capture *c, char *out, size_t n);

/* Count one record. */
void pm_info_observe(struct pm_info *st, const struct pm_rec *r);

/*
 * Write the analyze_capinfos members (not the enclosing braces) for the
 * capture at path whose pass produced st, the reader state c and decoder
 * counters d.
 */
void pm_info_emit(struct pm_json *w, const struct pm_info *st, const struct pm_capture *c,
                  const struct pm_decode_stats *d, const char *path);

#endif /* PM_INFO_H */

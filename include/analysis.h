/* SPDX-License-Identifier: MIT */
/*
 * analysis.h - one pass over a capture: read, decode, and let every
 * analyser observe each packet. The result outlives the file: the source is
 * released after the pass and only aggregates remain.
 */
#ifndef PM_ANALYSIS_H
#define PM_ANALYSIS_H

#include <stdbool.h>
#include <stdint.h>

#include "capture.h"
#include "decode.h"
#include "flow.h"
#include "info.h"
#include "pm.h"
#include "scan.h"

#define PM_DEFAULT_MAX_TABLE_BYTES (512u << 20) /* per table, see PCAPMCP_MAX_TABLE_MB */

/* Settings for one pass. */
struct pm_analysis_opts {
	enum pm_io io;          /* byte source */
	size_t max_table_bytes; /* cap per hash table; 0 = PM_DEFAULT_MAX_TABLE_BYTES */
	bool info_only;         /* capinfos facts and decoder counters only: no analysers */
	size_t timeline_slots;  /* fine timeline buckets; 0 = PM_TIMELINE_SLOTS (fewer: fuzzing) */
	/* Called every PM_PROGRESS_EVERY records with bytes read and the file size (0 if unknown). */
	void (*progress)(void *opaque, uint64_t done, uint64_t total);
	void *opaque;         /* passed to progress */
	volatile int *cancel; /* non-zero: stop the pass and fail with PM_E_LIMIT */
};

#define PM_PROGRESS_EVERY 65536 /* records between progress calls and cancel checks */

/*
 * The result of one pass. Analysers keep their state here; adding one means
 * a member below and a row in the analyser list in analysis.c.
 */
struct pm_analysis {
	char path[4096];            /* the capture analysed, as given */
	struct pm_capture cap;      /* reader metadata (interfaces, sections, NRB, damage) */
	struct pm_decode_stats dec; /* decoder counters */
	struct pm_info info;        /* capinfos facts */
	struct pm_flows flows;      /* flows, hosts, ports, timeline */
	struct pm_scan scan;        /* port-scan probes, built from the flows at finish */
};

/*
 * Run one pass over the capture at path with the settings in o (NULL: defaults). Returns 0 (the
 * capture may still be damaged: check a->cap.damaged) or a negative pm_err
 * with *err filled when the file cannot be opened or read. On success the
 * caller frees the result with pm_analysis_free.
 */
PM_MUST_CHECK int pm_analysis_run(struct pm_analysis *a, const char *path,
                                  const struct pm_analysis_opts *o, struct pm_error *err);

/* The same over fd, open at offset 0 and not closed here; path names it in the result. */
PM_MUST_CHECK int pm_analysis_run_fd(struct pm_analysis *a, int fd, const char *path,
                                     const struct pm_analysis_opts *o, struct pm_error *err);

/* The same over n bytes in memory (tests, fuzzing); o may be NULL for defaults. */
PM_MUST_CHECK int pm_analysis_run_mem(struct pm_analysis *a, const uint8_t *p, size_t n,
                                      const struct pm_analysis_opts *o, struct pm_error *err);

void pm_analysis_free(struct pm_analysis *a);

/* Parse "mmap", "read" or "default"; returns false when unknown. */
bool pm_io_parse(const char *s, enum pm_io *io);

#endif /* PM_ANALYSIS_H */

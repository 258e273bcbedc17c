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

#include "analysers.h"
#include "capture.h"
#include "decode.h"
#include "pm.h"

#define PM_DEFAULT_MAX_TABLE_BYTES (512u << 20) /* per table, see PCAPMCP_MAX_TABLE_MB */

/* Settings for one pass. */
struct pm_analysis_opts {
	enum pm_io io;          /* byte source */
	size_t max_table_bytes; /* cap per hash table; 0 = PM_DEFAULT_MAX_TABLE_BYTES */
	bool info_only;         /* capinfos facts and decoder counters only: PM_AN_BIT(INFO) */
	uint32_t analysers;     /* PM_AN_BIT(...) set to run; 0 = all (their `after` are added) */
	size_t timeline_slots;  /* fine timeline buckets; 0 = PM_TIMELINE_SLOTS (fewer: fuzzing) */
	uint32_t reasm_window;  /* TCP reassembly bytes per direction; 0 = PM_REASM_WINDOW */
	size_t reasm_max_bytes; /* cap of each analyser's reassembly pool; 0 = PM_REASM_POOL_MAX */
	/* Called every PM_PROGRESS_EVERY records with bytes read and the file size (0 if unknown). */
	void (*progress)(void *opaque, uint64_t done, uint64_t total);
	void *opaque;         /* passed to progress */
	volatile int *cancel; /* non-zero: stop the pass and fail with PM_E_LIMIT */
};

#define PM_PROGRESS_EVERY 8192 /* records between progress calls and cancel checks (a few ms) */

/*
 * The result of one pass: the reader's metadata, the decoder's counters and
 * one state per analyser that ran (analysers.h), reached through the typed
 * accessors below.
 */
struct pm_analysis {
	char path[4096];            /* the capture analysed, as given */
	struct pm_capture cap;      /* reader metadata (interfaces, sections, NRB, damage) */
	struct pm_decode_stats dec; /* decoder counters */
	uint32_t ran;               /* PM_AN_BIT(...) of the analysers that ran */
	void *state[PM_AN_COUNT];   /* each analyser's state; NULL when it did not run; owned */
};

/* The state of analyser id, or NULL when it did not run. */
static inline const void *
pm_analysis_state(const struct pm_analysis *a, enum pm_an_id id)
{
	return a->state[id];
}

/* pm_an_flows(a), pm_an_scan(a), ...: typed, read-only access to each analyser's state. */
#define PM_AN_ACCESSOR(id, name, type)                                                             \
	struct type;                                                                               \
	static inline const struct type *pm_an_##name(const struct pm_analysis *a)                 \
	{                                                                                          \
		return (const struct type *)a->state[PM_AN_##id];                                  \
	}
PM_ANALYSERS(PM_AN_ACCESSOR)
#undef PM_AN_ACCESSOR

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

/* Estimated bytes held by a finished analysis (the cache's accounting). */
size_t pm_analysis_mem(const struct pm_analysis *a);

/* Parse "mmap", "read" or "default"; returns false when unknown. */
bool pm_io_parse(const char *s, enum pm_io *io);

#endif /* PM_ANALYSIS_H */

/* SPDX-License-Identifier: MIT */
/*
 * analysis.c - the one pass: capture → decode → analysers. Nothing here
 * holds a packet after its observe calls return.
 */
#include "analysis.h"

#include <stdio.h>
#include <string.h>

/* see analysis.h */
bool
pm_io_parse(const char *s, enum pm_io *io)
{
	if (strcmp(s, "mmap") == 0) {
		*io = PM_IO_MMAP;
	} else if (strcmp(s, "read") == 0) {
		*io = PM_IO_READ;
	} else if (strcmp(s, "default") == 0) {
		*io = PM_IO_DEFAULT;
	} else {
		return false;
	}
	return true;
}

/* The analysers: each sees every decoded packet, then finishes once. */
static void
flows_observe(struct pm_analysis *a, const struct pm_pkt *p)
{
	pm_flows_observe(&a->flows, p);
}

static void
flows_finish(struct pm_analysis *a)
{
	pm_flows_finish(&a->flows);
}

static void
scan_finish(struct pm_analysis *a)
{
	pm_scan_finish(&a->scan, &a->flows);
}

/* observe may be NULL: such an analyser works from the finished flows only. */
static const struct analyser {
	const char *name;
	void (*observe)(struct pm_analysis *a, const struct pm_pkt *p);
	void (*finish)(struct pm_analysis *a);
} analysers[] = {
	{ "flows", flows_observe, flows_finish },
	{ "scan", NULL, scan_finish }, /* after flows: reads the finished flow table */
};

static int
pass(struct pm_analysis *a, const struct pm_analysis_opts *o, struct pm_error *err)
{
	struct pm_rec r;
	struct pm_pkt pkt;
	int rc;
	size_t n = o != NULL && o->info_only ? 0 : PM_ARRAY_LEN(analysers);
	uint64_t count = 0;
	while ((rc = pm_capture_next(&a->cap, &r)) == 1) {
		if (PM_UNLIKELY(++count % PM_PROGRESS_EVERY == 0) && o != NULL) {
			if (o->cancel != NULL && *o->cancel != 0) {
				rc = PM_E_LIMIT;
				break;
			}
			if (o->progress != NULL) {
				o->progress(o->opaque, a->cap.bytes_read, a->cap.file_size);
			}
		}
		pm_info_observe(&a->info, &r);
		pm_decode(&a->dec, r.linktype, r.data, r.caplen, r.len, r.ts_ns, &pkt);
		for (size_t i = 0; i < n; i++) {
			if (analysers[i].observe != NULL) {
				analysers[i].observe(a, &pkt);
			}
		}
	}
	pm_capture_release_source(&a->cap);
	if (rc < 0) {
		pm_analysis_free(a);
		return pm_error_set(err, rc, (size_t)a->cap.bytes_read, "%s: %s", a->path,
		                    rc == PM_E_LIMIT ? "cancelled" : pm_strerror(rc));
	}
	for (size_t i = 0; i < n; i++) {
		analysers[i].finish(a);
	}
	return 0;
}

static void
init(struct pm_analysis *a, const char *path, const struct pm_analysis_opts *o)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->path, sizeof(a->path), "%s", path);
	size_t cap =
	    o != NULL && o->max_table_bytes != 0 ? o->max_table_bytes : PM_DEFAULT_MAX_TABLE_BYTES;
	pm_flows_init(&a->flows, cap);
	a->flows.tl.slots = o != NULL ? o->timeline_slots : 0;
	pm_scan_init(&a->scan);
}

/* see analysis.h */
int
pm_analysis_run(struct pm_analysis *a, const char *path, const struct pm_analysis_opts *o,
                struct pm_error *err)
{
	init(a, path, o);
	enum pm_io io = o != NULL ? o->io : PM_IO_DEFAULT;
	if (io == PM_IO_DEFAULT) {
		io = PM_IO_READ; /* faster on this project's machines: see bench/README.md */
	}
	int rc = pm_capture_open_file(&a->cap, path, io, err);
	if (rc != 0) {
		pm_flows_free(&a->flows);
		return rc;
	}
	return pass(a, o, err);
}

/* see analysis.h */
int
pm_analysis_run_fd(struct pm_analysis *a, int fd, const char *path,
                   const struct pm_analysis_opts *o, struct pm_error *err)
{
	init(a, path, o);
	enum pm_io io = o != NULL ? o->io : PM_IO_DEFAULT;
	int rc = pm_capture_open_fd(&a->cap, fd, path, io == PM_IO_DEFAULT ? PM_IO_READ : io, err);
	if (rc != 0) {
		pm_flows_free(&a->flows);
		return rc;
	}
	return pass(a, o, err);
}

/* see analysis.h */
int
pm_analysis_run_mem(struct pm_analysis *a, const uint8_t *p, size_t n,
                    const struct pm_analysis_opts *o, struct pm_error *err)
{
	init(a, "(memory)", o);
	int rc = pm_capture_open_mem(&a->cap, p, n, err);
	if (rc != 0) {
		pm_flows_free(&a->flows);
		return rc;
	}
	return pass(a, o, err);
}

/* see analysis.h */
void
pm_analysis_free(struct pm_analysis *a)
{
	pm_capture_close(&a->cap);
	pm_flows_free(&a->flows);
	pm_scan_free(&a->scan);
}

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

static int
pass(struct pm_analysis *a, struct pm_error *err)
{
	struct pm_rec r;
	struct pm_pkt pkt;
	int rc;
	while ((rc = pm_capture_next(&a->cap, &r)) == 1) {
		pm_info_observe(&a->info, &r);
		pm_decode(&a->dec, r.linktype, r.data, r.caplen, r.len, r.ts_ns, &pkt);
	}
	pm_capture_release_source(&a->cap);
	if (rc < 0) {
		pm_capture_close(&a->cap);
		return pm_error_set(err, rc, (size_t)a->cap.bytes_read, "%s: read failed: %s",
				    a->path, pm_strerror(rc));
	}
	return 0;
}

static void
init(struct pm_analysis *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->path, sizeof(a->path), "%s", path);
}

/* see analysis.h */
int
pm_analysis_run(struct pm_analysis *a, const char *path, enum pm_io io, struct pm_error *err)
{
	init(a, path);
	if (io == PM_IO_DEFAULT) {
		io = PM_IO_READ; /* faster on this project's machines: see bench/README.md */
	}
	int rc = pm_capture_open_file(&a->cap, path, io, err);
	if (rc != 0) {
		return rc;
	}
	return pass(a, err);
}

/* see analysis.h */
int
pm_analysis_run_mem(struct pm_analysis *a, const uint8_t *p, size_t n, struct pm_error *err)
{
	init(a, "(memory)");
	int rc = pm_capture_open_mem(&a->cap, p, n, err);
	if (rc != 0) {
		return rc;
	}
	return pass(a, err);
}

/* see analysis.h */
void
pm_analysis_free(struct pm_analysis *a)
{
	pm_capture_close(&a->cap);
}

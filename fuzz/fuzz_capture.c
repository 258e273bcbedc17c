/* SPDX-License-Identifier: MIT */
/*
 * fuzz_capture.c - a whole capture file from memory: open, walk every record,
 * decode it, and write the info JSON, which must be complete.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "fuzz.h"
#include "info.h"
#include "json.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pm_analysis a;
	static const struct pm_analysis_opts o = FUZZ_SMALL_CAPS;
	struct pm_error err;
	if (pm_analysis_run_mem(&a, data, size, &o, &err) != 0) {
		FUZZ_ASSERT(err.code < 0 && err.msg[0] != '\0');
		return 0;
	}
	FUZZ_ASSERT(a.cap.bytes_read <= size);
	FUZZ_ASSERT(!a.cap.damaged || a.cap.damage.offset <= size);
	FUZZ_ASSERT(pm_an_info(&a)->packets == a.dec.packets);
	struct pm_json w;
	pm_json_init(&w, 0);
	pm_json_obj_begin(&w);
	pm_info_emit(&w, pm_an_info(&a), &a.cap, &a.dec, a.path);
	pm_json_obj_end(&w);
	FUZZ_ASSERT(pm_json_finish(&w) == 0);
	pm_json_free(&w);
	pm_analysis_free(&a);
	return 0;
}

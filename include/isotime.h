/* SPDX-License-Identifier: MIT */
/*
 * isotime.h - timestamps as ISO-8601 UTC text.
 *
 * One conversion, from nanoseconds since the Unix epoch to the
 * "YYYY-MM-DDThh:mm:ss.nnnnnnnnnZ" form every view and the CLI print. It
 * knows nothing of captures; it sits beside the JSON writer at the bottom of
 * the layers. Uses gmtime_r, never the local time zone.
 */
#ifndef PM_ISOTIME_H
#define PM_ISOTIME_H

#include <stdint.h>

/*
 * Write ts_ns as ISO-8601 UTC with nanoseconds ("2024-01-02T03:04:05.123456789Z")
 * into out, always NUL-terminated. Negative values are before 1970. A time
 * gmtime_r cannot represent gives "invalid"; a year past 9999 gives "".
 */
void pm_time_iso(int64_t ts_ns, char out[40]);

/*
 * Seconds from first to last (both ns since the epoch). The difference is
 * taken in uint64_t, so a pre-1970 first time and a saturated last one
 * (INT64_MAX) give their true span instead of a signed overflow; otherwise
 * the value equals (double)(last - first) / 1e9.
 */
static inline double
pm_time_span_s(int64_t first, int64_t last)
{
	if (last >= first) {
		return (double)((uint64_t)last - (uint64_t)first) / 1e9;
	}
	return -(double)((uint64_t)first - (uint64_t)last) / 1e9;
}

#endif /* PM_ISOTIME_H */

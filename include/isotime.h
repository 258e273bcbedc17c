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

#endif /* PM_ISOTIME_H */

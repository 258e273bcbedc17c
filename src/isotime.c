/* SPDX-License-Identifier: MIT */
/*
 * isotime.c - nanosecond timestamps as ISO-8601 UTC text (gmtime_r).
 */
#include "isotime.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* see isotime.h */
void
pm_time_iso(int64_t ts_ns, char out[40])
{
	int64_t sec = ts_ns / 1000000000;
	int64_t ns = ts_ns % 1000000000;
	if (ns < 0) {
		ns += 1000000000;
		sec -= 1;
	}
	time_t t = (time_t)sec;
	struct tm tm;
	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(out, 40, "invalid");
		return;
	}
	char tmp[96];
	int n = snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ", tm.tm_year + 1900,
	                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)ns);
	size_t len = n > 0 && n < 40 ? (size_t)n : 0; /* years past 9999 do not fit: give "" */
	memcpy(out, tmp, len);
	out[len] = '\0';
}

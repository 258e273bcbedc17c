/* SPDX-License-Identifier: MIT */
/*
 * pm.c - the error names and the error-detail helper every module shares.
 */
#include "pm.h"

#include <stdarg.h>
#include <stdio.h>

/* see pm.h */
const char *
pm_strerror(int code)
{
	switch (code) {
	case PM_OK:
		return "ok";
	case PM_E_TRUNC:
		return "truncated";
	case PM_E_MALFORMED:
		return "malformed";
	case PM_E_UNSUPPORTED:
		return "unsupported";
	case PM_E_LIMIT:
		return "limit reached";
	case PM_E_NOMEM:
		return "out of memory";
	case PM_E_IO:
		return "I/O error";
	case PM_E_TLS:
		return "TLS error";
	default:
		return "unknown error";
	}
}

/* see pm.h */
int
pm_error_set(struct pm_error *e, int code, size_t offset, const char *fmt, ...)
{
	if (e != NULL) {
		va_list ap;
		va_start(ap, fmt);
		e->code = code;
		e->offset = offset;
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

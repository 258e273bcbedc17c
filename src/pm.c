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

static int error_vset(struct pm_error *e, int code, enum pm_ecode ec, size_t offset,
                      const char *fmt, va_list ap) PM_PRINTF(5, 0);

static int
error_vset(struct pm_error *e, int code, enum pm_ecode ec, size_t offset, const char *fmt,
           va_list ap)
{
	if (e != NULL) {
		e->code = code;
		e->ecode = ec;
		e->offset = offset;
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	}
	return code;
}

/* see pm.h */
int
pm_error_set(struct pm_error *e, int code, size_t offset, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(e, code, PM_EC_NONE, offset, fmt, ap);
	va_end(ap);
	return code;
}

/* see pm.h */
int
pm_error_setc(struct pm_error *e, int code, enum pm_ecode ec, size_t offset, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(e, code, ec, offset, fmt, ap);
	va_end(ap);
	return code;
}

/* see pm.h */
const char *
pm_ecode_name(enum pm_ecode ec)
{
	static const char *const names[PM_EC_COUNT] = {
		[PM_EC_NONE] = "none",
		[PM_EC_PATH_OUTSIDE_ALLOWED_DIR] = "path_outside_allowed_dir",
		[PM_EC_PATH_NOT_FOUND] = "path_not_found",
		[PM_EC_NOT_A_REGULAR_FILE] = "not_a_regular_file",
		[PM_EC_UNSUPPORTED_FILE_TYPE] = "unsupported_file_type",
		[PM_EC_FILE_TOO_LARGE] = "file_too_large",
		[PM_EC_UNAUTHORIZED] = "unauthorized",
		[PM_EC_INVALID_IP] = "invalid_ip",
		[PM_EC_INVALID_ARGUMENT] = "invalid_argument",
		[PM_EC_CAPTURE_DAMAGED] = "capture_damaged",
		[PM_EC_NETWORK_DISABLED] = "network_disabled",
		[PM_EC_PROVIDER_ERROR] = "provider_error",
		[PM_EC_INTERNAL_ERROR] = "internal_error",
		[PM_EC_CANCELLED] = "cancelled",
	};
	return (unsigned)ec < PM_EC_COUNT ? names[ec] : "internal_error";
}

/* see pm.h */
enum pm_ecode
pm_error_ecode(const struct pm_error *e)
{
	if (e->ecode != PM_EC_NONE) {
		return e->ecode;
	}
	return e->code == PM_E_NOMEM ? PM_EC_INTERNAL_ERROR : PM_EC_INVALID_ARGUMENT;
}

/* see pm.h */
enum pm_ecode
pm_ecode_for_read(int rc)
{
	switch (rc) {
	case PM_E_UNSUPPORTED:
		return PM_EC_UNSUPPORTED_FILE_TYPE;
	case PM_E_IO:
		return PM_EC_PATH_NOT_FOUND;
	case PM_E_NOMEM:
		return PM_EC_INTERNAL_ERROR;
	case PM_E_LIMIT:
		return PM_EC_CANCELLED;
	default:
		return PM_EC_CAPTURE_DAMAGED;
	}
}

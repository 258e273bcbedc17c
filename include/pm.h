/* SPDX-License-Identifier: MIT */
/*
 * pm.h - what every pcapmcp module shares: the error enum, the detail struct
 * filled on failure, attribute macros and the named caps.
 *
 * Library modules return 0 or a negative enum pm_err; only cli.c and mcp.c
 * turn them into words (pm_strerror) and exit codes.
 */
#ifndef PM_H
#define PM_H

#include <stddef.h>
#include <stdint.h>

#define PM_VERSION "0.1.0"

enum pm_err {
	PM_OK = 0,
	PM_E_TRUNC = -1,       /* input ended before the structure did */
	PM_E_MALFORMED = -2,   /* a field contradicts the format */
	PM_E_UNSUPPORTED = -3, /* well-formed, but a variant we do not read */
	PM_E_LIMIT = -4,       /* a named cap was reached */
	PM_E_NOMEM = -5,       /* allocation failed */
	PM_E_IO = -6,          /* a system call failed; errno-derived text in pm_error.msg */
	PM_E_TLS = -7,         /* TLS handshake or record failure */
};

/*
 * The error contract of the tools (DESIGN.md "Error contract"): what a
 * failed tool call reports as "error". A value, never text to parse.
 */
enum pm_ecode {
	PM_EC_NONE = 0,                 /* not set: pm_error_ecode picks the default */
	PM_EC_PATH_OUTSIDE_ALLOWED_DIR, /* the path resolves outside PCAPMCP_ALLOWED_DIR */
	PM_EC_PATH_NOT_FOUND,           /* missing, unreadable, or changed while checked */
	PM_EC_NOT_A_REGULAR_FILE,       /* directory, FIFO, socket, device */
	PM_EC_UNSUPPORTED_FILE_TYPE,    /* not a pcap/pcapng magic, or a variant not read */
	PM_EC_FILE_TOO_LARGE,           /* over PCAPMCP_MAX_FILE_MB */
	PM_EC_UNAUTHORIZED,             /* auth_token missing or wrong */
	PM_EC_INVALID_IP,               /* an address argument does not parse */
	PM_EC_INVALID_ARGUMENT,         /* any other argument error */
	PM_EC_CAPTURE_DAMAGED,          /* the capture could not be read; with the offset */
	PM_EC_NETWORK_DISABLED,         /* enrichment asked for the network while offline */
	PM_EC_PROVIDER_ERROR,           /* an enrichment provider failed */
	PM_EC_INTERNAL_ERROR,           /* out of memory and other failures of ours */
	PM_EC_CANCELLED,                /* the client cancelled the call */
	PM_EC_COUNT
};

/* Detail for callers that want more than a code; filled only on failure. */
struct pm_error {
	int code;            /* enum pm_err */
	enum pm_ecode ecode; /* the tool error-contract code; PM_EC_NONE when not set */
	size_t offset;       /* byte offset in the input where the problem was found */
	char msg[128];       /* NUL-terminated, human-readable, without a code prefix */
};

#define PM_MUST_CHECK   __attribute__((warn_unused_result))
#define PM_FALLTHROUGH  __attribute__((fallthrough))
#define PM_LIKELY(x)    __builtin_expect(!!(x), 1)
#define PM_UNLIKELY(x)  __builtin_expect(!!(x), 0)
#define PM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define PM_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Named caps: everything that grows from input has one. */
#define PM_MAX_IFACES   4096         /* pcapng interfaces kept across all sections */
#define PM_MAX_NRB      65536        /* pcapng name-resolution records kept */
#define PM_MAX_NAME     256          /* interface names, NRB names: bytes kept */
#define PM_MAX_RECORD   (64u << 20)  /* largest pcap record / pcapng block accepted */
#define PM_READ_BUF     (256u << 10) /* read() source buffer: fits L2, parsed while hot */
#define PM_MAX_WARNINGS 16           /* warnings kept per capture */

/* Return a static string naming the error code (never NULL). */
const char *pm_strerror(int code);

/*
 * Fill *e (when non-NULL) with code, offset and a printf-style message, and
 * no contract code (PM_EC_NONE). Returns code, so callers can write
 * `return pm_error_set(e, ...)`.
 */
int pm_error_set(struct pm_error *e, int code, size_t offset, const char *fmt, ...) PM_PRINTF(4, 5);

/* pm_error_set with the contract code ec as well. */
int pm_error_setc(struct pm_error *e, int code, enum pm_ecode ec, size_t offset, const char *fmt,
                  ...) PM_PRINTF(5, 6);

/* "path_not_found", "invalid_argument", ...; "none" for PM_EC_NONE (never NULL). */
const char *pm_ecode_name(enum pm_ecode ec);

/*
 * The contract code a failed tool call reports for e: e->ecode when set,
 * else internal_error for PM_E_NOMEM and invalid_argument for the rest.
 */
enum pm_ecode pm_error_ecode(const struct pm_error *e);

/*
 * The contract code for a capture whose pass failed with rc:
 * unsupported_file_type (PM_E_UNSUPPORTED), path_not_found (PM_E_IO),
 * internal_error (PM_E_NOMEM), cancelled (PM_E_LIMIT), else capture_damaged.
 */
enum pm_ecode pm_ecode_for_read(int rc);

#endif /* PM_H */

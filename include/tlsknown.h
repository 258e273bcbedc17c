/* SPDX-License-Identifier: MIT */
/*
 * tlsknown.h - known JA3 fingerprints: a built-in table and a feed file.
 *
 * The built-in table holds only fingerprints this project can prove: each
 * was recorded from a named client on loopback (captures/known-clients.pcapng,
 * recipe in captures/README.md) and checked against tshark's
 * tls.handshake.ja3; its source says tool, version, command and capture.
 * Malware fingerprints come from a feed file at run time (PCAPMCP_JA3_FEED)
 * in abuse.ch's SSLBL JA3 CSV layout:
 *
 *   # ja3_md5,Firstseen,Lastseen,Listingreason
 *   b386946a5a44d1ddcc843bc75336dfce,2017-07-14 18:08:15,2019-07-27 20:42:54,Dridex
 *
 * Every feed row is a malware entry named by its listing reason, with
 * source "feed". The parser is pure and bounded: lines over
 * PM_JA3_FEED_MAX_LINE bytes, rows without a 32-digit hex MD5 or a reason
 * are skipped and counted; a file over PM_JA3_FEED_MAX_BYTES is read up to
 * the cap and marked truncated. Nothing here is ever fatal to an analysis.
 */
#ifndef PM_TLSKNOWN_H
#define PM_TLSKNOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

#define PM_JA3_FEED_MAX_BYTES (4u << 20) /* bytes of a feed file read */
#define PM_JA3_FEED_MAX_LINE  1024       /* bytes of one line, its newline excluded */
#define PM_JA3_FEED_MAX_ROWS  200000     /* entries kept; SSLBL lists a few hundred */
#define PM_JA3_NAME_MAX       64         /* bytes of a feed entry's name with its NUL */

enum pm_tls_known_kind {
	PM_TLS_KNOWN_TOOL,    /* a program that is not malicious in itself */
	PM_TLS_KNOWN_MALWARE, /* a malware family or its C&C */
};

/* One known fingerprint. */
struct pm_tls_known {
	const char *ja3;             /* JA3 MD5, 32 lowercase hex digits */
	enum pm_tls_known_kind kind; /* tool or malware */
	const char *name;            /* "curl", "Dridex" */
	const char *source;          /* where the fingerprint is documented */
};

/* A feed file's entry: the strings live in the entry. */
struct pm_ja3_feed_entry {
	char ja3[33];               /* lowercase hex MD5 and its NUL */
	char name[PM_JA3_NAME_MAX]; /* the listing reason, printable ASCII, cut at the cap */
	struct pm_tls_known known;  /* points at ja3 and name once the feed is sorted */
	uint64_t seq;               /* the row's position in the input */
};

/* A parsed feed: entries sorted by ja3, duplicates dropped (the first row wins). */
struct pm_ja3_feed {
	struct pm_ja3_feed_entry *v; /* n entries, malloc'd, owned */
	size_t n, cap;
	uint64_t rows;       /* data rows read (comments and blank lines excluded) */
	uint64_t skipped;    /* malformed or over-long rows, and rows beyond the cap */
	uint64_t duplicates; /* rows whose MD5 an earlier row had */
	bool truncated;      /* the file was larger than PM_JA3_FEED_MAX_BYTES */
	const char *status;  /* "not_configured", "loaded", "unreadable", "no_memory" */
};

/* The built-in entry for a JA3 MD5 (32 hex digits, any case), or NULL. */
const struct pm_tls_known *pm_tls_known_builtin(const char *ja3_md5);

/* The built-in table (sorted by ja3) and its length, for listing and tests. */
const struct pm_tls_known *pm_tls_known_table(size_t *n);

/* "tool" or "malware". */
const char *pm_tls_known_kind_name(enum pm_tls_known_kind k);

/* An empty feed whose status is "not_configured". */
void pm_ja3_feed_init(struct pm_ja3_feed *f);

/*
 * Parse n bytes of SSLBL JA3 CSV at p into *f (initialised by
 * pm_ja3_feed_init; rows are added). Lines end at '\n' (a '\r' before it is
 * dropped); a line starting with '#' and a blank line are skipped. A row is
 * md5,firstseen,lastseen,reason; the reason may be in double quotes.
 * Returns 0, or PM_E_NOMEM (what was parsed stays in *f).
 */
PM_MUST_CHECK int pm_ja3_feed_parse(const uint8_t *p, size_t n, struct pm_ja3_feed *f);

/*
 * Read the file at path (NULL or "" leaves the feed not configured) into
 * *f, initialised here: at most PM_JA3_FEED_MAX_BYTES are read. Never
 * fails: f->status says what happened.
 */
void pm_ja3_feed_load(struct pm_ja3_feed *f, const char *path);

/* The feed's entry for a JA3 MD5, or NULL; f may be NULL. */
const struct pm_tls_known *pm_ja3_feed_lookup(const struct pm_ja3_feed *f, const char *ja3_md5);

/*
 * The mark for a JA3 MD5: a malware entry of the feed or the table first,
 * then a tool entry of the table. NULL when neither knows it.
 */
const struct pm_tls_known *pm_tls_known_match(const struct pm_ja3_feed *f, const char *ja3_md5);

/* Release the entries; the feed is empty again. */
void pm_ja3_feed_free(struct pm_ja3_feed *f);

#endif /* PM_TLSKNOWN_H */

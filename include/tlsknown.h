/* SPDX-License-Identifier: MIT */
/*
 * tlsknown.h - known TLS fingerprints (JA3, JA3S, JA4, JA4S): a built-in
 * table and a feed file.
 *
 * The built-in table holds only fingerprints this project can prove: each
 * was recorded from a named client on loopback (captures/known-clients.pcapng,
 * recipe in captures/README.md), its JA3 checked against tshark's
 * tls.handshake.ja3 and its JA4 derived by hand from the fields tshark
 * prints (the derivation is in captures/README.md); its source says tool,
 * version, command and capture. The server side of those recordings
 * (openssl s_server) is not in the table: its JA3S and JA4S are those of
 * any OpenSSL TLS 1.3 server choosing that suite (the corpus has Google's
 * with the same JA3S), so they name no tool. An entry of each kind is found
 * by binary search over the table sorted by (kind, value).
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

/* Which fingerprint an entry holds. */
enum pm_tls_fp {
	PM_TLS_FP_JA3,  /* salesforce/ja3 of the ClientHello, its MD5 */
	PM_TLS_FP_JA3S, /* of the ServerHello, its MD5 */
	PM_TLS_FP_JA4,  /* FoxIO JA4 of the ClientHello */
	PM_TLS_FP_JA4S, /* FoxIO JA4S of the ServerHello */
};

#define PM_TLS_KNOWN_MAX 40 /* bytes of a value with its NUL (a JA4 is 36) */

/* One known fingerprint. */
struct pm_tls_known {
	enum pm_tls_fp fp;           /* which fingerprint value is */
	const char *value;           /* MD5 as 32 lowercase hex digits; JA4, JA4S lowercase */
	enum pm_tls_known_kind kind; /* tool or malware */
	const char *name;            /* "curl", "Dridex" */
	const char *source;          /* where the fingerprint is documented */
};

/* A feed file's entry: the strings live in the entry. */
struct pm_ja3_feed_entry {
	char ja3[33];               /* lowercase hex MD5 and its NUL */
	char name[PM_JA3_NAME_MAX]; /* the listing reason, printable ASCII, cut at the cap */
	struct pm_tls_known known;  /* fp JA3, pointing at ja3 and name once the feed is sorted */
	uint64_t seq;               /* the row's position in the input */
};

/*
 * A parsed feed: entries sorted by (known.fp, known.value), duplicates
 * dropped (the first row wins). An SSLBL feed holds JA3s only.
 */
struct pm_ja3_feed {
	struct pm_ja3_feed_entry *v; /* n entries, malloc'd, owned */
	size_t n, cap;
	uint64_t rows;       /* data rows read (comments and blank lines excluded) */
	uint64_t skipped;    /* malformed or over-long rows, and rows beyond the cap */
	uint64_t duplicates; /* rows whose MD5 an earlier row had */
	bool truncated;      /* the file was larger than PM_JA3_FEED_MAX_BYTES */
	const char *status;  /* "not_configured", "loaded", "unreadable", "no_memory" */
};

/*
 * The built-in entry for a fingerprint, or NULL: an MD5 (JA3, JA3S) is 32
 * hex digits of any case; a JA4 or JA4S is letters, digits and '_', of any
 * case, shorter than PM_TLS_KNOWN_MAX.
 */
const struct pm_tls_known *pm_tls_known_find(enum pm_tls_fp fp, const char *value);

/* pm_tls_known_find(PM_TLS_FP_JA3, ja3_md5). */
const struct pm_tls_known *pm_tls_known_builtin(const char *ja3_md5);

/* The built-in table (sorted by fp, then value) and its length, for listing and tests. */
const struct pm_tls_known *pm_tls_known_table(size_t *n);

/* "tool" or "malware". */
const char *pm_tls_known_kind_name(enum pm_tls_known_kind k);

/* "ja3", "ja3s", "ja4" or "ja4s". */
const char *pm_tls_fp_name(enum pm_tls_fp fp);

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

/* The feed's entry for a fingerprint (as pm_tls_known_find takes it), or NULL; f may be NULL. */
const struct pm_tls_known *pm_ja3_feed_find(const struct pm_ja3_feed *f, enum pm_tls_fp fp,
                                            const char *value);

/* pm_ja3_feed_find(f, PM_TLS_FP_JA3, ja3_md5). */
const struct pm_tls_known *pm_ja3_feed_lookup(const struct pm_ja3_feed *f, const char *ja3_md5);

/*
 * The mark for a fingerprint: a malware entry of the table or the feed
 * first, then the feed's entry, then a tool entry of the table. NULL when
 * neither knows it.
 */
const struct pm_tls_known *pm_tls_known_match_fp(const struct pm_ja3_feed *f, enum pm_tls_fp fp,
                                                 const char *value);

/* pm_tls_known_match_fp(f, PM_TLS_FP_JA3, ja3_md5). */
const struct pm_tls_known *pm_tls_known_match(const struct pm_ja3_feed *f, const char *ja3_md5);

/* Release the entries; the feed is empty again. */
void pm_ja3_feed_free(struct pm_ja3_feed *f);

#endif /* PM_TLSKNOWN_H */

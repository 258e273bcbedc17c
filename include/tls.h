/* SPDX-License-Identifier: MIT */
/*
 * tls.h - TLS handshake parsing and fingerprints (SSLv3 to TLS 1.3).
 *
 * Pure parsers for the ClientHello and ServerHello bodies (RFC 8446 §4.1.2,
 * §4.1.3; RFC 5246 §7.4.1), returning host-order lists and views into the
 * caller's bytes, usable by any transport (TCP here, QUIC CRYPTO frames
 * later). From a parsed hello come the JA3/JA3S strings and MD5 hashes
 * (salesforce/ja3: decimal fields, GREASE values of RFC 8701 removed) and
 * JA4/JA4S (FoxIO JA4+ specification: truncated SHA-256 parts). Hashes are
 * BearSSL's. Nothing here allocates, keeps state or decrypts anything.
 *
 * The analyser that reassembles TCP streams into records and handshake
 * messages and keeps statistics is tlsstats.h.
 */
#ifndef PM_TLS_H
#define PM_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

/* Record content types (RFC 8446 §5.1). */
#define PM_TLS_CT_CCS       20
#define PM_TLS_CT_ALERT     21
#define PM_TLS_CT_HANDSHAKE 22
#define PM_TLS_CT_APPDATA   23
#define PM_TLS_CT_HEARTBEAT 24 /* RFC 6520 */

/* Handshake message types (RFC 8446 §4, RFC 5246 §7.4). */
#define PM_TLS_HS_CLIENT_HELLO 1
#define PM_TLS_HS_SERVER_HELLO 2
#define PM_TLS_HS_CERTIFICATE  11
#define PM_TLS_HS_SERVER_DONE  14

/* Extension types (IANA TLS ExtensionType registry). */
#define PM_TLS_EXT_SNI        0      /* RFC 6066 §3 */
#define PM_TLS_EXT_GROUPS     10     /* RFC 8422 §5.1.1 (supported_groups) */
#define PM_TLS_EXT_POINT_FMTS 11     /* RFC 8422 §5.1.2 */
#define PM_TLS_EXT_SIG_ALGS   13     /* RFC 8446 §4.2.3 */
#define PM_TLS_EXT_ALPN       16     /* RFC 7301 */
#define PM_TLS_EXT_VERSIONS   43     /* RFC 8446 §4.2.1 (supported_versions) */
#define PM_TLS_EXT_KEY_SHARE  51     /* RFC 8446 §4.2.8 */
#define PM_TLS_EXT_ECH        0xFE0D /* draft-ietf-tls-esni (encrypted_client_hello) */
#define PM_TLS_RECORD_MAX     18432  /* 2^14 + 2048: the largest TLSCiphertext (RFC 8446 §5.2) */

#define PM_TLS_MAX_LIST 512 /* entries kept of any one list; the rest are counted */
#define PM_TLS_MAX_EXTS 64  /* extensions walked */

/* A list of 16-bit values as sent, GREASE included. */
struct pm_tls_list {
	uint16_t v[PM_TLS_MAX_LIST]; /* host order */
	uint16_t n;                  /* entries kept */
	uint16_t total;              /* entries on the wire */
};

/* A parsed ClientHello. Views point into the bytes given to the parser. */
struct pm_tls_client_hello {
	uint16_t legacy_version;    /* client_version */
	uint16_t version;           /* highest non-GREASE supported_versions entry, else legacy */
	struct pm_tls_list ciphers; /* cipher_suites */
	struct pm_tls_list exts;    /* extension types, in order */
	struct pm_tls_list groups;  /* supported_groups */
	struct pm_tls_list point_fmts; /* ec_point_formats (8-bit values widened) */
	struct pm_tls_list sig_algs;   /* signature_algorithms */
	struct pm_tls_list versions;   /* supported_versions */
	struct pm_tls_list key_shares; /* key_share groups */
	const uint8_t *sni;            /* first host_name of server_name, or NULL */
	size_t sni_len;                /* bytes at sni */
	const uint8_t *alpn;           /* the ALPN protocol_name_list (length-prefixed names) */
	size_t alpn_len;               /* bytes at alpn */
	bool grease;                   /* a GREASE value appeared anywhere */
	bool ech;                      /* encrypted_client_hello present */
};

/* A parsed ServerHello (or HelloRetryRequest). */
struct pm_tls_server_hello {
	uint16_t legacy_version; /* server_version */
	uint16_t version;        /* supported_versions when present, else legacy */
	uint16_t cipher;         /* cipher_suite */
	struct pm_tls_list exts; /* extension types, in order */
	const uint8_t *alpn;     /* the selected protocol name, or NULL */
	size_t alpn_len;         /* bytes at alpn */
	bool hrr;                /* the random is the HelloRetryRequest value (RFC 8446 §4.1.3) */
};

/*
 * Parse the body of a ClientHello (after the 4-byte handshake header) of n
 * bytes at p into *out (every field set; a list's entries past its n are
 * left as they were). Returns 0, PM_E_TRUNC when the
 * body ends early or PM_E_MALFORMED when a length contradicts its container.
 */
PM_MUST_CHECK int pm_tls_parse_client_hello(const uint8_t *p, size_t n,
                                            struct pm_tls_client_hello *out);

/* The same for a ServerHello body. */
PM_MUST_CHECK int pm_tls_parse_server_hello(const uint8_t *p, size_t n,
                                            struct pm_tls_server_hello *out);

/* RFC 8701 GREASE: 0x?A?A with both bytes equal. */
bool pm_tls_is_grease(uint16_t v);

/* "TLS 1.3", "TLS 1.2", "TLS 1.1", "TLS 1.0", "SSL 3.0", "SSL 2.0", or "0x%04x" in buf. */
const char *pm_tls_version_name(uint16_t v, char buf[8]);

/* The IANA name of a cipher suite, or "0x%04x" in buf when it is not in the built-in table. */
const char *pm_tls_cipher_name(uint16_t v, char buf[8]);

#define PM_TLS_JA3_MAX  8192 /* bytes of a JA3 or JA3S string with its NUL */
#define PM_TLS_HASH_HEX 33   /* MD5 in hex with its NUL */
#define PM_TLS_JA4_MAX  40   /* t13d1516h2_8daaf6152771_e5627efa2ab1 and its NUL */

/*
 * JA3 of a ClientHello: "version,ciphers,extensions,groups,point_formats"
 * in out (cap bytes; a list that does not fit is cut at an entry) and its
 * MD5 in hex in md5.
 */
void pm_tls_ja3(const struct pm_tls_client_hello *h, char *out, size_t cap,
                char md5[PM_TLS_HASH_HEX]);

/* JA3S of a ServerHello: "version,cipher,extensions" and its MD5. */
void pm_tls_ja3s(const struct pm_tls_server_hello *h, char *out, size_t cap,
                 char md5[PM_TLS_HASH_HEX]);

/* JA4 (TCP: 't') of a ClientHello into out. */
void pm_tls_ja4(const struct pm_tls_client_hello *h, char out[PM_TLS_JA4_MAX]);

/* JA4S (TCP: 't') of a ServerHello into out. */
void pm_tls_ja4s(const struct pm_tls_server_hello *h, char out[PM_TLS_JA4_MAX]);

/* Lowercase hex of n bytes into out (2n + 1 bytes). */
void pm_tls_hex(const uint8_t *p, size_t n, char *out);

#endif /* PM_TLS_H */

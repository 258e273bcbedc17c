/* SPDX-License-Identifier: MIT */
/*
 * tlsstats.h - the TLS analyser: TCP flows labelled TLS are reassembled
 * (reasm.h), their records walked (RFC 8446 §5.1) and handshake messages
 * put together across records; ClientHello, ServerHello, HelloRetryRequest,
 * the leaf certificate (TLS 1.2 and earlier send it in clear) and alerts
 * before ChangeCipherSpec become one handshake row per connection. A
 * direction stops being reassembled at its first encrypted record, so only
 * the handshake's bytes are ever held. After the pass the statistics of
 * every handshake (counts.h), the rows of the first PM_TLS_MAX_HANDSHAKES
 * and the distinct certificates remain; the view (pm_tls_view) writes the
 * statistics, and the paged handshake list and findings from the rows.
 */
#ifndef PM_TLSSTATS_H
#define PM_TLSSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyser.h"
#include "counts.h"
#include "pm.h"
#include "reasm.h"
#include "table.h"
#include "tls.h"
#include "x509.h"

struct pm_json;
struct pm_ja3_feed;

#define PM_TLS_MAX_CERTS    4096        /* distinct certificates kept */
#define PM_TLS_DER_MEMO     16          /* recent certificates compared before hashing */
#define PM_TLS_DER_MEMO_MAX 8192        /* the longest certificate the memo copies */
#define PM_TLS_MAX_HS       (64u << 10) /* bytes of one handshake message assembled */
#define PM_TLS_MAX_STATE    (64u << 20) /* bytes of per-flow parse state live at once */
#define PM_TLS_MAX_SNI      256         /* bytes of an SNI kept (RFC 6066 allows 2^16 - 1) */
#define PM_TLS_MAX_ALPN     32          /* bytes of an ALPN protocol name kept */
#define PM_TLS_MAX_DISTINCT 65536       /* distinct values of each statistic counted */
#define PM_TLS_MAX_CLIENTS  (1u << 18)  /* distinct (fingerprint, client) pairs counted */
/* Handshake rows kept; the rest are counted (a fuzz build may set it lower, to reach past them). */
#ifndef PM_TLS_MAX_HANDSHAKES
#define PM_TLS_MAX_HANDSHAKES 20000
#endif

/* One TLS connection's handshake. */
struct pm_tls_row {
	uint8_t client[16], server[16]; /* network order */
	uint8_t ipver;                  /* 4 or 6 */
	uint16_t client_port, server_port;
	int64_t ts;                 /* ns since the epoch of the first hello */
	char sni[PM_TLS_MAX_SNI];   /* "" when none */
	char alpn[PM_TLS_MAX_ALPN]; /* the server's choice, else the client's first offer */
	uint16_t client_version;    /* highest the client offered */
	uint16_t version;           /* negotiated (ServerHello), else client_version */
	uint16_t cipher;            /* chosen suite */
	bool has_ch, has_sh;        /* ClientHello / ServerHello seen */
	bool hrr;                   /* a HelloRetryRequest was sent */
	bool established;           /* the client sent encrypted data after the ServerHello */
	bool grease, ech;           /* in the ClientHello */
	bool alert;                 /* a plaintext alert was sent */
	uint8_t alert_level, alert_desc;
	char ja3_hash[PM_TLS_HASH_HEX], ja3s_hash[PM_TLS_HASH_HEX];
	char ja4[PM_TLS_JA4_MAX], ja4s[PM_TLS_JA4_MAX];
	char *ja3, *ja3s; /* strings, malloc'd, owned; NULL when absent */
	int32_t cert;     /* index into certs of the leaf certificate, or -1 */
};

/* A hello's fingerprints: JA3 or JA3S in MD5 hex, and JA4 or JA4S. */
struct pm_tls_fingerprints {
	char md5[PM_TLS_HASH_HEX];
	char ja4[PM_TLS_JA4_MAX];
};

/* Where and when a handshake went. */
struct pm_tls_where {
	uint8_t client[16], server[16]; /* network order */
	int64_t ts;                     /* its first message, ns since the epoch */
	uint16_t server_port;
	uint8_t ipver;
};

/*
 * A distinct hello past the rows, fp_memo's value (keyed by the fields its
 * fingerprints are made of): its fingerprints, how many handshakes sent it
 * and where the first of them went, so the known fingerprints of every
 * handshake are found.
 */
struct pm_tls_hello {
	struct pm_tls_fingerprints fp;
	bool server; /* a ServerHello's */
	struct pm_tls_where first;
	uint64_t count; /* handshakes */
};

/*
 * A handshake past the rows as its findings see it (deprecated version, no
 * SNI to a public address, its certificate's findings): late_seen's key,
 * what decides them and their dedup, and its value, the first such
 * handshake's client and time.
 */
struct pm_tls_late_key {
	uint8_t server[16]; /* network order */
	uint64_t sni_tag;   /* the SNI's tag in stats[PM_TLS_SNIS]; 0: none */
	int32_t cert;       /* index into certs of the leaf certificate, or -1 */
	uint16_t server_port;
	uint16_t version; /* negotiated, else the client's */
	uint8_t ipver;
	bool has_ch, has_sh;
	uint8_t pad;
};
struct pm_tls_late {
	struct pm_tls_where first;
	const char *sni; /* in stats[PM_TLS_SNIS], or NULL */
};

/*
 * The statistics of every handshake, by what they count: the negotiated
 * version (else the client's), the chosen suite, SNI, ALPN (the server's
 * choice, else the client's first offer) and the four fingerprints, each
 * with its distinct clients.
 */
enum pm_tls_stat {
	PM_TLS_VERSIONS,
	PM_TLS_CIPHERS,
	PM_TLS_SNIS,
	PM_TLS_ALPNS,
	PM_TLS_JA3,
	PM_TLS_JA3S,
	PM_TLS_JA4,
	PM_TLS_JA4S,
	PM_TLS_STATS
};

struct pm_tls {
	struct pm_reasm_pool pool; /* reassembly memory of every flow */
	struct pm_tls_row *rows;   /* n_rows, malloc'd, owned */
	size_t n_rows, cap_rows;
	struct pm_x509 *certs; /* n_certs distinct leaf certificates, malloc'd, owned */
	size_t n_certs, cap_certs;
	struct pm_table der_seen; /* the DER of each certificate met -> what it gave (tlsstats.c) */
	/* The last certificates met, whole, so a repeat costs a compare and no hash (tlsstats.c). */
	struct pm_tls_der_memo {
		uint8_t *der; /* len bytes, malloc'd, owned; NULL: empty */
		uint32_t len;
		int32_t idx; /* what der_seen holds for it */
	} der_memo[PM_TLS_DER_MEMO];
	uint64_t rows_dropped;  /* handshakes beyond PM_TLS_MAX_HANDSHAKES */
	uint64_t certs_dropped; /* certificates beyond PM_TLS_MAX_CERTS */
	uint64_t flows_dropped; /* flows not parsed: too many at once, or out of memory */
	uint64_t client_hellos, server_hellos, hrrs, certificates, alerts;
	uint64_t sslv2_hellos;                /* SSL 2.0 CLIENT-HELLO (not parsed further) */
	uint64_t not_tls;                     /* labelled TLS, but the bytes were not TLS records */
	uint64_t malformed;                   /* records or messages that contradicted themselves */
	uint64_t bad_certs;                   /* certificates the DER reader refused */
	uint64_t heartbeats;                  /* heartbeat records (RFC 6520) */
	struct pm_flow_states live;           /* flows whose parse state is allocated now */
	size_t max_live;                      /* most live states at once (PM_TLS_MAX_STATE) */
	struct pm_counts stats[PM_TLS_STATS]; /* by enum pm_tls_stat */
	uint64_t established;   /* the client sent encrypted data after the ServerHello */
	uint64_t grease_hellos; /* first ClientHellos with a GREASE value */
	uint64_t ech_hellos;    /* first ClientHellos with encrypted_client_hello */
	/* Past the rows (tlsstats.c): */
	struct pm_table fp_memo;   /* a hello's fields -> struct pm_tls_hello */
	uint64_t hellos_unseen;    /* hellos fp_memo had no room for */
	struct pm_table fp_last;   /* a client -> its last fingerprints' records */
	struct pm_table late_seen; /* struct pm_tls_late_key -> struct pm_tls_late */
	uint64_t late_unseen;      /* handshakes late_seen had no room for */
};

/* A row that stands for a handshake past the rows: zeroed but for w, and no certificate. */
void pm_tls_stand_in(struct pm_tls_row *r, const struct pm_tls_where *w);

/*
 * Whether the handshake r raises a finding other than a known fingerprint
 * (tlsview.c): the analyser keeps a handshake past the rows only if so.
 */
bool pm_tls_row_finds(const struct pm_tls *t, const struct pm_tls_row *r);

/*
 * Write the members of analyze_tls's result: statistics, handshakes (the
 * page at offset, at most limit rows, stopped at a byte budget), certificates,
 * findings, fingerprint_table, reassembly and approximate. Each ClientHello's
 * JA3 is looked up in the built-in table and in feed (NULL: none; tlsknown.h).
 */
PM_MUST_CHECK int pm_tls_view(const struct pm_tls *t, const struct pm_ja3_feed *feed,
                              uint64_t limit, uint64_t offset, struct pm_json *w);

#endif /* PM_TLSSTATS_H */

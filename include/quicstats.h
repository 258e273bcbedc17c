/* SPDX-License-Identifier: MIT */
/*
 * quicstats.h - the QUIC analyser: UDP flows labelled QUIC have their
 * datagrams' headers parsed (quic.h); the client's Initial flight is
 * decrypted with the keys its first destination connection ID gives
 * (quiccrypt.h), its CRYPTO frames reassembled (at most PM_QUIC_MAX_CRYPTO
 * bytes) and the ClientHello parsed by the TLS parser, once per connection.
 * The reassembly buffer goes once the ClientHello is read; a connection
 * stops costing anything after its first PM_QUIC_WATCH_DGRAMS datagrams,
 * read for their connection IDs (pm_pass_done); packet and byte counts and
 * times come from the flow table at finish.
 *
 * The analyser's verdict is the flow's label: a UDP flow stays labelled
 * QUIC only when its first datagram opens with a long header of a known
 * version family (or a Google QUIC public header) and, where the version's
 * Initial keys are known, the client's first Initial decrypts. Otherwise
 * the label is withdrawn during the pass, to what the flow's other port
 * names or to none, for good (flow.c does not label the flow again). Hosts,
 * summary and flow views read the label from the flow record after the
 * pass, so every count by label follows the verdict; an analysis run
 * without this analyser keeps the port's guess. The view (pm_quic_view) derives
 * statistics, the paged connection list and findings from the rows.
 */
#ifndef PM_QUICSTATS_H
#define PM_QUICSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"
#include "quic.h"
#include "table.h"
#include "tls.h"

struct pm_json;
struct pm_flow;

#define PM_QUIC_MAX_CONNS      20000       /* connection rows kept; the rest are counted */
#define PM_QUIC_MAX_CRYPTO     (16u << 10) /* CRYPTO bytes reassembled per connection */
#define PM_QUIC_MAX_FLOW_TABLE (32u << 20) /* bytes of the per-flow table */
#define PM_QUIC_MAX_SNI        256         /* bytes of an SNI kept */
#define PM_QUIC_MAX_OFFERED    8           /* versions kept from a version negotiation */
#define PM_QUIC_MAX_DECRYPTS   8           /* Initial packets decrypted per connection */
#define PM_QUIC_MAX_CIDS       4           /* connection IDs kept per side of a connection */
#define PM_QUIC_WATCH_DGRAMS   64          /* datagrams per flow read for connection IDs */

/*
 * The connection IDs one side chose: the source connection IDs of its long
 * headers (Initial, 0-RTT, Handshake, Retry), distinct, in order of use.
 */
struct pm_quic_cids {
	uint8_t id[PM_QUIC_MAX_CIDS][PM_QUIC_MAX_CID];
	uint8_t len[PM_QUIC_MAX_CIDS]; /* bytes of each id */
	uint8_t n;                     /* entries kept */
	uint16_t total; /* distinct IDs seen; past the cap, ones not kept may count twice */
};

/* One QUIC connection (one UDP flow). */
struct pm_quic_conn {
	uint8_t client[16], server[16]; /* network order */
	uint8_t ipver;                  /* 4 or 6 */
	uint16_t client_port, server_port;
	int64_t first, last;           /* ns since the epoch (from the flow) */
	uint64_t packets[2], bytes[2]; /* by PM_DIR_* (from the flow; bytes on the wire) */
	uint32_t version;              /* the client's first long-header version */
	uint32_t server_version;       /* the server's first non-negotiation version, 0 if none */
	uint8_t dcid[PM_QUIC_MAX_CID], scid[PM_QUIC_MAX_CID]; /* the client's first Initial */
	uint8_t dcid_len, scid_len;
	uint8_t server_cid[PM_QUIC_MAX_CID]; /* the server's first source connection ID */
	uint8_t server_cid_len;
	struct pm_quic_cids cids[2]; /* by PM_DIR_*: the client's SCIDs, the server's (Retry too) */
	uint32_t dcid_changes; /* short headers whose DCID that direction had not used before */
	uint32_t offered[PM_QUIC_MAX_OFFERED]; /* versions a version negotiation offered */
	uint8_t n_offered;
	char sni[PM_QUIC_MAX_SNI];  /* "" when none */
	char alpn[32];              /* the client's first ALPN offer */
	char ja4[PM_TLS_JA4_MAX];   /* 'q' JA4 of the ClientHello, "" when none */
	uint16_t tls_version;       /* highest TLS version offered */
	uint16_t n_tparams;         /* transport parameters in the ClientHello */
	bool client_hello;          /* ClientHello decrypted and parsed */
	bool server_initial;        /* an Initial from the server */
	bool handshake;             /* a Handshake packet from the server (or 1-RTT from it) */
	bool zero_rtt;              /* the client sent 0-RTT packets */
	bool vn;                    /* the server sent a version negotiation */
	bool vn_recovered;          /* ... and the client then used a version offered */
	bool retry;                 /* the server sent a Retry */
	bool retry_valid;           /* ... whose integrity tag matched */
	bool decrypt_failed;        /* a client Initial did not decrypt */
	bool google;                /* Google QUIC (gQUIC or Q0nn/T0nn numbers) */
	const struct pm_flow *flow; /* private: the flow, read at finish */
};

struct pm_quic_stats {
	struct pm_table flows;     /* pm_flow_key -> per-flow state (during the pass) */
	struct pm_quic_conn *rows; /* n_rows, malloc'd, owned */
	size_t n_rows, cap_rows;
	uint64_t rows_dropped;   /* connections beyond PM_QUIC_MAX_CONNS */
	uint64_t flows_dropped;  /* flows the table could not take */
	uint64_t datagrams;      /* datagrams parsed */
	uint64_t packets;        /* QUIC packets parsed (coalesced ones counted apart) */
	uint64_t not_quic;       /* datagrams labelled QUIC whose first packet did not parse */
	uint64_t withdrawn;      /* flows whose QUIC label the verdict withdrew */
	uint64_t decrypted;      /* Initial packets decrypted */
	uint64_t decrypt_failed; /* Initial packets whose tag did not match */
	uint64_t crypto_dropped; /* CRYPTO bytes beyond PM_QUIC_MAX_CRYPTO or out of order */
	uint64_t malformed;      /* packets or frames that contradicted themselves */
	size_t live;             /* connections whose reassembly buffer is allocated now */
	uint8_t *scratch;        /* private: one packet's decryption, malloc'd, owned */
};

/*
 * Write the members of analyze_quic's result: statistics, connections (the
 * page at offset, at most limit rows, filtered by sni and client when not
 * NULL), findings and approximate.
 */
PM_MUST_CHECK int pm_quic_view(const struct pm_quic_stats *q, uint64_t limit, uint64_t offset,
                               const char *sni, const char *client, struct pm_json *w);

#endif /* PM_QUICSTATS_H */

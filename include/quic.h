/* SPDX-License-Identifier: MIT */
/*
 * quic.h - QUIC packet headers and Initial-packet frames, parsed without state.
 *
 * Reads long and short headers (RFC 9000 §17, RFC 8999 invariants), version
 * negotiation and Retry packets, the coalesced packets of one datagram, and
 * the frames an Initial packet may carry (PADDING, PING, ACK, CRYPTO: RFC 9000
 * §19). Versions: v1 (RFC 9000), v2 (RFC 9369, whose long-header types are
 * permuted), drafts 27-34, and Google QUIC numbers ('Q0nn', 'T0nn'), which are
 * recognised but not read past the connection IDs. Nothing here decrypts
 * (quiccrypt.h) or keeps state (quicstats.h); results are views into the bytes
 * given.
 */
#ifndef PM_QUIC_H
#define PM_QUIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "pm.h"

#define PM_QUIC_V1      0x00000001u /* RFC 9000 §15 */
#define PM_QUIC_V2      0x6b3343cfu /* RFC 9369 §3.1 */
#define PM_QUIC_MAX_CID 20          /* RFC 9000 §17.2: v1 connection IDs, bytes */
#define PM_QUIC_MAX_VN  32          /* offered versions kept from a version negotiation */
#define PM_QUIC_MAX_PKT 16          /* coalesced packets read from one datagram */
#define PM_QUIC_MAX_ACK 256         /* ACK ranges walked in one ACK frame */
#define PM_QUIC_TAG_LEN 16          /* AEAD tag and Retry Integrity Tag (RFC 9001 §5.8) */

/* Packet kinds, the same for every version (v2's permuted type bits are undone). */
enum pm_quic_type {
	PM_QUIC_INITIAL = 0,   /* RFC 9000 §17.2.2 */
	PM_QUIC_0RTT = 1,      /* §17.2.3 */
	PM_QUIC_HANDSHAKE = 2, /* §17.2.4 */
	PM_QUIC_RETRY = 3,     /* §17.2.5 */
	PM_QUIC_VN,            /* version negotiation, §17.2.1 */
	PM_QUIC_SHORT,         /* 1-RTT, §17.3 */
	PM_QUIC_OTHER_LONG, /* a long header of a version whose layout past the IDs is not read */
	PM_QUIC_GQUIC       /* a Google QUIC public header (Q043 and older) */
};

/* What a version number is. */
enum pm_quic_family {
	PM_QUIC_FAM_UNKNOWN = 0,
	PM_QUIC_FAM_V1,     /* RFC 9000 */
	PM_QUIC_FAM_V2,     /* RFC 9369 */
	PM_QUIC_FAM_DRAFT,  /* 0xff0000nn, draft-ietf-quic-transport-nn */
	PM_QUIC_FAM_GOOGLE, /* 'Q0nn' or 'T0nn' */
	PM_QUIC_FAM_MVFST,  /* 0xfaceb00n, Facebook's mvfst */
	PM_QUIC_FAM_GREASE, /* 0x?a?a?a?a, reserved to exercise negotiation (RFC 9000 §15) */
	PM_QUIC_FAM_VN      /* 0: version negotiation */
};

/* One packet's header. Views point into the datagram given to the parser. */
struct pm_quic_hdr {
	const uint8_t *pkt;  /* first byte of the packet */
	size_t len;          /* bytes of this packet (the rest of the datagram for short headers) */
	uint8_t first;       /* first byte, still header-protected */
	uint8_t type;        /* enum pm_quic_type */
	bool is_long;        /* long header form */
	uint32_t version;    /* host order; 0 for short headers */
	const uint8_t *dcid; /* destination connection ID */
	size_t dcid_len;     /* bytes at dcid */
	const uint8_t *scid; /* source connection ID (long headers) */
	size_t scid_len;     /* bytes at scid */
	const uint8_t *token; /* Initial or Retry token, or NULL */
	size_t token_len;     /* bytes at token */
	size_t pn_off;        /* Initial/0-RTT/Handshake: offset of the packet number in pkt */
	const uint8_t *tag;   /* Retry: the 16-byte integrity tag */
	uint32_t vers[PM_QUIC_MAX_VN]; /* version negotiation: offered versions, host order */
	uint16_t nvers;                /* entries kept in vers */
	uint16_t vers_total;           /* versions on the wire */
};

/*
 * Parse the packet at the start of the n bytes at p into *out (fully
 * overwritten). short_dcid_len is the destination connection ID length a
 * short header is read with (the peer chose it; 0 when unknown). Returns 0,
 * PM_E_TRUNC when the packet claims more bytes than there are,
 * PM_E_MALFORMED when a field contradicts the format (a connection ID over
 * 20 bytes in a known version, a Length too short for a packet number and
 * a tag), or PM_E_UNSUPPORTED when the bytes cannot start a QUIC packet. The
 * fixed bit is not required (RFC 9287 lets peers grease it). out->len says where the next
 * coalesced packet starts.
 */
PM_MUST_CHECK int pm_quic_parse(const uint8_t *p, size_t n, size_t short_dcid_len,
                                struct pm_quic_hdr *out);

/*
 * Parse every coalesced packet of a datagram (RFC 9000 §12.2) into out
 * (cap entries, at most PM_QUIC_MAX_PKT are read). Returns the number of
 * packets parsed (0 when the first fails); *rc gets the last parse result,
 * so a datagram whose tail is damaged still yields its leading packets.
 */
size_t pm_quic_parse_datagram(const uint8_t *p, size_t n, size_t short_dcid_len,
                              struct pm_quic_hdr *out, size_t cap, int *rc);

/* The family of a version number. */
enum pm_quic_family pm_quic_family(uint32_t version);

/*
 * A version's name in buf: "v1", "v2", "draft-29", "Q050", "T051", "mvfst-1",
 * "negotiation", "grease", or "0x%08x".
 */
const char *pm_quic_version_name(uint32_t version, char buf[16]);

/* True when this parser reads the long header past the IDs for the version. */
bool pm_quic_version_known(uint32_t version);

/*
 * Read a variable-length integer (RFC 9000 §16) at the cursor's position.
 * On a short read the cursor fails and 0 is returned.
 */
uint64_t pm_quic_varint(struct pm_cur *c);

/* Frame types walked in Initial packets (RFC 9000 §19). */
#define PM_QUIC_FR_PADDING 0x00
#define PM_QUIC_FR_PING    0x01
#define PM_QUIC_FR_ACK     0x02
#define PM_QUIC_FR_ACK_ECN 0x03
#define PM_QUIC_FR_CRYPTO  0x06

/* Called with each CRYPTO frame: its stream offset and data (a view). */
typedef void (*pm_quic_crypto_fn)(void *arg, uint64_t offset, const uint8_t *data, size_t len);

/* What a frame walk saw. */
struct pm_quic_frames {
	size_t crypto;      /* CRYPTO frames */
	size_t acks;        /* ACK frames */
	size_t padding;     /* PADDING bytes */
	size_t pings;       /* PING frames */
	uint64_t stop_type; /* the frame type the walk stopped at, when it did */
	bool stopped;       /* a frame type outside the four ended the walk */
};

#define PM_QUIC_FR_GCRYPTO 0x08 /* CRYPTO in Google's T050/T051 (Wireshark's packet-quic.c) */

/*
 * Walk the frames of a decrypted payload of a packet of the given version,
 * calling fn for each CRYPTO frame.
 * Returns 0 when the payload was walked to its end or stopped politely at
 * another frame type (out->stopped), PM_E_TRUNC or PM_E_MALFORMED when a
 * frame is cut or contradicts its lengths.
 */
PM_MUST_CHECK int pm_quic_walk_frames(const uint8_t *p, size_t n, uint32_t version,
                                      pm_quic_crypto_fn fn, void *arg, struct pm_quic_frames *out);

#define PM_QUIC_TP_EXT 0x39 /* quic_transport_parameters (RFC 9001 §8.2) */
#define PM_QUIC_MAX_TP 32   /* transport parameters kept */

/* The transport parameters of a ClientHello (RFC 9000 §18). */
struct pm_quic_tparams {
	uint64_t id[PM_QUIC_MAX_TP]; /* parameter IDs in order */
	uint16_t n;                  /* entries kept */
	uint16_t total;              /* parameters on the wire */
	const uint8_t *scid;         /* initial_source_connection_id (0x0f), or NULL */
	size_t scid_len;             /* bytes at scid */
};

/*
 * Find the quic_transport_parameters extension in a ClientHello body (after
 * the 4-byte handshake header) and parse it into *out. Returns 0,
 * PM_E_UNSUPPORTED when the hello has no such extension, PM_E_TRUNC or
 * PM_E_MALFORMED.
 */
PM_MUST_CHECK int pm_quic_tparams(const uint8_t *hello, size_t n, struct pm_quic_tparams *out);

#endif /* PM_QUIC_H */

/* SPDX-License-Identifier: MIT */
/*
 * quiccrypt.h - QUIC Initial packet protection, which anyone on the path can
 * remove: keys derived from the client's first destination connection ID and
 * the version's public salt (RFC 9001 §5.2, RFC 9369 §3.3.1), HKDF-Extract
 * and HKDF-Expand-Label over SHA-256 (RFC 5869, RFC 8446 §7.1), header
 * protection with AES-ECB (RFC 9001 §5.4.3), payload AEAD AES-128-GCM
 * (§5.3), and the Retry Integrity Tag (§5.8, RFC 9369 §3.3.3). BearSSL's
 * HMAC, AES (constant-time ct64) and GCM do the work. Handshake and 1-RTT
 * keys need the TLS secrets and are out of reach by design.
 */
#ifndef PM_QUICCRYPT_H
#define PM_QUICCRYPT_H

#include <stddef.h>
#include <stdint.h>

#include "pm.h"

struct pm_quic_hdr;

#define PM_QUIC_SECRET_LEN 32 /* SHA-256 output */
#define PM_QUIC_KEY_LEN    16 /* AES-128 */
#define PM_QUIC_IV_LEN     12 /* AEAD nonce */

/* One direction's Initial packet protection keys. */
struct pm_quic_keys {
	uint8_t key[PM_QUIC_KEY_LEN]; /* AEAD key */
	uint8_t iv[PM_QUIC_IV_LEN];   /* AEAD IV, XORed with the packet number */
	uint8_t hp[PM_QUIC_KEY_LEN];  /* header protection key */
};

/* HKDF-Extract(salt, ikm) into prk (RFC 5869 §2.2). */
void pm_quic_hkdf_extract(const uint8_t *salt, size_t salt_len, const uint8_t *ikm, size_t ikm_len,
                          uint8_t prk[PM_QUIC_SECRET_LEN]);

/*
 * HKDF-Expand-Label(secret, label, "", out_len) (RFC 8446 §7.1): label
 * without the "tls13 " prefix, which is added. out_len at most 255 and the
 * label at most 64 bytes; returns PM_E_LIMIT beyond.
 */
PM_MUST_CHECK int pm_quic_expand_label(const uint8_t secret[PM_QUIC_SECRET_LEN], const char *label,
                                       uint8_t *out, size_t out_len);

/*
 * The Initial keys of a version for the client's first destination
 * connection ID (dcid, dcid_len bytes): client's into *client, server's into
 * *server (either may be NULL). Returns 0, or PM_E_UNSUPPORTED when the
 * version's salt is not known (v1, v2 and drafts 23-34 are).
 */
PM_MUST_CHECK int pm_quic_initial_keys(uint32_t version, const uint8_t *dcid, size_t dcid_len,
                                       struct pm_quic_keys *client, struct pm_quic_keys *server);

/* The five header-protection mask bytes for a 16-byte sample (RFC 9001 §5.4.3). */
void pm_quic_hp_mask(const uint8_t hp[PM_QUIC_KEY_LEN], const uint8_t sample[16], uint8_t mask[5]);

/* A packet with its protection removed. Views point into the caller's buffer. */
struct pm_quic_plain {
	const uint8_t *payload; /* decrypted frames */
	size_t payload_len;     /* bytes at payload */
	uint64_t pn;            /* packet number as sent (truncated, not expanded) */
	size_t pn_len;          /* packet number bytes, 1 to 4 */
	uint8_t first;          /* first byte, header protection removed */
};

/*
 * Remove the protection of the long-header packet h (Initial, 0-RTT or
 * Handshake, as parsed by pm_quic_parse) with keys k. The packet is copied
 * into buf (cap bytes) and decrypted there; the capture is never written.
 * Returns 0, PM_E_LIMIT when the packet is larger than cap, PM_E_TRUNC when
 * it is too short to sample (RFC 9001 §5.4.2), or PM_E_TLS when the AEAD
 * tag does not match (wrong keys or a corrupted packet).
 */
PM_MUST_CHECK int pm_quic_unprotect(const struct pm_quic_keys *k, const struct pm_quic_hdr *h,
                                    uint8_t *buf, size_t cap, struct pm_quic_plain *out);

/*
 * Check the Retry Integrity Tag of the Retry packet h against the original
 * destination connection ID the client used. Returns 0 when it matches,
 * PM_E_TLS when not, PM_E_UNSUPPORTED for a version without known Retry keys.
 */
PM_MUST_CHECK int pm_quic_retry_check(const struct pm_quic_hdr *h, const uint8_t *odcid,
                                      size_t odcid_len);

#endif /* PM_QUICCRYPT_H */

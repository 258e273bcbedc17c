/* SPDX-License-Identifier: MIT */
/*
 * sha256.h - SHA-256 (FIPS 180-4) for bulk data: the x86 SHA extensions
 * when the CPU has them (checked once, at run time), BearSSL's br_sha256
 * otherwise. HTTP bodies are hashed with it, because at BearSSL's portable
 * speed hashing the downloads of a capture costs more than the rest of the
 * analysis. HMAC-SHA256 on it serves QUIC's key derivation (HKDF), which
 * runs several HMACs for every connection.
 */
#ifndef PM_SHA256_H
#define PM_SHA256_H

#include <bearssl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PM_SHA256_LEN 32

/* One running hash. Zeroed is not initialised: call pm_sha256_init. */
struct pm_sha256 {
	uint32_t h[8];        /* chaining state (SHA extensions path) */
	uint8_t buf[64];      /* partial block */
	uint64_t len;         /* bytes hashed so far */
	bool ni;              /* the SHA extensions path is used */
	br_sha256_context br; /* the portable path's state */
};

void pm_sha256_init(struct pm_sha256 *s);
void pm_sha256_update(struct pm_sha256 *s, const void *p, size_t n);
/* Write the digest of everything hashed so far to out (the state is left as it was). */
void pm_sha256_out(const struct pm_sha256 *s, uint8_t out[PM_SHA256_LEN]);
/* True when this CPU runs the SHA extensions path. */
bool pm_sha256_accelerated(void);
/* Use the portable path even where the extensions exist (tests compare the two). */
void pm_sha256_force_portable(bool on);

/*
 * An HMAC-SHA256 key (RFC 2104), prepared once: the hash states after the
 * inner and the outer padded key, so each message under the key costs only
 * its own blocks and the outer one.
 */
struct pm_hmac_sha256 {
	struct pm_sha256 inner, outer;
};

void pm_hmac_sha256_key(struct pm_hmac_sha256 *k, const void *key, size_t n);
/* Start a message under k in *s (pm_sha256_update adds to it). */
void pm_hmac_sha256_begin(const struct pm_hmac_sha256 *k, struct pm_sha256 *s);
/* The MAC of the message in s. */
void pm_hmac_sha256_out(const struct pm_hmac_sha256 *k, const struct pm_sha256 *s,
                        uint8_t out[PM_SHA256_LEN]);

#endif /* PM_SHA256_H */

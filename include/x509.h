/* SPDX-License-Identifier: MIT */
/*
 * x509.h - a bounded DER reader for the facts an analyst wants from an
 * X.509 certificate (RFC 5280 §4.1): subject, issuer, serial, validity,
 * subject alternative names (DNS names and IP addresses), public key type
 * and size, signature algorithm, SHA-1 and SHA-256 fingerprints of the DER.
 *
 * Only definite-length DER with single-byte tags is read; nothing is
 * verified (no signature check, no chain building). The fingerprints are
 * BearSSL's SHA-1 and SHA-256; the fields are read here because BearSSL's
 * decoder (br_x509_decoder) exposes neither names as text, SANs, serial nor
 * validity in a form a report can use.
 */
#ifndef PM_X509_H
#define PM_X509_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

#define PM_X509_MAX_NAME  256 /* bytes of a rendered Name ("CN=..., O=...") */
#define PM_X509_MAX_SANS  8   /* subject alternative names kept */
#define PM_X509_MAX_SAN   128 /* bytes of one kept name */
#define PM_X509_MAX_DEPTH 8   /* DER nesting walked */

struct pm_x509 {
	/*
	 * Attributes in DER order, ", " between all of them: "C=US, O=..., CN=...".
	 * Keys are OpenSSL's short names (CN, serialNumber, jurisdictionC, DC, ...);
	 * another type is its dotted OID and '#' with the hex of its DER value
	 * (RFC 4514 §2.4). Values are unescaped, BMPString and UniversalString
	 * as UTF-8, control bytes as '?'; cut at the capacity.
	 */
	char subject[PM_X509_MAX_NAME];
	char issuer[PM_X509_MAX_NAME];    /* the same for the issuer */
	char subject_cn[PM_X509_MAX_SAN]; /* the subject's last commonName, "" when none */
	char serial[2 * 20 + 1];          /* hex, at most 20 octets (RFC 5280 §4.1.2.2) */
	int64_t not_before, not_after;    /* seconds since the epoch (UTC) */
	char sans[PM_X509_MAX_SANS][PM_X509_MAX_SAN]; /* dNSName and iPAddress, as text */
	uint8_t n_sans;                               /* kept */
	uint16_t sans_total;                          /* on the wire */
	const char *key_type;                         /* "RSA", "EC", "Ed25519", "DSA", "unknown" */
	uint32_t key_bits;                            /* modulus bits, curve bits; 0 unknown */
	const char *sig_alg; /* "sha256WithRSAEncryption", ...; "unknown" */
	bool self_signed;    /* subject and issuer are the same bytes */
	uint8_t sha1[20];    /* of the whole DER */
	uint8_t sha256[32];  /* of the whole DER */
};

/*
 * Read the DER certificate of n bytes at p into *out (fully overwritten).
 * Returns 0, PM_E_TRUNC when it ends early or PM_E_MALFORMED.
 */
PM_MUST_CHECK int pm_x509_parse(const uint8_t *p, size_t n, struct pm_x509 *out);

/*
 * Whether the certificate covers host (len bytes): a SAN DNS name equal to
 * it, or a leftmost-label wildcard matching one label (RFC 6125 §6.4.3);
 * the subject CN only when there is no SAN. Case-insensitive.
 */
bool pm_x509_covers(const struct pm_x509 *x, const char *host, size_t len);

#endif /* PM_X509_H */

/* SPDX-License-Identifier: MIT */
/*
 * fuzz_quic.c - the QUIC header parser and the Initial decryption path. The
 * input is one UDP payload: its coalesced packets are parsed, every Initial
 * is unprotected with the keys its own DCID gives (client and server side),
 * a decrypted payload's frames are walked, a Retry's tag is checked against
 * the input's first bytes, and the input is also read as a ClientHello body
 * for transport parameters. Views must lie in the input.
 */
#include <string.h>

#include "fuzz.h"
#include "quic.h"
#include "quiccrypt.h"

static void
check_view(const uint8_t *in, size_t n, const uint8_t *p, size_t len)
{
	if (p == NULL) {
		return;
	}
	FUZZ_ASSERT(p >= in && (size_t)(p - in) <= n && len <= n - (size_t)(p - in));
}

static void
count_crypto(void *arg, uint64_t off, const uint8_t *data, size_t len)
{
	(void)off;
	(void)data;
	*(size_t *)arg += len;
}

static uint8_t buf[65536];

static void
try_decrypt(const struct pm_quic_hdr *h)
{
	struct pm_quic_keys c, s;
	if (pm_quic_initial_keys(h->version, h->dcid, h->dcid_len, &c, &s) != 0) {
		return;
	}
	struct pm_quic_plain pl;
	for (int side = 0; side < 2; side++) {
		if (pm_quic_unprotect(side ? &s : &c, h, buf, sizeof(buf), &pl) == 0) {
			FUZZ_ASSERT(pl.payload_len <= h->len && pl.pn_len >= 1 && pl.pn_len <= 4);
			size_t bytes = 0;
			struct pm_quic_frames fr;
			if (pm_quic_walk_frames(pl.payload, pl.payload_len, h->version,
			                        count_crypto, &bytes, &fr) == 0) {
				FUZZ_ASSERT(bytes <= pl.payload_len);
			}
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pm_quic_hdr h[PM_QUIC_MAX_PKT];
	int rc;
	size_t k = pm_quic_parse_datagram(data, size, 8, h, PM_QUIC_MAX_PKT, &rc);
	FUZZ_ASSERT(k <= PM_QUIC_MAX_PKT);
	for (size_t i = 0; i < k; i++) {
		check_view(data, size, h[i].pkt, h[i].len);
		check_view(data, size, h[i].dcid, h[i].dcid_len);
		check_view(data, size, h[i].scid, h[i].scid_len);
		check_view(data, size, h[i].token, h[i].token_len);
		FUZZ_ASSERT(h[i].nvers <= PM_QUIC_MAX_VN);
		if (h[i].type == PM_QUIC_INITIAL) {
			try_decrypt(&h[i]);
		} else if (h[i].type == PM_QUIC_RETRY) {
			int r = pm_quic_retry_check(&h[i], data, size < 20 ? size : 20);
			FUZZ_ASSERT(r == 0 || r == PM_E_TLS || r == PM_E_UNSUPPORTED);
		}
	}
	struct pm_quic_frames fr;
	if (pm_quic_walk_frames(data, size, PM_QUIC_V1, NULL, NULL, &fr) == 0) {
		FUZZ_ASSERT(fr.padding <= size);
	}
	struct pm_quic_tparams tp;
	if (pm_quic_tparams(data, size, &tp) == 0) {
		check_view(data, size, tp.scid, tp.scid_len);
		FUZZ_ASSERT(tp.n <= PM_QUIC_MAX_TP);
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * fuzz_tls.c - the TLS hello parsers and fingerprints. The input is a
 * ClientHello body and, from the same bytes, a ServerHello body; whatever
 * parses is fingerprinted, and every view the parser returns must lie in
 * the input and every string must be terminated within its buffer.
 */
#include <string.h>

#include "fuzz.h"
#include "tls.h"

static void
check_view(const uint8_t *in, size_t n, const uint8_t *p, size_t len)
{
	if (p == NULL) {
		return;
	}
	FUZZ_ASSERT(p >= in && (size_t)(p - in) <= n && len <= n - (size_t)(p - in));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pm_tls_client_hello h;
	char s[PM_TLS_JA3_MAX], md5[PM_TLS_HASH_HEX], ja4[PM_TLS_JA4_MAX];
	if (pm_tls_parse_client_hello(data, size, &h) == 0) {
		check_view(data, size, h.sni, h.sni_len);
		check_view(data, size, h.alpn, h.alpn_len);
		FUZZ_ASSERT(h.ciphers.n <= PM_TLS_MAX_LIST && h.exts.n <= PM_TLS_MAX_EXTS);
		pm_tls_ja3(&h, s, sizeof(s), md5);
		FUZZ_ASSERT(strlen(s) < sizeof(s) && strlen(md5) == 32);
		pm_tls_ja4(&h, ja4);
		FUZZ_ASSERT(strlen(ja4) == 36);
	}
	struct pm_tls_server_hello sh;
	if (pm_tls_parse_server_hello(data, size, &sh) == 0) {
		check_view(data, size, sh.alpn, sh.alpn_len);
		pm_tls_ja3s(&sh, s, sizeof(s), md5);
		FUZZ_ASSERT(strlen(s) < sizeof(s) && strlen(md5) == 32);
		pm_tls_ja4s(&sh, ja4);
		FUZZ_ASSERT(strlen(ja4) == 25);
	}
	return 0;
}

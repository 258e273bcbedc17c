/* SPDX-License-Identifier: MIT */
/*
 * fuzz_x509.c - the DER certificate reader: any input either fails or
 * yields terminated strings within their buffers and kept SANs within the
 * cap; the name check runs on whatever was read.
 */
#include <string.h>

#include "fuzz.h"
#include "x509.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pm_x509 x;
	if (pm_x509_parse(data, size, &x) != 0) {
		return 0;
	}
	FUZZ_ASSERT(strlen(x.subject) < sizeof(x.subject));
	FUZZ_ASSERT(strlen(x.issuer) < sizeof(x.issuer));
	FUZZ_ASSERT(strlen(x.serial) < sizeof(x.serial));
	FUZZ_ASSERT(x.n_sans <= PM_X509_MAX_SANS);
	for (unsigned i = 0; i < x.n_sans; i++) {
		FUZZ_ASSERT(strlen(x.sans[i]) < PM_X509_MAX_SAN);
	}
	FUZZ_ASSERT(x.key_type != NULL && x.sig_alg != NULL);
	(void)pm_x509_covers(&x, "www.example.com", 15);
	return 0;
}

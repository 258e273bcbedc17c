/* SPDX-License-Identifier: MIT */
/*
 * fuzz_provmap.c - the provider-answer mapping and the RDAP bootstrap
 * lookup. The first byte picks the provider (low 3 bits, mod the count)
 * and the status (bit 3: 404); the rest is the body. A mapping that
 * succeeds writes a complete JSON object whose signals are in range, and
 * mapping without a writer agrees on the result; the bootstrap lookup of
 * fixed addresses returns a found URL that is https and ends in '/'.
 * Inputs are capped at PM_PROVMAP_MAX_BODY.
 */
#include <string.h>

#include "fuzz.h"
#include "json.h"
#include "provmap.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t probes[][16] = {
		{ 1, 2, 3, 4 },
		{ 41, 0, 0, 1 },
		{ 0x20, 0x01, 0x02, 0x00 },
	};
	if (size < 1 || size > PM_PROVMAP_MAX_BODY) {
		return 0;
	}
	enum pm_provider p = (enum pm_provider)((data[0] & 7u) % PM_PROV_COUNT);
	int status = data[0] & 8u ? 404 : 200;
	struct pm_prov_signals g, g2;
	struct pm_json w;
	pm_json_init(&w, 0);
	pm_json_obj_begin(&w);
	int rc = pm_provmap(p, status, data + 1, size - 1, &w, &g);
	pm_json_obj_end(&w);
	FUZZ_ASSERT(rc == 0 || rc == PM_E_MALFORMED || rc == PM_E_LIMIT || rc == PM_E_NOMEM);
	FUZZ_ASSERT(pm_provmap(p, status, data + 1, size - 1, NULL, &g2) == rc);
	if (rc == 0) {
		FUZZ_ASSERT(pm_json_finish(&w) == 0);
		FUZZ_ASSERT(memcmp(&g, &g2, sizeof(g)) == 0);
		FUZZ_ASSERT(g.otx_pulses >= -1 && g.shodan_vulns >= -1);
	}
	pm_json_free(&w);
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		char url[512];
		int found =
		    pm_rdap_bootstrap_find(data + 1, size - 1, probes[i], i < 2, url, sizeof(url));
		FUZZ_ASSERT(found == 0 || found == 1 || found == PM_E_MALFORMED ||
		            found == PM_E_LIMIT || found == PM_E_NOMEM);
		if (found == 1) {
			size_t n = strlen(url);
			FUZZ_ASSERT(n > 9 && strncmp(url, "https://", 8) == 0 && url[n - 1] == '/');
		}
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * fuzz_mcp.c - the MCP dispatcher: one input is one request line handed to
 * pm_mcp_handle_line, with a fresh server each time (no state survives an
 * input) writing to /dev/null. The allowed directory is captures/ when run
 * from the project root, else /tmp; nothing reaches the network (no tool
 * here calls it). Inputs over 1 MiB are skipped.
 */
#define _DEFAULT_SOURCE /* realpath */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "mcp.h"
#include "sandbox.h"

#define FUZZ_MCP_MAX_INPUT (1u << 20)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pm_config cfg;
	static int null_fd = -1;
	if (null_fd < 0) {
		null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		FUZZ_ASSERT(null_fd >= 0);
		cfg.max_file_mb = 64;
		snprintf(cfg.tools, sizeof(cfg.tools), "all");
		if (realpath("captures", cfg.allowed_dir) == NULL) {
			snprintf(cfg.allowed_dir, sizeof(cfg.allowed_dir), "/tmp");
		}
	}
	if (size > FUZZ_MCP_MAX_INPUT) {
		return 0;
	}
	struct pm_mcp m;
	FUZZ_ASSERT(pm_mcp_init(&m, &cfg, NULL, null_fd) == 0);
	pm_mcp_handle_line(&m, (const char *)data, size);
	FUZZ_ASSERT(!atomic_load(&m.io.out_failed));
	FUZZ_ASSERT(m.io.calls == NULL && m.io.head == NULL); /* every call answered, none queued */
	pm_mcp_free(&m);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * replay.c - main() for the plain build of every fuzz target: feeds each
 * file named on the command line (directories are walked one level deep) to
 * LLVMFuzzerTestOneInput, so fuzz corpora run as regression tests without
 * libFuzzer. Prints "fuzz <dir>: N inputs" and exits non-zero if one cannot
 * be read; a crash is a crash.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#define REPLAY_MAX_INPUT (16u << 20)

static int
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		perror(path);
		return 1;
	}
	uint8_t *buf = malloc(REPLAY_MAX_INPUT);
	if (buf == NULL) {
		fclose(f);
		return 1;
	}
	size_t n = fread(buf, 1, REPLAY_MAX_INPUT, f);
	fclose(f);
	/* An exact-size copy, so ASan sees any read past the input. */
	uint8_t *in = malloc(n != 0 ? n : 1);
	if (in == NULL) {
		free(buf);
		return 1;
	}
	memcpy(in, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(in, n);
	free(in);
	return 0;
}

static int
run_dir(const char *dir, unsigned long *count)
{
	DIR *d = opendir(dir);
	if (d == NULL) {
		perror(dir);
		return 1;
	}
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.') {
			continue;
		}
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			rc |= run_file(path);
			(*count)++;
		}
	}
	closedir(d);
	return rc;
}

int
main(int argc, char **argv)
{
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		unsigned long count = 0;
		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			rc = 1;
		} else if (S_ISDIR(st.st_mode)) {
			rc |= run_dir(argv[i], &count);
		} else {
			rc |= run_file(argv[i]);
			count = 1;
		}
		printf("fuzz %s: %lu inputs\n", argv[i], count);
	}
	return rc;
}

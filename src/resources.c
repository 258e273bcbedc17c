/* SPDX-License-Identifier: MIT */
/*
 * resources.c - the captures under the allowed directory as MCP resources:
 * a bounded directory walk with a magic check, the sorted resources/list
 * array, and file:// URI percent-encoding and decoding. Writes no JSON-RPC
 * envelope and resolves no path against the sandbox; mcp.c does both.
 *
 * References: RFC 3986 §2.1 and §2.3 (percent-encoding, unreserved
 * characters); RFC 8089 (file URIs); MCP 2025-11-25 server/resources.
 */
#include "resources.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "json.h"

#define WALK_MAX_DEPTH 8     /* directory levels resources/list visits */
#define WALK_MAX_SEEN  10000 /* directory entries it looks at */
#define WALK_MAX_KEPT  2000  /* captures sorted before the first 200 */

struct capture_file {
	const char *name; /* relative to the allowed directory; arena */
	uint64_t size;    /* bytes */
};

struct walk {
	struct pm_arena *a;         /* owns names */
	struct capture_file *files; /* WALK_MAX_KEPT slots; arena */
	size_t n;                   /* slots filled */
	size_t seen;                /* directory entries looked at */
	const char *root;           /* the allowed directory */
};

/* A pcap (either byte order, µs, ns or modified) or pcapng magic in the first 4 bytes. */
static bool
has_capture_magic(const char *path)
{
	static const uint32_t magic[] = { 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1,
		                          0xa1b2cd34, 0x34cdb2a1, 0x0a0d0d0a };
	uint8_t b[4];
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		return false;
	}
	ssize_t k = read(fd, b, sizeof(b));
	close(fd);
	uint32_t v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	for (size_t i = 0; k == 4 && i < PM_ARRAY_LEN(magic); i++) {
		if (v == magic[i]) {
			return true;
		}
	}
	return false;
}

static void
join(char *out, size_t cap, const char *a, const char *b)
{
	if (a[0] == '\0') {
		snprintf(out, cap, "%s", b);
	} else if (snprintf(out, cap, "%s%s%s", a, strcmp(a, "/") == 0 ? "" : "/", b) >= (int)cap) {
		out[0] = '\0';
	}
}

/* Depth is bounded by WALK_MAX_DEPTH, so the recursion is too. Symlinks are not followed. */
static void
/* NOLINTNEXTLINE(misc-no-recursion): the depth is at most WALK_MAX_DEPTH */
walk_dir(struct walk *wk, const char *rel, int depth)
{
	char dir[PATH_MAX];
	join(dir, sizeof(dir), wk->root, rel);
	DIR *d = opendir(dir);
	if (d == NULL) {
		return;
	}
	struct dirent *e;
	while (wk->n < WALK_MAX_KEPT && wk->seen < WALK_MAX_SEEN && (e = readdir(d)) != NULL) {
		wk->seen++;
		char name[PATH_MAX], full[PATH_MAX];
		struct stat st;
		join(name, sizeof(name), rel, e->d_name);
		join(full, sizeof(full), wk->root, name);
		if (e->d_name[0] == '.' || name[0] == '\0' || full[0] == '\0' ||
		    lstat(full, &st) != 0) {
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (depth < WALK_MAX_DEPTH) {
				walk_dir(wk, name, depth + 1);
			}
			continue;
		}
		if (S_ISREG(st.st_mode) && has_capture_magic(full)) {
			const char *copy = pm_arena_strndup(wk->a, name, strlen(name));
			if (copy != NULL) {
				wk->files[wk->n].name = copy;
				wk->files[wk->n].size = (uint64_t)st.st_size;
				wk->n++;
			}
		}
	}
	closedir(d);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct capture_file *)a)->name,
	              ((const struct capture_file *)b)->name);
}

/*
 * "file://" plus root/name (name NULL: root alone), percent-encoded except
 * unreserved characters and '/' (RFC 3986), into uri.
 */
static void
encode_uri(const char *root, const char *name, char uri[3 * PATH_MAX + 8])
{
	char path[PATH_MAX];
	size_t n = 7;
	if (name != NULL) {
		join(path, sizeof(path), root, name);
	} else {
		snprintf(path, sizeof(path), "%s", root);
	}
	memcpy(uri, "file://", 7);
	for (const char *p = path; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    strchr("-._~/", c) != NULL) {
			uri[n++] = (char)c;
		} else {
			n += (size_t)snprintf(uri + n, 4, "%%%02X", c);
		}
	}
	uri[n] = '\0';
}

/* see resources.h */
int
pm_resources_list(struct pm_json *w, const char *root, struct pm_arena *a)
{
	char next[PM_RESOURCES_CURSOR_MAX];
	return pm_resources_list_page(w, root, a, NULL, next);
}

/* see resources.h */
int
pm_resources_list_page(struct pm_json *w, const char *root, struct pm_arena *a, const char *cursor,
                       char next[PM_RESOURCES_CURSOR_MAX])
{
	char uri[3 * PATH_MAX + 8];
	const char *after = NULL;
	next[0] = '\0';
	if (cursor != NULL && cursor[0] != '\0') {
		if (strncmp(cursor, "after:", 6) != 0 || cursor[6] == '\0') {
			return PM_E_MALFORMED;
		}
		after = cursor + 6;
	}
	struct walk wk = { .a = a, .root = root };
	wk.files =
	    pm_arena_array(a, WALK_MAX_KEPT, sizeof(*wk.files), _Alignof(struct capture_file));
	if (wk.files == NULL) {
		return PM_E_NOMEM;
	}
	walk_dir(&wk, "", 1);
	qsort(wk.files, wk.n, sizeof(*wk.files), by_name);
	size_t i = 0;
	while (after != NULL && i < wk.n && strcmp(wk.files[i].name, after) <= 0) {
		i++;
	}
	size_t end = wk.n - i > PM_RESOURCES_MAX ? i + PM_RESOURCES_MAX : wk.n;
	pm_json_arr_begin(w);
	for (; i < end; i++) {
		pm_json_obj_begin(w);
		encode_uri(wk.root, wk.files[i].name, uri);
		pm_json_kstr(w, "uri", uri);
		pm_json_kstr(w, "name", wk.files[i].name);
		pm_json_kstr(w, "mimeType", "application/vnd.tcpdump.pcap");
		pm_json_ku64(w, "size", wk.files[i].size);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	if (end < wk.n) {
		/* Names come from join() into PATH_MAX bytes, so the cursor fits. */
		snprintf(next, PM_RESOURCES_CURSOR_MAX, "after:%s", wk.files[end - 1].name);
	}
	return 0;
}

/* see resources.h */
void
pm_resources_templates(struct pm_json *w, const char *root)
{
	char uri[3 * PATH_MAX + 8], tmpl[3 * PATH_MAX + 24];
	encode_uri(root, NULL, uri);
	snprintf(tmpl, sizeof(tmpl), "%s%s{+path}", uri, strcmp(root, "/") == 0 ? "" : "/");
	pm_json_arr_begin(w);
	pm_json_obj_begin(w);
	pm_json_kstr(w, "uriTemplate", tmpl);
	pm_json_kstr(w, "name", "capture");
	pm_json_kstr(w, "title", "A capture by its relative path");
	pm_json_kstr(w, "description",
	             "A pcap or pcapng file below the allowed directory, by its path relative to "
	             "it (e.g. dir/trace.pcapng). The URI is also accepted as any tool's path.");
	pm_json_kstr(w, "mimeType", "application/vnd.tcpdump.pcap");
	pm_json_obj_end(w);
	pm_json_arr_end(w);
}

static int
hex_digit(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

/* see resources.h */
int
pm_resources_uri_path(const char *uri, char *out, size_t cap)
{
	size_t n = 0;
	if (strncmp(uri, "file://", 7) != 0 || uri[7] != '/') {
		return PM_E_MALFORMED;
	}
	for (const char *p = uri + 7; *p != '\0'; p++) {
		int c = (unsigned char)*p;
		if (c == '%') {
			int hi = hex_digit(p[1]), lo = hi < 0 ? -1 : hex_digit(p[2]);
			if (lo < 0 || (hi | lo) == 0) {
				return PM_E_MALFORMED;
			}
			c = hi << 4 | lo;
			p += 2;
		}
		if (n + 1 >= cap) {
			return PM_E_LIMIT;
		}
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return 0;
}

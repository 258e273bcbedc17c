/* SPDX-License-Identifier: MIT */
/*
 * test_mcp.c - the MCP dispatcher: one request line in, the response lines
 * out (through a temporary file), parsed back and checked. Covers version
 * negotiation, the JSON-RPC error codes, tools, prompts, resources, the
 * modern era, batches, and pm_mcp_serve over a pipe (a 10 MB line,
 * cancellation of a running analysis).
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include "test.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"
#include "json.h"
#include "jsonparse.h"
#include "mcp.h"
#include "sandbox.h"

#define OUT_CAP (16u << 20)

static struct pm_config cfg;
static char *out;     /* the response lines of the last call */
static size_t outlen; /* bytes in out */
static int outfd;

static void
read_out(void)
{
	outlen = 0;
	lseek(outfd, 0, SEEK_SET);
	ssize_t k;
	while (outlen < OUT_CAP && (k = read(outfd, out + outlen, OUT_CAP - outlen)) > 0) {
		outlen += (size_t)k;
	}
	out[outlen] = '\0';
	CHECK(ftruncate(outfd, 0) == 0);
	lseek(outfd, 0, SEEK_SET);
}

static size_t
count_lines(void)
{
	size_t n = 0;
	for (size_t i = 0; i < outlen; i++) {
		n += out[i] == '\n';
	}
	return n;
}

/* Parse line number i (0-based) of out. */
static const struct pm_jv *
line_at(struct pm_arena *a, size_t i)
{
	const char *s = out;
	for (; i > 0 && s != NULL; i--) {
		s = strchr(s, '\n');
		s = s != NULL ? s + 1 : NULL;
	}
	const char *e = s != NULL ? strchr(s, '\n') : NULL;
	const struct pm_jv *v = NULL;
	if (e == NULL || pm_json_parse((const uint8_t *)s, (size_t)(e - s), a, &v, NULL) != 0) {
		return NULL;
	}
	return v;
}

/* Send one line; return the last response line parsed (NULL when none). */
static const struct pm_jv *
rpc(struct pm_mcp *m, struct pm_arena *a, const char *line)
{
	pm_mcp_handle_line(m, line, strlen(line));
	read_out();
	size_t n = count_lines();
	return n == 0 ? NULL : line_at(a, n - 1);
}

static int64_t
err_code(const struct pm_jv *v)
{
	int64_t c = 0;
	return pm_jv_int(pm_jv_get(pm_jv_get(v, "error"), "code"), &c) ? c : 0;
}

static const struct pm_jv *
result(const struct pm_jv *v)
{
	return pm_jv_get(v, "result");
}

static const char *
sget(const struct pm_jv *v, const char *k)
{
	return pm_jv_str(pm_jv_get(v, k));
}

static int64_t
iget(const struct pm_jv *v, const char *k)
{
	int64_t i = -1;
	return pm_jv_int(pm_jv_get(v, k), &i) ? i : -1;
}

static bool
bget(const struct pm_jv *v, const char *k)
{
	bool b = false;
	return pm_jv_bool(pm_jv_get(v, k), &b) && b;
}

static void
test_negotiation(struct pm_mcp *m, struct pm_arena *a)
{
	static const char *const vs[] = { "2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25" };
	char line[256];
	for (size_t i = 0; i < 4; i++) {
		snprintf(line, sizeof(line),
		         "{\"jsonrpc\":\"2.0\",\"id\":%zu,\"method\":\"initialize\",\"params\":{"
		         "\"protocolVersion\":\"%s\",\"capabilities\":{},\"clientInfo\":{\"name\":"
		         "\"t\",\"version\":\"1\"}}}",
		         i, vs[i]);
		const struct pm_jv *r = rpc(m, a, line);
		CHECK_STR(sget(result(r), "protocolVersion"), vs[i]);
		CHECK_EQ(iget(r, "id"), (long long)i);
	}
	const struct pm_jv *r =
	    rpc(m, a,
	        "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"initialize\","
	        "\"params\":{\"protocolVersion\":\"1999-01-01\",\"capabilities\":{}}}");
	CHECK_STR(sget(r, "id"), "x");
	CHECK_STR(sget(result(r), "protocolVersion"), "2025-11-25");
	CHECK_STR(sget(pm_jv_get(result(r), "serverInfo"), "name"), "pcapmcp");
	CHECK(pm_jv_is(pm_jv_get(pm_jv_get(result(r), "capabilities"), "tools"), PM_JV_OBJ));
	CHECK(strstr(sget(result(r), "instructions"), "analyze_capinfos") != NULL);
	CHECK(pm_jv_get(result(r), "resultType") == NULL);
	CHECK_EQ(pm_jv_get(r, "error") == NULL, 1);
	CHECK_EQ(r != NULL ? r->len : 0, 3); /* jsonrpc, id, result: nothing else */
}

static void
test_errors(struct pm_mcp *m, struct pm_arena *a)
{
	const struct pm_jv *r = rpc(m, a, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}");
	CHECK_EQ(iget(r, "id"), 7);
	CHECK(pm_jv_is(result(r), PM_JV_OBJ) && result(r)->len == 0);
	r = rpc(m, a, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"no/such\"}");
	CHECK_EQ(err_code(r), -32601);
	CHECK_EQ(iget(r, "id"), 8);
	r = rpc(m, a, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":");
	CHECK_EQ(err_code(r), -32700);
	CHECK(pm_jv_get(r, "id") == NULL);
	r = rpc(m, a, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]");
	CHECK_EQ(err_code(r), -32600);
	CHECK(pm_jv_get(r, "id") == NULL);
	r = rpc(m, a, "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}");
	CHECK_EQ(err_code(r), -32600);
	CHECK_EQ(iget(r, "id"), 1);
	r = rpc(m, a, "{\"id\":1,\"method\":\"ping\"}");
	CHECK_EQ(err_code(r), -32600);
	r = rpc(m, a, "{\"jsonrpc\":\"2.0\",\"id\":2}");
	CHECK_EQ(err_code(r), -32600);
	r = rpc(m, a, "17");
	CHECK_EQ(err_code(r), -32600);
	static const char *const bad_ids[] = { "true", "null", "1.5",
		                               "{}",   "[]",   "99999999999999999999" };
	for (size_t i = 0; i < PM_ARRAY_LEN(bad_ids); i++) {
		char line[128];
		snprintf(line, sizeof(line), "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"ping\"}",
		         bad_ids[i]);
		r = rpc(m, a, line);
		CHECK_EQ(err_code(r), -32600);
		CHECK(r != NULL && pm_jv_get(r, "id") == NULL);
	}
	CHECK(rpc(m, a, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}") == NULL);
	CHECK(rpc(m, a, "{\"jsonrpc\":\"2.0\",\"method\":\"no/such\",\"params\":{}}") == NULL);
	CHECK(rpc(m, a,
	          "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":"
	          "{\"requestId\":3}}") == NULL);
	CHECK(rpc(m, a, "   ") == NULL);
	CHECK_EQ(outlen, 0);
	r = rpc(m, a, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\",\"params\":[1]}");
	CHECK_EQ(err_code(r), -32602);
	r = rpc(m, a,
	        "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"logging/setLevel\","
	        "\"params\":{\"level\":\"warning\"}}");
	CHECK(result(r) != NULL);
	CHECK_EQ(m->log_level, 3);
	r = rpc(m, a,
	        "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"logging/setLevel\","
	        "\"params\":{\"level\":\"loud\"}}");
	CHECK_EQ(err_code(r), -32602);
	/* 10,000 '[' nest too deeply; the next line is still answered. */
	char *deep = malloc(10001);
	memset(deep, '[', 10000);
	deep[10000] = '\0';
	r = rpc(m, a, deep);
	CHECK(err_code(r) == -32600 || err_code(r) == -32700);
	free(deep);
	r = rpc(m, a, "{\"jsonrpc\":\"2.0\",\"id\":\"after\",\"method\":\"ping\"}\r");
	CHECK_STR(sget(r, "id"), "after");
}

static void
test_tools(struct pm_mcp *m, struct pm_arena *a)
{
	/* Every list is one page, so any cursor is one this server never gave out. */
	const struct pm_jv *r = rpc(m, a,
	                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\","
	                            "\"params\":{\"cursor\":\"x\"}}");
	int64_t code = 0;
	CHECK(pm_jv_int(pm_jv_get(pm_jv_get(r, "error"), "code"), &code) && code == -32602);
	r = rpc(m, a, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
	const struct pm_jv *tools = pm_jv_get(result(r), "tools");
	size_t n;
	const struct pm_tool *t = pm_tools(&n);
	CHECK(pm_jv_is(tools, PM_JV_ARR));
	CHECK_EQ(tools != NULL ? tools->len : 0, n);
	for (size_t i = 0; tools != NULL && i < n && i < tools->len; i++) {
		const struct pm_jv *e = &tools->items[i];
		CHECK_STR(sget(e, "name"), t[i].name);
		CHECK_STR(sget(pm_jv_get(e, "inputSchema"), "type"), "object");
		CHECK_STR(sget(pm_jv_get(e, "outputSchema"), "type"), "object");
		CHECK(bget(pm_jv_get(e, "annotations"), "readOnlyHint"));
	}
	r = rpc(m, a,
	        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{"
	        "\"name\":\"nope\",\"arguments\":{}}}");
	CHECK_EQ(err_code(r), -32602);
	r = rpc(m, a,
	        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{"
	        "\"name\":\"get_info\"}}");
	CHECK(pm_jv_get(result(r), "isError") != NULL && !bget(result(r), "isError"));
	CHECK(bget(pm_jv_get(result(r), "structuredContent"), "ok"));
	r = rpc(m, a,
	        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{"
	        "\"name\":\"analyze_capinfos\",\"arguments\":{\"path\":"
	        "\"loopback-http.pcapng\"}}}");
	const struct pm_jv *sc = pm_jv_get(result(r), "structuredContent");
	CHECK_EQ(iget(sc, "packet_count"), 46);
	CHECK(pm_jv_get(result(r), "isError") != NULL && !bget(result(r), "isError"));
	const struct pm_jv *content = pm_jv_get(result(r), "content");
	const char *text =
	    content != NULL && content->len == 1 ? sget(&content->items[0], "text") : NULL;
	const struct pm_jv *tv = NULL;
	CHECK(text != NULL &&
	      pm_json_parse((const uint8_t *)text, strlen(text), a, &tv, NULL) == 0);
	CHECK_EQ(iget(tv, "packet_count"), 46);
	CHECK(text != NULL && strchr(text, '\n') == NULL); /* compact */
	r = rpc(m, a,
	        "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{"
	        "\"name\":\"analyze_capinfos\",\"arguments\":{\"path\":\"/etc/passwd\"}}}");
	CHECK(bget(result(r), "isError"));
	CHECK_STR(sget(pm_jv_get(result(r), "structuredContent"), "error"),
	          "path_outside_allowed_dir");
	r = rpc(m, a,
	        "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{"
	        "\"name\":\"get_info\",\"arguments\":[]}}");
	CHECK_EQ(err_code(r), -32602);
}

static void
test_modern(struct pm_mcp *m, struct pm_arena *a)
{
	const struct pm_jv *r =
	    rpc(m, a,
	        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server/discover\",\"params\":{"
	        "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
	        "\"io.modelcontextprotocol/clientCapabilities\":{}}}}");
	const struct pm_jv *res = result(r);
	CHECK_STR(sget(res, "resultType"), "complete");
	CHECK_STR(sget(res, "cacheScope"), "public");
	CHECK(iget(res, "ttlMs") > 0);
	const struct pm_jv *sv = pm_jv_get(res, "supportedVersions");
	CHECK_EQ(sv != NULL ? sv->len : 0, 5);
	CHECK(sv != NULL && sv->len == 5 && strcmp(pm_jv_str(&sv->items[4]), "2026-07-28") == 0);
	CHECK_STR(
	    sget(pm_jv_get(pm_jv_get(res, "_meta"), "io.modelcontextprotocol/serverInfo"), "name"),
	    "pcapmcp");
	r = rpc(m, a,
	        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{"
	        "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
	        "\"io.modelcontextprotocol/clientCapabilities\":{}}}}");
	CHECK_STR(sget(result(r), "resultType"), "complete");
	CHECK_STR(sget(result(r), "cacheScope"), "public");
	CHECK(pm_jv_is(pm_jv_get(result(r), "tools"), PM_JV_ARR));
	r = rpc(m, a,
	        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{"
	        "\"name\":\"get_info\",\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":"
	        "\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":{}}}}");
	CHECK_STR(sget(result(r), "resultType"), "complete");
	CHECK(bget(pm_jv_get(result(r), "structuredContent"), "ok"));
	r = rpc(m, a,
	        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\",\"params\":{"
	        "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"1900-01-01\","
	        "\"io.modelcontextprotocol/clientCapabilities\":{}}}}");
	CHECK_EQ(err_code(r), -32022);
	const struct pm_jv *data = pm_jv_get(pm_jv_get(r, "error"), "data");
	CHECK(pm_jv_is(pm_jv_get(data, "supported"), PM_JV_ARR));
	CHECK_STR(sget(data, "requested"), "1900-01-01");
	r = rpc(m, a,
	        "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\",\"params\":{"
	        "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"}}}");
	CHECK_EQ(err_code(r), -32602);
	r = rpc(m, a,
	        "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/list\",\"params\":{"
	        "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
	        "\"io.modelcontextprotocol/clientCapabilities\":7}}}");
	CHECK_EQ(err_code(r), -32602);
}

static void
test_prompts_resources(struct pm_mcp *m, struct pm_arena *a)
{
	const struct pm_jv *r =
	    rpc(m, a, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"prompts/list\"}");
	const struct pm_jv *ps = pm_jv_get(result(r), "prompts");
	CHECK_EQ(ps != NULL ? ps->len : 0, 4);
	r = rpc(m, a,
	        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"prompts/get\",\"params\":{"
	        "\"name\":\"security_triage\",\"arguments\":{\"path\":\"x.pcap\"}}}");
	const struct pm_jv *msgs = pm_jv_get(result(r), "messages");
	const char *text = msgs != NULL && msgs->len == 1
	                       ? sget(pm_jv_get(&msgs->items[0], "content"), "text")
	                       : NULL;
	CHECK(text != NULL && strstr(text, "get_pcap_summary") != NULL);
	CHECK(text != NULL && strstr(text, "x.pcap") != NULL);
	CHECK(text != NULL &&
	      (strstr(text, "enrich_ip") != NULL) == (pm_tool_find("enrich_ip") != NULL));
	r = rpc(m, a,
	        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"prompts/get\",\"params\":{"
	        "\"name\":\"nope\",\"arguments\":{\"path\":\"x.pcap\"}}}");
	CHECK_EQ(err_code(r), -32602);
	r = rpc(m, a,
	        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"prompts/get\",\"params\":{"
	        "\"name\":\"forensic_timeline\"}}");
	CHECK_EQ(err_code(r), -32602);

	r = rpc(m, a, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"resources/list\"}");
	const struct pm_jv *rs = pm_jv_get(result(r), "resources");
	CHECK(rs != NULL && rs->len > 20);
	bool seen_http = false, sorted = true, stray = false;
	const char *uri = NULL;
	for (size_t i = 0; rs != NULL && i < rs->len; i++) {
		const char *name = sget(&rs->items[i], "name");
		if (name != NULL && strcmp(name, "loopback-http.pcapng") == 0) {
			seen_http = true;
			uri = sget(&rs->items[i], "uri");
		}
		stray |= name == NULL || strstr(name, ".pcap") == NULL;
		sorted &= i == 0 || strcmp(sget(&rs->items[i - 1], "name"), name) < 0;
	}
	CHECK(seen_http && sorted && !stray);
	CHECK(uri != NULL && strncmp(uri, "file:///", 8) == 0);
	char line[PATH_MAX + 128];
	snprintf(line, sizeof(line),
	         "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"resources/read\",\"params\":{"
	         "\"uri\":\"%s\"}}",
	         uri != NULL ? uri : "");
	r = rpc(m, a, line);
	const struct pm_jv *cs = pm_jv_get(result(r), "contents");
	const char *facts = cs != NULL && cs->len == 1 ? sget(&cs->items[0], "text") : NULL;
	const struct pm_jv *fv = NULL;
	CHECK(facts != NULL &&
	      pm_json_parse((const uint8_t *)facts, strlen(facts), a, &fv, NULL) == 0);
	CHECK_EQ(iget(fv, "packet_count"), 46);
	r = rpc(m, a,
	        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"resources/read\",\"params\":{"
	        "\"uri\":\"file:///etc/passwd\"}}");
	CHECK_EQ(err_code(r), -32002);
	CHECK_STR(sget(pm_jv_get(pm_jv_get(r, "error"), "data"), "uri"), "file:///etc/passwd");
}

static void
test_batch(struct pm_arena *a)
{
	struct pm_mcp m;
	CHECK_EQ(pm_mcp_init(&m, &cfg, "all", outfd), 0);
	rpc(&m, a,
	    "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{"
	    "\"protocolVersion\":\"2025-03-26\",\"capabilities\":{}}}");
	const struct pm_jv *r =
	    rpc(&m, a,
	        "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},{\"jsonrpc\":\"2.0\","
	        "\"method\":\"notifications/initialized\"},{\"jsonrpc\":\"2.0\",\"id\":2,"
	        "\"method\":\"nope\"},5]");
	CHECK(pm_jv_is(r, PM_JV_ARR) && r->len == 3);
	if (pm_jv_is(r, PM_JV_ARR) && r->len == 3) {
		CHECK_EQ(iget(&r->items[0], "id"), 1);
		CHECK_EQ(err_code(&r->items[1]), -32601);
		CHECK_EQ(err_code(&r->items[2]), -32600);
	}
	r = rpc(&m, a, "[]");
	CHECK_EQ(err_code(r), -32600);
	CHECK(rpc(&m, a, "[{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}]") ==
	      NULL);
	pm_mcp_free(&m);
}

/* Serve the bytes a child process writes; the responses land in out. */
static int
serve_from_child(const struct pm_config *c, void (*writer)(int fd))
{
	int p[2];
	CHECK(pipe(p) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		writer(p[1]);
		close(p[1]);
		_exit(0);
	}
	close(p[1]);
	int rc = pm_mcp_serve(c, "all", p[0], outfd);
	close(p[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	read_out();
	return rc;
}

static void
write_str(int fd, const char *s)
{
	size_t n = strlen(s);
	while (n > 0) {
		ssize_t k = write(fd, s, n);
		if (k <= 0) {
			return;
		}
		s += k;
		n -= (size_t)k;
	}
}

static void
write_huge(int fd)
{
	static char chunk[1 << 16];
	memset(chunk, 'a', sizeof(chunk));
	chunk[0] = '"';
	write_str(fd, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"x\":\"");
	for (int i = 0; i < 160; i++) { /* 10 MiB */
		if (write(fd, chunk + 1, sizeof(chunk) - 1) < 0) {
			return;
		}
	}
	write_str(fd, "\"}\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}\n");
}

static void
write_cancel(int fd)
{
	write_str(fd,
	          "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":"
	          "\"analyze_capinfos\",\"arguments\":{\"path\":\"big.pcap\"}}}\n"
	          "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":"
	          "{\"requestId\":5}}\n"
	          "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"ping\"}\n");
}

/* A classic pcap of `count` 14-byte Ethernet frames. */
static bool
write_big_pcap(const char *path, uint32_t count)
{
	static const uint8_t hdr[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2,    0,    4, 0, 0, 0, 0, 0,
		                         0,    0,    0,    0,    0xff, 0xff, 0, 0, 1, 0, 0, 0 };
	FILE *f = fopen(path, "wb");
	if (f == NULL) {
		return false;
	}
	fwrite(hdr, 1, sizeof(hdr), f);
	for (uint32_t i = 0; i < count; i++) {
		uint8_t rec[30] = { 0 };
		rec[0] = (uint8_t)(i >> 8);
		rec[8] = 14;
		rec[12] = 14;
		rec[28] = 0x08;
		fwrite(rec, 1, sizeof(rec), f);
	}
	return fclose(f) == 0;
}

static void
test_serve(struct pm_arena *a)
{
	CHECK_EQ(serve_from_child(&cfg, write_huge), 0);
	CHECK_EQ(count_lines(), 2);
	const struct pm_jv *r = line_at(a, 0);
	CHECK_EQ(err_code(r), -32600);
	CHECK(r != NULL && pm_jv_get(r, "id") == NULL);
	CHECK_EQ(iget(line_at(a, 1), "id"), 2);

	/* A capture long enough for progress callbacks (every PM_PROGRESS_EVERY records). */
	static struct pm_config big;
	char dir[] = "/tmp/pcapmcp-mcp-XXXXXX", path[64];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/big.pcap", dir);
	CHECK(write_big_pcap(path, 300000));
	big = cfg;
	CHECK(realpath(dir, big.allowed_dir) != NULL);

	CHECK_EQ(serve_from_child(&big, write_cancel), 0);
	CHECK_EQ(count_lines(), 1);
	CHECK_EQ(iget(line_at(a, 0), "id"), 6);

	struct pm_mcp m;
	CHECK_EQ(pm_mcp_init(&m, &big, NULL, outfd), 0);
	r = rpc(&m, a,
	        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{"
	        "\"name\":\"analyze_capinfos\",\"arguments\":{\"path\":\"big.pcap\"},"
	        "\"_meta\":{\"progressToken\":\"tok\"}}}");
	CHECK_EQ(iget(pm_jv_get(result(r), "structuredContent"), "packet_count"), 300000);
	size_t n = count_lines();
	CHECK(n >= 3);
	const struct pm_jv *p = line_at(a, 0);
	CHECK_STR(sget(p, "method"), "notifications/progress");
	CHECK_STR(sget(pm_jv_get(p, "params"), "progressToken"), "tok");
	CHECK(iget(pm_jv_get(p, "params"), "progress") > 0);
	pm_mcp_free(&m);
	unlink(path);
	rmdir(dir);
}

void test_mcp(void);

void
test_mcp(void)
{
	struct pm_arena a;
	struct pm_mcp m;
	FILE *f = tmpfile();
	out = malloc(OUT_CAP + 1);
	memset(&cfg, 0, sizeof(cfg));
	cfg.max_file_mb = 4096;
	snprintf(cfg.tools, sizeof(cfg.tools), "all");
	if (f == NULL || out == NULL || realpath("captures", cfg.allowed_dir) == NULL) {
		CHECK(!"test_mcp needs a temporary file and captures/");
		free(out);
		return;
	}
	outfd = fileno(f);
	pm_arena_init(&a, 256u << 20);
	CHECK_EQ(pm_mcp_init(&m, &cfg, NULL, outfd), 0);
	test_negotiation(&m, &a);
	test_errors(&m, &a);
	test_tools(&m, &a);
	test_modern(&m, &a);
	test_prompts_resources(&m, &a);
	pm_mcp_free(&m);
	CHECK_EQ(pm_mcp_init(&m, &cfg, "no_such_tool", outfd), PM_E_MALFORMED);
	pm_mcp_free(&m);
	test_batch(&a);
	test_serve(&a);
	pm_arena_free(&a);
	fclose(f);
	free(out);
}

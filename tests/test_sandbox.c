/* SPDX-License-Identifier: MIT */
/*
 * test_sandbox.c - configuration parsing, path checks and the token, in a
 * mkdtemp() directory T holding T/data (the allowed directory), a prefix
 * sibling T/data2 and files just outside. Every escape of issue #4 is tried.
 */
#define _DEFAULT_SOURCE /* realpath, mkdtemp */
#include "sandbox.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "test.h"

void test_sandbox(void);

static char T[PATH_MAX];        /* the temporary directory, resolved */
static char data[PATH_MAX + 8]; /* T/data */
static struct pm_config cfg;    /* allowed_dir = data */

/* 24-byte little-endian pcap header: v2.4, snaplen 65535, Ethernet. */
static const uint8_t pcap_le[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2,    0,    4, 0, 0, 0, 0, 0,
	                             0,    0,    0,    0,    0xff, 0xff, 0, 0, 1, 0, 0, 0 };

/* dir/name in one of four rotating buffers, so a call can take several. */
static const char *
join(const char *dir, const char *name)
{
	static char buf[4][2 * PATH_MAX];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static void
put(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	if (fd >= 0) {
		CHECK_EQ(write(fd, p, n), (long long)n);
		close(fd);
	}
}

static void
put_magic(const char *name, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	uint8_t h[24];
	memcpy(h, pcap_le, sizeof(h));
	h[0] = a;
	h[1] = b;
	h[2] = c;
	h[3] = d;
	put(join(data, name), h, sizeof(h));
}

static void
make_tree(void)
{
	char tmpl[] = "/tmp/pm-sandbox-XXXXXX";
	CHECK(mkdtemp(tmpl) != NULL);
	CHECK(realpath(tmpl, T) != NULL);
	snprintf(data, sizeof(data), "%s/data", T);
	CHECK_EQ(mkdir(data, 0755), 0);
	CHECK_EQ(mkdir(join(T, "data2"), 0755), 0);
	CHECK_EQ(mkdir(join(data, "sub"), 0755), 0);
	put(join(data, "ok.pcap"), pcap_le, sizeof(pcap_le));
	put(join(T, "x.pcap"), pcap_le, sizeof(pcap_le));
	put(join(T, "data2/x.pcap"), pcap_le, sizeof(pcap_le));
	put_magic("be.pcap", 0xa1, 0xb2, 0xc3, 0xd4);
	put_magic("ns.pcap", 0x4d, 0x3c, 0xb2, 0xa1);
	put_magic("ns-be.pcap", 0xa1, 0xb2, 0x3c, 0x4d);
	put_magic("mod.pcap", 0x34, 0xcd, 0xb2, 0xa1);
	put_magic("mod-be.pcap", 0xa1, 0xb2, 0xcd, 0x34);
	put_magic("sub/capture.bin", 0x0a, 0x0d, 0x0d, 0x0a);
	put_magic("ng-wrong.pcap", 0x0a, 0x0d, 0x0d, 0x0b);
	put(join(data, "text.pcap"), "hello, world\n", 13);
	put(join(data, "short.pcap"), pcap_le, 3);
	put(join(data, "empty.pcap"), "", 0);
	CHECK_EQ(symlink(join(T, "x.pcap"), join(data, "link.pcap")), 0);
	CHECK_EQ(symlink("ok.pcap", join(data, "inlink.pcap")), 0);
	CHECK_EQ(symlink("/dev/null", join(data, "dev.pcap")), 0);
	CHECK_EQ(symlink("../data2", join(data, "sib")), 0);
	CHECK_EQ(mkfifo(join(data, "fifo.pcap"), 0644), 0);
	/* Sparse: 3 MiB of size, one block of disk. */
	put(join(data, "big.pcap"), pcap_le, sizeof(pcap_le));
	CHECK_EQ(truncate(join(data, "big.pcap"), 3 << 20), 0);
}

static void
remove_tree(void)
{
	static const char *const names[] = {
		"ok.pcap",     "be.pcap",         "ns.pcap",       "ns-be.pcap", "mod.pcap",
		"mod-be.pcap", "sub/capture.bin", "ng-wrong.pcap", "text.pcap",  "short.pcap",
		"empty.pcap",  "link.pcap",       "inlink.pcap",   "dev.pcap",   "sib",
		"fifo.pcap",   "big.pcap",
	};
	for (size_t i = 0; i < PM_ARRAY_LEN(names); i++) {
		CHECK_EQ(unlink(join(data, names[i])), 0);
	}
	CHECK_EQ(unlink(join(T, "x.pcap")), 0);
	CHECK_EQ(unlink(join(T, "data2/x.pcap")), 0);
	CHECK_EQ(rmdir(join(data, "sub")), 0);
	CHECK_EQ(rmdir(join(T, "data2")), 0);
	CHECK_EQ(rmdir(data), 0);
	CHECK_EQ(rmdir(T), 0);
}

/* Load a config from "NAME=value" strings (at most 15). */
static int
load(struct pm_config *c, const char *const *vars, struct pm_error *err)
{
	static char bufs[15][PATH_MAX + 64];
	char *envp[16];
	size_t n = 0;
	for (; vars[n] != NULL && n < 15; n++) {
		snprintf(bufs[n], sizeof(bufs[n]), "%s", vars[n]);
		envp[n] = bufs[n];
	}
	envp[n] = NULL;
	return pm_config_load(c, envp, err);
}

static void
expect_ok(const struct pm_config *c, const char *path, const char *want)
{
	char out[PATH_MAX];
	struct pm_error err = { 0 };
	int rc = pm_sandbox_resolve(c, path, out, &err);
	CHECK_EQ(rc, 0);
	CHECK_STR(out, want);
	if (rc != 0) {
		fprintf(stderr, "  path %s: %s\n", path, err.msg);
	}
}

static void
expect_code(const struct pm_config *c, const char *path, int want_rc, const char *want)
{
	char out[PATH_MAX];
	struct pm_error err = { 0 };
	int rc = pm_sandbox_resolve(c, path, out, &err);
	CHECK_EQ(rc, want_rc);
	CHECK_STR(pm_ecode_name(err.ecode), want);
	CHECK(strncmp(err.msg, want, strlen(want)) != 0); /* the code is a value, not a prefix */
	CHECK_EQ(out[0], '\0');
	CHECK(strlen(err.msg) < sizeof(err.msg));
	if (rc != want_rc || strcmp(pm_ecode_name(err.ecode), want) != 0) {
		fprintf(stderr, "  path %s: %s\n", path, err.msg);
	}
}

static void
test_accepted(void)
{
	const char *ok = join(data, "ok.pcap");
	expect_ok(&cfg, "ok.pcap", ok);
	expect_ok(&cfg, ok, ok);
	expect_ok(&cfg, "./ok.pcap", ok);
	expect_ok(&cfg, "sub/../ok.pcap", ok);
	expect_ok(&cfg, "../data/ok.pcap", ok);
	expect_ok(&cfg, "inlink.pcap", ok);
	expect_ok(&cfg, join(data, "/./ok.pcap"), ok);
	static const char *const magics[] = { "be.pcap",  "ns.pcap",     "ns-be.pcap",
		                              "mod.pcap", "mod-be.pcap", "sub/capture.bin" };
	for (size_t i = 0; i < PM_ARRAY_LEN(magics); i++) {
		expect_ok(&cfg, magics[i], join(data, magics[i]));
	}
	/* Sparse 3 MiB is under the default 4096 MiB. */
	expect_ok(&cfg, "big.pcap", join(data, "big.pcap"));
}

static void
test_escapes(void)
{
	const int out = PM_E_LIMIT;
	const char *code = "path_outside_allowed_dir";
	expect_code(&cfg, "../x.pcap", out, code);
	expect_code(&cfg, join(T, "x.pcap"), out, code);
	expect_code(&cfg, "link.pcap", out, code);
	expect_code(&cfg, join(T, "data2/x.pcap"), out, code);
	expect_code(&cfg, "../data2/x.pcap", out, code);
	expect_code(&cfg, "sib/x.pcap", out, code);
	expect_code(&cfg, "dev.pcap", out, code);
	expect_code(&cfg, "/etc/passwd", out, code);
	expect_code(&cfg, "/dev/null", out, code);
	expect_code(&cfg, "..", out, code);
	expect_code(&cfg, "sub/../../x.pcap", out, code);
	/* Missing and outside: no existence oracle. */
	expect_code(&cfg, "../nope.pcap", out, code);
	expect_code(&cfg, "/nonexistent/nope.pcap", out, code);
}

static void
test_refused_types(void)
{
	static struct pm_config dev;
	const int alarm_s = 10; /* a blocking open on the FIFO would kill the run */
	alarm(alarm_s);
	expect_code(&cfg, "fifo.pcap", PM_E_UNSUPPORTED, "not_a_regular_file");
	alarm(0);
	expect_code(&cfg, "sub", PM_E_UNSUPPORTED, "not_a_regular_file");
	expect_code(&cfg, ".", PM_E_UNSUPPORTED, "not_a_regular_file");
	expect_code(&cfg, data, PM_E_UNSUPPORTED, "not_a_regular_file");
	dev = cfg;
	snprintf(dev.allowed_dir, sizeof(dev.allowed_dir), "/dev");
	expect_code(&dev, "null", PM_E_UNSUPPORTED, "not_a_regular_file");
	expect_code(&dev, "/dev/null", PM_E_UNSUPPORTED, "not_a_regular_file");
	expect_code(&cfg, "text.pcap", PM_E_UNSUPPORTED, "unsupported_file_type");
	expect_code(&cfg, "short.pcap", PM_E_UNSUPPORTED, "unsupported_file_type");
	expect_code(&cfg, "empty.pcap", PM_E_UNSUPPORTED, "unsupported_file_type");
	expect_code(&cfg, "ng-wrong.pcap", PM_E_UNSUPPORTED, "unsupported_file_type");
	expect_code(&cfg, "nope.pcap", PM_E_IO, "path_not_found");
	expect_code(&cfg, "sub/nope.pcap", PM_E_IO, "path_not_found");
	expect_code(&cfg, "ok.pcap/x", PM_E_IO, "path_not_found");
}

static void
test_size_limit(void)
{
	static struct pm_config small;
	small = cfg;
	small.max_file_mb = 3;
	expect_ok(&small, "big.pcap", join(data, "big.pcap"));
	small.max_file_mb = 2;
	expect_code(&small, "big.pcap", PM_E_LIMIT, "file_too_large");
	expect_ok(&small, "ok.pcap", join(data, "ok.pcap"));
}

static void
test_bad_paths(void)
{
	static char longp[PATH_MAX + 8];
	char out[PATH_MAX];
	struct pm_error err = { 0 };
	int fd = 7;
	expect_code(&cfg, "", PM_E_MALFORMED, "invalid_argument");
	CHECK_EQ(pm_sandbox_open(&cfg, "ok.pcap\0.txt", 12, out, &fd, &err), PM_E_MALFORMED);
	CHECK_EQ(err.ecode, PM_EC_INVALID_ARGUMENT);
	CHECK_EQ(fd, -1);
	memset(longp, 'a', PATH_MAX);
	longp[PATH_MAX] = '\0';
	expect_code(&cfg, longp, PM_E_LIMIT, "invalid_argument");
	/* Relative: the allowed directory's length counts too. */
	longp[PATH_MAX - strlen(data) - 1] = '\0';
	expect_code(&cfg, longp, PM_E_LIMIT, "invalid_argument");
}

static void
test_fd_and_root(void)
{
	static struct pm_config root;
	char out[PATH_MAX];
	uint8_t buf[24];
	struct pm_error err = { 0 };
	int fd = -1;
	CHECK_EQ(pm_sandbox_open(&cfg, "ok.pcap", 7, out, &fd, &err), 0);
	CHECK(fd >= 0);
	if (fd >= 0) {
		CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0);
		CHECK_EQ(read(fd, buf, sizeof(buf)), 24);
		CHECK_MEM(buf, pcap_le, sizeof(buf));
		CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
		close(fd);
	}
	/* The length bounds the path: "ok.pcapXYZ" cut at 7 is ok.pcap. */
	CHECK_EQ(pm_sandbox_open(&cfg, "ok.pcapXYZ", 7, out, &fd, &err), 0);
	close(fd);
	root = cfg;
	snprintf(root.allowed_dir, sizeof(root.allowed_dir), "/");
	expect_ok(&root, join(T, "x.pcap"), join(T, "x.pcap"));
	expect_ok(&root, join(data, "link.pcap"), join(T, "x.pcap"));
}

static void
test_messages(void)
{
	static char deep[PATH_MAX];
	char out[PATH_MAX];
	struct pm_error err = { 0 };
	CHECK(pm_sandbox_resolve(&cfg, "../x.pcap", out, &err) != 0);
	CHECK(strstr(err.msg, data) != NULL);
	CHECK(strstr(err.msg, "PCAPMCP_ALLOWED_DIR") != NULL);
	CHECK_EQ(err.ecode, PM_EC_PATH_OUTSIDE_ALLOWED_DIR);
	CHECK(strncmp(err.msg, "../x.pcap is outside /", 22) == 0);
	/* A long path is cut to its tail; the hint survives. */
	snprintf(deep, sizeof(deep), "/nonexistent/%0300d/x.pcap", 0);
	CHECK(pm_sandbox_resolve(&cfg, deep, out, &err) != 0);
	CHECK(strstr(err.msg, "...") != NULL);
	CHECK(strstr(err.msg, "/x.pcap") != NULL);
	CHECK(strstr(err.msg, "PCAPMCP_ALLOWED_DIR") != NULL);
	/* Without a contract code the tool reports invalid_argument (internal_error when out of memory). */
	CHECK_EQ(pm_error_set(&err, PM_E_MALFORMED, 0, "something else"), PM_E_MALFORMED);
	CHECK_STR(pm_ecode_name(pm_error_ecode(&err)), "invalid_argument");
	CHECK_STR(err.msg, "something else");
	CHECK_EQ(pm_error_set(&err, PM_E_NOMEM, 0, "out of memory"), PM_E_NOMEM);
	CHECK_EQ(pm_error_ecode(&err), PM_EC_INTERNAL_ERROR);
	CHECK_EQ(pm_error_setc(&err, PM_E_LIMIT, PM_EC_FILE_TOO_LARGE, 0, "big"), PM_E_LIMIT);
	CHECK_STR(pm_ecode_name(pm_error_ecode(&err)), "file_too_large");
	CHECK_STR(err.msg, "big");
	/* pm_error_set clears a code set before. */
	pm_error_set(&err, PM_E_IO, 0, "again");
	CHECK_EQ(err.ecode, PM_EC_NONE);
	CHECK_STR(pm_ecode_name(PM_EC_NONE), "none");
	CHECK_STR(pm_ecode_name(PM_EC_CANCELLED), "cancelled");
	CHECK_STR(pm_ecode_name(PM_EC_COUNT), "internal_error");
}

static void
test_token(void)
{
	static struct pm_config t;
	memset(&t, 0, sizeof(t));
	CHECK(pm_sandbox_token_ok(&t, NULL));
	CHECK(pm_sandbox_token_ok(&t, "anything"));
	snprintf(t.token, sizeof(t.token), "s3cret");
	t.token_set = true;
	CHECK(pm_sandbox_token_ok(&t, "wrong"));
	t.require_token = true;
	CHECK(pm_sandbox_token_ok(&t, "s3cret"));
	CHECK(!pm_sandbox_token_ok(&t, "s3creT"));
	CHECK(!pm_sandbox_token_ok(&t, "S3cret"));
	CHECK(!pm_sandbox_token_ok(&t, "wrong"));
	CHECK(!pm_sandbox_token_ok(&t, NULL));
	CHECK(!pm_sandbox_token_ok(&t, ""));
	CHECK(!pm_sandbox_token_ok(&t, "s3cre"));
	CHECK(!pm_sandbox_token_ok(&t, "s3cret!"));
	CHECK(!pm_sandbox_token_ok(&t, "s3crets3cret"));
	/* Required with no token (a hand-built struct) admits nobody. */
	t.token[0] = '\0';
	t.token_set = false;
	CHECK(!pm_sandbox_token_ok(&t, ""));
	CHECK(!pm_sandbox_token_ok(&t, NULL));
}

static void
test_config_defaults(void)
{
	static struct pm_config c;
	char cwd[PATH_MAX];
	struct pm_error err = { 0 };
	CHECK(realpath(".", cwd) != NULL);
	CHECK_EQ(load(&c, (const char *const[]){ "HOME=/home/u", NULL }, &err), 0);
	CHECK_STR(c.allowed_dir, cwd);
	CHECK_EQ(c.max_file_mb, 4096);
	CHECK(!c.require_token && !c.token_set && !c.offline && !c.allow_private);
	CHECK_STR(c.tools, "all");
	CHECK_STR(c.cache_dir, "/home/u/.cache/pcapmcp");
	CHECK_STR(c.ca_file, "");
	CHECK_STR(c.geoip_db, "");
	CHECK_EQ(load(&c, (const char *const[]){ "HOME=/h", "XDG_CACHE_HOME=/x/c", NULL }, &err),
	         0);
	CHECK_STR(c.cache_dir, "/x/c/pcapmcp");
	CHECK_EQ(load(&c, (const char *const[]){ "HOME=/h", "XDG_CACHE_HOME=rel", NULL }, &err), 0);
	CHECK_STR(c.cache_dir, "/h/.cache/pcapmcp");
	CHECK_EQ(load(&c, (const char *const[]){ NULL }, &err), 0);
	CHECK_STR(c.cache_dir, "");
}

static void
test_config_values(void)
{
	static struct pm_config c;
	static char dir[PATH_MAX + 32];
	struct pm_error err = { 0 };
	snprintf(dir, sizeof(dir), "PCAPMCP_ALLOWED_DIR=%s/data/sub/..", T);
	const char *const all[] = { dir,
		                    "PCAPMCP_MAX_FILE_MB=10",
		                    "PCAPMCP_TOKEN=abc",
		                    "PCAPMCP_REQUIRE_TOKEN=YES",
		                    "PCAPMCP_OFFLINE=1",
		                    "PCAPMCP_ALLOW_PRIVATE=True",
		                    "PCAPMCP_CACHE_DIR=/c",
		                    "PCAPMCP_CA_FILE=/ca.pem",
		                    "PCAPMCP_GEOIP_DB=/g.mmdb",
		                    "PCAPMCP_ASN_DB=/a.mmdb",
		                    "PCAPMCP_TOOLS=capture,flows",
		                    NULL };
	CHECK_EQ(load(&c, all, &err), 0);
	CHECK_STR(c.allowed_dir, data);
	CHECK_EQ(c.max_file_mb, 10);
	CHECK_STR(c.token, "abc");
	CHECK(c.token_set && c.require_token && c.offline && c.allow_private);
	CHECK_STR(c.cache_dir, "/c");
	CHECK_STR(c.ca_file, "/ca.pem");
	CHECK_STR(c.geoip_db, "/g.mmdb");
	CHECK_STR(c.asn_db, "/a.mmdb");
	CHECK_STR(c.tools, "capture,flows");
}

static void
test_config_aliases(void)
{
	static struct pm_config c;
	static char dir[PATH_MAX + 32], dir2[PATH_MAX + 32];
	struct pm_error err = { 0 };
	snprintf(dir, sizeof(dir), "PORT_HUNTER_ALLOWED_DIR=%s/data", T);
	snprintf(dir2, sizeof(dir2), "PCAPMCP_ALLOWED_DIR=%s/data2", T);
	const char *const ph[] = { dir, "PORT_HUNTER_MAX_PCAP_MB=7", "PORT_HUNTER_TOKEN=t",
		                   "PORT_HUNTER_REQUIRE_TOKEN=true", NULL };
	CHECK_EQ(load(&c, ph, &err), 0);
	CHECK_STR(c.allowed_dir, data);
	CHECK_EQ(c.max_file_mb, 7);
	CHECK_STR(c.token, "t");
	CHECK(c.require_token);
	/* The PCAPMCP_ name wins; an empty one counts as unset. */
	const char *const both[] = { dir,
		                     dir2,
		                     "PORT_HUNTER_MAX_PCAP_MB=7",
		                     "PCAPMCP_MAX_FILE_MB=8",
		                     "PCAPMCP_TOKEN=",
		                     "PORT_HUNTER_TOKEN=ph",
		                     "PCAPMCP_REQUIRE_TOKEN=no",
		                     "PORT_HUNTER_REQUIRE_TOKEN=yes",
		                     NULL };
	CHECK_EQ(load(&c, both, &err), 0);
	CHECK_STR(c.allowed_dir, join(T, "data2"));
	CHECK_EQ(c.max_file_mb, 8);
	CHECK_STR(c.token, "ph");
	CHECK(!c.require_token);
}

static void
expect_bad(const char *var, int want_rc, const char *name_in_msg)
{
	static struct pm_config c;
	struct pm_error err = { 0 };
	const char *const env[] = { "PCAPMCP_TOKEN=hunter2", var, NULL };
	int rc = load(&c, env, &err);
	CHECK_EQ(rc, want_rc);
	CHECK(strstr(err.msg, name_in_msg) != NULL);
	CHECK(strstr(err.msg, "hunter2") == NULL);
	if (rc != want_rc) {
		fprintf(stderr, "  env %s: %s\n", var, err.msg);
	}
}

/* Issue 9: PortHunter's defaults, decimals and the variable named in messages. */
static void
test_config_porthunter(void)
{
	static struct pm_config c;
	static char dir[PATH_MAX + 32];
	struct pm_error err = { 0 };
	char out[PATH_MAX];
	snprintf(dir, sizeof(dir), "PORT_HUNTER_ALLOWED_DIR=%s/data", T);
	/* A PORT_HUNTER_TOKEN alone requires the token, as PortHunter does. */
	CHECK_EQ(load(&c, (const char *const[]){ dir, "PORT_HUNTER_TOKEN=t", NULL }, &err), 0);
	CHECK(c.require_token);
	CHECK_STR(c.require_var, "PORT_HUNTER_TOKEN");
	CHECK(!pm_sandbox_token_ok(&c, NULL) && pm_sandbox_token_ok(&c, "t"));
	CHECK_EQ(load(&c,
	              (const char *const[]){ dir, "PORT_HUNTER_TOKEN=t",
	                                     "PORT_HUNTER_REQUIRE_TOKEN=false", NULL },
	              &err),
	         0);
	CHECK(!c.require_token);
	CHECK_EQ(load(&c,
	              (const char *const[]){ dir, "PORT_HUNTER_TOKEN=t", "PCAPMCP_REQUIRE_TOKEN=0",
	                                     NULL },
	              &err),
	         0);
	CHECK(!c.require_token);
	/* PCAPMCP_TOKEN keeps pcapmcp's default: not required. */
	CHECK_EQ(load(&c, (const char *const[]){ dir, "PCAPMCP_TOKEN=t", NULL }, &err), 0);
	CHECK(!c.require_token);
	CHECK_EQ(load(&c, (const char *const[]){ "PORT_HUNTER_REQUIRE_TOKEN=1", NULL }, &err),
	         PM_E_MALFORMED);
	CHECK(strstr(err.msg, "PORT_HUNTER_REQUIRE_TOKEN") != NULL &&
	      strstr(err.msg, "PORT_HUNTER_TOKEN") != NULL);
	/* Decimals: PortHunter's float MB. */
	CHECK_EQ(load(&c, (const char *const[]){ "PORT_HUNTER_MAX_PCAP_MB=0.5", NULL }, &err), 0);
	CHECK_EQ(c.max_file_bytes, 1u << 19);
	CHECK_EQ(c.max_file_mb, 1);
	CHECK_EQ(load(&c, (const char *const[]){ "PORT_HUNTER_MAX_PCAP_MB=2.25", NULL }, &err), 0);
	CHECK_EQ(c.max_file_bytes, (2u << 20) + (1u << 18));
	CHECK_EQ(load(&c, (const char *const[]){ "PORT_HUNTER_MAX_PCAP_MB=50", NULL }, &err), 0);
	CHECK_EQ(c.max_file_mb, 50);
	CHECK_EQ(c.max_file_bytes, 0);
	static const char *const bad[] = { "0.0",  ".",         "1.",  "-0.5",
		                           "0.5x", "1.1234567", "0x1", " 1.5" };
	for (size_t i = 0; i < PM_ARRAY_LEN(bad); i++) {
		static char buf[64];
		snprintf(buf, sizeof(buf), "PORT_HUNTER_MAX_PCAP_MB=%s", bad[i]);
		expect_bad(buf, PM_E_MALFORMED, "PORT_HUNTER_MAX_PCAP_MB");
	}
	/* The size message names the variable in use. */
	c = cfg;
	c.max_file_bytes = 1000;
	c.max_mb_var = "PORT_HUNTER_MAX_PCAP_MB";
	CHECK_EQ(pm_sandbox_resolve(&c, "big.pcap", out, &err), PM_E_LIMIT);
	CHECK(strstr(err.msg, "PORT_HUNTER_MAX_PCAP_MB") != NULL &&
	      strstr(err.msg, "PCAPMCP") == NULL);
	CHECK(strstr(err.msg, "1000-byte limit") != NULL);
	c.dir_var = "PORT_HUNTER_ALLOWED_DIR";
	CHECK_EQ(pm_sandbox_resolve(&c, "/etc/hostname", out, &err), PM_E_LIMIT);
	CHECK(strstr(err.msg, "PORT_HUNTER_ALLOWED_DIR") != NULL);
	CHECK_EQ(load(&c, (const char *const[]){ dir, NULL }, &err), 0);
	CHECK_STR(c.dir_var, "PORT_HUNTER_ALLOWED_DIR");
	CHECK_STR(c.max_mb_var, "PCAPMCP_MAX_FILE_MB");
	/* The result budget. */
	CHECK_EQ(c.max_result_chars, PM_CONFIG_DEFAULT_RESULT_CHARS);
	CHECK_EQ(load(&c, (const char *const[]){ "PCAPMCP_MAX_RESULT_CHARS=25000", NULL }, &err),
	         0);
	CHECK_EQ(c.max_result_chars, 25000);
	expect_bad("PCAPMCP_MAX_RESULT_CHARS=19999", PM_E_MALFORMED, "PCAPMCP_MAX_RESULT_CHARS");
	expect_bad("PCAPMCP_MAX_RESULT_CHARS=lots", PM_E_MALFORMED, "PCAPMCP_MAX_RESULT_CHARS");
	/* The reassembly window and pool cap: defaults, a value, and both ends refused. */
	CHECK_EQ(c.reasm_window_kb, PM_CONFIG_DEFAULT_REASM_KB);
	CHECK_EQ(c.reasm_max_mb, PM_CONFIG_DEFAULT_REASM_MB);
	CHECK_EQ(load(&c,
	              (const char *const[]){ "PCAPMCP_REASM_WINDOW_KB=16384",
	                                     "PCAPMCP_REASM_MAX_MB=1", NULL },
	              &err),
	         0);
	CHECK_EQ(c.reasm_window_kb, 16384);
	CHECK_EQ(c.reasm_max_mb, 1);
	expect_bad("PCAPMCP_REASM_WINDOW_KB=0", PM_E_MALFORMED, "PCAPMCP_REASM_WINDOW_KB");
	expect_bad("PCAPMCP_REASM_WINDOW_KB=16385", PM_E_MALFORMED, "PCAPMCP_REASM_WINDOW_KB");
	expect_bad("PCAPMCP_REASM_MAX_MB=4097", PM_E_MALFORMED, "PCAPMCP_REASM_MAX_MB");
	/* PORT_HUNTER_ALLOW_PRIVATE is PortHunter's name for PCAPMCP_ALLOW_PRIVATE. */
	CHECK_EQ(load(&c, (const char *const[]){ "PORT_HUNTER_ALLOW_PRIVATE=true", NULL }, &err),
	         0);
	CHECK(c.allow_private);
}

static void
test_config_errors(void)
{
	static const char *const bools[] = { "maybe", "tru", "yess", " true", "2", "on", "1 " };
	static const char *const nums[] = { "0",
		                            "-1",
		                            "+5",
		                            " 5",
		                            "5 ",
		                            "5MB",
		                            "0x10",
		                            "1.5",
		                            "17592186044416",
		                            "18446744073709551616" };
	static char buf[PATH_MAX + 64];
	static struct pm_config c;
	struct pm_error err = { 0 };
	for (size_t i = 0; i < PM_ARRAY_LEN(bools); i++) {
		snprintf(buf, sizeof(buf), "PCAPMCP_OFFLINE=%s", bools[i]);
		expect_bad(buf, PM_E_MALFORMED, "PCAPMCP_OFFLINE");
		snprintf(buf, sizeof(buf), "PORT_HUNTER_REQUIRE_TOKEN=%s", bools[i]);
		expect_bad(buf, PM_E_MALFORMED, "PORT_HUNTER_REQUIRE_TOKEN");
	}
	expect_bad("PCAPMCP_ALLOW_PRIVATE=nah", PM_E_MALFORMED, "PCAPMCP_ALLOW_PRIVATE");
	for (size_t i = 0; i < PM_ARRAY_LEN(nums); i++) {
		snprintf(buf, sizeof(buf), "PCAPMCP_MAX_FILE_MB=%s", nums[i]);
		expect_bad(buf, PM_E_MALFORMED, "PCAPMCP_MAX_FILE_MB");
	}
	expect_bad("PORT_HUNTER_MAX_PCAP_MB=x", PM_E_MALFORMED, "PORT_HUNTER_MAX_PCAP_MB");
	CHECK_EQ(
	    load(&c, (const char *const[]){ "PCAPMCP_MAX_FILE_MB=17592186044415", NULL }, &err), 0);
	CHECK_EQ(c.max_file_mb, PM_CONFIG_MAX_MB);
	CHECK_EQ(load(&c, (const char *const[]){ "PCAPMCP_MAX_FILE_MB=007", NULL }, &err), 0);
	CHECK_EQ(c.max_file_mb, 7);
	expect_bad("PCAPMCP_ALLOWED_DIR=/nonexistent/dir", PM_E_IO, "PCAPMCP_ALLOWED_DIR");
	snprintf(buf, sizeof(buf), "PCAPMCP_ALLOWED_DIR=%s/data/ok.pcap", T);
	expect_bad(buf, PM_E_IO, "not a directory");
	CHECK_EQ(load(&c, (const char *const[]){ "PCAPMCP_REQUIRE_TOKEN=1", NULL }, &err),
	         PM_E_MALFORMED);
	CHECK(strstr(err.msg, "PCAPMCP_TOKEN") != NULL);
	CHECK_EQ(load(&c,
	              (const char *const[]){ "PCAPMCP_REQUIRE_TOKEN=1", "PCAPMCP_TOKEN=", NULL },
	              &err),
	         PM_E_MALFORMED);
	/* An over-long token is refused without being quoted. */
	snprintf(buf, sizeof(buf), "PCAPMCP_TOKEN=");
	memset(buf + 14, 'k', PATH_MAX);
	buf[14 + PATH_MAX] = '\0';
	CHECK_EQ(load(&c, (const char *const[]){ buf, NULL }, &err), PM_E_LIMIT);
	CHECK(strstr(err.msg, "kkkk") == NULL);
	memcpy(buf, "PCAPMCP_TOOLS=", 14);
	CHECK_EQ(load(&c, (const char *const[]){ buf, NULL }, &err), PM_E_LIMIT);
}

/* pm_config_load(c, NULL) reads getenv; the environment is restored after. */
static void
test_config_getenv(void)
{
	static const char *const names[] = { "PCAPMCP_ALLOWED_DIR", "PCAPMCP_MAX_FILE_MB",
		                             "PCAPMCP_OFFLINE", "PORT_HUNTER_ALLOWED_DIR",
		                             "PORT_HUNTER_MAX_PCAP_MB" };
	static char saved[PM_ARRAY_LEN(names)][PATH_MAX];
	static struct pm_config c;
	bool had[PM_ARRAY_LEN(names)];
	struct pm_error err = { 0 };
	for (size_t i = 0; i < PM_ARRAY_LEN(names); i++) {
		const char *v = getenv(names[i]);
		had[i] = v != NULL;
		snprintf(saved[i], sizeof(saved[i]), "%s", v != NULL ? v : "");
		unsetenv(names[i]);
	}
	setenv("PORT_HUNTER_ALLOWED_DIR", data, 1);
	setenv("PCAPMCP_MAX_FILE_MB", "3", 1);
	CHECK_EQ(pm_config_load(&c, NULL, &err), 0);
	CHECK_STR(c.allowed_dir, data);
	CHECK_EQ(c.max_file_mb, 3);
	setenv("PCAPMCP_OFFLINE", "sometimes", 1);
	CHECK_EQ(pm_config_load(&c, NULL, &err), PM_E_MALFORMED);
	for (size_t i = 0; i < PM_ARRAY_LEN(names); i++) {
		if (had[i]) {
			setenv(names[i], saved[i], 1);
		} else {
			unsetenv(names[i]);
		}
	}
}

static void
test_describe(void)
{
	static struct pm_config c;
	struct pm_json w;
	static char want[PATH_MAX + 64];
	c = cfg;
	snprintf(c.token, sizeof(c.token), "hunter2");
	c.token_set = true;
	c.require_token = true;
	pm_json_init(&w, 0);
	pm_json_obj_begin(&w);
	pm_config_describe(&c, &w);
	pm_json_obj_end(&w);
	CHECK_EQ(pm_json_finish(&w), 0);
	snprintf(want, sizeof(want), "{\"allowed_dir\":\"%s\",\"max_file_mb\":4096,", data);
	CHECK(w.buf != NULL && strncmp(w.buf, want, strlen(want)) == 0);
	CHECK(strstr(w.buf, "\"require_token\":true,\"token_set\":true,\"offline\":false,"
	                    "\"allow_private\":false,\"tools\":\"all\",\"reasm_window_kb\":64,"
	                    "\"reasm_max_mb\":256}") != NULL);
	CHECK(strstr(w.buf, "hunter2") == NULL);
	pm_json_free(&w);
}

void
test_sandbox(void)
{
	static char dir[PATH_MAX + 32];
	struct pm_error err = { 0 };
	make_tree();
	snprintf(dir, sizeof(dir), "PCAPMCP_ALLOWED_DIR=%s", data);
	CHECK_EQ(load(&cfg, (const char *const[]){ dir, NULL }, &err), 0);
	test_accepted();
	test_escapes();
	test_refused_types();
	test_size_limit();
	test_bad_paths();
	test_fd_and_root();
	test_messages();
	test_token();
	test_config_defaults();
	test_config_values();
	test_config_aliases();
	test_config_porthunter();
	test_config_errors();
	test_config_getenv();
	test_describe();
	remove_tree();
}

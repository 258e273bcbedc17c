/* SPDX-License-Identifier: MIT */
/*
 * test_https.c - the HTTPS client end to end against tests/tls_server.py on
 * 127.0.0.1, with a throw-away CA and certificates made here by openssl:
 * Content-Length, chunked and close-delimited bodies, redirects (relative,
 * absolute, to http refused, a loop capped), 404/429/500 returned as
 * statuses, an untrusted CA, an expired certificate and a wrong host name
 * refused, a server that never answers (timeout), an oversized body (cap),
 * and no error message carrying the path or query. Skipped when openssl or
 * python3 is missing; never reaches beyond the loopback.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <netdb.h>

#include "https.h"
#include "resolve.h"
#include "test.h"

struct server {
	pid_t pid;
	unsigned port;
};

static bool
sh(const char *dir, const char *cmd)
{
	char full[2048];
	snprintf(full, sizeof(full), "cd '%s' && { %s; } >/dev/null 2>&1", dir, cmd);
	return system(full) == 0;
}

/* Make ca (trusted), ca2 (not), leaf (localhost), leaf2 (by ca2), expired (by ca). */
static bool
make_certs(const char *dir)
{
	static const char *const steps[] = {
		"printf 'subjectAltName=DNS:localhost\\nbasicConstraints=CA:FALSE\\n"
		"extendedKeyUsage=serverAuth\\n' > ext",
		"for c in ca ca2; do openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
		"-nodes -keyout $c.key -out $c.pem -days 2 -subj /CN=pcapmcp-test-$c "
		"-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign; "
		"done",
		"openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key "
		"-out leaf.csr -subj /CN=localhost",
		"openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out "
		"leaf.pem -days 2 -extfile ext",
		"openssl x509 -req -in leaf.csr -CA ca2.pem -CAkey ca2.key -CAcreateserial -out "
		"leaf2.pem -days 2 -extfile ext",
		"touch index.txt && echo 01 > serial && printf '[ca]\\ndefault_ca=d\\n[d]\\n"
		"database=index.txt\\nserial=serial\\nnew_certs_dir=.\\ndefault_md=sha256\\n"
		"policy=p\\nunique_subject=no\\n[p]\\ncommonName=supplied\\n' > ca.cnf && "
		"openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in leaf.csr "
		"-out expired.pem -startdate 20200101000000Z -enddate 20200201000000Z "
		"-extfile ext -notext",
	};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (!sh(dir, steps[i])) {
			fprintf(stderr, "https: certificate step %zu failed\n", i);
			return false;
		}
	}
	return true;
}

/* Start tls_server.py with the certificate cert (NULL: as the CONNECT proxy). */
static bool
start(struct server *s, const char *dir, const char *cert)
{
	int fds[2];
	char c[1024] = "--proxy", k[1024] = "";
	if (cert != NULL) {
		snprintf(c, sizeof(c), "%s/%s", dir, cert);
		snprintf(k, sizeof(k), "%s/leaf.key", dir);
	}
	if (pipe(fds) != 0) {
		return false;
	}
	s->pid = fork();
	if (s->pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		execlp("python3", "python3", "tests/tls_server.py", c, cert != NULL ? k : NULL,
		       (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	char line[32] = "";
	FILE *f = fdopen(fds[0], "r");
	bool ok = f != NULL && fgets(line, sizeof(line), f) != NULL;
	if (f != NULL) {
		fclose(f);
	}
	s->port = ok ? (unsigned)strtoul(line, NULL, 10) : 0;
	return s->port != 0;
}

static void
stop(struct server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
		s->pid = 0;
	}
}

static int
get(const struct pm_https_opts *o, unsigned port, const char *host, const char *path,
    struct pm_https_resp *r, struct pm_error *err)
{
	char url[512];
	snprintf(url, sizeof(url), "https://%s:%u%s", host, port, path);
	struct pm_https_req req = { .method = "GET", .url = url };
	memset(err, 0, sizeof(*err));
	return pm_https_fetch(o, &req, r, err);
}

static void
check_statuses(const struct pm_https_opts *o, unsigned port)
{
	struct pm_https_resp r;
	struct pm_error err;
	CHECK_EQ(get(o, port, "localhost", "/ok", &r, &err), 0);
	CHECK(r.status == 200 && r.body_len == 8 && strcmp((char *)r.body, "{\"ok\":1}") == 0);
	CHECK_STR(r.content_type, "application/json");
	pm_https_resp_free(&r);
	CHECK_EQ(get(o, port, "localhost", "/chunked", &r, &err), 0);
	CHECK(r.status == 200 && r.body_len == 12 && memcmp(r.body, "hello, world", 12) == 0);
	pm_https_resp_free(&r);
	CHECK_EQ(get(o, port, "localhost", "/close", &r, &err), 0);
	CHECK(r.status == 200 && strcmp((char *)r.body, "until the close") == 0);
	pm_https_resp_free(&r);
	CHECK_EQ(get(o, port, "localhost", "/redirect", &r, &err), 0);
	CHECK(r.status == 200 && r.redirects == 1 && strcmp((char *)r.body, "{\"ok\":1}") == 0);
	pm_https_resp_free(&r);
	CHECK_EQ(get(o, port, "localhost", "/redirect-abs", &r, &err), 0);
	CHECK(r.status == 200 && r.redirects == 1 && r.body_len == 12);
	pm_https_resp_free(&r);
	CHECK_EQ(get(o, port, "localhost", "/redirect-http", &r, &err), PM_E_UNSUPPORTED);
	CHECK(strstr(err.msg, "non-https") != NULL);
	CHECK_EQ(get(o, port, "localhost", "/loop", &r, &err), PM_E_LIMIT);
	CHECK(strstr(err.msg, "redirects") != NULL);
	CHECK_EQ(get(o, port, "localhost", "/404", &r, &err), 0);
	CHECK_EQ(r.status, 404);
	pm_https_resp_free(&r);
	CHECK_EQ(get(o, port, "localhost", "/429", &r, &err), 0);
	CHECK(r.status == 429 && r.retry_after == 7);
	pm_https_resp_free(&r);
	CHECK_EQ(get(o, port, "localhost", "/500", &r, &err), 0);
	CHECK_EQ(r.status, 500);
	pm_https_resp_free(&r);
	/* The cap: 2 MiB against 1 MiB; the message names host and port, not the query. */
	CHECK_EQ(get(o, port, "localhost", "/big?key=SECRETKEY", &r, &err), PM_E_LIMIT);
	CHECK(strstr(err.msg, "over") != NULL && strstr(err.msg, "SECRETKEY") == NULL);
	struct pm_https_opts quick = *o;
	quick.total_timeout_ms = 800;
	CHECK_EQ(get(&quick, port, "localhost", "/hang?key=SECRETKEY", &r, &err), PM_E_IO);
	CHECK(strstr(err.msg, "timeout") != NULL && strstr(err.msg, "SECRETKEY") == NULL);
	/* The name the certificate does not carry. */
	CHECK_EQ(get(o, port, "127.0.0.1", "/ok", &r, &err), PM_E_TLS);
	CHECK(strstr(err.msg, "host name") != NULL);
}

/* Through the CONNECT proxy: a fetch and a POST; a refused CONNECT is an error. */
static void
check_proxy(const char *dir, const struct pm_https_opts *o, unsigned port)
{
	struct server p = { 0 };
	struct pm_https_resp r;
	struct pm_error err;
	char url[128], proxy[64];
	CHECK(start(&p, dir, NULL));
	snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%u", p.port);
	struct pm_https_opts po = *o;
	po.proxy = proxy;
	CHECK_EQ(get(&po, port, "localhost", "/chunked", &r, &err), 0);
	CHECK(r.status == 200 && r.body_len == 12);
	pm_https_resp_free(&r);
	static const char *const hdrs[] = { "Content-Type: application/json", NULL };
	snprintf(url, sizeof(url), "https://localhost:%u/ok", port);
	struct pm_https_req post = { .method = "POST",
		                     .url = url,
		                     .headers = hdrs,
		                     .body = (const uint8_t *)"{}",
		                     .body_len = 2 };
	CHECK_EQ(pm_https_fetch(&po, &post, &r, &err), 0);
	CHECK_EQ(r.status, 200);
	pm_https_resp_free(&r);
	CHECK_EQ(get(&po, 1, "localhost", "/ok", &r, &err), PM_E_IO);
	CHECK(strstr(err.msg, "CONNECT refused") != NULL);
	static const char *const bad[] = { "X-Injected: a\r\nHost: evil", NULL };
	post.headers = bad;
	CHECK_EQ(pm_https_fetch(&po, &post, &r, &err), PM_E_LIMIT);
	stop(&p);
}

static void
check_refused(const char *dir, const struct pm_https_opts *o)
{
	static const struct {
		const char *cert, *want;
	} cases[] = {
		{ "leaf2.pem", "not trusted" },
		{ "expired.pem", "expired" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct server s = { 0 };
		struct pm_https_resp r;
		struct pm_error err;
		CHECK(start(&s, dir, cases[i].cert));
		CHECK_EQ(get(o, s.port, "localhost", "/ok", &r, &err), PM_E_TLS);
		if (strstr(err.msg, cases[i].want) == NULL) {
			fprintf(stderr, "https: %s: \"%s\", want \"%s\"\n", cases[i].cert, err.msg,
			        cases[i].want);
		}
		CHECK(strstr(err.msg, cases[i].want) != NULL);
		stop(&s);
	}
}

static void
test_urls(void)
{
	char host[256], path[PM_HTTPS_MAX_URL];
	unsigned port;
	CHECK_EQ(pm_https_split_url("https://api.example.org/v1/x?y=1", host, &port, path), 0);
	CHECK(strcmp(host, "api.example.org") == 0 && port == 443 &&
	      strcmp(path, "/v1/x?y=1") == 0);
	CHECK_EQ(pm_https_split_url("https://h:8443", host, &port, path), 0);
	CHECK(port == 8443 && strcmp(path, "/") == 0);
	CHECK_EQ(pm_https_split_url("http://h/", host, &port, path), PM_E_UNSUPPORTED);
	CHECK_EQ(pm_https_split_url("https://user@h/", host, &port, path), PM_E_MALFORMED);
	CHECK_EQ(pm_https_split_url("https://h:99999/", host, &port, path), PM_E_MALFORMED);
	CHECK_EQ(pm_https_split_url("https:///x", host, &port, path), PM_E_MALFORMED);
	CHECK_EQ(pm_https_split_url("https://h/a b", host, &port, path), PM_E_MALFORMED);
}

void test_https(void);
void test_providers_live(const char *dir, const char *ca, unsigned port); /* test_providers.c */

/* A resolver that answers after 1.5 s, as one that hangs would not at all. */
static int
slow_resolver(const char *host, const char *serv, const struct addrinfo *hints,
              struct addrinfo **res)
{
	nanosleep(&(struct timespec){ .tv_sec = 1, .tv_nsec = 500000000L }, NULL);
	return getaddrinfo(host, serv, hints, res);
}

/*
 * Resolution honours its deadline: a numeric address resolves at once; a
 * resolver that takes longer than the deadline is given up on at the
 * deadline ("timed out"), and its thread finishes later on its own (ASan
 * would report what it leaked).
 */
static void
test_resolve(void)
{
	struct addrinfo *res = NULL;
	struct pm_error err = { 0 };
	CHECK_EQ(pm_resolve("127.0.0.1", "443", pm_monotonic_ms() + 2000, &res, &err), 0);
	CHECK(res != NULL && res->ai_family == AF_INET);
	if (res != NULL) {
		freeaddrinfo(res);
	}
	pm_resolve_set_for_tests(slow_resolver);
	int64_t t0 = pm_monotonic_ms();
	res = NULL;
	CHECK_EQ(pm_resolve("127.0.0.1", "443", t0 + 200, &res, &err), PM_E_IO);
	int64_t took = pm_monotonic_ms() - t0;
	CHECK(took >= 150 && took < 1200);
	CHECK(strstr(err.msg, "resolve 127.0.0.1: timed out") != NULL);
	CHECK(res == NULL);
	pm_resolve_set_for_tests(NULL);
	/* the abandoned lookup ends and frees its answer */
	nanosleep(&(struct timespec){ .tv_sec = 1, .tv_nsec = 600000000L }, NULL);
}

void
test_https(void)
{
	test_urls();
	test_resolve();
	if (system("command -v openssl >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1") !=
	    0) {
		fprintf(stderr, "https: openssl or python3 missing, loopback tests skipped\n");
		return;
	}
	char dir[] = "/tmp/pcapmcp-https-XXXXXX";
	if (mkdtemp(dir) == NULL || !make_certs(dir)) {
		CHECK(!"throw-away certificates");
		return;
	}
	char ca[1024];
	snprintf(ca, sizeof(ca), "%s/ca.pem", dir);
	CHECK_EQ(pm_https_count_anchors(ca, NULL), 1);
	struct pm_https_opts o = { .ca_file = ca, .no_proxy = true, .total_timeout_ms = 10000 };
	struct server s = { 0 };
	CHECK(start(&s, dir, "leaf.pem"));
	if (s.port != 0) {
		check_statuses(&o, s.port);
		check_proxy(dir, &o, s.port);
		test_providers_live(dir, ca, s.port);
	}
	stop(&s);
	check_refused(dir, &o);
	/* Nothing listens on the port the server had: connect refused. */
	struct pm_https_resp r;
	struct pm_error err;
	CHECK_EQ(get(&o, s.port, "localhost", "/ok", &r, &err), PM_E_IO);
	CHECK(strstr(err.msg, "connect") != NULL);
	CHECK_EQ(get(&o, 443, "no-such-host.invalid", "/", &r, &err), PM_E_IO);
	CHECK(strstr(err.msg, "resolve") != NULL);
	char rm[1100];
	snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
	CHECK(system(rm) == 0);
}

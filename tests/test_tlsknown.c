/* SPDX-License-Identifier: MIT */
/*
 * test_tlsknown.c - the known-fingerprint table and the JA3 feed parser
 * (src/tlsknown.c): lookups, the SSLBL CSV layout, every truncation of a
 * feed, the file loader's caps, and the recorded tools of
 * captures/known-clients.pcapng marked in analyze_tls's result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "guard.h"
#include "json.h"
#include "sandbox.h"
#include "test.h"
#include "tlsknown.h"
#include "tlsstats.h"

static void
test_builtin(void)
{
	size_t n;
	const struct pm_tls_known *v = pm_tls_known_table(&n), *k;
	CHECK(n >= 5);
	size_t kinds[4] = { 0 };
	for (size_t i = 0; i < n; i++) {
		kinds[v[i].fp & 3]++;
		if (v[i].fp == PM_TLS_FP_JA3 || v[i].fp == PM_TLS_FP_JA3S) {
			CHECK_EQ(strlen(v[i].value), 32);
			CHECK_EQ(strspn(v[i].value, "0123456789abcdef"), 32);
		} else {
			/* a TCP JA4 "t13d1516h2_8daaf6152771_e5627efa2ab1", lowercase */
			CHECK_EQ(strlen(v[i].value), 36);
			CHECK(v[i].value[0] == 't' && v[i].value[10] == '_' &&
			      v[i].value[23] == '_');
			CHECK_EQ(strspn(v[i].value, "0123456789abcdefghijklmnopqrstuvwxyz_"), 36);
		}
		/* sorted by kind, then value, no duplicates */
		CHECK(i == 0 || v[i - 1].fp < v[i].fp ||
		      (v[i - 1].fp == v[i].fp && strcmp(v[i - 1].value, v[i].value) < 0));
		CHECK(v[i].name != NULL && v[i].name[0] != '\0');
		/* every entry cites its recording */
		CHECK(v[i].source != NULL && strstr(v[i].source, "known-clients.pcapng") != NULL);
		CHECK(pm_tls_known_find(v[i].fp, v[i].value) == &v[i]);
		if (v[i].fp == PM_TLS_FP_JA3) {
			CHECK(pm_tls_known_builtin(v[i].value) == &v[i]);
		}
	}
	CHECK_EQ(kinds[PM_TLS_FP_JA3], 5);
	CHECK_EQ(kinds[PM_TLS_FP_JA4], 5);
	/* a JA4 is found under its own kind only, in any case, and only whole */
	k = pm_tls_known_find(PM_TLS_FP_JA4, "T13D3112H2_E8F1E7E78F70_B26CE05BBDD6");
	CHECK(k != NULL && strcmp(k->name, "curl") == 0 && k->fp == PM_TLS_FP_JA4);
	CHECK(pm_tls_known_find(PM_TLS_FP_JA4S, "t13d3112h2_e8f1e7e78f70_b26ce05bbdd6") == NULL);
	CHECK(pm_tls_known_find(PM_TLS_FP_JA3, "t13d3112h2_e8f1e7e78f70_b26ce05bbdd6") == NULL);
	CHECK(pm_tls_known_find(PM_TLS_FP_JA4, "t13d3112h2_e8f1e7e78f70_b26ce05bbdd") == NULL);
	CHECK(pm_tls_known_find(PM_TLS_FP_JA4, "t13d3112h2-e8f1e7e78f70_b26ce05bbdd6") == NULL);
	CHECK(pm_tls_known_find(PM_TLS_FP_JA4, "t13d3112h2_e8f1e7e78f70_b26ce05bbdd6_0000") ==
	      NULL);
	CHECK(pm_tls_known_find(PM_TLS_FP_JA4, "") == NULL);
	CHECK(pm_tls_known_find(PM_TLS_FP_JA4, NULL) == NULL);
	CHECK(pm_tls_known_find(PM_TLS_FP_JA3S, "0149f47eabf9a20d0893e2a44e5a6323") == NULL);
	CHECK_STR(pm_tls_fp_name(PM_TLS_FP_JA3), "ja3");
	CHECK_STR(pm_tls_fp_name(PM_TLS_FP_JA3S), "ja3s");
	CHECK_STR(pm_tls_fp_name(PM_TLS_FP_JA4), "ja4");
	CHECK_STR(pm_tls_fp_name(PM_TLS_FP_JA4S), "ja4s");
	k = pm_tls_known_builtin("0149F47EABF9A20D0893E2A44E5A6323");
	CHECK(k != NULL && strcmp(k->name, "curl") == 0 && k->kind == PM_TLS_KNOWN_TOOL);
	CHECK(pm_tls_known_builtin("0149f47eabf9a20d0893e2a44e5a6324") == NULL);
	CHECK(pm_tls_known_builtin("0149f47eabf9a20d0893e2a44e5a632") == NULL);
	CHECK(pm_tls_known_builtin("0149f47eabf9a20d0893e2a44e5a63233") == NULL);
	CHECK(pm_tls_known_builtin("g149f47eabf9a20d0893e2a44e5a6323") == NULL);
	CHECK(pm_tls_known_builtin("") == NULL);
	CHECK(pm_tls_known_builtin(NULL) == NULL);
	CHECK_STR(pm_tls_known_kind_name(PM_TLS_KNOWN_TOOL), "tool");
	CHECK_STR(pm_tls_known_kind_name(PM_TLS_KNOWN_MALWARE), "malware");
}

/* A feed in SSLBL's layout with every kind of row the parser must take or skip. */
static const char feed_text[] =
    "################################################################\n"
    "# abuse.ch SSLBL JA3 Fingerprint Blacklist (CSV)              #\n"
    "################################################################\n"
    "#\n"
    "# ja3_md5,Firstseen,Lastseen,Listingreason\n"
    "b386946a5a44d1ddcc843bc75336dfce,2017-07-14 18:08:15,2019-07-27 20:42:54,Family A\r\n"
    "0149F47EABF9A20D0893E2A44E5A6323,2020-01-01 00:00:00,2020-01-02 00:00:00,\"Family B\"\n"
    "\n"
    "1aa7bf8b97e540ca5edd75f7b8384bfa,2017-07-14 18:08:15,2019-07-27 20:42:54,Family C\n"
    "b386946a5a44d1ddcc843bc75336dfce,2018-01-01 00:00:00,2018-01-02 00:00:00,Family D\n"
    "not-a-hash,2017-07-14 18:08:15,2019-07-27 20:42:54,Bad\n"
    "3b5074b1b5d032e5620f69f9f700ff0e,2017-07-14 18:08:15\n"
    "3b5074b1b5d032e5620f69f9f700ff0e,a,b,\n"
    "3b5074b1b5d032e5620f69f9f700ff0,a,b,short hash\n"
    "e7d705a3286e19ea42f587b344ee6865,a,b,Ctrl\x01name\n"
    "# END 5 entries\n"
    "a0e9f5d64349fb13191bc781f81f42e1,a,b,Last without newline";

static void
test_feed_parse(void)
{
	struct pm_ja3_feed f;
	pm_ja3_feed_init(&f);
	CHECK_STR(f.status, "not_configured");
	size_t n = sizeof(feed_text) - 1;
	CHECK_EQ(pm_ja3_feed_parse(pm_guard(feed_text, n), n, &f), 0);
	CHECK_EQ(f.rows, 10);
	CHECK_EQ(f.n, 5);
	CHECK_EQ(f.skipped, 4);
	CHECK_EQ(f.duplicates, 1);
	CHECK(!f.truncated);
	const struct pm_tls_known *k = pm_ja3_feed_lookup(&f, "b386946a5a44d1ddcc843bc75336dfce");
	CHECK(k != NULL && strcmp(k->name, "Family A") == 0); /* the first row wins, \r dropped */
	CHECK(k != NULL && k->kind == PM_TLS_KNOWN_MALWARE && strcmp(k->source, "feed") == 0);
	k = pm_ja3_feed_lookup(&f, "0149f47eabf9a20d0893e2a44e5a6323");
	CHECK(k != NULL && strcmp(k->name, "Family B") == 0); /* quotes off, case folded */
	k = pm_ja3_feed_lookup(&f, "E7D705A3286E19EA42F587B344EE6865");
	CHECK(k != NULL && strcmp(k->name, "Ctrl?name") == 0);
	k = pm_ja3_feed_lookup(&f, "a0e9f5d64349fb13191bc781f81f42e1");
	CHECK(k != NULL && strcmp(k->name, "Last without newline") == 0);
	CHECK(pm_ja3_feed_lookup(&f, "3b5074b1b5d032e5620f69f9f700ff0e") == NULL);
	CHECK(pm_ja3_feed_lookup(&f, "00000000000000000000000000000000") == NULL);
	CHECK(pm_ja3_feed_lookup(NULL, "b386946a5a44d1ddcc843bc75336dfce") == NULL);
	for (size_t i = 1; i < f.n; i++) {
		CHECK(strcmp(f.v[i - 1].ja3, f.v[i].ja3) < 0);
	}
	/* a malware row of the feed outranks the built-in tool entry of the same JA3 */
	k = pm_tls_known_match(&f, "0149f47eabf9a20d0893e2a44e5a6323");
	CHECK(k != NULL && k->kind == PM_TLS_KNOWN_MALWARE);
	k = pm_tls_known_match(NULL, "0149f47eabf9a20d0893e2a44e5a6323");
	CHECK(k != NULL && k->kind == PM_TLS_KNOWN_TOOL);
	CHECK(pm_tls_known_match(&f, "ffffffffffffffffffffffffffffffff") == NULL);

	/* every prefix parses into a subset of the whole: a cut row is never invented */
	for (size_t m = 0; m <= n; m++) {
		struct pm_ja3_feed g;
		pm_ja3_feed_init(&g);
		CHECK_EQ(pm_ja3_feed_parse(pm_guard(feed_text, m), m, &g), 0);
		CHECK(g.n <= f.n && g.rows <= f.rows);
		for (size_t i = 0; i < g.n; i++) {
			const struct pm_tls_known *w = pm_ja3_feed_lookup(&f, g.v[i].ja3);
			CHECK(w != NULL);
			/* only the last row may be cut, inside its reason (maybe after its quote) */
			const char *cut = g.v[i].name + (g.v[i].name[0] == '"');
			CHECK(w != NULL && strncmp(cut, w->name, strlen(cut)) == 0);
		}
		pm_ja3_feed_free(&g);
	}
	pm_ja3_feed_free(&f);
	CHECK_EQ(f.n, 0);
}

/* Lines over the cap are skipped; a reason over the cap is cut. */
static void
test_feed_caps(void)
{
	size_t n = PM_JA3_FEED_MAX_LINE + 200;
	char *buf = malloc(n);
	if (buf == NULL) {
		CHECK(!"no memory");
		return;
	}
	const char *head = "b386946a5a44d1ddcc843bc75336dfce,a,b,";
	size_t h = strlen(head);
	/* one line of exactly the cap, one a byte over */
	memcpy(buf, head, h);
	memset(buf + h, 'x', PM_JA3_FEED_MAX_LINE - h);
	buf[PM_JA3_FEED_MAX_LINE] = '\n';
	struct pm_ja3_feed f;
	pm_ja3_feed_init(&f);
	CHECK_EQ(pm_ja3_feed_parse((const uint8_t *)buf, PM_JA3_FEED_MAX_LINE + 1, &f), 0);
	CHECK_EQ(f.n, 1);
	CHECK(f.n == 1 && strlen(f.v[0].name) == PM_JA3_NAME_MAX - 1);
	pm_ja3_feed_free(&f);
	buf[PM_JA3_FEED_MAX_LINE] = 'x';
	buf[PM_JA3_FEED_MAX_LINE + 1] = '\n';
	pm_ja3_feed_init(&f);
	CHECK_EQ(pm_ja3_feed_parse((const uint8_t *)buf, PM_JA3_FEED_MAX_LINE + 2, &f), 0);
	CHECK_EQ(f.n, 0);
	CHECK_EQ(f.skipped, 1);
	pm_ja3_feed_free(&f);
	free(buf);
}

static void
test_feed_load(void)
{
	struct pm_ja3_feed f;
	pm_ja3_feed_load(&f, NULL);
	CHECK_STR(f.status, "not_configured");
	pm_ja3_feed_load(&f, "");
	CHECK_STR(f.status, "not_configured");
	pm_ja3_feed_load(&f, "/nonexistent/ja3.csv");
	CHECK_STR(f.status, "unreadable");
	pm_ja3_feed_load(&f, "captures");
	CHECK_STR(f.status, "unreadable"); /* a directory */
	char path[] = "/tmp/pcapmcp-ja3feed-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0) {
		return;
	}
	/* a file over the cap: read up to it, the cut line dropped, never fatal */
	static const char row[] = "0149f47eabf9a20d0893e2a44e5a6323,2020-01-01,2020-01-02,Big\n";
	size_t rows = PM_JA3_FEED_MAX_BYTES / (sizeof(row) - 1) + 10;
	FILE *fp = fdopen(fd, "w");
	for (size_t i = 0; fp != NULL && i < rows; i++) {
		fputs(row, fp);
	}
	CHECK(fp != NULL && fclose(fp) == 0);
	pm_ja3_feed_load(&f, path);
	CHECK_STR(f.status, "loaded");
	CHECK(f.truncated);
	CHECK_EQ(f.n, 1);
	CHECK_EQ(f.rows, PM_JA3_FEED_MAX_BYTES / (sizeof(row) - 1));
	CHECK_EQ(f.skipped, 0);
	CHECK_EQ(f.duplicates, f.rows - 1);
	pm_ja3_feed_free(&f);
	unlink(path);
}

/* PCAPMCP_JA3_FEED is read by the settings layer; empty means unset. */
static void
test_setting(void)
{
	static struct pm_config c;
	struct pm_error err = { 0 };
	static char feed[] = "PCAPMCP_JA3_FEED=/var/lib/sslbl/ja3_fingerprints.csv",
	            unset[] = "PCAPMCP_JA3_FEED=";
	char *set[] = { feed, NULL };
	CHECK_EQ(pm_config_load(&c, set, &err), 0);
	CHECK_STR(c.ja3_feed, "/var/lib/sslbl/ja3_fingerprints.csv");
	char *empty[] = { unset, NULL };
	CHECK_EQ(pm_config_load(&c, empty, &err), 0);
	CHECK_STR(c.ja3_feed, "");
	char *none[] = { NULL };
	CHECK_EQ(pm_config_load(&c, none, &err), 0);
	CHECK_STR(c.ja3_feed, "");
}

/* analyze_tls's members as one object in w (initialised here; the caller frees it). */
static void
view(const struct pm_tls *t, const struct pm_ja3_feed *feed, struct pm_json *w)
{
	pm_json_init(w, 0);
	pm_json_obj_begin(w);
	CHECK_EQ(pm_tls_view(t, feed, 50, 0, w), 0);
	pm_json_obj_end(w);
	CHECK_EQ(pm_json_finish(w), 0);
}

/*
 * JA4 and JA4S marks through the view: a feed built here (an SSLBL file
 * holds JA3s only) lists wget's JA4 and the server's JA4S as malware. The
 * wget handshake's JA4 outranks its JA3 tool entry; every handshake gets
 * known_server, and the server's finding is listed once for its address.
 */
static void
test_other_marks(const struct pm_tls *t)
{
	static struct pm_ja3_feed_entry e[2];
	memset(e, 0, sizeof(e));
	e[0].known = (struct pm_tls_known){ PM_TLS_FP_JA4, "t13d291300_723694b0fccc_899037bd0b8c",
		                            PM_TLS_KNOWN_MALWARE, "Test JA4", "feed" };
	e[1].known = (struct pm_tls_known){ PM_TLS_FP_JA4S, "t130200_1302_a56c5b993250",
		                            PM_TLS_KNOWN_MALWARE, "Test server", "feed" };
	struct pm_ja3_feed f;
	pm_ja3_feed_init(&f);
	f.v = e;
	f.n = 2;
	f.status = "loaded";
	CHECK(pm_ja3_feed_find(&f, PM_TLS_FP_JA4S, "T130200_1302_A56C5B993250") == &e[1].known);
	CHECK(pm_ja3_feed_find(&f, PM_TLS_FP_JA4, "t130200_1302_a56c5b993250") == NULL);
	struct pm_json w;
	view(t, &f, &w);
	CHECK(strstr(w.buf, "\"known\":{\"kind\":\"malware\",\"name\":\"Test JA4\",\"source\":"
	                    "\"feed\",\"fingerprint\":\"ja4\",") != NULL);
	CHECK(strstr(w.buf, "\"known\":{\"kind\":\"tool\",\"name\":\"curl\",") != NULL);
	CHECK(strstr(w.buf, "\"known_server\":{\"kind\":\"malware\",\"name\":\"Test server\","
	                    "\"source\":\"feed\",\"fingerprint\":\"ja4s\",") != NULL);
	CHECK(strstr(w.buf, "\"Test server\":5") != NULL);
	CHECK(strstr(w.buf, "\"Test JA4\":1") != NULL);
	CHECK(strstr(w.buf, "\"wget\":") == NULL);
	CHECK(strstr(w.buf, "\"summary\":\"The server's JA4S fingerprint is listed as malware\"") !=
	      NULL);
	CHECK(strstr(w.buf, "\"summary\":\"The client's JA4 fingerprint is listed as malware\"") !=
	      NULL);
	CHECK(strstr(w.buf, "\"fingerprint\":\"ja4s\",\"ja4s\":\"t130200_1302_a56c5b993250\"") !=
	      NULL);
	const char *first = strstr(w.buf, "The server's JA4S");
	CHECK(first != NULL && strstr(first + 1, "The server's JA4S") == NULL);
	pm_json_free(&w);
	/* curl's handshake with a JA3 no table knows: its JA4 still names it */
	struct pm_tls u = *t;
	u.rows = malloc(t->n_rows * sizeof(*u.rows));
	if (u.rows == NULL || t->n_rows < 3) {
		free(u.rows);
		CHECK(!"no memory or no rows");
		return;
	}
	memcpy(u.rows, t->rows, t->n_rows * sizeof(*u.rows));
	snprintf(u.rows[2].ja3_hash, sizeof(u.rows[2].ja3_hash), "%s",
	         "00000000000000000000000000000000");
	view(&u, NULL, &w);
	CHECK(strstr(w.buf, "\"fingerprint\":\"ja4\",\"value\":"
	                    "\"t13d3112h2_e8f1e7e78f70_b26ce05bbdd6\"}") != NULL);
	CHECK(strstr(w.buf, "\"summary\":\"The client's JA4 fingerprint is a known tool's\"") !=
	      NULL);
	CHECK(strstr(w.buf, "\"curl\":1") != NULL);
	pm_json_free(&w);
	free(u.rows);
}

/*
 * captures/known-clients.pcapng: tshark 4.0.17's tls.handshake.ja3 of the
 * five ClientHellos and the JA4 derived by hand from the fields tshark
 * prints (captures/README.md, "Known clients"), each a built-in entry; the
 * server's JA3S (tshark's tls.handshake.ja3s) and JA4S (by hand), which
 * the table does not hold.
 */
static void
test_capture_marks(void)
{
	static const struct {
		const char *ja3, *ja4, *name;
	} want[] = {
		{ "c216e752cae6f8755fd27f561d031636", "t13i310900_e8f1e7e78f70_1f22a2ca17c4",
		  "openssl s_client" },
		{ "a3afc2c46ba4a7d7fbe1cfb7a3031c2f", "t13d311000_e8f1e7e78f70_1f22a2ca17c4",
		  "openssl s_client" },
		{ "0149f47eabf9a20d0893e2a44e5a6323", "t13d3112h2_e8f1e7e78f70_b26ce05bbdd6",
		  "curl" },
		{ "93c7d42c0df602fb91589311534831f5", "t13d181100_85036bcba153_d41ae481755e",
		  "python urllib" },
		{ "bb4f9fef542ff6b4b29aa653bf0c1d31", "t13d291300_723694b0fccc_899037bd0b8c",
		  "wget" },
	};
	static struct pm_analysis a;
	struct pm_error err;
	struct pm_analysis_opts o = { .analysers = PM_AN_BIT(TLS) };
	if (pm_analysis_run(&a, "captures/known-clients.pcapng", &o, &err) != 0) {
		CHECK(!"captures/known-clients.pcapng does not analyse");
		return;
	}
	const struct pm_tls *t = pm_an_tls(&a);
	CHECK_EQ(t->n_rows, PM_ARRAY_LEN(want));
	for (size_t i = 0; i < t->n_rows && i < PM_ARRAY_LEN(want); i++) {
		CHECK_STR(t->rows[i].ja3_hash, want[i].ja3);
		const struct pm_tls_known *k = pm_tls_known_builtin(t->rows[i].ja3_hash);
		CHECK(k != NULL && strcmp(k->name, want[i].name) == 0);
		CHECK_STR(t->rows[i].ja4, want[i].ja4);
		k = pm_tls_known_find(PM_TLS_FP_JA4, t->rows[i].ja4);
		CHECK(k != NULL && strcmp(k->name, want[i].name) == 0);
		CHECK_STR(t->rows[i].ja3s_hash, "15af977ce25de452b96affa2addb1036");
		CHECK_STR(t->rows[i].ja4s, "t130200_1302_a56c5b993250");
		CHECK(pm_tls_known_find(PM_TLS_FP_JA3S, t->rows[i].ja3s_hash) == NULL);
		CHECK(pm_tls_known_find(PM_TLS_FP_JA4S, t->rows[i].ja4s) == NULL);
	}
	/* built-in marks only */
	struct pm_json w;
	view(t, NULL, &w);
	CHECK(strstr(w.buf, "\"known_fingerprints\":{\"openssl s_client\":2,") != NULL);
	CHECK(strstr(w.buf, "\"known\":{\"kind\":\"tool\",\"name\":\"wget\",") != NULL);
	CHECK(strstr(w.buf,
	             "\"fingerprint\":\"ja3\",\"value\":\"bb4f9fef542ff6b4b29aa653bf0c1d31\"}") !=
	      NULL);
	CHECK(strstr(w.buf, "\"known_server\"") == NULL);
	CHECK(strstr(w.buf, "\"type\":\"known_fingerprint\",\"severity\":\"low\"") != NULL);
	CHECK(strstr(w.buf, "\"severity\":\"high\"") == NULL);
	CHECK(strstr(w.buf, "\"fingerprint_table\"") == NULL);
	pm_json_free(&w);
	/* a feed lists curl's JA3: that handshake becomes malware, severity high */
	static const char feed[] =
	    "# ja3_md5,Firstseen,Lastseen,Listingreason\n"
	    "0149f47eabf9a20d0893e2a44e5a6323,2020-01-01,2020-01-02,Test C2\n";
	struct pm_ja3_feed f;
	pm_ja3_feed_init(&f);
	CHECK_EQ(pm_ja3_feed_parse((const uint8_t *)feed, sizeof(feed) - 1, &f), 0);
	f.status = "loaded";
	view(t, &f, &w);
	CHECK(strstr(w.buf, "\"known\":{\"kind\":\"malware\",\"name\":\"Test C2\",\"source\":"
	                    "\"feed\",\"fingerprint\":\"ja3\",") != NULL);
	CHECK(strstr(w.buf, "\"type\":\"known_fingerprint\",\"severity\":\"high\"") != NULL);
	CHECK(strstr(w.buf, "\"Test C2\":1") != NULL);
	CHECK(strstr(w.buf, "\"fingerprint_table\":{\"builtin_entries\":10,\"feed\":\"loaded\","
	                    "\"feed_entries\":1,") != NULL);
	CHECK(strstr(w.buf, "\"curl\":") == NULL);
	pm_json_free(&w);
	pm_ja3_feed_free(&f);
	test_other_marks(t);
	pm_analysis_free(&a);
}

void test_tlsknown(void);

void
test_tlsknown(void)
{
	test_builtin();
	test_feed_parse();
	test_feed_caps();
	test_feed_load();
	test_setting();
	test_capture_marks();
}

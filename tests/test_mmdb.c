/* SPDX-License-Identifier: MIT */
/*
 * test_mmdb.c - the MaxMind DB reader against libmaxminddb: every block of
 * tests/mmdb_expected.txt (recorded by tests/mk_mmdb_expected.sh with
 * mmdblookup) is re-derived from the reader and compared as text (the
 * metadata lines, the prefix length and the whole entry in mmdblookup's
 * layout, or the error). The bad-data databases must be refused where
 * libmaxminddb refuses them and never crash; every prefix of a small
 * database, placed against a guard page, opens or fails cleanly.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "guard.h"
#include "mmdb.h"
#include "test.h"

#define TEXT_CAP (1u << 20)

struct text {
	char buf[TEXT_CAP];
	size_t len;
	int ind[PM_MMDB_MAX_DEPTH + 1];                /* indent of the value at each depth */
	enum pm_mmdb_type kind[PM_MMDB_MAX_DEPTH + 1]; /* container at each depth */
};

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (t->len < TEXT_CAP) {
		int n = vsnprintf(t->buf + t->len, TEXT_CAP - t->len, fmt, ap);
		if (n > 0) {
			t->len += (size_t)n < TEXT_CAP - t->len ? (size_t)n : TEXT_CAP - t->len - 1;
		}
	}
	va_end(ap);
}

static void
add_scalar(struct text *t, const struct pm_mmdb_val *v)
{
	switch (v->type) {
	case PM_MMDB_UTF8:
		add(t, "\"%.*s\" <utf8_string>\n", (int)v->size, (const char *)v->bytes);
		break;
	case PM_MMDB_DOUBLE:
	case PM_MMDB_FLOAT:
		add(t, "%f <%s>\n", v->d, v->type == PM_MMDB_DOUBLE ? "double" : "float");
		break;
	case PM_MMDB_BYTES:
		for (uint32_t i = 0; i < v->size; i++) {
			add(t, "%02X", v->bytes[i]);
		}
		add(t, " <bytes>\n");
		break;
	case PM_MMDB_UINT16:
	case PM_MMDB_UINT32:
	case PM_MMDB_UINT64:
		add(t, "%" PRIu64 " <uint%d>\n", v->u,
		    v->type == PM_MMDB_UINT16   ? 16
		    : v->type == PM_MMDB_UINT32 ? 32
		                                : 64);
		break;
	case PM_MMDB_INT32:
		add(t, "%" PRId32 " <int32>\n", v->i);
		break;
	case PM_MMDB_UINT128:
		add(t, "0x%016" PRIX64 "%016" PRIX64 " <uint128>\n", v->u_hi, v->u);
		break;
	case PM_MMDB_BOOL:
		add(t, "%s <boolean>\n", v->u ? "true" : "false");
		break;
	default:
		add(t, "?? <%d>\n", (int)v->type);
		break;
	}
}

/* mmdblookup's layout: a map's keys 2 in, its values 4 in; array items 2 in. */
static int
dump_event(void *ctx, const struct pm_mmdb_event *e)
{
	struct text *t = ctx;
	unsigned d = e->depth;
	if (e->end) {
		add(t, "%*s%s\n", t->ind[d], "", t->kind[d] == PM_MMDB_MAP ? "}" : "]");
		return 0;
	}
	int ind = 2;
	if (d > 0) {
		ind = t->ind[d - 1] + (t->kind[d - 1] == PM_MMDB_MAP ? 4 : 2);
	}
	if (e->key != NULL) {
		add(t, "%*s\"%.*s\": \n", ind - 2, "", (int)e->key_len, (const char *)e->key);
	}
	add(t, "%*s", ind, "");
	t->ind[d] = ind;
	t->kind[d] = e->val->type;
	if (e->val->type == PM_MMDB_MAP) {
		add(t, "{\n");
	} else if (e->val->type == PM_MMDB_ARRAY) {
		add(t, "[\n");
	} else {
		add_scalar(t, e->val);
	}
	return 0;
}

/* The metadata lines of `mmdblookup -v`, up to Languages. */
static void
dump_meta(struct text *t, const struct pm_mmdb *db)
{
	time_t when = (time_t)db->build_epoch;
	struct tm tm;
	char date[64] = "";
	if (gmtime_r(&when, &tm) != NULL) {
		strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S UTC", &tm);
	}
	add(t, "  Database metadata\n    Node count:    %u\n    Record size:   %u bits\n",
	    (unsigned)db->node_count, db->record_size);
	add(t, "    IP version:    IPv%u\n    Binary format: %u.%u\n", db->ip_version, db->major,
	    db->minor);
	add(t, "    Build epoch:   %" PRIu64 " (%s)\n    Type:          %s\n", db->build_epoch,
	    date, db->type);
	add(t, "    Languages:     ");
	for (unsigned i = 0; i < 64; i++) {
		char idx[8], lang[64];
		snprintf(idx, sizeof(idx), "%u", i);
		const char *path[] = { "languages", idx, NULL };
		if (pm_mmdb_get_str(&db->meta, 0, path, lang, sizeof(lang)) != 1) {
			break;
		}
		add(t, "%s%s", i > 0 ? " " : "", lang);
	}
	add(t, "\n");
}

static bool
parse_ip(const char *s, uint8_t addr[16], bool *is_v4)
{
	memset(addr, 0, 16);
	*is_v4 = inet_pton(AF_INET, s, addr) == 1;
	return *is_v4 || inet_pton(AF_INET6, s, addr) == 1;
}

/* Lookup and dump: prefix line and entry; returns nonzero on any reader error. */
static int
dump_lookup(struct text *t, const struct pm_mmdb *db, const char *ip, bool *found)
{
	uint8_t addr[16];
	bool v4;
	struct pm_mmdb_hit hit;
	struct pm_error err;
	*found = false;
	if (!parse_ip(ip, addr, &v4)) {
		return -1;
	}
	int rc = pm_mmdb_lookup(db, addr, v4, &hit, &err);
	if (rc != 0) {
		return rc;
	}
	*found = hit.found;
	if (!hit.found) {
		return 0;
	}
	add(t, "  Record prefix length: %u\n", hit.prefix);
	return pm_mmdb_walk(&db->data, hit.off, dump_event, t, &err);
}

struct expect_run {
	char dir[512];
	char name[256];
	struct pm_mmdb db;
	bool open;
	unsigned lookups, metas, errors, bad;
};

static void
switch_db(struct expect_run *r, const char *name)
{
	if (strcmp(r->name, name) == 0) {
		return;
	}
	pm_mmdb_close(&r->db);
	snprintf(r->name, sizeof(r->name), "%s", name);
	char path[1024];
	struct pm_error err;
	snprintf(path, sizeof(path), "%s/test-data/%s", r->dir, name);
	r->open = pm_mmdb_open_file(path, &r->db, &err) == 0;
}

/* Every probe of a bad database: 1 if the reader reported an error anywhere. */
static int
probe_bad(const char *path)
{
	static const char *const probes[] = { "1.1.1.1",   "1.1.1.3",         "1.1.1.16",
		                              "::1.1.1.1", "::2:0:40",        "2001:218::",
		                              "0.0.0.0",   "255.255.255.255", "::ffff:1.1.1.1" };
	struct pm_mmdb db;
	struct pm_error err;
	if (pm_mmdb_open_file(path, &db, &err) != 0) {
		CHECK(err.msg[0] != '\0');
		return 1;
	}
	static struct text t;
	int errors = 0;
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		bool found;
		t.len = 0;
		errors += dump_lookup(&t, &db, probes[i], &found) != 0;
	}
	pm_mmdb_close(&db);
	return errors > 0;
}

static void
check_block(struct expect_run *r, const char *head, const char *want, size_t want_len)
{
	static struct text t;
	char name[256], ip[128];
	t.len = 0;
	if (sscanf(head, "== %255s %127s", name, ip) != 2) {
		CHECK(!"bad block header");
		return;
	}
	bool want_err = strncmp(want, "!! ", 3) == 0;
	if (strncmp(name, "bad/", 4) == 0) {
		char path[1024];
		snprintf(path, sizeof(path), "%s/bad-data/%s", r->dir, name + 4);
		int refused = probe_bad(path);
		r->bad++;
		if (want_err && !refused) {
			fprintf(stderr, "mmdb: %s accepted, libmaxminddb refuses it\n", name);
		}
		CHECK(!want_err || refused);
		return;
	}
	switch_db(r, name);
	if (strcmp(ip, "meta") == 0) {
		r->metas++;
		if (want_err) {
			r->errors++;
			CHECK(!r->open);
			return;
		}
		CHECK(r->open);
		if (r->open) {
			dump_meta(&t, &r->db);
		}
	} else {
		bool found = false;
		int rc = r->open ? dump_lookup(&t, &r->db, ip, &found) : -1;
		r->lookups++;
		if (want_err) {
			r->errors++;
			CHECK(rc != 0);
			return;
		}
		CHECK_EQ(rc, 0);
		if (strncmp(want, "-- notfound", 11) == 0) {
			CHECK(!found);
			return;
		}
	}
	/* The recording drops blank lines; so does the comparison. */
	if (t.len != want_len || memcmp(t.buf, want, want_len) != 0) {
		pm_test_failed++;
		fprintf(stderr, "mmdb: %s %s differs from mmdblookup:\n--- want\n%.*s--- got\n%.*s",
		        name, ip, (int)want_len, want, (int)(t.len > 2000 ? 2000 : t.len), t.buf);
	} else {
		pm_test_passed++;
	}
}

static void
test_against_mmdblookup(const char *corpus)
{
	FILE *f = fopen("tests/mmdb_expected.txt", "r");
	CHECK(f != NULL);
	if (f == NULL) {
		return;
	}
	static struct expect_run r;
	memset(&r, 0, sizeof(r));
	snprintf(r.dir, sizeof(r.dir), "%s/mmdb", corpus);
	static char head[4096], line[4096], want[TEXT_CAP];
	size_t want_len = 0;
	head[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#') {
			continue;
		}
		if (strncmp(line, "== ", 3) == 0) {
			if (head[0] != '\0') {
				check_block(&r, head, want, want_len);
			}
			snprintf(head, sizeof(head), "%s", line);
			want_len = 0;
			continue;
		}
		size_t n = strlen(line);
		if (want_len + n < sizeof(want)) {
			memcpy(want + want_len, line, n);
			want_len += n;
		}
	}
	if (head[0] != '\0') {
		check_block(&r, head, want, want_len);
	}
	fclose(f);
	pm_mmdb_close(&r.db);
	fprintf(stderr,
	        "mmdb: %u lookups, %u metadata blocks (%u errors expected), %u bad-data "
	        "databases checked against mmdblookup\n",
	        r.lookups, r.metas, r.errors, r.bad);
	CHECK(r.lookups > 1500 && r.metas >= 30 && r.bad >= 20);
}

/*
 * Every prefix of a small database against a guard page opens or fails
 * without over-reading; then the data section cut at every length with the
 * metadata kept, so lookups and walks meet the end of the data section.
 */
static void
test_truncation(const char *corpus)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/mmdb/test-data/MaxMind-DB-test-decoder.mmdb", corpus);
	struct pm_mmdb whole;
	struct pm_error err;
	CHECK_EQ(pm_mmdb_open_file(path, &whole, &err), 0);
	if (whole.owned == NULL) {
		return;
	}
	size_t n = (size_t)(whole.meta.p + whole.meta.n - whole.owned);
	size_t data_at = (size_t)(whole.data.p - whole.owned), data_n = whole.data.n;
	size_t meta_at = data_at + data_n, meta_n = n - meta_at;
	unsigned opened = 0, cut_opened = 0, cut_errors = 0;
	static uint8_t buf[1u << 16];
	static struct text t;
	bool found;
	CHECK(n <= sizeof(buf));
	for (size_t k = 0; k <= n && n <= sizeof(buf); k++) {
		struct pm_mmdb db;
		if (pm_mmdb_open(pm_guard(whole.owned, k), k, &db, &err) != 0) {
			CHECK(err.msg[0] != '\0');
			continue;
		}
		opened++;
		t.len = 0;
		(void)dump_lookup(&t, &db, "1.1.1.1", &found);
	}
	CHECK(opened >= 1 && opened < n / 2);
	for (size_t k = 0; k <= data_n && n <= sizeof(buf); k++) {
		memcpy(buf, whole.owned, data_at + k);
		memcpy(buf + data_at + k, whole.owned + meta_at, meta_n);
		struct pm_mmdb db;
		size_t len = data_at + k + meta_n;
		if (pm_mmdb_open(pm_guard(buf, len), len, &db, &err) != 0) {
			continue;
		}
		cut_opened++;
		t.len = 0;
		cut_errors += dump_lookup(&t, &db, "::1.1.1.0", &found) != 0;
	}
	CHECK_EQ(cut_opened, data_n + 1);
	CHECK(cut_errors > 0);
	pm_mmdb_close(&whole);
}

/* Hand-made data: pointers, a pointer to a pointer, a cycle, depth. */
static void
test_crafted(void)
{
	/* 0: map{"a": ptr->6}; 6: "xy"; 9: ptr->9 (to itself: a pointer to a pointer) */
	static const uint8_t d1[] = {
		0xe1, 0x41, 'a', 0x20, 0x06, 0x00, 0x42, 'x', 'y', 0x20, 0x09
	};
	struct pm_mmdb_span s = { d1, sizeof(d1) };
	struct pm_mmdb_val v;
	const char *pa[] = { "a", NULL };
	char out[8];
	CHECK_EQ(pm_mmdb_get_str(&s, 0, pa, out, sizeof(out)), 1);
	CHECK_STR(out, "xy");
	CHECK_EQ(pm_mmdb_decode(&s, 9, &v), PM_E_MALFORMED);
	/* 0: map{"a": ptr->0}: a cycle through a pointer ends at the depth cap. */
	static const uint8_t d2[] = { 0xe1, 0x41, 'a', 0x20, 0x00 };
	struct pm_mmdb_span s2 = { d2, sizeof(d2) };
	struct pm_error err;
	static struct text t;
	t.len = 0;
	CHECK_EQ(pm_mmdb_walk(&s2, 0, dump_event, &t, &err), PM_E_LIMIT);
	/* uint128 of 16 bytes, and one of 17 (refused); a map claiming more than the span. */
	static const uint8_t d3[] = { 0x10, 0x03, 1,  2,  3,  4,  5,  6,  7,
		                      8,    9,    10, 11, 12, 13, 14, 15, 16 };
	struct pm_mmdb_span s3 = { d3, sizeof(d3) };
	CHECK_EQ(pm_mmdb_decode(&s3, 0, &v), 0);
	CHECK(v.type == PM_MMDB_UINT128 && v.u_hi == 0x0102030405060708u &&
	      v.u == 0x090a0b0c0d0e0f10u);
	static const uint8_t d4[] = { 0x11, 0x03, 0 };
	struct pm_mmdb_span s4 = { d4, sizeof(d4) };
	CHECK_EQ(pm_mmdb_decode(&s4, 0, &v), PM_E_MALFORMED);
	static const uint8_t d5[] = { 0xe5, 0x41, 'a', 0x41, 'b' };
	struct pm_mmdb_span s5 = { d5, sizeof(d5) };
	CHECK_EQ(pm_mmdb_decode(&s5, 0, &v), PM_E_MALFORMED);
	/* Not a database at all. */
	struct pm_mmdb db;
	CHECK_EQ(pm_mmdb_open(d5, sizeof(d5), &db, &err), PM_E_MALFORMED);
	CHECK(strstr(err.msg, "metadata marker") != NULL);
}

/* The fuzz seeds (fuzz/mk_mmdb_seeds.py): a pointer in a nested map, uint128 in an array. */
static void
test_seeds(void)
{
	static const char *const names[] = { "ipv4-24", "ipv4-32", "ipv6-24", "ipv6-28",
		                             "ipv6-32" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[256], out[32];
		struct pm_mmdb db;
		struct pm_error err;
		struct pm_mmdb_hit hit;
		struct pm_mmdb_val v;
		snprintf(path, sizeof(path), "fuzz/corpus/mmdb/%s.mmdb", names[i]);
		CHECK_EQ(pm_mmdb_open_file(path, &db, &err), 0);
		/* 81.2.69.0/25 in the IPv4 seeds, ::1.1.1.0/120 in the IPv6 ones */
		bool v6 = db.ip_version == 6;
		const uint8_t a4[16] = { 81, 2, 69, 127 }, a6[16] = { 1, 1, 1, 1 };
		CHECK_EQ(pm_mmdb_lookup(&db, v6 ? a6 : a4, true, &hit, &err), 0);
		CHECK(hit.found && hit.prefix == (v6 ? 120u : 25u));
		const char *city[] = { "city", "names", "en", NULL };
		CHECK_EQ(pm_mmdb_get_str(&db.data, hit.off, city, out, sizeof(out)), 1);
		CHECK_STR(out, "shared");
		const char *u128[] = { "array", "3", NULL };
		CHECK_EQ(pm_mmdb_get(&db.data, hit.off, u128, &v), 1);
		CHECK(v.type == PM_MMDB_UINT128 && v.u_hi == 1ull << 63 && v.u == 5);
		const char *past[] = { "array", "10", NULL };
		CHECK_EQ(pm_mmdb_get(&db.data, hit.off, past, &v), 0);
		pm_mmdb_close(&db);
	}
}

void test_mmdb(void);

void
test_mmdb(void)
{
	test_crafted();
	test_seeds();
	const char *corpus = pm_test_corpus_dir();
	if (corpus == NULL) {
		fprintf(stderr, "mmdb: corpus absent, mmdblookup comparison skipped\n");
		return;
	}
	test_against_mmdblookup(corpus);
	test_truncation(corpus);
}

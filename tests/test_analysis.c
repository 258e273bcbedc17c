/* SPDX-License-Identifier: MIT */
/*
 * test_analysis.c - the pass and the analyser table: the table's order and
 * dependencies, which analysers run, and that the pass's queue gives the
 * same answers through every byte source, also when the read() source
 * refills under packets still waiting in the queue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "decode.h"
#include "flow.h"
#include "info.h"
#include "json.h"
#include "label.h"
#include "pcapbuild.h"
#include "summary.h"
#include "test.h"
#include "timeline.h"

#define BIG_FLOWS 24000 /* one-packet flows, about 600 bytes each: three read() refills */

static void
table_order(void)
{
	for (size_t i = 0; i < PM_AN_COUNT; i++) {
		const struct pm_analyser *an = pm_analysers[i];
		CHECK(an != NULL && an->name != NULL && an->state_size != 0);
		/* An analyser finishes after those it reads: they come earlier in the table. */
		CHECK_EQ(an->after >> i, 0);
		for (size_t j = 0; j < i; j++) {
			CHECK(strcmp(an->name, pm_analysers[j]->name) != 0);
		}
		if (an->observe != NULL) {
			CHECK(an->want.classes != 0 && an->want.apps != 0);
		}
	}
}

/* A capture of BIG_FLOWS one-segment TCP flows whose labels come from their payloads. */
static void
build_big(struct pcapbuf *b)
{
	pb_start(b);
	for (uint32_t i = 0; i < BIG_FLOWS; i++) {
		uint8_t h[24] = { 0 };
		pb_be16(h, (uint16_t)(20000 + i % 20000));
		pb_be16(h + 2, (uint16_t)(5000 + i / 20000));
		pb_be32(h + 4, i);
		h[12] = 5 << 4;
		h[13] = PM_TCP_ACK | PM_TCP_PSH;
		pb_be16(h + 14, 1024);
		/* Even flows look like HTTP, odd ones like SSH: a moved window shows as a wrong label. */
		memcpy(h + 20, i % 2 == 0 ? "GET " : "SSH-", 4);
		pb_frame(b, PM_IPPROTO_TCP, 0x0A000001 + i % 251, 0x0A010001, h, sizeof(h),
		         400 + (i * 37) % 700);
	}
}

/* get_pcap_summary's JSON for a finished analysis. */
static char *
summary_json(const struct pm_analysis *a)
{
	struct pm_json w;
	struct pm_view_args v;
	struct pm_error err = { 0 };
	pm_view_args_init(&v);
	pm_json_init(&w, 0);
	pm_json_obj_begin(&w);
	CHECK_EQ(pm_summary_emit(a, &v, &w, &err), 0);
	pm_json_obj_end(&w);
	CHECK_EQ(pm_json_finish(&w), 0);
	char *s = strdup(w.buf != NULL ? w.buf : "");
	pm_json_free(&w);
	return s;
}

static uint64_t
label_packets(const struct pm_analysis *a, enum pm_app app)
{
	struct pm_proto_share rows[PM_SUMMARY_MAX_PROTOS];
	size_t n = pm_summary_protocols(a, rows);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(rows[i].name, pm_app_name(app)) == 0) {
			return rows[i].packets;
		}
	}
	return 0;
}

/* The same capture from memory, through mmap and through read(): identical answers. */
static void
sources_agree(void)
{
	struct pcapbuf b;
	build_big(&b);
	CHECK(b.n > 3 * PM_READ_BUF);
	char path[] = "/tmp/pcapmcp-analysis-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0) {
		pb_free(&b);
		return;
	}
	CHECK_EQ(write(fd, b.p, b.n), (long long)b.n);
	close(fd);
	static struct pm_analysis a[3];
	struct pm_error err = { 0 };
	struct pm_analysis_opts mm = { .io = PM_IO_MMAP }, rd = { .io = PM_IO_READ };
	CHECK_EQ(pm_analysis_run_mem(&a[0], b.p, b.n, NULL, &err), 0);
	CHECK_EQ(pm_analysis_run(&a[1], path, &mm, &err), 0);
	CHECK_EQ(pm_analysis_run(&a[2], path, &rd, &err), 0);
	char *want = summary_json(&a[0]);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(pm_an_info(&a[i])->packets, BIG_FLOWS);
		CHECK_EQ(pm_an_flows(&a[i])->flows.count, BIG_FLOWS);
		CHECK_EQ(label_packets(&a[i], PM_APP_HTTP), BIG_FLOWS / 2);
		CHECK_EQ(label_packets(&a[i], PM_APP_SSH), BIG_FLOWS / 2);
		char *got = summary_json(&a[i]);
		CHECK(strcmp(got, want) == 0); /* whole summary, byte for byte */
		free(got);
		pm_analysis_free(&a[i]);
	}
	free(want);
	unlink(path);
	pb_free(&b);
}

/* Which analysers run: the ones asked for, plus those they run after. */
static void
selection(void)
{
	struct pcapbuf b;
	pb_start(&b);
	pb_udp(&b, 0x0A000001, 0x0A000002, 1234, 53, 20);
	pb_udp(&b, 0x0A000002, 0x0A000001, 53, 1234, 40);
	static struct pm_analysis a;
	struct pm_error err = { 0 };
	struct pm_analysis_opts info = { .info_only = true };
	CHECK_EQ(pm_analysis_run_mem(&a, b.p, b.n, &info, &err), 0);
	CHECK_EQ(a.ran, PM_AN_BIT(INFO));
	CHECK(pm_an_flows(&a) == NULL && pm_an_scan(&a) == NULL);
	CHECK_EQ(pm_an_info(&a)->packets, 2);
	CHECK_EQ(a.dec.udp, 2);
	pm_analysis_free(&a);

	struct pm_analysis_opts scan = { .analysers = PM_AN_BIT(SCAN) };
	CHECK_EQ(pm_analysis_run_mem(&a, b.p, b.n, &scan, &err), 0);
	CHECK_EQ(a.ran, PM_AN_BIT(SCAN) | PM_AN_BIT(FLOWS));
	CHECK(pm_an_info(&a) == NULL && pm_an_timeline(&a) == NULL);
	CHECK_EQ(pm_an_flows(&a)->flows.count, 1);
	pm_analysis_free(&a);

	CHECK_EQ(pm_analysis_run_mem(&a, b.p, b.n, NULL, &err), 0);
	CHECK_EQ(a.ran, PM_AN_ALL);
	const struct pm_timeline *tl = pm_an_timeline(&a);
	uint64_t sum = 0;
	for (size_t i = 0; i < PM_TIMELINE_SLOTS; i++) {
		sum += tl->pkts[i];
	}
	CHECK_EQ(sum, 2);
	size_t mem = pm_analysis_mem(&a);
	CHECK(mem > sizeof(a) + pm_an_flows(&a)->flows.bytes);
	pm_analysis_free(&a);
	CHECK_EQ(a.ran, 0);
	CHECK(pm_an_flows(&a) == NULL);
	pm_analysis_free(&a); /* a second free is harmless */
	pb_free(&b);
}

void test_analysis(void);

void
test_analysis(void)
{
	table_order();
	selection();
	sources_agree();
}

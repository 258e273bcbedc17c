/* SPDX-License-Identifier: MIT */
/*
 * test_info.c - capinfos facts: earliest/latest times over out-of-order
 * records, records without timestamps, rates, and the JSON members.
 */
#include "capture.h"
#include "decode.h"
#include "info.h"
#include "json.h"
#include "test.h"

void test_info(void);

static struct pm_rec
rec(int64_t ts, uint32_t caplen, uint32_t len, bool has_ts)
{
	struct pm_rec r = { 0 };
	r.ts_ns = ts;
	r.caplen = caplen;
	r.len = len;
	r.has_ts = has_ts;
	return r;
}

static void
counting(void)
{
	struct pm_info st = { 0 };
	struct pm_rec r;
	r = rec(2000000000, 100, 100, true);
	pm_info_observe(&st, &r);
	r = rec(1000000000, 60, 1500, true); /* older than the one before */
	pm_info_observe(&st, &r);
	r = rec(0, 40, 40, false); /* SPB: no time */
	pm_info_observe(&st, &r);
	r = rec(5000000000, 200, 200, true);
	pm_info_observe(&st, &r);
	CHECK_EQ(st.packets, 4);
	CHECK_EQ(st.bytes_captured, 400);
	CHECK_EQ(st.bytes_wire, 1840);
	CHECK_EQ(st.truncated, 1);
	CHECK_EQ(st.no_ts, 1);
	CHECK_EQ(st.out_of_order, 1);
	CHECK_EQ(st.ts_min, 1000000000);
	CHECK_EQ(st.ts_max, 5000000000);
	CHECK_EQ(st.caplen_max, 200);
	struct pm_info_rates rt;
	pm_info_rates(&st, &rt);
	CHECK(rt.duration_s == 4.0);
	CHECK(rt.bytes_per_s == 100.0);
	CHECK(rt.bits_per_s == 800.0);
	CHECK(rt.packets_per_s == 1.0);
	CHECK(rt.avg_packet_bytes == 100.0);

	char res[32];
	pm_info_tsresol(6, res, sizeof(res));
	CHECK_STR(res, "microseconds");
	pm_info_tsresol(0x94, res, sizeof(res));
	CHECK_STR(res, "2^-20 s");
	pm_info_tsresol(12, res, sizeof(res));
	CHECK_STR(res, "10^-12 s");
}

static void
emitting(void)
{
	/* A one-record classic pcap built in place: Ethernet, 14 bytes of zeros. */
	static const uint8_t file[] = {
		0xd4, 0xc3, 0xb2, 0xa1, 0x02, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf1, 0x53, 0x65,
		0x01, 0x00, 0x00, 0x00, 0x0e, 0x00, 0x00, 0x00, 0x0e, 0x00, 0x00, 0x00, 0,    0,
		0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
	};
	struct pm_capture c;
	struct pm_error err;
	struct pm_rec r;
	struct pm_info st = { 0 };
	struct pm_decode_stats d = { 0 };
	struct pm_pkt pkt;
	CHECK_EQ(pm_capture_open_mem(&c, file, sizeof(file), &err), 0);
	while (pm_capture_next(&c, &r) == 1) {
		pm_info_observe(&st, &r);
		pm_decode(&d, r.linktype, r.data, r.caplen, r.len, r.ts_ns, &pkt);
	}
	struct pm_json w;
	pm_json_init(&w, 0);
	pm_json_obj_begin(&w);
	pm_info_emit(&w, &st, &c, &d, "dir/one.pcap");
	pm_json_obj_end(&w);
	CHECK_EQ(pm_json_finish(&w), 0);
	CHECK(strstr(w.buf, "\"filename\":\"one.pcap\"") != NULL);
	CHECK(strstr(w.buf, "\"packet_count\":1,") != NULL);
	CHECK(strstr(w.buf, "\"file_encapsulation\":\"Ethernet\"") != NULL);
	CHECK(strstr(w.buf, "\"first_packet_time\":\"2023-11-14T22:13:20.000001000Z\"") != NULL);
	CHECK(strstr(w.buf, "\"format\":\"pcap\"") != NULL);
	CHECK(strstr(w.buf, "\"warnings\":[]") != NULL);
	CHECK(strstr(w.buf, "\"ethernet\":1") != NULL);
	pm_json_free(&w);
	pm_capture_close(&c);
}

void
test_info(void)
{
	counting();
	emitting();
}

/* SPDX-License-Identifier: MIT */
/*
 * test_views.c - the summary, flow and TCP views over the recorded loopback
 * captures, against values from tshark 4.0 (`tshark -r F -q -z conv,tcp
 * -z conv,udp`), plus argument errors and the output-size bound on the
 * largest corpus captures.
 */
#include "addr.h"
#include "analysis.h"
#include "flowview.h"
#include "json.h"
#include "summary.h"
#include "tcpview.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void test_views(void);

typedef int (*view_fn)(const struct pm_analysis *a, const struct pm_view_args *args,
                       struct pm_json *w, struct pm_error *err);

/* Run one view into w as a complete object; returns the view's result. */
static int
run_view(const struct pm_analysis *a, view_fn fn, const struct pm_view_args *v, struct pm_json *w)
{
	struct pm_error err = { 0 };
	pm_json_init(w, 0);
	pm_json_obj_begin(w);
	pm_json_kbool(w, "ok", true);
	int rc = fn(a, v, w, &err);
	pm_json_obj_end(w);
	if (rc == 0) {
		CHECK_EQ(pm_json_finish(w), 0);
	}
	return rc;
}

static bool
has(const struct pm_json *w, const char *s)
{
	return w->buf != NULL && strstr(w->buf, s) != NULL;
}

static bool
load(struct pm_analysis *a, const char *path)
{
	struct stat st;
	struct pm_error err = { 0 };
	if (stat(path, &st) != 0) {
		fprintf(stderr, "test_views: %s absent, skipped\n", path);
		return false;
	}
	pm_table_seed_fixed(1, 2);
	int rc = pm_analysis_run(a, path, NULL, &err);
	CHECK_EQ(rc, 0);
	return rc == 0;
}

/* The flow whose client port is cport, or NULL. */
static const struct pm_flow_ref *
by_cport(const struct pm_flow_ref *r, size_t n, uint16_t cport)
{
	for (size_t i = 0; i < n; i++) {
		struct pm_view_ends e;
		pm_view_ends(r[i].key, r[i].flow, &e);
		if (e.cport == cport) {
			return &r[i];
		}
	}
	return NULL;
}

/* tshark: 127.0.0.1:60618 <-> :8080 client sent 7 frames / 560 bytes, server 5 / 858. */
static void
http_flows(const struct pm_analysis *a)
{
	struct pm_view_args v;
	struct pm_flow_ref *r;
	size_t n;
	struct pm_error err = { 0 };
	pm_view_args_init(&v);
	v.port = 8080;
	CHECK_EQ(pm_view_flows_select(a, &v, &r, &n, &err), 0);
	CHECK_EQ(n, 4);
	for (size_t i = 0; i < n; i++) {
		CHECK_EQ(r[i].flow->app, PM_APP_HTTP);
		CHECK_EQ(r[i].flow->app_src, PM_LABEL_PAYLOAD);
		CHECK_EQ(pm_flow_tcp_state(r[i].key, r[i].flow), PM_TCP_CLOSED);
	}
	/* sorted by bytes: 1418, 1271, 1100, 950 */
	CHECK_EQ(r[0].flow->d[0].bytes + r[0].flow->d[1].bytes, 1418);
	CHECK_EQ(r[3].flow->d[0].bytes + r[3].flow->d[1].bytes, 950);
	const struct pm_flow_ref *f = by_cport(r, n, 60618);
	CHECK(f != NULL);
	if (f != NULL) {
		struct pm_view_ends e;
		pm_view_ends(f->key, f->flow, &e);
		CHECK_EQ(e.sport, 8080);
		CHECK_EQ(e.c2s->packets, 7);
		CHECK_EQ(e.c2s->bytes, 560);
		CHECK_EQ(e.s2c->packets, 5);
		CHECK_EQ(e.s2c->bytes, 858);
	}
	free(r);

	struct pm_json w;
	CHECK_EQ(run_view(a, pm_view_port_flows, &v, &w), 0);
	CHECK(has(&w, "\"totals\":{\"flows\":4,\"packets\":46,\"bytes\":4739}"));
	CHECK(
	    has(&w, "\"flows_page\":{\"total\":4,\"truncated\":false,\"limit\":50,\"offset\":0}"));
	CHECK(has(&w, "\"client_port\":60618,\"server\":\"127.0.0.1\",\"server_port\":8080"));
	CHECK(has(&w, "\"label\":\"HTTP\",\"label_source\":\"payload\",\"state\":\"closed\""));
	pm_json_free(&w);

	v.limit = 1;
	v.offset = 1;
	v.sort = PM_SORT_PACKETS;
	CHECK_EQ(run_view(a, pm_view_port_flows, &v, &w), 0);
	CHECK(has(&w, "\"flows_page\":{\"total\":4,\"truncated\":true,\"limit\":1,\"offset\":1}"));
	pm_json_free(&w);
}

static void
http_summary(const struct pm_analysis *a)
{
	struct pm_proto_share rows[PM_SUMMARY_MAX_PROTOS];
	size_t n = pm_summary_protocols(a, rows);
	CHECK_EQ(n, 1);
	CHECK_STR(rows[0].name, "HTTP");
	CHECK_EQ(rows[0].packets, 46);
	struct pm_tcp_health h;
	pm_summary_tcp_health(a, &h);
	CHECK_EQ(h.connections, 4);
	CHECK_EQ(h.handshakes_completed, 4);
	CHECK_EQ(h.state[PM_TCP_CLOSED], 4);
	CHECK_EQ(h.retransmissions, 0);

	struct pm_view_args v;
	struct pm_json w;
	pm_view_args_init(&v);
	CHECK_EQ(run_view(a, pm_summary_emit, &v, &w), 0);
	CHECK(has(&w, "\"total_packets\":46,\"total_bytes\":4739"));
	CHECK(has(&w, "\"flow_count\":{\"total\":4,\"tcp\":4,\"udp\":0,\"icmp\":0,\"other\":0}"));
	CHECK(has(&w, "{\"name\":\"HTTP\",\"packets\":46,\"bytes\":4739,\"percent\":100}"));
	CHECK(has(&w, "\"top_ports\":[{\"protocol\":\"TCP\",\"port\":8080,\"label\":\"HTTP\","
	              "\"packets\":46"));
	CHECK(has(&w, "\"timeline\":{\"start\":"));
	pm_json_free(&w);
}

/* The mixed recording: HTTP, a UDP exchange with 127.0.0.2, a SYN refused by RST. */
static void
mixed_tcp(const struct pm_analysis *a)
{
	struct pm_view_args v;
	struct pm_flow_ref *r;
	size_t n;
	struct pm_error err = { 0 };
	pm_view_args_init(&v);
	CHECK_EQ(pm_view_tcp_select(a, &v, PM_SORT_PACKETS, &r, &n, &err), 0);
	CHECK_EQ(n, 2);
	if (n == 2) {
		struct pm_view_ends e;
		pm_view_ends(r[1].key, r[1].flow, &e);
		CHECK_EQ(e.sport, 9);
		CHECK_EQ(pm_flow_tcp_state(r[1].key, r[1].flow), PM_TCP_FAILED);
		CHECK_EQ(e.s2c->rst, 1);
		CHECK_EQ(e.c2s->syn, 1);
		CHECK_EQ(pm_flow_tcp_state(r[0].key, r[0].flow), PM_TCP_CLOSED);
	}
	free(r);

	struct pm_json w;
	CHECK_EQ(run_view(a, pm_view_tcp_connections, &v, &w), 0);
	CHECK(has(&w, "\"total_packets\":16,\"tcp_packets_found\":14"));
	CHECK(has(&w, "\"successful_handshakes\":1,\"failed_handshakes\":1"));
	CHECK(has(&w, "\"server\":\"127.0.0.1:9\",\"state\":\"failed\""));
	CHECK(has(&w, "\"close_reason\":\"failed\""));
	CHECK(has(&w, "1 connection attempts failed"));
	pm_json_free(&w);

	CHECK_EQ(run_view(a, pm_view_tcp_anomalies, &v, &w), 0);
	CHECK(has(&w, "\"rst_distribution\":{\"from_server\":1,\"to_server\":0,"
	              "\"connections_with_rst\":1}"));
	CHECK(has(&w, "\"pattern\":\"rst_directional_asymmetry\""));
	CHECK(has(&w, "\"pattern\":\"handshake_completion\""));
	CHECK(!has(&w, "\"pattern\":\"packet_retransmission\""));
	pm_json_free(&w);

	v.server_ip = "127.0.0.1";
	v.server_port = 9;
	CHECK_EQ(run_view(a, pm_view_traffic_flow, &v, &w), 0);
	CHECK(has(&w, "\"server\":\"127.0.0.1:9\",\"connections\":1"));
	CHECK(has(&w, "\"primary_rst_source\":\"server\""));
	pm_json_free(&w);
}

static void
mixed_ip(const struct pm_analysis *a)
{
	struct pm_view_args v;
	struct pm_json w;
	pm_view_args_init(&v);
	v.ip = "127.0.0.2";
	CHECK_EQ(run_view(a, pm_view_ip_flows, &v, &w), 0);
	/* tshark: 127.0.0.1:40136 <-> 127.0.0.2:9999, 1 frame of 59 bytes each way, 65 back */
	CHECK(has(&w, "\"protocol\":\"UDP\",\"client\":\"127.0.0.1\",\"client_port\":40136"));
	CHECK(has(&w, "\"packets_c2s\":1,\"packets_s2c\":1,\"bytes_c2s\":59,\"bytes_s2c\":65"));
	CHECK(has(&w, "\"direction\":\"inbound\""));
	CHECK(has(&w, "\"inbound\":{\"flows\":1,\"packets\":2,\"bytes\":124}"));
	CHECK(has(&w, "\"outbound\":{\"flows\":0,"));
	pm_json_free(&w);

	pm_view_args_init(&v);
	v.protocol = "Http";
	CHECK_EQ(run_view(a, pm_view_protocol_flows, &v, &w), 0);
	CHECK(has(&w, "\"totals\":{\"flows\":1,\"packets\":12,\"bytes\":1100}"));
	pm_json_free(&w);
	v.protocol = "udp";
	CHECK_EQ(run_view(a, pm_view_protocol_flows, &v, &w), 0);
	CHECK(has(&w, "\"totals\":{\"flows\":1,\"packets\":2,\"bytes\":124}"));
	pm_json_free(&w);

	struct pm_proto_share rows[PM_SUMMARY_MAX_PROTOS];
	size_t n = pm_summary_protocols(a, rows);
	uint64_t sum = 0;
	for (size_t i = 0; i < n; i++) {
		sum += rows[i].packets;
	}
	CHECK_EQ(sum, 16);
	CHECK_STR(rows[0].name, "HTTP");
}

static void
bad_args(const struct pm_analysis *a)
{
	struct pm_view_args v;
	struct pm_json w;
	struct pm_error err = { 0 };
	pm_view_args_init(&v);
	v.ip = "10.0.0.300";
	pm_json_init(&w, 0);
	CHECK_EQ(pm_view_ip_flows(a, &v, &w, &err), PM_E_MALFORMED);
	CHECK_EQ(err.ecode, PM_EC_INVALID_IP);
	CHECK_EQ(w.len, 0);
	pm_view_args_init(&v);
	v.protocol = "gopher";
	CHECK_EQ(pm_view_protocol_flows(a, &v, &w, &err), PM_E_MALFORMED);
	CHECK_EQ(err.ecode, PM_EC_INVALID_ARGUMENT);
	pm_view_args_init(&v);
	v.port = 70000;
	CHECK_EQ(pm_view_port_flows(a, &v, &w, &err), PM_E_MALFORMED);
	pm_view_args_init(&v);
	CHECK_EQ(pm_view_traffic_flow(a, &v, &w, &err), PM_E_MALFORMED);
	CHECK_EQ(err.ecode, PM_EC_INVALID_ARGUMENT);
	v.server_ip = "nope";
	CHECK_EQ(pm_view_tcp_connections(a, &v, &w, &err), PM_E_MALFORMED);
	CHECK_EQ(err.ecode, PM_EC_INVALID_IP);
	pm_view_args_init(&v);
	v.threshold = 2;
	CHECK_EQ(pm_view_tcp_retransmissions(a, &v, &w, &err), PM_E_MALFORMED);
	pm_view_args_init(&v);
	v.limit = -1;
	v.port = 80;
	CHECK_EQ(pm_view_port_flows(a, &v, &w, &err), PM_E_MALFORMED);
	CHECK_EQ(w.len, 0);
	pm_json_free(&w);
}

/* Every view at its defaults stays under 20,000 characters on a big capture. */
static void
sizes(const char *path)
{
	static const view_fn fns[] = { pm_summary_emit,        pm_view_tcp_connections,
		                       pm_view_tcp_anomalies,  pm_view_tcp_retransmissions,
		                       pm_view_protocol_flows, pm_view_port_flows };
	struct pm_analysis a;
	if (!load(&a, path)) {
		return;
	}
	for (size_t i = 0; i < PM_ARRAY_LEN(fns); i++) {
		struct pm_view_args v;
		struct pm_json w;
		pm_view_args_init(&v);
		v.port = i == 5 ? 80 : -1;
		v.protocol = i == 5 ? NULL : "tcp";
		CHECK_EQ(run_view(&a, fns[i], &v, &w), 0);
		if (w.len >= 20000) {
			fprintf(stderr, "test_views: view %zu on %s: %zu bytes\n", i, path, w.len);
		}
		CHECK(w.len < 20000);
		pm_json_free(&w);
	}
	pm_analysis_free(&a);
}

/* see the suite list in tests/main.c */
void
test_views(void)
{
	struct pm_analysis a;
	if (load(&a, "captures/loopback-http.pcapng")) {
		http_flows(&a);
		http_summary(&a);
		bad_args(&a);
		pm_analysis_free(&a);
	}
	if (load(&a, "captures/loopback-mixed.pcap")) {
		mixed_tcp(&a);
		mixed_ip(&a);
		pm_analysis_free(&a);
	}
	const char *dir = pm_test_corpus_dir();
	if (dir != NULL) {
		char path[512];
		snprintf(path, sizeof(path),
		         "%s/pcapplusplus/Pcap++Test/PcapExamples/example2.pcap", dir);
		sizes(path);
		snprintf(path, sizeof(path), "%s/pcap-parser/wireshark_samples-test.pcapng", dir);
		sizes(path);
	}
}

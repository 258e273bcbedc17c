/* SPDX-License-Identifier: MIT */
/*
 * fuzz_analysis.c - capture bytes through the whole pass (reader, decoder,
 * flow tables) and then two of the views, picked by the input's size, whose
 * JSON must come out complete; on one input in four the first view's output
 * is also parsed back with the strict parser. The arguments aim the filtered
 * views at the first flow so they have something to list. Small caps
 * (fuzz.h) on odd-sized inputs exercise the full-table path. The DNS,
 * ICMP, DHCP and SIP views are among those picked.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "addr.h"
#include "analysis.h"
#include "arena.h"
#include "dhcpview.h"
#include "dnsview.h"
#include "flow.h"
#include "flowview.h"
#include "fuzz.h"
#include "icmpview.h"
#include "info.h"
#include "json.h"
#include "jsonparse.h"
#include "sipview.h"
#include "summary.h"
#include "tcpview.h"

typedef int (*view_fn)(const struct pm_analysis *a, const struct pm_view_args *args,
                       struct pm_json *w, struct pm_error *err);

static void
run_view(const struct pm_analysis *a, view_fn fn, const struct pm_view_args *args, bool parse)
{
	struct pm_json w;
	struct pm_error err = { 0 };
	pm_json_init(&w, 0);
	pm_json_obj_begin(&w);
	int rc = fn(a, args, &w, &err);
	pm_json_obj_end(&w);
	if (rc == 0) {
		FUZZ_ASSERT(pm_json_finish(&w) == 0);
	}
	if (rc == 0 && parse) {
		/* What a view writes must parse back as JSON. */
		struct pm_arena arena;
		const struct pm_jv *v = NULL;
		pm_arena_init(&arena, 256u << 20);
		FUZZ_ASSERT(pm_json_parse((const uint8_t *)w.buf, w.len, &arena, &v, NULL) == 0);
		FUZZ_ASSERT(pm_jv_is(v, PM_JV_OBJ));
		pm_arena_free(&arena);
	} else if (rc != 0) {
		FUZZ_ASSERT(err.msg[0] != '\0');
	}
	pm_json_free(&w);
}

static int
summary(const struct pm_analysis *a, const struct pm_view_args *args, struct pm_json *w,
        struct pm_error *err)
{
	return pm_summary_emit(a, args, w, err);
}

/* The protocol views, with defaults and the filters aimed at the first flow's address. */
static int
dns(const struct pm_analysis *a, const struct pm_view_args *args, struct pm_json *w,
    struct pm_error *err)
{
	struct pm_dns_args d;
	pm_dns_args_init(&d);
	d.client = args->ip;
	d.name = "a";
	d.page.limit = args->port % 7;
	return pm_dns_view(a, &d, w, err);
}

static int
icmp(const struct pm_analysis *a, const struct pm_view_args *args, struct pm_json *w,
     struct pm_error *err)
{
	struct pm_icmp_args d;
	pm_icmp_args_init(&d);
	d.host = args->port % 2 ? args->ip : NULL;
	return pm_icmp_view(a, &d, w, err);
}

static int
dhcp(const struct pm_analysis *a, const struct pm_view_args *args, struct pm_json *w,
     struct pm_error *err)
{
	struct pm_dhcp_args d;
	pm_dhcp_args_init(&d);
	d.type = args->port % 2 ? 1 : -1;
	return pm_dhcp_view(a, &d, w, err);
}

static int
sip(const struct pm_analysis *a, const struct pm_view_args *args, struct pm_json *w,
    struct pm_error *err)
{
	struct pm_sip_args d;
	pm_sip_args_init(&d);
	d.method = args->port % 2 ? "INVITE" : NULL;
	return pm_sip_view(a, &d, w, err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pm_analysis a;
	struct pm_error err;
	struct pm_analysis_opts o = FUZZ_SMALL_CAPS;
	if (size % 2 == 0) {
		o.max_table_bytes = 0; /* the default cap, which no input here fills */
	}
	if (pm_analysis_run_mem(&a, data, size, &o, &err) != 0) {
		return 0;
	}
	FUZZ_ASSERT(pm_an_flows(&a)->ip_packets <= pm_an_info(&a)->packets);
	struct pm_view_args args;
	pm_view_args_init(&args);
	/* Short pages (and sometimes a small byte budget) reach the paging and
	 * truncation paths with little output to write and parse back. */
	args.limit = 3;
	args.top = 3;
	args.offset = size % 5 == 0 ? 2 : 0;
	args.budget = size % 4 == 0 ? 512 : args.budget;
	char ip[48] = "192.0.2.1";
	size_t pos = 0;
	void *v;
	const struct pm_flow_key *k = pm_table_next(&pm_an_flows(&a)->flows, &pos, &v);
	if (k != NULL) {
		pm_addr_str(k->a, k->ipver, ip);
		args.port = k->pb;
	} else {
		args.port = 80;
	}
	args.ip = ip;
	args.server_ip = ip;
	args.protocol = size % 3 == 0 ? "tcp" : size % 3 == 1 ? "dns" : "icmpv6";
	const view_fn views[] = { summary,
		                  pm_view_port_flows,
		                  pm_view_ip_flows,
		                  pm_view_protocol_flows,
		                  pm_view_tcp_connections,
		                  pm_view_tcp_anomalies,
		                  pm_view_tcp_retransmissions,
		                  pm_view_traffic_flow,
		                  dns,
		                  icmp,
		                  dhcp,
		                  sip };
	/* Two views an input, picked by its size, the first parsed back on one
	 * input in four: writing and parsing every view's JSON cost 90% of an
	 * input's time, while the pass that feeds them is the same for all. */
	size_t n = sizeof(views) / sizeof(views[0]);
	run_view(&a, views[size % n], &args, size / n % 4 == 0);
	run_view(&a, views[(size / 4 + 1) % n], &args, false);
	pm_analysis_free(&a);
	return 0;
}

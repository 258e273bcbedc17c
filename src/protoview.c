/* SPDX-License-Identifier: MIT */
/*
 * protoview.c - helpers the protocol views share: mcpcap's head members,
 * findings, paging and argument checks.
 */
#include "protoview.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "analysis.h"
#include "capture.h"
#include "isotime.h"
#include "json.h"
#include "table.h"

/* see protoview.h */
void
pm_pv_page_init(struct pm_pv_page *pg)
{
	pg->limit = PM_PV_DEFAULT_LIMIT;
	pg->offset = 0;
	pg->top = PM_PV_DEFAULT_TOP;
	pg->budget = PM_PV_PACKETS_BUDGET;
	pg->max_bytes = 0;
}

/* see protoview.h */
int
pm_pv_page_check(struct pm_pv_page *pg, struct pm_error *err)
{
	if (pg->limit < 0 || pg->offset < 0 || pg->top < 1) {
		return pm_error_set(err, PM_E_MALFORMED, 0,
		                    "invalid_argument: limit and offset must be >= 0, top >= 1");
	}
	if (pg->limit > PM_PV_MAX_LIMIT) {
		pg->limit = PM_PV_MAX_LIMIT;
	}
	if (pg->top > PM_PV_MAX_TOP) {
		pg->top = PM_PV_MAX_TOP;
	}
	return 0;
}

/* see protoview.h */
void
pm_pv_head(struct pm_json *w, const struct pm_analysis *a, const char *total_key, const char *proto,
           uint64_t found, uint64_t analyzed)
{
	char key[64];
	pm_json_kstr(w, "file", a->path);
	pm_json_ku64(w, total_key, a->dec.packets);
	snprintf(key, sizeof(key), "%s_packets_found", proto);
	pm_json_ku64(w, key, found);
	snprintf(key, sizeof(key), "%s_packets_analyzed", proto);
	pm_json_ku64(w, key, analyzed);
}

/* see protoview.h */
void
pm_pv_finding(struct pm_json *w, const char *type, const char *severity, const char *fmt, ...)
{
	char summary[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(summary, sizeof(summary), fmt, ap);
	va_end(ap);
	pm_json_obj_begin(w);
	pm_json_kstr(w, "type", type);
	pm_json_kstr(w, "severity", severity);
	pm_json_kstr(w, "summary", summary);
	pm_json_key(w, "evidence");
	pm_json_obj_begin(w);
}

/* see protoview.h */
void
pm_pv_finding_end(struct pm_json *w)
{
	pm_json_obj_end(w);
	pm_json_obj_end(w);
}

/* see protoview.h */
void
pm_pv_kaddr(struct pm_json *w, const char *key, const uint8_t addr[16], uint8_t ipver)
{
	char buf[48];
	pm_addr_str(addr, ipver, buf);
	pm_json_kstr(w, key, buf);
}

/* see protoview.h */
void
pm_pv_ktime(struct pm_json *w, const char *key, int64_t ts_ns)
{
	char buf[40];
	pm_time_iso(ts_ns, buf);
	pm_json_kstr(w, key, buf);
}

/* see protoview.h */
bool
pm_pv_fits(const struct pm_json *w, size_t start, size_t budget, size_t taken)
{
	return budget == 0 || taken == 0 || w->len - start < budget;
}

/* see protoview.h */
int
pm_pv_addr_arg(const char *arg, const char *s, uint8_t addr[16], uint8_t *ipver,
               struct pm_error *err)
{
	*ipver = 0;
	memset(addr, 0, 16);
	if (s == NULL) {
		return 0;
	}
	int v = pm_addr_parse(s, addr);
	if (v == 0) {
		return pm_error_set(err, PM_E_MALFORMED, 0,
		                    "invalid_ip: %s must be an IPv4 or IPv6 address", arg);
	}
	*ipver = (uint8_t)v;
	return 0;
}

/* see protoview.h */
bool
pm_pv_contains(const char *hay, const char *needle)
{
	if (needle == NULL || needle[0] == '\0') {
		return true;
	}
	if (hay == NULL) {
		return false;
	}
	size_t n = strlen(needle);
	for (const char *h = hay; *h != '\0'; h++) {
		size_t i = 0;
		while (i < n && h[i] != '\0' &&
		       tolower((unsigned char)h[i]) == tolower((unsigned char)needle[i])) {
			i++;
		}
		if (i == n) {
			return true;
		}
	}
	return false;
}

/* see protoview.h */
struct pm_pv_entry *
pm_pv_entries(const struct pm_table *t, size_t *n)
{
	struct pm_pv_entry *v = malloc(t->count * sizeof(*v) + 1);
	*n = 0;
	if (v == NULL) {
		return NULL;
	}
	size_t pos = 0;
	void *val;
	const void *k;
	while ((k = pm_table_next(t, &pos, &val)) != NULL) {
		v[*n].key = k;
		v[(*n)++].val = val;
	}
	return v;
}

/* see protoview.h */
void
pm_pv_packets(struct pm_json *w, const struct pm_pv_sample *smp, const struct pm_pv_page *pg)
{
	uint64_t total = 0, shown = 0;
	bool full = false;
	pm_json_key(w, "packets");
	pm_json_arr_begin(w);
	size_t start = w->len;
	const unsigned char *items = smp->items;
	for (size_t i = 0; i < smp->n; i++) {
		const void *item = items + i * smp->size;
		if (!smp->match(item, smp->ctx) || total++ < (uint64_t)pg->offset || full) {
			continue;
		}
		if (shown == (uint64_t)pg->limit || !pm_pv_fits(w, start, pg->budget, shown) ||
		    (pg->max_bytes != 0 && w->len >= pg->max_bytes)) {
			full = true;
			continue;
		}
		smp->write(w, item);
		shown++;
	}
	pm_json_arr_end(w);
	pm_json_page(w, "packets", total, shown, (uint64_t)pg->offset);
	pm_json_kbool(w, "packets_sample_complete", smp->complete);
}

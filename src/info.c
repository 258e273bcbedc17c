/* SPDX-License-Identifier: MIT */
/*
 * info.c - capinfos facts: counting in the pass, and the analyze_capinfos
 * JSON. Times are the earliest and latest timestamps (as capinfos reports),
 * rates are over that span, sizes are captured bytes unless named "wire".
 */
#include "info.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "analyser.h"
#include "capture.h"
#include "decode.h"
#include "isotime.h"
#include "json.h"

/* Count one record of caplen of len bytes at ts (valid when has_ts). */
static inline void
count(struct pm_info *st, int64_t ts, uint32_t caplen, uint32_t len, bool has_ts)
{
	st->packets++;
	st->bytes_captured += caplen;
	st->bytes_wire += len;
	st->truncated += caplen < len;
	if (caplen > st->caplen_max) {
		st->caplen_max = caplen;
	}
	if (!has_ts) {
		st->no_ts++;
		return;
	}
	if (!st->has_ts) {
		st->has_ts = true;
		st->ts_min = st->ts_max = st->ts_prev = ts;
		return;
	}
	st->out_of_order += ts < st->ts_prev;
	st->ts_prev = ts;
	if (ts < st->ts_min) {
		st->ts_min = ts;
	}
	if (ts > st->ts_max) {
		st->ts_max = ts;
	}
}

/* see info.h */
void
pm_info_observe(struct pm_info *st, const struct pm_rec *r)
{
	count(st, r->ts_ns, r->caplen, r->len, r->has_ts);
}

/* see info.h */
void
pm_info_rates(const struct pm_info *st, struct pm_info_rates *out)
{
	memset(out, 0, sizeof(*out));
	if (st->has_ts) {
		out->duration_s = ((double)st->ts_max - (double)st->ts_min) / 1e9;
	}
	if (out->duration_s > 0) {
		out->bytes_per_s = (double)st->bytes_captured / out->duration_s;
		out->bits_per_s = out->bytes_per_s * 8;
		out->packets_per_s = (double)st->packets / out->duration_s;
	}
	if (st->packets != 0) {
		out->avg_packet_bytes = (double)st->bytes_captured / (double)st->packets;
	}
}

/* see info.h */
const char *
pm_info_encapsulation(const struct pm_capture *c)
{
	if (c->n_ifaces == 0) {
		return "Unknown";
	}
	for (size_t i = 1; i < c->n_ifaces; i++) {
		if (c->ifaces[i].linktype != c->ifaces[0].linktype) {
			return "Per packet";
		}
	}
	const char *d = pm_linktype_desc(c->ifaces[0].linktype);
	return d != NULL ? d : "Unknown";
}

/* see info.h */
bool
pm_info_tsresol_warning(const struct pm_capture *c, char *out, size_t n)
{
	for (size_t i = 0; i < c->n_ifaces && c->bad_tsresol != 0; i++) {
		if (c->ifaces[i].tsresol_bad != 0) {
			snprintf(
			    out, n,
			    "%llu interface%s (first: %zu) with if_tsresol 0x%02x, too fine for "
			    "a 64-bit count to reach 1 ns; timestamps read as microseconds",
			    (unsigned long long)c->bad_tsresol, c->bad_tsresol == 1 ? "" : "s", i,
			    c->ifaces[i].tsresol_bad);
			return true;
		}
	}
	return false;
}

/* see info.h */
void
pm_info_tsresol(uint8_t tsresol, char *out, size_t n)
{
	unsigned e = tsresol & 0x7F;
	if ((tsresol & 0x80) != 0) {
		snprintf(out, n, "2^-%u s", e);
		return;
	}
	static const char *const names[] = { "seconds",      "deciseconds", "centiseconds",
		                             "milliseconds", NULL,          NULL,
		                             "microseconds", NULL,          NULL,
		                             "nanoseconds" };
	if (e < PM_ARRAY_LEN(names) && names[e] != NULL) {
		snprintf(out, n, "%s", names[e]);
	} else {
		snprintf(out, n, "10^-%u s", e);
	}
}

static void
time_member(struct pm_json *w, const char *key, bool has, int64_t ts)
{
	char iso[40];
	pm_json_key(w, key);
	if (!has) {
		pm_json_null(w);
		return;
	}
	pm_time_iso(ts, iso);
	pm_json_str(w, iso);
}

static void
emit_sections(struct pm_json *w, const struct pm_capture *c)
{
	pm_json_key(w, "sections");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < c->n_sections; i++) {
		const struct pm_section *s = &c->sections[i];
		char ver[16];
		snprintf(ver, sizeof(ver), "%u.%u", s->major, s->minor);
		pm_json_obj_begin(w);
		pm_json_kstr(w, "byte_order", s->big_endian ? "big-endian" : "little-endian");
		pm_json_kstr(w, "version", ver);
		pm_json_ki64(w, "section_length", s->length);
		pm_json_ku64(w, "interfaces", s->n_ifaces);
		pm_json_kstr(w, "hardware", s->hardware);
		pm_json_kstr(w, "os", s->os);
		pm_json_kstr(w, "application", s->userappl);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
}

static void
emit_isb(struct pm_json *w, const struct pm_iface *f)
{
	static const struct {
		uint32_t bit;
		const char *name;
		size_t off;
	} counters[] = {
		{ PM_ISB_IFRECV, "if_received", offsetof(struct pm_iface, isb_ifrecv) },
		{ PM_ISB_IFDROP, "if_dropped", offsetof(struct pm_iface, isb_ifdrop) },
		{ PM_ISB_FILTERACCEPT, "filter_accepted",
		  offsetof(struct pm_iface, isb_filteraccept) },
		{ PM_ISB_OSDROP, "os_dropped", offsetof(struct pm_iface, isb_osdrop) },
		{ PM_ISB_USRDELIV, "user_delivered", offsetof(struct pm_iface, isb_usrdeliv) },
	};
	pm_json_key(w, "statistics");
	if (f->isb_count == 0) {
		pm_json_null(w);
		return;
	}
	pm_json_obj_begin(w);
	pm_json_ku64(w, "blocks", f->isb_count);
	time_member(w, "start_time", (f->isb_present & PM_ISB_STARTTIME) != 0, f->isb_starttime_ns);
	time_member(w, "end_time", (f->isb_present & PM_ISB_ENDTIME) != 0, f->isb_endtime_ns);
	for (size_t i = 0; i < PM_ARRAY_LEN(counters); i++) {
		pm_json_key(w, counters[i].name);
		if ((f->isb_present & counters[i].bit) != 0) {
			uint64_t v;
			memcpy(&v, (const char *)f + counters[i].off, sizeof(v));
			pm_json_u64(w, v);
		} else {
			pm_json_null(w);
		}
	}
	pm_json_obj_end(w);
}

static void
emit_interfaces(struct pm_json *w, const struct pm_capture *c)
{
	size_t n = c->n_ifaces < PM_INFO_MAX_IFACES_OUT ? c->n_ifaces : PM_INFO_MAX_IFACES_OUT;
	pm_json_key(w, "interfaces");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < n; i++) {
		const struct pm_iface *f = &c->ifaces[i];
		char res[32];
		pm_info_tsresol(f->tsresol, res, sizeof(res));
		pm_json_obj_begin(w);
		pm_json_ku64(w, "index", i);
		pm_json_ku64(w, "section", f->section);
		pm_json_kstr(w, "name", f->name);
		pm_json_kstr(w, "description", f->description);
		pm_json_ku64(w, "linktype", f->linktype);
		pm_json_kstr(w, "linktype_name", pm_linktype_name(f->linktype));
		pm_json_kstr(w, "encapsulation", pm_linktype_desc(f->linktype));
		pm_json_ku64(w, "snaplen", f->snaplen);
		pm_json_kstr(w, "timestamp_resolution", res);
		pm_json_ki64(w, "timestamp_offset_seconds", f->tsoffset_s);
		pm_json_key(w, "fcs_length");
		if (f->fcslen >= 0) {
			pm_json_i64(w, f->fcslen);
		} else {
			pm_json_null(w);
		}
		pm_json_ku64(w, "packets", f->packets);
		emit_isb(w, f);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "interfaces", c->n_ifaces, PM_INFO_MAX_IFACES_OUT, 0);
}

static void
emit_nrb(struct pm_json *w, const struct pm_capture *c)
{
	size_t n = c->n_nrb < PM_INFO_MAX_NRB_OUT ? c->n_nrb : PM_INFO_MAX_NRB_OUT;
	pm_json_key(w, "name_resolution");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < n; i++) {
		const struct pm_nrb_entry *e = &c->nrb[i];
		char addr[INET6_ADDRSTRLEN];
		if (inet_ntop(e->family == 4 ? AF_INET : AF_INET6, e->addr, addr, sizeof(addr)) ==
		    NULL) {
			snprintf(addr, sizeof(addr), "?");
		}
		pm_json_obj_begin(w);
		pm_json_kstr(w, "address", addr);
		pm_json_kstr(w, "name", e->name);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "name_resolution", c->n_nrb + c->nrb_dropped, PM_INFO_MAX_NRB_OUT, 0);
}

static void
emit_blocks(struct pm_json *w, const struct pm_capture *c)
{
	const struct pm_block_counts *b = &c->blocks;
	pm_json_key(w, "blocks");
	if (c->format != PM_FMT_PCAPNG) {
		pm_json_null(w);
		return;
	}
	pm_json_obj_begin(w);
	pm_json_ku64(w, "section_header", b->shb);
	pm_json_ku64(w, "interface_description", b->idb);
	pm_json_ku64(w, "enhanced_packet", b->epb);
	pm_json_ku64(w, "simple_packet", b->spb);
	pm_json_ku64(w, "packet_obsolete", b->pb);
	pm_json_ku64(w, "name_resolution", b->nrb);
	pm_json_ku64(w, "interface_statistics", b->isb);
	pm_json_ku64(w, "decryption_secrets", b->dsb);
	pm_json_key(w, "decryption_secrets_types");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < PM_ARRAY_LEN(b->dsb_types) && b->dsb_types[i] != 0; i++) {
		char t[16];
		snprintf(t, sizeof(t), "0x%08x", b->dsb_types[i]);
		pm_json_str(w, t);
	}
	pm_json_arr_end(w);
	pm_json_ku64(w, "custom", b->custom);
	pm_json_ku64(w, "unknown", b->unknown);
	pm_json_obj_end(w);
}

static void
emit_layer_counts(struct pm_json *w, const char *key, const uint64_t *v)
{
	pm_json_key(w, key);
	pm_json_obj_begin(w);
	for (int l = 0; l < PM_L_COUNT; l++) {
		if (v[l] != 0) {
			pm_json_ku64(w, pm_layer_name((enum pm_layer)l), v[l]);
		}
	}
	pm_json_obj_end(w);
}

static void
emit_layers(struct pm_json *w, const struct pm_decode_stats *d)
{
	pm_json_key(w, "layers");
	pm_json_obj_begin(w);
	pm_json_key(w, "link");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "ethernet", d->ethernet);
	pm_json_ku64(w, "vlan_tagged", d->vlan);
	pm_json_ku64(w, "linux_sll", d->sll);
	pm_json_ku64(w, "linux_sll2", d->sll2);
	pm_json_ku64(w, "loopback", d->loopback);
	pm_json_ku64(w, "raw_ip", d->rawip);
	pm_json_ku64(w, "ppp", d->ppp);
	pm_json_ku64(w, "cisco_hdlc", d->chdlc);
	pm_json_ku64(w, "ieee802_11", d->ieee80211);
	pm_json_ku64(w, "radiotap", d->radiotap);
	pm_json_ku64(w, "ppi", d->ppi);
	pm_json_ku64(w, "nflog", d->nflog);
	pm_json_ku64(w, "pktap", d->pktap);
	pm_json_ku64(w, "ipoib", d->ipoib);
	pm_json_ku64(w, "fddi", d->fddi);
	pm_json_ku64(w, "arcnet", d->arcnet);
	pm_json_ku64(w, "frame_relay", d->frelay);
	pm_json_ku64(w, "llc_snap", d->llc_snap);
	pm_json_ku64(w, "encrypted", d->encrypted);
	pm_json_ku64(w, "unknown_linktype", d->unknown_linktype);
	pm_json_obj_end(w);
	pm_json_key(w, "tunnels");
	pm_json_obj_begin(w);
	for (int t = PM_TUN_NONE + 1; t < PM_TUN_COUNT; t++) {
		pm_json_ku64(w, pm_tunnel_name((enum pm_tunnel)t), d->tunnels[t]);
	}
	pm_json_ku64(w, "depth_capped", d->tunnel_capped);
	pm_json_obj_end(w);
	pm_json_key(w, "network");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "ipv4", d->ipv4);
	pm_json_ku64(w, "ipv6", d->ipv6);
	pm_json_ku64(w, "fragments", d->fragments);
	pm_json_ku64(w, "arp", d->arp);
	pm_json_ku64(w, "other", d->other_l3);
	pm_json_obj_end(w);
	pm_json_key(w, "reassembly");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "datagrams", d->frag_datagrams);
	pm_json_ku64(w, "overlapping_fragments", d->frag_overlaps);
	pm_json_ku64(w, "timed_out", d->frag_timeouts);
	pm_json_ku64(w, "evicted", d->frag_evicted);
	pm_json_ku64(w, "too_big", d->frag_too_big);
	pm_json_ku64(w, "unusable_fragments", d->frag_unusable);
	pm_json_ku64(w, "incomplete", d->frag_incomplete);
	pm_json_obj_end(w);
	pm_json_key(w, "transport");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "tcp", d->tcp);
	pm_json_ku64(w, "udp", d->udp);
	pm_json_ku64(w, "icmp", d->icmp);
	pm_json_ku64(w, "icmpv6", d->icmpv6);
	pm_json_ku64(w, "other", d->other_l4);
	pm_json_obj_end(w);
	pm_json_key(w, "unknown_linktypes");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < PM_ARRAY_LEN(d->unknown_lt) && d->unknown_lt_count[i] != 0; i++) {
		pm_json_obj_begin(w);
		pm_json_ku64(w, "linktype", d->unknown_lt[i]);
		pm_json_ku64(w, "packets", d->unknown_lt_count[i]);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	emit_layer_counts(w, "truncated", d->truncated);
	emit_layer_counts(w, "malformed", d->malformed);
	pm_json_obj_end(w);
}

static void
emit_warnings(struct pm_json *w, const struct pm_info *st, const struct pm_capture *c)
{
	pm_json_key(w, "warnings");
	pm_json_arr_begin(w);
	if (c->damaged) {
		pm_json_obj_begin(w);
		pm_json_kstr(w, "code", "capture_damaged");
		pm_json_ku64(w, "offset", c->damage.offset);
		pm_json_kstr(w, "message", c->damage.msg);
		pm_json_kstr(w, "reason", pm_strerror(c->damage.code));
		pm_json_obj_end(w);
	}
	if (st->out_of_order != 0) {
		pm_json_obj_begin(w);
		pm_json_kstr(w, "code", "out_of_order");
		pm_json_ku64(w, "packets", st->out_of_order);
		pm_json_kstr(w, "message", "some packets are older than the packet before them");
		pm_json_obj_end(w);
	}
	char msg[160];
	if (pm_info_tsresol_warning(c, msg, sizeof(msg))) {
		pm_json_obj_begin(w);
		pm_json_kstr(w, "code", "bad_tsresol");
		pm_json_ku64(w, "interfaces", c->bad_tsresol);
		pm_json_kstr(w, "message", msg);
		pm_json_obj_end(w);
	}
	if (c->nrb_dropped != 0) {
		pm_json_obj_begin(w);
		pm_json_kstr(w, "code", "name_records_dropped");
		pm_json_ku64(w, "records", c->nrb_dropped);
		pm_json_kstr(w, "message", "name resolution records past the cap were not kept");
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
}

/* see info.h */
void
pm_info_emit(struct pm_json *w, const struct pm_info *st, const struct pm_capture *c,
             const struct pm_decode_stats *d, const char *path)
{
	struct pm_info_rates rt;
	pm_info_rates(st, &rt);
	const char *base = strrchr(path, '/');
	char ver[16];
	snprintf(ver, sizeof(ver), "%u.%u", c->ver_major, c->ver_minor);

	pm_json_kstr(w, "filename", base != NULL ? base + 1 : path);
	pm_json_kstr(w, "path", path);
	pm_json_ku64(w, "file_size_bytes", c->file_size);
	pm_json_kstr(w, "file_encapsulation", pm_info_encapsulation(c));
	pm_json_kstr(w, "format", pm_format_name(c->format));
	pm_json_kstr(w, "format_version", ver);
	pm_json_kstr(w, "byte_order", c->big_endian ? "big-endian" : "little-endian");
	pm_json_ku64(w, "packet_count", st->packets);
	pm_json_ku64(w, "data_size_bytes", st->bytes_captured);
	pm_json_ku64(w, "wire_size_bytes", st->bytes_wire);
	pm_json_kdbl(w, "capture_duration_seconds", rt.duration_s, 9);
	time_member(w, "first_packet_time", st->has_ts, st->ts_min);
	time_member(w, "last_packet_time", st->has_ts, st->ts_max);
	pm_json_kdbl(w, "data_rate_bytes", rt.bytes_per_s, 3);
	pm_json_kdbl(w, "data_rate_bits", rt.bits_per_s, 3);
	pm_json_kdbl(w, "average_packet_size_bytes", rt.avg_packet_bytes, 3);
	pm_json_kdbl(w, "average_packet_rate", rt.packets_per_s, 3);
	pm_json_ku64(w, "truncated_packets", st->truncated);
	pm_json_ku64(w, "packets_without_timestamp", st->no_ts);
	pm_json_ku64(w, "out_of_order_packets", st->out_of_order);
	pm_json_ku64(w, "largest_packet_bytes", st->caplen_max);
	emit_sections(w, c);
	emit_interfaces(w, c);
	emit_nrb(w, c);
	emit_blocks(w, c);
	emit_layers(w, d);
	emit_warnings(w, st, c);
}

/* The analyser row: every record, in capture order. */
static void
info_observe(void *st, const struct pm_pass_pkt *pp)
{
	const struct pm_pkt *p = pp->pkt;
	count(st, p->ts_ns, p->caplen, p->wirelen, p->has_ts);
}

const struct pm_analyser pm_analyser_info = {
	.name = "info",
	.state_size = sizeof(struct pm_info),
	.want = { .classes = PM_WANT_ALL, .apps = PM_WANT_ANY_APP },
	.observe = info_observe,
};

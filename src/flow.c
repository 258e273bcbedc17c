/* SPDX-License-Identifier: MIT */
/*
 * flow.c - the flow table's per-packet path: the canonical key, TCP
 * bookkeeping, first-payload labels and ICMP unreachable marks; and its row
 * in the analyser table.
 *
 * Bytes are frame bytes on the wire, as tshark's conversation tables count
 * them. TCP sequence comparisons use serial arithmetic (RFC 9293 §3.4,
 * RFC 1982): a difference taken as int32_t.
 */
#include "flow.h"

#include <string.h>

#include "analyser.h"
#include "analysis.h"
#include "cursor.h"
#include "decode.h"

/* see flow.h */
void
pm_flows_init(struct pm_flows *f, size_t max_bytes)
{
	memset(f, 0, sizeof(*f));
	pm_table_init(&f->flows, sizeof(struct pm_flow_key), sizeof(struct pm_flow), max_bytes);
}

/* see flow.h */
void
pm_flows_free(struct pm_flows *f)
{
	pm_table_free(&f->flows);
}

static bool
is_echo(uint8_t proto, uint8_t type)
{
	if (proto == PM_IPPROTO_ICMP) {
		return type == 0 || type == 8; /* RFC 792 echo reply, request */
	}
	return type == 128 || type == 129; /* RFC 4443 §4 */
}

/* The canonical key of a packet from src:sp to dst:dp; returns its direction (see make_key). */
static int
key_of(struct pm_flow_key *k, const uint8_t *src, const uint8_t *dst, uint16_t sp, uint16_t dp)
{
	int c = memcmp(src, dst, 16);
	int dir = c > 0 || (c == 0 && sp > dp);
	memcpy(k->a, dir ? dst : src, 16);
	memcpy(k->b, dir ? src : dst, 16);
	k->pa = dir ? dp : sp;
	k->pb = dir ? sp : dp;
	return dir;
}

/*
 * Fill the canonical key for pkt. Returns the direction the packet travels:
 * 0 when its source is endpoint a, 1 when it is endpoint b.
 */
static int
make_key(const struct pm_pkt *p, struct pm_flow_key *k)
{
	uint16_t sp = p->sport, dp = p->dport;
	memset(k, 0, sizeof(*k));
	k->proto = p->proto;
	k->ipver = p->ipver;
	bool icmp = p->proto == PM_IPPROTO_ICMP || p->proto == PM_IPPROTO_ICMPV6;
	if (icmp && (p->flags & PM_PKT_HAS_L4) != 0) {
		if (is_echo(p->proto, p->icmp_type)) {
			k->icmp_echo = 1;
			sp = dp = p->icmp_id;
		} else {
			sp = dp = (uint16_t)(p->icmp_type << 8 | p->icmp_code);
		}
	}
	return key_of(k, p->src, p->dst, sp, dp);
}

/* The class of an ICMP/ICMPv6 error that quotes a packet, or PM_UNREACH_NONE. */
static uint8_t
error_class(const struct pm_pkt *p)
{
	if (p->proto == PM_IPPROTO_ICMPV6) {
		switch (p->icmp_type) {
		case PM_ICMPV6_UNREACH:
			return p->icmp_code == PM_ICMPV6_UNREACH_PORT ? PM_UNREACH_PORT
			                                              : PM_UNREACH_OTHER;
		case PM_ICMPV6_TIME_EXCEEDED:
			return p->icmp_code == 0 ? PM_UNREACH_TTL : PM_UNREACH_NONE;
		case PM_ICMPV6_PARAM_PROBLEM:
			return p->icmp_code == PM_ICMPV6_PARAM_NEXTHDR ? PM_UNREACH_PROTO
			                                               : PM_UNREACH_NONE;
		default:
			return PM_UNREACH_NONE;
		}
	}
	if (p->icmp_type == PM_ICMP_TIME_EXCEEDED) {
		return p->icmp_code == 0 ? PM_UNREACH_TTL : PM_UNREACH_NONE;
	}
	if (p->icmp_type != PM_ICMP_UNREACH) {
		return PM_UNREACH_NONE;
	}
	return p->icmp_code == PM_ICMP_UNREACH_PORT    ? PM_UNREACH_PORT
	       : p->icmp_code == PM_ICMP_UNREACH_PROTO ? PM_UNREACH_PROTO
	                                               : PM_UNREACH_OTHER;
}

/*
 * The flow an ICMP error quotes (see enum pm_unreach). The error's payload
 * is the offending packet's IP header and at least its first 8 bytes after
 * it (RFC 792 p.4; RFC 4443 quotes as much as fits), so TCP and UDP ports
 * and an echo request's identifier are there; other IP protocols are keyed
 * without ports, as make_key keys them. IPv6 extension headers in the quote
 * are not walked: such quotes are left unattributed. Returns the pm_unreach
 * class, or PM_UNREACH_NONE when p is no such error or the quote is unusable.
 *
 *   IPv4 quote: 0 ver/ihl ... 9 protocol ... 12 src 16 dst, transport at ihl*4
 *   IPv6 quote: 0 ver ... 6 next header, 8 src, 24 dst, transport at 40
 *   transport:  TCP/UDP 0 sport 2 dport; ICMP echo 0 type ... 4 identifier
 */
static uint8_t
quoted_flow(const struct pm_pkt *p, struct pm_flow_key *k)
{
	bool v6 = p->proto == PM_IPPROTO_ICMPV6;
	uint8_t cls = (p->flags & PM_PKT_HAS_L4) != 0 && p->payload != NULL ? error_class(p)
	                                                                    : PM_UNREACH_NONE;
	if (cls == PM_UNREACH_NONE) {
		return PM_UNREACH_NONE;
	}
	struct pm_cur c = pm_cur_init(p->payload, p->payload_len);
	uint8_t src[16] = { 0 }, dst[16] = { 0 }, proto;
	uint8_t vhl = pm_cur_u8(&c);
	if (v6) {
		pm_cur_skip(&c, 5);
		proto = pm_cur_u8(&c);
		pm_cur_skip(&c, 1);
		const uint8_t *s = pm_cur_bytes(&c, 16), *d = pm_cur_bytes(&c, 16);
		if (!pm_cur_ok(&c) || vhl >> 4 != 6) {
			return PM_UNREACH_NONE;
		}
		memcpy(src, s, 16);
		memcpy(dst, d, 16);
	} else {
		size_t ihl = (size_t)(vhl & 0x0F) * 4;
		pm_cur_skip(&c, 8);
		proto = pm_cur_u8(&c);
		pm_cur_skip(&c, 2);
		const uint8_t *s = pm_cur_bytes(&c, 4), *d = pm_cur_bytes(&c, 4);
		if (!pm_cur_ok(&c) || vhl >> 4 != 4 || ihl < 20) {
			return PM_UNREACH_NONE;
		}
		pm_cur_skip(&c, ihl - 20);
		memcpy(src, s, 4);
		memcpy(dst, d, 4);
	}
	memset(k, 0, sizeof(*k));
	uint16_t sp = 0, dp = 0;
	if (proto == PM_IPPROTO_TCP || proto == PM_IPPROTO_UDP) {
		sp = pm_cur_be16(&c);
		dp = pm_cur_be16(&c);
	} else if (proto == (v6 ? PM_IPPROTO_ICMPV6 : PM_IPPROTO_ICMP)) {
		uint8_t type = pm_cur_u8(&c);
		pm_cur_skip(&c, 3);
		sp = dp = pm_cur_be16(&c);
		if (type != (v6 ? 128 : 8)) { /* only echo requests are quoted probes */
			return PM_UNREACH_NONE;
		}
		k->icmp_echo = 1;
	} else if (proto == PM_IPPROTO_ICMP || proto == PM_IPPROTO_ICMPV6) {
		return PM_UNREACH_NONE;
	}
	if (!pm_cur_ok(&c)) {
		return PM_UNREACH_NONE;
	}
	k->proto = proto;
	k->ipver = v6 ? 6 : 4;
	key_of(k, src, dst, sp, dp);
	return cls;
}

/* Serial-number "a before b" (RFC 1982). */
static bool
seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static void
tcp_seq(struct pm_flow_dir *d, const struct pm_pkt *p)
{
	uint16_t fl = p->tcp_flags;
	uint32_t len = p->payload_wire + ((fl & PM_TCP_SYN) != 0) + ((fl & PM_TCP_FIN) != 0);
	uint32_t end = p->seq + len;
	if ((fl & PM_TCP_RST) != 0) {
		return;
	}
	if (!d->seq_valid) {
		d->seq_valid = true;
		d->next_seq = end;
		d->segs += len != 0;
		return;
	}
	if (len == 0) {
		return;
	}
	d->segs++;
	/* A keep-alive repeats the byte before next_seq with at most one byte. */
	bool keepalive = (fl & (PM_TCP_SYN | PM_TCP_FIN)) == 0 && p->payload_wire <= 1 &&
	                 p->seq == d->next_seq - 1;
	if (seq_lt(p->seq, d->next_seq) && !keepalive) {
		if (d->hole_open && !seq_lt(p->seq, d->hole_lo) && seq_lt(p->seq, d->hole_hi)) {
			d->ooo++; /* fills a gap left by a segment that came early */
			if (!seq_lt(end, d->hole_hi)) {
				d->hole_open = false;
			} else if (p->seq == d->hole_lo) {
				d->hole_lo = end;
			}
		} else {
			d->retrans++;
		}
	} else if (seq_lt(d->next_seq, p->seq)) {
		d->hole_open = true; /* a segment from beyond next_seq: remember the gap */
		d->hole_lo = d->next_seq;
		d->hole_hi = p->seq;
	}
	if (seq_lt(d->next_seq, end)) {
		d->next_seq = end;
	}
}

static void
tcp_observe(struct pm_flow *fl, int dir, const struct pm_pkt *p)
{
	struct pm_flow_dir *d = &fl->d[dir];
	uint16_t f = p->tcp_flags;
	bool syn = (f & PM_TCP_SYN) != 0, ack = (f & PM_TCP_ACK) != 0;
	if (syn) {
		if (d->syn++ == 0) {
			d->isn = p->seq;
		}
		if (!ack && !fl->client_by_syn) {
			fl->client = (uint8_t)dir;
			fl->client_by_syn = true;
		} else if (ack && !fl->client_by_syn) {
			fl->client = (uint8_t)!dir; /* a SYN-ACK comes from the server */
			fl->client_by_syn = true;
		}
		if (ack && dir != fl->client) {
			fl->synack = true;
			fl->rst_answer = false; /* a RST before the SYN-ACK was not the answer */
		}
	} else if (ack && fl->synack && dir == fl->client && !fl->handshake) {
		/*
		 * Any ACK after the SYN-ACK completes it, whatever it acknowledges
		 * (as tshark's tcp.completeness); without the client's SYN the
		 * capture joined mid-handshake.
		 */
		fl->handshake = d->syn != 0;
		fl->joined = d->syn == 0;
	}
	if ((f & PM_TCP_FIN) != 0) {
		d->fin++;
	}
	if ((f & PM_TCP_RST) != 0) {
		d->rst++;
		if (!fl->synack && dir != fl->client && fl->d[fl->client].syn != 0) {
			fl->rst_answer = true;
		}
	}
	if (p->window == 0 && (f & (PM_TCP_SYN | PM_TCP_FIN | PM_TCP_RST)) == 0) {
		d->zero_win++;
	}
	if (p->payload_wire != 0) {
		d->data++;
	}
	tcp_seq(d, p);
}

/* First packet of a flow: who is the client, and what the ports suggest. */
static void
flow_start(struct pm_flow *fl, const struct pm_flow_key *k, int dir, const struct pm_pkt *p)
{
	fl->client = (uint8_t)dir;
	/* Without a handshake, a well-known source port talking to an ephemeral one is a server. */
	if (p->sport < 1024 && p->dport >= 1024 && (p->flags & PM_PKT_HAS_L4) != 0 &&
	    (p->proto == PM_IPPROTO_TCP || p->proto == PM_IPPROTO_UDP)) {
		fl->client = (uint8_t)!dir;
	}
	enum pm_app app = pm_app_by_port(k->proto, p->dport);
	if (app == PM_APP_UNKNOWN) {
		app = pm_app_by_port(k->proto, p->sport);
	}
	if (app != PM_APP_UNKNOWN) {
		fl->app = (uint8_t)app;
		fl->app_src = PM_LABEL_PORT;
	}
}

/* An error quoting a packet of a known flow marks that flow (the scan detector reads it). */
static void
mark_unreach(struct pm_flows *f, const struct pm_pkt *p)
{
	struct pm_flow_key qk;
	uint8_t unreach = quoted_flow(p, &qk);
	if (unreach == PM_UNREACH_NONE) {
		return;
	}
	struct pm_flow *q = pm_table_find(&f->flows, &qk);
	/* A closed port or protocol outranks the errors that may precede it. */
	if (q != NULL && q->unreach != PM_UNREACH_PORT && q->unreach != PM_UNREACH_PROTO) {
		q->unreach = unreach;
	}
}

/* see flow.h */
struct pm_flow *
pm_flows_account(struct pm_flows *f, const struct pm_pkt *p, const struct pm_flow_key *k,
                 uint64_t tag, int kdir)
{
	f->ip_packets++;
	f->ip_bytes += p->wirelen;
	bool is_new;
	struct pm_flow *fl = pm_table_upsert_tag(&f->flows, k, tag, &is_new);
	if (fl == NULL) {
		f->dropped_packets++;
		f->approximate = true;
	} else {
		if (is_new) {
			fl->first = p->ts_ns;
			flow_start(fl, k, kdir, p);
		}
		struct pm_flow_dir *d = &fl->d[kdir];
		if (d->packets++ == 0) {
			d->first = p->ts_ns;
			d->first_flags = p->tcp_flags;
			d->first_ttl = p->ttl;
		}
		d->last = p->ts_ns;
		d->bytes += p->wirelen;
		d->payload += p->payload_wire;
		if (p->ts_ns < fl->first) {
			fl->first = p->ts_ns;
		}
		if (p->ts_ns > fl->last) {
			fl->last = p->ts_ns;
		}
		if (p->proto == PM_IPPROTO_TCP && (p->flags & PM_PKT_HAS_L4) != 0) {
			tcp_observe(fl, kdir, p);
		}
		if (!d->labelled && p->payload_len != 0) {
			d->labelled = true;
			enum pm_app app = pm_app_by_payload(p->proto, p->sport, p->dport,
			                                    p->payload, p->payload_len);
			if (app != PM_APP_UNKNOWN && fl->app_src != PM_LABEL_PAYLOAD) {
				fl->app = (uint8_t)app;
				fl->app_src = PM_LABEL_PAYLOAD;
			}
		}
	}
	/* After the quoting packet's own flow, as the queue applied them before. */
	if (PM_UNLIKELY(p->proto == PM_IPPROTO_ICMP || p->proto == PM_IPPROTO_ICMPV6)) {
		mark_unreach(f, p);
	}
	return fl;
}

/* see flow.h */
void
pm_flows_account_ip(struct pm_flows *f, const struct pm_pkt *p)
{
	f->ip_packets++;
	f->ip_bytes += p->wirelen;
	f->ip_only_packets++;
	f->ip_only_bytes += p->wirelen;
}

/* see flow.h */
int
pm_flow_key_of(const struct pm_pkt *p, struct pm_flow_key *k)
{
	return make_key(p, k);
}

/* see flow.h */
uint64_t
pm_flows_tag(const struct pm_flows *f, const struct pm_flow_key *k)
{
	return pm_table_tag(&f->flows, k);
}

/* see flow.h */
void
pm_flows_prefetch(const struct pm_flows *f, uint64_t tag)
{
	pm_table_prefetch(&f->flows, tag);
}

/* see flow.h */
void
pm_flows_prefetch_record(const struct pm_flows *f, uint64_t tag)
{
	pm_table_prefetch_record(&f->flows, tag);
}

/* see flow.h */
void
pm_flows_prefetch_state(const struct pm_flows *f, uint64_t tag)
{
	const struct pm_flow *fl = pm_table_peek_tag(&f->flows, tag);
	if (fl != NULL && fl->state != NULL) {
		const char *st = fl->state;
		for (int line = 0; line < PM_FLOW_STATE_LINES; line++) {
			__builtin_prefetch(st + 64 * line, 1);
		}
	}
}

/* see flow.h */
struct pm_flow *
pm_flows_observe(struct pm_flows *f, const struct pm_pkt *p)
{
	if (p->ipver == 0) {
		return NULL;
	}
	if ((p->flags & PM_PKT_NO_L4) != 0) {
		pm_flows_account_ip(f, p);
		return NULL;
	}
	struct pm_flow_key k;
	int kdir = pm_flow_key_of(p, &k);
	return pm_flows_account(f, p, &k, pm_flows_tag(f, &k), kdir);
}

/* see flow.h */
enum pm_tcp_state
pm_flow_tcp_state(const struct pm_flow_key *k, const struct pm_flow *fl)
{
	if (k->proto != PM_IPPROTO_TCP) {
		return PM_TCP_NA;
	}
	const struct pm_flow_dir *c = &fl->d[fl->client], *s = &fl->d[!fl->client];
	if (!fl->synack && (fl->rst_answer || (c->syn != 0 && s->packets == 0))) {
		return PM_TCP_FAILED;
	}
	if (c->rst + s->rst != 0) {
		return PM_TCP_RESET;
	}
	if (c->fin != 0 && s->fin != 0) {
		return PM_TCP_CLOSED;
	}
	if (c->fin + s->fin != 0 || (fl->synack && !fl->handshake && !fl->joined)) {
		return PM_TCP_HALF_OPEN;
	}
	if (c->syn != 0 && !fl->synack) {
		return PM_TCP_FAILED;
	}
	return fl->handshake || fl->joined ? PM_TCP_ESTABLISHED : PM_TCP_ACTIVE;
}

/* see flow.h */
const char *
pm_tcp_state_name(enum pm_tcp_state s)
{
	static const char *const names[] = { "n/a",    "established", "closed", "reset",
		                             "failed", "half_open",   "active" };
	return (size_t)s < PM_ARRAY_LEN(names) ? names[s] : "n/a";
}

/* The analyser row: the pass feeds the table itself (see analysis.c), so no observe. */
static int
flows_init(void *st, const struct pm_analysis_opts *o)
{
	pm_flows_init(st, o != NULL ? o->max_table_bytes : 0);
	return 0;
}

static void
flows_finish(void *st, const struct pm_an_deps *deps)
{
	(void)deps;
	struct pm_flows *f = st;
	if (f->flows.dropped != 0) {
		f->approximate = true;
	}
}

static void
flows_free(void *st)
{
	pm_flows_free(st);
}

static size_t
flows_mem(const void *st)
{
	const struct pm_flows *f = st;
	return sizeof(*f) + f->flows.bytes;
}

const struct pm_analyser pm_analyser_flows = {
	.name = "flows",
	.state_size = sizeof(struct pm_flows),
	.init = flows_init,
	.finish = flows_finish,
	.free = flows_free,
	.mem = flows_mem,
};

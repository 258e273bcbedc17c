/* SPDX-License-Identifier: MIT */
/*
 * flow.c - the flow table's per-packet path, TCP bookkeeping, the timeline,
 * and the host and port tables built from flows after the pass.
 *
 * Bytes are frame bytes on the wire, as tshark's conversation tables count
 * them. TCP sequence comparisons use serial arithmetic (RFC 9293 §3.4,
 * RFC 1982): a difference taken as int32_t.
 */
#include "flow.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "decode.h"

/* see flow.h */
void
pm_flows_init(struct pm_flows *f, size_t max_bytes)
{
	memset(f, 0, sizeof(*f));
	pm_table_init(&f->flows, sizeof(struct pm_flow_key), sizeof(struct pm_flow), max_bytes);
	pm_table_init(&f->hosts, sizeof(struct pm_host_key), sizeof(struct pm_host), max_bytes);
	pm_table_init(&f->ports, sizeof(struct pm_port_key), sizeof(struct pm_port), max_bytes);
}

/* see flow.h */
void
pm_flows_free(struct pm_flows *f)
{
	pm_table_free(&f->flows);
	pm_table_free(&f->hosts);
	pm_table_free(&f->ports);
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

/*
 * The flow a destination unreachable error quotes. The error's payload is
 * the offending packet's IP header and at least its first 8 transport bytes
 * (RFC 792 p.4; RFC 4443 §3.1 quotes as much as fits), so the TCP or UDP
 * ports are there. IPv6 extension headers in the quote are not walked: such
 * quotes are left unattributed. Returns the pm_unreach class, or
 * PM_UNREACH_NONE when pkt is no such error or the quote is unusable.
 *
 *   IPv4 quote: 0 ver/ihl ... 9 protocol ... 12 src 16 dst, ports at ihl*4
 *   IPv6 quote: 0 ver ... 6 next header, 8 src, 24 dst, ports at 40
 */
static uint8_t
quoted_flow(const struct pm_pkt *p, struct pm_flow_key *k)
{
	bool v6 = p->proto == PM_IPPROTO_ICMPV6;
	if ((p->flags & PM_PKT_HAS_L4) == 0 || p->payload == NULL ||
	    (v6 ? p->icmp_type != PM_ICMPV6_UNREACH
	        : p->proto != PM_IPPROTO_ICMP || p->icmp_type != PM_ICMP_UNREACH)) {
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
	uint16_t sp = pm_cur_be16(&c), dp = pm_cur_be16(&c);
	if (!pm_cur_ok(&c) || (proto != PM_IPPROTO_TCP && proto != PM_IPPROTO_UDP)) {
		return PM_UNREACH_NONE;
	}
	memset(k, 0, sizeof(*k));
	k->proto = proto;
	k->ipver = v6 ? 6 : 4;
	key_of(k, src, dst, sp, dp);
	uint8_t port_code = v6 ? PM_ICMPV6_UNREACH_PORT : PM_ICMP_UNREACH_PORT;
	return p->icmp_code == port_code ? PM_UNREACH_PORT : PM_UNREACH_OTHER;
}

static void
timeline_add(struct pm_timeline *t, int64_t ts, uint64_t bytes)
{
	if (!t->started) {
		t->started = true;
		t->base = ts;
		t->width = 1000; /* 1 µs, doubled as needed */
	}
	if (ts < t->base) {
		t->before++;
		ts = t->base;
	}
	/* ts >= base, so the unsigned difference is exact even past INT64_MAX
	 * (a pre-1970 first packet and a saturated last one). */
	uint64_t d = (uint64_t)ts - (uint64_t)t->base;
	size_t slots = t->slots != 0 && t->slots < PM_TIMELINE_SLOTS ? t->slots : PM_TIMELINE_SLOTS;
	if (d / (uint64_t)t->width >= slots) {
		/* Double the width k times in one pass: slot i >> k sums old slots i. */
		unsigned k = 1;
		while (d / ((uint64_t)t->width << k) >= slots) {
			k++;
		}
		size_t used = ((t->used - 1) >> k) + 1; /* a fold follows a packet: used >= 1 */
		for (size_t j = 0; j < used; j++) {
			/* Block j starts at j << k >= j: slot j is read before it is written. */
			uint64_t np = 0, nb = 0;
			size_t end = (j + 1) << k < t->used ? (j + 1) << k : t->used;
			for (size_t i = j << k; i < end; i++) {
				np += t->pkts[i];
				nb += t->bytes[i];
			}
			t->pkts[j] = np;
			t->bytes[j] = nb;
		}
		memset(t->pkts + used, 0, (t->used - used) * sizeof(t->pkts[0]));
		memset(t->bytes + used, 0, (t->used - used) * sizeof(t->bytes[0]));
		t->used = used;
		t->width <<= k;
	}
	uint64_t idx = d / (uint64_t)t->width;
	if (idx >= t->used) {
		t->used = (size_t)idx + 1;
	}
	t->pkts[idx]++;
	t->bytes[idx] += bytes;
}

/* Serial-number "a before b" (RFC 1982). */
static bool
seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static void
tcp_seq(struct pm_flow_dir *d, const struct pm_flow_event *p)
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
		return;
	}
	if (len == 0) {
		return;
	}
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
tcp_observe(struct pm_flow *fl, int dir, const struct pm_flow_event *p)
{
	struct pm_flow_dir *d = &fl->d[dir];
	uint16_t f = p->tcp_flags;
	bool syn = (f & PM_TCP_SYN) != 0, ack = (f & PM_TCP_ACK) != 0;
	if (syn) {
		d->syn++;
		if (!ack && !fl->client_by_syn) {
			fl->client = (uint8_t)dir;
			fl->client_by_syn = true;
			d->isn = p->seq;
		} else if (ack && !fl->client_by_syn) {
			fl->client = (uint8_t)!dir; /* a SYN-ACK comes from the server */
			fl->client_by_syn = true;
		}
		if (ack && dir != fl->client) {
			fl->synack = true;
		}
	} else if (ack && fl->synack && dir == fl->client) {
		fl->handshake = true;
	}
	if ((f & PM_TCP_FIN) != 0) {
		d->fin++;
	}
	if ((f & PM_TCP_RST) != 0) {
		d->rst++;
		if (!fl->handshake && dir != fl->client && fl->d[fl->client].syn != 0) {
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
flow_start(struct pm_flow *fl, const struct pm_flow_key *k, int dir, const struct pm_flow_event *p)
{
	fl->client = (uint8_t)dir;
	/* Without a handshake, a well-known source port talking to an ephemeral one is a server. */
	if (p->sport < 1024 && p->dport >= 1024 && p->has_l4 &&
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

/* One queued packet into its flow. */
static void
apply(struct pm_flows *f, const struct pm_flow_event *e)
{
	int dir = e->dir;
	bool is_new;
	struct pm_flow *fl = pm_table_upsert_tag(&f->flows, &e->key, e->tag, &is_new);
	if (fl == NULL) {
		f->dropped_packets++;
		f->approximate = true;
		return;
	}
	if (is_new) {
		fl->first = e->ts;
		flow_start(fl, &e->key, dir, e);
	}
	struct pm_flow_dir *d = &fl->d[dir];
	if (d->packets++ == 0) {
		d->first = e->ts;
		d->first_flags = e->tcp_flags;
	}
	d->last = e->ts;
	d->bytes += e->wirelen;
	d->payload += e->payload_wire;
	if (e->ts < fl->first) {
		fl->first = e->ts;
	}
	if (e->ts > fl->last) {
		fl->last = e->ts;
	}
	if (e->proto == PM_IPPROTO_TCP && e->has_l4) {
		tcp_observe(fl, dir, e);
	}
	if (!d->labelled && e->has_payload) {
		d->labelled = true;
		if (e->app != PM_APP_UNKNOWN && fl->app_src != PM_LABEL_PAYLOAD) {
			fl->app = e->app;
			fl->app_src = PM_LABEL_PAYLOAD;
		}
	}
}

/* An error quoting a packet of a known flow marks that flow (the scan detector reads it). */
static void
mark_unreach(struct pm_flows *f, const struct pm_flow_key *k, uint8_t unreach)
{
	struct pm_flow *q = pm_table_find(&f->flows, k);
	if (q != NULL && q->unreach != PM_UNREACH_PORT) {
		q->unreach = unreach;
	}
}

static void
apply_oldest(struct pm_flows *f)
{
	const struct pm_flow_event *e = &f->pipe[f->pipe_head];
	apply(f, e);
	if (PM_UNLIKELY(e->unreach != PM_UNREACH_NONE)) {
		mark_unreach(f, &f->unreach_key[f->pipe_head], e->unreach);
	}
	f->pipe_head = (f->pipe_head + 1) % PM_FLOW_PIPE;
	f->pipe_n--;
}

/* see flow.h */
void
pm_flows_observe(struct pm_flows *f, const struct pm_pkt *p)
{
	if (p->ipver == 0) {
		return;
	}
	f->ip_packets++;
	f->ip_bytes += p->wirelen;
	timeline_add(&f->tl, p->ts_ns, p->wirelen);
	if (f->pipe_n == PM_FLOW_PIPE) {
		apply_oldest(f);
	}
	struct pm_flow_event *e = &f->pipe[(f->pipe_head + f->pipe_n) % PM_FLOW_PIPE];
	e->dir = (uint8_t)make_key(p, &e->key);
	e->ts = p->ts_ns;
	e->wirelen = p->wirelen;
	e->payload_wire = p->payload_wire;
	e->seq = p->seq;
	e->window = p->window;
	e->tcp_flags = p->tcp_flags;
	e->sport = p->sport;
	e->dport = p->dport;
	e->proto = p->proto;
	e->has_l4 = (p->flags & PM_PKT_HAS_L4) != 0;
	e->has_payload = p->payload_len != 0;
	e->unreach = PM_UNREACH_NONE;
	if (PM_UNLIKELY(p->proto == PM_IPPROTO_ICMP || p->proto == PM_IPPROTO_ICMPV6)) {
		size_t slot = (f->pipe_head + f->pipe_n) % PM_FLOW_PIPE;
		e->unreach = quoted_flow(p, &f->unreach_key[slot]);
	}
	e->app = (uint8_t)(e->has_payload ? pm_app_by_payload(p->proto, p->sport, p->dport,
	                                                      p->payload, p->payload_len)
	                                  : PM_APP_UNKNOWN);
	e->tag = pm_table_tag(&f->flows, &e->key);
	pm_table_prefetch(&f->flows, e->tag);
	f->pipe_n++;
	/* Half-way down the queue the slot line has arrived: fetch the record it names. */
	if (f->pipe_n > PM_FLOW_PIPE / 2) {
		size_t mid = (f->pipe_head + f->pipe_n - 1 - PM_FLOW_PIPE / 2) % PM_FLOW_PIPE;
		pm_table_prefetch_record(&f->flows, f->pipe[mid].tag);
	}
}

/* see flow.h */
enum pm_tcp_state
pm_flow_tcp_state(const struct pm_flow_key *k, const struct pm_flow *fl)
{
	if (k->proto != PM_IPPROTO_TCP) {
		return PM_TCP_NA;
	}
	const struct pm_flow_dir *c = &fl->d[fl->client], *s = &fl->d[!fl->client];
	if (fl->rst_answer || (c->syn != 0 && !fl->synack && s->packets == 0)) {
		return PM_TCP_FAILED;
	}
	if (c->rst + s->rst != 0) {
		return PM_TCP_RESET;
	}
	if (c->fin != 0 && s->fin != 0) {
		return PM_TCP_CLOSED;
	}
	if (c->fin + s->fin != 0 || (fl->synack && !fl->handshake)) {
		return PM_TCP_HALF_OPEN;
	}
	if (c->syn != 0 && !fl->synack) {
		return PM_TCP_FAILED;
	}
	return fl->handshake ? PM_TCP_ESTABLISHED : PM_TCP_ACTIVE;
}

/*
 * Distinct peers, contacted ports and clients are counted without a table:
 * every flow contributes fingerprints (a keyed 64-bit hash of what is being
 * counted, for whom) paired with the counter they feed; sorting them puts
 * equal fingerprints together, and each distinct one bumps its counter once.
 * Sequential memory instead of a million random inserts. Two different facts
 * share a fingerprint with probability about n^2 / 2^65 (3e-8 at a million).
 */
struct pair_key {
	uint8_t x[16];
	uint8_t y[16];
	uint16_t port;
	uint8_t proto;
	uint8_t kind;  /* 1 peer, 2 contacted port, 3 client of a port */
	uint8_t ipver; /* addresses of one family only: 1.2.3.4 is not 102:304:: */
	uint8_t pad[3];
};

struct distinct {
	uint64_t fp;       /* fingerprint of the fact */
	uint64_t *counter; /* into a host or port record (stable: see table.h) */
};

struct distincts {
	struct distinct *v;
	size_t n, cap;
	bool failed; /* allocation failed: counts are lower bounds */
};

static void
fact(struct distincts *d, uint64_t *counter, uint8_t kind, uint8_t ipver, const uint8_t *x,
     const uint8_t *y, uint8_t proto, uint16_t port)
{
	if (d->n == d->cap) {
		size_t cap = d->cap != 0 ? d->cap * 2 : 1024;
		struct distinct *v = realloc(d->v, cap * sizeof(*v));
		if (v == NULL) {
			d->failed = true;
			return;
		}
		d->v = v;
		d->cap = cap;
	}
	struct pair_key pk;
	memset(&pk, 0, sizeof(pk));
	pk.kind = kind;
	pk.ipver = ipver;
	memcpy(pk.x, x, 16);
	if (y != NULL) {
		memcpy(pk.y, y, 16);
	}
	pk.proto = proto;
	pk.port = port;
	d->v[d->n].fp = pm_hash(&pk, sizeof(pk));
	d->v[d->n].counter = counter;
	d->n++;
}

static int
cmp_distinct(const void *a, const void *b)
{
	uint64_t x = ((const struct distinct *)a)->fp, y = ((const struct distinct *)b)->fp;
	return (x > y) - (x < y);
}

/*
 * LSD radix sort on the fingerprint, 16 bits a pass; below RADIX_MIN facts
 * qsort is cheaper than the four passes over 65536 buckets.
 */
#define RADIX_MIN 4096

static bool
sort_distincts(struct distincts *d)
{
	if (d->n < RADIX_MIN) {
		if (d->n > 1) {
			qsort(d->v, d->n, sizeof(*d->v), cmp_distinct);
		}
		return true;
	}
	struct distinct *tmp = malloc(d->n * sizeof(*tmp) + 1);
	size_t *count = malloc(65536 * sizeof(*count));
	if (tmp == NULL || count == NULL) {
		free(tmp);
		free(count);
		return false;
	}
	struct distinct *src = d->v, *dst = tmp;
	for (unsigned shift = 0; shift < 64; shift += 16) {
		memset(count, 0, 65536 * sizeof(*count));
		for (size_t i = 0; i < d->n; i++) {
			count[(src[i].fp >> shift) & 0xFFFF]++;
		}
		size_t at = 0;
		for (size_t b = 0; b < 65536; b++) {
			size_t c = count[b];
			count[b] = at;
			at += c;
		}
		for (size_t i = 0; i < d->n; i++) {
			dst[count[(src[i].fp >> shift) & 0xFFFF]++] = src[i];
		}
		struct distinct *t = src;
		src = dst;
		dst = t;
	}
	free(tmp); /* four passes: the sorted data is back in d->v */
	free(count);
	return true;
}

static void
count_distincts(struct distincts *d)
{
	if (!sort_distincts(d)) {
		d->failed = true;
		return;
	}
	for (size_t i = 0; i < d->n; i++) {
		if (i == 0 || d->v[i].fp != d->v[i - 1].fp) {
			(*d->v[i].counter)++;
		}
	}
}

static struct pm_host *
host(struct pm_flows *f, const uint8_t *addr, uint8_t ipver)
{
	struct pm_host_key hk;
	memset(&hk, 0, sizeof(hk));
	memcpy(hk.addr, addr, 16);
	hk.ipver = ipver;
	bool is_new;
	struct pm_host *h = pm_table_upsert(&f->hosts, &hk, &is_new);
	if (h == NULL) {
		f->approximate = true;
		return NULL;
	}
	if (is_new) {
		h->first = INT64_MAX;
		h->last = INT64_MIN;
	}
	return h;
}

static void
host_add(struct pm_host *h, const struct pm_flow_dir *out, const struct pm_flow_dir *in,
         const struct pm_flow *fl)
{
	h->pkts_sent += out->packets;
	h->pkts_recv += in->packets;
	h->bytes_sent += out->bytes;
	h->bytes_recv += in->bytes;
	h->flows++;
	if (fl->first < h->first) {
		h->first = fl->first;
	}
	if (fl->last > h->last) {
		h->last = fl->last;
	}
}

static void
finish_flow(struct pm_flows *f, struct distincts *dd, const struct pm_flow_key *k,
            const struct pm_flow *fl)
{
	const uint8_t *ca = fl->client == 0 ? k->a : k->b, *sa = fl->client == 0 ? k->b : k->a;
	uint16_t sport = fl->client == 0 ? k->pb : k->pa;
	const struct pm_flow_dir *c2s = &fl->d[fl->client], *s2c = &fl->d[!fl->client];
	uint64_t pkts = c2s->packets + s2c->packets, bytes = c2s->bytes + s2c->bytes;
	f->app_packets[fl->app] += pkts;
	f->app_bytes[fl->app] += bytes;

	struct pm_host *hc = host(f, ca, k->ipver);
	struct pm_host *hs = host(f, sa, k->ipver);
	if (hc != NULL) {
		host_add(hc, c2s, s2c, fl);
		fact(dd, &hc->peers, 1, k->ipver, ca, sa, 0, 0);
	}
	if (hs != NULL && hs != hc) {
		host_add(hs, s2c, c2s, fl);
		fact(dd, &hs->peers, 1, k->ipver, sa, ca, 0, 0);
	} else if (hs != NULL) {
		/* A host talking to itself sends and receives every packet, as tshark counts. */
		host_add(hs, s2c, c2s, fl);
		hs->flows--;
	}
	bool ported = k->proto == PM_IPPROTO_TCP || k->proto == PM_IPPROTO_UDP;
	if (!ported) {
		return;
	}
	if (hc != NULL) {
		fact(dd, &hc->ports, 2, k->ipver, ca, NULL, k->proto, sport);
	}
	struct pm_port_key pk = { .port = sport, .proto = k->proto };
	bool is_new;
	struct pm_port *pt = pm_table_upsert(&f->ports, &pk, &is_new);
	if (pt == NULL) {
		f->approximate = true;
		return;
	}
	pt->packets += pkts;
	pt->bytes += bytes;
	pt->flows++;
	fact(dd, &pt->clients, 3, k->ipver, ca, NULL, k->proto, sport);
	if (fl->app != PM_APP_UNKNOWN) {
		pt->app = fl->app;
	}
}

/* see flow.h */
void
pm_flows_finish(struct pm_flows *f)
{
	while (f->pipe_n != 0) {
		apply_oldest(f);
	}
	struct distincts dd = { 0 };
	size_t pos = 0;
	void *v;
	const void *k;
	while ((k = pm_table_next(&f->flows, &pos, &v)) != NULL) {
		finish_flow(f, &dd, k, v);
	}
	count_distincts(&dd);
	if (dd.failed || f->flows.dropped != 0) {
		f->approximate = true;
	}
	free(dd.v);
}

/* see flow.h */
const char *
pm_tcp_state_name(enum pm_tcp_state s)
{
	static const char *const names[] = { "n/a",    "established", "closed", "reset",
		                             "failed", "half_open",   "active" };
	return (size_t)s < PM_ARRAY_LEN(names) ? names[s] : "n/a";
}

static const char *const app_names[PM_APP_COUNT] = {
	[PM_APP_UNKNOWN] = "unknown", [PM_APP_HTTP] = "HTTP",
	[PM_APP_TLS] = "TLS",         [PM_APP_DNS] = "DNS",
	[PM_APP_QUIC] = "QUIC",       [PM_APP_SSH] = "SSH",
	[PM_APP_SMTP] = "SMTP",       [PM_APP_DHCP] = "DHCP",
	[PM_APP_NTP] = "NTP",         [PM_APP_SIP] = "SIP",
	[PM_APP_FTP] = "FTP",         [PM_APP_TELNET] = "Telnet",
	[PM_APP_POP3] = "POP3",       [PM_APP_IMAP] = "IMAP",
	[PM_APP_SNMP] = "SNMP",       [PM_APP_LDAP] = "LDAP",
	[PM_APP_SMB] = "SMB",         [PM_APP_RDP] = "RDP",
	[PM_APP_MYSQL] = "MySQL",     [PM_APP_POSTGRES] = "PostgreSQL",
	[PM_APP_REDIS] = "Redis",     [PM_APP_MDNS] = "mDNS",
	[PM_APP_LLMNR] = "LLMNR",     [PM_APP_NETBIOS] = "NetBIOS",
	[PM_APP_SYSLOG] = "Syslog",   [PM_APP_BGP] = "BGP",
};

/* see flow.h */
const char *
pm_app_name(enum pm_app a)
{
	return (size_t)a < PM_APP_COUNT ? app_names[a] : "unknown";
}

/* see flow.h */
const char *
pm_label_src_name(enum pm_label_src s)
{
	return s == PM_LABEL_PORT ? "port" : s == PM_LABEL_PAYLOAD ? "payload" : "none";
}

/* IANA service names and port numbers registry, the ports analysts expect. */
static const struct {
	uint8_t proto;
	uint16_t port;
	uint8_t app;
} port_apps[] = {
	{ 6, 20, PM_APP_FTP },        { 6, 21, PM_APP_FTP },       { 6, 22, PM_APP_SSH },
	{ 6, 23, PM_APP_TELNET },     { 6, 25, PM_APP_SMTP },      { 6, 53, PM_APP_DNS },
	{ 6, 80, PM_APP_HTTP },       { 6, 110, PM_APP_POP3 },     { 6, 139, PM_APP_SMB },
	{ 6, 143, PM_APP_IMAP },      { 6, 179, PM_APP_BGP },      { 6, 389, PM_APP_LDAP },
	{ 6, 443, PM_APP_TLS },       { 6, 445, PM_APP_SMB },      { 6, 465, PM_APP_SMTP },
	{ 6, 587, PM_APP_SMTP },      { 6, 636, PM_APP_LDAP },     { 6, 853, PM_APP_TLS },
	{ 6, 993, PM_APP_IMAP },      { 6, 995, PM_APP_POP3 },     { 6, 3306, PM_APP_MYSQL },
	{ 6, 3389, PM_APP_RDP },      { 6, 5060, PM_APP_SIP },     { 6, 5061, PM_APP_SIP },
	{ 6, 5432, PM_APP_POSTGRES }, { 6, 6379, PM_APP_REDIS },   { 6, 8000, PM_APP_HTTP },
	{ 6, 8080, PM_APP_HTTP },     { 6, 8443, PM_APP_TLS },     { 17, 53, PM_APP_DNS },
	{ 17, 67, PM_APP_DHCP },      { 17, 68, PM_APP_DHCP },     { 17, 123, PM_APP_NTP },
	{ 17, 137, PM_APP_NETBIOS },  { 17, 138, PM_APP_NETBIOS }, { 17, 161, PM_APP_SNMP },
	{ 17, 162, PM_APP_SNMP },     { 17, 443, PM_APP_QUIC },    { 17, 514, PM_APP_SYSLOG },
	{ 17, 546, PM_APP_DHCP },     { 17, 547, PM_APP_DHCP },    { 17, 853, PM_APP_QUIC },
	{ 17, 5060, PM_APP_SIP },     { 17, 5353, PM_APP_MDNS },   { 17, 5355, PM_APP_LLMNR },
};

/* see flow.h */
enum pm_app
pm_app_by_port(uint8_t proto, uint16_t port)
{
	for (size_t i = 0; i < PM_ARRAY_LEN(port_apps); i++) {
		if (port_apps[i].port == port && port_apps[i].proto == proto) {
			return (enum pm_app)port_apps[i].app;
		}
	}
	return PM_APP_UNKNOWN;
}

static bool
starts(const uint8_t *p, size_t n, const char *s)
{
	size_t l = strlen(s);
	return n >= l && memcmp(p, s, l) == 0;
}

static enum pm_app
tcp_payload(const uint8_t *p, size_t n)
{
	/* Most segments are mid-stream data: reject them on the first byte. */
	if ((p[0] == 0 || strchr("GPHDOCSIER+*", p[0]) == NULL) && (p[0] < 20 || p[0] > 23)) {
		return PM_APP_UNKNOWN;
	}
	static const char *const http[] = { "GET ",    "POST ",       "HEAD ",  "PUT ",
		                            "DELETE ", "OPTIONS ",    "PATCH ", "CONNECT ",
		                            "HTTP/1.", "PRI * HTTP/2" };
	for (size_t i = 0; i < PM_ARRAY_LEN(http); i++) {
		if (starts(p, n, http[i])) {
			return PM_APP_HTTP;
		}
	}
	/* TLS record: handshake (22) or alert/CCS/data, version 3.x (RFC 8446 §5.1) */
	if (n >= 5 && p[0] >= 20 && p[0] <= 23 && p[1] == 3 && p[2] <= 4) {
		return PM_APP_TLS;
	}
	if (starts(p, n, "SSH-")) {
		return PM_APP_SSH;
	}
	if (starts(p, n, "INVITE sip:") || starts(p, n, "REGISTER sip:") ||
	    starts(p, n, "SIP/2.0 ")) {
		return PM_APP_SIP;
	}
	if (starts(p, n, "EHLO ") || starts(p, n, "HELO ")) {
		return PM_APP_SMTP;
	}
	if (starts(p, n, "+OK")) {
		return PM_APP_POP3;
	}
	if (starts(p, n, "* OK")) {
		return PM_APP_IMAP;
	}
	return PM_APP_UNKNOWN;
}

/* see flow.h */
enum pm_app
pm_app_by_payload(uint8_t proto, uint16_t sport, uint16_t dport, const uint8_t *p, size_t n)
{
	if (p == NULL || n == 0) {
		return PM_APP_UNKNOWN;
	}
	if (proto == PM_IPPROTO_TCP) {
		return tcp_payload(p, n);
	}
	if (proto != PM_IPPROTO_UDP) {
		return PM_APP_UNKNOWN;
	}
	/* QUIC long header: form bit and fixed bit set, a version (RFC 9000 §17.2). */
	if ((sport == 443 || dport == 443) && n >= 5 && (p[0] & 0xC0) == 0xC0) {
		return PM_APP_QUIC;
	}
	/* BOOTP/DHCP magic cookie after the fixed 236-byte header (RFC 2131 §3). */
	if (n >= 240 && p[236] == 99 && p[237] == 130 && p[238] == 83 && p[239] == 99) {
		return PM_APP_DHCP;
	}
	if (starts(p, n, "SIP/2.0 ") || starts(p, n, "INVITE sip:") ||
	    starts(p, n, "REGISTER sip:") || starts(p, n, "OPTIONS sip:")) {
		return PM_APP_SIP;
	}
	return PM_APP_UNKNOWN;
}

/* see flow.h */
void
pm_addr_str(const uint8_t addr[16], uint8_t ipver, char out[48])
{
	if (inet_ntop(ipver == 6 ? AF_INET6 : AF_INET, addr, out, 48) == NULL) {
		snprintf(out, 48, "?");
	}
}

/* see flow.h */
int
pm_addr_parse(const char *s, uint8_t addr[16])
{
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, s, addr) == 1) {
		return 4;
	}
	if (inet_pton(AF_INET6, s, addr) == 1) {
		return 6;
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * hosts.c - the hosts analyser: host, server-port and label aggregates from
 * the finished flow table, with exact distinct counts by sorting.
 */
#include "hosts.h"

#include <stdlib.h>
#include <string.h>

#include "analyser.h"
#include "analysis.h"
#include "decode.h"
#include "flow.h"

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
host(struct pm_hosts *f, const uint8_t *addr, uint8_t ipver)
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
finish_flow(struct pm_hosts *f, struct distincts *dd, const struct pm_flow_key *k,
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

static int
hosts_init(void *st, const struct pm_analysis_opts *o)
{
	struct pm_hosts *h = st;
	size_t max = o != NULL ? o->max_table_bytes : 0;
	pm_table_init(&h->hosts, sizeof(struct pm_host_key), sizeof(struct pm_host), max);
	pm_table_init(&h->ports, sizeof(struct pm_port_key), sizeof(struct pm_port), max);
	return 0;
}

static void
hosts_finish(void *st, const struct pm_an_deps *deps)
{
	struct pm_hosts *h = st;
	const struct pm_flows *f = pm_an_dep(deps, PM_AN_FLOWS);
	struct distincts dd = { 0 };
	size_t pos = 0;
	void *v;
	const void *k;
	while (f != NULL && (k = pm_table_next(&f->flows, &pos, &v)) != NULL) {
		finish_flow(h, &dd, k, v);
	}
	count_distincts(&dd);
	if (dd.failed) {
		h->approximate = true;
	}
	free(dd.v);
}

static void
hosts_free(void *st)
{
	struct pm_hosts *h = st;
	pm_table_free(&h->hosts);
	pm_table_free(&h->ports);
}

static size_t
hosts_mem(const void *st)
{
	const struct pm_hosts *h = st;
	return sizeof(*h) + h->hosts.bytes + h->ports.bytes;
}

const struct pm_analyser pm_analyser_hosts = {
	.name = "hosts",
	.state_size = sizeof(struct pm_hosts),
	.after = PM_AN_BIT(FLOWS),
	.init = hosts_init,
	.finish = hosts_finish,
	.free = hosts_free,
	.mem = hosts_mem,
};

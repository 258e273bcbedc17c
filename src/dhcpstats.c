/* SPDX-License-Identifier: MIT */
/*
 * dhcpstats.c - the DHCP analyser (row "dhcp"): each DHCPv4 or DHCPv6
 * message through pm_dhcp_parse / pm_dhcp6_parse, then into the type
 * counters, transactions, clients and servers of dhcpstats.h.
 */
#include "dhcpstats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyser.h"
#include "analysis.h"
#include "decode.h"
#include "dhcp.h"
#include "label.h"

#define V6_BIT (UINT64_C(1) << 63) /* v6 clients and servers: a DUID hash with this bit */

static void *
upsert(struct pm_dhcp_stats *s, struct pm_table *t, const void *key, size_t cap, bool *is_new)
{
	void *v = pm_table_upsert_max(t, key, cap, is_new);
	if (v == NULL) {
		s->approximate = true;
	}
	return v;
}

static uint64_t
mac64(const uint8_t *m)
{
	uint64_t v = 0;
	for (int i = 0; i < 6; i++) {
		v = v << 8 | m[i];
	}
	return v;
}

static void
text(char *out, size_t cap, const struct pm_dhcp_view *v)
{
	size_t n = v->n < cap - 1 ? v->n : cap - 1;
	if (v->p != NULL && n != 0) {
		memcpy(out, v->p, n);
	}
	out[v->p != NULL ? n : 0] = '\0';
}

static void
fingerprint(char *out, size_t cap, const struct pm_dhcp_view *v)
{
	size_t at = 0;
	out[0] = '\0';
	for (size_t i = 0; v->p != NULL && i < v->n && at + 5 < cap; i++) {
		at += (size_t)snprintf(out + at, cap - at, "%s%u", i != 0 ? "," : "", v->p[i]);
	}
}

static struct pm_dhcp_txn *
txn(struct pm_dhcp_stats *s, uint32_t xid, uint8_t version, uint64_t client, uint8_t type,
    int64_t ts)
{
	struct pm_dhcp_txn_key k;
	memset(&k, 0, sizeof(k));
	k.xid = xid;
	k.version = version;
	k.client = client;
	bool is_new;
	struct pm_dhcp_txn *t = upsert(s, &s->txns, &k, PM_DHCP_MAX_TXNS, &is_new);
	if (t == NULL) {
		return NULL;
	}
	if (is_new) {
		t->first = ts;
	}
	t->last = ts;
	t->messages++;
	if (t->n_seq < PM_DHCP_SEQ) {
		t->seq[t->n_seq++] = type;
	}
	return t;
}

static struct pm_dhcp_server *
server(struct pm_dhcp_stats *s, uint64_t key, const struct pm_pkt *p)
{
	bool is_new;
	struct pm_dhcp_server *sv = upsert(s, &s->servers, &key, PM_DHCP_MAX_SERVERS, &is_new);
	if (sv != NULL && is_new) {
		memcpy(sv->addr, p->src, 16);
		sv->ipver = p->ipver;
	}
	return sv;
}

static void
served(struct pm_dhcp_server *sv, uint64_t mac)
{
	for (size_t i = 0; i < sv->n_clients; i++) {
		if (sv->clients[i] == mac) {
			return;
		}
	}
	if (sv->n_clients < PM_DHCP_SERVER_CLIENTS) {
		sv->clients[sv->n_clients++] = mac;
	} else {
		sv->more_clients++;
	}
}

static void
client4(struct pm_dhcp_stats *s, const struct pm_dhcp_msg *m, uint64_t mac)
{
	bool is_new;
	struct pm_dhcp_client *c = upsert(s, &s->clients, &mac, PM_DHCP_MAX_CLIENTS, &is_new);
	if (c == NULL) {
		return;
	}
	c->messages++;
	c->discovers += m->msg_type == PM_DHCP_DISCOVER;
	if (m->op == 1) {
		if (m->hostname.p != NULL) {
			text(c->hostname, sizeof(c->hostname), &m->hostname);
		}
		if (m->vendor.p != NULL) {
			text(c->vendor, sizeof(c->vendor), &m->vendor);
		}
		if (m->prl.p != NULL) {
			fingerprint(c->prl, sizeof(c->prl), &m->prl);
		}
	}
	if (m->msg_type == PM_DHCP_ACK) {
		memcpy(c->assigned, m->yiaddr, 4);
		c->has_assigned = true;
		c->lease = m->lease;
	}
}

static void
sample4(struct pm_dhcp_stats *s, const struct pm_pkt *p, const struct pm_dhcp_msg *m)
{
	if (s->n_samples == PM_DHCP_MAX_SAMPLES) {
		return;
	}
	if (s->samples == NULL &&
	    (s->samples = malloc(PM_DHCP_MAX_SAMPLES * sizeof(*s->samples))) == NULL) {
		s->approximate = true;
		return;
	}
	struct pm_dhcp_sample *d = &s->samples[s->n_samples++];
	memset(d, 0, sizeof(*d));
	d->ts = p->ts_ns;
	d->number = s->messages;
	memcpy(d->src, p->src, 16);
	memcpy(d->dst, p->dst, 16);
	d->ipver = p->ipver;
	d->sport = p->sport;
	d->dport = p->dport;
	d->version = m != NULL ? 4 : 6;
	if (m == NULL) {
		return;
	}
	d->op = m->op;
	d->msg_type = m->msg_type;
	d->xid = m->xid;
	memcpy(d->ciaddr, m->ciaddr, 4);
	memcpy(d->yiaddr, m->yiaddr, 4);
	memcpy(d->siaddr, m->siaddr, 4);
	memcpy(d->giaddr, m->giaddr, 4);
	memcpy(d->server_id, m->server_id, 4);
	memcpy(d->requested, m->requested, 4);
	d->has_server_id = m->has_server_id;
	d->has_requested = m->has_requested;
	memcpy(d->mac, m->chaddr, 6);
	d->lease = m->lease;
	d->renewal = m->renewal;
	d->rebinding = m->rebinding;
}

static void
v4(struct pm_dhcp_stats *s, const struct pm_pkt *p)
{
	struct pm_dhcp_msg m;
	int rc = pm_dhcp_parse(p->payload, p->payload_len, &m);
	s->messages++;
	s->v4++;
	s->truncated += rc == PM_E_TRUNC;
	s->types4[m.msg_type]++;
	uint64_t mac = mac64(m.chaddr);
	struct pm_dhcp_txn *t = txn(s, m.xid, 4, mac, m.msg_type, p->ts_ns);
	client4(s, &m, mac);
	bool answer =
	    m.msg_type == PM_DHCP_OFFER || m.msg_type == PM_DHCP_ACK || m.msg_type == PM_DHCP_NAK;
	if (answer) {
		uint8_t id[4];
		memcpy(id, m.has_server_id ? m.server_id : p->src, 4);
		uint64_t key = (uint64_t)4 << 56 | (uint64_t)id[0] << 24 | (uint64_t)id[1] << 16 |
		               (uint64_t)id[2] << 8 | id[3];
		struct pm_dhcp_server *sv = server(s, key, p);
		if (sv != NULL) {
			sv->offers += m.msg_type == PM_DHCP_OFFER;
			sv->acks += m.msg_type == PM_DHCP_ACK;
			sv->naks += m.msg_type == PM_DHCP_NAK;
			served(sv, mac);
		}
		if (t != NULL) {
			memcpy(t->server, id, 4);
			memcpy(t->yiaddr, m.yiaddr, 4);
		}
	}
	if (t != NULL) {
		t->discover |= m.msg_type == PM_DHCP_DISCOVER;
		t->offer |= m.msg_type == PM_DHCP_OFFER;
		t->request |= m.msg_type == PM_DHCP_REQUEST;
		t->ack |= m.msg_type == PM_DHCP_ACK;
		t->nak |= m.msg_type == PM_DHCP_NAK;
	}
	sample4(s, p, &m);
}

static void
lease_add(struct pm_dhcp6_leases *l, const struct pm_dhcp6_addr *a, bool prefix)
{
	uint8_t(*list)[16] = prefix ? l->prefix : l->addr;
	uint8_t *n = prefix ? &l->n_prefix : &l->n_addr;
	for (size_t i = 0; i < *n; i++) {
		if (memcmp(list[i], a->addr, 16) == 0 && (!prefix || l->plen[i] == a->plen)) {
			return;
		}
	}
	if (*n == PM_DHCP6_KEPT) {
		l->more++;
		return;
	}
	memcpy(list[*n], a->addr, 16);
	if (prefix) {
		l->plen[*n] = a->plen;
	}
	(*n)++;
}

/* A server's IA_NA addresses and IA_PD prefixes, into the transaction and its client. */
static void
leases(struct pm_dhcp6_leases *t, struct pm_dhcp6_leases *c, const struct pm_dhcp6_msg *m)
{
	struct pm_dhcp6_leases *to[2] = { t, c };
	for (size_t k = 0; k < 2; k++) {
		for (size_t i = 0; to[k] != NULL && i < m->n_addr; i++) {
			lease_add(to[k], &m->addr[i], false);
		}
		for (size_t i = 0; to[k] != NULL && i < m->n_prefix; i++) {
			lease_add(to[k], &m->prefix[i], true);
		}
	}
}

static struct pm_dhcp_client *
client6(struct pm_dhcp_stats *s, const struct pm_dhcp6_msg *m, uint64_t key)
{
	if (m->client_duid.p == NULL) {
		return NULL;
	}
	bool is_new;
	struct pm_dhcp_client *c = upsert(s, &s->clients, &key, PM_DHCP_MAX_CLIENTS, &is_new);
	if (c == NULL) {
		return NULL;
	}
	if (is_new) {
		size_t n = m->client_duid.n < PM_DHCP6_DUID ? m->client_duid.n : PM_DHCP6_DUID;
		memcpy(c->duid, m->client_duid.p, n);
		c->duid_len = (uint8_t)n;
		c->duid_cut = m->client_duid.n > PM_DHCP6_DUID;
	}
	c->messages++;
	return c;
}

static void
v6(struct pm_dhcp_stats *s, const struct pm_pkt *p)
{
	struct pm_dhcp6_msg m;
	int rc = pm_dhcp6_parse(p->payload, p->payload_len, &m);
	s->messages++;
	s->v6++;
	s->truncated += rc == PM_E_TRUNC;
	s->malformed += rc == PM_E_MALFORMED;
	s->types6[m.outer_type]++;
	uint64_t client = V6_BIT;
	if (m.client_duid.p != NULL) {
		client |= pm_hash(m.client_duid.p, m.client_duid.n) >> 1;
	}
	struct pm_dhcp_txn *t = txn(s, m.xid, 6, client, m.msg_type, p->ts_ns);
	struct pm_dhcp_client *c = client6(s, &m, client);
	bool answer = m.msg_type == PM_DHCP6_ADVERTISE || m.msg_type == PM_DHCP6_REPLY;
	if (answer) {
		leases(t != NULL ? &t->ia : NULL, c != NULL ? &c->ia : NULL, &m);
	}
	if (m.server_duid.p != NULL && answer) {
		uint64_t key = V6_BIT | pm_hash(m.server_duid.p, m.server_duid.n) >> 1;
		struct pm_dhcp_server *sv = server(s, key, p);
		if (sv != NULL) {
			sv->advertises += m.msg_type == PM_DHCP6_ADVERTISE;
			sv->replies += m.msg_type == PM_DHCP6_REPLY;
		}
	}
	sample4(s, p, NULL);
	if (s->n_samples != 0 && s->samples[s->n_samples - 1].number == s->messages) {
		struct pm_dhcp_sample *d = &s->samples[s->n_samples - 1];
		d->msg_type = m.msg_type;
		d->xid = m.xid;
	}
}

static void
dhcp_observe(void *st, const struct pm_pass_pkt *pp)
{
	const struct pm_pkt *p = pp->pkt;
	if (p->payload == NULL || p->payload_len == 0) {
		return;
	}
	bool is_v6 = p->sport == 546 || p->sport == 547 || p->dport == 546 || p->dport == 547;
	if (is_v6) {
		v6(st, p);
	} else {
		v4(st, p);
	}
}

static int
dhcp_init(void *st, const struct pm_analysis_opts *o)
{
	struct pm_dhcp_stats *s = st;
	size_t max = o->max_table_bytes;
	pm_table_init(&s->txns, sizeof(struct pm_dhcp_txn_key), sizeof(struct pm_dhcp_txn), max);
	pm_table_init(&s->clients, 8, sizeof(struct pm_dhcp_client), max);
	pm_table_init(&s->servers, 8, sizeof(struct pm_dhcp_server), max);
	return 0;
}

static void
dhcp_finish(void *st, const struct pm_an_deps *deps)
{
	(void)deps;
	struct pm_dhcp_stats *s = st;
	s->approximate |= s->txns.dropped + s->clients.dropped + s->servers.dropped != 0;
}

static void
dhcp_free(void *st)
{
	struct pm_dhcp_stats *s = st;
	pm_table_free(&s->txns);
	pm_table_free(&s->clients);
	pm_table_free(&s->servers);
	free(s->samples);
}

static size_t
dhcp_mem(const void *st)
{
	const struct pm_dhcp_stats *s = st;
	return sizeof(*s) + s->txns.bytes + s->clients.bytes + s->servers.bytes +
	       (s->samples != NULL ? PM_DHCP_MAX_SAMPLES * sizeof(*s->samples) : 0);
}

const struct pm_analyser pm_analyser_dhcp = {
	.name = "dhcp",
	.state_size = sizeof(struct pm_dhcp_stats),
	.after = PM_AN_BIT(FLOWS), /* packets reach it through the flow labels */
	.want = { .classes = PM_WANT_UDP, .apps = UINT64_C(1) << PM_APP_DHCP },
	.init = dhcp_init,
	.observe = dhcp_observe,
	.finish = dhcp_finish,
	.free = dhcp_free,
	.mem = dhcp_mem,
};

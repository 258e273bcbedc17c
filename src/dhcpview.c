/* SPDX-License-Identifier: MIT */
/*
 * dhcpview.c - analyze_dhcp_packets over the finished DHCP analyser:
 * mcpcap's members, transactions, clients, servers, the packets sample and
 * the findings (more than one server answering, NAK storms, DISCOVER
 * floods, more than one DHCPv6 server advertising). Lists are sorted with
 * ties broken by key bytes.
 */
#include "dhcpview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "analysis.h"
#include "dhcp.h"
#include "dhcpstats.h"
#include "isotime.h"
#include "json.h"

/* see dhcpview.h */
void
pm_dhcp_args_init(struct pm_dhcp_args *a)
{
	memset(a, 0, sizeof(*a));
	a->type = -1;
	pm_pv_page_init(&a->page);
}

/* see dhcpview.h */
int32_t
pm_dhcp_type_parse(const char *s)
{
	for (unsigned t = 1; t < 32; t++) {
		const char *n = pm_dhcp_type_name(t);
		if (n != NULL && strcasecmp(n, s) == 0) {
			return (int32_t)t;
		}
	}
	char *end;
	long v = strtol(s, &end, 10);
	return *s != '\0' && *end == '\0' && v >= 1 && v <= 255 ? (int32_t)v : -1;
}

static void
mac_str(uint64_t mac, char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", (unsigned)(mac >> 40) & 0xFF,
	         (unsigned)(mac >> 32) & 0xFF, (unsigned)(mac >> 24) & 0xFF,
	         (unsigned)(mac >> 16) & 0xFF, (unsigned)(mac >> 8) & 0xFF, (unsigned)mac & 0xFF);
}

static bool
parse_mac(const char *s, uint64_t *out)
{
	unsigned b[6];
	char tail;
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
	           &tail) != 6) {
		return false;
	}
	*out = 0;
	for (int i = 0; i < 6; i++) {
		*out = *out << 8 | b[i];
	}
	return true;
}

static void
kip4(struct pm_json *w, const char *k, const uint8_t a[4])
{
	uint8_t full[16] = { a[0], a[1], a[2], a[3] };
	pm_pv_kaddr(w, k, full, 4);
}

static const char *
type_str(unsigned t, char buf[24])
{
	const char *n = pm_dhcp_type_name(t);
	if (n == NULL) {
		snprintf(buf, 24, "Unknown(%u)", t);
		return buf;
	}
	return n;
}

static int
cmp_txn(const void *x, const void *y)
{
	const struct pm_pv_entry *a = x, *b = y;
	const struct pm_dhcp_txn *ta = a->val, *tb = b->val;
	if (ta->first != tb->first) {
		return ta->first < tb->first ? -1 : 1;
	}
	return memcmp(a->key, b->key, sizeof(struct pm_dhcp_txn_key));
}

static int
cmp_key8(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)((const struct pm_pv_entry *)x)->key;
	uint64_t b = *(const uint64_t *)((const struct pm_pv_entry *)y)->key;
	return a < b ? -1 : a > b;
}

static void
statistics(struct pm_json *w, const struct pm_dhcp_stats *s, const struct pm_pv_entry *cl,
           size_t nc, const struct pm_pv_entry *sv, size_t ns, size_t top, uint64_t dora)
{
	char buf[24];
	size_t n4c = 0, n4s = 0;
	for (size_t i = 0; i < nc; i++) {
		n4c += (*(const uint64_t *)cl[i].key >> 63) == 0;
	}
	for (size_t i = 0; i < ns; i++) {
		n4s += ((const struct pm_dhcp_server *)sv[i].val)->ipver == 4 &&
		       (*(const uint64_t *)sv[i].key >> 56) == 4;
	}
	pm_json_key(w, "statistics");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "unique_clients_count", n4c);
	pm_json_ku64(w, "unique_servers_count", n4s);
	pm_json_key(w, "unique_clients");
	pm_json_arr_begin(w);
	for (size_t i = 0, shown = 0; i < nc && shown < top; i++) {
		uint64_t k = *(const uint64_t *)cl[i].key;
		if ((k >> 63) == 0) {
			char mac[18];
			mac_str(k, mac);
			pm_json_str(w, mac);
			shown++;
		}
	}
	pm_json_arr_end(w);
	pm_json_key(w, "unique_servers");
	pm_json_arr_begin(w);
	for (size_t i = 0, shown = 0; i < ns && shown < top; i++) {
		uint64_t k = *(const uint64_t *)sv[i].key;
		if ((k >> 56) == 4) {
			uint8_t a[4] = { (uint8_t)(k >> 24), (uint8_t)(k >> 16), (uint8_t)(k >> 8),
				         (uint8_t)k };
			uint8_t full[16] = { a[0], a[1], a[2], a[3] };
			char t[48];
			pm_addr_str(full, 4, t);
			pm_json_str(w, t);
			shown++;
		}
	}
	pm_json_arr_end(w);
	pm_json_key(w, "message_type_counts");
	pm_json_obj_begin(w);
	for (unsigned t = 0; t < 256; t++) {
		if (s->types4[t] != 0) {
			pm_json_ku64(w, t == 0 ? "BOOTP" : type_str(t, buf), s->types4[t]);
		}
	}
	pm_json_obj_end(w);
	pm_json_ku64(w, "transaction_count", s->txns.count);
	pm_json_ku64(w, "dora_completed", dora);
	pm_json_key(w, "dhcpv6_message_type_counts");
	pm_json_obj_begin(w);
	for (unsigned t = 0; t < 256; t++) {
		if (s->types6[t] != 0) {
			const char *n = pm_dhcp6_type_name(t);
			snprintf(buf, sizeof(buf), "Unknown(%u)", t);
			pm_json_ku64(w, n != NULL ? n : buf, s->types6[t]);
		}
	}
	pm_json_obj_end(w);
	pm_json_ku64(w, "dhcpv4_messages", s->v4);
	pm_json_ku64(w, "dhcpv6_messages", s->v6);
	pm_json_ku64(w, "truncated", s->truncated);
	pm_json_ku64(w, "malformed", s->malformed);
	pm_json_kbool(w, "approximate", s->approximate);
	pm_json_obj_end(w);
}

/* A v6 transaction's or client's addresses and prefixes, each list only when not empty. */
static void
leases6(struct pm_json *w, const struct pm_dhcp6_leases *l)
{
	char t[48], pfx[56];
	if (l->n_addr != 0) {
		pm_json_key(w, "ipv6_addresses");
		pm_json_arr_begin(w);
		for (size_t i = 0; i < l->n_addr; i++) {
			pm_addr_str(l->addr[i], 6, t);
			pm_json_str(w, t);
		}
		pm_json_arr_end(w);
	}
	if (l->n_prefix != 0) {
		pm_json_key(w, "ipv6_prefixes");
		pm_json_arr_begin(w);
		for (size_t i = 0; i < l->n_prefix; i++) {
			pm_addr_str(l->prefix[i], 6, t);
			snprintf(pfx, sizeof(pfx), "%s/%u", t, l->plen[i]);
			pm_json_str(w, pfx);
		}
		pm_json_arr_end(w);
	}
	if (l->more != 0) {
		pm_json_ku64(w, "more_leases", l->more);
	}
}

static void
transactions(struct pm_json *w, const struct pm_pv_entry *v, size_t n, size_t top, bool has_mac,
             uint64_t mac)
{
	char buf[24];
	size_t shown = 0, total = 0;
	pm_json_key(w, "transactions");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < n; i++) {
		const struct pm_dhcp_txn_key *k = v[i].key;
		const struct pm_dhcp_txn *t = v[i].val;
		if (has_mac && (k->version != 4 || k->client != mac)) {
			continue;
		}
		if (total++ >= top) {
			continue;
		}
		shown++;
		pm_json_obj_begin(w);
		snprintf(buf, sizeof(buf), "0x%08x", k->xid);
		pm_json_kstr(w, "transaction_id", buf);
		pm_json_ku64(w, "version", k->version);
		if (k->version == 4) {
			char m[18];
			mac_str(k->client, m);
			pm_json_kstr(w, "client_mac", m);
		}
		pm_json_key(w, "messages");
		pm_json_arr_begin(w);
		for (size_t j = 0; j < t->n_seq; j++) {
			const char *nm = k->version == 4 ? pm_dhcp_type_name(t->seq[j])
			                                 : pm_dhcp6_type_name(t->seq[j]);
			pm_json_str(w, nm != NULL ? nm : "unknown");
		}
		pm_json_arr_end(w);
		if (k->version == 4) {
			pm_json_kbool(w, "dora_completed",
			              t->discover && t->offer && t->request && t->ack);
			if (t->offer || t->ack || t->nak) {
				kip4(w, "server_id", t->server);
				kip4(w, "your_ip", t->yiaddr);
			}
		} else {
			leases6(w, &t->ia);
		}
		pm_pv_ktime(w, "first", t->first);
		pm_json_kdbl(w, "duration_s", pm_time_span_s(t->first, t->last), 6);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "transactions", total, shown, 0);
}

static void
clients(struct pm_json *w, const struct pm_pv_entry *v, size_t n, size_t top)
{
	pm_json_key(w, "clients");
	pm_json_arr_begin(w);
	for (size_t i = 0, shown = 0; i < n && shown < top; i++) {
		uint64_t k = *(const uint64_t *)v[i].key;
		const struct pm_dhcp_client *c = v[i].val;
		if ((k >> 63) != 0) {
			continue;
		}
		char mac[18];
		mac_str(k, mac);
		pm_json_obj_begin(w);
		pm_json_kstr(w, "client_mac", mac);
		pm_json_ku64(w, "messages", c->messages);
		pm_json_kstr(w, "hostname", c->hostname);
		pm_json_kstr(w, "vendor_class", c->vendor);
		pm_json_kstr(w, "fingerprint", c->prl);
		if (c->has_assigned) {
			kip4(w, "assigned_ip", c->assigned);
			pm_json_ku64(w, "lease_time", c->lease);
		}
		pm_json_obj_end(w);
		shown++;
	}
	pm_json_arr_end(w);
}

/* DHCPv6 clients by DUID (its hex, the first PM_DHCP6_DUID bytes), with what servers gave. */
static void
clients6(struct pm_json *w, const struct pm_pv_entry *v, size_t n, size_t top)
{
	static const char hex[] = "0123456789abcdef";
	pm_json_key(w, "dhcpv6_clients");
	pm_json_arr_begin(w);
	size_t shown = 0, total = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t k = *(const uint64_t *)v[i].key;
		const struct pm_dhcp_client *c = v[i].val;
		if ((k >> 63) == 0 || total++ >= top) {
			continue;
		}
		char duid[PM_DHCP6_DUID * 2 + 4];
		size_t at = 0;
		for (size_t j = 0; j < c->duid_len; j++) {
			duid[at++] = hex[c->duid[j] >> 4];
			duid[at++] = hex[c->duid[j] & 15];
		}
		if (c->duid_cut) {
			memcpy(duid + at, "...", 3);
			at += 3;
		}
		duid[at] = '\0';
		pm_json_obj_begin(w);
		pm_json_kstr(w, "client_duid", duid);
		pm_json_ku64(w, "messages", c->messages);
		leases6(w, &c->ia);
		pm_json_obj_end(w);
		shown++;
	}
	pm_json_arr_end(w);
	pm_json_page(w, "dhcpv6_clients", total, shown, 0);
}

static void
server_obj(struct pm_json *w, uint64_t k, const struct pm_dhcp_server *sv)
{
	pm_json_obj_begin(w);
	pm_pv_kaddr(w, "ip", sv->addr, sv->ipver);
	if ((k >> 63) == 0) {
		uint8_t a[4] = { (uint8_t)(k >> 24), (uint8_t)(k >> 16), (uint8_t)(k >> 8),
			         (uint8_t)k };
		kip4(w, "server_id", a);
		pm_json_ku64(w, "offers", sv->offers);
		pm_json_ku64(w, "acks", sv->acks);
		pm_json_ku64(w, "naks", sv->naks);
		pm_json_key(w, "clients");
		pm_json_arr_begin(w);
		for (size_t i = 0; i < sv->n_clients; i++) {
			char mac[18];
			mac_str(sv->clients[i], mac);
			pm_json_str(w, mac);
		}
		pm_json_arr_end(w);
		pm_json_ku64(w, "more_clients", sv->more_clients);
	} else {
		pm_json_ku64(w, "advertises", sv->advertises);
		pm_json_ku64(w, "replies", sv->replies);
	}
	pm_json_obj_end(w);
}

static void
servers(struct pm_json *w, const char *key, const struct pm_pv_entry *v, size_t n, bool want_v6)
{
	pm_json_key(w, key);
	pm_json_arr_begin(w);
	for (size_t i = 0, shown = 0; i < n && shown < PM_PV_MAX_FINDINGS; i++) {
		uint64_t k = *(const uint64_t *)v[i].key;
		if (((k >> 63) != 0) == want_v6) {
			server_obj(w, k, v[i].val);
			shown++;
		}
	}
	pm_json_arr_end(w);
}

static void
packet_obj(struct pm_json *w, const struct pm_dhcp_sample *d)
{
	char buf[24];
	pm_json_obj_begin(w);
	pm_json_ku64(w, "packet_number", d->number);
	pm_pv_ktime(w, "timestamp", d->ts);
	pm_pv_kaddr(w, "src_ip", d->src, d->ipver);
	pm_pv_kaddr(w, "dst_ip", d->dst, d->ipver);
	pm_json_ku64(w, "src_port", d->sport);
	pm_json_ku64(w, "dst_port", d->dport);
	snprintf(buf, sizeof(buf), "0x%08x", d->xid);
	pm_json_kstr(w, "transaction_id", buf);
	if (d->version == 6) {
		const char *n = pm_dhcp6_type_name(d->msg_type);
		pm_json_kstr(w, "message_type", n != NULL ? n : "unknown");
		pm_json_ku64(w, "message_type_code", d->msg_type);
		pm_json_ku64(w, "dhcp_version", 6);
		pm_json_obj_end(w);
		return;
	}
	pm_json_kstr(w, "op", d->op == 1 ? "Request" : "Reply");
	kip4(w, "client_ip", d->ciaddr);
	kip4(w, "your_ip", d->yiaddr);
	kip4(w, "server_ip", d->siaddr);
	kip4(w, "relay_ip", d->giaddr);
	char mac[18];
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", d->mac[0], d->mac[1], d->mac[2],
	         d->mac[3], d->mac[4], d->mac[5]);
	pm_json_kstr(w, "client_mac", mac);
	if (d->msg_type != 0) {
		pm_json_kstr(w, "message_type", type_str(d->msg_type, buf));
		pm_json_ku64(w, "message_type_code", d->msg_type);
	}
	if (d->has_server_id) {
		kip4(w, "server_id", d->server_id);
	}
	if (d->has_requested) {
		kip4(w, "requested_ip", d->requested);
	}
	if (d->lease != 0) {
		pm_json_ku64(w, "lease_time", d->lease);
	}
	if (d->renewal != 0) {
		pm_json_ku64(w, "renewal_time", d->renewal);
	}
	if (d->rebinding != 0) {
		pm_json_ku64(w, "rebinding_time", d->rebinding);
	}
	pm_json_obj_end(w);
}

/* The packets filter: client MAC and message type. */
struct filter {
	const struct pm_dhcp_args *args;
	bool has_mac;
	uint64_t mac;
};

static bool
sample_match(const void *item, const void *ctx)
{
	const struct pm_dhcp_sample *d = item;
	const struct filter *f = ctx;
	uint64_t m = 0;
	for (int j = 0; j < 6; j++) {
		m = m << 8 | d->mac[j];
	}
	return !(f->has_mac && (d->version != 4 || m != f->mac)) &&
	       !(f->args->type >= 0 && d->msg_type != f->args->type);
}

static void
sample_write(struct pm_json *w, const void *item)
{
	packet_obj(w, item);
}

static void
packets(struct pm_json *w, const struct pm_dhcp_stats *s, const struct pm_dhcp_args *args,
        const struct pm_pv_page *pg, bool has_mac, uint64_t mac)
{
	struct filter f = { args, has_mac, mac };
	struct pm_pv_sample smp = { s->samples,          s->n_samples,
		                    sizeof(*s->samples), s->n_samples < PM_DHCP_MAX_SAMPLES,
		                    sample_match,        &f,
		                    sample_write };
	pm_pv_packets(w, &smp, pg);
}

static void
findings(struct pm_json *w, const struct pm_dhcp_stats *s, const struct pm_pv_entry *sv, size_t ns,
         const struct pm_pv_entry *cl, size_t nc)
{
	size_t n4 = 0, n6 = 0;
	uint64_t naks = 0, discover_macs = 0;
	for (size_t i = 0; i < ns; i++) {
		uint64_t k = *(const uint64_t *)sv[i].key;
		const struct pm_dhcp_server *x = sv[i].val;
		n4 += (k >> 63) == 0;
		n6 += (k >> 63) != 0 && x->advertises != 0;
		naks += x->naks;
	}
	for (size_t i = 0; i < nc; i++) {
		discover_macs += ((const struct pm_dhcp_client *)cl[i].val)->discovers != 0;
	}
	pm_json_key(w, "findings");
	pm_json_arr_begin(w);
	if (n4 > 1) {
		pm_pv_finding(w, "multiple_dhcp_servers", "high",
		              "%zu DHCP servers answered clients (possible rogue DHCP server)", n4);
		servers(w, "servers", sv, ns, false);
		pm_pv_finding_end(w);
	}
	if (n6 > 1) {
		pm_pv_finding(w, "multiple_dhcpv6_servers", "medium",
		              "%zu DHCPv6 servers advertised (possible rogue DHCPv6 server)", n6);
		servers(w, "servers", sv, ns, true);
		pm_pv_finding_end(w);
	}
	if (naks >= PM_DHCP_NAK_STORM) {
		pm_pv_finding(w, "dhcp_nak_storm", "medium", "%llu NAKs", (unsigned long long)naks);
		pm_json_ku64(w, "naks", naks);
		pm_pv_finding_end(w);
	}
	if (discover_macs >= PM_DHCP_STARVATION_MAC) {
		pm_pv_finding(w, "dhcp_starvation", "high",
		              "DISCOVER from %llu distinct MAC addresses (starvation attack hint)",
		              (unsigned long long)discover_macs);
		pm_json_ku64(w, "discover_macs", discover_macs);
		pm_json_ku64(w, "acks", s->types4[PM_DHCP_ACK]);
		pm_pv_finding_end(w);
	}
	pm_json_arr_end(w);
}

/* see dhcpview.h */
int
pm_dhcp_view(const struct pm_analysis *a, const struct pm_dhcp_args *args, struct pm_json *w,
             struct pm_error *err)
{
	const struct pm_dhcp_stats *s = pm_an_dhcp(a);
	if (s == NULL) {
		return pm_error_set(err, PM_E_UNSUPPORTED, 0, "the dhcp analyser did not run");
	}
	struct pm_pv_page pg = args->page;
	uint64_t mac = 0;
	if (pm_pv_page_check(&pg, err) != 0) {
		return PM_E_MALFORMED;
	}
	if (args->client != NULL && !parse_mac(args->client, &mac)) {
		return pm_error_set(err, PM_E_MALFORMED, 0,
		                    "invalid_argument: client must be a MAC aa:bb:cc:dd:ee:ff");
	}
	if (args->type < -1 || args->type == 0 || args->type > 255) {
		return pm_error_set(err, PM_E_MALFORMED, 0, "invalid_argument: type is 1..255");
	}
	size_t nt, nc, ns, top = (size_t)pg.top;
	struct pm_pv_entry *tx = pm_pv_entries(&s->txns, &nt),
	                   *cl = pm_pv_entries(&s->clients, &nc);
	struct pm_pv_entry *sv = pm_pv_entries(&s->servers, &ns);
	int rc = PM_E_NOMEM;
	if (tx == NULL || cl == NULL || sv == NULL) {
		goto out_free;
	}
	qsort(tx, nt, sizeof(*tx), cmp_txn);
	qsort(cl, nc, sizeof(*cl), cmp_key8);
	qsort(sv, ns, sizeof(*sv), cmp_key8);
	uint64_t dora = 0;
	for (size_t i = 0; i < nt; i++) {
		const struct pm_dhcp_txn *t = tx[i].val;
		dora += t->discover && t->offer && t->request && t->ack;
	}
	pm_pv_head(w, a, "total_packets", "dhcp", s->messages, s->messages);
	statistics(w, s, cl, nc, sv, ns, top, dora);
	transactions(w, tx, nt, top, args->client != NULL, mac);
	clients(w, cl, nc, top);
	clients6(w, cl, nc, top);
	servers(w, "servers", sv, ns, false);
	servers(w, "dhcpv6_servers", sv, ns, true);
	packets(w, s, args, &pg, args->client != NULL, mac);
	findings(w, s, sv, ns, cl, nc);
	rc = 0;
out_free:
	free(tx);
	free(cl);
	free(sv);
	return rc;
}

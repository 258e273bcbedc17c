/* SPDX-License-Identifier: MIT */
/*
 * sipview.c - analyze_sip_packets over the finished SIP analyser: mcpcap's
 * members, calls with their dialogue, the packets sample and the findings
 * (REGISTER brute force, scanners' user agents, INVITE floods). Lists are
 * sorted with ties broken by key bytes or text.
 */
#include "sipview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "analysis.h"
#include "json.h"
#include "sipstats.h"

/* see sipview.h */
void
pm_sip_args_init(struct pm_sip_args *a)
{
	memset(a, 0, sizeof(*a));
	a->status = -1;
	pm_pv_page_init(&a->page);
}

static void
kopt(struct pm_json *w, const char *k, const char *v)
{
	pm_json_kstr(w, k, v != NULL ? v : "");
}

static int
cmp_call(const void *x, const void *y)
{
	const struct pm_pv_entry *a = x, *b = y;
	const struct pm_sip_call *ca = a->val, *cb = b->val;
	if (ca->first != cb->first) {
		return ca->first < cb->first ? -1 : 1;
	}
	return memcmp(a->key, b->key, 8);
}

static int
cmp_agent(const void *x, const void *y)
{
	const struct pm_sip_agent *a = ((const struct pm_pv_entry *)x)->val;
	const struct pm_sip_agent *b = ((const struct pm_pv_entry *)y)->val;
	return strcmp(a->name != NULL ? a->name : "", b->name != NULL ? b->name : "");
}

static void
statistics(struct pm_json *w, const struct pm_sip_stats *s, const struct pm_pv_entry *calls,
           size_t nc, const struct pm_pv_entry *agents, size_t na, size_t top)
{
	char buf[16];
	pm_json_key(w, "statistics");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "requests", s->requests);
	pm_json_ku64(w, "responses", s->responses);
	pm_json_key(w, "methods");
	pm_json_obj_begin(w);
	for (unsigned i = 0; i <= PM_SIP_METHODS; i++) {
		if (s->methods[i] != 0) {
			pm_json_ku64(w, i < PM_SIP_METHODS ? pm_sip_methods[i] : "other",
			             s->methods[i]);
		}
	}
	pm_json_obj_end(w);
	pm_json_key(w, "response_classes");
	pm_json_obj_begin(w);
	for (unsigned c = 1; c < 7; c++) {
		if (s->classes[c] != 0) {
			snprintf(buf, sizeof(buf), "%uxx", c);
			pm_json_ku64(w, buf, s->classes[c]);
		}
	}
	pm_json_obj_end(w);
	pm_json_ku64(w, "unique_call_ids", s->calls.count);
	pm_json_key(w, "call_ids");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < nc && i < top; i++) {
		pm_json_str(w, ((const struct pm_sip_call *)calls[i].val)->call_id);
	}
	pm_json_arr_end(w);
	pm_json_key(w, "transports");
	pm_json_obj_begin(w);
	if (s->tcp != 0) {
		pm_json_ku64(w, "TCP", s->tcp);
	}
	if (s->udp != 0) {
		pm_json_ku64(w, "UDP", s->udp);
	}
	pm_json_obj_end(w);
	pm_json_key(w, "user_agents");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < na && i < top * 2; i++) {
		pm_json_str(w, ((const struct pm_sip_agent *)agents[i].val)->name);
	}
	pm_json_arr_end(w);
	pm_json_key(w, "status_codes");
	pm_json_obj_begin(w);
	for (unsigned code = 100; code < 700; code++) {
		for (size_t i = 0; i < s->n_status; i++) {
			if (s->status_code[i] == code) {
				snprintf(buf, sizeof(buf), "%u", code);
				pm_json_ku64(w, buf, s->status_count[i]);
			}
		}
	}
	pm_json_obj_end(w);
	pm_json_ku64(w, "malformed", s->malformed);
	pm_json_ku64(w, "truncated", s->truncated);
	pm_json_kbool(w, "approximate", s->approximate);
	pm_json_obj_end(w);
}

static void
calls_list(struct pm_json *w, const struct pm_pv_entry *v, size_t n, size_t top, const char *filter)
{
	size_t shown = 0, total = 0;
	pm_json_key(w, "calls");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < n; i++) {
		const struct pm_sip_call *c = v[i].val;
		if (!pm_pv_contains(c->call_id, filter) || total++ >= top) {
			continue;
		}
		shown++;
		pm_json_obj_begin(w);
		kopt(w, "call_id", c->call_id);
		kopt(w, "from", c->from);
		kopt(w, "to", c->to);
		pm_json_kstr(w, "first_method",
		             c->first_method < PM_SIP_METHODS ? pm_sip_methods[c->first_method]
		                                              : "other");
		pm_json_ku64(w, "messages", c->messages);
		pm_json_kbool(w, "invite", c->invite != 0);
		pm_json_kbool(w, "ringing", c->ringing);
		if (c->final_status != 0) {
			pm_json_ku64(w, "final_status", c->final_status);
		}
		pm_json_kbool(w, "ack", c->ack);
		pm_json_kbool(w, "bye", c->bye != 0);
		if (c->invite != 0 && c->answered != 0) {
			pm_json_kdbl(w, "setup_s", (double)(c->answered - c->invite) / 1e9, 6);
		}
		if (c->answered != 0 && c->bye != 0) {
			pm_json_kdbl(w, "duration_s", (double)(c->bye - c->answered) / 1e9, 6);
		}
		pm_pv_ktime(w, "first", c->first);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "calls", total, shown, 0);
}

static bool
matches(const struct pm_sip_args *args, const struct pm_sip_sample *d)
{
	if (args->status >= 0 && (d->is_request || d->status != args->status)) {
		return false;
	}
	if (args->method != NULL) {
		if (!d->is_request || d->start_line == NULL) {
			return false;
		}
		size_t l = strlen(args->method);
		if (strncasecmp(d->start_line, args->method, l) != 0 || d->start_line[l] != ' ') {
			return false;
		}
	}
	return args->call_id == NULL || pm_pv_contains(d->call_id, args->call_id);
}

static void
packet_obj(struct pm_json *w, const struct pm_sip_sample *d)
{
	pm_json_obj_begin(w);
	pm_json_ku64(w, "packet_number", d->number);
	pm_pv_ktime(w, "timestamp", d->ts);
	pm_pv_kaddr(w, "source_ip", d->src, d->ipver);
	pm_pv_kaddr(w, "destination_ip", d->dst, d->ipver);
	pm_json_ku64(w, "source_port", d->sport);
	pm_json_ku64(w, "destination_port", d->dport);
	pm_json_kstr(w, "transport", d->proto == 6 ? "TCP" : "UDP");
	pm_json_kstr(w, "message_type", d->is_request ? "request" : "response");
	kopt(w, "start_line", d->start_line);
	kopt(w, "call_id", d->call_id);
	kopt(w, "cseq", d->cseq);
	kopt(w, "from", d->from);
	kopt(w, "to", d->to);
	kopt(w, "contact", d->contact);
	kopt(w, "user_agent", d->user_agent);
	kopt(w, "server", d->server);
	kopt(w, "via", d->via);
	kopt(w, "content_type", d->content_type);
	pm_json_key(w, "content_length");
	d->content_length >= 0 ? pm_json_i64(w, d->content_length) : pm_json_null(w);
	pm_json_ku64(w, "body_length", d->body_len);
	pm_json_kbool(w, "known_sip_port",
	              d->sport == 5060 || d->sport == 5061 || d->dport == 5060 || d->dport == 5061);
	if (d->is_request && d->start_line != NULL) {
		const char *sp = strchr(d->start_line, ' ');
		size_t ml = sp != NULL ? (size_t)(sp - d->start_line) : strlen(d->start_line);
		pm_json_key(w, "method");
		pm_json_strn(w, d->start_line, ml);
	} else {
		pm_json_ku64(w, "status_code", d->status);
		const char *sp = d->start_line != NULL ? strchr(d->start_line, ' ') : NULL;
		sp = sp != NULL ? strchr(sp + 1, ' ') : NULL;
		kopt(w, "reason_phrase", sp != NULL ? sp + 1 : "");
	}
	pm_json_obj_end(w);
}

static bool
sample_match(const void *item, const void *ctx)
{
	return matches(ctx, item);
}

static void
sample_write(struct pm_json *w, const void *item)
{
	packet_obj(w, item);
}

static void
packets(struct pm_json *w, const struct pm_sip_stats *s, const struct pm_sip_args *args,
        const struct pm_pv_page *pg)
{
	struct pm_pv_sample smp = { s->samples,          s->n_samples,
		                    sizeof(*s->samples), s->n_samples < PM_SIP_MAX_SAMPLES,
		                    sample_match,        args,
		                    sample_write };
	pm_pv_packets(w, &smp, pg);
}

static int
cmp_source(const void *x, const void *y)
{
	return memcmp(((const struct pm_pv_entry *)x)->key, ((const struct pm_pv_entry *)y)->key,
	              sizeof(struct pm_addr_key));
}

static void
findings(struct pm_json *w, const struct pm_sip_stats *s, const struct pm_pv_entry *agents,
         size_t na, const struct pm_pv_entry *src, size_t ns)
{
	(void)s;
	pm_json_key(w, "findings");
	pm_json_arr_begin(w);
	for (size_t i = 0, shown = 0; i < ns && shown < PM_PV_MAX_FINDINGS; i++) {
		const struct pm_addr_key *k = src[i].key;
		const struct pm_sip_source *x = src[i].val;
		char buf[48];
		pm_addr_str(k->addr, k->ipver, buf);
		if (x->auth_failures >= PM_SIP_AUTH_BURST) {
			pm_pv_finding(
			    w, "sip_register_bruteforce", "high",
			    "%llu 401/403 answers to %s (%llu REGISTERs): brute-force hint",
			    (unsigned long long)x->auth_failures, buf,
			    (unsigned long long)x->registers);
			pm_json_kstr(w, "source", buf);
			pm_json_ku64(w, "auth_failures", x->auth_failures);
			pm_json_ku64(w, "registers", x->registers);
			pm_pv_finding_end(w);
			shown++;
		}
		if (x->invites >= PM_SIP_INVITE_FLOOD) {
			pm_pv_finding(w, "sip_invite_flood", "medium", "%llu INVITEs from %s",
			              (unsigned long long)x->invites, buf);
			pm_json_kstr(w, "source", buf);
			pm_json_ku64(w, "invites", x->invites);
			pm_pv_finding_end(w);
			shown++;
		}
	}
	for (size_t i = 0, shown = 0; i < na && shown < PM_PV_MAX_FINDINGS; i++) {
		const struct pm_sip_agent *a = agents[i].val;
		if (a->scanner) {
			pm_pv_finding(w, "sip_scanner", "high", "user agent of a SIP scanner: %s",
			              a->name);
			pm_json_kstr(w, "user_agent", a->name);
			pm_json_ku64(w, "messages", a->messages);
			pm_pv_finding_end(w);
			shown++;
		}
	}
	pm_json_arr_end(w);
}

/* see sipview.h */
int
pm_sip_view(const struct pm_analysis *a, const struct pm_sip_args *args, struct pm_json *w,
            struct pm_error *err)
{
	const struct pm_sip_stats *s = pm_an_sip(a);
	if (s == NULL) {
		return pm_error_set(err, PM_E_UNSUPPORTED, 0, "the sip analyser did not run");
	}
	struct pm_pv_page pg = args->page;
	if (pm_pv_page_check(&pg, err) != 0) {
		return PM_E_MALFORMED;
	}
	if (args->status != -1 && (args->status < 100 || args->status > 699)) {
		return pm_error_set(err, PM_E_MALFORMED, 0, "invalid_argument: status is 100..699");
	}
	size_t nc, na, ns, top = (size_t)pg.top;
	struct pm_pv_entry *calls = pm_pv_entries(&s->calls, &nc);
	struct pm_pv_entry *agents = pm_pv_entries(&s->agents, &na);
	struct pm_pv_entry *src = pm_pv_entries(&s->sources, &ns);
	int rc = PM_E_NOMEM;
	if (calls == NULL || agents == NULL || src == NULL) {
		goto out_free;
	}
	qsort(calls, nc, sizeof(*calls), cmp_call);
	qsort(agents, na, sizeof(*agents), cmp_agent);
	qsort(src, ns, sizeof(*src), cmp_source);
	pm_pv_head(w, a, "total_packets_in_file", "sip", s->messages, s->messages);
	statistics(w, s, calls, nc, agents, na, top);
	calls_list(w, calls, nc, top, args->call_id);
	packets(w, s, args, &pg);
	findings(w, s, agents, na, src, ns);
	rc = 0;
out_free:
	free(calls);
	free(agents);
	free(src);
	return rc;
}

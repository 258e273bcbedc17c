/* SPDX-License-Identifier: MIT */
/*
 * cli.c - the command line as a front end of the tool registry: a verb names
 * a tool (or a fixed list of tools printed together), its `--name value`
 * options become the tool's arguments by name, and the call goes through
 * pm_tools_call exactly as an MCP call does. Limits, defaults and argument
 * checks live in the registry only; tables are the tools' print hooks
 * (cli_print.h). The only place (with mcp.c) that turns errors into words.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "capture.h" /* enum pm_io */
#include "cli_print.h"
#include "json.h"
#include "jsonparse.h"
#include "mcp.h"
#include "sandbox.h"
#include "tools.h"

#define MAX_OPTS  32 /* value options on one command line */
#define MAX_TOOLS 3  /* tools one verb prints together */

/*
 * One way a verb picks its tools. With opt NULL the row always applies. With
 * value NULL the row applies when --opt is given, and opt stays an argument
 * of the tool (flows --port 80). Otherwise the row applies when --opt has
 * this value; opt is then the CLI's own (tcp --view anomalies), and the first
 * such row applies when --opt is absent.
 */
struct choice {
	const char *opt;
	const char *value;
	const char *tools[MAX_TOOLS]; /* registry names; the results are merged in order */
	pm_cli_print_fn print;        /* table; NULL prints the JSON */
};

struct verb {
	const char *name;
	bool lean; /* a one-shot call that needs no more than its tool (info) */
	const struct choice *choices;
	size_t n_choices;
	const char *choose_help; /* said when no row (or more than one) applies */
};

static const struct choice info_rows[] = {
	{ NULL, NULL, { "analyze_capinfos" }, pm_cli_print_info },
};
static const struct choice summary_rows[] = {
	{ NULL, NULL, { "get_pcap_summary" }, pm_cli_print_summary },
};
static const struct choice flows_rows[] = {
	{ "port", NULL, { "analyze_port_flows" }, pm_cli_print_flows },
	{ "ip", NULL, { "analyze_ip_flows" }, pm_cli_print_flows },
	{ "proto", NULL, { "analyze_protocol_flows" }, pm_cli_print_flows },
};
/* Only the connection list reads better as a table; the others are nested facts. */
static const struct choice tcp_rows[] = {
	{ "view", "connections", { "analyze_tcp_connections" }, pm_cli_print_connections },
	{ "view", "anomalies", { "analyze_tcp_anomalies" }, NULL },
	{ "view", "retransmissions", { "analyze_tcp_retransmissions" }, NULL },
	{ "view", "flow", { "analyze_traffic_flow" }, NULL },
};
static const struct choice scan_rows[] = {
	{ NULL, NULL, { "scan_overview", "list_suspects", "first_scan_event" }, pm_cli_print_scan },
};
static const struct choice tls_rows[] = {
	{ NULL, NULL, { "analyze_tls" }, pm_cli_print_proto },
};
static const struct choice quic_rows[] = {
	{ NULL, NULL, { "analyze_quic" }, pm_cli_print_proto },
};
static const struct choice http_rows[] = {
	{ NULL, NULL, { "analyze_http_packets" }, pm_cli_print_proto },
};
static const struct choice dns_rows[] = {
	{ NULL, NULL, { "analyze_dns_packets" }, pm_cli_print_proto },
};
static const struct choice dhcp_rows[] = {
	{ NULL, NULL, { "analyze_dhcp_packets" }, pm_cli_print_proto },
};
static const struct choice icmp_rows[] = {
	{ NULL, NULL, { "analyze_icmp_packets" }, pm_cli_print_proto },
};
static const struct choice sip_rows[] = {
	{ NULL, NULL, { "analyze_sip_packets" }, pm_cli_print_proto },
};

static const struct verb verbs[] = {
	{ "info", true, info_rows, PM_ARRAY_LEN(info_rows), NULL },
	{ "summary", false, summary_rows, PM_ARRAY_LEN(summary_rows), NULL },
	{ "flows", false, flows_rows, PM_ARRAY_LEN(flows_rows),
	  "flows needs exactly one of --port, --ip, --proto" },
	{ "tcp", false, tcp_rows, PM_ARRAY_LEN(tcp_rows),
	  "--view takes connections, anomalies, retransmissions or flow" },
	{ "scan", false, scan_rows, PM_ARRAY_LEN(scan_rows), NULL },
	{ "dns", false, dns_rows, PM_ARRAY_LEN(dns_rows), NULL },
	{ "dhcp", false, dhcp_rows, PM_ARRAY_LEN(dhcp_rows), NULL },
	{ "icmp", false, icmp_rows, PM_ARRAY_LEN(icmp_rows), NULL },
	{ "sip", false, sip_rows, PM_ARRAY_LEN(sip_rows), NULL },
	{ "tls", false, tls_rows, PM_ARRAY_LEN(tls_rows), NULL },
	{ "http", false, http_rows, PM_ARRAY_LEN(http_rows), NULL },
	{ "quic", false, quic_rows, PM_ARRAY_LEN(quic_rows), NULL },
};

/* CLI option names that differ from the tool argument they set. */
static const struct {
	const char *verb;
	const char *opt;  /* without the leading "--" */
	const char *prop; /* the input-schema property */
} aliases[] = {
	{ "flows", "proto", "protocol" },
	{ "scan", "window", "time_window_s" },
	{ "scan", "min-rate", "min_rate_pps" },
	{ "scan", "top", "top_k" },
};

/* One command line, parsed but not yet mapped onto a tool. */
struct cmdline {
	const char *file;
	bool json;
	enum pm_io io;
	size_t n;
	struct {
		const char *name; /* after "--", not NUL-terminated when --name=value */
		size_t len;
		const char *value;
	} opt[MAX_OPTS];
};

static void
usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: pcapmcp <verb> [options]\n"
	    "\n"
	    "verbs:\n"
	    "  info FILE [--json] [--io=mmap|read]   capture facts (capinfos-style);\n"
	    "                                       FILE may be - for stdin\n"
	    "  summary FILE [--json] [--top N]      totals, protocols, top talkers, ports,\n"
	    "                                       flows, TCP health, timeline\n"
	    "  flows FILE (--port N | --ip ADDR | --proto NAME) [--sort bytes|packets|start]\n"
	    "        [--limit N] [--offset N] [--json]   matching flows\n"
	    "  tcp FILE [--view connections|anomalies|retransmissions|flow] [--server-ip IP]\n"
	    "        [--server-port N] [--threshold F] [--limit N] [--offset N] [--json]\n"
	    "                                       TCP connections and their health\n"
	    "  scan FILE [--window S] [--min-ports N] [--min-rate R] [--top K] [--json]\n"
	    "                                       port scanners, suspects, first probe\n"
	    "  dns FILE [--name S] [--client IP] [--server IP] [--rcode NAME] [--type NAME]\n"
	    "        [--limit N] [--offset N] [--top N] [--json]   DNS (analyze_dns_packets)\n"
	    "  dhcp FILE [--client MAC] [--type NAME] [--limit N] [--offset N] [--top N]\n"
	    "        [--json]                       DHCPv4/v6 (analyze_dhcp_packets)\n"
	    "  icmp FILE [--host IP] [--type N] [--version 4|6] [--limit N] [--offset N]\n"
	    "        [--top N] [--json]             ICMP/ICMPv6 (analyze_icmp_packets)\n"
	    "  sip FILE [--method M] [--status N] [--call-id S] [--limit N] [--offset N]\n"
	    "        [--top N] [--json]             SIP (analyze_sip_packets)\n"
	    "  tls FILE [--limit N] [--offset N] [--json]\n"
	    "                                       TLS handshakes, JA3/JA4, certificates\n"
	    "  http FILE [--limit N] [--offset N] [--json]\n"
	    "                                       HTTP/1.x exchanges (analyze_http_packets)\n"
	    "  quic FILE [--sni S] [--client IP] [--limit N] [--offset N] [--json]\n"
	    "                                       QUIC connections, Initials decrypted\n"
	    "  serve [--tools LIST]                 MCP server over stdio (see README)\n"
	    "  enrich [--offline] IP... | --capture FILE [--top N]\n"
	    "                                       who an address is (ASN, country, threat\n"
	    "                                       intel); a capture's top talkers and scanners\n"
	    "  call TOOL [JSON]                     run any MCP tool with JSON arguments and\n"
	    "                                       print its result (see pcapmcp tools)\n"
	    "  tools                                list the tools\n"
	    "  version                              print the version\n"
	    "  help                                 this text\n"
	    "\n"
	    "Options of a verb are its tools' arguments (pcapmcp tools; --server-ip sets\n"
	    "server_ip); FILE is the path argument.\n"
	    "\n"
	    "exit codes: 0 ok (warnings included), 1 internal failure, 2 usage or unreadable "
	    "file\n");
}

static int
parse_io(const char *s, struct cmdline *c)
{
	static const struct {
		const char *name;
		enum pm_io io;
	} ios[] = { { "mmap", PM_IO_MMAP }, { "read", PM_IO_READ }, { "default", PM_IO_DEFAULT } };
	for (size_t i = 0; i < PM_ARRAY_LEN(ios); i++) {
		if (strcmp(s, ios[i].name) == 0) {
			c->io = ios[i].io;
			return PM_EXIT_OK;
		}
	}
	fprintf(stderr, "pcapmcp: --io takes mmap or read, not '%s'\n", s);
	return PM_EXIT_USAGE;
}

/* A --name=value or --name value option; *i moves past what it used. */
static int
parse_value_opt(int argc, char **argv, int *i, struct cmdline *c)
{
	const char *a = argv[*i] + 2, *eq = strchr(a, '=');
	size_t len = eq != NULL ? (size_t)(eq - a) : strlen(a);
	if (eq == NULL && *i + 1 >= argc) {
		fprintf(stderr, "pcapmcp: --%s needs a value\n", a);
		return PM_EXIT_USAGE;
	}
	if (c->n == MAX_OPTS) {
		fprintf(stderr, "pcapmcp: too many options\n");
		return PM_EXIT_USAGE;
	}
	c->opt[c->n].name = a;
	c->opt[c->n].len = len;
	c->opt[c->n].value = eq != NULL ? eq + 1 : argv[++*i];
	c->n++;
	return PM_EXIT_OK;
}

/* argv[2..]: --json, --io, value options and one FILE. */
static int
parse_cmdline(int argc, char **argv, struct cmdline *c)
{
	memset(c, 0, sizeof(*c));
	int rc = PM_EXIT_OK;
	for (int i = 2; i < argc && rc == PM_EXIT_OK; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--json") == 0) {
			c->json = true;
		} else if (strncmp(a, "--io=", 5) == 0) {
			rc = parse_io(a + 5, c);
		} else if (strcmp(a, "--io") == 0 && i + 1 < argc) {
			rc = parse_io(argv[++i], c);
		} else if (a[0] == '-' && a[1] == '-' && a[2] != '\0') {
			rc = parse_value_opt(argc, argv, &i, c);
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "pcapmcp: unknown option '%s'\n", a);
			rc = PM_EXIT_USAGE;
		} else if (c->file == NULL) {
			c->file = a;
		} else {
			fprintf(stderr, "pcapmcp: unexpected argument '%s'\n", a);
			rc = PM_EXIT_USAGE;
		}
	}
	if (rc == PM_EXIT_OK && c->file == NULL) {
		fprintf(stderr, "pcapmcp: %s needs a capture file\n", argv[1]);
		rc = PM_EXIT_USAGE;
	}
	return rc;
}

static bool
opt_is(const struct cmdline *c, size_t i, const char *name)
{
	return name != NULL && strlen(name) == c->opt[i].len &&
	       strncmp(c->opt[i].name, name, c->opt[i].len) == 0;
}

/* The value of the last --name, or NULL. */
static const char *
opt_value(const struct cmdline *c, const char *name)
{
	const char *v = NULL;
	for (size_t i = 0; i < c->n; i++) {
		if (opt_is(c, i, name)) {
			v = c->opt[i].value;
		}
	}
	return v;
}

/* The row of the verb's table the command line picks, or NULL after saying why. */
static const struct choice *
choose(const struct verb *v, const struct cmdline *c)
{
	const struct choice *row = NULL;
	size_t given = 0;
	const char *val = opt_value(c, v->choices[0].opt);
	for (size_t i = 0; i < v->n_choices; i++) {
		const struct choice *ch = &v->choices[i];
		if (ch->opt == NULL) {
			return ch;
		}
		if (ch->value == NULL && opt_value(c, ch->opt) != NULL) {
			row = ch;
			given++;
		} else if (ch->value != NULL && (val == NULL || strcmp(val, ch->value) == 0)) {
			return ch;
		}
	}
	if (given == 1) {
		return row;
	}
	if (val != NULL && v->choices[0].value != NULL) {
		fprintf(stderr, "pcapmcp: %s, not '%s'\n", v->choose_help, val);
	} else {
		fprintf(stderr, "pcapmcp: %s\n", v->choose_help);
	}
	return NULL;
}

/* The input-schema property option i sets: an alias, else its name with '-' as '_'. */
static void
prop_name(const struct verb *v, const struct cmdline *c, size_t i, char out[64])
{
	for (size_t k = 0; k < PM_ARRAY_LEN(aliases); k++) {
		if (strcmp(aliases[k].verb, v->name) == 0 && opt_is(c, i, aliases[k].opt)) {
			snprintf(out, 64, "%s", aliases[k].prop);
			return;
		}
	}
	snprintf(out, 64, "%.*s", (int)(c->opt[i].len < 63 ? c->opt[i].len : 63), c->opt[i].name);
	for (char *d = strchr(out, '-'); d != NULL; d = strchr(d, '-')) {
		*d = '_';
	}
}

/*
 * Write value as the JSON type the schema gives prop: a number or boolean
 * when the text is one, else a string, which the tool then rejects with its
 * own message, so the CLI repeats no check.
 */
static void
put_value(struct pm_json *w, const struct pm_jv *prop, const char *value, struct pm_arena *a)
{
	const char *type = pm_jv_str(pm_jv_get(prop, "type"));
	const struct pm_jv *v = NULL;
	bool typed = type != NULL && (strcmp(type, "integer") == 0 || strcmp(type, "number") == 0 ||
	                              strcmp(type, "boolean") == 0);
	if (typed && pm_json_parse((const uint8_t *)value, strlen(value), a, &v, NULL) == 0 &&
	    pm_jv_is(v, strcmp(type, "boolean") == 0 ? PM_JV_BOOL : PM_JV_NUM)) {
		pm_json_value(w, v);
	} else {
		pm_json_str(w, value);
	}
}

/*
 * Parse the arguments of tool t from the command line into *out: path is
 * FILE, and every option that is a property of t's input schema. used[i]
 * is set for each option taken. For a table (table true) without --limit, a
 * paged tool gets its schema's default limit explicitly: the result budget
 * keeps a model's context small, and a person reading a table wants the page.
 */
static int
tool_args(const struct verb *v, const struct choice *ch, const struct pm_tool *t,
          const struct cmdline *c, bool table, bool used[], struct pm_arena *a,
          const struct pm_jv **out)
{
	const struct pm_jv *props = pm_jv_get(pm_tool_input_schema_jv(t), "properties");
	struct pm_json w;
	pm_json_init(&w, 0);
	pm_json_obj_begin(&w);
	pm_json_kstr(&w, "path", c->file);
	for (size_t i = 0; i < c->n; i++) {
		char name[64];
		prop_name(v, c, i, name);
		const struct pm_jv *prop = pm_jv_get(props, name);
		if (prop == NULL || strcmp(name, "path") == 0 ||
		    (ch->value != NULL && opt_is(c, i, ch->opt))) {
			continue;
		}
		used[i] = true;
		table = table && strcmp(name, "limit") != 0;
		pm_json_key(&w, name);
		put_value(&w, prop, c->opt[i].value, a);
	}
	const struct pm_jv *dflt = pm_jv_get(pm_jv_get(props, "limit"), "default");
	if (table && dflt != NULL) {
		pm_json_key(&w, "limit");
		pm_json_value(&w, dflt);
	}
	pm_json_obj_end(&w);
	int rc = pm_json_finish(&w);
	if (rc == 0) {
		rc = pm_json_parse((const uint8_t *)w.buf, w.len, a, out, NULL);
	}
	pm_json_free(&w);
	return rc;
}

/* The exit code for a tool error result r, after saying why on stderr. */
static int
tool_failed(const struct pm_tool *t, const char *file, const struct pm_jv *r)
{
	const char *code = pm_jv_str(pm_jv_get(r, "error"));
	const char *msg = pm_jv_str(pm_jv_get(r, "message"));
	code = code != NULL ? code : "internal_error";
	msg = msg != NULL ? msg : code;
	if (strcmp(code, "invalid_argument") == 0) {
		fprintf(stderr, "pcapmcp: %s: %s\n", t->name, msg);
	} else {
		fprintf(stderr, "pcapmcp: %s: %s\n", file, msg);
	}
	return strcmp(code, "internal_error") == 0 ? PM_EXIT_FAIL : PM_EXIT_USAGE;
}

/*
 * The CLI opens captures with the user's own permissions, as any command
 * does: no sandbox (that guards a server from its clients), and "-" is
 * standard input. The analysis is named by the path as given.
 */
static int
cli_open(const char *path, size_t len, char *out, size_t cap, struct pm_error *err)
{
	if (len >= cap || memchr(path, '\0', len) != NULL) {
		pm_error_set(err, PM_E_MALFORMED, 0, "invalid_argument: path is not usable");
		return -1;
	}
	memcpy(out, path, len);
	out[len] = '\0';
	int fd = strcmp(out, "-") == 0 ? fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0)
	                               : open(out, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pm_error_set(err, PM_E_IO, 0, "path_not_found: %s", strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		pm_error_set(err, PM_E_UNSUPPORTED, 0, "not_a_regular_file: is a directory");
		return -1;
	}
	return fd;
}

/* Print the warnings a result carries (capinfos's list, a full table) on stderr. */
static void
print_warnings(const char *file, const struct pm_jv *r)
{
	const struct pm_jv *w = pm_jv_get(r, "warnings");
	for (size_t i = 0; pm_jv_is(w, PM_JV_ARR) && i < w->len; i++) {
		const char *code = pm_jv_str(pm_jv_get(&w->items[i], "code"));
		int64_t off = 0;
		if (code != NULL && strcmp(code, "capture_damaged") == 0) {
			(void)pm_jv_int(pm_jv_get(&w->items[i], "offset"), &off);
			const char *msg = pm_jv_str(pm_jv_get(&w->items[i], "message"));
			fprintf(stderr, "pcapmcp: warning: %s: capture_damaged at byte %lld: %s\n",
			        file, (long long)off, msg != NULL ? msg : "");
		} else if (code != NULL && strcmp(code, "bad_tsresol") == 0) {
			const char *msg = pm_jv_str(pm_jv_get(&w->items[i], "message"));
			fprintf(stderr, "pcapmcp: warning: %s: bad_tsresol: %s\n", file,
			        msg != NULL ? msg : "");
		}
	}
	bool full = false;
	if ((pm_jv_bool(pm_jv_get(r, "approximate"), &full) && full) ||
	    (pm_jv_bool(pm_jv_get(pm_jv_get(r, "overview"), "approximate"), &full) && full)) {
		fprintf(stderr, "pcapmcp: warning: %s: a table was full; counts are lower bounds\n",
		        file);
	}
}

/* State of one verb run: the context, its tools' results, their arena. */
struct run {
	struct pm_tool_ctx ctx;
	struct pm_arena arena;
	struct pm_json out[MAX_TOOLS + 1]; /* results as written; [MAX_TOOLS]: merged */
	const struct pm_jv *res[MAX_TOOLS];
	size_t n;
};

/* Call tool t with args into r->out[r->n] and parse the result; returns an exit code. */
static int
run_tool(struct run *r, const struct pm_tool *t, const struct pm_jv *args, const char *file)
{
	struct pm_json *w = &r->out[r->n];
	bool is_error = false;
	w->pretty = true;
	if (pm_tools_call(&r->ctx, t, args, w, &is_error) != 0 ||
	    pm_json_parse((const uint8_t *)w->buf, w->len, &r->arena, &r->res[r->n], NULL) != 0) {
		fprintf(stderr, "pcapmcp: %s: the result could not be produced\n", t->name);
		return PM_EXIT_FAIL;
	}
	r->n++;
	return is_error ? tool_failed(t, file, r->res[r->n - 1]) : PM_EXIT_OK;
}

/*
 * The verb's result: the one tool's result as written, or one object with
 * the members of each (their "ok" and "generated_at" once).
 */
static const struct pm_json *
merged(struct run *r)
{
	if (r->n == 1) {
		return &r->out[0];
	}
	struct pm_json *w = &r->out[MAX_TOOLS];
	w->pretty = true;
	pm_json_obj_begin(w);
	pm_json_kbool(w, "ok", true);
	for (size_t i = 0; i < r->n; i++) {
		for (size_t k = 0; k < r->res[i]->len; k++) {
			const struct pm_jv_member *m = &r->res[i]->members[k];
			if (strcmp(m->key, "ok") != 0 && strcmp(m->key, "generated_at") != 0) {
				pm_json_keyn(w, m->key, m->key_len);
				pm_json_value(w, &m->value);
			}
		}
	}
	pm_json_key(w, "generated_at");
	pm_json_value(w, pm_jv_get(r->res[r->n - 1], "generated_at"));
	pm_json_obj_end(w);
	return pm_json_finish(w) == 0 ? w : NULL;
}

/* Damage is reported by analyze_capinfos; a verb without it asks it (from the cache). */
static void
warn_damage(struct run *r, const struct choice *ch, const struct cmdline *c)
{
	const struct pm_tool *t = pm_tool_find("analyze_capinfos");
	const struct pm_jv *args = NULL;
	bool is_error = false;
	for (size_t i = 0; i < MAX_TOOLS && ch->tools[i] != NULL; i++) {
		if (t == NULL || strcmp(ch->tools[i], t->name) == 0) {
			return;
		}
	}
	struct pm_json w;
	pm_json_init(&w, 0);
	pm_json_obj_begin(&w);
	pm_json_kstr(&w, "path", c->file);
	pm_json_obj_end(&w);
	if (pm_json_finish(&w) == 0 &&
	    pm_json_parse((const uint8_t *)w.buf, w.len, &r->arena, &args, NULL) == 0) {
		struct pm_json out;
		const struct pm_jv *res = NULL;
		pm_json_init(&out, 0);
		if (pm_tools_call(&r->ctx, t, args, &out, &is_error) == 0 && !is_error &&
		    pm_json_parse((const uint8_t *)out.buf, out.len, &r->arena, &res, NULL) == 0) {
			print_warnings(c->file, res);
		}
		pm_json_free(&out);
	}
	pm_json_free(&w);
}

/* Call the row's tools with the command line's arguments and print the result. */
static int
run_verb(struct run *r, const struct verb *v, const struct choice *ch, const struct cmdline *c)
{
	bool used[MAX_OPTS] = { false };
	const struct pm_jv *args[MAX_TOOLS] = { NULL };
	size_t nt = 0;
	for (; nt < MAX_TOOLS && ch->tools[nt] != NULL; nt++) {
		const struct pm_tool *t = pm_tool_find(ch->tools[nt]);
		bool table = !c->json && ch->print != NULL;
		if (t == NULL || tool_args(v, ch, t, c, table, used, &r->arena, &args[nt]) != 0) {
			fprintf(stderr, "pcapmcp: %s: no such tool\n", ch->tools[nt]);
			return PM_EXIT_FAIL;
		}
	}
	for (size_t i = 0; i < c->n; i++) {
		if (!used[i] && !(ch->value != NULL && opt_is(c, i, ch->opt))) {
			fprintf(stderr, "pcapmcp: unknown option '--%.*s'\n", (int)c->opt[i].len,
			        c->opt[i].name);
			return PM_EXIT_USAGE;
		}
	}
	for (size_t i = 0; i < nt; i++) {
		int rc = run_tool(r, pm_tool_find(ch->tools[i]), args[i], c->file);
		if (rc != PM_EXIT_OK) {
			return rc;
		}
	}
	const struct pm_json *out = merged(r);
	const struct pm_jv *res = NULL;
	if (out == NULL ||
	    pm_json_parse((const uint8_t *)out->buf, out->len, &r->arena, &res, NULL) != 0) {
		fprintf(stderr, "pcapmcp: %s: the result could not be produced\n", v->name);
		return PM_EXIT_FAIL;
	}
	print_warnings(c->file, res);
	warn_damage(r, ch, c);
	if (c->json || ch->print == NULL) {
		fwrite(out->buf, 1, out->len, stdout);
		fputc('\n', stdout);
	} else {
		ch->print(res, c->file);
	}
	return PM_EXIT_OK;
}

/* A capture verb: parse, pick the tools, call them, print. */
static int
verb_tool(const struct verb *v, int argc, char **argv)
{
	struct cmdline c;
	int rc = parse_cmdline(argc, argv, &c);
	if (rc != PM_EXIT_OK) {
		return rc;
	}
	const struct choice *ch = choose(v, &c);
	if (ch == NULL) {
		return PM_EXIT_USAGE;
	}
	/* The CLI's own settings: no token, no sandbox (see cli_open). */
	static struct pm_config cfg;
	struct pm_error err = { 0 };
	if (pm_config_load_analysis(&cfg, NULL, &err) != 0) {
		fprintf(stderr, "pcapmcp: %s\n", err.msg);
		return PM_EXIT_USAGE;
	}
	struct run *r = calloc(1, sizeof(*r));
	if (r == NULL || pm_tool_ctx_init(&r->ctx, &cfg, &err) != 0) {
		fprintf(stderr, "pcapmcp: out of memory\n");
		free(r);
		return PM_EXIT_FAIL;
	}
	r->ctx.lean = v->lean;
	r->ctx.io = (int)c.io;
	r->ctx.open = cli_open;
	pm_arena_init(&r->arena, 256u << 20);
	for (size_t i = 0; i < PM_ARRAY_LEN(r->out); i++) {
		pm_json_init(&r->out[i], 0);
	}
	rc = run_verb(r, v, ch, &c);
	for (size_t i = 0; i < PM_ARRAY_LEN(r->out); i++) {
		pm_json_free(&r->out[i]);
	}
	pm_arena_free(&r->arena);
	pm_tool_ctx_free(&r->ctx);
	free(r);
	return rc;
}

/*
 * Run tool t with the JSON arguments in text under cfg and print its
 * result; open, when not NULL, replaces the sandbox for capture paths.
 * Returns an exit code.
 */
static int
call_print(const struct pm_config *cfg, const struct pm_tool *t, const char *text,
           pm_tool_open_fn open)
{
	struct pm_error err = { 0 };
	struct pm_arena arena;
	pm_arena_init(&arena, 64u << 20);
	const struct pm_jv *args = NULL;
	if (pm_json_parse((const uint8_t *)text, strlen(text), &arena, &args, &err) != 0) {
		fprintf(stderr, "pcapmcp: arguments are not valid JSON (byte %zu): %s\n",
		        err.offset, err.msg);
		pm_arena_free(&arena);
		return PM_EXIT_USAGE;
	}
	struct pm_tool_ctx ctx;
	int rc = pm_tool_ctx_init(&ctx, cfg, &err);
	ctx.open = open;
	struct pm_json w;
	pm_json_init(&w, 0);
	w.pretty = true;
	bool is_error = false;
	if (rc == 0) {
		rc = pm_tools_call(&ctx, t, args, &w, &is_error);
	}
	if (rc == 0) {
		fwrite(w.buf, 1, w.len, stdout);
		fputc('\n', stdout);
	} else {
		fprintf(stderr, "pcapmcp: %s: the result could not be produced\n", t->name);
	}
	pm_json_free(&w);
	pm_tool_ctx_free(&ctx);
	pm_arena_free(&arena);
	return rc != 0 ? PM_EXIT_FAIL : is_error ? PM_EXIT_USAGE : PM_EXIT_OK;
}

/* `pcapmcp call TOOL 'JSON'`: any registered tool, exactly as MCP runs it. */
static int
verb_call(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "pcapmcp: usage: pcapmcp call TOOL ['{\"arg\": ...}']\n");
		return PM_EXIT_USAGE;
	}
	const struct pm_tool *t = pm_tool_find(argv[2]);
	if (t == NULL) {
		fprintf(stderr, "pcapmcp: unknown tool '%s' (pcapmcp tools lists them)\n", argv[2]);
		return PM_EXIT_USAGE;
	}
	static struct pm_config cfg;
	struct pm_error err = { 0 };
	if (pm_config_load(&cfg, NULL, &err) != 0) {
		fprintf(stderr, "pcapmcp: configuration: %s\n", err.msg);
		return PM_EXIT_USAGE;
	}
	return call_print(&cfg, t, argc == 4 ? argv[3] : "{}", NULL);
}

/*
 * `pcapmcp enrich [--offline] IP...` and `enrich [--offline] --capture FILE
 * [--top N]`: enrich_ip for one address, correlate for several,
 * enrich_capture for a capture (opened as the other verbs do, without the
 * sandbox). Not a row of the verb table: its positional arguments are
 * addresses, and it reads the databases and keys from the environment.
 */
static int
verb_enrich(int argc, char **argv)
{
	static struct pm_config cfg;
	struct pm_error err = { 0 };
	const char *capture = NULL, *top = NULL, *first = NULL;
	char ips[4096] = "";
	int n = 0;
	if (pm_config_load(&cfg, NULL, &err) != 0) {
		fprintf(stderr, "pcapmcp: configuration: %s\n", err.msg);
		return PM_EXIT_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--offline") == 0) {
			cfg.offline = true;
		} else if (strcmp(argv[i], "--json") == 0) {
			continue; /* the result is JSON either way */
		} else if (strcmp(argv[i], "--capture") == 0 && i + 1 < argc) {
			capture = argv[++i];
		} else if (strcmp(argv[i], "--top") == 0 && i + 1 < argc) {
			top = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "pcapmcp: enrich: unknown option '%s'\n", argv[i]);
			return PM_EXIT_USAGE;
		} else {
			first = first != NULL ? first : argv[i];
			size_t len = strlen(ips);
			snprintf(ips + len, sizeof(ips) - len, "%s%s", len > 0 ? " " : "", argv[i]);
			n++;
		}
	}
	char *end = NULL;
	long long top_n = top != NULL ? strtoll(top, &end, 10) : 0;
	if ((capture == NULL) == (n == 0) || (top != NULL && (capture == NULL || *end != '\0'))) {
		fprintf(stderr, "pcapmcp: usage: pcapmcp enrich [--offline] IP... | "
		                "enrich [--offline] --capture FILE [--top N]\n");
		return PM_EXIT_USAGE;
	}
	struct pm_json w;
	const char *name = capture != NULL ? "enrich_capture" : n == 1 ? "enrich_ip" : "correlate";
	pm_json_init(&w, 0);
	pm_json_obj_begin(&w);
	if (capture != NULL) {
		pm_json_kstr(&w, "path", capture);
		if (top != NULL) {
			pm_json_ki64(&w, "top_n", top_n);
		}
	} else {
		pm_json_kstr(&w, n == 1 ? "ip" : "ips", n == 1 ? first : ips);
	}
	pm_json_obj_end(&w);
	int rc = pm_json_finish(&w) == 0 ? call_print(&cfg, pm_tool_find(name), w.buf, cli_open)
	                                 : PM_EXIT_FAIL;
	pm_json_free(&w);
	return rc;
}

/* `pcapmcp serve [--tools LIST]`: the MCP server on stdin/stdout. */
static int
verb_serve(int argc, char **argv)
{
	static struct pm_config cfg;
	struct pm_error err = { 0 };
	const char *tools = NULL;
	for (int i = 2; i < argc; i++) {
		if (strncmp(argv[i], "--tools=", 8) == 0) {
			tools = argv[i] + 8;
		} else if (strcmp(argv[i], "--tools") == 0 && i + 1 < argc) {
			tools = argv[++i];
		} else {
			fprintf(stderr, "pcapmcp: serve takes only --tools LIST, not '%s'\n",
			        argv[i]);
			return PM_EXIT_USAGE;
		}
	}
	if (pm_config_load(&cfg, NULL, &err) != 0) {
		fprintf(stderr, "pcapmcp: configuration: %s\n", err.msg);
		return PM_EXIT_USAGE;
	}
	return pm_mcp_serve(&cfg, tools != NULL ? tools : cfg.tools, STDIN_FILENO, STDOUT_FILENO);
}

/* `pcapmcp tools`: the registry, one line a tool. */
static int
verb_tools(void)
{
	size_t n;
	const struct pm_tool *t = pm_tools(&n);
	for (size_t i = 0; i < n; i++) {
		printf("%-30s %-10s %s\n", t[i].name, pm_tool_group_name(t[i].group), t[i].title);
	}
	return PM_EXIT_OK;
}

/* see cli.h */
int
pm_cli_main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return PM_EXIT_USAGE;
	}
	const char *verb = argv[1];
	for (size_t i = 0; i < PM_ARRAY_LEN(verbs); i++) {
		if (strcmp(verb, verbs[i].name) == 0) {
			return verb_tool(&verbs[i], argc, argv);
		}
	}
	if (strcmp(verb, "serve") == 0) {
		return verb_serve(argc, argv);
	}
	if (strcmp(verb, "call") == 0) {
		return verb_call(argc, argv);
	}
	if (strcmp(verb, "enrich") == 0) {
		return verb_enrich(argc, argv);
	}
	if (strcmp(verb, "tools") == 0) {
		if (argc > 2 && strcmp(argv[2], "--markdown") == 0) {
			return pm_tools_markdown(stdout) == 0 ? PM_EXIT_OK : PM_EXIT_FAIL;
		}
		return verb_tools();
	}
	if (strcmp(verb, "version") == 0 || strcmp(verb, "--version") == 0) {
		printf("pcapmcp %s\n", PM_VERSION);
		return PM_EXIT_OK;
	}
	if (strcmp(verb, "help") == 0 || strcmp(verb, "--help") == 0 || strcmp(verb, "-h") == 0) {
		usage(stdout);
		return PM_EXIT_OK;
	}
	fprintf(stderr, "pcapmcp: unknown verb '%s'\n", verb);
	usage(stderr);
	return PM_EXIT_USAGE;
}

/* SPDX-License-Identifier: MIT */
/*
 * label.c - application labels: the port table (IANA service names and port
 * numbers registry, the entries analysts expect) and first-payload checks.
 * Every payload byte is read through the cursor; the checks reject most
 * mid-stream segments on their first byte.
 */
#include "label.h"

#include <string.h>

#include "cursor.h"
#include "decode.h"
#include "dns.h"
#include "quic.h"

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

/* see label.h */
const char *
pm_app_name(enum pm_app a)
{
	return (size_t)a < PM_APP_COUNT ? app_names[a] : "unknown";
}

/* see label.h */
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

/* see label.h */
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

/* Whether the bytes at the cursor begin with s (the cursor does not move). */
static bool
starts(const struct pm_cur *c, const char *s)
{
	struct pm_cur t = *c;
	size_t l = strlen(s);
	const uint8_t *p = pm_cur_bytes(&t, l);
	return p != NULL && memcmp(p, s, l) == 0;
}

static enum pm_app
tcp_payload(const struct pm_cur *c)
{
	/* Most segments are mid-stream data: reject them on the first byte. */
	uint8_t b0 = pm_cur_peek(c, 0);
	if ((b0 == 0 || strchr("GPHDOCSIER+*", b0) == NULL) && (b0 < 20 || b0 > 23)) {
		return PM_APP_UNKNOWN;
	}
	static const char *const http[] = { "GET ",    "POST ",       "HEAD ",  "PUT ",
		                            "DELETE ", "OPTIONS ",    "PATCH ", "CONNECT ",
		                            "HTTP/1.", "PRI * HTTP/2" };
	for (size_t i = 0; i < PM_ARRAY_LEN(http); i++) {
		if (starts(c, http[i])) {
			return PM_APP_HTTP;
		}
	}
	/* TLS record: handshake (22) or alert/CCS/data, version 3.x (RFC 8446 §5.1) */
	if (pm_cur_left(c) >= 5 && b0 >= 20 && b0 <= 23 && pm_cur_peek(c, 1) == 3 &&
	    pm_cur_peek(c, 2) <= 4) {
		return PM_APP_TLS;
	}
	if (starts(c, "SSH-")) {
		return PM_APP_SSH;
	}
	if (starts(c, "INVITE sip:") || starts(c, "REGISTER sip:") || starts(c, "SIP/2.0 ")) {
		return PM_APP_SIP;
	}
	if (starts(c, "EHLO ") || starts(c, "HELO ")) {
		return PM_APP_SMTP;
	}
	if (starts(c, "+OK")) {
		return PM_APP_POP3;
	}
	if (starts(c, "* OK")) {
		return PM_APP_IMAP;
	}
	return PM_APP_UNKNOWN;
}

/*
 * A client's first Initial on any port: a long header (fixed bit or not), a
 * version of a known family (v1, v2, a draft, or a GREASE version forcing a
 * negotiation) and a connection ID of at most
 * 20 bytes, in a datagram padded to 1200 bytes (RFC 9000 §14.1).
 */
static bool
quic_initial_any_port(const struct pm_cur *c)
{
	struct pm_cur q = *c;
	uint8_t b0 = pm_cur_u8(&q);
	uint32_t v = pm_cur_be32(&q);
	uint8_t dcil = pm_cur_u8(&q);
	enum pm_quic_family f = pm_quic_family(v);
	return pm_cur_left(c) >= 1200 && pm_cur_ok(&q) && (b0 & 0x80) && dcil <= 20 &&
	       (f == PM_QUIC_FAM_V1 || f == PM_QUIC_FAM_V2 || f == PM_QUIC_FAM_DRAFT ||
	        f == PM_QUIC_FAM_GREASE);
}

#define BOOTP_COOKIE_AT 236        /* RFC 2131 §3: after the fixed BOOTP header */
#define BOOTP_COOKIE    0x63825363 /* RFC 2131 §3: 99.130.83.99 */

/* see label.h */
enum pm_app
pm_app_by_payload(uint8_t proto, uint16_t sport, uint16_t dport, const uint8_t *p, size_t n)
{
	if (p == NULL || n == 0) {
		return PM_APP_UNKNOWN;
	}
	struct pm_cur c = pm_cur_init(p, n);
	if (proto == PM_IPPROTO_TCP) {
		return tcp_payload(&c);
	}
	if (proto != PM_IPPROTO_UDP) {
		return PM_APP_UNKNOWN;
	}
	/* QUIC long header: form bit and fixed bit set, a version (RFC 9000 §17.2). */
	if ((sport == 443 || dport == 443) && n >= 5 && (pm_cur_peek(&c, 0) & 0xC0) == 0xC0) {
		return PM_APP_QUIC;
	}
	if (quic_initial_any_port(&c)) {
		return PM_APP_QUIC;
	}
	struct pm_cur boot = c;
	pm_cur_skip(&boot, BOOTP_COOKIE_AT);
	if (pm_cur_be32(&boot) == BOOTP_COOKIE && pm_cur_ok(&boot)) {
		return PM_APP_DHCP;
	}
	if (starts(&c, "SIP/2.0 ") || starts(&c, "INVITE sip:") || starts(&c, "REGISTER sip:") ||
	    starts(&c, "OPTIONS sip:")) {
		return PM_APP_SIP;
	}
	/* DNS on a port the table does not know (NetBIOS name service looks alike). */
	if (pm_app_by_port(proto, sport) == PM_APP_UNKNOWN &&
	    pm_app_by_port(proto, dport) == PM_APP_UNKNOWN && pm_dns_looks_like(p, n)) {
		return PM_APP_DNS;
	}
	return PM_APP_UNKNOWN;
}

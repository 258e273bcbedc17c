/* SPDX-License-Identifier: MIT */
/*
 * label.h - application labels for flows: by well-known port (the IANA
 * service registry's common entries) and by the first payload bytes of a
 * direction (request lines, TLS record headers, banners, the BOOTP cookie,
 * QUIC long headers, a DNS header and question on a port the table does
 * not name). A label is a guess an analyser may confirm; nothing here
 * parses a protocol beyond its first message's header.
 */
#ifndef PM_LABEL_H
#define PM_LABEL_H

#include <stddef.h>
#include <stdint.h>

/* Application labels. */
enum pm_app {
	PM_APP_UNKNOWN = 0,
	PM_APP_HTTP,
	PM_APP_TLS,
	PM_APP_DNS,
	PM_APP_QUIC,
	PM_APP_SSH,
	PM_APP_SMTP,
	PM_APP_DHCP,
	PM_APP_NTP,
	PM_APP_SIP,
	PM_APP_FTP,
	PM_APP_TELNET,
	PM_APP_POP3,
	PM_APP_IMAP,
	PM_APP_SNMP,
	PM_APP_LDAP,
	PM_APP_SMB,
	PM_APP_RDP,
	PM_APP_MYSQL,
	PM_APP_POSTGRES,
	PM_APP_REDIS,
	PM_APP_MDNS,
	PM_APP_LLMNR,
	PM_APP_NETBIOS,
	PM_APP_SYSLOG,
	PM_APP_BGP,
	PM_APP_COUNT
};

enum pm_label_src {
	PM_LABEL_NONE = 0,
	PM_LABEL_PORT,    /* from a well-known port */
	PM_LABEL_PAYLOAD, /* from the first payload bytes */
};

/* "HTTP", "TLS", ...; "unknown" for PM_APP_UNKNOWN and out-of-range values. */
const char *pm_app_name(enum pm_app a);

/* "port", "payload" or "none". */
const char *pm_label_src_name(enum pm_label_src s);

/* The label a port suggests for an IP protocol, or PM_APP_UNKNOWN. */
enum pm_app pm_app_by_port(uint8_t proto, uint16_t port);

/*
 * The label the first n payload bytes at p suggest (TCP or UDP between
 * sport and dport), or PM_APP_UNKNOWN. Reads only [p, p + n).
 */
enum pm_app pm_app_by_payload(uint8_t proto, uint16_t sport, uint16_t dport, const uint8_t *p,
                              size_t n);

#endif /* PM_LABEL_H */

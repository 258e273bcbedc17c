/* SPDX-License-Identifier: MIT */
/*
 * pcap.h - the classic libpcap file format walker (draft-ietf-opsawg-pcap).
 *
 * Called by capture.c once the magic table has chosen the format (c->format)
 * and the byte order (c->big_endian). Reads through the capture's byte source
 * (source.h) and fills its metadata (capmeta.h); knows nothing of pcapng.
 */
#ifndef PM_PCAP_H
#define PM_PCAP_H

#include <stddef.h>

#include "pm.h"

struct pm_capture;
struct pm_rec;

/*
 * Read the 24-byte file header at the start of the window: one section, one
 * interface. Returns 0, PM_E_TRUNC, PM_E_UNSUPPORTED (version other than 2.x),
 * PM_E_MALFORMED (reserved link-type bits) or PM_E_NOMEM, with err filled.
 */
PM_MUST_CHECK int pm_pcap_open(struct pm_capture *c, struct pm_error *err);

/*
 * Read the next record into *r. Returns 1 for a record, 0 when the walk has
 * ended (end of file, or damage recorded in the source).
 */
int pm_pcap_next(struct pm_capture *c, struct pm_rec *r);

/*
 * Bytes from the walk position that the next pm_pcap_next asks the source
 * for: the record header, plus the record's captured length when the
 * header is already in the window. Reads the window only.
 */
size_t pm_pcap_peek(const struct pm_capture *c);

#endif /* PM_PCAP_H */

/* SPDX-License-Identifier: MIT */
/*
 * pcapng.h - the PCAP Next Generation format walker (draft-ietf-opsawg-pcapng).
 *
 * Called by capture.c once the magic table has chosen pcapng. Reads blocks
 * through the capture's byte source (source.h), keeping each section's byte
 * order, and fills the capture's interfaces, sections, name-resolution
 * entries and block counts (capmeta.h); knows nothing of classic pcap.
 */
#ifndef PM_PCAPNG_H
#define PM_PCAPNG_H

#include <stddef.h>

#include "pm.h"

struct pm_capture;
struct pm_rec;

/*
 * Read the first Section Header Block. Returns 0, or the damage code
 * (PM_E_TRUNC when empty, PM_E_MALFORMED, PM_E_UNSUPPORTED) with err filled.
 */
PM_MUST_CHECK int pm_pcapng_open(struct pm_capture *c, struct pm_error *err);

/*
 * Read blocks until the next packet (EPB, SPB or PB) and hand it out in *r.
 * Returns 1 for a record, 0 when the walk has ended (end of file, or damage
 * recorded in the source).
 */
int pm_pcapng_next(struct pm_capture *c, struct pm_rec *r);

/*
 * Bytes from the walk position that the next pm_pcapng_next asks the source
 * for, at most: the blocks up to and including the next packet block, as
 * far as their headers are in the window (each section header switching the
 * byte order as the walk does), plus the first header or block that is not.
 * Reads the window only; stops at a length the walk would call damage.
 */
size_t pm_pcapng_peek(const struct pm_capture *c);

#endif /* PM_PCAPNG_H */

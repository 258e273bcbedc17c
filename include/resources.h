/* SPDX-License-Identifier: MIT */
/*
 * resources.h - the MCP resources: the captures under the allowed directory,
 * each named by a file:// URI.
 *
 * Finds captures with a bounded walk of the directory tree that recognises
 * files by their pcap or pcapng magic, writes them as the resources/list
 * array, and maps a file:// URI back to a path (RFC 3986 §2.1, RFC 8089).
 * Knows nothing of JSON-RPC: mcp.c wraps these in resources/list and
 * resources/read, and the sandbox (sandbox.h) checks every path read.
 */
#ifndef PM_RESOURCES_H
#define PM_RESOURCES_H

#include <limits.h> /* PATH_MAX */
#include <stddef.h>

#include "pm.h" /* enum pm_err, PM_MUST_CHECK */

struct pm_arena;
struct pm_json;

#define PM_RESOURCES_MAX        200            /* captures listed by resources/list, per page */
#define PM_RESOURCES_CURSOR_MAX (PATH_MAX + 8) /* bytes of a nextCursor, NUL included */

/*
 * Write to w the "resources" array of a resources/list result: one object
 * (uri, name, mimeType, size in bytes) per capture under root, sorted by
 * name, at most PM_RESOURCES_MAX of them. name is relative to root; uri is
 * "file://" plus root/name, percent-encoded except unreserved characters and
 * '/' (RFC 3986 §2.3).
 *
 * The walk visits root and seven levels below it, looks at no more than 10000
 * directory entries and keeps the first 2000 captures it finds before
 * sorting, so a huge tree yields a bounded, possibly partial list. It skips
 * names starting with '.', follows no symlinks, and counts as a capture a
 * regular file whose first 4 bytes are a pcap magic (either byte order;
 * microsecond, nanosecond or modified) or the pcapng one. Unreadable
 * directories and files are skipped silently.
 *
 * The table of captures and their names are allocated from a and live as
 * long as it does; w holds copies. Returns 0, or PM_E_NOMEM with nothing
 * written to w when a cannot hold the table.
 */
PM_MUST_CHECK int pm_resources_list(struct pm_json *w, const char *root, struct pm_arena *a);

/*
 * One page of resources/list (MCP pagination): the "resources" array as
 * pm_resources_list writes it, but starting after cursor, the opaque text a
 * previous page handed out (NULL or "" for the first page). When captures
 * remain after the page, writes the cursor of the next one to next
 * (PM_RESOURCES_CURSOR_MAX bytes; the result's nextCursor), else makes it "".
 * The cursor is "after:" and the name of the page's last capture, so a
 * capture added or removed between calls neither repeats nor shifts others.
 *
 * Returns 0; PM_E_MALFORMED, with nothing written, for a cursor this
 * function never hands out (the dispatcher answers -32602 Invalid params);
 * or PM_E_NOMEM as pm_resources_list.
 *
 * The dispatcher's resources/list: read params.cursor (a string, else
 * absent), call this with m->cfg->allowed_dir, and after the array write
 * "nextCursor": next when next[0] != '\0'.
 */
PM_MUST_CHECK int pm_resources_list_page(struct pm_json *w, const char *root, struct pm_arena *a,
                                         const char *cursor, char next[PM_RESOURCES_CURSOR_MAX]);

/*
 * Write to w the value of resources/templates/list's "resourceTemplates": an
 * array with one template for a capture by its path relative to root,
 * {uriTemplate: "file://" + root percent-encoded + "/{+path}" (RFC 6570
 * reserved expansion, so '/' stays), name "capture", title, description,
 * mimeType}. A URI expanded from it is what resources/read and every
 * tool's path accept.
 */
void pm_resources_templates(struct pm_json *w, const char *root);

/*
 * Percent-decode the path of the file:// URI uri (empty authority, so
 * "file:///...") into out, NUL-terminated, within cap bytes. Returns 0,
 * PM_E_MALFORMED when uri is not such a URI, holds a bad percent escape or
 * encodes a NUL (%00), or PM_E_LIMIT when the path does not fit in cap bytes.
 * The path is not checked further: callers pass it to pm_sandbox_resolve.
 */
PM_MUST_CHECK int pm_resources_uri_path(const char *uri, char *out, size_t cap);

#endif /* PM_RESOURCES_H */

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mk_http_expected.sh - regenerate tests/http_expected.tsv, the oracle that
# tests/test_http.c checks the HTTP analyser (src/httpflow.c) against.
#
#   tests/mk_http_expected.sh [CORPUS_DIR [OUT_TSV]]
#
# A maintainer tool: CI only reads the TSV. Needs python3 and tshark (4.0.17
# was used).
#
# For every pcap/pcapng of the corpus (MANIFEST.tsv) and captures/*.pcap*
# holding the bytes "HTTP/1." somewhere:
#   tshark -r FILE -Y 'tcp && http.request' -T fields -E occurrence=a \
#     -e http.request.method -e http.host -e http.request.uri
#   tshark -r FILE -Y 'tcp && http.response' -T fields -E occurrence=a \
#     -e http.response.code
# Rows: FILE <tab> requests|responses|method|status|host|uri <tab> VALUE
# <tab> COUNT (requests and responses have the value "-").
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:-$here/../../shared/corpus}
out=${2:-$here/http_expected.tsv}
tshark=${TSHARK:-/usr/bin/tshark}

[ -d "$corpus" ] || { echo "mk_http_expected: no corpus at $corpus" >&2; exit 1; }
[ -x "$tshark" ] || { echo "mk_http_expected: no tshark at $tshark" >&2; exit 1; }

export LC_ALL=C TZ=UTC
exec python3 - "$corpus" "$here/.." "$out" "$tshark" <<'PYTHON'
import collections, os, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

corpus, root, out, tshark = sys.argv[1:5]

sys.path.insert(0, os.path.join(root, "tests"))
from mkcorpus import capture_files  # noqa: E402

files = capture_files(corpus, root)

def fields(path, filt, names):
    cmd = [tshark, "-r", path, "-Y", filt, "-T", "fields", "-E", "occurrence=a",
           "-E", "aggregator=\x01"]
    for n in names:
        cmd += ["-e", n]
    r = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=120)
    if r.returncode != 0:
        return None
    rows = []
    for line in r.stdout.splitlines():
        cols = [c.split("\x01") for c in (line.split("\t") + [""] * len(names))[:len(names)]]
        for i in range(max(len(c) for c in cols)):
            rows.append([c[i] if i < len(c) else "" for c in cols])
    return rows

def run(item):
    kind, rel = item
    path = os.path.join(corpus, rel) if kind == "corpus" else os.path.join(root, rel)
    try:
        with open(path, "rb") as fh:
            if b"HTTP/1." not in fh.read():
                return rel, None
    except OSError:
        return rel, None
    try:
        req = fields(path, "tcp && http.request", ["http.request.method", "http.host", "http.request.uri"])
        resp = fields(path, "tcp && http.response", ["http.response.code"])
    except subprocess.TimeoutExpired:
        return rel, None
    if req is None or resp is None:
        return rel, None
    c = collections.Counter()
    for method, host, uri in req:
        c[("requests", "-")] += 1
        c[("method", method)] += 1
        if host:
            c[("host", host)] += 1
        c[("uri", uri)] += 1
    for (code,) in resp:
        c[("responses", "-")] += 1
        c[("status", code)] += 1
    return rel, c

with ThreadPoolExecutor(max_workers=2) as ex:
    results = list(ex.map(run, files))

with open(out, "w") as o:
    o.write("# made by tests/mk_http_expected.sh with %s\n" % tshark)
    o.write("# file\tkind\tvalue\tcount\n")
    for rel, c in sorted(results, key=lambda x: x[0]):
        if not c:
            continue
        for (kind, value), n in sorted(c.items()):
            o.write("%s\t%s\t%s\t%d\n" % (rel, kind, value, n))
PYTHON

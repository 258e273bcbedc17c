#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mk_tls_expected.sh - regenerate tests/tls_expected.tsv, the oracle that
# tests/test_tls.c checks the TLS analyser (src/tlsstats.c) against.
#
#   tests/mk_tls_expected.sh [CORPUS_DIR [OUT_TSV]]
#
# A maintainer tool: CI only reads the TSV. Needs python3 and tshark (4.0.17
# was used; it has no JA4, so JA4 is checked against the JA4 reference's
# published example in test_tls.c instead).
#
# For every pcap/pcapng of the corpus (MANIFEST.tsv) and captures/*.pcap*:
#   tshark -r FILE -o tcp.desegment_tcp_streams:TRUE \
#     -Y 'tls.handshake.type == 1 || tls.handshake.type == 2' -T fields \
#     -e tcp.stream -e tls.handshake.type -e tls.handshake.ja3 \
#     -e tls.handshake.ja3s -e tls.handshake.extensions_server_name \
#     -e tls.handshake.ciphersuite
# Each TCP stream contributes its first ClientHello (ja3, sni) and first
# ServerHello that is not a HelloRetryRequest (ja3s, cipher), as the
# analyser keeps one row per connection. QUIC (UDP) handshakes are left out.
# Files without the bytes of a handshake record header (16 03 0x .. 01/02)
# are not given to tshark. Rows: FILE <tab> ja3|ja3s|sni|cipher <tab> VALUE <tab> COUNT, one per
# distinct value, sorted.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:-$here/../../shared/corpus}
out=${2:-$here/tls_expected.tsv}
tshark=${TSHARK:-/usr/bin/tshark}

[ -d "$corpus" ] || { echo "mk_tls_expected: no corpus at $corpus" >&2; exit 1; }
[ -x "$tshark" ] || { echo "mk_tls_expected: no tshark at $tshark" >&2; exit 1; }

export LC_ALL=C TZ=UTC
exec python3 - "$corpus" "$here/.." "$out" "$tshark" <<'PYTHON'
import collections, os, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

corpus, root, out, tshark = sys.argv[1:5]
HRR = "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c"

sys.path.insert(0, os.path.join(root, "tests"))
from mkcorpus import HELLO, capture_files  # noqa: E402

files = capture_files(corpus, root)

def run(item):
    kind, rel = item
    path = os.path.join(corpus, rel) if kind == "corpus" else os.path.join(root, rel)
    try:
        with open(path, "rb") as fh:
            if not HELLO.search(fh.read()):
                return rel, None  # no TLS handshake record header anywhere: skip tshark
    except OSError:
        return rel, None
    cmd = [tshark, "-r", path, "-o", "tcp.desegment_tcp_streams:TRUE",
           "-Y", "tcp && (tls.handshake.type == 1 || tls.handshake.type == 2)",
           "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|",
           "-e", "tcp.stream", "-e", "tls.handshake.type", "-e", "tls.handshake.ja3",
           "-e", "tls.handshake.ja3s", "-e", "tls.handshake.extensions_server_name",
           "-e", "tls.handshake.ciphersuite", "-e", "tls.handshake.random"]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return rel, None
    if r.returncode != 0:
        return rel, None
    first_ch, first_sh = {}, {}
    for line in r.stdout.splitlines():
        f = (line.split("\t") + [""] * 7)[:7]
        stream, types = f[0], f[1].split("|")
        ja3, ja3s, sni = f[2].split("|"), f[3].split("|"), f[4].split("|")
        ciphers, randoms = f[5].split("|"), f[6].split("|")
        ch = sh = 0
        for i, t in enumerate(types):
            if t == "1":
                if stream not in first_ch:
                    first_ch[stream] = (ja3[ch] if ch < len(ja3) else "",
                                        sni[ch] if ch < len(sni) else "")
                ch += 1
            elif t == "2":
                rnd = randoms[i] if i < len(randoms) else ""
                if stream not in first_sh and rnd != HRR:
                    first_sh[stream] = (ja3s[sh] if sh < len(ja3s) else "",
                                        ciphers[i] if i < len(ciphers) else "")
                sh += 1
    c = collections.Counter()
    for ja3, sni in first_ch.values():
        if ja3:
            c[("ja3", ja3)] += 1
        if sni:
            c[("sni", sni)] += 1
    for ja3s, cipher in first_sh.values():
        if ja3s:
            c[("ja3s", ja3s)] += 1
        if cipher:
            c[("cipher", "0x%04x" % int(cipher, 0))] += 1
    return rel, c

with ThreadPoolExecutor(max_workers=2) as ex:
    results = list(ex.map(run, files))

with open(out, "w") as o:
    o.write("# made by tests/mk_tls_expected.sh with %s\n" % tshark)
    o.write("# file\tkind\tvalue\tcount\n")
    for rel, c in sorted(results, key=lambda x: x[0]):
        if not c:
            continue
        for (kind, value), n in sorted(c.items()):
            o.write("%s\t%s\t%s\t%d\n" % (rel, kind, value, n))
PYTHON

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mk_quic_expected.sh - regenerate tests/quic_expected.tsv, the oracle that
# tests/test_quic.c checks the QUIC analyser (src/quicstats.c) against.
#
#   tests/mk_quic_expected.sh [CORPUS_DIR [OUT_TSV]]
#
# A maintainer tool: CI only reads the TSV. Needs python3 and tshark (4.0.17
# was used). For every pcap/pcapng of the corpus (MANIFEST.tsv) whose path
# names QUIC:
#   tshark -r FILE -Y quic -T fields -e udp.stream -e udp.srcport \
#     -e quic.version -e quic.dcid -e quic.scid \
#     -e tls.handshake.extensions_server_name -e tls.handshake.extensions_alpn_str
# Each UDP stream is one connection; its client sent the stream's first
# packet. From the client's first packet with a version come version, dcid
# and scid; from its first ClientHello the SNI and the first ALPN offered.
# client_cids and server_cids: the distinct non-empty quic.scid values of
# that side's long headers other than version negotiation (quic.version 0),
# in order of first use, the first 4 joined by commas, from its packets
# among the stream's first 64 (the analyser reads that many datagrams).
# Rows: FILE <tab> version|dcid|scid|sni|alpn|client_cids|server_cids <tab>
# VALUE <tab> CONNECTIONS, one per distinct value, sorted.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:-$here/../../shared/corpus}
out=${2:-$here/quic_expected.tsv}
tshark=${TSHARK:-/usr/bin/tshark}

[ -d "$corpus" ] || { echo "mk_quic_expected: no corpus at $corpus" >&2; exit 1; }
[ -x "$tshark" ] || { echo "mk_quic_expected: no tshark at $tshark" >&2; exit 1; }

export LC_ALL=C TZ=UTC
exec python3 - "$corpus" "$out" "$tshark" <<'PYTHON'
import collections, os, subprocess, sys

corpus, out, tshark = sys.argv[1:4]
files = []
with open(os.path.join(corpus, "MANIFEST.tsv")) as m:
    for line in m:
        path = line.split("\t")[0]
        if "quic" in path.lower() and path.endswith((".pcap", ".pcapng", ".cap")):
            files.append(path)

rows = []
for rel in sorted(set(files)):
    cmd = [tshark, "-r", os.path.join(corpus, rel), "-Y", "quic", "-T", "fields",
           "-e", "udp.stream", "-e", "udp.srcport", "-e", "quic.version", "-e", "quic.dcid",
           "-e", "quic.scid", "-e", "tls.handshake.extensions_server_name",
           "-e", "tls.handshake.extensions_alpn_str"]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        continue
    conns = collections.OrderedDict()
    for line in res.stdout.splitlines():
        f = (line.split("\t") + [""] * 7)[:7]
        stream, sport, ver, dcid, scid, sni, alpn = f
        c = conns.setdefault(stream, {"client": sport, "n": 0, "cids": ([], [])})
        c["n"] += 1
        side = c["cids"][0 if sport == c["client"] else 1]
        for v, s in zip(ver.split(","), scid.split(",")):
            if c["n"] <= 64 and v and int(v, 16) != 0 and s and s not in side:
                side.append(s)
        if sport != c["client"]:
            continue
        vers = [v for v in ver.split(",") if v and int(v, 16) != 0]
        if vers and "version" not in c:
            c["version"] = vers[0]
            c["dcid"] = dcid.split(",")[0]
            c["scid"] = scid.split(",")[0]
        if sni and "sni" not in c:
            c["sni"] = sni.split(",")[0]
        if alpn and "alpn" not in c:
            c["alpn"] = alpn.split(",")[0]
    count = collections.Counter()
    for c in conns.values():
        c["client_cids"] = ",".join(c["cids"][0][:4])
        c["server_cids"] = ",".join(c["cids"][1][:4])
        for k in ("version", "dcid", "scid", "sni", "alpn", "client_cids", "server_cids"):
            if c.get(k):
                count[(k, c[k])] += 1
    for (k, v), n in sorted(count.items()):
        rows.append(f"{rel}\t{k}\t{v}\t{n}")

with open(out, "w") as o:
    o.write(f"# made by tests/mk_quic_expected.sh with {tshark}\n")
    o.write("# file\tkind\tvalue\tconnections\n")
    for r in rows:
        o.write(r + "\n")
print(f"mk_quic_expected: {len(rows)} rows", file=sys.stderr)
PYTHON

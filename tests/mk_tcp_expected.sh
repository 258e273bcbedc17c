#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mk_tcp_expected.sh - regenerate tests/tcp_expected.tsv, what tshark's TCP
# analysis says about the connections of the corpus; tests/test_tcp.c checks
# the flow table's TCP bookkeeping (src/flow.c) against it (issue 10).
#
#   tests/mk_tcp_expected.sh [CORPUS_DIR [OUT_TSV]]
#
# A maintainer tool: CI never runs it, CI only reads the TSV. Needs bash,
# python3 and tshark (4.0.17 was used). Takes a few minutes on 2 CPUs.
#
# Which files: every capture of the corpus whose MANIFEST.tsv row says
# pcap/pcapng and tcp, with at most MAX_PACKETS packets, whose frames tshark
# reads (of a file cut short or damaged, those before the damage; a file
# without a TCP connection is left out); tunnels and IP fragments included (the decoder enters the
# one and reassembles the other, as tshark does).
#
# The exact command, once per file (LC_ALL=C TZ=UTC):
#
#   tshark -2 -n -r FILE -o tcp.desegment_tcp_streams:FALSE \
#     -o tcp.analyze_sequence_numbers:TRUE -o tcp.relative_sequence_numbers:FALSE \
#     -o ip.defragment:TRUE -o ipv6.defragment:TRUE \
#     -Y 'tcp and not icmp and not icmpv6' -T fields -E separator=/t -E occurrence=l \
#     -e tcp.stream -e ip.src -e ipv6.src -e tcp.srcport -e ip.dst -e ipv6.dst \
#     -e tcp.dstport -e tcp.flags -e tcp.analysis.retransmission \
#     -e tcp.analysis.fast_retransmission -e tcp.analysis.spurious_retransmission \
#     -e tcp.completeness -e frame.protocols
#
# Two passes (-2), so tcp.completeness on every frame is the connection's
# final value (in one pass a frame shows the value before it). Each field's
# last occurrence is the innermost layer's (inside a tunnel the inner TCP
# header and the inner IP addresses: the IP version is the last ip/ipv6 in
# frame.protocols before the tcp); a reassembled datagram counts once, in
# the frame that completed it, as pcapmcp counts it.
#
# A frame counts as a retransmission when any of the three retransmission
# flags is set. Rows are per connection keyed by the canonical 5-tuple (the
# lower address:port first, as the flow table keys them); when tshark splits
# one 5-tuple into several tcp.stream numbers (a port reused after a close),
# their counts are summed and `streams` says how many.
#
# Output rows (tab-separated):
#   F  file  connections  syn  synack  fin  rst  retrans  handshakes  streams
#      (per-file totals; handshakes = connections whose tcp.completeness has
#       SYN, SYN-ACK and ACK, bits 1|2|4)
#   C  file  a  pa  b  pb  syn  synack  fin  rst  retrans  handshake  streams
#      (per connection: every connection with a retransmission or a RST, and
#       the first MAX_PLAIN others by key; up to MAX_ROWS per file)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:-$here/../../shared/corpus}
out=${2:-$here/tcp_expected.tsv}
tshark=${TSHARK:-/usr/bin/tshark}

[ -d "$corpus" ] || { echo "mk_tcp_expected: no corpus at $corpus" >&2; exit 1; }
[ -x "$tshark" ] || { echo "mk_tcp_expected: no tshark at $tshark" >&2; exit 1; }

export LC_ALL=C TZ=UTC
exec python3 - "$corpus" "$out" "$tshark" <<'PYTHON'
import ipaddress
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

corpus, out_path, tshark = sys.argv[1:4]
MAX_PACKETS = 200000
MAX_ROWS = 60
MAX_PLAIN = 5
CMD = ["-2", "-n", "-o", "tcp.desegment_tcp_streams:FALSE", "-o", "tcp.analyze_sequence_numbers:TRUE",
       "-o", "tcp.relative_sequence_numbers:FALSE", "-o", "ip.defragment:TRUE",
       "-o", "ipv6.defragment:TRUE", "-Y", "tcp and not icmp and not icmpv6",
       "-T", "fields", "-E", "separator=/t", "-E", "occurrence=l",
       "-e", "tcp.stream", "-e", "ip.src", "-e", "ipv6.src", "-e", "tcp.srcport",
       "-e", "ip.dst", "-e", "ipv6.dst", "-e", "tcp.dstport", "-e", "tcp.flags",
       "-e", "tcp.analysis.retransmission", "-e", "tcp.analysis.fast_retransmission",
       "-e", "tcp.analysis.spurious_retransmission", "-e", "tcp.completeness",
       "-e", "frame.protocols"]


def candidates():
    with open(os.path.join(corpus, "MANIFEST.tsv")) as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(head, line.rstrip("\n").split("\t")))
            if not r.get("format", "").startswith("pcap"):
                continue
            protos = r.get("protocols_or_role", "").split(",")
            if "tcp" not in protos:
                continue
            try:
                if int(r.get("packets") or 0) > MAX_PACKETS:
                    continue
            except ValueError:
                continue
            yield r["file"]


def addr_key(a):
    ip = ipaddress.ip_address(a)
    return (ip.version, ip.packed)


def one(path):
    p = subprocess.run([tshark, "-r", os.path.join(corpus, path)] + CMD,
                       capture_output=True, text=True, errors="replace")
    if p.returncode != 0 and not p.stdout:
        return path, None  # unreadable; a file cut short or damaged keeps the frames before
    conns = {}
    for line in p.stdout.splitlines():
        f = line.split("\t")
        if len(f) < 13 or f[0] == "":
            continue
        protos = f[12].split(":")
        if "tcp" not in protos:
            continue
        below = protos[:len(protos) - protos[::-1].index("tcp")]
        ipl = [x for x in below if x in ("ip", "ipv6")]
        if not ipl:
            continue
        src, dst = (f[1], f[4]) if ipl[-1] == "ip" else (f[2], f[5])
        if not src or not dst:
            continue
        try:
            sp, dp, fl = int(f[3]), int(f[6]), int(f[7], 16)
        except ValueError:
            continue
        a, b = (src, sp), (dst, dp)
        if (addr_key(src), sp) > (addr_key(dst), dp):
            a, b = b, a
        c = conns.setdefault((a, b), {"syn": 0, "synack": 0, "fin": 0, "rst": 0,
                                      "retrans": 0, "streams": {}})
        syn, ack = fl & 0x02, fl & 0x10
        c["syn"] += bool(syn and not ack)
        c["synack"] += bool(syn and ack)
        c["fin"] += bool(fl & 0x01)
        c["rst"] += bool(fl & 0x04)
        c["retrans"] += bool(f[8] or f[9] or f[10])
        c["streams"][f[0]] = int(f[11] or 0)
    rows = []
    for (a, b), c in conns.items():
        hs = int(any(v & 7 == 7 for v in c["streams"].values()))
        rows.append((addr_key(a[0]), a[1], addr_key(b[0]), b[1], a[0], b[0], c, hs))
    rows.sort(key=lambda r: r[:4])
    return path, rows


files = sorted(candidates())
with ThreadPoolExecutor(max_workers=2) as ex:
    results = list(ex.map(one, files))
ver = subprocess.run([tshark, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
with open(out_path, "w") as o:
    o.write("# tcp_expected.tsv - tshark's TCP analysis per connection of the corpus;\n"
            "# tests/test_tcp.c checks src/flow.c against it. Generated by\n"
            "# tests/mk_tcp_expected.sh (its header has the command); do not edit by hand.\n"
            "# tshark: %s\n" % ver)
    o.write("# F file connections syn synack fin rst retrans handshakes streams\n"
            "# C file a pa b pb syn synack fin rst retrans handshake streams\n")
    kept = 0
    for path, rows in results:
        if not rows:
            continue
        kept += 1
        tot = [len(rows), 0, 0, 0, 0, 0, 0, 0]
        for r in rows:
            c = r[6]
            for i, k in enumerate(("syn", "synack", "fin", "rst", "retrans")):
                tot[1 + i] += c[k]
            tot[6] += r[7]
            tot[7] += len(c["streams"])
        o.write("F\t%s\t%s\n" % (path, "\t".join(map(str, tot))))
        loud = [r for r in rows if r[6]["retrans"] or r[6]["rst"]]
        plain = [r for r in rows if not (r[6]["retrans"] or r[6]["rst"])][:MAX_PLAIN]
        for r in sorted(loud[:MAX_ROWS] + plain, key=lambda r: r[:4]):
            c = r[6]
            o.write("C\t%s\t%s\t%d\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n" % (
                path, r[4], r[1], r[5], r[3], c["syn"], c["synack"], c["fin"], c["rst"],
                c["retrans"], r[7], len(c["streams"])))
print("mk_tcp_expected: %d of %d files kept" % (kept, len(files)), file=sys.stderr)
PYTHON

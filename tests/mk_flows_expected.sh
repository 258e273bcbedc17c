#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mk_flows_expected.sh - regenerate tests/flows_expected.tsv, the conformance
# oracle that tests/test_flows.c checks the flow engine (src/flow.c) against.
#
#   tests/mk_flows_expected.sh [CORPUS_DIR [OUT_TSV]]
#
# CORPUS_DIR defaults to ../shared/corpus, OUT_TSV to flows_expected.tsv next
# to this script. A maintainer tool: CI never runs it, CI only reads the TSV.
# Needs bash, python3 and tshark (4.0 was used). Takes ~6 min on 2 CPUs.
#
# Which files: captures of the corpus whose MANIFEST.tsv row says pcap/pcapng,
# a link type our decoder knows (Ethernet, SLL, SLL2, raw IP, NULL, LOOP) and
# TCP or UDP, and names no tunnel, label-switching or 802.1ah (PBB)
# encapsulation (the decoder does not enter those); plus any
# captures/*.pcap* of this project. Each is then dissected by tshark and kept
# only when it has no IP fragment, no tunnel (two IP headers outside ICMP
# errors, GRE, VXLAN, Teredo, ...), no PPPoE/MPLS, and tshark's conversation
# frame counts add up to its TCP+UDP packet count. From those, the NMAP scan
# captures, captures with IPv6, with VLAN tags, with hundreds of
# conversations, and then the rest in sha256 order, up to MAX_FILES.
#
# What comes from tshark: the TCP/UDP conversation tables (which tuples exist,
# frames per tuple), the IPv4/IPv6 endpoint tables (tx/rx packets and bytes),
# all with reassembly off. tshark 4.0 prints conversation bytes rounded
# ("227 kB"), so exact conversation bytes are the sum of frame.len over the
# packets tshark dissects with that tuple (a second tshark pass, -T fields);
# the script checks that pass against the table (same tuples, same frames,
# bytes consistent with the rounded figure) and drops the file on any doubt.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:-$here/../../shared/corpus}
out=${2:-$here/flows_expected.tsv}
tshark=${TSHARK:-/usr/bin/tshark}

[ -d "$corpus" ] || { echo "mk_flows_expected: no corpus at $corpus" >&2; exit 1; }
[ -x "$tshark" ] || { echo "mk_flows_expected: no tshark at $tshark" >&2; exit 1; }

export LC_ALL=C TZ=UTC
exec python3 - "$corpus" "$here/.." "$out" "$tshark" <<'PYTHON'
import glob
import ipaddress
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

corpus, project, out_path, tshark = sys.argv[1:5]
MAX_FILES = 70          # captures kept
MAX_PACKETS = 300000    # per capture, to keep the C test fast
MAX_ROWS = 200          # conversation rows and host rows kept per capture
LINKTYPES = {0, 1, 12, 14, 101, 108, 113, 228, 229, 276}
DENY = {"gre", "vxlan", "teredo", "pppoes", "pppoed", "mpls", "gtp", "gtpv2", "l2tp",
        "geneve", "erspan", "ipip", "6to4", "nsh", "lisp", "wccp", "cflow", "etherip",
        "mip6", "ip6ip", "ppp", "pwethheuristic", "mplscw", "isis", "ieee8021ah"}

PREFS = ["-n", "-o", "tcp.desegment_tcp_streams:FALSE", "-o", "ip.defragment:FALSE",
         "-o", "ipv6.defragment:FALSE", "-o", "udp.try_heuristic_first:FALSE"]
L4 = "(tcp or udp) and not icmp and not icmpv6"
BAD = ("ip.flags.mf==1 or ip.frag_offset>0 or ipv6.fraghdr or gre or vxlan or teredo "
       "or l2tp or gtp or pppoes or mpls or (ip and ipv6) "
       "or (count(ip.version)>1 and not icmp) or (count(ipv6.version)>1 and not icmpv6)")
STATS = ["-z", "conv,tcp", "-z", "conv,udp", "-z", "endpoints,ip", "-z", "endpoints,ipv6",
         "-z", "io,stat,0,%s,%s,vlan" % (L4, BAD)]
FIELDS = ["-T", "fields", "-E", "separator=/t", "-e", "frame.len", "-e", "ip.src",
          "-e", "ip.dst", "-e", "ipv6.src", "-e", "ipv6.dst", "-e", "tcp.srcport",
          "-e", "tcp.dstport", "-e", "udp.srcport", "-e", "udp.dstport", "-Y", L4]
UNITS = {"bytes": 1, "kB": 1000, "MB": 1000**2, "GB": 1000**3}


def candidates():
    rows = []
    with open(os.path.join(corpus, "MANIFEST.tsv")) as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(head, line.rstrip("\n").split("\t")))
            if not r.get("format", "").startswith("pcap"):
                continue
            m = re.match(r"(\d+)", r.get("linktype", ""))
            if not m or int(m.group(1)) not in LINKTYPES or "/" in r["linktype"]:
                continue
            protos = set(r.get("protocols_or_role", "").split(","))
            if not protos & {"tcp", "udp"} or protos & DENY:
                continue
            if not r.get("packets", "").isdigit() or int(r["packets"]) > MAX_PACKETS:
                continue
            rows.append((os.path.join(corpus, r["file"]), r["file"], r["sha256"]))
    for p in sorted(glob.glob(os.path.join(project, "captures", "*.pcap*"))):
        rows.append((p, "captures/" + os.path.basename(p), ""))
    return rows


def split_ep(s):
    """'addr:port' (IPv6 with or without brackets) -> (ip_address, port)."""
    a, p = s.rsplit(":", 1)
    return ipaddress.ip_address(a.strip("[]")), int(p)


def key16(ip):
    """The 16 address bytes the flow engine compares: IPv4 in the first 4."""
    return ip.packed + bytes(16 - len(ip.packed))


def canon(proto, e1, e2):
    k1, k2 = (key16(e1[0]), e1[1]), (key16(e2[0]), e2[1])
    if k2 < k1:
        e1, e2 = e2, e1
    return (proto, e1[0], e1[1], e2[0], e2[1])


def run(args):
    p = subprocess.run(args, capture_output=True, text=True, errors="replace")
    return p.returncode, p.stdout, p.stderr


def analyse(cand):
    path, name, _ = cand
    rc, so, se = run([tshark, "-r", path, "-q"] + PREFS + STATS)
    if rc != 0:
        return name, None, "tshark exit %d: %s" % (rc, se.strip()[:100])
    convs, hosts, io, section = {}, {}, None, None
    rowsplit = 0
    for line in so.splitlines():
        if line.startswith("TCP Conversations"):
            section = "tcp"
        elif line.startswith("UDP Conversations"):
            section = "udp"
        elif line.startswith("IPv4 Endpoints") or line.startswith("IPv6 Endpoints"):
            section = "host"
        elif line.startswith("| Interval"):
            section = "io"
        elif line.startswith("====="):
            pass
        elif section in ("tcp", "udp") and "<->" in line:
            t = line.split()
            if len(t) < 14 or t[1] != "<->":
                return name, None, "unparsed conversation line: " + line
            k = canon(section, split_ep(t[0]), split_ep(t[2]))
            n, b = int(t[9]), int(t[10].replace(",", "")) * UNITS[t[11]]
            tol = UNITS[t[11]] - 1
            if k in convs:
                rowsplit += 1
                c = convs[k]
                convs[k] = (c[0] + n, c[1] + b, c[2] + tol)
            else:
                convs[k] = (n, b, tol)
        elif section == "host" and re.match(r"^[0-9a-fA-F:.]+\s+\d", line):
            t = line.split()
            ip = ipaddress.ip_address(t[0])
            hosts[ip] = tuple(int(x) for x in t[3:7])
        elif section == "io" and re.match(r"^\| *[\d.]+ *<>", line):
            cells = [c.strip() for c in line.split("|")[2:-1] if c.strip()]
            io = [int(x) for c in cells for x in c.split()]
    if io is None:
        # io,stat prints no interval row when all packets share one time stamp.
        io = []
        for flt in (L4, BAD, "vlan"):
            rc, fo, _ = run([tshark, "-r", path] + PREFS + ["-T", "fields", "-e",
                                                            "frame.number", "-Y", flt])
            io += [len(fo.split()), 0]
    if len(io) < 6:
        return name, None, "unparsed io,stat line"
    n_l4, n_bad, n_vlan = io[0], io[2], io[4]
    if n_bad:
        return name, None, "%d fragment/tunnel frames" % n_bad
    if sum(c[0] for c in convs.values()) != n_l4:
        return name, None, "conversations hold %d frames, %d TCP/UDP frames" % (
            sum(c[0] for c in convs.values()), n_l4)
    rc, so, se = run([tshark, "-r", path] + PREFS + FIELDS)
    exact = {}
    for line in so.splitlines():
        f = line.split("\t")
        if len(f) != 9:
            return name, None, "unparsed field line: " + line
        src, dst = f[1] or f[3], f[2] or f[4]
        if "," in src or "," in dst or "," in line:
            return name, None, "repeated field: " + line
        proto = "tcp" if f[5] else "udp"
        sp, dp = (f[5], f[6]) if f[5] else (f[7], f[8])
        k = canon(proto, (ipaddress.ip_address(src), int(sp)),
                  (ipaddress.ip_address(dst), int(dp)))
        c = exact.get(k, (0, 0))
        exact[k] = (c[0] + 1, c[1] + int(f[0]))
    if set(exact) != set(convs):
        return name, None, "field pass and conversation table differ in tuples"
    for k, (n, b, tol) in convs.items():
        en, eb = exact[k]
        if en != n:
            return name, None, "frames differ for %s" % (k,)
        # tshark truncates to its unit: exact - unit < rounded <= exact.
        if eb < b or eb - b > tol:
            return name, None, "bytes %d vs table %d for %s" % (eb, b, k)
    res = {"convs": {k: (exact[k][0], exact[k][1]) for k in convs}, "hosts": hosts,
           "vlan": n_vlan, "l4": n_l4, "split": rowsplit}
    return name, res, None


cands = candidates()
with ThreadPoolExecutor(max_workers=os.cpu_count() or 4) as ex:
    results = list(ex.map(analyse, cands))
sha = {c[1]: c[2] for c in cands}
ok = []
for name, res, why in results:
    if res is None:
        print("mk_flows_expected: skip %s: %s" % (name, why), file=sys.stderr)
    else:
        ok.append((name, res))


def rank(item):
    name, r = item
    v6 = any(k[1].version == 6 for k in r["convs"])
    return (0 if name.startswith("captures/") else
            1 if "NMAP_SCAN_ANALYSIS" in name else
            2 if v6 else
            3 if r["vlan"] else
            4 if len(r["convs"]) >= 100 else 5, sha[name], name)


ok.sort(key=rank)
# Keep every class, then fill up; at most 12 per class so one class cannot crowd out the rest.
chosen, per = [], {}
for item in ok:
    c = rank(item)[0]
    if c < 5 and per.get(c, 0) >= (24 if c <= 1 else 12):
        continue
    if len(chosen) >= MAX_FILES:
        break
    per[c] = per.get(c, 0) + 1
    chosen.append(item)
chosen.sort(key=lambda it: it[0])

version = run([tshark, "-v"])[1].splitlines()[0]
nconv = nhost = 0
with open(out_path + ".tmp", "w") as f:
    f.write("""\
# flows_expected.tsv - what tshark says about the TCP/UDP conversations and
# the IP endpoints of %d captures; tests/test_flows.c checks the flow engine
# against it. Generated by tests/mk_flows_expected.sh; do not edit by hand.
# tshark: %s
# commands, once per file (LC_ALL=C TZ=UTC):
#   tshark -r PATH -q %s \\
#     %s
#   tshark -r PATH %s \\
#     %s
# The first gives the conversation tuples and frames, the endpoints and the
# TCP+UDP frame count (which must equal the conversations' frames); the second
# gives exact conversation bytes (sum of frame.len), because tshark 4.0 prints
# conversation bytes rounded to kB/MB. Bytes are frame bytes on the wire.
# tshark splits a TCP tuple into several rows when a port pair is reused; such
# rows are summed here, as the flow engine keeps one flow per tuple.
# PATH is relative to the corpus dir, or to the project when it starts with
# "captures/". Rows, tab-separated, by kind:
#   PATH total tcp_convs udp_convs hosts tcpudp_pkts
#       tcp_convs/udp_convs: distinct TCP/UDP tuples; hosts: IPv4 + IPv6
#       endpoints; tcpudp_pkts: TCP/UDP frames outside ICMP errors
#   PATH tcp|udp a_addr a_port b_addr b_port packets bytes
#       a is the lower endpoint as the flow engine orders them: the 16-byte
#       address (IPv4 in the first 4 bytes, rest zero) compared bytewise,
#       then the port. At most %d per file: the most packets first
#   PATH host addr tx_pkts tx_bytes rx_pkts rx_bytes
#       from endpoints,ip / endpoints,ipv6; at most %d per file, the most
#       packets first
""" % (len(chosen), version, " ".join(PREFS), " ".join(STATS[:8]) + " -z '" + STATS[9] + "'",
       " ".join(PREFS), " ".join(FIELDS[:-1]) + " '" + L4 + "'", MAX_ROWS, MAX_ROWS))
    for name, r in chosen:
        convs, hosts = r["convs"], r["hosts"]
        ntcp = sum(1 for k in convs if k[0] == "tcp")
        f.write("%s\ttotal\t%d\t%d\t%d\t%d\n" % (name, ntcp, len(convs) - ntcp, len(hosts),
                                                 r["l4"]))
        top = sorted(convs.items(), key=lambda kv: (-kv[1][0], kv[0][0], key16(kv[0][1]),
                                                    kv[0][2], key16(kv[0][3]), kv[0][4]))
        for k, (n, b) in sorted(top[:MAX_ROWS], key=lambda kv: (kv[0][0], key16(kv[0][1]),
                                                                 kv[0][2], key16(kv[0][3]),
                                                                 kv[0][4])):
            f.write("%s\t%s\t%s\t%d\t%s\t%d\t%d\t%d\n" % (name, k[0], k[1], k[2], k[3], k[4],
                                                        n, b))
            nconv += 1
        toph = sorted(hosts.items(), key=lambda kv: (-(kv[1][0] + kv[1][2]), kv[0].version,
                                                     key16(kv[0])))
        for ip, (tp, tb, rp, rb) in sorted(toph[:MAX_ROWS],
                                           key=lambda kv: (kv[0].version, key16(kv[0]))):
            f.write("%s\thost\t%s\t%d\t%d\t%d\t%d\n" % (name, ip, tp, tb, rp, rb))
            nhost += 1
os.replace(out_path + ".tmp", out_path)
print("mk_flows_expected: %d candidates, %d usable, %d kept: %d conversation rows, "
      "%d host rows -> %s" % (len(cands), len(ok), len(chosen), nconv, nhost, out_path),
      file=sys.stderr)
PYTHON

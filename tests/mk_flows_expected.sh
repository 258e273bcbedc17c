#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mk_flows_expected.sh - regenerate tests/flows_expected.tsv, the conformance
# oracle that tests/test_conform.c checks the flow engine (src/flow.c) against;
# tests/flows_differences.tsv (kept by hand) lists the rows that differ on
# purpose, each with its reason.
#
#   tests/mk_flows_expected.sh [CORPUS_DIR [OUT_TSV]]
#
# CORPUS_DIR defaults to ../shared/corpus, OUT_TSV to flows_expected.tsv next
# to this script. A maintainer tool: CI never runs it, CI only reads the TSV.
# Needs bash, python3 and tshark (4.0 was used). One tshark run per file: ~15 min of
# CPU; results are cached per file (MK_FLOWS_CACHE, default $TMPDIR/mk_flows_cache) so
# an interrupted run resumes; MK_FLOWS_JOBS sets the parallel tshark runs (2).
#
# Which files: every capture of the corpus whose MANIFEST.tsv row says
# pcap/pcapng, whatever its link type, tunnels or fragments, plus any
# captures/*.pcap* of this project. A file tshark cannot read, or whose
# conversation table and field pass disagree, is a "skip" row with the reason.
#
# What comes from one tshark run per file, with IP reassembly on and TCP
# reassembly off: the TCP/UDP conversation tables (which tuples exist, frames
# per tuple), the IPv4/IPv6 endpoint tables, and fields (every occurrence)
# that walks each frame's layers (frame.protocols) to find its innermost
# TCP/UDP header, giving exact packets and bytes each way per conversation
# (tshark 4.0 prints table bytes rounded). Every tuple of the table must be
# some frame's layer with the same frame count; tuples that are only ever
# an outer layer are tunnel carriers.
#
# The field pass sees the layers as the conversation table does: a frame
# whose TCP or UDP header tshark gave up on (an exception named TCP or
# MPTCP: the header or its options cut short or malformed; a malformed UDP
# header; a TCP data offset below 5; a UDP length below 8) loses that
# innermost layer, since
# tshark's dissector stops before queueing its tap; headers quoted in ICMP
# errors and sFlow samples make no conversation; an IPv4 link-type frame
# holding an IPv6 packet is IPv6; and behind an IPv6 routing header or
# destination options the frame's addresses are tshark's (the Source and
# Destination columns: the routing header's final destination, the home
# address), as tshark keys conversations. A file whose table and field pass
# still disagree is a skip row with the reason.
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
import hashlib
import ipaddress
import os
import pickle
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

corpus, project, out_path, tshark = sys.argv[1:5]
MAX_ROWS = 400          # conversation rows and host rows kept per capture
PREFS = ["-n", "-o", "tcp.desegment_tcp_streams:FALSE", "-o", "ip.defragment:TRUE",
         "-o", "ipv6.defragment:TRUE", "-o", "udp.try_heuristic_first:FALSE"]
BAD = ("ip.flags.mf==1 or ip.frag_offset>0 or ipv6.fraghdr or gre or vxlan or teredo "
       "or l2tp or gtp or pppoes or mpls or geneve or erspan or nsh or macsec or ieee8021ah "
       "or (ip and ipv6) or count(ip.version)>1 or count(ipv6.version)>1")
STATS = ["-z", "conv,tcp", "-z", "conv,udp", "-z", "endpoints,ip", "-z", "endpoints,ipv6",
         "-z", "io,stat,0,%s" % BAD]
FIELDS = ["-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,",
          "-e", "frame.len", "-e", "frame.protocols", "-e", "ip.src", "-e", "ip.dst",
          "-e", "ipv6.src", "-e", "ipv6.dst", "-e", "tcp.srcport", "-e", "tcp.dstport",
          "-e", "udp.srcport", "-e", "udp.dstport", "-e", "_ws.col.Source",
          "-e", "_ws.col.Destination", "-e", "_ws.short", "-e", "_ws.malformed",
          "-e", "_ws.expert.message"]
NF = 15  # fields per line
UNITS = {"bytes": 1, "kB": 1000, "MB": 1000**2, "GB": 1000**3}


def candidates():
    rows = []
    with open(os.path.join(corpus, "MANIFEST.tsv")) as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(head, line.rstrip("\n").split("\t")))
            if r.get("format", "").startswith("pcap"):
                l4 = bool(set(r.get("protocols_or_role", "").split(",")) & {"tcp", "udp"})
                rows.append((os.path.join(corpus, r["file"]), r["file"], r["sha256"], l4))
    for p in sorted(glob.glob(os.path.join(project, "captures", "*.pcap*"))):
        rows.append((p, "captures/" + os.path.basename(p), "", True))
    return rows


def split_ep(s):
    a, p = s.rsplit(":", 1)
    return ipaddress.ip_address(a.strip("[]")), int(p)


def key16(ip):
    return ip.packed + bytes(16 - len(ip.packed))


def canon(proto, e1, e2):
    """(key, dir): dir 0 when e1 is endpoint a."""
    k1, k2 = (key16(e1[0]), e1[1]), (key16(e2[0]), e2[1])
    if k2 < k1:
        return (proto, e2[0], e2[1], e1[0], e1[1]), 1
    return (proto, e1[0], e1[1], e2[0], e2[1]), 0


def run(args):
    p = subprocess.run(args, capture_output=True, text=True, errors="replace")
    return p.returncode, p.stdout, p.stderr


TUNNELS = {"vxlan", "geneve", "gtp", "teredo", "l2tp", "nsh"}  # UDP tunnels pcapmcp enters
PAYLOADS = {"eth", "ip", "ipv6", "ppp"}  # what a tunnel carries (not GTP-C, not L2TP control)


def layers_of(f):
    """The (proto, src, sport, dst, dport, carrier) TCP/UDP layers of one frame, outermost
    first; carrier: a tunnel pcapmcp enters follows the layer."""
    v4s, v4d = f[2].split(",") if f[2] else [], f[3].split(",") if f[3] else []
    v6s, v6d = f[4].split(",") if f[4] else [], f[5].split(",") if f[5] else []
    ts, td = f[6].split(",") if f[6] else [], f[7].split(",") if f[7] else []
    us, ud = f[8].split(",") if f[8] else [], f[9].split(",") if f[9] else []
    i4 = i6 = it = iu = 0
    cur, out = None, []
    toks = f[1].split(":")
    for j, t in enumerate(toks):
        if t in ("icmp", "icmpv6", "sflow"):
            break  # quoted headers (ICMP errors, sFlow samples) make no conversation
        # A header cut short lacks its fields: tshark makes no conversation of it.
        if t == "ip":
            if i4 >= min(len(v4s), len(v4d)):
                if j + 1 < len(toks) and toks[j + 1] == "ipv6":
                    continue  # not IPv4: the ip dissector handed it to ipv6
                break
            cur = (v4s[i4], v4d[i4])
            i4 += 1
        elif t == "ipv6":
            if i6 >= min(len(v6s), len(v6d)):
                break
            cur = (v6s[i6], v6d[i6])
            i6 += 1
        elif t in ("tcp", "udp"):
            if cur is None:
                raise ValueError("transport without IP")
            if t == "tcp":
                if it >= min(len(ts), len(td)):
                    break
                sp, dp = ts[it], td[it]
                it += 1
            else:
                if iu >= min(len(us), len(ud)):
                    break
                sp, dp = us[iu], ud[iu]
                iu += 1
            nxt = toks[j + 1] if j + 1 < len(toks) else ""
            after = toks[j + 2] if j + 2 < len(toks) else ""
            # GTP-C and L2TP control share their tunnel's name: only one carrying a packet is.
            carrier = nxt in TUNNELS and after in PAYLOADS
            out.append((t, ipaddress.ip_address(cur[0]), int(sp), ipaddress.ip_address(cur[1]),
                        int(dp), carrier))
    return out


def transport_cut(f):
    """"tcp" or "udp" when tshark gave up on the transport header before queueing the
    conversation tap: an exception (truncated or malformed) in dissect_tcp or its options
    (MPTCP's too), a malformed UDP header, a TCP data offset below 5, a UDP length below 8
    (a UDP datagram cut short after its header still makes a conversation)."""
    ex = f[12] + "," + f[13]
    if ("Malformed Packet: TCP]" in ex or "Malformed Packet: MPTCP]" in ex or
            ": TCP truncated]" in ex or "Bogus TCP header length (" in f[14]):
        return "tcp"
    if "Malformed Packet: UDP]" in ex or re.search(r"Bad length value \d+ < 8", f[14]):
        return "udp"
    return None


def layers_keyed(f):
    """layers_of, as the conversation table sees them: the innermost layer of a transport
    whose header tshark cut short is dropped (no tap), and behind an IPv6 routing header or
    destination options (home address) of the frame's only IP layer the addresses are
    pinfo's (the Source and Destination columns: routing's final destination, the home
    address), as tshark keys conversations."""
    ls = layers_of(f)
    cut = transport_cut(f)
    if cut is not None:
        for i in range(len(ls) - 1, -1, -1):
            if ls[i][0] == cut:
                ls = ls[:i]
                break
    toks = f[1].split(":")
    ips = [t for t in toks if t in ("ip", "ipv6")]
    if len(ips) == 1 and ("ipv6.routing" in toks or "ipv6.dstopts" in toks) and ls:
        try:
            src, dst = ipaddress.ip_address(f[10]), ipaddress.ip_address(f[11])
        except ValueError:
            return ls
        if src.version == ls[0][1].version == dst.version:
            ls = [(l[0], src, l[2], dst, l[4], l[5]) for l in ls]
    return ls


def analyse(cand):
    path, name = cand[0], cand[1]
    rc, out, se = run([tshark, "-r", path] + PREFS + FIELDS + STATS)
    cut = out.find("\n=====")
    fields_out, so = (out[:cut + 1], out[cut + 1:]) if cut >= 0 else (out, "")
    if "Conversations" not in so:
        return name, None, "tshark rejects the file: %s" % se.strip().splitlines()[-1][:100]
    convs, hosts, n_bad, section = {}, {}, None, None
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
                return name, None, "unparsed conversation line"
            k, _ = canon(section, split_ep(t[0]), split_ep(t[2]))
            convs[k] = convs.get(k, 0) + int(t[9])
        elif section == "host" and re.match(r"^[0-9a-fA-F:.]+\s+\d", line):
            t = line.split()
            hosts[ipaddress.ip_address(t[0])] = tuple(int(x) for x in t[3:7])
        elif section == "io" and re.match(r"^\| *[\d.]+ *<>", line):
            cells = [c.strip() for c in line.split("|")[2:-1] if c.strip()]
            n_bad = int(cells[0].split()[0])
    if n_bad is None:
        rc2, fo, _ = run([tshark, "-r", path] + PREFS + ["-T", "fields", "-e", "frame.number",
                                                         "-Y", BAD])
        n_bad = len(fo.split())
    inner, every, frames, twice = {}, {}, 0, set()
    for line in fields_out.split("\n"):  # not splitlines: text fields may hold \x0c, \x1c, ...
        if not line:
            continue
        f = line.split("\t")
        if len(f) != NF:
            return name, None, "unparsed field line"
        try:
            ls = layers_keyed(f)
        except (IndexError, ValueError) as e:
            return name, None, "field pass: %s" % e
        if not ls:
            continue
        seen = set()
        for i, l in enumerate(ls):
            k, d = canon(l[0], (l[1], l[2]), (l[3], l[4]))
            if k not in seen:
                every[k] = every.get(k, 0) + 1
                seen.add(k)
            else:
                twice.add(k)
            if i == len(ls) - 1 and not l[5]:
                c = inner.setdefault(k, [0, 0, 0, 0])
                c[2 * d] += 1
                c[2 * d + 1] += int(f[0])
                frames += 1
    if set(every) != set(convs) or any(every[k] != convs[k] for k in convs):
        diff = [k for k in set(every) | set(convs) if every.get(k) != convs.get(k)]
        if all(k in twice and convs.get(k, 0) > every.get(k, 0) for k in diff):
            return name, None, ("conversation table and field pass disagree on %d tuples: one "
                                "frame holds the tuple in two layers (an A-MSDU's subframes), "
                                "which the table counts twice" % len(diff))
        return name, None, "conversation table and field pass disagree on %d tuples" % len(diff)
    carriers = sorted(set(every) - set(inner), key=lambda k: (k[0], key16(k[1]), k[2],
                                                              key16(k[3]), k[4]))
    res = {"convs": inner, "carriers": {k: every[k] for k in carriers},
           "hosts": hosts if n_bad == 0 else None, "frames": frames}
    return name, res, None


# Results are cached per file (path, size, mtime, tshark), so an interrupted run resumes.
CACHE = os.environ.get("MK_FLOWS_CACHE", os.path.join(tempfile.gettempdir(), "mk_flows_cache"))
os.makedirs(CACHE, exist_ok=True)
TSHARK_ID = run([tshark, "-v"])[1].splitlines()[0]


def cached(cand):
    st = os.stat(cand[0])
    h = hashlib.sha256(("%s\0%d\0%d\0%s\0%s" % (cand[0], st.st_size, st.st_mtime_ns, TSHARK_ID,
                                                  " ".join(PREFS + FIELDS + STATS))).encode())
    cp = os.path.join(CACHE, h.hexdigest() + ".pickle")
    if os.path.exists(cp):
        with open(cp, "rb") as f:
            return pickle.load(f)
    r = analyse(cand)
    with open(cp + ".tmp", "wb") as f:
        pickle.dump(r, f)
    os.replace(cp + ".tmp", cp)
    return r


cands = candidates()
# Files with TCP or UDP (MANIFEST.tsv says) first: they are the ones that matter most.
cands.sort(key=lambda c: 0 if c[3] else 1)
with ThreadPoolExecutor(max_workers=int(os.environ.get("MK_FLOWS_JOBS", "2"))) as ex:
    results = list(ex.map(cached, cands))
ok, skipped = [], []
for name, res, why in results:
    if res is None:
        skipped.append((name, why))
    else:
        ok.append((name, res))
ok.sort()
skipped.sort()

version = run([tshark, "-v"])[1].splitlines()[0]
nconv = nhost = ncarrier = 0
with open(out_path + ".tmp", "w") as f:
    f.write("""\
# flows_expected.tsv - what tshark says about the TCP/UDP conversations and
# the IP endpoints of %d captures (every pcap/pcapng of the corpus tshark reads,
# and captures/); tests/test_flows.c checks the flow engine against it, less
# the rows tests/flows_differences.tsv lists with their reason.
# Generated by tests/mk_flows_expected.sh; do not edit by hand.
# tshark: %s
# commands, once per file (LC_ALL=C TZ=UTC):
#   tshark -r PATH %s %s %s
# IP fragments are reassembled (as pcapmcp does): a datagram counts once, in
# the frame that completed it, with that frame's bytes. Inside tunnels the
# innermost TCP/UDP header makes the conversation; the tunnel's own UDP
# conversation (VXLAN, GTP-U, ...) is a "carrier" row, which must not be a
# flow in pcapmcp (it reports tunnels apart). Exact bytes are sums of
# frame.len from the field pass, which must agree frame for frame with the
# conversation table. Bytes are frame bytes on the wire.
# Rows, tab-separated, by kind:
#   PATH total tcp_convs udp_convs hosts frames
#       distinct TCP/UDP conversations; hosts: IPv4 + IPv6 endpoints, or -
#       when the file has tunnels or fragments (tshark counts outer and
#       fragment-only endpoints there); frames: frames in those conversations
#   PATH tcp|udp a_addr a_port b_addr b_port a2b_pkts a2b_bytes b2a_pkts b2a_bytes
#       a is the lower endpoint as the flow engine orders them (16-byte
#       address, IPv4 in the first 4, compared bytewise, then the port); at
#       most %d per file, the most packets first
#   PATH carrier udp|tcp a_addr a_port b_addr b_port frames
#   PATH host addr tx_pkts tx_bytes rx_pkts rx_bytes   (at most %d per file)
#   PATH skip reason      files tshark reads that could not be compared
""" % (len(ok), version, " ".join(PREFS), " ".join(FIELDS),
       " ".join(STATS[:8]) + " -z '" + STATS[9] + "'", MAX_ROWS, MAX_ROWS))
    for name, r in ok:
        convs, hosts = r["convs"], r["hosts"]
        ntcp = sum(1 for k in convs if k[0] == "tcp")
        f.write("%s\ttotal\t%d\t%d\t%s\t%d\n" % (name, ntcp, len(convs) - ntcp,
                                               "-" if hosts is None else len(hosts),
                                               r["frames"]))
        order = lambda kv: (kv[0][0], key16(kv[0][1]), kv[0][2], key16(kv[0][3]), kv[0][4])
        top = sorted(convs.items(), key=lambda kv: (-(kv[1][0] + kv[1][2]),) + order(kv))
        for k, c in sorted(top[:MAX_ROWS], key=order):
            f.write("%s\t%s\t%s\t%d\t%s\t%d\t%d\t%d\t%d\t%d\n" % ((name,) + k + tuple(c)))
            nconv += 1
        for k, n in r["carriers"].items():
            f.write("%s\tcarrier\t%s\t%s\t%d\t%s\t%d\t%d\n" % ((name,) + k + (n,)))
            ncarrier += 1
        if hosts:
            toph = sorted(hosts.items(), key=lambda kv: (-(kv[1][0] + kv[1][2]), kv[0].version,
                                                         key16(kv[0])))
            for ip, (tp, tb, rp, rb) in sorted(toph[:MAX_ROWS],
                                               key=lambda kv: (kv[0].version, key16(kv[0]))):
                f.write("%s\thost\t%s\t%d\t%d\t%d\t%d\n" % (name, ip, tp, tb, rp, rb))
                nhost += 1
    for name, why in skipped:
        f.write("%s\tskip\t%s\n" % (name, why))
os.replace(out_path + ".tmp", out_path)
print("mk_flows_expected: %d candidates, %d compared, %d skipped: %d conversation rows, "
      "%d carrier rows, %d host rows -> %s" % (len(cands), len(ok), len(skipped), nconv,
                                                ncarrier, nhost, out_path), file=sys.stderr)
PYTHON

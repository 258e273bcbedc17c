#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mk_corpus_expected.sh - regenerate tests/corpus_expected.tsv, the conformance
# oracle that tests/test_corpus.c checks the capture reader against.
#
#   tests/mk_corpus_expected.sh [CORPUS_DIR [OUT_TSV]]
#
# CORPUS_DIR defaults to ../shared/corpus, OUT_TSV to corpus_expected.tsv next
# to this script. A maintainer tool: CI never runs it, CI only reads the TSV.
# Needs bash, python3 and Wireshark's capinfos (4.0 was used). Takes ~30 s.
#
# Which files: every file under CORPUS_DIR whose first bytes are a classic pcap
# magic (a1b2c3d4, a1b23c4d, a1b2cd34, either byte order) or a pcapng SHB
# (0a0d0d0a), whatever its extension, plus the files MANIFEST.tsv lists with an
# "other(magic ...)" format (snoop, zstd, stray blocks), which capinfos may
# read although they are not pcap/pcapng.
#
# What comes from capinfos: status, packet count, interface count, earliest and
# latest packet time, time order. What comes from a small block walker in this
# script: the LINKTYPE_* numbers (capinfos prints Wireshark's encapsulation
# names, not LINKTYPE numbers); it also recomputes counts and times and reports
# every disagreement with capinfos on stderr.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:-../shared/corpus}
out=${2:-$here/corpus_expected.tsv}
capinfos=${CAPINFOS:-/usr/bin/capinfos}

[ -d "$corpus" ] || { echo "mk_corpus_expected: no corpus at $corpus" >&2; exit 1; }
[ -x "$capinfos" ] || { echo "mk_corpus_expected: no capinfos at $capinfos" >&2; exit 1; }

export LC_ALL=C TZ=UTC
exec python3 - "$corpus" "$out" "$capinfos" <<'PYTHON'
import os
import re
import struct
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

corpus, out_path, capinfos = sys.argv[1], sys.argv[2], sys.argv[3]
CAPINFOS_ARGS = ["-M", "-c", "-a", "-e", "-S", "-o", "-I"]

PCAP_MAGICS = {
    # first four bytes -> (byte order, ns per sub-second unit, record header length)
    b"\xd4\xc3\xb2\xa1": ("<", 1000, 16),
    b"\xa1\xb2\xc3\xd4": (">", 1000, 16),
    b"\x4d\x3c\xb2\xa1": ("<", 1, 16),
    b"\xa1\xb2\x3c\x4d": (">", 1, 16),
    b"\x34\xcd\xb2\xa1": ("<", 1000, 24),
    b"\xa1\xb2\xcd\x34": (">", 1000, 24),
}
PCAPNG_MAGIC = b"\x0a\x0d\x0d\x0a"

# A few Wireshark encapsulation short names whose LINKTYPE is certain; the
# walker's numbers are checked against them (and for consistency overall).
KNOWN = {"ether": {1}, "null": {0}, "linux-sll": {113}, "linux-sll2": {276},
         "ieee-802-11": {105}, "ieee-802-11-radiotap": {127}, "ppp": {9, 50},
         "rawip": {12, 14, 101}, "rawip4": {228}, "rawip6": {229}, "slip": {8},
         "chdlc": {104}, "loop": {108}}


def walk_pcap(b):
    """Classic pcap: (linktypes, packets, [ts_ns...]) up to the first bad record."""
    bo, tick, hlen = PCAP_MAGICS[b[:4]]
    if len(b) < 24:
        return None, 0, [], "short file header"
    linktype = struct.unpack(bo + "I", b[20:24])[0] & 0xFFFF
    off, ts, err = 24, [], None
    while off < len(b):
        if len(b) - off < hlen:
            err = "short record header"
            break
        sec, sub, incl, orig = struct.unpack(bo + "IIII", b[off:off + 16])
        if incl > len(b) - off - hlen:
            err = "short record data"
            break
        ts.append(sec * 10**9 + sub * tick)
        off += hlen + incl
    return [linktype], len(ts), ts, err


def walk_pcapng(b):
    """pcapng: (linktypes of all IDBs in order, packets, [ts_ns or None...], error)."""
    off, lts, ts, err = 0, [], [], None
    bo = "<"
    sect = []  # (tps, tsoffset_s) per interface of the current section
    while off < len(b):
        if len(b) - off < 12:
            err = "short block header"
            break
        btype = struct.unpack(bo + "I", b[off:off + 4])[0]
        if b[off:off + 4] == PCAPNG_MAGIC:
            bom = b[off + 8:off + 12]
            if bom == b"\x4d\x3c\x2b\x1a":
                bo = "<"
            elif bom == b"\x1a\x2b\x3c\x4d":
                bo = ">"
            else:
                err = "bad byte-order magic"
                break
            btype = 0x0A0D0D0A
            sect = []
        blen = struct.unpack(bo + "I", b[off + 4:off + 8])[0]
        if blen < 12 or blen % 4 != 0 or blen > len(b) - off:
            err = "bad block length %d at %d" % (blen, off)
            break
        body = b[off + 8:off + blen - 4]
        if btype == 0x0A0D0D0A:
            major = struct.unpack(bo + "H", body[4:6])[0]
            if major != 1:
                err = "SHB version %d" % major
                break
        elif btype == 1:
            lt = struct.unpack(bo + "H", body[0:2])[0]
            tps, tsoff = 10**6, 0
            o = 8
            while len(body) - o >= 4:
                code, olen = struct.unpack(bo + "HH", body[o:o + 4])
                val = body[o + 4:o + 4 + olen]
                if code == 0:
                    break
                if code == 9 and olen >= 1:
                    r = val[0]
                    tps = 2 ** (r & 0x7F) if r & 0x80 else 10 ** r
                elif code == 14 and olen >= 8:
                    tsoff = struct.unpack(bo + "q", val[:8])[0]
                o += 4 + ((olen + 3) & ~3)
            lts.append(lt)
            sect.append((tps, tsoff))
        elif btype in (6, 2):
            if btype == 6:
                ifc, hi, lo = struct.unpack(bo + "III", body[0:12])
            else:
                ifc, _drops, hi, lo = struct.unpack(bo + "HHII", body[0:12])
            if ifc >= len(sect):
                err = "packet for undefined interface %d" % ifc
                break
            tps, tsoff = sect[ifc]
            units = hi << 32 | lo
            # Wireshark's conversion: whole seconds, then the fraction truncated to ns.
            ts.append((units // tps + tsoff) * 10**9 + (units % tps) * 10**9 // tps)
        elif btype == 3:
            if not sect:
                err = "SPB without an interface"
                break
            ts.append(None)
        off += blen
    return lts, len(ts), ts, err


def parse_time(s):
    """capinfos -S time "SECS.FRAC" -> (exact ns, fraction digits). SECS was
    printed as an unsigned long, so a negative second count wrapped."""
    m = re.fullmatch(r"(\d+)(?:\.(\d+))?", s)
    if not m:
        return None
    secs = int(m.group(1))
    if secs >= 2**63:
        secs -= 2**64
    frac = m.group(2) or ""
    return secs * 10**9 + int((frac + "000000000")[:9]), len(frac)


def trunc(ns, digits):
    q = 10 ** (9 - digits)
    return ns // q * q


def run_capinfos(rel):
    p = subprocess.run([capinfos] + CAPINFOS_ARGS + ["--", rel], cwd=corpus,
                       capture_output=True, text=True, errors="replace")
    return p.returncode, p.stdout, p.stderr


def analyse(rel):
    with open(os.path.join(corpus, rel), "rb") as f:
        b = f.read()
    rc, so, se = run_capinfos(rel)
    info = {}
    encaps = []
    for line in so.splitlines():
        m = re.match(r"^(Number of packets|First packet time|Last packet time|"
                     r"Strict time order|Number of interfaces in file):\s+(.*)$", line)
        if m and m.group(1) not in info:
            info[m.group(1)] = m.group(2).strip()
        m = re.match(r"^\s+Encapsulation = .*\(\d+ - (\S+)\)$", line)
        if m:
            encaps.append(m.group(1))
    errlines = [l.strip() for l in se.splitlines() if l.strip()]
    row = {"path": rel, "note": ""}
    warn = []

    if b[:4] in PCAP_MAGICS:
        lts, npk, ts, werr = walk_pcap(b)
    elif b[:4] == PCAPNG_MAGIC:
        lts, npk, ts, werr = walk_pcapng(b)
    else:
        lts, npk, ts, werr = None, None, None, "not pcap/pcapng"

    if rc == 0 and not errlines and lts is not None:
        row["status"] = "ok"
    elif rc == 0 and not errlines:
        row["status"] = "foreign"
    else:
        row["status"] = "error"
        msg = [l for l in errlines if not l.startswith("capinfos: An error occurred after")
               and not l.startswith("(will continue")]
        row["note"] = " ".join(msg).replace('"%s"' % rel, "FILE").replace("\t", " ")[:160]

    pk = info.get("Number of packets")
    if pk is None:
        m = re.search(r"An error occurred after reading (\d+) packets", se)
        pk = m.group(1) if m else "-"
    row["packets"] = pk
    nif = info.get("Number of interfaces in file")
    if nif is None:
        nif = "0" if pk != "-" else "-"
    row["ifaces"] = nif
    row["linktypes"] = ",".join(str(x) for x in lts) if lts else "-"

    first, last = info.get("First packet time"), info.get("Last packet time")
    tmin, tmax = parse_time(first or ""), parse_time(last or "")
    row["min_ns"] = row["max_ns"] = row["tsprec"] = row["tsrc"] = "-"
    if tmin and tmax:
        row["min_ns"], row["max_ns"] = str(tmin[0]), str(tmax[0])
        row["tsprec"] = str(tmin[1]) if tmin[1] == tmax[1] else "%d/%d" % (tmin[1], tmax[1])
        row["tsrc"] = "capinfos"
    order = (info.get("Strict time order") or "-").lower()
    row["order"] = order if order in ("true", "false", "unknown") else "-"
    notes = [row["note"]] if row["note"] else []

    if row["status"] == "ok":
        if str(npk) != pk:
            warn.append("walker counts %s packets, capinfos %s" % (npk, pk))
        if str(len(lts)) != nif:
            warn.append("walker sees %d interfaces, capinfos %s" % (len(lts), nif))
        # A multi-section pcapng lists every interface once per section.
        encaps = encaps[:len(lts)]
        if len(encaps) == len(lts):
            for lt, name in zip(lts, encaps):
                if name in KNOWN and lt not in KNOWN[name]:
                    warn.append("linktype %d but capinfos says %s" % (lt, name))
        else:
            warn.append("capinfos lists %d encapsulations for %s interfaces"
                        % (len(encaps), nif))
        tsv = [t for t in ts if t is not None]
        worder = "true"
        prev = None
        for t in ts:
            if t is None:
                worder = "unknown" if worder == "true" else worder
                continue
            if prev is not None and t < prev:
                worder = "false"
            prev = t
        if str(npk) == pk and worder != row["order"]:
            # capinfos also counts records that are not packets (pcapng custom
            # blocks have no time stamp: "unknown") and compares through an int.
            notes.append("capinfos order %s, plain reading %s" % (row["order"], worder))
            row["order"] = worder
        if str(npk) == pk and tsv:
            wmin, wmax = min(tsv), max(tsv)
            if row["tsrc"] == "capinfos":
                if trunc(wmin, tmin[1]) != tmin[0] or trunc(wmax, tmax[1]) != tmax[0]:
                    # capinfos compares seconds through an int (nstime_cmp), so
                    # spans over 2^31 s pick the wrong extreme; Wireshark also
                    # overflows on sub-second fields >= 1e6/1e9 and guesses
                    # pcap variants for fuzzed headers. The plain reading wins.
                    notes.append("capinfos times %s..%s are not the plain reading" % (first, last))
                    row["min_ns"], row["max_ns"], row["tsprec"] = str(wmin), str(wmax), "9"
                    row["tsrc"] = "walker"
            else:
                if first and first != "n/a":
                    # Wireshark's sub-second overflow printed as a negative fraction.
                    notes.append("capinfos times %s..%s are not the plain reading"
                                 % (first, last))
                else:
                    # capinfos prints no times once a packet lacks one (pcapng SPB).
                    notes.append("capinfos prints no times (records without time stamps)")
                row["min_ns"], row["max_ns"], row["tsprec"] = str(wmin), str(wmax), "9"
                row["tsrc"] = "walker"
    row["note"] = "; ".join(notes)
    return row, warn, list(zip(lts or [], encaps)) if row["status"] == "ok" else []


def candidates():
    other = set()
    try:
        with open(os.path.join(corpus, "MANIFEST.tsv")) as f:
            for line in f:
                col = line.rstrip("\n").split("\t")
                if len(col) > 6 and col[6].startswith("other(magic"):
                    other.add(col[0])
    except OSError:
        pass
    for d, dirs, files in os.walk(corpus):
        dirs.sort()
        for name in sorted(files):
            p = os.path.join(d, name)
            rel = os.path.relpath(p, corpus)
            if rel in ("MANIFEST.tsv", "SOURCES.md") or not os.path.isfile(p):
                continue
            with open(p, "rb") as f:
                magic = f.read(4)
            if magic in PCAP_MAGICS or magic == PCAPNG_MAGIC or rel in other:
                yield rel


files = sorted(candidates())
with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2) * 2) as ex:
    results = list(ex.map(analyse, files))

lt_names = {}
nwarn = 0
for row, warn, pairs in results:
    for w in warn:
        print("mk_corpus_expected: %s: %s" % (row["path"], w), file=sys.stderr)
        nwarn += 1
    for lt, name in pairs:
        lt_names.setdefault(lt, set()).add(name)
for lt, names in sorted(lt_names.items()):
    if len(names) > 1:
        print("mk_corpus_expected: LINKTYPE %d has several capinfos names: %s"
              % (lt, ",".join(sorted(names))), file=sys.stderr)
        nwarn += 1

version = subprocess.run([capinfos, "-v"], capture_output=True, text=True).stdout.splitlines()[0]
cols = ["path", "status", "packets", "ifaces", "linktypes", "min_ns", "max_ns", "tsprec",
        "tsrc", "order", "note"]
counts = {}
for row, _, _ in results:
    counts[row["status"]] = counts.get(row["status"], 0) + 1
tmp = out_path + ".tmp"
with open(tmp, "w") as f:
    f.write("""\
# corpus_expected.tsv - what Wireshark's capinfos says about every capture in
# the public corpus; tests/test_corpus.c checks the reader against it.
# Generated by tests/mk_corpus_expected.sh; do not edit by hand.
# capinfos: %s
# command, run in the corpus dir with LC_ALL=C TZ=UTC, once per file:
#   capinfos %s -- PATH
# path      file relative to the corpus dir
# status    ok: capinfos exit 0 and nothing on stderr;
#           error: capinfos reported an error (note holds its message);
#           foreign: capinfos reads it but it is not pcap/pcapng (open must fail)
# packets   "Number of packets", or for errors the N of "An error occurred after
#           reading N packets", or - when capinfos gave no count
# ifaces    "Number of interfaces in file" (all sections of a pcapng together)
# linktypes LINKTYPE_* of each interface in file order: the pcap header's low
#           16 bits, or each IDB's LinkType (read by this script's walker,
#           checked against capinfos' encapsulation names)
# min_ns    earliest packet time, ns since the epoch, exact integer
#           arithmetic (capinfos -a -S). capinfos reports the minimum and
#           maximum over all timestamped packets, not the first and last by
#           file position; it prints seconds as an unsigned long (a wrapped
#           negative count is unwrapped here)
# max_ns    latest packet time (capinfos -e -S), likewise
# tsprec    fraction digits the time was printed with (min/max when they
#           differ). capinfos truncates to that precision, so the test
#           compares truncated values; 6 for microsecond files is exact
# tsrc      capinfos: min/max as capinfos printed them. walker: this script's
#           exact plain reading (tsprec 9), used where capinfos prints no
#           times (some record has no time stamp: pcapng SPB) or prints wrong
#           ones (see note: its nstime_cmp compares seconds through an int, so
#           spans over 2^31 s pick the wrong extreme; it overflows on
#           sub-second fields >= 10^6/10^9; it guesses pcap variants on
#           fuzzed headers). Times beyond int64 ns are written exactly; the
#           reader saturates them
# order     capinfos -o: true when no packet is earlier than the previous
#           timestamped one, false otherwise, unknown when some packet has no
#           time stamp; replaced by the plain reading over packets where they
#           differ (capinfos also counts pcapng custom blocks, which have no
#           time stamp, and compares seconds through an int)
# note      capinfos' error message, or why a value is not capinfos' own
# rows: %s
""" % (version, " ".join(CAPINFOS_ARGS),
       ", ".join("%d %s" % (v, k) for k, v in sorted(counts.items()))))
    f.write("# " + "\t".join(cols) + "\n")
    for row, _, _ in results:
        f.write("\t".join(row[c] if row[c] != "" else "-" for c in cols) + "\n")
os.replace(tmp, out_path)
print("mk_corpus_expected: %d files (%s), %d warnings -> %s"
      % (len(results), ", ".join("%d %s" % (v, k) for k, v in sorted(counts.items())),
         nwarn, out_path), file=sys.stderr)
PYTHON

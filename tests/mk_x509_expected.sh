#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mk_x509_expected.sh - regenerate tests/x509_expected.tsv, the oracle that
# tests/test_x509.c checks the certificate reader (src/x509.c, as the TLS
# analyser src/tlsstats.c keeps its results) against.
#
#   tests/mk_x509_expected.sh [CORPUS_DIR [OUT_TSV]]
#
# A maintainer tool, run by hand: CI only reads the TSV. Needs python3,
# tshark (4.0.17 was used) and openssl (3.0.x was used).
#
# For every pcap/pcapng of the corpus (MANIFEST.tsv) and captures/*.pcap*
# holding the bytes of a TLS handshake record header (16 03 0x .. 01/02):
#   tshark -r FILE -o tcp.desegment_tcp_streams:TRUE \
#     -Y 'tcp && tls.handshake.type == 11' -T fields \
#     -E occurrence=a -E aggregator='|' \
#     -e tcp.stream -e tls.handshake.type -e tls.handshake.certificates_length \
#     -e tls.handshake.certificate_length -e tls.handshake.certificate
# The lengths split a frame's certificates into its Certificate messages
# (TLS <= 1.2 sends them in clear; 1.3 encrypts them). The analyser keeps
# the leaf (first) certificate of each connection's first Certificate
# message, so that is what is recorded: its hex DER is written to a temp file
# by this script (no capture text reaches a shell) and read with
#   openssl x509 -inform DER -in TMP -noout -subject -issuer -serial \
#     -startdate -enddate -fingerprint -sha256 -nameopt RFC2253
# whose SHA-256 fingerprint keys the row (checked against hashlib's of the
# same bytes, so the DER written is the DER openssl read).
# Rows, one per distinct leaf certificate of a file, sorted:
#   FILE <tab> sha256 <tab> subject <tab> issuer <tab> serial <tab>
#   notBefore <tab> notAfter
# with sha256 and serial lowercase hex (serial without colons, as openssl
# prints it), the names in openssl's RFC 2253 form (tests/test_x509.c
# states how ours is normalised to it) and the times as seconds since the
# epoch, converted from openssl's "Jan  2 03:04:05 2020 GMT". A certificate
# openssl cannot read gets "-" in every field after sha256.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:-$here/../../shared/corpus}
out=${2:-$here/x509_expected.tsv}
tshark=${TSHARK:-/usr/bin/tshark}
openssl=${OPENSSL:-/usr/bin/openssl}

[ -d "$corpus" ] || { echo "mk_x509_expected: no corpus at $corpus" >&2; exit 1; }
[ -x "$tshark" ] || { echo "mk_x509_expected: no tshark at $tshark" >&2; exit 1; }
[ -x "$openssl" ] || { echo "mk_x509_expected: no openssl at $openssl" >&2; exit 1; }

export LC_ALL=C TZ=UTC
exec python3 - "$corpus" "$here/.." "$out" "$tshark" "$openssl" <<'PYTHON'
import calendar, hashlib, os, subprocess, sys, tempfile, time
from concurrent.futures import ThreadPoolExecutor

corpus, root, out, tshark, openssl = sys.argv[1:6]

sys.path.insert(0, os.path.join(root, "tests"))
from mkcorpus import HELLO, capture_files  # noqa: E402

files = capture_files(corpus, root)

def leaves(stdout):
    """The leaf DER (bytes) of each TCP stream's first Certificate message."""
    first = {}
    for line in stdout.splitlines():
        f = (line.split("\t") + [""] * 5)[:5]
        stream, types = f[0], f[1].split("|")
        totals = [int(x) for x in f[2].split("|") if x]
        lens = [int(x) for x in f[3].split("|") if x]
        ders = [x for x in f[4].split("|") if x]
        if stream in first or len(lens) != len(ders):
            continue
        k = 0
        for total in totals[: types.count("11")]:
            if k < len(ders) and stream not in first:
                first[stream] = bytes.fromhex(ders[k].replace(":", ""))
            used = 0
            while k < len(lens) and used < total:
                used += 3 + lens[k]
                k += 1
    return first.values()

def epoch(s):
    return str(calendar.timegm(time.strptime(s.replace("  ", " "), "%b %d %H:%M:%S %Y GMT")))

def describe(der):
    with tempfile.NamedTemporaryFile(suffix=".der") as t:
        t.write(der)
        t.flush()
        r = subprocess.run([openssl, "x509", "-inform", "DER", "-in", t.name, "-noout",
                            "-subject", "-issuer", "-serial", "-startdate", "-enddate",
                            "-fingerprint", "-sha256", "-nameopt", "RFC2253"],
                           capture_output=True, text=True, errors="backslashreplace")
    if r.returncode != 0:
        return ["-"] * 5
    v = {}
    for line in r.stdout.splitlines():
        key, _, val = line.partition("=")
        v[key.strip()] = val.strip()
    try:
        fp = v["sha256 Fingerprint"].replace(":", "").lower()
        if fp != hashlib.sha256(der).hexdigest():
            sys.exit("mk_x509_expected: openssl and hashlib disagree on a fingerprint")
        return [v["subject"], v["issuer"], v["serial"].lower(),
                epoch(v["notBefore"]), epoch(v["notAfter"])]
    except (KeyError, ValueError):
        return ["-"] * 5

def run(item):
    kind, rel = item
    path = os.path.join(corpus, rel) if kind == "corpus" else os.path.join(root, rel)
    try:
        with open(path, "rb") as fh:
            if not HELLO.search(fh.read()):
                return rel, None
    except OSError:
        return rel, None
    cmd = [tshark, "-r", path, "-o", "tcp.desegment_tcp_streams:TRUE",
           "-Y", "tcp && tls.handshake.type == 11",
           "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|",
           "-e", "tcp.stream", "-e", "tls.handshake.type",
           "-e", "tls.handshake.certificates_length",
           "-e", "tls.handshake.certificate_length", "-e", "tls.handshake.certificate"]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return rel, None
    if r.returncode != 0:
        return rel, None
    rows = {}
    for der in leaves(r.stdout):
        fp = hashlib.sha256(der).hexdigest()
        if fp not in rows:
            rows[fp] = describe(der)
    return rel, rows

with ThreadPoolExecutor(max_workers=2) as ex:
    results = list(ex.map(run, files))

with open(out, "w") as o:
    o.write("# made by tests/mk_x509_expected.sh with %s and %s\n" % (tshark, openssl))
    o.write("# file\tsha256\tsubject\tissuer\tserial\tnot_before\tnot_after\n")
    for rel, rows in sorted(results, key=lambda x: x[0]):
        for fp, v in sorted((rows or {}).items()):
            o.write("\t".join([rel, fp] + [x.replace("\t", "\\t") for x in v]) + "\n")
PYTHON

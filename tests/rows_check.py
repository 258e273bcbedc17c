#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""rows_check.py PROG ROWS1 [CORPUS] - what is counted past the rows.

PROG is the normal CLI; ROWS1 the same built with one TLS handshake row and
one HTTP exchange row (make's rows1 build), so that nearly every handshake
and exchange of a capture is past the rows: its statistics come from the
counts, its fingerprints from the memo of distinct hellos, its findings from
the handshakes kept past the rows. On every capture of the corpus whose name
says TLS, SSL, HTTP or web, and on captures/, the two must agree on the
`statistics` of `tls` and `http`, and on the (type, server, port, kind) of
every TLS finding. The oracle is the rows path itself, which the tshark and
openssl conformance tests check. Prints "rows: N passed, N failed".
"""
import json
import os
import subprocess
import sys


def result(prog, verb, path):
    out = subprocess.run([prog, verb, path, "--json"], capture_output=True, text=True,
                         timeout=60).stdout
    try:
        return json.loads(out)
    except ValueError:
        return None


def finding_set(r):
    return sorted((f["type"], f["evidence"].get("server"), f["evidence"].get("server_port"),
                   f["evidence"].get("kind")) for f in r.get("findings", []))


def main():
    prog, rows1 = sys.argv[1], sys.argv[2]
    corpus = sys.argv[3] if len(sys.argv) > 3 else "../shared/corpus"
    paths = []
    manifest = os.path.join(corpus, "MANIFEST.tsv")
    if os.path.exists(manifest):
        with open(manifest) as f:
            next(f)
            for line in f:
                name = line.split("\t", 1)[0]
                low = name.lower()
                if name.endswith((".pcap", ".pcapng", ".cap")) and any(
                        w in low for w in ("tls", "ssl", "http", "web")):
                    paths.append(os.path.join(corpus, name))
    else:
        print(f"rows: {corpus} missing; corpus captures skipped", file=sys.stderr)
    paths += sorted(os.path.join("captures", n) for n in os.listdir("captures")
                    if n.endswith((".pcap", ".pcapng")))
    passed = failed = 0
    for path in paths:
        for verb in ("tls", "http"):
            a, b = result(prog, verb, path), result(rows1, verb, path)
            if a is None or b is None or not a.get("ok") or not b.get("ok"):
                if (a is None) != (b is None):
                    print(f"not ok {verb} {path}: one build gave no result")
                    failed += 1
                continue
            bad = [k for k in a["statistics"] if a["statistics"][k] != b["statistics"].get(k)]
            if verb == "tls" and finding_set(a) != finding_set(b):
                bad.append("findings")
            if bad:
                print(f"not ok {verb} {path}: {', '.join(bad)} differ past the rows")
                failed += 1
            else:
                passed += 1
    print(f"rows: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

# SPDX-License-Identifier: MIT
"""What the tests/mk_*_expected.sh oracles share: the captures they read.

Imported by the scripts' embedded python (sys.path gets tests/ first)."""
import glob
import os
import re

# A TLS record header of a ClientHello or ServerHello: the byte pattern
# that marks a capture worth giving to tshark for TLS.
HELLO = re.compile(rb"\x16\x03[\x00-\x04]..[\x01\x02]", re.S)


def capture_files(corpus, root):
    """("corpus", path) for every capture MANIFEST.tsv lists, then
    ("captures", path) for the project's own captures/*.pcap*."""
    files = []
    with open(os.path.join(corpus, "MANIFEST.tsv")) as m:
        for line in m:
            path = line.split("\t")[0]
            if path.endswith((".pcap", ".pcapng", ".cap")):
                files.append(("corpus", path))
    for p in sorted(glob.glob(os.path.join(root, "captures", "*.pcap*"))):
        files.append(("captures", os.path.relpath(p, root)))
    return files

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mk_sip_expected.sh - regenerate tests/sip_expected.tsv, the oracle that
# tests/test_sip.c checks the SIP analyser (src/sipstats.c) against.
#
#   tests/mk_sip_expected.sh [CORPUS_DIR [OUT_TSV]]
#
# A maintainer tool (CI only reads the TSV). Needs tshark (4.0 was used).
# Which files: MANIFEST.tsv rows in pcap/pcapng whose protocols name sip,
# on a link type the decoder knows, with no tunnel, under 4 MB; plus
# captures/*.pcap*. The tshark command, per file (reassembly off):
#
#   tshark -n -r FILE -o ip.defragment:FALSE -o tcp.desegment_tcp_streams:FALSE \
#     -Y 'sip && !icmp' -T fields -E occurrence=a -E aggregator=, \
#     -e sip.Method -e sip.Status-Code
#
# Each row: file, requests, responses, methods ("METHOD:count,...") and
# status codes ("code:count,..."), both sorted.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:-$here/../../shared/corpus}
out=${2:-$here/sip_expected.tsv}
tshark=${TSHARK:-tshark}

files() {
	awk -F'\t' 'NR>1 && $7 ~ /pcap/ && $10 ~ /(^|,)sip(,|$)/ &&
	    $10 !~ /gre|mpls|pppoe|vxlan|teredo|gtp|erspan|l2tp|ipip|6to4/ &&
	    $8 ~ /^(1|113|276|101|0|108|12|14|228|229) / && $5 < 4000000 {print $1}' \
	    "$corpus/MANIFEST.tsv" | sort
	(cd "$here/.." && ls captures/*.pcap captures/*.pcapng 2>/dev/null | sed 's|^|@|')
}

{
	printf '# file\trequests\tresponses\tmethods\tstatus_codes\n'
	files | while read -r f; do
		path="$corpus/$f"
		case $f in @*) f=${f#@}; path="$here/../$f" ;; esac
		{ "$tshark" -n -r "$path" -o ip.defragment:FALSE -o tcp.desegment_tcp_streams:FALSE \
		    -Y 'sip && !icmp' -T fields -E occurrence=a -E aggregator=, \
		    -e sip.Method -e sip.Status-Code 2>/dev/null || true; } |
		awk -F'\t' -v f="$f" '
		function hist(a,   k, s, n, keys, i, j, v) {
			n = 0; for (k in a) keys[++n] = k
			for (i = 2; i <= n; i++) { v = keys[i]; j = i - 1
				while (j > 0 && (keys[j] "") > (v "")) { keys[j+1] = keys[j]; j-- } keys[j+1] = v }
			s = ""; for (i = 1; i <= n; i++) s = s (i > 1 ? "," : "") keys[i] ":" a[keys[i]]
			return s == "" ? "-" : s
		}
		{
			if ($2 != "") { nc = split($2, c, ","); for (i = 1; i <= nc; i++) { st[c[i]]++; resp++ } }
			else if ($1 != "") { nm = split($1, x, ","); req++; me[x[1]]++ }
		}
		END { if (req + resp > 0) printf "%s\t%d\t%d\t%s\t%s\n", f, req, resp, hist(me), hist(st) }'
	done
} >"$out.tmp"
mv "$out.tmp" "$out"
echo "mk_sip_expected: $(grep -vc '^#' "$out") files in $out"

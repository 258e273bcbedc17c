#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mk_icmp_expected.sh - regenerate tests/icmp_expected.tsv, the oracle that
# tests/test_icmp.c checks the ICMP analyser (src/icmpstats.c) against.
#
#   tests/mk_icmp_expected.sh [CORPUS_DIR [OUT_TSV]]
#
# A maintainer tool (CI only reads the TSV). Needs tshark (4.0 was used).
# Which files: MANIFEST.tsv rows in pcap/pcapng whose protocols name icmp
# or icmpv6, on a link type the decoder knows, with no tunnel, under 4 MB;
# plus captures/*.pcap*. The tshark command, per file (reassembly off; the
# first ICMP header of a frame is the message, a quoted one is not):
#
#   tshark -n -2 -r FILE -o ip.defragment:FALSE -o ipv6.defragment:FALSE \
#     -Y 'icmp || icmpv6' -T fields -E occurrence=f \
#     -e ip.version -e icmp.type -e icmp.code -e icmpv6.type -e icmpv6.code \
#     -e ip.src -e ip.dst -e ipv6.src -e ipv6.dst -e icmp.ident -e icmp.seq \
#     -e icmp.resp_in -e icmpv6.echo.identifier -e icmpv6.echo.sequence_number \
#     -e icmpv6.resp_in
#
# Each row: file, messages, "v:type:code:count,..." (sorted), and echo
# requests answered (distinct source, destination, id, sequence among
# requests tshark gave a resp_in).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:-$here/../../shared/corpus}
out=${2:-$here/icmp_expected.tsv}
tshark=${TSHARK:-tshark}

files() {
	awk -F'\t' 'NR>1 && $7 ~ /pcap/ && $10 ~ /(^|,)icmp(v6)?(,|$)/ &&
	    $10 !~ /gre|mpls|pppoe|vxlan|teredo|gtp|erspan|l2tp|ipip|6to4|MALFORMED/ &&
	    $8 ~ /^(1|113|276|101|0|108|12|14|228|229) / && $5 < 4000000 {print $1}' \
	    "$corpus/MANIFEST.tsv" | sort
	(cd "$here/.." && ls captures/*.pcap captures/*.pcapng 2>/dev/null | sed 's|^|@|')
}

{
	printf '# file\tmessages\ttype_codes\tanswered\n'
	files | while read -r f; do
		path="$corpus/$f"
		case $f in @*) f=${f#@}; path="$here/../$f" ;; esac
		{ "$tshark" -n -2 -r "$path" -o ip.defragment:FALSE -o ipv6.defragment:FALSE \
		    -Y 'icmp || icmpv6' -T fields -E occurrence=f \
		    -e ip.version -e icmp.type -e icmp.code -e icmpv6.type -e icmpv6.code \
		    -e ip.src -e ip.dst -e ipv6.src -e ipv6.dst -e icmp.ident -e icmp.seq \
		    -e icmp.resp_in -e icmpv6.echo.identifier -e icmpv6.echo.sequence_number \
		    -e icmpv6.resp_in 2>/dev/null || true; } |
		awk -F'\t' -v f="$f" '
		{
			m++
			if ($4 != "") { k = "6:" $4 ":" $5; src = $8; dst = $9; id = $13; sq = $14; r = $15 }
			else { k = "4:" $2 ":" $3; src = $6; dst = $7; id = $10; sq = $11; r = $12 }
			tc[k]++
			if (r != "") ans[src "/" dst "/" id "/" sq] = 1
		}
		END {
			if (m == 0) exit
			n = 0; for (k in tc) keys[++n] = k
			for (i = 2; i <= n; i++) { v = keys[i]; j = i - 1
				while (j > 0 && less(v, keys[j])) { keys[j+1] = keys[j]; j-- } keys[j+1] = v }
			s = ""; for (i = 1; i <= n; i++) s = s (i > 1 ? "," : "") keys[i] ":" tc[keys[i]]
			a = 0; for (k in ans) a++
			printf "%s\t%d\t%s\t%d\n", f, m, s, a
		}
		function less(x, y,   xa, ya) {
			split(x, xa, ":"); split(y, ya, ":")
			if (xa[1] != ya[1]) return xa[1] + 0 < ya[1] + 0
			if (xa[2] != ya[2]) return xa[2] + 0 < ya[2] + 0
			return xa[3] + 0 < ya[3] + 0
		}'
	done
} >"$out.tmp"
mv "$out.tmp" "$out"
echo "mk_icmp_expected: $(grep -vc '^#' "$out") files in $out"

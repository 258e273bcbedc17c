#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mk_dhcp_expected.sh - regenerate tests/dhcp_expected.tsv, the oracle that
# tests/test_dhcp.c checks the DHCP analyser (src/dhcpstats.c) against.
#
#   tests/mk_dhcp_expected.sh [CORPUS_DIR [OUT_TSV]]
#
# A maintainer tool (CI only reads the TSV). Needs tshark (4.0 was used).
# Which files: MANIFEST.tsv rows in pcap/pcapng whose protocols name dhcp
# or dhcpv6, on a link type the decoder knows, with no tunnel, under 4 MB;
# plus captures/*.pcap*. The tshark command, per file:
#
#   tshark -n -r FILE -o ip.defragment:FALSE -Y '(dhcp || dhcpv6) && !icmp && !icmpv6' \
#     -T fields -E occurrence=f -e dhcp.id -e dhcp.hw.mac_addr -e dhcp.option.dhcp \
#     -e dhcpv6.msgtype -e dhcpv6.xid
#
# Each row: file, messages, DHCPv4 message type counts ("type:count,...";
# 0 for BOOTP without option 53), DHCPv6 message type counts, and the
# DHCPv4 transactions (by xid and client MAC) as "sequence:count,..."
# where a sequence is the message types joined by '-' (sorted).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:-$here/../../shared/corpus}
out=${2:-$here/dhcp_expected.tsv}
tshark=${TSHARK:-tshark}

files() {
	awk -F'\t' 'NR>1 && $7 ~ /pcap/ && $10 ~ /(^|,)dhcp(v6)?(,|$)/ &&
	    $10 !~ /gre|mpls|pppoe|vxlan|teredo|gtp|erspan|l2tp|ipip|6to4|MALFORMED/ &&
	    $8 ~ /^(1|113|276|101|0|108|12|14|228|229) / && $5 < 4000000 {print $1}' \
	    "$corpus/MANIFEST.tsv" | sort
	(cd "$here/.." && ls captures/*.pcap captures/*.pcapng 2>/dev/null | sed 's|^|@|')
}

{
	printf '# file\tmessages\tv4_types\tv6_types\ttransactions\n'
	files | while read -r f; do
		path="$corpus/$f"
		case $f in @*) f=${f#@}; path="$here/../$f" ;; esac
		{ "$tshark" -n -r "$path" -o ip.defragment:FALSE \
		    -Y '(dhcp || dhcpv6) && !icmp && !icmpv6' -T fields -E occurrence=f \
		    -e dhcp.id -e dhcp.hw.mac_addr -e dhcp.option.dhcp -e dhcpv6.msgtype \
		    -e dhcpv6.xid 2>/dev/null || true; } |
		awk -F'\t' -v f="$f" '
		function hist(a,   k, s, n, keys, i, j, v) {
			n = 0; for (k in a) keys[++n] = k
			for (i = 2; i <= n; i++) { v = keys[i]; j = i - 1
				while (j > 0 && (keys[j] "") > (v "")) { keys[j+1] = keys[j]; j-- } keys[j+1] = v }
			s = ""; for (i = 1; i <= n; i++) s = s (i > 1 ? "," : "") keys[i] ":" a[keys[i]]
			return s == "" ? "-" : s
		}
		{
			m++
			if ($4 != "") { t6[$4 + 0]++; next }
			t = $3 == "" ? 0 : $3 + 0
			t4[t]++
			k = $1 "/" $2
			if (k in seq) seq[k] = seq[k] "-" t; else seq[k] = t
		}
		END {
			if (m == 0) exit
			for (k in seq) sc[seq[k]]++
			printf "%s\t%d\t%s\t%s\t%s\n", f, m, hist(t4), hist(t6), hist(sc)
		}'
	done
} >"$out.tmp"
mv "$out.tmp" "$out"
echo "mk_dhcp_expected: $(grep -vc '^#' "$out") files in $out"

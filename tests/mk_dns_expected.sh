#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mk_dns_expected.sh - regenerate tests/dns_expected.tsv, the oracle that
# tests/test_dns.c checks the DNS analyser (src/dnsstats.c) against.
#
#   tests/mk_dns_expected.sh [CORPUS_DIR [OUT_TSV]]
#
# A maintainer tool (CI only reads the TSV). Needs tshark (4.0 was used).
# Which files: MANIFEST.tsv rows of the corpus in pcap/pcapng whose
# protocols name dns, mdns or llmnr, on a link type the decoder knows, with
# no tunnel or label switching, under 4 MB; plus captures/*.pcap*.
# The tshark command, per file (IP reassembly off; TCP reassembly on, as
# our pass reassembles DNS over TCP; DNS quoted inside ICMP errors is not a
# message):
#
#   tshark -n -r FILE -o ip.defragment:FALSE -o ipv6.defragment:FALSE \
#     -o tcp.desegment_tcp_streams:TRUE -Y '(dns || mdns || llmnr) && !icmp && !icmpv6' \
#     -T fields -E occurrence=a -E aggregator=, \
#     -e dns.flags.response -e dns.flags.rcode -e dns.qry.type -e dns.response_to
#
# Each row: file, messages, queries, responses, rcode counts of responses
# ("rcode:count,..." by rcode), first-question type counts of queries
# ("type:count,..." by type), and responses tshark matched to a query
# (dns.response_to present; mDNS, port 5353, excluded as we do not match it).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:-$here/../../shared/corpus}
out=${2:-$here/dns_expected.tsv}
tshark=${TSHARK:-tshark}

files() {
	awk -F'\t' 'NR>1 && $7 ~ /pcap/ && $10 ~ /(^|,)(dns|mdns|llmnr)(,|$)/ &&
	    $10 !~ /gre|mpls|pppoe|vxlan|teredo|gtp|erspan|l2tp|ipip|6to4/ &&
	    $8 ~ /^(1|113|276|101|0|108|12|14|228|229) / && $5 < 4000000 {print $1}' \
	    "$corpus/MANIFEST.tsv" | sort
	(cd "$here/.." && ls captures/*.pcap captures/*.pcapng 2>/dev/null | sed 's|^|@|')
}

{
	printf '# file\tmessages\tqueries\tresponses\trcodes\tqtypes\tmatched\n'
	files | while read -r f; do
		path="$corpus/$f"
		case $f in @*) f=${f#@}; path="$here/../$f" ;; esac
		{ "$tshark" -n -r "$path" -o ip.defragment:FALSE -o ipv6.defragment:FALSE \
		    -o tcp.desegment_tcp_streams:TRUE -Y '(dns || mdns || llmnr) && !icmp && !icmpv6' \
		    -T fields -E occurrence=a -E aggregator=, \
		    -e dns.flags.response -e dns.flags.rcode -e dns.qry.type -e dns.response_to \
		    -e udp.port 2>/dev/null || true; } |
		awk -F'\t' -v f="$f" '
		{
			nr = split($1, r, ","); split($2, rc, ","); nt = split($3, t, ",")
			for (i = 1; i <= nr; i++) {
				m++
				if (r[i] == "1" || r[i] == "True") { resp++; rcs[rc[i]]++ }
				else { q++; if (i <= nt) qt[t[i]]++ }
			}
			if ($4 != "" && $5 !~ /(^|,)5353(,|$)/) matched += split($4, x, ",")
		}
		function hist(a,   k, s, n, keys, i) {
			n = 0; for (k in a) keys[++n] = k + 0
			for (i = 2; i <= n; i++) { v = keys[i]; j = i - 1
				while (j > 0 && keys[j] > v) { keys[j+1] = keys[j]; j-- } keys[j+1] = v }
			s = ""; for (i = 1; i <= n; i++) s = s (i > 1 ? "," : "") keys[i] ":" a[keys[i]]
			return s == "" ? "-" : s
		}
		END { if (m > 0) printf "%s\t%d\t%d\t%d\t%s\t%s\t%d\n", f, m, q, resp, hist(rcs), hist(qt), matched }'
	done
} >"$out.tmp"
mv "$out.tmp" "$out"
echo "mk_dns_expected: $(grep -vc '^#' "$out") files in $out"

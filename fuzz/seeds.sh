#!/bin/sh
# fuzz/seeds.sh [CORPUS [N]] - print the paths of up to N (default 200) small
# public captures in CORPUS (default ../shared/corpus), one a line, as extra
# fuzz seeds read in place. The list is deterministic and spread: files under
# 64 KiB whose MANIFEST.tsv format is a capture are grouped by format and link
# type, and groups take turns (first file of every group, then the second...).
# Prints nothing when the corpus is absent.
corpus=${1:-../shared/corpus}
n=${2:-200}
[ -f "$corpus/MANIFEST.tsv" ] || exit 0
awk -F'\t' -v dir="$corpus" 'NR > 1 && $5 < 65536 && $7 ~ /^(pcap|pcapng|modpcap)-/ {
	split($7, f, ";"); g = f[1] "|" $8
	printf "%06d\t%s/%s\n", ++rank[g], dir, $1
}' "$corpus/MANIFEST.tsv" | LC_ALL=C sort | head -n "$n" | cut -f2 |
	while read -r p; do [ -f "$p" ] && echo "$p"; done

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# big.sh BUILD [SIZE] - `make test-big`: generate a SIZE capture (default 3G)
# with bench's generator into a fresh directory under /tmp, run
# tests/mcp/big.mjs against BUILD/pcapmcp serve on it (ping, cached calls and
# stdin EOF while the analysis runs), then delete the directory. Prints the
# generation and run times and ends with "N passed, N failed".
set -u
build=${1:-build}
size=${2:-3G}
gen=$build/bench/gen_big
tmp=$(mktemp -d /tmp/pcapmcp-big.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
if ! command -v node >/dev/null 2>&1; then
	echo "big: skipped (node not found)"
	echo "0 passed, 0 failed"
	exit 0
fi
now() { date +%s.%N; }
t0=$(now)
if ! nice -n 19 "$gen" -s "$size" "$tmp/big.pcap" >"$tmp/gen.out" 2>&1; then
	cat "$tmp/gen.out"
	echo "0 passed, 1 failed"
	exit 1
fi
t1=$(now)
cp captures/loopback-http.pcapng "$tmp/small.pcapng"
node tests/mcp/big.mjs "$build/pcapmcp" "$tmp" | tee "$tmp/big.out"
t2=$(now)
awk -v a="$t0" -v b="$t1" -v c="$t2" -v s="$size" \
	'BEGIN { printf "big: generated %s in %.1f s, test ran in %.1f s\n", s, b - a, c - b }'
line=$(tail -n 1 "$tmp/big.out")
if [[ $line =~ ^big:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
	echo "${BASH_REMATCH[1]} passed, ${BASH_REMATCH[2]} failed"
	[ "${BASH_REMATCH[2]}" = 0 ]
else
	echo "big.mjs crashed or printed no summary"
	echo "0 passed, 1 failed"
	exit 1
fi

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bench/run.sh - run the benchmarks; `make bench` calls it as bench/run.sh build/bench.
#
# 1. builds bench/gen_big.c with cc (it is not linked against the library);
# 2. generates $BENCH_FILE (default bench/data/big.pcap, $BENCH_SIZE bytes,
#    default 1.1G) unless a file at least that large is already there;
# 3. runs bench_walk on it (wall time of every walk method, see bench/README.md);
# 4. times capinfos and `pcapmcp info` once each on the same file, for reference;
# 5. with valgrind installed, counts instructions per packet (callgrind) on a
#    small generated capture of $BENCH_SMALL packets (default 20000);
# 6. the whole analysis with and without the protocol analysers (DNS, ICMP,
#    DHCP, SIP: bench_walk's analysis-noquic and analysis-core methods; and
#    TLS and HTTP: analysis and analysis-noweb) on the same file in the same
#    run, alternating, with the ratio of the medians, and with valgrind the
#    ratio of their instructions inside the analysis on $BENCH_VS_PACKETS
#    packets (BENCH_ONLY=protocols or BENCH_ONLY=web runs only that part);
#    and QUIC (analysis-noweb against analysis-noquic, the same without the
#    QUIC analyser; BENCH_ONLY=quic);
# 7. with BENCH_BASE=<git revision>, builds that revision in a temporary
#    worktree and times its whole analysis (`pcapmcp summary --json`) against
#    this tree's, alternating runs on the same file, and compares both
#    binaries' instruction counts inside the analysis: "after / before"
#    (BENCH_ONLY=versus runs only this part).
# Everything printed is also written to $BUILD/bench/results.txt.
set -euo pipefail

BUILD=${1:-build/bench}
BASE=${BENCH_BASE:-}
BIG=${BENCH_FILE:-bench/data/big.pcap}
SIZE=${BENCH_SIZE:-1.1G}
SMALL_N=${BENCH_SMALL:-20000}
VS_N=${BENCH_VS_PACKETS:-200000}
RUNS=${BENCH_RUNS:-5}
# Alternating pairs per with/without comparison: one walk here varies by
# up to 1.4x from run to run (other guests on the host), so a 10 % target
# needs more pairs than a walk needs runs.
PAIRS=${BENCH_PAIRS:-15}
OUT=$BUILD/bench
GEN=$OUT/gen_big
WALK=$OUT/bench_walk
RESULTS=$OUT/results.txt

# The generator, rebuilt when its source changed.
ensure_gen() {
	if [ ! -x "$GEN" ] || [ bench/gen_big.c -nt "$GEN" ]; then
		echo "building $GEN"
		${CC:-cc} -O2 -std=c11 -Wall -Wextra -o "$GEN" bench/gen_big.c
	fi
}

# The callgrind file of VS_N packets, made again when the generator is newer.
ensure_vs() {
	ensure_gen >&2
	if [ ! -f "$OUT/vs.pcap" ] || [ "$GEN" -nt "$OUT/vs.pcap" ]; then
		"$GEN" -n "$VS_N" "$OUT/vs.pcap" 2>/dev/null
	fi
}

# The bench file: SIZE bytes, made when missing or short, and again when the
# generator changed (unless BENCH_FILE names the caller's own file).
ensure_big() {
	ensure_gen
	# Bytes wanted: SIZE with an optional K/M/G suffix (powers of ten, like gen_big).
	want=$(echo "$SIZE" | awk '{ v = $0 + 0; u = substr($0, length($0));
		if (u == "K" || u == "k") v *= 1e3; else if (u == "M" || u == "m") v *= 1e6;
		else if (u == "G" || u == "g") v *= 1e9; printf "%.0f", v }')
	have=$(stat -c %s "$BIG" 2>/dev/null || echo 0)
	# the default file is made again when the generator changed (BENCH_FILE is the caller's)
	if [ "$have" -lt "$want" ] || { [ -z "${BENCH_FILE:-}" ] && [ "$GEN" -nt "$BIG" ]; }; then
		echo "generating $BIG ($SIZE)"
		"$GEN" -s "$SIZE" "$BIG"
	fi
}

main() {
	ensure_big

	echo
	echo "== machine"
	echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "cpu:     $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
	echo "memory:  $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "kernel:  $(uname -r)"
	echo "cc:      $(${CC:-cc} --version | head -n1)"

	echo
	echo "== walk ($RUNS runs per method, median; /libpcap = our wall time / libpcap's, lower is better)"
	"$WALK" -r "$RUNS" "$BIG"

	# One run each, for reference: wall seconds and max RSS from GNU time if present.
	time_one() {
		label=$1
		shift
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -f "$label: %e s wall, %M KiB max RSS" "$@" >/dev/null
		else
			start=$(date +%s.%N)
			"$@" >/dev/null
			end=$(date +%s.%N)
			echo "$label: $(echo "$end - $start" | bc) s wall"
		fi
	}

	echo
	echo "== reference tools (one run each, same file, warm cache)"
	if command -v capinfos >/dev/null; then
		time_one "capinfos (default: all fields, incl. SHA256/RIPEMD160/SHA1)" capinfos "$BIG"
		time_one "capinfos -c -d -u -a -e -y -i -z (no hashes)" \
			capinfos -c -d -u -a -e -y -i -z "$BIG"
	else
		echo "capinfos not installed; skipped"
	fi
	time_one "pcapmcp info (default options)" "$BUILD/pcapmcp" info "$BIG"
	time_one "pcapmcp summary (full analysis)" "$BUILD/pcapmcp" summary --json "$BIG"
	if command -v tshark >/dev/null; then
		time_one "tshark -q -z conv,tcp -z conv,udp" tshark -r "$BIG" -q -z conv,tcp -z conv,udp
	else
		echo "tshark not installed; skipped"
	fi

	# Resident memory follows flows, not file size: the same analysis over a
	# capture a tenth the size, and bytes per flow for both.
	echo
	echo "== memory per flow (peak RSS of the full analysis, one run each)"
	mid=$OUT/mid.pcap
	"$GEN" -s 110M "$mid" 2>/dev/null
	for f in "$mid" "$BIG"; do
		"$WALK" -r 1 -m analysis "$f" | grep -E '^flows:' | sed "s|^|$f: |"
	done

	echo
	echo "== instructions per packet (callgrind, user space only, $SMALL_N packets)"
	if command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null; then
		small=$OUT/small.pcap
		"$GEN" -n "$SMALL_N" "$small" 2>/dev/null
		# Inclusive Ir of one function per packet, from a callgrind run that only
		# collects inside the named functions (so startup and I/O setup are excluded).
		ir_per_pkt() {
			cg=$1
			fn=$2
			callgrind_annotate --inclusive=yes "$cg" 2>/dev/null |
				awk -v fn=":$fn " -v n="$SMALL_N" 'index($0, fn) {
					gsub(",", "", $1); printf "%.0f", $1 / n; exit }'
		}
		cg_run() {
			cg=$1
			shift
			timeout 60 valgrind --tool=callgrind --callgrind-out-file="$cg" \
				--toggle-collect=pm_capture_next --toggle-collect=pm_decode \
				--toggle-collect=pcap_next_ex "$WALK" -F -r 1 "$@" "$small" >/dev/null 2>&1
		}
		if cg_run "$OUT/callgrind.read" -m libpcap,decode-read &&
			cg_run "$OUT/callgrind.mmap" -m decode-mmap; then
			printf '%-36s %s\n' "libpcap pcap_next_ex" \
				"$(ir_per_pkt "$OUT/callgrind.read" pcap_next_ex) Ir/packet"
			printf '%-36s %s\n' "pm_capture_next, read source" \
				"$(ir_per_pkt "$OUT/callgrind.read" pm_capture_next) Ir/packet"
			printf '%-36s %s\n' "pm_capture_next, mmap source" \
				"$(ir_per_pkt "$OUT/callgrind.mmap" pm_capture_next) Ir/packet"
			printf '%-36s %s\n' "pm_decode" \
				"$(ir_per_pkt "$OUT/callgrind.read" pm_decode) Ir/packet"
			echo "(profiles: $OUT/callgrind.read, $OUT/callgrind.mmap; callgrind_annotate --inclusive=yes)"
		else
			echo "callgrind failed or took over 60 s; skipped"
		fi
	else
		echo "valgrind not installed; skipped"
	fi
}

# Seconds of user+system CPU and of wall time for one run of "$@", as "cpu wall".
cpu_wall() {
	local t0 t1 u0 u1 me=$BASHPID
	t0=$(date +%s.%N)
	u0=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$me/stat")
	"$@" >/dev/null
	t1=$(date +%s.%N)
	u1=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$me/stat")
	echo "$(echo "($u1 - $u0) / $(getconf CLK_TCK)" | bc -l) $(echo "$t1 - $t0" | bc -l)"
}

# The bench file has no real QUIC: the same comparison on the corpus's QUIC
# captures merged into one file (read in place, written under $OUT), where
# every UDP flow is a QUIC connection whose Initials are decrypted.
quic_corpus() {
	local corpus=${BENCH_CORPUS:-../shared/corpus} merged=$OUT/quic-corpus.pcapng
	echo
	echo "== QUIC on the corpus's QUIC captures merged (${RUNS}-run medians; bench_walk)"
	if [ ! -f "$corpus/MANIFEST.tsv" ] || ! command -v mergecap >/dev/null; then
		echo "no $corpus or no mergecap; skipped"
		return
	fi
	awk -F'\t' 'NR > 1 && tolower($1) ~ /quic/ && $1 ~ /\.(pcap|pcapng|cap)$/ { print $1 }' \
		"$corpus/MANIFEST.tsv" | (cd "$corpus" && xargs mergecap -w "$OLDPWD/$merged")
	"$WALK" -r "$RUNS" -m analysis-noweb,analysis-noquic "$merged" |
		grep -E '^(analysis-no|records|QUIC:)'
}

# The whole analysis with and without the protocol analysers, same file, same run.
# bench_walk method $1 against method $2 (the same without some analysers), titled $3.
with_without() {
	local with=$1 without=$2
	echo
	echo "== $3: whole analysis with ($with) and without ($without), $PAIRS alternating pairs, medians"
	ensure_big
	: >"$OUT/ww.txt"
	# Each line: wall with, wall without, CPU with, CPU without (seconds, one run each).
	# The order alternates (with first, then without first), so neither side
	# always runs after the other.
	one_walk() {
		"$WALK" -r 1 -m "$1" "$BIG" |
			awk -v m="$1" '$1 == m { w = $2 } $1 == "cpu_s" { c = $3 } END { print w, c }'
	}
	for i in $(seq "$PAIRS"); do
		if [ $((i % 2)) -eq 1 ]; then
			w=$(one_walk "$with")
			c=$(one_walk "$without")
		else
			c=$(one_walk "$without")
			w=$(one_walk "$with")
		fi
		echo "${w% *} ${c% *} ${w#* } ${c#* }" >>"$OUT/ww.txt"
	done
	printf '%-10s %10s %10s %10s\n' "" with without "with/without (median of pairs)"
	printf '%-10s %10.3f %10.3f %10.3f\n' "wall s" \
		"$(awk '{ print $1 }' "$OUT/ww.txt" | median)" "$(awk '{ print $2 }' "$OUT/ww.txt" | median)" \
		"$(awk '{ print $1 / $2 }' "$OUT/ww.txt" | median)"
	printf '%-10s %10.3f %10.3f %10.3f\n' "cpu s" \
		"$(awk '{ print $3 }' "$OUT/ww.txt" | median)" "$(awk '{ print $4 }' "$OUT/ww.txt" | median)" \
		"$(awk '{ print $3 / $4 }' "$OUT/ww.txt" | median)"
	awk '{ r = $3 / $4; if (NR == 1 || r < lo) lo = r; if (NR == 1 || r > hi) hi = r
	       if (NR == 1 || $4 < wlo) wlo = $4; if (NR == 1 || $4 > whi) whi = $4 }
	     END { printf "(cpu: pair ratios %.3f to %.3f; without %.3f to %.3f s)\n", lo, hi, wlo, whi }' \
		"$OUT/ww.txt"
	if command -v valgrind >/dev/null; then
		local vs=$OUT/vs.pcap iw ic
		ensure_vs
		ir_walk() {
			valgrind --tool=callgrind --callgrind-out-file=/dev/null \
				--toggle-collect=pm_analysis_run "$WALK" -F -r 1 -m "$1" "$vs" 2>&1 >/dev/null |
				awk '/Collected/ { print $4 }'
		}
		iw=$(ir_walk "$with")
		ic=$(ir_walk "$without")
		printf '%-10s %10s %10s %10.4f   (callgrind, inside the analysis, %s packets)\n' "Ir" \
			"$iw" "$ic" "$(echo "$iw / $ic" | bc -l)" "$VS_N"
	fi
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The whole analysis of this tree against revision $BASE, same file, same run.
versus_base() {
	echo
	echo "== whole analysis: this tree against $BASE ($RUNS alternating runs each, medians)"
	local wt=$OUT/base-tree
	rm -rf "$wt"
	git worktree prune
	git worktree add -q --detach "$wt" "$BASE"
	make -s -C "$wt" BUILD=build/bench CFLAGS='-O2 -g -DNDEBUG' build/bench/pcapmcp >/dev/null
	local before=$wt/build/bench/pcapmcp after=$BUILD/pcapmcp
	: >"$OUT/vs.txt"
	for i in $(seq "$RUNS"); do
		if [ $((i % 2)) -eq 1 ]; then
			read -r bc bw < <(cpu_wall "$before" summary --json "$BIG")
			read -r ac aw < <(cpu_wall "$after" summary --json "$BIG")
		else
			read -r ac aw < <(cpu_wall "$after" summary --json "$BIG")
			read -r bc bw < <(cpu_wall "$before" summary --json "$BIG")
		fi
		echo "$bc $bw $ac $aw" >>"$OUT/vs.txt"
	done
	printf '%-10s %10s %10s %10s\n' "" before after "after/before (median of pairs)"
	printf '%-10s %10.3f %10.3f %10.3f\n' "cpu s" \
		"$(awk '{ print $1 }' "$OUT/vs.txt" | median)" "$(awk '{ print $3 }' "$OUT/vs.txt" | median)" \
		"$(awk '{ print $3 / $1 }' "$OUT/vs.txt" | median)"
	printf '%-10s %10.3f %10.3f %10.3f\n' "wall s" \
		"$(awk '{ print $2 }' "$OUT/vs.txt" | median)" "$(awk '{ print $4 }' "$OUT/vs.txt" | median)" \
		"$(awk '{ print $4 / $2 }' "$OUT/vs.txt" | median)"
	if command -v valgrind >/dev/null; then
		# Instructions inside the analysis only (the pass and every finish), on
		# enough packets that per-process start-up does not count.
		local vs=$OUT/vs.pcap ib ia
		ensure_vs
		ir_in() {
			valgrind --tool=callgrind --callgrind-out-file=/dev/null \
				--toggle-collect=pm_analysis_run --toggle-collect=pm_analysis_run_fd \
				"$1" summary --json "$vs" 2>&1 >/dev/null | awk '/Collected/ { print $4 }'
		}
		ib=$(ir_in "$before")
		ia=$(ir_in "$after")
		printf '%-10s %10s %10s %10.4f   (callgrind, inside the analysis, %s packets)\n' "Ir" \
			"$ib" "$ia" "$(echo "$ia / $ib" | bc -l)" "$VS_N"
	fi
	git worktree remove --force "$wt"
}

mkdir -p "$OUT" "$(dirname "$BIG")"
{
	if [ -z "${BENCH_ONLY:-}" ]; then main; fi
	if [ -z "${BENCH_ONLY:-}" ] || [ "${BENCH_ONLY:-}" = protocols ]; then
		with_without analysis-noquic analysis-core "protocol analysers (DNS, ICMP, DHCP, SIP)"
	fi
	if [ -z "${BENCH_ONLY:-}" ] || [ "${BENCH_ONLY:-}" = web ]; then
		with_without analysis analysis-noweb "TLS and HTTP over reassembled TCP"
	fi
	if [ -z "${BENCH_ONLY:-}" ] || [ "${BENCH_ONLY:-}" = quic ]; then
		with_without analysis-noweb analysis-noquic "QUIC (headers, Initial decryption)"
		quic_corpus
	fi
	if [ -n "$BASE" ]; then versus_base; fi
} 2>&1 | tee "$RESULTS"
echo "results written to $RESULTS"

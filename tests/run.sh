#!/usr/bin/env bash
# run.sh BUILD - every test: unit suites, golden CLI outputs, CLI behaviour
# (exit codes, io paths agree, stdin), and the fuzz corpora replayed.
# Ends with the one line CI reads: "N passed, N failed".
set -u
build=${1:-build}
prog=$build/pcapmcp
unit=$build/tests/unit
export SOURCE_DATE_EPOCH=1700000000  # fixed generated_at for golden files
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# 1. unit tests: the runner prints "unit: N passed, N failed"
"$unit" >"$tmp/unit.out" 2>"$tmp/unit.err"; urc=$?
grep -v '^suite ' "$tmp/unit.err" >&2
grep '^suite ' "$tmp/unit.err" | sed 's/^/  /' >&2
line=$(tail -n 1 "$tmp/unit.out")
if [[ $line =~ ^unit:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
	pass=$((pass + BASH_REMATCH[1])); fail=$((fail + BASH_REMATCH[2]))
	[ "$urc" = 0 ] || [ "${BASH_REMATCH[2]}" != 0 ] || bad "unit runner exited $urc"
else
	bad "unit runner crashed or printed no summary (exit $urc)"
fi

# 2. golden outputs: tests/golden.list rows are "name capture args..."
while read -r name capture args; do
	[[ -z $name || $name == \#* ]] && continue
	want=tests/expected/$name.out
	# shellcheck disable=SC2086
	"$prog" $args "$capture" >"$tmp/got" 2>/dev/null
	if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
		cp "$tmp/got" "$want"; ok
	elif [ ! -f "$want" ]; then
		bad "golden $name: missing $want (make golden-update)"
	elif diff -u "$want" "$tmp/got" >"$tmp/diff"; then
		ok
	else
		bad "golden $name differs:"; head -n 40 "$tmp/diff" >&2
	fi
done <tests/golden.list

# 3. CLI behaviour
expect_exit() { # expect_exit CODE DESCRIPTION -- command...
	local want=$1 what=$2; shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
	if [ "$rc" = "$want" ]; then ok; else bad "$what: exit $rc, want $want"; fi
}
expect_exit 2 "no verb" -- "$prog"
expect_exit 2 "unknown verb" -- "$prog" frobnicate
expect_exit 2 "info without file" -- "$prog" info
expect_exit 2 "bad --io" -- "$prog" info --io=tape captures/lt-ether.pcap
expect_exit 2 "missing file" -- "$prog" info "$tmp/nope.pcap"
grep -q 'No such file' "$tmp/err" && ok || bad "missing file: message: $(cat "$tmp/err")"
expect_exit 2 "directory" -- "$prog" info captures
printf 'hello world, not a capture\n' >"$tmp/text.pcap"
expect_exit 2 "not a capture" -- "$prog" info "$tmp/text.pcap"
grep -q 'magic bytes 68 65 6c 6c' "$tmp/err" && ok || bad "not a capture: message: $(cat "$tmp/err")"
printf '\x1f\x8b\x08\x00\x00\x00\x00\x00' >"$tmp/gz.pcap"
expect_exit 2 "gzip" -- "$prog" info "$tmp/gz.pcap"
grep -q 'gzip' "$tmp/err" && ok || bad "gzip: message: $(cat "$tmp/err")"
: >"$tmp/empty.pcap"
expect_exit 2 "empty file" -- "$prog" info "$tmp/empty.pcap"
expect_exit 0 "help" -- "$prog" help
expect_exit 0 "damaged capture still reports" -- "$prog" info --json captures/dmg-trunc-last.pcap
grep -q "\"code\": *\"capture_damaged\"" "$tmp/out" && ok || bad "damaged: no capture_damaged warning"
grep -q 'capture_damaged' "$tmp/err" && ok || bad "damaged: no warning on stderr"

# Both io paths and stdin give the same facts for every bundled capture.
for f in captures/*.pcap captures/*.pcapng; do
	"$prog" info --json --io=read "$f" >"$tmp/r" 2>/dev/null; r1=$?
	"$prog" info --json --io=mmap "$f" >"$tmp/m" 2>/dev/null; r2=$?
	if [ "$r1" = "$r2" ] && cmp -s "$tmp/r" "$tmp/m"; then ok; else bad "io paths differ on $f"; fi
	[ "$r1" = 0 ] || continue
	"$prog" info --json - <"$f" 2>/dev/null |
		sed -e '/"path": /d' -e '/"filename": /d' -e '/"file_size_bytes": /d' >"$tmp/s"
	sed -e '/"path": /d' -e '/"filename": /d' -e '/"file_size_bytes": /d' "$tmp/r" >"$tmp/r2"
	if cmp -s "$tmp/s" "$tmp/r2"; then ok; else bad "stdin differs from file on $f"; fi
done

# 4. fuzz corpora replayed through the plain builds; the capture targets also
# get fuzz/seeds.sh's small public captures from ../shared/corpus (read in
# place, the same seeds make fuzz-libfuzzer uses; none when it is absent).
mapfile -t seeds < <(fuzz/seeds.sh)
for src in fuzz/fuzz_*.c; do
	t=${src#fuzz/fuzz_}; t=${t%.c}; f=$build/fuzz/fuzz_$t
	extra=()
	case $t in capture | analysis) extra=("${seeds[@]}") ;; esac
	if "$f" "fuzz/corpus/$t" "${extra[@]}" >"$tmp/fz" 2>&1; then ok; else bad "fuzz corpus $t:"; tail -n 20 "$tmp/fz" >&2; fi
done

# 5. MCP end to end: the official TypeScript SDK client drives `serve`
# (tests/mcp/e2e.mjs), and a stream of malformed lines hits one server
# (tests/mcp/malformed.mjs). Needs node and `npm ci --prefix tests/mcp`
# (.ci/run does it); without them the section is skipped and counts nothing.
mcp_run() { # mcp_run NAME SCRIPT: add its "NAME: N passed, N failed" to the totals
	local name=$1 script=$2
	node "$script" "$abs_prog" >"$tmp/$name.out" 2>"$tmp/$name.err"; local rc=$?
	grep '^not ok' "$tmp/$name.out" | sed "s/^/  $name: /" >&2
	local line; line=$(tail -n 1 "$tmp/$name.out")
	if [[ $line =~ ^$name:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		pass=$((pass + BASH_REMATCH[1])); fail=$((fail + BASH_REMATCH[2]))
		[ "$rc" = 0 ] || [ "${BASH_REMATCH[2]}" != 0 ] || bad "mcp $name exited $rc"
	else
		bad "mcp $name crashed or printed no summary (exit $rc)"
		tail -n 20 "$tmp/$name.out" "$tmp/$name.err" >&2
	fi
}
abs_prog=$(cd "$(dirname "$prog")" && pwd)/$(basename "$prog")
if ! command -v node >/dev/null 2>&1; then
	echo "mcp e2e: skipped (node not found)" >&2
else
	mcp_run malformed tests/mcp/malformed.mjs
	if [ -f tests/mcp/node_modules/@modelcontextprotocol/sdk/package.json ]; then
		mcp_run e2e tests/mcp/e2e.mjs
	else
		echo "mcp e2e: skipped (no SDK: npm ci --prefix tests/mcp --no-audit --no-fund)" >&2
	fi
fi

# 6. Scan detection against captures/scans_expected.tsv (numbers from tshark
# and the generator), through the same tools an MCP client calls.
if command -v python3 >/dev/null 2>&1; then
	python3 tests/scan_expected.py "$prog" >"$tmp/scans.out" 2>&1; src=$?
	grep '^not ok' "$tmp/scans.out" >&2
	line=$(tail -n 1 "$tmp/scans.out")
	if [[ $line =~ ^scans:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		pass=$((pass + BASH_REMATCH[1])); fail=$((fail + BASH_REMATCH[2]))
		[ "$src" = 0 ] || [ "${BASH_REMATCH[2]}" != 0 ] || bad "scan check exited $src"
	else
		bad "scan check crashed or printed no summary"; tail -n 20 "$tmp/scans.out" >&2
	fi
else
	echo "scans: skipped (python3 not found)" >&2
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]

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
# Tests never reach the internet: every provider points at a closed loopback
# port (connection refused at once) unless a section starts its own server,
# and the enrichment cache lives in the scratch directory.
for p in GREYNOISE OTX ABUSEIPDB VIRUSTOTAL SHODAN RDAP; do export "PCAPMCP_${p}_URL=https://127.0.0.1:9"; done
export PCAPMCP_CACHE_DIR=$tmp/cache

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
# The analysis settings reach the CLI's verbs: a JA3 feed marks curl's recorded
# fingerprint (captures/README.md) as malware; a bad reassembly window is refused.
printf '# ja3_md5,Firstseen,Lastseen,Listingreason\n0149f47eabf9a20d0893e2a44e5a6323,2020-01-01 00:00:00,2020-01-02 00:00:00,CliFeedFamily\n' >"$tmp/feed.csv"
PCAPMCP_JA3_FEED="$tmp/feed.csv" "$prog" tls captures/known-clients.pcapng --json >"$tmp/out" 2>"$tmp/err"
grep -q '"name": "CliFeedFamily"' "$tmp/out" && ok || bad "tls verb: PCAPMCP_JA3_FEED not applied"
PCAPMCP_REASM_WINDOW_KB=0 expect_exit 2 "bad PCAPMCP_REASM_WINDOW_KB" -- "$prog" tls captures/loopback-tls.pcapng
printf '\x1f\x8b\x08\x00\x00\x00\x00\x00' >"$tmp/gz.pcap"
expect_exit 2 "gzip" -- "$prog" info "$tmp/gz.pcap"
grep -q 'gzip' "$tmp/err" && ok || bad "gzip: message: $(cat "$tmp/err")"
: >"$tmp/empty.pcap"
expect_exit 2 "empty file" -- "$prog" info "$tmp/empty.pcap"
expect_exit 0 "help" -- "$prog" help
expect_exit 0 "damaged capture still reports" -- "$prog" info --json captures/dmg-trunc-last.pcap
grep -q "\"code\": *\"capture_damaged\"" "$tmp/out" && ok || bad "damaged: no capture_damaged warning"
grep -q 'capture_damaged' "$tmp/err" && ok || bad "damaged: no warning on stderr"

# The tool reference is generated from the registry and committed as is.
if "$prog" tools --markdown >"$tmp/tools.md" && cmp -s "$tmp/tools.md" docs/TOOLS.md; then
	ok
else
	bad "docs/TOOLS.md is not what \`pcapmcp tools --markdown\` writes (regenerate it)"
	diff "$tmp/tools.md" docs/TOOLS.md | head -n 20 >&2
fi
# Verbs are tool calls: --json prints exactly what `call` prints, options map
# onto the tool's arguments by name (dashes as underscores, --name=value too),
# and the registry's own checks reject bad values.
same_as_call() { # same_as_call DESCRIPTION TOOL 'JSON' -- verb args...
	local what=$1 tool=$2 json=$3; shift 4
	"$prog" call "$tool" "$json" >"$tmp/call" 2>/dev/null
	"$@" >"$tmp/verb" 2>/dev/null
	if cmp -s "$tmp/call" "$tmp/verb"; then ok; else bad "$what: verb and call $tool differ"; fi
}
mixed=captures/loopback-mixed.pcap
same_as_call "summary --top" get_pcap_summary "{\"path\":\"$mixed\",\"top\":1}" -- \
	"$prog" summary --json --top 1 "$mixed"
same_as_call "tcp --server-port=" analyze_tcp_connections \
	"{\"path\":\"$mixed\",\"server_port\":8080,\"limit\":1}" -- \
	"$prog" tcp --json --server-port=8080 --limit 1 "$mixed"
same_as_call "tcp --view retransmissions" analyze_tcp_retransmissions \
	"{\"path\":\"$mixed\",\"server_ip\":\"127.0.0.1\",\"threshold\":0.5}" -- \
	"$prog" tcp --json --view retransmissions --server-ip 127.0.0.1 --threshold 0.5 "$mixed"
same_as_call "flows --proto" analyze_protocol_flows "{\"path\":\"$mixed\",\"protocol\":\"udp\"}" -- \
	"$prog" flows --json --proto udp "$mixed"
udp=$PWD/captures/scan-udp.pcap amixed=$PWD/$mixed # absolute: `call` reports the path resolved
same_as_call "dns --type --limit" analyze_dns_packets "{\"path\":\"$udp\",\"type\":\"PTR\",\"limit\":2}" -- \
	"$prog" dns --json --type PTR --limit 2 "$udp"
same_as_call "dhcp --type" analyze_dhcp_packets "{\"path\":\"$udp\",\"type\":\"INFORM\"}" -- \
	"$prog" dhcp --json --type INFORM "$udp"
same_as_call "icmp --version --offset" analyze_icmp_packets "{\"path\":\"$udp\",\"version\":4,\"offset\":3}" -- \
	"$prog" icmp --json --version 4 --offset 3 "$udp"
same_as_call "sip --call-id" analyze_sip_packets "{\"path\":\"$amixed\",\"call_id\":\"x\"}" -- \
	"$prog" sip --json --call-id x "$amixed"
"$prog" dns "$udp" >"$tmp/out" 2>/dev/null
grep -q '^dns_packets_found  *10$' "$tmp/out" && grep -q '^  query_types  *TXT=3 PTR=4$' "$tmp/out" &&
	grep -q '^findings (1)$' "$tmp/out" && ok || bad "dns table: $(head -c 300 "$tmp/out")"
expect_exit 2 "dns unknown rcode" -- "$prog" dns --rcode BOGUS "$udp"
grep -q "rcode 'BOGUS' is not a known name or number" "$tmp/err" && ok || bad "dns rcode: $(cat "$tmp/err")"
expect_exit 2 "icmp version 5" -- "$prog" icmp --version 5 "$udp"
expect_exit 2 "port out of range" -- "$prog" flows --port 70000 "$mixed"
grep -q 'port must be an integer from 0 to 65535' "$tmp/err" && ok || bad "port range: $(cat "$tmp/err")"
expect_exit 2 "port not a number" -- "$prog" flows --port=abc "$mixed"
grep -q 'port must be an integer' "$tmp/err" && ok || bad "port type: $(cat "$tmp/err")"
expect_exit 2 "scan window zero" -- "$prog" scan --window 0 captures/scan-syn.pcap
grep -q 'time_window_s must be' "$tmp/err" && ok || bad "scan window: $(cat "$tmp/err")"
expect_exit 2 "option the tool lacks" -- "$prog" summary --threshold 0.1 "$mixed"
grep -q "unknown option '--threshold'" "$tmp/err" && ok || bad "unknown option: $(cat "$tmp/err")"
expect_exit 2 "option without value" -- "$prog" scan captures/scan-syn.pcap --top
expect_exit 2 "two flow filters" -- "$prog" flows --port 80 --ip 127.0.0.1 "$mixed"
expect_exit 2 "bad --view" -- "$prog" tcp --view sideways "$mixed"
# scan --json is the three scan tools' members in one object, in order
# (an absolute path, which `call` reports resolved and the CLI as given).
syn=$PWD/captures/scan-syn.pcap
for t in scan_overview list_suspects first_scan_event; do
	"$prog" call "$t" "{\"path\":\"$syn\"}" >"$tmp/$t.json" 2>/dev/null
done
"$prog" scan --json "$syn" >"$tmp/scan.json" 2>/dev/null
if command -v python3 >/dev/null 2>&1; then
	python3 - "$tmp" <<'EOF' && ok || bad "scan --json is not the merge of its three tools"
import json, sys
d = sys.argv[1]
want = {}
assert json.load(open(f"{d}/scan_overview.json"))["overview"]["scanners"]
for t in ("scan_overview", "list_suspects", "first_scan_event"):
    want.update(json.load(open(f"{d}/{t}.json")))
sys.exit(0 if json.load(open(f"{d}/scan.json")) == want else 1)
EOF
fi
# The table lists a source's techniques in the detector's order, whatever their counts (the
# first fragments of datagrams never completed are IP-level only, as tshark counts them).
"$prog" scan --min-ports 3 --min-rate 1 captures/lt-raw12.pcap >"$tmp/out" 2>/dev/null
grep -q ' syn:1,udp:3,icmp_sweep:1$' "$tmp/out" && ok || bad "scan table: techniques out of order"
# A pipe on stdin works for every verb, including scan's three calls.
"$prog" scan captures/scan-syn.pcap >"$tmp/f" 2>/dev/null
"$prog" scan - <captures/scan-syn.pcap >"$tmp/p" 2>/dev/null
cat captures/scan-syn.pcap | "$prog" scan - >"$tmp/q" 2>/dev/null
cmp -s "$tmp/f" "$tmp/p" && cmp -s "$tmp/f" "$tmp/q" && ok || bad "scan on stdin differs"
# A person names files anywhere (no sandbox in the CLI), and damage is warned of on every verb.
cp captures/dmg-trunc-last.pcap "$tmp/d.pcap"
expect_exit 0 "summary outside the working directory" -- "$prog" summary "$tmp/d.pcap"
grep -q 'capture_damaged' "$tmp/err" && ok || bad "summary: no damage warning: $(cat "$tmp/err")"

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

# Enrichment from the command line: one address is enrich_ip, several are
# correlate, --capture is enrich_capture; the MaxMind test databases give
# geo and ASN (values as mmdblookup gives them).
expect_exit 0 "enrich one address" -- "$prog" enrich 8.8.8.8
grep -q '"kind": "public"' "$tmp/out" && ok || bad "enrich: $(head -c 300 "$tmp/out")"
expect_exit 2 "enrich without an address" -- "$prog" enrich
expect_exit 2 "enrich an invalid address" -- "$prog" enrich 300.1.1.1
grep -q '"error": "invalid_ip"' "$tmp/out" && ok || bad "enrich invalid: $(cat "$tmp/out")"
same_as_call "enrich IP" enrich_ip '{"ip":"8.8.8.8"}' -- "$prog" enrich 8.8.8.8
same_as_call "enrich IP IP" correlate '{"ips":"8.8.8.8 10.0.0.1"}' -- "$prog" enrich 8.8.8.8 10.0.0.1
same_as_call "enrich --capture" enrich_capture "{\"path\":\"$syn\",\"top_n\":3}" -- \
	"$prog" enrich --capture "$syn" --top 3
# A distinctive key in every variable never reaches the result or stderr, the providers
# failing (connection refused on the closed port), and keyed providers are then asked.
leak=PM-LEAK-KEY-5c0ffee
env GREYNOISE_API_KEY=$leak OTX_API_KEY=$leak ABUSEIPDB_KEY=$leak VT_API_KEY=$leak SHODAN_KEY=$leak \
	"$prog" enrich 8.8.8.8 1.1.1.1 >"$tmp/out" 2>"$tmp/err"
grep -q '"status": "unavailable"' "$tmp/out" && ! grep -q -- "$leak" "$tmp/out" "$tmp/err" && ok ||
	bad "enrich with keys: key leaked or providers not asked: $(head -c 300 "$tmp/out")"
mmdb_dir=${PCAPMCP_CORPUS:-../shared/corpus}/mmdb/test-data
if [ -f "$mmdb_dir/GeoLite2-City-Test.mmdb" ]; then
	PCAPMCP_GEOIP_DB=$mmdb_dir/GeoLite2-City-Test.mmdb PCAPMCP_ASN_DB=$mmdb_dir/GeoLite2-ASN-Test.mmdb \
		"$prog" enrich 81.2.69.142 ::ffff:1.128.0.0 >"$tmp/out" 2>&1
	grep -q '"city": "London"' "$tmp/out" && grep -q '"asn": 1221' "$tmp/out" &&
		grep -q '"org": "Telstra Pty Ltd"' "$tmp/out" && ok || bad "enrich with databases: $(head -c 400 "$tmp/out")"
fi
# Offline (PCAPMCP_OFFLINE=1 or --offline) opens no socket: strace sees every
# socket() and connect() (checked first on a program that does open one).
if command -v strace >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1 &&
	strace -f -qq -e trace=socket -o "$tmp/st0" python3 -c 'import socket; socket.socket()' 2>/dev/null &&
	grep -q 'socket(' "$tmp/st0"; then
	ok
	no_socket() { # no_socket DESCRIPTION -- command...
		local what=$1; shift 2
		# LeakSanitizer cannot run under ptrace: the ASan build skips leak checks here.
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
			strace -f -qq -e trace=socket,connect -o "$tmp/st" "$@" >"$tmp/out" 2>&1
		if grep -q '"ok": true' "$tmp/out" && ! grep -q -E '(socket|connect)\(' "$tmp/st"; then ok
		else bad "$what: a socket was opened or the call failed: $(head -n 3 "$tmp/st")"; fi
	}
	no_socket "PCAPMCP_OFFLINE enrich" -- env PCAPMCP_OFFLINE=1 "$prog" enrich 8.8.8.8 1.1.1.1
	no_socket "enrich --offline" -- "$prog" enrich --offline 9.9.9.9
	no_socket "PCAPMCP_OFFLINE enrich --capture" -- env PCAPMCP_OFFLINE=1 "$prog" enrich --capture "$syn"
	no_socket "PCAPMCP_OFFLINE call enrich_ip" -- env PCAPMCP_OFFLINE=1 "$prog" call enrich_ip '{"ip":"8.8.8.8"}'
	grep -q '"status": "offline"' "$tmp/out" && ok || bad "offline: providers not reported offline"
	# Keys set change nothing offline: still no socket.
	no_socket "PCAPMCP_OFFLINE with every key" -- env PCAPMCP_OFFLINE=1 GREYNOISE_API_KEY=k OTX_KEY=k \
		ABUSEIPDB_API_KEY=k VT_KEY=k SHODAN_API_KEY=k "$prog" enrich 8.8.8.8 1.1.1.1
else
	echo "offline socket check: skipped (no strace or ptrace not permitted)" >&2
fi

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
# The MaxMind test and bad-data databases through fuzz_mmdb, read in place.
mmdb_corpus=${PCAPMCP_CORPUS:-../shared/corpus}/mmdb
for d in "$mmdb_corpus"/test-data "$mmdb_corpus"/bad-data/*/; do
	[ -d "$d" ] || continue
	if "$build/fuzz/fuzz_mmdb" "$d" >"$tmp/fz" 2>&1; then ok; else bad "fuzz_mmdb on $d:"; tail -n 20 "$tmp/fz" >&2; fi
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
		# PortHunter's and mcpcap's configs, argument names and fields (issue 9).
		mcp_run compat tests/mcp/compat.mjs
	else
		echo "mcp e2e: skipped (no SDK: npm ci --prefix tests/mcp --no-audit --no-fund)" >&2
	fi
	# Every tool's result against its outputSchema, with ajv in strict mode.
	if [ -f tests/mcp/node_modules/ajv/dist/2020.js ]; then
		mcp_run schema tests/mcp/schema.mjs
	else
		echo "mcp schema: skipped (no ajv: npm ci --prefix tests/mcp --no-audit --no-fund)" >&2
	fi
fi

# resources/list pages: 230 captures give a page of 200 with nextCursor, and
# that cursor gives the other 30 and no nextCursor.
mkdir -p "$tmp/res"
for i in $(seq 1 230); do cp captures/lt-ether.pcap "$tmp/res/c$i.pcap"; done
init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"sh","version":"0"}}}'
printf '%s\n' "$init" '{"jsonrpc":"2.0","id":2,"method":"resources/list"}' |
	PCAPMCP_ALLOWED_DIR="$tmp/res" "$prog" serve 2>/dev/null | grep '"id":2' >"$tmp/page1"
next=$(grep -o '"nextCursor":"[^"]*"' "$tmp/page1" | cut -d'"' -f4)
[ "$(grep -o '"uri":' "$tmp/page1" | wc -l)" = 200 ] && [ -n "$next" ] && ok ||
	bad "resources/list: first page of 230 captures: $(head -c 200 "$tmp/page1")"
printf '%s\n' "$init" "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"resources/list\",\"params\":{\"cursor\":\"$next\"}}" |
	PCAPMCP_ALLOWED_DIR="$tmp/res" "$prog" serve 2>/dev/null | grep '"id":3' >"$tmp/page2"
[ "$(grep -o '"uri":' "$tmp/page2" | wc -l)" = 30 ] && ! grep -q nextCursor "$tmp/page2" && ok ||
	bad "resources/list: second page: $(head -c 200 "$tmp/page2")"

# A python check's "NAME: N passed, N failed" closing line, from its output
# file OUT and exit code RC, added to the totals; its "not ok" lines shown.
add_summary() {
	local name=$1 out=$2 rc=$3 line
	grep '^not ok' "$out" >&2
	line=$(tail -n 1 "$out")
	if [[ $line =~ ^$name:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		pass=$((pass + BASH_REMATCH[1])); fail=$((fail + BASH_REMATCH[2]))
		[ "$rc" = 0 ] || [ "${BASH_REMATCH[2]}" != 0 ] || bad "$name check exited $rc"
	else
		bad "$name check crashed or printed no summary"; tail -n 20 "$out" >&2
	fi
}

# 6. Scan detection against captures/scans_expected.tsv (numbers from tshark
# and the generator), through the same tools an MCP client calls.
if command -v python3 >/dev/null 2>&1; then
	python3 tests/scan_expected.py "$prog" >"$tmp/scans.out" 2>&1
	add_summary scans "$tmp/scans.out" $?
else
	echo "scans: skipped (python3 not found)" >&2
fi

# 7. Past the rows: the build with one TLS and one HTTP row (make's rows1)
# against this one, statistics and TLS findings (tests/rows_check.py).
if command -v python3 >/dev/null 2>&1 && [ -x "$build/rows1/pcapmcp" ]; then
	python3 tests/rows_check.py "$prog" "$build/rows1/pcapmcp" >"$tmp/rows.out" 2>&1
	add_summary rows "$tmp/rows.out" $?
else
	echo "rows: skipped (python3 or $build/rows1/pcapmcp missing)" >&2
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]

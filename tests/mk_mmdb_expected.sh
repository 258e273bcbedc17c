#!/usr/bin/env bash
# mk_mmdb_expected.sh - record what libmaxminddb's mmdblookup (Debian's
# mmdb-bin) answers for the MaxMind test databases in ../shared/corpus/mmdb,
# into tests/mmdb_expected.txt, which tests/test_mmdb.c compares the reader
# against. Run from the worktree: tests/mk_mmdb_expected.sh
#
# Commands, per database DB and address IP:
#   mmdblookup -v --file DB --ip 0.0.0.0      (the metadata block, once per DB)
#   mmdblookup -v --file DB --ip IP           (prefix length and entry, or the error)
# A block "== DB IP" holds what mmdblookup printed from "Record prefix
# length" on; "!! ..." means it reported an error (the reader must fail too);
# "-- notfound PREFIX" means no entry. Addresses: a fixed probe list plus the
# first address of every 10th network (every 5th for ASN) in the source JSON
# of GeoLite2-ASN/City/Country, to keep this file small.
set -euo pipefail
corpus=${PCAPMCP_CORPUS:-../shared/corpus}/mmdb
out=tests/mmdb_expected.txt
probes="1.1.1.1 1.1.1.2 1.1.1.3 1.1.1.4 1.1.1.7 1.1.1.8 1.1.1.15 1.1.1.16 1.1.1.31 1.1.1.32
1.1.1.33 0.0.0.0 255.255.255.255 10.0.0.1 127.0.0.1 2.125.160.216 81.2.69.142 81.2.69.160
89.160.20.112 89.160.20.128 175.16.199.0 216.160.83.56 202.196.224.0 67.43.156.0 1.128.0.0
12.81.92.0 149.101.100.0 ::1:ffff:ffff ::2:0:0 ::2:0:40 ::2:0:50 ::2:0:58 ::1.1.1.1
::ffff:1.1.1.1 ::ffff:2.125.160.216 2001:218:: 2001:220::1 2001:480:: 2a02:cf40:: 2a02:d280::
2c0f:ff00:: :: ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 2002:101:101:: 2002:5102:458e::"
firsts() { # firsts FILE STEP: first addresses of every STEP-th network in a source JSON file
	python3 -c 'import json,sys,ipaddress
for e in json.load(open(sys.argv[1]))[::int(sys.argv[2])]:
    for k in e: print(ipaddress.ip_network(k, strict=False).network_address)' "$1" "$2"
}
{
	echo "# recorded by tests/mk_mmdb_expected.sh with mmdb-bin $(dpkg-query -W -f='${Version}' mmdb-bin)"
	for db in "$corpus"/test-data/*.mmdb; do
		name=$(basename "$db")
		ips=$probes
		src=$corpus/source-data/${name%.mmdb}.json
		step=10; [[ $name == *ASN* ]] && step=5
		if [ -f "$src" ]; then ips="$ips $(firsts "$src" "$step")"; fi
		echo "== $name meta"
		{ mmdblookup -v --file "$db" --ip 0.0.0.0 2>&1 || true; } | sed -n '/Database metadata/,/^$/p' |
			sed '/^$/d' | grep -v -e 'Description:' -e '^      [a-zA-Z-]*:   ' || echo "!! cannot open"
		for ip in $ips; do
			echo "== $name $ip"
			res=$(mmdblookup -v --file "$db" --ip "$ip" 2>&1 || true)
			if grep -q -e 'Got an error' -e "Can't open" <<<"$res"; then
				echo "!! error"
			elif grep -q 'Could not find an entry' <<<"$res"; then
				echo "-- notfound"
			else
				sed -n '/Record prefix length/,$p' <<<"$res" | sed '/^$/d'
			fi
		done
	done
	for db in "$corpus"/bad-data/*/*.mmdb; do
		name=${db#"$corpus"/bad-data/}
		echo "== bad/$name 1.1.1.1"
		res=$(mmdblookup --file "$db" --ip 1.1.1.1 2>&1 || true)
		if grep -q -e 'Got an error' -e "Can't open" <<<"$res"; then echo "!! error"; else echo "-- accepted"; fi
	done
} >"$out"
echo "wrote $out: $(grep -c '^== ' "$out") blocks"

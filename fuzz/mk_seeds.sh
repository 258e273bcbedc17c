#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mk_seeds.sh - extract a few protocol payloads from the public corpus as
# seeds for fuzz/corpus/<target>/ (small files only, at most 8 per target).
#
#   fuzz/mk_seeds.sh TARGET [CORPUS_DIR]
#
# TARGET is dns, dhcp, icmp or sip. Each seed is one payload tshark shows in
# the field below (hex), written as bytes; its name says where it came from.
# A maintainer tool: the seeds are committed, CI only replays them.
#
#   dns:  tshark -r F -Y 'dns && udp && !icmp'      -T fields -e udp.payload
#   dhcp: tshark -r F -Y 'dhcp && !icmp'            -T fields -e udp.payload
#   sip:  tshark -r F -Y 'sip && udp && !icmp'      -T fields -e udp.payload
#   icmp: crafted seeds only (see below)
set -euo pipefail

target=$1
here=$(cd "$(dirname "$0")" && pwd)
corpus=${2:-$here/../../shared/corpus}
out=$here/corpus/$target
mkdir -p "$out"

case $target in
dns)  filter='dns && udp && !icmp && !icmpv6'; field=udp.payload
      files="arkime/pcap/dns-wiresharkrepo.pcap zeek/Traces/dns-edns-ecs.pcap arkime/pcap/dns-caa.pcap ndpi/pcap/bad-dns-traffic.pcap" ;;
dhcp) filter='dhcp && !icmp'; field=udp.payload
      files="arkime/pcap/wireshark-dhcp.pcap arkime/pcap/wireshark-dhcpv6.pcap chrissanders-packets/dhcp_nolease_initialization.pcapng" ;;
sip)  filter='sip && udp && !icmp'; field=udp.payload
      files="pcapplusplus/Packet++Test/PacketExamples/sip_reqs.pcap pcapplusplus/Packet++Test/PacketExamples/sip_resp.pcap" ;;
icmp) # tshark 4.0 has no field with the ICMP message's bytes: the icmp seeds
      # (crafted-*) are written by hand from tests/test_icmp.c's fixtures.
      echo "mk_seeds: icmp seeds are crafted; nothing to extract"; exit 0 ;;
*) echo "mk_seeds: unknown target $target" >&2; exit 1 ;;
esac
for f in ${FILES:-$files}; do
	n=0
	tshark -n -r "$corpus/$f" -Y "$filter" -T fields -e "$field" 2>/dev/null | head -n 2 |
	while read -r hex; do
		[ -n "$hex" ] || continue
		name=$(basename "$f" | sed 's/\.[a-z]*$//')-$n
		echo "$hex" | tr -d ':' | xxd -r -p >"$out/$name"
		n=$((n + 1))
	done || true
done
ls "$out" | wc -l | sed "s|^|mk_seeds: $target: |;s|$| seeds|"

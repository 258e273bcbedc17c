#!/usr/bin/env python3
# scan_expected.py PCAPMCP - checks scan_overview and list_suspects on every
# captures/scan-*.pcap against captures/scans_expected.tsv, whose numbers come
# from tshark and from the generator (see its header): each scanner is found
# with its kind, distinct ports and hosts, 60 s window maximum, first probe,
# targets and open ports, and is a default suspect exactly when the TSV says;
# no benign address is a scanner or suspect. Prints "scans: N passed, N failed".
import csv
import json
import subprocess
import sys

prog = sys.argv[1]
rows = [r for r in csv.reader(open("captures/scans_expected.tsv"), delimiter="\t")
        if r and not r[0].startswith("#")]
hdr, rows = rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]
cache = {}


def call(tool, f, **args):
    args["path"] = "captures/" + f
    out = subprocess.run([prog, "call", tool, json.dumps(args)], capture_output=True, text=True)
    return json.loads(out.stdout)


def results(f):
    if f not in cache:
        ov = call("scan_overview", f, top_k=1000)["overview"]
        su = call("list_suspects", f)["suspects"]
        cache[f] = ({s["ip"]: s for s in ov["scanners"]}, {s["ip"]: s for s in su})
    return cache[f]


passed = failed = 0
for r in rows:
    scanners, suspects = results(r["file"])
    problems = []
    if r["role"] == "benign":
        if r["ip"] in scanners or r["ip"] in suspects:
            problems.append("benign address listed")
    elif r["role"] == "scanner":
        s = scanners.get(r["ip"])
        if s is None:
            problems.append("scanner not found")
        else:
            for key, want in (("kind", r["kind"]), ("distinct_ports", r["distinct_ports"]),
                              ("distinct_hosts", r["distinct_hosts"]),
                              ("max_targets_in_window", r["max_targets_60s"])):
                if str(s[key]) != want:
                    problems.append(f"{key} {s[key]} != {want}")
            if s["first_seen"][:26] != r["first_probe"][:26]:
                problems.append(f"first_seen {s['first_seen']} != {r['first_probe']}")
            if (r["ip"] in suspects) != (r["default_suspect"] == "yes"):
                problems.append(f"suspect {r['ip'] in suspects} != {r['default_suspect']}")
            sp = suspects.get(r["ip"])
            if sp is not None:
                want_open = 0 if r["open_ports"] in ("-", "none", "") else len(r["open_ports"].split())
                if str(sp["distinct_targets"]) != r["distinct_targets"]:
                    problems.append(f"targets {sp['distinct_targets']} != {r['distinct_targets']}")
                if sp["open_ports_found"] != want_open:
                    problems.append(f"open ports {sp['open_ports_found']} != {want_open}")
    else:
        continue
    if problems:
        failed += 1
        print(f"not ok - {r['file']} {r['ip']}: " + "; ".join(problems))
    else:
        passed += 1
print(f"scans: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)

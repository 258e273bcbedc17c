#!/usr/bin/env python3
# mk_mmdb_seeds.py - write the fuzz_mmdb seeds into fuzz/corpus/mmdb: tiny
# MaxMind DB files made here (not copied from any corpus), one per record
# size and IP version, with every data type, pointers (data and metadata)
# and a nested map. Run from the worktree: python3 fuzz/mk_mmdb_seeds.py
import ipaddress
import os
import struct

T = {"ptr": 1, "str": 2, "double": 3, "bytes": 4, "u16": 5, "u32": 6, "map": 7, "i32": 8,
     "u64": 9, "u128": 10, "array": 11, "bool": 14, "float": 15}


def ctrl(t, size):
    out = b""
    if size < 29:
        s, extra = size, b""
    elif size < 285:
        s, extra = 29, bytes([size - 29])
    elif size < 65821:
        s, extra = 30, struct.pack(">H", size - 285)
    else:
        s, extra = 31, struct.pack(">I", size - 65821)[1:]
    if t <= 7:
        out = bytes([t << 5 | s])
    else:
        out = bytes([s, t - 7])
    return out + extra


def uint(v):
    b = v.to_bytes(16, "big").lstrip(b"\0")
    return b


def enc(v):
    if isinstance(v, tuple):
        kind, x = v
        if kind == "ptr":  # 11-bit pointer only: the seeds are small
            return bytes([1 << 5 | (x >> 8), x & 0xff])
        if kind in ("u16", "u32", "u64", "u128"):
            b = uint(x)
            return ctrl(T[kind], len(b)) + b
        if kind == "i32":
            b = uint(x & 0xffffffff)
            return ctrl(T["i32"], len(b)) + b
        if kind == "float":
            return ctrl(T["float"], 4) + struct.pack(">f", x)
        if kind == "bytes":
            return ctrl(T["bytes"], len(x)) + x
    if isinstance(v, bool):
        return ctrl(T["bool"], int(v))
    if isinstance(v, int):
        b = uint(v)
        return ctrl(T["u32"], len(b)) + b
    if isinstance(v, float):
        return ctrl(T["double"], 8) + struct.pack(">d", v)
    if isinstance(v, str):
        b = v.encode()
        return ctrl(T["str"], len(b)) + b
    if isinstance(v, list):
        return ctrl(T["array"], len(v)) + b"".join(enc(x) for x in v)
    if isinstance(v, dict):
        return ctrl(T["map"], len(v)) + b"".join(enc(k) + enc(x) for k, x in v.items())
    raise TypeError(v)


def tree(nets, bits, record_size, data_offs):
    nodes = [[None, None]]
    for net, off in zip(nets, data_offs):
        n = ipaddress.ip_network(net)
        a = int(n.network_address) << (bits - n.max_prefixlen)
        cur = 0
        for i in range(n.prefixlen + bits - n.max_prefixlen):
            b = a >> (bits - 1 - i) & 1
            if i == n.prefixlen + bits - n.max_prefixlen - 1:
                nodes[cur][b] = ("data", off)
            else:
                if not isinstance(nodes[cur][b], int):
                    nodes.append([None, None])
                    nodes[cur][b] = len(nodes) - 1
                cur = nodes[cur][b]
    count = len(nodes)

    def rec(r):
        if r is None:
            return count
        if isinstance(r, int):
            return r
        return count + 16 + r[1]
    out = b""
    for left, right in nodes:
        l, r = rec(left), rec(right)
        if record_size == 24:
            out += l.to_bytes(3, "big") + r.to_bytes(3, "big")
        elif record_size == 28:
            out += (l & 0xffffff).to_bytes(3, "big") + bytes([(l >> 24) << 4 | r >> 24]) + \
                (r & 0xffffff).to_bytes(3, "big")
        else:
            out += l.to_bytes(4, "big") + r.to_bytes(4, "big")
    return out, count


def db(ipv, record_size, nets):
    data = b""
    shared = enc("shared")
    data += shared
    offs = []
    for i, _ in enumerate(nets):
        offs.append(len(data))
        data += enc({"country": {"iso_code": "GB", "names": {"en": "United Kingdom"}},
                     "city": {"names": {"en": ("ptr", 0)}},
                     "autonomous_system_number": 64496 + i,
                     "array": [1, ("u16", 2), ("u64", 2**63), ("u128", 2**127 + 5), ("i32", -7),
                               ("float", 1.5), 2.25, True, False, ("bytes", b"\x00\x2a")]})
    bits = 32 if ipv == 4 else 128
    t, count = tree(nets, bits, record_size, offs)
    meta = {"binary_format_major_version": ("u16", 2), "binary_format_minor_version": ("u16", 0),
            "build_epoch": ("u64", 1700000000), "database_type": "pcapmcp-seed",
            "description": {"en": "fuzz seed"}, "ip_version": ("u16", ipv),
            "languages": ["en"], "node_count": ("u32", count), "record_size": ("u16", record_size)}
    return t + b"\0" * 16 + data + b"\xab\xcd\xefMaxMind.com" + enc(meta)


def main():
    out = "fuzz/corpus/mmdb"
    os.makedirs(out, exist_ok=True)
    v4 = ["1.1.1.0/24", "81.2.69.0/25", "0.0.0.0/8"]
    v6 = ["::1.1.1.0/120", "::ffff:1.1.1.0/120", "2001:218::/32", "ffff::/16"]
    seeds = {"ipv4-24.mmdb": db(4, 24, v4), "ipv4-32.mmdb": db(4, 32, v4),
             "ipv6-28.mmdb": db(6, 28, v6), "ipv6-24.mmdb": db(6, 24, v6),
             "ipv6-32.mmdb": db(6, 32, v6)}
    for name, b in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(b)
        print(f"{out}/{name}: {len(b)} bytes")


main()

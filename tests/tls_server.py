#!/usr/bin/env python3
# tls_server.py CERT KEY - the HTTPS test server tests/test_https.c starts on
# 127.0.0.1 (an ephemeral port, printed on the first line) with canned
# responses; the test kills it when done. Never reachable from outside.
# tls_server.py --proxy - an HTTP CONNECT proxy to 127.0.0.1 ports only
# (CONNECT to port 1 is refused with 403).
import socket
import ssl
import sys
import threading
import time

def pipe(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    finally:
        b.close()


def proxy(conn):
    req = b""
    while b"\r\n\r\n" not in req and len(req) < 8192:
        d = conn.recv(1)
        if not d:
            return
        req += d
    target = req.split(b" ")[1].decode()
    port = int(target.rsplit(":", 1)[1])
    if not req.startswith(b"CONNECT ") or port == 1:
        conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
        conn.close()
        return
    up = socket.create_connection(("127.0.0.1", port))
    conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    threading.Thread(target=pipe, args=(up, conn), daemon=True).start()
    pipe(conn, up)


if sys.argv[1] == "--proxy":
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(32)
    print(srv.getsockname()[1], flush=True)
    while True:
        c, _ = srv.accept()
        threading.Thread(target=proxy, args=(c,), daemon=True).start()

ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(32)
port = srv.getsockname()[1]
print(port, flush=True)


def fixed(status, body, extra=""):
    return (f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\n{extra}"
            f"Content-Type: application/json\r\n\r\n").encode() + body


# Canned provider answers, in the shapes each provider documents (the
# samples follow the example responses of the pages cited in
# src/provmap.c: GreyNoise Community, OTX indicators/general, AbuseIPDB
# check, VirusTotal v3 ip_addresses, Shodan host, RDAP RFC 9083 §5.4 and the
# IANA bootstrap format of RFC 9224 §5). The key the test sets is checked
# where each provider carries it; a wrong or missing one answers 401.
KEY = "PM-TEST-KEY-9f3c71"
DATA = {
    "gn": b'{"ip":"1.2.3.4","noise":true,"riot":false,"classification":"malicious",'
          b'"name":"unknown","link":"https://viz.greynoise.io/ip/1.2.3.4",'
          b'"last_seen":"2026-11-30","message":"Success"}',
    "otx": b'{"indicator":"1.2.3.4","type":"IPv4","reputation":0,"country_code":"AU",'
           b'"asn":"AS64500 EXAMPLE","pulse_info":{"count":3,"pulses":[{"id":"a1",'
           b'"name":"Mirai C2"},{"id":"a2","name":"SSH brute force"},{"id":"a3",'
           b'"name":"Scanners"}]}}',
    "abuse": b'{"data":{"ipAddress":"1.2.3.4","isPublic":true,"ipVersion":4,'
             b'"isWhitelisted":false,"abuseConfidenceScore":100,"countryCode":"AU",'
             b'"usageType":"Data Center/Web Hosting/Transit","isp":"Example ISP",'
             b'"domain":"example.net","hostnames":[],"totalReports":1520,'
             b'"numDistinctUsers":300,"lastReportedAt":"2026-11-30T10:00:00+00:00"}}',
    "vt": b'{"data":{"id":"1.2.3.4","type":"ip_address","attributes":{"as_owner":'
          b'"EXAMPLE-AS","asn":64500,"country":"AU","reputation":-12,'
          b'"last_analysis_stats":{"harmless":60,"malicious":4,"suspicious":1,'
          b'"undetected":25,"timeout":0}}}}',
    "shodan": b'{"ip_str":"1.2.3.4","ports":[22,80,443],"hostnames":["h.example.net"],'
              b'"org":"Example Org","os":null,"vulns":["CVE-2021-44228","CVE-2014-0160"],'
              b'"last_update":"2026-11-29T01:02:03.000000","asn":"AS64500","data":[]}',
    "rdap2": b'{"objectClassName":"ip network","handle":"NET-1-2-3-0-1",'
             b'"startAddress":"1.2.3.0","endAddress":"1.2.3.255","ipVersion":"v4",'
             b'"name":"EXAMPLE-NET","type":"DIRECT ALLOCATION","country":"AU",'
             b'"arin_originas0_originautnums":[64500],"rdapConformance":["rdap_level_0"]}',
}


def key_ok(prov, head, query):
    want = {"gn": "key: ", "otx": "x-otx-api-key: ", "abuse": "key: ", "vt": "x-apikey: "}
    if prov == "shodan":
        return ("key=" + KEY) in query
    if prov not in want:
        return True
    lines = [l.lower() for l in head.split("\r\n")]
    return (want[prov] + KEY.lower()) in lines


def provider(path, query, head):
    parts = path.split("/")
    prov = parts[1]
    if prov == "iana":
        fam = parts[2]
        pfx = '["1.0.0.0/8","2.0.0.0/8","3.0.0.0/8","4.0.0.0/8","5.0.0.0/8","6.0.0.0/8",' \
              '"7.0.0.0/8","9.0.0.0/8"]' if fam == "ipv4.json" else '["2001:db8::/32"]'
        body = ('{"version":"1.0","services":[[["0.0.0.0/1"],["https://localhost:1/"]],'
                f'[{pfx},["http://localhost:{port}/plain/","https://localhost:{port}/rdap"]]]}}')
        return fixed("200 OK", body.encode())
    ip = parts[-2] if prov == "otx" else parts[-1]
    if prov == "abuse":
        ip = query.split("ipAddress=")[1].split("&")[0]
    if prov == "rdap":
        return fixed("302 Found", b"", f"Location: /rdap2/ip/{ip}\r\n")
    if ip == "3.3.3.3" or (ip == "2.2.2.2" and prov == "gn"):
        time.sleep(30)
        return b""
    if not key_ok(prov, head, query) or ip == "7.7.7.7":
        return fixed("401 Unauthorized", b'{"error":"unauthorized"}')
    if ip == "5.6.7.8":
        return fixed("404 Not Found", b'{"ip":"5.6.7.8","noise":false,"riot":false,'
                     b'"message":"IP not observed scanning the internet."}')
    if ip == "9.9.9.9":
        return fixed("429 Too Many Requests", b'{"error":"rate"}', "Retry-After: 30\r\n")
    if ip == "6.6.6.6":
        return fixed("500 Internal Server Error", b"oops")
    if ip == "4.4.4.4":
        return fixed("200 OK", b'{"data": [1, 2')
    return fixed("200 OK", DATA[prov])


def capture(path, head):
    if path == "/cap/ok.pcap":
        if 'if-none-match: "v1"' in head.lower():
            return fixed("304 Not Modified", b"", 'ETag: "v1"\r\n')
        with open("captures/scan-syn.pcap", "rb") as f:
            return fixed("200 OK", f.read(), 'ETag: "v1"\r\n')
    if path == "/cap/close.pcap":
        with open("captures/scan-syn.pcap", "rb") as f:
            return b"HTTP/1.0 200 OK\r\n\r\n" + f.read()
    if path == "/cap/chunked.pcap" or path == "/cap/bigchunked.pcap":
        # RFC 9112 §7.1: 1000-byte chunks, an extension on the first, a trailer field.
        with open("captures/scan-syn.pcap", "rb") as f:
            data = f.read()
        if path == "/cap/bigchunked.pcap":
            data = bytes.fromhex("d4c3b2a1") + b"\0" * (3 << 20)
        out = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        for i in range(0, len(data), 1000):
            part = data[i:i + 1000]
            out += b"%x%s\r\n" % (len(part), b";ext=1" if i == 0 else b"") + part + b"\r\n"
        return out + b"0\r\nX-Trailer: done\r\n\r\n"
    if path == "/cap/big.pcap":
        return fixed("200 OK", bytes.fromhex("d4c3b2a1") + b"\0" * (3 << 20))
    if path == "/cap/moved.pcap":
        return fixed("302 Found", b"", "Location: https://127.0.0.1:%d/cap/ok.pcap\r\n" % port)
    return fixed("200 OK", b"<html>not a capture</html>")


def route(path, query="", head=""):
    if path.split("/")[1] in ("gn", "otx", "abuse", "vt", "shodan", "rdap", "rdap2", "iana"):
        return provider(path, query, head)
    if path.startswith("/cap/"):
        return capture(path, head)
    if path == "/ok":
        return fixed("200 OK", b'{"ok":1}')
    if path == "/chunked":
        return (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                b"5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n")
    if path == "/redirect":
        return fixed("302 Found", b"", "Location: /ok\r\n")
    if path == "/redirect-abs":
        return fixed("301 Moved", b"", f"Location: https://localhost:{port}/chunked\r\n")
    if path == "/redirect-http":
        return fixed("302 Found", b"", "Location: http://localhost/ok\r\n")
    if path == "/loop":
        return fixed("302 Found", b"", "Location: /loop\r\n")
    if path == "/404":
        return fixed("404 Not Found", b'{"error":"not found"}')
    if path == "/429":
        return fixed("429 Too Many Requests", b"{}", "Retry-After: 7\r\n")
    if path == "/500":
        return fixed("500 Internal Server Error", b"oops")
    if path == "/big":
        return fixed("200 OK", b"x" * (2 << 20))
    if path == "/close":
        return b"HTTP/1.0 200 OK\r\n\r\nuntil the close"
    return fixed("404 Not Found", b"")


def handle(conn):
    try:
        s = ctx.wrap_socket(conn, server_side=True)
        req = b""
        while b"\r\n\r\n" not in req and len(req) < 65536:
            d = s.recv(4096)
            if not d:
                return
            req += d
        target = req.split(b" ")[1].decode()
        path, _, query = target.partition("?")
        if path == "/hang":
            time.sleep(30)
            return
        s.sendall(route(path, query, req.decode(errors="replace")))
        s.close()
    except Exception:
        pass
    finally:
        conn.close()


while True:
    c, _ = srv.accept()
    threading.Thread(target=handle, args=(c,), daemon=True).start()

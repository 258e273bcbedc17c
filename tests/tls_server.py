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


def route(path):
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
        path = req.split(b" ")[1].decode().split("?")[0]
        if path == "/hang":
            time.sleep(30)
            return
        s.sendall(route(path))
        s.close()
    except Exception:
        pass
    finally:
        conn.close()


while True:
    c, _ = srv.accept()
    threading.Thread(target=handle, args=(c,), daemon=True).start()

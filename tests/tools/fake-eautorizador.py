#!/usr/bin/env python3
"""A fake e-Autorizador for the tests: the v1 contract over HTTPS.

    fake-eautorizador.py STATE_DIR --cert C --key K

Listens on 127.0.0.1 (a free port, written to STATE_DIR/port).  A GET
gets STATE_DIR/page-N.xml, N the query's "pagina", as it is (the tests
write good and hostile pages alike).  STATE_DIR/credentials, when
present, holds "user:password" that HTTP Basic must carry (else 401).
STATE_DIR/modes: one line per coming request, consumed in order; empty
means "ok".  Modes: ok, http401, http403, http500, drip (the page one
byte every 0.2 s), huge (20 MiB of XML).  Every request's query goes to
STATE_DIR/requests.log.
"""
import argparse
import base64
import http.server
import os
import ssl
import sys
import threading
import time
import urllib.parse

lock = threading.RLock()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("state")
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    args = ap.parse_args()
    state = args.state

    def path(name):
        return os.path.join(state, name)

    def next_mode():
        with lock:
            try:
                with open(path("modes")) as f:
                    lines = f.read().splitlines()
            except FileNotFoundError:
                return "ok"
            with open(path("modes"), "w") as f:
                f.write("".join(l + "\n" for l in lines[1:]))
            return (lines[0].strip() if lines else "") or "ok"

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *a):
            pass

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(url.query)
            mode = next_mode()
            with lock, open(path("requests.log"), "a") as f:
                f.write("%s %s\n" % (mode, url.query))
            try:
                with open(path("credentials")) as f:
                    want = f.read().strip()
            except FileNotFoundError:
                want = None
            given = self.headers.get("Authorization", "")
            if want and given != "Basic " + base64.b64encode(
                    want.encode()).decode():
                return self.send(401, b"unauthorized\n")
            if mode.startswith("http"):
                return self.send(int(mode[4:]), b"error\n")
            if mode == "huge":
                body = b"<autorizacoes>" + b"<x>" * ((20 << 20) // 3)
                return self.send(200, body)
            page = query.get("pagina", ["1"])[0]
            try:
                with open(path("page-%s.xml" % int(page)), "rb") as f:
                    body = f.read()
            except (FileNotFoundError, ValueError):
                return self.send(404, b"no such page\n")
            if mode == "drip":
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                for i in range(len(body)):
                    self.wfile.write(body[i:i + 1])
                    self.wfile.flush()
                    time.sleep(0.2)
                return
            self.send(200, body)

        def send(self, status, body):
            self.send_response(status)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:
                pass

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(args.cert, args.key)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    with open(path("port.tmp"), "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(path("port.tmp"), path("port"))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())

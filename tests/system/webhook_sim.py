#!/usr/bin/env python3
"""webhook_sim.py: a webhook receiver for kiosk-hub's alert tests, on 127.0.0.1.

Every POST is answered 200 and its JSON body kept, in order; GET /posts returns them all as a
JSON list. With --refuse N the first N POSTs are answered 500 (a receiver that is down), to
see the hub retry. The port goes to --port-file. Stops on SIGTERM.

Usage: webhook_sim.py --port-file PATH [--refuse N]
"""
import argparse
import json
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
posts = []
refuse = 0


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, body):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        global refuse
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        with lock:
            if refuse > 0:
                refuse -= 1
                self.reply(500, '{"error": "down"}')
                return
            try:
                posts.append(json.loads(body))
            except ValueError:
                posts.append({"unparsed": body})
        self.reply(200, '{"errcode": 0, "errmsg": "ok"}')

    def do_GET(self):
        if self.path != "/posts":
            self.reply(404, "{}")
            return
        with lock:
            self.reply(200, json.dumps(posts, ensure_ascii=False))


def main():
    global refuse
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--refuse", type=int, default=0)
    args = parser.parse_args()
    refuse = args.refuse
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{server.server_address[1]}\n")
    os.rename(tmp, args.port_file)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""api_fault_sim.py: a kiosk API v1 server that misbehaves on cue, for test_api_faults.c.

Serves, on 127.0.0.1 (standard library only):
  GET  /api/v1/queue        the next answer of the script POST /admin/script set, the last one
                            repeated: {"version": N} a valid snapshot at version N (its newest
                            call is A0NN, id cNN), {"status": 304} a 304 with no body
  POST /api/v1/...          (tickets, heartbeats, ratings) never answered: the request is held
                            until the client gives up or closes
  POST /admin/script        {"answers": [...]} replaces the script, from its first answer
  GET  /admin/state         {"queue": GETs served, "served": [versions or 304 in order],
                             "posts": [{"path": ..., "at": unix seconds}]}

Usage: api_fault_sim.py --port-file PATH
"""
import argparse
import json
import os
import select
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.answers = [{"version": 1}]
        self.next = 0
        self.served = []
        self.posts = []

    def take(self):
        with self.lock:
            answer = self.answers[min(self.next, len(self.answers) - 1)]
            self.next += 1
            self.served.append(answer.get("version", answer.get("status")))
            return answer


def snapshot(version):
    """A valid kiosk API v1 snapshot whose newest call is new at every version."""
    now = int(time.time())
    calls = [{"id": f"c{v}", "ticket": f"A{v:03d}", "room": "r1", "priority": "normal",
              "called_at": now, "recall": 0} for v in sorted({version, 1}, reverse=True)]
    return {"version": version, "server_time": now, "calls": calls, "waiting": [],
            "rooms": [{"id": "r1", "name_zh": "1 号诊室", "name_en": "Room 1", "open": True,
                       "serving": f"A{version:03d}"}]}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def log_message(self, *args):
        pass

    def reply(self, status, body=None, headers=()):
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if body is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/admin/state":
            with self.state.lock:
                return self.reply(200, {"queue": self.state.next, "served": self.state.served,
                                        "posts": list(self.state.posts)})
        if not self.path.startswith("/api/v1/queue"):
            return self.reply(404, {"error": "unknown path"})
        answer = self.state.take()
        if answer.get("status") == 304:
            return self.reply(304, headers=[("ETag", '"v0"')])
        version = answer["version"]
        self.reply(200, snapshot(version), [("ETag", f'"v{version}"')])

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/admin/script":
            with self.state.lock:
                self.state.answers = json.loads(body)["answers"]
                self.state.next = 0
                self.state.served = []
            return self.reply(200, {"ok": True})
        with self.state.lock:
            self.state.posts.append({"path": self.path, "at": time.time()})
        # Never answered: held until the client closes its end.
        while True:
            readable, _, _ = select.select([self.connection], [], [], 1.0)
            if readable and not self.connection.recv(1024):
                self.close_connection = True
                return


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port-file", required=True)
    args = parser.parse_args()
    Handler.state = State()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()

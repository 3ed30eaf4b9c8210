#!/usr/bin/env python3
"""printer_sim.py: a fake ESC/POS network printer for the kiosk's tests.

Listens on 127.0.0.1 (an ephemeral port, written to --port-file) and takes one connection
after another. Every byte received is appended to --out, except real-time status requests
(DLE EOT n), which it answers with one status byte as an Epson printer would:
  n=1 printer:  0x12, | 0x08 when offline (paper out and cover open take it offline too)
  n=2 offline:  0x12, | 0x04 cover open, | 0x20 stopped for paper end
  n=3 error:    0x12
  n=4 paper:    0x12, | 0x60 paper end
In mode `silent` it never answers (a printer that hangs) but still prints. The other modes
play the printers of issue 18, each with a 4 KB input buffer as a real printer has (a big
kernel buffer on 127.0.0.1 would take the whole job at once):
  sink      a one-way print server (a raw 9100 box, CUPS' socket backend's peers): records
            every byte as it comes, status requests included, and never writes back
  hangs_up  answers status, takes the first raster block of a job and closes the connection
  stalls    answers status, takes 2048 bytes of a job and then reads nothing more
  slow      answers status, then takes the job one byte a second
  runs_out  as ok until a job's cut arrives; from then on out of paper, as if the roll ended
            while that ticket printed
A control port (written to --control-port-file) takes POST /status with a mode as the body,
and GET /status. Stops on SIGTERM.

Usage: printer_sim.py --port-file PATH --out FILE [--status MODE] [--control-port-file PATH]
MODE: ok | paper_out | cover_open | offline | silent | sink | hangs_up | stalls | slow | runs_out
"""
import argparse
import os
import signal
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODES = ("ok", "paper_out", "cover_open", "offline", "silent", "sink", "hangs_up", "stalls",
         "slow", "runs_out")
SMALL_BUFFER = ("hangs_up", "stalls", "slow")
STALL_AFTER = 2048


class Printer:
    def __init__(self, mode, out):
        self.mode = mode
        self.out = out
        self.lock = threading.Lock()

    def status_byte(self, n):
        mode = self.mode
        if mode == "silent" or not 1 <= n <= 4:
            return None
        value = 0x12
        if n == 1 and mode in ("offline", "paper_out", "cover_open"):
            value |= 0x08
        if n == 2 and mode == "cover_open":
            value |= 0x04
        if n == 2 and mode == "paper_out":
            value |= 0x20
        if n == 4 and mode == "paper_out":
            value |= 0x60
        return bytes([value])

    def serve(self, conn):
        """Reads the command stream as a printer does: the payload of a raster or QR command is
        data, so a 10 04 inside a picture is not mistaken for a status request."""
        with conn, open(self.out, "ab") as out:
            if self.mode == "sink":
                self.sink(conn, out)
            else:
                self.parse(conn, out)

    def sink(self, conn, out):
        while True:
            data = conn.recv(65536)
            if not data:
                break
            out.write(data)
            out.flush()

    def read_size(self, taken):
        """How much to read next, having taken `taken` bytes of a job; 0: stop reading."""
        if self.mode == "stalls":
            return max(0, STALL_AFTER - taken)
        if self.mode == "slow":
            if taken > 0:
                time.sleep(1)
            return 1
        return 65536

    def parse(self, conn, out):
        buf = b""
        taken = 0  # bytes of the job's whole commands so far (status requests not counted)
        while True:
            size = self.read_size(taken + (len(buf) if buf[:1] != b"\x10" else 0))
            if size == 0:
                time.sleep(3600)  # holds the connection open, reading nothing more
            data = conn.recv(size)
            if not data:
                out.write(buf)
                break
            buf += data
            at = 0
            while True:
                size = command_size(buf, at)
                if size is None:
                    break
                command = buf[at:at + size]
                at += size
                if command[:2] == b"\x10\x04":
                    answer = self.status_byte(command[2])
                    if answer:
                        conn.sendall(answer)
                    continue
                out.write(command)
                taken += size
                if command[:2] == b"\x1dV" and self.mode == "runs_out":
                    self.mode = "paper_out"
                if command[:3] == b"\x1dv0" and self.mode == "hangs_up":
                    out.flush()
                    return  # closed with the rest of the job unread: the kiosk sees a reset
            buf = buf[at:]
            out.flush()


def command_size(buf, at):
    """Bytes of the command starting at buf[at], or None until enough has arrived."""
    left = len(buf) - at
    if left <= 0:
        return None
    head = buf[at:at + 8]
    # A command cut short by the network (one byte a time, in mode slow) is waited for whole.
    if (head[:1] in (b"\x10", b"\x1b") and left < 2) or (head[:1] == b"\x1d" and left < 3):
        return None
    if head[:2] == b"\x10\x04":
        return 3 if left >= 3 else None
    if head[:3] == b"\x1dv0":
        if left < 8:
            return None
        size = 8 + (head[4] | head[5] << 8) * (head[6] | head[7] << 8)
        return size if left >= size else None
    if head[:3] == b"\x1d(k":
        if left < 5:
            return None
        size = 5 + (head[3] | head[4] << 8)
        return size if left >= size else None
    if head[:2] in (b"\x1bd", b"\x1ba", b"\x1dV"):
        return 3 if left >= 3 else None
    if head[:2] == b"\x1b@":
        return 2
    return 1


def control_server(printer, port_file):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def reply(self, text, code=200):
            body = ('{"status": "%s"}' % text).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            self.reply(printer.mode)

        def do_POST(self):
            mode = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode().strip()
            if mode.startswith('"'):
                mode = mode.strip('"')
            if mode not in MODES:
                return self.reply("unknown mode", 400)
            printer.mode = mode
            self.reply(mode)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    write_port(port_file, server.server_address[1])
    threading.Thread(target=server.serve_forever, daemon=True).start()


def write_port(path, port):
    with open(path + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.rename(path + ".tmp", path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--status", default="ok", choices=MODES)
    parser.add_argument("--control-port-file")
    args = parser.parse_args()
    printer = Printer(args.status, args.out)
    open(args.out, "ab").close()
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    if args.control_port_file:
        control_server(printer, args.control_port_file)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if args.status in SMALL_BUFFER:  # before listen: accepted sockets inherit it
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    write_port(args.port_file, listener.getsockname()[1])
    # Python runs signal handlers in the main thread only, between bytecodes: a SIGTERM that
    # lands on another thread waits until accept() returns, so it must return now and then.
    listener.settimeout(0.2)
    while True:
        try:
            conn, _ = listener.accept()
        except socket.timeout:
            continue
        conn.settimeout(None)
        threading.Thread(target=printer.serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()

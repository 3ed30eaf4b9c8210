#!/usr/bin/env python3
"""tls_sim.py: a TLS front for scripts/backend-sim, for the kiosk's certificate tests.

Listens on 127.0.0.1 (a free port, written to --port-file), does the TLS handshake with the
certificate and key in DIR/server.pem as it is at that moment (read afresh for each
connection, so a test swaps certificates by renaming one file), then relays bytes both ways
to backend-sim on 127.0.0.1:--upstream. A client that refuses the certificate just ends its
connection. Standard library only.

Usage: tls_sim.py --cert-dir DIR --upstream PORT --port-file PATH
"""
import argparse
import os
import signal
import socket
import ssl
import sys
import threading


def relay(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(conn, cert_dir, upstream):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(os.path.join(cert_dir, "server.pem"))
        tls = context.wrap_socket(conn, server_side=True)
    except (OSError, ssl.SSLError):
        conn.close()
        return
    try:
        back = socket.create_connection(("127.0.0.1", upstream))
    except OSError:
        tls.close()
        return
    t = threading.Thread(target=relay, args=(back, tls), daemon=True)
    t.start()
    relay(tls, back)
    t.join()
    tls.close()
    back.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cert-dir", required=True)
    p.add_argument("--upstream", type=int, required=True)
    p.add_argument("--port-file", required=True)
    args = p.parse_args()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    tmp = f"{args.port_file}.tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write(f"{listener.getsockname()[1]}\n")
    os.replace(tmp, args.port_file)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve, args=(conn, args.cert_dir, args.upstream),
                         daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())

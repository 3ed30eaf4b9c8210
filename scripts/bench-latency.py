#!/usr/bin/env python3
"""bench-latency.py: call -> pixels latency of the kiosk against scripts/backend-sim.

Starts the sim and the kiosk (headless, verbose), makes CALLS calls through the sim's admin
endpoint at irregular intervals, and matches each with the first frame the kiosk presented
showing that queue version (the kiosk logs "frame: version V presented at T ms").
Usage: bench-latency.py KIOSK_BIN [--calls 200] [--long-poll SECONDS]
"""
import argparse
import json
import os
import random
import re
import subprocess
import tempfile
import time
import urllib.request


def admin(port, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", data=data, timeout=5) as r:
        return json.load(r)


def wait_for_file(path, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if os.path.exists(path) and os.path.getsize(path) > 0:
            return
        time.sleep(0.05)
    raise SystemExit(f"bench: {path} never appeared")


def run(kiosk, calls, long_poll, work):
    port_file = os.path.join(work, f"port-{long_poll}")
    sim = subprocess.Popen(["python3", "scripts/backend-sim", "--port", "0", "--port-file",
                            port_file, "--quiet"])
    wait_for_file(port_file)
    port = int(open(port_file).read())
    log_path = os.path.join(work, f"kiosk-{long_poll}.log")
    status = os.path.join(work, "status.json")
    with open(log_path, "w") as log:
        k = subprocess.Popen([kiosk, "-v", "--headless", "--config", "assets/demo.ini",
                              "--set", "backend.type=http",
                              "--set", f"backend.url=http://127.0.0.1:{port}",
                              "--set", f"backend.long_poll_s={long_poll}",
                              "--set", "backend.poll_interval_ms=1000",
                              "--set", f"storage.path={work}/bench-{long_poll}.db",
                              "--status-file", status], stderr=log)
        wait_for_file(status)
        time.sleep(2)
        made = []
        rng = random.Random(1)
        for _ in range(calls):
            t = time.time() * 1000
            version = admin(port, "/admin/call", {})["version"]
            made.append((version, t))
            time.sleep(rng.uniform(0.15, 0.6))
        time.sleep(2)
        k.terminate()
        k.wait()
    sim.terminate()
    sim.wait()
    frames = [(int(v), int(t)) for v, t in
              re.findall(r"frame: version (\d+) presented at (\d+) ms", open(log_path).read())]
    latencies = []
    for version, t in made:
        shown = [ft for fv, ft in frames if fv >= version and ft >= t]
        if shown:
            latencies.append(min(shown) - t)
    latencies.sort()
    missed = len(made) - len(latencies)
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
    mode = f"long-poll {long_poll} s" if long_poll else "polling every 1 s"
    print(f"call -> pixels ({mode}): p50 {pick(0.5):.0f} ms, p99 {pick(0.99):.0f} ms, "
          f"max {latencies[-1]:.0f} ms over {len(latencies)} calls ({missed} never shown)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kiosk")
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        run(args.kiosk, args.calls, 0, work)
        run(args.kiosk, args.calls, 25, work)


if __name__ == "__main__":
    main()

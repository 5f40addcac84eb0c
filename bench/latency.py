"""make bench (latency): how long from listen() returning to discotop's `matched` line.

Runs `discotop watch --json -p <range>`, then opens 200 listeners one after another from this
process, each on its own port in the range, and times each from the moment listen() returns to
the moment the first `matched` line listing that port is read. Target: p99 <= 10 ms.
Beyla, for comparison, polls every 5 s (2.5 s on average).
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DISCOTOP = os.environ.get("DISCOTOP", os.path.join(ROOT, ".build", "release", "discotop"))
COUNT = int(os.environ.get("LATENCY_LISTENERS", "200"))
# Below the ephemeral range (32768-60999), so no client connection holds one of them.
BASE = int(os.environ.get("LATENCY_BASE_PORT", "21000"))


def main(extra_args):
    watch = subprocess.Popen([DISCOTOP, "watch", "--json", "-p", f"{BASE}-{BASE + COUNT - 1}"] + extra_args,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    seen = {}
    mode = []
    ready = threading.Event()

    def read():
        for raw in watch.stdout:
            now = time.monotonic_ns()
            line = json.loads(raw)
            if line["type"] == "info" and line["message"].startswith("mode"):
                mode.append(line["message"])
                ready.set()
            if line["type"] == "matched":
                for port in line["ports"]:
                    seen.setdefault(port["port"], now)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if not ready.wait(10):
        print("watch did not start", file=sys.stderr)
        return 1
    time.sleep(0.5)  # let the first full scan finish
    sockets, started = [], {}
    for i in range(COUNT):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", BASE + i))
        s.listen(8)
        started[BASE + i] = time.monotonic_ns()
        sockets.append(s)
        deadline = time.monotonic() + 10
        while BASE + i not in seen and time.monotonic() < deadline:
            time.sleep(0.0002)
    watch.terminate()
    watch.wait(10)
    latencies = sorted((seen[p] - started[p]) / 1e6 for p in started if p in seen)
    missing = COUNT - len(latencies)
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    result = {"mode": mode[0] if mode else "?", "listeners": COUNT, "missing": missing, "p50_ms": round(p50, 3),
              "p99_ms": round(p99, 3), "max_ms": round(latencies[-1], 3)}
    os.makedirs(os.path.join(ROOT, "bench", "out"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "out", "latency.json"), "w") as f:
        json.dump(result, f, indent=2)
    print("| mode | listeners | p50 | p99 | max | missed |")
    print("|---|---|---|---|---|---|")
    print(f"| {result['mode']} | {COUNT} | {result['p50_ms']} ms | {result['p99_ms']} ms | {result['max_ms']} ms | {missing} |")
    ok = missing == 0 and p99 <= 10
    print("target (p99 <= 10 ms, none missed):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

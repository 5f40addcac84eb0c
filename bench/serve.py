"""make bench (serve): what `discotop serve` costs a node, and what `list --connect` costs a reader.

For P=1000, P=3000 and P=10000 listening processes (the workload generator): the time of one
`/metrics` scrape and one `/v1/processes` read (median and worst of 20, on loopback), the size
of each, the wall time of the whole `discotop list --connect` command (--json and the table;
median and worst of 20, process start included), and the agent's CPU (utime + stime) and peak
RSS (VmHWM) over IDLE_SECONDS (60 by default) with one scrape every 15 s, as Prometheus'
default interval would.
Targets (issue 12): idle at P=1000 <= 0.5 % of a core and RSS <= 30 MB; list --connect <= 10 ms at any P.
"""
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import time

from idle import cpu_seconds, peak_rss_mb
from workload_session import Workload

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DISCOTOP = os.environ.get("DISCOTOP", os.path.join(ROOT, ".build", "release", "discotop"))
SECONDS = float(os.environ.get("IDLE_SECONDS", "60"))


def fetch(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    start = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    connection.close()
    return response.status, body, elapsed


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def measure(processes):
    with Workload(processes):
        agent = subprocess.Popen([DISCOTOP, "serve", "--listen", "127.0.0.1:0"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True)
        port = int(re.search(r"serving on http://127\.0\.0\.1:(\d+)", agent.stderr.readline()).group(1))
        while fetch(port, "/healthz")[0] != 200:
            time.sleep(0.1)
        result = {"processes": processes}
        for path in ["/metrics", "/v1/processes"]:
            times, size = [], 0
            for _ in range(20):
                status, body, elapsed = fetch(port, path)
                assert status == 200, (path, status)
                times.append(elapsed * 1000)
                size = len(body)
            result[path] = {"median_ms": round(statistics.median(times), 2), "max_ms": round(max(times), 2), "bytes": size}
        for name, extra in (("list --connect --json", ["--json"]), ("list --connect", ["--all"])):
            times = []
            for _ in range(20):
                start = time.perf_counter()
                subprocess.run([DISCOTOP, "list", "--connect", f":{port}"] + extra, stdout=subprocess.DEVNULL, check=True)
                times.append((time.perf_counter() - start) * 1000)
            result[name] = {"median_ms": round(statistics.median(times), 2), "max_ms": round(max(times), 2)}
        # What the reads above cost the agent is not idle: the idle window starts after them.
        time.sleep(2)
        rss_before_idle = peak_rss_mb(agent.pid)
        cpu_before = cpu_seconds(agent.pid)
        start = time.monotonic()
        while time.monotonic() - start < SECONDS:
            fetch(port, "/metrics")
            time.sleep(min(15, max(0, SECONDS - (time.monotonic() - start))))
        cpu = cpu_seconds(agent.pid) - cpu_before
        result["idle"] = {"seconds": SECONDS, "scrape_every_s": 15, "core_percent": round(100 * cpu / SECONDS, 3),
                          "peak_rss_mb": round(peak_rss_mb(agent.pid), 1), "peak_rss_before_idle_mb": round(rss_before_idle, 1),
                          "rss_mb": round(rss_mb(agent.pid), 1)}
        agent.terminate()
        agent.wait(10)
        return result


def main():
    counts = [int(p) for p in os.environ.get("SERVE_PROCESSES", "1000,3000,10000").split(",")]
    results = [measure(p) for p in counts]
    out = os.path.join(ROOT, "bench", "out")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "serve.json"), "w") as f:
        json.dump(results, f, indent=2)
    for r in results:
        print(f"serve P={r['processes']}: /metrics {r['/metrics']['median_ms']} ms (max {r['/metrics']['max_ms']}, "
              f"{r['/metrics']['bytes']} B), /v1/processes {r['/v1/processes']['median_ms']} ms "
              f"({r['/v1/processes']['bytes']} B); list --connect --json {r['list --connect --json']['median_ms']} ms "
              f"(max {r['list --connect --json']['max_ms']}), table {r['list --connect']['median_ms']} ms; "
              f"idle {r['idle']['core_percent']} % of a core, RSS {r['idle']['rss_mb']} MB (peak {r['idle']['peak_rss_mb']} MB)")
    for r in results:
        if r["list --connect --json"]["median_ms"] > 10:
            print(f"serve: list --connect target missed at P={r['processes']} (<= 10 ms)", file=sys.stderr)
    idle = results[0]["idle"]
    if idle["core_percent"] > 0.5 or idle["peak_rss_mb"] > 30:
        print("serve: idle target missed (<= 0.5 % of a core, <= 30 MB at P=1000)", file=sys.stderr)


if __name__ == "__main__":
    main()

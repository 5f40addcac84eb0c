"""make bench (list): `discotop list --json` against `ss -tulnpH` on the same workload.

For P in 1000 and 3000 processes (4 listeners, 4 established sockets, 8 other fds each), runs
both tools 5 times interleaved, reports median wall time and peak RSS, and checks that both
report the same (pid, proto, port) set in this network namespace.
"""
import json
import os
import statistics
import subprocess
import sys
import time

from workload_session import Workload

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DISCOTOP = os.environ.get("DISCOTOP", os.path.join(ROOT, ".build", "release", "discotop"))
RUNS = 5
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,3000").split(",")]


def timed(argv):
    """Runs argv under GNU time; returns (seconds, peak RSS in MB, stdout).

    RSS comes from GNU time, not from os.wait4: a child forked from this Python process keeps
    Python's resident size in ru_maxrss from before its exec, which would inflate every figure.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-f", "%M"] + argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[0]} exited with {proc.returncode}: {err.decode()[-500:]}")
    return elapsed, int(err.decode().strip().splitlines()[-1]) / 1024, out


def ss_set(out):
    entries = set()
    for line in out.decode().splitlines():
        fields = line.split()
        if len(fields) < 6:
            continue
        port = int(fields[4].rsplit(":", 1)[1])
        for part in line.split("pid=")[1:]:
            entries.add((int(part.split(",")[0]), fields[0], port))
    return entries


def discotop_set(out):
    own = os.stat("/proc/self/ns/net").st_ino
    doc = json.loads(out)
    return {(p["pid"], port["proto"], port["port"]) for p in doc["processes"] if p.get("netns") == own
            for port in (p["ports"] or [])}


def measure(size):
    ss_times, ss_rss, dt_times, dt_rss = [], [], [], []
    with Workload(size):
        for _ in range(RUNS):
            t, rss, ss_out = timed(["ss", "-tulnpH"])
            ss_times.append(t); ss_rss.append(rss)
            t, rss, dt_out = timed([DISCOTOP, "list", "--json"])
            dt_times.append(t); dt_rss.append(rss)
            same = ss_set(ss_out) == discotop_set(dt_out)
            if not same:
                missing = ss_set(ss_out) ^ discotop_set(dt_out)
                print(f"  MISMATCH at P={size}: {len(missing)} entries differ, e.g. {sorted(missing)[:5]}")
    ss_median = statistics.median(ss_times)
    dt_median = statistics.median(dt_times)
    return {
        "processes": size, "ss_ms": round(ss_median * 1000, 1), "discotop_ms": round(dt_median * 1000, 1),
        "ratio": round(dt_median / ss_median, 3), "discotop_peak_rss_mb": round(max(dt_rss), 1),
        "ss_peak_rss_mb": round(max(ss_rss), 1), "same_answer": same,
    }


def main():
    if os.geteuid() != 0:
        print("list benchmark: run as root so both tools can see every process", file=sys.stderr)
    results = [measure(size) for size in SIZES]
    print("| P | ss -tulnpH (median of 5) | discotop list --json | ratio | discotop peak RSS | same (pid, proto, port) set |")
    print("|---|---|---|---|---|---|")
    ok = True
    for r in results:
        print(f"| {r['processes']} | {r['ss_ms']} ms | {r['discotop_ms']} ms | {r['ratio']} | {r['discotop_peak_rss_mb']} MB | {r['same_answer']} |")
        ok = ok and r["same_answer"] and r["ratio"] <= 0.6 and r["discotop_peak_rss_mb"] <= 30
    os.makedirs(os.path.join(ROOT, "bench", "out"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "out", "list.json"), "w") as f:
        json.dump(results, f, indent=2)
    print("target (ratio <= 0.6, RSS <= 30 MB, same answer):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

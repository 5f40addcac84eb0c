"""make bench (full scans): `discotop list --json` against `ss -tulnpH` on the same workload.

For P in 1000 and 3000 processes (4 listeners, 4 established sockets, 8 other fds each), runs
ss, discotop through the BPF iterator (the default as root) and discotop through /proc and
netlink (--no-ebpf) 5 times interleaved; reports median wall time and peak RSS, and checks that
all three report the same (pid, proto, port) set in this network namespace. A fourth variant runs
the iterator scan with bench/criteria.yml, whose port-less selector makes discotop read every
process, to show what a configuration costs.
Targets: --no-ebpf <= 0.6 x ss, iterator <= 0.2 x ss, peak RSS <= 30 MB.
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


VARIANTS = {
    "iterator": ["list", "--json"],
    "proc": ["list", "--json", "--no-ebpf"],
    "config": ["list", "--json", "--all", "--config", os.path.join(ROOT, "bench", "criteria.yml")],
}


def measure(size):
    times = {"ss": [], "iterator": [], "proc": [], "config": []}
    rss = {"ss": [], "iterator": [], "proc": [], "config": []}
    same = True
    with Workload(size):
        for _ in range(RUNS):
            t, r, ss_out = timed(["ss", "-tulnpH"])
            times["ss"].append(t); rss["ss"].append(r)
            expected = ss_set(ss_out)
            for name, args in VARIANTS.items():
                t, r, out = timed([DISCOTOP] + args)
                times[name].append(t); rss[name].append(r)
                got = discotop_set(out)
                if got != expected:
                    same = False
                    diff = sorted(got ^ expected)
                    print(f"  MISMATCH {name} at P={size}: {len(diff)} entries differ, e.g. {diff[:5]}")
    median = {name: statistics.median(values) for name, values in times.items()}
    return {
        "processes": size, "same_answer": same,
        **{f"{name}_ms": round(value * 1000, 1) for name, value in median.items()},
        "iterator_ratio": round(median["iterator"] / median["ss"], 3),
        "proc_ratio": round(median["proc"] / median["ss"], 3),
        **{f"{name}_peak_rss_mb": round(max(values), 1) for name, values in rss.items()},
    }


def main():
    if os.geteuid() != 0:
        print("full-scan benchmark: run as root so every tool sees every process (and the iterator loads)", file=sys.stderr)
    results = [measure(size) for size in SIZES]
    print("| P | ss -tulnpH | discotop list (BPF iterator) | ratio | discotop list --no-ebpf | ratio | list --config criteria.yml | peak RSS (iterator / proc / config) | same set |")
    print("|---|---|---|---|---|---|---|---|---|")
    ok = True
    for r in results:
        print(f"| {r['processes']} | {r['ss_ms']} ms | {r['iterator_ms']} ms | {r['iterator_ratio']} | {r['proc_ms']} ms | "
              f"{r['proc_ratio']} | {r['config_ms']} ms | {r['iterator_peak_rss_mb']} / {r['proc_peak_rss_mb']} / "
              f"{r['config_peak_rss_mb']} MB | {r['same_answer']} |")
        ok = ok and r["same_answer"] and r["proc_ratio"] <= 0.6 and r["iterator_peak_rss_mb"] <= 30 and r["proc_peak_rss_mb"] <= 30
        if r["processes"] >= 3000:
            ok = ok and r["iterator_ratio"] <= 0.2
    os.makedirs(os.path.join(ROOT, "bench", "out"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "out", "full_scan.json"), "w") as f:
        json.dump(results, f, indent=2)
    print("targets (proc <= 0.6 x ss, iterator <= 0.2 x ss at P=3000, RSS <= 30 MB, same answer):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

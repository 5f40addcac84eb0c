"""make bench (full scans): `discotop list --json` against `ss -tulnpH` on the same workload.

For P in 1000, 3000 and 10000 processes (4 listeners, 4 established sockets, 8 other fds each),
runs ss, the C floor (bench/floor.c: the same iter/task_file walk and per-owner reads in the least
code, a fresh process like discotop), discotop through the BPF iterator (the default as root) and
discotop through /proc and netlink (--no-ebpf) 5 times interleaved; reports median wall time and
peak RSS, and checks that all of them report the same (pid, proto, port) set in this network
namespace. A further variant runs the iterator scan with bench/criteria.yml, whose port-less
selector makes discotop read every process, to show what a configuration costs.
Targets: iterator <= 1.25 x the C floor at every P, <= 0.1 x ss at P=10000 (0.2 at 3000),
--no-ebpf <= 0.6 x ss, peak RSS <= 30 MB.
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
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,3000,10000").split(",")]
OUT = os.path.join(ROOT, "bench", "out")
CLANG = os.environ.get("CLANG", "/opt/swift/usr/bin/clang")


def build_floor():
    """Compiles the iterator program as the build does and the C floor that loads it."""
    os.makedirs(OUT, exist_ok=True)
    arch = {"x86_64": "x86", "aarch64": "arm64"}.get(os.uname().machine, os.uname().machine)
    obj = os.path.join(OUT, "iterator.bpf.o")
    subprocess.run([CLANG, "-target", "bpf", "-O2", "-g", f"-D__TARGET_ARCH_{arch}", "-I", os.path.join(ROOT, "bpf"),
                    "-c", os.path.join(ROOT, "bpf", "iterator.bpf.c"), "-o", obj], check=True)
    binary = os.path.join(OUT, "floor")
    subprocess.run(["cc", "-O2", "-o", binary, os.path.join(ROOT, "bench", "floor.c"), "-lbpf"], check=True)
    return [binary, obj]


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
    "config": ["list", "--json", "--config", os.path.join(ROOT, "bench", "criteria.yml")],
}


def measure(size, floor):
    times = {"ss": [], "floor": [], "iterator": [], "proc": [], "config": []}
    rss = {"ss": [], "floor": [], "iterator": [], "proc": [], "config": []}
    same = True
    with Workload(size):
        for _ in range(RUNS):
            t, r, ss_out = timed(["ss", "-tulnpH"])
            times["ss"].append(t); rss["ss"].append(r)
            expected = ss_set(ss_out)
            t, r, out = timed(floor)
            times["floor"].append(t); rss["floor"].append(r)
            if discotop_set(out) != expected:
                same = False
                print(f"  MISMATCH floor at P={size}")
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
        "floor_ratio": round(median["iterator"] / median["floor"], 3),
        "proc_ratio": round(median["proc"] / median["ss"], 3),
        **{f"{name}_peak_rss_mb": round(max(values), 1) for name, values in rss.items()},
    }


def main():
    if os.geteuid() != 0:
        print("full-scan benchmark: run as root so every tool sees every process (and the iterator loads)", file=sys.stderr)
    floor = build_floor()
    results = [measure(size, floor) for size in SIZES]
    print("| P | ss -tulnpH | C floor | discotop list (BPF iterator) | / floor | / ss | discotop list --no-ebpf | / ss | list --config criteria.yml | peak RSS (floor / iterator / proc / config) | same set |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    ok = True
    for r in results:
        print(f"| {r['processes']} | {r['ss_ms']} ms | {r['floor_ms']} ms | {r['iterator_ms']} ms | {r['floor_ratio']} | {r['iterator_ratio']} | "
              f"{r['proc_ms']} ms | {r['proc_ratio']} | {r['config_ms']} ms | {r['floor_peak_rss_mb']} / {r['iterator_peak_rss_mb']} / "
              f"{r['proc_peak_rss_mb']} / {r['config_peak_rss_mb']} MB | {r['same_answer']} |")
        ok = ok and r["same_answer"] and r["proc_ratio"] <= 0.6 and r["iterator_peak_rss_mb"] <= 30 and r["proc_peak_rss_mb"] <= 30
        ok = ok and r["floor_ratio"] <= 1.25
        if r["processes"] >= 3000:
            ok = ok and r["iterator_ratio"] <= 0.2
        if r["processes"] >= 10000:
            ok = ok and r["iterator_ratio"] <= 0.1
    os.makedirs(os.path.join(ROOT, "bench", "out"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "out", "full_scan.json"), "w") as f:
        json.dump(results, f, indent=2)
    print("targets (iterator <= 1.25 x floor, <= 0.2 x ss at P=3000, <= 0.1 x ss at P=10000; proc <= 0.6 x ss; RSS <= 30 MB; same answer):",
          "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

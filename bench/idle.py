"""make bench (idle cost): what `discotop watch` costs while nothing happens.

Starts P=1000 idle processes (the workload generator), runs `discotop watch --json` for
IDLE_SECONDS (60 by default), and reads its CPU time (utime + stime, /proc/PID/stat) and
resident memory (VmHWM, /proc/PID/status) at the end. The first full scan is part of the cost.
Three runs: eBPF, --no-ebpf, and eBPF with bench/criteria.yml (a configuration whose port-less
selector makes every sweep read every process).
Targets: <= 0.5 % of one core, RSS <= 30 MB.
"""
import json
import os
import subprocess
import sys
import time

from workload_session import Workload

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DISCOTOP = os.environ.get("DISCOTOP", os.path.join(ROOT, ".build", "release", "discotop"))
SECONDS = float(os.environ.get("IDLE_SECONDS", "60"))
PROCESSES = int(os.environ.get("IDLE_PROCESSES", "1000"))


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return ticks / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def measure(extra_args):
    with Workload(PROCESSES):
        watch = subprocess.Popen([DISCOTOP, "watch", "--json"] + extra_args, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        time.sleep(SECONDS)
        cpu = cpu_seconds(watch.pid)
        rss = peak_rss_mb(watch.pid)
        watch.terminate()
        watch.wait(10)
    label = " ".join(os.path.relpath(a, ROOT) if a.startswith(ROOT) else a for a in extra_args)
    return {"args": label or "(eBPF)", "processes": PROCESSES, "seconds": SECONDS,
            "cpu_seconds": round(cpu, 3), "core_percent": round(100 * cpu / SECONDS, 3), "peak_rss_mb": round(rss, 1)}


def main():
    config = ["--config", os.path.join(ROOT, "bench", "criteria.yml")]
    results = [measure([]), measure(["--no-ebpf"]), measure(config)]
    os.makedirs(os.path.join(ROOT, "bench", "out"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "out", "idle.json"), "w") as f:
        json.dump(results, f, indent=2)
    print("| mode | P | seconds | CPU time | % of one core | peak RSS |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['args']} | {r['processes']} | {r['seconds']:.0f} | {r['cpu_seconds']} s | {r['core_percent']} % | {r['peak_rss_mb']} MB |")
    ebpf = results[0]
    ok = ebpf["core_percent"] <= 0.5 and ebpf["peak_rss_mb"] <= 30
    print("target (eBPF mode <= 0.5 % of one core, RSS <= 30 MB):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""make bench (monitor): the terminal monitor at scale, in tmux, with 10,000 processes of
bench/workload (4 listeners each) on a 160x48 screen.

The monitor runs with DISCOTOP_FRAME_LOG, so it logs each frame it draws: when it ended
(CLOCK_MONOTONIC, the clock this script reads too), how long the render (state to screen grid)
and the draw (curses) took, when the first key behind it was read, the rows it held and its RSS.
Measured:
- first full screen: from just before tmux starts the monitor to the end of the first frame
  that holds every workload process (and, beside it, to the end of the first frame at all);
- one frame of 10,000 rows: the render time of the frames that hold them (median, max);
- key -> redraw through tmux: from just before `tmux send-keys` to the end of the frame that
  key drew (Down, Up, and a sort change now and then), and the same from the key's read inside;
- RSS at 10,000 processes: the most any frame logged, and VmHWM when the monitor is done.
Targets: first full screen <= 150 ms, render <= 2 ms, key -> redraw <= 16 ms, RSS <= 30 MB.
"""
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from workload_session import Workload

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DISCOTOP = os.environ.get("DISCOTOP", os.path.join(ROOT, ".build", "release", "discotop"))
SIZE = int(os.environ.get("MONITOR_PROCESSES", "10000"))
KEYS = int(os.environ.get("MONITOR_KEYS", "40"))
# MONITOR_OWN_WORKLOAD=0: measure against the processes already running (at least SIZE of them),
# for a machine where another bench/workload holds the loopback ports a second one would need.
OWN_WORKLOAD = os.environ.get("MONITOR_OWN_WORKLOAD", "1") != "0"
WIDTH, HEIGHT = 160, 48


def now_ns():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


class Tmux:
    def __init__(self):
        self.socket = f"discotop-bench-{os.getpid()}"

    def run(self, *args):
        return subprocess.run(["tmux", "-L", self.socket] + list(args), capture_output=True, text=True, check=False)

    def kill(self):
        self.run("kill-server")


def frames(path, since=0):
    """The log's frames, as dicts of ints, after the first `since` lines."""
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return []
    out = []
    for line in lines[since:]:
        fields = dict(part.split("=", 1) for part in line.split()[1:])
        out.append({k: int(v) for k, v in fields.items()})
    return out


def wait_for(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found is not None:
            return found
        time.sleep(0.002)
    return None


def main():
    work = tempfile.mkdtemp(prefix="discotop-monitor-bench-")
    log = os.path.join(work, "frames.log")
    tmux = Tmux()
    # The server and its pane first, so the clock below starts with the monitor, not tmux.
    tmux.run("new-session", "-d", "-x", str(WIDTH), "-y", str(HEIGHT), "sleep 600")
    try:
        with (Workload(SIZE) if OWN_WORKLOAD else contextlib.nullcontext()):
            command = f"exec env TERM=xterm-256color DISCOTOP_FRAME_LOG={log} {DISCOTOP} --no-config"
            started = now_ns()
            tmux.run("respawn-pane", "-k", "-t", "0", command)
            full = wait_for(lambda: next((f for f in frames(log) if f["processes"] >= SIZE), None), 60)
            if full is None:
                print("the monitor never showed the workload:", tmux.run("capture-pane", "-p").stdout, file=sys.stderr)
                return 1
            first_ms = (full["end"] - started) / 1e6
            first_frame_ms = (frames(log)[0]["end"] - started) / 1e6
            screen = tmux.run("capture-pane", "-p").stdout
            pid = int(tmux.run("display-message", "-p", "-t", "0", "#{pane_pid}").stdout.strip())
            time.sleep(1)
            total, inside = [], []
            keys = ["Down", "Down", "Up", ">", "Down", "Up", "Up", "<"]
            for i in range(KEYS):
                seen = len(frames(log))
                sent = now_ns()
                tmux.run("send-keys", "-t", "0", keys[i % len(keys)])
                drawn = wait_for(lambda: next((f for f in frames(log, seen) if f["key"] >= sent), None), 5)
                if drawn is None:
                    print(f"key {i} drew no frame", file=sys.stderr)
                    continue
                total.append((drawn["end"] - sent) / 1e6)
                inside.append((drawn["end"] - drawn["key"]) / 1e6)
                time.sleep(0.05 + (i % 7) * 0.013)
            with open(f"/proc/{pid}/status") as f:
                hwm = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024
            tmux.run("send-keys", "-t", "0", "q")
            logged = [f for f in frames(log) if f["processes"] >= SIZE]
    finally:
        tmux.kill()
    render = [f["render_us"] / 1000 for f in logged]
    draw = [f["draw_us"] / 1000 for f in logged]
    rss = max(f["rss_kb"] for f in logged) / 1024
    result = {
        "processes": SIZE, "screen": f"{WIDTH}x{HEIGHT}", "frames": len(logged),
        "first_frame_ms": round(first_frame_ms, 1), "first_full_screen_ms": round(first_ms, 1),
        "render_ms_median": round(statistics.median(render), 3), "render_ms_max": round(max(render), 3),
        "draw_ms_median": round(statistics.median(draw), 3),
        "key_to_redraw_ms_median": round(statistics.median(total), 2), "key_to_redraw_ms_max": round(max(total), 2),
        "key_read_to_redraw_ms_median": round(statistics.median(inside), 2), "key_read_to_redraw_ms_max": round(max(inside), 2),
        "rss_mb_max_logged": round(rss, 1), "vm_hwm_mb": round(hwm, 1),
    }
    os.makedirs(os.path.join(ROOT, "bench", "out"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "out", "monitor.json"), "w") as f:
        json.dump(result, f, indent=2)
    header = next((line for line in screen.splitlines() if "Processes (" in line), "")
    print(f"monitor at P={SIZE}, {WIDTH}x{HEIGHT}: {header.strip()}")
    print("| first frame | first full screen | render (median / max) | draw (median) | key -> redraw via tmux (median / max) | from the key's read (median / max) | RSS (logged max / VmHWM) |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {result['first_frame_ms']} ms | {result['first_full_screen_ms']} ms | {result['render_ms_median']} / {result['render_ms_max']} ms | {result['draw_ms_median']} ms | "
          f"{result['key_to_redraw_ms_median']} / {result['key_to_redraw_ms_max']} ms | "
          f"{result['key_read_to_redraw_ms_median']} / {result['key_read_to_redraw_ms_max']} ms | {result['rss_mb_max_logged']} / {result['vm_hwm_mb']} MB |")
    ok = (first_ms <= 150 and max(render) <= 2 and max(total) <= 16 and hwm <= 30)
    print("targets (first full screen <= 150 ms, render <= 2 ms, key -> redraw <= 16 ms, RSS <= 30 MB):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""make soak: discotop watch under a steady churn of short-lived listeners.

Runs `discotop watch --json -p <range>` while bench/churn forks RATE (150) listeners a second
on ports of that range (TCP and UDP, some handing their socket to an inheriting child), each
living 0.1-1.5 s; the generator logs every listener's pid, start time, port, proto, when it
started listening and when it exited. Then it checks, from the watch output and that log:

- every listener was `created` and `matched` with its port, and `deleted` and `unmatched` after
  it exited (never before); no process was matched without a port in the range;
- SETTLE (35) seconds after the churn: `discotop list --json` equals `ss -tulnpH` (proto, port,
  pid, fd of every listening socket in this network namespace), nothing is left in the range,
  every process the watch still shows exists, and every listener `list` finds is shown by watch;
- discotop's fd count and VmRSS are flat: the mean of the first and of the last minute of the
  churn (fifth, for runs under 5 minutes) within 10 %;
- no `info` line with code `lost_events`.

Latency is from the generator's clock right after listen() (fork(), for an inheritor) to the
`time` of the first `matched` line naming that port: watch writes to a file, so that is when it
wrote the line, and no reader can slow it down. The hooks see every process on the machine: a
flood of another program's binds (a test suite's ring-buffer overflow test, a benchmark) costs
discotop events too, so the summary counts other programs' kernel events and says how many
misses fell in such a flood or a lost-events gap. The checks do not excuse them.

Prints a summary (also bench/out/soak.json) and exits 1 if any check failed. The raw watch
output and the generator's log stay in bench/out/soak/ for a look at whatever failed.

Usage: python3 bench/soak.py [SECONDS]   (600 by default; `make soak SECONDS=60`)
"""
import collections
import datetime
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time

from workload_session import Workload

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(ROOT, "bench")
DISCOTOP = os.environ.get("DISCOTOP", os.path.join(ROOT, ".build", "release", "discotop"))
OUT = os.path.join(ROOT, "bench", "out", "soak")
RATE = float(os.environ.get("SOAK_RATE", "150"))
# Below the ephemeral range (32768-60999), so no client connection takes one of them, and clear
# of bench/latency.py's 21000-21199, which another worktree may be running at the same time.
BASE = int(os.environ.get("SOAK_BASE_PORT", "22000"))
PORTS = int(os.environ.get("SOAK_PORTS", "4000"))
UDP_PCT = int(os.environ.get("SOAK_UDP_PCT", "20"))
INHERIT_PCT = int(os.environ.get("SOAK_INHERIT_PCT", "15"))
MIN_MS = int(os.environ.get("SOAK_MIN_MS", "100"))
MAX_MS = int(os.environ.get("SOAK_MAX_MS", "1500"))
SEED = int(os.environ.get("SOAK_SEED", "1"))
# A sweep runs every 30 s: after 35 s at least one has, so whatever is still wrong is not
# waiting for it.
SETTLE = float(os.environ.get("SOAK_SETTLE", "35"))
# Long-lived listeners (bench/workload: 4 listening sockets and 4 established ones each) that
# outlive the churn, so the comparison with ss is not between two empty tables and the watch
# must still show them once pids have wrapped around (pid_max is 32768 here).
ANCHORS = int(os.environ.get("SOAK_ANCHORS", "5"))
FLAT_TOLERANCE = 0.10
MIN_RATE_FRACTION = 0.9  # the churn must reach 90 % of RATE, or the soak did not test that rate
CLK_TCK = os.sysconf("SC_CLK_TCK")
LO, HI = BASE, BASE + PORTS - 1


def build_churn():
    source, binary = os.path.join(HERE, "churn.c"), os.path.join(HERE, "churn")
    if not os.path.exists(binary) or os.path.getmtime(binary) < os.path.getmtime(source):
        subprocess.run(["cc", "-O2", "-Wall", "-o", binary, source], check=True)
    return binary


def start_time_of(pid):
    """Field 22 of /proc/PID/stat, or None once the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return None


def wall_ns(text):
    """A watch line's `time` (RFC 3339, UTC, microseconds) as wall-clock nanoseconds."""
    return int(datetime.datetime.fromisoformat(text).timestamp() * 1_000_000) * 1000


class WatchReader(threading.Thread):
    """Follows the file watch writes to. watch writes to a file rather than a pipe so that this
    reader, however slow on a busy machine, never holds watch up (a blocked write would stall
    its engine and overflow its ring buffer, which is what is being tested); the `time` of each
    discovery line is when watch wrote it. Keeps what the checks need."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path = path
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.shown = {}  # (pid, start_time) -> record, every process watch currently shows
        self.events = collections.defaultdict(list)  # identity -> [(type, written_ns, ports in range)]
        self.counts = collections.Counter()
        self.lost = 0
        self.lost_lines = []
        # (time of the line before, time) for each lost_events line: while the engine is
        # stalled nothing is written, so the gap before a report is when the events were lost.
        self.lost_windows = []
        self.previous_written = 0
        self.mode = None
        self.ready = threading.Event()
        self.matched_outside = []  # matched lines without a port in the range: matched against what?
        self.foreign = collections.Counter()  # kernel events of other programs: the load we did not make
        self.foreign_seconds = collections.Counter()  # ... per second of their own time
        self.position = 0  # bytes of the file handled so far

    def run(self):
        pending = b""
        with open(self.path, "rb") as f:
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    if self.stopping.is_set():
                        break
                    time.sleep(0.05)
                    continue
                *lines, pending = (pending + chunk).split(b"\n")
                for line in lines:
                    if not line:
                        continue
                    # Kernel events (no start_time) are most of the lines under a foreign bind
                    # flood: counted from the bytes, not parsed.
                    if b'"start_time"' not in line and b'"type":"info"' not in line:
                        self.kernel_line(line)
                    else:
                        self.handle(json.loads(line))
                self.position += len(chunk)

    def kernel_line(self, line):
        at = line.find(b'"comm":"') + 8
        comm = line[at:line.find(b'"', at)]
        kind = line[line.find(b'"type":"') + 8:line.find(b'","pid"')]
        self.counts[kind.decode()] += 1
        if comm != b"churn":
            self.foreign[comm.decode(errors="replace")] += 1
            self.foreign_seconds[line[9:28]] += 1  # "time":"YYYY-MM-DDTHH:MM:SS

    def handle(self, line):
        kind = line["type"]
        self.counts[kind] += 1
        written = wall_ns(line["time"])
        if kind == "info":
            if line.get("code") == "lost_events":
                self.lost += line.get("count", 0)
                self.lost_lines.append(line)
                self.lost_windows.append((self.previous_written, written))
            elif line.get("code") == "mode":
                self.mode = line
                # The mode line goes out with the first full scan's results: watch is ready.
                self.ready.set()
            self.previous_written = written
            return
        identity = (line["pid"], line["start_time"])
        ports = line.get("ports") or []
        mine = frozenset((p["proto"], p["port"]) for p in ports if LO <= p["port"] <= HI)
        with self.lock:
            if kind in ("created", "changed"):
                self.shown[identity] = line
            elif kind == "deleted":
                self.shown.pop(identity, None)
        if mine or identity in self.events:
            self.events[identity].append((kind, written, mine))
        if kind == "matched" and not mine:
            self.matched_outside.append(line)
        self.previous_written = written

    def shown_now(self):
        """What watch shows as of everything it has written so far: after a flood this reader
        may be behind the file, and an old picture would show processes long deleted."""
        deadline = time.monotonic() + 300
        while self.position < os.path.getsize(self.path) and time.monotonic() < deadline:
            time.sleep(0.05)
        with self.lock:
            return dict(self.shown)


def sample(pid):
    """discotop's open fds, VmRSS (kB) and CPU seconds, now."""
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    rss = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return fds, rss, (int(fields[11]) + int(fields[12])) / CLK_TCK


def runqueue_wait(pid):
    """Seconds discotop's threads have spent runnable but waiting for a CPU (schedstat): how
    much the other work on this machine held it up."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[1])
        except (OSError, IndexError, ValueError):
            pass  # a thread that ended meanwhile
    return total / 1e9


def read_log(path):
    listeners, ends, failures = {}, {}, []
    with open(path) as f:
        for line in f:
            fields = line.split()
            if fields[0] == "L":
                pid, st, port, proto, role, ppid, t = fields[1:8]
                listeners[(int(pid), int(st))] = {"port": int(port), "proto": proto, "role": role,
                                                  "ppid": int(ppid), "t": int(t)}
            elif fields[0] == "E":
                ends[(int(fields[1]), int(fields[2]))] = int(fields[3])
            elif fields[0] == "F":
                failures.append(line.strip())
    return listeners, ends, failures


def list_sockets():
    """(proto, port, pid, fd) of every listening socket `discotop list` sees in this network
    namespace (ss sees no other), and the identities of the processes holding them."""
    doc = json.loads(subprocess.run([DISCOTOP, "list", "--json"], capture_output=True, check=True).stdout)
    netns = os.stat("/proc/self/ns/net").st_ino
    sockets, identities = set(), set()
    for p in doc["processes"]:
        identities.add((p["pid"], p["start_time"]))
        if p.get("netns", netns) != netns:
            continue
        for port in p["ports"] or []:
            sockets.add((port["proto"], port["port"], p["pid"], port["fd"]))
    return sockets, identities, doc


def ss_sockets():
    out = subprocess.run(["ss", "-tulnpH"], capture_output=True, text=True, check=True).stdout
    sockets = set()
    for line in out.splitlines():
        fields = line.split()
        proto, port = fields[0], int(fields[4].rsplit(":", 1)[1])
        for pid, fd in re.findall(r"pid=(\d+),fd=(\d+)", line):
            sockets.add((proto, port, int(pid), int(fd)))
    return sockets


def compare_with_ss(attempts=3):
    """list against ss, each list bracketed by two ss runs: a socket list shows must be in one
    of them, a socket both show must be in list. Other engineers' processes come and go on this
    machine, so a difference only counts if it is there in every attempt."""
    persistent, last = None, None
    for _ in range(attempts):
        before = ss_sockets()
        listed, identities, doc = list_sockets()
        after = ss_sockets()
        extra = listed - (before | after)
        missing = (before & after) - listed
        diff = {("extra in list",) + s for s in extra} | {("missing from list",) + s for s in missing}
        last = {"list": len(listed), "ss": len(after), "unowned_sockets": doc["scan"].get("unowned_sockets")}
        if not diff:
            return True, [], last, listed, identities
        persistent = diff if persistent is None else persistent & diff
        time.sleep(1)
    return not persistent, sorted(persistent), last, listed, identities


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * fraction))] if values else None


def ms(value):
    return None if value is None else round(value / 1e6, 2)


def flat(samples, index, window, duration):
    first = [s[index] for s in samples if s[0] < window]
    last = [s[index] for s in samples if s[0] >= duration - window]
    a, b = statistics.mean(first), statistics.mean(last)
    return {"first": round(a, 1), "last": round(b, 1), "change": round((b - a) / a, 4) if a else 0.0,
            "ok": abs(b - a) <= FLAT_TOLERANCE * a}


def correlate(reader, listeners, ends):
    """Each listener of the log against the watch lines for its (pid, start_time)."""
    result = collections.Counter()
    problems = collections.defaultdict(list)
    latency = {"listener": [], "inheritor": []}
    deletion = []
    for identity, entry in listeners.items():
        key = (entry["proto"], entry["port"])
        end = ends.get(identity)
        lines = reader.events.get(identity, [])
        created = [t for kind, t, ports in lines if kind in ("created", "changed") and key in ports]
        matched = [t for kind, t, ports in lines if kind == "matched" and key in ports]
        deleted = [t for kind, t, _ in lines if kind == "deleted"]
        unmatched = [t for kind, t, _ in lines if kind == "unmatched"]
        result[entry["role"]] += 1
        if end is None:
            problems["no exit in the log"].append(identity)
            continue
        for name, times in (("created", created), ("matched", matched)):
            if times:
                result[name] += 1
            else:
                problems[f"never {name}"].append(identity)
        if matched:
            latency[entry["role"]].append(matched[0] - entry["t"])
        for name, times in (("deleted", deleted), ("unmatched", unmatched)):
            early = [t for t in times if t < end]
            if early:
                problems[f"{name} while still running"].append(identity)
            if any(t >= end for t in times):
                result[name] += 1
            else:
                problems[f"never {name} after exit"].append(identity)
        late = [t for t in deleted if t >= end]
        if late:
            deletion.append(late[0] - end)
        if len(created) > 1 or len(matched) > 1:
            result["announced twice"] += 1
    return result, problems, latency, deletion


FLOOD_LINES_PER_SECOND = 500  # kernel events of other programs in one second: someone else's flood


def interference(reader):
    """When other programs got in the way: from 1 s before the last line ahead of each
    lost_events report to the report (what a rescan after the loss cannot find any more, as it
    is gone by then), and the seconds in which other programs made more than
    FLOOD_LINES_PER_SECOND kernel events, with 2 s either side (the engine works through them)."""
    windows = [(before - 1_000_000_000, at) for before, at in reader.lost_windows]
    for second, count in reader.foreign_seconds.items():
        if count > FLOOD_LINES_PER_SECOND:
            start = wall_ns(second.decode() + "Z")
            windows.append((start - 2_000_000_000, start + 3_000_000_000))
    return windows


def during(windows, identities, listeners):
    return sum(1 for i in identities if any(a <= listeners[i]["t"] <= b for a, b in windows))


def describe(identity, listeners, reader):
    """One problem, with what the log and the watch said about it, for the report."""
    entry = dict(listeners.get(identity, {}))
    def iso(ns):
        return datetime.datetime.fromtimestamp(ns / 1e9, datetime.timezone.utc).isoformat(timespec="microseconds")
    lines = [(kind, iso(t), sorted(ports)) for kind, t, ports in reader.events.get(identity, [])]
    return {"pid": identity[0], "start_time": identity[1], **entry, "t": iso(entry["t"]) if "t" in entry else None,
            "watch": lines}


def main(argv):
    seconds = float(argv[1]) if len(argv) > 1 else 600.0
    churn = build_churn()
    os.makedirs(OUT, exist_ok=True)
    log_path, raw_path = os.path.join(OUT, "churn.log"), os.path.join(OUT, "watch.jsonl")
    stderr = open(os.path.join(OUT, "watch.stderr"), "wb")
    with open(raw_path, "wb") as raw:
        # --all: with criteria, watch prints only what concerns them, and the soak checks every
        # process list finds against what watch announced.
        watch = subprocess.Popen([DISCOTOP, "watch", "--json", "--all", "-p", f"{LO}-{HI}"], stdout=raw, stderr=stderr)
    reader = WatchReader(raw_path)
    reader.start()
    if not reader.ready.wait(60):
        print("soak: watch did not start", file=sys.stderr)
        watch.kill()
        return 1
    time.sleep(1)
    anchors = Workload(ANCHORS)
    print(f"soak: {reader.mode['message']}", flush=True)
    print(f"soak: {seconds:.0f} s of churn at {RATE:.0f} listeners/s on ports {LO}-{HI} "
          f"({UDP_PCT} % UDP, {INHERIT_PCT} % with an inheriting child, {MIN_MS}-{MAX_MS} ms each)", flush=True)

    generator = subprocess.Popen([churn, str(seconds), str(RATE), str(BASE), str(PORTS), log_path, str(UDP_PCT),
                                  str(INHERIT_PCT), str(MIN_MS), str(MAX_MS), str(SEED)],
                                 stdout=subprocess.PIPE, text=True, start_new_session=True)
    started = time.monotonic()
    samples = []  # (seconds into the churn, fds, rss kB, cpu s)
    cpu_before, wait_before = sample(watch.pid)[2], runqueue_wait(watch.pid)
    try:
        while generator.poll() is None:
            if watch.poll() is not None:
                print(f"soak: watch exited with {watch.returncode} during the churn", file=sys.stderr)
                os.killpg(generator.pid, signal.SIGTERM)
                generator.wait()
                anchors.stop()
                return 1
            elapsed = time.monotonic() - started
            if elapsed <= seconds:
                samples.append((elapsed,) + sample(watch.pid))
            if len(samples) % 60 == 0 and samples and elapsed <= seconds:
                s = samples[-1]
                print(f"soak: {elapsed:5.0f} s  watch lines {sum(reader.counts.values())}  fds {s[1]}  "
                      f"RSS {s[2] / 1024:.1f} MB  lost {reader.lost}", flush=True)
            time.sleep(1)
    except KeyboardInterrupt:
        os.killpg(generator.pid, signal.SIGTERM)
        generator.wait()
        anchors.stop()
        watch.terminate()
        raise
    done = dict(item.split("=") for item in generator.stdout.read().split()[1:])
    cpu_churn, wait_churn = sample(watch.pid)[2] - cpu_before, runqueue_wait(watch.pid) - wait_before
    print(f"soak: churn done; waiting {SETTLE:.0f} s before comparing with ss", flush=True)
    time.sleep(SETTLE)

    ss_ok, ss_diff, ss_counts, listed, list_identities = compare_with_ss()
    in_range = sorted(s for s in listed if LO <= s[1] <= HI)
    # Every process watch still shows must exist; one that does not is checked again 2 s later,
    # so a process of someone else's that exited a moment ago (its `deleted` on the way) is not
    # counted.
    shown = reader.shown_now()
    gone = [i for i in shown if start_time_of(i[0]) != i[1]]
    unseen = [i for i in list_identities if i not in shown]
    time.sleep(2)
    shown_later = reader.shown_now()
    stale = [shown_later[i] for i in gone if i in shown_later and start_time_of(i[0]) != i[1]]
    unseen = [i for i in unseen if i not in shown_later and start_time_of(i[0]) == i[1]]
    final = sample(watch.pid)
    anchors.stop()
    watch.terminate()
    watch.wait(10)
    reader.stopping.set()
    reader.join(60)

    listeners, ends, failures = read_log(log_path)
    counts, problems, latency, deletion = correlate(reader, listeners, ends)
    windows = interference(reader)
    flood_seconds = sum(1 for c in reader.foreign_seconds.values() if c > FLOOD_LINES_PER_SECOND)
    churn_seconds = (int(done["last_ns"]) - int(done["first_ns"])) / 1e9
    parents = counts["listener"]
    rate = parents / churn_seconds if churn_seconds > 0 else 0.0
    window = 60.0 if seconds >= 300 else seconds / 5
    fds, rss = flat(samples, 1, window, seconds), flat(samples, 2, window, seconds)
    everyone = latency["listener"] + latency["inheritor"]
    summary = {
        "seconds": seconds, "target_rate": RATE, "rate": round(rate, 1), "listeners": parents,
        "inheritors": counts["inheritor"], "bind_failures": len(failures), "generator_failures": int(done["failed"]),
        "created": counts["created"], "matched": counts["matched"], "deleted": counts["deleted"],
        "unmatched": counts["unmatched"], "announced_twice": counts["announced twice"],
        "latency_ms": {"p50": ms(statistics.median(everyone)) if everyone else None,
                       "p99": ms(percentile(everyone, 0.99)), "max": ms(max(everyone) if everyone else None),
                       "listener_p99": ms(percentile(latency["listener"], 0.99)),
                       "inheritor_p99": ms(percentile(latency["inheritor"], 0.99))},
        "deleted_after_exit_ms": {"p50": ms(statistics.median(deletion)) if deletion else None,
                                  "p99": ms(percentile(deletion, 0.99)), "max": ms(max(deletion) if deletion else None)},
        "fds": fds, "rss_kb": rss, "window_seconds": window, "final_fds": final[0], "final_rss_kb": final[1],
        "watch_cpu_percent_of_one_core": round(100 * cpu_churn / churn_seconds, 1) if churn_seconds else None,
        "watch_runqueue_wait_seconds": round(wait_churn, 2),
        "lost_events": reader.lost, "watch_lines": dict(reader.counts),
        "foreign_kernel_events": sum(reader.foreign.values()), "foreign_top": reader.foreign.most_common(5),
        "foreign_flood_seconds": flood_seconds,
        "ss": {"equal": ss_ok, **ss_counts, "persistent_differences": ss_diff[:20]},
        "left_in_range": in_range[:20], "stale_in_watch": [{k: s[k] for k in ("pid", "start_time", "comm", "ports")}
                                                            for s in stale[:20]],
        "listed_not_in_watch": unseen[:20],
        "matched_outside_range": len(reader.matched_outside),
        "problems": {name: {"count": len(ids), "during_interference": during(windows, ids, listeners),
                            "examples": [describe(i, listeners, reader) for i in ids[:5]]}
                     for name, ids in problems.items()},
        "lost_reports": [{"count": line["count"], "time": line["time"]} for line in reader.lost_lines],
        "mode": reader.mode.get("message") if reader.mode else None,
        "load_average": os.getloadavg(),
    }
    checks = {
        f"rate >= {MIN_RATE_FRACTION:.0%} of {RATE:.0f}/s": rate >= MIN_RATE_FRACTION * RATE,
        "every listener created, matched, then deleted and unmatched after exit": not problems,
        "no match outside the range": not reader.matched_outside,
        "list equals ss -tulnpH": ss_ok,
        "nothing left in the range": not in_range,
        "no stale process in watch": not stale,
        "every listener list finds is in watch": not unseen,
        "fds flat (10 %)": fds["ok"],
        "RSS flat (10 %)": rss["ok"],
        "0 lost events": reader.lost == 0,
        "generator: no failed listener": not failures and int(done["failed"]) == 0,
    }
    summary["checks"] = checks
    with open(os.path.join(ROOT, "bench", "out", "soak.json"), "w") as f:
        json.dump(summary, f, indent=2, default=list)

    lat, dl = summary["latency_ms"], summary["deleted_after_exit_ms"]
    print(f"""
soak summary ({seconds:.0f} s, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())})
  listeners        {parents} + {counts['inheritor']} inheritors, {rate:.1f}/s (target {RATE:.0f}), bind failures {len(failures)}
  created/matched  {counts['created']} / {counts['matched']} of {len(listeners)}
  deleted/unmatched {counts['deleted']} / {counts['unmatched']} of {len(listeners)}, announced twice {counts['announced twice']}
  latency          listen -> matched line's time p50 {lat['p50']} ms, p99 {lat['p99']} ms, max {lat['max']} ms (inheritors' p99 {lat['inheritor_p99']} ms; lines carry the kernel's time of their cause, so this is ~0: bench/latency.py times delivery)
  exit -> deleted  p50 {dl['p50']} ms, p99 {dl['p99']} ms, max {dl['max']} ms
  fds              {fds['first']} -> {fds['last']} ({fds['change']:+.1%}), first vs last {window:.0f} s
  RSS              {rss['first'] / 1024:.1f} -> {rss['last'] / 1024:.1f} MB ({rss['change']:+.1%})
  watch CPU        {summary['watch_cpu_percent_of_one_core']} % of one core during the churn, {wait_churn:.1f} s waiting for a CPU
  lost events      {reader.lost} (kernel events from other programs during the soak: {sum(reader.foreign.values())}, most from {', '.join(f'{c} {n}' for c, n in reader.foreign.most_common(3)) or 'none'}; """
f"""{flood_seconds} s with more than {FLOOD_LINES_PER_SECOND})
  ss               list {ss_counts['list']} sockets, ss {ss_counts['ss']}, equal: {ss_ok}""")
    for name, ids in problems.items():
        print(f"  problem: {name}: {len(ids)} ({during(windows, ids, listeners)} started during a flood of other "
              f"programs' events or while events were lost), e.g. {json.dumps(describe(ids[0], listeners, reader))}")
    for difference in ss_diff[:10]:
        print(f"  ss difference: {difference}")
    for s in stale[:10]:
        print(f"  stale in watch: pid {s['pid']} start_time {s['start_time']} {s['comm']}")
    for identity in unseen[:10]:
        print(f"  listed but not in watch: {identity}")
    for line in reader.lost_lines[:5]:
        print(f"  lost: {line['time']} {line['message']}")
    print()
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

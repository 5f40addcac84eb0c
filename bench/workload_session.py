"""Starts bench/workload with P processes and stops it: shared by the benchmarks."""
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
BINARY = os.path.join(HERE, "workload")


def build():
    source = os.path.join(HERE, "workload.c")
    if not os.path.exists(BINARY) or os.path.getmtime(BINARY) < os.path.getmtime(source):
        subprocess.run(["cc", "-O2", "-o", BINARY, source], check=True)


class Workload:
    def __init__(self, processes):
        build()
        self.proc = subprocess.Popen([BINARY, str(processes)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     start_new_session=True)
        line = self.proc.stdout.readline()
        if line.strip() != b"ready":
            self.stop()
            raise RuntimeError("workload did not start")

    def stop(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        self.proc.wait(timeout=60)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

"""make screenshots: drives a real discotop run in tmux and renders the coloured screen to PNGs.

The scene is a small shop's services, all real servers started by this script, none of them
the machine's own: two python http.servers (IPv4 127.0.0.1:8000 and IPv6 [::1]:8001), a UDP
listener (8053), a pre-fork API server whose master binds 8080 and forks three workers that
share it, a second start of that API that fails to bind with EADDRINUSE, and an admin server
that stops listening while it keeps running (a close). A failed bind is seen only by the bind
syscall's tracepoint (the cgroup hook reports successful binds), so the monitor runs with
`--hook bind=tracepoint`, and `make screenshots` mounts tracefs in a mount namespace of its
own. Each service is started through a symlink named for it (so its comm says what it is, as a
packaged service's would) to /usr/bin/python3, with a one-line command line, by a launcher that
forks it off and exits, so its parent is the machine's init (pid 1) as a service's would be.
discotop runs with the scene's ports as criteria, in the tree view, and the htop filter `shop`
keeps every pane to the scene's processes. Nothing of the machine that runs this script shows
but its init, by name, at the end of the inspect view's parent chain.

Captured at 100x30 (`capture-pane -e`, ANSI colours) and drawn with DejaVu Sans Mono into
screenshots/*.png: the main screen, the range prompt (with an invalid entry), the inspect view,
the help screen and the inspect view of a Beyla configuration's selectors.
"""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import sys
import time

from PIL import Image, ImageDraw, ImageFont

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DISCOTOP = os.environ.get("DISCOTOP", os.path.join(ROOT, ".build", "release", "discotop"))
OUT = os.path.join(ROOT, "screenshots")
TMUX = ["tmux", "-L", f"discotop-shots-{os.getpid()}"]
WIDTH, HEIGHT = 100, 30
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
PALETTE = ["#1d1f21", "#cc6666", "#8abe68", "#e6c547", "#81a2be", "#b294bb", "#70c0ba", "#c5c8c6",
           "#666666", "#ff3334", "#9ec400", "#f0c674", "#81a2be", "#b77ee0", "#54ced6", "#ffffff"]
FOREGROUND, BACKGROUND = "#d8dad8", "#15171a"
PYTHON = "/usr/bin/python3"
PORTS = "8000-8099"

# The scene's own Python modules, importable by name so command lines stay one line.
SHOPAPI = """\
import os, socket, sys, time
port, workers = int(sys.argv[1]), int(sys.argv[2])
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    listener.bind(("0.0.0.0", port))
except OSError as error:
    print(f"shop-api: cannot bind {port}: {error}", file=sys.stderr)
    sys.exit(1)
listener.listen(64)
for _ in range(workers):
    if os.fork() == 0:
        while True:
            connection, _ = listener.accept()
            connection.sendall(b"HTTP/1.0 200 OK\\r\\n\\r\\nok\\n")
            connection.close()
time.sleep(600)
"""
SHOPDNS = """\
import socket, sys
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", int(sys.argv[1])))
while True:
    data, peer = udp.recvfrom(512)
    udp.sendto(data, peer)
"""
SHOPADMIN = """\
import socket, sys, time
admin = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
admin.bind(("127.0.0.1", int(sys.argv[1])))
admin.listen()
time.sleep(float(sys.argv[2]))
admin.close()
time.sleep(600)
"""


def tmux(*args):
    return subprocess.run(TMUX + list(args), capture_output=True, text=True).stdout


class Scene:
    """The shop's services, each started from a launcher in a session of its own."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="shop-")
        self.bin = os.path.join(self.root, "bin")
        self.lib = os.path.join(self.root, "lib")
        self.www = os.path.join(self.root, "www")
        for directory in (self.bin, self.lib, self.www):
            os.makedirs(directory)
        for name in ("shop-web", "shop-static", "shop-api", "shop-dns", "shop-admin"):
            os.symlink(PYTHON, os.path.join(self.bin, name))
        for module, code in (("shopapi", SHOPAPI), ("shopdns", SHOPDNS), ("shopadmin", SHOPADMIN)):
            with open(os.path.join(self.lib, module + ".py"), "w") as f:
                f.write(code)
        with open(os.path.join(self.www, "index.html"), "w") as f:
            f.write("<h1>shop</h1>\n")
        self.processes = []

    def start(self, name, *args):
        """`name args…` with the service's symlink as the program (comm and argv[0] are `name`),
        started by a launcher that forks it off and exits, as a service manager's child would
        be: its parent is the machine's init, not this script, its shell and its terminal."""
        env = {"PATH": self.bin + ":/usr/bin:/bin", "PYTHONPATH": self.lib, "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8"}
        launch = "import os, sys\nif os.fork() == 0:\n    os.execve(sys.argv[1], sys.argv[2:], os.environ)\n"
        launcher = subprocess.Popen([PYTHON, "-c", launch, os.path.join(self.bin, name), name] + list(args), cwd=self.www, env=env,
                                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    start_new_session=True)
        launcher.wait()
        # The service keeps the launcher's session and process group: stop() ends it by that.
        self.processes.append(launcher)
        return launcher

    def stop(self):
        for launcher in self.processes:
            try:
                os.killpg(launcher.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)


def parse_ansi(text):
    """Yields rows of (char, fg, bg, bold) from tmux's `capture-pane -e` output."""
    rows = []
    # tmux emits a code only when the style changes, so the style carries across lines.
    fg, bg, bold, reverse, dim = None, None, False, False, False
    for line in text.split("\n")[:HEIGHT]:
        row = []
        for token in re.split(r"(\x1b\[[0-9;]*m)", line):
            if token.startswith("\x1b["):
                codes = [int(c) if c else 0 for c in token[2:-1].split(";")] or [0]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0: fg, bg, bold, reverse, dim = None, None, False, False, False
                    elif c == 1: bold = True
                    elif c == 2: dim = True
                    elif c == 7: reverse = True
                    elif c == 22: bold = dim = False
                    elif c == 27: reverse = False
                    elif 30 <= c <= 37: fg = PALETTE[c - 30]
                    elif c == 39: fg = None
                    elif 40 <= c <= 47: bg = PALETTE[c - 40]
                    elif c == 49: bg = None
                    elif 90 <= c <= 97: fg = PALETTE[c - 90 + 8]
                    elif 100 <= c <= 107: bg = PALETTE[c - 100 + 8]
                    elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                        color = PALETTE[codes[i + 2]] if codes[i + 2] < 16 else "#888888"
                        if c == 38: fg = color
                        else: bg = color
                        i += 2
                    i += 1
                continue
            for ch in token:
                f, b = fg or FOREGROUND, bg or BACKGROUND
                if reverse: f, b = b, f
                if dim: f = "#7a7d80"
                row.append((ch, f, b, bold))
        rows.append(row)
    return rows


def render(capture, name):
    font, bold = ImageFont.truetype(FONT, 15), ImageFont.truetype(BOLD, 15)
    cell_w, cell_h = 9, 19
    image = Image.new("RGB", (WIDTH * cell_w + 20, HEIGHT * cell_h + 20), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(parse_ansi(capture)):
        for x, (ch, fg, bg, is_bold) in enumerate(row[:WIDTH]):
            left, top = 10 + x * cell_w, 10 + y * cell_h
            if bg != BACKGROUND:
                draw.rectangle([left, top, left + cell_w, top + cell_h], fill=bg)
            if ch != " ":
                draw.text((left, top), ch, fill=fg, font=bold if is_bold else font)
    path = os.path.join(OUT, f"{name}.png")
    image.save(path)
    print("wrote", os.path.relpath(path, ROOT))


def press(key, wait, literal=False):
    """Sends one key (or, with literal, text) to the monitor and gives it time to redraw."""
    tmux("send-keys", "-t", "0", *(["-l"] if literal else []), key)
    time.sleep(wait)


def capture():
    return tmux("capture-pane", "-p", "-e", "-N", "-t", "0")


def wait_for(text, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in capture():
            return True
        time.sleep(0.1)
    print(f"warning: the screen never showed {text!r}", file=sys.stderr)
    return False


def main():
    os.makedirs(OUT, exist_ok=True)
    scene = Scene()
    try:
        # Running before discotop starts: DISCOVERED marks them with ~.
        scene.start("shop-web", "-m", "http.server", "8000", "--bind", "127.0.0.1")
        scene.start("shop-static", "-m", "http.server", "8001", "--bind", "::1")
        scene.start("shop-dns", "-m", "shopdns", "8053")
        scene.start("shop-api", "-m", "shopapi", "8080", "3")
        time.sleep(1)
        tmux("new-session", "-d", "-x", str(WIDTH), "-y", str(HEIGHT),
             f"env -u NO_COLOR XDG_CONFIG_HOME={scene.root}/config {DISCOTOP} --no-config --hook bind=tracepoint --tree -p {PORTS}; sleep 5")
        wait_for("Matched (")
        time.sleep(1.5)
        # While discotop runs: their bind, listen and close events show as they happen.
        scene.start("shop-admin", "-m", "shopadmin", "8090", "1.5")
        time.sleep(0.7)
        scene.start("shop-api", "-m", "shopapi", "8080", "3")  # started twice: EADDRINUSE
        press("\\", 0.3)
        press("shop", 0.3, literal=True)
        press("Enter", 0.3)
        time.sleep(2.5)
        render(capture(), "main")
        press("/", 0.3)
        press(",80x", 0.5, literal=True)
        render(capture(), "prompt")
        press("Escape", 0.3)
        press("Tab", 0.2)
        press("Down", 0.2)
        press("Enter", 0.8)
        time.sleep(0.5)
        render(capture(), "inspect")
        press("Escape", 0.3)
        press("?", 0.5)
        render(capture(), "help")
        press("q", 0.5)
        tmux("kill-server")
        config_session(scene)
    finally:
        tmux("kill-server")
        scene.stop()
    return 0


CONFIG = """\
discovery:
  instrument:
    - name: web
      open_ports: 8000-8001
    - name: api
      open_ports: 8080
      exe_path: "*java*"
  exclude_instrument:
    - exe_path: "*prometheus"
"""


def config_session(scene):
    """The monitor on a Beyla configuration file: the inspect view says how each selector fared."""
    config = os.path.join(scene.root, "beyla.yml")
    with open(config, "w") as f:
        f.write(CONFIG)
    tmux("new-session", "-d", "-x", str(WIDTH), "-y", str(HEIGHT),
         f"env -u NO_COLOR {DISCOTOP} --no-config --config {config}; sleep 5")
    wait_for("Matched (")
    time.sleep(1)
    press("\\", 0.3)
    press("shop", 0.3, literal=True)
    press("Enter", 0.3)
    press("Tab", 0.3)
    press("Enter", 0.8)
    time.sleep(0.5)
    render(capture(), "config-inspect")
    press("q", 0.3)


if __name__ == "__main__":
    sys.exit(main())

"""make screenshots: drives a real discotop run in tmux and renders the coloured screen to PNGs.

Starts a few real listeners (one of them on a port the screenshots filter for), runs discotop
in a private tmux server at 120x34, and captures: the main screen, the range prompt (with an
invalid entry), the inspect view and the help screen. Each capture (`capture-pane -e`, ANSI
colours) is drawn with DejaVu Sans Mono into screenshots/*.png.
"""
import os
import re
import socket
import subprocess
import tempfile
import sys
import time

from PIL import Image, ImageDraw, ImageFont

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DISCOTOP = os.environ.get("DISCOTOP", os.path.join(ROOT, ".build", "release", "discotop"))
OUT = os.path.join(ROOT, "screenshots")
TMUX = ["tmux", "-L", f"discotop-shots-{os.getpid()}"]
WIDTH, HEIGHT = 120, 34
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
PALETTE = ["#1d1f21", "#cc6666", "#8abe68", "#e6c547", "#81a2be", "#b294bb", "#70c0ba", "#c5c8c6",
           "#666666", "#ff3334", "#9ec400", "#f0c674", "#81a2be", "#b77ee0", "#54ced6", "#ffffff"]
FOREGROUND, BACKGROUND = "#d8dad8", "#15171a"


def tmux(*args):
    return subprocess.run(TMUX + list(args), capture_output=True, text=True).stdout


def helper_listeners(*specs):
    """Real listeners in child processes, so they show as processes other than this script."""
    code = ("import socket,time,sys\n"
            "socks=[]\n"
            "for spec in sys.argv[1:]:\n"
            "    proto,port=spec.split(':'); kind=socket.SOCK_STREAM if proto=='tcp' else socket.SOCK_DGRAM\n"
            "    s=socket.socket(socket.AF_INET,kind); s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
            "    s.bind(('127.0.0.1',int(port)))\n"
            "    if kind==socket.SOCK_STREAM: s.listen()\n"
            "    socks.append(s)\n"
            "time.sleep(600)\n")
    return subprocess.Popen(["/usr/bin/python3", "-c", code] + list(specs))


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


def main():
    os.makedirs(OUT, exist_ok=True)
    before = helper_listeners("tcp:8443", "udp:5353")
    tmux("new-session", "-d", "-x", str(WIDTH), "-y", str(HEIGHT), f"{DISCOTOP} -p 8000-8999; sleep 5")
    time.sleep(2)
    after = helper_listeners("tcp:8080", "tcp:8081")  # started while discotop runs: its bind and listen events show
    try:
        time.sleep(1.5)
        render(capture(), "main")
        press("/", 0.3)
        press(",5353,99999", 0.5, literal=True)
        render(capture(), "prompt")
        press("Escape", 0.3)
        press("Tab", 0.2)
        press("Enter", 0.8)
        render(capture(), "inspect")
        press("Escape", 0.3)
        press("?", 0.5)
        render(capture(), "help")
        press("q", 0.5)
        tmux("kill-server")
        config_session()
    finally:
        tmux("kill-server")
        for p in (before, after):
            p.kill()
            p.wait()
    return 0


CONFIG = """\
discovery:
  instrument:
    - name: web
      open_ports: 8080-8081
    - name: tls
      open_ports: 8443
      exe_path: "*java*"
  exclude_instrument:
    - exe_path: "*prometheus"
"""


def config_session():
    """The monitor on a Beyla configuration file: the inspect view says how each selector fared."""
    with tempfile.NamedTemporaryFile("w", suffix=".yml", prefix="beyla-") as config:
        config.write(CONFIG)
        config.flush()
        tmux("new-session", "-d", "-x", str(WIDTH), "-y", str(HEIGHT), f"{DISCOTOP} --config {config.name}; sleep 5")
        time.sleep(2)
        press("Tab", 0.3)
        press("Enter", 0.8)
        render(capture(), "config-inspect")
        press("q", 0.3)
        tmux("send-keys", "-t", "0", "q")


if __name__ == "__main__":
    sys.exit(main())

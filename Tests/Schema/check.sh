#!/usr/bin/env bash
# make test: real `list --json` and `watch --json` output against docs/schema. The watch run
# sees listeners on TCP and UDP come and go, one gain a port and a bind fail with EADDRINUSE,
# so every line type it can print here is checked, not just the first few.
set -euo pipefail
discotop=${1:-.build/debug/discotop}
python=${PYTHON:-/usr/bin/python3}
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$out"' EXIT

"$discotop" list --json --all >"$out/list.json"
"$python" "$here/validate.py" list "$out/list.json"
# With criteria that pick every listener: the verdict fields of matched processes too.
"$discotop" list --json --all -p 1-65535 >"$out/list-matched.json"
"$python" "$here/validate.py" list "$out/list-matched.json"

mode=()
[ "$(id -u)" = 0 ] || mode=(--no-ebpf --poll-interval 0.2)
"$discotop" watch --json --all -p 1-65535 "${mode[@]}" >"$out/watch.jsonl" &
watch=$!
sleep 1.5
"$python" - <<'PY'
import socket, time
a = socket.socket(); a.bind(("127.0.0.1", 0)); a.listen()
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.bind(("::1", 0))
time.sleep(0.6)
b = socket.socket(); b.bind(("127.0.0.1", 0)); b.listen()
try:
    c = socket.socket(); c.bind(a.getsockname())
except OSError:
    pass
time.sleep(0.6)
a.close(); u.close()
time.sleep(0.6)
PY
sleep 1
kill -INT "$watch"
wait "$watch"
"$python" "$here/validate.py" watch "$out/watch.jsonl"
"$python" - "$out/watch.jsonl" <<'PY'
import json, sys
types = {json.loads(line)["type"] for line in open(sys.argv[1]) if line.strip()}
missing = {"created", "changed", "deleted", "matched", "unmatched", "info"} - types
if missing:
    sys.exit(f"watch printed no {sorted(missing)} lines to check: {sorted(types)}")
print("watch line types checked:", " ".join(sorted(types)))
PY

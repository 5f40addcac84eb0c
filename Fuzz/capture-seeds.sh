#!/usr/bin/env bash
# Regenerates the seeds that come from this machine (Corpus/*/real-*): /proc files, an
# inet_diag dump answer, a small C ELF and a Go binary's .go.buildinfo. The text seeds
# (port lists, globs, --hook lines, configs) are written by hand or copied, and stay.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# /proc/net/*: the selector byte is the harness's (bit 0 udp, bit 1 ipv6); header plus a few lines.
i=0
for file in tcp udp tcp6 udp6; do
    { printf "\\x0$i"; head -6 /proc/net/$file; } > Corpus/FuzzProcNet/real-$file
    i=$((i + 1))
done

cp /proc/1/stat Corpus/FuzzProcStat/real-init
cp /proc/2/stat Corpus/FuzzProcStat/real-kthreadd
cp /proc/self/stat Corpus/FuzzProcStat/real-cp

# One recv of each dump discotop sends (TCP LISTEN, UDP all states), IPv4 and IPv6.
python3 - Corpus/FuzzInetDiag <<'PY'
import socket, struct, sys
for proto, states in ((6, 1 << 10), (17, 0xFFFFFFFF)):
    for family in (2, 10):
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 4)  # NETLINK_SOCK_DIAG
        request = struct.pack("=BBBBI", family, proto, 0, 0, states) + bytes(48)
        s.send(struct.pack("=IHHII", 16 + len(request), 20, 0x301, 1, 0) + request)
        name = {6: "tcp", 17: "udp"}[proto] + ("6" if family == 10 else "")
        open(f"{sys.argv[1]}/real-{name}", "wb").write(s.recv(8192)[:4096])
PY

gcc -Os -s -o "$work/probe" ../Tests/Fixtures/probes/probe.c
cp "$work/probe" Corpus/FuzzELF/real-c
(cd ../Tests/Fixtures/probes && CGO_ENABLED=0 GOCACHE="$work/gocache" go build -o "$work/probe-go" probe.go)
objcopy -O binary --only-section=.go.buildinfo "$work/probe-go" "$work/buildinfo"
head -c 512 "$work/buildinfo" > Corpus/FuzzGoBuildInfo/real-probe
# The C ELF carrying the Go section: language detection's Go path without a 2 MB seed.
objcopy --add-section .go.buildinfo=Corpus/FuzzGoBuildInfo/real-probe "$work/probe" Corpus/FuzzELF/real-c-with-go-buildinfo
# A 32-bit object (libelf's other class); the byte-order flip is one mutation away.
printf 'void rust_panic(void) {}\n' > "$work/panic.c"
gcc -m32 -c -o Corpus/FuzzELF/real-elf32-object "$work/panic.c"

#!/usr/bin/env bash
# Makes the ELF samples ELFFileTests reads: real toolchain output for the classes and byte
# orders the reader must handle, small enough to commit. Go cross-compiles the probe for i386
# (32-bit little-endian), mips (32-bit big-endian) and s390x (64-bit big-endian); every byte
# but the ELF header, the section table, the section names and .go.buildinfo is then zeroed and
# the file gzipped (a few KB from 2.5 MB), so the layout stays the linker's own. gcc -m32 -c
# gives a 32-bit relocatable object whose .strtab holds rust_panic (named .elf, as .gitignore
# drops *.o). Run from anywhere; needs golang-go, gcc, python3 and gzip.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/src"
cp "$here/../probes/probe.go" "$work/src/main.go"
printf 'module example.com/discotop/probe\n\ngo 1.19\n' > "$work/src/go.mod"
for arch in 386 mips s390x; do
    (cd "$work/src" && GOCACHE="$work/cache" GOOS=linux GOARCH=$arch CGO_ENABLED=0 GOFLAGS=-mod=mod GOPROXY=off \
        go build -o "$work/go-$arch" .)
    python3 - "$work/go-$arch" <<'PY'
import struct, sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
bits = {1: 32, 2: 64}[data[4]]
order = {1: "<", 2: ">"}[data[5]]
if bits == 64:
    shoff, = struct.unpack_from(order + "Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from(order + "HHH", data, 0x3A)
    ehsize = 64
else:
    shoff, = struct.unpack_from(order + "I", data, 0x20)
    shentsize, shnum, shstrndx = struct.unpack_from(order + "HHH", data, 0x2E)
    ehsize = 52
def section(i):
    at = shoff + i * shentsize
    if bits == 64:
        name, = struct.unpack_from(order + "I", data, at)
        offset, size = struct.unpack_from(order + "QQ", data, at + 0x18)
    else:
        name, = struct.unpack_from(order + "I", data, at)
        offset, size = struct.unpack_from(order + "II", data, at + 0x10)
    return name, offset, size
names_offset, names_size = section(shstrndx)[1:]
names = data[names_offset:names_offset + names_size]
keep = [(0, ehsize), (shoff, shnum * shentsize), (names_offset, names_size)]
for i in range(shnum):
    name, offset, size = section(i)
    if names[name:names.index(0, name)] == b".go.buildinfo":
        keep.append((offset, size))
out = bytearray(len(data))
for start, length in keep:
    out[start:start + length] = data[start:start + length]
open(path, "wb").write(out)
PY
    gzip -9n < "$work/go-$arch" > "$here/go-$arch.gz"
done
printf 'void rust_panic(void) {}\n' > "$work/panic.c"
gcc -m32 -c -o "$here/rust-panic-i386.elf" "$work/panic.c"

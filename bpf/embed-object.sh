#!/bin/sh
# Compiles one BPF program (CO-RE, BTF kept) and embeds the object in a Swift source file as a
# base64 string: a string literal compiles in no time, an array literal of the same bytes in
# tens of seconds. Run by the BPFObjects build-tool plugin on every build that needs it.
# Usage: embed-object.sh CLANG OBJCOPY SOURCE.bpf.c OUTPUT.swift SWIFT_SYMBOL
set -eu
clang=$1 objcopy=$2 source=$3 output=$4 symbol=$5
case $(uname -m) in
  x86_64) arch=x86 ;;
  aarch64) arch=arm64 ;;
  *) arch=$(uname -m) ;;
esac
object="$output.o"
"$clang" -target bpf -O2 -g -Wall -Werror -D__TARGET_ARCH_$arch -I"$(dirname "$source")" -c "$source" -o "$object"
# Debug info is most of the object; BTF (needed for CO-RE) survives --strip-debug.
"$objcopy" --strip-debug "$object"
{
  echo "// Generated from bpf/$(basename "$source") by the BPFObjects plugin. Do not edit."
  printf 'let %s = "' "$symbol"
  base64 -w0 "$object"
  echo '"'
} > "$output.tmp"
mv "$output.tmp" "$output"
rm -f "$object"

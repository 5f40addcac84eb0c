#!/bin/bash
# make test-kernels: boots Debian's 5.10, 6.1 and 6.12 kernels under qemu (software emulation)
# with the host's / as a read-only 9p root, runs discotop's eBPF integration tests from the
# host's build inside each, and fails if any kernel fails or none could be tested.
# Kernels are fetched with apt-get download into .cache/kernels (ignored by git) and reused.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cache="$root/.cache/kernels"
results="$cache/results"
# The kernel-dependent tests: every watcher test (each tier the kernel offers), watch without
# tracefs and as a DaemonSet user, the engine on kernel events, iterator vs /proc, and
# `watch --json` reporting a listener as matched. The guest runs them with tracefs and without.
filter=${KERNEL_TEST_FILTER:-KernelWatcherTests|PrivilegeAndTracefsTests|forkedChildInheriting|forkInTheSameBatch|autoBoundListenCarriesTheRealPort|closingAUDPSocket|iteratorAndProcScansAgree|reportsAListenerAsMatched}
timeout_seconds=${KERNEL_TIMEOUT:-900}
mkdir -p "$cache" "$results"

[ -x "$root/.build/debug/discotopPackageTests.xctest" ] || { echo "kernels: build the tests first (make test)"; exit 1; }

# apt options for bullseye, which this bookworm machine's sources do not list.
bullseye_apt() {
  local dir="$cache/apt-bullseye"
  mkdir -p "$dir/lists/partial" "$dir/archives/partial"
  printf 'deb http://deb.debian.org/debian bullseye main\ndeb http://deb.debian.org/debian-security bullseye-security main\n' > "$dir/sources.list"
  echo -o Dir::Etc::SourceList="$dir/sources.list" -o Dir::Etc::SourceParts=/nonexistent \
       -o Dir::State::Lists="$dir/lists" -o Dir::Cache::Archives="$dir/archives" -o APT::Get::List-Cleanup=0
}

# Prints the package name of the newest image for a series, or nothing.
package_for() {
  case $1 in
    5.10) apt-cache $(bullseye_apt) depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-5/{print $2; exit}' ;;
    6.1) apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-6.1/{print $2; exit}' ;;
    6.12) apt-cache depends linux-image-6.12-amd64 2>/dev/null | awk '/Depends: linux-image-6.12/{print $2; exit}' ;;
  esac
}

# Downloads and extracts a kernel package once; prints its folder.
fetch() {
  local series=$1 package dir
  [ "$series" = 5.10 ] && [ ! -s "$cache/apt-bullseye/.updated" ] && {
    apt-get $(bullseye_apt) -qq update >/dev/null 2>&1 && date > "$cache/apt-bullseye/.updated"
  }
  package=$(package_for "$series")
  [ -n "$package" ] || return 1
  dir="$cache/$package"
  if [ ! -d "$dir/boot" ]; then
    (cd "$cache" && rm -f "$package"_*.deb && apt-get $([ "$series" = 5.10 ] && bullseye_apt) -qq download "$package" >/dev/null 2>&1) || return 1
    dpkg-deb -x "$cache/$package"_*.deb "$dir" && rm -f "$cache/$package"_*.deb || return 1
  fi
  echo "$dir"
}

# A tiny initramfs: static busybox, the ten modules 9p needs (in load order), and our /init.
initramfs() {
  local dir=$1 out="$1/initrd.gz" staging version
  [ -s "$out" ] && { echo "$out"; return; }
  # Without busybox the image boots to a panic; and a broken image must not be kept for the next run.
  [ -x /bin/busybox ] || { echo "busybox-static is not installed (make kernel-deps)" >&2; return 1; }
  staging=$(mktemp -d)
  version=$(ls "$dir/lib/modules")
  mkdir -p "$staging"/{bin,dev,proc,sys,newroot,modules}
  cp /bin/busybox "$staging/bin/busybox"
  cp "$root/Tests/Kernels/initramfs-init.sh" "$staging/init"
  # netfs first: since 6.12, 9p uses it and 9pnet will not load without it.
  for module in virtio_ring virtio_pci_modern_dev virtio_pci_legacy_dev virtio virtio_pci netfs fscache 9pnet 9pnet_virtio 9p; do
    file=$(find "$dir/lib/modules/$version" -name "$module.ko*" | head -1)
    [ -n "$file" ] || continue  # built in, or absent on this version
    case $file in
      *.xz) xz -dc "$file" > "$staging/modules/$module.ko" ;;
      *.zst) zstd -qdc "$file" > "$staging/modules/$module.ko" ;;
      *) cp "$file" "$staging/modules/$module.ko" ;;
    esac
    echo "$module" >> "$staging/modules.order"
  done
  (cd "$staging" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 > "$out.partial") && mv "$out.partial" "$out"
  rm -rf "$staging"
  echo "$out"
}

boot() {
  local dir=$1 kernel=$2 console="$results/$2.console"
  local vmlinuz=$(ls "$dir"/boot/vmlinuz-*) initrd
  rm -f "$results/$kernel.log"
  initrd=$(initramfs "$dir") || { echo "no initramfs" > "$console"; echo 1; return; }
  timeout "$timeout_seconds" qemu-system-x86_64 -accel tcg -cpu max -m 1024 -smp 2 -nographic -no-reboot \
    -kernel "$vmlinuz" -initrd "$initrd" \
    -append "console=ttyS0 panic=-1 quiet discotop.work=$root discotop.filter=$filter" \
    -fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap -device virtio-9p-pci,fsdev=root,mount_tag=root \
    -fsdev local,id=work,path="$root",security_model=none,multidevs=remap -device virtio-9p-pci,fsdev=work,mount_tag=work \
    > "$console" 2>&1 < /dev/null
  echo $?
}

printf '%-8s %-28s %-8s %-7s %-9s %s\n' series kernel result tests seconds 'hooks (with tracefs | without)'
passed=0 failed=0 skipped=0
for series in 5.10 6.1 6.12; do
  started=$(date +%s)
  if ! dir=$(fetch "$series"); then
    printf '%-8s %-28s %-8s %-7s %-9s %s\n' "$series" "-" skipped "-" "-" "could not download the kernel package"
    skipped=$((skipped + 1))
    continue
  fi
  kernel=$(ls "$dir/lib/modules")
  qemu_status=$(boot "$dir" "$kernel")
  log="$results/$kernel.log"
  seconds=$(( $(date +%s) - started ))
  hooks="$(sed -n 's/^hooks-tracefs: //p' "$log" 2>/dev/null | head -1) | $(sed -n 's/^hooks-notracefs: //p' "$log" 2>/dev/null | head -1)"
  tests=$(grep -o 'Test run with [0-9]* tests' "$log" 2>/dev/null | grep -o '[0-9]*' | head -1)
  if grep -q '^status=0$' "$log" 2>/dev/null; then
    printf '%-8s %-28s %-8s %-7s %-9s %s\n' "$series" "$kernel" passed "${tests:-?}" "$seconds" "$hooks"
    passed=$((passed + 1))
  else
    printf '%-8s %-28s %-8s %-7s %-9s %s\n' "$series" "$kernel" FAILED "${tests:-?}" "$seconds" "qemu exit $qemu_status$([ "$qemu_status" = 124 ] && echo ": timed out after ${timeout_seconds}s")"
    failed=$((failed + 1))
    echo "--- $kernel: test output"; tail -40 "$log" 2>/dev/null
    echo "--- $kernel: console"; tail -40 "$results/$kernel.console"
  fi
done
echo "kernels: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

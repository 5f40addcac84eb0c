#!/bin/bash
# Runs inside a test kernel (booted by matrix.sh): prepares the kernel file systems, runs
# discotop's eBPF integration tests from the host's build twice, once with tracefs mounted and
# once without tracefs and cgroup2 (as on a fresh machine, a minimal VM, a v1 host), writes the results to the work
# share and powers off.
set -u
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t bpf bpf /sys/fs/bpf
mount -t cgroup2 cgroup2 /sys/fs/cgroup
ip link set lo up
arg() { sed -n "s/.*discotop\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
work=$(arg work)
filter=$(arg filter)
# Without tracefs, the watcher and engine tests again (the namespace tests made their own
# tracefs-less namespaces in the first leg already).
filter_notracefs='KernelWatcherTests|autoBoundListenCarriesTheRealPort|closingAUDPSocket|forkInTheSameBatch|reportsAListenerAsMatched'
export HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
cd "$work" || exit 1
kernel=$(uname -r)
results="$work/.cache/kernels/results"
mkdir -p "$results"
start=$(date +%s)

# One leg: the tests matching $2, then what `watch` chose, under the label $1.
leg() {
  echo "=== leg $1"
  ./.build/debug/discotopPackageTests.xctest --testing-library swift-testing --filter "$2"
  echo "status-$1=$?"
  ./.build/debug/discotop hooks
  ./.build/debug/discotop watch --json --sweep-interval 60 > /tmp/watch.json 2>&1 &
  watch=$!
  # Loading under software emulation takes seconds; wait for the mode line rather than guess.
  for _ in $(seq 60); do grep -q '"code":"mode"' /tmp/watch.json && break; sleep 0.5; done
  echo "hooks-$1: $(grep -m1 -o '"message":"mode [^"]*' /tmp/watch.json | sed 's/.*; hooks //; s/; full scans.*//')"
  kill -INT $watch; wait $watch
  if grep -q '"mode":"poll"' /tmp/watch.json; then
    echo "--- libbpf on this kernel (DISCOTOP_BPF_DEBUG=1), last 60 lines:"
    DISCOTOP_BPF_DEBUG=1 timeout 20 ./.build/debug/discotop watch --json 2>&1 >/dev/null | grep -v "^libbpf: CO-RE\|found target candidate" | tail -60
  fi
}

{
  echo "kernel $kernel"
  for feature in kprobe; do
    [ -e /sys/bus/event_source/devices/$feature ] && echo "has $feature" || echo "no $feature"
  done
  mount -t tracefs tracefs /sys/kernel/tracing
  mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
  leg tracefs "$filter"
  umount /sys/kernel/debug 2>/dev/null
  umount /sys/kernel/tracing
  # No cgroup2 either, as on a cgroup v1 host: discotop mounts one in a private namespace.
  umount /sys/fs/cgroup
  leg notracefs "$filter_notracefs"
} > "$results/$kernel.log.tmp" 2>&1
mv "$results/$kernel.log.tmp" "$results/$kernel.log"
if grep -q '^status-tracefs=0$' "$results/$kernel.log" && grep -q '^status-notracefs=0$' "$results/$kernel.log"; then
  echo "status=0" >> "$results/$kernel.log"
else
  echo "status=1" >> "$results/$kernel.log"
fi
echo "seconds=$(( $(date +%s) - start ))" >> "$results/$kernel.log"
sync
echo o > /proc/sysrq-trigger

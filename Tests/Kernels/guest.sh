#!/bin/bash
# Runs inside a test kernel (booted by matrix.sh): prepares the kernel file systems, runs
# discotop's eBPF integration tests from the host's build, writes the result to the work share
# and powers off.
set -u
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t tracefs tracefs /sys/kernel/tracing
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t bpf bpf /sys/fs/bpf
mount -t cgroup2 cgroup2 /sys/fs/cgroup
ip link set lo up
arg() { sed -n "s/.*discotop\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
work=$(arg work)
filter=$(arg filter)
export HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
cd "$work" || exit 1
kernel=$(uname -r)
results="$work/.cache/kernels/results"
mkdir -p "$results"
start=$(date +%s)
{
  echo "kernel $kernel"
  for feature in kprobe; do
    [ -e /sys/bus/event_source/devices/$feature ] && echo "has $feature" || echo "no $feature"
  done
  ./.build/debug/discotopPackageTests.xctest --testing-library swift-testing --filter "$filter"
  echo "status=$?"
  ./.build/debug/discotop watch --json --sweep-interval 60 > /tmp/watch.json 2>&1 &
  watch=$!
  # Loading under software emulation takes seconds; wait for the mode line rather than guess.
  for _ in $(seq 60); do grep -q '"mode' /tmp/watch.json && break; sleep 0.5; done
  grep -m1 '"mode' /tmp/watch.json
  kill -INT $watch; wait $watch
  if grep -q '"mode poll' /tmp/watch.json; then
    echo "--- libbpf on this kernel (DISCOTOP_BPF_DEBUG=1), last 60 lines:"
    DISCOTOP_BPF_DEBUG=1 timeout 20 ./.build/debug/discotop watch --json --bind-hook tracepoint 2>&1 >/dev/null | grep -v "^libbpf: CO-RE\|found target candidate" | tail -60
  fi
} > "$results/$kernel.log" 2>&1
echo "seconds=$(( $(date +%s) - start ))" >> "$results/$kernel.log"
sync
echo o > /proc/sysrq-trigger

# discotop: `make run` and `make test` are all a fresh machine needs.
SWIFT      ?= swift
ARGS       ?=
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Everything the build, the tests and the benchmarks use, from Debian.
APT_PACKAGES := libbpf-dev libelf-dev zlib1g-dev libncursesw5-dev bpftool tmux iproute2 \
                util-linux time python3 python3-pil fonts-dejavu-core

# What the kernel matrix needs on top: qemu, a static busybox for the initramfs, xz for modules.
KERNEL_PACKAGES := qemu-system-x86 busybox-static xz-utils zstd cpio

.PHONY: all deps kernel-deps build release run test test-kernels bench screenshots clean

all: build

deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

kernel-deps:
	@missing=$$(for p in $(KERNEL_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: release
	./.build/release/discotop $(ARGS)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Boots Debian's 5.10, 6.1 and 6.12 kernels under qemu and runs the eBPF tests inside each.
test-kernels: kernel-deps
	$(SWIFT) build --build-tests
	bash Tests/Kernels/matrix.sh

bench: release
	python3 bench/full_scan.py
	python3 bench/latency.py
	python3 bench/idle.py

clean:
	rm -rf .build bench/out .cache

screenshots: release
	/usr/bin/python3 scripts/screenshots.py

# discotop: `make run` and `make test` are all a fresh machine needs.
SWIFT      ?= swift
ARGS       ?=
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Everything the build, the tests and the benchmarks use, from Debian.
APT_PACKAGES := libbpf-dev libelf-dev zlib1g-dev libncursesw5-dev bpftool tmux iproute2 \
                util-linux time python3 python3-pil fonts-dejavu-core

# What the tests need on top: a Go toolchain and C/C++ compilers build the tiny programs
# language detection is tested on (real ELF files, not fixtures).
TEST_PACKAGES := golang-go gcc g++

# What the kernel matrix needs on top: qemu, a static busybox for the initramfs, xz for modules.
KERNEL_PACKAGES := qemu-system-x86 busybox-static xz-utils zstd cpio

# Installs the Debian packages in $(1) that are missing; nothing when all are there.
define install
missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
if [ -n "$$missing" ]; then \
  echo "installing:" $$missing; \
  $(SUDO) apt-get update -qq && \
  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
fi
endef

.PHONY: all deps test-deps kernel-deps build release run test test-kernels bench soak screenshots clean

all: build

deps:
	@$(call install,$(APT_PACKAGES))

test-deps: deps
	@$(call install,$(TEST_PACKAGES))

kernel-deps:
	@$(call install,$(KERNEL_PACKAGES))

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --static-swift-stdlib

run: release
	./.build/release/discotop $(ARGS)

test: test-deps
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

# Churn of short-lived listeners under `discotop watch`, checked against the generator's log and ss.
SECONDS ?= 600
soak: release
	python3 bench/soak.py $(SECONDS)

clean:
	rm -rf .build bench/out .cache

screenshots: release
	/usr/bin/python3 scripts/screenshots.py

# discotop: `make run` and `make test` are all a fresh machine needs.
SWIFT      ?= swift
ARGS       ?=
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Everything the build, the tests and the benchmarks use, from Debian.
APT_PACKAGES := libbpf-dev libelf-dev zlib1g-dev libncursesw5-dev bpftool tmux iproute2 \
                util-linux time python3 python3-pil fonts-dejavu-core

# What the tests need on top: a Go toolchain and C/C++ compilers build the tiny programs
# language detection is tested on (real ELF files, not fixtures); Prometheus (and its
# promtool) scrapes and checks `discotop serve`; Python's jsonschema checks real JSON output
# against docs/schema (Debian's packaging of it, for /usr/bin/python3).
TEST_PACKAGES := golang-go gcc g++ prometheus python3-jsonschema

# From PyPI: the offline schema validator for deploy/kubernetes (it brings PyYAML too).
PIP_TEST_PACKAGES := kubernetes-validate==1.37.0

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

.PHONY: all deps test-deps kernel-deps build release run test test-sanitizers test-kernels bench soak screenshots clean fuzz fuzz-short

all: build

deps:
	@$(call install,$(APT_PACKAGES))

test-deps: deps
	@$(call install,$(TEST_PACKAGES))
	@for p in $(PIP_TEST_PACKAGES); do python3 -m pip show -q $${p%%==*} >/dev/null 2>&1 || python3 -m pip install -q $$p; done

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
	PYTHON=/usr/bin/python3 bash Tests/Schema/check.sh $$($(SWIFT) build --show-bin-path)/discotop
	$(MAKE) fuzz-short

# libFuzzer harnesses for every parser of outside input (Fuzz/, a package of its own so the
# sanitizer flags never reach this build); any crash, hang over 5 s or leak fails.
FUZZ_SECONDS ?= 60
fuzz: deps
	bash Fuzz/run.sh $(FUZZ_SECONDS)

fuzz-short: deps
	bash Fuzz/run.sh 20

# The suites that run discotop's code inside the test process: the unit suites and the engine
# level system tests (real eBPF as root). The other integration tests run the discotop binary
# as a child process, which these builds do not instrument, so sanitizing them finds nothing.
SANITIZE_FILTER := ^(EngineTests|AppTests)\.|^IntegrationTests\.SystemTests/(EngineSystemTests|KernelWatcherTests)/

# Those suites under AddressSanitizer (with LeakSanitizer) and ThreadSanitizer, each in its own
# scratch path so neither rebuilds the other's objects nor `make test`'s. Any report fails the
# target: ASan and LSan end the process with an error status; TSan only warns unless told to
# halt. XCTest is off: there are no XCTest tests, and its empty run leaks in XCTest itself.
test-sanitizers: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/Sanitizers/lsan.supp \
	  $(SWIFT) test --skip-build --disable-xctest --sanitize=address --scratch-path .build-asan --filter '$(SANITIZE_FILTER)'
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	TSAN_OPTIONS=halt_on_error=1 \
	  $(SWIFT) test --skip-build --disable-xctest --sanitize=thread --scratch-path .build-tsan --filter '$(SANITIZE_FILTER)'

# Boots Debian's 5.10, 6.1 and 6.12 kernels under qemu and runs the eBPF tests inside each.
test-kernels: kernel-deps
	$(SWIFT) build --build-tests
	bash Tests/Kernels/matrix.sh

# hook_overhead runs in a private mount namespace with tracefs mounted there: the syscall
# tracepoint tier attaches only while tracefs is mounted, and the host's mounts stay as they are.
bench: release
	python3 bench/full_scan.py
	python3 bench/latency.py
	python3 bench/idle.py
	python3 bench/serve.py
	unshare -m sh -c 'mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing; python3 bench/hook_overhead.py'

# Churn of short-lived listeners under `discotop watch`, checked against the generator's log and ss.
SECONDS ?= 600
soak: release
	python3 bench/soak.py $(SECONDS)

clean:
	rm -rf .build .build-asan .build-tsan .build-fuzz bench/out .cache

screenshots: release
	/usr/bin/python3 scripts/screenshots.py

# discotop: `make run` and `make test` are all a fresh machine needs.
SWIFT      ?= swift
ARGS       ?=
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# What building and running discotop need, from Debian: libbpf, libelf and zlib (which libbpf
# links) and ncursesw. Nothing else: `make run` installs only these.
RUN_PACKAGES := libbpf-dev libelf-dev zlib1g-dev libncursesw5-dev

# What the tests need on top: tmux drives the monitor, iproute2's ss and util-linux's unshare
# check discovery, man-db renders the installed man page, a Go toolchain and C/C++ compilers
# build the tiny programs language detection is tested on (real ELF files, not fixtures),
# Prometheus (and its promtool) scrapes and checks `discotop serve`, and Python's jsonschema
# checks real JSON output against docs/schema (Debian's packaging of it, for /usr/bin/python3).
TEST_PACKAGES := tmux iproute2 util-linux python3 man-db golang-go gcc g++ prometheus python3-jsonschema

# From PyPI: the offline schema validator for deploy/kubernetes (it brings PyYAML too).
PIP_TEST_PACKAGES := kubernetes-validate==1.37.0

# What `make screenshots` and `make bench` need on top: Pillow and a font to render the pictures,
# bpftool and time for the measurements.
TOOL_PACKAGES := tmux python3 python3-pil fonts-dejavu-core bpftool time iproute2 util-linux

# What the kernel matrix needs on top: qemu, a static busybox for the initramfs, xz for modules.
KERNEL_PACKAGES := qemu-system-x86 busybox-static xz-utils zstd cpio

# The installer; on a host without it (not Debian, or a Debian without root's tools), the
# packages are named and the build goes ahead, for it works wherever they are installed.
APT_GET ?= apt-get

# Installs the Debian packages in $(1) that are missing; nothing when all are there.
define install
if ! command -v $(APT_GET) >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then \
  echo "no $(APT_GET) here: discotop needs these packages (Debian names), going ahead as if installed:" $(1); \
else \
  missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
  if [ -n "$$missing" ]; then \
    echo "installing:" $$missing; \
    $(SUDO) $(APT_GET) update -qq && \
    $(SUDO) env DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq --no-install-recommends $$missing; \
  fi; \
fi
endef

.PHONY: all deps test-deps tool-deps kernel-deps build release run test test-sanitizers test-kernels bench soak screenshots clean fuzz fuzz-short man install uninstall

all: build

deps:
	@$(call install,$(RUN_PACKAGES))

test-deps: deps
	@$(call install,$(TEST_PACKAGES))
	@for p in $(PIP_TEST_PACKAGES); do python3 -m pip show -q $${p%%==*} >/dev/null 2>&1 || python3 -m pip install -q $$p; done

tool-deps: deps
	@$(call install,$(TOOL_PACKAGES))

kernel-deps:
	@$(call install,$(KERNEL_PACKAGES))

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --static-swift-stdlib

# `make install` puts the release binary (stripped; its debug info in a file of its own that gdb
# finds through the binary's .gnu_debuglink), the man page, the shell completions and the
# licence under $(DESTDIR)$(PREFIX). CONFIGURATION=debug installs the debug build instead (the
# tests do, to install what they just built).
PREFIX        ?= /usr/local
DESTDIR       ?=
CONFIGURATION ?= release
BINDIR        := $(PREFIX)/bin
MANDIR        := $(PREFIX)/share/man/man1
# gdb looks for a debuglink under its debug-file-directory (/usr/lib/debug) plus the binary's
# directory: with PREFIX=/usr it finds this at once, else `set debug-file-directory`.
DEBUGDIR      := $(PREFIX)/lib/debug
BASHCOMPDIR   := $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR    := $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR   := $(PREFIX)/share/fish/vendor_completions.d
DOCDIR        := $(PREFIX)/share/doc/discotop
BUILT         := .build/$(CONFIGURATION)/discotop
STAGE         := .build/install/$(CONFIGURATION)
# What a built binary depends on: make rebuilds (through SwiftPM) only when one is newer.
SOURCES       := Package.swift $(shell find Sources bpf Plugins -type f 2>/dev/null)

$(BUILT): $(SOURCES)
	@$(MAKE) --no-print-directory deps
	$(SWIFT) build -c $(CONFIGURATION) $(if $(filter release,$(CONFIGURATION)),--static-swift-stdlib)
	@touch $@

# The man page, by swift-argument-parser's generate-manual from the binary's own help. Its
# `swift package plugin generate-manual` works offline here too, but it builds the whole package
# again with flags of its own (a second full release build, then a third to link statically
# again), so the same tool is built with this build's flags and run on the binary directly.
$(STAGE)/discotop.1: $(BUILT)
	$(SWIFT) build -c $(CONFIGURATION) $(if $(filter release,$(CONFIGURATION)),--static-swift-stdlib) --product generate-manual
	mkdir -p $(STAGE)
	.build/$(CONFIGURATION)/generate-manual $(BUILT) --section 1 --authors "The discotop authors" \
	  --date $$(date -u -r $(BUILT) +%Y-%m-%d) --output-directory $(STAGE)

man: $(STAGE)/discotop.1

# The stripped binary and its debug info: the debuglink carries a CRC of the .debug file, so
# gdb takes only the one that belongs to this binary.
$(STAGE)/discotop: $(BUILT)
	mkdir -p $(STAGE)
	objcopy --only-keep-debug $(BUILT) $(STAGE)/discotop.debug
	objcopy --strip-all --add-gnu-debuglink=$(STAGE)/discotop.debug $(BUILT) $@

$(STAGE)/completions: $(STAGE)/discotop
	mkdir -p $@
	$(STAGE)/discotop --generate-completion-script bash > $@/discotop
	$(STAGE)/discotop --generate-completion-script zsh > $@/_discotop
	$(STAGE)/discotop --generate-completion-script fish > $@/discotop.fish
	@touch $@

install: $(STAGE)/discotop $(STAGE)/discotop.1 $(STAGE)/completions
	install -Dm755 $(STAGE)/discotop $(DESTDIR)$(BINDIR)/discotop
	install -Dm644 $(STAGE)/discotop.debug $(DESTDIR)$(DEBUGDIR)$(BINDIR)/discotop.debug
	install -Dm644 $(STAGE)/discotop.1 $(DESTDIR)$(MANDIR)/discotop.1
	install -Dm644 $(STAGE)/completions/discotop $(DESTDIR)$(BASHCOMPDIR)/discotop
	install -Dm644 $(STAGE)/completions/_discotop $(DESTDIR)$(ZSHCOMPDIR)/_discotop
	install -Dm644 $(STAGE)/completions/discotop.fish $(DESTDIR)$(FISHCOMPDIR)/discotop.fish
	install -Dm644 LICENSE $(DESTDIR)$(DOCDIR)/LICENSE

# Removes exactly what install put there, and the directories it leaves empty of ours.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/discotop $(DESTDIR)$(DEBUGDIR)$(BINDIR)/discotop.debug \
	  $(DESTDIR)$(MANDIR)/discotop.1 $(DESTDIR)$(BASHCOMPDIR)/discotop $(DESTDIR)$(ZSHCOMPDIR)/_discotop \
	  $(DESTDIR)$(FISHCOMPDIR)/discotop.fish $(DESTDIR)$(DOCDIR)/LICENSE
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null

run: release
	./.build/release/discotop $(ARGS)

# The man page is generated before the tests run: InstallTests install it, and SwiftPM's lock
# on .build keeps `swift build` (of generate-manual) from running while `swift test` does.
test: test-deps
	$(SWIFT) build --build-tests
	$(MAKE) man CONFIGURATION=debug
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
bench: tool-deps release
	python3 bench/full_scan.py
	python3 bench/latency.py
	python3 bench/idle.py
	python3 bench/serve.py
	python3 bench/monitor.py
	unshare -m sh -c 'mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing; python3 bench/hook_overhead.py'

# Churn of short-lived listeners under `discotop watch`, checked against the generator's log and ss.
SECONDS ?= 600
soak: tool-deps release
	python3 bench/soak.py $(SECONDS)

clean:
	rm -rf .build .build-asan .build-tsan .build-fuzz bench/out .cache

# In a private mount namespace with tracefs: the failed bind in the pictures needs the bind
# syscall's tracepoint, and the host's mounts stay as they are.
screenshots: tool-deps release
	unshare -m sh -c 'mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing; /usr/bin/python3 scripts/screenshots.py'

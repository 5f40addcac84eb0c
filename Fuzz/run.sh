#!/usr/bin/env bash
# Builds the harnesses with libFuzzer and AddressSanitizer (LeakSanitizer included) and runs
# each for SECONDS. Any crash, hang (-timeout), leak or memory blow-up makes the harness exit
# non-zero; every failing harness is reported with its reproducer, and the script fails.
# Usage: Fuzz/run.sh SECONDS [HARNESS...]
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: Fuzz/run.sh SECONDS [HARNESS...]}
shift
scratch=.build-fuzz
# A Swift runtime trap then reaches libFuzzer's handler, which writes the reproducer; the
# runtime's own backtracer reads the stack in ways AddressSanitizer reports as a second bug.
export SWIFT_BACKTRACE=enable=no
# Reports that are not leaks, each explained in the file.
export LSAN_OPTIONS=suppressions=$PWD/Fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
    for main in Fuzz/Sources/*/main.swift; do harnesses+=("$(basename "$(dirname "$main")")"); done
fi

# gold warns once per ASan thunk it cannot export; nothing is wrong, but it buries real errors.
swift build --package-path Fuzz --scratch-path "$scratch" \
    -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address \
    2>&1 | grep -v "Cannot export local symbol '__asan"
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz: build failed" >&2; exit 1; }
bin=$(swift build --package-path Fuzz --scratch-path "$scratch" --show-bin-path)

failed=()
for harness in "${harnesses[@]}"; do
    # New inputs go to the first directory (scratch, kept between runs); the committed seeds
    # in Fuzz/Corpus are only read.
    corpus=$scratch/corpus/$harness
    artifacts=$scratch/artifacts/$harness
    log=$scratch/logs/$harness.log
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    # A dictionary of the input's syntax, where there is one, gets past the tokens that
    # random mutation rarely spells.
    dict=()
    if [ -f "Fuzz/Dict/$harness.dict" ]; then dict=(-dict="Fuzz/Dict/$harness.dict"); fi
    echo "fuzz: $harness for ${seconds}s"
    "$bin/$harness" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -detect_leaks=1 "${dict[@]}" \
        -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "Fuzz/Corpus/$harness" >"$log" 2>&1
    status=$?
    grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$log" | sed "s/^/  /"
    if [ $status -ne 0 ]; then
        failed+=("$harness")
        tail -40 "$log" >&2
        reproducer=$(grep -oE "(Test unit|artifact) written to [^ ]+" "$log" | tail -1 | awk '{print $NF}')
        echo "fuzz: $harness FAILED (exit $status); log $log" >&2
        echo "fuzz: reproduce with SWIFT_BACKTRACE=enable=no $bin/$harness ${reproducer:-<no artifact written>}" >&2
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: failed: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: ${#harnesses[@]} harnesses, ${seconds}s each, no crash, hang or leak"

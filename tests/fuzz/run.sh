#!/bin/sh
# run.sh BUILD_DIR [SECONDS] — runs every fuzz_* target in BUILD_DIR for
# SECONDS each (default 60), seeded from tests/numbers.test inputs, with
# leak detection on.  Exits non-zero on the first crash, leak or UB report;
# crashing inputs are left in BUILD_DIR/fuzz-artifacts/.
set -eu
build=${1:?usage: run.sh BUILD_DIR [SECONDS]}
seconds=${2:-60}
[ -n "$seconds" ] || seconds=60
here=$(cd "$(dirname "$0")" && pwd)
out="$build/fuzz-artifacts"
mkdir -p "$out"
for fuzzer in "$build"/tests/fuzz/fuzz_*; do
    [ -x "$fuzzer" ] || continue
    name=$(basename "$fuzzer")
    corpus="$build/fuzz-corpus/$name"
    mkdir -p "$corpus"
    if [ "$name" = fuzz_number ] && [ -z "$(ls -A "$corpus")" ]; then
        # one seed per golden input line
        i=0
        grep -v '^#' "$here/../numbers.test" | grep -v '^{' | grep -v '^%%FAIL' |
            grep -v '^$' | while IFS= read -r line; do
            i=$((i + 1))
            printf '%s' "$line" > "$corpus/seed-$i"
        done
    fi
    echo "== $name for ${seconds}s"
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ASAN_OPTIONS=detect_leaks=1 \
        "$fuzzer" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
        -artifact_prefix="$out/$name-" -print_final_stats=1 "$corpus"
done

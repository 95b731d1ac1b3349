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
    max_len=4096
    if [ "$name" = fuzz_extract ]; then
        max_len=1048576
        if [ -z "$(ls -A "$corpus")" ]; then
            # seeds: a hand-written one-page PDF and the project's corpus
            printf '%s\n' '%PDF-1.4' '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj' \
                '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj' \
                '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R' \
                '/Resources << /Font << /F1 5 0 R >> >> >> endobj' \
                '4 0 obj << /Length 44 >> stream' 'BT /F1 12 Tf 72 720 Td (total 1,172.35) Tj ET' \
                'endstream endobj' \
                '5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj' \
                'trailer << /Root 1 0 R >>' '%%EOF' > "$corpus/seed-minimal.pdf"
            for pdf in "$here"/../../corpus/*.pdf; do
                if [ -f "$pdf" ]; then cp "$pdf" "$corpus/"; fi
            done
        fi
    fi
    if [ "$name" = fuzz_paths ] && [ -z "$(ls -A "$corpus")" ]; then
        # seed: every construct the reader knows, in one content stream
        printf '%s' '0.5 w 0 G 100 100 m 200 100 l S q 1 0 0 1 10 10 cm 0 0 100 2 re f Q' \
            ' 1 g 120 90 20 20 re f 0.5 0 0 RG 0 0 1 0 K /CS0 cs 1 sc 50 50 m 50 250 l s' \
            ' q 0 0 150 150 re W n 10 20 m 30 40 50 60 70 80 c h B* Q /GS1 gs' \
            ' BI /W 2 /H 1 /BPC 8 /CS /G ID xx EI /X1 Do (str\)) Tj <414243> [1 2] 0 d' \
            > "$corpus/seed-paths"
    fi
    echo "== $name for ${seconds}s"
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions="$here/../lsan.supp" \
        "$fuzzer" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
        -artifact_prefix="$out/$name-" -print_final_stats=1 "$corpus"
done

#!/bin/sh
# bench/run.sh BIN — budgetpdf side by side with its peers, in one run.
#
# Workloads: the shared real corpus (../shared/corpus/real, or $BENCH_CORPUS)
# and one large document of 300+ pages joined from the corpus with qpdf in
# a temporary directory (the corpus repeated until it passes 300 pages),
# plus slices of it (50/100/200 pages) for the pages-vs-time series.
# Tools: pdftotext -layout, pdftotext -bbox-layout, pdftotext -layout with
# mimalloc preloaded (when budgetpdf links it), pdf2txt (pdfminer) and
# budgetpdf's full pipeline (`ingest` into a fresh
# database, then `reconcile`) at -j1 and -j2.  The tools take turns: in
# each of $BENCH_REPEAT rounds (default 3) every tool runs once (pdf2txt
# only in the first: it is slow), and a ratio to pdftotext -layout is the
# median over the rounds of the two tools' times in the same round, so
# that a machine whose speed drifts during the run skews no ratio; times
# are medians of the runs.  Wall time,
# CPU time (user + system, children included) and peak RSS come from GNU
# time (-f '%e %M %U %S'; RSS is of the largest process, for budgetpdf a
# worker or the parent).  On a machine others share, CPU time is the
# steadier measure of work: the table gives both ratios.  With BENCH_HOSTILE=1 it
# also ingests 1,000 generated damaged PDFs (tests/hostile_gen from BIN's
# build) and reports batch crashes.
#
# The results table replaces the part of docs/performance.md between the
# "bench:begin" and "bench:end" markers (the rest of the file is prose that
# this script leaves alone); it is also printed.  Timings on a shared
# machine are noisy: read the load average printed with them.
# shellcheck disable=SC2016,SC2046  # sh -c scripts take $1; set -- splits on purpose
set -eu

bin=${1:?usage: run.sh BUDGETPDF_BINARY}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
corpus=${BENCH_CORPUS:-$root/../shared/corpus/real}
repeat=${BENCH_REPEAT:-3}
doc=$root/docs/performance.md

missing=""
command -v pdftotext >/dev/null || missing="$missing poppler-utils"
command -v qpdf >/dev/null || missing="$missing qpdf"
command -v pdf2txt >/dev/null || missing="$missing python3-pdfminer"
[ -x /usr/bin/time ] || missing="$missing time"
# shellcheck disable=SC2086
[ -z "$missing" ] || sh "$root/tools/install-deps.sh" $missing
if ! ls "$corpus"/*.pdf >/dev/null 2>&1; then
    echo "bench: no PDFs in $corpus (set BENCH_CORPUS)" >&2
    exit 2
fi

tmp=$(mktemp -d /tmp/bp-bench-XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

# ---- workloads ---------------------------------------------------------------
mkdir -p "$tmp/corpus" "$tmp/large" "$tmp/out"
for f in "$corpus"/*.pdf; do ln -s "$f" "$tmp/corpus/"; done
pages_of() { # total pages of the PDFs in a folder
    total=0
    for f in "$1"/*.pdf; do
        n=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
        total=$((total + ${n:-0}))
    done
    echo "$total"
}

# The corpus joined as many times as it takes to pass 300 pages.
corpus_pages=$(pages_of "$tmp/corpus")
inputs="" joined=0
while [ "$joined" -le 300 ] && [ "$corpus_pages" -gt 0 ]; do
    inputs="$inputs $(ls "$corpus"/*.pdf | tr '\n' ' ')"
    joined=$((joined + corpus_pages))
done
qpdf --empty --pages $inputs -- "$tmp/large/large.pdf" 2>/dev/null || test $? -eq 3
slices=""
for n in 50 100 200; do
    [ "$n" -lt "$joined" ] || continue
    slices="$slices $n"
    mkdir -p "$tmp/slice$n"
    qpdf --empty --pages "$tmp/large/large.pdf" "1-$n" -- "$tmp/slice$n/slice$n.pdf" \
        2>/dev/null || test $? -eq 3 # 3: written, with warnings
done

# ---- measuring -----------------------------------------------------------------
# run_once TOOL DIR → "seconds rss_kb cells cpu_seconds" for one run
run_once() {
    tool=$1 dir=$2
    rm -f "$tmp/db.sqlite" "$tmp/db.sqlite-wal" "$tmp/db.sqlite-shm"
    case $tool in
    pdftotext-layout)
        /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" sh -c \
            'for f in "$1"/*.pdf; do pdftotext -layout "$f" - >/dev/null 2>&1; done' sh "$dir" ;;
    pdftotext-bbox)
        /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" sh -c \
            'for f in "$1"/*.pdf; do pdftotext -bbox-layout "$f" - >/dev/null 2>&1; done' sh "$dir" ;;
    pdftotext-layout-mimalloc)
        /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" sh -c \
            'for f in "$1"/*.pdf; do LD_PRELOAD="$2" pdftotext -layout "$f" - >/dev/null 2>&1; done' \
            sh "$dir" "$mimalloc" ;;
    pdf2txt)
        /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" sh -c \
            'for f in "$1"/*.pdf; do pdf2txt "$f" >/dev/null 2>&1; done' sh "$dir" ;;
    budgetpdf-j1|budgetpdf-j2)
        # the whole pipeline: ingest (extract, tables, statements,
        # reconcile, load), then reconcile, which lists the stored checks
        # (exit 1 means it found a mismatch)
        j=${tool#budgetpdf-j}
        /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" sh -c \
            '"$1" ingest --db "$2" -j "$3" "$4" >"$5" 2>/dev/null
             "$1" reconcile --db "$2" >/dev/null 2>&1; true' \
            sh "$bin" "$tmp/db.sqlite" "$j" "$dir" "$tmp/summary" ;;
    esac
    cells=-
    case $tool in budgetpdf*)
        cells=$(sed -n 's/.*pages, [0-9]* tables, \([0-9]*\) cells.*/\1/p' "$tmp/summary") ;;
    esac
    tail -1 "$tmp/time" | awk -v c="${cells:--}" '{ printf "%s %s %s %.2f\n", $1, $2, c, $3 + $4 }'
}

# measure DIR NAME TOOL... — $repeat rounds in which every tool runs once,
# in turn (pdf2txt in the first round only): a machine whose speed drifts
# during the run slows the tools of a round alike.  Each round starts one
# tool further on, so no tool always runs right after the same other one.
# Each run's line goes to $tmp/NAME.TOOL.
measure() {
    dir=$1 name=$2
    shift 2
    for tool in "$@"; do : >"$tmp/$name.$tool"; done
    round=1
    while [ $round -le "$repeat" ]; do
        for tool in "$@"; do
            [ "$tool" = pdf2txt ] && [ $round -gt 1 ] && continue
            run_once "$tool" "$dir" >>"$tmp/$name.$tool"
        done
        first=$1
        shift
        set -- "$@" "$first"
        round=$((round + 1))
    done
}

# summary NAME TOOL → "seconds rss_kb cells cpu_seconds ratio cpu_ratio
# lowest highest": the medians of the tool's runs, the median over the
# rounds of its wall and CPU time divided by those of pdftotext -layout in
# the same round, and the lowest and highest of those wall ratios.
summary() {
    paste -d' ' "$tmp/$1.$2" "$tmp/$1.pdftotext-layout" | awk '
        function median(x, n,   i, j, t) {
            for (i = 2; i <= n; i++)
                for (j = i; j > 1 && x[j - 1] > x[j]; j--) {
                    t = x[j]; x[j] = x[j - 1]; x[j - 1] = t
                }
            return x[int((n + 1) / 2)]
        }
        NF >= 8 {
            n++
            s[n] = $1; r[n] = $2; c = $3; u[n] = $4
            w[n] = $1 / ($5 > 0 ? $5 : 0.01); k[n] = $4 / ($8 > 0 ? $8 : 0.01)
        }
        END {
            ms = median(s, n); mr = median(r, n); mu = median(u, n)
            mw = median(w, n); mk = median(k, n) # median() sorts: w[1], w[n] are the ends
            printf "%s %s %s %s %s %s %s %s\n", ms, mr, c, mu, mw, mk, w[1], w[n]
        }'
}

# The allocator the budgetpdf binary links (mimalloc in a release build):
# pdftotext runs once more with it preloaded, to show what the allocator
# alone is worth beside what budgetpdf does.
mimalloc=$(ldd "$bin" 2>/dev/null | awk '/libmimalloc/ {print $3; exit}')
with_mimalloc=${mimalloc:+pdftotext-layout-mimalloc}

# ---- the table -------------------------------------------------------------------
date=$(date -u '+%Y-%m-%d %H:%M UTC')
cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
mem=$(free -g 2>/dev/null | awk '/^Mem:/ {print $2 " GB"}')
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

table=$tmp/table.md
{
    echo "Run: $date, commit $commit, $(nproc) × ${cpu:-unknown CPU}, ${mem:-? GB} RAM,"
    echo "load average before the run $load_before; $repeat rounds, each running every tool"
    echo "once in turn (pdf2txt: first round only); times are medians, and × columns the median"
    echo "of the rounds' ratios to pdftotext -layout (in brackets the lowest and highest)."
    echo
    echo "| workload | pages | tool | wall s | pages/s | × pdftotext -layout | CPU s | CPU × pdftotext -layout | cells | cells/s | peak RSS MB |"
    echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} >"$table"

j1_corpus="" j2_corpus=""
tools="pdftotext-layout pdftotext-bbox $with_mimalloc pdf2txt budgetpdf-j1 budgetpdf-j2"
for workload in corpus large; do
    dir=$tmp/$workload
    pages=$(pages_of "$dir")
    measure "$dir" "$workload" $tools
    for tool in $tools; do
        set -- $(summary "$workload" "$tool")
        secs=$1 rss=$2 cells=$3 cpu=$4 ratio=$5 cpu_ratio=$6 lo=$7 hi=$8
        [ "$workload/$tool" = corpus/budgetpdf-j1 ] && j1_corpus=$secs
        [ "$workload/$tool" = corpus/budgetpdf-j2 ] && j2_corpus=$secs
        awk -v w="$workload" -v p="$pages" -v t="$tool" -v s="$secs" -v x="$ratio" \
            -v lo="$lo" -v hi="$hi" -v c="$cells" -v r="$rss" -v u="$cpu" -v ux="$cpu_ratio" 'BEGIN {
                s0 = s > 0 ? s : 0.01
                cps = c == "-" ? "-" : sprintf("%.0f", c / s0)
                printf "| %s | %d | %s | %.2f | %.1f | %.2f (%.2f–%.2f) | %.2f | %.2f | %s | %s | %.0f |\n",
                    w, p, t, s, p / s0, x, lo, hi, u, ux, c, cps, r / 1024 }' >>"$table"
        echo "bench: $workload $tool ${secs}s" >&2
    done
done
awk -v a="$j1_corpus" -v b="$j2_corpus" 'BEGIN {
    printf "\n-j2 over -j1 on the corpus: %.2f× faster.\n", a / (b > 0 ? b : 0.01) }' >>"$table"

{
    echo
    echo "Pages against time (one document, budgetpdf ingest -j1 + reconcile, and pdftotext -layout):"
    echo
    echo "| pages | budgetpdf s | budgetpdf s/page | budgetpdf CPU s | pdftotext -layout s | × pdftotext -layout | peak RSS MB |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} >>"$table"
for n in $slices large; do
    dir=$tmp/slice$n
    [ "$n" = large ] && dir=$tmp/large
    pages=$(pages_of "$dir")
    measure "$dir" "series$n" pdftotext-layout budgetpdf-j1
    set -- $(summary "series$n" budgetpdf-j1)
    bp=$1 rss=$2 bp_cpu=$4 ratio=$5 lo=$7 hi=$8
    set -- $(summary "series$n" pdftotext-layout)
    awk -v p="$pages" -v s="$bp" -v t="$1" -v x="$ratio" -v lo="$lo" -v hi="$hi" -v r="$rss" \
        -v u="$bp_cpu" 'BEGIN {
        printf "| %d | %.2f | %.4f | %.2f | %.2f | %.2f (%.2f–%.2f) | %.0f |\n",
            p, s, s / p, u, t, x, lo, hi, r / 1024 }' >>"$table"
    echo "bench: series $pages pages" >&2
done

if [ "${BENCH_HOSTILE:-0}" = 1 ]; then
    gen=$(dirname "$bin")/tests/hostile_gen
    mkdir -p "$tmp/hostile"
    "$gen" --bomb-mb 2048 "$tmp/hostile" 1000 1 "$corpus"/cn-006.pdf "$corpus"/cn-025.pdf \
        >/dev/null
    files=$(find "$tmp/hostile" -name '*.pdf' | wc -l)
    status=0
    /usr/bin/time -f '%e %M' -o "$tmp/time" "$bin" ingest --db "$tmp/hostile.sqlite" -j 2 \
        "$tmp/hostile" >"$tmp/summary" 2>"$tmp/hostile.err" || status=$?
    named=$(grep -c . "$tmp/hostile.err" || true)
    crashes=$(grep -c 'worker crashed' "$tmp/hostile.err" || true)
    integrity=$(sqlite3 "$tmp/hostile.sqlite" 'PRAGMA integrity_check')
    {
        echo
        echo "Hostile batch: $files generated damaged PDFs (1,000 mutants + hand-made, 2 GiB"
        echo "deflate bomb), one ingest -j2: exit status $status (0/1 = finished; a batch"
        echo "crash would be a signal), $named stderr lines for $files files, $crashes worker"
        echo "crashes contained, integrity_check $integrity, $(tail -1 "$tmp/time" |
            awk '{printf "%.0f s, peak RSS %.0f MB", $1, $2 / 1024}')."
        echo "Summary: $(cat "$tmp/summary")"
    } >>"$table"
fi

echo "load average after the run $(cut -d' ' -f1-3 /proc/loadavg)." >>"$table"
cat "$table"

# ---- docs/performance.md ------------------------------------------------------------
if [ -f "$doc" ] && grep -q '<!-- bench:begin -->' "$doc"; then
    awk -v table="$table" '
        /<!-- bench:begin -->/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
        /<!-- bench:end -->/ { skip = 0 }
        !skip { print }' "$doc" >"$tmp/doc" && cat "$tmp/doc" >"$doc"
else
    mkdir -p "$(dirname "$doc")"
    { echo "# Performance"; echo; echo "<!-- bench:begin -->"; cat "$table";
      echo "<!-- bench:end -->"; } >"$doc"
fi
echo "bench: table written to $doc" >&2

#!/bin/sh
# Runs every libFuzzer harness in BUILD/fuzzers for SECONDS each and prints one line per
# harness: executions, speed, coverage (libFuzzer's cov and ft) and corpus size.
#   scripts/fuzz.sh BUILD SECONDS          grows BUILD/corpus/NAME, kept between runs
#   scripts/fuzz.sh --smoke BUILD SECONDS  replays tests/fuzz/corpus/NAME file by file, then
#                                          fuzzes from it into a fresh BUILD/smoke/NAME
# New inputs and crashes go under BUILD only; the committed corpus is only read. Exits
# non-zero when any harness crashed, leaked or broke an invariant (its input is in
# BUILD/artifacts/NAME/).
set -u
smoke=0
if [ "${1:-}" = "--smoke" ]; then
    smoke=1
    shift
fi
if [ $# -ne 2 ]; then
    echo "usage: $0 [--smoke] BUILD SECONDS" >&2
    exit 2
fi
top=$(cd "$(dirname "$0")/.." && pwd)
build=$1
seconds=$2
cd "$top" || exit 1

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

failed=0
total_execs=0
start=$(date +%s)
log=$(mktemp)
for bin in "$build"/fuzzers/fuzz_*; do
    [ -x "$bin" ] || continue
    name=${bin##*/fuzz_}
    seeds=tests/fuzz/corpus/$name
    artifacts=$build/artifacts/$name
    mkdir -p "$artifacts"
    if [ "$smoke" -eq 1 ]; then
        work=$build/smoke/$name
        rm -rf "$work"
        # The regression replay: every committed input once, each on its own.
        if ! "$bin" -artifact_prefix="$artifacts/" "$seeds"/* >"$log" 2>&1; then
            printf 'FAIL %-8s replaying %s\n' "$name" "$seeds"
            tail -n 40 "$log"
            failed=$((failed + 1))
            continue
        fi
    else
        work=$build/corpus/$name
    fi
    mkdir -p "$work"
    "$bin" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" "$work" "$seeds" >"$log" 2>&1
    status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
    corp=$(grep -o 'corp: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
    total_execs=$((total_execs + ${execs:-0}))
    if [ "$status" -eq 0 ]; then
        printf 'PASS %-8s %9s execs %7s/s  cov %5s  ft %6s  corpus %5s\n' "$name" \
            "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}"
    else
        printf 'FAIL %-8s exit %d after %s execs; inputs in %s\n' "$name" "$status" \
            "${execs:-?}" "$artifacts"
        grep -v '^#[0-9]' "$log" | tail -n 60
        failed=$((failed + 1))
    fi
done
rm -f "$log"
echo "fuzz: $total_execs executions in $(($(date +%s) - start)) s, $failed harness(es) failed"
[ "$failed" -eq 0 ]

#!/bin/sh
# Runs every test binary of each build folder given (native, then sanitized), both tiers:
# DIR/tests/test_* (in-process) and DIR/tests/system/test_* with tests/system/test_*.sh (they
# start processes); with --unit (make check) the in-process tier only. Ends with one summary
# line: "N passed, N failed". Exits non-zero when anything failed.
# Usage: scripts/run-tests.sh [--unit] DIR...
# TEST_JOBS programs run at once (default 2: the test programs mostly wait on the kiosk, servers
# and timers, and every one of them works in its own mkdtemp folder on ephemeral ports). The
# slowest programs of the previous run (DIR/test-times) start first, so two lanes end together.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export SDL_AUDIODRIVER=dummy

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# One program (run by xargs below): its output, exit status and time in files named after it.
if [ "${1:-}" = --one ]; then
    id=$2 kind=$3 dir=$4 t=$5 out=$RUN_TESTS_WORK/$2
    start=$(now_ms)
    if [ "$kind" = sh ]; then
        sh "$t" >"$out.log" 2>&1
    else
        KIOSK_BIN="$dir/kiosk" HUB_BIN="$dir/kiosk-hub" "$t" >"$out.log" 2>&1
    fi
    echo $? >"$out.rc"
    echo $(($(now_ms) - start)) >"$out.ms"
    exit 0
fi

unit=false
if [ "${1:-}" = --unit ]; then
    unit=true
    shift
fi
jobs=${TEST_JOBS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export RUN_TESTS_WORK="$work"
passed=0
failed=0
began=$(now_ms)

# The job list, "id kind dir program" a line, in reporting order.
n=0
if $unit; then tiers=tests; else tiers="tests tests/system"; fi
for dir in "$@"; do
    for tier in $tiers; do
        for t in "$dir/$tier"/test_*; do
            [ -x "$t" ] || continue
            n=$((n + 1))
            echo "$n bin $dir $t"
        done
    done
done >"$work/list"
# Shell tests, once: they do not depend on the build (tests/: the docs against the tree;
# tests/system/: the reference server's own).
tiers_sh=tests
$unit || tiers_sh="tests tests/system"
for tier in $tiers_sh; do
    for t in "$tier"/test_*.sh; do
        [ -f "$t" ] || continue
        n=$((n + 1))
        echo "$n sh - $t"
    done
done >>"$work/list"

# Longest first, by the last run's times (programs not timed yet first of all).
while read -r id kind dir t; do
    ms=$(awk -v t="$t" '$1 == t {print $2}' "$dir/test-times" 2>/dev/null | tail -n 1)
    echo "${ms:-999999} $id $kind $dir $t"
done <"$work/list" | sort -rn | cut -d' ' -f2- >"$work/order"
xargs -P "$jobs" -L 1 sh "$top/scripts/run-tests.sh" --one <"$work/order"

# Adds one test program's counts ($2 ok, $3 failed, $4 its exit status, $5 its log, $6 ms,
# $7 skipped) and says how it went. A crash or a sanitizer report fails the program even if its tests said ok.
tally() {
    bad=$3
    [ "$4" -ne 0 ] && [ "$bad" -eq 0 ] && bad=1
    passed=$((passed + $2))
    failed=$((failed + bad))
    secs=$(awk -v ms="$6" 'BEGIN {printf "%.1f s", ms / 1000}')
    if [ "$bad" -eq 0 ] && [ "${7:-0}" -gt 0 ]; then
        printf 'PASS %-40s %3d tests %8s (%d skipped)\n' "$1" "$2" "$secs" "$7"
    elif [ "$bad" -eq 0 ]; then
        printf 'PASS %-40s %3d tests %8s\n' "$1" "$2" "$secs"
    else
        printf 'FAIL %-40s %d passed, %d failed (exit %d) %s\n' "$1" "$2" "$bad" "$4" "$secs"
        grep -v '^ok ' "$5" | head -n 60
    fi
}

for dir in "$@"; do
    : >"$dir/test-times.new"
done
while read -r id kind dir t; do
    log=$work/$id.log
    rc=$(cat "$work/$id.rc" 2>/dev/null || echo 127)
    ms=$(cat "$work/$id.ms" 2>/dev/null || echo 0)
    if [ "$kind" = sh ]; then
        counts=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$log" | tail -n 1)
        # shellcheck disable=SC2086
        tally "$t" ${counts:-0 1} "$rc" "$log" "$ms"
    else
        # cmocka's TAP marks a skipped test "not ok N # SKIP": neither passed nor failed.
        skips=$(grep -c '^not ok .*# SKIP' "$log")
        tally "$t" "$(grep -c '^ok ' "$log")" "$(($(grep -c '^not ok ' "$log") - skips))" "$rc" \
            "$log" "$ms" "$skips"
        echo "$t $ms" >>"$dir/test-times.new"
    fi
done <"$work/list"
for dir in "$@"; do
    # Programs not run this time (the system tier after --unit) keep their last time.
    if [ -f "$dir/test-times" ]; then
        awk 'NR == FNR { ran[$1] = 1; next } !($1 in ran)' "$dir/test-times.new" "$dir/test-times" \
            >"$dir/test-times.kept"
        cat "$dir/test-times.kept" >>"$dir/test-times.new"
        rm -f "$dir/test-times.kept"
    fi
    mv "$dir/test-times.new" "$dir/test-times"
    awk -v d="$dir" '{s += $2} END {printf "%s: %.0f s of test programs\n", d, s / 1000}' \
        "$dir/test-times"
done
awk -v ms="$(($(now_ms) - began))" -v j="$jobs" \
    'BEGIN {printf "%.0f s on the clock, %d at a time\n", ms / 1000, j}'
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

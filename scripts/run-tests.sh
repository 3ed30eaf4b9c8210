#!/bin/sh
# Runs every test binary of each build folder given (native, then sanitized) and ends with
# one summary line: "N passed, N failed". Exits non-zero when anything failed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export SDL_AUDIODRIVER=dummy

passed=0
failed=0
log=$(mktemp)

# Adds one test program's counts ($2 ok, $3 failed, $4 its exit status) and says how it went.
# A crash or a sanitizer report fails the program even if its tests said ok.
tally() {
    bad=$3
    [ "$4" -ne 0 ] && [ "$bad" -eq 0 ] && bad=1
    passed=$((passed + $2))
    failed=$((failed + bad))
    if [ "$bad" -eq 0 ]; then
        printf 'PASS %-40s %d tests\n' "$1" "$2"
    else
        printf 'FAIL %-40s %d passed, %d failed (exit %d)\n' "$1" "$2" "$bad" "$4"
        grep -v '^ok ' "$log" | head -n 60
    fi
}

for dir in "$@"; do
    for t in "$dir"/tests/test_*; do
        [ -x "$t" ] || continue
        KIOSK_BIN="$dir/kiosk" "$t" >"$log" 2>&1
        status=$?
        tally "$t" "$(grep -c '^ok ' "$log")" "$(grep -c '^not ok ' "$log")" "$status"
    done
done
# Shell tests (the reference server's own), once: they do not depend on the build.
for t in tests/test_*.sh; do
    [ -f "$t" ] || continue
    sh "$t" >"$log" 2>&1
    status=$?
    counts=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$log" | tail -n 1)
    # shellcheck disable=SC2086
    tally "$t" ${counts:-0 1} "$status"
done
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

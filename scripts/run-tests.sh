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
for dir in "$@"; do
    for t in "$dir"/tests/test_*; do
        [ -x "$t" ] || continue
        KIOSK_BIN="$dir/kiosk" "$t" >"$log" 2>&1
        status=$?
        ok=$(grep -c '^ok ' "$log")
        bad=$(grep -c '^not ok ' "$log")
        # A crash or a sanitizer report fails the binary even if its tests said ok.
        if [ "$status" -ne 0 ] && [ "$bad" -eq 0 ]; then
            bad=1
        fi
        passed=$((passed + ok))
        failed=$((failed + bad))
        if [ "$bad" -eq 0 ]; then
            printf 'PASS %-40s %d tests\n' "$t" "$ok"
        else
            printf 'FAIL %-40s %d passed, %d failed (exit %d)\n' "$t" "$ok" "$bad" "$status"
            grep -v '^ok ' "$log" | head -n 60
        fi
    done
done
# Shell tests (the reference server's own), once: they do not depend on the build.
for t in tests/test_*.sh; do
    [ -f "$t" ] || continue
    sh "$t" >"$log" 2>&1
    status=$?
    ok=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log" | tail -n 1)
    bad=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log" | tail -n 1)
    ok=${ok:-0}
    bad=${bad:-1}
    [ "$status" -ne 0 ] && [ "$bad" -eq 0 ] && bad=1
    passed=$((passed + ok))
    failed=$((failed + bad))
    if [ "$bad" -eq 0 ]; then
        printf 'PASS %-40s %d tests\n' "$t" "$ok"
    else
        printf 'FAIL %-40s %d passed, %d failed (exit %d)\n' "$t" "$ok" "$bad" "$status"
        grep -v '^ok ' "$log" | head -n 60
    fi
done
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

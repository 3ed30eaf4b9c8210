#!/bin/sh
# make test-arm64: the arm64 build (the Raspberry Pi's) run here under qemu-user-static: every
# test program, the integration tests with the arm64 kiosk (KIOSK_BIN), then one headless
# screenshot of the demo call screen. Usage: scripts/test-arm64.sh [BUILD_DIR]
set -eu
dir=${1:-build/arm64}
cd "$(dirname "$0")/.."
qemu=$(command -v qemu-aarch64-static) || {
    echo "test-arm64: qemu-aarch64-static missing (scripts/deps.sh cross installs it)" >&2
    exit 1
}
export CMOCKA_MESSAGE_OUTPUT=TAP SDL_AUDIODRIVER=dummy KIOSK_BIN="$dir/kiosk" HUB_BIN="$dir/kiosk-hub"
# Longest one test program may take under qemu (test_kiosk, the slowest, takes about 110 s).
limit=${ARM64_TEST_TIMEOUT:-400}
# The integration tests tell a barcode scanner from typing by the gaps between keys, which
# emulation on a busy machine can stretch: a program that fails gets one more run, and a pass
# on that run is reported as such (RETRY), never silently.

# The integration tests start the kiosk with execv() from inside an emulated test program;
# qemu-user hands that to the kernel, which runs an arm64 ELF only through binfmt_misc
# (qemu-user-static registers itself there). Set it up when it is missing and we are root.
binfmt=/proc/sys/fs/binfmt_misc
if ! grep -qs '^enabled' "$binfmt/qemu-aarch64"; then
    if [ "$(id -u)" -eq 0 ]; then
        [ -e "$binfmt/register" ] || mount -t binfmt_misc binfmt_misc "$binfmt" 2>/dev/null || true
        update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 ||
            update-binfmts --import qemu-aarch64 >/dev/null 2>&1 || true
    fi
    grep -qs '^enabled' "$binfmt/qemu-aarch64" || {
        echo "test-arm64: arm64 programs cannot be run directly (no qemu-aarch64 in $binfmt):" >&2
        echo "  as root: mount -t binfmt_misc binfmt_misc $binfmt; update-binfmts --enable qemu-aarch64" >&2
        exit 1
    }
fi

passed=0
failed=0
retried=0
log=$(mktemp)
work=$(mktemp -d)
trap 'rm -rf "$work" "$log"' EXIT
for t in "$dir"/tests/test_* "$dir"/tests/system/test_*; do
    [ -x "$t" ] || continue
    case "$t" in *.d) continue ;; esac
    start=$(date +%s)
    try=1
    while :; do
        status=0
        timeout -k 10 "$limit" "$qemu" "$t" >"$log" 2>&1 || status=$?
        ok=$(grep -c '^ok ' "$log" || true)
        # cmocka's TAP marks a skipped test "not ok N # SKIP": neither passed nor failed.
        bad=$(grep '^not ok ' "$log" | grep -vc '# SKIP' || true)
        [ "$status" -ne 0 ] && [ "$bad" -eq 0 ] && bad=1
        if [ "$bad" -eq 0 ] || [ "$try" -ne 1 ]; then break; fi
        echo "RETRY $t: $(grep '^not ok ' "$log" | tr '\n' ' ')"
        try=2
        retried=$((retried + 1))
    done
    passed=$((passed + ok))
    failed=$((failed + bad))
    if [ "$bad" -eq 0 ]; then
        printf 'PASS %-40s %3d tests %4ds\n' "$t" "$ok" "$(($(date +%s) - start))"
    else
        [ "$status" -eq 124 ] && echo "test-arm64: $t ran longer than ${limit}s" >>"$log"
        printf 'FAIL %s (exit %d)\n' "$t" "$status"
        grep -v '^ok ' "$log" | head -n 60
    fi
done

"$qemu" "$dir/kiosk" --headless --config assets/demo.ini --set storage.path="$work/k.db" \
    --exit-after 3 --screenshot "$work/arm64.png" --status-file "$work/status.json" 2>"$log" ||
    cat "$log"
# The PNG header holds the size: bytes 16..23, big-endian width then height.
size=$(od -An -tu1 -j16 -N8 "$work/arm64.png" 2>/dev/null |
    awk '{printf "%dx%d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}')
if [ "$size" = "1920x1080" ] && grep -q '"state":[[:space:]]*"online"' "$work/status.json"; then
    echo "PASS arm64 headless screenshot $size"
    passed=$((passed + 1))
else
    echo "FAIL arm64 headless screenshot: size ${size:-none}"
    failed=$((failed + 1))
fi
echo "arm64: $passed passed, $failed failed ($retried programs needed a second run)"
[ "$failed" -eq 0 ]

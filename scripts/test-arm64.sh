#!/bin/sh
# make test-arm64: the arm64 build (the Raspberry Pi's) run here under qemu-user-static:
# every unit test, then one headless screenshot of the demo call screen.
set -eu
dir=${1:-build/arm64}
cd "$(dirname "$0")/.."
qemu=$(command -v qemu-aarch64-static)
export CMOCKA_MESSAGE_OUTPUT=TAP SDL_AUDIODRIVER=dummy

passed=0
failed=0
for t in "$dir"/tests/test_*; do
    [ -x "$t" ] || continue
    # The integration tests drive the native binary and servers; here the arm64 binary gets
    # its own check below.
    case "$t" in *test_integration | *test_backend_sim | *test_peers | *test_printing) continue ;; esac
    if out=$("$qemu" "$t" 2>&1); then
        printf 'PASS %-40s %d tests\n' "$t" "$(echo "$out" | grep -c '^ok ')"
    else
        printf 'FAIL %s\n%s\n' "$t" "$out"
        failed=$((failed + 1))
    fi
    passed=$((passed + $(echo "$out" | grep -c '^ok ')))
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$qemu" "$dir/kiosk" --headless --config assets/demo.ini --set storage.path="$work/k.db" \
    --exit-after 3 --screenshot "$work/arm64.png" --status-file "$work/status.json"
# The PNG header holds the size: bytes 16..23, big-endian width then height.
size=$(od -An -tu1 -j16 -N8 "$work/arm64.png" |
    awk '{printf "%dx%d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}')
if [ "$size" = "1920x1080" ] && grep -q '"state":[[:space:]]*"online"' "$work/status.json"; then
    echo "PASS arm64 headless screenshot $size"
    passed=$((passed + 1))
else
    echo "FAIL arm64 headless screenshot: size $size"
    failed=$((failed + 1))
fi
echo "arm64: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

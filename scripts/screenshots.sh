#!/bin/sh
# make screenshots: refreshes the pictures in docs/screenshots from the integration test,
# so the docs show exactly the screens the tests check.
set -eu
cd "$(dirname "$0")/.."
out=${2:-docs/screenshots}
make --no-print-directory build/tests/test_integration build/tests/test_printing build/tests/test_kiosk
for t in test_integration test_printing test_kiosk; do
    SCREENSHOT_DIR="$out" KIOSK_BIN=${1:-build/kiosk} "build/tests/$t"
done
ls -l "$out"

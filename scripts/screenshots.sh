#!/bin/sh
# make screenshots: refreshes the pictures in docs/screenshots from the integration test,
# so the docs show exactly the screens the tests check.
set -eu
cd "$(dirname "$0")/.."
out=${2:-docs/screenshots}
make --no-print-directory build/tests/test_integration
SCREENSHOT_DIR="$out" KIOSK_BIN=${1:-build/kiosk} build/tests/test_integration
ls -l "$out"

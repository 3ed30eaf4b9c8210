#!/bin/sh
# make screenshots: refreshes the pictures in docs/screenshots from the integration tests,
# so the docs show exactly the screens the tests check. The kiosk's walk through every screen,
# in each language, text size and orientation, becomes one contact sheet per variant; so do
# the call screen's information pages.
set -eu
cd "$(dirname "$0")/.."
out=${2:-docs/screenshots}
command -v montage >/dev/null || scripts/deps.sh test
make --no-print-directory build/tests/system/test_integration build/tests/system/test_printing \
    build/tests/system/test_kiosk build/tests/system/test_selftest \
    build/tests/system/test_boot_config build/tests/system/test_pages build/tests/system/test_peers
for t in test_integration test_printing test_kiosk test_selftest test_boot_config test_pages \
    test_peers; do
    SCREENSHOT_DIR="$out" KIOSK_BIN=${1:-build/kiosk} "build/tests/system/$t"
done
for variant in portrait-zh portrait-en portrait-zh-large portrait-en-large \
    landscape-zh landscape-en landscape-zh-large landscape-en-large; do
    case $variant in
    portrait*) geometry=360x640+6+6 tile=8x2 ;;
    *) geometry=640x360+6+6 tile=5x3 ;;
    esac
    montage "$out/tour-$variant"-[0-9]*.png -tile $tile -geometry $geometry -background '#8a96a3' \
        -colors 128 "PNG8:$out/kiosk-sheet-$variant.png"
    rm -f "$out/tour-$variant"-[0-9]*.png
done
# The call screen's information pages: rooms, results, chart, clinics per orientation and language.
for variant in landscape-zh landscape-en portrait-zh portrait-en; do
    case $variant in
    portrait*) geometry=540x960+6+6 tile=4x1 ;;
    *) geometry=960x540+6+6 tile=2x2 ;;
    esac
    montage "$out/page-$variant"-rooms.png "$out/page-$variant"-results.png \
        "$out/page-$variant"-offpeak.png "$out/page-$variant"-clinics.png -tile $tile \
        -geometry $geometry -background '#8a96a3' -colors 128 "PNG8:$out/pages-$variant.png"
    rm -f "$out/page-$variant"-*.png
done
# kiosk-hub's facilities pages (the fleet and a device), from test_hub_fleet's browser walk.
make --no-print-directory build/kiosk-hub build/tests/system/test_hub_fleet
SCREENSHOT_DIR="$out" KIOSK_BIN=${1:-build/kiosk} HUB_BIN=build/kiosk-hub build/tests/system/test_hub_fleet
ls -l "$out"

#!/bin/sh
# make lint: formatting (check only), cppcheck and clang-tidy over the kiosk's own code and its
# fuzz harnesses (tests/fuzz); the cmocka tests get clang-format only.
set -eu
cd "$(dirname "$0")/.."
sources=$(find kiosk tests -name '*.[ch]' | sort)
echo "lint: clang-format"
clang-format --dry-run -Werror $sources
echo "lint: cppcheck"
jobs=$(nproc)
cppcheck --quiet -j "$jobs" --error-exitcode=1 --std=c11 --enable=warning,style,performance,portability \
    --inline-suppr --suppress=missingIncludeSystem -D_GNU_SOURCE -Ikiosk -Itests/fuzz \
    $(find kiosk tests/fuzz -name '*.c')
echo "lint: clang-tidy"
flags="-std=c17 -D_GNU_SOURCE -Ikiosk -Itests/fuzz $(pkg-config --cflags sdl2 SDL2_ttf SDL2_image inih libcjson fontconfig libcurl libcrypto libqrencode)"
# A few files per clang-tidy, one per core at a time ($0 of the inner shell carries the flags).
# shellcheck disable=SC2016
if ! out=$(find kiosk tests/fuzz -name '*.c' | sort | xargs -P "$jobs" -n 6 \
    sh -c 'exec clang-tidy --quiet --warnings-as-errors="*" "$@" -- $0' "$flags" 2>&1); then
    echo "$out" | grep -v 'warnings generated'
    exit 1
fi
echo "lint: ok"

#!/bin/sh
# make lint: the scripts (shellcheck for the shell ones, pyflakes3 for the Python ones, found by
# extension or by their #! line), then formatting (check only), cppcheck and clang-tidy over the
# kiosk's own code and its fuzz harnesses (tests/fuzz); the cmocka tests get clang-format only.
set -eu
cd "$(dirname "$0")/.."
for tool in shellcheck pyflakes3 clang-format cppcheck clang-tidy; do
    command -v "$tool" >/dev/null || {
        echo "lint: $tool missing (scripts/deps.sh test installs it)" >&2
        exit 1
    }
done
scripts=$(mktemp)
trap 'rm -f "$scripts"' EXIT
# "sh FILE" or "py FILE" a line, for every script of the project.
find scripts tests .ci packaging -type f ! -path 'tests/fuzz/corpus/*' ! -path 'tests/fixtures/*' |
    sort | while read -r f; do
    case ${f##*/} in
    *.sh) echo "sh $f" ;;
    *.py) echo "py $f" ;;
    *.*) ;;
    *)
        case $(head -n 1 "$f") in
        '#!'*python*) echo "py $f" ;;
        '#!'*/sh | '#!'*/bash | '#!'*' sh' | '#!'*' bash') echo "sh $f" ;;
        esac
        ;;
    esac
done >"$scripts"
echo "lint: shellcheck ($(grep -c '^sh ' "$scripts") scripts)"
sed -n 's/^sh //p' "$scripts" | xargs -d '\n' shellcheck
echo "lint: pyflakes3 ($(grep -c '^py ' "$scripts") scripts)"
sed -n 's/^py //p' "$scripts" | xargs -d '\n' pyflakes3
echo "lint: clang-format"
find kiosk tests -name '*.[ch]' | sort | xargs -d '\n' clang-format --dry-run -Werror
echo "lint: cppcheck"
jobs=$(nproc)
find kiosk tests/fuzz -name '*.c' | sort | xargs -d '\n' cppcheck --quiet -j "$jobs" --error-exitcode=1 \
    --std=c11 --enable=warning,style,performance,portability --inline-suppr \
    --suppress=missingIncludeSystem -D_GNU_SOURCE -Ikiosk -Itests/fuzz
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

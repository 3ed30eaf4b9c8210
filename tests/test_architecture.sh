#!/bin/sh
# shellcheck disable=SC2016 # backticks in single quotes here are Markdown's, not commands
# test_architecture.sh: docs/architecture.md's module table matches the tree: every
# kiosk/**/*.c is named in its folder's row, every file a row names exists, and the page stays
# one page. Ends with "N passed, N failed" and exits non-zero on any failure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
doc="$top/docs/architecture.md"
passed=0
failed=0

check() { # $1 what, then the command
    what=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
        echo "ok   $what"
    else
        failed=$((failed + 1))
        echo "FAIL $what"
    fi
}

# The table row of a folder ("kiosk/" for the top level): "| `base/` **core** | ... |".
row() {
    grep -F "| \`$1\`" "$doc" | head -n 1
}

named_in_row() { # $1 folder, $2 file name
    row "$1" | grep -qF "\`$2\`"
}

for src in $(cd "$top/kiosk" && find . -name '*.c' | sed 's|^\./||' | sort); do
    dir=$(dirname "$src")
    [ "$dir" = . ] && folder=kiosk/ || folder=$dir/
    check "$src is in the $folder row" named_in_row "$folder" "$(basename "$src")"
done

exists() { # $1 folder as in the table, $2 file name
    [ "$1" = kiosk/ ] && [ -f "$top/kiosk/$2" ] && return 0
    [ -f "$top/kiosk/$1$2" ]
}

# Every row: the files it names are there.
grep '^| `[a-z_]*/`' "$doc" | while IFS= read -r line; do
    folder=$(echo "$line" | sed 's/^| `\([a-z_]*\/\)`.*/\1/')
    for name in $(echo "$line" | grep -o '`[a-z_0-9]*\.c`' | tr -d '`'); do
        exists "$folder" "$name" || echo "$folder$name"
    done
done >"${TMPDIR:-/tmp}/architecture-gone.$$"
gone=$(cat "${TMPDIR:-/tmp}/architecture-gone.$$")
rm -f "${TMPDIR:-/tmp}/architecture-gone.$$"
no_stale() {
    [ -z "$gone" ] || { echo "named in docs/architecture.md but not in kiosk/: $gone"; return 1; }
}
check "every file the table names exists" no_stale

one_page() {
    lines=$(wc -l <"$doc")
    [ "$lines" -le 100 ] || { echo "docs/architecture.md has $lines lines"; return 1; }
}
check "docs/architecture.md is one page (100 lines at most)" one_page

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/sh
# make valgrind: the kiosk under valgrind memcheck, headless at 1920x1080 as the integration
# tests run it: on the demo clinic, then on scripts/backend-sim, a few calls each, stopped by
# SIGTERM. Passes when memcheck finds no error and no leak (definite, indirect or possible)
# outside the library suppressions of tests/valgrind.supp; memory a library still holds at exit
# ("still reachable": fontconfig's caches, SDL's state) is not a leak. Logs in out/valgrind/.
set -eu
bin=${1:-build/kiosk}
cd "$(dirname "$0")/.."
out=${VALGRIND_OUT:-out/valgrind}
mkdir -p "$out"
rm -f "$out"/*
vpid='' sim=''
trap '[ -n "$vpid" ] && kill "$vpid" 2>/dev/null; [ -n "$sim" ] && kill "$sim" 2>/dev/null; true' EXIT
export SDL_AUDIODRIVER=dummy

# Starts the kiosk under memcheck as run $1 with more options after it.
start() {
    name=$1
    shift
    valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
        --num-callers=40 --suppressions=tests/valgrind.supp --gen-suppressions=all \
        --log-file="$out/$name.valgrind" \
        "$bin" --headless --config assets/demo.ini --set storage.path="$out/$name.db" \
        --status-file "$out/$name.json" "$@" 2>"$out/$name.log" &
    vpid=$!
}

# The status file's newest call number (demo ids are c000001, ...) and its version.
newest() { sed -n 's/.*"id":[[:space:]]*"c\([0-9]*-\)\{0,1\}0*\([0-9][0-9]*\)".*/\2/p' "$1" 2>/dev/null | sort -n | tail -n 1; }
# shellcheck disable=SC2317 # called through wait_above
version() { sed -n 's/^[[:space:]]*"version":[[:space:]]*\([0-9]*\).*/\1/p' "$1" 2>/dev/null | head -n 1; }

# Waits up to 3 minutes (memcheck is some 30 times slower) for command $2... to print a
# number above $1.
wait_above() {
    above=$1
    shift
    for _ in $(seq 900); do
        v=$("$@")
        [ -n "$v" ] && [ "$v" -gt "$above" ] && return 0
        kill -0 "$vpid" 2>/dev/null || break
        sleep 0.2
    done
    echo "valgrind: gave up waiting (last: ${v:-nothing})" >&2
    return 1
}

# SIGTERM, then memcheck's verdict on run $1.
finish() {
    kill "$vpid"
    rc=0
    wait "$vpid" || rc=$?
    vpid=
    summary=$(grep -E 'ERROR SUMMARY|definitely lost:|indirectly lost:|possibly lost:' \
        "$out/$1.valgrind" | sed 's/^==[0-9]*== *//' | tr '\n' ';')
    echo "valgrind: $1: exit $rc; $summary"
    if [ "$rc" -ne 0 ]; then
        grep -v '^==[0-9]*== *$' "$out/$1.valgrind" | sed -n '/HEAP SUMMARY/q;p' | tail -n +8 | head -n 80
        grep -B2 -A30 'are definitely lost\|are indirectly lost\|are possibly lost' \
            "$out/$1.valgrind" | head -n 120
        status=1
    fi
}

status=0
echo "valgrind: $(valgrind --version), $("$bin" --version)"

# 1. The demo clinic at 100x: a new call every second or so of real time.
start demo --set backend.speed=100
wait_above 0 newest "$out/demo.json"
first=$(newest "$out/demo.json")
wait_above $((first + 3)) newest "$out/demo.json"
finish demo

# 2. The reference server: three calls made through its admin endpoint, each on screen.
python3 scripts/backend-sim --port 0 --port-file "$out/sim.port" --quiet 2>"$out/sim.log" &
sim=$!
for _ in $(seq 100); do [ -s "$out/sim.port" ] && break; sleep 0.1; done
port=$(cat "$out/sim.port")
start sim --set backend.type=http --set backend.url="http://127.0.0.1:$port" \
    --set backend.poll_interval_ms=500
wait_above 0 version "$out/sim.json"
for _ in 1 2 3; do
    v=$(curl -s -X POST "http://127.0.0.1:$port/admin/call" -d '{}' |
        sed -n 's/.*"version": *\([0-9]*\).*/\1/p')
    wait_above $((v - 1)) version "$out/sim.json"
done
finish sim
kill "$sim"
wait "$sim" 2>/dev/null || true
sim=

[ "$status" -eq 0 ] && echo "valgrind: no errors, no leaks of ours" || echo "valgrind: FAILED (logs in $out)"
exit "$status"

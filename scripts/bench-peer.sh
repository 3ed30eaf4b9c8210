#!/bin/sh
# make bench, side by side: our call screen and a browser kiosk showing the same queue, in one
# run, on one Xvfb 1920x1080 X server (a real X window, as on a PC with no GPU), each in turn
# with the same load: backend-sim calling every 5 s, both asking every second. Then our kiosk
# once more with the notices as a moving ticker.
#   scripts/bench-peer.sh [build/kiosk]     (SECONDS=60 by default: how long each is measured)
# PSS is summed over every process of each program (Chromium runs several), from
# /proc/PID/smaps_rollup at the end; CPU is utime + stime of all of them over the window.
# The kiosk runs with its default configuration and no environment set by hand.
set -eu
bin=$(realpath "${1:-build/kiosk}")
cd "$(dirname "$0")/.."
work=$(mktemp -d)
seconds=${SECONDS_MEASURED:-60}
warmup=${WARMUP_SECONDS:-10}
hz=$(getconf CLK_TCK)
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Xvfb on a display it finds free itself, and says which once it listens.
Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
pids="$pids $!"
while [ ! -s "$work/display" ]; do sleep 0.1; done
n=$(cat "$work/display")

python3 scripts/backend-sim --port 0 --port-file "$work/sim.port" --auto-call 5 --quiet 2>/dev/null &
pids="$pids $!"
while [ ! -s "$work/sim.port" ]; do sleep 0.1; done
api="http://127.0.0.1:$(cat "$work/sim.port")"

# Every process whose ancestry leads to $1 (itself included).
tree() {
    ps -e -o pid=,ppid= | awk -v root="$1" '
        {parent[$1] = $2}
        END {for (p in parent) {q = p; while (q != "" && q != 0 && q != root) q = parent[q];
             if (q == root) print p}}'
}
tree_pss() { # kB
    for p in $(tree "$1"); do cat "/proc/$p/smaps_rollup" 2>/dev/null; done |
        awk '/^Pss:/ {s += $2} END {print s + 0}'
}
tree_ticks() {
    for p in $(tree "$1"); do cat "/proc/$p/stat" 2>/dev/null; done |
        sed 's/^.*) //' | awk '{s += $12 + $13} END {print s + 0}'
}
# measure NAME PID: CPU over the window after the warm-up, PSS at its end; "name pss_kb cpu%".
measure() {
    sleep "$warmup"
    before=$(tree_ticks "$2")
    sleep "$seconds"
    after=$(tree_ticks "$2")
    pss=$(tree_pss "$2")
    procs=$(tree "$2" | wc -l)
    awk -v n="$1" -v p="$pss" -v b="$before" -v a="$after" -v hz="$hz" -v s="$seconds" -v k="$procs" \
        'BEGIN {printf "%s %d %.2f %d\n", n, p, (a - b) * 100 / (hz * s), k}'
}

# Our kiosk: the demo's look, the same queue from backend-sim, asked every second.
sed -e '/^\[backend\]/,$d' assets/demo.ini >"$work/kiosk.ini"
cat >>"$work/kiosk.ini" <<INI
[backend]
type = http
url = $api
poll_interval_ms = 1000
[storage]
path = $work/kiosk.db
[qr]
key_file = $PWD/out/demo-site.key
survey_url = https://survey.hospital.example/r/{token}
INI
sed -i -e 's|^logo = logo.png|logo = '"$PWD"'/assets/logo.png|' -e '/^width\|^height/d' "$work/kiosk.ini"
# run_kiosk NAME [kiosk options]: one measurement of our kiosk as staff start it.
run_kiosk() {
    name=$1
    shift
    env -i PATH="$PATH" HOME="$work" DISPLAY=":$n" "$bin" --config "$work/kiosk.ini" "$@" \
        2>"$work/kiosk.log" &
    kiosk=$!
    pids="$pids $kiosk"
    measure "$name" $kiosk
    grep -m1 'display: ' "$work/kiosk.log" | sed 's/^.*display: /  (kiosk: /; s/$/)/' >&2
    kill $kiosk
    wait $kiosk 2>/dev/null || true
    rm -f "$work"/kiosk.db*
}
ours=$(run_kiosk kiosk)
ticker=$(run_kiosk ticker --set display.notice_style=scroll --set \
    "display.notices=投诉与建议请拨打服务台电话 0571-88888888，或扫描屏幕上的二维码|Complaints and suggestions: call the service desk on 0571-88888888 or scan the code on screen")

# The browser kiosk: Debian's chromium, --kiosk, the same queue, the QR code as an SVG image.
qrencode -t SVG -o "$work/qr.svg" "https://survey.hospital.example/r/AbCdEfGhIjKlMnOpQrStUv"
sandbox=""
[ "$(id -u)" -eq 0 ] && sandbox=--no-sandbox
env -i PATH="$PATH" HOME="$work" DISPLAY=":$n" chromium --kiosk $sandbox --no-first-run \
    --no-default-browser-check --disable-web-security --user-data-dir="$work/chromium" \
    --window-size=1920,1080 --window-position=0,0 \
    "file://$PWD/tests/bench/peer-page.html?api=$api&qr=file://$work/qr.svg" \
    >"$work/chromium.log" 2>&1 &
browser=$!
pids="$pids $browser"
theirs=$(measure chromium $browser)
kill $browser
wait $browser 2>/dev/null || true

echo "$ours
$theirs
$ticker" | awk -v s="$seconds" '
    {name[NR] = $1; pss[NR] = $2; cpu[NR] = $3; procs[NR] = $4}
    END {
        printf "Xvfb 1920x1080, backend-sim calling every 5 s, both asking every second, %d s each:\n", s
        for (i = 1; i <= NR; i++)
            printf "  %-8s PSS %6.1f MB  CPU %5.2f %% of one core  (%d processes)\n", name[i], pss[i] / 1024, cpu[i], procs[i]
        printf "  kiosk against chromium: PSS %.1fx below, CPU %.1fx below\n", pss[2] / pss[1], (cpu[1] > 0 ? cpu[2] / cpu[1] : 0)
    }'

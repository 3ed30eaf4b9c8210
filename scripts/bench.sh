#!/bin/sh
# make bench: the call screen's budget figures, measured on the headless 1920x1080 demo.
#   start -> first frame, resident memory, idle CPU over 30 s, render time per update.
# Figures only; nothing here passes or fails. Results go in docs/performance.md by hand.
set -eu
bin=${1:-build/kiosk}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
idle_seconds=${IDLE_SECONDS:-30}
base="--headless --config assets/demo.ini --set device.width=1920 --set device.height=1080"
hz=$(getconf CLK_TCK)

echo "bench: $(uname -m), $(nproc) cores, $("$bin" --version)"

# 1. Start to first frame, ten cold-ish starts (the store is reused, as on a device).
runs=""
for _ in 1 2 3 4 5 6 7 8 9 10; do
    # shellcheck disable=SC2086
    ms=$("$bin" $base --set storage.path="$work/start.db" --exit-after 0 2>&1 |
        sed -n 's/.*first frame after \([0-9]*\) ms.*/\1/p')
    runs="$runs $ms"
done
echo "$runs" | tr ' ' '\n' | sed '/^$/d' | sort -n |
    awk '{v[NR]=$1} END {printf "start -> first frame: median %d ms, max %d ms (%d runs)\n", v[int((NR+1)/2)], v[NR], NR}'

# 2 and 3. A frozen clinic (speed 0): nothing changes but the clock, the QR codes and the
#    information pages taking turns (every 10-15 s); then the same with the notices as a
#    moving ticker, which redraws its bar 50 times a second.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
idle_cpu() { # $1: what is measured; the rest: extra kiosk options
    what=$1
    shift
    # shellcheck disable=SC2086
    "$bin" $base --set storage.path="$work/idle.db" --set backend.speed=0 "$@" 2>"$work/idle.log" &
    pid=$!
    sleep 5
    before=$(cpu_ticks $pid)
    sleep "$idle_seconds"
    after=$(cpu_ticks $pid)
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    kill $pid
    wait $pid 2>/dev/null || true
    awk -v b="$before" -v a="$after" -v hz="$hz" -v s="$idle_seconds" -v w="$what" \
        'BEGIN {printf "%s: %.2f %% of one core over %d s\n", w, (a - b) * 100 / (hz * s), s}'
}
idle_cpu "idle CPU (pages rotating)"
awk -v r="$rss" -v h="$hwm" 'BEGIN {printf "resident memory: %.1f MB (peak %.1f MB)\n", r / 1024, h / 1024}'
idle_cpu "idle CPU with the ticker moving" --set display.notice_style=scroll \
    --set "display.notices=投诉与建议请拨打服务台电话 0571-88888888，或扫描屏幕上的二维码|Complaints and suggestions: call the service desk on 0571-88888888 or scan the code on screen"

# 4. Render time per update: a busy clinic (speed 60) for 20 s, every frame timed.
# shellcheck disable=SC2086
"$bin" $base --set storage.path="$work/busy.db" --set backend.speed=60 --exit-after 20 \
    2>&1 | sed -n 's/.*app: \([0-9]* frames, render .*\)/render per update: \1/p'

# 5. Issue a ticket -> the last byte handed to the printer transport (compose, encode, send).
printf '[printer]\ndevice = file:%s/tickets.bin\n' "$work" >"$work/printer.ini"
sed -e '/^\[storage\]/,$d' assets/demo.ini >"$work/bench.ini"
{
    printf '[storage]\npath = %s/print.db\n[qr]\nkey_file = %s/out/demo-site.key\n' "$work" "$PWD"
    printf 'survey_url = https://survey.hospital.example/r/{token}\n'
    cat "$work/printer.ini"
} >>"$work/bench.ini"
for _ in $(seq 20); do
    "$bin" print-test --config "$work/bench.ini" 2>/dev/null | sed -n 's/.*handed over in \([0-9.]*\) ms.*/\1/p'
done | sort -n | awk '{v[NR]=$1} END {printf "ticket -> printer: median %.1f ms, max %.1f ms (%d tickets, 58 mm, with QR)\n", v[int((NR+1)/2)], v[NR], NR}'

# 6. Call -> pixels against the reference server, polling and long-polling (200 calls each).
python3 scripts/bench-latency.py "$bin" --calls "${LATENCY_CALLS:-200}" 2>/dev/null

# 7. The kiosk: tap "take a ticket" -> the ticket printed, against the reference server on
#    127.0.0.1 (backend round trip, compose, encode, send to a file: printer), 10 tickets.
#    One department, so the first tap asks; the taps are the 1080x1920 layout's centres of
#    "take a ticket" and "back".
python3 scripts/backend-sim --port 0 --port-file "$work/sim.port" --quiet 2>/dev/null &
sim=$!
while [ ! -s "$work/sim.port" ]; do sleep 0.1; done
cat >"$work/kiosk.ini" <<INI
[device]
id = bench-kiosk
role = kiosk
orientation = portrait
width = 1080
height = 1920
[backend]
type = http
url = http://127.0.0.1:$(cat "$work/sim.port")
[kiosk]
departments = 内科|Internal Medicine
[storage]
path = $work/kiosk.db
[printer]
device = file:$work/kiosk-tickets.bin
INI
for _ in $(seq 10); do printf 'wait 300\ntap 540 510\nwait 1000\ntap 220 1738\n'; done >"$work/flow.txt"
"$bin" --headless --config "$work/kiosk.ini" --script "$work/flow.txt" 2>&1 |
    sed -n 's/.*tap to printed in \([0-9]*\) ms.*/\1/p' | sort -n |
    awk '{v[NR]=$1} END {if (NR) printf "tap -> ticket printed: median %d ms, max %d ms (%d tickets, backend on 127.0.0.1)\n", v[int((NR+1)/2)], v[NR], NR; else print "tap -> ticket printed: no ticket printed"}'
kill $sim

# 8. Side by side with a browser kiosk under Xvfb (scripts/bench-peer.sh).
scripts/bench-peer.sh "$bin"

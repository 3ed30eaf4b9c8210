#!/bin/sh
# make bench, kiosk-hub's part: one hub between scripts/backend-sim (calls only on POST
# /admin/call) and, on 127.0.0.1,
#   1. HUB_DEVICES (2,000) devices long-polling GET /api/v1/queue: HUB_CALLS (10) calls, the
#      time from each call to each device's answer, the hub's memory and CPU, its upstream
#      connections;
#   2. HUB_PHONES (500) phones on live pages (GET /r/TOKEN/events, parked), and meanwhile the
#      phone page GET /r/TOKEN at 200 requests a second for 20 s (wrk, scripts/bench-hub-rate.lua);
#      then calls, timed to every phone.
# Figures only; nothing here passes or fails. Results go in docs/performance.md by hand.
# Usage: scripts/bench-hub.sh [KIOSK_HUB [HUB_LOAD [KIOSK]]]
set -eu
hub=${1:-build/kiosk-hub}
load=${2:-build/hub-load}
kiosk=${3:-build/kiosk}
devices=${HUB_DEVICES:-2000}
phones=${HUB_PHONES:-500}
calls=${HUB_CALLS:-10}
rate=${HUB_PAGE_RATE:-200}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
sim=""
hub_pid=""
load_pid=""
cleanup() {
    for pid in $load_pid $hub_pid $sim; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
# Every device and phone holds a descriptor in the hub (dash's ulimit takes -H and -n).
# shellcheck disable=SC3045
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
hz=$(getconf CLK_TCK)
bearer=bench-device-token-0123456789abcdef

wait_file() {
    i=0
    while [ ! -s "$1" ]; do
        i=$((i + 1))
        [ "$i" -lt 200 ] || {
            echo "bench-hub: $1 never appeared" >&2
            exit 1
        }
        sleep 0.05
    done
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
# The hub's established connections to backend-sim.
upstream_connections() {
    ss -tnpH state established "( dport = :$sim_port )" | grep -c "pid=$hub_pid," || true
}
upstream_requests() {
    curl -s "http://127.0.0.1:$sim_port/admin/state" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["requests"]["queue"])'
}

echo "bench-hub: $(uname -m), $(nproc) cores ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)), $("$hub" --version)"

python3 scripts/backend-sim --port 0 --port-file "$work/sim.port" --auto-call 0 --quiet 2>/dev/null &
sim=$!
wait_file "$work/sim.port"
sim_port=$(cat "$work/sim.port")

(
    umask 077
    head -c 32 /dev/urandom >"$work/site.key"
    printf 'bench-1 %s\n' "$bearer" >"$work/devices"
)
cat >"$work/hub.ini" <<INI
[hub]
listen = 127.0.0.1:0
devices_file = $work/devices
max_connections = $((devices + phones + 1000))
[upstream]
type = http
url = http://127.0.0.1:$sim_port
long_poll_s = 30
[storage]
path = $work/hub.db
[qr]
key_file = $work/site.key
INI
"$hub" --config "$work/hub.ini" --port-file "$work/hub.port" 2>"$work/hub.log" &
hub_pid=$!
wait_file "$work/hub.port"
hub_port=$(cat "$work/hub.port")

# A phone's code for a ticket that waits (the first on backend-sim's list), signed with the key.
ticket=$(curl -s "http://127.0.0.1:$sim_port/api/v1/queue" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["waiting"][0]["ticket"])')
printf '[device]\nid = bench-kiosk\n[qr]\nkey_file = %s/site.key\n' "$work" >"$work/kiosk.ini"
token=$("$kiosk" token issue --config "$work/kiosk.ini" --purpose survey --ticket "$ticket" | head -n 1)

# 1. Devices.
before=$(cpu_ticks "$hub_pid")
requests_before=$(upstream_requests)
start=$(date +%s.%N)
"$load" --hub "$hub_port" --sim "$sim_port" --devices "$devices" --bearer "$bearer" \
    --calls "$calls" --hold 3 >"$work/devices.out" &
load_pid=$!
wait_file "$work/devices.out"
sleep 1
parked_rss=$(status_kb "$hub_pid" VmRSS)
parked_upstream=$(upstream_connections)
wait "$load_pid"
load_pid=""
end=$(date +%s.%N)
after=$(cpu_ticks "$hub_pid")
requests_after=$(upstream_requests)
grep -v '^ready' "$work/devices.out"
awk -v b="$before" -v a="$after" -v hz="$hz" -v s="$start" -v e="$end" -v n="$devices" -v c="$calls" \
    'BEGIN {printf "kiosk-hub CPU over the devices run (%.0f s, %d connections, %d calls): %.1f %% of one core (%.2f s)\n", e - s, n, c, (a - b) * 100 / (hz * (e - s)), (a - b) / hz}'
awk -v r="$parked_rss" -v h="$(status_kb "$hub_pid" VmHWM)" -v n="$devices" \
    'BEGIN {printf "kiosk-hub memory: %.1f MB resident with %d requests parked, peak %.1f MB\n", r / 1024, n, h / 1024}'
echo "kiosk-hub upstream: $parked_upstream connection(s) to backend-sim with $devices devices parked; $((requests_after - requests_before)) upstream GET /api/v1/queue for $((calls + 1)) calls (one not timed)"

# 2. Phones: live pages parked, the page under wrk meanwhile, then calls.
before=$(cpu_ticks "$hub_pid")
start=$(date +%s.%N)
"$load" --hub "$hub_port" --sim "$sim_port" --phones "$phones" --page "/r/$token" \
    --hold 24 --calls 5 >"$work/phones.out" &
load_pid=$!
wait_file "$work/phones.out"
wrk -t 2 -c 20 -d 20s --latency -s scripts/bench-hub-rate.lua \
    "http://127.0.0.1:$hub_port/r/$token" -- "$rate" 20 >"$work/wrk.out"
wait "$load_pid"
load_pid=""
end=$(date +%s.%N)
after=$(cpu_ticks "$hub_pid")
awk -v p="$phones" -v rate="$rate" '
    /Requests\/sec/ {rps = $2}
    /^ +50%/ {p50 = $2} /^ +99%/ {p99 = $2}
    /requests in/ {n = $1}
    /Non-2xx/ {bad = $NF}
    END {printf "phone page GET /r/TOKEN with %d live pages parked: %s requests at %.0f/s (asked %d/s), p50 %s, p99 %s%s\n", p, n, rps, rate, p50, p99, bad ? ", " bad " not 2xx" : ""}' "$work/wrk.out"
grep -v '^ready\|^hub-load itself' "$work/phones.out"
awk -v b="$before" -v a="$after" -v hz="$hz" -v s="$start" -v e="$end" \
    'BEGIN {printf "kiosk-hub CPU over the phones run (%.0f s): %.1f %% of one core\n", e - s, (a - b) * 100 / (hz * (e - s))}'
awk -v h="$(status_kb "$hub_pid" VmHWM)" 'BEGIN {printf "kiosk-hub memory peak over both runs: %.1f MB\n", h / 1024}'
grep '^hub-load itself' "$work/devices.out" | sed 's/^/load tool (devices run): /'

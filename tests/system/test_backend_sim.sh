#!/bin/sh
# test_backend_sim.sh: smoke test of scripts/backend-sim (the kiosk API v1 reference server)
# with curl: snapshot + ETag, 304, long-poll wake-up, admin call/recall/reset, bearer token,
# idempotent POSTs, every fault mode, clean SIGTERM. Starts the sim on free ports, leaves no
# process behind, ends with "N passed, N failed" and exits non-zero on any failure.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
sim="$top/scripts/backend-sim"
tmp=$(mktemp -d)
pids=""
passed=0
failed=0

cleanup() {
    for p in $pids; do
        kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

pass() {
    passed=$((passed + 1))
    echo "ok   $1"
}

fail() {
    failed=$((failed + 1))
    echo "FAIL $1"
}

# check NAME EXPECTED ACTUAL
check() {
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: expected '$2', got '$3'"; fi
}

# check_true NAME COMMAND...: passes when the command succeeds.
check_true() {
    name=$1
    shift
    if "$@"; then pass "$name"; else fail "$name"; fi
}

# start_sim [ARGS...]: starts the sim on a free port; sets $sim_pid and $base.
start_sim() {
    rm -f "$tmp/port"
    python3 "$sim" --port 0 --port-file "$tmp/port" --seed 7 --quiet "$@" 2>>"$tmp/sim.log" &
    sim_pid=$!
    pids="$pids $sim_pid"
    i=0
    while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    if [ ! -s "$tmp/port" ]; then
        fail "the sim did not start:"
        cat "$tmp/sim.log"
        exit 1
    fi
    base="http://127.0.0.1:$(cat "$tmp/port")"
}

# get URL [CURL ARGS...]: prints "status size exitcode"; the body goes to $tmp/body.
get() {
    url=$1
    shift
    out=$(curl -s -o "$tmp/body" -w '%{http_code} %{size_download}' "$@" "$url")
    echo "$out $?"
}

# admin PATH [JSON]: POSTs to an admin endpoint, prints the answer.
admin() {
    curl -s -X POST -d "${2:-}" "$base$1"
}

# json_int KEY < JSON: the first integer value of "KEY" in compact JSON (json_string: string).
json_int() {
    grep -o "\"$1\":[0-9][0-9]*" | head -n 1 | cut -d: -f2
}

json_string() {
    grep -o "\"$1\":\"[^\"]*\"" | head -n 1 | cut -d'"' -f4
}

etag_of() {
    curl -s -D - -o /dev/null "$@" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p'
}

test_snapshot_and_304() {
    check "GET queue: 200" "200" "$(get "$base/api/v1/queue" | cut -d' ' -f1)"
    check_true "GET queue: a snapshot with calls, waiting, rooms" \
        grep -q '"calls":\[.*"waiting":\[.*"rooms":\[' "$tmp/body"
    check_true "GET queue: the clinic hours" grep -q '"clinics":\[{"doctor":"李明","title":"主任医师"' \
        "$tmp/body"
    check_true "GET queue: every call has an issued_at before its called_at" python3 -c '
import json, sys
calls = json.load(open(sys.argv[1]))["calls"]
sys.exit(not calls or not all(0 < c["issued_at"] < c["called_at"] for c in calls))' "$tmp/body"
    check "GET queue: ETag \"v1\"" '"v1"' "$(etag_of "$base/api/v1/queue")"
    check "If-None-Match current: 304, empty" "304 0 0" \
        "$(get "$base/api/v1/queue" -H 'If-None-Match: "v1"')"
    check "If-None-Match old: 200" "200" \
        "$(get "$base/api/v1/queue" -H 'If-None-Match: "v0"' | cut -d' ' -f1)"
}

test_admin_call() {
    answer=$(admin /admin/call '{"room": "r1"}')
    check "admin/call bumps the version" "2" "$(echo "$answer" | json_int version)"
    ticket=$(echo "$answer" | json_string ticket)
    call_id=$(echo "$answer" | json_string call_id)
    check "the snapshot follows" '"v2"' "$(etag_of "$base/api/v1/queue")"
    get "$base/api/v1/queue" >/dev/null
    check_true "r1 serves the called ticket $ticket" \
        grep -q "\"id\":\"r1\"[^}]*\"serving\":\"$ticket\"" "$tmp/body"
    check_true "the call is first, recall 0" \
        grep -q "\"calls\":\[{\"id\":\"$call_id\",\"ticket\":\"$ticket\",\"room\":\"r1\"[^}]*\"recall\":0}" \
        "$tmp/body"
    answer=$(admin /admin/recall '{"room": "r1"}')
    check "admin/recall: same call id, recall 1" "$call_id 1" \
        "$(echo "$answer" | json_string call_id) $(echo "$answer" | json_int recall)"
    check "admin/call into a closed room: 409" "409" \
        "$(curl -s -o /dev/null -w '%{http_code}' -d '{"room": "r4"}' "$base/admin/call")"
}

test_long_poll() {
    v=$(curl -s "$base/api/v1/queue" | json_int version)
    curl -s -o "$tmp/lp" -w '%{http_code} %{time_total}' -H "If-None-Match: \"v$v\"" \
        "$base/api/v1/queue?wait=10&since=$v" >"$tmp/lp.out" &
    lp=$!
    sleep 0.5
    admin /admin/call >/dev/null
    wait $lp
    read -r status seconds <"$tmp/lp.out"
    check "long-poll woken by admin/call: 200" "200" "$status"
    check_true "long-poll answered at once ($seconds s)" awk "BEGIN { exit !($seconds < 3) }"
    check "long-poll brings the new version" "$((v + 1))" "$(json_int version <"$tmp/lp")"
    out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "If-None-Match: \"v$((v + 1))\"" \
        "$base/api/v1/queue?wait=1&since=$((v + 1))")
    check "long-poll without change: 304" "304" "${out% *}"
    check_true "after the wait (${out#* } s)" awk "BEGIN { exit !(${out#* } >= 0.9) }"
    out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "$base/api/v1/queue?wait=10&since=999999")
    check_true "since ahead of the server answers at once ($out)" \
        awk "BEGIN { exit !(\"${out% *}\" == \"200\" && ${out#* } < 1) }"
}

test_idempotent_tickets() {
    post() {
        curl -s -X POST -H "Idempotency-Key: $1" -d "$2" "$base/api/v1/tickets"
    }
    a=$(post 6f1c1b7e-0000-4000-8000-000000000001 '{"service": "内科", "priority": "normal"}')
    b=$(post 6f1c1b7e-0000-4000-8000-000000000001 '{"service": "内科", "priority": "normal"}')
    c=$(post 6f1c1b7e-0000-4000-8000-000000000002 '{"service": "内科", "priority": "normal"}')
    check_true "POST tickets: a ticket ($a)" test -n "$(echo "$a" | grep '"ticket":"A')"
    check "same Idempotency-Key: the same answer" "$a" "$b"
    check_true "another key: another ticket" test "$a" != "$c"
    check "no Idempotency-Key: 400" "400" "$(curl -s -o /dev/null -w '%{http_code}' \
        -d '{"service": "内科"}' "$base/api/v1/tickets")"
    check "heartbeat: 204" "204" "$(curl -s -o /dev/null -w '%{http_code}' -H 'Idempotency-Key: h1' \
        -d '{"version": "1.0", "uptime_s": 5, "connection": "online", "storage_ok": true}' \
        "$base/api/v1/devices/hall-1/heartbeat")"
    check "rating: 201" "201" "$(curl -s -o /dev/null -w '%{http_code}' -H 'Idempotency-Key: r1' \
        -d '{"score": 5, "reasons": ["friendly"], "ticket": "A023", "room": "r2"}' \
        "$base/api/v1/ratings")"
    check "unknown appointment code: 404" "404" "$(curl -s -o /dev/null -w '%{http_code}' \
        -H 'Idempotency-Key: k1' -d '{"appointment_code": "000000"}' "$base/api/v1/checkins")"
}

mode() {
    admin /admin/mode "{\"mode\": \"$1\", \"delay_ms\": ${2:-0}}" >/dev/null
}

test_fault_modes() {
    normal=$(get "$base/api/v1/queue" | cut -d' ' -f2)
    half=$((normal / 2))
    mode down
    check "down: connection closed, nothing sent (curl 52)" "000 0 52" "$(get "$base/api/v1/queue")"
    mode silent
    check "silent: no answer until the client gives up (curl 28)" "000 0 28" \
        "$(get "$base/api/v1/queue" -m 1)"
    mode error500
    check "error500: 500" "500" "$(get "$base/api/v1/queue" | cut -d' ' -f1)"
    check_true "error500: a JSON error" grep -q '^{"error":' "$tmp/body"
    mode garbage
    check "garbage: 200" "200" "$(get "$base/api/v1/queue" | cut -d' ' -f1)"
    check_true "garbage: not JSON" test "$(head -c 1 "$tmp/body")" != "{"
    mode truncated
    check "truncated: 200, half the snapshot" "200 $half 0" "$(get "$base/api/v1/queue")"
    mode wrong_types
    check "wrong_types: 200" "200" "$(get "$base/api/v1/queue" | cut -d' ' -f1)"
    check_true "wrong_types: version a string, calls an object" \
        grep -q '"version":"[0-9]*".*"calls":{}' "$tmp/body"
    mode huge
    check "huge: 200, 20 MiB" "200 20971520 0" "$(get "$base/api/v1/queue")"
    mode invalid_utf8
    check "invalid_utf8: 200" "200" "$(get "$base/api/v1/queue" | cut -d' ' -f1)"
    check_true "invalid_utf8: a ticket holds FF FE" \
        env LC_ALL=C grep -q "\"ticket\":\"A$(printf '\377\376')1\"" "$tmp/body"
    mode delay 1200
    out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "$base/api/v1/queue")
    check_true "delay: 200 after delay_ms ($out)" \
        awk "BEGIN { exit !(\"${out% *}\" == \"200\" && ${out#* } >= 1.15) }"
    mode close_mid_body
    check "close_mid_body: half the body, then closed (curl 18)" "200 $half 18" \
        "$(get "$base/api/v1/queue")"
    check "modes leave the API's POSTs alone" "201" "$(curl -s -o /dev/null -w '%{http_code}' \
        -H 'Idempotency-Key: m1' -d '{"service": "外科"}' "$base/api/v1/tickets")"
    mode normal
    check "normal again: 200" "200" "$(get "$base/api/v1/queue" | cut -d' ' -f1)"
}

test_state_and_reset() {
    state=$(curl -s "$base/admin/state")
    n304=$(echo "$state" | json_int queue_304)
    check_true "admin/state counts the 304s ($n304)" test "${n304:-0}" -ge 2
    before=$(echo "$state" | json_int version)
    after=$(admin /admin/reset | json_int version)
    check "admin/reset: the version still goes up" "$((before + 1))" "$after"
    check_true "admin/reset: mode normal" test -n "$(curl -s "$base/admin/state" | grep '"mode":"normal"')"
}

test_sigterm() {
    kill -TERM "$sim_pid"
    i=0
    while kill -0 "$sim_pid" 2>/dev/null && [ $i -lt 30 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    check_true "SIGTERM stops the sim within 3 s" test $i -lt 30
    wait "$sim_pid"
    check "SIGTERM: exit status 0" "0" "$?"
}

test_token() {
    start_sim --token s3cret
    check "token: none sent, 401" "401" "$(get "$base/api/v1/queue" | cut -d' ' -f1)"
    check "token: a wrong one, 401" "401" \
        "$(get "$base/api/v1/queue" -H 'Authorization: Bearer wrong' | cut -d' ' -f1)"
    check "token: the right one, 200" "200" \
        "$(get "$base/api/v1/queue" -H 'Authorization: Bearer s3cret' | cut -d' ' -f1)"
    check "token: POSTs too" "401" "$(curl -s -o /dev/null -w '%{http_code}' \
        -H 'Idempotency-Key: t1' -d '{"service": "内科"}' "$base/api/v1/tickets")"
    check "token: admin needs none" "200" \
        "$(get "$base/admin/state" | cut -d' ' -f1)"
}

test_restart_same_port() {
    port=${base##*:}
    kill -TERM "$sim_pid"
    wait "$sim_pid"
    start_sim --port "$port"
    check "restarts at once on the same port" "$base" "http://127.0.0.1:$port"
    check "restarted: 200" "200" "$(get "$base/api/v1/queue" | cut -d' ' -f1)"
}

start_sim --port 0
test_snapshot_and_304
test_admin_call
test_long_poll
test_idempotent_tickets
test_fault_modes
test_state_and_reset
test_sigterm
test_token
test_restart_same_port

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

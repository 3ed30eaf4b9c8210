#!/bin/sh
# test_browser_smoke.sh: the browser the phone-page tests drive, proven on a small site before
# they rely on it: python3 -m http.server on a free port serves a page with a same-origin
# script and a form; scripts/phone-shot.js saves it as a phone shows it (720x1480 PNG, checked
# with identify), with JavaScript on and off, another size, and fails on a 404 or a dead
# server; tests/browser/smoke.js taps a radio and submits the form in both modes
# (tests/browser/lib.js). Needs chromium, node and node_modules/ (scripts/deps.sh run-tests
# installs them): a missing one fails, never skips. Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
site=$tmp/site
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

# finish: the summary line and a non-zero exit status, when the test cannot go on.
finish() {
    echo "$passed passed, $failed failed"
    exit 1
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# What the browser needs; deps.sh installs all of it, so a missing one is a failure.
chromium=${KIOSK_CHROMIUM:-/usr/bin/chromium}
for need in "node:$(command -v node)" "chromium:$([ -x "$chromium" ] && echo "$chromium")" \
    "playwright-core:$([ -f "$top/node_modules/playwright-core/package.json" ] && echo ok)" \
    "identify:$(command -v identify)"; do
    if [ -z "${need#*:}" ]; then
        fail "${need%%:*} missing: scripts/deps.sh run-tests installs it"
    fi
done
[ "$failed" -eq 0 ] || finish
versions="$("$chromium" --version 2>/dev/null | sed -n 's/^\(Chromium [0-9.]*\).*/\1/p'),"
pw=$(sed -n 's/^ *"version": "\(.*\)",*$/\1/p' "$top/node_modules/playwright-core/package.json" |
    head -n 1)
versions="$versions node $(node --version), playwright-core $pw"
pass "chromium, node and playwright-core are there ($versions)"

# The site: a form with radios and a submit button, a same-origin script that changes the page
# (and adds a field when the form is sent), a thank-you page, a page with an image elsewhere.
mkdir -p "$site"
cat >"$site/index.html" <<'HTML'
<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>评价 · Rate us</title>
<style>
body { font-family: sans-serif; margin: 16px }
label { display: inline-block; padding: 12px; font-size: 28px }
</style>
</head><body>
<h1>请评价 · Rate us</h1>
<p id="mode">no script</p>
<p id="live">waiting</p>
<form method="get" action="thanks.html">
<input type="radio" name="score" id="s1" value="1"><label for="s1">1 很不满意</label>
<input type="radio" name="score" id="s4" value="4"><label for="s4">4 满意</label>
<input type="radio" name="score" id="s5" value="5"><label for="s5">5 非常满意</label>
<p><button type="submit">提交 · Submit</button></p>
</form>
<script src="app.js"></script>
</body></html>
HTML
cat >"$site/app.js" <<'JS'
document.getElementById('mode').textContent = 'script ran';
setTimeout(function () { document.getElementById('live').textContent = 'updated'; }, 300);
document.querySelector('form').addEventListener('submit', function (e) {
    var f = document.createElement('input');
    f.type = 'hidden';
    f.name = 'js';
    f.value = '1';
    e.target.appendChild(f);
});
JS
printf '<!doctype html><meta charset="utf-8"><title>谢谢</title><h1>谢谢 · Thank you</h1>\n' \
    >"$site/thanks.html"
printf '<!doctype html><meta charset="utf-8"><title>x</title><img id="pixel" src="%s" alt="">\n' \
    "http://example.com/pixel.png" >"$site/external.html"

# The server on a port of its own choosing (0), read back from what it prints.
python3 -u -m http.server --bind 127.0.0.1 --directory "$site" 0 >"$tmp/http.log" 2>&1 &
pids="$pids $!"
i=0
port=
while [ -z "$port" ] && [ $i -lt 100 ]; do
    sleep 0.1
    port=$(sed -n 's/^Serving HTTP on .* port \([0-9][0-9]*\) .*/\1/p' "$tmp/http.log")
    i=$((i + 1))
done
if [ -z "$port" ]; then
    fail "python3 -m http.server did not start:"
    cat "$tmp/http.log"
    finish
fi
base="http://127.0.0.1:$port"
check "the site answers" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$base/index.html")"

# shot NAME EXPECTED_STATUS EXPECTED_SIZE URL ARGS...: phone-shot.js's exit status and, when
# it saved one, the PNG's size by identify ("-" for none); its message goes to $tmp/NAME.out.
shot() {
    name=$1 want_rc=$2 want_size=$3 url=$4
    shift 4
    png=$tmp/$name.png
    start=$(now_ms)
    node "$top/scripts/phone-shot.js" "$url" "$png" "$@" >"$tmp/$name.out" 2>&1
    rc=$?
    ms=$(($(now_ms) - start))
    size=-
    [ -f "$png" ] && size=$(identify -format '%wx%h' "$png" 2>&1)
    if [ "$rc" -eq "$want_rc" ] && [ "$size" = "$want_size" ]; then
        pass "phone-shot $name: exit $rc, $size ($ms ms)"
    else
        fail "phone-shot $name: expected exit $want_rc and $want_size, got exit $rc and $size:"
        sed 's/^/     /' "$tmp/$name.out"
    fi
}

# Each is a chromium of its own (a few seconds): the options are combined to keep them few.
shot js 0 720x1480 "$base/index.html"
shot no-js-large-phone 0 824x1830 "$base/index.html" --no-js --width 412 --height 915 --lang en
shot not-found 1 - "$base/missing.html"
if grep -q 'answered HTTP 404' "$tmp/not-found.out"; then
    pass "phone-shot says the page answered 404"
else
    fail "phone-shot's message on a 404: $(cat "$tmp/not-found.out")"
fi
shot not-found-allowed 0 720x1480 "$base/missing.html" --allow-error
shot usage 2 - "$base/index.html" --width
# A server that is not there: a port held bound but not listening (connections are refused,
# and no other program can take it meanwhile).
python3 -u -c 'import socket, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
time.sleep(600)' >"$tmp/dead-port" 2>&1 &
pids="$pids $!"
i=0
while [ ! -s "$tmp/dead-port" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
shot dead-server 1 - "http://127.0.0.1:$(cat "$tmp/dead-port")/"
if grep -q 'did not load' "$tmp/dead-server.out"; then
    pass "phone-shot says the page did not load"
else
    fail "phone-shot's message for a dead server: $(cat "$tmp/dead-server.out")"
fi

# Both walks through the form: the TAP lines of smoke.js counted as this test's.
start=$(now_ms)
node "$top/tests/browser/smoke.js" "$base" "$tmp/smoke" >"$tmp/smoke.tap" 2>&1
rc=$?
ms=$(($(now_ms) - start))
n_ok=$(grep -c '^ok ' "$tmp/smoke.tap")
n_bad=$(grep -c '^not ok ' "$tmp/smoke.tap")
passed=$((passed + n_ok))
failed=$((failed + n_bad))
grep -v -e '^ok ' -e '^1\.\.[0-9]*$' -e '^# [0-9]* passed' "$tmp/smoke.tap" | sed 's/^/     /'
if [ "$rc" -eq 0 ] && [ "$n_ok" -gt 0 ] && [ "$n_bad" -eq 0 ]; then
    pass "tests/browser/smoke.js: $n_ok checks with JavaScript on and off ($ms ms)"
else
    fail "tests/browser/smoke.js: exit $rc, $n_ok ok, $n_bad not ok"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

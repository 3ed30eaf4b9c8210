#!/bin/sh
# make demo: the kiosk on its built-in demo clinic, and kiosk-hub on 127.0.0.1 serving the pages
# its QR codes lead to. With a display (X11, Wayland, or a Linux console with KMS) the call
# screen opens full-screen (Escape quits); without one it runs headless and writes a screenshot
# to out/demo-NNNN.png every 5 seconds for DEMO_SECONDS (default 30), then a phone's view of the
# page the screen's code leads to (headless Chromium) to out/demo-phone.png.
set -eu
bin=${1:-build/kiosk}
hub_bin=${2:-build/kiosk-hub}
cd "$(dirname "$0")/.."
mkdir -p out

has_display() {
    [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ] && return 0
    # A local console with a DRM device: SDL's KMSDRM driver can take the screen.
    tty -s 2>/dev/null && ls /dev/dri/card* >/dev/null 2>&1
}

hub_pid=
stop_hub() {
    [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null && wait "$hub_pid" 2>/dev/null
    hub_pid=
}
trap stop_hub EXIT INT TERM

rm -f out/demo-hub.port
"$hub_bin" --config assets/demo-hub.ini --port-file out/demo-hub.port 2>out/demo-hub.log &
hub_pid=$!
for _ in $(seq 50); do
    [ -s out/demo-hub.port ] && break
    kill -0 "$hub_pid" 2>/dev/null || break
    sleep 0.1
done
if [ ! -s out/demo-hub.port ]; then
    echo "demo: kiosk-hub did not start; see out/demo-hub.log:" >&2
    cat out/demo-hub.log >&2
    exit 1
fi
hub="http://127.0.0.1:$(cat out/demo-hub.port)"
echo "demo: kiosk-hub serves the QR codes' pages at $hub (log in out/demo-hub.log)"
set -- --config assets/demo.ini --status-file out/demo-status.json \
    --set "qr.survey_url=$hub/r/{token}" --set "qr.results_url=$hub/l/{token}"

if has_display; then
    echo "demo: opening the call screen full-screen (Escape quits)"
    "$bin" "$@"
    exit 0
fi

seconds=${DEMO_SECONDS:-30}
rm -f out/demo-[0-9]*.png out/demo-phone.png
echo "demo: no display found, running headless for ${seconds}s:"
echo "demo: a screenshot every 5 s in out/demo-NNNN.png, status in out/demo-status.json"
"$bin" --headless "$@" --screenshot-every 5 --screenshot-prefix out/demo- \
    --exit-after "$seconds" --screenshot out/demo-last.png
echo "demo: done; open out/demo-last.png (and out/demo-0001.png ...) to see the call screen"
"$bin" ticket --preview out/demo-ticket.png --config assets/demo.ini
echo "demo: out/demo-ticket.png is the ticket a kiosk prints (58 mm)"
url=$(zbarimg --quiet --raw out/demo-last.png 2>/dev/null | head -n 1)
if [ -z "$url" ]; then
    echo "demo: no QR code found on out/demo-last.png, so no phone screenshot" >&2
    exit 1
fi
node scripts/phone-shot.js "$url" out/demo-phone.png
echo "demo: out/demo-phone.png is what a phone shows after scanning the screen's code:"
echo "demo:   $url"

#!/bin/sh
# make demo: the kiosk on its built-in demo clinic. With a display (X11, Wayland, or a Linux
# console with KMS) it opens full-screen (Escape quits); without one it runs headless and
# writes a screenshot to out/demo-NNNN.png every 5 seconds for DEMO_SECONDS (default 30).
set -eu
bin=${1:-build/kiosk}
cd "$(dirname "$0")/.."
mkdir -p out

has_display() {
    [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ] && return 0
    # A local console with a DRM device: SDL's KMSDRM driver can take the screen.
    tty -s 2>/dev/null && ls /dev/dri/card* >/dev/null 2>&1
}

if has_display; then
    echo "demo: opening the call screen full-screen (Escape quits)"
    exec "$bin" --config assets/demo.ini --status-file out/demo-status.json
fi

seconds=${DEMO_SECONDS:-30}
rm -f out/demo-[0-9]*.png
echo "demo: no display found, running headless for ${seconds}s:"
echo "demo: a screenshot every 5 s in out/demo-NNNN.png, status in out/demo-status.json"
"$bin" --headless --config assets/demo.ini --status-file out/demo-status.json \
    --screenshot-every 5 --screenshot-prefix out/demo- --exit-after "$seconds" \
    --screenshot out/demo-last.png
echo "demo: done; open out/demo-last.png (and out/demo-0001.png ...) to see the call screen"
"$bin" ticket --preview out/demo-ticket.png --config assets/demo.ini
echo "demo: out/demo-ticket.png is the ticket a kiosk prints (58 mm)"

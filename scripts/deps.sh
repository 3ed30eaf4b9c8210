#!/bin/sh
# Installs what building, running and testing the kiosk needs, and nothing already present.
# Usage: scripts/deps.sh [build|demo|run-tests|test|bench|cross|deploy] (idempotent; sudo only
# when not root). demo, run-tests, test and bench also bring the browser: Debian's chromium,
# Node.js and npm (Debian's, where no node or npm command is there already), and playwright-core
# into node_modules/ from package-lock.json.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)

BUILD="build-essential pkg-config libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev
       libsqlite3-dev libinih-dev libcjson-dev libfontconfig-dev libcurl4-openssl-dev
       libssl-dev libqrencode-dev libespeak-ng-dev espeak-ng-data fontconfig fonts-noto-cjk
       libsystemd-dev libmicrohttpd-dev ca-certificates"
# The browser of the phone-page tests and of make demo's phone screenshot (tests/browser/lib.js);
# chromium-sandbox (not pulled in by chromium) sandboxes it for a user who is not root where
# user namespaces are not to be had (root runs it with --no-sandbox); the emoji font draws the
# rating faces.
BROWSER="chromium chromium-sandbox fonts-noto-color-emoji"
# make demo: the build, and the browser with zbarimg for the phone's view of the screen's code.
DEMO="$BUILD $BROWSER zbar-tools"
# What the test programs run (make test-trixie installs only this), then the lint tools.
RUN_TESTS="$BUILD $BROWSER systemd libcmocka-dev sqlite3 python3 curl zbar-tools sox imagemagick
       valgrind libfaketime openssl xvfb"
# clang and its runtimes (libFuzzer, ASan) for the fuzzers of make fuzz and make test.
TEST="$RUN_TESTS clang-format clang-tidy cppcheck clang libclang-rt-dev shellcheck pyflakes3"
CROSS_HOST="crossbuild-essential-arm64 qemu-user-static binfmt-support"
CROSS_ARM64="libc6:arm64 libsdl2-dev:arm64 libsdl2-ttf-dev:arm64 libsdl2-image-dev:arm64
       libsqlite3-dev:arm64 libinih-dev:arm64 libcjson-dev:arm64 libfontconfig-dev:arm64
       libcurl4-openssl-dev:arm64 libssl-dev:arm64 libqrencode-dev:arm64 libespeak-ng-dev:arm64
       libcmocka-dev:arm64 espeak-ng-data:arm64 libsystemd-dev:arm64 libmicrohttpd-dev:arm64"
# make bench: what make test needs, wrk for the phone page's latency (scripts/bench-hub.sh), and
# qrencode for the browser kiosk's code (scripts/bench-peer.sh).
BENCH="$TEST wrk qrencode"
# Packaging, chroots and images (make deb, test-trixie, test-image).
DEPLOY="dpkg-dev fakeroot lintian debootstrap qemu-user-static binfmt-support
       debian-archive-keyring fdisk dosfstools e2fsprogs"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing() {
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed$' ||
            printf '%s\n' "$pkg"
    done
}

# Debian's nodejs and npm only where the commands are missing: a machine may have Node.js
# from elsewhere (NodeSource's nodejs bundles npm, and Debian's npm conflicts with it).
node_packages() {
    command -v node >/dev/null 2>&1 || echo nodejs
    command -v npm >/dev/null 2>&1 || echo npm
}

# node_modules/ from package-lock.json (playwright-core; --ignore-scripts: nothing downloads a
# browser), when it is missing or older than package.json or the lock file.
npm_deps() {
    stamp=$top/node_modules/.package-lock.json
    if [ -f "$stamp" ] && [ -f "$top/node_modules/playwright-core/package.json" ] &&
        [ -z "$(find "$top/package.json" "$top/package-lock.json" -newer "$stamp")" ]; then
        return 0
    fi
    node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 18 ? 1 : 0)' || {
        echo "deps: playwright-core needs Node.js 18 or later: $(command -v node) is" \
            "$(node --version)" >&2
        exit 1
    }
    echo "deps: npm ci --ignore-scripts (playwright-core from package-lock.json)"
    (cd "$top" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
}

install() {
    todo=$(missing "$@" | tr '\n' ' ')
    [ -z "$todo" ] && return 0
    echo "deps: installing $todo"
    as_root apt-get update -qq
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $todo
}

# The lists are split into package names on purpose (none has a space or a glob character).
# shellcheck disable=SC2086,SC2046
case "${1:-build}" in
build) install $BUILD ;;
demo)
    install $DEMO $(node_packages)
    npm_deps
    ;;
run-tests)
    install $RUN_TESTS $(node_packages)
    npm_deps
    ;;
test)
    install $TEST $(node_packages)
    npm_deps
    ;;
bench)
    install $BENCH $(node_packages)
    npm_deps
    ;;
cross)
    dpkg --print-foreign-architectures | grep -qx arm64 || as_root dpkg --add-architecture arm64
    install $CROSS_HOST $CROSS_ARM64
    ;;
deploy) install $DEPLOY ;;
*)
    echo "usage: $0 [build|demo|run-tests|test|bench|cross|deploy]" >&2
    exit 2
    ;;
esac

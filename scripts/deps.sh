#!/bin/sh
# Installs what building, running and testing the kiosk needs, and nothing already present.
# Usage: scripts/deps.sh [build|run-tests|test|bench|cross|deploy] (idempotent; sudo only when not root)
set -eu

BUILD="build-essential pkg-config libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev
       libsqlite3-dev libinih-dev libcjson-dev libfontconfig-dev libcurl4-openssl-dev
       libssl-dev libqrencode-dev libespeak-ng-dev espeak-ng-data fontconfig fonts-noto-cjk
       libsystemd-dev libmicrohttpd-dev ca-certificates"
# What the test programs run (make test-trixie installs only this), then the lint tools.
RUN_TESTS="$BUILD systemd libcmocka-dev sqlite3 python3 curl zbar-tools sox imagemagick valgrind
       libfaketime openssl"
# clang and its runtimes (libFuzzer, ASan) for the fuzzers of make fuzz and make test.
TEST="$RUN_TESTS clang-format clang-tidy cppcheck clang libclang-rt-dev shellcheck pyflakes3"
CROSS_HOST="crossbuild-essential-arm64 qemu-user-static binfmt-support"
CROSS_ARM64="libc6:arm64 libsdl2-dev:arm64 libsdl2-ttf-dev:arm64 libsdl2-image-dev:arm64
       libsqlite3-dev:arm64 libinih-dev:arm64 libcjson-dev:arm64 libfontconfig-dev:arm64
       libcurl4-openssl-dev:arm64 libssl-dev:arm64 libqrencode-dev:arm64 libespeak-ng-dev:arm64
       libcmocka-dev:arm64 espeak-ng-data:arm64 libsystemd-dev:arm64 libmicrohttpd-dev:arm64"
# make bench: what make test needs, and wrk for the phone page's latency (scripts/bench-hub.sh).
BENCH="$TEST wrk"
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

install() {
    todo=$(missing "$@" | tr '\n' ' ')
    [ -z "$todo" ] && return 0
    echo "deps: installing $todo"
    as_root apt-get update -qq
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $todo
}

# The lists are split into package names on purpose (none has a space or a glob character).
# shellcheck disable=SC2086
case "${1:-build}" in
build) install $BUILD ;;
run-tests) install $RUN_TESTS ;;
test) install $TEST ;;
bench) install $BENCH ;;
cross)
    dpkg --print-foreign-architectures | grep -qx arm64 || as_root dpkg --add-architecture arm64
    install $CROSS_HOST $CROSS_ARM64
    ;;
deploy) install $DEPLOY ;;
*)
    echo "usage: $0 [build|run-tests|test|bench|cross|deploy]" >&2
    exit 2
    ;;
esac

#!/bin/sh
# make test-trixie: the kiosk built and every test run in a Debian trixie chroot (this
# machine's architecture, debootstrapped once into out/trixie), then the package from make deb
# installed there and started headless: Raspberry Pi OS's newer base proven beside bookworm.
# Usage: scripts/test-trixie.sh [--unit]   (--unit: skip the integration tests)
set -eu
cd "$(dirname "$0")/.."
. scripts/chroot-lib.sh
need_root "$@"
private_mounts "$@"

root=out/trixie
arch=$(dpkg --print-architecture)
unit=false
[ "${1:-}" = --unit ] && unit=true
t0=$(date +%s)

scripts/deps.sh deploy
rootfs_ensure "$root" trixie "$arch"
trap 'chroot_umount "$root"' EXIT
chroot_mount "$root"

# The working tree as it is now (tracked and new files; no build outputs), copied afresh.
rm -rf "$root/src"
mkdir -p "$root/src"
git ls-files -z -co --exclude-standard --deduplicate |
    tar -c --null --ignore-failed-read -T - -f - 2>/dev/null | tar -x -C "$root/src"

# The build and test packages from the same list as on bookworm.
t1=$(date +%s)
in_chroot "$root" sh -c 'cd /src && scripts/deps.sh run-tests' >"$root.deps.log" 2>&1 || {
    tail -n 30 "$root.deps.log" >&2
    die "installing the build dependencies in trixie failed (log: $root.deps.log)"
}
t2=$(date +%s)

# What differs: the versions of the libraries the kiosk builds against, bookworm (this
# machine) beside trixie.
pkgs="gcc libc6-dev libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libsqlite3-dev libcurl4-openssl-dev
      libssl-dev libqrencode-dev libcjson-dev libinih-dev libfontconfig-dev libespeak-ng-dev
      espeak-ng-data fonts-noto-cjk libsystemd-dev libcmocka-dev python3 zbar-tools"
# shellcheck disable=SC2016 # ${Version} is dpkg-query's format field, not the shell's
{
    printf '%-22s %-28s %s\n' package "bookworm (host)" trixie
    for p in $pkgs; do
        printf '%-22s %-28s %s\n' "$p" \
            "$(dpkg-query -W -f='${Version}\n' "$p" 2>/dev/null | head -n 1 | grep . || echo -)" \
            "$(in_chroot "$root" dpkg-query -W -f='${Version}\n' "$p" 2>/dev/null | head -n 1 | grep . || echo -)"
    done
} >out/trixie-versions.txt
cat out/trixie-versions.txt

echo "test-trixie: building in the chroot"
in_chroot "$root" sh -c 'cd /src && make --no-print-directory BUILD=build/trixie VERSION=trixie-test all tests' \
    >"$root.build.log" 2>&1 || {
    tail -n 40 "$root.build.log" >&2
    die "the build failed on trixie (log: $root.build.log)"
}
t3=$(date +%s)
if $unit; then
    # One line: sh -c would run a second line as a command of its own.
    filter="rm -f"
    for t in test_integration test_kiosk test_backend_sim test_peers test_printing test_security; do
        filter="$filter build/trixie/tests/system/$t"
    done
else
    filter=:
fi
status=0
in_chroot "$root" sh -c "cd /src && $filter && scripts/run-tests.sh build/trixie" || status=$?
t4=$(date +%s)

# The bookworm-built package on trixie: its Depends resolve there (the t64 library names
# provide the bookworm ones) and the kiosk starts and draws a frame.
# The newest package: the last by name.
last_deb() {
    deb=
    for f in out/deb/kiosk_*_"$arch".deb; do
        if [ -f "$f" ]; then deb=$f; fi
    done
}
last_deb
[ -n "$deb" ] || {
    scripts/make-deb.sh "$arch"
    last_deb
    [ -n "$deb" ] || die "make-deb.sh made no package for $arch"
}
cp "$deb" "$root/tmp/kiosk.deb"
if in_chroot "$root" apt-get install -y -qq --no-install-recommends /tmp/kiosk.deb >"$root.deb.log" 2>&1 &&
    in_chroot "$root" kiosk --version &&
    in_chroot "$root" kiosk --headless --config /usr/share/kiosk/kiosk.ini.example \
        --set storage.path=/tmp/kiosk-test.db --exit-after 0 --screenshot /tmp/kiosk-test.png \
        2>>"$root.deb.log" &&
    [ -s "$root/tmp/kiosk-test.png" ]; then
    echo "PASS $(basename "$deb") installs and draws on trixie"
else
    tail -n 20 "$root.deb.log"
    echo "FAIL $(basename "$deb") on trixie (log: $root.deb.log)"
    status=1
fi
echo "test-trixie: debootstrap/reuse $((t1 - t0)) s, packages $((t2 - t1)) s, build $((t3 - t2)) s," \
    "tests $((t4 - t3)) s, package $(($(date +%s) - t4)) s"
exit "$status"

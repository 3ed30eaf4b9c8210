#!/bin/sh
# build-image.sh: a Raspberry Pi system with the kiosk preinstalled. From a Raspberry Pi OS
# Lite image (loop-mounted, the arm64 package installed by install.sh through chroot and
# qemu-user-static), or offline from Debian's own arm64 packages (debootstrap, cached in out/).
# Usage: sudo scripts/build-image.sh --from raspios-lite.img [--out out/kiosk.img]
#                                    [--deb kiosk_V_arm64.deb] [--config kiosk.ini] [--grow MiB]
#        sudo scripts/build-image.sh --rootfs [--suite bookworm|trixie] [--deb ...]
#        sudo scripts/build-image.sh --test [--suite ...]  (make test-image: --rootfs, then checks)
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
. scripts/chroot-lib.sh
need_root "$@"
private_mounts "$@"

mode='' from='' out=out/kiosk.img deb='' config='' grow=1024 suite=bookworm
while [ $# -gt 0 ]; do
    case $1 in
    --from) mode=image from=${2:?--from needs an image file}; shift 2 ;;
    --out) out=${2:?--out needs a file}; shift 2 ;;
    --deb) deb=${2:?--deb needs a package file}; shift 2 ;;
    --config) config=${2:?--config needs a file}; shift 2 ;;
    --grow) grow=${2:?--grow needs MiB}; shift 2 ;;
    --suite) suite=${2:?--suite needs bookworm or trixie}; shift 2 ;;
    --rootfs) mode=rootfs; shift ;;
    --test) mode='test'; shift ;;
    -h | --help) sed -n '2,9s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
done
[ -n "$mode" ] || die "say --from IMAGE, --rootfs or --test (see --help)"
case $suite in bookworm | trixie) ;; *) die "--suite is bookworm or trixie, not $suite" ;; esac

scripts/deps.sh deploy
[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] ||
    die "arm64 programs cannot run here: qemu-user-static's binfmt entry is missing (update-binfmts --enable qemu-aarch64)"
if [ -z "$deb" ]; then
    for f in out/deb/kiosk_*_arm64.deb; do # the last by name
        if [ -f "$f" ]; then deb=$f; fi
    done
    [ -n "$deb" ] || die "no arm64 package: run make deb (or give --deb FILE)"
fi
deb=$(realpath "$deb")
[ "$(dpkg-deb -f "$deb" Architecture)" = arm64 ] || die "$deb is not an arm64 package"

# ---- From a Raspberry Pi OS Lite image ----------------------------------------------------
# Each partition gets its own loop device at its offset (no partition scanning, which needs
# udev to make /dev/loopNpM); the root partition and its filesystem grow by --grow MiB first,
# room for the kiosk's libraries and CJK fonts.
loops=
detach_all() {
    chroot_umount "$mnt" 2>/dev/null || true
    umount "$mnt/var/cache/apt/archives" 2>/dev/null || true
    umount "$mnt/boot/firmware" 2>/dev/null || true
    umount "$mnt" 2>/dev/null || true
    for l in $loops; do losetup -d "$l" 2>/dev/null || true; done
}
part() { # part IMAGE N: sets start and sectors (512-byte sectors) of partition N
    p=$(partx -g -o START,SECTORS -n "$2" "$1" 2>/dev/null) || p=
    [ -n "$p" ] || die "$1 has no partition $2 (a Raspberry Pi OS image has boot and root)"
    read -r start sectors <<PART
$p
PART
}
if [ "$mode" = image ]; then
    [ -f "$from" ] || die "no such image: $from"
    losetup -f >/dev/null 2>&1 || die "no loop devices here (losetup -f): use --rootfs, or run on a machine with them"
    mkdir -p "$(dirname "$out")"
    case $from in
    *.xz) xz -dc "$from" >"$out.tmp" ;;
    *) cp --sparse=always "$from" "$out.tmp" ;;
    esac
    if [ "$grow" -gt 0 ]; then
        truncate -s +"$grow"M "$out.tmp"
        echo ', +' | sfdisk -q -N 2 "$out.tmp" >/dev/null
    fi
    mnt=$(mktemp -d)
    trap 'detach_all; rmdir "$mnt" 2>/dev/null || true; rm -f "$out.tmp"' EXIT
    part "$out.tmp" 2
    rootdev=$(losetup -f --show -o $((start * 512)) --sizelimit $((sectors * 512)) "$out.tmp")
    loops="$rootdev"
    part "$out.tmp" 1
    bootdev=$(losetup -f --show -o $((start * 512)) --sizelimit $((sectors * 512)) "$out.tmp")
    loops="$loops $bootdev"
    e2fsck -p -f "$rootdev" >/dev/null || [ $? -le 1 ] || die "the image's root filesystem has errors"
    [ "$grow" -gt 0 ] && resize2fs "$rootdev" >/dev/null 2>&1
    mount "$rootdev" "$mnt"
    mkdir -p "$mnt/boot/firmware"
    # A kernel without vfat (some build containers) cannot mount the boot partition: then only
    # what lives there is skipped (consoleblank=0, --config), with a warning.
    if ! mount -t vfat "$bootdev" "$mnt/boot/firmware" 2>/dev/null; then
        [ -z "$config" ] || die "cannot mount the boot partition (vfat) to put $config there"
        echo "build-image: WARNING: boot partition not mounted (no vfat here?):" \
            "consoleblank=0 not added to cmdline.txt" >&2
    fi
    [ -z "${KIOSK_APT_CACHE:-}" ] || mount --bind "$KIOSK_APT_CACHE" "$mnt/var/cache/apt/archives"
    [ "$(chroot "$mnt" dpkg --print-architecture)" = arm64 ] || die "$from is not an arm64 system"
    # Raspberry Pi OS's first boot (userconfig, resize) stays as it is; the kiosk is added.
    scripts/install.sh --root "$mnt" "$deb"
    if [ -n "$config" ]; then
        # Imported into /etc/kiosk by the kiosk's first-boot configuration (docs/deployment.md).
        install -m 0644 "$config" "$mnt/boot/firmware/kiosk.ini"
    fi
    chroot "$mnt" /usr/bin/kiosk --version
    chroot "$mnt" apt-get clean
    detach_all
    loops=
    mv "$out.tmp" "$out"
    echo "build-image: $out ($(du -h --apparent-size "$out" | cut -f1)): flash it with"
    echo "  Raspberry Pi Imager (Use custom) or: xz -T0 $out; then dd / bmaptool to the SD card"
    exit 0
fi

# ---- Offline: a Debian arm64 rootfs -------------------------------------------------------
# A Pi-like Debian (systemd, udev, the groups and tools a Lite image has), made once and kept
# pristine in out/rootfs-arm64-SUITE; each run installs into a fresh copy of it.
base=out/rootfs-arm64-$suite
work=out/image-arm64-$suite
rootfs_ensure "$base" "$suite" arm64 "systemd,systemd-sysv,udev,dbus,adduser,ca-certificates,apt-utils"
has_mounts "$work" && die "$work has mounts left: unmount them first"
rm -rf --one-file-system "$work"
start=$(date +%s)
cp -a "$base" "$work"
echo "build-image: fresh copy of $base in $(($(date +%s) - start)) s"

# apt's downloads are kept across runs (out/apt-cache-arm64-SUITE), so a rerun fetches nothing.
cache_apt() { # cache_apt ROOT
    mkdir -p "out/apt-cache-arm64-$suite/partial" "$1/var/cache/apt/archives"
    mountpoint -q "$1/var/cache/apt/archives" ||
        mount --bind "out/apt-cache-arm64-$suite" "$1/var/cache/apt/archives"
}
trap 'umount "$work/var/cache/apt/archives" 2>/dev/null; chroot_umount "$work"' EXIT
cache_apt "$work"
start=$(date +%s)
scripts/install.sh --root "$work" "$deb"
echo "build-image: install.sh took $(($(date +%s) - start)) s"
[ "$mode" = rootfs ] && { echo "build-image: $work holds the kiosk"; exit 0; }

# ---- The checks (make test-image) ---------------------------------------------------------
passed=0 failed=0
check() { # check NAME COMMAND...
    name=$1
    shift
    if "$@" >"$work.check.log" 2>&1; then
        echo "PASS $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name"
        sed 's/^/    /' "$work.check.log" | tail -n 25
        failed=$((failed + 1))
    fi
}
chroot_mount "$work"
k() { in_chroot "$work" "$@"; }
enabled() { [ -L "$work/etc/systemd/system/multi-user.target.wants/kiosk.service" ]; }
getty_off() { [ ! -e "$work/etc/systemd/system/getty.target.wants/getty@tty1.service" ]; }
journald() { grep -qx 'Storage=volatile' "$work/etc/systemd/journald.conf.d/kiosk.conf"; }
no_other_consoles() {
    grep -qx 'NAutoVTs=0' "$work/etc/systemd/logind.conf.d/kiosk.conf" &&
        grep -qx 'ReserveVT=0' "$work/etc/systemd/logind.conf.d/kiosk.conf" &&
        grep -qx 'kernel.sysrq = 0' "$work/etc/sysctl.d/90-kiosk.conf" &&
        [ "$(readlink "$work/etc/systemd/system/ctrl-alt-del.target")" = /dev/null ]
}
user_groups() {
    for g in video render input audio lp; do
        k id -nG kiosk | tr ' ' '\n' | grep -qx "$g" || { echo "kiosk is not in $g"; return 1; }
    done
}
reinstall_keeps_config() {
    echo '; edited by staff' >>"$work/etc/kiosk/kiosk.ini"
    scripts/install.sh --root "$work" "$deb" &&
        grep -q 'edited by staff' "$work/etc/kiosk/kiosk.ini"
}
version() { k kiosk --version | tee /dev/stderr | grep -qx "kiosk $(dpkg-deb -f "$deb" Version)"; }
headless_frame() {
    k kiosk --headless --config /etc/kiosk/kiosk.ini --set storage.path=/tmp/frame.db \
        --exit-after 0 --screenshot /tmp/frame.png 2>"$work/tmp/frame.log"
    cat "$work/tmp/frame.log"
    [ -s "$work/tmp/frame.png" ] && ! grep -q 'no logo' "$work/tmp/frame.log"
}
# kiosk --self-test against the reference server on this machine (the chroot shares its
# network): config, CJK fonts, storage, backend answer, printer (none), audio and display
# (headless).
self_test() {
    sim=$(mktemp -d)
    python3 scripts/backend-sim --port 0 --port-file "$sim/port" --quiet 2>"$sim/log" &
    simpid=$!
    i=0
    while [ ! -s "$sim/port" ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
    status=0
    k kiosk --self-test --headless --config /etc/kiosk/kiosk.ini \
        --set backend.url="http://127.0.0.1:$(cat "$sim/port")" --set backend.long_poll_s=0 \
        --set storage.path=/tmp/selftest.db || status=$?
    kill "$simpid" 2>/dev/null || true
    wait "$simpid" 2>/dev/null || true
    rm -rf "$sim"
    return "$status"
}

check "kiosk package installed ($(basename "$deb"))" k dpkg-query -W kiosk
check "kiosk --version runs (arm64, qemu)" version
check "kiosk.service enabled" enabled
check "getty@tty1 disabled" getty_off
check "journald Storage=volatile" journald
check "logind NAutoVTs=0 ReserveVT=0, kernel.sysrq = 0, ctrl-alt-del masked" no_other_consoles
check "kiosk user in video render input audio lp" user_groups
check "/etc/kiosk/kiosk.ini written, then kept by a second install.sh" reinstall_keeps_config
check "headless frame from /etc/kiosk/kiosk.ini (logo found)" headless_frame
check "kiosk --self-test --headless" self_test

# The --from path on a stand-in for a Raspberry Pi OS image (no real one can be fetched
# here): the pristine rootfs in an image with a FAT partition 1 and an ext4 partition 2, made
# without loop devices (mkfs at offsets), then build-image.sh --from on it.
from_image() {
    img=out/standin-raspios-$suite.img
    mb=$(($(du -sm "$base" | cut -f1) + 400))
    rm -f "$img"
    truncate -s $((mb + 72))M "$img"
    printf 'label: dos\nstart=8192, size=131072, type=c\nstart=139264, type=83\n' | sfdisk -q "$img"
    mkfs.fat -n bootfs --offset 8192 "$img" 65536 >/dev/null 2>&1
    mke2fs -q -F -t ext4 -L rootfs -d "$base" -E offset=$((139264 * 512)) "$img" "$((mb * 1024))k"
    KIOSK_APT_CACHE=$top/out/apt-cache-arm64-$suite scripts/build-image.sh --from "$img" \
        --out "out/standin-kiosk-$suite.img" --grow 256 --deb "$deb" &&
        rm -f "$img" "out/standin-kiosk-$suite.img"
}
if losetup -f >/dev/null 2>&1 && [ "${KIOSK_TEST_FROM_IMAGE:-yes}" != no ]; then
    check "build-image.sh --from a stand-in Pi OS image (loop devices)" from_image
else
    echo "SKIP build-image.sh --from: no loop devices here"
fi
echo "test-image ($suite arm64): $passed passed, $failed failed"
[ "$failed" -eq 0 ]

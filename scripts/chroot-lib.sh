# shellcheck shell=sh
# chroot-lib.sh: what test-trixie.sh and build-image.sh share (sourced, not run): a Debian
# rootfs made once with debootstrap and kept in out/, and the mounts a chroot needs, made in
# a private mount namespace so that they vanish with the script (make clean removes out/).

# private_mounts "$@": re-runs the calling script in its own mount namespace (once).
private_mounts() {
    [ -n "${KIOSK_PRIVATE_MOUNTS:-}" ] && return 0
    command -v unshare >/dev/null || die "unshare (util-linux) missing"
    KIOSK_PRIVATE_MOUNTS=1 exec unshare --mount --propagation private "$0" "$@"
}

die() {
    echo "$(basename "$0"): $*" >&2
    exit 1
}

need_root() {
    [ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, mount and chroot need it): sudo $0 $*"
}

# True when something is mounted at or below $1.
has_mounts() {
    awk -v p="$(realpath "$1")" '$2 == p || index($2, p "/") == 1 { found = 1 } END { exit !found }' \
        /proc/mounts
}

# rootfs_ensure ROOT SUITE ARCH [PACKAGES]: a minbase rootfs of SUITE for ARCH at ROOT, with
# PACKAGES (comma-separated) included; reused when an earlier run finished it.
rootfs_ensure() {
    root=$1 suite=$2 arch=$3 include=${4:-}
    stamp="$suite $arch $include"
    if [ -f "$root/.kiosk-rootfs" ] && [ "$(cat "$root/.kiosk-rootfs")" = "$stamp" ]; then
        echo "$(basename "$0"): reusing $root ($stamp)"
        return 0
    fi
    has_mounts "$root" && die "$root has mounts left (see /proc/mounts): unmount them first"
    rm -rf --one-file-system "$root"
    mkdir -p "$root"
    echo "$(basename "$0"): debootstrap $suite $arch into $root (once; cached)"
    start=$(date +%s)
    debootstrap --variant=minbase --arch="$arch" ${include:+--include="$include"} \
        --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
        "$suite" "$root" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$root.debootstrap.log" 2>&1 || {
        tail -n 30 "$root.debootstrap.log" >&2
        die "debootstrap $suite $arch failed (log: $root.debootstrap.log)"
    }
    # Services never start inside the chroot.
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
    chmod 0755 "$root/usr/sbin/policy-rc.d"
    echo "$stamp" >"$root/.kiosk-rootfs"
    echo "$(basename "$0"): debootstrap took $(($(date +%s) - start)) s"
}

# chroot_mount ROOT: /proc, /sys, /dev and /dev/pts inside ROOT, and the host's DNS.
# chroot_umount ROOT undoes it (call it from an EXIT trap).
chroot_mount() {
    for m in proc sys dev dev/pts; do
        mountpoint -q "$1/$m" && continue
        mkdir -p "$1/$m"
        case $m in
        proc) mount -t proc proc "$1/proc" ;;
        sys) mount -t sysfs sysfs "$1/sys" ;;
        dev) mount --bind /dev "$1/dev" ;;
        dev/pts) mount --bind /dev/pts "$1/dev/pts" ;;
        esac
    done
    [ -L "$1/etc/resolv.conf" ] || cp /etc/resolv.conf "$1/etc/resolv.conf"
}

chroot_umount() {
    for m in dev/pts dev sys proc; do
        if mountpoint -q "$1/$m" 2>/dev/null; then
            umount "$1/$m" 2>/dev/null || umount -l "$1/$m"
        fi
    done
}

# in_chroot ROOT COMMAND...: COMMAND run inside ROOT with a clean environment.
in_chroot() {
    r=$1
    shift
    chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@"
}

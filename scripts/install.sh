#!/bin/sh
# install.sh: puts the kiosk on a Raspberry Pi OS Lite (or any Debian) system: the package
# (given, or built from this checkout), /etc/kiosk/kiosk.ini from the example when missing,
# kiosk.service enabled, getty@tty1 off, journald in RAM. Idempotent: re-running upgrades.
# Usage: sudo scripts/install.sh [--root DIR] [kiosk_VERSION_ARCH.deb]
#   --root DIR  install into the system image mounted at DIR (through chroot; an arm64 DIR on
#               another machine runs through qemu-user-static) instead of this machine
set -eu

die() {
    echo "install.sh: $*" >&2
    exit 1
}
say() { echo "install.sh: $*"; }

root=/
deb=
while [ $# -gt 0 ]; do
    case $1 in
    --root)
        [ $# -ge 2 ] || die "--root needs a directory"
        root=$2
        shift 2
        ;;
    --root=*)
        root=${1#--root=}
        shift
        ;;
    -h | --help)
        sed -n '2,8s/^# \{0,1\}//p' "$0"
        exit 0
        ;;
    -*) die "unknown option $1 (see --help)" ;;
    *)
        [ -z "$deb" ] || die "one package only (got $deb and $1)"
        deb=$1
        shift
        ;;
    esac
done

[ "$(id -u)" -eq 0 ] || die "must run as root: sudo $0"
root=$(cd "$root" 2>/dev/null && pwd) || die "no such directory: $root"
[ -x "$root/usr/bin/dpkg" ] || die "$root is not a Debian system (no /usr/bin/dpkg)"
[ -z "$deb" ] || [ -f "$deb" ] || die "no such package file: $deb"
[ -z "$deb" ] || deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")

# Another system's root: its own mount namespace, with /proc, /sys and /dev, which vanish with
# this script; then every command below runs inside it.
if [ "$root" != / ]; then
    if [ -z "${KIOSK_INSTALL_NS:-}" ]; then
        if [ -z "$deb" ]; then set --; else set -- "$deb"; fi
        KIOSK_INSTALL_NS=1 exec unshare --mount --propagation private "$0" --root "$root" "$@"
    fi
    for m in proc sys dev; do
        mountpoint -q "$root/$m" && continue
        mkdir -p "$root/$m"
        case $m in
        proc) mount -t proc proc "$root/proc" ;;
        sys) mount -t sysfs sysfs "$root/sys" ;;
        dev) mount --rbind /dev "$root/dev" ;;
        esac
    done
    [ -L "$root/etc/resolv.conf" ] || cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
fi
run() {
    if [ "$root" = / ]; then
        env DEBIAN_FRONTEND=noninteractive "$@"
    else
        chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
            DEBIAN_FRONTEND=noninteractive "$@"
    fi
}
arch=$(run dpkg --print-architecture) || die "cannot run programs in $root (an arm64 system needs qemu-user-static and binfmt-support)"
live=false
[ "$root" = / ] && [ -d /run/systemd/system ] && live=true

# 1. The package: the one given, or one built from this checkout for the target's architecture.
if [ -z "$deb" ]; then
    top=$(cd "$(dirname "$0")/.." && pwd)
    [ -x "$top/scripts/make-deb.sh" ] || die "no package given and no checkout to build one from"
    say "no package given: building one for $arch from $top"
    KIOSK_DEB_LINT=no "$top/scripts/make-deb.sh" "$arch"
    for f in "$top"/out/deb/kiosk_*_"$arch".deb; do # the last by name
        if [ -f "$f" ]; then deb=$f; fi
    done
    [ -n "$deb" ] || die "make-deb.sh made no package for $arch"
fi
deb_arch=$(dpkg-deb -f "$deb" Architecture) || die "$deb is not a Debian package"
[ "$deb_arch" = "$arch" ] || die "$deb is for $deb_arch, the system is $arch"
new=$(dpkg-deb -f "$deb" Version)
old=$(run dpkg-query -W -f='${Status} ${Version}' kiosk 2>/dev/null | sed -n 's/^install ok installed //p')
was_active=false
$live && systemctl is-active --quiet kiosk.service && was_active=true

cp "$deb" "$root/tmp/kiosk-install.deb"
say "installing kiosk $new${old:+ (was $old)}"
# apt resolves the Depends; its package lists are fetched when missing or not enough.
install_deb() {
    run apt-get install -y -q --no-install-recommends --reinstall /tmp/kiosk-install.deb
}
if ! install_deb >"$root/tmp/kiosk-install.log" 2>&1; then
    run apt-get update -q >>"$root/tmp/kiosk-install.log" 2>&1 || true
    install_deb >>"$root/tmp/kiosk-install.log" 2>&1 || {
        tail -n 25 "$root/tmp/kiosk-install.log" >&2
        die "apt could not install $deb (log: $root/tmp/kiosk-install.log)"
    }
fi
rm -f "$root/tmp/kiosk-install.deb"

# 2. The configuration: written once from the example, never overwritten.
conf=$root/etc/kiosk/kiosk.ini
wrote_conf=false
if [ -e "$conf" ]; then
    say "kept /etc/kiosk/kiosk.ini"
else
    mkdir -p "$root/etc/kiosk"
    install -m 0644 "$root/usr/share/kiosk/kiosk.ini.example" "$conf"
    wrote_conf=true
    say "wrote /etc/kiosk/kiosk.ini from /usr/share/kiosk/kiosk.ini.example"
fi

# 3. The service on, the login prompt on tty1 off (the kiosk's screen is tty1).
if $live; then
    systemctl daemon-reload
    systemctl enable --quiet kiosk.service
    systemctl disable --quiet getty@tty1.service 2>/dev/null || true
elif command -v systemctl >/dev/null && systemctl --root="$root" enable --quiet kiosk.service 2>/dev/null; then
    systemctl --root="$root" disable --quiet getty@tty1.service 2>/dev/null || true
else
    # No systemctl here: the symlinks systemctl enable/disable would make or remove.
    mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
    ln -sf /lib/systemd/system/kiosk.service "$root/etc/systemd/system/multi-user.target.wants/kiosk.service"
    rm -f "$root/etc/systemd/system/getty.target.wants/getty@tty1.service"
fi
say "kiosk.service enabled, getty@tty1 disabled"

# 4. journald in RAM: the SD card is spared the log's writes (lost at reboot; the kiosk's
# heartbeat and status reach the backend).
dropin=$root/etc/systemd/journald.conf.d/kiosk.conf
want='# Written by the kiosk installer: the journal in RAM, to spare the SD card.
[Journal]
Storage=volatile
RuntimeMaxUse=64M'
if [ "$(cat "$dropin" 2>/dev/null)" != "$want" ]; then
    mkdir -p "$(dirname "$dropin")"
    printf '%s\n' "$want" >"$dropin"
    say "journald: Storage=volatile ($dropin)"
fi

# 4b. No way off the kiosk's screen from a keyboard (docs/security.md): logind starts no login
# prompt on another console (NAutoVTs=0, ReserveVT=0), should one be switched to, the
# kernel's Alt+SysRq keys (reboot, kill everything on the console) are off (from the next
# boot), and Ctrl+Alt+Del does nothing.
put_file() {
    if [ "$(cat "$1" 2>/dev/null)" != "$2" ]; then
        mkdir -p "$(dirname "$1")"
        printf '%s\n' "$2" >"$1"
        say "$3 ($1)"
    fi
}
put_file "$root/etc/systemd/logind.conf.d/kiosk.conf" '# Written by the kiosk installer: no login prompts on other consoles.
[Login]
NAutoVTs=0
ReserveVT=0' "logind: NAutoVTs=0, ReserveVT=0"
put_file "$root/etc/sysctl.d/90-kiosk.conf" '# Written by the kiosk installer: no Alt+SysRq from a keyboard at the kiosk.
kernel.sysrq = 0' "sysctl: kernel.sysrq = 0"
# Ctrl+Alt+Del reaches systemd while no kiosk holds the keyboard (at boot, during a restart):
# masked, it reboots nothing.
cad=$root/etc/systemd/system/ctrl-alt-del.target
if [ "$(readlink "$cad" 2>/dev/null)" != /dev/null ]; then
    mkdir -p "$(dirname "$cad")"
    ln -sf /dev/null "$cad"
    say "ctrl-alt-del.target masked"
    if $live; then systemctl daemon-reload; fi
fi

# 5. No console blanking on the Pi (the kernel's own blanking of tty1).
cmdline=$root/boot/firmware/cmdline.txt
if [ -f "$cmdline" ] && ! grep -q 'consoleblank=' "$cmdline"; then
    sed -i '1s/$/ consoleblank=0/' "$cmdline"
    say "consoleblank=0 added to /boot/firmware/cmdline.txt"
fi

# 6. A running kiosk gets the new version now; otherwise it starts at the next boot.
if $was_active; then
    systemctl restart kiosk.service
    say "kiosk restarted"
fi

cat <<EOF

The kiosk $new is installed${old:+ (upgraded from $old)}.
EOF
if $wrote_conf; then
    cat <<'EOF'
Next:
  1. Edit /etc/kiosk/kiosk.ini: [device] id, name, role and orientation; [display] the
     hospital and area names; [backend] url (and token_file). Every key:
     /usr/share/doc/kiosk/configuration.md
  2. Put secrets in their own files, readable by the kiosk only:
       install -m 640 -g kiosk /dev/null /etc/kiosk/token   (then write the token into it)
  3. Check it:      kiosk --self-test
  4. Start it:      reboot   (or: systemctl start kiosk; logs: journalctl -u kiosk)
EOF
else
    echo "Configuration kept. Check it with: kiosk --self-test; logs: journalctl -u kiosk"
fi

#!/bin/sh
# make deb: builds the kiosk for each architecture given (default: this machine's and arm64)
# with Debian's hardening flags, stages it as a Debian package and checks it with lintian.
# Usage: scripts/make-deb.sh [ARCH...]   ->  out/deb/kiosk_VERSION_ARCH.deb (and .lintian)
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)

die() {
    echo "make-deb: $*" >&2
    exit 1
}

native=$(dpkg --print-architecture)
[ $# -gt 0 ] || set -- "$native" arm64
# KIOSK_DEB_LINT=no (install.sh building on a Pi): only the build tools, no lintian.
lint=${KIOSK_DEB_LINT:-yes}
scripts/deps.sh build
[ "$lint" = no ] || scripts/deps.sh deploy

# A Debian version that grows with every commit, so installing a newer package upgrades:
# the last tag (or 0.1.0), then the commit count and hash.
if [ -z "${DEB_VERSION:-}" ]; then
    base=$(git describe --tags --abbrev=0 2>/dev/null | sed 's/^v//') || base=
    DEB_VERSION="${base:-0.1.0}+git$(git rev-list --count HEAD 2>/dev/null || echo 0).$(git rev-parse --short HEAD 2>/dev/null || echo 0)"
fi
maintainer=${DEB_MAINTAINER:-"Hospital kiosk maintainers <maintainers@users.noreply.h-seed-27947ff9.example>"}
out=out/deb
mkdir -p "$out"

# The binary for one architecture, built in build/pkg/ARCH with dpkg-buildflags' flags
# (stack protector, fortify, relro, bindnow; PIE is the compiler's default).
build_binary() {
    arch=$1
    build=build/pkg/$arch
    case $arch in
    "$native") cc=cc ar=ar pkgconfig=pkg-config strip=strip ;;
    arm64)
        scripts/deps.sh cross
        cc=aarch64-linux-gnu-gcc ar=aarch64-linux-gnu-ar pkgconfig=aarch64-linux-gnu-pkg-config
        strip=aarch64-linux-gnu-strip
        ;;
    *) die "no cross compiler set up for $arch (this machine is $native; arm64 works)" ;;
    esac
    # shellcheck disable=SC2016 # expanded by the inner sh, in dpkg-architecture's environment
    flags=$(CC=$cc DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-architecture -a "$arch" -c \
        sh -c 'echo "$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CFLAGS)"')
    ldflags=$(CC=$cc DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-architecture -a "$arch" -c \
        dpkg-buildflags --get LDFLAGS)
    echo "make-deb: building $build/kiosk ($arch, $DEB_VERSION)"
    make --no-print-directory BUILD="$build" CC="$cc" AR="$ar" PKG_CONFIG="$pkgconfig" \
        VERSION="$DEB_VERSION" CFLAGS="$flags" LDFLAGS="$ldflags" "$build/kiosk"
}

# Stages and builds the package for one architecture.
build_package() {
    arch=$1
    work=$out/$arch
    root=$work/root
    deb=$out/kiosk_${DEB_VERSION}_$arch.deb
    rm -rf "$work" "$out"/kiosk_*_"$arch".deb "$out"/kiosk_*_"$arch".deb.lintian
    mkdir -p "$root/DEBIAN" "$work/debian"

    install -D -m 0755 "build/pkg/$arch/kiosk" "$root/usr/bin/kiosk"
    "$strip" --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/kiosk"
    install -D -m 0644 assets/logo.png "$root/usr/share/kiosk/logo.png"
    install -D -m 0644 packaging/kiosk.ini "$root/usr/share/kiosk/kiosk.ini.example"
    install -D -m 0644 fonts/README.md "$root/usr/share/kiosk/fonts/README.md"
    install -D -m 0644 packaging/kiosk.1 "$root/usr/share/man/man1/kiosk.1"
    gzip -9n "$root/usr/share/man/man1/kiosk.1"
    install -D -m 0644 kiosk.service "$root/lib/systemd/system/kiosk.service"

    doc=$root/usr/share/doc/kiosk
    install -D -m 0644 README.md "$doc/README.md"
    for f in docs/*.md docs/kiosk-api-v1.schema.json; do
        install -m 0644 "$f" "$doc/"
    done
    install -m 0644 packaging/copyright "$doc/copyright"
    install -D -m 0644 packaging/kiosk.ini "$doc/examples/kiosk.ini"
    {
        echo "kiosk ($DEB_VERSION) unstable; urgency=medium"
        echo
        echo "  * Built from commit $(git rev-parse HEAD 2>/dev/null || echo unknown)."
        echo
        echo " -- $maintainer  $(date -R -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")"
    } | gzip -9n >"$doc/changelog.gz"
    chmod 0644 "$doc/changelog.gz"

    # Depends: the shared libraries the binary links, as dpkg-shlibdeps finds them from the
    # installed packages of that architecture; then what it opens at run time.
    printf 'Source: kiosk\n\nPackage: kiosk\nArchitecture: any\n' >"$work/debian/control"
    shlibs=$(cd "$work" && CC=$cc dpkg-architecture -a "$arch" -c dpkg-shlibdeps -O -e root/usr/bin/kiosk 2>/dev/null |
        sed -n 's/^shlibs:Depends=//p')
    [ -n "$shlibs" ] || die "dpkg-shlibdeps found no libraries for $arch"
    rm -rf "$work/debian"

    for s in postinst prerm postrm; do
        install -m 0755 "packaging/$s" "$root/DEBIAN/$s"
    done
    size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
    cat >"$root/DEBIAN/control" <<EOF
Package: kiosk
Version: $DEB_VERSION
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $size
Depends: $shlibs, adduser, fonts-noto-cjk, espeak-ng-data, fontconfig, ca-certificates
Recommends: systemd
Section: misc
Priority: optional
Homepage: https://queue.hospital.example/kiosk
Description: hospital queue call screen and self-service kiosk
 A full-screen call screen for hospital waiting areas on SDL2 (KMSDRM on a
 Raspberry Pi console, no desktop): the number called and the room, recent
 and next calls, spoken announcements in Mandarin and English, signed QR
 codes for surveys and results. Configured as a kiosk it is the entrance
 touch screen: tickets on an ESC/POS printer, check-in, ratings.
 .
 The service (kiosk.service) is installed but not enabled: scripts/install.sh
 or "systemctl enable --now kiosk" after writing /etc/kiosk/kiosk.ini from
 /usr/share/kiosk/kiosk.ini.example.
EOF
    (cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z |
        xargs -0 md5sum) >"$root/DEBIAN/md5sums"
    chmod 0644 "$root/DEBIAN/md5sums" "$root/DEBIAN/control"

    dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
    echo "make-deb: $deb ($(du -k "$deb" | cut -f1) KiB)"
    echo "  Depends: $(dpkg-deb -f "$deb" Depends)"
    [ "$lint" = no ] && return 0
    # lintian exits non-zero on errors only (--fail-on error); warnings are printed.
    lintian --fail-on error --tag-display-limit 0 "$deb" 2>&1 |
        grep -v 'running with root privileges' >"$deb.lintian" || true
    grep -q '^E:' "$deb.lintian" && {
        cat "$deb.lintian"
        die "lintian found errors in $deb"
    }
    echo "  lintian: $(grep -c '^E:' "$deb.lintian") errors, $(grep -c '^W:' "$deb.lintian") warnings" \
        "($top/$deb.lintian)"
    sed 's/^/    /' "$deb.lintian"
}

for arch in "$@"; do
    build_binary "$arch"
    build_package "$arch"
done

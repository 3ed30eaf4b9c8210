#!/bin/sh
# make deb: builds the kiosk and kiosk-hub for each architecture given (default: this machine's
# and arm64) with Debian's hardening flags, stages each as a Debian package, checks it with lintian.
# Usage: scripts/make-deb.sh [ARCH...]   ->  out/deb/kiosk_VERSION_ARCH.deb,
#                                            out/deb/kiosk-hub_VERSION_ARCH.deb (and .lintian)
# DEB_PACKAGES="kiosk" (or "kiosk-hub") builds only that one.
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
packages=${DEB_PACKAGES:-kiosk kiosk-hub}
for p in $packages; do
    case $p in
    kiosk | kiosk-hub) ;;
    *) die "DEB_PACKAGES: no package $p (kiosk, kiosk-hub)" ;;
    esac
done
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

# The binaries for one architecture (kiosk, kiosk-hub: $packages), built in build/pkg/ARCH
# with dpkg-buildflags' flags (stack protector, fortify, relro, bindnow; PIE is the compiler's
# default).
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
    targets=
    for p in $packages; do targets="$targets $build/$p"; done
    echo "make-deb: building$targets ($arch, $DEB_VERSION)"
    # shellcheck disable=SC2086 # one word per target, none with a space
    make --no-print-directory BUILD="$build" CC="$cc" AR="$ar" PKG_CONFIG="$pkgconfig" \
        VERSION="$DEB_VERSION" CFLAGS="$flags" LDFLAGS="$ldflags" $targets
}

# What both packages do the same way: the changelog, the Depends of a binary, then md5sums,
# dpkg-deb and lintian.

# changelog PACKAGE DOCDIR: a changelog naming the commit built.
changelog() {
    {
        echo "$1 ($DEB_VERSION) unstable; urgency=medium"
        echo
        echo "  * Built from commit $(git rev-parse HEAD 2>/dev/null || echo unknown)."
        echo
        echo " -- $maintainer  $(date -R -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")"
    } | gzip -9n >"$2/changelog.gz"
    chmod 0644 "$2/changelog.gz"
}

# shlibs PACKAGE WORK BINARY: the shared libraries BINARY (a path under WORK) links, as
# dpkg-shlibdeps finds them from the installed packages of $arch.
shlibs() {
    mkdir -p "$2/debian"
    printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$1" "$1" >"$2/debian/control"
    found=$(cd "$2" && CC=$cc dpkg-architecture -a "$arch" -c dpkg-shlibdeps -O -e "$3" 2>/dev/null |
        sed -n 's/^shlibs:Depends=//p')
    rm -rf "$2/debian"
    [ -n "$found" ] || die "dpkg-shlibdeps found no libraries for $1 on $arch"
    echo "$found"
}

# finish ROOT DEB: md5sums, the package, and lintian's verdict on it.
finish() {
    (cd "$1" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z |
        xargs -0 md5sum) >"$1/DEBIAN/md5sums"
    chmod 0644 "$1/DEBIAN/md5sums" "$1/DEBIAN/control"

    dpkg-deb --root-owner-group -Zxz --build "$1" "$2" >/dev/null
    echo "make-deb: $2 ($(du -k "$2" | cut -f1) KiB)"
    echo "  Depends: $(dpkg-deb -f "$2" Depends)"
    [ "$lint" = no ] && return 0
    # lintian exits non-zero on errors only (--fail-on error); warnings are printed.
    lintian --fail-on error --tag-display-limit 0 "$2" 2>&1 |
        grep -v 'running with root privileges' >"$2.lintian" || true
    grep -q '^E:' "$2.lintian" && {
        cat "$2.lintian"
        die "lintian found errors in $2"
    }
    echo "  lintian: $(grep -c '^E:' "$2.lintian") errors, $(grep -c '^W:' "$2.lintian") warnings" \
        "($top/$2.lintian)"
    sed 's/^/    /' "$2.lintian"
}

# Stages and builds the kiosk's package for one architecture.
build_kiosk_package() {
    arch=$1
    work=$out/$arch
    root=$work/root
    deb=$out/kiosk_${DEB_VERSION}_$arch.deb
    rm -rf "$work" "$out"/kiosk_*_"$arch".deb "$out"/kiosk_*_"$arch".deb.lintian
    mkdir -p "$root/DEBIAN"

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
    changelog kiosk "$doc"

    # Depends: the shared libraries the binary links; then what it opens at run time.
    libs=$(shlibs kiosk "$work" root/usr/bin/kiosk)

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
Depends: $libs, adduser, fonts-noto-cjk, espeak-ng-data, fontconfig, ca-certificates
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
    finish "$root" "$deb"
}

# Stages and builds kiosk-hub's package for one architecture: no SDL, no fonts, no sound.
build_hub_package() {
    arch=$1
    work=$out/kiosk-hub-$arch
    root=$work/root
    deb=$out/kiosk-hub_${DEB_VERSION}_$arch.deb
    rm -rf "$work" "$out"/kiosk-hub_*_"$arch".deb "$out"/kiosk-hub_*_"$arch".deb.lintian
    mkdir -p "$root/DEBIAN"

    install -D -m 0755 "build/pkg/$arch/kiosk-hub" "$root/usr/bin/kiosk-hub"
    "$strip" --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/kiosk-hub"
    install -D -m 0644 packaging/kiosk-hub/kiosk-hub.1 "$root/usr/share/man/man1/kiosk-hub.1"
    gzip -9n "$root/usr/share/man/man1/kiosk-hub.1"
    install -D -m 0644 kiosk-hub.service "$root/lib/systemd/system/kiosk-hub.service"
    # The configuration is a conffile: an upgrade keeps the site's edits (dpkg asks when the
    # example changed too). No secrets in it: those are files of their own beside it.
    install -D -m 0644 packaging/kiosk-hub/hub.ini "$root/etc/kiosk/hub.ini"
    echo /etc/kiosk/hub.ini >"$root/DEBIAN/conffiles"
    chmod 0644 "$root/DEBIAN/conffiles"

    doc=$root/usr/share/doc/kiosk-hub
    mkdir -p "$doc"
    for f in docs/hub.md docs/hub-configuration.md docs/backend-api.md \
        docs/kiosk-api-v1.schema.json docs/tokens.md docs/openmrs.md docs/novosga.md \
        docs/staff.md; do
        install -m 0644 "$f" "$doc/"
    done
    install -m 0644 packaging/copyright "$doc/copyright"
    install -D -m 0644 packaging/kiosk-hub/hub.ini "$doc/examples/hub.ini"
    changelog kiosk-hub "$doc"

    # Depends: the shared libraries (never SDL: the hub runs on servers without a display);
    # then the CA store for an https upstream, and adduser for postinst.
    libs=$(shlibs kiosk-hub "$work" root/usr/bin/kiosk-hub)
    case $libs in
    *sdl* | *SDL*) die "kiosk-hub would depend on SDL: $libs" ;;
    esac

    for s in postinst prerm postrm; do
        install -m 0755 "packaging/kiosk-hub/$s" "$root/DEBIAN/$s"
    done
    size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
    cat >"$root/DEBIAN/control" <<EOF
Package: kiosk-hub
Version: $DEB_VERSION
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $size
Depends: $libs, adduser, ca-certificates
Recommends: systemd
Suggests: nginx | caddy
Section: web
Priority: optional
Homepage: https://queue.hospital.example/kiosk
Description: hospital queue hub: patients' phone pages, one upstream for all kiosks
 The service behind the QR codes on the hospital queue kiosk's tickets and call
 screens: a patient's phone follows the queue live, sees the room when called,
 rates the visit and can send a complaint. Call screens and kiosks use its
 kiosk API v1, answered from one connection to the hospital's scheduling
 system, and ratings from phones and kiosks meet in its database. No display,
 no SDL: it runs on a server, behind the hospital's reverse proxy.
 .
 The service (kiosk-hub.service) is installed but not enabled: edit
 /etc/kiosk/hub.ini (its upstream is a demo clinic until then), then
 "systemctl enable --now kiosk-hub". Guide: /usr/share/doc/kiosk-hub/hub.md.
EOF
    finish "$root" "$deb"
}

for arch in "$@"; do
    build_binary "$arch"
    for p in $packages; do
        case $p in
        kiosk) build_kiosk_package "$arch" ;;
        kiosk-hub) build_hub_package "$arch" ;;
        esac
    done
done

# shellcheck shell=bash
# Sourced (after prerequisites.sh) by scripts/build-tiny-image.sh, scripts/test.sh and scripts/test-tiny-image.sh:
# builds Freehold's tiny test image, a `kernel+initrd` image that boots in seconds under software emulation and
# shows on its serial console that it read its NoCloud seed (scripts/lib/tiny-image-init.sh is its /init).
# Everything comes from Debian's packages: the kernel and its modules from linux-image-<abi>-amd64 (downloaded,
# never installed on this machine), the userland from busybox-static. See docs/tiny-image.md.

TINY_IMAGE_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# What /init needs the kernel to have: the virtio PCI transport and disk (the seed is a virtio disk), ISO 9660
# (the seed's file system), and the ACPI power button with the evdev devices busybox acpid reads it from, for
# `virsh shutdown`. Dependencies are found from the modules themselves; built-in ones are skipped.
TINY_IMAGE_MODULES=(virtio_pci virtio_blk isofs button evdev)
# The Debian metapackage whose candidate names the kernel package (linux-image-6.1.0-<abi>-amd64 on bookworm).
TINY_IMAGE_KERNEL_META=linux-image-amd64

# Prints "<kernel package> <version>": the one the metapackage's candidate depends on, so that every machine
# with the same package lists builds from the same kernel. One apt-cache call (~0.7 s here, no binary cache):
# Debian's metapackage pins the exact version it depends on.
tiny_image_kernel_package() {
    local show package version
    if ! show="$(apt-cache show --no-all-versions "$TINY_IMAGE_KERNEL_META" 2>/dev/null)"; then
        is_root || die "the package lists do not know $TINY_IMAGE_KERNEL_META; as root run: apt-get update"
        say "apt-get update (the package lists do not know $TINY_IMAGE_KERNEL_META yet)"
        apt-get update -qq
        show="$(apt-cache show --no-all-versions "$TINY_IMAGE_KERNEL_META")"
    fi
    package="$(sed -n 's/^Depends: .*\(linux-image-[0-9][^ ,]*-amd64\).*/\1/p' <<<"$show" | head -n 1)"
    [ -n "$package" ] || die "$TINY_IMAGE_KERNEL_META depends on no linux-image-*-amd64 package"
    version="$(sed -n "s/^Depends: .*$package (= \([^)]*\)).*/\1/p" <<<"$show" | head -n 1)"
    if [ -z "$version" ]; then
        version="$(apt-cache policy "$package" | sed -n 's/^ *Candidate: //p')"
    fi
    case "$version" in
        "" | "(none)") die "no candidate version of $package" ;;
    esac
    echo "$package $version"
}

# Downloads one exact package version into the current directory. A download from stale lists (the mirror has
# moved on) is retried once after refreshing them, like install_packages does.
tiny_image_download() {
    local package="$1" version="$2"
    apt-get download -q "$package=$version" >download.log 2>&1 && return 0
    is_root || die "apt-get download $package=$version failed: $(cat download.log)"
    say "download of $package=$version failed, refreshing the package lists once and retrying"
    apt-get update -qq
    apt-get download -q "$package=$version" >download.log 2>&1 || die "apt-get download $package=$version failed: $(cat download.log)"
}

# Prints the modules to load, as paths under lib/modules/<release>/, dependencies before the modules that need
# them (busybox's insmod resolves nothing itself). $1 is lib/modules/<release> of the extracted kernel package.
tiny_image_module_order() {
    local tree="$1"
    shift
    local -A seen=()
    local order=()
    tiny_image_visit_module() {
        # Kernel module names treat - and _ alike; depends= lists use _, some file names use -.
        local name="${1//-/_}" pattern file dep
        [ -n "${seen[$name]:-}" ] && return 0
        seen[$name]=1
        pattern="${name//_/[-_]}.ko"
        if grep -qE "(^|/)${pattern//./\\.}$" "$tree/modules.builtin"; then
            return 0
        fi
        file="$(cd "$tree" && find kernel -name "$pattern" | head -n 1)"
        [ -n "$file" ] || die "kernel module $name is neither built in nor in the kernel package"
        # By path: a shell without sbin on its PATH (su without -) must find it too.
        for dep in $(/sbin/modinfo -F depends "$tree/$file" | tr ',' ' '); do
            tiny_image_visit_module "$dep"
        done
        order+=("$file")
    }
    local module
    for module in "$@"; do
        tiny_image_visit_module "$module"
    done
    unset -f tiny_image_visit_module
    printf '%s\n' "${order[@]}"
}

# What an image in $1 was built from. The builder itself is part of it: a change to the module list or to the
# initramfs layout must rebuild as surely as a new kernel does.
tiny_image_recipe() {
    echo "kernel-package: $1"
    echo "busybox-static: $(dpkg-query -W -f='${Version}' busybox-static)"
    echo "init-sha256: $(sha256sum <"$TINY_IMAGE_LIB/tiny-image-init.sh" | cut -d' ' -f1)"
    echo "builder-sha256: $(sha256sum <"$TINY_IMAGE_LIB/tiny-image.sh" | cut -d' ' -f1)"
}

# build_tiny_image <out-dir>: makes <out-dir>/vmlinuz, <out-dir>/initrd.img and <out-dir>/SHA256SUMS, with
# <out-dir>/recipe saying what they were built from. Idempotent: when the recipe matches and the files match
# their sums it only checks (well under a second); otherwise it builds (~15 s, a 70 MB download). Concurrent
# callers on one machine take turns (a lock in <out-dir>), and the files are replaced by renames with the recipe
# last, so an interrupted build is redone by the next call. Runs in a subshell: its traps are its own.
build_tiny_image() (
    set -euo pipefail
    # File modes go into the archive: the caller's umask must not change the bytes (or keep QEMU out).
    umask 022
    local out="${1:?build_tiny_image needs an output directory}"
    install_packages busybox-static kmod cpio
    mkdir -p "$out"
    out="$(cd "$out" && pwd)"
    # libvirt-qemu, which QEMU runs as under qemu:///system, must be able to read the image.
    chmod 0755 "$out"
    exec {lock}>"$out/.lock"
    flock -x "$lock"

    local kernel recipe
    kernel="$(tiny_image_kernel_package)"
    recipe="$(tiny_image_recipe "$kernel")"
    if [ -f "$out/recipe" ] && [ "$(cat "$out/recipe")" = "$recipe" ] &&
        (cd "$out" && sha256sum --quiet -c SHA256SUMS) >/dev/null 2>&1; then
        exit 0
    fi

    say "building the tiny test image in $out from ${kernel/ /=} and busybox-static"
    # Left by a build that was killed before its trap ran; the lock says no build is using them now.
    rm -rf "$out"/.build.*
    local work
    work="$(mktemp -d "$out/.build.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    cd "$work"
    tiny_image_download "${kernel% *}" "${kernel#* }"
    dpkg-deb -x ./*.deb kernel

    local release tree
    release="$(ls kernel/lib/modules)"
    [ "$(wc -w <<<"$release")" -eq 1 ] || die "expected one kernel release in ${kernel/ /=}, found: $release"
    tree="kernel/lib/modules/$release"

    local root=initramfs applet module
    mkdir -p "$root"/{bin,dev,etc,proc,sys,run,tmp,mnt} "$root/lib/modules/$release"
    ln -s bin "$root/sbin"
    cp /bin/busybox "$root/bin/busybox"
    for applet in $(/bin/busybox --list); do
        [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
    done
    install -m 0755 "$TINY_IMAGE_LIB/tiny-image-init.sh" "$root/init"
    tiny_image_module_order "$tree" "${TINY_IMAGE_MODULES[@]}" >modules.order
    while read -r module; do
        install -D -m 0644 "$tree/$module" "$root/lib/modules/$release/$module"
        echo "/lib/modules/$release/$module" >>"$root/lib/modules/load-order"
    done <modules.order

    # Sorted names, one owner, one time stamp and no name or time in the gzip header: the same packages give
    # the same bytes on every machine, so the sums mean something across machines.
    find "$root" -exec touch -h -d @0 {} +
    (cd "$root" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -n -9 >initrd.img
    cp "kernel/boot/vmlinuz-$release" vmlinuz
    chmod 0644 initrd.img vmlinuz
    sha256sum vmlinuz initrd.img >SHA256SUMS
    echo "$recipe" >recipe
    chmod 0644 SHA256SUMS recipe

    rm -f "$out/recipe"
    mv -f vmlinuz initrd.img SHA256SUMS "$out/"
    mv -f recipe "$out/recipe"
    say "tiny test image: kernel $release, modules $(sed 's|.*/||; s|\.ko$||' modules.order | paste -sd' ')"
)

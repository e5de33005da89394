#!/usr/bin/env bash
# Builds Freehold's tiny test image (Debian's kernel, busybox-static and an /init that prints what it read from
# its NoCloud seed; docs/tiny-image.md) into a directory QEMU can read under qemu:///system, and says where it is.
# Usage: scripts/build-tiny-image.sh [out-dir]   (default /var/lib/freehold/tiny-image)
# Does nothing but check when the image there is up to date.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/prerequisites.sh
source "$ROOT/scripts/lib/prerequisites.sh"
# shellcheck source=scripts/lib/tiny-image.sh
source "$ROOT/scripts/lib/tiny-image.sh"

OUT="${1:-/var/lib/freehold/tiny-image}"
build_tiny_image "$OUT"
OUT="$(cd "$OUT" && pwd)"
echo "kernel: $OUT/vmlinuz"
echo "initrd: $OUT/initrd.img"
echo "kernel command line: console=ttyS0"
echo "SHA-256:"
sed 's/^/  /' "$OUT/SHA256SUMS"

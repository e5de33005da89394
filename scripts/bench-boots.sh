#!/usr/bin/env bash
# The boot benchmark (docs/performance.md, "Boots"): the packaged control plane in all-in-one mode, its local agent on
# libvirt's system daemon (QEMU; software emulation without KVM), the project's tiny image uploaded through the API,
# then boots one at a time, each timed from the API call to RUNNING and to the guest's console line:
#   scripts/bench-boots.sh [--boots=10] ...   (--help lists all)
# Run as root: installs and starts libvirtd without systemd when it is not running (and stops it again afterwards
# only then), builds the tiny image and the jars when they are missing. Exits 0 when every boot reached its line.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/prerequisites.sh
source "$ROOT/scripts/lib/prerequisites.sh"
# shellcheck source=scripts/lib/system-libvirt.sh
source "$ROOT/scripts/lib/system-libvirt.sh"
# shellcheck source=scripts/lib/tiny-image.sh
source "$ROOT/scripts/lib/tiny-image.sh"

if ! is_root; then
    echo "run as root: guests run under the system libvirt daemon" >&2
    exit 2
fi
ensure_jdk17
trap stop_system_libvirt EXIT
start_system_libvirt
TINY_IMAGE_DIR=/var/lib/freehold/tiny-image
build_tiny_image "$TINY_IMAGE_DIR"
if [ ! -f "$ROOT/control-plane/target/freehold-control-plane.jar" ] || [ ! -f "$ROOT/agent/target/freehold-agent.jar" ] \
        || [ ! -f "$ROOT/bench/target/freehold-bench.jar" ]; then
    ensure_maven
    (cd "$ROOT" && mvn -B -q -DskipTests package -pl api-spec,agent,control-plane,bench)
fi
cd "$ROOT"
java ${BENCH_JAVA_OPTS:-} -cp "$ROOT/bench/target/freehold-bench.jar" io.freehold.bench.BootBenchmark \
    --tiny-image-dir="$TINY_IMAGE_DIR" "$@"

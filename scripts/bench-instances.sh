#!/usr/bin/env bash
# The instance-create benchmark (docs/performance.md, "Instance creates end to end"): the packaged control plane with
# its embedded PostgreSQL (fsync on), N simulated hosts that join and connect over mutual TLS and carry out their
# commands with the agent's CommandRunner on libvirt's test driver, and clients creating instances through the API
# until they are RUNNING:
#   scripts/bench-instances.sh [--hosts=100] [--in-flight=200] [--rate=0] [--window-seconds=60] ...   (--help lists all)
# Installs (as root) or names what the hosts need: libvirt's library (libvirt0) and qemu-img (qemu-utils). Builds the
# jars first when they are missing (`mvn -B -DskipTests package`). Run it from anywhere; it exits 0 when every create
# ended RUNNING exactly once.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/prerequisites.sh
source "$ROOT/scripts/lib/prerequisites.sh"

install_packages libvirt0 qemu-utils
ensure_jdk17
if [ ! -f "$ROOT/control-plane/target/freehold-control-plane.jar" ] || [ ! -f "$ROOT/bench/target/freehold-bench.jar" ]; then
    ensure_maven
    (cd "$ROOT" && mvn -B -q -DskipTests package -pl api-spec,agent,control-plane,bench)
fi
cd "$ROOT"
# The agents' own log lines (two per command carried out) would bury the figures; their warnings still show.
exec java ${BENCH_JAVA_OPTS:-} -DFREEHOLD_AGENT_LOG_LEVEL=WARN -cp "$ROOT/bench/target/freehold-bench.jar" \
    io.freehold.bench.InstanceCreateBenchmark "$@"

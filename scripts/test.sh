#!/usr/bin/env bash
# README line 2 and the only step of CI (.ci/run): runs every test of the repository with `mvn -B
# verify` — unit tests, API tests on embedded PostgreSQL, the migration and backup/restore tests on
# Debian's PostgreSQL 15 (the oldest server Freehold supports), the process-level integration
# tests on the packaged jar and the end-to-end tests of e2e/ (real processes, network namespaces, libvirt's
# system daemon with QEMU, processes killed at named fault points).
# Installs (as root) and starts what the tests need, idempotently, and stops it again however the
# run ends. Extra arguments go to Maven (e.g. -Dit.test=AllInOneRestartIT).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/prerequisites.sh
source "$ROOT/scripts/lib/prerequisites.sh"
# shellcheck source=scripts/lib/system-libvirt.sh
source "$ROOT/scripts/lib/system-libvirt.sh"
# shellcheck source=scripts/lib/tiny-image.sh
source "$ROOT/scripts/lib/tiny-image.sh"

PG_BIN=/usr/lib/postgresql/15/bin
PG_BASE=/var/tmp/freehold-pg15
# The first port tried; the next free one is taken when it is busy (another run, another server).
PG_FIRST_PORT="${FREEHOLD_TEST_PG_PORT:-55432}"
# One directory per run, named after this script's pid, so concurrent runs (other worktrees on the
# same machine) never share a cluster and a later run can tell a dead run's leftovers from a live one.
CLUSTER="$PG_BASE/run-$$"

# initdb refuses to run as root, so as root the cluster belongs to the postgres user that Debian's
# package creates; anyone else runs it as themselves. `cd /` because the postgres user may not be
# allowed into the caller's working directory.
as_cluster_owner() {
    if is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

stop_cluster() {
    local dir="$1"
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_cluster_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -t 30 -w stop >/dev/null 2>&1 ||
            as_cluster_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

# Clusters of earlier runs that died before their trap could run (kill -9, a lost terminal): their
# owner's pid is gone, so nobody uses them any more.
sweep_stale_clusters() {
    local dir owner
    for dir in "$PG_BASE"/run-*; do
        [ -d "$dir" ] || continue
        owner="${dir##*/run-}"
        [ -d "/proc/$owner" ] && continue
        say "removing the leftover test cluster $dir"
        stop_cluster "$dir"
    done
}

start_cluster() {
    local port
    # Sticky and world-writable like /tmp, so root's and other users' runs can share the parent.
    [ -d "$PG_BASE" ] || install -d -m 1777 "$PG_BASE"
    sweep_stale_clusters
    rm -rf "$CLUSTER"
    mkdir -m 0700 "$CLUSTER"
    is_root && chown postgres: "$CLUSTER"
    # Trust on a loopback-only, private-port server that lives as long as this run; --no-sync and
    # fsync=off because a throwaway cluster needs no durability and CI machines have slow disks.
    as_cluster_owner "$PG_BIN/initdb" -D "$CLUSTER/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
        >"$CLUSTER/initdb.log" 2>&1 || die "initdb failed: $(cat "$CLUSTER/initdb.log")"
    for port in $(seq "$PG_FIRST_PORT" $((PG_FIRST_PORT + 20))); do
        port_in_use "$port" && continue
        # -w waits until the server accepts connections; a lost race for the port just tries the next.
        if as_cluster_owner "$PG_BIN/pg_ctl" -D "$CLUSTER/data" -l "$CLUSTER/server.log" -w -t 60 \
            -o "-p $port -k $CLUSTER -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
            PG_PORT="$port"
            return 0
        fi
    done
    die "could not start PostgreSQL 15 on any port from $PG_FIRST_PORT; see $CLUSTER/server.log"
}

finish() {
    local status=$?
    stop_cluster "$CLUSTER"
    stop_system_libvirt
    say "scripts/test.sh $([ "$status" -eq 0 ] && echo passed || echo FAILED) in $((SECONDS - STARTED)) s"
    exit "$status"
}

STARTED=$SECONDS
ensure_jdk17
ensure_maven
# Debian's server package; the tests use its binaries (initdb, pg_ctl, pg_dump, pg_restore) directly.
if [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_dump" ]; then
    install_packages postgresql
fi
# e2e/: network namespaces (iproute2), the relay that lets the test reach a namespace (socat) and
# libvirt's library for the agent's simulated hypervisor (libvirt0), and libvirt's schema validator
# with the xmllint it runs (libvirt-clients, libxml2-utils) for the agent's domain XML tests.
# qemu-img (qemu-utils) creates and grows the qcow2 root disks in the agent's guest tests; isoinfo
# (genisoimage) reads back the cloud-init seed images the agent writes.
# Namespaces need root anyway; without root those tests say what is missing and are skipped (they
# fail under CI=true).
if is_root; then
    install_packages iproute2 libvirt0 qemu-utils socat libvirt-clients libxml2-utils genisoimage
fi

# Turn signals into an ordinary exit, so the EXIT trap stops the cluster on Ctrl-C and kill too.
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
start_cluster
say "PostgreSQL 15 test cluster on 127.0.0.1:$PG_PORT (data in $CLUSTER)"
# The real libvirt daemon and QEMU, for the tests whose guests must outlive the agent that made them (killed
# agents) or must really run. Without root those tests say why and are skipped (they fail under CI=true).
# Guests that really boot run the tiny test image (docs/tiny-image.md), built once per machine and kernel version
# (~15 s) and only checked (~1 s) after that. One directory for all runs and worktrees: the build is reproducible
# and concurrent builds take turns.
TINY_IMAGE_DIR=/var/lib/freehold/tiny-image
if is_root; then
    start_system_libvirt
    build_tiny_image "$TINY_IMAGE_DIR"
    # Read by the tests that boot a guest: vmlinuz and initrd.img are in it, the kernel command line is console=ttyS0.
    export FREEHOLD_TEST_TINY_IMAGE_DIR="$TINY_IMAGE_DIR"
fi

# Read by Postgres15MigrationTest and BackupRestoreTest; without it they fail when CI=true and are
# skipped otherwise.
export FREEHOLD_TEST_PG15="postgresql://postgres@127.0.0.1:$PG_PORT"
export FREEHOLD_TEST_PG15_BIN="$PG_BIN"

cd "$ROOT"
mvn -B verify "$@"

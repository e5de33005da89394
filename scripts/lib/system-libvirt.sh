# shellcheck shell=bash
# Sourced by scripts/test.sh (after prerequisites.sh): libvirt's system daemon, qemu:///system, for the tests
# that need real guests (the agent's GuestsOnQemuTest, e2e's AgentFaultIT and InvalidDefinitionIT). Only root
# may run it. Without systemd nothing starts it: virtlogd first (it writes the guests' console logs), then
# libvirtd. Several runs may share one machine and therefore one daemon: each holds a shared lock for as long
# as it runs, and the last one out stops what any of them started; a daemon someone else started is never
# stopped.

SYSTEM_LIBVIRT_URI=qemu:///system
SYSTEM_LIBVIRT_STATE=/run/freehold-test-libvirt
# How long the daemon may take to answer: its first start probes QEMU's capabilities (~12 s measured).
SYSTEM_LIBVIRT_START_LIMIT=90

system_libvirt_answers() {
    virsh -c "$SYSTEM_LIBVIRT_URI" version >/dev/null 2>&1
}

# Without udev, /dev/kvm stays root's alone (0600). libvirt probes QEMU's capabilities with a helper that can
# open it, then checks whether the user QEMU runs as (libvirt-qemu) could; the two disagree, so libvirt
# distrusts its capability cache and probes QEMU again on every lookup — 4 s each, several per define (each
# define took 50–80 s on a loaded machine). The group and mode udev gives the device on Debian (root:kvm,
# 0660; libvirt-qemu is in kvm) make them agree. Whether guests use KVM is not decided here: the agent detects
# KVM itself, and on these machines says no (docs/agent.md, "KVM detection").
let_qemu_user_open_kvm() {
    [ -c /dev/kvm ] || return 0
    getent group kvm >/dev/null || return 0
    runuser -u libvirt-qemu -- test -r /dev/kvm -a -w /dev/kvm 2>/dev/null && return 0
    say "giving /dev/kvm the group and mode udev would (root:kvm 0660), so libvirt keeps its QEMU capability cache"
    chgrp kvm /dev/kvm
    chmod 0660 /dev/kvm
}

# Records a daemon this run started, by pid, for whichever run ends last.
remember_started() {
    local name="$1" pidfile="$2"
    [ -s "$pidfile" ] || die "$name started but wrote no $pidfile"
    cp "$pidfile" "$SYSTEM_LIBVIRT_STATE/$name.pid"
}

# Every Freehold guest plugs into libvirt's network "default". The packaged one is NAT with an address on the
# host (192.168.122.1); the tests need no traffic to leave the guest, and the machines they run on allow none
# beyond loopback, so an isolated bridge without any address runs in its place, as a transient definition
# that leaves the packaged one as it was (same UUID, when it exists).
start_isolated_default_network() {
    local info uuid xml
    # Read whole, not piped into grep -q: under pipefail, virsh killed by SIGPIPE would read as "not active".
    info="$(virsh -c "$SYSTEM_LIBVIRT_URI" net-info default 2>/dev/null || true)"
    [[ "$info" =~ (^|$'\n')Active:[[:space:]]+yes ]] && return 0
    uuid="$(virsh -c "$SYSTEM_LIBVIRT_URI" net-uuid default 2>/dev/null || true)"
    xml="$SYSTEM_LIBVIRT_STATE/default-network.xml"
    {
        echo "<network>"
        echo "  <name>default</name>"
        [ -n "$uuid" ] && echo "  <uuid>$uuid</uuid>"
        echo "  <bridge name='virbr0' stp='off' delay='0'/>"
        echo "</network>"
    } >"$xml"
    virsh -c "$SYSTEM_LIBVIRT_URI" net-create "$xml" >/dev/null || die "could not start libvirt's network 'default' from $xml"
    touch "$SYSTEM_LIBVIRT_STATE/network.started"
}

# Installs, starts and waits for the daemon; exports FREEHOLD_TEST_LIBVIRTD, which turns a daemon that does not
# answer into a failure of the tests that need it instead of a skip.
start_system_libvirt() {
    install_packages libvirt-daemon-system qemu-system-x86
    mkdir -p "$SYSTEM_LIBVIRT_STATE"
    # The shared lock says "in use" until this shell exits; the exclusive one orders starts and stops.
    exec {SYSTEM_LIBVIRT_IN_USE}>"$SYSTEM_LIBVIRT_STATE/in-use.lock"
    flock -s "$SYSTEM_LIBVIRT_IN_USE"
    exec {SYSTEM_LIBVIRT_MUTEX}>"$SYSTEM_LIBVIRT_STATE/mutex.lock"
    flock -x "$SYSTEM_LIBVIRT_MUTEX"
    let_qemu_user_open_kvm
    if ! system_libvirt_answers; then
        # Started without this run's lock descriptors: a daemon holding them would keep the machine "in use" for good.
        if ! pgrep -x virtlogd >/dev/null; then
            virtlogd -d {SYSTEM_LIBVIRT_IN_USE}>&- {SYSTEM_LIBVIRT_MUTEX}>&- || die "virtlogd did not start"
            remember_started virtlogd /run/virtlogd.pid
        fi
        libvirtd -d {SYSTEM_LIBVIRT_IN_USE}>&- {SYSTEM_LIBVIRT_MUTEX}>&- || die "libvirtd did not start"
        remember_started libvirtd /run/libvirtd.pid
        local waited=0
        until system_libvirt_answers; do
            [ "$waited" -ge $((SYSTEM_LIBVIRT_START_LIMIT * 10)) ] && die "libvirtd did not answer at $SYSTEM_LIBVIRT_URI within $SYSTEM_LIBVIRT_START_LIMIT s"
            sleep 0.1
            waited=$((waited + 1))
        done
        say "started libvirtd ($SYSTEM_LIBVIRT_URI answered after $((waited / 10)) s)"
    fi
    start_isolated_default_network
    flock -u "$SYSTEM_LIBVIRT_MUTEX"
    export FREEHOLD_TEST_LIBVIRTD="$SYSTEM_LIBVIRT_URI"
}

# Stops a daemon a run started, if that pid still is that daemon (a pid may have been reused since).
stop_started() {
    local name="$1" pidfile="$SYSTEM_LIBVIRT_STATE/$1.pid" pid waited=0
    [ -s "$pidfile" ] || return 0
    pid="$(cat "$pidfile")"
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then
        kill "$pid"
        while [ -d "/proc/$pid" ] && [ "$waited" -lt 100 ]; do
            sleep 0.1
            waited=$((waited + 1))
        done
    fi
    rm -f "$pidfile"
}

# Called when the run ends, however it ends. Guests the tests left running keep running: libvirtd's exit does
# not stop them, and the tests remove their own.
stop_system_libvirt() {
    [ -n "${SYSTEM_LIBVIRT_IN_USE:-}" ] || return 0
    flock -x "$SYSTEM_LIBVIRT_MUTEX"
    # Another run still holding its shared lock keeps everything running; it stops it when it ends.
    if flock -xn "$SYSTEM_LIBVIRT_IN_USE"; then
        if [ -e "$SYSTEM_LIBVIRT_STATE/network.started" ]; then
            virsh -c "$SYSTEM_LIBVIRT_URI" net-destroy default >/dev/null 2>&1 || true
            rm -f "$SYSTEM_LIBVIRT_STATE/network.started"
        fi
        stop_started libvirtd
        stop_started virtlogd
    fi
    flock -u "$SYSTEM_LIBVIRT_MUTEX"
}

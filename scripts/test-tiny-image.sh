#!/usr/bin/env bash
# Checks the tiny test image (docs/tiny-image.md) on libvirt's system daemon with QEMU, the way an agent runs it:
# direct kernel boot, an empty qcow2 root disk as vda and a NoCloud seed ISO as a read-only virtio disk vdb.
# First runs the init's seed readers on the host against the shapes of seed a boot would take seconds each to show;
# then boots the image with a plain #cloud-config user-data, with a MIME multipart one and with no seed at all,
# checks the lines its /init prints on the serial console, and that `virsh shutdown` (the ACPI power button) stops
# it. Prints how long each boot took from `virsh start` to the hostname line. Root only. Not part of
# scripts/test.sh: the Java end-to-end tests boot the image there.
# Usage: scripts/test-tiny-image.sh [boots]   (how many times to boot the plain case, for a median; default 1)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/prerequisites.sh
source "$ROOT/scripts/lib/prerequisites.sh"
# shellcheck source=scripts/lib/system-libvirt.sh
source "$ROOT/scripts/lib/system-libvirt.sh"
# shellcheck source=scripts/lib/tiny-image.sh
source "$ROOT/scripts/lib/tiny-image.sh"

BOOTS="${1:-1}"
IMAGE=/var/lib/freehold/tiny-image
# Under /var/lib/freehold: QEMU runs as libvirt-qemu, which cannot read /root.
WORK="/var/lib/freehold/tiny-image-test/run-$$"
# Software emulation, maybe next to other runs' guests: ~7 s alone, so these are slack, not targets.
BOOT_LIMIT=90
SHUTDOWN_LIMIT=30
VIRSH=(virsh -q -c "$SYSTEM_LIBVIRT_URI")
KEY='ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGcdZ0pkM3ZlcnlUaW55S2V5Rm9yVGVzdHM tenant@laptop (test key)'
DOMAINS=()
FAILURES=0
TIMINGS=()

finish() {
    local status=$? domain
    for domain in "${DOMAINS[@]}"; do
        "${VIRSH[@]}" destroy "$domain" >/dev/null 2>&1 || true
        "${VIRSH[@]}" undefine "$domain" >/dev/null 2>&1 || true
    done
    rm -rf "$WORK"
    rmdir "$(dirname "$WORK")" 2>/dev/null || true
    stop_system_libvirt
    say "scripts/test-tiny-image.sh $([ "$status" -eq 0 ] && echo passed || echo FAILED)"
    exit "$status"
}

fail() {
    say "FAIL: $*"
    FAILURES=$((FAILURES + 1))
}

# Seconds since an EPOCHREALTIME, to a tenth.
since() {
    awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f\n", b - a }'
}

# A multipart user-data as the agent writes one (agent/.../CloudInitSeedFiles.java): the keys as a cloud-config
# part, then the tenant's shell script (which mentions ssh_authorized_keys itself, to be ignored), both base64.
multipart_user_data() {
    local boundary="==freehold-seed==" keys script
    keys="$(printf '#cloud-config\nssh_authorized_keys:\n  - "%s"\n' "$1" | base64 -w 76)"
    script="$(printf '#!/bin/sh\necho "ssh_authorized_keys:"\necho "  - not-a-key"\n' | base64 -w 76)"
    printf 'Content-Type: multipart/mixed; boundary="%s"\nMIME-Version: 1.0\n\n' "$boundary"
    printf -- '--%s\nContent-Type: text/cloud-config; charset="utf-8"\nMIME-Version: 1.0\n' "$boundary"
    printf 'Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="freehold-ssh-keys.cfg"\n\n%s\n' "$keys"
    printf -- '--%s\nContent-Type: text/x-shellscript; charset="utf-8"\nMIME-Version: 1.0\n' "$boundary"
    printf 'Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="user-data"\n\n%s\n' "$script"
    printf -- '--%s--\n' "$boundary"
}

# Runs one of the init's readers on the host, with the busybox the image carries: "$@" is the call.
# shellcheck disable=SC2016 # expanded by the busybox shell, not here
init_reader() {
    TINY_INIT_DEFINITIONS_ONLY=yes /bin/busybox sh -c '. "$0"; "$@"' "$TINY_IMAGE_LIB/tiny-image-init.sh" "$@"
}

# expect_read <what> <expected> <reader call...>
expect_read() {
    local what="$1" expected="$2" actual
    shift 2
    actual="$(init_reader "$@")"
    [ "$actual" = "$expected" ] || fail "reading $what: expected [$expected], got [$actual]"
}

check_readers() {
    local dir="$WORK/readers"
    mkdir -p "$dir"
    # YAML's quoting: the agent double-quotes and escapes \ and ", a hand-written seed may single-quote.
    cat >"$dir/meta-data" <<'EOF'
instance-id: "i-\"q\" \\ x"
local-hostname: 'it''s'
EOF
    expect_read "a double-quoted instance-id" 'i-"q" \ x' yaml_value instance-id "$dir/meta-data"
    expect_read "a single-quoted local-hostname" "it's" yaml_value local-hostname "$dir/meta-data"
    printf 'instance-id: i-plain\r\nlocal-hostname: plain\r\n' >"$dir/meta-data-crlf"
    expect_read "an unquoted instance-id with CRLF" i-plain yaml_value instance-id "$dir/meta-data-crlf"

    printf '#cloud-config\nssh_authorized_keys:\n  - "%s"\n  - ssh-rsa AAAAB3second other@host\n' "$KEY" >"$dir/keys"
    expect_read "the first of two keys" "$KEY" user_data_ssh_key "$dir/keys"
    printf '#cloud-config\nusers: []\nssh_authorized_keys:\n# the laptop\n- %s\nruncmd: []\n' "$KEY" >"$dir/keys-unindented"
    expect_read "an unquoted key in an unindented list" "$KEY" user_data_ssh_key "$dir/keys-unindented"
    printf '#cloud-config\nssh_authorized_keys: []\n' >"$dir/no-keys"
    expect_read "an empty key list" "" user_data_ssh_key "$dir/no-keys"
    printf '#!/bin/sh\necho hello\n' >"$dir/script"
    expect_read "a script without keys" "" user_data_ssh_key "$dir/script"
    multipart_user_data "$KEY" >"$dir/multipart"
    expect_read "a base64 multipart" "$KEY" user_data_ssh_key "$dir/multipart"
    # Hand-made: 7bit parts, CRLF line ends, the boundary on a folded header line, the keys in a text/plain part.
    sed 's/$/\r/' >"$dir/multipart-7bit" <<EOF
Content-Type: multipart/mixed;
 boundary=XYZ
MIME-Version: 1.0

--XYZ
Content-Type: text/x-shellscript

#!/bin/sh
echo hi
--XYZ
Content-Type: text/plain

#cloud-config
ssh_authorized_keys:
  - '$KEY'
--XYZ--
EOF
    expect_read "a 7bit multipart with CRLF and a folded boundary" "$KEY" user_data_ssh_key "$dir/multipart-7bit"
}

define_guest() {
    local name="$1" dir="$2" seed_disk=""
    qemu-img create -q -f qcow2 "$dir/root.qcow2" 1G
    if [ -f "$dir/meta-data" ]; then
        # A NoCloud seed as the agent attaches one: ISO 9660 labelled cidata, a read-only virtio disk.
        genisoimage -quiet -output "$dir/seed.iso" -volid cidata -joliet -rock "$dir/meta-data" "$dir/user-data"
        seed_disk="
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='$dir/seed.iso'/>
      <target dev='vdb' bus='virtio'/>
      <readonly/>
    </disk>"
    fi
    # The shape of the agent's domains (agent/.../DomainXml.java): q35, an emulated CPU model, ACPI, the serial
    # console on a pty that virtlogd copies into the log file.
    cat >"$dir/domain.xml" <<EOF
<domain type='qemu'>
  <name>$name</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>$IMAGE/vmlinuz</kernel>
    <initrd>$IMAGE/initrd.img</initrd>
    <cmdline>console=ttyS0</cmdline>
  </os>
  <features><acpi/><apic/></features>
  <cpu mode='custom' match='exact'><model fallback='forbid'>Nehalem</model></cpu>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='$dir/root.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>$seed_disk
    <serial type='pty'>
      <log file='$dir/console.log' append='on'/>
      <target port='0'/>
    </serial>
    <console type='pty'>
      <target type='serial' port='0'/>
    </console>
  </devices>
</domain>
EOF
    "${VIRSH[@]}" define "$dir/domain.xml" >/dev/null
    DOMAINS+=("$name")
}

# Waits until every expected line ("$@") is in the console log $1 as a whole line. Prints the seconds from $2 (an
# EPOCHREALTIME) until the first of them appeared. The serial line's tty ends lines with CRLF in the log.
await_lines() {
    local log="$1" started="$2" first="" line missing
    shift 2
    while :; do
        missing=no
        for line in "$@"; do
            if tr -d '\r' <"$log" 2>/dev/null | grep -qxF -- "$line"; then
                if [ -z "$first" ] && [ "$line" = "$1" ]; then
                    first="$(since "$started")"
                fi
            else
                missing=yes
            fi
        done
        if [ "$missing" = no ]; then
            echo "$first"
            return 0
        fi
        if [ "$(since "$started" | cut -d. -f1)" -ge "$BOOT_LIMIT" ]; then
            say "the end of the console log after $BOOT_LIMIT s:"
            tail -n 30 "$log" >&2 2>/dev/null || true
            return 1
        fi
        sleep 0.1
    done
}

await_shut_off() {
    local name="$1" started="$EPOCHREALTIME"
    until [ "$("${VIRSH[@]}" domstate "$name" 2>/dev/null)" = "shut off" ]; do
        [ "$(since "$started" | cut -d. -f1)" -ge "$SHUTDOWN_LIMIT" ] && return 1
        sleep 0.2
    done
    since "$started"
}

# boot_case <case> <dir> <line...>: boots a guest with the seed in <dir> (meta-data and user-data, or neither),
# checks its console shows the lines, then that virsh shutdown stops it.
boot_case() {
    local case="$1" dir="$2" name="freehold-tiny-test-$$-$1" started seconds stopped
    shift 2
    define_guest "$name" "$dir"
    started="$EPOCHREALTIME"
    "${VIRSH[@]}" start "$name" >/dev/null
    if seconds="$(await_lines "$dir/console.log" "$started" "$@")"; then
        say "$case: the console showed its lines; the first $seconds s after virsh start"
        TIMINGS+=("$seconds")
    else
        fail "$case: the console did not show: $(printf '[%s] ' "$@")"
    fi
    "${VIRSH[@]}" shutdown "$name" >/dev/null
    if stopped="$(await_shut_off "$name")"; then
        say "$case: shut off $stopped s after virsh shutdown"
        grep -qF "tiny-init: power button pressed" "$dir/console.log" ||
            fail "$case: shut off, but its console does not say the power button did it"
    else
        fail "$case: still $("${VIRSH[@]}" domstate "$name") $SHUTDOWN_LIMIT s after virsh shutdown"
    fi
    "${VIRSH[@]}" destroy "$name" >/dev/null 2>&1 || true
    "${VIRSH[@]}" undefine "$name" >/dev/null
}

is_root || die "scripts/test-tiny-image.sh needs root (libvirt's system daemon)"
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
install_packages genisoimage qemu-utils
build_tiny_image "$IMAGE"
mkdir -p "$WORK"
chmod 0755 "$(dirname "$WORK")" "$WORK"

check_readers
start_system_libvirt

# As the agent writes it when the tenant gave no user data: the keys alone, double-quoted, in a cloud-config.
for boot in $(seq 1 "$BOOTS"); do
    dir="$WORK/plain-$boot"
    mkdir "$dir"
    printf 'instance-id: "i-tiny%s"\nlocal-hostname: "tiny-plain"\n' "$boot" >"$dir/meta-data"
    printf '#cloud-config\nssh_authorized_keys:\n  - "%s"\n  - "ssh-rsa AAAAB3second other@host"\n' "$KEY" >"$dir/user-data"
    boot_case "plain-$boot" "$dir" \
        "freehold-tiny hostname=tiny-plain" "freehold-tiny instance-id=i-tiny$boot" "freehold-tiny ssh-key=$KEY"
done
PLAIN_TIMINGS=("${TIMINGS[@]}")

dir="$WORK/multipart"
mkdir "$dir"
printf 'instance-id: "i-tinymime"\nlocal-hostname: "tiny-mime"\n' >"$dir/meta-data"
multipart_user_data "$KEY" >"$dir/user-data"
boot_case multipart "$dir" \
    "freehold-tiny hostname=tiny-mime" "freehold-tiny instance-id=i-tinymime" "freehold-tiny ssh-key=$KEY"

dir="$WORK/no-seed"
mkdir "$dir"
boot_case no-seed "$dir" "freehold-tiny no-seed"

if [ "${#PLAIN_TIMINGS[@]}" -gt 0 ]; then
    say "virsh start to the hostname line: $(printf '%s\n' "${PLAIN_TIMINGS[@]}" | sort -n | awk '
        { t[NR] = $1 }
        END { printf "median %.1f s of %d boots (%.1f to %.1f s)", (NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2), NR, t[1], t[NR] }')"
fi
[ "$FAILURES" -eq 0 ] || die "$FAILURES check(s) failed"

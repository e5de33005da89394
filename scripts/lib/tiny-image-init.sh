#!/bin/sh
# shellcheck shell=dash
# /init, PID 1 of Freehold's tiny test image (scripts/lib/tiny-image.sh puts it into the initramfs; busybox sh).
# It plays cloud-init's part just far enough for a test to see, on the serial console, that a guest got its
# NoCloud seed, in lines tests grep for:
#   freehold-tiny hostname=<local-hostname>
#   freehold-tiny instance-id=<instance-id>
#   freehold-tiny ssh-key=<the first of ssh_authorized_keys, whole>
# or `freehold-tiny no-seed`. Then it stays up until the ACPI power button (virsh shutdown) powers it off.
# PID 1 must never exit (the kernel would panic), so nothing here uses `set -e`: failures are said and the guest
# stays up. Its own diagnostics start with "tiny-init:", never with the tests' prefix. (shellcheck checks it as
# dash, the ash closest to busybox sh.)

say() {
    echo "tiny-init: $*"
}

# The ISO 9660 volume identifier: 32 bytes at offset 40 of the primary volume descriptor (sector 16), padded
# with spaces.
iso_label() {
    dd if="$1" bs=1 skip=32808 count=32 2>/dev/null | sed 's/ *$//'
}

# A NoCloud seed is found by its label, not by its device name: the disk order is the hypervisor's to choose.
# cloud-init accepts the label in either case.
mount_seed() {
    local dev label
    for dev in /dev/vd* /dev/sr* /dev/sd*; do
        [ -b "$dev" ] || continue
        mount -t iso9660 -o ro "$dev" /mnt/seed 2>/dev/null || continue
        label="$(iso_label "$dev")"
        if { [ "$label" = cidata ] || [ "$label" = CIDATA ]; } && [ -f /mnt/seed/meta-data ]; then
            say "seed on $dev"
            return 0
        fi
        umount /mnt/seed
    done
    return 1
}

# An awk function shared by the two YAML readers below: a scalar without its surrounding quotes. In double quotes
# \" and \\ stand for themselves (the agent escapes them so); single quotes double a quote inside.
UNQUOTE='
function unquote(v,   out, i, c) {
    if (v ~ /^".*"$/) {
        v = substr(v, 2, length(v) - 2)
        out = ""
        for (i = 1; i <= length(v); i++) {
            c = substr(v, i, 1)
            if (c == "\\" && (substr(v, i + 1, 1) == "\\" || substr(v, i + 1, 1) == "\"")) {
                i++
                c = substr(v, i, 1)
            }
            out = out c
        }
        return out
    }
    if (v ~ /^\047.*\047$/) {
        v = substr(v, 2, length(v) - 2)
        gsub(/\047\047/, "\047", v)
    }
    return v
}'

# The value of a top-level `key: value` line of a YAML file.
yaml_value() {
    awk -v key="$1" "$UNQUOTE"'
        { sub(/\r$/, "") }
        index($0, key ":") == 1 {
            v = substr($0, length(key) + 2)
            sub(/^[ \t]+/, "", v); sub(/[ \t]+$/, "", v)
            print unquote(v)
            exit
        }' "$2"
}

# The first item of the top-level block list `ssh_authorized_keys:` of a cloud-config.
first_ssh_key() {
    awk "$UNQUOTE"'
        { sub(/\r$/, "") }
        /^ssh_authorized_keys:[ \t]*$/ { inlist = 1; next }
        inlist && /^[ \t]*(#.*)?$/ { next }
        inlist && /^[ \t]*-[ \t]/ {
            v = $0
            sub(/^[ \t]*-[ \t]+/, "", v); sub(/[ \t]+$/, "", v)
            print unquote(v)
            exit
        }
        inlist { exit }' "$1"
}

# Splits a MIME multipart user-data into $2/part-N (the body) and $2/part-N.type (its content type and
# transfer encoding, lowercased, on one line), as the agent and cloud-init's make-mime write them. Prints nothing and
# writes nothing when the document is not multipart.
split_mime() {
    awk -v dir="$2" '
        { sub(/\r$/, "") }
        state == "" {
            if ($0 == "") {
                # The end of the top headers: a multipart document says its boundary there.
                if (tolower(top) !~ /content-type:[ \t]*multipart\//) exit
                b = top
                if (match(b, /boundary="[^"\n]*"/)) b = substr(b, RSTART + 10, RLENGTH - 11)
                else if (match(b, /boundary=[^; \t\n]+/)) b = substr(b, RSTART + 9, RLENGTH - 9)
                else exit
                state = "preamble"
                next
            }
            # Folded header lines go on with leading white space.
            top = top ($0 ~ /^[ \t]/ ? "" : "\n") $0
            next
        }
        $0 == "--" b "--" { exit }
        # Numbered with leading zeros so that a shell glob lists the parts in order.
        $0 == "--" b { name = sprintf("%s/part-%03d", dir, ++n); state = "headers"; ctype = "text/plain"; cte = "7bit"; next }
        state == "headers" {
            if ($0 == "") {
                printf "%s %s\n", ctype, cte > (name ".type")
                printf "" > name
                state = "body"
            } else if (tolower($0) ~ /^content-type:/) {
                ctype = tolower($0); sub(/^content-type:[ \t]*/, "", ctype); sub(/[; \t].*/, "", ctype)
            } else if (tolower($0) ~ /^content-transfer-encoding:/) {
                cte = tolower($0); sub(/^content-transfer-encoding:[ \t]*/, "", cte); sub(/[ \t]+$/, "", cte)
            }
            next
        }
        state == "body" { print > name }' "$1"
}

# The first SSH key of a user-data: a #cloud-config document, or the first text/cloud-config part (or part
# that starts with #cloud-config) of a MIME multipart one that has keys.
user_data_ssh_key() {
    local parts part type ctype cte key=""
    if head -n 1 "$1" | grep -q '^#cloud-config'; then
        first_ssh_key "$1"
        return
    fi
    parts="$(mktemp -d)"
    split_mime "$1" "$parts"
    for type in "$parts"/part-*.type; do
        [ -f "$type" ] || continue
        part="${type%.type}"
        read -r ctype cte <"$type"
        if [ "$cte" = base64 ]; then
            base64 -d "$part" >"$part.decoded" 2>/dev/null || continue
            part="$part.decoded"
        fi
        if [ "$ctype" = text/cloud-config ] || head -n 1 "$part" | grep -q '^#cloud-config'; then
            key="$(first_ssh_key "$part")"
            [ -n "$key" ] && break
        fi
    done
    rm -rf "$parts"
    [ -z "$key" ] || echo "$key"
}

# scripts/test-tiny-image.sh sources this file with busybox on the host to check the readers above against the
# shapes of user data an agent writes; everything below is the boot itself.
[ "${TINY_INIT_DEFINITIONS_ONLY:-}" = yes ] && return 0

PATH=/bin
export PATH

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# The kernel opened the console for us only if its built-in initramfs had /dev/console; devtmpfs always has it.
exec </dev/console >/dev/console 2>&1

# Written by the image builder in dependency order, because busybox's insmod, unlike modprobe, loads exactly
# the file it is given.
while read -r module; do
    [ -n "$module" ] || continue
    insmod "$module" || say "could not load $module"
done </lib/modules/load-order

# busybox acpid turns the power button's key event (read from the evdev devices of the `button` module) into
# /etc/acpi/PWRF/00000080. It starts before the seed is read: a test may press the button as soon as it sees the
# lines, and a press before acpid listens is lost. Nothing needs a clean stop: the seed is read-only, the root
# disk unused.
mkdir -p /etc/acpi/PWRF
cat >/etc/acpi/PWRF/00000080 <<'EOF'
#!/bin/sh
echo "tiny-init: power button pressed, powering off" >/dev/console
poweroff -f
EOF
chmod 0755 /etc/acpi/PWRF/00000080
if ls /dev/input/event* >/dev/null 2>&1; then
    acpid -l /run/acpid.log -p /run/acpid.pid || say "acpid did not start: virsh shutdown will not work"
else
    say "no input event devices: virsh shutdown will not work"
fi

mkdir -p /mnt/seed
# virtio_blk adds its disks while it loads; the wait is for a seed on a slow or late device.
seed=no
tries=0
while [ "$tries" -lt 50 ]; do
    if mount_seed; then
        seed=yes
        break
    fi
    sleep 0.2
    tries=$((tries + 1))
done

# Kernel messages written to the console in the middle of a line would break the lines tests grep for.
dmesg -n 1
if [ "$seed" = yes ]; then
    instance_id="$(yaml_value instance-id /mnt/seed/meta-data)"
    hostname="$(yaml_value local-hostname /mnt/seed/meta-data)"
    ssh_key=""
    if [ -f /mnt/seed/user-data ]; then
        ssh_key="$(user_data_ssh_key /mnt/seed/user-data)"
    fi
    umount /mnt/seed
    [ -n "$hostname" ] && hostname "$hostname"
    echo "freehold-tiny hostname=$hostname"
    echo "freehold-tiny instance-id=$instance_id"
    echo "freehold-tiny ssh-key=$ssh_key"
else
    echo "freehold-tiny no-seed"
fi

while :; do
    sleep 3600
done

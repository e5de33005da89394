#!/usr/bin/env bash
# README line 1: runs the whole control plane on this machine, with embedded PostgreSQL whose data
# persists under $FREEHOLD_HOME (default ~/.freehold). Works on a fresh machine: as root it installs
# what is missing (JDK 17, Maven), otherwise it says exactly what to install. Extra arguments go to
# the application (e.g. --logging.level.root=debug).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/control-plane/target/freehold-control-plane.jar"
AGENT_JAR="$ROOT/agent/target/freehold-agent.jar"
# shellcheck source=scripts/lib/prerequisites.sh
source "$ROOT/scripts/lib/prerequisites.sh"

# True when a jar is missing or any input of the build changed after the control plane's jar was made
# (the build makes both jars, the agent's first). Test sources are left out: they never reach a jar.
jar_is_stale() {
    [ -f "$JAR" ] && [ -f "$AGENT_JAR" ] || return 0
    [ -n "$(find "$ROOT/pom.xml" "$ROOT"/*/pom.xml "$ROOT"/*/src/main "$ROOT"/api-spec/*.yaml \
        -type f -newer "$JAR" -print -quit 2>/dev/null)" ]
}

ensure_jdk17
# The local agent drives libvirt through its C library. Without it the machine still joins, but with
# no hypervisor, which is worth a warning rather than a refusal to start.
if ! package_installed libvirt0 && ! ldconfig -p 2>/dev/null | grep -q 'libvirt\.so\.0 '; then
    if is_root; then
        install_packages libvirt0
    else
        say "libvirt0 is missing, so the local agent will report no hypervisor; as root run: apt-get install -y libvirt0"
    fi
fi
# The agent layers guests' root disks on qcow2 images and checks and grows disks with qemu-img; without it
# instances of qcow2 images end FAILED with the reason.
if ! command -v qemu-img >/dev/null; then
    if is_root; then
        install_packages qemu-utils
    else
        say "qemu-img is missing, so instances of qcow2 images cannot get disks; as root run: apt-get install -y qemu-utils"
    fi
fi
if jar_is_stale; then
    ensure_maven
    say "building $JAR"
    started=$SECONDS
    (cd "$ROOT" && mvn -q -B -DskipTests package)
    # Maven leaves the jar alone when only timestamps changed (a checkout, a touch); mark it as built
    # now, or every later start would run Maven again for nothing.
    touch "$JAR"
    say "built in $((SECONDS - started)) s"
fi

# The control plane runs this jar as the machine's own agent (see docs/operator-guide.md).
export FREEHOLD_AGENT_JAR="$AGENT_JAR"
# Exported so the data directory printed here is exactly the one the application uses, even when
# $HOME and Java's user.home (from the password database) disagree, as under `sudo -E`.
export FREEHOLD_HOME="${FREEHOLD_HOME:-${HOME:-$(getent passwd "$(id -un)" | cut -d: -f6)}/.freehold}"
host="${FREEHOLD_BIND_ADDRESS:-127.0.0.1}"
case "$host" in 0.0.0.0 | ::) host=127.0.0.1 ;; esac
url="http://$host:${FREEHOLD_PORT:-8080}"

if [ -n "${FREEHOLD_DB_URL:-}" ]; then
    say "database: $FREEHOLD_DB_URL (external)"
else
    say "database: embedded PostgreSQL, data in $FREEHOLD_HOME/postgres"
fi
say "control plane: $url  (health: $url/actuator/health, API contract: $url/api/v1/openapi.yaml)"
say "bootstrap admin token: $FREEHOLD_HOME/admin.token (written on the first start, mode 0600)"
say "local agent: joins as this machine's host in rack local-r1; its log: $FREEHOLD_HOME/local-agent/agent.log"
say "stop with Ctrl-C; a restart keeps all data"

# exec, so the JVM receives Ctrl-C (SIGINT) and SIGTERM directly and shuts down gracefully, stopping
# embedded PostgreSQL with it; nothing of this script stays behind.
exec "$JAVA_HOME/bin/java" -jar "$JAR" "$@"

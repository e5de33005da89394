# shellcheck shell=bash
# Shared by scripts/all-in-one.sh and scripts/test.sh: finds (or, as root, installs) what they need.
# Sourced, not executed; the caller has already set `set -euo pipefail`.

# Prints to stderr, so messages never mix with anything a caller captures from stdout.
say() {
    printf 'freehold: %s\n' "$*" >&2
}

die() {
    say "$*"
    exit 1
}

is_root() {
    [ "$(id -u)" -eq 0 ]
}

package_installed() {
    dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'
}

# Installs Debian packages that are not installed yet. `apt-get update` runs only when the package
# lists do not know one of them (a fresh container ships with empty lists) or when an install from
# stale lists fails: an update on every run would cost time and network for nothing.
install_packages() {
    local missing=() package
    for package in "$@"; do
        package_installed "$package" || missing+=("$package")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    is_root || die "missing Debian packages: ${missing[*]}; as root run: apt-get install -y --no-install-recommends ${missing[*]}"
    command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them with; install them by hand"

    local updated=no
    for package in "${missing[@]}"; do
        if ! apt-cache show --no-all-versions "$package" >/dev/null 2>&1; then
            say "apt-get update (the package lists do not know $package yet)"
            apt-get update -qq
            updated=yes
            break
        fi
    done
    say "installing ${missing[*]}"
    # Non-interactive so that no debconf question can hang an unattended run.
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
        [ "$updated" = yes ] && die "apt-get could not install ${missing[*]}"
        say "install failed, refreshing the package lists once and retrying"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
}

# Major version of the JDK whose javac is at $1 (javac, not java: Maven needs a full JDK to compile).
jdk_major() {
    "$1" -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p' | head -n 1
}

# Makes a JDK 17 or newer the one Maven and `java` use. Prefers JAVA_HOME, then the PATH, so an
# operator's own JDK choice wins; installs Debian's OpenJDK 17 only when neither is good enough.
ensure_jdk17() {
    local javac major
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
        javac="$JAVA_HOME/bin/javac"
    else
        javac="$(command -v javac || true)"
    fi
    major=""
    if [ -n "$javac" ]; then
        major="$(jdk_major "$javac")"
    fi
    if [ -n "$major" ] && [ "$major" -ge 17 ]; then
        JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$javac")")")"
        export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
        return 0
    fi
    if ! is_root; then
        die "Freehold needs a JDK 17 or newer (found: ${major:+JDK $major}${major:-none}); as root run: apt-get install -y --no-install-recommends openjdk-17-jdk-headless"
    fi
    install_packages openjdk-17-jdk-headless
    # Another JDK may still come first on the PATH; point at the one just installed.
    JAVA_HOME="/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)"
    export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
    [ -x "$JAVA_HOME/bin/javac" ] || die "installed openjdk-17-jdk-headless but found no javac under $JAVA_HOME"
}

# Maven 3.8 or newer (older ones cannot build for Java 17 with this project's plugins).
ensure_maven() {
    local version
    if ! command -v mvn >/dev/null; then
        is_root || die "Freehold needs Maven 3.8 or newer; as root run: apt-get install -y --no-install-recommends maven"
        install_packages maven
    fi
    version="$(mvn -B -v 2>/dev/null | sed -n 's/.*Apache Maven \([0-9][0-9.]*\).*/\1/p' | head -n 1)"
    case "$version" in
        3.[0-7] | 3.[0-7].* | [0-2].*) die "Freehold needs Maven 3.8 or newer, found $version" ;;
        "") die "'mvn -v' did not say which Maven it is; is Maven on the PATH ($PATH)?" ;;
    esac
}

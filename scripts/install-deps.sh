#!/bin/sh
# Installs everything Agent Console needs to build, run and test on Debian 12 (as root).
# Idempotent: packages already present are left as they are.
set -eu
export DEBIAN_FRONTEND=noninteractive
PACKAGES="
    cmake ninja-build g++ clang pkg-config
    qt6-base-dev libgl-dev qt6-websockets-dev qt6-httpserver-dev qt6-svg-dev libqt6svg6
    qt6-tools-dev qt6-l10n-tools qt6-translations-l10n libqt6sql6-sqlite
    qt6-qpa-plugins fonts-dejavu-core
    qtkeychain-qt6-dev gnome-keyring dbus-daemon
    librabbitmq-dev libssl-dev rabbitmq-server
    libqt6sql6-psql postgresql
    dpkg-dev file desktop-file-utils appstream openssl
    xvfb at-spi2-core
    nginx
    nodejs npm
"
missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Node.js may come from outside Debian (a newer build already on PATH): then npm is there too.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    missing=$(echo "$missing" | tr ' ' '\n' | grep -vx -e nodejs -e npm | tr '\n' ' ')
fi
if [ -n "$(echo "$missing" | tr -d ' ')" ]; then
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing
fi

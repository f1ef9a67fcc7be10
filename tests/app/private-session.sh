#!/bin/sh
# Runs a command inside a private D-Bus session bus with HOME and the XDG directories in a new
# temporary directory, so a test never reaches the user's session bus, keyring or notification server.
#   private-session.sh [--keyring] command [args...]
# --keyring also starts gnome-keyring's Secret Service with a new login keyring, unlocked.
# Without dbus-run-session the command still runs, with no session bus at all (the tests then skip).
set -u
keyring=0
if [ "${1:-}" = "--keyring" ]; then
    keyring=1
    shift
fi
scratch=$(mktemp -d "${TMPDIR:-/tmp}/agent-console-session.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT INT TERM
export HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" \
    XDG_CACHE_HOME="$scratch/cache" XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
mkdir -m 700 "$XDG_RUNTIME_DIR"
# No way back to the desktop session: no bus address, no display for a keyring prompt.
unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY
export AGENT_CONSOLE_PRIVATE_SESSION=1

if ! command -v dbus-run-session >/dev/null 2>&1; then
    echo "private-session: dbus-run-session not found (package dbus-daemon); running without a session bus" >&2
    "$@"
    exit $?
fi
dbus-run-session -- sh -c '
    if [ "$0" = 1 ]; then
        if ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
            echo "private-session: gnome-keyring-daemon not found (package gnome-keyring)" >&2
        elif ! printf "private-session" | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null; then
            echo "private-session: gnome-keyring-daemon did not start" >&2
        fi
    fi
    "$@"
    status=$?
    # The daemon leaves with the bus as a rule; this one is made sure of (only ours: same runtime dir).
    for pid in $(pgrep -x gnome-keyring-d 2>/dev/null); do
        if tr "\0" "\n" < "/proc/$pid/environ" 2>/dev/null | grep -qx "XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR"; then
            kill "$pid" 2>/dev/null
        fi
    done
    exit $status' "$keyring" "$@"

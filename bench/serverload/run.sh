#!/bin/sh
# The server load benchmark: widget-server and its Node.js equivalent (express + socket.io) under the same
# load, one after the other, on 127.0.0.1; prints one JSON object (progress on stderr). See bench/README.md.
#
#   bench/serverload/run.sh [compare.js options]        e.g. --duration 20 --rate 500 --sockets 200
#
# widget-server: $WIDGET_SERVER, else build-load/bin/widget-server, else build/bin/widget-server (build it
# in Release first). Installs bench/node_modules from package-lock.json when it is missing or stale.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bench=$(dirname "$here")
root=$(dirname "$bench")
if [ -z "${WIDGET_SERVER:-}" ]; then
    for candidate in "$root/build-load/bin/widget-server" "$root/build/bin/widget-server"; do
        if [ -x "$candidate" ]; then
            WIDGET_SERVER=$candidate
            break
        fi
    done
fi
if [ -z "${WIDGET_SERVER:-}" ]; then
    echo "run.sh: no widget-server binary: set WIDGET_SERVER or build the widget-server target" >&2
    exit 2
fi
for tool in node npm cmake; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "run.sh: $tool not found: the benchmark needs Node.js 18+ with npm, and CMake" >&2
        exit 2
    fi
done
cmake -DNPM="$(command -v npm)" -DDIR="$bench" -P "$here/npmci.cmake" >&2
exec node "$here/compare.js" --widget-server "$WIDGET_SERVER" "$@"

#!/bin/bash
# Builds the .deb and .tar.gz with CPack from a built tree, then checks them as a user would get them:
# the control fields (Qt dependencies computed by dpkg-shlibdeps), the exact file list (no test, bench
# or fuzz binary), the same files in the .tar.gz, and — extracted with dpkg -x into a scratch root — the
# installed agent-console --version and widget-server --help running against the system's Qt with no
# display, desktop-file-validate, appstreamcli validate, and the man pages against --help.
#   check-package.sh CPACK CPACK_CONFIG SCRATCH VERSION EXPECTED_FILES
# Exits 77 (ctest: skipped) when a Debian packaging tool is missing; with AGENT_CONSOLE_REQUIRE_ALL=1 (as
# .ci/run sets it) that fails instead (tests/missingdependency.h).
set -euo pipefail

cpack=$1 config=$2 scratch=$3 version=$4 expected=$5

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
step() { echo "-- $*"; }

for tool in dpkg dpkg-deb dpkg-shlibdeps desktop-file-validate appstreamcli file; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        missing="$tool not found (scripts/install-deps.sh installs dpkg-dev, file, desktop-file-utils, appstream)"
        [ "${AGENT_CONSOLE_REQUIRE_ALL:-}" = 1 ] && fail "$missing (AGENT_CONSOLE_REQUIRE_ALL=1: every case must run, so this fails)"
        echo "SKIP: $missing"
        exit 77
    fi
done

rm -rf "$scratch"
mkdir -p "$scratch"
step "cpack -G DEB;TGZ"
"$cpack" -G "DEB;TGZ" --config "$config" -B "$scratch/out" >"$scratch/cpack.log" 2>&1 \
    || { cat "$scratch/cpack.log" >&2; fail "cpack failed"; }
arch=$(dpkg --print-architecture)
deb="$scratch/out/agent-console_${version}_${arch}.deb"
tgz=$(find "$scratch/out" -maxdepth 1 -name "agent-console-${version}-Linux-*.tar.gz" | head -n 1)
[ -f "$deb" ] || fail "no $deb; cpack made: $(ls "$scratch/out")"
[ -f "$tgz" ] || fail "no agent-console-${version}-Linux-<arch>.tar.gz; cpack made: $(ls "$scratch/out")"
ls -l "$deb" "$tgz"

step "control fields"
control=$(dpkg-deb -I "$deb")
grep -E '^ [A-Z][A-Za-z-]*:' <<<"$control"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = agent-console ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', the project is $version"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture is '$(field Architecture)'"
[ "$(field Section)" = net ] || fail "Section is '$(field Section)'"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
[ -n "$(field Homepage)" ] || fail "no Homepage"
depends=$(field Depends)
# dpkg-shlibdeps turns every Qt library the binaries link into a package dependency; the SQLite driver
# and the SVG icon engine are plugins it cannot see, listed by hand.
for package in libqt6core6 libqt6gui6 libqt6widgets6 libqt6network6 libqt6websockets6 libqt6httpserver6 \
    libqt6sql6 libqt6svg6 libqt6sql6-sqlite libc6; do
    tr ',' '\n' <<<"$depends" | grep -Eq "^ *$package( |\$)" || fail "Depends lacks $package: $depends"
done

step "file list"
# Files only (directories are implied); ./usr/bin/x -> usr/bin/x.
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $6}' | sed 's|^\./||' | sort >"$scratch/deb-files"
# Translations are whatever .qm files the build made; everything else is exactly the expected list.
grep -v '^usr/share/agent-console/translations/[^/]*\.qm$' "$scratch/deb-files" >"$scratch/deb-fixed" || true
sort "$expected" | grep -v '^#' | grep -v '^$' >"$scratch/expected"
diff -u "$scratch/expected" "$scratch/deb-fixed" || fail "the .deb holds other files than $expected (+ or - above)"

step "the .tar.gz holds the same files"
# Its members are <name>/bin/..., <name>/share/...: the .deb's usr/ tree under one top folder.
tar -tzf "$tgz" | grep -v '/$' | sed 's|^[^/]*/||' | sort >"$scratch/tgz-files"
sed 's|^usr/||' "$scratch/deb-files" | sort | diff -u - "$scratch/tgz-files" || fail "the .tar.gz differs from the .deb"

step "dpkg -x"
root="$scratch/root"
dpkg -x "$deb" "$root"
for binary in agent-console widget-server; do
    [ -x "$root/usr/bin/$binary" ] || fail "usr/bin/$binary is not an executable"
    grep -q ', stripped' <<<"$(file "$root/usr/bin/$binary")" || fail "usr/bin/$binary is not stripped: $(file "$root/usr/bin/$binary")"
    if ldd "$root/usr/bin/$binary" | grep 'not found'; then
        fail "usr/bin/$binary needs libraries the system does not have"
    fi
done

# As a user in a terminal runs them: the system's Qt, no library or plugin path of ours, no display.
run() {
    env -u LD_LIBRARY_PATH -u QT_PLUGIN_PATH -u QT_QPA_PLATFORM -u DISPLAY -u WAYLAND_DISPLAY "$@"
}
step "agent-console --version"
out=$(run "$root/usr/bin/agent-console" --version 2>&1) \
    || fail "agent-console --version failed without a display (it must answer before it needs one): $out"
echo "$out"
[ "$out" = "agent-console $version" ] || fail "agent-console --version printed '$out', expected 'agent-console $version'"
step "agent-console --help"
console_help=$(run "$root/usr/bin/agent-console" --help 2>&1) \
    || fail "agent-console --help failed without a display: $console_help"
step "widget-server --help"
server_help=$(run "$root/usr/bin/widget-server" --help 2>&1) || fail "widget-server --help failed: $server_help"
grep -q -- '--port' <<<"$server_help" || fail "widget-server --help does not list --port: $server_help"
out=$(run "$root/usr/bin/widget-server" --version 2>&1) || fail "widget-server --version failed: $out"
[ "$out" = "widget-server $version" ] || fail "widget-server --version printed '$out'"

step "man pages document every option of --help"
for binary in agent-console widget-server; do
    page="$root/usr/share/man/man1/$binary.1.gz"
    [ -f "$page" ] || fail "no man page $page"
    help=$console_help
    [ "$binary" = widget-server ] && help=$server_help
    # In troff source a dash is \-; the options of --help are the words starting with -- at a line's start.
    text=$(gzip -dc "$page" | sed 's/\\-/-/g')
    # shellcheck disable=SC2013 # every option is one word
    for option in $(grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z-]*' <<<"$help" | grep -oE -- '--[a-z-]+'); do
        grep -q -- "$option" <<<"$text" || fail "man page of $binary does not document $option (resources/man/$binary.1)"
    done
done

step "desktop entry"
desktop="$root/usr/share/applications/agent-console.desktop"
desktop-file-validate "$desktop" || fail "desktop-file-validate: $desktop"
exec=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")
[ -x "$root/usr/bin/$exec" ] || fail "Exec=$exec is not in usr/bin"
icon=$(sed -n 's/^Icon=//p' "$desktop")
[ -f "$root/usr/share/icons/hicolor/scalable/apps/$icon.svg" ] || fail "Icon=$icon has no hicolor/scalable/apps/$icon.svg"
grep -qx 'StartupWMClass=agent-console' "$desktop" || fail "StartupWMClass must be agent-console (QGuiApplication::desktopFileName)"
# Links from other tools: the entry handles agent-console:// and is given the link (%u).
grep -qx 'MimeType=x-scheme-handler/agent-console;' "$desktop" || fail "the desktop entry does not handle agent-console:// links"
grep -qE '^Exec=agent-console %u$' "$desktop" || fail "Exec must pass the link on: Exec=agent-console %u"

step "AppStream metainfo"
metainfo="$root/usr/share/metainfo/io.github.agentconsole.AgentConsole.metainfo.xml"
appstreamcli validate --no-net "$metainfo" || fail "appstreamcli validate: $metainfo"
grep -q '<launchable type="desktop-id">agent-console.desktop</launchable>' "$metainfo" \
    || fail "the metainfo does not launch agent-console.desktop"
latest=$(grep -o '<release version="[^"]*"' "$metainfo" | head -n 1 | cut -d'"' -f2)
[ "$latest" = "$version" ] || fail "the metainfo's latest release is $latest, the project is $version"

echo "package OK: $(basename "$deb") and $(basename "$tgz")"

#!/usr/bin/env bash
# Makes the SQLite amalgamation (sqlite3.c, sqlite3.h) for the WebAssembly build from Debian's
# own sqlite3 source package, the same SQLite version the native build links. Output: .deps/sqlite/
# Needs: a deb-src entry (added here if missing, as root) and dpkg-dev.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/.deps/sqlite
[ -f "$out/sqlite3.c" ] && [ -f "$out/sqlite3.h" ] && exit 0

"$root/tools/ensure-deb-src.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get source -qq sqlite3 >/dev/null 2>&1)
src=$(find "$work" -maxdepth 1 -type d -name 'sqlite3-*' | head -n 1)
mkdir -p "$src/bld"
(cd "$src/bld" && ../configure --disable-tcl >/dev/null && make sqlite3.c >/dev/null)
mkdir -p "$out"
cp "$src/bld/sqlite3.c" "$src/bld/sqlite3.h" "$out/"
echo "SQLite amalgamation written to $out"

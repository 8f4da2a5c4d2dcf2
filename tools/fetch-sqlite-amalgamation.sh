#!/usr/bin/env bash
# Makes the SQLite amalgamation (sqlite3.c, sqlite3.h) for the WebAssembly build from Debian's
# own sqlite3 source package, the same SQLite version the native build links. Output: .deps/sqlite/
# Needs: a deb-src entry (added here if missing, as root) and dpkg-dev.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/.deps/sqlite
[ -f "$out/sqlite3.c" ] && [ -f "$out/sqlite3.h" ] && exit 0

if ! apt-get source --print-uris sqlite3 >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then echo "need root to add a deb-src entry for sqlite3" >&2; exit 1; fi
  cat > /etc/apt/sources.list.d/vigil-debian-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  apt-get update -qq
fi
command -v dpkg-source >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dpkg-dev >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get source -qq sqlite3 >/dev/null 2>&1)
src=$(find "$work" -maxdepth 1 -type d -name 'sqlite3-*' | head -n 1)
mkdir -p "$src/bld"
(cd "$src/bld" && ../configure --disable-tcl >/dev/null && make sqlite3.c >/dev/null)
mkdir -p "$out"
cp "$src/bld/sqlite3.c" "$src/bld/sqlite3.h" "$out/"
echo "SQLite amalgamation written to $out"

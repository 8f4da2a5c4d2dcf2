#!/usr/bin/env bash
# Makes `apt-get source` work: adds a deb-src entry for Debian 12 if none is there, and dpkg-dev.
set -euo pipefail
if ! apt-get source --print-uris imgui >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then echo "need root to add a deb-src entry (apt-get source)" >&2; exit 1; fi
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

#!/usr/bin/env bash
# Installs what Vigil needs on Debian 12 (bookworm), from Debian's packages only. Idempotent:
# does nothing when everything is there. Run as root (or with sudo available).
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libgdal-dev gdal-bin libproj-dev proj-bin
  libspatialite-dev libsqlite3-mod-spatialite spatialite-bin libsqlite3-dev sqlite3
  catch2 nlohmann-json3-dev libcli11-dev libfmt-dev libfast-float-dev libssl-dev openssl
  emscripten nodejs dpkg-dev file
  # msgfmt compiles the message catalogues (core/po, viewer/po, …); xgettext checks them (tests/i18n)
  gettext
  libglfw3-dev libgl-dev libstb-dev fonts-noto-cjk xvfb xauth libgl1-mesa-dri
  libcpp-httplib-dev zlib1g-dev
  libcairo2-dev poppler-utils
  chromium python3-fonttools
  clang-format clang-tidy
  # PyQGIS, for tests/qgis (QGIS opens the project in the catalogue's styles). The costliest
  # package here: 134 packages (QGIS's libraries, PyQt5, Qt WebKit), 127 MiB to download, 467 MiB
  # installed; measured on this 2-core machine while it also compiled: ~10 s to download,
  # 154 s to unpack and configure (68 s of CPU), i.e. well over 90 s of every CI run.
  python3-qgis
)
if [ "${1:-}" = "--with-peers" ]; then
  # The peer tools for bench/ (see ../shared/peers/install.sh).
  packages+=(python3-numpy postgresql postgis postgresql-15-pgrouting libnanoflann-dev libboost-dev hyperfine)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "need root (or sudo) to apt-get install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

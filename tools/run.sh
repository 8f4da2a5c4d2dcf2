#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: installs the packages, builds Vigil, builds the
# Jiaozuo demo database (build/jiaozuo-demo.sqlite) through the import path, and opens the map
# viewer on it. With no display it answers a dispatcher's question on the command line, builds
# the browser viewer (WebAssembly) and serves it with the demo on 127.0.0.1 (`vigil serve`),
# printing the address; Ctrl-C stops it. PORT (default 8080) chooses the port.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${BUILD_DIR:-build}
wasm=${WASM_BUILD_DIR:-build-wasm}

tools/install-deps.sh
tools/fetch-imgui.sh
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build "$build" -j "$(nproc)" --target vigil

db=$build/jiaozuo-demo.sqlite
"$build/vigil" demo "$db" --force
echo
"$build/vigil" layers "$db"
echo
if [ -n "${DISPLAY:-}" ]; then
  echo "Opening the map viewer on $db ..."
  exec "$build/vigil" view "$db"
fi
echo "A sulfuric-acid tanker leaks on G207 near Wenxian (温县): the nearest available hazmat teams, and the supply warehouses within 30 km:"
"$build/vigil" nearest "$db" --at 113.0791,34.9412 --layer rescue_teams --need hazmat --status available -k 5
"$build/vigil" within "$db" --at 113.0791,34.9412 --radius 30000 --layer warehouses | head -n 8
echo

echo "No display: building the browser viewer ($wasm/web) to serve it ..."
WASM_BUILD_DIR="$wasm" tools/build-web.sh
echo "Demo database: $db (SpatiaLite; open it with QGIS, ogrinfo or 'spatialite')."
echo "Open the address below in a browser on this machine (Ctrl-C stops the server):"
exec "$build/vigil" serve "$db" --port "${PORT:-8080}" --web "$root/$wasm/web"

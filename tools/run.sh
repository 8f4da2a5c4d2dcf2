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
# The dispatcher's question, as a dispatcher asks it: by road and county, by the material's name.
echo "接警 A call: “G207 温县段一辆硫酸罐车泄漏” — a sulfuric-acid tanker leaks on G207 in 温县."
echo "调度员问 The dispatcher asks: which hazmat teams get there first by road (the red zone's roads closed), with their duty phones, and where are the neutraliser and the absorbent?"
zone=$build/g207-zone.geojson
"$build/vigil" zone "$db" --at "G207 温县段" --un 1830 --spill large --geojson "$zone"
echo
"$build/vigil" nearest "$db" --at "G207 温县段" --layer rescue_teams --need 危化品 --status 待命 -k 5 --by road --avoid "$zone" --avoid-where tier=3
echo
"$build/vigil" supply "$db" --at "G207 温县段" --need "中和剂:5t,吸附棉:2000kg" --avoid "$zone" --avoid-where tier=3
echo

echo "No display: building the browser viewer ($wasm/web) to serve it ..."
WASM_BUILD_DIR="$wasm" tools/build-web.sh
echo "Demo database: $db (SpatiaLite; open it with QGIS, ogrinfo or 'spatialite')."
echo "Open the address below in a browser on this machine (Ctrl-C stops the server):"
exec "$build/vigil" serve "$db" --port "${PORT:-8080}" --web "$root/$wasm/web"

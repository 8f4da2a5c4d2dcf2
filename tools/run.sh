#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: installs the packages, builds Vigil, builds the
# Jiaozuo demo database (build/jiaozuo-demo.sqlite) through the import path, and shows it:
# its layers, and a dispatcher's question answered from it.
#
# The map viewer (native window, or the browser build served on 127.0.0.1 when there is no
# display) is the next milestone (issues 3 and 4); until it lands this script stops at the
# command-line answers below.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${BUILD_DIR:-build}

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
echo "A sulfuric-acid tanker leaks on G207 near Wenxian (温县): the nearest available hazmat teams, and the supply warehouses within 30 km:"
"$build/vigil" nearest "$db" --at 113.0791,34.9412 --layer rescue_teams --need hazmat --status available -k 5
"$build/vigil" within "$db" --at 113.0791,34.9412 --radius 30000 --layer warehouses | head -n 8
echo
echo "Demo database: $db (SpatiaLite; open it with QGIS, ogrinfo or 'spatialite')."

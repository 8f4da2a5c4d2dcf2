#!/usr/bin/env bash
# Builds the browser viewer with Emscripten into $WASM_BUILD_DIR/web (default build-wasm/web):
# vigil.js + vigil.wasm, the page and the subset Chinese font — what `vigil serve` serves.
# tools/run.sh calls it when there is no display; tools/test.sh builds the same tree with tests.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
wasm=${WASM_BUILD_DIR:-build-wasm}

tools/install-deps.sh
tools/fetch-imgui.sh
tools/fetch-sqlite-amalgamation.sh
export NODE_PATH=/usr/share/nodejs # Debian's emcc needs acorn from here
emcmake cmake -S . -B "$wasm" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVIGIL_WITH_GDAL=OFF -DVIGIL_BUILD_BENCH=OFF \
  -DVIGIL_BUILD_VIEWER=ON -DCMAKE_CROSSCOMPILING_EMULATOR="node;--no-experimental-fetch" \
  -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build "$wasm" -j "$(nproc)" --target vigil_web
echo "Browser viewer in $root/$wasm/web"

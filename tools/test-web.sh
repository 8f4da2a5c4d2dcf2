#!/usr/bin/env bash
# The browser build's end-to-end tests: `vigil serve` on the Jiaozuo demo, Debian's Chromium
# (headless, WebGL 2 through SwiftShader) driven by playwright-core (no browser download).
# Needs the native build (BUILD_DIR, default build: the vigil program) and the WebAssembly build
# (WASM_BUILD_DIR, default build-wasm: its web/ folder). tools/test.sh runs it last.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-build}
wasm=${WASM_BUILD_DIR:-build-wasm}
cd "$root"

command -v chromium >/dev/null || { echo "chromium missing: run tools/install-deps.sh" >&2; exit 1; }
if ! command -v npm >/dev/null; then
  # Debian's npm, unless a newer Node.js with its own npm is installed already.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
[ -x "$build/vigil" ] || { echo "no $build/vigil: build natively first (tools/test.sh)" >&2; exit 1; }
[ -f "$wasm/web/vigil.wasm" ] || { echo "no $wasm/web/vigil.wasm: build the WebAssembly viewer first (tools/test.sh)" >&2; exit 1; }

# playwright-core from npm's registry, pinned by tests/e2e/package-lock.json.
(cd tests/e2e && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error; })
VIGIL="$root/$build/vigil" WEB="$root/$wasm/web" node --test tests/e2e/viewer.test.mjs tests/e2e/operations.test.mjs tests/e2e/wall.test.mjs tests/e2e/language.test.mjs tests/e2e/phone.test.mjs

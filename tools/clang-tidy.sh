#!/usr/bin/env bash
# clang-tidy (Debian's clang-tidy 14) with the checks of .clang-tidy over the core (vigil_core,
# vigil_native_store, vigil_gdal_import: core/) and the CLI (tools/cli/), using the compile
# commands of a configured native build. Any finding fails (WarningsAsErrors in .clang-tidy).
# Usage: tools/clang-tidy.sh [BUILD_DIR] (default: $BUILD_DIR or build; configured, not
# necessarily built: only the generated sources must exist, which configuring writes).
# Environment: JOBS (default: all cores).
# Cost: 73 translation units, about 13 CPU-minutes (~7 s a core file, ~23 s a CLI file: CLI11 and
# nlohmann-json are parsed in each), so ~6.5 minutes on 2 cores: too slow for every tools/test.sh
# run on CI's 2 cores next to the sanitizer build; run it before sending a change.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${1:-${BUILD_DIR:-build}}
jobs=${JOBS:-$(nproc)}
tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
[ -n "$tidy" ] || { echo "clang-tidy is not installed (tools/install-deps.sh installs it)" >&2; exit 1; }
[ -f "$build/compile_commands.json" ] || { echo "$build/compile_commands.json is missing: configure a native build first" >&2; exit 1; }

# The translation units of core/ and tools/cli/ in the compilation database (not the generated
# tables under the build folder: they are data).
mapfile -t files < <(python3 - "$build/compile_commands.json" "$root" <<'PY'
import json, sys
db, root = sys.argv[1], sys.argv[2]
seen = set()
for e in json.load(open(db)):
    f = e["file"]
    if f in seen or not f.startswith(root + "/"):
        continue
    rel = f[len(root) + 1:]
    if rel.startswith(("core/", "tools/cli/")):
        seen.add(f)
        print(f)
PY
)
echo "clang-tidy: ${#files[@]} files, $jobs jobs"
# One process per file, in parallel; each prints its findings with the file and line.
printf '%s\n' "${files[@]}" | xargs -P "$jobs" -n 1 "$tidy" -p "$build" --quiet 2> >(grep -v "warnings generated\|^Suppressed\|^Use -header-filter\|NOLINT" >&2)
echo "clang-tidy: clean"

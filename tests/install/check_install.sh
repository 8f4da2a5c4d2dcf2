#!/usr/bin/env bash
# Installs Vigil as a bureau's IT would, away from the source tree, and runs it from there:
#   1. `cmake --install` into a scratch prefix, then moves that prefix elsewhere (the program must
#      find its catalogue and demo data relative to itself, not through paths compiled in);
#   2. `cpack -G DEB`, checks the package's metadata, unpacks it with `dpkg -x` and runs it.
# Each time: `vigil paths` must point inside the installed tree, `vigil demo` must build the demo
# and `vigil nearest` answer on it. `vigil` is the lean front, which links no GDAL: paths and demo
# reach vigil-full beside it through the hand-off, nearest is the front's own.
# Usage: check_install.sh BUILD_DIR SCRATCH_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch"
scratch=$(cd "$scratch" && pwd -P) # physical: the program finds its folders by its real path
# Nothing from the developer's environment may point the program at the source tree.
unset VIGIL_LAYERS VIGIL_DEMO_DATA VIGIL_WEB
cd "$scratch" # and no relative path may resolve against the source or build tree

fail() { echo "check_install: $*" >&2; exit 1; }

run_installed() { # PREFIX LABEL
  local prefix=$1 label=$2 vigil="$1/bin/vigil"
  [ -x "$vigil" ] || fail "$label: no program at $vigil"
  [ -x "$prefix/bin/vigil-full" ] || fail "$label: no full program at $prefix/bin/vigil-full"
  # The front must not load GDAL, so that demo below can only have run through the hand-off.
  local needed
  needed=$(readelf -d --wide "$vigil") || fail "$label: readelf -d $vigil failed"
  ! grep -q "NEEDED.*libgdal" <<<"$needed" || fail "$label: the front $vigil links GDAL"
  grep -q "NEEDED.*libgdal" <<<"$(readelf -d --wide "$prefix/bin/vigil-full")" || fail "$label: vigil-full links no GDAL?"
  local paths
  paths=$("$vigil" paths --json)
  for var in VIGIL_LAYERS VIGIL_DEMO_DATA; do
    python3 - "$paths" "$var" "$prefix/share/vigil" <<'PY' || fail "$label: $var is not inside the installed tree: $paths"
import json, sys
folders = json.loads(sys.argv[1]); var = sys.argv[2]; share = sys.argv[3]
f = folders[var]
assert f["path"].startswith(share + "/"), f
assert f["origin"] == "installed beside the program", f
PY
  done
  "$vigil" -q demo "$scratch/$label-demo.sqlite" >/dev/null || fail "$label: vigil demo failed"
  local answer
  answer=$("$vigil" nearest "$scratch/$label-demo.sqlite" --at 113.0791,34.9412 --layer rescue_teams -k 3 --json)
  python3 - "$answer" <<'PY' || fail "$label: vigil nearest gave no three teams: $answer"
import json, sys
j = json.loads(sys.argv[1])
assert len(j["results"]) == 3, j
PY
  echo "check_install: $label ok ($prefix)"
}

# 1. cmake --install, then moved.
cmake --install "$build" --prefix "$scratch/prefix" >/dev/null
mv "$scratch/prefix" "$scratch/moved"
run_installed "$scratch/moved" tree

# 2. The Debian package.
mkdir -p "$scratch/pkg"
(cd "$scratch/pkg" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/pkg" >/dev/null) || fail "cpack -G DEB failed"
deb=$(ls "$scratch"/pkg/vigil_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "cpack made no vigil_*.deb in $scratch/pkg"
info=$(dpkg-deb -f "$deb" Package Version Architecture Depends)
grep -q "^Package: vigil$" <<<"$info" || fail "package name: $info"
grep -q "libsqlite3-mod-spatialite" <<<"$info" || fail "Depends lacks SpatiaLite: $info"
grep -q "fonts-noto-cjk" <<<"$info" || fail "Depends lacks the CJK font: $info"
grep -q "libgdal" <<<"$info" || fail "Depends lacks GDAL (dpkg-shlibdeps): $info"
contents=$(dpkg-deb -c "$deb") # whole, not piped into grep -q: an early exit would break the pipe
grep -q "./usr/bin/vigil$" <<<"$contents" || fail "the package has no /usr/bin/vigil"
grep -q "./usr/bin/vigil-full$" <<<"$contents" || fail "the package has no /usr/bin/vigil-full"
grep -q "./usr/share/vigil/layers/enterprises.json$" <<<"$contents" || fail "the package has no layer catalogue"
dpkg -x "$deb" "$scratch/root"
run_installed "$scratch/root/usr" deb
echo "check_install: $(basename "$deb") $(du -h "$deb" | cut -f1)"

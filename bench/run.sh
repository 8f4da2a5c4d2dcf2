#!/usr/bin/env bash
# Vigil beside the peers (../shared/peers), in one session, on the peers' generated data.
#   bench/run.sh                  peers (ogr2ogr, SpatiaLite, PostGIS, C++ floor, reference
#                                 answers) then vigil_bench; results in $BENCH_OUT
#   PEERS="ogr2ogr cpp" bench/run.sh   a subset of peers; PEERS="" for Vigil alone
# Environment as for the peers: SIZES ("10k 100k 1M"), RUNS (3), QUERIES (200), PEERS_DATA.
# Install the peers once with: sudo ../shared/peers/install.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers=${PEERS_DIR:-$root/../shared/peers}
out=${BENCH_OUT:-/tmp/vigil-bench-results}
export PEERS_DATA=${PEERS_DATA:-/tmp/peers-data} SIZES=${SIZES:-"10k 100k 1M"} RUNS=${RUNS:-3} QUERIES=${QUERIES:-200}
mkdir -p "$out"

[ -f "$PEERS_DATA/manifest.json" ] || python3 "$peers/gen_data.py" --out "$PEERS_DATA"

cmake -S "$root" -B "$root/build-release" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVIGIL_BUILD_TESTS=OFF \
  -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build "$root/build-release" --target vigil_bench vigil

: >"$out/results.txt"
if [ -n "${PEERS-ogr2ogr spatialite postgres cpp ref}" ]; then
  PEERS="${PEERS-ogr2ogr spatialite postgres cpp ref}" PEERS_OUT="$out/peers" "$peers/run_all.sh" >/dev/null 2>"$out/peers.log" || true
  grep '^peer=' "$out/peers/results.txt" >>"$out/results.txt" || true
  # ref_check.py prints its answers on stdout (results.txt); the peers log theirs as "# check".
  cat "$out/peers/results.txt" "$out/peers/details.log" | grep -E '^(# )?check' | sed 's/^# //' | sort -u >"$out/checks_peers.txt" || true
fi
echo "# vigil_bench $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >"$out/vigil.log"
"$root/build-release/vigil_bench" 2>>"$out/vigil.log" | tee "$out/vigil.txt"
grep '^peer=' "$out/vigil.txt" >>"$out/results.txt"
grep '^check' "$out/vigil.txt" | sort -u >"$out/checks_vigil.txt"

echo
echo "== side by side (sorted by task and size): $out/side_by_side.txt"
sort -t' ' -k2,2 -k3,3 -s "$out/results.txt" >"$out/side_by_side.txt"
cat "$out/side_by_side.txt"
if [ -s "$out/checks_peers.txt" ]; then
  echo "== answers: vigil vs reference"
  for line in $(cut -d' ' -f2-4 "$out/checks_vigil.txt" | tr ' ' '|'); do
    key=$(echo "$line" | tr '|' ' ')
    ref=$(grep -F "check $key" "$out/checks_peers.txt" | head -n 1 || true)
    mine=$(grep -F "check $key" "$out/checks_vigil.txt" | head -n 1)
    if [ -z "$ref" ]; then echo "  (no reference) $mine"; elif [ "$ref" = "$mine" ]; then echo "  same: $mine"; else echo "  DIFFERENT: vigil '$mine' reference '$ref'"; fi
  done
fi

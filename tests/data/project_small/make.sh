#!/usr/bin/env bash
# Rebuilds tests/data/project_small.sqlite from the sources in this folder with the vigil CLI.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vigil=${1:-$here/../../../build}/vigil
out=$here/../project_small.sqlite
rm -f "$out" "$out-wal" "$out-shm"
"$vigil" -q init "$out"
"$vigil" -q import "$out" "$here/teams.csv" --layer rescue_teams
"$vigil" -q import "$out" "$here/areas.geojson" --layer admin_areas
"$vigil" -q import "$out" "$here/roads.geojson" --layer roads
# One file, no WAL beside it, compact.
sqlite3 "$out" "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE; VACUUM;" >/dev/null
echo "wrote $out ($(stat -c %s "$out") bytes)"

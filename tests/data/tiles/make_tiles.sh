#!/usr/bin/env bash
# Regenerates the raster basemap fixtures of tests/viewer/test_tiles*.cpp from the Jiaozuo county
# polygons (layers/demo/data/jiaozuo_districts_datav_gcj02.geojson):
#
#   jiaozuo_counties.mbtiles  PNG tiles (RGBA), zoom 8-11, every county filled with its own flat
#                             colour (table below), transparent outside the counties
#   xyz/{z}/{x}/{y}.png|.jpg  a few of the same tiles as an XYZ folder (web row order); one JPEG
#
# Usage: tests/data/tiles/make_tiles.sh        (needs GDAL >= 3.1 with SpatiaLite SQL, sqlite3)
# The output is byte-for-byte reproducible (same GDAL). The tests assert on the colours and on
# which tiles exist: change tests/viewer/test_tiles.cpp and test_tiles_render.cpp with the table.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src="$here/../../../layers/demo/data/jiaozuo_districts_datav_gcj02.geojson"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# GCJ-02 -> WGS84: over Jiaozuo the GCJ offset is nearly constant (lon +0.0059..+0.0066°,
# lat -0.0004..-0.0011°), so one shift by its central value puts the counties within ~60 m
# (under one pixel at zoom 11) of where the viewer's vector layers draw them.
ogr2ogr -f GPKG "$work/counties.gpkg" "$src" -nln counties -t_srs EPSG:3857 -dialect SQLite \
  -sql "SELECT ShiftCoords(geometry, -0.0062, 0.0007) AS geometry, adcode, name FROM jiaozuo_districts_datav_gcj02"

# Zoom 11 pixels: 2·20037508.342789244 / (256·2^11) metres. The world edge is a whole number of
# them from 0, so -tap aligns the raster to the tile grid and tiles need no resampling.
res=76.43702828517625
gdal_rasterize -q -ot Byte -init 0 -burn 0 -burn 0 -burn 0 -burn 0 -tr $res $res -tap \
  -te 12525000 4133000 12655000 4236000 -co ALPHA=YES "$work/counties.gpkg" "$work/counties.tif"
#        adcode  R   G   B    county
while read -r code r g b _; do
  gdal_rasterize -q -where "adcode=$code" -b 1 -b 2 -b 3 -b 4 -burn "$r" -burn "$g" -burn "$b" -burn 255 \
    "$work/counties.gpkg" "$work/counties.tif"
done <<'COLOURS'
410802 230  25  75  解放区
410803  60 180  75  中站区
410804 255 225  25  马村区
410811   0 130 200  山阳区
410821 245 130  48  修武县
410822 145  30 180  博爱县
410823  70 240 240  武陟县
410825 240  50 230  温县
410882 210 245  60  沁阳市
410883   0 128 128  孟州市
COLOURS

out="$here/jiaozuo_counties.mbtiles"
rm -f "$out"
gdal_translate -q -of MBTiles -co NAME=jiaozuo_counties -co DESCRIPTION="Jiaozuo counties, flat colours (test fixture)" \
  "$work/counties.tif" "$out"
# Overviews by nearest neighbour keep the colours flat (and the PNGs small): zooms 10, 9, 8.
gdaladdo -q -r nearest "$out" 2 4 8
sqlite3 "$out" "VACUUM;"

# The XYZ folder: the zoom-8 and zoom-9 tiles as PNG, and the fullest zoom-10 tile as JPEG.
# MBTiles rows count from the south (TMS); XYZ rows from the north: y = 2^z - 1 - row.
rm -rf "$here/xyz"
sqlite3 "$out" "SELECT zoom_level, tile_column, tile_row, (1 << zoom_level) - 1 - tile_row FROM tiles WHERE zoom_level <= 9" |
while IFS='|' read -r z x row y; do
  mkdir -p "$here/xyz/$z/$x"
  sqlite3 "$out" "SELECT writefile('$here/xyz/$z/$x/$y.png', tile_data) FROM tiles
                  WHERE zoom_level=$z AND tile_column=$x AND tile_row=$row" >/dev/null
done
IFS='|' read -r x row y < <(sqlite3 "$out" "SELECT tile_column, tile_row, 1023 - tile_row FROM tiles
                                            WHERE zoom_level=10 ORDER BY length(tile_data) DESC LIMIT 1")
sqlite3 "$out" "SELECT writefile('$work/t.png', tile_data) FROM tiles WHERE zoom_level=10 AND tile_column=$x AND tile_row=$row" >/dev/null
mkdir -p "$here/xyz/10/$x"
# JPEG has no alpha: bands 1-3 only (transparent pixels become black).
gdal_translate -q -of JPEG -b 1 -b 2 -b 3 -co QUALITY=90 -co WORLDFILE=NO "$work/t.png" "$here/xyz/10/$x/$y.jpg"
rm -f "$here/xyz/10/$x/$y.jpg.aux.xml"
echo "wrote $out ($(du -h "$out" | cut -f1)) and $here/xyz ($(find "$here/xyz" -type f | wc -l) tiles)"

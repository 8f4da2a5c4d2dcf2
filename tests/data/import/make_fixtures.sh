#!/usr/bin/env bash
# Makes the binary import fixtures (Shapefile, XLSX, GeoPackage, KML, SpatiaLite) from the text
# sources in this folder with GDAL's ogr2ogr. The outputs are committed; rerun this only when the
# sources change. Every record is synthetic.
set -euo pipefail
cd "$(dirname "$0")"
export OGR_XLSX_HEADERS=FORCE

rm -rf shp_gbk shp_cpg && mkdir -p shp_gbk shp_cpg
# GBK shapefile as old desktop GIS writes it, then stripped of its .cpg: GDAL returns raw GBK
# bytes for it, and only --encoding GBK reads it right.
ogr2ogr -f "ESRI Shapefile" shp_gbk/teams_gbk.shp teams_wgs84.geojson -lco ENCODING=CP936 -nln teams_gbk
rm -f shp_gbk/teams_gbk.cpg
# Byte 29 of the .dbf is the language driver id: 0 means "unknown", as old tools leave it.
printf '\x00' | dd of=shp_gbk/teams_gbk.dbf bs=1 seek=29 conv=notrunc status=none
# The same with its .cpg, which GDAL honours by itself.
ogr2ogr -f "ESRI Shapefile" shp_cpg/teams_cpg.shp teams_wgs84.geojson -lco ENCODING=CP936 -nln teams_cpg

rm -f warehouses.xlsx enterprises_4547.gpkg teams.kml hazards.sqlite
ogr2ogr -f XLSX warehouses.xlsx warehouses.csv -nln 物资仓库
ogr2ogr -f GPKG enterprises_4547.gpkg enterprises_4547.csv -oo X_POSSIBLE_NAMES=东坐标 -oo Y_POSSIBLE_NAMES=北坐标 \
  -a_srs EPSG:4547 -nln enterprises
ogr2ogr -f KML teams.kml teams_wgs84.geojson -nln teams -dsco NameField=队伍名称
ogr2ogr -f SQLite -dsco SPATIALITE=YES -dsco INIT_WITH_EPSG=NO hazards.sqlite hazards.geojson -nln hazards
echo "fixtures written"

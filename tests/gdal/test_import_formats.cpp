// Every import format and coordinate system the bureau's registers come in, each with a fixture
// from tests/data/import (see make_fixtures.sh there).

#include <vigil/gdal/importer.hpp>
#include <vigil/geo/geodesic.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>

#include "test_paths.hpp"

#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace vigil;

namespace test_import_formats_cases {

using vigil::test::real_catalog;

std::filesystem::path fixture(const char* name) { return test::data_dir() / "import" / name; }

gdal::ImportResult run(const std::filesystem::path& db, const std::filesystem::path& file, const char* layer, std::string crs = {},
                       std::string encoding = {}) {
    gdal::ImportRequest r;
    r.database = db;
    r.file = file;
    r.layer = layer;
    r.crs = std::move(crs);
    r.encoding = std::move(encoding);
    return gdal::import_file(r, real_catalog());
}

std::string describe(const gdal::ImportResult& r, const char* layer) {
    std::string out;
    for (const auto& p : r.summary.problems) out += importing::format_problem("file", *real_catalog().get(layer), p) + "\n";
    return out;
}


TEST_CASE("GeoJSON (Vigil's own reader): inventory lists, WGS84", "[gdal][import][geojson]") {
    auto db = test::scratch_dir("fmt-geojson") / "p.sqlite";
    auto r = run(db, fixture("hazards.geojson"), "hazard_sources");
    INFO(describe(r, "hazard_sources"));
    REQUIRE_FALSE(r.summary.refused);
    CHECK(r.format == "GeoJSON");
    CHECK(r.inserted == 2);
    CHECK(r.source_crs == "EPSG:4326");
    auto layer = store::Project::open(db).load_layer("hazard_sources");
    auto inv = nlohmann::json::parse(layer->text(*layer->find("H01"), "inventory"));
    REQUIRE(inv.size() == 2);
    CHECK(inv[0]["substance"] == "液氯");
    CHECK(inv[0]["un_number"] == "1017");
    CHECK(inv[1]["quantity_t"].get<double>() == Approx(100));
    CHECK(layer->text(*layer->find("H02"), "unit_type") == "warehouse");
}

TEST_CASE("CSV with Chinese headers in GCJ-02 lands on the WGS84 truth", "[gdal][import][csv][gcj02]") {
    auto db = test::scratch_dir("fmt-csv-gcj") / "p.sqlite";
    auto r = run(db, fixture("teams_gcj02.csv"), "救援队伍", "gcj02");
    INFO(describe(r, "rescue_teams"));
    REQUIRE_FALSE(r.summary.refused);
    CHECK(r.format == "CSV");
    CHECK(r.source_crs == "GCJ-02");
    auto project = store::Project::open(db);
    auto layer = project.load_layer("rescue_teams");
    REQUIRE(layer->size() == 2);
    auto g01 = layer->geometry(*layer->find("G01")).coords[0];
    // domain.md: WGS (113.24, 35.22) -> GCJ (113.246366, 35.219493); six decimals ~ 0.1 m.
    CHECK(geo::geodesic_distance_m(g01, {113.24, 35.22}) < 0.5);
    CHECK(layer->text(*layer->find("G02"), "name") == "焦作\"蓝天\"救援队");
    CHECK(layer->text(*layer->find("G02"), "capabilities") == R"(["water","structural"])");
    // The one layer imported, with the datum it came in (the rows are stored in WGS84).
    REQUIRE(project.layers().size() == 1);
    CHECK(project.layers()[0].kind == "rescue_teams");
    CHECK(project.layers()[0].source_crs == "GCJ-02");
}

TEST_CASE("Shapefile in GBK without .cpg: refused with the hint, then read exactly with --encoding GBK", "[gdal][import][shapefile]") {
    auto db = test::scratch_dir("fmt-shp-gbk") / "p.sqlite";
    CHECK_THROWS_WITH(run(db, fixture("shp_gbk/teams_gbk.shp"), "rescue_teams"), Catch::Contains("--encoding GBK"));
    auto r = run(db, fixture("shp_gbk/teams_gbk.shp"), "rescue_teams", "", "GBK");
    INFO(describe(r, "rescue_teams"));
    REQUIRE_FALSE(r.summary.refused);
    CHECK(r.format == "ESRI Shapefile");
    CHECK(r.source_crs == "EPSG:4326");
    auto layer = store::Project::open(db).load_layer("rescue_teams");
    REQUIRE(layer->size() == 3);
    CHECK(layer->text(*layer->find("S01"), "name") == "温县消防救援队");
    CHECK(layer->text(*layer->find("S01"), "capabilities") == R"(["hazmat","fire"])");
    CHECK(layer->text(*layer->find("S03"), "status") == "resting");
}

TEST_CASE("Shapefile with a .cpg decodes by itself", "[gdal][import][shapefile]") {
    auto db = test::scratch_dir("fmt-shp-cpg") / "p.sqlite";
    auto r = run(db, fixture("shp_cpg/teams_cpg.shp"), "rescue_teams");
    INFO(describe(r, "rescue_teams"));
    REQUIRE_FALSE(r.summary.refused);
    auto layer = store::Project::open(db).load_layer("rescue_teams");
    CHECK(layer->text(*layer->find("S02"), "name") == "孟州消防救援站");
}

TEST_CASE("XLSX workbook with Chinese headers and stock lines", "[gdal][import][xlsx]") {
    auto db = test::scratch_dir("fmt-xlsx") / "p.sqlite";
    auto r = run(db, fixture("warehouses.xlsx"), "物资仓库");
    INFO(describe(r, "warehouses"));
    REQUIRE_FALSE(r.summary.refused);
    CHECK(r.format == "XLSX");
    CHECK(r.inserted == 2);
    auto layer = store::Project::open(db).load_layer("warehouses");
    auto stock = nlohmann::json::parse(layer->text(*layer->find("W01"), "stock"));
    REQUIRE(stock.size() == 3);
    CHECK(stock[2]["item"] == "沙袋");
    CHECK(stock[2]["quantity"].get<double>() == Approx(3000));
    CHECK(layer->text(*layer->find("W01"), "level") == "municipal");
    CHECK(layer->geometry(*layer->find("W02")).coords[0] == geo::Coord{113.09, 34.945});
}

TEST_CASE("GeoPackage in EPSG:4547 (CGCS2000 Gauss-Kruger CM 114E)", "[gdal][import][gpkg][crs]") {
    auto db = test::scratch_dir("fmt-gpkg-4547") / "p.sqlite";
    auto r = run(db, fixture("enterprises_4547.gpkg"), "enterprises");
    INFO(describe(r, "enterprises"));
    REQUIRE_FALSE(r.summary.refused);
    CHECK(r.format == "GPKG");
    CHECK(r.source_crs == "EPSG:4547");
    auto layer = store::Project::open(db).load_layer("enterprises");
    // domain.md: CGCS2000 (35.22 N, 113.24 E) -> EPSG:4547 E 430806.51, N 3899264.94.
    CHECK(geo::geodesic_distance_m(layer->geometry(*layer->find("E4547-1")).coords[0], {113.24, 35.22}) < 0.05);
    CHECK(layer->text(*layer->find("E4547-1"), "risk_level") == "red");
}

TEST_CASE("CSV of projected coordinates with --crs EPSG:4547", "[gdal][import][csv][crs]") {
    auto db = test::scratch_dir("fmt-csv-4547") / "p.sqlite";
    auto r = run(db, fixture("enterprises_4547.csv"), "enterprises", "EPSG:4547");
    INFO(describe(r, "enterprises"));
    REQUIRE_FALSE(r.summary.refused);
    auto layer = store::Project::open(db).load_layer("enterprises");
    CHECK(geo::geodesic_distance_m(layer->geometry(*layer->find("E4547-1")).coords[0], {113.24, 35.22}) < 0.05);
    // Without --crs, metres taken as degrees are caught and named.
    auto db2 = test::scratch_dir("fmt-csv-4547-nocrs") / "p.sqlite";
    auto bad = run(db2, fixture("enterprises_4547.csv"), "enterprises");
    CHECK(bad.summary.refused);
    REQUIRE_FALSE(bad.summary.problems.empty());
    CHECK(bad.summary.problems[0].reason.find("not a longitude/latitude") != std::string::npos);
}

TEST_CASE("KML and SpatiaLite sources through GDAL", "[gdal][import][kml][spatialite]") {
    auto db = test::scratch_dir("fmt-kml") / "p.sqlite";
    auto r = run(db, fixture("teams.kml"), "rescue_teams");
    INFO(describe(r, "rescue_teams"));
    REQUIRE_FALSE(r.summary.refused);
    CHECK((r.format == "LIBKML" || r.format == "KML"));
    auto layer = store::Project::open(db).load_layer("rescue_teams");
    CHECK(layer->size() == 3);
    CHECK(layer->geometry(*layer->find("S03")).coords[0] == geo::Coord{112.9345, 35.089});

    auto r2 = run(db, fixture("hazards.sqlite"), "hazard_sources");
    INFO(describe(r2, "hazard_sources"));
    REQUIRE_FALSE(r2.summary.refused);
    CHECK(r2.format == "SQLite");
    CHECK(r2.inserted == 2);
}

TEST_CASE("BD-09 coordinates (Baidu)", "[gdal][import][bd09]") {
    auto dir = test::scratch_dir("fmt-bd09");
    // domain.md: WGS (113.24, 35.22) -> BD (113.252886, 35.225429).
    std::ofstream(dir / "wh.csv") << "编号,名称,经度,纬度\nB1,百度坐标仓库,113.252886,35.225429\n";
    auto r = run(dir / "p.sqlite", dir / "wh.csv", "warehouses", "bd09");
    REQUIRE_FALSE(r.summary.refused);
    CHECK(r.source_crs == "BD-09");
    auto layer = store::Project::open(dir / "p.sqlite").load_layer("warehouses");
    CHECK(geo::geodesic_distance_m(layer->geometry(0).coords[0], {113.24, 35.22}) < 1.0);
}

} // namespace test_import_formats_cases

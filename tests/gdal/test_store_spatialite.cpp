// The project database is a real SpatiaLite file: SpatiaLite validates its spatial index, GDAL
// (and so QGIS and ogrinfo) opens every layer with its count and EPSG:4326, it runs in WAL mode
// with a schema version, and exports round-trip.

#include <vigil/gdal/exporter.hpp>
#include <vigil/gdal/gdal_source.hpp>
#include <vigil/gdal/importer.hpp>
#include <vigil/native/project_writer.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/store/project_schema.hpp>
#include <vigil/util/error.hpp>

#include "test_paths.hpp"

#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <sqlite3.h>

#include <fstream>

using namespace vigil;
namespace fs = std::filesystem;

namespace test_store_spatialite_cases {

using vigil::test::real_catalog;

fs::path build_small(const std::string& name) {
    auto dir = test::scratch_dir(name);
    auto db = dir / "p.sqlite";
    auto src = test::data_dir() / "project_small";
    for (auto [file, layer] : {std::pair{"teams.csv", "rescue_teams"}, {"areas.geojson", "admin_areas"}, {"roads.geojson", "roads"}}) {
        gdal::ImportRequest r;
        r.database = db;
        r.file = src / file;
        r.layer = layer;
        auto res = gdal::import_file(r, real_catalog());
        REQUIRE_FALSE(res.summary.refused);
    }
    return db;
}


TEST_CASE("SpatiaLite itself checks the spatial index and geometry of every layer", "[gdal][store]") {
    auto db = build_small("store-spatialite");
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    sqlite3_enable_load_extension(h, 1);
    REQUIRE(sqlite3_load_extension(h, "mod_spatialite", nullptr, nullptr) == SQLITE_OK);
    for (const char* table : {"rescue_teams", "admin_areas", "roads"}) {
        INFO(table);
        sqlite3_stmt* st = nullptr;
        std::string sql = std::string("SELECT CheckSpatialIndex('") + table + "', 'geom'), (SELECT count(*) FROM " + table +
                          " WHERE ST_IsValid(geom) = 1 AND ST_SRID(geom) = 4326), (SELECT count(*) FROM " + table + ")";
        REQUIRE(sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(st) == SQLITE_ROW);
        CHECK(sqlite3_column_int(st, 0) == 1);
        CHECK(sqlite3_column_int(st, 1) == sqlite3_column_int(st, 2));
        sqlite3_finalize(st);
    }
    // SpatiaLite's own triggers are back after the bulk import: an ordinary insert maintains the index.
    char* err = nullptr;
    CHECK(sqlite3_exec(h, "INSERT INTO rescue_teams(id, name, geom) VALUES ('X1', 'x', MakePoint(113.5, 35.5, 4326))", nullptr, nullptr,
                       &err) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(h,
                       "SELECT CheckSpatialIndex('rescue_teams', 'geom'), (SELECT count(*) FROM idx_rescue_teams_geom WHERE xmin >= 113.49 "
                       "AND xmax <= 113.51)",
                       -1, &st, nullptr);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(sqlite3_column_int(st, 0) == 1);
    CHECK(sqlite3_column_int(st, 1) == 1);
    sqlite3_finalize(st);
    // ... and the geometry constraint still refuses a wrong type.
    CHECK(sqlite3_exec(h, "INSERT INTO rescue_teams(id, name, geom) VALUES ('X2', 'x', GeomFromText('LINESTRING(1 1, 2 2)', 4326))",
                       nullptr, nullptr, &err) != SQLITE_OK);
    sqlite3_free(err);
    sqlite3_close(h);
}

TEST_CASE("GDAL opens every layer with its feature count and EPSG:4326", "[gdal][store]") {
    auto db = build_small("store-gdal");
    gdal::initialise_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(db.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    CHECK(std::string(ds->GetDriver()->GetDescription()) == "SQLite");
    std::map<std::string, GIntBig> counts;
    for (int i = 0; i < ds->GetLayerCount(); ++i) {
        OGRLayer* l = ds->GetLayer(i);
        const OGRSpatialReference* srs = l->GetSpatialRef();
        REQUIRE(srs);
        CHECK(std::string(srs->GetAuthorityCode(nullptr)) == "4326");
        counts[l->GetName()] = l->GetFeatureCount(TRUE);
    }
    CHECK(counts["rescue_teams"] == 5);
    CHECK(counts["admin_areas"] == 2);
    CHECK(counts["roads"] == 1);
}

TEST_CASE("WAL mode, schema version, application id, one table per layer", "[gdal][store]") {
    auto db = build_small("store-pragmas");
    auto d = store::Database::open(db, store::Database::Mode::ReadOnly);
    CHECK(d.query_text("PRAGMA journal_mode") == "wal");
    CHECK(d.query_int("PRAGMA user_version") == store::k_schema_version);
    CHECK(d.query_int("PRAGMA application_id") == store::k_application_id);
    CHECK(d.query_text("SELECT value FROM vigil_meta WHERE key = 'schema_version'") == std::to_string(store::k_schema_version));
    auto cols = d.table_columns("rescue_teams");
    CHECK(cols.front() == "fid");
    CHECK(std::find(cols.begin(), cols.end(), "capabilities") != cols.end());
    CHECK(std::find(cols.begin(), cols.end(), "geom") != cols.end());
    // A database from a newer Vigil is refused, not misread.
    {
        auto w = store::Database::open(db, store::Database::Mode::ReadWrite);
        w.exec("PRAGMA user_version = 99");
    }
    CHECK_THROWS_WITH(store::Project::open(db), Catch::Contains("newer"));
    CHECK_THROWS_WITH(native::ProjectWriter::open(db, false), Catch::Contains("newer"));
}

TEST_CASE("a database that is not ours is never changed", "[gdal][store]") {
    auto dir = test::scratch_dir("store-foreign");
    {
        auto d = store::Database::open(dir / "foreign.sqlite", store::Database::Mode::ReadWriteCreate);
        d.exec("CREATE TABLE customers(name TEXT)");
    }
    CHECK_THROWS_WITH(native::ProjectWriter::open(dir / "foreign.sqlite", true), Catch::Contains("not a Vigil project"));
    auto d = store::Database::open(dir / "foreign.sqlite", store::Database::Mode::ReadOnly);
    CHECK(d.query_int("SELECT count(*) FROM sqlite_schema") == 1);
}

TEST_CASE("export to GeoJSON, GeoPackage, CSV and Shapefile, and back", "[gdal][store][export]") {
    auto db = build_small("store-export");
    auto dir = db.parent_path();
    for (const char* ext : {".geojson", ".gpkg", ".csv", ".shp"}) {
        INFO(ext);
        gdal::ExportRequest e;
        e.database = db;
        e.layer = "救援队伍";
        e.output = dir / (std::string("teams") + ext);
        auto r = gdal::export_layer(e);
        CHECK(r.features == 5);
        CHECK_THROWS_WITH(gdal::export_layer(e), Catch::Contains("--overwrite"));
        e.overwrite = true;
        CHECK(gdal::export_layer(e).features == 5);

        // The export reads back into a fresh database with the same records.
        gdal::ImportRequest r2;
        r2.database = dir / (std::string("back") + ext + ".sqlite");
        r2.file = e.output;
        r2.layer = "rescue_teams";
        auto back = gdal::import_file(r2, real_catalog());
        INFO((back.summary.problems.empty() ? std::string() : back.summary.problems[0].reason));
        REQUIRE_FALSE(back.summary.refused);
        auto layer = store::Project::open(r2.database).load_layer("rescue_teams");
        REQUIRE(layer->size() == 5);
        auto row = *layer->find("T02");
        CHECK(layer->text(row, "name") == "温县蓝天应急救援队");
        CHECK(layer->text(row, "status") == "resting");
        CHECK(layer->geometry(row).coords[0].x == Approx(113.065).margin(1e-7));
    }
    gdal::ExportRequest bad;
    bad.database = db;
    bad.layer = "rescue_teams";
    bad.output = dir / "teams.docx";
    CHECK_THROWS_AS(gdal::export_layer(bad), UsageError);
}

} // namespace test_store_spatialite_cases

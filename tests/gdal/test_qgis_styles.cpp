// The project database's QGIS layer styles (layer_styles): one Vigil style per layer for each of
// QGIS's two ways in, written once, rewritten only when the catalogue changes, users' own styles
// and choices of default left alone; and the GeoPackage export's style.
// (tests/qgis opens the same files in QGIS itself.)

#include <vigil/catalog/qgis_style.hpp>
#include <vigil/gdal/exporter.hpp>
#include <vigil/gdal/gdal_source.hpp>
#include <vigil/gdal/importer.hpp>
#include <vigil/native/project_writer.hpp>
#include <vigil/native/qgis_styles.hpp>

#include "db_fingerprint.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <fstream>
#include <sstream>

using namespace vigil;
namespace fs = std::filesystem;

namespace test_qgis_styles_cases {

struct StyleRow {
    std::int64_t id = 0;
    bool null_schema = false;
    std::string name, qml, owner;
    bool is_default = false;
};

std::vector<StyleRow> styles_of(const fs::path& db, const std::string& table) {
    auto d = store::Database::open(db, store::Database::Mode::ReadOnly);
    auto st = d.prepare("SELECT id, f_table_schema IS NULL, styleName, styleQML, coalesce(owner, ''), useAsDefault FROM layer_styles "
                        "WHERE f_table_name = ? AND f_geometry_column = 'geom' ORDER BY id");
    st.bind(1, table);
    std::vector<StyleRow> out;
    while (st.step())
        out.push_back({st.column_int64(0), st.column_int64(1) != 0, std::string(st.column_text(2)), std::string(st.column_text(3)),
                       std::string(st.column_text(4)), st.column_int64(5) != 0});
    return out;
}

// The real catalogue with the enterprises' red changed, as a newer catalogue file would.
catalog::Catalog catalogue_with_new_red() {
    std::ifstream in(test::layers_dir() / "enterprises.json");
    std::stringstream text;
    text << in.rdbuf();
    std::string json = text.str();
    const auto at = json.find("#D32F2F");
    REQUIRE(at != std::string::npos);
    json.replace(at, 7, "#FF0000");
    catalog::Catalog c = test::real_catalog();
    c.add(catalog::parse_layer_kind(json, "enterprises.json"));
    return c;
}

fs::path initialised(const std::string& name) {
    const auto db = test::scratch_dir(name) / "p.sqlite";
    auto w = native::ProjectWriter::open(db, true);
    w.ensure_layers(test::real_catalog());
    return db;
}


TEST_CASE("every layer gets Vigil's default style, once for each of QGIS's providers", "[gdal][store][qgis]") {
    const auto db = initialised("qgis-styles-init");
    auto d = store::Database::open(db, store::Database::Mode::ReadOnly);
    // The table as QGIS makes it.
    CHECK(d.table_columns("layer_styles") == std::vector<std::string>{"id", "f_table_catalog", "f_table_schema", "f_table_name",
                                                                      "f_geometry_column", "styleName", "styleQML", "styleSLD",
                                                                      "useAsDefault", "description", "owner", "ui", "update_time"});
    for (const auto& k : test::real_catalog().kinds()) {
        INFO(k->kind);
        const auto rows = styles_of(db, k->kind);
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].null_schema != rows[1].null_schema);
        for (const auto& r : rows) {
            CHECK(r.name == catalog::k_qgis_style_name);
            CHECK(r.owner == "vigil");
            CHECK(r.is_default);
            CHECK(r.qml == catalog::qgis_style(*k).qml);
        }
    }
    // OGR's rows carry '' where the SpatiaLite provider's carry NULL, catalogue and schema alike.
    CHECK(d.query_int("SELECT count(*) FROM layer_styles WHERE f_table_catalog IS f_table_schema") ==
          d.query_int("SELECT count(*) FROM layer_styles"));
    CHECK(d.query_int("SELECT count(*) FROM layer_styles WHERE update_time IS NULL OR styleSLD NOT LIKE '<?xml%'") == 0);
}

TEST_CASE("opening and importing again changes no style row", "[gdal][store][qgis]") {
    const auto db = initialised("qgis-styles-again");
    const std::string before = test::db_fingerprint(db);
    {
        auto w = native::ProjectWriter::open(db, false);
        w.ensure_layers(test::real_catalog());
    }
    CHECK(test::db_fingerprint(db) == before);
    // An import creates the layer's style in a new database too, and a second one adds none.
    const auto dir = db.parent_path();
    gdal::ImportRequest r;
    r.database = dir / "imported.sqlite";
    r.file = test::data_dir() / "project_small" / "teams.csv";
    r.layer = "rescue_teams";
    REQUIRE_FALSE(gdal::import_file(r, test::real_catalog()).summary.refused);
    CHECK(styles_of(r.database, "rescue_teams").size() == 2);
    REQUIRE_FALSE(gdal::import_file(r, test::real_catalog()).summary.refused);
    CHECK(styles_of(r.database, "rescue_teams").size() == 2);
}

TEST_CASE("a new catalogue rewrites Vigil's rows only: users' styles and their default stay", "[gdal][store][qgis]") {
    const auto db = initialised("qgis-styles-users");
    {
        // What QGIS's SpatiaLite provider does when a user saves "mine" as the default of
        // enterprises: clears useAsDefault on the layer's rows, then adds theirs.
        auto d = store::Database::open(db, store::Database::Mode::ReadWrite);
        d.exec("UPDATE layer_styles SET useAsDefault = 0 WHERE f_table_schema IS NULL AND f_table_name = 'enterprises'");
        d.exec("INSERT INTO layer_styles(f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, styleQML, styleSLD, "
               "useAsDefault, description, owner) VALUES (NULL, NULL, 'enterprises', 'geom', 'mine', '<qgis>mine</qgis>', '', 1, 'x', '')");
        // ... and one who saved their own style under Vigil's name, for roads (QGIS clears the owner).
        d.exec("UPDATE layer_styles SET styleQML = '<qgis>my roads</qgis>', owner = '' WHERE f_table_schema IS NULL AND "
               "f_table_name = 'roads'");
    }
    const auto enterprises_before = styles_of(db, "enterprises");
    {
        auto w = native::ProjectWriter::open(db, false);
        w.ensure_layers(catalogue_with_new_red());
    }
    const auto after = styles_of(db, "enterprises");
    REQUIRE(after.size() == 3);
    for (std::size_t i = 0; i < after.size(); ++i) {
        INFO(i);
        CHECK(after[i].id == enterprises_before[i].id);
        CHECK(after[i].is_default == enterprises_before[i].is_default); // the user's choice, both ways in
        if (after[i].name == "mine") {
            CHECK(after[i].qml == "<qgis>mine</qgis>");
        } else {
            CHECK(after[i].qml.find("255,0,0,255") != std::string::npos); // the new red
            CHECK(after[i].qml != enterprises_before[i].qml);
        }
    }
    CHECK_FALSE(after[0].is_default); // Vigil's SpatiaLite row, no longer the default
    CHECK(after[1].is_default);       // OGR's row: the user changed nothing there
    const auto roads = styles_of(db, "roads");
    REQUIRE(roads.size() == 2); // none added beside the user's
    CHECK(roads[0].qml == "<qgis>my roads</qgis>");
    CHECK(roads[1].owner == "vigil");
}

TEST_CASE("a layer added later becomes the default only where the user has none", "[gdal][store][qgis]") {
    const auto dir = test::scratch_dir("qgis-styles-later");
    const auto db = dir / "p.sqlite";
    {
        // A user's default style for hazard sources, saved before Vigil ever wrote one.
        auto w = native::ProjectWriter::open(db, true);
        auto& d = w.database();
        d.exec(native::layer_styles_ddl());
        d.exec("INSERT INTO layer_styles(f_table_schema, f_table_name, f_geometry_column, styleName, styleQML, useAsDefault, owner) VALUES "
               "(NULL, 'hazard_sources', 'geom', 'mine', '<qgis/>', 1, '')");
        w.ensure_layers(test::real_catalog());
    }
    const auto rows = styles_of(db, "hazard_sources");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].name == "mine");
    CHECK(rows[0].is_default);
    CHECK_FALSE(rows[1].is_default); // Vigil's for the SpatiaLite provider, beside the user's default
    CHECK(rows[2].is_default);       // OGR's way in has no other
}

TEST_CASE("a GeoPackage export carries the layer's style as QGIS's OGR provider reads it", "[gdal][store][export][qgis]") {
    const auto dir = test::scratch_dir("qgis-styles-gpkg");
    gdal::ImportRequest r;
    r.database = dir / "p.sqlite";
    r.file = test::data_dir() / "project_small" / "teams.csv";
    r.layer = "rescue_teams";
    REQUIRE_FALSE(gdal::import_file(r, test::real_catalog()).summary.refused);
    gdal::ExportRequest e;
    e.database = r.database;
    e.layer = "rescue_teams";
    e.output = dir / "teams.gpkg";
    CHECK(gdal::export_layer(e).features == 5);

    gdal::initialise_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(e.output.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    OGRLayer* teams = ds->GetLayerByName("rescue_teams");
    OGRLayer* styles = ds->GetLayerByName("layer_styles");
    REQUIRE(teams);
    REQUIRE(styles);
    CHECK(std::string(styles->GetFIDColumn()) == "id");
    REQUIRE(styles->GetFeatureCount(TRUE) == 1);
    // The filter QGIS's OGR provider loads a layer's style with.
    const std::string filter =
        "f_table_schema='' AND f_table_name='rescue_teams' AND f_geometry_column='" + std::string(teams->GetGeometryColumn()) + "'";
    REQUIRE(styles->SetAttributeFilter(filter.c_str()) == OGRERR_NONE);
    std::unique_ptr<OGRFeature> f(styles->GetNextFeature());
    REQUIRE(f);
    CHECK(f->GetFieldAsInteger("useAsDefault") == 1);
    CHECK(std::string(f->GetFieldAsString("styleName")) == catalog::k_qgis_style_name);
    CHECK(std::string(f->GetFieldAsString("styleQML")) == catalog::qgis_style(*test::real_catalog().get("rescue_teams")).qml);
    CHECK(std::string(f->GetFieldAsString("styleSLD")).rfind("<?xml", 0) == 0);
    CHECK(f->IsFieldSetAndNotNull(f->GetFieldIndex("update_time")));

    // Importing the GeoPackage takes the teams, never the style row ...
    gdal::ImportRequest back;
    back.database = dir / "back.sqlite";
    back.file = e.output;
    back.layer = "rescue_teams";
    auto res = gdal::import_file(back, test::real_catalog());
    REQUIRE_FALSE(res.summary.refused);
    CHECK(res.inserted == 5);
}

TEST_CASE("an exported empty layer is read as that layer, not as its style row", "[gdal][store][export][qgis]") {
    const auto db = initialised("qgis-styles-empty");
    gdal::ExportRequest e;
    e.database = db;
    e.layer = "warehouses";
    e.output = db.parent_path() / "warehouses.gpkg";
    CHECK(gdal::export_layer(e).features == 0);
    gdal::GdalSource source(e.output.string());
    CHECK(source.layer_name() == "warehouses");
}

} // namespace test_qgis_styles_cases

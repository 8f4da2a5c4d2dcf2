// The import contract: a refused import leaves the stored data exactly as it was and names
// file, row, field and reason; re-imports update by id when told to (--update); --skip-invalid keeps the good rows and
// writes the rejected ones beside the input; files that are not what they claim are named.

#include <vigil/gdal/importer.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>

#include "db_fingerprint.hpp"
#include "test_paths.hpp"

#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace vigil;
namespace fs = std::filesystem;

namespace test_import_contract_cases {

using vigil::test::real_catalog;

gdal::ImportResult run(const fs::path& db, const fs::path& file, const char* layer, bool skip_invalid = false,
                       importing::OnExisting on_existing = importing::OnExisting::Refuse) {
    gdal::ImportRequest r;
    r.database = db;
    r.file = file;
    r.layer = layer;
    r.skip_invalid = skip_invalid;
    r.on_existing = on_existing;
    return gdal::import_file(r, real_catalog());
}

void write(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const char* k_good = "队伍编号,队伍名称,救援能力,状态,经度,纬度\n"
                     "T1,一队,危化品,待命,113.08,34.94\n"
                     "T2,二队,水域,待命,113.10,34.95\n";


TEST_CASE("a refused import leaves the database exactly as it was, and says why", "[gdal][contract]") {
    auto dir = test::scratch_dir("contract-refused");
    write(dir / "good.csv", k_good);
    REQUIRE_FALSE(run(dir / "p.sqlite", dir / "good.csv", "rescue_teams").summary.refused);
    const std::string before = test::db_fingerprint(dir / "p.sqlite");

    // Row 3 updates T2 (would change stored data), row 4 is bad: nothing may change.
    write(dir / "bad.csv", "队伍编号,队伍名称,救援能力,状态,经度,纬度\n"
                           "T3,三队,危化品,待命,113.08,34.94\n"
                           "T2,二队改名,水域,待命,113.10,34.95\n"
                           "T4,四队,飞行,待命,113.10,34.95\n"
                           "T5,五队,水域,待命,34.95,113.10\n");
    auto r = run(dir / "p.sqlite", dir / "bad.csv", "rescue_teams");
    CHECK(r.summary.refused);
    CHECK(r.import_id == 0);
    CHECK(r.summary.rows_read == 4);
    CHECK(r.summary.problem_count == 2);
    REQUIRE(r.summary.problems.size() == 2);
    CHECK(r.summary.problems[0].row == 4);
    CHECK(r.summary.problems[0].record_id == "T4");
    CHECK(r.summary.problems[0].field == "capabilities");
    CHECK(r.summary.problems[0].value == "飞行");
    CHECK(r.summary.problems[1].row == 5);
    CHECK(r.summary.problems[1].reason.find("swapped") != std::string::npos);
    CHECK(test::db_fingerprint(dir / "p.sqlite") == before);

    // The refusal is on record.
    auto imports = store::Project::open(dir / "p.sqlite").imports();
    REQUIRE(imports.size() == 2);
    CHECK(imports[0].status == "refused");
    CHECK(imports[0].file_name == "bad.csv");
    CHECK(imports[0].problem_count == 2);
    CHECK(imports[0].file_sha256.size() == 64);
    CHECK(imports[0].message.find("nothing imported") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "bad.rejected.csv"));
}

TEST_CASE("a refused import into a new layer creates no table", "[gdal][contract]") {
    auto dir = test::scratch_dir("contract-new-layer");
    write(dir / "good.csv", k_good);
    REQUIRE_FALSE(run(dir / "p.sqlite", dir / "good.csv", "rescue_teams").summary.refused);
    const std::string before = test::db_fingerprint(dir / "p.sqlite");
    write(dir / "ent.csv", "企业编号,企业名称,经度,纬度\nE1,,113.0,35.0\n");
    auto r = run(dir / "p.sqlite", dir / "ent.csv", "enterprises");
    CHECK(r.summary.refused);
    CHECK(test::db_fingerprint(dir / "p.sqlite") == before);
    auto db = store::Database::open(dir / "p.sqlite", store::Database::Mode::ReadOnly);
    CHECK_FALSE(db.table_exists("enterprises"));
}

TEST_CASE("re-importing with --update updates records by id instead of duplicating", "[gdal][contract]") {
    auto dir = test::scratch_dir("contract-upsert");
    write(dir / "v1.csv", k_good);
    auto r1 = run(dir / "p.sqlite", dir / "v1.csv", "rescue_teams");
    CHECK(r1.inserted == 2);
    std::int64_t fid_t2 = 0;
    {
        auto layer = store::Project::open(dir / "p.sqlite").load_layer("rescue_teams");
        fid_t2 = layer->fid(*layer->find("T2"));
    }
    write(dir / "v2.csv", "队伍编号,队伍名称,救援能力,状态,经度,纬度\n"
                          "T2,二队（新址）,水域、危化品,出动,113.20,35.00\n"
                          "T3,三队,医疗,待命,113.30,35.10\n");
    auto r2 = run(dir / "p.sqlite", dir / "v2.csv", "rescue_teams", false, importing::OnExisting::Update);
    CHECK(r2.inserted == 1);
    CHECK(r2.updated == 1);
    auto project = store::Project::open(dir / "p.sqlite");
    auto layer = project.load_layer("rescue_teams");
    REQUIRE(layer->size() == 3);
    auto row = *layer->find("T2");
    CHECK(layer->fid(row) == fid_t2);
    CHECK(layer->text(row, "name") == "二队（新址）");
    CHECK(layer->text(row, "status") == "deployed");
    CHECK(layer->geometry(row).coords[0] == geo::Coord{113.2, 35.0});
    for (const auto& l : project.layers())
        if (l.kind == "rescue_teams") CHECK(l.feature_count == 3);
    // The spatial index follows the move (SQLite's own R*Tree answers from the new position).
    auto db = store::Database::open(dir / "p.sqlite", store::Database::Mode::ReadOnly);
    CHECK(db.query_int(
              "SELECT count(*) FROM idx_rescue_teams_geom WHERE xmin <= 113.21 AND xmax >= 113.19 AND ymin <= 35.01 AND ymax >= 34.99") ==
          1);
    CHECK(db.query_text("SELECT rtreecheck('idx_rescue_teams_geom')") == "ok");
}

TEST_CASE("skip-invalid imports the good rows and writes the rejected ones, with reasons, beside the input", "[gdal][contract]") {
    auto dir = test::scratch_dir("contract-skip");
    write(dir / "mixed.csv", "队伍编号,队伍名称,救援能力,状态,经度,纬度\n"
                             "T1,一队,危化品,待命,113.08,34.94\n"
                             "T2,二队,飞行,待命,113.10,34.95\n"
                             "T3,三队,水域,待命,200,34.95\n"
                             "T4,四队,水域,待命,113.12,34.96\n");
    auto r = run(dir / "p.sqlite", dir / "mixed.csv", "rescue_teams", true);
    CHECK_FALSE(r.summary.refused);
    CHECK(r.inserted == 2);
    CHECK(r.summary.rows_rejected == 2);
    REQUIRE(r.rejected_csv == dir / "mixed.rejected.csv");
    std::string rejected = slurp(r.rejected_csv);
    CHECK(rejected.find("_row,_field,_reason,队伍编号,队伍名称,救援能力,状态,经度,纬度") != std::string::npos);
    CHECK(rejected.find("3,capabilities,") != std::string::npos);
    CHECK(rejected.find("T2,二队,飞行") != std::string::npos);
    CHECK(rejected.find("4,geometry,") != std::string::npos);
    auto imports = store::Project::open(dir / "p.sqlite").imports();
    CHECK(imports[0].rows_rejected == 2);
    CHECK(imports[0].status == "committed");
}

TEST_CASE("files that are not what they claim are named before parsing", "[gdal][contract]") {
    auto dir = test::scratch_dir("contract-bad-files");
    auto db = dir / "p.sqlite";
    write(dir / "empty.geojson", "");
    CHECK_THROWS_WITH(run(db, dir / "empty.geojson", "rescue_teams"), Catch::Contains("empty"));
    write(dir / "page.geojson", "<!DOCTYPE html><html><body>404</body></html>");
    CHECK_THROWS_WITH(run(db, dir / "page.geojson", "rescue_teams"), Catch::Contains("HTML"));
    write(
        dir / "trunc.geojson",
        R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"x"},"geometry":{"type":"Point","coordinates":[113.0,)");
    CHECK_THROWS_WITH(run(db, dir / "trunc.geojson", "rescue_teams"), Catch::Contains("trunc.geojson") && Catch::Contains("line"));
    CHECK_THROWS_AS(run(db, dir / "missing.csv", "rescue_teams"), IoError);
    CHECK_THROWS_AS(run(db, dir / "empty.geojson", "no_such_kind"), UsageError);
    // A shapefile without its .prj: never assume WGS84 silently.
    for (const char* ext : {".shp", ".shx", ".dbf", ".cpg"})
        fs::copy_file(test::data_dir() / "import" / "shp_cpg" / (std::string("teams_cpg") + ext), dir / (std::string("noprj") + ext));
    CHECK_THROWS_WITH(run(db, dir / "noprj.shp", "rescue_teams"), Catch::Contains("--crs"));
    // NaN and Infinity in GeoJSON (GDAL turns them into POINT EMPTY silently) are refused per row.
    write(dir / "nan.geojson", R"({"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"id":"A","name":"a"},"geometry":{"type":"Point","coordinates":[NaN,35.0]}},
        {"type":"Feature","properties":{"id":"B","name":"b"},"geometry":{"type":"Point","coordinates":[1e309,35.0]}}]})");
    auto r = run(db, dir / "nan.geojson", "rescue_teams");
    CHECK(r.summary.refused);
    REQUIRE(r.summary.problems.size() == 2);
    CHECK(r.summary.problems[0].row == 1);
    CHECK(r.summary.problems[0].field == "geometry");
    CHECK(r.summary.problems[1].row == 2);
}

TEST_CASE("the bulk path (large files) leaves a valid index, the unique id index and WAL mode", "[gdal][contract][bulk]") {
    auto dir = test::scratch_dir("contract-bulk");
    auto write_teams = [&](const fs::path& p, int from, int to, double shift) {
        std::ofstream out(p);
        out << "队伍编号,队伍名称,救援能力,状态,经度,纬度\n";
        for (int i = from; i < to; ++i)
            out << "T" << i << ",队" << i << ",危化品,待命," << 112.6 + (i % 97) * 0.01 + shift << "," << 34.8 + (i / 97) * 0.01 << "\n";
    };
    write_teams(dir / "a.csv", 0, 3000, 0);
    gdal::ImportRequest r;
    r.database = dir / "p.sqlite";
    r.file = dir / "a.csv";
    r.layer = "rescue_teams";
    r.bulk_threshold_bytes = 0; // force the bulk path on a small file
    auto a = gdal::import_file(r, real_catalog());
    REQUIRE_FALSE(a.summary.refused);
    CHECK(a.inserted == 3000);
    // Re-import into the non-empty table, half updates (moved by 0.001 degrees), half new rows.
    write_teams(dir / "b.csv", 1500, 4500, 0.001);
    r.file = dir / "b.csv";
    r.on_existing = importing::OnExisting::Update;
    auto b = gdal::import_file(r, real_catalog());
    REQUIRE_FALSE(b.summary.refused);
    CHECK(b.inserted == 1500);
    CHECK(b.updated == 1500);
    auto db = store::Database::open(dir / "p.sqlite", store::Database::Mode::ReadOnly);
    CHECK(db.query_int("SELECT count(*) FROM rescue_teams") == 4500);
    CHECK(db.query_int("SELECT count(*) FROM record_history WHERE action = 'updated'") == 1500);
    CHECK(db.query_text("SELECT rtreecheck('idx_rescue_teams_geom')") == "ok");
    CHECK(db.query_int("SELECT count(*) FROM idx_rescue_teams_geom") == 4500);
    CHECK(db.query_text("PRAGMA journal_mode") == "wal");
    CHECK(db.query_int("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'rescue_teams_id_unique'") == 1);
    // The index answers with the moved position of T2000.
    auto row = db.query_int("SELECT fid FROM rescue_teams WHERE id = 'T2000'");
    auto st = db.prepare("SELECT xmin FROM idx_rescue_teams_geom WHERE pkid = ?");
    st.bind(1, row);
    REQUIRE(st.step());
    CHECK(st.column_double(0) == Approx(112.6 + (2000 % 97) * 0.01 + 0.001).margin(1e-5));
    // A duplicate id in a bulk file is still refused, and nothing changes.
    const std::string before = test::db_fingerprint(dir / "p.sqlite");
    write(dir / "dup.csv", "队伍编号,队伍名称,救援能力,状态,经度,纬度\nX1,甲,危化品,待命,113,35\nX1,乙,危化品,待命,113,35\n");
    r.file = dir / "dup.csv";
    auto c = gdal::import_file(r, real_catalog());
    CHECK(c.summary.refused);
    CHECK(test::db_fingerprint(dir / "p.sqlite") == before);
}

// A data package unzipped as it came can carry symbolic links named like Vigil's reports. Such a
// link pointing at the project database once made a refused import truncate the database to a
// CSV while printing "the database is unchanged" (and, with --skip-invalid, one bad row left
// "database disk image is malformed"). Reports must never write through a link or over anything
// but an earlier report of their own kind.
namespace {

std::string many_bad_rows(int n) {
    std::string csv = "队伍编号,队伍名称,救援能力,状态,经度,纬度\n";
    for (int i = 0; i < n; ++i) csv += "B" + std::to_string(i) + ",坏队,飞行,待命,113.08,34.94\n";
    return csv;
}

void check_database_sound(const fs::path& db, const std::string& fingerprint_before) {
    CHECK(slurp(db).rfind("SQLite format 3", 0) == 0);
    CHECK(test::db_fingerprint(db) == fingerprint_before);
    auto d = store::Database::open(db, store::Database::Mode::ReadOnly);
    CHECK(d.query_text("PRAGMA integrity_check") == "ok");
}


TEST_CASE("a report name that is a link to the database leaves the database alone", "[gdal][contract][report]") {
    auto dir = test::scratch_dir("contract-report-link");
    fs::create_directories(dir / "inbox");
    write(dir / "good.csv", k_good);
    REQUIRE_FALSE(run(dir / "p.sqlite", dir / "good.csv", "rescue_teams").summary.refused);
    const std::string before = test::db_fingerprint(dir / "p.sqlite");

    SECTION("a refusal with more problems than fit a screen") {
        write(dir / "inbox" / "企业.csv", many_bad_rows(static_cast<int>(gdal::k_problems_on_screen) + 10));
        fs::create_symlink("../p.sqlite", dir / "inbox" / "企业.problems.csv");
        auto r = run(dir / "p.sqlite", dir / "inbox" / "企业.csv", "rescue_teams");
        REQUIRE(r.summary.refused);
        check_database_sound(dir / "p.sqlite", before);
        CHECK(fs::is_symlink(dir / "inbox" / "企业.problems.csv"));
        CHECK(fs::read_symlink(dir / "inbox" / "企业.problems.csv") == "../p.sqlite");
        // The report went to the next free name, and says so through the result.
        CHECK(r.problems_csv == dir / "inbox" / "企业.problems-2.csv");
        CHECK(slurp(r.problems_csv)
                  .rfind("\xEF\xBB\xBF"
                         "file,row,id,field,value,reason\r\n",
                         0) == 0);
        CHECK(slurp(r.problems_csv).find("B59,capabilities,飞行") != std::string::npos);
    }
    SECTION("--skip-invalid with one bad row") {
        write(dir / "inbox" / "mixed.csv", "队伍编号,队伍名称,救援能力,状态,经度,纬度\n"
                                           "T3,三队,危化品,待命,113.08,34.94\n"
                                           "T4,四队,飞行,待命,113.10,34.95\n");
        fs::create_symlink("../p.sqlite", dir / "inbox" / "mixed.rejected.csv");
        auto r = run(dir / "p.sqlite", dir / "inbox" / "mixed.csv", "rescue_teams", true);
        REQUIRE_FALSE(r.summary.refused);
        CHECK(r.inserted == 1);
        auto d = store::Database::open(dir / "p.sqlite", store::Database::Mode::ReadOnly);
        CHECK(d.query_text("PRAGMA integrity_check") == "ok");
        CHECK(d.query_int("SELECT count(*) FROM rescue_teams") == 3);
        CHECK(fs::read_symlink(dir / "inbox" / "mixed.rejected.csv") == "../p.sqlite");
        CHECK(r.rejected_csv == dir / "inbox" / "mixed.rejected-2.csv");
        CHECK(slurp(r.rejected_csv).find("T4,四队,飞行") != std::string::npos);
    }
    // No temporary report file is left behind either way.
    for (const auto& e : fs::directory_iterator(dir / "inbox")) CHECK(e.path().filename().string().rfind('.', 0) != 0);
}

TEST_CASE("a report replaces only an earlier report of its kind, never the user's own file", "[gdal][contract][report]") {
    auto dir = test::scratch_dir("contract-report-own");
    const auto db = dir / "p.sqlite";
    write(dir / "good.csv", k_good);
    REQUIRE_FALSE(run(db, dir / "good.csv", "rescue_teams").summary.refused);
    write(dir / "bad.csv", many_bad_rows(60));

    // A file of the user's that happens to have the report's name is kept as it is.
    write(dir / "bad.problems.csv", "my own notes\n");
    auto first = run(db, dir / "bad.csv", "rescue_teams");
    CHECK(slurp(dir / "bad.problems.csv") == "my own notes\n");
    CHECK(first.problems_csv == dir / "bad.problems-2.csv");

    // Run again: the earlier report is replaced in place, not multiplied.
    write(dir / "bad.csv", many_bad_rows(70));
    auto second = run(db, dir / "bad.csv", "rescue_teams");
    CHECK(second.problems_csv == dir / "bad.problems-2.csv");
    CHECK(slurp(second.problems_csv).find("B69,") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "bad.problems-3.csv"));

    // A folder with the report's name is left alone too.
    fs::remove(dir / "bad.problems-2.csv");
    fs::create_directory(dir / "bad.problems-2.csv");
    auto third = run(db, dir / "bad.csv", "rescue_teams");
    CHECK(fs::is_directory(dir / "bad.problems-2.csv"));
    CHECK(third.problems_csv == dir / "bad.problems-3.csv");
}

} // namespace

} // namespace test_import_contract_cases

// Registers as a county clerk keeps them: Excel sheets with Chinese headers, a 序号 column
// numbered 1, 2 … in every county's file, credit codes, AMap coordinates. An import must never
// replace one county's enterprises with another's behind the clerk's back: a file whose ids
// would change stored records is refused with the count, the ids and the reason they look
// wrong, until --update or --replace-layer says so; the versions replaced are kept.

#include <vigil/gdal/importer.hpp>
#include <vigil/importing/existing_records.hpp>
#include <vigil/native/project_writer.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/store/project_schema.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include "cli_runner.hpp"
#include "db_fingerprint.hpp"
#include "test_paths.hpp"

#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <gdal.h>
#include <nlohmann/json.hpp>
#include <ogr_api.h>

#include <fstream>

using namespace vigil;
namespace fs = std::filesystem;

namespace test_import_registers_cases {

using vigil::test::real_catalog;
using vigil::test::write;

gdal::ImportResult import(const fs::path& db, const fs::path& file, std::vector<std::pair<std::string, std::string>> map = {},
                          importing::OnExisting on_existing = importing::OnExisting::Refuse) {
    gdal::ImportRequest r;
    r.database = db;
    r.file = file;
    r.layer = "企业";
    r.crs = "gcj02"; // AMap coordinates, as the county's sheet has them
    r.column_map = std::move(map);
    r.on_existing = on_existing;
    return gdal::import_file(r, real_catalog());
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Two counties' registers, each numbered from 1 in its 序号 column; the credit codes are valid
// (410825 温县, 410882 沁阳市).
const char* k_wenxian = "序号,企业名称,统一社会信用代码,所属县区,行业类别,风险等级,经度,纬度\n"
                        "1,温县化工有限公司,91410825MA3X4K7L2E,温县,危化品生产,红,113.0813,34.9402\n"
                        "2,温县纺织厂,91410825MA44B2C1XU,温县,纺织,蓝,113.0925,34.9521\n";
const char* k_qinyang = "序号,企业名称,统一社会信用代码,所属县区,行业类别,风险等级,经度,纬度\n"
                        "1,沁阳铝业有限公司,91410882MA3XY1234F,沁阳市,有色金属,橙,112.9452,35.0878\n"
                        "2,沁阳造纸厂,91410882MA40R5N6PG,沁阳市,轻工,黄,112.9601,35.0913\n";

struct Stored {
    std::string id, name, uscc, county;
};

std::vector<Stored> enterprises(const fs::path& db) {
    auto d = store::Database::open(db, store::Database::Mode::ReadOnly);
    auto st = d.prepare("SELECT id, name, ifnull(uscc, ''), county FROM enterprises ORDER BY fid");
    std::vector<Stored> out;
    while (st.step())
        out.push_back({std::string(st.column_text(0)), std::string(st.column_text(1)), std::string(st.column_text(2)),
                       std::string(st.column_text(3))});
    return out;
}


TEST_CASE("a second county's file numbered from 1 is refused, not merged over the first", "[gdal][contract][registers]") {
    auto dir = test::scratch_dir("registers-row-numbers");
    const auto db = dir / "p.sqlite";
    write(dir / "温县.csv", k_wenxian);
    write(dir / "沁阳.csv", k_qinyang);
    auto first = import(db, dir / "温县.csv", {{"id", "序号"}});
    REQUIRE_FALSE(first.summary.refused);
    REQUIRE(first.inserted == 2);
    const std::string before = test::db_fingerprint(db);

    auto second = import(db, dir / "沁阳.csv", {{"id", "序号"}});
    CHECK(second.summary.refused);
    CHECK(second.summary.problems.empty());
    CHECK(second.import_id == 0);
    CHECK(second.inserted == 0);
    CHECK(second.updated == 0);
    CHECK(test::db_fingerprint(db) == before);
    CHECK(enterprises(db)[0].name == "温县化工有限公司");

    const auto& w = second.would_update;
    CHECK(w.count == 2);
    CHECK(w.ids_look_like_row_numbers);
    REQUIRE(w.first.size() == 2);
    CHECK(w.first[0].id == "1");
    CHECK(w.first[0].row == 2); // the CSV's line: the header is line 1
    CHECK(w.first[0].stored_name == "温县化工有限公司");
    CHECK(w.first[0].new_name == "沁阳铝业有限公司");
    CHECK(w.first[0].stored_county == "温县");
    CHECK(w.first[0].new_county == "沁阳市");
    CHECK(w.first[0].stored_file == "温县.csv");

    // The words: how many, which, why they look wrong, what to do.
    const std::string& m = second.refusal_message;
    INFO(m);
    CHECK(m.rfind("import refused: 2 records of 沁阳.csv have ids that layer enterprises already holds", 0) == 0);
    CHECK(has(m, "the database is unchanged"));
    CHECK(has(m, "id 1 (row 2): stored '温县化工有限公司' (温县, from 温县.csv) → new '沁阳铝业有限公司' (沁阳市)"));
    CHECK(has(m, "id 2 (row 3): stored '温县纺织厂'"));
    CHECK(has(m, "the ids look like row numbers (whole numbers up to 2)"));
    CHECK(has(m, "come from another file (温县.csv) and belong to another county (温县; the file says 沁阳市)"));
    CHECK(has(m, "--map id=COLUMN"));
    CHECK(has(m, "without an id column the records are keyed by field uscc (Unified social credit code)"));
    {
        // In Chinese: the layer by its title, the fields by their labels.
        vigil::i18n::set_language(vigil::i18n::Language::zh_CN);
        const auto zh = importing::format_update_refusal("沁阳.csv", "enterprises", "企业", w);
        vigil::i18n::set_language(vigil::i18n::Language::en);
        INFO(zh);
        CHECK(zh.rfind("导入被拒绝：沁阳.csv 有 2 条记录的编号已在图层「企业」（enterprises）中", 0) == 0);
        CHECK(has(zh, "数据库未改动"));
        CHECK(has(zh, "编号 1（第 2 行）：已存“温县化工有限公司”（温县，来自 温县.csv） → 新“沁阳铝业有限公司”（沁阳市）"));
        CHECK(has(zh, "这些编号看起来是行号"));
        CHECK(has(zh, "不给编号列时按「统一社会信用代码」（uscc）作编号"));
    }
    CHECK(has(m, "--update"));
    CHECK(has(m, "--replace-layer"));
    CHECK(has(m, "record_history"));

    // The refusal is on record, with its reason.
    auto log = store::Project::open(db).imports();
    REQUIRE(log.size() == 2);
    CHECK(log[0].status == "refused");
    CHECK(log[0].file_name == "沁阳.csv");
    CHECK(has(log[0].message, "2 records would overwrite stored ones (ids 1, 2)"));
    CHECK(has(log[0].message, "row numbers"));

    SECTION("--update overwrites them, and keeps the versions it replaced") {
        auto updated = import(db, dir / "沁阳.csv", {{"id", "序号"}}, importing::OnExisting::Update);
        REQUIRE_FALSE(updated.summary.refused);
        CHECK(updated.updated == 2);
        CHECK(updated.inserted == 0);
        CHECK(updated.would_update.count == 0);
        auto now = enterprises(db);
        REQUIRE(now.size() == 2);
        CHECK(now[0].name == "沁阳铝业有限公司");
        CHECK(now[0].county == "沁阳市");

        auto d = store::Database::open(db, store::Database::Mode::ReadOnly);
        REQUIRE(d.query_int("SELECT count(*) FROM record_history") == 2);
        auto st = d.prepare("SELECT layer, record_id, action, previous, previous_geom IS NOT NULL, import_id, replaced_at "
                            "FROM record_history ORDER BY history_id");
        REQUIRE(st.step());
        CHECK(st.column_text(0) == "enterprises");
        CHECK(st.column_text(1) == "1");
        CHECK(st.column_text(2) == "updated");
        auto previous = nlohmann::json::parse(st.column_text(3));
        CHECK(previous["name"] == "温县化工有限公司");
        CHECK(previous["uscc"] == "91410825MA3X4K7L2E");
        CHECK(previous["risk_level"] == "red");
        CHECK(previous["import_id"] == first.import_id);
        CHECK_FALSE(previous.contains("extra")); // every column of the sheet went to a field; empty columns are left out
        CHECK_FALSE(previous.contains("address"));
        CHECK(st.column_int64(4) == 1);
        CHECK(st.column_int64(5) == updated.import_id);
        CHECK(st.column_text(6).size() == 24);
        REQUIRE(st.step());
        CHECK(nlohmann::json::parse(st.column_text(3))["name"] == "温县纺织厂");
        auto log2 = store::Project::open(db).imports();
        CHECK(has(log2[0].message, "0 inserted, 2 updated; previous versions in record_history"));
    }
    SECTION("--replace-layer makes the layer the file; what it removes is kept too") {
        write(dir / "沁阳一家.csv", "序号,企业名称,统一社会信用代码,所属县区,经度,纬度\n"
                                    "1,沁阳铝业有限公司,91410882MA3XY1234F,沁阳市,112.9452,35.0878\n");
        auto replaced = import(db, dir / "沁阳一家.csv", {{"id", "序号"}}, importing::OnExisting::ReplaceLayer);
        REQUIRE_FALSE(replaced.summary.refused);
        CHECK(replaced.updated == 1);
        CHECK(replaced.removed == 1);
        auto now = enterprises(db);
        REQUIRE(now.size() == 1);
        CHECK(now[0].name == "沁阳铝业有限公司");
        auto d = store::Database::open(db, store::Database::Mode::ReadOnly);
        CHECK(d.query_text("SELECT group_concat(record_id || ':' || action, ' ') FROM record_history") == "1:updated 2:removed");
        CHECK(d.query_text("SELECT json_extract(previous, '$.name') FROM record_history WHERE action = 'removed'") == "温县纺织厂");
        CHECK(d.query_int("SELECT feature_count FROM vigil_layers WHERE kind = 'enterprises'") == 1);
        CHECK(d.query_int("SELECT count(*) FROM idx_enterprises_geom") == 1);
        CHECK(d.query_text("SELECT rtreecheck('idx_enterprises_geom')") == "ok");
    }
}

TEST_CASE("re-importing the same file changes nothing and needs no --update", "[gdal][contract][registers]") {
    auto dir = test::scratch_dir("registers-same-file");
    const auto db = dir / "p.sqlite";
    write(dir / "温县.csv", k_wenxian);
    REQUIRE(import(db, dir / "温县.csv").inserted == 2);
    auto again = import(db, dir / "温县.csv");
    REQUIRE_FALSE(again.summary.refused);
    CHECK(again.inserted == 0);
    CHECK(again.updated == 0);
    CHECK(again.unchanged == 2);
    // The rows, their import ids and the history are as they were (only the layer's summary and
    // the log speak of the new import).
    auto d = store::Database::open(db, store::Database::Mode::ReadOnly);
    CHECK(d.query_int("SELECT count(*) FROM record_history") == 0);
    CHECK(d.query_int("SELECT count(DISTINCT import_id) FROM enterprises") == 1);
    CHECK(d.query_int("SELECT min(import_id) FROM enterprises") < again.import_id);
}

TEST_CASE("without an id column, enterprises are keyed by their credit code", "[gdal][contract][registers]") {
    auto dir = test::scratch_dir("registers-keyed-by-uscc");
    const auto db = dir / "p.sqlite";
    write(dir / "温县.csv", k_wenxian);
    write(dir / "沁阳.csv", k_qinyang);
    auto a = import(db, dir / "温县.csv");
    REQUIRE_FALSE(a.summary.refused);
    auto b = import(db, dir / "沁阳.csv");
    REQUIRE_FALSE(b.summary.refused);
    CHECK(b.inserted == 2);
    auto all = enterprises(db);
    REQUIRE(all.size() == 4);
    for (const auto& e : all) CHECK(e.id == e.uscc);
    CHECK(all[0].id == "91410825MA3X4K7L2E");
    CHECK(all[2].id == "91410882MA3XY1234F");
    // The report says where the id came from; 序号 is kept in extra, not lost.
    bool noted = false;
    for (const auto& n : a.summary.notes)
        if (has(n, "id <- 统一社会信用代码") && has(n, "the file has no column for id, so uscc fills it")) noted = true;
    CHECK(noted);
    auto d = store::Database::open(db, store::Database::Mode::ReadOnly);
    CHECK(d.query_text("SELECT json_extract(extra, '$.序号') FROM enterprises WHERE id = '91410825MA44B2C1XU'") == "2");

    // A credit code written in lower case and full width is stored, and keys, in its canonical form.
    const std::string before = test::db_fingerprint(db);
    write(dir / "改.csv", "企业名称,统一社会信用代码,所属县区,经度,纬度\n"
                          "温县化工（改名）,９１４１０８２５ma3x4k7l2e,温县,113.0813,34.9402\n");
    auto c = import(db, dir / "改.csv");
    CHECK(c.summary.refused);
    CHECK(c.would_update.count == 1);
    CHECK(c.would_update.first.at(0).id == "91410825MA3X4K7L2E");
    CHECK_FALSE(c.would_update.ids_look_like_row_numbers);
    CHECK(test::db_fingerprint(db) == before);

    // A row without a credit code has nothing to be keyed by: refused, saying so.
    write(dir / "缺.csv", "企业名称,统一社会信用代码,经度,纬度\n甲厂,,113.0,35.0\n");
    auto e = import(db, dir / "缺.csv");
    CHECK(e.summary.refused);
    REQUIRE(e.summary.problems.size() == 1);
    CHECK(e.summary.problems[0].field == "id");
    CHECK(has(e.summary.problems[0].reason,
              "the file has no column for id (ID), so uscc (Unified social credit code) keys the record, and it is empty here"));
    CHECK(test::db_fingerprint(db) == before);
}

TEST_CASE("the credit code column given to the id (--map id=统一社会信用代码) fills both, and the credit code is still checked",
          "[gdal][contract][registers]") {
    auto dir = test::scratch_dir("registers-map-uscc");
    const auto db = dir / "p.sqlite";
    write(dir / "温县.csv", k_wenxian);
    auto good = import(db, dir / "温县.csv", {{"id", "统一社会信用代码"}});
    REQUIRE_FALSE(good.summary.refused);
    for (const auto& e : enterprises(db)) {
        CHECK(e.uscc.size() == 18);
        CHECK(e.id == e.uscc);
    }
    const std::string before = test::db_fingerprint(db);

    // A mistyped check character (a warning, the catalogue says) and a 17-character code (refused):
    // both named, nothing stored.
    write(dir / "错.csv", "序号,企业名称,统一社会信用代码,经度,纬度\n"
                          "1,甲厂,91410825MA45QW2E8K,113.0,35.0\n"
                          "2,乙厂,91410825MA45QW2E8,113.0,35.0\n");
    auto bad = import(db, dir / "错.csv", {{"id", "统一社会信用代码"}});
    CHECK(bad.summary.refused);
    REQUIRE(bad.summary.warnings.size() == 1);
    CHECK(bad.summary.warnings[0].row == 2);
    CHECK(bad.summary.warnings[0].field == "uscc");
    CHECK(bad.summary.warnings[0].value == "91410825MA45QW2E8K");
    CHECK(bad.summary.warnings[0].record_id == "91410825MA45QW2E8K");
    CHECK(bad.summary.warnings[0].reason ==
          "warning: '91410825MA45QW2E8K': check character is 'K' but the code needs 'J' (mistyped digit?); imported as written");
    REQUIRE(bad.summary.problems.size() == 1);
    CHECK(bad.summary.problems[0].row == 3);
    CHECK(bad.summary.problems[0].field == "uscc");
    CHECK(bad.summary.problems[0].reason == "'91410825MA45QW2E8': a unified social credit code has 18 characters, this has 17");
    const auto& kind = *real_catalog().get("enterprises");
    CHECK(importing::format_problem("错.csv", kind, bad.summary.warnings[0]) ==
          "错.csv:2 [id=91410825MA45QW2E8K] uscc (Unified social credit code) = \"91410825MA45QW2E8K\": warning: '91410825MA45QW2E8K': "
          "check character is 'K' but the code needs 'J' (mistyped digit?); imported as written");
    CHECK(test::db_fingerprint(db) == before);
}

TEST_CASE("the command line refuses an overwrite with exit code 3 and takes --update", "[gdal][cli][registers]") {
    using test::q;
    using test::run_vigil;
    auto dir = test::scratch_dir("registers-cli");
    const auto db = dir / "p.sqlite";
    write(dir / "温县.csv", k_wenxian);
    write(dir / "沁阳.csv", k_qinyang);
    auto r = run_vigil("import " + q(db) + " " + q(dir / "温县.csv") + " --layer 企业 --crs gcj02 --map id=序号");
    INFO(r.out);
    REQUIRE(r.code == 0);
    const std::string before = test::db_fingerprint(db);
    r = run_vigil("import " + q(db) + " " + q(dir / "沁阳.csv") + " --layer 企业 --crs gcj02 --map id=序号");
    INFO(r.out);
    CHECK(r.code == 3);
    CHECK(has(r.out, "vigil: import refused: 2 records of 沁阳.csv"));
    CHECK(has(r.out, "the ids look like row numbers"));
    CHECK(test::db_fingerprint(db) == before);
    r = run_vigil("import " + q(db) + " " + q(dir / "沁阳.csv") + " --layer 企业 --crs gcj02 --map id=序号 --json");
    CHECK(r.code == 3);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["status"] == "refused");
    CHECK(j["would_update"]["count"] == 2);
    CHECK(j["would_update"]["ids_look_like_row_numbers"] == true);
    CHECK(j["would_update"]["first"][1]["stored_name"] == "温县纺织厂");
    r = run_vigil("import " + q(db) + " " + q(dir / "沁阳.csv") + " --layer 企业 --update --replace-layer");
    CHECK(r.code == 2);
    r = run_vigil("import " + q(db) + " " + q(dir / "沁阳.csv") + " --layer 企业 --crs gcj02 --map id=序号 --update");
    INFO(r.out);
    CHECK(r.code == 0);
    CHECK(has(r.out, "0 inserted, 2 updated"));
    CHECK(has(r.out, "record_history"));
}

TEST_CASE("a schema-1 project is migrated when opened for writing, its data kept", "[gdal][store][registers]") {
    auto dir = test::scratch_dir("registers-migrate");
    const auto db = dir / "old.sqlite";
    fs::copy_file(test::data_dir() / "project_small.sqlite", db);
    {
        auto d = store::Database::open(db, store::Database::Mode::ReadOnly);
        REQUIRE(d.query_int("PRAGMA user_version") == 1);
        REQUIRE_FALSE(d.table_exists("record_history"));
    }
    // Readers take both versions as they are.
    CHECK(store::Project::open(db).schema_version() == 1);
    const auto teams_before = store::Project::open(db).load_layer("rescue_teams")->size();
    native::ProjectWriter::open(db, false);
    auto d = store::Database::open(db, store::Database::Mode::ReadOnly);
    CHECK(d.query_int("PRAGMA user_version") == store::k_schema_version);
    CHECK(d.query_text("SELECT value FROM vigil_meta WHERE key = 'schema_version'") == std::to_string(store::k_schema_version));
    CHECK(d.table_exists("record_history"));
    CHECK(d.table_exists("vigil_audit"));
    CHECK(d.query_int("SELECT count(*) FROM rescue_teams WHERE version = 1") == d.query_int("SELECT count(*) FROM rescue_teams"));
    CHECK(d.query_text("PRAGMA integrity_check") == "ok");
    CHECK(store::Project::open(db).schema_version() == store::k_schema_version);
    CHECK(store::Project::open(db).load_layer("rescue_teams")->size() == teams_before);
}

namespace {

// Writes a one-sheet workbook through GDAL's XLSX driver: Chinese headers, text cells, and
// real numbers for the coordinates (as Excel stores them).
void write_xlsx(const fs::path& path, const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows,
                std::size_t first_number_column) {
    GDALDriverH driver = GDALGetDriverByName("XLSX");
    REQUIRE(driver);
    GDALDatasetH ds = GDALCreate(driver, path.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    REQUIRE(ds);
    OGRLayerH layer = GDALDatasetCreateLayer(ds, "企业名录", nullptr, wkbNone, nullptr);
    REQUIRE(layer);
    for (std::size_t c = 0; c < headers.size(); ++c) {
        OGRFieldDefnH f = OGR_Fld_Create(headers[c].c_str(), c < first_number_column ? OFTString : OFTReal);
        REQUIRE(OGR_L_CreateField(layer, f, TRUE) == OGRERR_NONE);
        OGR_Fld_Destroy(f);
    }
    for (const auto& row : rows) {
        OGRFeatureH feature = OGR_F_Create(OGR_L_GetLayerDefn(layer));
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (c < first_number_column) OGR_F_SetFieldString(feature, static_cast<int>(c), row[c].c_str());
            else OGR_F_SetFieldDouble(feature, static_cast<int>(c), std::stod(row[c]));
        }
        REQUIRE(OGR_L_CreateFeature(layer, feature) == OGRERR_NONE);
        OGR_F_Destroy(feature);
    }
    GDALClose(ds);
}


TEST_CASE("the clerk's Excel register without a 编号 column imports, keyed by credit code", "[gdal][contract][registers][xlsx]") {
    GDALAllRegister();
    auto dir = test::scratch_dir("registers-xlsx");
    const auto db = dir / "p.sqlite";
    write_xlsx(dir / "温县企业.xlsx", {"序号", "企业名称", "统一社会信用代码", "所属县区", "经度", "纬度"},
               {{"1", "温县化工有限公司", "91410825MA3X4K7L2E", "温县", "113.0813", "34.9402"},
                {"2", "温县纺织厂", "91410825MA44B2C1XU", "温县", "113.0925", "34.9521"},
                {"3", "温县食品厂", "91410825MA45QW2E8J", "温县", "113.1010", "34.9333"},
                {"4", "沁阳铝业有限公司", "91410882MA3XY1234F", "沁阳市", "112.9452", "35.0878"},
                {"5", "沁阳造纸厂", "91410882MA40R5N6PG", "沁阳市", "112.9601", "35.0913"}},
               4);
    auto r = import(db, dir / "温县企业.xlsx");
    INFO((r.summary.problems.empty() ? std::string() : r.summary.problems[0].reason));
    REQUIRE_FALSE(r.summary.refused);
    CHECK(r.format == "XLSX");
    CHECK(r.inserted == 5);
    auto all = enterprises(db);
    REQUIRE(all.size() == 5);
    CHECK(all[2].id == "91410825MA45QW2E8J");
    CHECK(all[2].uscc == "91410825MA45QW2E8J");
    CHECK(all[3].county == "沁阳市");
}

} // namespace

} // namespace test_import_registers_cases

// `vigil check` on a real project database built by `vigil import` from a bureau's files: a clean
// project gives no finding (exit 0), and each defect planted afterwards — through the importer,
// or by another tool editing the file — is listed on its record and field, in text and JSON,
// with exit code 4 for errors. The demo comes out clean.

#include "cli_runner.hpp"
#include "test_paths.hpp"

#include <vigil/store/sqlite.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace fs = std::filesystem;
using Catch::Contains;
using vigil::test::q;
using vigil::test::run_vigil;
using vigil::test::scratch_dir;
using vigil::test::write;

namespace test_cli_check_cases {

// Two square counties: 甲县 west of 113.1°E, 乙县 east of it.
const char* k_admin = R"({"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"id": "410001", "name": "甲县", "level": "county"},
  "geometry": {"type": "Polygon", "coordinates": [[[113.0, 35.0], [113.1, 35.0], [113.1, 35.1], [113.0, 35.1], [113.0, 35.0]]]}},
 {"type": "Feature", "properties": {"id": "410002", "name": "乙县", "level": "county"},
  "geometry": {"type": "Polygon", "coordinates": [[[113.1, 35.0], [113.2, 35.0], [113.2, 35.1], [113.1, 35.1], [113.1, 35.0]]]}}]})";

// Credit codes with their GB 32100-2015 check characters.
const char* k_enterprises = "编号,企业名称,统一社会信用代码,所属县区,联系电话,经度,纬度\n"
                            "E1,甲化工有限公司,91410800MA44000015,甲县,13803910011,113.05,35.05\n"
                            "E2,乙机械有限公司,91410800MA44000028,乙县,13803910012,113.15,35.05\n";
const char* k_hazards = "编号,危险源名称,所属企业编号,经度,纬度\n"
                        "H1,甲化工罐区,E1,113.052,35.05\n";
const char* k_teams = "队伍编号,队伍名称,救援能力,值班电话,所属县区,经度,纬度\n"
                      "T1,甲县消防救援大队,危化品处置,13803910001,甲县,113.05,35.055\n";
const char* k_warehouses = "仓库编号,仓库名称,联系电话,库存物资,所属县区,经度,纬度\n"
                           "W1,乙县物资库,13803910002,\"[{\"\"物资名称\"\":\"\"中和剂\"\",\"\"数量\"\":5,\"\"单位\"\":\"\"t\"\","
                           "\"\"最低储备量\"\":2}]\",乙县,113.15,35.06\n";

// The defects, each a new record a later register brings.
const char* k_enterprises_2 = "编号,企业名称,统一社会信用代码,所属县区,联系电话,经度,纬度\n"
                              "E3,丙化工有限公司,91410800MA44000015,甲县,13803910013,113.05,35.03\n"   // E1's credit code
                              "E4,甲化工有限公司,91410800MA4400004E,甲县,13803910014,113.0503,35.05\n" // E1's name, 27 m away
                              "E6,己建材有限公司,91410800MA4400006L,乙县,13803910016,113.078,35.02\n"  // lies in 甲县
                              "E7,庚纺织有限公司,91410800MA4400007P,丙县,13803910017,113.06,35.08\n";  // no such county
const char* k_hazards_2 = "编号,危险源名称,所属企业编号,经度,纬度\n"
                          "H2,储罐区,E404,113.151,35.05\n"    // no such enterprise
                          "H3,乙机械库房,E2,113.15,35.077\n"; // 3 km from E2
const char* k_teams_2 = "队伍编号,队伍名称,救援能力,值班电话,所属县区,经度,纬度\n"
                        "T2,乙县救援队,水域救援,,乙县,113.15,35.045\n"; // no duty phone
const char* k_warehouses_2 = "仓库编号,仓库名称,联系电话,库存物资,所属县区,经度,纬度\n"
                             "W2,甲县物资库,13803910003,\"[{\"\"物资名称\"\":\"\"中和剂\"\",\"\"数量\"\":1.5,\"\"单位\"\":\"\"t\"\","
                             "\"\"最低储备量\"\":2}]\",甲县,113.05,35.065\n"
                             "W3,甲县二号库,13803910004,,甲县,113.05,35.07\n"
                             "W4,甲县三号库,13803910005,,甲县,113.05,35.075\n";

void import(const fs::path& db, const fs::path& file, const std::string& layer) {
    auto r = run_vigil("-q import " + q(db) + " " + q(file) + " --layer " + layer);
    INFO(file.filename() << ": " << r.out);
    REQUIRE(r.code == 0);
}


TEST_CASE("vigil check: nothing in a clean project, each planted defect on its record and field", "[gdal][cli][check]") {
    const auto dir = scratch_dir("cli-check");
    const auto db = dir / "project.sqlite";
    const std::pair<const char*, const char*> files[] = {
        {"admin.geojson", k_admin},    {"enterprises.csv", k_enterprises}, {"hazards.csv", k_hazards},
        {"teams.csv", k_teams},        {"warehouses.csv", k_warehouses},   {"enterprises2.csv", k_enterprises_2},
        {"hazards2.csv", k_hazards_2}, {"teams2.csv", k_teams_2},          {"warehouses2.csv", k_warehouses_2}};
    for (const auto& [name, text] : files) write(dir / name, text);
    import(db, dir / "admin.geojson", "admin_areas");
    import(db, dir / "enterprises.csv", "enterprises");
    import(db, dir / "hazards.csv", "hazard_sources");
    import(db, dir / "teams.csv", "rescue_teams");
    import(db, dir / "warehouses.csv", "warehouses");

    SECTION("clean") {
        auto r = run_vigil("-q check " + q(db) + " --json");
        INFO(r.out);
        REQUIRE(r.code == 0);
        const auto j = nlohmann::json::parse(r.out);
        CHECK(j["findings"].empty());
        CHECK(j["errors"] == 0);
        CHECK(j["records"] == 2 + 1 + 1 + 1);
        // The two checks without data to look at say why: there is no emergency-plans layer, and
        // no hidden-hazard ledger to hold the typed-in counts against.
        REQUIRE(j["skipped"].size() == 2);
        CHECK(j["skipped"][0]["check"] == "past_revision");
        CHECK_THAT(j["skipped"][0]["reason"].get<std::string>(), Contains("emergency-plans"));
        CHECK(j["skipped"][1]["check"] == "hazard_counts");
        CHECK_THAT(j["skipped"][1]["reason"].get<std::string>(), Contains("hidden_hazards"));
        auto t = run_vigil("-q check " + q(db));
        CHECK(t.code == 0);
        CHECK_THAT(t.out, Contains("errors: 0; warnings: 0") && Contains("nothing found: duplicate_uscc"));
    }

    SECTION("planted") {
        import(db, dir / "enterprises2.csv", "enterprises");
        import(db, dir / "hazards2.csv", "hazard_sources");
        import(db, dir / "teams2.csv", "rescue_teams");
        import(db, dir / "warehouses2.csv", "warehouses");
        {
            // Another tool edits the file: W3's update time set back to 2025, W4's location
            // removed (sqlite3 without SpatiaLite, SpatiaLite's geometry triggers dropped first).
            auto d = vigil::store::Database::open(db, vigil::store::Database::Mode::ReadWrite);
            d.exec("UPDATE warehouses SET updated_at = '2025-10-01T09:00:00.000Z' WHERE id = 'W3'");
            std::vector<std::string> triggers;
            auto st = d.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'warehouses'");
            while (st.step()) triggers.emplace_back(st.column_text(0));
            for (const auto& t : triggers) d.exec("DROP TRIGGER " + vigil::store::quote_identifier(t));
            d.exec("UPDATE warehouses SET geom = NULL WHERE id = 'W4'");
        }
        auto r = run_vigil("-q check " + q(db) + " --json");
        INFO(r.out);
        CHECK(r.code == 4); // errors among the findings
        const auto j = nlohmann::json::parse(r.out);
        std::set<std::tuple<std::string, std::string, std::string>> found; // check, id, field
        for (const auto& f : j["findings"])
            found.emplace(f["check"].get<std::string>(), f["id"].get<std::string>(), f["field"].get<std::string>());
        const std::set<std::tuple<std::string, std::string, std::string>> planted = {{"duplicate_uscc", "E3", "uscc"},
                                                                                     {"same_name_nearby", "E4", "name"},
                                                                                     {"outside_county", "E6", "county"},
                                                                                     {"unknown_county", "E7", "county"},
                                                                                     {"broken_reference", "H2", "enterprise_id"},
                                                                                     {"far_from_reference", "H3", "enterprise_id"},
                                                                                     {"missing_value", "T2", "duty_phone"},
                                                                                     {"below_minimum", "W2", "stock"},
                                                                                     {"stale_record", "W3", "updated_at"},
                                                                                     {"no_location", "W4", "geom"}};
        CHECK(found == planted);
        CHECK(j["errors"] == 5); // the credit code, the county, the reference, the team's phone, the location
        CHECK(j["database"] == db.string());
        for (const auto& f : j["findings"])
            if (f["check"] == "outside_county") CHECK(f["related"] == nlohmann::json::array({"410001"}));

        auto t = run_vigil("-q check " + q(db));
        INFO(t.out);
        CHECK(t.code == 4);
        CHECK_THAT(t.out, Contains("duplicate credit codes: 1"));
        CHECK_THAT(t.out, Contains("[error] enterprises/E3 丙化工有限公司 · uscc = 91410800MA44000015"));
        CHECK_THAT(t.out, Contains("is also that of E1 (甲化工有限公司)"));
        CHECK_THAT(t.out, Contains("outside 乙县") && Contains("in 甲县"));
        CHECK_THAT(t.out, Contains("[warning] warehouses/W2 甲县物资库 · stock = 中和剂 1.5t"));

        // --only and the thresholds reach the service; warnings alone exit 0.
        auto only = run_vigil("-q check " + q(db) + " --only same_name_nearby,stale_record --json");
        CHECK(only.code == 0);
        CHECK(nlohmann::json::parse(only.out)["findings"].size() == 2);
        auto near = run_vigil("-q check " + q(db) + " --only same_name_nearby --same-name-m 10 --json");
        CHECK(nlohmann::json::parse(near.out)["findings"].empty());
    }

    SECTION("mistakes are usage errors") {
        auto bad = run_vigil("-q check " + q(db) + " --only duplicates");
        CHECK(bad.code == 2);
        CHECK_THAT(bad.out, Contains("duplicates") && Contains("duplicate_uscc"));
        auto date = run_vigil("-q check " + q(db) + " --as-of 2026-13-01");
        CHECK(date.code == 2);
        CHECK_THAT(date.out, Contains("as_of"));
        auto none = run_vigil("-q check " + q(dir / "missing.sqlite"));
        CHECK(none.code == 1);
    }
}

TEST_CASE("vigil check: the demo comes out clean", "[gdal][cli][check][demo]") {
    const auto db = scratch_dir("cli-check-demo") / "demo.sqlite";
    auto d = run_vigil("-q demo " + q(db));
    INFO(d.out);
    REQUIRE(d.code == 0);
    // On a fixed day: the demo's plans were revised in 2026, and fall due from 2029 on.
    auto r = run_vigil("-q check " + q(db) + " --as-of 2026-12-07 --json");
    INFO(r.out);
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["findings"].empty());
    CHECK(j["records"].get<int>() > 900);
    // One check has nothing to look at in the demo, and says so: its stock lines give no
    // minimum. Its plans are checked for their revision (none is due).
    std::set<std::string> skipped;
    for (const auto& s : j["skipped"]) skipped.insert(s["check"].get<std::string>());
    CHECK(skipped == std::set<std::string>{"below_minimum"});
    bool revisions = false;
    for (const auto& c : j["checks"])
        if (c.is_object() && c.value("check", "") == "past_revision") revisions = c.value("run", false);
    CHECK(revisions);
}

} // namespace test_cli_check_cases

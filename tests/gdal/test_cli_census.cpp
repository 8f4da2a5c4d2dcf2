// The census kinds through the command line: `vigil nearest --by road --equipment` and `vigil
// supply` with an equipment type reach the core's services on the river-with-one-bridge map
// (the plumbing; the rules are tests/core/app/test_equipment.cpp's), and `vigil check` finds a
// plan past its three-year revision once there is a plans layer.

#include "cli_runner.hpp"
#include "river_fixture.hpp"
#include "test_paths.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using vigil::test::k_river_roads;
using vigil::test::k_river_teams;
using vigil::test::q;
using vigil::test::run_vigil;
using vigil::test::scratch_dir;
using vigil::test::write;

namespace test_cli_census_cases {

const char* k_warehouses = "仓库编号,仓库名称,级别,库存物资,经度,纬度\n"
                           "W_S,南岸物资库,县级,中和剂 2t,113.02,34.991\n"
                           "W_N,北岸物资库,市级,沙袋 1000个,113.02,35.021\n";

// The equipment census sheet: no coordinates, only the holder (each line stands at its holder).
// S1 has all that is asked; S2's leak-sealing kits are under repair; N1's suits have no status.
const char* k_equipment = "装备编号,装备名称,装备类型,数量,计量单位,状态,所属单位编号\n"
                          "E1,重型防化服,防化服,4,套,完好,S1\n"
                          "E2,堵漏工具组,堵漏器材,1,套,完好,S1\n"
                          "E3,重型防化服,防化服,6,套,完好,S2\n"
                          "E4,堵漏工具组,堵漏器材,2,套,维修,S2\n"
                          "E5,重型防化服,防化服,2,套,,N1\n"
                          "E6,堵漏器材,堵漏器材,1,套,完好,N1\n"
                          "E7,单人洗消装置,洗消装置,3,套,完好,W_S\n"
                          "E8,单人洗消装置,洗消装置,2,套,,W_N\n";

struct CensusDb {
    fs::path dir, db;
};

CensusDb census_db(const std::string& name) {
    CensusDb r{scratch_dir(name), {}};
    r.db = r.dir / "r.sqlite";
    write(r.dir / "roads.geojson", k_river_roads);
    write(r.dir / "teams.csv", k_river_teams);
    write(r.dir / "warehouses.csv", k_warehouses);
    write(r.dir / "equipment.csv", k_equipment);
    REQUIRE(run_vigil("init " + q(r.db)).code == 0);
    const std::pair<const char*, const char*> imports[] = {
        {"roads.geojson", "roads"}, {"teams.csv", "rescue_teams"}, {"warehouses.csv", "warehouses"}, {"equipment.csv", "应急装备"}};
    for (const auto& [file, kind] : imports) {
        auto run = run_vigil("import " + q(r.db) + " " + q(r.dir / file) + " --layer " + kind);
        INFO(run.out);
        REQUIRE(run.code == 0);
        if (std::string(kind) == "应急装备")
            CHECK_THAT(run.out, Contains("8 record(s) had no coordinates") && Contains("location_from_holder"));
    }
    return r;
}


TEST_CASE("vigil nearest --by road --equipment: only the teams holding it in service, the rest said", "[gdal][cli][census][dispatch]") {
    const auto r = census_db("cli-census-equipment");
    const std::string ask = "nearest " + q(r.db) + " --at 113.0,34.992 --layer rescue_teams --by road --need hazmat";
    auto run = run_vigil(ask + " --equipment \"防化服:2,堵漏器材\" --json");
    INFO(run.out);
    REQUIRE(run.code == 0);
    const auto j = nlohmann::json::parse(run.out);
    REQUIRE(j["results"].size() == 1);
    CHECK(j["results"][0]["id"] == "S1");
    CHECK(j["query"]["equipment"] == nlohmann::json::parse(R"([{"type": "chemical_suit", "label": "Chemical protective suit", "count": 2.0},
                                                                 {"type": "leak_sealing", "label": "Leak-sealing kit", "count": 1.0}])"));
    CHECK(j["results"][0]["equipment_held"][0]["in_service"] == 4);
    CHECK(j["equipment_lacking"] == 3); // S2 (kits under repair), N1 (suits of unknown status), I1 (nothing)
    CHECK(j["equipment_if_confirmed"] == nlohmann::json::array({"N1"}));
    // The team's own field "equipment" (its main equipment in words) is still there, apart.
    CHECK(j["results"][0].contains("equipment"));

    // Text: the holdings beside each team, and the notes.
    run = run_vigil(ask + " --equipment 重型防化服:2套,堵漏工具");
    INFO(run.out);
    REQUIRE(run.code == 0);
    CHECK_THAT(run.out, Contains("S1") && Contains("Chemical protective suit 4/2, Leak-sealing kit 1/1") && Contains("N1") &&
                            Contains("北岸消防站"));

    // Mistakes are usage errors naming what was typed.
    auto bad = run_vigil(ask + " --equipment 飞艇:1");
    CHECK(bad.code == 2);
    CHECK_THAT(bad.out, Contains("飞艇") && Contains("Chemical protective suit"));
    bad = run_vigil(ask + " --equipment 防化服:1.5");
    CHECK(bad.code == 2);
    CHECK_THAT(bad.out, Contains("1.5"));
    bad = run_vigil("nearest " + q(r.db) + " --at 113.0,34.992 --layer rescue_teams --equipment 防化服");
    CHECK(bad.code == 2);
    CHECK_THAT(bad.out, Contains("--by road"));
}

TEST_CASE("vigil supply: a need naming an equipment type counts the warehouses' equipment in service", "[gdal][cli][census][dispatch]") {
    const auto r = census_db("cli-census-supply");
    auto run = run_vigil("supply " + q(r.db) + " --at 113.0,34.992 --need 洗消装置:4,中和剂:1t --json");
    INFO(run.out);
    REQUIRE(run.code == 0);
    const auto j = nlohmann::json::parse(run.out);
    CHECK(j["needs"][0]["equipment"] == true);
    CHECK(j["needs"][0]["available"] == 3); // W_N's 2 have no status: not counted
    CHECK(j["needs"][0]["shortfall"] == 1);
    CHECK(j["needs"][1]["equipment"] == false);
    CHECK(j["needs"][1]["shortfall"] == 0);
    bool said = false;
    for (const auto& n : j["notes"])
        said = said || n.get<std::string>().find("2 unit(s) of unknown status not counted") != std::string::npos;
    CHECK(said);
}

TEST_CASE("vigil check: a plan past its three-year revision is found once there is a plans layer", "[gdal][cli][census][check]") {
    const auto dir = scratch_dir("cli-census-plans");
    const auto db = dir / "p.sqlite";
    write(dir / "plans.csv", "预案编号,预案名称,预案级别,预案类型,编制单位,修订日期,经度,纬度\n"
                             "YA1,温县突发事件总体应急预案,县级,总体,温县人民政府,2025-06-01,113.07,34.94\n"
                             "YA2,温县防汛应急预案,县级,专项,温县防汛抗旱指挥部,2022-03-15,113.071,34.941\n");
    auto imported = run_vigil("import " + q(db) + " " + q(dir / "plans.csv") + " --layer 应急预案");
    INFO(imported.out);
    REQUIRE(imported.code == 0);
    auto run = run_vigil("-q check " + q(db) + " --only past_revision --as-of 2026-12-07 --json");
    INFO(run.out);
    REQUIRE(run.code == 0); // a warning
    const auto j = nlohmann::json::parse(run.out);
    REQUIRE(j["findings"].size() == 1);
    const auto& f = j["findings"][0];
    CHECK(f["layer"] == "plans");
    CHECK(f["id"] == "YA2");
    CHECK(f["field"] == "revised");
    CHECK(f["value"] == "2022-03-15");
    CHECK_THAT(f["message"].get<std::string>(), Contains("2025-03-15"));
    CHECK(j["skipped"].empty());
    // Before its due day the same plan is not past revision.
    run = run_vigil("-q check " + q(db) + " --only past_revision --as-of 2025-03-15 --json");
    CHECK(nlohmann::json::parse(run.out)["findings"].empty());
}

} // namespace test_cli_census_cases

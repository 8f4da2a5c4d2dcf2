// `vigil grade` as the bureau runs it: GB 18218-2018 grading of every hazard source, stored
// back into the database; bad inventories named by record and substance.

#include "cli_runner.hpp"
#include "test_paths.hpp"

#include <vigil/store/project_reader.hpp>
#include <vigil/store/sqlite.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using vigil::test::q;
using vigil::test::run_vigil;
using vigil::test::scratch_dir;

namespace {

// tests/data/import/hazards.geojson: H01 is issue 6's example (50 t liquid chlorine + 100 t
// liquid ammonia, 120 residents); H02 600 t methanol with 10 residents.
fs::path hazards_db(const std::string& name) {
    auto dir = scratch_dir(name);
    auto db = dir / "h.sqlite";
    REQUIRE(run_vigil("init " + q(db)).code == 0);
    auto r = run_vigil("import " + q(db) + " " + q(vigil::test::data_dir() / "import" / "hazards.geojson") + " --layer hazard_sources");
    INFO(r.out);
    REQUIRE(r.code == 0);
    return db;
}

nlohmann::json find(const nlohmann::json& arr, const std::string& id) {
    for (const auto& j : arr)
        if (j["id"] == id) return j;
    FAIL("no hazard source " << id);
    return {};
}

} // namespace

TEST_CASE("vigil grade computes, lists and stores S, R and the grade", "[gdal][cli][hazard]") {
    auto db = hazards_db("cli-grade");
    auto r = run_vigil("grade " + q(db) + " --json");
    INFO(r.out);
    REQUIRE(r.code == 0);
    auto j = nlohmann::json::parse(r.out.substr(0, r.out.rfind('}') + 1));
    CHECK(j["stored"] == true);
    // Source: issue 6 / GB 18218-2018 tables 1, 3, 5: S = 50/5 + 100/10 = 20, R = 2 × (4·10 + 2·10) = 120.
    auto h1 = find(j["hazard_sources"], "H01");
    CHECK(h1["s"].get<double>() == Approx(20));
    CHECK(h1["r"].get<double>() == Approx(120));
    CHECK(h1["grade"] == "grade1");
    CHECK(h1["grade_zh"] == "一级");
    REQUIRE(h1["contributions"].size() == 2);
    CHECK(h1["contributions"][0]["reference"] == "氯");
    CHECK(h1["contributions"][0]["beta"].get<double>() == 4);
    // H02: 600 t methanol (table 1, Q 500 t): S = 1.2; no category, so β = 1 with a warning;
    // 10 residents → α = 1.0; R = 1.2 → 四级.
    auto h2 = find(j["hazard_sources"], "H02");
    CHECK(h2["s"].get<double>() == Approx(1.2));
    CHECK(h2["r"].get<double>() == Approx(1.2));
    CHECK(h2["grade"] == "grade4");
    CHECK(h2["warnings"].size() == 1);

    auto layer = vigil::store::Project::open(db).load_layer("hazard_sources");
    auto row = *layer->find("H01");
    CHECK(layer->text(row, "grade") == "grade1");
    CHECK(std::stod(layer->text(row, "r_value")) == Approx(120));
    CHECK(std::stod(layer->text(row, "s_value")) == Approx(20));

    r = run_vigil("grade " + q(db));
    INFO(r.out);
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("一级") && Catch::Contains("四级") && Catch::Contains("stored"));
}

TEST_CASE("vigil grade --no-store leaves the database as it was", "[gdal][cli][hazard]") {
    auto db = hazards_db("cli-grade-nostore");
    auto r = run_vigil("grade " + q(db) + " --no-store");
    INFO(r.out);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("not stored"));
    auto layer = vigil::store::Project::open(db).load_layer("hazard_sources");
    CHECK(layer->text(*layer->find("H01"), "r_value").empty());
}

TEST_CASE("vigil grade names the record and substance of bad inventories", "[gdal][cli][hazard]") {
    auto db = hazards_db("cli-grade-bad");
    {
        // Imports refuse a negative quantity (the catalogue's min 0), so the damage is made directly.
        auto d = vigil::store::Database::open(db, vigil::store::Database::Mode::ReadWrite);
        d.exec(R"(UPDATE hazard_sources SET inventory = '[{"substance":"液氯","quantity_t":-5}]' WHERE id = 'H01')");
        d.exec(R"(UPDATE hazard_sources SET inventory = '[{"substance":"神秘物质","quantity_t":3}]' WHERE id = 'H02')");
    }
    auto r = run_vigil("grade " + q(db));
    INFO(r.out);
    CHECK(r.code == 1);
    CHECK_THAT(r.out, Catch::Contains("H01") && Catch::Contains("液氯") && Catch::Contains("negative"));
    // Unknown substances are reported, not silently skipped; the record is still graded.
    CHECK_THAT(r.out, Catch::Contains("H02") && Catch::Contains("神秘物质") && Catch::Contains("not in GB 18218 table 1"));
    auto layer = vigil::store::Project::open(db).load_layer("hazard_sources");
    CHECK(layer->text(*layer->find("H02"), "grade") == "not_major");
    CHECK(layer->text(*layer->find("H01"), "r_value").empty()); // the bad record is left untouched
}

TEST_CASE("vigil zone gives ERG 2024 isolation and downwind protective areas", "[gdal][cli][hazard]") {
    auto db = hazards_db("cli-zone");
    // ERG 2024 table 3, chlorine, highway tank truck, day, low wind (2 m/s = 7.2 km/h): 600 m, 5.6 km.
    auto r = run_vigil("zone " + q(db) + " --at 112.85,34.95 --un 1017 --spill large --time day --wind-from 0 --wind-speed 2 --container highway --json");
    INFO(r.out);
    REQUIRE(r.code == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["guide"] == "124");
    CHECK(j["tih"] == true);
    CHECK(j["isolation"]["radius_m"].get<double>() == 600);
    CHECK(j["protective_action"]["distance_m"].get<double>() == Approx(5600));
    CHECK(j["protective_action"]["toward_deg"].get<double>() == 180); // wind from the north blows south
    auto ring = j["protective_action"]["ring"];
    REQUIRE(ring.size() == 5);
    // The far side of the square lies about 5.6 km (0.05°) south of the spill.
    CHECK(ring[1][1].get<double>() == Approx(34.95 - 5600 / 111000.0).margin(0.002));
    CHECK(ring[1][1].get<double>() < 34.95);

    // ERG 2024 index: sulfuric acid UN 1830 → guide 137, isolate 50 m (liquids), no protective distance.
    r = run_vigil("zone " + q(db) + " --at 112.85,34.95 --un 1830 --spill small");
    INFO(r.out);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("guide 137") && Catch::Contains("50 m"));

    r = run_vigil("zone " + q(db) + " --at 112.85,34.95 --un 9999");
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Contains("UN 9999"));
    r = run_vigil("zone " + q(db) + " --at 116.4,39.9 --un 1017");
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Contains("outside the data"));
    r = run_vigil("zone " + q(db) + " --at 112.85,34.95 --un 1017 --wind-speed -3");
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Contains("wind speed"));
}

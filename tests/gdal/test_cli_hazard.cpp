// `vigil grade` as the bureau runs it: GB 18218-2018 grading of every hazard source, stored
// back into the database; bad inventories named by record and substance.

#include "cli_runner.hpp"
#include "test_paths.hpp"

#include <vigil/geo/geodesic.hpp>
#include <vigil/hazard/dispersion.hpp>
#include <vigil/hazard/fire.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/store/sqlite.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>

namespace fs = std::filesystem;
using vigil::test::q;
using vigil::test::run_vigil;
using vigil::test::scratch_dir;

namespace test_cli_hazard_cases {

// tests/data/import/hazards.geojson: H01 is the worked example of docs/hazard.md (50 t liquid chlorine + 100 t
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


TEST_CASE("vigil grade computes, lists and stores S, R and the grade", "[gdal][cli][hazard]") {
    auto db = hazards_db("cli-grade");
    auto r = run_vigil("grade " + q(db) + " --json");
    INFO(r.out);
    REQUIRE(r.code == 0);
    auto j = nlohmann::json::parse(r.out.substr(0, r.out.rfind('}') + 1));
    CHECK(j["stored"] == true);
    // Source: docs/hazard.md's worked example / GB 18218-2018 tables 1, 3, 5: S = 50/5 + 100/10 = 20, R = 2 × (4·10 + 2·10) = 120.
    auto h1 = find(j["hazard_sources"], "H01");
    CHECK(h1["s"].get<double>() == Approx(20));
    CHECK(h1["r"].get<double>() == Approx(120));
    CHECK(h1["grade"] == "grade1");
    CHECK(h1["grade_zh"] == "一级");
    REQUIRE(h1["contributions"].size() == 2);
    CHECK(h1["contributions"][0]["reference"] == "氯");
    CHECK(h1["contributions"][0]["beta"].get<double>() == 4);
    CHECK(h1["contributions"][0]["table1_row"] == 12);
    // H02: 600 t methanol (table 1 row 65, Q 500 t): S = 1.2. Methanol is a category 2 flammable
    // liquid; the record gives no category, so W5.1 (above its boiling point, table 4 β 1.5, the
    // worst of W5.1/W5.2/W5.3) is assumed with a warning; 10 residents → α = 1.0; R = 1.8 → 四级.
    // Old answer: β = 1, R = 1.2.
    auto h2 = find(j["hazard_sources"], "H02");
    CHECK(h2["s"].get<double>() == Approx(1.2));
    CHECK(h2["r"].get<double>() == Approx(1.8));
    CHECK(h2["grade"] == "grade4");
    CHECK(h2["contributions"][0]["beta_source"] == "table 4 W5.1");
    REQUIRE(h2["warnings"].size() == 1);
    CHECK_THAT(h2["warnings"][0].get<std::string>(), Catch::Contains("W5.1") && Catch::Contains("assumed"));

    auto layer = vigil::store::Project::open(db).load_layer("hazard_sources");
    auto row = *layer->find("H01");
    CHECK(layer->text(row, "grade") == "grade1");
    CHECK(std::stod(layer->text(row, "r_value")) == Approx(120));
    CHECK(std::stod(layer->text(row, "s_value")) == Approx(20));

    r = run_vigil("grade " + q(db));
    INFO(r.out);
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("grade I ") && Catch::Contains("grade IV") && Catch::Contains("stored"));
    // Each inventory line under its record: the table 1 row (or table 2 category), Q and β with its source.
    CHECK_THAT(r.out, Catch::Contains("液氯 50 t → table 1 row 12 氯 (by alias), Q 5 t, q/Q 10.000, β 4 (table 3)"));
    CHECK_THAT(r.out, Catch::Contains("甲醇 600 t → table 1 row 65 甲醇 (by name), Q 500 t, q/Q 1.200, β 1.5 (table 4 W5.1)"));
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
    auto r = run_vigil("zone " + q(db) +
                       " --at 112.85,34.95 --un 1017 --spill large --time day --wind-from 0 --wind-speed 2 --container highway --json");
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

namespace {

// The Jiaozuo demo (vigil demo), built once for the consequence-model tests.
const fs::path& demo_db() {
    static fs::path db = [] {
        auto dir = scratch_dir("cli-zone-models");
        auto path = dir / "demo.sqlite";
        auto r = run_vigil("demo " + q(path));
        INFO(r.out);
        REQUIRE(r.code == 0);
        return path;
    }();
    return db;
}

nlohmann::json zone_json(const std::string& args) {
    auto r = run_vigil("zone " + q(demo_db()) + " " + args + " --json");
    INFO(r.out);
    REQUIRE(r.code == 0);
    return nlohmann::json::parse(r.out);
}


TEST_CASE("vigil zone --model plume: AEGL footprints downwind with the wind sector", "[gdal][cli][hazard]") {
    // 2 kg/s of chlorine at night (clear: F), 2 m/s from the west, in Jiaozuo.
    auto j = zone_json("--at 113.2418,35.2159 --model plume --substance chlorine --rate-kg-s 2 --wind-speed 2 --wind-from 270 "
                       "--time night --cloud 0.2");
    CHECK(j["model"] == "plume");
    CHECK(j["stability"] == "F");
    CHECK(j["substance"]["name_en"] == "Chlorine");
    auto zones = j["zones"];
    REQUIRE(zones.size() == 6); // footprint + ±15° sector for AEGL-3, -2, -1
    CHECK(zones[0]["kind"] == "footprint");
    CHECK(zones[0]["level"] == "AEGL-3");
    CHECK(zones[0]["tier"] == 3);
    CHECK(zones[0]["units"] == "mg/m3");
    // AEGL-3 of chlorine: 20 ppm = 58 mg/m³ (HJ 169 endpoint-1).
    CHECK(zones[0]["threshold"].get<double>() == Approx(58).epsilon(0.005));
    CHECK(zones[1]["kind"] == "uncertainty");
    // The reach is the core model's (plume_footprint, cut at the default 10 km).
    vigil::hazard::PlumeRelease rel;
    rel.rate_kg_s = 2;
    rel.wind_m_s = 2;
    rel.stability = vigil::hazard::Stability::F;
    double reach = vigil::hazard::plume_footprint(rel, zones[0]["threshold"].get<double>(), 10000).max_distance_m;
    CHECK(zones[0]["distance_m"].get<double>() == Approx(reach).margin(0.1));
    // The footprint lies east of the release (the wind blows toward 90°).
    for (const auto& c : zones[0]["ring"]) CHECK(c[0].get<double>() >= 113.2418 - 1e-6);
    CHECK(zones[0]["cut"] == false);
    // AEGL-2 reaches past 10 km: cut there, flagged on the zone, and said so.
    CHECK(zones[2]["distance_m"].get<double>() == Approx(10000));
    CHECK(zones[2]["cut"] == true);
    CHECK(zones[3]["cut"] == true); // its wind sector too
    CHECK_THAT(j["assumptions"].dump(), Catch::Contains("AEGL-2") && Catch::Contains("cut there"));
    CHECK(j["stability_assumed"] == false); // --cloud 0.2 given
    CHECK(j["max_range_m"].get<double>() == vigil::hazard::k_default_max_range_m);

    // A puff of 500 kg of ammonia by UN number, stability given, HJ 169 endpoints.
    j = zone_json("--at 113.2418,35.2159 --model puff --substance UN1005 --mass-kg 500 --wind-speed 3 --wind-from 0 --stability D "
                  "--levels hj169 --uncertainty 0");
    REQUIRE(j["zones"].size() == 2);
    CHECK(j["zones"][0]["level"] == "HJ169 endpoint-1");
    CHECK(j["zones"][0]["threshold"].get<double>() == 770);
    CHECK(j["zones"][1]["threshold"].get<double>() == 110);
}

TEST_CASE("vigil zone --model plume says what it assumed: stability, clamped wind, cut at max range", "[gdal][cli][hazard]") {
    // 1 kg/s of chlorine at 1.5 m/s at night, no --cloud. Was: cover 0.5 assumed silently, class
    // E, AEGL-3 to 1.86 km. Now class F (the farthest Turner allows on such a night), ~3.79 km
    // (test_toxic_zone.cpp checks 3786 m against a separate Briggs/Gaussian computation).
    const std::string release = "--at 113.2418,35.2159 --model plume --substance chlorine --rate-kg-s 1 --wind-from 270 --time night";
    const std::string args = release + " --wind-speed 1.5";
    auto j = zone_json(args);
    CHECK(j["stability"] == "F");
    CHECK(j["stability_assumed"] == true);
    CHECK_THAT(j["stability_source"].get<std::string>(), Catch::Contains("cloud cover not given"));
    CHECK(j["zones"][0]["stability"] == "F");
    CHECK(j["zones"][0]["distance_m"].get<double>() == Approx(3786).epsilon(3e-3));
    CHECK_THAT(j["assumptions"][0].get<std::string>(), Catch::StartsWith("stability F assumed"));
    // The text output says it too, and says "beyond" for the cut AEGL-2 (not "reaches 10.00 km").
    auto r = run_vigil("zone " + q(demo_db()) + " " + args);
    INFO(r.out);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("stability F (assumed)") && Catch::Contains("assumed: stability F assumed"));
    CHECK_THAT(r.out, Catch::Contains("tier 2 AEGL-2: reaches beyond 10.00 km (cut at --max-range)"));
    CHECK_THAT(r.out, !Catch::Contains("reaches 10.00 km"));
    // With the sky given as half covered: the old class E, and nothing assumed about it.
    j = zone_json(args + " --cloud 0.5");
    CHECK(j["stability"] == "E");
    CHECK(j["zones"][0]["distance_m"].get<double>() == Approx(1856).epsilon(3e-3));
    // Wind below 1 m/s: computed at 1 m/s, and said.
    j = zone_json(release + " --wind-speed 0.5");
    CHECK(j["wind_clamped"] == true);
    CHECK(j["wind_speed_m_s"].get<double>() == 1);
    CHECK(j["wind_speed_given_m_s"].get<double>() == 0.5);
    CHECK_THAT(j["assumptions"].dump(), Catch::Contains("computed at 1 m/s"));
}

TEST_CASE("vigil zone lists what lies inside and flags rescue teams in the red zone", "[gdal][cli][hazard]") {
    // Release at a rescue team's own base: the team is inside every circle, the red one included.
    auto teams = vigil::store::Project::open(demo_db()).load_layer("rescue_teams");
    REQUIRE(teams->size() > 0);
    auto base = teams->geometry(0).coords.front();
    const std::string id = teams->id(0);
    char at_buf[64];
    std::snprintf(at_buf, sizeof at_buf, "%.7f,%.7f", base.x, base.y);
    const std::string at = at_buf;
    auto out = scratch_dir("cli-zone-geojson") / "vce.geojson";
    auto j = zone_json("--at " + at + " --model vce --mass-kg 10000 --heat-of-combustion 46.35 --yield 0.05 --geojson " + q(out) +
                       " --geojson-inside");
    // W = 0.05 · 10 000 · 46.35 / 4.686 = 4945.6 kg TNT.
    CHECK(j["tnt_equivalent_kg"].get<double>() == Approx(4945.58).epsilon(1e-5));
    auto zones = j["zones"];
    REQUIRE(zones.size() == 3);
    CHECK(zones[0]["level"] == "50 kPa");
    CHECK(zones[0]["tier"] == 3);
    bool found = false;
    for (const auto& f : zones[0]["inside"])
        if (f["id"] == id) {
            found = true;
            CHECK(f["layer"] == "rescue_teams");
            CHECK(f["unable_to_respond"] == true);
            CHECK(f["distance_m"].get<double>() < 1);
        }
    CHECK(found);
    CHECK_THAT(j["unable_to_respond"].dump(), Catch::Contains(id));
    // Each zone's inside list is nearest first and within its radius.
    for (const auto& z : zones) {
        double prev = -1;
        for (const auto& f : z["inside"]) {
            CHECK(f["distance_m"].get<double>() >= prev);
            CHECK(f["distance_m"].get<double>() <= z["distance_m"].get<double>() + 0.2);
            prev = f["distance_m"].get<double>();
        }
    }
    // The GeoJSON: one polygon per zone with its level, the release point, and the inside points.
    std::ifstream in(out);
    auto fc = nlohmann::json::parse(in);
    CHECK(fc["type"] == "FeatureCollection");
    const auto& f0 = fc["features"][0];
    CHECK(f0["geometry"]["type"] == "Polygon");
    CHECK(f0["properties"]["model"] == "vce");
    CHECK(f0["properties"]["level"] == "50 kPa");
    CHECK(f0["properties"]["threshold"].get<double>() == 50);
    CHECK(f0["properties"]["units"] == "kPa");
    std::size_t inside_points = 0;
    for (const auto& f : fc["features"])
        if (f["properties"].value("role", "") == "inside") ++inside_points;
    CHECK(inside_points == zones[2]["inside"].size()); // every feature once (the outer circle holds them all)

    // Text output names the team as unable to respond.
    auto r = run_vigil("zone " + q(demo_db()) + " --at " + at + " --model vce --mass-kg 10000 --heat-of-combustion 46.35");
    INFO(r.out);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("unable to respond") && Catch::Contains(id));
}

TEST_CASE("vigil zone --model poolfire, bleve and erg: the service's facts in JSON and text", "[gdal][cli][hazard]") {
    // The distances themselves are the zone service's (tests/core/app/test_zones.cpp): here the
    // options reach it and its answer reaches the output.
    auto j = zone_json("--at 113.2418,35.2159 --model bleve --mass-kg 50000 --heat-of-combustion 46.35");
    REQUIRE(j["zones"].size() == 3);
    CHECK(j["zones"][0]["distance_m"].get<double>() == Approx(195.4).margin(0.2));
    CHECK(j["diameter_m"].get<double>() == Approx(213.67).epsilon(1e-4));
    // Custom levels out of order: the most severe first, each zone with its distance from the edge.
    const std::string pool = "--at 113.2418,35.2159 --model poolfire --pool-area-m2 100 --heat-of-combustion 43.7 --burning-rate 0.055 "
                             "--flux-levels 4,37.5";
    j = zone_json(pool);
    REQUIRE(j["zones"].size() == 2);
    CHECK(j["zones"][0]["threshold"].get<double>() == 37.5);
    CHECK(j["zones"][0]["from_edge_m"].get<double>() == Approx(0.4).margin(0.1));
    CHECK(j["zones"][0]["flux_model"] == "point source");
    CHECK(j["distances_from"] == "pool centre");
    CHECK(j["surface_emissive_power_kw_m2"].get<double>() == Approx(50.98).epsilon(1e-3));
    auto text = run_vigil("zone " + q(demo_db()) + " " + pool);
    INFO(text.out);
    CHECK_THAT(text.out, Catch::Contains("tier 3 37.5 kW/m2: reaches 6.0 m from the pool centre (0.4 m from its edge; point source)"));
    CHECK_THAT(text.out, Catch::Contains("assumed: distances from the pool centre"));
    // The ERG model keeps its output and gains the zones.
    j = zone_json("--at 113.2418,35.2159 --un 1017 --wind-from 90");
    CHECK(j["model"] == "erg");
    CHECK(j["isolation"]["table_m"].get<double>() == 60);
    CHECK(j["isolation"]["guide_precautionary_m"].get<double>() == 100);
    CHECK(j["isolation"]["radius_m"].get<double>() == 100);
    CHECK(j["fire_isolation_m"].get<double>() == 800);
    REQUIRE(j["zones"].size() == 2);
    CHECK(j["zones"][0]["kind"] == "isolation");
    CHECK(j["zones"][1]["kind"] == "protective_action");
    CHECK(j["isolation"]["ring"] == j["zones"][0]["ring"]);
}

TEST_CASE("vigil zone refuses bad model inputs with clear messages", "[gdal][cli][hazard]") {
    const std::string base = "zone " + q(demo_db()) + " --at 113.2418,35.2159 ";
    struct Case {
        std::string args, message;
    };
    const Case cases[] = {
        {"--model plume --substance chlorine --wind-speed 2 --wind-from 0", "needs rate_kg_s"},
        {"--model plume --substance chlorine --rate-kg-s 1 --wind-speed 0 --wind-from 0", "wind speed 0"},
        {"--model plume --substance unobtainium --rate-kg-s 1 --wind-speed 2 --wind-from 0", "not in the toxic endpoint table"},
        {"--model plume --substance methane --rate-kg-s 1 --wind-speed 2 --wind-from 0", "no toxic level of concern"},
        {"--model puff --substance chlorine --mass-kg -5 --wind-speed 2 --wind-from 0", "released mass -5"},
        {"--model plume --substance chlorine --rate-kg-s 1 --wind-speed 2", "needs wind_from"},
        {"--model plume --substance chlorine --rate-kg-s 1 --wind-speed 2 --wind-from 0 --stability Q", "stability class 'Q'"},
        {"--model vce --mass-kg 100 --heat-of-combustion 46 --yield 2", "yield 2"},
        {"--model bleve --mass-kg 100", "needs heat_of_combustion"},
        {"--model poolfire --pool-area-m2 10 --heat-of-combustion 43 --burning-rate 0.05 --flux-levels 4,x", "--flux-levels"},
        {"--model poolfire --pool-area-m2 10 --heat-of-combustion 43700 --burning-rate 0.05", "heat of combustion 43700 MJ/kg"},
        {"--model poolfire --pool-area-m2 10 --heat-of-combustion 43.7 --burning-rate 3.3", "burning rate 3.3"},
        {"--model bleve --mass-kg 100 --heat-of-combustion 46 --radiative-fraction 1", "radiative fraction 1"},
        {"--un 1017 --spill large --container barge", "no ERG table 3 container matches 'barge'"},
        {"--model erg", "needs un"},
        {"--un 1017 --geojson-inside", "--geojson-inside needs --geojson"},
    };
    for (const auto& c : cases) {
        auto r = run_vigil(base + c.args);
        INFO(c.args << "\n" << r.out);
        CHECK(r.code == 2);
        CHECK_THAT(r.out, Catch::Contains(c.message));
    }
    auto r = run_vigil("zone " + q(demo_db()) + " --at 116.4,39.9 --model bleve --mass-kg 100 --heat-of-combustion 46");
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Contains("outside the data"));
}

} // namespace

} // namespace test_cli_hazard_cases

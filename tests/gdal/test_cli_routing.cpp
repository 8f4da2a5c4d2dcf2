// `vigil nearest --by road` as a dispatcher runs it, on a tiny database: a river with one bridge,
// a team on an island, turnout times that change the order.

#include "cli_runner.hpp"
#include "river_fixture.hpp"
#include "test_paths.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <sys/wait.h>

namespace fs = std::filesystem;
using vigil::test::scratch_dir;

using vigil::test::q;
using vigil::test::Run;
using vigil::test::run_vigil;
using vigil::test::write;

using vigil::test::k_river_roads;
using vigil::test::k_river_teams;

TEST_CASE("nearest --by road ranks by ETA, across the one bridge, and reports the island as unreachable", "[gdal][cli][routing]") {
    auto dir = scratch_dir("cli-routing");
    auto db = dir / "r.sqlite";
    write(dir / "roads.geojson", k_river_roads);
    write(dir / "teams.csv", k_river_teams);
    REQUIRE(run_vigil("init " + q(db)).code == 0);
    auto r = run_vigil("import " + q(db) + " " + q(dir / "roads.geojson") + " --layer roads");
    INFO(r.out);
    REQUIRE(r.code == 0);
    r = run_vigil("import " + q(db) + " " + q(dir / "teams.csv") + " --layer rescue_teams");
    INFO(r.out);
    REQUIRE(r.code == 0);

    const std::string at = " --at 113.0,34.992 --layer rescue_teams --need hazmat";
    // As the crow flies: S2, N1, S1 (I1 is 20 km east).
    r = run_vigil("nearest " + q(db) + at + " -k 4 --json");
    INFO(r.out);
    REQUIRE(r.code == 0);
    auto air = nlohmann::json::parse(r.out);
    REQUIRE(air["results"].size() == 4);
    CHECK(air["results"][0]["id"] == "S2");
    CHECK(air["results"][1]["id"] == "N1");
    CHECK_FALSE(air["results"][0].contains("eta_s"));

    // By road: S1 (round the south loop), N1 (over the bridge), S2 (next door but 30 min to turn
    // out), then I1, unreachable.
    r = run_vigil("nearest " + q(db) + at + " -k 4 --by road --json --routes");
    INFO(r.out);
    REQUIRE(r.code == 0);
    auto road = nlohmann::json::parse(r.out);
    CHECK(road["query"]["by"] == "road");
    const auto& res = road["results"];
    REQUIRE(res.size() == 4);
    CHECK(res[0]["id"] == "S1");
    CHECK(res[1]["id"] == "N1");
    CHECK(res[2]["id"] == "S2");
    CHECK(res[3]["id"] == "I1");
    for (int i = 0; i < 3; ++i) {
        CHECK(res[i]["reachable"] == true);
        CHECK(res[i]["eta_s"].get<double>() ==
              Approx(res[i]["travel_s"].get<double>() + 60 * res[i]["turnout_min"].get<double>()).margin(0.2));
        CHECK(res[i]["route"]["type"] == "LineString");
    }
    CHECK(res[0]["eta_s"].get<double>() < res[1]["eta_s"].get<double>());
    CHECK(res[1]["road_distance_m"].get<double>() > 3 * res[1]["distance_m"].get<double>()); // the detour over the bridge
    CHECK(res[3]["reachable"] == false);
    CHECK(res[3]["eta_s"].is_null());
    CHECK(res[3]["travel_s"].is_null());
    CHECK(res[3]["route"].is_null());
    const auto& coords = res[0]["route"]["coordinates"];
    REQUIRE(coords.size() >= 4);
    CHECK(coords.front()[0].get<double>() == Approx(113.0));
    CHECK(coords.front()[1].get<double>() == Approx(34.951));
    CHECK(coords.back()[1].get<double>() == Approx(34.992));

    r = run_vigil("nearest " + q(db) + at + " -k 4 --by road");
    INFO(r.out);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("unreachable") != std::string::npos);
    CHECK(r.out.find("ETA") != std::string::npos);

    // --routes without --by road, and a database without roads: usage errors, not crashes.
    CHECK(run_vigil("nearest " + q(db) + at + " --routes").code == 2);
    auto bare = dir / "bare.sqlite";
    REQUIRE(run_vigil("init " + q(bare)).code == 0);
    REQUIRE(run_vigil("import " + q(bare) + " " + q(dir / "teams.csv") + " --layer rescue_teams").code == 0);
    r = run_vigil("nearest " + q(bare) + at + " --by road");
    CHECK(r.code == 2);
    CHECK(r.out.find("roads") != std::string::npos);
}

// app::coverage on the scenario town (road_scenario.hpp): the targets no capable team reaches in
// time, unreachable first, with the soonest team of the others.

#include "road_scenario.hpp"

#include <vigil/app/coverage.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace vigil;

TEST_CASE("coverage: the gaps, unreachable first, then latest first", "[app][coverage]") {
    const auto town = test::town();
    app::CoverageQuery q;
    q.filter.need = {"hazmat"};
    q.targets = {"enterprises"};
    q.minutes = 15;
    auto r = app::coverage(town.layers, town.graph, q);
    CHECK(r.teams == 3);
    CHECK(r.targets == 2);
    CHECK(r.gaps.empty()); // V is beside E2, U reaches E1 round the main road in a few minutes

    // The closure cuts E2 off (its road is shut) and leaves E1 to the teams outside it.
    q.closures = town.closure;
    r = app::coverage(town.layers, town.graph, q);
    REQUIRE(r.gaps.size() == 1);
    CHECK(r.gaps[0].id == "E2");
    CHECK_FALSE(r.gaps[0].reachable);

    // One minute: E1 becomes a gap too, reachable but late, listed after the unreachable one,
    // with the soonest team (U round the bypass, not T: T turns out in 10 minutes).
    q.minutes = 1;
    r = app::coverage(town.layers, town.graph, q);
    REQUIRE(r.gaps.size() == 2);
    CHECK(r.gaps[0].id == "E2");
    CHECK(r.gaps[1].id == "E1");
    CHECK(r.gaps[1].reachable);
    CHECK(r.gaps[1].best_team == "U");
    CHECK(r.gaps[1].eta_s > 60);
    const auto j = app::to_json(r);
    CHECK(j["gaps"][0]["eta_s"].is_null());
    CHECK(j["gaps"][1]["best_team"] == "U");
    CHECK(j["query"]["need"][0] == "hazmat");
    CHECK(app::to_geojson(r)["features"][1]["geometry"]["type"] == "Point");

    q.targets = {"no_such_layer"};
    CHECK_THROWS_AS(app::coverage(town.layers, town.graph, q), UsageError);
    q.targets = {"enterprises"};
    q.minutes = 0;
    CHECK_THROWS_AS(app::coverage(town.layers, town.graph, q), UsageError);
}

// app::isochrones on the scenario town (road_scenario.hpp): bands grow with the limit and hug
// the roads reached; a closure keeps the far side out; starting from a layer.

#include "road_scenario.hpp"

#include <vigil/app/isochrones.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace vigil;

TEST_CASE("isochrones: the bands grow with the limit and cover the roads reached", "[app][isochrone]") {
    const auto town = test::town();
    app::IsochroneQuery q;
    q.at = test::ascii_cell(0, 1); // on the main road's west end: no access leg
    q.minutes = {2, 0.5};
    const auto r = app::isochrones(town.layers, town.graph, q);
    CHECK(r.points == 1);
    REQUIRE(r.bands.size() == 2);
    CHECK(r.bands[0].minutes == 0.5); // ascending
    // 30 s at 30 km/h: 250 m, two and a half cells along the road.
    CHECK(geo::contains(r.bands[0].area, test::ascii_cell(0, 2)));
    CHECK_FALSE(geo::contains(r.bands[0].area, test::ascii_cell(0, 5)));
    CHECK(geo::contains(r.bands[1].area, test::ascii_cell(0, 5)));
    CHECK(r.bands[1].nodes > r.bands[0].nodes);
    CHECK(r.bands[1].area_km2 > r.bands[0].area_km2);
    CHECK_FALSE(geo::contains(r.bands[1].area, test::ascii_cell(0, 19))); // 1.8 km away: 3.6 min
    const auto j = app::to_json(r);
    CHECK(j["query"]["direction"] == "from");
    CHECK(j["bands"][1]["geometry"]["type"] == "MultiPolygon");
    CHECK(app::to_geojson(r)["features"].size() == 2);

    // The closure shuts the main road: the far end is reached only round the bypass.
    q.minutes = {2};
    q.at = test::ascii_cell(0, 7);
    const auto open = app::isochrones(town.layers, town.graph, q);
    q.closures = town.closure;
    const auto closed = app::isochrones(town.layers, town.graph, q);
    CHECK(closed.closed_segments > 0);
    CHECK(geo::contains(open.bands[0].area, test::ascii_cell(0, 13)));
    CHECK_FALSE(geo::contains(closed.bands[0].area, test::ascii_cell(0, 13)));
}

TEST_CASE("isochrones: from every team of a capability; the start is checked", "[app][isochrone]") {
    const auto town = test::town();
    app::IsochroneQuery q;
    q.from_layer = "rescue_teams";
    q.filter.need = {"hazmat"};
    q.minutes = {1};
    const auto r = app::isochrones(town.layers, town.graph, q);
    CHECK(r.points == 3);
    CHECK(r.start == "3 Rescue teams");
    q.at = test::ascii_cell(0, 1);
    CHECK_THROWS_AS(app::isochrones(town.layers, town.graph, q), UsageError); // both
    q = {};
    CHECK_THROWS_AS(app::isochrones(town.layers, town.graph, q), UsageError); // neither
    q.at = test::ascii_cell(0, 1);
    q.minutes = {0};
    CHECK_THROWS_AS(app::isochrones(town.layers, town.graph, q), UsageError);
    q.minutes = {1441};
    CHECK_THROWS_AS(app::isochrones(town.layers, town.graph, q), UsageError);
    q = {};
    q.from_layer = "rescue_teams";
    q.filter.need = {"mine"};
    CHECK_THROWS_AS(app::isochrones(town.layers, town.graph, q), UsageError); // nobody has it
}

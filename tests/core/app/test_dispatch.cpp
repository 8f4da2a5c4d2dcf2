// app::rank_teams on the scenario town (road_scenario.hpp): the ranking by ETA = turnout +
// travel, unreachable teams last, the staging point when the incident lies inside a closure, and
// the answer's JSON / CSV / GeoJSON forms.

#include "road_scenario.hpp"

#include <vigil/app/dispatch.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace vigil;

namespace test_dispatch_cases {

app::DispatchQuery hazmat_at(geo::Coord at) {
    app::DispatchQuery q;
    q.at = at;
    q.filter.need = {"hazmat"};
    q.isochrone_minutes.clear();
    return q;
}

std::vector<std::string> ids(const app::DispatchSheet& s) {
    std::vector<std::string> out;
    for (const auto& t : s.teams) out.push_back(t.id);
    return out;
}


TEST_CASE("dispatch: turnout counts in the ETA and changes the order", "[app][dispatch]") {
    const auto town = test::town();
    const auto sheet = app::rank_teams(town.layers, town.graph, hazmat_at(town.map.points.at('I')));
    // Open roads: T drives 8 cells and V is next door, but T needs 10 minutes to turn out.
    REQUIRE(ids(sheet) == std::vector<std::string>{"V", "U", "T"}); // X has no hazmat capability
    for (const auto& t : sheet.teams) {
        REQUIRE(t.reachable);
        CHECK(t.eta_s == Approx(t.travel_s + t.turnout_s));
        CHECK(t.route.size() >= 2);
        CHECK(t.route.back() == town.map.points.at('I'));
    }
    CHECK(sheet.teams[2].turnout_s == 600);
    CHECK(sheet.teams[2].travel_s < sheet.teams[1].travel_s); // T is nearer by road than U ...
    CHECK(sheet.teams[2].eta_s > sheet.teams[1].eta_s);       // ... but later on scene
    CHECK_FALSE(sheet.staging.incident_closed);
    CHECK(sheet.closed_segments == 0);
}

TEST_CASE("dispatch: an incident inside a closure sends the teams to the staging point, unreachable teams last", "[app][dispatch]") {
    const auto town = test::town();
    auto q = hazmat_at(town.map.points.at('I'));
    q.closures = town.closure;
    const auto sheet = app::rank_teams(town.layers, town.graph, q);
    REQUIRE(sheet.staging.incident_closed);
    REQUIRE(sheet.staging.point);
    // The nearest node outside the box with an open road: the bypass right below I, 200 m south
    // (column 7 of the main road is outside too, but 224 m away).
    CHECK(*sheet.staging.point == test::ascii_cell(3, 9));
    CHECK(sheet.staging.distance_m == Approx(geo::geodesic_distance_m(town.map.points.at('I'), test::ascii_cell(3, 9))));
    REQUIRE_FALSE(sheet.notes.empty());
    CHECK(sheet.notes[0].rfind("staging:", 0) == 0);
    CHECK(sheet.closed_segments > 0);
    // Both come round by the bypass; V's road is closed: it is listed, unreachable, after the
    // others (though nearest as the crow flies).
    REQUIRE(ids(sheet) == std::vector<std::string>{"U", "T", "V"});
    CHECK(sheet.teams[0].reachable);
    CHECK(sheet.teams[1].reachable);
    CHECK_FALSE(sheet.teams[2].reachable);
    CHECK(std::isinf(sheet.teams[2].eta_s));
    CHECK(sheet.teams[2].route.empty());
    CHECK(sheet.teams[0].route.back() == test::ascii_cell(3, 9));
    // T drives eleven cells (~1.1 km at 30 km/h: 4 east, 3 south, 4 east) and its 100 m access
    // leg (15 km/h).
    CHECK(sheet.teams[1].travel_s == Approx(1.1 / 30 * 3600 + 0.1 / 15 * 3600).epsilon(0.03));
    CHECK(sheet.teams[1].eta_s == Approx(sheet.teams[1].travel_s + 600));

    // The JSON form: ranks, nulls for the unreachable, the staging point.
    const auto j = app::to_json(sheet);
    CHECK(j["query"]["closed_segments"] == sheet.closed_segments);
    CHECK(j["staging"]["lon"].get<double>() == Approx(test::ascii_cell(3, 9).x));
    CHECK(j["staging"]["lat"].get<double>() == Approx(test::ascii_cell(3, 9).y));
    REQUIRE(j["results"].size() == 3);
    CHECK(j["results"][0]["rank"] == 1);
    CHECK(j["results"][2]["rank"].is_null());
    CHECK(j["results"][2]["eta_s"].is_null());
    CHECK(j["results"][2]["route"].is_null());
    CHECK(j["results"][1]["turnout_min"] == 10);
    CHECK(j["results"][0]["route"]["type"] == "LineString");
    CHECK_FALSE(app::to_json(sheet, {.routes = false})["results"][0].contains("route"));

    // The sheet writes the staging point after the incident.
    const std::string csv = app::dispatch_csv(sheet);
    CHECK(csv.find("\r\nstaging,") != std::string::npos);
    const auto fc = nlohmann::json::parse(app::dispatch_geojson(sheet));
    CHECK(fc["features"][1]["properties"]["type"] == "staging");
}

TEST_CASE("dispatch: a closure the incident is outside of only closes roads", "[app][dispatch]") {
    const auto town = test::town();
    auto q = hazmat_at(test::ascii_cell(1, 17)); // east of the box, between the bypass and U
    q.closures = town.closure;
    const auto sheet = app::rank_teams(town.layers, town.graph, q);
    CHECK_FALSE(sheet.staging.incident_closed);
    CHECK(sheet.notes.empty());
    REQUIRE(ids(sheet) == std::vector<std::string>{"U", "T", "V"});
    CHECK(sheet.teams[1].reachable); // T comes round the bypass
    CHECK_FALSE(sheet.teams[2].reachable);
}

TEST_CASE("dispatch: max_teams, max_distance_m and mistakes", "[app][dispatch]") {
    const auto town = test::town();
    auto q = hazmat_at(town.map.points.at('I'));
    q.max_teams = 2;
    CHECK(ids(app::rank_teams(town.layers, town.graph, q)) == std::vector<std::string>{"V", "U"});
    q.max_teams = 0;
    q.max_distance_m = 500; // T (~800 m) and U (~1 km) are farther as the crow flies
    CHECK(ids(app::rank_teams(town.layers, town.graph, q)) == std::vector<std::string>{"V"});
    q.max_distance_m = std::numeric_limits<double>::infinity();
    q.filter.need = {"teleportation"};
    CHECK_THROWS_WITH(app::rank_teams(town.layers, town.graph, q), Catch::Matchers::Contains("teleportation"));
    q.filter.need.clear();
    q.kind = "no_such_layer";
    CHECK_THROWS_AS(app::rank_teams(town.layers, town.graph, q), UsageError);
}

TEST_CASE("dispatch: supplies and isochrones come with the teams, a bad need only flags itself", "[app][dispatch]") {
    const auto town = test::town();
    auto q = hazmat_at(town.map.points.at('I'));
    q.closures = town.closure;
    q.needs = "中和剂:5t,沙袋1000";
    q.isochrone_minutes = {5, 1};
    const auto sheet = app::rank_teams(town.layers, town.graph, q);
    CHECK(sheet.teams.size() == 3);
    REQUIRE(sheet.supplies_asked);
    REQUIRE(sheet.supply.problems.size() == 1);
    CHECK(sheet.supply.problems[0].find("沙袋1000") != std::string::npos);
    REQUIRE(sheet.supply.needs.size() == 1);
    CHECK(sheet.supply.complete);
    // The warehouses drive to the staging point too.
    for (const auto& d : sheet.supply.depots) CHECK(d.route.back() == test::ascii_cell(3, 9));
    REQUIRE(sheet.isochrones.size() == 2);
    CHECK(sheet.isochrones[0].minutes == 1);
    CHECK(sheet.isochrones[1].nodes > sheet.isochrones[0].nodes);
    const auto j = app::to_json(sheet);
    CHECK(j["supply"]["complete"] == true);
    CHECK(j["isochrones"][1]["minutes"] == 5);

    // No warehouses in the project: said under the supplies, the teams still answered.
    app::LayerSet teams_only;
    teams_only.add(town.layers.share("rescue_teams"));
    q.needs = "中和剂:5t";
    const auto bare = app::rank_teams(teams_only, town.graph, q);
    CHECK(bare.teams.size() == 3);
    REQUIRE(bare.supply.problems.size() == 1);
    CHECK(bare.supply.problems[0].find("warehouses") != std::string::npos);
}

} // namespace test_dispatch_cases

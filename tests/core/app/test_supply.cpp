// app::cover_supplies on the scenario town (road_scenario.hpp): the split soonest first, the
// shortfall, synonyms, a closure around the incident (staging), and the JSON form.

#include "road_scenario.hpp"

#include <vigil/app/supply.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace vigil;

namespace test_supply_cases {

app::SupplyQuery ask(geo::Coord at, std::string needs) {
    app::SupplyQuery q;
    q.at = at;
    q.needs = std::move(needs);
    return q;
}


TEST_CASE("supply: each need is split soonest first, converting units", "[app][supply]") {
    const auto town = test::town();
    const auto r = app::cover_supplies(town.layers, town.graph, ask(town.map.points.at('I'), "中和剂:5t,沙袋:800"));
    REQUIRE(r.problems.empty());
    CHECK(r.complete);
    // W1 (2 t, west, nearer) first, then 3 t of W2's 10,000 kg (its line says 中和剂（碳酸钠）).
    REQUIRE(r.needs.size() == 2);
    const auto& n = r.needs[0];
    REQUIRE(n.parts.size() == 2);
    CHECK(r.depots[n.parts[0].depot].id == "W1");
    CHECK(n.parts[0].quantity == Approx(2));
    CHECK(r.depots[n.parts[1].depot].id == "W2");
    CHECK(n.parts[1].quantity == Approx(3));
    CHECK(n.parts[0].eta_s < n.parts[1].eta_s);
    CHECK(n.covered_s == Approx(n.parts[1].eta_s));
    CHECK(r.needs[1].count);
    CHECK(app::amount_text(r, 1, 800) == "800");
    CHECK(app::give_text(r, r.depots[0].gives[0]) == "中和剂 2 t");
    CHECK(r.arrival_s == Approx(r.depots.back().eta_s));
    CHECK(r.first_arrival_s == Approx(r.depots.front().eta_s));
    CHECK(r.headline.find("all needs covered by") != std::string::npos);
    const auto j = app::to_json(r);
    CHECK(j["needs"][0]["from"][1]["id"] == "W2");
    CHECK(j["warehouses"][0]["gives"][0]["unit"] == "t");
    CHECK(j["staging"].is_null());
}

TEST_CASE("supply: a shortfall when the reachable warehouses cannot cover a need, never 'all arrive'", "[app][supply]") {
    const auto town = test::town();
    auto r = app::cover_supplies(town.layers, town.graph, ask(town.map.points.at('I'), "中和剂:20t"));
    CHECK_FALSE(r.complete);
    REQUIRE(r.needs.size() == 1);
    CHECK(r.needs[0].available == Approx(12));
    CHECK(r.needs[0].shortfall == Approx(8));
    CHECK(std::isinf(r.needs[0].covered_s));
    CHECK(r.headline.rfind("shortfall: 中和剂", 0) == 0);
    CHECK(app::to_json(r)["needs"][0]["covered_s"].is_null());

    // Everyday names: 纯碱 is 中和剂 in the stock item catalogue, and the notes say so.
    r = app::cover_supplies(town.layers, town.graph, ask(town.map.points.at('I'), "纯碱:1t"));
    CHECK(r.complete);
    CHECK(std::any_of(r.notes.begin(), r.notes.end(), [](const std::string& s) { return s.find("as 纯碱") != std::string::npos; }));
}

TEST_CASE("supply: inside a closure the supplies go to the staging point; mistakes", "[app][supply]") {
    const auto town = test::town();
    auto q = ask(town.map.points.at('I'), "中和剂:5t");
    q.closures = town.closure;
    const auto r = app::cover_supplies(town.layers, town.graph, q);
    REQUIRE(r.staging.point);
    CHECK(*r.staging.point == test::ascii_cell(3, 9));
    CHECK(r.closed_segments > 0);
    CHECK(r.complete);
    for (const auto& d : r.depots) CHECK(d.route.back() == test::ascii_cell(3, 9));
    CHECK(r.notes.at(0).rfind("staging:", 0) == 0);
    CHECK(app::to_json(r)["staging"]["lat"].get<double>() == Approx(test::ascii_cell(3, 9).y));

    // A piece that does not parse is a problem of the answer; the others are planned.
    const auto typo = app::cover_supplies(town.layers, town.graph, ask(town.map.points.at('I'), "中和剂:5t,沙袋1000"));
    REQUIRE(typo.problems.size() == 1);
    CHECK(typo.needs.size() == 1);
    // A layer without stock lists, or none at all.
    auto wrong = ask(town.map.points.at('I'), "中和剂:5t");
    wrong.layer = "rescue_teams";
    CHECK_THROWS_WITH(app::cover_supplies(town.layers, town.graph, wrong), Catch::Matchers::Contains("no stock list"));
    wrong.layer = "no_such";
    CHECK_THROWS_AS(app::cover_supplies(town.layers, town.graph, wrong), UsageError);
}

} // namespace test_supply_cases

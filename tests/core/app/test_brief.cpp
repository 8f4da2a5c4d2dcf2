// app::build_brief on the scenario town (road_scenario.hpp) with an incident at I, one team
// assigned to it and a county around the town: the ranking is the dispatch service's, the
// assigned team is marked and listed with its duty phone, the warehouses with their stock, times
// on the bureau's clock, the notes without a road graph, an unknown incident named, and the JSON.

#include "road_scenario.hpp"

#include <vigil/app/brief.hpp>
#include <vigil/app/dispatch.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace vigil;

namespace test_brief_cases {

struct Scene {
    test::Town town = test::town();
    app::LayerSet layers;
};

Scene scene() {
    Scene s;
    s.layers = s.town.layers;
    // Duty phones: the town's teams again, with phones and types.
    std::vector<test::TestRecord> teams;
    const model::Layer& t = s.layers.require("rescue_teams");
    for (std::size_t r = 0; r < t.size(); ++r)
        teams.push_back({geo::representative_point(t.geometry(r)),
                         {{"id", t.id(r)},
                          {"name", t.text(r, "name")},
                          {"capabilities", t.text(r, "capabilities")},
                          {"status", t.text(r, "status")},
                          {"turnout_min", std::stod(t.text(r, "turnout_min"))},
                          {"team_type", std::string("fire_rescue")},
                          {"duty_phone", "0391-000" + t.id(r)}}});
    s.layers.add(test::make_layer("rescue_teams", teams));
    s.layers.add(test::make_layer("incidents", {{s.town.map.points.at('I'),
                                                 {{"id", std::string("INC-1")},
                                                  {"title", std::string("硫酸槽车泄漏")},
                                                  {"incident_type", std::string("hazmat_leak")},
                                                  {"status", std::string("active")},
                                                  {"material", std::string("硫酸")},
                                                  {"un_number", std::string("1830")},
                                                  {"reported_at", std::string("2026-12-07T17:30:00.000Z")},
                                                  {"opened_at", std::string("2026-12-07T17:41:00.000Z")},
                                                  {"updated_at", std::string("2026-12-07T17:41:00.000Z")}}}}));
    s.layers.add(test::make_layer("dispatches", {{s.town.map.points.at('I'),
                                                  {{"id", std::string("D-1")},
                                                   {"incident_id", std::string("INC-1")},
                                                   {"team_id", std::string("U")},
                                                   {"assigned_at", std::string("2026-12-07T17:42:00.000Z")},
                                                   {"eta_s", 300.0}}},
                                                 {s.town.map.points.at('I'),
                                                  {{"id", std::string("D-2")},
                                                   {"incident_id", std::string("INC-9")},
                                                   {"team_id", std::string("T")},
                                                   {"assigned_at", std::string("2026-12-07T10:00:00.000Z")}}}}));
    s.layers.add(test::layer_of("admin_areas",
                                {{test::square(112.99, 34.99, 0.05),
                                  {{"id", std::string("410825")}, {"name", std::string("温县")}, {"level", std::string("county")}}}}));
    s.layers.add(test::layer_of(
        "roads", {{geo::Geometry::line_string({test::ascii_cell(0, 0), test::ascii_cell(0, 20)}), {{"id", std::string("R1")}}}}));
    return s;
}

app::BriefRequest request() {
    app::BriefRequest r;
    r.incident = "INC-1";
    r.generated_at = "2026-12-07T18:00:00Z";
    return r;
}

TEST_CASE("brief: the dispatch ranking at the incident, the assigned team, the warehouses", "[app][brief]") {
    const auto s = scene();
    app::IncidentLog log{"INC-1", {{"2026-12-07T17:30:00.000Z", "opened", "王五", "席位1", "incidents", "INC-1", "接报 opened", 1}}};
    const auto b = app::build_brief(s.layers, &s.town.graph, request(), log);
    CHECK(b.incident_id == "INC-1");
    CHECK(b.title == "Incident brief — 硫酸槽车泄漏");
    CHECK(b.type == "Hazardous material leak");
    CHECK(b.status == "Active");
    CHECK(b.county == "温县");
    CHECK(b.reported_at == "2026-12-08 01:30"); // UTC+8 rolls the date over
    CHECK(b.opened_at == "2026-12-08 01:41");
    CHECK(b.generated_at == "2026-12-08 02:00");
    CHECK(b.data_date == "2026-12-08");
    CHECK(b.by_road);
    REQUIRE(b.need == std::vector<std::string>{"hazmat"});

    // The same order and ETAs as the dispatch service gives (V, U, T; X has no hazmat
    // capability), with the roads in the red zone closed, as the brief asks it.
    app::DispatchQuery q;
    q.at = b.at;
    q.filter.need = {"hazmat"};
    q.isochrone_minutes.clear();
    for (const auto& z : b.map.zones)
        if (z.tier == 3) q.closures.push_back(z.rings);
    REQUIRE_FALSE(q.closures.empty());
    const auto sheet = app::rank_teams(s.layers, s.town.graph, q);
    REQUIRE(b.teams.size() == sheet.teams.size());
    for (std::size_t i = 0; i < b.teams.size(); ++i) {
        CHECK(b.teams[i].id == sheet.teams[i].id);
        CHECK(b.teams[i].rank == i + 1);
        REQUIRE(b.teams[i].eta_min);
        CHECK(*b.teams[i].eta_min == Approx(sheet.teams[i].eta_s / 60));
        CHECK(b.teams[i].duty_phone == "0391-000" + b.teams[i].id);
        CHECK(b.teams[i].type == "Comprehensive fire and rescue");
        CHECK(b.teams[i].assigned == (b.teams[i].id == "U"));
    }

    // Only this incident's dispatch.
    REQUIRE(b.assigned.size() == 1);
    CHECK(b.assigned[0].team_id == "U");
    CHECK(b.assigned[0].team_name == "队U");
    CHECK(b.assigned[0].duty_phone == "0391-000U");
    CHECK(b.assigned[0].assigned_at == "2026-12-08 01:42");
    REQUIRE(b.assigned[0].eta_min);
    CHECK(*b.assigned[0].eta_min == Approx(5));

    // Warehouses nearest first, their stock as held.
    REQUIRE(b.warehouses.size() == 2);
    CHECK(b.warehouses[0].id == "W1"); // I is at column 9: W1 (column 2) is nearer than W2 (column 18)
    REQUIRE(b.warehouses[0].stock.size() == 2);
    CHECK(b.warehouses[0].stock[0].item == "中和剂");
    CHECK(b.warehouses[0].stock[0].unit == "t");

    CHECK(b.log.events.size() == 1);
    CHECK_FALSE(b.map.areas.empty());
    CHECK_FALSE(b.map.roads.empty());
    CHECK(b.map.extent.min_x < b.at.x);
    CHECK(b.map.extent.max_y > b.at.y);

    const auto j = app::to_json(b);
    CHECK(j["incident"]["id"] == "INC-1");
    CHECK(j["incident"]["county"] == "温县");
    CHECK(j["by"] == "road");
    CHECK(j["teams"][0]["rank"] == 1);
    CHECK(j["teams"][0]["duty_phone"].is_string());
    CHECK(j["assigned"][0]["eta_min"].get<double>() == Approx(5));
    CHECK(j["warehouses"][0]["stock"][1]["item"] == "沙袋");
    CHECK(j["log"][0]["event"] == "opened");
    CHECK(j["map"]["extent"].size() == 4);
}

TEST_CASE("brief: without a road graph the teams are ranked as the crow flies, and a note says so", "[app][brief]") {
    const auto s = scene();
    auto r = request();
    r.teams = 2;
    const auto b = app::build_brief(s.layers, nullptr, r, {});
    CHECK_FALSE(b.by_road);
    REQUIRE(b.teams.size() == 2);
    CHECK(b.teams[0].id == "V"); // next door
    CHECK_FALSE(b.teams[0].eta_min);
    CHECK(b.teams[0].air_km > 0);
    bool noted = false;
    for (const auto& n : b.notes) noted = noted || n.find("no road graph") != std::string::npos;
    CHECK(noted);
    CHECK(app::to_json(b)["teams"][0]["eta_min"].is_null());
}

TEST_CASE("brief: an unknown incident is named", "[app][brief]") {
    const auto s = scene();
    auto r = request();
    r.incident = "INC-404";
    CHECK_THROWS_WITH(app::build_brief(s.layers, &s.town.graph, r, {}), Catch::Contains("INC-404"));
    app::LayerSet none = s.town.layers; // no incidents layer at all
    CHECK_THROWS_AS(app::build_brief(none, &s.town.graph, r, {}), UsageError);
}

TEST_CASE("brief: the zones of the incident's material, what lies inside them, the red zone's roads closed", "[app][brief]") {
    const auto s = scene();
    const auto b = app::build_brief(s.layers, &s.town.graph, request(), {});
    // UN 1830 (sulfuric acid): ERG guide 137, an isolation zone (tier 3) around the release.
    REQUIRE_FALSE(b.map.zones.empty());
    const auto& red = b.map.zones.back(); // widest first: the innermost last
    CHECK(red.tier == 3);
    CHECK(red.distance_m > 0);
    CHECK(red.label.find("isolation") != std::string::npos);
    REQUIRE_FALSE(red.rings.empty());
    // The map holds the zone whole.
    for (const auto& c : red.rings.front()) {
        CHECK(c.x >= b.map.extent.min_x);
        CHECK(c.x <= b.map.extent.max_x);
    }
    // The incident's own records are not "inside" its zone.
    for (const auto& line : red.inside) {
        CHECK(line.find("事件") != 0);
        CHECK(line.find("调派") != 0);
    }
    const auto j = app::to_json(b);
    REQUIRE(j["zones"].size() == b.map.zones.size());
    CHECK(j["zones"].back()["tier"] == 3);

    // Without a UN number or zone inputs: no zones, and a note says why.
    app::LayerSet none = s.layers;
    none.add(test::make_layer("incidents", {{s.town.map.points.at('I'),
                                             {{"id", std::string("INC-1")},
                                              {"incident_type", std::string("fire")},
                                              {"status", std::string("active")},
                                              {"reported_at", std::string("2026-12-07T17:30:00.000Z")}}}}));
    const auto f = app::build_brief(none, &s.town.graph, request(), {});
    CHECK(f.map.zones.empty());
    CHECK_FALSE(f.map.staging);
    bool said = false;
    for (const auto& n : f.notes) said = said || n.find("no zones drawn") != std::string::npos;
    CHECK(said);
}

TEST_CASE("brief: bureau time", "[app][brief]") {
    CHECK(app::bureau_time("2026-12-31T16:05:00Z") == "2027-01-01 00:05");
    CHECK(app::bureau_time("2026-12-07T03:00:59.5Z") == "2026-12-07 11:00");
    CHECK(app::bureau_time("").empty());
    CHECK(app::bureau_time("soon") == "soon");
}

} // namespace test_brief_cases

TEST_CASE("brief: the file a brief is saved as keeps the incident id safe for any folder and header", "[app][brief]") {
    CHECK(vigil::app::brief_file_name("jiaozuo", "INC-20261207-001") == "jiaozuo-brief-INC-20261207-001.pdf");
    CHECK(vigil::app::brief_file_name("", "INC-1") == "brief-INC-1.pdf");
    CHECK(vigil::app::brief_file_name("p", "../a b\"c") == "p-brief-___a_b_c.pdf");
}

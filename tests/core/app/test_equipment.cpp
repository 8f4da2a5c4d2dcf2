// Equipment in the dispatch and supply questions (app/equipment.hpp) on the scenario town
// (road_scenario.hpp), with the census's equipment held by its teams and warehouses:
//
//        col 0    5    10   15   20
//     row 0  +----+---------+----+
//     row 1   T X |   I V   |   U       V: 防化服 1 in service + 3 of unknown status, 堵漏器材 1
//     row 2       |         |           U: 防化服 3 + 1 in service (two lines), 堵漏器材 1
//     row 3       +---------+           T: 防化服 2, 堵漏器材 2 under repair
//                                       X (water, no hazmat): 防化服 5, 堵漏器材 1
//     W1 by T: 洗消装置 3 in service + 2 unknown; W2 by U: 洗消装置 1, 中和剂 in stock
//
// "Which hazmat teams can bring 2 防化服 and a 堵漏器材 first?": U alone — V lacks suits unless
// its three of unknown status are confirmed (the answer names it), T's kits are under repair.

#include "road_scenario.hpp"

#include <vigil/app/dispatch.hpp>
#include <vigil/app/equipment.hpp>
#include <vigil/app/supply.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

using namespace vigil;
using Catch::Matchers::Contains;

namespace test_equipment_cases {

test::TestRecord line(const std::string& id, const std::string& holder, geo::Coord at, const std::string& type, std::int64_t quantity,
                      const std::string& status) {
    test::TestRecord r{at, {{"id", id}, {"name", id}, {"equipment_type", type}, {"quantity", quantity}, {"held_by", holder}}};
    if (!status.empty()) r.values["status"] = status;
    return r;
}

/// The town with the census's equipment (see the file comment).
test::Town equipped_town(const std::string& v_suit_status = "") {
    auto t = test::town();
    const auto& p = t.map.points;
    const geo::Coord w1 = test::ascii_cell(1, 2), w2 = test::ascii_cell(1, 18);
    t.layers.add(test::make_layer("equipment", {
                                                   line("E1", "V", p.at('V'), "chemical_suit", 1, "in_service"),
                                                   line("E2", "V", p.at('V'), "chemical_suit", 3, v_suit_status),
                                                   line("E3", "V", p.at('V'), "leak_sealing", 1, "in_service"),
                                                   line("E4", "U", p.at('U'), "chemical_suit", 3, "in_service"),
                                                   line("E5", "U", p.at('U'), "chemical_suit", 1, "in_service"),
                                                   line("E6", "U", p.at('U'), "leak_sealing", 1, "in_service"),
                                                   line("E7", "T", p.at('T'), "chemical_suit", 2, "in_service"),
                                                   line("E8", "T", p.at('T'), "leak_sealing", 2, "under_repair"),
                                                   line("E9", "X", p.at('X'), "chemical_suit", 5, "in_service"),
                                                   line("E10", "X", p.at('X'), "leak_sealing", 1, "in_service"),
                                                   line("E11", "W1", w1, "decontamination", 3, "in_service"),
                                                   line("E12", "W1", w1, "decontamination", 2, ""),
                                                   line("E13", "W2", w2, "decontamination", 1, "in_service"),
                                               }));
    return t;
}

app::DispatchQuery ask(const test::Town& t, std::string equipment, std::vector<std::string> need = {"hazmat"}) {
    app::DispatchQuery q;
    q.at = t.map.points.at('I');
    q.filter.need = std::move(need);
    q.equipment = std::move(equipment);
    q.isochrone_minutes.clear();
    return q;
}

std::vector<std::string> ids(const app::DispatchSheet& s) {
    std::vector<std::string> out;
    for (const auto& t : s.teams) out.push_back(t.id);
    return out;
}

bool noted(const std::vector<std::string>& notes, const std::string& part) {
    return std::any_of(notes.begin(), notes.end(), [&](const std::string& n) { return n.find(part) != std::string::npos; });
}


TEST_CASE("equipment: what is asked, by label, synonym or value, with whole counts", "[app][equipment]") {
    const auto& kind = *test::app_catalog().get("equipment");
    auto needs = app::parse_equipment_needs(kind, "防化服:2,堵漏器材");
    REQUIRE(needs.size() == 2);
    CHECK(needs[0].type == "chemical_suit");
    CHECK(needs[0].label == "Chemical protective suit");
    CHECK(needs[0].count == 2);
    CHECK(needs[1].type == "leak_sealing");
    CHECK(needs[1].count == 1);
    // Synonyms, count units, full-width colons and the same type twice (summed).
    needs = app::parse_equipment_needs(kind, "重型防化服：2套；chemical_suit、SCBA:4具");
    REQUIRE(needs.size() == 2);
    CHECK(needs[0].count == 3);
    CHECK(needs[1].type == "scba");
    CHECK(app::equipment_needs_text(needs) == "Chemical protective suit 3, Self-contained breathing apparatus 4");
    CHECK(app::parse_equipment_needs(kind, "  ").empty());
    // Mistakes name the piece.
    CHECK_THROWS_WITH(app::parse_equipment_needs(kind, "防化服:2,飞艇"), Contains("飞艇") && Contains("Leak-sealing kit"));
    CHECK_THROWS_WITH(app::parse_equipment_needs(kind, "防化服:0"), Contains("防化服:0"));
    CHECK_THROWS_WITH(app::parse_equipment_needs(kind, "防化服:1.5"), Contains("1.5"));
    CHECK_THROWS_WITH(app::parse_equipment_needs(kind, "防化服:2t"), Contains("2t"));
}

TEST_CASE("equipment: only teams holding all of it in service themselves, ranked by ETA", "[app][equipment][dispatch]") {
    const auto town = equipped_town();
    const auto sheet = app::rank_teams(town.layers, town.graph, ask(town, "防化服:2,堵漏器材"));
    REQUIRE(ids(sheet) == std::vector<std::string>{"U"});
    REQUIRE(sheet.equipment_asked);
    REQUIRE(sheet.teams[0].equipment.size() == 2);
    CHECK(sheet.teams[0].equipment[0].in_service == 4); // two lines of suits, summed
    CHECK(sheet.teams[0].equipment[1].in_service == 1);
    CHECK(sheet.equipment_lacking == 2); // V and T
    // Safe side: V's three suits of unknown status are not counted, and the answer names V.
    CHECK(sheet.equipment_if_confirmed == std::vector<std::string>{"V"});
    CHECK(noted(sheet.notes, "V (队V)"));
    CHECK(noted(sheet.notes, "only units in service count"));
    CHECK(app::equipment_text(sheet, sheet.teams[0]) == "Chemical protective suit 4/2, Leak-sealing kit 1/1");

    // Confirmed in service, V holds enough and, next door, comes first.
    const auto confirmed = equipped_town("in_service");
    const auto again = app::rank_teams(confirmed.layers, confirmed.graph, ask(confirmed, "防化服:2,堵漏器材"));
    CHECK(ids(again) == std::vector<std::string>{"V", "U"});
    CHECK(again.equipment_if_confirmed.empty());
    // Under repair or scrapped it never counts.
    const auto repaired = equipped_town("under_repair");
    CHECK(ids(app::rank_teams(repaired.layers, repaired.graph, ask(repaired, "防化服:2,堵漏器材"))) == std::vector<std::string>{"U"});

    // The capability filter still applies: without it, X (a water team holding suits) qualifies too.
    CHECK(ids(app::rank_teams(town.layers, town.graph, ask(town, "防化服:2,堵漏器材", {}))) == std::vector<std::string>{"X", "U"});
    // One suit: V qualifies by its one in service.
    CHECK(ids(app::rank_teams(town.layers, town.graph, ask(town, "防化服"))) == std::vector<std::string>{"V", "U", "T"});
    // Nothing asked: the ranking of old, no equipment notes.
    const auto plain = app::rank_teams(town.layers, town.graph, ask(town, ""));
    CHECK(ids(plain) == std::vector<std::string>{"V", "U", "T"});
    CHECK_FALSE(plain.equipment_asked);
    CHECK(plain.notes.empty());
}

TEST_CASE("equipment: the answer's JSON, CSV and GeoJSON carry the holdings", "[app][equipment][dispatch]") {
    const auto town = equipped_town();
    const auto sheet = app::rank_teams(town.layers, town.graph, ask(town, "防化服:2,堵漏器材"));
    const auto j = app::to_json(sheet);
    REQUIRE(j["query"]["equipment"].size() == 2);
    CHECK(j["query"]["equipment"][0]["type"] == "chemical_suit");
    CHECK(j["query"]["equipment"][0]["count"] == 2);
    const auto& held = j["results"][0]["equipment_held"];
    REQUIRE(held.size() == 2);
    CHECK(held[0]["needed"] == 2);
    CHECK(held[0]["in_service"] == 4);
    CHECK(held[0]["unknown_status"] == 0);
    CHECK(j["equipment_lacking"] == 2);
    CHECK(j["equipment_if_confirmed"][0] == "V");
    CHECK(app::dispatch_csv(sheet).find("equipment Chemical protective suit 4/2, Leak-sealing kit 1/1") != std::string::npos);
    const auto fc = nlohmann::json::parse(app::dispatch_geojson(sheet));
    bool found = false;
    for (const auto& f : fc["features"])
        if (f["properties"]["type"] == "team")
            found = f["properties"]["equipment_held"] == "Chemical protective suit 4/2, Leak-sealing kit 1/1";
    CHECK(found);
    // Without equipment asked, none of it.
    const auto plain = app::to_json(app::rank_teams(town.layers, town.graph, ask(town, "")));
    CHECK(plain["query"]["equipment"].empty());
    CHECK_FALSE(plain["results"][0].contains("equipment_held"));
    CHECK_FALSE(plain.contains("equipment_lacking"));
}

TEST_CASE("equipment: mistakes in the question are usage errors naming them", "[app][equipment][dispatch]") {
    const auto town = equipped_town();
    CHECK_THROWS_WITH(app::rank_teams(town.layers, town.graph, ask(town, "飞艇:1")), Contains("飞艇"));
    // A project without the census's equipment cannot answer by equipment, and says so.
    const auto bare = test::town();
    CHECK_THROWS_WITH(app::rank_teams(bare.layers, bare.graph, ask(bare, "防化服")), Contains("equipment layer"));
}

TEST_CASE("equipment: supply counts the warehouses' equipment in service for a need naming its type", "[app][equipment][supply]") {
    const auto town = equipped_town();
    app::SupplyQuery q;
    q.at = town.map.points.at('I');
    q.needs = "洗消装置:4,中和剂:1t";
    auto r = app::cover_supplies(town.layers, town.graph, q);
    REQUIRE(r.problems.empty());
    REQUIRE(r.needs.size() == 2);
    CHECK(r.needs[0].equipment);
    CHECK_FALSE(r.needs[1].equipment);
    CHECK(r.complete);
    REQUIRE(r.needs[0].parts.size() == 2);
    CHECK(r.depots[r.needs[0].parts[0].depot].id == "W1");
    CHECK(r.needs[0].parts[0].quantity == 3); // W1's two of unknown status are not counted ...
    CHECK(r.needs[0].parts[1].quantity == 1); // ... so W2 sends its one
    CHECK(noted(r.notes, "2 unit(s) of unknown status not counted"));
    CHECK(app::to_json(r)["needs"][0]["equipment"] == true);

    q.needs = "洗消装置:5";
    r = app::cover_supplies(town.layers, town.graph, q);
    CHECK_FALSE(r.complete);
    CHECK(r.needs[0].shortfall == 1);
    CHECK(r.headline.rfind("shortfall: 洗消装置 1", 0) == 0);

    // Dispatch asks the same supply service.
    auto d = ask(town, "");
    d.needs = "洗消装置:4";
    const auto sheet = app::rank_teams(town.layers, town.graph, d);
    CHECK(sheet.supply.complete);
    CHECK(sheet.supply.needs[0].equipment);
}

TEST_CASE("dispatch request from JSON: the CLI's option names, the panel's form under it", "[app][equipment][dispatch]") {
    app::DispatchQuery base;
    base.top_n = 7;
    base.filter.status = {"available"};
    const auto q = app::dispatch_query_from_json(
        nlohmann::json::parse(R"({"at": [113.1, 35.2], "need": "hazmat,water", "equipment": "防化服:2,堵漏器材",
                                  "supplies": "中和剂:5t", "k": 3, "max_snap": 500, "isochrones": [],
                                  "closures": [[[[113.0, 35.0], [113.1, 35.0], [113.1, 35.1], [113.0, 35.0]]]]})"),
        base);
    CHECK(q.at.x == 113.1);
    CHECK(q.filter.need == std::vector<std::string>{"hazmat", "water"});
    CHECK(q.filter.status == std::vector<std::string>{"available"}); // the base's
    CHECK(q.top_n == 7);
    CHECK(q.equipment == "防化服:2,堵漏器材");
    CHECK(q.needs == "中和剂:5t");
    CHECK(q.max_teams == 3);
    CHECK(q.max_snap_m == 500);
    CHECK(q.isochrone_minutes.empty());
    CHECK(q.closures.size() == 1);
    CHECK(app::dispatch_query_from_json(nlohmann::json::parse(R"({"at": [1, 2], "status": ["deployed"]})")).filter.status ==
          std::vector<std::string>{"deployed"});

    CHECK_THROWS_WITH(app::dispatch_query_from_json(nlohmann::json::parse(R"({"need": "hazmat"})")), Contains("\"at\""));
    CHECK_THROWS_WITH(app::dispatch_query_from_json(nlohmann::json::parse(R"({"at": [1, 2], "equipmnet": "x"})")), Contains("equipmnet"));
    CHECK_THROWS_WITH(app::dispatch_query_from_json(nlohmann::json::parse(R"({"at": [1, 2], "equipment": 2})")), Contains("equipment"));
    CHECK_THROWS_WITH(app::dispatch_query_from_json(nlohmann::json::parse(R"({"at": [1, 2], "k": 1.5})")), Contains("\"k\""));
}

} // namespace test_equipment_cases

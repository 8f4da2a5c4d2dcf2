/// @file
/// The census kinds in the viewer, headless: the demo's experts, equipment, plans, shelters and
/// medical facilities are layers the viewer shows from their catalogue alone — visible, drawn in
/// their symbology, in the Legend with their classes, in the Layers panel's filters — and the
/// inspector links a team and the equipment it holds both ways; the Dispatch panel's equipment
/// field asks the same question as `vigil nearest --by road --equipment`.

#include "app/app_state.hpp"
#include "app/record_details.hpp"
#include "panels/panels.hpp"
#include "viewer_fixtures.hpp"

#include <catch2/catch.hpp>
#include <imgui.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <string>

using namespace vigil;
using namespace vigil::viewer;
using test_fixtures::demo_db;
using test_fixtures::open_demo;

namespace test_census_layers_cases {

const DispatchSheet& settled(AppState& s) {
    s.road_network().wait();
    s.update_dispatch();
    REQUIRE(s.dispatch());
    REQUIRE_FALSE(s.dispatch()->pending);
    return *s.dispatch();
}


TEST_CASE("census layers: on the map from their catalogue, with legends and filters", "[viewer][census]") {
    AppState s = open_demo();
    struct Expect {
        const char* kind;
        std::size_t legend_classes; ///< colour classes the catalogue gives (1: the kind's own symbol)
        catalog::GeometryKind geometry;
    };
    for (const auto& e : {Expect{"experts", 3, catalog::GeometryKind::Point}, Expect{"equipment", 3, catalog::GeometryKind::Point},
                          Expect{"plans", 4, catalog::GeometryKind::Point}, Expect{"shelters", 3, catalog::GeometryKind::Point},
                          Expect{"medical_facilities", 1, catalog::GeometryKind::Point}}) {
        INFO(e.kind);
        const LayerView* l = s.layer(e.kind);
        REQUIRE(l);
        CHECK(l->visible);
        CHECK(l->layer->size() > 0);
        CHECK(l->visible_count == l->layer->size());
        CHECK(l->styles.geometry() == e.geometry);
        const auto legend = l->styles.legend();
        CHECK(legend.size() == e.legend_classes);
        for (const auto& entry : legend) CHECK_FALSE(entry.label.empty());
        CHECK_FALSE(l->filter_fields.empty()); // the Layers panel offers filters (type, status, county ...)
    }
    // The medical facilities' cross in red; the equipment's halo coloured by status.
    CHECK(s.layer("medical_facilities")->styles.legend().front().style.marker == Marker::Cross);
    const auto equipment_legend = s.layer("equipment")->styles.legend();
    CHECK(equipment_legend.front().label == "完好");
    CHECK(equipment_legend.front().style.fill.a < 255); // translucent: the team's square shows through

    // The Legend and Layers panels draw them headless.
    PanelState panels;
    panels.show_legend = true;
    panels.show_layers = true;
    const test_fixtures::HeadlessImGui imgui(1600, 900);
    for (int i = 0; i < 2; ++i) {
        ImGui::NewFrame();
        draw_panels(s, panels);
        ImGui::Render();
    }
}

TEST_CASE("census layers: the inspector links a team and the equipment it holds, both ways", "[viewer][census]") {
    AppState s = open_demo();
    const LayerView* equipment = s.layer("equipment");
    const LayerView* teams = s.layer("rescue_teams");
    REQUIRE(equipment);
    REQUIRE(teams);
    // The first line a team holds.
    std::size_t line = equipment->layer->size();
    for (std::size_t r = 0; r < equipment->layer->size() && line == equipment->layer->size(); ++r)
        if (teams->layer->find(equipment->layer->text(r, "held_by"))) line = r;
    REQUIRE(line < equipment->layer->size());
    const std::string holder = equipment->layer->text(line, "held_by");

    const auto out = related_records(s, {"equipment", line});
    REQUIRE(out.size() == 1);
    CHECK(out[0].kind == "rescue_teams");
    CHECK(out[0].outgoing);
    CHECK(teams->layer->id(out[0].row) == holder);

    const auto in = related_records(s, {"rescue_teams", *teams->layer->find(holder)});
    CHECK(std::any_of(in.begin(), in.end(), [&](const RelatedRecord& r) { return r.kind == "equipment" && r.row == line && !r.outgoing; }));
}

// The equipment half of the three shells' agreement (the browser's: tests/e2e/viewer.test.mjs):
// the Dispatch panel's question with equipment typed gives `vigil nearest --by road --equipment`'s
// teams, in its order, with its ETAs.
TEST_CASE("agreement: equipment asked of the CLI and of the Dispatch panel sends the same teams", "[viewer][dispatch][agreement][census]") {
    const std::string equipment = "防化服:2,堵漏器材";
    auto cli = nlohmann::json::parse(test_fixtures::run_command(
        std::string("\"") + VIGIL_EXECUTABLE + "\" -q nearest \"" + demo_db().string() +
        "\" --at 113.0791,34.9412 --layer rescue_teams --by road --need hazmat --status available -k 100 --equipment \"" + equipment +
        "\" --json"));

    AppState s = open_demo();
    PanelState panels;
    panels.dispatch_form.filter = {.need = {"hazmat"}, .status = {"available"}};
    panels.dispatch_form.isochrone_minutes.clear();
    panels.dispatch_form.equipment = equipment;
    ask_dispatch(s, panels, {113.0791, 34.9412}, "test");
    const DispatchSheet& d = settled(s);
    REQUIRE(d.error.empty());
    REQUIRE(d.equipment_asked);
    const auto& res = cli["results"];
    REQUIRE(res.size() == d.teams.size());
    REQUIRE_FALSE(d.teams.empty());
    for (std::size_t i = 0; i < d.teams.size(); ++i) {
        INFO("rank " << i + 1);
        CHECK(res[i]["id"] == d.teams[i].id);
        CHECK(res[i]["reachable"] == d.teams[i].reachable);
        if (d.teams[i].reachable) CHECK(res[i]["eta_s"].get<double>() == Approx(d.teams[i].eta_s).margin(0.051));
        CHECK(res[i]["equipment_held"][0]["in_service"].get<double>() == d.teams[i].equipment[0].in_service);
        CHECK(d.teams[i].equipment[0].in_service >= 2);
        CHECK(d.teams[i].equipment[1].in_service >= 1);
    }
    CHECK(cli["equipment_lacking"] == d.equipment_lacking);
    // Equipment narrows the answer: some hazmat teams on standby do not hold it.
    CHECK(d.equipment_lacking > 0);

    // The panel shows the question and its notes headless.
    panels.show_dispatch = true;
    const test_fixtures::HeadlessImGui imgui(1600, 900);
    ImGui::NewFrame();
    draw_panels(s, panels);
    ImGui::Render();
}

} // namespace test_census_layers_cases

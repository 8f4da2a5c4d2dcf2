/// @file
/// The planners' questions in the viewer, headless through AppState: the supply plan, the
/// isochrones, the coverage gaps and the regional risk of tests/data/planning_agreement.json give
/// what `vigil supply|isochrone|coverage|risk --json` gives on the demo (the browser's half of
/// each agreement is in tests/e2e/viewer.test.mjs); the answers come from background jobs, the
/// Planning panel draws them, the map shows them as layers that can be switched off.

#include "app/app_state.hpp"
#include "app/overlay.hpp"
#include "panels/panels.hpp"
#include "test_paths.hpp"
#include "viewer_fixtures.hpp"

#include <vigil/app/coverage.hpp>
#include <vigil/app/isochrones.hpp>
#include <vigil/app/regional_risk.hpp>
#include <vigil/app/supply.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>
#include <imgui.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <string>

using namespace vigil;
using namespace vigil::viewer;

namespace vigil::viewer::planning_tests {

using test_fixtures::demo_db;
using test_fixtures::open_demo;

nlohmann::json agreement() {
    std::ifstream in(test::data_dir() / "planning_agreement.json");
    REQUIRE(in);
    return nlohmann::json::parse(in);
}

/// The CLI's arguments for a request: each key is an option ("at": [lon, lat] -> --at lon,lat;
/// a list -> comma-separated).
std::string cli_args(const nlohmann::json& request) {
    std::string out;
    for (const auto& [key, v] : request.items()) {
        std::string option = key;
        for (auto& c : option)
            if (c == '_') c = '-';
        std::string value;
        if (v.is_array()) {
            for (const auto& x : v) value += (value.empty() ? "" : ",") + (x.is_string() ? x.get<std::string>() : x.dump());
        } else {
            value = v.is_string() ? v.get<std::string>() : v.dump();
        }
        out += " --" + option + " '" + value + "'";
    }
    return out;
}

nlohmann::json cli(const std::string& command, const nlohmann::json& request) {
    return nlohmann::json::parse(test_fixtures::run_command(std::string("\"") + VIGIL_EXECUTABLE + "\" -q " + command + " \"" +
                                                            demo_db().string() + "\"" + cli_args(request) + " --json"));
}

/// Members that are the run's, not the answer's: times, and the CLI's database path.
bool run_member(const std::string& key) {
    return key == "search_ms" || key == "polygon_ms" || key == "total_ms" || key == "timing_ms" || key == "database";
}

/// The same JSON but for the run's members; numbers equal within `tolerance` (relative).
void same_answer(const nlohmann::json& a, const nlohmann::json& b, const std::string& path = "$") {
    INFO(path);
    if (a.is_number() && b.is_number()) {
        const double x = a.get<double>(), y = b.get<double>();
        CHECK(std::abs(x - y) <= 1e-9 * std::max({1.0, std::abs(x), std::abs(y)}));
        return;
    }
    REQUIRE(a.type() == b.type());
    if (a.is_object()) {
        for (const auto& [key, v] : a.items()) {
            if (run_member(key)) continue;
            INFO("member " << key);
            REQUIRE(b.contains(key));
            same_answer(v, b[key], path + "." + key);
        }
        for (const auto& [key, v] : b.items())
            if (!run_member(key)) CHECK(a.contains(key));
    } else if (a.is_array()) {
        REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) same_answer(a[i], b[i], path + "[" + std::to_string(i) + "]");
    } else {
        CHECK(a == b);
    }
}

/// Asks, waits for the job (and the road graph), returns the answer.
const PlanAnswer& settled(AppState& s, PlanQuestion q) {
    const PlanKind k = plan_kind(q);
    s.ask_plan(std::move(q));
    REQUIRE(s.planner().answer(k));
    s.wait_planning();
    const PlanAnswer* a = s.planner().answer(k);
    REQUIRE(a);
    REQUIRE_FALSE(a->pending);
    INFO(a->error);
    REQUIRE(a->error.empty());
    return *a;
}

} // namespace vigil::viewer::planning_tests

using namespace vigil::viewer::planning_tests;

// Supply: the G207 sulfuric-acid leak near 温县 needing a neutraliser. The Dispatch panel's
// supplies, the page's question (window.vigil.supply: app::supply_query_from_json, answered on a
// job) and `vigil supply --json` on the same database: one plan.
TEST_CASE("agreement: supply — the CLI, the Dispatch panel and the page's question give the same plan", "[viewer][planning][agreement]") {
    const auto request = agreement()["supply"];
    const auto from_cli = cli("supply", request);
    REQUIRE(from_cli["needs"].size() == 2);
    CHECK(from_cli["complete"] == true);

    AppState s = open_demo();
    PanelState panels;
    panels.dispatch_form.needs = request["need"];
    ask_dispatch(s, panels, {request["at"][0].get<double>(), request["at"][1].get<double>()}, "test");
    s.road_network().wait();
    s.update_dispatch();
    REQUIRE(s.dispatch());
    REQUIRE_FALSE(s.dispatch()->pending);
    REQUIRE(s.dispatch()->supplies_asked);
    same_answer(nlohmann::json::parse(app::to_json(s.dispatch()->supply).dump()), from_cli);

    const PlanAnswer& page = settled(s, app::supply_query_from_json(request));
    REQUIRE(page.supply);
    same_answer(nlohmann::json::parse(page.json_text()), from_cli);
    CHECK(page.supply->headline == from_cli["headline"].get<std::string>());

    // The page's refusals name the key.
    CHECK_THROWS_WITH(app::supply_query_from_json({{"at", {113.0, 35.0}}}), Catch::Matchers::Contains("\"need\""));
    CHECK_THROWS_WITH(app::supply_query_from_json({{"at", {113.0, 35.0}}, {"need", "中和剂:1t"}, {"needs", "x"}}),
                      Catch::Matchers::Contains("unknown key \"needs\""));
}

// Isochrones from every hazmat team, asked in the Planning panel and as the page asks them, and
// from a point clicked on the map: `vigil isochrone --json`'s bands, polygons included.
TEST_CASE("agreement: isochrones — the CLI, the Planning panel and the page's question give the same bands",
          "[viewer][planning][agreement]") {
    const auto all = agreement();
    const auto request = all["isochrones"];
    const auto from_cli = cli("isochrone", request);
    REQUIRE(from_cli["bands"].size() == 3);

    AppState s = open_demo();
    PanelState panels;
    panels.plan_need_text = "hazmat";
    panels.plan_minutes_text = "5,10,15";
    ask_isochrones(s, panels);
    s.wait_planning();
    const PlanAnswer* panel = s.planner().answer(PlanKind::isochrones);
    REQUIRE(panel);
    REQUIRE(panel->error.empty());
    REQUIRE(panel->isochrones);
    same_answer(nlohmann::json::parse(panel->json_text()), from_cli);
    CHECK(panel->isochrones->points >= 2);
    CHECK(panel->isochrones->bands[2].area_km2 > panel->isochrones->bands[0].area_km2);

    const PlanAnswer& page = settled(s, app::isochrone_query_from_json(request));
    same_answer(nlohmann::json::parse(page.json_text()), from_cli);

    // From a clicked point (click mode 规划): the CLI's --at.
    const auto point = all["isochrones_point"];
    const auto point_cli = cli("isochrone", point);
    s.camera().set_center_lonlat({point["at"][0].get<double>(), point["at"][1].get<double>()});
    panels.plan_minutes_text = "10,20";
    panels.click_mode = ClickMode::Planning;
    handle_map_click(s, panels, s.camera().lonlat_to_screen({point["at"][0].get<double>(), point["at"][1].get<double>()}));
    s.wait_planning();
    const PlanAnswer* clicked = s.planner().answer(PlanKind::isochrones);
    REQUIRE(clicked->isochrones);
    CHECK(clicked->isochrones->points == 1);
    REQUIRE(clicked->isochrones->bands.size() == point_cli["bands"].size());
    for (std::size_t i = 0; i < clicked->isochrones->bands.size(); ++i) {
        // The click lands within a fraction of a pixel of the typed point: the same road nodes.
        CHECK(clicked->isochrones->bands[i].nodes == point_cli["bands"][i]["nodes"].get<std::size_t>());
        CHECK(clicked->isochrones->bands[i].area_km2 == Approx(point_cli["bands"][i]["area_km2"].get<double>()).epsilon(1e-3));
    }
    CHECK_THROWS_WITH(app::isochrone_query_from_json({{"at", {113.0, 35.0}}, {"need", "hazmat"}}), Catch::Matchers::Contains("from_layer"));
}

// The coverage gap map of the hazmat teams at 15 minutes: `vigil coverage --json`'s gaps.
TEST_CASE("agreement: coverage — the CLI, the Planning panel and the page's question list the same gaps", "[viewer][planning][agreement]") {
    const auto request = agreement()["coverage"];
    const auto from_cli = cli("coverage", request);
    REQUIRE(from_cli["gaps"].size() > 0);

    AppState s = open_demo();
    PanelState panels;
    panels.plan_need_text = "hazmat";
    panels.plan_coverage_minutes = 15;
    ask_coverage(s, panels);
    s.wait_planning();
    const PlanAnswer* panel = s.planner().answer(PlanKind::coverage);
    REQUIRE(panel);
    REQUIRE(panel->error.empty());
    same_answer(nlohmann::json::parse(panel->json_text()), from_cli);

    const PlanAnswer& page = settled(s, app::coverage_query_from_json(request));
    same_answer(nlohmann::json::parse(page.json_text()), from_cli);

    // On the map: one marker per gap, gone when the layer is switched off.
    const auto markers = [&] {
        std::size_t n = 0;
        for (const auto& p : build_overlay(s).points)
            if (p.style.fill == gap_colour(true) || p.style.fill == gap_colour(false)) ++n;
        return n;
    };
    CHECK(markers() == page.coverage->gaps.size());
    s.show_plan(PlanKind::coverage, false);
    CHECK(markers() == 0);
    CHECK_THROWS_WITH(app::coverage_query_from_json({{"minutes", -5}}), Catch::Matchers::Contains("\"minutes\""));
}

// Regional risk of 温县 at 50 m cells with the catalogue's wind rose: `vigil risk --json`'s
// levels, areas, targets and F-N curve.
TEST_CASE("agreement: regional risk — the CLI, the Planning panel and the page's question give the same contours",
          "[viewer][planning][agreement]") {
    const auto request = agreement()["risk"];
    const auto from_cli = cli("risk", request);

    AppState s = open_demo();
    PanelState panels;
    panels.plan_risk_area = request["area"];
    panels.plan_risk_cell = request["cell"].get<float>();
    ask_risk(s, panels);
    CHECK(s.planner().answer(PlanKind::risk)->pending); // asked: the frame goes on
    s.wait_planning();
    const PlanAnswer* panel = s.planner().answer(PlanKind::risk);
    REQUIRE(panel);
    INFO(panel->error);
    REQUIRE(panel->error.empty());
    REQUIRE(panel->risk);
    same_answer(nlohmann::json::parse(panel->json_text()), from_cli);
    CHECK(panel->risk->max_ir_per_year > 0);

    const PlanAnswer& page = settled(s, app::risk_request_from_json(request));
    same_answer(nlohmann::json::parse(page.json_text()), from_cli);

    // The contours are drawn (outlines in the overlay) while the layer is on.
    std::size_t contour_vertices = 0;
    for (const auto& l : page.risk->levels)
        for (const auto& ring : contour_rings(l.contour)) contour_vertices += ring.size();
    const std::size_t with = build_overlay(s).segments.size();
    s.show_plan(PlanKind::risk, false);
    const std::size_t without = build_overlay(s).segments.size();
    CHECK(with > without);
    CHECK(with - without <= contour_vertices);
    CHECK_THROWS_WITH(app::risk_request_from_json({{"area", "温县"}, {"cell", 0.5}}), Catch::Matchers::Contains("\"cell\""));
}

TEST_CASE("planning: the panel draws headless, answers arrive from jobs, a refusal is shown", "[viewer][planning]") {
    AppState s = open_demo();
    PanelState panels;
    panels.show_planning = true;
    const test_fixtures::HeadlessImGui imgui(1600, 900);
    s.camera().set_viewport(1600, 900);
    s.zoom_home();
    auto frame = [&] {
        ImGui::NewFrame();
        draw_panels(s, panels);
        ImGui::Render();
    };
    frame();
    panels.plan_need_text = "hazmat";
    ask_isochrones(s, panels);
    ask_coverage(s, panels);
    panels.plan_risk_cell = 200;
    ask_risk(s, panels);
    for (int i = 0; i < 3; ++i) frame(); // pending: the panel says so, nothing blocks
    s.wait_planning();
    for (int i = 0; i < 2; ++i) frame();
    for (PlanKind k : {PlanKind::isochrones, PlanKind::coverage, PlanKind::risk}) {
        const PlanAnswer* a = s.planner().answer(k);
        REQUIRE(a);
        CHECK_FALSE(a->pending);
        CHECK(a->error.empty());
    }
    // A typing error stays in the panel; an unknown capability comes back as the service's refusal.
    panels.plan_minutes_text = "5,十";
    ask_isochrones(s, panels);
    CHECK_THAT(panels.plan_message, Catch::Matchers::Contains("5,10,15,30"));
    panels.plan_need_text = "teleportation";
    ask_coverage(s, panels);
    s.wait_planning();
    CHECK_THAT(s.planner().answer(PlanKind::coverage)->error, Catch::Matchers::Contains("teleportation"));
    frame();
    // A new project forgets the answers.
    s.open_project(demo_db());
    CHECK_FALSE(s.planner().answer(PlanKind::coverage));
}

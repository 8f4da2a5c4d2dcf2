/// @file
/// The Dispatch panel's logic, headless through AppState and app/dispatch: an incident placed by
/// a map click ranks the teams exactly as `vigil nearest --by road` does on the demo, the sheet
/// writers' CSV and GeoJSON read back, routes are styled by rank, supplies with shortfall, the
/// fills' scanline spans, and the panels' strings and drawing.

#include "app/app_state.hpp"
#include "app/dispatch.hpp"
#include "app/overlay.hpp"
#include "panels/panels.hpp"
#include "test_paths.hpp"
#include "viewer_fixtures.hpp"

#include <vigil/store/sqlite.hpp>
#include <vigil/util/text.hpp>

#include <catch2/catch.hpp>
#include <imgui.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <tuple>
#include <vector>

using namespace vigil;
using namespace vigil::viewer;

namespace vigil::viewer::dispatch_tests {

using test_fixtures::demo_db;
using test_fixtures::open_demo;
const auto& run = test_fixtures::run_command;

/// Asks, waits for the road graph (built on a worker thread), and returns the answer.
const DispatchSheet& settled(AppState& s) {
    s.road_network().wait();
    s.update_dispatch();
    REQUIRE(s.dispatch());
    REQUIRE_FALSE(s.dispatch()->pending);
    return *s.dispatch();
}

std::vector<std::vector<std::string>> parse_csv(std::string text) {
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
    std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') rows.back().back() += '"', ++i;
            else if (c == '"') quoted = false;
            else rows.back().back() += c;
        } else if (c == '"') quoted = true;
        else if (c == ',') rows.back().emplace_back();
        else if (c == '\n') rows.emplace_back(1);
        else if (c != '\r') rows.back().back() += c;
    }
    if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
    return rows;
}

} // namespace vigil::viewer::dispatch_tests

using namespace vigil::viewer::dispatch_tests;

TEST_CASE("dispatch: an incident placed by a click ranks the teams as vigil nearest --by road", "[viewer][dispatch]") {
    AppState s = open_demo();
    s.camera().set_center_lonlat({113.0791, 34.9412}); // 温县, README's dispatcher example
    s.camera().set_zoom(11);
    PanelState panels;
    panels.click_mode = ClickMode::Dispatch;
    panels.dispatch_form.filter = {.need = {"hazmat"}, .status = {"available"}};
    panels.dispatch_form.isochrone_minutes.clear();
    const geo::Coord click{820, 470};
    handle_map_click(s, panels, click);
    const DispatchSheet& d = settled(s);
    REQUIRE(d.error.empty());
    const geo::Coord at = s.camera().screen_to_lonlat(click);
    CHECK(d.query.at.x == Approx(at.x).margin(1e-12));
    REQUIRE(d.teams.size() >= 3);
    INFO("road graph built in " << s.road_network().build_ms() << " ms, query " << d.query_ms << " ms");

    // The command line on the same database and point: same teams, same order, same times.
    char where[64];
    std::snprintf(where, sizeof where, "%.10f,%.10f", at.x, at.y);
    auto j = nlohmann::json::parse(run(std::string("\"") + VIGIL_EXECUTABLE + "\" nearest \"" + demo_db().string() + "\" --at " + where +
                                       " --layer rescue_teams --by road --need hazmat --status available -k 100 --json"));
    const auto& res = j["results"];
    REQUIRE(res.size() == d.teams.size());
    for (std::size_t i = 0; i < d.teams.size(); ++i) {
        INFO("rank " << i + 1);
        CHECK(res[i]["id"] == d.teams[i].id);
        CHECK(res[i]["reachable"] == d.teams[i].reachable);
        if (d.teams[i].reachable) {
            // The CLI rounds to 0.1 s.
            CHECK(res[i]["eta_s"].get<double>() == Approx(d.teams[i].eta_s).margin(0.051));
            CHECK(res[i]["travel_s"].get<double>() == Approx(d.teams[i].travel_s).margin(0.051));
            CHECK(res[i]["road_distance_m"].get<double>() == Approx(d.teams[i].road_m).margin(0.051));
            CHECK(d.teams[i].eta_s == Approx(d.teams[i].travel_s + d.teams[i].turnout_s));
            CHECK(d.teams[i].route.size() >= 2);
        }
    }
    // Reachable teams first, by ETA.
    for (std::size_t i = 1; i < d.teams.size(); ++i)
        if (d.teams[i].reachable) {
            CHECK(d.teams[i - 1].reachable);
            CHECK(d.teams[i - 1].eta_s <= d.teams[i].eta_s);
        }
    // The overlay draws the routes and the incident.
    const Overlay o = build_overlay(s);
    std::size_t route_segments = 0;
    for (const auto& t : d.teams) route_segments += t.route.empty() ? 0 : t.route.size() - 1;
    CHECK(o.segments.size() >= route_segments);
}

TEST_CASE("dispatch: isochrones, supplies and shortfall on the demo", "[viewer][dispatch]") {
    AppState s = open_demo();
    DispatchQuery q;
    q.at = {113.0791, 34.9412};
    q.filter = {.need = {"hazmat"}};
    q.needs = "中和剂:5t,吸附棉:2000kg";
    s.run_dispatch(q);
    const DispatchSheet& d = settled(s);
    REQUIRE(d.error.empty());
    REQUIRE(d.isochrones.size() == 4);
    CHECK(d.isochrones[0].minutes == 5);
    CHECK(d.isochrones[3].minutes == 30);
    CHECK_FALSE(d.isochrones[3].area.is_empty());
    // The 30-minute area is larger than the 5-minute one (more of it on the map).
    const geo::BBox b5 = d.isochrones[0].area.bbox(), b30 = d.isochrones[3].area.bbox();
    CHECK(b30.max_x - b30.min_x > b5.max_x - b5.min_x);
    const auto& depots = d.supply.depots;
    REQUIRE_FALSE(depots.empty());
    CHECK(d.supply.arrival_s == Approx(depots.back().eta_s));
    for (std::size_t i = 1; i < depots.size(); ++i) CHECK(depots[i - 1].eta_s <= depots[i].eta_s);
    CHECK(d.supply.complete);
    CHECK(d.supply.headline.find("all needs covered by") != std::string::npos);
    // Each need's split, soonest first, adds up to the need.
    REQUIRE(d.supply.needs.size() == 2);
    for (const auto& n : d.supply.needs) {
        CHECK(n.shortfall == 0);
        double sum = 0;
        for (std::size_t i = 0; i < n.parts.size(); ++i) {
            sum += n.parts[i].quantity;
            if (i > 0) CHECK(n.parts[i - 1].eta_s <= n.parts[i].eta_s);
        }
        CHECK(sum == Approx(n.needed));
        CHECK(n.covered_s == Approx(n.parts.back().eta_s));
    }
    const std::size_t team_count = d.teams.size();

    // More than the whole region holds: every holder is used, the rest is a shortfall.
    q.needs = "中和剂:100000t";
    s.run_dispatch(q);
    const DispatchSheet& big = settled(s);
    REQUIRE(big.error.empty());
    REQUIRE(big.supply.needs.size() == 1);
    CHECK(big.supply.needs[0].item == "中和剂");
    CHECK(big.supply.needs[0].shortfall == Approx(100000 - big.supply.needs[0].available));

    // The headline leads with the shortfall: before, it read "全部到达 all arrive ..." next to it.
    CHECK_FALSE(big.supply.complete);
    CHECK(big.supply.headline.rfind("shortfall: 中和剂", 0) == 0);
    CHECK(big.supply.headline.find("all arrive") == std::string::npos);

    // A typo in one need flags that need only. Before, "吸附棉2000kg" (no colon) turned the whole
    // sheet into an error and emptied the team list.
    q.needs = "中和剂:5t,吸附棉2000kg";
    s.run_dispatch(q);
    const DispatchSheet& typo = settled(s);
    CHECK(typo.error.empty());
    CHECK(typo.teams.size() == team_count);
    REQUIRE(typo.supply.problems.size() == 1);
    CHECK(typo.supply.problems[0].find("吸附棉2000kg") != std::string::npos);
    REQUIRE(typo.supply.needs.size() == 1);
    CHECK(typo.supply.needs[0].item == "中和剂");
    CHECK_FALSE(typo.supply.depots.empty());

    // Everyday names find the stock (synonyms of the catalogue), and the notes say so.
    q.needs = "纯碱:1t";
    s.run_dispatch(q);
    const DispatchSheet& syn = settled(s);
    CHECK(syn.supply.complete);
    CHECK(std::any_of(syn.notes.begin(), syn.notes.end(),
                      [](const std::string& n) { return n.find("counted stock '中和剂' as 纯碱") != std::string::npos; }));

    // Mistakes come back as messages, not exceptions.
    q.needs.clear();
    q.filter.need = {"teleportation"};
    CHECK(s.run_dispatch(q).error.find("teleportation") != std::string::npos);
    q.kind = "no_such_layer";
    CHECK_FALSE(s.run_dispatch(q).error.empty());
}

TEST_CASE("dispatch: the CSV and GeoJSON sheets read back", "[viewer][dispatch]") {
    AppState s = open_demo();
    DispatchQuery q;
    q.at = {113.0791, 34.9412};
    q.place = "温县, \"测试\""; // a comma and quotes, to be escaped
    q.filter = {.need = {"hazmat"}};
    q.needs = "中和剂:5t";
    s.run_dispatch(q);
    const DispatchSheet& d = settled(s);
    REQUIRE(d.error.empty());

    const auto rows = parse_csv(dispatch_csv(d));
    REQUIRE(rows.size() == 1 + 1 + d.teams.size() + d.supply.depots.size()); // no shortfall
    CHECK(rows[0][0] == "type");
    for (const auto& r : rows) CHECK(r.size() == 14);
    CHECK(rows[0][4] == "phone");
    CHECK(rows[1][0] == "incident");
    CHECK(rows[1][3] == q.place);
    CHECK(std::stod(rows[1][11]) == Approx(113.0791).margin(1e-7));
    for (std::size_t i = 0; i < d.teams.size(); ++i) {
        const auto& r = rows[2 + i];
        CHECK(r[0] == "team");
        CHECK(r[2] == d.teams[i].id);
        // The duty phone the dispatcher calls: the demo's teams all have one.
        CHECK(r[4] == d.teams[i].phone);
        CHECK_FALSE(r[4].empty());
        CHECK(r[5] == (d.teams[i].reachable ? "true" : "false"));
        if (d.teams[i].reachable) {
            CHECK(r[1] == std::to_string(i + 1));
            CHECK(std::stod(r[6]) == Approx(d.teams[i].eta_s / 60).margin(0.006));
        }
    }
    CHECK(rows[2 + d.teams.size()][0] == "warehouse");

    const auto j = nlohmann::json::parse(dispatch_geojson(d));
    CHECK(j["type"] == "FeatureCollection");
    std::size_t teams = 0, routes = 0, incidents = 0, isochrones = 0;
    for (const auto& f : j["features"]) {
        const std::string type = f["properties"]["type"];
        if (type == "team") {
            CHECK(f["properties"]["id"] == d.teams[teams].id);
            ++teams;
        }
        if (type == "route") {
            CHECK(f["geometry"]["type"] == "LineString");
            ++routes;
        }
        if (type == "incident") ++incidents;
        if (type == "isochrone") {
            CHECK(f["geometry"]["type"] == "MultiPolygon");
            ++isochrones;
        }
    }
    CHECK(incidents == 1);
    CHECK(teams == d.teams.size());
    std::size_t reachable = 0;
    for (const auto& t : d.teams) reachable += t.reachable;
    CHECK(routes == reachable);
    CHECK(isochrones == d.isochrones.size());
}

TEST_CASE("dispatch: routes are coloured by rank, the top N highlighted", "[viewer][dispatch]") {
    const RouteStyle first = route_style(1, 5), second = route_style(2, 5), fifth = route_style(5, 5), sixth = route_style(6, 5);
    CHECK(first.highlighted);
    CHECK(first.colour.r > 200); // red
    CHECK(first.width > second.width);
    CHECK_FALSE(first.colour == second.colour);
    CHECK(fifth.highlighted);
    CHECK_FALSE(sixth.highlighted);
    CHECK(sixth.colour.a < 255);
    CHECK_FALSE(route_style(0, 5).highlighted); // unreachable
    CHECK(format_minutes(90) == "1.5 min");
    CHECK(format_minutes(std::numeric_limits<double>::infinity()) == "—");
}

TEST_CASE("dispatch: fill spans cover a polygon with a hole by the even-odd rule", "[viewer][dispatch]") {
    // A 100 x 100 square with a 20 x 20 hole in its middle, rows every 10 pixels.
    const std::vector<std::vector<geo::Coord>> rings = {{{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}},
                                                        {{40, 40}, {60, 40}, {60, 60}, {40, 60}, {40, 40}}};
    const auto spans = fill_spans(rings, 0, 100, 10);
    double area = 0;
    for (const auto& s : spans) area += (s.x1 - s.x0) * 10;
    CHECK(area == Approx(100 * 100 - 20 * 20));
    CHECK(spans.size() == 8 + 2 * 2); // two spans on the hole's rows
    // A concave "L": the notch is left out.
    const auto l = fill_spans({{{0, 0}, {20, 0}, {20, 10}, {10, 10}, {10, 20}, {0, 20}, {0, 0}}}, 0, 20, 1);
    double l_area = 0;
    for (const auto& s : l) l_area += s.x1 - s.x0;
    CHECK(l_area == Approx(300));
}

// Their strings are in the font: "panel strings cover the panels" (test_app_state.cpp) reads
// dispatch_panel.cpp and hazard_panel.cpp with the other panel files.
TEST_CASE("dispatch and hazard panels draw headless", "[viewer][dispatch]") {
    AppState s = open_demo();
    PanelState panels;
    panels.show_dispatch = panels.show_hazard = true;
    const test_fixtures::HeadlessImGui imgui(1600, 900);
    s.camera().set_viewport(1600, 900);
    s.zoom_home();
    auto frame = [&] {
        ImGui::NewFrame();
        draw_panels(s, panels);
        ImGui::Render();
    };
    frame();
    ask_dispatch(s, panels, {113.0791, 34.9412}, "test");
    panels.hazard_form.substance = search_substances("1017").at(0);
    ask_hazard(s, panels, {113.0791, 34.9412}, "test");
    for (int i = 0; i < 3; ++i) frame();
    s.road_network().wait();
    for (int i = 0; i < 2; ++i) frame(); // update_dispatch() in draw_panels picks the graph up
    REQUIRE(s.dispatch());
    CHECK_FALSE(s.dispatch()->pending);
    CHECK_FALSE(s.dispatch()->teams.empty());
    REQUIRE(s.hazard());
    CHECK(s.hazard()->error.empty());
}

TEST_CASE("dispatch: exports go next to the database natively and to the page's download hook in the browser", "[viewer][dispatch]") {
    AppState s = open_demo();
    PanelState panels;
    CHECK_FALSE(export_dispatch(s, panels, "csv")); // nothing asked yet
    ask_dispatch(s, panels, {113.0791, 34.9412}, "test");
    s.road_network().wait();
    s.update_dispatch();
    REQUIRE(s.dispatch());
    REQUIRE_FALSE(s.dispatch()->pending);
    const auto dir = demo_db().parent_path();

    SECTION("native: a file beside the database, named after it") {
        REQUIRE(export_dispatch(s, panels, "csv"));
        REQUIRE_THAT(panels.dispatch_message, Catch::Matchers::StartsWith("saved "));
        const std::filesystem::path written = panels.dispatch_message.substr(std::string("saved ").size());
        CHECK(written.parent_path() == dir);
        CHECK_THAT(written.filename().string(), Catch::Matchers::StartsWith("jiaozuo-dispatch-"));
        std::ifstream in(written, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CHECK(bytes == dispatch_csv(*s.dispatch()));
        std::filesystem::remove(written);
    }
    SECTION("browser: the bytes go to offer_download, nothing is written") {
        std::vector<std::tuple<std::string, std::string, std::string>> offered;
        panels.offer_download = [&](const std::string& name, const std::string& mime, const std::string& bytes) {
            offered.emplace_back(name, mime, bytes);
        };
        const auto before = std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator());
        REQUIRE(export_dispatch(s, panels, "csv"));
        REQUIRE(export_dispatch(s, panels, "geojson"));
        REQUIRE(offered.size() == 2);
        CHECK_THAT(std::get<0>(offered[0]), Catch::Matchers::StartsWith("jiaozuo-dispatch-") && Catch::Matchers::EndsWith(".csv"));
        CHECK(std::get<1>(offered[0]) == "text/csv");
        CHECK(std::get<2>(offered[0]) == dispatch_csv(*s.dispatch()));
        CHECK(std::get<1>(offered[1]) == "application/geo+json");
        CHECK(std::get<2>(offered[1]) == dispatch_geojson(*s.dispatch()));
        CHECK_THAT(panels.dispatch_message, Catch::Matchers::StartsWith("downloaded jiaozuo-dispatch-"));
        // The PNG waits for the end of the next frame's map (a GL read-back): only asked for here.
        REQUIRE(export_dispatch(s, panels, "png"));
        CHECK_THAT(panels.png_path, Catch::Matchers::EndsWith(".png"));
        CHECK(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()) == before);
        CHECK_FALSE(export_dispatch(s, panels, "xlsx"));
    }
}

TEST_CASE("dispatch: the viewer uses the road graph vigil demo stored, and builds one when it is missing or damaged",
          "[viewer][dispatch]") {
    // Three copies of the demo: as written (graph stored with its hierarchy), without the stored
    // row, and with its bytes damaged. All three must answer alike; only where the graph came
    // from differs, and the damaged one says why it was not used.
    const auto dir = vigil::test::scratch_dir("viewer-stored-graph");
    const auto as_written = dir / "stored.sqlite", missing = dir / "missing.sqlite", damaged = dir / "damaged.sqlite";
    for (const auto& p : {as_written, missing, damaged})
        std::filesystem::copy_file(demo_db(), p, std::filesystem::copy_options::overwrite_existing);
    vigil::store::Database::open(missing, vigil::store::Database::Mode::ReadWrite).exec("DELETE FROM vigil_road_graph");
    vigil::store::Database::open(damaged, vigil::store::Database::Mode::ReadWrite)
        .exec("UPDATE vigil_road_graph SET graph = substr(graph, 1, 64) || zeroblob(16) || substr(graph, 81)");

    auto answer = [](const std::filesystem::path& db) {
        AppState s;
        s.camera().set_viewport(1600, 900);
        s.open_project(db);
        PanelState panels;
        panels.dispatch_form.filter = {.need = {"hazmat"}, .status = {"available"}};
        panels.dispatch_form.isochrone_minutes = {15};
        ask_dispatch(s, panels, {113.0791, 34.9412}, "test");
        const DispatchSheet d = settled(s);
        REQUIRE(d.error.empty());
        return std::make_tuple(d, s.road_network().from_store(), s.road_network().store_note());
    };
    const auto [stored, stored_from_store, stored_note] = answer(as_written);
    const auto [built, built_from_store, built_note] = answer(missing);
    const auto [rebuilt, rebuilt_from_store, rebuilt_note] = answer(damaged);
    CHECK(stored_from_store);
    CHECK(stored_note.empty());
    CHECK_FALSE(built_from_store);
    CHECK_THAT(built_note, Catch::Matchers::Contains("no road graph is stored")); // said, not an error
    CHECK_FALSE(rebuilt_from_store);
    CHECK_THAT(rebuilt_note, Catch::Matchers::Contains("built from the layer"));
    REQUIRE(stored.teams.size() == built.teams.size());
    REQUIRE(stored.teams.size() == rebuilt.teams.size());
    for (std::size_t i = 0; i < stored.teams.size(); ++i) {
        INFO("rank " << i + 1);
        CHECK(stored.teams[i].id == built.teams[i].id);
        CHECK(stored.teams[i].id == rebuilt.teams[i].id);
        if (stored.teams[i].reachable) CHECK(stored.teams[i].eta_s == Approx(built.teams[i].eta_s).margin(1e-6));
    }
    REQUIRE(stored.isochrones.size() == 1);
    CHECK_FALSE(stored.isochrones[0].area.is_empty());
}

// The agreement test of the three shells (the browser's half is in tests/e2e/viewer.test.mjs,
// "the browser's dispatch agrees with the CLI ..."): one question — hazmat teams on standby for
// an incident at 温县 whose surroundings are closed — asked of `vigil nearest --by road --avoid`
// and of the native viewer's Dispatch panel gives the same staging point, the same teams in the
// same order and the same ETAs.
TEST_CASE("agreement: the CLI and the viewer send the same teams, in the same order, to the same staging point",
          "[viewer][dispatch][agreement]") {
    const geo::Coord at{113.0791, 34.9412};
    const double dx = 0.004, dy = 0.003; // about 370 m by 330 m around the incident
    const Rings box = {
        {{at.x - dx, at.y - dy}, {at.x + dx, at.y - dy}, {at.x + dx, at.y + dy}, {at.x - dx, at.y + dy}, {at.x - dx, at.y - dy}}};
    const auto dir = vigil::test::scratch_dir("viewer-dispatch-agreement");
    const auto closure_file = dir / "closure.geojson";
    {
        nlohmann::json ring = nlohmann::json::array();
        for (const auto& c : box[0]) ring.push_back({c.x, c.y});
        std::ofstream(closure_file) << nlohmann::json{{"type", "FeatureCollection"},
                                                      {"features",
                                                       {{{"type", "Feature"},
                                                         {"properties", nlohmann::json::object()},
                                                         {"geometry", {{"type", "Polygon"}, {"coordinates", {ring}}}}}}}}
                                           .dump();
    }
    auto cli = nlohmann::json::parse(
        run(std::string("\"") + VIGIL_EXECUTABLE + "\" -q nearest \"" + demo_db().string() +
            "\" --at 113.0791,34.9412 --layer rescue_teams --by road --need hazmat --status available -k 100 --avoid \"" +
            closure_file.string() + "\" --json"));

    AppState s = open_demo();
    DispatchQuery q;
    q.at = at;
    q.filter = {.need = {"hazmat"}, .status = {"available"}};
    q.closures = {box};
    q.isochrone_minutes.clear();
    s.run_dispatch(q);
    const DispatchSheet d = settled(s); // a copy: the open-roads question below replaces it
    REQUIRE(d.error.empty());

    // The incident is closed off: both stage at the same road node outside the box.
    REQUIRE(d.staging);
    REQUIRE(cli["staging"].is_object());
    CHECK(cli["staging"]["lon"].get<double>() == Approx((*d.staging).x).margin(1e-7));
    CHECK(cli["staging"]["lat"].get<double>() == Approx((*d.staging).y).margin(1e-7));
    CHECK_FALSE(geo::contains(closure_geometry(q.closures), *d.staging));
    CHECK(cli["query"]["closed_segments"] == d.closed_segments);
    CHECK(d.closed_segments > 0);
    const auto& res = cli["results"];
    REQUIRE(res.size() == d.teams.size());
    REQUIRE(d.teams.size() >= 3);
    for (std::size_t i = 0; i < d.teams.size(); ++i) {
        INFO("rank " << i + 1);
        CHECK(res[i]["id"] == d.teams[i].id);
        CHECK(res[i]["reachable"] == d.teams[i].reachable);
        if (d.teams[i].reachable) CHECK(res[i]["eta_s"].get<double>() == Approx(d.teams[i].eta_s).margin(0.051)); // the CLI rounds to 0.1 s
    }
    // And the staging point changes the answer: the same question with every road open differs.
    q.closures.clear();
    s.run_dispatch(q);
    const DispatchSheet& open = settled(s);
    CHECK_FALSE(open.staging);
    CHECK(std::abs(open.teams[0].eta_s - d.teams[0].eta_s) > 1);
}

/// @file
/// The viewer following the database live, headless through AppState: a second connection
/// edits the project as a dispatcher's editor does (the record and its vigil_changes row in one
/// transaction) and the viewer's state shows it within a second — the team's colour, the
/// Dispatch panel's "available only" ranking — with the camera and the selection kept; a deleted
/// selected record is deselected and the status line says so; a bulk change reloads its layer;
/// a project without a change sequence opens and works as before. The commit -> applied latency
/// over 50 edits is printed (p50/p99).

#include "app/app_state.hpp"
#include "change_writer.hpp"
#include "panels/panels.hpp"
#include "test_paths.hpp"
#include "viewer_fixtures.hpp"

#include <catch2/catch.hpp>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>
#include <vector>

using namespace vigil;
using namespace vigil::viewer;

namespace vigil::viewer::live_tests {

using Clock = std::chrono::steady_clock;

/// A copy of the demo to edit (the demo itself is shared by the process's tests).
std::filesystem::path demo_copy(const std::string& name) {
    return test::scratch_copy(test_fixtures::demo_db(), test::scratch_dir("viewer-live-" + name), "jiaozuo.sqlite");
}

AppState open_at(const std::filesystem::path& db) {
    AppState s;
    s.camera().set_viewport(1600, 900);
    s.open_project(db);
    return s;
}

/// Runs frames (update_live, as draw_panels does each frame) until `done` or `limit` passes;
/// returns the time from `since` to the frame that saw it done, or nullopt.
template <class Done> std::optional<double> frames_until(AppState& s, Clock::time_point since, Done done, double limit_ms = 3000) {
    while (true) {
        s.update_live();
        if (done()) return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
        if (Clock::now() - since > std::chrono::duration<double, std::milli>(limit_ms)) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

std::string status_of(const AppState& s, const std::string& id) {
    const LayerView* teams = s.layer("rescue_teams");
    auto row = teams->layer->find(id);
    return row ? teams->layer->text(*row, "status") : std::string();
}

bool ranked(const DispatchSheet& d, const std::string& id) {
    return std::any_of(d.teams.begin(), d.teams.end(), [&](const DispatchTeam& t) { return t.id == id; });
}


TEST_CASE("live: a team set to deployed leaves the available-only ranking and turns red within a second", "[viewer][live]") {
    const auto db = demo_copy("deployed");
    test::ChangeWriter editor(db);
    AppState s = open_at(db);
    REQUIRE(s.live());
    CHECK(s.live_status().empty());
    // The README's dispatcher: hazmat teams on standby nearest to Wenxian.
    s.camera().set_center_lonlat({113.0791, 34.9412});
    s.camera().set_zoom(11);
    DispatchQuery q;
    q.at = {113.0791, 34.9412};
    q.filter = {.need = {"hazmat"}, .status = {"available"}};
    q.isochrone_minutes.clear();
    s.run_dispatch(q);
    s.road_network().wait();
    s.update_dispatch();
    REQUIRE(s.dispatch());
    REQUIRE_FALSE(s.dispatch()->pending);
    REQUIRE_FALSE(s.dispatch()->teams.empty());
    const std::string first = s.dispatch()->teams.front().id;
    const std::size_t ranked_before = s.dispatch()->teams.size();
    REQUIRE(s.select_id(first));
    const Selection selected = *s.selection();
    const auto centre = s.camera().center_lonlat();
    const double zoom = s.camera().zoom();
    const LayerView* teams = s.layer("rescue_teams");
    const auto teams_before = teams->layer;
    const auto teams_revision = teams->revision;
    const auto enterprises = s.layer("enterprises")->layer;
    const auto enterprises_revision = s.layer("enterprises")->revision;
    const Rgba red = *teams->styles.colour_of_value("deployed");
    CHECK(teams->styles.style(*teams->layer, selected.row).fill != red);

    editor.set("rescue_teams", first, "status", "deployed");
    const auto committed = Clock::now();
    const auto latency = frames_until(s, committed, [&] { return status_of(s, first) == "deployed"; });
    REQUIRE(latency);
    CHECK(*latency < 1000);

    teams = s.layer("rescue_teams");
    CHECK(teams->layer != teams_before); // a new snapshot, the old one untouched for whoever holds it
    CHECK(teams_before->text(*teams_before->find(first), "status") == "available");
    CHECK(teams->layer->size() == teams_before->size());
    CHECK(teams->revision > teams_revision);             // redrawn ...
    CHECK(s.layer("enterprises")->layer == enterprises); // ... and nothing else
    CHECK(s.layer("enterprises")->revision == enterprises_revision);
    CHECK(teams->styles.style(*teams->layer, selected.row).fill == red);
    // The ranking was asked again at once: the deployed team is out, the others stay.
    REQUIRE(s.dispatch());
    CHECK_FALSE(ranked(*s.dispatch(), first));
    CHECK(s.dispatch()->teams.size() == ranked_before - 1);
    CHECK(s.dispatch()->team_layer == teams->layer);
    // Camera and selection as they were.
    CHECK(s.camera().center_lonlat().x == Approx(centre.x));
    CHECK(s.camera().center_lonlat().y == Approx(centre.y));
    CHECK(s.camera().zoom() == zoom);
    REQUIRE(s.selection());
    CHECK(*s.selection() == selected);
    CHECK(s.live_status().rfind("updated records: 1 (", 0) == 0);

    // Back on standby: it is ranked again.
    editor.set("rescue_teams", first, "status", "available");
    REQUIRE(frames_until(s, Clock::now(), [&] { return status_of(s, first) == "available"; }));
    CHECK(ranked(*s.dispatch(), first));
}

TEST_CASE("live: a deleted selected record is deselected and the status line says so; others keep their selection row by id",
          "[viewer][live]") {
    const auto db = demo_copy("deleted");
    test::ChangeWriter editor(db);
    AppState s = open_at(db);
    const LayerView* teams = s.layer("rescue_teams");
    REQUIRE(teams->layer->size() > 3);
    const std::string gone = teams->layer->id(0), kept = teams->layer->id(2);

    REQUIRE(s.select_id(kept));
    editor.remove("rescue_teams", gone); // a row before the selected one: the selection moves with its record
    REQUIRE(frames_until(s, Clock::now(), [&] { return !s.layer("rescue_teams")->layer->find(gone); }));
    REQUIRE(s.selection());
    CHECK(s.layer("rescue_teams")->layer->id(s.selection()->row) == kept);
    CHECK(s.selection()->row == 1);

    editor.remove("rescue_teams", kept);
    REQUIRE(frames_until(s, Clock::now(), [&] { return !s.layer("rescue_teams")->layer->find(kept); }));
    CHECK_FALSE(s.selection());
    CHECK(s.live_status().find("the selected record " + kept + " was deleted") != std::string::npos);

    // The search box looks again after an update (its hits name rows).
    PanelState panels;
    panels.searched_text = "x";
    const test_fixtures::HeadlessImGui imgui(1600, 900);
    ImGui::NewFrame();
    draw_panels(s, panels);
    ImGui::Render();
    CHECK(panels.seen_data_revision == s.data_revision());
}

TEST_CASE("live: a bulk change (an import) reloads its layer, and only that one", "[viewer][live]") {
    const auto db = demo_copy("bulk");
    test::ChangeWriter editor(db);
    AppState s = open_at(db);
    s.set_filter("rescue_teams", {.status = {"available"}});
    const auto warehouses = s.layer("warehouses")->layer;
    const std::size_t teams = s.layer("rescue_teams")->layer->size();
    REQUIRE(s.layer("rescue_teams")->visible_count > 0);
    editor.bulk("rescue_teams", "UPDATE rescue_teams SET status = 'resting'");
    REQUIRE(frames_until(s, Clock::now(), [&] { return !s.live_status().empty(); }));
    const LayerView* l = s.layer("rescue_teams");
    CHECK(l->layer->size() == teams);
    for (std::size_t r = 0; r < l->layer->size(); ++r) CHECK(l->layer->text(r, "status") == "resting");
    CHECK(l->visible_count == 0); // the filter (available only) kept, over the new records
    CHECK(s.layer("warehouses")->layer == warehouses);
    CHECK(s.live_status().find("updated records: " + std::to_string(teams)) != std::string::npos);
}

TEST_CASE("live: a project without a change sequence opens and works as before, and says it is not live", "[viewer][live]") {
    const auto dir = test::scratch_dir("viewer-live-none");
    const auto db = test::scratch_copy(test::data_dir() / "project_small.sqlite", dir, "project.sqlite");
    test::ChangeWriter editor(db, false);
    AppState s = open_at(db);
    CHECK_FALSE(s.live());
    CHECK(s.live_note().find("vigil_changes") != std::string::npos);
    const auto teams = s.layer("rescue_teams")->layer;
    editor.set("rescue_teams", "T01", "status", "deployed", false);
    for (int frame = 0; frame < 20; ++frame) {
        CHECK_FALSE(s.update_live());
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    s.wait_live();
    CHECK(s.layer("rescue_teams")->layer == teams);
    CHECK(s.live_status().empty());
    REQUIRE(s.select_id("T02"));
    s.run_nearest({.at = {113.0791, 34.9412}, .filter = {.need = {"water"}}});
    CHECK_FALSE(s.nearest()->results.empty());
}

TEST_CASE("live: commit -> applied in the viewer's state, 50 edits (latency p50/p99)", "[viewer][live][bench]") {
    const auto db = demo_copy("latency");
    test::ChangeWriter editor(db);
    AppState s = open_at(db);
    const LayerView* teams = s.layer("rescue_teams");
    const std::size_t n_teams = teams->layer->size();
    std::vector<double> ms;
    const char* statuses[] = {"deployed", "resting", "available"};
    for (std::size_t i = 0; i < 50; ++i) {
        const std::string id = s.layer("rescue_teams")->layer->id((i * 7) % n_teams);
        const std::string to = statuses[i % 3] == status_of(s, id) ? statuses[(i + 1) % 3] : statuses[i % 3];
        const std::uint64_t seen = s.data_revision();
        editor.set("rescue_teams", id, "status", to);
        const auto committed = Clock::now();
        // Frames at about 60 a second, as the window draws them.
        std::optional<double> latency;
        while (!latency && Clock::now() - committed < std::chrono::seconds(3)) {
            s.update_live();
            if (s.data_revision() != seen && status_of(s, id) == to)
                latency = std::chrono::duration<double, std::milli>(Clock::now() - committed).count();
            else std::this_thread::sleep_for(std::chrono::microseconds(16667));
        }
        REQUIRE(latency);
        ms.push_back(*latency);
    }
    std::sort(ms.begin(), ms.end());
    const double p50 = ms[ms.size() / 2], p99 = ms[ms.size() * 99 / 100], max = ms.back();
    std::cout << "live latency, commit -> applied in the viewer's state, " << ms.size() << " edits of " << n_teams
              << " teams at ~60 frames/s: p50 " << p50 << " ms, p99 " << p99 << " ms, max " << max << " ms\n";
    CHECK(p99 < 1000);
}

} // namespace vigil::viewer::live_tests

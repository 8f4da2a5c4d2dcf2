// The Data check panel: the viewer asks core's app::run_checks over the layers it holds and
// lists what `vigil check` lists from the same database; clicking a finding selects its record,
// shows its layer and centres the map on it; the panel draws headless. The demo is clean.

#include "panels/panels.hpp"
#include "viewer_fixtures.hpp"

#include <vigil/store/sqlite.hpp>

#include <catch2/catch.hpp>
#include <imgui.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <thread>

using namespace vigil;
using namespace vigil::viewer;
using namespace vigil::viewer::test_fixtures;

namespace test_check_panel_cases {

/// The demo with three defects a clerk would make: JZ410803-0003 given JZ410803-0002's credit
/// code, JZ410803-0004 filed under 温县 though it lies in 中站区, JZDW-001's duty phone lost.
std::filesystem::path planted_demo() {
    const auto path = test::scratch_dir("viewer-check") / "planted.sqlite";
    std::filesystem::copy_file(demo_db(), path, std::filesystem::copy_options::overwrite_existing);
    auto d = store::Database::open(path, store::Database::Mode::ReadWrite);
    d.exec("UPDATE enterprises SET uscc = (SELECT uscc FROM enterprises WHERE id = 'JZ410803-0002') WHERE id = 'JZ410803-0003'");
    d.exec("UPDATE enterprises SET county = '温县' WHERE id = 'JZ410803-0004'");
    d.exec("UPDATE rescue_teams SET duty_phone = NULL WHERE id = 'JZDW-001'");
    return path;
}

std::size_t finding_of(const app::CheckResult& r, app::Check c) {
    for (std::size_t i = 0; i < r.findings.size(); ++i)
        if (r.findings[i].check == c) return i;
    FAIL("no finding " << app::check_code(c));
    return 0;
}


TEST_CASE("data check: the viewer lists what vigil check lists; a click selects and centres the record", "[viewer][check]") {
    const auto db = planted_demo();
    AppState s;
    s.camera().set_viewport(1600, 900);
    s.open_project(db);
    PanelState panels;
    app::CheckRequest q;
    q.as_of = "2026-12-07";
    ask_check(s, panels, q);
    CHECK(s.check_running()); // off the frame
    // A second start while it runs is refused, not waited for.
    CHECK_THROWS_WITH(s.start_check(q), Catch::Contains("already running"));
    s.wait_check();
    REQUIRE(s.check());
    const auto& r = *s.check();
    INFO(app::to_json(r).dump(1));
    REQUIRE(r.findings.size() == 3);

    // The same findings as the command line's, from the database.
    const auto cli = nlohmann::json::parse(
        run_command("'" + std::string(VIGIL_EXECUTABLE) + "' -q check '" + db.string() + "' --as-of 2026-12-07 --json || true"));
    CHECK(cli["findings"] == app::to_json(r)["findings"]);

    // A click on the county finding: the enterprises layer (hidden) shows again, the record is
    // selected and the map centred on it.
    s.set_visible("enterprises", false);
    const std::size_t outside = finding_of(r, app::Check::OutsideCounty);
    CHECK(r.findings[outside].id == "JZ410803-0004");
    choose_finding(s, panels, outside);
    REQUIRE(s.selection());
    CHECK(s.selection()->kind == "enterprises");
    const LayerView& ents = *s.layer("enterprises");
    CHECK(ents.layer->id(s.selection()->row) == "JZ410803-0004");
    CHECK(ents.visible);
    const geo::Coord at = ents.layer->geometry(s.selection()->row).coords.front();
    const geo::Coord centre = s.camera().screen_to_lonlat({800, 450});
    CHECK(centre.x == Approx(at.x).margin(1e-6));
    CHECK(centre.y == Approx(at.y).margin(1e-6));
    CHECK(panels.check_selected == outside);

    // A bad request is kept as the panel's message, the last report left as it was.
    app::CheckRequest bad;
    bad.same_name_m = 0;
    ask_check(s, panels, bad);
    CHECK_THAT(panels.check_message, Catch::Contains("same_name_m"));
    CHECK(s.check()->findings.size() == 3);
}

TEST_CASE("data check: the panel draws headless, and the demo is clean", "[viewer][check]") {
    AppState s = open_demo();
    // The demo is clean on its own days (its plans' revisions and hidden-hazard deadlines are
    // fixed dates, not the clock's): the panel checks as of the viewer's day.
    s.set_as_of("2026-12-07");
    PanelState panels;
    panels.show_check = true;
    const HeadlessImGui imgui(1600, 900);
    auto frame = [&] {
        ImGui::NewFrame();
        draw_panels(s, panels);
        ImGui::Render();
    };
    frame(); // before any check: "not checked yet"
    ask_check(s, panels);
    frame(); // "checking…" while it runs
    s.wait_check();
    REQUIRE(s.check());
    CHECK(s.check()->findings.empty());
    CHECK(s.check()->request.as_of == "2026-12-07");
    for (int i = 0; i < 2; ++i) frame();

    // With findings listed and one chosen.
    s.open_project(planted_demo());
    ask_check(s, panels);
    // The frames pick the report up without waiting for it.
    for (int i = 0; i < 500 && !s.check(); ++i) {
        frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(s.check());
    CHECK_FALSE(s.check_running());
    REQUIRE(s.check()->findings.size() == 3);
    choose_finding(s, panels, 0);
    for (int i = 0; i < 2; ++i) frame();
    CHECK(s.selection());
    CHECK(panels.check_message.empty());
}

} // namespace test_check_panel_cases

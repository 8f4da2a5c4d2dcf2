/// @file
/// The dispatcher's scenario, natively: "a sulfuric-acid tanker leaks on G207 in 温县" taken
/// from the call to the saved brief through the Dispatch panel's flow (app/incident_flow.hpp)
/// on a copy of the demo, counting the dispatcher's actions: type the place, type the material,
/// Answer, Assign, Save brief — five. The answer shows the zone, the ranked teams with their duty
/// phones, the supplies and the closures together, and the map fits the incident, the zones and
/// the top teams; the teams are assigned with their ETAs (the incident opened on the way); the
/// brief (the same PDF `vigil brief` makes) names the teams, their ETAs and their phones
/// (pdftotext). The panel is drawn along the way at 1366x768 and stays on the screen.

#include "change_writer.hpp"
#include "test_paths.hpp"
#include "viewer_fixtures.hpp"

#include "app/app_state.hpp"
#include "app/incident_flow.hpp"
#include "panels/panels.hpp"

#include <vigil/native/edit_store.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/store/sqlite.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>
#include <imgui.h>
#include <imgui_internal.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

using namespace vigil;
using namespace vigil::viewer;

namespace vigil::viewer::incident_flow_cases {

std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

std::string read_all(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// Frames of the panels until `done`, at most 20 s (the road graph, the edits, the brief are
/// made off the frame).
template <class Done> bool frames_until(AppState& s, PanelState& panels, Done done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < until) {
        ImGui::NewFrame();
        draw_panels(s, panels);
        ImGui::Render();
        s.update_live();
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
}

} // namespace vigil::viewer::incident_flow_cases

using namespace vigil::viewer::incident_flow_cases;

TEST_CASE("the dispatcher's flow: G207 温县段, sulfuric acid, answer, assign, brief — five steps", "[viewer][flow]") {
    const auto dir = test::scratch_dir("viewer-flow");
    const auto db = test::scratch_copy(test_fixtures::demo_db(), dir, "jiaozuo.sqlite");
    AppState s;
    s.camera().set_viewport(1366, 768);
    s.open_project(db);
    s.edits().configure([db] { return native::SpatialiteEditStore::open(db, store::Project::open(db).catalog()); },
                        app::Editor{"调度员甲", "席位1"});
    // The brief is `vigil view`'s: the same builder as `vigil brief` (tools/cli), run here as that command.
    s.edits().set_brief_maker([dir, db](const std::string& incident) -> std::string {
        const auto pdf = dir / ("made-" + incident + ".pdf");
        const std::string cmd = std::string(VIGIL_EXECUTABLE) + " brief " + quoted(db) + " --incident " + incident + " --out " +
                                quoted(pdf) + " > /dev/null 2>&1";
        if (std::system(cmd.c_str()) != 0) throw IoError("vigil brief failed for " + incident);
        return read_all(pdf);
    });
    const test_fixtures::HeadlessImGui imgui(1366, 768);
    PanelState panels;
    panels.show_dispatch = true;
    IncidentFlow& flow = panels.flow;
    const geo::BBox before = s.camera().visible_lonlat();
    int steps = 0;

    // 1. Where: the road and the county, as the caller says it (full-width, as an IME types).
    flow.place_text = "Ｇ２０７ 温县段";
    ++steps;
    // 2. What: the material by its Chinese name.
    flow.material_text = "硫酸";
    ++steps;
    // 3. 分析 Answer.
    REQUIRE(ask_incident(s, panels));
    ++steps;
    INFO(flow.message);
    REQUIRE(frames_until(s, panels, [&] { return s.dispatch() && !s.dispatch()->pending && !flow.fit_pending; }));
    CHECK_FALSE(flow.message_is_error);
    REQUIRE(flow.place);
    CHECK(flow.place->label == "G207 温县段");
    CHECK(flow.place->county == "温县");
    REQUIRE(flow.material);
    CHECK(flow.material->un == 1830);
    // Together: the zone, the ranked teams with their phones, the supplies and the closures.
    REQUIRE(s.hazard());
    CHECK(s.hazard()->error.empty());
    CHECK_FALSE(s.hazard()->zones.empty());
    const auto& d = *s.dispatch();
    REQUIRE(d.error.empty());
    REQUIRE(d.teams.size() >= 3);
    CHECK(d.teams[0].reachable);
    for (std::size_t i = 0; i < 3; ++i) CHECK_FALSE(d.teams[i].phone.empty());
    CHECK(d.supplies_asked);
    CHECK(d.query.needs.find("中和剂") != std::string::npos); // ERG guide 137: a neutraliser
    CHECK_FALSE(d.query.closures.empty());                    // the red zone's roads closed
    // The map went to the incident: it is in view, and so are the top teams; the view is no
    // longer the whole city.
    const geo::BBox view = s.camera().visible_lonlat();
    CHECK(view.contains(flow.place->at));
    for (std::size_t i = 0; i < 3; ++i) CHECK(view.contains(d.teams[i].at));
    CHECK(view.max_x - view.min_x < before.max_x - before.min_x);
    // The panel stays on a 1366x768 screen.
    const ImGuiWindow* w = ImGui::FindWindowByName("###dispatch");
    REQUIRE(w);
    CHECK(w->Pos.y + w->Size.y <= 768);
    CHECK(w->Pos.x + w->Size.x <= 1366);
    CHECK(w->Pos.x >= 0);

    // 4. 指派 Assign the top three: the incident is opened, then the teams assigned.
    flow.assign_n = 3;
    std::vector<std::string> top;
    std::vector<DispatchTeam> top_teams; // as answered (the answer is asked again once they are deployed)
    for (const auto& t : d.teams)
        if (t.reachable && top.size() < 3) {
            top.push_back(t.id);
            top_teams.push_back(t);
        }
    REQUIRE(assign_top_teams(s, flow));
    ++steps;
    REQUIRE(frames_until(s, panels, [&] { return flow.assigned.size() == 3 || flow.message_is_error; }));
    CHECK_FALSE(flow.message_is_error);
    CHECK(flow.assigned == top);
    REQUIRE_FALSE(flow.incident.empty());
    const auto stored = [&](const std::string& sql) { return store::Database::open(db, store::Database::Mode::ReadOnly).query_text(sql); };
    CHECK(stored("SELECT material || '/' || un_number || '/' || title FROM incidents WHERE id = '" + flow.incident + "'") ==
          "硫酸/1830/G207 温县段");
    CHECK(stored("SELECT count(*) FROM dispatches WHERE incident_id = '" + flow.incident + "'") == "3");

    // 5. 保存简报 Save brief.
    REQUIRE(save_incident_brief(s, flow));
    ++steps;
    REQUIRE(frames_until(s, panels, [&] {
        return !s.edits().brief_pending() && !panels.brief_message.empty() && panels.brief_message.find("making") == std::string::npos;
    }));
    INFO(panels.brief_message);
    const auto saved = dir / ("jiaozuo-brief-" + flow.incident + ".pdf");
    REQUIRE(std::filesystem::exists(saved));
    CHECK(steps <= 5);

    // The brief names the teams, their ETAs and their duty phones.
    const std::string text = test_fixtures::run_command("pdftotext -layout " + quoted(saved) + " -");
    INFO(text);
    CHECK(text.find(flow.incident) != std::string::npos);
    for (const auto& team : top_teams) {
        CHECK(text.find(team.name) != std::string::npos);
        CHECK(text.find(team.phone) != std::string::npos);
        // The ETA at assignment, in whole minutes, on the team's line of the assigned table.
        const std::string eta = std::to_string(std::lround(team.eta_s / 60)) + " min";
        const auto line_at = text.find(team.name, text.find("Teams assigned"));
        REQUIRE(line_at != std::string::npos);
        const std::string line = text.substr(line_at, text.find('\n', line_at) - line_at);
        CHECK(line.find(eta) != std::string::npos);
        CHECK(line.find(team.phone) != std::string::npos);
    }
}

TEST_CASE("the dispatcher's flow: other ways in, and what is said when a step cannot be taken", "[viewer][flow]") {
    AppState s = test_fixtures::open_demo();
    PanelState panels;
    IncidentFlow& flow = panels.flow;

    // Nothing to assign or brief before an answer; editing off: no assignment either.
    CHECK_FALSE(can_assign(s, flow));
    CHECK_FALSE(save_incident_brief(s, flow));

    // A road that is not there: red, named, and the map stays.
    flow.place_text = "G999 温县段";
    CHECK_FALSE(ask_incident(s, panels));
    CHECK(flow.message_is_error);
    CHECK(flow.message.find("G999") != std::string::npos);
    CHECK_FALSE(flow.fit_pending);

    // A material that is not known.
    flow.place_text = "G207 温县段";
    flow.material_text = "不存在的物质";
    CHECK_FALSE(ask_incident(s, panels));
    CHECK(flow.message.find("不存在的物质") != std::string::npos);

    // Baidu coordinates with the UN number: placed, answered, nothing red.
    flow.place_text = "百度 113.0923,34.9485";
    flow.material_text = "UN1830";
    REQUIRE(ask_incident(s, panels));
    CHECK_FALSE(flow.message_is_error);
    REQUIRE(flow.material);
    CHECK(flow.material->un == 1830);
    CHECK(flow.place->how == "coordinates");

    // An incident of the project, by id: opened in the panel and answered (vigil view --incident).
    CHECK_FALSE(open_incident_in_dispatch(s, panels, "INC-NOPE"));
    CHECK(flow.message_is_error);
    CHECK(open_panel(panels, "hazard"));
    CHECK(panels.show_hazard);
    CHECK_FALSE(open_panel(panels, "nope"));
}

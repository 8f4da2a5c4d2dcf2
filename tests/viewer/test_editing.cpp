/// @file
/// A dispatcher's edits from the viewer, headless through AppState on a copy of the demo: a team's
/// status set from the Inspector's control, an incident opened at the dispatch point and the
/// first teams of the answer assigned with its ETAs — each one commit through core's edit service
/// on the SpatiaLite project, back on the map through the change feed; and an edit made on a team
/// that changed under the view refused, naming the other editor and both values.

#include "change_writer.hpp"
#include "test_paths.hpp"
#include "viewer_fixtures.hpp"

#include "app/app_state.hpp"
#include "panels/panels.hpp"

#include <vigil/native/edit_store.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/store/sqlite.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <ctime>
#include <fstream>
#include <iterator>
#include <thread>

using namespace vigil;
using namespace vigil::viewer;

namespace vigil::viewer::editing_tests {

std::filesystem::path demo_copy(const std::string& name) {
    return test::scratch_copy(test_fixtures::demo_db(), test::scratch_dir("viewer-edit-" + name), "jiaozuo.sqlite");
}

EditStoreOpener opener_of(const std::filesystem::path& db) {
    return [db] { return native::SpatialiteEditStore::open(db, store::Project::open(db).catalog()); };
}

std::string status_of(const AppState& s, const std::string& id) {
    const LayerView* teams = s.layer("rescue_teams");
    const auto row = teams->layer->find(id);
    return row ? teams->layer->text(*row, "status") : std::string();
}

std::string stored(const std::filesystem::path& db, const std::string& sql) {
    return store::Database::open(db, store::Database::Mode::ReadOnly).query_text(sql);
}

/// The first two available teams of the view.
std::vector<std::string> two_available(const AppState& s) {
    std::vector<std::string> available;
    const LayerView* teams = s.layer("rescue_teams");
    for (std::size_t r = 0; r < teams->layer->size() && available.size() < 2; ++r)
        if (teams->layer->text(r, "status") == "available") available.push_back(teams->layer->id(r));
    REQUIRE(available.size() == 2);
    return available;
}

/// Frames (update_live) until the view shows `status` for `team`, at most 5 s.
bool view_shows(AppState& s, const std::string& team, const std::string& status) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < until) {
        s.update_live();
        if (status_of(s, team) == status) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return false;
}

TEST_CASE("edits from the viewer: a team's status, an incident opened here, teams assigned; a stale edit refused", "[viewer][edits]") {
    const auto db = demo_copy("desk");
    AppState s;
    s.camera().set_viewport(1600, 900);
    s.open_project(db);
    CHECK_FALSE(s.edits().enabled());
    CHECK_FALSE(s.edit_team_status("anything", "deployed")); // editing off: nothing starts
    s.edits().configure(opener_of(db), app::Editor{"调度员甲", "席位1"});
    REQUIRE(s.edits().enabled());

    // Two available teams of the demo.
    const auto available = two_available(s);
    const std::string a = available[0], b = available[1];

    // The Inspector's control: one commit, audited with this seat, and back on the map.
    REQUIRE(s.edit_team_status(a, "resting"));
    s.edits().wait();
    INFO(s.edits().message());
    CHECK_FALSE(s.edits().refused());
    CHECK(s.edits().message().find("committed") == 0);
    CHECK(s.edits().message().find("待命 → 休整") != std::string::npos);
    CHECK(stored(db, "SELECT status FROM rescue_teams WHERE id = '" + a + "'") == "resting");
    CHECK(stored(db, "SELECT user || '@' || seat FROM vigil_audit WHERE record_id = '" + a + "' ORDER BY seq DESC LIMIT 1") ==
          "调度员甲@席位1");
    CHECK(view_shows(s, a, "resting"));

    // Another seat sets b to maintenance; this view has not seen it yet and asks for deployed:
    // refused, with both values and the other editor, and the database keeps theirs.
    {
        auto other = native::SpatialiteEditStore::open(db, store::Project::open(db).catalog());
        app::set_team_status(*other, b, "maintenance", std::nullopt, app::EditContext{app::Editor{"李四", "席位9"}, ""});
    }
    REQUIRE(status_of(s, b) == "available");
    REQUIRE(s.edit_team_status(b, "deployed"));
    s.edits().wait();
    CHECK(s.edits().refused());
    REQUIRE(s.edits().conflict());
    CHECK(s.edits().conflict()->other_user == "李四");
    CHECK(s.edits().conflict()->other_seat == "席位9");
    CHECK(s.edits().conflict()->theirs == "Maintenance");
    CHECK(s.edits().conflict()->yours == "Deployed");
    CHECK(s.edits().message().find("not committed") == 0);
    CHECK(stored(db, "SELECT status FROM rescue_teams WHERE id = '" + b + "'") == "maintenance");
    CHECK(view_shows(s, b, "maintenance"));

    // The Dispatch panel's operations: the answer at a point, an incident opened there, the first
    // two teams assigned with the answer's ETAs (each 出动, a dispatch record each).
    DispatchQuery q;
    q.at = {113.2418, 35.2155};
    q.filter.status = {"available"};
    s.run_dispatch(q);
    s.road_network().wait();
    s.update_dispatch();
    REQUIRE(s.dispatch());
    REQUIRE(s.dispatch()->error.empty());
    std::vector<std::string> first;
    std::vector<double> etas;
    for (const auto& t : s.dispatch()->teams)
        if (t.reachable && first.size() < 2) {
            first.push_back(t.id);
            etas.push_back(t.eta_s);
        }
    REQUIRE(first.size() == 2);
    // The Dispatch panel offers the incident types of the project's catalogue.
    REQUIRE(s.incident_types().size() == 6);
    CHECK(s.incident_types()[0].label.zh == "危化品泄漏");
    REQUIRE(s.open_incident_at(q.at, s.incident_types()[0].value, ""));
    s.edits().wait();
    REQUIRE(s.edits().last());
    const std::string incident = s.edits().last()->incident;
    REQUIRE_FALSE(incident.empty());
    CHECK(stored(db, "SELECT reporter FROM incidents WHERE id = '" + incident + "'") == "调度员甲");
    REQUIRE(s.assign_teams(incident, first));
    s.edits().wait();
    INFO(s.edits().message());
    REQUIRE_FALSE(s.edits().refused());
    CHECK(s.edits().last()->operation == "dispatch_assign");
    for (std::size_t i = 0; i < first.size(); ++i) {
        CHECK(stored(db, "SELECT status FROM rescue_teams WHERE id = '" + first[i] + "'") == "deployed");
        const double eta =
            std::stod(stored(db, "SELECT eta_s FROM dispatches WHERE incident_id = '" + incident + "' AND team_id = '" + first[i] + "'"));
        CHECK(eta == Approx(etas[i]).margin(1));
        CHECK(view_shows(s, first[i], "deployed"));
    }
    // The incident's timeline, as the Inspector shows it (from the audit table, off the frame).
    REQUIRE(s.edits().read_log(incident));
    s.edits().wait();
    REQUIRE(s.edits().log());
    CHECK(s.edits().log_error().empty());
    CHECK(s.edits().log()->incident == incident);
    std::vector<std::string> what;
    for (const auto& e : s.edits().log()->events)
        if (e.what != "team_status") what.push_back(e.what);
    CHECK(what == std::vector<std::string>{"opened", "active", "assigned", "assigned"});

    // Assigned again: refused by the service (the team is 出动 now), nothing written.
    REQUIRE(s.assign_teams(incident, {first[0]}));
    s.edits().wait();
    CHECK(s.edits().refused());
    CHECK(stored(db, "SELECT count(*) FROM dispatches WHERE incident_id = '" + incident + "'") == "2");
}

} // namespace vigil::viewer::editing_tests

namespace vigil::viewer::editing_tests {

/// Now, on the UTC clock, to the second, as a user may type it ("…Z").
std::string utc_now_typed() {
    const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace vigil::viewer::editing_tests

TEST_CASE("replay from the viewer: the map at a moment from the audit, live updates waiting, then back to live", "[viewer][edits]") {
    using namespace vigil::viewer::editing_tests;
    const auto db = demo_copy("replay");
    AppState s;
    s.camera().set_viewport(1600, 900);
    s.open_project(db);
    CHECK_FALSE(s.request_replay("2026-12-07 03:00")); // no store: nothing to read the audit from
    CHECK_FALSE(s.replay_error().empty());
    s.edits().configure(opener_of(db), app::Editor{"值班员", "席位2"});
    CHECK_FALSE(s.request_replay("yesterday"));
    CHECK(s.replay_error().find("YYYY-MM-DD") != std::string::npos);

    const auto available = two_available(s);
    const std::string a = available[0], b = available[1];

    // a deployed; a moment later (whole seconds apart), b resting.
    REQUIRE(s.edit_team_status(a, "deployed"));
    s.edits().wait();
    REQUIRE(view_shows(s, a, "deployed"));
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    const std::string between = utc_now_typed();
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    REQUIRE(s.edit_team_status(b, "resting"));
    s.edits().wait();
    REQUIRE(view_shows(s, b, "resting"));
    const auto layer_before = s.layer("rescue_teams")->layer;

    // The moment between them: a as deployed (done before), b back to available (undone).
    REQUIRE(s.request_replay(between));
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!s.replay() && s.replay_error().empty() && std::chrono::steady_clock::now() < until) {
        s.update_live();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    INFO(s.replay_error());
    REQUIRE(s.replay());
    CHECK(s.replay()->undone == 1);
    CHECK(status_of(s, a) == "deployed");
    CHECK(status_of(s, b) == "available");
    REQUIRE(s.replay()->differences.size() == 1);
    CHECK(s.replay()->differences[0].id == b);
    CHECK(s.replay()->differences[0].fields.at(0).then_text == "Available");
    CHECK(s.replay()->differences[0].fields.at(0).now_text == "Resting");
    CHECK(s.live_status().find("replay") == 0);

    // Someone edits meanwhile: the replayed map stays as it stood until back to live.
    {
        auto other = native::SpatialiteEditStore::open(db, store::Project::open(db).catalog());
        app::set_team_status(*other, a, "available", std::nullopt, app::EditContext{app::Editor{"李四", "席位9"}, ""});
    }
    for (int i = 0; i < 50; ++i) {
        s.update_live();
        std::this_thread::sleep_for(std::chrono::milliseconds(4));
    }
    CHECK(status_of(s, a) == "deployed");

    // Back to live: the live layers come back, and then the edit made meanwhile.
    s.back_to_live();
    CHECK_FALSE(s.replay());
    CHECK(status_of(s, b) == "resting");
    CHECK(view_shows(s, a, "available"));
    CHECK(s.layer("rescue_teams")->layer != layer_before); // the meanwhile edit's new snapshot
}

TEST_CASE("the incident brief from the viewer: made off the frame by the platform's maker, saved beside the project", "[viewer][edits]") {
    using namespace vigil::viewer::editing_tests;
    const auto db = demo_copy("brief");
    AppState s;
    s.open_project(db);
    PanelState panels;
    CHECK_FALSE(s.edits().can_brief()); // no maker, no server: the Inspector offers none
    CHECK_FALSE(s.edits().request_brief("INC-1"));
    // `vigil view` gives the maker of tools/cli (incident_brief_pdf, tested with `vigil brief`);
    // here one that says which incident it drew, and refuses an unknown one as the real one does.
    s.edits().set_brief_maker([](const std::string& incident) -> std::string {
        if (incident != "INC-1") throw UsageError("没有事件 no incident " + incident);
        return "%PDF-1.5 brief of " + incident;
    });
    REQUIRE(s.edits().request_brief("INC-1"));
    CHECK_FALSE(s.edits().request_brief("INC-1")); // one at a time
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (s.edits().brief_pending() && std::chrono::steady_clock::now() < until) {
        collect_brief(s, panels);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    collect_brief(s, panels);
    const auto saved = db.parent_path() / "jiaozuo-brief-INC-1.pdf";
    INFO(panels.brief_message);
    REQUIRE(std::filesystem::exists(saved));
    std::ifstream in(saved, std::ios::binary);
    CHECK(std::string(std::istreambuf_iterator<char>(in), {}) == "%PDF-1.5 brief of INC-1");
    CHECK(panels.brief_message.find(saved.string()) != std::string::npos);

    REQUIRE(s.edits().request_brief("INC-404"));
    while (s.edits().brief_pending() && std::chrono::steady_clock::now() < until + std::chrono::seconds(5)) {
        collect_brief(s, panels);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    collect_brief(s, panels);
    CHECK(panels.brief_message.find("INC-404") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(db.parent_path() / "jiaozuo-brief-INC-404.pdf"));
}

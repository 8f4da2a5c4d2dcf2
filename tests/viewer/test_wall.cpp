/// @file
/// The command-centre wall, headless: the visual-angle rule's sizes, the wall's options and tour
/// file, the key figures of the demo (they add up to the registers), and the director — it flies
/// to an incident opened while it runs (its teams' countdowns from the dispatch records), goes
/// back when it closes, tours saved views when idle, and reads the project again when its file
/// is replaced (or says it is gone, keeping what it shows).

#include "app/app_state.hpp"
#include "app/wall.hpp"
#include "change_writer.hpp"
#include "panels/wall_view.hpp"
#include "test_paths.hpp"
#include "viewer_fixtures.hpp"

#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <numeric>
#include <thread>

using namespace vigil;
using namespace vigil::viewer;

namespace test_wall_cases {

std::filesystem::path demo_copy(const std::string& name) {
    return test::scratch_copy(test_fixtures::demo_db(), test::scratch_dir("viewer-wall-" + name), "jiaozuo.sqlite");
}

std::string vigil_cli() { return std::string("VIGIL_LAYERS='") + test::layers_dir().string() + "' '" + VIGIL_EXECUTABLE + "' -q"; }

AppState open_at(const std::filesystem::path& db) {
    AppState s;
    s.camera().set_viewport(1920, 1080);
    s.open_project(db);
    return s;
}

/// Frames of the director until `done` (live changes arrive on a worker thread), at most 5 s.
template <class Done> bool run_until(WallDirector& wall, AppState& s, double& real_s, Done done) {
    for (int i = 0; i < 500; ++i) {
        real_s += 0.02;
        wall.update(s, real_s);
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

std::size_t sum(const std::vector<app::WallCount>& v) {
    return std::accumulate(v.begin(), v.end(), std::size_t{0}, [](std::size_t n, const app::WallCount& c) { return n + c.count; });
}

/// Writes `text` into a CSV file of the scratch folder and imports it into `kind` of `db`.
void import_csv(const std::filesystem::path& db, const std::string& kind, const std::string& text) {
    const auto csv = db.parent_path() / (kind + "-" + std::to_string(std::hash<std::string>{}(text)) + ".csv");
    std::ofstream(csv) << text;
    test_fixtures::run_command(vigil_cli() + " import '" + db.string() + "' '" + csv.string() + "' --layer " + kind + " --update");
}

TEST_CASE("wall: the visual-angle rule sizes text, key figures and markers for the room", "[viewer][wall]") {
    // A 98-inch 4K wall (2.17 m of picture) read from 5 m.
    const WallSizing w = wall_sizing(3840, 2.17, 5);
    CHECK_FALSE(w.width_assumed);
    const double arcmin = 2 * 5 * std::tan(0.5 / 60 * M_PI / 180) * 3840 / 2.17;
    CHECK(w.px_per_arcmin == Approx(arcmin).epsilon(1e-9));
    CHECK(w.px_per_arcmin == Approx(2.574).epsilon(0.01));
    // Text: a Chinese character's ink at least 20′; key figures' digits at least 30′; markers 15′.
    CHECK(w.font_px * w.ui_scale * k_cjk_ink_per_font_px >= 20 * arcmin - 1e-6);
    CHECK(w.font_px * w.ui_scale * k_cjk_ink_per_font_px <= 21 * arcmin); // not needlessly bigger
    CHECK(w.kpi_font_px * w.ui_scale * k_digit_ink_per_font_px >= 30 * arcmin);
    CHECK(w.min_marker_px * w.ui_scale >= 15 * arcmin);
    CHECK(w.ui_scale == Approx(5.36).epsilon(0.01));

    // The same wall at 1080p: half the pixels for the same angles.
    const WallSizing hd = wall_sizing(1920, 2.17, 5);
    CHECK(hd.ui_scale == Approx(w.ui_scale / 2).epsilon(1e-6));
    // Further away: bigger. A desk monitor read from 30 cm: never below the desktop's sizes.
    CHECK(wall_sizing(3840, 2.17, 8).ui_scale > w.ui_scale);
    const WallSizing desk = wall_sizing(1920, 0.53, 0.3);
    CHECK(desk.ui_scale == 1.0f);
    // Width unknown: 96 dpi assumed, and said.
    const WallSizing unknown = wall_sizing(1920, 0, 5);
    CHECK(unknown.width_assumed);
    CHECK(unknown.screen_width_m == Approx(1920 * 0.0254 / 96));
}

TEST_CASE("wall: distances and the tour file are read as typed, errors name what is wrong", "[viewer][wall]") {
    CHECK(parse_metres("5m", "--viewing-distance") == 5);
    CHECK(parse_metres("５ｍ", "--viewing-distance") == 5);
    CHECK(parse_metres("2.2", "--wall-width") == Approx(2.2));
    CHECK(parse_metres("250cm", "--wall-width") == Approx(2.5));
    CHECK(parse_metres("4.5米", "--viewing-distance") == Approx(4.5));
    CHECK_THROWS_WITH(parse_metres("far", "--viewing-distance"), Catch::Contains("--viewing-distance far"));
    CHECK_THROWS_AS(parse_metres("0m", "--viewing-distance"), UsageError);

    const auto tour = parse_tour(R"([{"name": "温县化工园区", "view": "113.08,34.94,13", "seconds": 20},
                                      {"lon": 113.24, "lat": 35.22, "zoom": 12}])",
                                 "views.json");
    REQUIRE(tour.size() == 2);
    CHECK(tour[0].name == "温县化工园区");
    CHECK(tour[0].center.x == Approx(113.08));
    CHECK(tour[0].seconds == 20);
    CHECK(tour[1].zoom == 12);
    CHECK(tour[1].seconds == 30);
    CHECK(tour[1].name == "view 2");
    CHECK_THROWS_WITH(parse_tour(R"([{"view": "113,35,12"}, {"view": "113,35"}])", "views.json"),
                      Catch::Contains("views.json") && Catch::Contains("view 2"));
    CHECK_THROWS_WITH(parse_tour("{", "views.json"), Catch::Contains("not JSON"));
    CHECK_THROWS_WITH(parse_tour(R"([{"view": "113,35,12", "seconds": 1}])", "v.json"), Catch::Contains("seconds"));
    CHECK_THROWS_AS(read_tour(test::scratch_dir("wall-no-tour") / "missing.json"), IoError);
}

TEST_CASE("wall: the key figures add up to the registers, unknown classes counted, not dropped", "[viewer][wall]") {
    AppState s = test_fixtures::open_demo();
    const app::WallBoard b = app::wall_board(s.layer_set(), {"2026-12-01"});
    REQUIRE(b.enterprises_by_risk.size() >= 4);
    CHECK(b.enterprises_by_risk[0].value == "red");
    CHECK(b.enterprises_by_risk[0].label.find("red") != std::string::npos);
    CHECK_FALSE(b.enterprises_by_risk[0].colour.empty());
    CHECK(sum(b.enterprises_by_risk) == s.layer("enterprises")->layer->size());
    CHECK(sum(b.hazard_sources_by_grade) + b.hazard_sources_below == s.layer("hazard_sources")->layer->size());
    CHECK(sum(b.teams_by_status) == s.layer("rescue_teams")->layer->size());
    CHECK(b.overdue_hidden_hazards == s.hazard_ledger()->overdue); // the same ledger as the map's (as of today there)
    // The same figures as `vigil stats` by county (its total row).
    CHECK(app::to_json(b)["enterprises_by_risk"][0]["count"] == b.enterprises_by_risk[0].count);

    // A record without a class: counted as unknown, and a note says so.
    const auto db = demo_copy("unknown");
    import_csv(db, "enterprises", "id,name,industry,county,lon,lat\nJZQY-999,无分级测试企业,hazchem_trading,温县,113.1,35.1\n");
    AppState t = open_at(db);
    const app::WallBoard u = app::wall_board(t.layer_set(), {"2026-12-01"});
    REQUIRE(u.enterprises_by_risk.back().value == "unknown");
    CHECK(u.enterprises_by_risk.back().count == 1);
    CHECK(u.enterprises_by_risk.back().label == "unclassified");
    CHECK(sum(u.enterprises_by_risk) == t.layer("enterprises")->layer->size());
    CHECK_FALSE(u.notes.empty());
}

TEST_CASE("wall: times and countdowns read as the records store them", "[viewer][wall]") {
    CHECK(app::utc_seconds("1970-01-01T00:00:00Z") == 0);
    CHECK(app::utc_seconds("2026-12-07T12:25:00.250Z") == 1796646300);
    CHECK(app::utc_seconds("2026-12-07 12:25") == 1796646300);
    CHECK_FALSE(app::utc_seconds("yesterday"));
    CHECK(app::utc_iso(1796646300) == "2026-12-07T12:25:00Z");
    CHECK(bureau_clock(1796646300) == "20:25:00");
    CHECK(bureau_date(1796646300) == "2026-12-07 Monday");
    CHECK(bureau_date(1796646300 + 4 * 3600) == "2026-12-08 Tuesday"); // past midnight in Beijing
    CHECK(countdown_text(492) == "08:12");
    CHECK(countdown_text(3723) == "1:02:03");
    CHECK(countdown_text(-130) == "+02:10");
}

TEST_CASE("wall: a new incident is flown to with its teams' countdowns; closed, the wall goes back", "[viewer][wall]") {
    const auto db = demo_copy("incident");
    AppState s = open_at(db);
    REQUIRE(s.live());
    WallOptions o;
    o.enabled = true;
    o.animate = false;
    WallDirector wall(o);
    double real = 0;
    wall.update(s, real);
    CHECK(wall.focus() == WallFocus::Home);
    CHECK(wall.board().open_incidents() == 0);
    const geo::Coord home = s.camera().center_lonlat();

    // A dispatcher opens the G207 leak and assigns two teams (the CLI, another connection).
    import_csv(db, "incidents",
               "id,title,incident_type,material,un_number,status,reported_at,lon,lat\n"
               "INC-W1,G207温县段槽罐车硫酸泄漏,hazmat_leak,硫酸,1830,active,2026-12-07T12:21:00Z,113.05,34.95\n");
    import_csv(db, "dispatches",
               "id,incident_id,team_id,assigned_at,eta_s,lon,lat\n"
               "D-W1,INC-W1,JZDW-011,2026-12-07T12:25:00Z,420,113.05,34.95\n"
               "D-W2,INC-W1,JZDW-017,2026-12-07T12:25:00Z,1080,113.05,34.95\n");
    REQUIRE(run_until(wall, s, real, [&] { return wall.focus() == WallFocus::Incident && wall.board().countdowns.size() == 2; }));
    CHECK(wall.focus_incident() == "INC-W1");
    CHECK(wall.flights_to_incidents() == 1);
    CHECK(wall.focus_zone_note().empty()); // UN 1830 known: its zones are drawn
    // The camera is over the incident (its teams' bases in view too).
    const geo::Coord at = s.camera().lonlat_to_screen({113.05, 34.95});
    CHECK(at.x > 0);
    CHECK(at.x < s.camera().width());
    CHECK(at.y > 0);
    CHECK(at.y < s.camera().height());
    CHECK(s.camera().zoom() > 11);
    CHECK(std::hypot(s.camera().center_lonlat().x - home.x, s.camera().center_lonlat().y - home.y) > 0.01);
    // Countdowns: due at assignment + ETA, soonest first, with the duty phone.
    const auto& c = wall.board().countdowns;
    CHECK(c[0].team_id == "JZDW-011");
    CHECK(c[0].due_s == app::utc_seconds("2026-12-07T12:32:00Z"));
    CHECK(c[1].due_s == app::utc_seconds("2026-12-07T12:43:00Z"));
    CHECK_FALSE(c[0].duty_phone.empty());
    CHECK(wall.board().incidents[0].teams_out == 2);
    // The teams' routes are on the map (the dispatch answer, for exactly the assigned teams).
    REQUIRE(run_until(wall, s, real, [&] { return s.dispatch() && !s.dispatch()->pending; }));
    CHECK(s.dispatch()->teams.size() == 2);

    // Closed: back home, routes and zones cleared.
    import_csv(db, "incidents",
               "id,title,incident_type,material,un_number,status,reported_at,lon,lat\n"
               "INC-W1,G207温县段槽罐车硫酸泄漏,hazmat_leak,硫酸,1830,closed,2026-12-07T12:21:00Z,113.05,34.95\n");
    REQUIRE(run_until(wall, s, real, [&] { return wall.focus() == WallFocus::Home; }));
    CHECK(wall.board().open_incidents() == 0);
    CHECK_FALSE(s.dispatch());
    real += 5; // the flight home ends
    wall.update(s, real);
    CHECK(std::hypot(s.camera().center_lonlat().x - home.x, s.camera().center_lonlat().y - home.y) < 1e-6);
}

TEST_CASE("wall: an incident whose material is not known says it has no zones drawn", "[viewer][wall]") {
    const auto db = demo_copy("no-material");
    AppState s = open_at(db);
    WallOptions o;
    o.enabled = true;
    o.animate = false;
    WallDirector wall(o);
    double real = 0;
    wall.update(s, real);
    import_csv(db, "incidents",
               "id,title,incident_type,material,status,reported_at,lon,lat\n"
               "INC-N1,厂房起火,fire,某种未登记物料,active,2026-12-07T12:21:00Z,113.05,34.95\n");
    REQUIRE(run_until(wall, s, real, [&] { return wall.focus_incident() == "INC-N1"; }));
    CHECK(wall.focus_zone_note().find("not recognised") != std::string::npos);
    CHECK_FALSE(s.hazard());
}

TEST_CASE("wall: idle, it tours the saved views in turn", "[viewer][wall]") {
    AppState s = test_fixtures::open_demo();
    WallOptions o;
    o.enabled = true;
    WallDirector wall(o, parse_tour(R"([{"name": "温县", "view": "113.08,34.94,13", "seconds": 10},
                                         {"name": "市区", "view": "113.24,35.22,12", "seconds": 10}])",
                                    "t"));
    wall.update(s, 0);
    REQUIRE(wall.tour_stop());
    CHECK(wall.tour_stop()->name == "温县");
    CHECK(s.camera().zoom() == Approx(13));
    wall.update(s, 10.5); // the next stop's flight starts
    CHECK(wall.tour_stop()->name == "市区");
    CHECK(wall.flying());
    wall.update(s, 11.5); // half-way: between the two
    CHECK(s.camera().center_lonlat().x > 113.08);
    CHECK(s.camera().center_lonlat().x < 113.24);
    wall.update(s, 14);
    CHECK_FALSE(wall.flying());
    CHECK(s.camera().center_lonlat().x == Approx(113.24).epsilon(1e-9));
    CHECK(s.camera().zoom() == Approx(12));
    wall.update(s, 20.6);
    CHECK(wall.tour_stop()->name == "温县"); // round again
}

TEST_CASE("wall: a far flight zooms out on the way; it ends exactly at the target", "[viewer][wall]") {
    Camera cam;
    cam.set_viewport(1920, 1080);
    cam.set_center_lonlat({113.0, 35.0});
    cam.set_zoom(14);
    const Flight f = flight_to(cam, {113.4, 35.3}, 14, 0, 2);
    CHECK(f.out_zoom < 13); // both ends within one screen half-way
    CHECK(f.apply(cam, 1));
    CHECK(cam.zoom() < 13.5);
    CHECK_FALSE(f.apply(cam, 2));
    CHECK(cam.zoom() == Approx(14));
    CHECK(cam.center_lonlat().x == Approx(113.4).epsilon(1e-9));
}

TEST_CASE("wall: the project file replaced is read again; gone, the wall says so and keeps what it shows", "[viewer][wall]") {
    const auto db = demo_copy("replaced");
    AppState s = open_at(db);
    WallOptions o;
    o.enabled = true;
    WallDirector wall(o);
    double real = 0;
    wall.update(s, real);
    const std::size_t incidents_before = s.layer("incidents") ? s.layer("incidents")->layer->size() : 0;

    // A new copy with one more open incident, moved over the old file (as a restore or a sync does).
    const auto next = test::scratch_copy(test_fixtures::demo_db(), test::scratch_dir("viewer-wall-replacement"), "next.sqlite");
    import_csv(next, "incidents",
               "id,title,incident_type,status,reported_at,lon,lat\nINC-R1,替换后的事件,fire,reported,2026-12-07T12:00:00Z,113.2,35.2\n");
    std::filesystem::rename(next, db);
    // Noticed at the next look, read once it held still for one more.
    for (int i = 0; i < 3 && wall.reloads() == 0; ++i) {
        real += WallDirector::k_watch_s + 0.1;
        wall.update(s, real);
    }
    CHECK(wall.reloads() == 1);
    REQUIRE(s.layer("incidents"));
    CHECK(s.layer("incidents")->layer->size() == incidents_before + 1);
    CHECK(wall.board().open_incidents() == 1);
    CHECK(wall.focus() == WallFocus::Home); // the new file's incidents are its baseline, not news
    CHECK(wall.data_warning().empty());
    CHECK(s.live());

    // Gone: the wall keeps the layers it holds and says why they may be old.
    std::filesystem::remove(db);
    real += WallDirector::k_watch_s + 0.1;
    wall.update(s, real);
    CHECK(wall.data_warning().find("gone") != std::string::npos);
    CHECK(s.layer("incidents")->layer->size() == incidents_before + 1);
    // Back: read again, the warning gone.
    test::scratch_copy(test_fixtures::demo_db(), db.parent_path(), db.filename().string());
    for (int i = 0; i < 3 && wall.reloads() == 1; ++i) {
        real += WallDirector::k_watch_s + 0.1;
        wall.update(s, real);
    }
    CHECK(wall.reloads() == 2);
    CHECK(wall.data_warning().empty());
    CHECK(s.layer("incidents")->layer->size() == incidents_before);
}

} // namespace test_wall_cases

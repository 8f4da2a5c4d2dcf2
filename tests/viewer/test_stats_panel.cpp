/// @file
/// The Statistics panel (app/stats_view, panels/stats_panel), headless, on the demo: its table's
/// rows are app::statistics' figures over the same database and `vigil stats --json`'s, by
/// county and by grid; sorting keeps every row and the total; choosing a row selects and zooms
/// to its county; the exports hand over core's CSV and XLSX bytes of the rows as shown (the
/// browser's downloads) or save them beside the database; the panel draws in both groupings.

#include "app/app_state.hpp"
#include "app/stats_view.hpp"
#include "panels/panels.hpp"
#include "stats_json.hpp"
#include "test_paths.hpp"
#include "viewer_fixtures.hpp"

#include <vigil/app/stats.hpp>
#include <vigil/app/stats_table.hpp>
#include <vigil/store/project_reader.hpp>

#include <catch2/catch.hpp>
#include <imgui.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

using namespace vigil;
using namespace vigil::viewer;

using vigil::viewer::test_fixtures::demo_db;
using vigil::viewer::test_fixtures::HeadlessImGui;
using vigil::viewer::test_fixtures::open_demo;
using vigil::viewer::test_fixtures::run_command;

namespace test_stats_panel_cases {

using vigil::test::stats_json_figures;

std::vector<std::int64_t> row_figures(const std::vector<app::StatsCell>& row, std::size_t first) {
    std::vector<std::int64_t> out;
    for (std::size_t c = first; c < first + 15; ++c) out.push_back(std::get<std::int64_t>(row.at(c)));
    return out;
}

// The native viewer's part of the statistics agreement (the page's: tests/e2e/viewer.test.mjs,
// the command line's: vigil stats --json): the panel's rows, from the app state, are
// app::statistics' over the same database, and the CLI's.
TEST_CASE("statistics panel: its rows are app::statistics' and vigil stats', by county and by grid", "[viewer][stats]") {
    AppState s = open_demo();
    for (const auto by : {app::StatsGrouping::County, app::StatsGrouping::Grid}) {
        const bool grid = by == app::StatsGrouping::Grid;
        INFO(app::stats_grouping_name(by));
        StatsView view;
        view.by = by;
        REQUIRE(refresh_stats_view(view, s));
        CHECK_FALSE(refresh_stats_view(view, s)); // nothing changed: not made again
        REQUIRE(view.error.empty());
        REQUIRE(view.shown);
        const app::StatsTable& t = *view.shown;

        // app::statistics over the database's layers (the services' own answer).
        const auto project = store::Project::open(demo_db());
        const auto layers = app::LayerSet::load(project, {"enterprises", "hazard_sources", "admin_areas", "hidden_hazards", "grids"});
        app::StatsRequest q;
        q.by = by;
        q.as_of = s.as_of();
        const app::StatsResult r = app::statistics(q, layers);
        REQUIRE(t.rows.size() == r.groups.size());
        const app::StatsTable expected = app::stats_table(r);
        const std::size_t first = grid ? 2 : 1;
        for (std::size_t i = 0; i < r.groups.size(); ++i) {
            INFO(r.groups[i].county);
            CHECK(std::get<std::string>(t.rows[i][first - 1]) == r.groups[i].county);
            if (grid) CHECK(std::get<std::string>(t.rows[i][0]) == r.groups[i].code);
            CHECK(row_figures(t.rows[i], first) == row_figures(expected.rows[i], first));
        }

        // `vigil stats --json` for the same database and day.
        const auto j =
            nlohmann::json::parse(run_command(std::string("\"") + VIGIL_EXECUTABLE + "\" -q stats \"" + demo_db().string() + "\" --by " +
                                              std::string(app::stats_grouping_name(by)) + " --as-of " + s.as_of() + " --json"));
        const auto& groups = j[grid ? "grids" : "counties"];
        REQUIRE(groups.size() == t.rows.size());
        for (std::size_t i = 0; i < groups.size(); ++i) {
            INFO(groups[i].dump());
            CHECK(std::get<std::string>(t.rows[i][first - 1]) == groups[i][grid ? "grid" : "county"].get<std::string>());
            CHECK(row_figures(t.rows[i], first) == stats_json_figures(groups[i]));
        }
        CHECK(row_figures(t.total, first) == stats_json_figures(j["total"]));
        if (!grid) CHECK(t.rows.size() == 10);
    }
}

TEST_CASE("statistics panel: sorting, choosing a row, and the exports of the rows as shown", "[viewer][stats]") {
    AppState s = open_demo();
    PanelState panels;
    REQUIRE(open_panel(panels, "stats"));
    CHECK(panels.show_stats);
    REQUIRE(refresh_stats_view(panels.stats, s));
    const app::StatsTable plain = *panels.stats.shown;

    // Sorted by enterprises, most first: the same rows, the total unchanged.
    sort_stats_view(panels.stats, 1, true);
    const app::StatsTable& sorted = *panels.stats.shown;
    REQUIRE(sorted.rows.size() == plain.rows.size());
    for (std::size_t i = 1; i < sorted.rows.size(); ++i)
        CHECK(std::get<std::int64_t>(sorted.rows[i - 1][1]) >= std::get<std::int64_t>(sorted.rows[i][1]));
    CHECK(sorted.total == plain.total);

    // Choosing the first row selects its county's polygon and zooms to it.
    const std::size_t group = sorted.group_of_row[0];
    REQUIRE(choose_stats_row(s, panels, 0));
    REQUIRE(s.selection());
    CHECK(s.selection()->kind == "admin_areas");
    CHECK(s.layer("admin_areas")->layer->id(s.selection()->row) == panels.stats.group_codes[group]);
    CHECK(panels.stats.selected == group);

    // The exports, as the browser gets them: core's bytes of the table as shown.
    std::vector<std::tuple<std::string, std::string, std::string>> offered;
    panels.offer_download = [&offered](const std::string& name, const std::string& mime, const std::string& bytes) {
        offered.emplace_back(name, mime, bytes);
    };
    REQUIRE(export_stats(s, panels, "csv"));
    REQUIRE(export_stats(s, panels, "xlsx"));
    CHECK_FALSE(export_stats(s, panels, "pdf"));
    REQUIRE(offered.size() == 2);
    CHECK(std::get<0>(offered[0]).ends_with(".csv"));
    CHECK(std::get<0>(offered[0]).find("-stats-county-") != std::string::npos);
    CHECK(std::get<1>(offered[0]) == "text/csv");
    CHECK(std::get<2>(offered[0]) == app::stats_csv(*panels.stats.shown));
    CHECK(std::get<0>(offered[1]).ends_with(".xlsx"));
    CHECK(std::get<2>(offered[1]) == app::stats_xlsx(*panels.stats.shown));
    CHECK(std::get<2>(offered[1]).rfind("PK", 0) == 0);

    // Natively: saved beside the database.
    panels.offer_download = nullptr;
    REQUIRE(export_stats(s, panels, "csv"));
    const std::string saved = panels.stats.message.substr(panels.stats.message.find(' ') + 1);
    INFO(panels.stats.message);
    REQUIRE(std::filesystem::exists(saved));
    std::ifstream in(saved, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    CHECK(bytes.str() == app::stats_csv(*panels.stats.shown));
    std::filesystem::remove(saved);
}

TEST_CASE("statistics panel: draws headless by county and by grid, a new language makes new headers", "[viewer][stats]") {
    AppState s = open_demo();
    PanelState panels;
    panels.show_stats = true;
    const HeadlessImGui imgui(1600, 900);
    auto frame = [&] {
        ImGui::NewFrame();
        draw_panels(s, panels);
        ImGui::Render();
    };
    for (int i = 0; i < 2; ++i) frame();
    REQUIRE(panels.stats.shown);
    CHECK(panels.stats.shown->by == app::StatsGrouping::County);
    panels.stats.by = app::StatsGrouping::Grid;
    for (int i = 0; i < 2; ++i) frame();
    REQUIRE(panels.stats.shown);
    CHECK(panels.stats.shown->by == app::StatsGrouping::Grid);
    CHECK(panels.stats.shown->columns[0].key == "code");

    const auto before = i18n::language();
    i18n::set_language(i18n::Language::zh_CN);
    CHECK(refresh_stats_view(panels.stats, s)); // the headers follow the language
    i18n::set_language(before);
    CHECK(refresh_stats_view(panels.stats, s));
    CHECK_FALSE(refresh_stats_view(panels.stats, s));
}

} // namespace test_stats_panel_cases

/// @file
/// The admin areas' choropleth (app/choropleth, AppState::set_choropleth), headless: its
/// statistics are `vigil stats --json`'s on the same demo, the quantile classes cover every
/// county, each county is filled with its class colour, turning the mode on changes the admin
/// areas' fills (and their revision, so the renderer rebuilds them) and off restores them, the
/// hover text, and the refusals.

#include "app/app_state.hpp"
#include "app/choropleth.hpp"
#include "panels/panels.hpp"
#include "test_paths.hpp"
#include "viewer_fixtures.hpp"

#include <vigil/app/stats.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <set>
#include <string>

using namespace vigil;
using namespace vigil::viewer;

using vigil::viewer::test_fixtures::demo_db;
using vigil::viewer::test_fixtures::open_demo;
using vigil::viewer::test_fixtures::run_command;

namespace test_choropleth_cases {


/// The code points above ASCII of a UTF-8 string.
std::set<char32_t> non_ascii(const std::string& s) {
    std::set<char32_t> out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (len > 1) {
            char32_t cp = c & (0xFF >> (len + 1));
            for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
            out.insert(cp);
        }
        i += len;
    }
    return out;
}


TEST_CASE("choropleth: statistics are vigil stats' on the demo, every county polygon has its row", "[viewer][choropleth]") {
    AppState s = open_demo();
    s.set_choropleth(ChoroplethMeasure::RedOrange);
    REQUIRE(s.choropleth());
    const Choropleth& c = *s.choropleth();
    // Expected: `vigil stats DB --json` on the same database (the command line's figures).
    auto j = nlohmann::json::parse(run_command(std::string("\"") + VIGIL_EXECUTABLE + "\" stats \"" + demo_db().string() + "\" --json"));
    const auto& counties = j["counties"];
    REQUIRE(counties.size() == c.stats.size());
    for (std::size_t i = 0; i < c.stats.size(); ++i) {
        const auto& e = counties[i];
        const hazard::CountyStats& st = c.stats[i];
        INFO(st.county);
        CHECK(e["county"].get<std::string>() == st.county);
        CHECK(e["code"].get<std::string>() == st.code);
        CHECK(e["by_colour"]["red"].get<std::size_t>() == st.by_colour[0]);
        CHECK(e["by_colour"]["orange"].get<std::size_t>() == st.by_colour[1]);
        CHECK(e["overdue_hazards"].get<std::int64_t>() == st.overdue_hazards);
        CHECK(e["by_grade"]["grade1"].get<std::size_t>() + e["by_grade"]["grade2"].get<std::size_t>() ==
              static_cast<std::size_t>(measure_value(st, ChoroplethMeasure::MajorSources)));
    }
    // The demo's ten counties (vigil stats above lists 10 and no "(no county)") each own a polygon.
    std::set<std::size_t> placed;
    const LayerView* admin = s.layer("admin_areas");
    REQUIRE(admin);
    for (std::size_t r = 0; r < admin->layer->size(); ++r)
        if (auto i = c.county_of_row(r)) {
            CHECK(c.stats[*i].code == admin->layer->id(r));
            placed.insert(*i);
        }
    CHECK(placed.size() == 10);
    CHECK(c.stats.size() == 10);
}

// The viewer's half of the statistics agreement (the browser's: tests/e2e/viewer.test.mjs):
// AppState::statistics over the layers held gives, member for member, the JSON `vigil stats
// --json` prints for the database, with the default thresholds and with others (the request
// reaches the service: the answer names them).
TEST_CASE("stats: the viewer's table is vigil stats' JSON, whatever the thresholds", "[viewer][choropleth]") {
    AppState s = open_demo();
    const std::string cli = std::string("\"") + VIGIL_EXECUTABLE + "\" -q stats \"" + demo_db().string() + "\" --json";
    auto without_database = [](nlohmann::json j) {
        j.erase("database");
        return j;
    };
    const nlohmann::json plain = app::to_json(s.statistics());
    CHECK(plain == without_database(nlohmann::json::parse(run_command(cli))));
    CHECK(plain["counties"].size() == 10);
    CHECK(plain["total"]["enterprises"].get<int>() > 500);

    const app::StatsRequest other = app::stats_request_from_json(nlohmann::json{{"matrix", "20,10,4"}, {"lec", {300, 150, 60}}});
    const nlohmann::json moved = app::to_json(s.statistics(other));
    CHECK(moved == without_database(nlohmann::json::parse(run_command(cli + " --matrix 20,10,4 --lec 300,150,60"))));
    CHECK(moved["matrix_thresholds"] == nlohmann::json({20, 10, 4}));
    CHECK(moved["lec_thresholds"] == nlohmann::json({300, 150, 60}));

    // The choropleth shows the same figures.
    s.set_choropleth(ChoroplethMeasure::Red);
    REQUIRE(s.choropleth());
    for (std::size_t i = 0; i < s.choropleth()->stats.size(); ++i)
        CHECK(s.choropleth()->stats[i].by_colour[0] == plain["counties"][i]["by_colour"]["red"].get<std::size_t>());

    // By grid (the finest grid of each record), and at another day of the hidden-hazard ledger.
    const nlohmann::json grid = app::to_json(s.statistics(app::stats_request_from_json(nlohmann::json{{"by", "grid"}})));
    CHECK(grid == without_database(nlohmann::json::parse(run_command(cli + " --by grid"))));
    CHECK(grid["grids"].size() > 100);
    CHECK(grid["total"] == plain["total"]);
    const app::StatsRequest later = app::stats_request_from_json(nlohmann::json{{"by", "grid"}, {"as_of", "2027-06-30"}});
    const nlohmann::json due = app::to_json(s.statistics(later));
    CHECK(due == without_database(nlohmann::json::parse(run_command(cli + " --by grid --as-of 2027-06-30"))));
    CHECK(due["total"]["overdue_hazards"].get<int>() > grid["total"]["overdue_hazards"].get<int>()); // deadlines passed
}

TEST_CASE("choropleth: quantile classes cover every value once, light to dark", "[viewer][choropleth]") {
    // Hand-worked: sorted 10 10 11 11 12 13 13 18 20 25, 5 classes → upper bounds at the 2nd,
    // 4th, 6th, 8th and 10th values (10, 11, 13, 18, 25).
    const auto cls = quantile_classes({12, 10, 10, 11, 13, 13, 18, 20, 25, 11}, 5);
    REQUIRE(cls.size() == 5);
    const std::int64_t expected[][2] = {{10, 10}, {11, 11}, {12, 13}, {14, 18}, {19, 25}};
    for (std::size_t i = 0; i < 5; ++i) {
        CHECK(cls[i].lo == expected[i][0]);
        CHECK(cls[i].hi == expected[i][1]);
    }
    CHECK(cls[2].label == "12–13");
    CHECK(cls[0].label == "10");
    CHECK(cls.front().colour == Rgba{255, 255, 178, 255}); // YlOrRd lightest
    CHECK(cls.back().colour == Rgba{189, 0, 38, 255});     // YlOrRd darkest
    // Few distinct values: equal breaks merge, the colours still span the palette.
    const auto two = quantile_classes({0, 0, 0, 5}, 5);
    REQUIRE(two.size() == 2);
    CHECK(two[0].lo == 0);
    CHECK(two[0].hi == 0);
    CHECK(two[1].lo == 1);
    CHECK(two[1].hi == 5);
    CHECK(two[1].colour == Rgba{189, 0, 38, 255});
    CHECK(quantile_classes({}, 5).empty());
    CHECK_THROWS_AS(quantile_classes({1}, 0), UsageError);
    CHECK_THROWS_AS(quantile_classes({1}, 6), UsageError);

    // The demo, every measure: each county in exactly one class, filled with its colour.
    AppState s = open_demo();
    for (ChoroplethMeasure m : k_choropleth_measures) {
        if (m == ChoroplethMeasure::None) continue;
        DYNAMIC_SECTION(measure_label(m)) {
            s.set_choropleth(m);
            const Choropleth& c = *s.choropleth();
            REQUIRE_FALSE(c.classes.empty());
            const LayerView* admin = s.layer("admin_areas");
            for (std::size_t r = 0; r < admin->layer->size(); ++r) {
                auto i = c.county_of_row(r);
                if (!i) {
                    CHECK(c.row_fill[r].a == 0);
                    continue;
                }
                const std::int64_t v = measure_value(c.stats[*i], m);
                std::size_t in = 0;
                for (const auto& k : c.classes) in += v >= k.lo && v <= k.hi;
                CHECK(in == 1);
                CHECK(c.row_fill[r] == c.classes[c.class_of(v)].colour.with_alpha(k_choropleth_alpha));
            }
            for (std::size_t k = 1; k < c.classes.size(); ++k) {
                CHECK(c.classes[k].lo == c.classes[k - 1].hi + 1);
                CHECK_FALSE(c.classes[k].colour == c.classes[k - 1].colour);
            }
        }
    }
}

TEST_CASE("choropleth: on changes the admin areas' fills and revision, off restores them", "[viewer][choropleth]") {
    AppState s = open_demo();
    const LayerView* admin = s.layer("admin_areas");
    REQUIRE(admin);
    std::vector<FeatureStyle> before;
    for (std::size_t r = 0; r < admin->layer->size(); ++r) before.push_back(admin->styles.style(*admin->layer, r));
    const std::uint64_t rev0 = admin->revision;
    CHECK_FALSE(s.choropleth()); // default off

    s.set_choropleth(ChoroplethMeasure::Overdue);
    CHECK(admin->revision > rev0);
    std::size_t changed = 0;
    for (std::size_t r = 0; r < admin->layer->size(); ++r) {
        const FeatureStyle st = admin->styles.style(*admin->layer, r);
        CHECK(st.fill == s.choropleth()->row_fill[r]);
        CHECK(st.stroke == before[r].stroke); // only the fill is thematic
        if (!(st.fill == before[r].fill)) ++changed;
    }
    CHECK(changed == 10); // the ten county polygons (the catalogue's fill is transparent)

    // Another measure recolours (different classes) and bumps the revision again.
    const std::uint64_t rev1 = admin->revision;
    s.set_choropleth(ChoroplethMeasure::MajorSources);
    CHECK(admin->revision > rev1);
    CHECK(s.choropleth()->measure == ChoroplethMeasure::MajorSources);

    const std::uint64_t rev2 = admin->revision;
    s.set_choropleth(ChoroplethMeasure::None);
    CHECK_FALSE(s.choropleth());
    CHECK(admin->revision > rev2);
    for (std::size_t r = 0; r < admin->layer->size(); ++r) {
        const FeatureStyle st = admin->styles.style(*admin->layer, r);
        CHECK(st.fill == before[r].fill);
        CHECK(st.stroke == before[r].stroke);
    }
    // Off when already off changes nothing (no needless rebuild).
    const std::uint64_t rev3 = admin->revision;
    s.set_choropleth(ChoroplethMeasure::None);
    CHECK(admin->revision == rev3);
}

TEST_CASE("choropleth: hover text of a county, and every character is in the font atlas", "[viewer][choropleth]") {
    AppState s = open_demo();
    s.set_as_of("2026-12-01"); // the demo ledger's day: later, deadlines pass and the overdue figure grows
    s.set_choropleth(ChoroplethMeasure::RedOrange);
    const Choropleth& c = *s.choropleth();
    // 温县 in README's dispatcher example; figures from `vigil stats` on the demo:
    // 温县 51 enterprises: red 0, orange 6, yellow 24, blue 21; overdue 13; grade 1-2 sources 0.
    auto i = c.county_at(*s.layer("admin_areas")->layer, {113.0791, 34.9412});
    REQUIRE(i);
    CHECK(c.tooltip(*i) == "温县: red 0 orange 6 yellow 24 blue 21, overdue hidden hazards 13, major hazard sources 0");
    CHECK_FALSE(c.county_at(*s.layer("admin_areas")->layer, {100.0, 20.0}));

    const std::set<char32_t> atlas = non_ascii(ui_glyph_text());
    // The county name is data (the map's labels draw it too); the rest is the panel's own text.
    const auto language = vigil::i18n::language();
    vigil::i18n::set_language(vigil::i18n::Language::zh_CN); // the Chinese texts are the ones with glyphs to check
    CHECK(c.tooltip(*i) == "温县：红 0 橙 6 黄 24 蓝 21，逾期隐患 13，重大危险源 0");
    std::string printed = c.tooltip(*i).substr(c.stats[*i].county.size());
    for (ChoroplethMeasure m : k_choropleth_measures) printed += measure_label(m);
    printed += vigil::tr("Choropleth");
    vigil::i18n::set_language(language);
    for (char32_t cp : non_ascii(printed)) {
        INFO("U+" << std::hex << static_cast<std::uint32_t>(cp));
        CHECK(atlas.count(cp) == 1);
    }
}

TEST_CASE("choropleth: a project without admin areas is refused by name, an empty one has one class", "[viewer][choropleth]") {
    AppState none; // nothing open: no admin_areas layer
    try {
        none.set_choropleth(ChoroplethMeasure::Red);
        FAIL("no error");
    } catch (const UsageError& e) {
        CHECK_THAT(e.what(), Catch::Contains("admin_areas"));
    }
    CHECK_FALSE(none.choropleth());
    // The panel helper keeps the message rather than dropping it.
    PanelState panels;
    choose_choropleth(none, panels, ChoroplethMeasure::Red);
    CHECK_THAT(panels.choropleth_error, Catch::Contains("admin_areas"));

    // tests/data/project_small.sqlite: two county polygons, an enterprises layer with no record:
    // every county counts 0, one class 0 at the dark end.
    AppState s;
    s.camera().set_viewport(1000, 800);
    s.open_project(test::data_dir() / "project_small.sqlite");
    s.set_choropleth(ChoroplethMeasure::Red);
    REQUIRE(s.choropleth());
    REQUIRE(s.choropleth()->classes.size() == 1);
    CHECK(s.choropleth()->classes[0].lo == 0);
    CHECK(s.choropleth()->classes[0].hi == 0);
    choose_choropleth(s, panels, ChoroplethMeasure::None);
    CHECK(panels.choropleth_error.empty());
    CHECK_FALSE(s.choropleth());
}

} // namespace test_choropleth_cases

/// @file
/// The viewer driven through its own app state, headless (no window, no GL, no ImGui context):
/// select by click position, filter a layer (and the Layers panel's ticks), nearest from a
/// clicked point against the core query and `vigil nearest`, search, measure, the attribute
/// table's rows, the inspector's related records and list tables, the overlay.
///
/// Fixtures: tests/data/project_small.sqlite (5 teams T01..T05, the 温县 and 孟州市 boxes — 孟州
/// with a hole — and the road G207-1), and the Jiaozuo demo built by the vigil program.

#include "app/app_state.hpp"
#include "app/overlay.hpp"
#include "app/record_details.hpp"
#include "app/table_model.hpp"
#include "panels/panels.hpp"
#include "test_paths.hpp"
#include "viewer_fixtures.hpp"

#include <vigil/geo/geodesic.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/text.hpp>

#include <vigil/util/i18n.hpp>

#include <catch2/catch.hpp>
#include <imgui.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <numbers>

using namespace vigil;
using namespace vigil::viewer;

namespace test_app_state_cases {

using test_fixtures::demo_db;
using test_fixtures::open_demo;
using test_fixtures::open_small;
const auto& run = test_fixtures::run_command;


std::size_t row_of(const AppState& s, std::string_view kind, std::string_view id) {
    auto row = s.layer(kind)->layer->find(id);
    REQUIRE(row);
    return *row;
}

geo::Coord lonlat_of(const AppState& s, std::string_view kind, std::string_view id) {
    return s.layer(kind)->layer->geometry(row_of(s, kind, id)).coords.at(0);
}

/// A view of 温县 at zoom 12 (about 31 ground metres a pixel).
void view_wenxian(AppState& s) {
    s.camera().set_center_lonlat({113.08, 34.94});
    s.camera().set_zoom(12);
}


TEST_CASE("app state: opening a project loads its layers in drawing order", "[viewer]") {
    AppState s = open_small();
    REQUIRE(s.layer("rescue_teams"));
    CHECK(s.layer("rescue_teams")->layer->size() == 5);
    CHECK(s.layer("admin_areas")->layer->size() == 2);
    CHECK(s.layer("roads")->layer->size() == 1);
    for (std::size_t i = 1; i < s.layers().size(); ++i)
        CHECK(s.layers()[i - 1].kind().symbology.z_order <= s.layers()[i].kind().symbology.z_order);
    // The home view shows everything.
    geo::BBox v = s.camera().visible_lonlat(), home = s.home_extent();
    CHECK(v.min_x <= home.min_x);
    CHECK(v.max_x >= home.max_x);
    CHECK(v.min_y <= home.min_y);
    CHECK(v.max_y >= home.max_y);
    CHECK_THROWS_AS(AppState().open_project(test::data_dir() / "no-such.sqlite"), Error);
}

TEST_CASE("app state: a click on a team selects it", "[viewer]") {
    AppState s = open_small();
    view_wenxian(s);
    const geo::Coord at = s.camera().lonlat_to_screen(lonlat_of(s, "rescue_teams", "T01"));
    CHECK(s.select_at(at));
    REQUIRE(s.selection());
    CHECK(*s.selection() == Selection{"rescue_teams", row_of(s, "rescue_teams", "T01")});
    // A few pixels off still hits it; the nearer of two teams wins.
    CHECK(s.select_at({at.x + 5, at.y - 3}));
    CHECK(s.selection()->row == row_of(s, "rescue_teams", "T01"));
    const geo::Coord t02 = s.camera().lonlat_to_screen(lonlat_of(s, "rescue_teams", "T02"));
    CHECK(s.select_at({t02.x - 2, t02.y + 2}));
    CHECK(s.selection()->row == row_of(s, "rescue_teams", "T02"));
}

TEST_CASE("app state: a click on empty map clears the selection", "[viewer]") {
    AppState s = open_small();
    view_wenxian(s);
    REQUIRE(s.select_id("T01"));
    const std::uint64_t rev = s.overlay_revision();
    // South of 温县's box (34.85): no polygon, team or road there.
    const geo::Coord empty = s.camera().lonlat_to_screen({113.10, 34.83});
    CHECK_FALSE(s.select_at(empty));
    CHECK_FALSE(s.selection());
    CHECK(s.overlay_revision() > rev);
}

TEST_CASE("app state: a click inside a polygon with nothing else selects the polygon", "[viewer]") {
    AppState s = open_small();
    view_wenxian(s);
    const geo::Coord inside = s.camera().lonlat_to_screen({113.00, 34.88}); // 温县, far from teams and road
    CHECK(s.select_at(inside));
    REQUIRE(s.selection());
    CHECK(*s.selection() == Selection{"admin_areas", row_of(s, "admin_areas", "410825")});
    // In the hole of 孟州市's multipolygon there is nothing.
    s.camera().set_center_lonlat({112.725, 34.925});
    CHECK_FALSE(s.select_at(s.camera().lonlat_to_screen({112.725, 34.925})));
    // Elsewhere in 孟州市 the polygon.
    CHECK(s.select_at(s.camera().lonlat_to_screen({112.65, 34.85})));
    CHECK(s.selection()->kind == "admin_areas");
    CHECK(s.layer("admin_areas")->layer->id(s.selection()->row) == "410883");
}

TEST_CASE("app state: lines are picked before the polygons under them", "[viewer]") {
    AppState s = open_small();
    view_wenxian(s);
    // On G207 halfway between its first two vertices, inside 温县.
    const geo::Coord on_road = s.camera().lonlat_to_screen({113.00, 34.935});
    CHECK(s.select_at(on_road));
    CHECK(s.selection()->kind == "roads");
}

TEST_CASE("app state: hidden layers are not picked", "[viewer]") {
    AppState s = open_small();
    view_wenxian(s);
    const geo::Coord at = s.camera().lonlat_to_screen(lonlat_of(s, "rescue_teams", "T01"));
    s.set_visible("rescue_teams", false);
    CHECK(s.select_at(at));
    CHECK(s.selection()->kind == "admin_areas"); // T01 stands in 温县
    s.set_visible("admin_areas", false);
    CHECK_FALSE(s.select_at(at));
}

TEST_CASE("app state: filtering a layer by status, capability and field", "[viewer]") {
    AppState s = open_small();
    LayerView& teams = *s.layer("rescue_teams");
    const std::uint64_t rev = teams.revision;
    s.set_filter("rescue_teams", {.status = {"available"}});
    CHECK(teams.visible_count == 3); // T01 T03 T05
    CHECK(teams.revision > rev);
    s.set_filter("rescue_teams", {.need = {"危化品"}});
    CHECK(teams.visible_count == 3); // T01 T03 T04
    s.set_filter("rescue_teams", {.need = {"hazmat"}, .status = {"待命"}});
    CHECK(teams.visible_count == 2); // T01 T03
    CHECK(teams.row_shown(row_of(s, "rescue_teams", "T01")));
    CHECK_FALSE(teams.row_shown(row_of(s, "rescue_teams", "T04")));
    s.set_filter("rescue_teams", {.where = {{"county", {"温县"}}}});
    CHECK(teams.visible_count == 2); // T01 T02
    s.set_filter("rescue_teams", {.where = {{"team_type", {"professional", "fire_rescue"}}}});
    CHECK(teams.visible_count == 3); // T01 T05 (专业), T04 (消防救援)
    // A refused filter leaves the layer as it was.
    CHECK_THROWS_AS(s.set_filter("rescue_teams", {.status = {"asleep"}}), UsageError);
    CHECK(teams.visible_count == 3);
    CHECK_THROWS_AS(s.set_filter("rescue_teams", {.where = {{"colour", {"red"}}}}), UsageError);
    // The panel's "nothing ticked".
    s.set_filter("rescue_teams", {.where = {{"status", {}}}});
    CHECK(teams.visible_count == 0);
    s.clear_filter("rescue_teams");
    CHECK(teams.visible_count == 5);
    CHECK(teams.row_visible.empty());
}

TEST_CASE("app state: a filtered-out feature can no longer be picked or found", "[viewer]") {
    AppState s = open_small();
    view_wenxian(s);
    s.camera().set_center_lonlat({113.40, 35.10});
    const geo::Coord t04 = s.camera().lonlat_to_screen(lonlat_of(s, "rescue_teams", "T04"));
    REQUIRE(s.select_at(t04));
    CHECK(s.layer("rescue_teams")->layer->id(s.selection()->row) == "T04");
    // Filtering T04 out (deployed) drops the selection and its click finds nothing.
    s.set_filter("rescue_teams", {.status = {"available"}});
    CHECK_FALSE(s.selection());
    CHECK_FALSE(s.select_at(t04));
    CHECK(s.search("T04").empty());
    s.clear_filter("rescue_teams");
    CHECK(s.select_at(t04));
}

TEST_CASE("layer filter: the panel's fields, choices and ticks", "[viewer]") {
    AppState s = open_small();
    const LayerView& teams = *s.layer("rescue_teams");
    const catalog::LayerKind& kind = teams.kind();
    auto field = [&](std::string_view name) -> const FilterableField& {
        for (const auto& f : teams.filter_fields)
            if (kind.fields[f.field].name == name) return f;
        FAIL("no filterable field " << name);
        throw;
    };
    const FilterableField& status = field("status");
    const FilterableField& caps = field("capabilities");
    const FilterableField& county = field("county");
    CHECK(status.mode == FilterMode::AnyOf);
    CHECK(caps.mode == FilterMode::AllOf);
    REQUIRE(status.choices.size() == 3);
    CHECK(status.choices[0].value == "available");
    CHECK(status.choices[0].label == "Available"); // the catalogue's label in the language of the tests
    CHECK(status.choices[0].count == 3);
    // Counties present in the data, most frequent first.
    REQUIRE(county.choices.size() == 4);
    CHECK(county.choices[0].value == "温县");
    CHECK(county.choices[0].count == 2);
    for (const auto& f : teams.filter_fields) CHECK((kind.fields[f.field].type != catalog::FieldType::Text || f.field == county.field));

    // Untick 出动 (deployed): the others stay.
    query::FilterSpec spec = with_filter_ticked(teams.filter_spec, kind, status, "deployed", false);
    s.set_filter("rescue_teams", spec);
    CHECK(teams.visible_count == 4);
    CHECK(filter_ticked(teams.filter_spec, kind, status, "available"));
    CHECK_FALSE(filter_ticked(teams.filter_spec, kind, status, "deployed"));
    // Ticking it again removes the condition altogether.
    s.set_filter("rescue_teams", with_filter_ticked(teams.filter_spec, kind, status, "deployed", true));
    CHECK_FALSE(filter_active(teams.filter_spec));
    CHECK(teams.visible_count == 5);
    // Capabilities: ticking requires them all.
    s.set_filter("rescue_teams", with_filter_ticked(teams.filter_spec, kind, caps, "hazmat", true));
    CHECK(teams.visible_count == 3);
    s.set_filter("rescue_teams", with_filter_ticked(teams.filter_spec, kind, caps, "fire", true));
    CHECK(teams.visible_count == 2); // T01 T04
    // A filter given in words (as `vigil nearest --status 待命`) shows as ticks.
    s.set_filter("rescue_teams", {.status = {"待命"}});
    CHECK(filter_ticked(teams.filter_spec, kind, status, "available"));
    CHECK_FALSE(filter_ticked(teams.filter_spec, kind, status, "resting"));
    // Unticking every county shows nothing.
    spec = teams.filter_spec;
    for (const auto& c : county.choices) spec = with_filter_ticked(spec, kind, county, c.value, false);
    s.set_filter("rescue_teams", spec);
    CHECK(teams.visible_count == 0);
}

TEST_CASE("layer filter: demo enterprises by risk level and county", "[viewer]") {
    AppState s = open_demo();
    const LayerView& ent = *s.layer("enterprises");
    const auto& kind = ent.kind();
    for (const auto& ff : ent.filter_fields) {
        const std::string& name = kind.fields[ff.field].name;
        if (name != "risk_level" && name != "county") continue;
        std::size_t total = 0;
        for (const auto& c : ff.choices) {
            s.set_filter("enterprises", {.where = {{name, {c.value}}}});
            CHECK(ent.visible_count == c.count);
            total += c.count;
        }
        CHECK(total <= ent.layer->size());
        CHECK(total > ent.layer->size() * 9 / 10);
        s.clear_filter("enterprises");
    }
    // Red enterprises are counted with their label.
    const auto it = std::find_if(ent.filter_fields.begin(), ent.filter_fields.end(),
                                 [&](const FilterableField& f) { return kind.fields[f.field].name == "risk_level"; });
    REQUIRE(it != ent.filter_fields.end());
    CHECK(it->choices.front().label == "Major (red)");
}

TEST_CASE("app state: nearest from a clicked point equals the core query and vigil nearest", "[viewer]") {
    AppState s = open_small();
    view_wenxian(s);
    s.camera().set_zoom(10);
    const geo::Coord click{430, 455};
    PanelState panels;
    panels.click_mode = ClickMode::Nearest;
    panels.nearest_form.kind = "rescue_teams";
    panels.nearest_form.k = 5;
    panels.nearest_form.filter = {.need = {"危化品"}, .status = {"available"}};
    handle_map_click(s, panels, click);
    REQUIRE(s.nearest());
    const NearestQuery& q = *s.nearest();
    const geo::Coord at = s.camera().screen_to_lonlat(click);
    CHECK(q.at.x == Approx(at.x).margin(1e-12));
    CHECK(q.at.y == Approx(at.y).margin(1e-12));
    CHECK(q.error.empty());
    const LayerView& teams = *s.layer("rescue_teams");
    auto expected = query::nearest(*teams.layer, at, 5, query::Filter::compile(teams.kind(), panels.nearest_form.filter));
    REQUIRE(q.results.size() == expected.size());
    REQUIRE(q.results.size() == 2); // T01 and T03
    for (std::size_t i = 0; i < expected.size(); ++i) {
        CHECK(q.results[i].row == expected[i].row);
        CHECK(q.results[i].distance_m == expected[i].distance_m);
    }
    // The command line gives the same answer.
    char where[64];
    std::snprintf(where, sizeof where, "%.10f,%.10f", at.x, at.y);
    auto j = nlohmann::json::parse(run(std::string("\"") + VIGIL_EXECUTABLE + "\" nearest \"" +
                                       (test::data_dir() / "project_small.sqlite").string() + "\" --at " + where +
                                       " --layer rescue_teams --need 危化品 --status available -k 5 --json"));
    REQUIRE(j["results"].size() == q.results.size());
    for (std::size_t i = 0; i < q.results.size(); ++i) {
        CHECK(j["results"][i]["id"] == teams.layer->id(q.results[i].row));
        CHECK(j["results"][i]["distance_m"].get<double>() == Approx(q.results[i].distance_m).margin(0.01));
    }
    // Lines from the point to each result in the overlay.
    Overlay o = build_overlay(s);
    CHECK(o.segments.size() == q.results.size());
    // An unknown capability is reported, not thrown.
    NearestQuery bad = q;
    bad.filter.need = {"teleportation"};
    CHECK_FALSE(s.run_nearest(bad).error.empty());
    s.clear_nearest();
    CHECK_FALSE(s.nearest());
}

TEST_CASE("search: names and ids across layers", "[viewer]") {
    AppState s = open_small();
    auto hits = s.search("温县");
    REQUIRE(hits.size() == 3);
    CHECK(s.layer(hits[0].kind)->layer->id(hits[0].row) == "T01"); // teams lie above areas; shorter name first
    CHECK(s.layer(hits[1].kind)->layer->id(hits[1].row) == "T02");
    CHECK(hits[2].kind == "admin_areas");
    CHECK(s.search("救援队").size() == 3); // T01 T02 T03 (T04 is a 救援站, T05 a 救护大队)
    auto t03 = s.search("t03");
    REQUIRE(!t03.empty());
    CHECK(t03[0].match == SearchMatch::IdExact);
    CHECK(s.search("ｔ０").size() == 5); // full-width, any case: id prefix
    CHECK(s.search("T0", 2).size() == 2);
    auto road = s.search("g207");
    REQUIRE(road.size() == 1);
    CHECK(road[0].kind == "roads");
    CHECK(road[0].match == SearchMatch::IdPrefix);
    CHECK(s.search("  ").empty());
    CHECK(s.search("上海").empty());
}

TEST_CASE("search: the demo's named entities", "[viewer]") {
    AppState s = open_demo();
    auto hits = s.search("温县应急救援队");
    REQUIRE(!hits.empty());
    CHECK(hits[0].kind == "rescue_teams");
    CHECK(hits[0].match == SearchMatch::NameExact);
    auto id = s.search("JZ410803-0001");
    REQUIRE(!id.empty());
    CHECK(id[0].match == SearchMatch::IdExact);
    CHECK(s.layer(id[0].kind)->layer->text(id[0].row, "name") == "焦作四维液压机械有限公司");
    REQUIRE(s.select_id("JZ410803-0001"));
    s.zoom_to_selection();
    CHECK(s.camera().zoom() >= 15);
}

TEST_CASE("search: typed coordinates", "[viewer]") {
    auto c = parse_lonlat("113.2418,35.2159");
    REQUIRE(c);
    CHECK(c->x == 113.2418);
    CHECK(c->y == 35.2159);
    CHECK(parse_lonlat(" 113.2418 ， 35.2159 ")->y == 35.2159);
    CHECK(parse_lonlat("113.2418 35.2159")->x == 113.2418);
    CHECK(parse_lonlat("35.2159,113.2418")->x == 113.2418); // 纬度,经度
    auto dms = parse_lonlat("113°14'30\"E, 35°12'57\"N");
    REQUIRE(dms);
    CHECK(dms->x == Approx(113 + 14 / 60.0 + 30 / 3600.0));
    CHECK(dms->y == Approx(35 + 12 / 60.0 + 57 / 3600.0));
    CHECK_FALSE(parse_lonlat("113.2"));
    CHECK_FALSE(parse_lonlat("abc,def"));
    CHECK_FALSE(parse_lonlat("200,100"));
    CHECK_FALSE(parse_lonlat("1,2,3"));
}

TEST_CASE("measure: lengths against GeographicLib", "[viewer]") {
    // Reference: PROJ's geod (GeographicLib) — 34279.575 m + 26081.874 m.
    const std::vector<geo::Coord> path{{113.08, 34.94}, {113.17, 35.24}, {113.40, 35.10}};
    CHECK(path_length_m(path) == Approx(60361.449).margin(0.01));
    CHECK(path_length_m(std::span(path).first(1)) == 0);
    AppState s = open_small();
    const std::uint64_t rev = s.overlay_revision();
    for (auto p : path) s.measure_add(p);
    CHECK(s.overlay_revision() == rev + 3);
    CHECK(s.measurement().length_m() == Approx(60361.449).margin(0.01));
    CHECK(s.measurement().perimeter_m() == Approx(60361.449 + geo::geodesic_distance_m(path[2], path[0])).margin(0.01));
    // The overlay: two path segments, the faint closing edge, a mark per point.
    Overlay o = build_overlay(s);
    CHECK(o.segments.size() == 3);
    CHECK(o.points.size() == 3);
    s.measure_undo();
    CHECK(s.measurement().points.size() == 2);
    CHECK(s.measurement().area_m2() == 0);
    s.measure_clear();
    CHECK(s.measurement().empty());
    s.measure_undo(); // nothing to undo: no harm
    CHECK(s.measurement().empty());
    CHECK(format_distance(850.4) == "850 m");
    CHECK(format_distance(12345) == "12.35 km");
}

TEST_CASE("measure: areas on the ellipsoid", "[viewer]") {
    // 1. A 0.01° quadrangle at 35°N against the closed form of the ellipsoidal zone between two
    //    parallels (its great-circle edges bulge by ~1 cm: 1e-5 relative is ample).
    const double a = 6378137, f = 1 / 298.257223563, e2 = f * (2 - f), e = std::sqrt(e2), b2 = a * a * (1 - e2);
    auto zone = [&](double lat) {
        const double s = std::sin(lat * std::numbers::pi / 180);
        return s / (1 - e2 * s * s) + std::log((1 + e * s) / (1 - e * s)) / (2 * e);
    };
    const double dlon = 0.01 * std::numbers::pi / 180;
    const double exact = b2 * dlon / 2 * (zone(35.01) - zone(35.0));
    const std::vector<geo::Coord> quad{{113.0, 35.0}, {113.01, 35.0}, {113.01, 35.01}, {113.0, 35.01}};
    CHECK(polygon_area_m2(quad) == Approx(exact).epsilon(1e-5));
    // Either orientation.
    const std::vector<geo::Coord> reversed(quad.rbegin(), quad.rend());
    CHECK(polygon_area_m2(reversed) == Approx(polygon_area_m2(quad)).epsilon(1e-12));

    // 2. Triangles of 10-35 km against Heron's formula from geodesic side lengths (the surface's
    //    curvature changes that by ~1e-6 at this size).
    auto heron = [](geo::Coord p, geo::Coord q, geo::Coord r) {
        const double x = geo::geodesic_distance_m(p, q), y = geo::geodesic_distance_m(q, r), z = geo::geodesic_distance_m(r, p);
        const double s = (x + y + z) / 2;
        return std::sqrt(s * (s - x) * (s - y) * (s - z));
    };
    const geo::Coord p{113.08, 34.94}, q{113.17, 35.24}, r{113.40, 35.10}, t{113.2418, 35.2159};
    CHECK(polygon_area_m2(std::vector<geo::Coord>{p, q, r}) == Approx(heron(p, q, r)).epsilon(1e-5));
    CHECK(polygon_area_m2(std::vector<geo::Coord>{p, t, r}) == Approx(heron(p, t, r)).epsilon(1e-5));

    // 3. A 1 km "square" built with geodesic steps east and north: the meridians converge, so it
    //    is a trapezoid whose top is ~11 cm shorter; its area is (bottom + top) / 2 × height.
    const geo::Coord sw{113.2, 35.2};
    const geo::Coord se = geo::destination(sw, 90, 1000), nw = geo::destination(sw, 0, 1000);
    const geo::Coord ne = geo::destination(se, 0, 1000);
    const double top = geo::geodesic_distance_m(nw, ne);
    CHECK(top < 1000);
    CHECK(polygon_area_m2(std::vector<geo::Coord>{sw, se, ne, nw}) == Approx((1000 + top) / 2 * 1000).epsilon(1e-6));
    CHECK(polygon_area_m2(std::vector<geo::Coord>{sw, se}) == 0);
    CHECK(format_area(2500) == "2500 m²");
    CHECK(format_area(12.345e6) == "12.35 km²  (1234.5 ha)");
}

TEST_CASE("attribute table: filter, search, sort and cache", "[viewer]") {
    AppState s = open_demo();
    const LayerView& ent = *s.layer("enterprises");
    const auto risk = *ent.kind().field_index("risk_level");
    const auto employees = *ent.kind().field_index("employees");
    TableModel table;
    CHECK(table.rows(ent, "", std::nullopt).size() == ent.layer->size());
    // Risk in catalogue order: red, orange, yellow, blue; nulls last either way.
    auto order = [&](const std::vector<std::uint32_t>& rows) {
        std::vector<std::string> v;
        for (auto r : rows) v.push_back(model::to_text(ent.layer->value(r, risk)));
        return v;
    };
    auto asc = order(table.rows(ent, "", TableSort{risk, false}));
    CHECK(asc.front() == "red");
    CHECK(std::is_sorted(asc.begin(), asc.end(), [](const std::string& x, const std::string& y) {
        auto rank = [](const std::string& v) { return v == "red" ? 0 : v == "orange" ? 1 : v == "yellow" ? 2 : v == "blue" ? 3 : 4; };
        return rank(x) < rank(y);
    }));
    auto desc = order(table.rows(ent, "", TableSort{risk, true}));
    CHECK(desc.front() == "blue");
    // Numbers numerically.
    const auto& by_staff = table.rows(ent, "", TableSort{employees, true});
    for (std::size_t i = 1; i < by_staff.size(); ++i) {
        const auto* x = std::get_if<std::int64_t>(&ent.layer->value(by_staff[i - 1], employees));
        const auto* y = std::get_if<std::int64_t>(&ent.layer->value(by_staff[i], employees));
        if (x && y) CHECK(*x >= *y);
        if (!x) CHECK_FALSE(y); // no value: last
    }
    // Search over the displayed texts: a label in the user's language ("Major (red)"; 重大风险（红）
    // in Chinese) and an id.
    const auto& red = table.rows(ent, "Major (red", std::nullopt);
    CHECK(!red.empty());
    for (auto r : red) CHECK(model::to_text(ent.layer->value(r, risk)) == "red");
    CHECK(table.rows(ent, "jz410803-0001", std::nullopt).size() == 1);
    // Only rows the layer's filter shows; the cache follows the layer's revision.
    const std::size_t before = table.rebuilds();
    table.rows(ent, "", std::nullopt);
    table.rows(ent, "", std::nullopt);
    CHECK(table.rebuilds() == before + 1);
    s.set_filter("enterprises", {.where = {{"county", {"温县"}}}});
    CHECK(table.rows(ent, "", std::nullopt).size() == ent.visible_count);
    CHECK(table.rebuilds() == before + 2);
}

TEST_CASE("inspector: an enterprise's hazard sources and their inventories", "[viewer]") {
    AppState s = open_demo();
    REQUIRE(s.select_id("JZ410803-0002"));
    auto related = related_records(s, *s.selection());
    std::size_t sources = 0;
    for (const auto& r : related) {
        if (r.kind != "hazard_sources") continue;
        ++sources;
        CHECK_FALSE(r.outgoing);
        CHECK(r.via == "Enterprise ID");
        const LayerView& hs = *s.layer("hazard_sources");
        const auto inv = *hs.kind().field_index("inventory");
        DetailTable t = list_table(hs.kind().fields[inv], hs.layer->value(r.row, inv));
        CHECK(t.headers == std::vector<std::string>{"Substance", "CAS number", "UN number", "Maximum quantity (t)", "GB 18218 category"});
        CHECK_FALSE(t.empty());
        // And from the hazard source back to its enterprise.
        auto back = related_records(s, {"hazard_sources", r.row});
        REQUIRE_FALSE(back.empty());
        CHECK(back[0].outgoing);
        CHECK(s.layer("enterprises")->layer->id(back[0].row) == "JZ410803-0002");
    }
    CHECK(sources == 3);
}

TEST_CASE("inspector: stock lines, capabilities and extra columns", "[viewer]") {
    AppState s = open_demo();
    const LayerView& wh = *s.layer("warehouses");
    const auto stock = *wh.kind().field_index("stock");
    const std::size_t row = row_of(s, "warehouses", "JZCK-001");
    DetailTable t = list_table(wh.kind().fields[stock], wh.layer->value(row, stock));
    // The minimum reserve (vigil check's below_minimum): the demo's register gives none.
    CHECK(t.headers == std::vector<std::string>{"Item", "Quantity", "Unit", "Minimum reserve"});
    REQUIRE(t.rows.size() >= 2);
    CHECK(t.rows[0] == std::vector<std::string>{"帐篷", "510", "顶", ""});
    CHECK(cell_text(wh.kind().fields[stock], wh.layer->value(row, stock)).starts_with("帐篷 510 顶, 棉被 2400 床"));
    const LayerView& teams = *s.layer("rescue_teams");
    const auto caps = *teams.kind().field_index("capabilities");
    CHECK(cell_text(teams.kind().fields[caps], teams.layer->value(row_of(s, "rescue_teams", "JZDW-001"), caps)) ==
          "Hazardous materials, Firefighting, Structural collapse / urban search, Rope / high angle, Traffic accidents");
    auto extra = extra_fields(R"({"原始编号":"A-17","备用电话":null,"面积":12.5})");
    REQUIRE(extra.size() == 3);
    CHECK(extra[0] == std::pair<std::string, std::string>{"原始编号", "A-17"});
    CHECK(extra[2].second == "12.5");
    CHECK(extra_fields("").empty());
    CHECK(extra_fields("[1,2]").empty());
}

TEST_CASE("overlay: the selection is highlighted", "[viewer]") {
    AppState s = open_small();
    CHECK(build_overlay(s).points.empty());
    REQUIRE(s.select_id("T03"));
    Overlay o = build_overlay(s);
    REQUIRE(o.points.size() == 1);
    CHECK(o.points[0].lonlat.x == Approx(112.79));
    REQUIRE(s.select_id("410825"));
    CHECK(build_overlay(s).segments.size() == 4); // the box's outline
}

TEST_CASE("app state: hidden hazards in the colour of their state on the viewer's day, major ones larger", "[viewer][ledger]") {
    AppState s = open_demo();
    CHECK(s.as_of() == app::today_utc());
    s.set_as_of("2026-12-01");
    const LayerView* l = s.layer("hidden_hazards");
    REQUIRE(l);
    REQUIRE(s.hazard_ledger());
    const app::HazardLedger& g = *s.hazard_ledger();
    const Rgba red = parse_colour("#D50000"), grey = parse_colour("#9E9E9E99");
    std::size_t overdue = 0, typed_otherwise = 0;
    for (std::size_t r = 0; r < l->layer->size(); ++r) {
        const FeatureStyle st = l->styles.style(*l->layer, r);
        if (g.records[r].state == app::HazardState::Overdue) {
            CHECK(st.fill == red);
            ++overdue;
            typed_otherwise += l->layer->text(r, "status") != "overdue";
        }
        if (g.records[r].state == app::HazardState::Rectified) CHECK(st.fill == grey);
        CHECK(st.size == (l->layer->text(r, "level") == "major" ? 12.0f : 7.0f));
    }
    CHECK(overdue == g.overdue);
    CHECK(typed_otherwise > 0); // the typed status lags behind the dates; the map does not

    // Half a year on, deadlines have passed: more of them red, the layer redrawn.
    const std::uint64_t revision = l->revision;
    s.set_as_of("2027-06-30");
    CHECK(s.layer("hidden_hazards")->revision > revision);
    CHECK(s.hazard_ledger()->overdue > overdue);
    CHECK_THROWS_AS(s.set_as_of("June"), UsageError);
    CHECK(s.as_of() == "2027-06-30");

    // The legend: the four states, then the two levels by size.
    const auto legend = l->styles.legend();
    REQUIRE(legend.size() == 6);
    CHECK(legend[2].label == "逾期未整改");
    CHECK(legend[2].style.fill == red);
    CHECK(legend[5].label == "重大隐患");
    CHECK(legend[5].style.size == 12.0f);

    // The inspector's line for an enterprise: its grid, from county down, and the grid member.
    const std::string grid = s.grid_text("enterprises", 0);
    CHECK(grid.find("网格 / ") != std::string::npos);
    CHECK(grid.find("grid member") != std::string::npos);
}

TEST_CASE("the font atlas holds every character of every Chinese message", "[viewer]") {
    // The atlas takes ui_glyph_text(): the catalogues' Chinese texts. A message of any component
    // (the viewer's labels, core's answers) printed in Chinese must find its glyphs there.
    const std::string all = ui_glyph_text();
    std::u32string known;
    for (std::size_t pos = 0; pos < all.size();) known += vigil::text::decode_utf8(all, pos);
    const auto language = vigil::i18n::language();
    vigil::i18n::set_language(vigil::i18n::Language::zh_CN);
    // One message from each catalogue the viewer shows: its own, and core's three.
    const std::string samples = std::string(vigil::tr("Layers")) + vigil::tr("Language") + vigil::tr("Choropleth") +
                                vigil::trf("source: {}", "") + vigil::tr("a number") + vigil::trc("time of day", "night");
    vigil::i18n::set_language(language);
    REQUIRE(samples.find("图层") != std::string::npos); // the samples are Chinese: the catalogues are loaded
    for (std::size_t pos = 0; pos < samples.size();) {
        const std::size_t at = pos;
        const char32_t cp = vigil::text::decode_utf8(samples, pos);
        if (cp > 127 && known.find(cp) == std::u32string::npos) FAIL_CHECK("'" << samples.substr(at, pos - at) << "' is not in the atlas");
    }
    // Every Chinese text of every loaded catalogue is in (not only the samples).
    std::size_t texts = 0;
    vigil::i18n::for_each_translation(vigil::i18n::Language::zh_CN, [&](std::string_view t) {
        ++texts;
        for (std::size_t pos = 0; pos < t.size();) {
            const char32_t cp = vigil::text::decode_utf8(t, pos);
            if (cp > 127 && known.find(cp) == std::u32string::npos) FAIL_CHECK("U+" << std::hex << static_cast<std::uint32_t>(cp));
        }
    });
    CHECK(texts > 1000);
}

TEST_CASE("panels: every panel draws headless and the measure tool takes map clicks", "[viewer]") {
    // ImGui without a platform or renderer backend: no window, no GL. Catches panels that crash
    // or stop drawing; the settings round trip through the ini file.
    AppState s = open_demo();
    PanelState panels;
    panels.show_table = panels.show_nearest = panels.show_measure = panels.show_settings = true;
    panels.table_kind = "enterprises";
    panels.search_text = "温县";
    const auto ini = test::scratch_dir("viewer-ini") / "imgui.ini";
    const test_fixtures::HeadlessImGui imgui(1600, 900);
    ImGuiIO& io = ImGui::GetIO();
    REQUIRE(s.select_id("JZ410803-0002"));
    s.run_nearest({.at = {113.0791, 34.9412}, .filter = {.need = {"hazmat"}}});
    s.camera().set_viewport(1600, 900);
    s.zoom_home();
    auto frame = [&](ImVec2 mouse, bool down) {
        io.MousePos = mouse;
        io.MouseDown[0] = down;
        ImGui::NewFrame();
        draw_panels(s, panels);
        ImGui::Render();
    };
    for (int i = 0; i < 3; ++i) frame(ImVec2(-1, -1), false);
    CHECK(panels.search_hits.size() >= 3);
    CHECK(panels.table.rebuilds() >= 1);
    std::size_t hidden = 0; // the enterprise's hidden-hazard records
    const LayerView* ledger = s.layer("hidden_hazards");
    for (std::size_t r = 0; r < ledger->layer->size(); ++r) hidden += ledger->layer->text(r, "enterprise_id") == "JZ410803-0002";
    CHECK(hidden > 0);
    CHECK(panels.related.size() == 6 + hidden); // three hazard sources, the host team, the enterprise's two plans and its hidden hazards
    // Measure mode: a click on the map (clear of every panel) adds a point; a drag does not.
    panels.click_mode = ClickMode::Measure;
    const ImVec2 map_spot(560, 520); // below Settings, left of Measure, above the table
    frame(map_spot, true);
    frame(map_spot, false);
    frame(map_spot, false);
    REQUIRE(s.measurement().points.size() == 1);
    const geo::Coord expect = s.camera().screen_to_lonlat({560, 520});
    CHECK(s.measurement().points[0].x == Approx(expect.x).margin(1e-9));
    frame(map_spot, true);
    frame(ImVec2(620, 560), true);
    frame(ImVec2(620, 560), false);
    CHECK(s.measurement().points.size() == 1);
    // A larger font and UI scale apply at once and are written to the ini file.
    panels.font_size = 20;
    panels.ui_scale = 1.5f;
    frame(ImVec2(-1, -1), false);
    CHECK(io.FontGlobalScale * io.Fonts->Fonts[0]->FontSize == Approx(30)); // 20 px × 1.5
    CHECK(ImGui::GetStyle().WindowPadding.x == Approx(12));                 // 8 × 1.5
    ImGui::SaveIniSettingsToDisk(ini.string().c_str());
    auto font = read_saved_font_size(ini);
    REQUIRE(font);
    CHECK(*font == 20);
}

TEST_CASE("attribute table: a hundred thousand rows sort and search quickly", "[viewer]") {
    static const catalog::Catalog catalogue = catalog::Catalog::load_directory(test::layers_dir());
    auto kind = catalogue.get("enterprises");
    const std::size_t n = 100000;
    model::LayerBuilder b(kind, n);
    static const char* risk[] = {"red", "orange", "yellow", "blue"};
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<model::Value> v(kind->fields.size());
        char name[32];
        std::snprintf(name, sizeof name, "企业%05zu", i);
        v[*kind->field_index("id")] = "E" + std::to_string(i);
        v[*kind->field_index("name")] = std::string(name);
        v[*kind->field_index("risk_level")] = std::string(risk[(i * 7) % 4]);
        v[*kind->field_index("employees")] = static_cast<std::int64_t>((i * 7919) % 5000);
        b.add(static_cast<std::int64_t>(i + 1), std::move(v), geo::Geometry::point({113 + (i % 1000) * 1e-4, 35 + (i / 1000) * 1e-4}));
    }
    auto layer = b.finish();
    LayerView view{layer, StyleResolver(layer->kind())};
    view.visible_count = n;
    TableModel table;
    const auto start = std::chrono::steady_clock::now();
    const auto& by_name = table.rows(view, "", TableSort{*kind->field_index("name"), true});
    REQUIRE(by_name.size() == n);
    CHECK(layer->text(by_name.front(), "name") == "企业99999");
    const auto& by_staff = table.rows(view, "", TableSort{*kind->field_index("employees"), false});
    CHECK(std::get<std::int64_t>(layer->value(by_staff.front(), *kind->field_index("employees"))) == 0);
    CHECK(table.rows(view, "企业0999", std::nullopt).size() == 10);
    CHECK(table.rows(view, "Major (red", std::nullopt).size() == n / 4);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // Typically ~0.3 s on one core for all four; the bound leaves room for a loaded CI machine.
    CHECK(seconds < 5);
    // Scrolling asks for the same rows every frame: no work.
    const std::size_t rebuilds = table.rebuilds();
    for (int i = 0; i < 100; ++i) table.rows(view, "Major (red", std::nullopt);
    CHECK(table.rebuilds() == rebuilds);
}

} // namespace test_app_state_cases

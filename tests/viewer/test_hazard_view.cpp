/// @file
/// The Hazard panel's logic, headless through AppState and app/hazard_view: substance search,
/// ERG zones equal to the ERG tables, zones on the map (outlines in the overlay, fills as spans,
/// colours by tier), what lies inside with teams in the red zone flagged, the other models'
/// inputs and errors, and "send to dispatch" closing the roads of the red zone.

#include "app/app_state.hpp"
#include "app/hazard_view.hpp"
#include "app/overlay.hpp"
#include "panels/panels.hpp"
#include "test_paths.hpp"
#include "viewer_fixtures.hpp"

#include <vigil/geo/geodesic.hpp>
#include <vigil/hazard/erg.hpp>
#include <vigil/hazard/fire.hpp>
#include <vigil/hazard/toxic_endpoints.hpp>
#include <vigil/hazard/toxic_zone.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

using namespace vigil;
using namespace vigil::viewer;
using vigil::viewer::test_fixtures::demo_db;
using vigil::viewer::test_fixtures::open_demo;
using vigil::viewer::test_fixtures::run_command;

namespace test_hazard_view_cases {

Substance chlorine() {
    auto hits = search_substances("1017");
    REQUIRE_FALSE(hits.empty());
    return hits[0];
}

// A chlorine plume at Wenxian, wind from `from_deg` at `wind_m_s`: the panel's usual first ask.
HazardInputs chlorine_plume(double rate_kg_s, double wind_m_s, double from_deg) {
    HazardInputs in;
    in.at = {113.0791, 34.9412};
    in.substance = chlorine();
    in.model = HazardModel::Plume;
    in.rate_kg_s = rate_kg_s;
    in.wind_m_s = wind_m_s;
    in.wind_from_deg = from_deg;
    return in;
}

// The red (tier 3) footprint of a toxic release.
std::vector<hazard::Zone>::const_iterator red_footprint(const std::vector<hazard::Zone>& zones) {
    return std::find_if(zones.begin(), zones.end(), [](const hazard::Zone& z) { return z.tier == 3 && z.kind == "footprint"; });
}


TEST_CASE("hazard view: the chemical picker finds substances by Chinese name, UN and CAS", "[viewer][hazard]") {
    const Substance cl = chlorine();
    CHECK(cl.un == 1017);
    CHECK(cl.cas == "7782-50-5");
    CHECK(cl.name_zh == "氯");
    CHECK(cl.toxic_levels);
    CHECK(cl.gb18218_q_t == 5); // GB 18218-2018 table 1: 氯 5 t
    CHECK(cl.label().find("UN1017") != std::string::npos);
    const auto by_cas = search_substances("7664-41-7"); // ammonia
    REQUIRE_FALSE(by_cas.empty());
    CHECK(by_cas[0].un == 1005);
    const auto by_name = search_substances("液氨"); // GB 18218 alias of 氨
    REQUIRE_FALSE(by_name.empty());
    CHECK(by_name[0].cas == "7664-41-7");
    const auto sulfuric = search_substances("1830");
    REQUIRE_FALSE(sulfuric.empty());
    CHECK(sulfuric[0].guide == "137");
    CHECK(search_substances("").empty());
    CHECK(search_substances("zzzz-no-such").empty());
}

TEST_CASE("hazard view: ERG zones by click, as ERG's tables give them, drawn by tier", "[viewer][hazard]") {
    AppState s = open_demo();
    s.camera().set_center_lonlat({113.0791, 34.9412});
    s.camera().set_zoom(13);
    PanelState panels;
    panels.click_mode = ClickMode::Hazard;
    panels.hazard_form.substance = chlorine();
    panels.hazard_form.large_spill = true;
    panels.hazard_form.wind_from_deg = 270; // from the west: the protective area lies to the east
    panels.hazard_form.wind_m_s = 2;
    const geo::Coord click{800, 450};
    handle_map_click(s, panels, click);
    REQUIRE(s.hazard());
    const HazardResult& h = *s.hazard();
    REQUIRE(h.error.empty());
    const geo::Coord at = s.camera().screen_to_lonlat(click);
    CHECK(h.inputs.at.x == Approx(at.x).margin(1e-12));

    // ERG 2024 through core's table look-up: the isolation circle and the protective distance.
    const auto z = hazard::Erg2024::builtin().lookup(1017, hazard::Spill::Large, hazard::DayNight::Day, hazard::wind_band(2));
    REQUIRE(h.zones.size() == 2);
    CHECK(h.zones.front().tier == 2); // widest first: the red is drawn on top
    CHECK(h.zones.back().tier == 3);
    CHECK(h.zones.back().distance_m == Approx(z.isolation_m));
    REQUIRE(z.protective_m);
    CHECK(h.zones.front().distance_m == Approx(*z.protective_m));
    // The protective square lies downwind (east).
    const geo::BBox box = h.zones.front().polygon.bbox();
    CHECK(box.max_x > at.x + 0.01);
    CHECK(box.min_x > at.x - 0.001);

    // Outlines in the overlay, in the tier's colour; fills as spans on the screen.
    const Overlay o = build_overlay(s);
    CHECK(std::count_if(o.segments.begin(), o.segments.end(), [](const Overlay::Segment& seg) { return seg.colour == zone_outline(3); }) >
          10);
    CHECK(std::count_if(o.segments.begin(), o.segments.end(), [](const Overlay::Segment& seg) { return seg.colour == zone_outline(2); }) >=
          4);
    CHECK(zone_fill(3).a < 128);
    CHECK_FALSE(zone_fill(3) == zone_fill(2));
    std::vector<std::vector<geo::Coord>> screen;
    for (const auto& ring : geometry_rings(h.zones.back().polygon)) {
        auto& out = screen.emplace_back();
        for (auto c : ring) out.push_back(s.camera().lonlat_to_screen(c));
    }
    const auto spans = fill_spans(screen, 0, 900, 2);
    REQUIRE_FALSE(spans.empty());
    // The red circle's spans are centred on the click.
    const auto mid = std::min_element(
        spans.begin(), spans.end(), [](const FillSpan& a, const FillSpan& b) { return std::abs(a.y + 1 - 450) < std::abs(b.y + 1 - 450); });
    CHECK((mid->x0 + mid->x1) / 2 == Approx(800).margin(2));
}

TEST_CASE("hazard view: what lies inside, rescue teams in the red zone flagged", "[viewer][hazard]") {
    AppState s = open_demo();
    const LayerView& teams = *s.layer("rescue_teams");
    const geo::Coord base = teams.layer->geometry(0).coords.at(0);
    HazardInputs in;
    in.at = base; // a leak at a team's own base
    in.place = "test";
    in.substance = chlorine();
    in.large_spill = true;
    in.wind_from_deg = 90;
    const HazardResult& h = s.run_hazard(in);
    REQUIRE(h.error.empty());
    REQUIRE_FALSE(h.affected.empty());
    const auto it =
        std::find_if(h.affected.begin(), h.affected.end(), [&](const AffectedRecord& a) { return a.kind == "rescue_teams" && a.row == 0; });
    REQUIRE(it != h.affected.end());
    CHECK(it->tier == 3);
    CHECK(it->unable_to_respond);
    CHECK(it->distance_m == Approx(0).margin(0.01));
    // Most severe first, then nearest; nothing outside the protective distance.
    for (std::size_t i = 1; i < h.affected.size(); ++i) {
        CHECK(h.affected[i - 1].tier >= h.affected[i].tier);
        if (h.affected[i - 1].tier == h.affected[i].tier) CHECK(h.affected[i - 1].distance_m <= h.affected[i].distance_m);
        CHECK(h.affected[i].distance_m <= h.zones.front().distance_m * std::sqrt(2.0) + 1);
    }
}

TEST_CASE("hazard view: plume, puff, fire and explosion models, and their bad inputs", "[viewer][hazard]") {
    AppState s = open_demo();
    HazardInputs in = chlorine_plume(1, 3, 0);
    const HazardResult& plume = s.run_hazard(in);
    REQUIRE(plume.error.empty());
    REQUIRE_FALSE(plume.zones.empty());
    CHECK(std::any_of(plume.zones.begin(), plume.zones.end(), [](const hazard::Zone& z) { return z.tier == 3 && z.model == "plume"; }));
    // From the north: the footprint lies to the south.
    for (const auto& z : plume.zones)
        if (z.kind == "footprint") CHECK(z.polygon.bbox().min_y < in.at.y - 0.001);
    in.model = HazardModel::Puff;
    in.mass_kg = 500;
    {
        const HazardResult puff = s.run_hazard(in);
        REQUIRE(puff.error.empty());
        // The zones are core's puff model for the same release: 500 kg of chlorine at once,
        // 3 m/s from the north, a day of unknown cloud (the worst credible class), rural.
        hazard::ToxicRequest q;
        q.source = in.at;
        q.wind_from_deg = 0;
        q.wind_m_s = 3;
        q.instantaneous = true;
        q.mass_kg = 500;
        for (const auto& l : hazard::ToxicEndpoints::builtin().find("7782-50-5").levels())
            q.levels.push_back({l.tier, l.name, l.mg_m3, "mg/m3", l.source});
        const auto core = hazard::toxic_release_zones(q);
        const auto red = red_footprint(puff.zones);
        const auto core_red = red_footprint(core.zones);
        REQUIRE(red != puff.zones.end());
        REQUIRE(core_red != core.zones.end());
        CHECK(red->model == "puff");
        CHECK(red->level == core_red->level);
        CHECK(red->distance_m == Approx(core_red->distance_m));
        CHECK(red->distance_m > 100); // 500 kg of chlorine reaches well past the fence
        CHECK(puff.zones.size() == core.zones.size());
        CHECK(red->polygon.bbox().min_y < in.at.y - 0.001); // downwind: south
    }
    in.model = HazardModel::PoolFire;
    CHECK(s.run_hazard(in).zones.size() == 3); // 37.5, 12.5, 4 kW/m²
    in.model = HazardModel::Bleve;
    {
        const HazardResult bleve = s.run_hazard(in);
        REQUIRE(bleve.error.empty());
        // Circles at core's fireball distances for 500 kg at 46 MJ/kg (the form's propane
        // default), 37.5 kW/m² innermost (tier 3, drawn last).
        hazard::Fireball b;
        b.fuel_mass_kg = 500;
        b.heat_of_combustion_j_kg = in.heat_of_combustion_mj_kg * 1e6;
        const auto d = hazard::thermal_distances(b, hazard::default_thermal_levels_kw_m2());
        REQUIRE(d.size() == 3);
        REQUIRE(bleve.zones.size() == 3);
        for (std::size_t i = 0; i < d.size(); ++i) {
            const hazard::Zone& z = bleve.zones[d.size() - 1 - i]; // widest (4 kW/m²) first
            INFO(z.level);
            CHECK(z.model == "bleve");
            CHECK(z.tier == 3 - static_cast<int>(i));
            CHECK(z.threshold == d[i].flux_kw_m2);
            REQUIRE(d[i].distance_m);
            CHECK(z.distance_m == Approx(*d[i].distance_m));
        }
        CHECK(bleve.zones.back().distance_m < bleve.zones.front().distance_m);
    }
    in.model = HazardModel::Vce;
    const HazardResult& vce = s.run_hazard(in);
    REQUIRE(vce.zones.size() == 3);
    CHECK(vce.zones.back().tier == 3); // 50 kPa, innermost, drawn last
    CHECK(vce.zones.back().distance_m < vce.zones.front().distance_m);

    // Bad inputs: messages, not exceptions.
    in.model = HazardModel::Plume;
    in.wind_m_s = 0;
    CHECK_FALSE(s.run_hazard(in).error.empty());
    in.wind_m_s = 3;
    in.rate_kg_s = -1;
    CHECK_FALSE(s.run_hazard(in).error.empty());
    in.model = HazardModel::Erg;
    in.substance = {};
    CHECK(s.run_hazard(in).error.find("UN") != std::string::npos);
    in.substance.un = 9999999;
    CHECK_FALSE(s.run_hazard(in).error.empty());
}

TEST_CASE("hazard view: says what it assumed, as the CLI does", "[viewer][hazard]") {
    AppState s = open_demo();
    HazardInputs in = chlorine_plume(1, 1.5, 270);
    in.night = true;
    // No cloud cover: class F, the farthest Turner allows on such a night (was: cover 0.5 by
    // default, class E, AEGL-3 1.86 km instead of ~3.79 km), and the panel says it assumed it.
    REQUIRE_FALSE(in.cloud_cover);
    const HazardResult& h = s.run_hazard(in);
    REQUIRE(h.error.empty());
    REQUIRE_FALSE(h.assumptions.empty());
    CHECK(h.assumptions[0].rfind("stability F assumed", 0) == 0);
    CHECK(std::any_of(h.facts.begin(), h.facts.end(),
                      [](const std::string& f) { return f.find("stability F (assumed)") != std::string::npos; }));
    const auto red =
        std::find_if(h.zones.begin(), h.zones.end(), [](const hazard::Zone& z) { return z.level == "AEGL-3" && z.kind == "footprint"; });
    REQUIRE(red != h.zones.end());
    CHECK(red->distance_m == Approx(3786).epsilon(3e-3));
    // AEGL-2 goes past the zone service's 10 km default (the viewer used footprint.hpp's 100 km
    // once): cut there and flagged, as in `vigil zone` (the agreement test below compares them).
    const auto orange = std::find_if(h.zones.begin(), h.zones.end(), [](const hazard::Zone& z) { return z.level == "AEGL-2"; });
    REQUIRE(orange != h.zones.end());
    CHECK(orange->cut);
    CHECK(orange->distance_m == hazard::k_default_max_range_m);
    CHECK(std::any_of(h.assumptions.begin(), h.assumptions.end(),
                      [](const std::string& a) { return a.find("cut there") != std::string::npos; }));
    // Wind below 1 m/s: computed at 1 m/s and said.
    in.wind_m_s = 0.5;
    const HazardResult& slow = s.run_hazard(in);
    REQUIRE(slow.error.empty());
    CHECK(std::any_of(slow.assumptions.begin(), slow.assumptions.end(),
                      [](const std::string& a) { return a.find("computed at 1 m/s") != std::string::npos; }));

    // ERG: the fire isolation distance and both isolation distances, as the CLI prints them.
    in.model = HazardModel::Erg;
    in.wind_m_s = 2;
    const HazardResult& erg = s.run_hazard(in);
    REQUIRE(erg.error.empty());
    auto has = [&](const std::string& text) {
        return std::any_of(erg.facts.begin(), erg.facts.end(), [&](const std::string& f) { return f.find(text) != std::string::npos; });
    };
    CHECK(has("fire: isolate 800 m in all directions"));
    CHECK(has("initial isolation 60 m"));
    CHECK(has("immediate precautionary isolation (guide 124) 100 m"));
    CHECK(erg.zones.back().distance_m == 100); // the isolation circle: the larger of the two

    // Pool fire: distances from the centre, and from the edge.
    in.model = HazardModel::PoolFire;
    in.pool_area_m2 = 20;
    in.heat_of_combustion_mj_kg = 43.7;
    in.burning_rate_kg_m2_s = 0.055;
    const HazardResult& pool = s.run_hazard(in);
    REQUIRE(pool.error.empty());
    REQUIRE(pool.zones.size() == 3); // 37.5 kW/m² reached now (the point source said not)
    CHECK(std::any_of(pool.assumptions.begin(), pool.assumptions.end(),
                      [](const std::string& a) { return a.find("pool centre") != std::string::npos; }));
    in.heat_of_combustion_mj_kg = 43700;
    CHECK(s.run_hazard(in).error.find("heat of combustion 43700 MJ/kg") != std::string::npos);
}

TEST_CASE("hazard view: send to dispatch closes the roads inside the red zone", "[viewer][hazard][dispatch]") {
    AppState s = open_demo();
    // A release on a road: the first vertex of the first road line.
    const LayerView& roads = *s.layer("roads");
    const geo::Coord on_road = roads.layer->geometry(0).coords.at(roads.layer->geometry(0).coords.size() / 2);
    HazardInputs in;
    in.at = on_road;
    in.place = "泄漏";
    in.substance = chlorine();
    in.large_spill = true;
    in.wind_from_deg = 0;
    const HazardResult& h = s.run_hazard(in);
    REQUIRE(h.error.empty());

    DispatchQuery base;
    base.filter = {.need = {"hazmat"}};
    base.isochrone_minutes.clear();
    const DispatchQuery q = dispatch_query_for(h, base);
    CHECK(q.at.x == on_road.x);
    CHECK(q.place == "泄漏");
    REQUIRE(q.closures.size() == 1); // the red isolation circle only
    CHECK(q.filter.need == base.filter.need);

    s.run_dispatch(q);
    s.road_network().wait();
    s.update_dispatch();
    REQUIRE(s.dispatch());
    REQUIRE(s.dispatch()->error.empty());
    const DispatchSheet& closed_now = *s.dispatch();
    CHECK(closed_now.closed_segments > 0);
    // The teams go to the staging point, a road node just outside the red circle.
    REQUIRE(closed_now.staging);
    CHECK_FALSE(geo::contains(closure_geometry(q.closures), *closed_now.staging));
    CHECK(geo::geodesic_distance_m(on_road, *closed_now.staging) >= h.zones.back().distance_m);
    const DispatchSheet with_closures = closed_now;

    // The same staging point with every road open: closing roads never makes a team faster.
    DispatchQuery open = q;
    open.closures.clear();
    open.at = *with_closures.staging;
    const DispatchSheet& free_roads = s.run_dispatch(open);
    REQUIRE(free_roads.error.empty());
    CHECK(free_roads.closed_segments == 0);
    CHECK_FALSE(free_roads.staging);
    for (const auto& t : with_closures.teams) {
        auto it = std::find_if(free_roads.teams.begin(), free_roads.teams.end(), [&](const DispatchTeam& f) { return f.id == t.id; });
        REQUIRE(it != free_roads.teams.end());
        if (t.reachable) CHECK(t.travel_s >= it->travel_s - 1e-6);
    }
    std::size_t reachable = 0;
    for (const auto& t : with_closures.teams) reachable += t.reachable;
    INFO("closed " << with_closures.closed_segments << " segments, " << reachable << " of " << with_closures.teams.size()
                   << " teams reachable");
    CHECK(reachable > 0);
}

TEST_CASE("hazard view: the CLI and the Hazard panel give the same zones for one question, cut at 10 km", "[viewer][hazard][agreement]") {
    // The question of tests/data/zone_agreement.json, which the browser is asked too
    // (tests/e2e/viewer.test.mjs, window.vigil.zone): each request key is a `vigil zone` option.
    std::ifstream file(test::data_dir() / "zone_agreement.json");
    REQUIRE(file);
    const auto request = nlohmann::json::parse(file)["request"];
    std::string args;
    for (const auto& [key, value] : request.items()) {
        std::string option = "--" + key;
        std::replace(option.begin(), option.end(), '_', '-');
        if (key == "at") args += " --at " + value[0].dump() + "," + value[1].dump();
        else if (value.is_boolean()) args += value.get<bool>() ? " " + option : "";
        else args += " " + option + " '" + (value.is_string() ? value.get<std::string>() : value.dump()) + "'";
    }
    const auto cli = nlohmann::json::parse(
        run_command(std::string("\"") + VIGIL_EXECUTABLE + "\" -q zone \"" + demo_db().string() + "\"" + args + " --json"));

    // The panel, filled as a user fills it: the chemical picked from the search, the weather typed.
    AppState s = open_demo();
    HazardInputs in;
    in.at = {request["at"][0].get<double>(), request["at"][1].get<double>()};
    in.model = HazardModel::Plume;
    in.substance = chlorine();
    REQUIRE(in.substance.cas == request["substance"]);
    in.rate_kg_s = request["rate_kg_s"];
    in.wind_m_s = request["wind_speed"];
    in.wind_from_deg = request["wind_from"];
    in.night = request["time"] == "night";
    const HazardResult& h = s.run_hazard(in);
    REQUIRE(h.error.empty());
    const auto panel = app::to_json(h.answer);

    // Same zones (kind, level, tier, distance, cut, ring), same records inside, same assumptions.
    REQUIRE(cli["zones"].size() == 6);
    CHECK(panel["zones"] == cli["zones"]);
    CHECK(panel["affected"] == cli["affected"]);
    CHECK(panel["unable_to_respond"] == cli["unable_to_respond"]);
    CHECK(panel["assumptions"] == cli["assumptions"]);
    CHECK(panel["max_range_m"] == cli["max_range_m"]);
    // The cut: AEGL-2 and its sector reach beyond 10 km, drawn to it and flagged, in both.
    for (const auto& answer : {cli, panel}) {
        CHECK(answer["max_range_m"] == 10000);
        for (const auto& z : answer["zones"])
            if (z["level"] == "AEGL-2") {
                CHECK(z["cut"] == true);
                CHECK(z["distance_m"] == 10000);
            }
    }
    // The panel lists and draws what the CLI prints: its zones are the answer's, widest first.
    REQUIRE(h.zones.size() == 6);
    const auto cut_in_cli =
        std::count_if(cli["zones"].begin(), cli["zones"].end(), [](const nlohmann::json& z) { return z["cut"] == true; });
    CHECK(cut_in_cli >= 2);
    CHECK(std::count_if(h.zones.begin(), h.zones.end(), [](const hazard::Zone& z) { return z.cut; }) == cut_in_cli);
    CHECK(h.affected.size() == cli["affected"].size());
}

} // namespace test_hazard_view_cases

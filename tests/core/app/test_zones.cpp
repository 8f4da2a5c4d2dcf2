// The hazard-zone service on small in-memory layers: the cut distance and what was assumed, the
// records inside each zone (rescue teams in the red zone flagged), the models' numbers, the
// inputs refused by name, and the JSON forms of request and result.

#include <vigil/app/zones.hpp>
#include <vigil/geo/geodesic.hpp>
#include <vigil/util/error.hpp>

#include "app_layers.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

using namespace vigil;
using Catch::Matchers::Contains;

namespace test_zones_cases {

constexpr geo::Coord k_release{113.2418, 35.2159};

/// `metres` east (negative: west) of the release, on its parallel.
geo::Coord east(double metres) { return geo::destination(k_release, 90, metres); }

/// Two rescue teams (T1 500 m downwind of an easterly-blowing release, T2 2 km upwind) and an
/// enterprise E1 6 km downwind.
app::LayerSet town() {
    app::LayerSet set;
    set.add(test::make_layer("rescue_teams", {test::point("T1", east(500)), test::point("T2", east(-2000))}));
    set.add(test::make_layer("enterprises", {test::point("E1", east(6000))}));
    return set;
}

/// 1 kg/s of chlorine on a night at 1.5 m/s from the west, the sky not known.
app::ZoneRequest chlorine_plume() {
    app::ZoneRequest q;
    q.at = k_release;
    q.model = app::ZoneModel::Plume;
    q.substance = "chlorine";
    q.rate_kg_s = 1;
    q.wind_speed_m_s = 1.5;
    q.wind_from_deg = 270;
    q.night = true;
    return q;
}

const hazard::Zone& zone(const app::ZoneResult& r, const std::string& level, const std::string& kind = "footprint") {
    const auto it = std::find_if(r.zones.begin(), r.zones.end(), [&](const hazard::Zone& z) { return z.level == level && z.kind == kind; });
    REQUIRE(it != r.zones.end());
    return *it;
}


TEST_CASE("zones: a plume reaching past 10 km is cut there, flagged and said, on the safe-side class", "[app][zones]") {
    const auto r = app::compute_zones(chlorine_plume(), town());
    REQUIRE(r.zones.size() == 6); // footprint + ±15° sector for AEGL-3, -2, -1
    REQUIRE(r.zone_facts.size() == r.zones.size());
    // No cloud cover: class F, the farthest Turner's table allows on such a night (cover 0.5
    // would give E and 1.86 km); AEGL-3 to ~3.79 km (test_toxic_zone.cpp checks 3786 m).
    REQUIRE(r.toxic);
    CHECK(r.toxic->stability == "F");
    CHECK(r.toxic->stability_assumed);
    CHECK_THAT(r.assumptions.at(0), Catch::StartsWith("stability F assumed"));
    const auto& red = zone(r, "AEGL-3");
    CHECK(red.distance_m == Approx(3786).epsilon(3e-3));
    CHECK_FALSE(red.cut);
    CHECK(r.zone_facts[0].stability == 'F');
    // AEGL-2 reaches past the 10 km default: drawn to it, cut, and said so; its sector too.
    CHECK(zone(r, "AEGL-2").distance_m == hazard::k_default_max_range_m);
    CHECK(zone(r, "AEGL-2").cut);
    CHECK(zone(r, "AEGL-2", "uncertainty").cut);
    CHECK(std::any_of(r.assumptions.begin(), r.assumptions.end(), [](const std::string& a) {
        return a.find("AEGL-2") != std::string::npos && a.find("cut there") != std::string::npos;
    }));
    CHECK_THAT(r.summary.at(0), Contains("stability F (assumed)"));

    // The cut distance is the request's: at 30 km AEGL-2 reaches farther than 10 km.
    auto far = chlorine_plume();
    far.max_range_m = 30000;
    const auto wide = app::compute_zones(far, town());
    CHECK(zone(wide, "AEGL-2").distance_m > 10000);
    CHECK(zone(wide, "AEGL-3").distance_m == Approx(red.distance_m).epsilon(1e-9));
}

TEST_CASE("zones: the records inside, the team in the red zone unable to respond", "[app][zones]") {
    const auto r = app::compute_zones(chlorine_plume(), town());
    // T1 (500 m downwind) in the red footprint; T2 upwind nowhere; E1 (6 km) in AEGL-2's only.
    REQUIRE(r.affected.size() == 2);
    CHECK(r.affected[0].id == "T1");
    CHECK(r.affected[0].layer == "rescue_teams");
    CHECK(r.affected[0].tier == 3);
    CHECK(r.affected[0].unable_to_respond);
    CHECK(r.affected[0].distance_m == Approx(500).margin(0.5));
    CHECK(r.affected[1].id == "E1");
    CHECK(r.affected[1].tier == 2);
    CHECK_FALSE(r.affected[1].unable_to_respond);
    CHECK(r.unable_to_respond == std::vector<std::string>{"T1"});
    // Per zone, nearest first: the AEGL-1 footprint holds both.
    const auto yellow =
        std::find_if(r.zones.begin(), r.zones.end(), [](const hazard::Zone& z) { return z.level == "AEGL-1" && z.kind == "footprint"; });
    REQUIRE(yellow != r.zones.end());
    const auto& inside = r.zone_facts[static_cast<std::size_t>(yellow - r.zones.begin())].inside;
    REQUIRE(inside.size() == 2);
    CHECK(inside[0].id == "T1");
    CHECK(inside[1].id == "E1");
    CHECK_FALSE(inside[1].unable_to_respond); // only teams are flagged
}

TEST_CASE("zones: ERG, fire and explosion models give the tables' and the formulas' distances", "[app][zones]") {
    const auto layers = town();
    app::ZoneRequest q;
    q.at = k_release;
    q.un = 1017;
    q.wind_from_deg = 90;
    const auto erg = app::compute_zones(q, layers);
    REQUIRE(erg.erg);
    // Table 1's 60 m and guide 124's immediate precautionary 100 m: the circle is the larger.
    REQUIRE(erg.zones.size() == 2);
    CHECK(erg.zones[0].kind == "isolation");
    CHECK(erg.zones[0].distance_m == 100);
    CHECK(erg.zones[1].kind == "protective_action");
    auto has = [&](const std::string& text) {
        return std::any_of(erg.summary.begin(), erg.summary.end(), [&](const std::string& s) { return s.find(text) != std::string::npos; });
    };
    CHECK(has("initial isolation 60 m"));
    CHECK(has("immediate precautionary isolation (guide 124) 100 m"));
    CHECK(has("fire: isolate 800 m in all directions"));
    // Each fact once: the table and the case, no "small spill, small spill" or "guide 124, guide 124".
    CHECK(has("source: ERG 2024 table 1, small spill"));
    CHECK(has("for: a small spill, day"));
    for (const auto& line : erg.summary) {
        INFO(line);
        CHECK(line.find("spill, small spill") == std::string::npos);
        CHECK(line.find("isolation isolation") == std::string::npos);
    }

    // 50 t propane fireball (test_fire.cpp): 37.5 / 12.5 / 4 kW/m² at 195 / 391 / 707 m.
    app::ZoneRequest b;
    b.at = k_release;
    b.model = app::ZoneModel::Bleve;
    b.mass_kg = 50000;
    b.heat_of_combustion_mj_kg = 46.35;
    const auto ball = app::compute_zones(b, layers);
    REQUIRE(ball.zones.size() == 3);
    CHECK(ball.zones[0].distance_m == Approx(195.4).margin(0.2));
    CHECK(ball.zones[2].distance_m == Approx(707.2).margin(0.2));
    REQUIRE(ball.fireball);
    CHECK(ball.fireball->diameter_m() == Approx(213.67).epsilon(1e-4));

    // A 100 m² gasoline pool fire, levels given out of order: 6.0 m from the centre = 0.4 m
    // from the edge for 37.5 kW/m², and the distances' basis assumed aloud.
    app::ZoneRequest p;
    p.at = k_release;
    p.model = app::ZoneModel::PoolFire;
    p.pool_area_m2 = 100;
    p.heat_of_combustion_mj_kg = 43.7;
    p.burning_rate_kg_m2_s = 0.055;
    p.flux_levels_kw_m2 = {4, 37.5};
    const auto pool = app::compute_zones(p, layers);
    REQUIRE(pool.zones.size() == 2);
    CHECK(pool.zones[0].threshold == 37.5);
    CHECK(pool.zones[0].distance_m == Approx(6.0).margin(0.1));
    REQUIRE(pool.zone_facts[0].from_edge_m);
    CHECK(*pool.zone_facts[0].from_edge_m == Approx(0.4).margin(0.1));
    CHECK(pool.zones[1].distance_m == Approx(29.4).margin(0.1));
    CHECK_THAT(pool.assumptions.at(0), Contains("pool centre"));
    // 20 m²: the solid flame (85 kW/m²) reaches 37.5 kW/m², which the point source says it does not.
    p.pool_area_m2 = 20;
    p.flux_levels_kw_m2 = hazard::default_thermal_levels_kw_m2();
    const auto small = app::compute_zones(p, layers);
    CHECK(small.zones.at(0).distance_m == Approx(3.5).margin(0.1));
    CHECK(small.zone_facts.at(0).flux_model == "solid flame");

    // VCE: W = 0.05 · 10 000 · 46.35 / 4.686 = 4945.6 kg TNT; 50 kPa innermost, tier 3.
    app::ZoneRequest v;
    v.at = k_release;
    v.model = app::ZoneModel::Vce;
    v.mass_kg = 10000;
    v.heat_of_combustion_mj_kg = 46.35;
    v.yield = 0.05;
    const auto vce = app::compute_zones(v, layers);
    REQUIRE(vce.vce);
    CHECK(vce.vce->tnt_kg == Approx(4945.58).epsilon(1e-5));
    REQUIRE(vce.zones.size() == 3);
    CHECK(vce.zones[0].level == "50 kPa");
    CHECK(vce.zones[0].tier == 3);
    // T1 500 m away lies inside the 5 kPa circle only if it reaches that far: the list agrees with the radius.
    for (const auto& a : vce.affected) CHECK(a.distance_m <= vce.zones.back().distance_m + 0.2);
}

TEST_CASE("zones: inputs refused by their key, a release outside the data refused", "[app][zones]") {
    const auto layers = town();
    auto q = chlorine_plume();
    q.rate_kg_s.reset();
    CHECK_THROWS_WITH(app::compute_zones(q, layers), Contains("needs rate_kg_s"));
    q = chlorine_plume();
    q.wind_from_deg.reset();
    CHECK_THROWS_WITH(app::compute_zones(q, layers), Contains("needs wind_from"));
    q = chlorine_plume();
    q.wind_speed_m_s = 0;
    CHECK_THROWS_WITH(app::compute_zones(q, layers), Contains("wind speed 0"));
    q = chlorine_plume();
    q.substance = "methane";
    CHECK_THROWS_WITH(app::compute_zones(q, layers), Contains("no toxic level of concern"));
    app::ZoneRequest erg;
    erg.at = k_release;
    CHECK_THROWS_WITH(app::compute_zones(erg, layers), Contains("needs un"));
    erg.un = 1017;
    erg.at = {116.4, 39.9}; // Beijing, 500 km from the layers
    CHECK_THROWS_AS(app::compute_zones(erg, layers), UsageError);
    CHECK_THROWS_WITH(app::compute_zones(erg, layers), Contains("outside the data"));
    // The area the project covers may be given (the CLI gives every layer's extent).
    erg.data_extent = geo::BBox{116, 39, 117, 40};
    CHECK_NOTHROW(app::compute_zones(erg, layers));
    // Without layers there is no extent to be outside of.
    erg.data_extent.reset();
    CHECK(app::compute_zones(erg, app::LayerSet{}).affected.empty());
}

TEST_CASE("zones: the JSON request reads the CLI's keys, refuses unknown ones; the result keeps its members", "[app][zones][json]") {
    const auto j = nlohmann::json::parse(R"({"at": [113.2418, 35.2159], "model": "plume", "substance": "chlorine",
        "rate_kg_s": 1, "wind_speed": 1.5, "wind_from": 270, "time": "night"})");
    const auto q = app::zone_request_from_json(j);
    CHECK(q.model == app::ZoneModel::Plume);
    CHECK(q.night);
    CHECK(*q.rate_kg_s == 1);
    CHECK(q.max_range_m == hazard::k_default_max_range_m);
    const auto layers = town();
    const auto out = app::to_json(app::compute_zones(q, layers));
    CHECK(out == app::to_json(app::compute_zones(chlorine_plume(), layers)));
    CHECK(out["model"] == "plume");
    CHECK(out["max_range_m"] == hazard::k_default_max_range_m);
    CHECK(out["stability"] == "F");
    CHECK(out["stability_assumed"] == true);
    REQUIRE(out["zones"].size() == 6);
    CHECK(out["zones"][0]["stability"] == "F");
    CHECK(out["zones"][2]["level"] == "AEGL-2");
    CHECK(out["zones"][2]["cut"] == true);
    CHECK(out["zones"][2]["distance_m"] == 10000);
    CHECK(out["zones"][0]["ring"].size() > 10);
    CHECK(out["zones"][0]["inside"][0]["id"] == "T1");
    CHECK(out["unable_to_respond"] == nlohmann::json::array({"T1"}));
    CHECK(out["affected"][1]["max_tier"] == 2);
    CHECK_THAT(out["assumptions"].dump(), Contains("cut there"));
    // GeoJSON: a polygon per zone, the release point, the records once each.
    const auto fc = app::to_geojson(app::compute_zones(q, layers), true);
    REQUIRE(fc["features"].size() == 6 + 1 + 2);
    CHECK(fc["features"][0]["geometry"]["type"] == "Polygon");
    CHECK(fc["features"][6]["properties"]["role"] == "release_point");
    CHECK(fc["features"][7]["properties"]["max_tier"] == 3);

    CHECK_THROWS_WITH(app::zone_request_from_json(nlohmann::json::parse(R"({"at": [113, 35], "rate": 1})")),
                      Contains("unknown key \"rate\""));
    CHECK_THROWS_WITH(app::zone_request_from_json(nlohmann::json::parse(R"({"model": "erg"})")), Contains("\"at\""));
    CHECK_THROWS_WITH(app::zone_request_from_json(nlohmann::json::parse(R"({"at": [113, 35], "mass_kg": "lots"})")),
                      Contains("\"mass_kg\" must be a number"));
    CHECK_THROWS_WITH(app::zone_request_from_json(nlohmann::json::parse(R"({"at": [113, 35], "model": "fireworks"})")),
                      Contains("fireworks"));
}

} // namespace test_zones_cases

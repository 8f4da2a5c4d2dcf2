// Zone polygons (footprint.hpp) and what lies inside them (inside.hpp). The expected values are
// geometric facts checked with the geodesic helpers (Vincenty, tests/core/geo): a circle's
// vertices lie at its radius, a footprint points downwind, ERG's square is as wide as long.

#include <vigil/geo/geodesic.hpp>
#include <vigil/hazard/footprint.hpp>
#include <vigil/hazard/inside.hpp>

#include "test_paths.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace vigil;
using namespace vigil::hazard;

namespace test_footprint_cases {

const geo::Coord k_spill{113.2418, 35.2159}; // Jiaozuo

double angle_diff(double a, double b) { return std::abs(std::remainder(a - b, 360.0)); }

PlumeRelease chlorine_plume() {
    PlumeRelease r;
    r.rate_kg_s = 2;
    r.wind_m_s = 2;
    r.stability = Stability::F;
    return r;
}

const std::vector<ZoneLevel> k_levels = {{3, "AEGL-3", 58, "mg/m3", "test"}, {2, "AEGL-2", 5.8, "mg/m3", "test"}};


TEST_CASE("Circles and the wind's direction", "[hazard][footprint]") {
    auto ring = circle_ring(k_spill, 1500);
    REQUIRE(ring.size() == 73);
    CHECK(ring.front() == ring.back());
    for (const auto& c : ring) CHECK(geo::geodesic_distance_m(k_spill, c) == Approx(1500).epsilon(1e-9));
    CHECK(wind_toward_deg(270) == 90);
    CHECK(wind_toward_deg(90) == 270);
    CHECK_THROWS_AS(wind_toward_deg(400), UsageError);
    CHECK_THROWS_AS(circle_ring(k_spill, -1), UsageError);
    CHECK_THROWS_AS(circle_ring({200, 0}, 10), UsageError);
}

TEST_CASE("A plume footprint points downwind and reaches its distance", "[hazard][footprint]") {
    auto fp = plume_footprint(chlorine_plume(), 58);
    // Wind from the west (270°): the plume goes east (90°).
    auto poly = footprint_polygon(k_spill, 270, fp);
    REQUIRE(poly);
    CHECK(poly->type == geo::GeometryType::Polygon);
    double far = 0, far_bearing = 0;
    for (const auto& c : poly->coords) {
        double d = geo::geodesic_distance_m(k_spill, c);
        if (d > far) {
            far = d;
            far_bearing = geo::initial_bearing_deg(k_spill, c);
        }
    }
    CHECK(far == Approx(fp.max_distance_m).epsilon(1e-6));
    CHECK(angle_diff(far_bearing, 90) < 0.01);
    // Inside at half the reach on the centre line, not upwind, not far to the side.
    CHECK(geo::contains(*poly, geo::destination(k_spill, 90, fp.max_distance_m / 2)));
    CHECK_FALSE(geo::contains(*poly, geo::destination(k_spill, 270, fp.max_distance_m / 2)));
    CHECK_FALSE(geo::contains(*poly, geo::destination(k_spill, 120, fp.max_distance_m / 2)));
    // The ±15° envelope holds the footprint swung by 10° but not by 30°.
    auto env = uncertainty_polygon(k_spill, 270, fp, 15);
    REQUIRE(env);
    CHECK(geo::contains(*env, geo::destination(k_spill, 100, fp.max_distance_m * 0.9)));
    CHECK(geo::contains(*env, geo::destination(k_spill, 80, fp.max_distance_m * 0.9)));
    CHECK_FALSE(geo::contains(*env, geo::destination(k_spill, 120, fp.max_distance_m * 0.9)));
    CHECK_FALSE(geo::contains(*env, geo::destination(k_spill, 90, fp.max_distance_m * 1.01)));
    CHECK_THROWS_AS(uncertainty_polygon(k_spill, 270, fp, 95), UsageError);
    // An empty footprint has no polygon.
    CHECK_FALSE(footprint_polygon(k_spill, 270, plume_footprint(chlorine_plume(), 1e12)));
}

TEST_CASE("Zones per model", "[hazard][footprint]") {
    auto zones = plume_zones(k_spill, 0, chlorine_plume(), k_levels, 15);
    REQUIRE(zones.size() == 4); // footprint + uncertainty per level
    CHECK(zones[0].kind == "footprint");
    CHECK(zones[0].tier == 3);
    CHECK(zones[1].kind == "uncertainty");
    CHECK(zones[2].level == "AEGL-2");
    CHECK(zone_title(zones[2]) == "AEGL-2 zone");
    CHECK(zone_title(zones[3]) == "AEGL-2 wind-direction uncertainty area");
    CHECK(zones[2].distance_m > zones[0].distance_m);
    CHECK(plume_zones(k_spill, 0, chlorine_plume(), k_levels, 0).size() == 2);
    CHECK_THROWS_AS(plume_zones(k_spill, std::nan(""), chlorine_plume(), k_levels), UsageError);

    auto circles =
        circle_zones(k_spill, "bleve", {{3, "37.5 kW/m2", 37.5, "kW/m2", "x"}, {1, "4 kW/m2", 4, "kW/m2", "x"}}, {195.4, std::nullopt});
    REQUIRE(circles.size() == 1);
    CHECK(circles[0].distance_m == 195.4);
    CHECK(circles[0].model == "bleve");

    ErgZone erg;
    erg.source = "ERG 2024 table 1, small spill";
    erg.isolation_m = 60;
    erg.protective_m = 300;
    auto ez = erg_zones(k_spill, 0.0, erg); // wind from the north: the square lies to the south
    REQUIRE(ez.size() == 2);
    CHECK(ez[0].kind == "isolation");
    CHECK(ez[0].tier == 3);
    CHECK(ez[1].kind == "protective_action");
    // A label says what the zone is in one phrase (was: level + kind, "isolation isolation").
    CHECK(zone_title(ez[0]) == "initial isolation zone");
    CHECK(zone_title(ez[1]) == "protective action zone");
    CHECK(geo::contains(ez[1].polygon, geo::destination(k_spill, 180, 150)));
    CHECK_FALSE(geo::contains(ez[1].polygon, geo::destination(k_spill, 0, 150)));
    // Corners: 150 m either side of the spill and 300 m downwind.
    CHECK(geo::geodesic_distance_m(ez[1].polygon.coords[0], ez[1].polygon.coords[1]) == Approx(300).epsilon(1e-6));
    CHECK(erg_zones(k_spill, std::nullopt, erg).size() == 1); // no wind: no downwind area to place
}

TEST_CASE("What lies inside the zones", "[hazard][inside]") {
    static catalog::Catalog cat = catalog::Catalog::load_directory(test::layers_dir());
    auto teams_kind = cat.get("rescue_teams");
    auto ent_kind = cat.get("enterprises");

    auto point_layer = [](std::shared_ptr<const catalog::LayerKind> kind, std::vector<std::pair<std::string, geo::Coord>> pts) {
        model::LayerBuilder b(kind, pts.size());
        std::int64_t fid = 1;
        for (auto& [id, c] : pts) {
            std::vector<model::Value> v(kind->fields.size());
            v[kind->id_index()] = id;
            if (auto n = kind->index_of_role(catalog::FieldRole::Name)) v[*n] = "name " + id;
            b.add(fid++, std::move(v), geo::Geometry::point(c));
        }
        return b.finish();
    };
    // Circles of 500 m (tier 3) and 2 km (tier 2).
    auto zones = circle_zones(k_spill, "vce", {{3, "50 kPa", 50, "kPa", "x"}, {2, "5 kPa", 5, "kPa", "x"}}, {500.0, 2000.0});
    auto teams = point_layer(teams_kind, {{"T-near", geo::destination(k_spill, 45, 300)},
                                          {"T-mid", geo::destination(k_spill, 200, 1200)},
                                          {"T-far", geo::destination(k_spill, 10, 5000)}});
    auto ents = point_layer(ent_kind, {{"E-1", geo::destination(k_spill, 300, 100)}});
    std::shared_ptr<const model::Layer> roads; // null: skipped
    auto inside = features_inside(zones, k_spill, {teams, ents, roads});
    REQUIRE(inside.size() == 2);
    REQUIRE(inside[0].features.size() == 2);
    CHECK(inside[0].features[0].id == "E-1"); // nearest first
    CHECK(inside[0].features[0].distance_m == Approx(100).epsilon(1e-6));
    CHECK_FALSE(inside[0].features[0].unable_to_respond);
    CHECK(inside[0].features[1].id == "T-near");
    CHECK(inside[0].features[1].layer == "rescue_teams");
    CHECK(inside[0].features[1].name == "name T-near");
    CHECK(inside[0].features[1].unable_to_respond); // a team in the red zone
    REQUIRE(inside[1].features.size() == 3);
    CHECK(inside[1].features[2].id == "T-mid");
    CHECK(inside[1].features[2].distance_m == Approx(1200).epsilon(1e-6));
    CHECK_FALSE(inside[1].features[2].unable_to_respond); // orange zone only: can respond
}

TEST_CASE("Fire and explosion zones are circles at the model's radii", "[hazard][footprint]") {
    auto levels = tiered_levels({4, 37.5, 12.5, 1.6}, "kW/m2", "x");
    REQUIRE(levels.size() == 4);
    CHECK(levels[0].threshold == 37.5); // most severe first
    CHECK(levels[0].tier == 3);
    CHECK(levels[2].tier == 1);
    CHECK(levels[3].tier == 1);
    CHECK(levels[1].name == "12.5 kW/m2");
    CHECK_THROWS_AS(tiered_levels({}, "kPa", "x"), UsageError);
    CHECK_THROWS_AS(tiered_levels({5, -1}, "kPa", "x"), UsageError);

    // 50 t of propane (test_fire.cpp): 195 / 391 / 707 m.
    Fireball b;
    b.fuel_mass_kg = 50000;
    b.heat_of_combustion_j_kg = 46.35e6;
    auto zones = fireball_zones(k_spill, b);
    REQUIRE(zones.size() == 3);
    CHECK(zones[0].model == "bleve");
    CHECK(zones[0].distance_m == Approx(195.43).epsilon(1e-3));
    CHECK(zones[2].distance_m == Approx(707.22).epsilon(1e-3));
    CHECK(zones[2].tier == 1);
    for (const auto& c : zones[1].polygon.coords) CHECK(geo::geodesic_distance_m(k_spill, c) == Approx(zones[1].distance_m));

    // 10 t TNT: 5.055 kPa at 500 m (Kingery-Bulmash reference case); a level out of range gives no zone.
    auto ez = explosion_zones(k_spill, 10000, {5.055, 1e6});
    REQUIRE(ez.size() == 1);
    CHECK(ez[0].distance_m == Approx(500).epsilon(0.002));
    CHECK(ez[0].tier == 2);

    PoolFire f;
    f.area_m2 = 100;
    f.heat_of_combustion_j_kg = 43.7e6;
    f.burning_rate_kg_m2_s = 0.055;
    auto pz = pool_fire_zones(k_spill, f, {37.5});
    REQUIRE(pz.size() == 1);
    // test_fire.cpp: 6.035 m from the centre (was 5.28 m, inside the 5.64 m pool); the zone says
    // which model gives it and how far that is from the edge.
    CHECK(pz[0].distance_m == Approx(6.0348).epsilon(1e-3));
    CHECK_THAT(pz[0].source, Catch::Contains("point source model") && Catch::Contains("m from the pool centre") &&
                                 Catch::Contains("0.4 m from its edge"));
}

TEST_CASE("ERG small spills of TIH materials: the table's and the guide's isolation, the larger drawn", "[hazard][footprint][erg]") {
    // ERG 2024 table 1 chlorine small spill: isolate 60 m; guide 124: "Immediate precautionary
    // measure - Isolate spill or leak area for at least 100 meters in all directions".
    auto z = Erg2024::builtin().lookup(1017, Spill::Small, DayNight::Day);
    CHECK(z.isolation_m == 60);
    REQUIRE(z.precautionary_isolation_m);
    CHECK(*z.precautionary_isolation_m == 100);
    CHECK(z.isolation_circle_m() == 100);
    CHECK_THAT(z.notes.back(), Catch::Contains("guide 124") && Catch::Contains("drawn at 100 m"));
    auto zones = erg_zones(k_spill, 90.0, z);
    REQUIRE(zones.front().kind == "isolation");
    // Was: a 60 m circle.
    CHECK(zones.front().distance_m == 100);
    for (const auto& c : zones.front().polygon.coords) CHECK(geo::geodesic_distance_m(k_spill, c) == Approx(100));
    CHECK_THAT(zones.front().source, Catch::Contains("initial isolation 60 m") && Catch::Contains("100 m (the larger)"));
    // Large spill: table 3's 1000 m (rail, night, low wind) exceeds the guide's 100 m: no change.
    z = Erg2024::builtin().lookup(1017, Spill::Large, DayNight::Night, WindBand::Low, "rail");
    CHECK(z.isolation_circle_m() == 1000);
    // Materials outside table 1: the guide's isolation is isolation_m already.
    CHECK_FALSE(Erg2024::builtin().lookup(1830, Spill::Small, DayNight::Day).precautionary_isolation_m);
}

} // namespace test_footprint_cases

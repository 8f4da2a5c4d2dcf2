// The toxic-release question with the weather's assumptions (toxic_zone.hpp). The reference is
// written separately here: the ground-level centre-line plume C(x) = Q/(π u σy σz) (CCPS 1999;
// domain.md §4.3) with Briggs's rural σ typed in again from domain.md §4.2 (which takes them
// from GasDispersion.jl, citing CCPS 1999 and Griffiths 1994), inverted by bisection.
//
// Issue numbers: 1 kg/s of chlorine at 1.5 m/s at night, AEGL-3 20 ppm = 58 mg/m³. Class F
// (clear night) reaches 3.79 km, class E (the old default cloud 0.5) 1.86 km.

#include <vigil/hazard/toxic_zone.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace vigil;
using namespace vigil::hazard;

namespace test_toxic_zone_cases {

const geo::Coord k_spill{113.2418, 35.2159};

// Briggs rural σy, σz (domain.md §4.2), independent of dispersion.cpp.
std::pair<double, double> briggs_rural(double x, char cls) {
    const double b = 1 / std::sqrt(1 + 0.0001 * x);
    switch (cls) {
    case 'A': return {0.22 * x * b, 0.20 * x};
    case 'B': return {0.16 * x * b, 0.12 * x};
    case 'D': return {0.08 * x * b, 0.06 * x / std::sqrt(1 + 0.0015 * x)};
    case 'E': return {0.06 * x * b, 0.03 * x / (1 + 0.0003 * x)};
    default: return {0.04 * x * b, 0.016 * x / (1 + 0.0003 * x)}; // F
    }
}

// Where the ground-level centre line of a ground release falls to `level` mg/m³.
double reference_reach(double q_kg_s, double u, char cls, double level) {
    auto c = [&](double x) {
        auto [sy, sz] = briggs_rural(x, cls);
        return q_kg_s * 1e6 / (3.141592653589793 * u * sy * sz);
    };
    double lo = 1, hi = 100000;
    for (int i = 0; i < 200; ++i) {
        double mid = 0.5 * (lo + hi);
        (c(mid) >= level ? lo : hi) = mid;
    }
    return lo;
}

ToxicRequest chlorine(double wind, DayNight time, std::optional<double> cloud) {
    ToxicRequest q;
    q.source = k_spill;
    q.wind_from_deg = 270;
    q.wind_m_s = wind;
    q.time = time;
    q.cloud_cover = cloud;
    q.rate_kg_s = 1;
    q.levels = {{3, "AEGL-3", 58, "mg/m3", "AEGL 20 ppm"}};
    q.uncertainty_deg = 0;
    return q;
}


TEST_CASE("Unknown sky at night: class F, not E (was 1.86 km with class E; now F, ~3.79 km)", "[hazard][toxic_zone]") {
    CHECK(reference_reach(1, 1.5, 'F', 58) == Approx(3786).margin(2));
    CHECK(reference_reach(1, 1.5, 'E', 58) == Approx(1856).margin(2));

    auto r = toxic_release_zones(chlorine(1.5, DayNight::Night, std::nullopt));
    REQUIRE(r.stability);
    CHECK(*r.stability == Stability::F);
    CHECK(r.stability_basis.assumed);
    REQUIRE(r.zones.size() == 1);
    CHECK(r.zones[0].distance_m == Approx(reference_reach(1, 1.5, 'F', 58)).epsilon(2e-3));
    CHECK_FALSE(r.zones[0].cut);
    REQUIRE_FALSE(r.assumptions.empty());
    CHECK_THAT(r.assumptions[0], Catch::StartsWith("stability F assumed") && Catch::Contains("cloud cover not given"));

    // The old answer, now only when the user says the sky is half covered.
    auto half = toxic_release_zones(chlorine(1.5, DayNight::Night, 0.5));
    CHECK(*half.stability == Stability::E);
    CHECK_FALSE(half.stability_basis.assumed);
    CHECK(half.assumptions.empty());
    CHECK(half.zones[0].distance_m == Approx(reference_reach(1, 1.5, 'E', 58)).epsilon(2e-3));
}

TEST_CASE("Unknown sky by day: class D (the overcast), not the sunny B of cloud 0.5", "[hazard][toxic_zone]") {
    auto r = toxic_release_zones(chlorine(1.5, DayNight::Day, std::nullopt));
    CHECK(*r.stability == Stability::D);
    CHECK(r.zones[0].distance_m == Approx(reference_reach(1, 1.5, 'D', 58)).epsilon(2e-3));
    // Was: cloud 0.5 by day = moderate sun, Turner "A–B" at < 2 m/s -> B, about 0.5 km.
    auto sunny = toxic_release_zones(chlorine(1.5, DayNight::Day, 0.5));
    CHECK(*sunny.stability == Stability::B);
    CHECK(sunny.zones[0].distance_m == Approx(reference_reach(1, 1.5, 'B', 58)).epsilon(2e-3));
    CHECK(r.zones[0].distance_m > 2 * sunny.zones[0].distance_m);
}

TEST_CASE("An elevated release takes, per level, the class that reaches farthest", "[hazard][toxic_zone]") {
    // 50 m stack by day: an unstable class brings the plume down sooner; the choice per level
    // must equal the largest reach among the candidates, whichever class that is.
    auto q = chlorine(3, DayNight::Day, std::nullopt);
    q.height_m = 50;
    q.levels = {{3, "L3", 50, "mg/m3", "test"}, {2, "L2", 5, "mg/m3", "test"}, {1, "L1", 0.5, "mg/m3", "test"}};
    auto r = toxic_release_zones(q);
    REQUIRE(r.level_stability.size() == 3);
    for (std::size_t i = 0; i < q.levels.size(); ++i) {
        double best = 0;
        for (auto s : possible_classes(3, DayNight::Day)) {
            PlumeRelease rel{1, 3, 50, s, Terrain::Rural, 0};
            best = std::max(best, plume_footprint(rel, q.levels[i].threshold).max_distance_m);
        }
        double got = 0;
        for (const auto& z : r.zones)
            if (z.level == q.levels[i].name) got = z.distance_m;
        INFO(q.levels[i].name);
        CHECK(got == Approx(best));
    }
    CHECK_FALSE(stability_summary(q, r).empty());
}

TEST_CASE("Wind below 1 m/s is computed at 1 m/s and said; a calm is refused", "[hazard][toxic_zone]") {
    auto r = toxic_release_zones(chlorine(0.4, DayNight::Night, 0.2));
    CHECK(r.wind_clamped);
    CHECK(r.wind_given_m_s == 0.4);
    CHECK(r.wind_used_m_s == k_min_gaussian_wind_m_s);
    REQUIRE_FALSE(r.assumptions.empty());
    CHECK_THAT(r.assumptions[0], Catch::Contains("wind 0.4 m/s is below 1 m/s") && Catch::Contains("computed at 1 m/s"));
    // The same zones as at 1 m/s, not a silent 10 km cap (0.4 m/s class F reaches past it).
    CHECK(r.zones[0].distance_m == Approx(reference_reach(1, 1, 'F', 58)).epsilon(2e-3));
    CHECK(r.zones[0].distance_m < k_default_max_range_m);
    CHECK_THROWS_WITH(toxic_release_zones(chlorine(0, DayNight::Night, 0.2)), Catch::Contains("a calm has no Gaussian plume"));
    CHECK_THROWS_AS(toxic_release_zones(chlorine(std::nan(""), DayNight::Night, 0.2)), UsageError);
}

TEST_CASE("Footprints cut at the maximum range are flagged as cut", "[hazard][toxic_zone]") {
    // One default for every shell: 10 km (the viewer used footprint.hpp's 100 km before).
    CHECK(k_default_max_range_m == 10000);
    auto q = chlorine(1.5, DayNight::Night, std::nullopt);
    q.rate_kg_s = 5; // class F reaches ~15 km
    q.uncertainty_deg = 15;
    CHECK(reference_reach(5, 1.5, 'F', 58) > 12000);
    auto r = toxic_release_zones(q);
    REQUIRE(r.zones.size() == 2);
    for (const auto& z : r.zones) {
        CHECK(z.cut);
        CHECK(z.distance_m == k_default_max_range_m);
    }
    CHECK_THAT(r.assumptions.back(), Catch::Contains("AEGL-3") && Catch::Contains("cut there"));
    // A larger range: no cut, and the reach of the reference.
    q.max_range_m = 50000;
    r = toxic_release_zones(q);
    CHECK_FALSE(r.zones[0].cut);
    CHECK(r.zones[0].distance_m == Approx(reference_reach(5, 1.5, 'F', 58)).epsilon(2e-3));
    // The footprint search itself flags the cut.
    PlumeRelease rel{5, 1.5, 0, Stability::F, Terrain::Rural, 0};
    CHECK(plume_footprint(rel, 58).cut);
    CHECK_FALSE(plume_footprint(rel, 58, 50000).cut);
}

} // namespace test_toxic_zone_cases

// Pool fire and BLEVE fireball (docs/domain.md §4.5: CCPS fireball correlations,
// Burgess burning rate, Thomas (1963) flame height, Mudan & Croce (1988) emissive power, the
// CCPS vertical-cylinder view factor, τ = 2.02 (Pw X)^−0.09). Expected values are hand
// evaluations of those printed formulas, done independently in Python (the numbers below); the
// view factor is also checked against a numerical integration of its definition written here;
// the fireball's SEP is also checked against the 200–350 kW/m² range CCPS gives for BLEVEs.
// Air: 20 °C, RH 50 % -> Pw = 1166.7 Pa (Magnus).

#include <vigil/hazard/explosion.hpp>
#include <vigil/hazard/fire.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace vigil::hazard;

TEST_CASE("Atmospheric transmissivity", "[hazard][fire]") {
    Atmosphere air; // 20 °C, 50 %
    CHECK(water_vapour_pressure_pa(air) == Approx(1166.72).epsilon(1e-4));
    // τ = 2.02·(1166.72·100)^−0.09 = 0.70685.
    CHECK(transmissivity(air, 100) == Approx(0.706845).epsilon(1e-5));
    CHECK(transmissivity(air, 0.01) == 1); // capped
    air.relative_humidity = 1.5;
    CHECK_THROWS_WITH(transmissivity(air, 100), Catch::Contains("relative humidity 1.5"));
}

TEST_CASE("BLEVE fireball of 50 t of propane (CCPS correlations)", "[hazard][fire]") {
    Fireball b;
    b.fuel_mass_kg = 50000;
    b.heat_of_combustion_j_kg = 46.35e6;
    b.radiative_fraction = 0.3;
    // D = 5.8·M^{1/3} = 213.67 m; t = 2.6·M^{1/6} = 15.78 s (M > 30 t); H = 0.75 D.
    CHECK(b.diameter_m() == Approx(213.674).epsilon(1e-5));
    CHECK(b.duration_s() == Approx(15.781).epsilon(1e-4));
    CHECK(b.centre_height_m() == Approx(160.255).epsilon(1e-5));
    // SEP = f·M·ΔHc/(π D² t) = 307.2 kW/m², inside CCPS's 200–350 kW/m².
    CHECK(b.surface_emissive_power_kw_m2() == Approx(307.15).epsilon(1e-4));
    CHECK(b.flux_kw_m2(0) == Approx(102.09).epsilon(1e-3));
    auto d = thermal_distances(b, default_thermal_levels_kw_m2());
    REQUIRE(d.size() == 3);
    CHECK(d[0].flux_kw_m2 == 37.5);
    CHECK(*d[0].distance_m == Approx(195.43).epsilon(1e-3));
    CHECK(*d[1].distance_m == Approx(391.24).epsilon(1e-3));
    CHECK(*d[2].distance_m == Approx(707.22).epsilon(1e-3));
    CHECK(b.flux_kw_m2(*d[2].distance_m) == Approx(4).epsilon(1e-6));
    // Below 30 t: t = 0.45·M^{1/3}: 1 t -> 4.5 s, D = 58 m.
    b.fuel_mass_kg = 1000;
    CHECK(b.duration_s() == Approx(4.5));
    CHECK(b.diameter_m() == Approx(58));
    // A level above the flux under the ball is never reached.
    CHECK_FALSE(thermal_distances(b, {5000})[0].distance_m);
    b.fuel_mass_kg = -1;
    CHECK_THROWS_WITH(b.diameter_m(), Catch::Contains("fuel mass (kg) -1"));
}

TEST_CASE("Pool fire point-source term and burning rate", "[hazard][fire]") {
    PoolFire f;
    f.area_m2 = 100;
    f.heat_of_combustion_j_kg = 43.7e6; // gasoline
    f.burning_rate_kg_m2_s = 0.055;     // measured gasoline rate (CCPS table), not Burgess
    f.radiative_fraction = 0.25;
    // D = 11.284 m; Thomas (1963) with its 0.61 exponent: L = 42 D [m″/(ρa √(g D))]^0.61
    // = 17.202 m (was 18.16 m with the textbook form 84 r [...]^0.6); Q = m″ A ΔHc = 240.35 MW.
    CHECK(f.diameter_m() == Approx(11.2838).epsilon(1e-5));
    CHECK(f.flame_height_m() == Approx(42 * 11.28379 * std::pow(0.055 / (1.2 * std::sqrt(9.81 * 11.28379)), 0.61)).epsilon(1e-5));
    CHECK(f.flame_height_m() == Approx(17.202).epsilon(1e-4));
    CHECK(f.heat_release_w() == Approx(240.35e6));
    // Point source at 20 m: τ η Q / (4π d²), d² = 20² + (L/2)² (Python, independently).
    CHECK(f.point_source_flux_kw_m2(20) == Approx(8.17967).epsilon(1e-4));
    // Burgess: m″ = 0.001 ΔHc/(Cp(Tb−T0) + ΔHv); a liquefied gas (Tb < T0) has no sensible term.
    CHECK(burgess_burning_rate(43.7e6, 2200, 400, 298, 330e3) == Approx(0.001 * 43.7e6 / (2200 * 102 + 330e3)));
    CHECK(burgess_burning_rate(50e6, 3500, 111, 293, 510e3) == Approx(0.001 * 50e6 / 510e3));
    f.radiative_fraction = 0;
    CHECK_THROWS_WITH(f.flux_kw_m2(10), Catch::Contains("radiative fraction 0"));
    f.radiative_fraction = 0.25;
    CHECK_THROWS_AS(f.flux_kw_m2(std::nan("")), vigil::UsageError);
    CHECK_THROWS_AS(thermal_distances(f, {0}), vigil::UsageError);
}

namespace test_fire_cases {

// The view factor from its definition, independently of the closed form in fire.cpp:
// dF = cos θ1 cos θ2 / (π r²) dA over the visible side of the cylinder (radius R, height L,
// axis at the origin), for a target at (x, 0, 0) facing the flame (vertical, normal −x) or the
// sky (horizontal, normal +z); midpoint rule. The maximum over the target's orientation is the
// length of the vector (Fv, Fh) (the crosswind component vanishes by symmetry).
double integrated_view_factor(double x, double radius, double height) {
    constexpr int n_phi = 720, n_z = 600;
    const double pi = 3.141592653589793, d_phi = 2 * pi / n_phi, d_z = height / n_z;
    double fv = 0, fh = 0;
    for (int i = 0; i < n_phi; ++i) {
        const double phi = (i + 0.5) * d_phi, nx = std::cos(phi), ny = std::sin(phi);
        for (int k = 0; k < n_z; ++k) {
            const double z = (k + 0.5) * d_z;
            const double rx = x - radius * nx, ry = -radius * ny, rz = -z; // surface -> target
            const double r2 = rx * rx + ry * ry + rz * rz, r = std::sqrt(r2);
            const double cos_surface = (nx * rx + ny * ry) / r;
            if (cos_surface <= 0) continue; // this part of the flame faces away
            const double da = radius * d_phi * d_z;
            fv += cos_surface * std::max(0.0, rx / r) / (pi * r2) * da;
            fh += cos_surface * std::max(0.0, z / r) / (pi * r2) * da;
        }
    }
    return std::hypot(fv, fh);
}

PoolFire gasoline(double area_m2) {
    PoolFire f;
    f.area_m2 = area_m2;
    f.heat_of_combustion_j_kg = 43.7e6;
    f.burning_rate_kg_m2_s = 0.055;
    return f;
}


TEST_CASE("Cylinder view factor equals the integral of its definition", "[hazard][fire]") {
    auto f = gasoline(100); // R = 5.642 m, L = 17.20 m
    const double radius = f.diameter_m() / 2, height = f.flame_height_m();
    for (double x : {6.0, 8.0, 12.0, 20.0, 40.0, 100.0}) {
        INFO("x = " << x);
        CHECK(f.view_factor(x) == Approx(integrated_view_factor(x, radius, height)).epsilon(2e-3));
    }
    // Over the pool the target is in the flame; at the edge the limit is √(½² + ½²) (Fv = Fh = ½).
    CHECK(f.view_factor(0) == 1);
    CHECK(f.view_factor(radius) == 1);
    CHECK(f.view_factor(radius * (1 + 1e-9)) == Approx(std::sqrt(0.5)).epsilon(1e-4));
    // Far away it falls as the flame's projected area D·L over π x² (the point-source limit).
    CHECK(f.view_factor(2000) == Approx(f.diameter_m() * height / (3.141592653589793 * 2000 * 2000)).epsilon(0.01));
}

TEST_CASE("Pool fire near field: 37.5 kW/m2 is reached beside the flame, outside the pool", "[hazard][fire]") {
    // 20 m² of gasoline: D = 5.046 m; Mudan & Croce (1988) E = 140 e^(−0.12 D) + 20 (1 − e^(−0.12 D))
    // = 85.49 kW/m² (the "about 85"), L = 9.833 m (Thomas 0.61).
    auto f = gasoline(20);
    const double d = f.diameter_m(), shield = std::exp(-0.12 * d);
    CHECK(d == Approx(5.0463).epsilon(1e-4));
    CHECK(f.surface_emissive_power_kw_m2() == Approx(140 * shield + 20 * (1 - shield)));
    CHECK(f.surface_emissive_power_kw_m2() == Approx(85.49).epsilon(1e-3));
    CHECK(f.flame_height_m() == Approx(9.833).epsilon(1e-3));
    // Was: the point source alone said 37.5 kW/m² is "not reached" (its flux at x = 0 is 36.7).
    CHECK(f.point_source_flux_kw_m2(0) < 37.5);
    auto t = thermal_distances(f, default_thermal_levels_kw_m2());
    REQUIRE(t[0].distance_m);
    // Reference: the same formulas evaluated independently in Python (τ from the flame's edge).
    CHECK(*t[0].distance_m == Approx(3.5075).epsilon(1e-3));
    CHECK(*t[0].from_edge_m == Approx(3.5075 - d / 2).epsilon(2e-3));
    CHECK(t[0].model == "solid flame");
    CHECK(*t[1].distance_m == Approx(8.2209).epsilon(1e-3));
    CHECK(*t[2].distance_m == Approx(16.2661).epsilon(1e-3));
    CHECK(t[2].model == "solid flame");
    // Over the pool the flux is the flame's own emissive power.
    CHECK(f.flux_kw_m2(1) == Approx(f.surface_emissive_power_kw_m2()));
}

TEST_CASE("Pool fire: the 37.5 kW/m2 radius of a 100 m2 pool lies outside the pool", "[hazard][fire]") {
    auto f = gasoline(100);
    const double radius = f.diameter_m() / 2; // 5.642 m
    auto t = thermal_distances(f, {37.5, 12.5, 4});
    // Was 5.28 m from the centre, inside the pool. The solid flame (E = 51.0 kW/m²) reaches
    // 37.5 only at the edge; the point source, larger here, 6.03 m: the larger is taken.
    CHECK(f.surface_emissive_power_kw_m2() == Approx(50.98).epsilon(1e-3));
    CHECK(*t[0].distance_m > radius);
    CHECK(*t[0].distance_m == Approx(6.0348).epsilon(1e-3));
    CHECK(t[0].model == "point source");
    CHECK(*t[0].from_edge_m == Approx(6.0348 - radius).epsilon(1e-2));
    CHECK(*t[1].distance_m == Approx(15.5531).epsilon(1e-3));
    CHECK(*t[2].distance_m == Approx(29.4255).epsilon(1e-3));
    // The solid flame alone at 20 m (Python: 5.607 kW/m²); the point source 8.180; flux = max.
    CHECK(f.solid_flame_flux_kw_m2(20) == Approx(5.60697).epsilon(1e-3));
    CHECK(f.flux_kw_m2(20) == Approx(f.point_source_flux_kw_m2(20)));
}

TEST_CASE("Fire inputs out of range are refused with the value and the range", "[hazard][fire]") {
    auto f = gasoline(20);
    f.heat_of_combustion_j_kg = 43.7e9; // 43 700 MJ/kg: kJ/kg typed as MJ/kg
    CHECK_THROWS_WITH(f.check(), Catch::Contains("heat of combustion 43700 MJ/kg") && Catch::Contains("kJ/kg"));
    f.heat_of_combustion_j_kg = 1e6;
    CHECK_THROWS_WITH(f.check(), Catch::Contains("heat of combustion 1 MJ/kg"));
    f = gasoline(20);
    f.burning_rate_kg_m2_s = 3.3; // kg/(m² min)
    CHECK_THROWS_WITH(f.check(), Catch::Contains("burning rate 3.3") && Catch::Contains("0.005 to 0.3"));
    f.burning_rate_kg_m2_s = 0.001;
    CHECK_THROWS_AS(f.check(), vigil::UsageError);
    f = gasoline(20);
    f.radiative_fraction = 0.9;
    CHECK_THROWS_WITH(f.check(), Catch::Contains("radiative fraction 0.9"));
    f = gasoline(20);
    f.air_density_kg_m3 = 12;
    CHECK_THROWS_WITH(f.check(), Catch::Contains("air density 12"));
    Fireball b;
    b.fuel_mass_kg = 1000;
    b.heat_of_combustion_j_kg = 46.35e3; // J/kg typed as kJ/kg
    CHECK_THROWS_WITH(b.check(), Catch::Contains("heat of combustion 0.04635 MJ/kg"));
    // The TNT equivalence too: propane's 46.35 MJ/kg typed as kJ/kg would be 1000x the TNT.
    CHECK_THROWS_WITH(tnt_equivalent_kg(1000, 46.35e9, 0.03), Catch::Contains("heat of combustion 46350 MJ/kg"));
    CHECK(tnt_equivalent_kg(1000, 46.35e6, 0.03) == Approx(0.03 * 1000 * 46.35e6 / 4.686e6));
}

} // namespace test_fire_cases

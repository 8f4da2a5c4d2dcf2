// Pool fire and BLEVE fireball (../shared/docs/domain.md §4.5: CCPS fireball correlations,
// Burgess burning rate, Thomas flame height, τ = 2.02 (Pw X)^−0.09). Expected values are hand
// evaluations of those printed formulas, done independently in Python (the numbers below);
// the fireball's SEP is also checked against the 200–350 kW/m² range CCPS gives for BLEVEs.
// Air: 20 °C, RH 50 % -> Pw = 1166.7 Pa (Magnus).

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

TEST_CASE("Pool fire radiation (point source, Thomas flame)", "[hazard][fire]") {
    PoolFire f;
    f.area_m2 = 100;
    f.heat_of_combustion_j_kg = 43.7e6; // gasoline
    f.burning_rate_kg_m2_s = 0.055;     // measured gasoline rate (CCPS table), not Burgess
    f.radiative_fraction = 0.25;
    // r = 5.642 m; L = 84 r [m″/(ρa √(2 g r))]^0.6 = 18.163 m; Q = m″ A ΔHc = 240.35 MW.
    CHECK(f.diameter_m() == Approx(11.2838).epsilon(1e-5));
    CHECK(f.flame_height_m() == Approx(18.1625).epsilon(1e-5));
    CHECK(f.heat_release_w() == Approx(240.35e6));
    CHECK(f.flux_kw_m2(20) == Approx(8.02921).epsilon(1e-4));
    auto d = thermal_distances(f, {37.5, 12.5, 4});
    CHECK(*d[0].distance_m == Approx(5.2841).epsilon(1e-3));
    CHECK(*d[1].distance_m == Approx(15.2775).epsilon(1e-3));
    CHECK(*d[2].distance_m == Approx(29.2808).epsilon(1e-3));
    // Burgess: m″ = 0.001 ΔHc/(Cp(Tb−T0) + ΔHv); a liquefied gas (Tb < T0) has no sensible term.
    CHECK(burgess_burning_rate(43.7e6, 2200, 400, 298, 330e3) == Approx(0.001 * 43.7e6 / (2200 * 102 + 330e3)));
    CHECK(burgess_burning_rate(50e6, 3500, 111, 293, 510e3) == Approx(0.001 * 50e6 / 510e3));
    f.radiative_fraction = 0;
    CHECK_THROWS_WITH(f.flux_kw_m2(10), Catch::Contains("radiative fraction 0"));
    f.radiative_fraction = 0.25;
    CHECK_THROWS_AS(f.flux_kw_m2(std::nan("")), vigil::UsageError);
    CHECK_THROWS_AS(thermal_distances(f, {0}), vigil::UsageError);
}

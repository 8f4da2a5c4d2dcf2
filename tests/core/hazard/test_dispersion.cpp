// Gaussian plume and puff (docs/domain.md §4.2–4.3). Sources of expected values:
// - Briggs and Slade sigmas at x = 1.2 m: aefarrell/GasDispersion.jl test/utils/ccps_tests.jl
//   (CCPS, Guidelines for Consequence Analysis of Chemical Releases, 1999), all classes;
// - Briggs at 1 km and the plume centre-line: hand evaluation of the printed formulas
//   (python, shown in the comments);
// - Turner (1970), Workbook of Atmospheric Dispersion Estimates, problem 1: 3 g/s ground-level
//   source, 3 km, overcast night, 7 m/s (class D): 1.1e-5 g/m³ with the Pasquill–Gifford curves
//   (σy = 190 m, σz = 65 m); Briggs's rural fit gives σy = 210 m, σz = 77 m, so about 24 % less.

#include <vigil/hazard/dispersion.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

using namespace vigil::hazard;

TEST_CASE("Briggs plume sigmas (CCPS 1999 via GasDispersion.jl tests)", "[hazard][dispersion]") {
    struct Row {
        Stability s;
        double sy, sz;
    };
    const Row rural[] = {{Stability::A, 0.2639841614254575, 0.24},
                         {Stability::B, 0.19198848103669636, 0.144},
                         {Stability::C, 0.13199208071272875, 0.09598848207318536},
                         {Stability::D, 0.09599424051834818, 0.07193528734898633},
                         {Stability::E, 0.07199568038876113, 0.03598704466392099},
                         {Stability::F, 0.04799712025917409, 0.019193090487424527}};
    for (const auto& r : rural) {
        auto s = briggs_sigmas(1.2, r.s, Terrain::Rural);
        CHECK(s.y == Approx(r.sy).epsilon(1e-12));
        CHECK(s.z == Approx(r.sz).epsilon(1e-12));
    }
    const Row urban[] = {{Stability::A, 0.38390787316433456, 0.2881727481910807},
                         {Stability::B, 0.38390787316433456, 0.2881727481910807},
                         {Stability::C, 0.26393666280048, 0.24},
                         {Stability::D, 0.19195393658216728, 0.16796976816235135},
                         {Stability::E, 0.13196833140024, 0.09591371646531512},
                         {Stability::F, 0.13196833140024, 0.09591371646531512}};
    for (const auto& r : urban) {
        auto s = briggs_sigmas(1.2, r.s, Terrain::Urban);
        CHECK(s.y == Approx(r.sy).epsilon(1e-12));
        CHECK(s.z == Approx(r.sz).epsilon(1e-12));
    }
    // Rural D at 1 km: 0.08·1000/√1.1 = 76.277 m, 0.06·1000/√2.5 = 37.947 m.
    auto d = briggs_sigmas(1000, Stability::D, Terrain::Rural);
    CHECK(d.y == Approx(76.27700714));
    CHECK(d.z == Approx(37.94733192));
}

TEST_CASE("Slade puff sigmas (CCPS 1999 via GasDispersion.jl tests)", "[hazard][dispersion]") {
    const double sy[] = {0.21287234847910436, 0.16556738215041453,  0.11826241582172466,
                         0.07095744949303479, 0.047304966328689864, 0.023523465599668385};
    const double sz[] = {0.6879188103871441,  0.6054498545741843,  0.3869880921561032,
                         0.17041904657983328, 0.11258170198247626, 0.05588182287353654};
    for (int i = 0; i < 6; ++i) {
        auto s = puff_sigmas(1.2, static_cast<Stability>(i));
        CHECK(s.y == Approx(sy[i]).epsilon(1e-12));
        CHECK(s.z == Approx(sz[i]).epsilon(1e-12));
    }
}

TEST_CASE("Plume centre-line concentrations", "[hazard][dispersion]") {
    PlumeRelease r;
    r.rate_kg_s = 1;
    r.wind_m_s = 5;
    r.stability = Stability::D;
    // Ground source, centre line, ground: C = Q/(π u σy σz) = 1e6/(π·5·76.277·37.947) = 21.994 mg/m³.
    CHECK(plume_concentration(r, 1000, 0, 0) == Approx(21.99405124));
    // Crosswind fall-off exp(−y²/2σy²): at y = σy, e^−½.
    CHECK(plume_concentration(r, 1000, 76.27700714, 0) == Approx(21.99405124 * std::exp(-0.5)));
    // An elevated source: the ground value falls by exp(−H²/2σz²).
    PlumeRelease high = r;
    high.height_m = 30;
    CHECK(plume_concentration(high, 1000, 0, 0) == Approx(21.99405124 * std::exp(-0.5 * std::pow(30 / 37.94733192, 2))));
    CHECK(plume_concentration(r, -10, 0, 0) == 0); // upwind
    // Turner's workbook problem 1 (see the file comment): 3 g/s, 7 m/s, D, 3 km -> 1.1e-5 g/m³ with
    // the P-G curves; Briggs's rural fit gives 8.44e-3 mg/m³ (hand evaluation), within 30 % of it.
    PlumeRelease turner;
    turner.rate_kg_s = 0.003;
    turner.wind_m_s = 7;
    turner.stability = Stability::D;
    double c = plume_concentration(turner, 3000, 0, 0);
    CHECK(c == Approx(8.443890954e-3));
    CHECK(c == Approx(1.1e-2).epsilon(0.30));
}

TEST_CASE("Puff dose equals the time integral of its concentration", "[hazard][dispersion]") {
    PuffRelease p;
    p.mass_kg = 100;
    p.wind_m_s = 3;
    p.stability = Stability::E;
    const double x = 800;
    // Trapezoidal integral of C(t) over the puff's passage, in mg·min/m³.
    double sum = 0;
    const double dt = 0.5;
    for (double t = 0; t < 2 * x / p.wind_m_s; t += dt) sum += puff_concentration(p, x, 0, 0, t) * dt;
    CHECK(puff_dose(p, x, 0, 0) == Approx(sum / 60).epsilon(1e-4));
    // Peak at t = x/u: C = 2M/((2π)^{3/2} σy² σz) for a ground source on the ground.
    auto s = puff_sigmas(x, Stability::E);
    CHECK(puff_peak_concentration(p, x, 0, 0) == Approx(2 * 100e6 / (std::pow(2 * std::numbers::pi, 1.5) * s.y * s.y * s.z)));
    // The toxic load with n = 1 is the dose.
    CHECK(puff_toxic_load(p, x, 0, 0, 1) == Approx(puff_dose(p, x, 0, 0)));
}

TEST_CASE("Footprint reach and half-width meet the level", "[hazard][dispersion]") {
    PlumeRelease r;
    r.rate_kg_s = 2;
    r.wind_m_s = 2;
    r.stability = Stability::F;
    const double level = 58; // chlorine AEGL-3, mg/m³
    Footprint f = plume_footprint(r, level);
    REQUIRE(f.max_distance_m > 100);
    CHECK(f.min_distance_m == 0);
    CHECK(plume_concentration(r, f.max_distance_m, 0, 0) == Approx(level).epsilon(1e-6));
    REQUIRE(f.samples.size() == 64);
    CHECK(f.samples.front().half_width_m == 0);
    CHECK(f.samples.back().x_m == Approx(f.max_distance_m));
    for (std::size_t i = 1; i + 1 < f.samples.size(); ++i) {
        const auto& s = f.samples[i];
        CHECK(plume_concentration(r, s.x_m, s.half_width_m, 0) == Approx(level).epsilon(1e-6));
    }
    // A lower level reaches farther; a level never reached gives an empty footprint.
    CHECK(plume_footprint(r, 5.8).max_distance_m > f.max_distance_m);
    CHECK(plume_footprint(r, 1e12).max_distance_m == 0);
    // An elevated release touches the ground only some way off.
    PlumeRelease high = r;
    high.height_m = 50;
    Footprint fh = plume_footprint(high, 1);
    CHECK(fh.min_distance_m > 100);
    CHECK(plume_concentration(high, fh.min_distance_m, 0, 0) == Approx(1).epsilon(1e-6));
    // The puff's footprint follows its peak.
    PuffRelease p;
    p.mass_kg = 500;
    p.wind_m_s = 2;
    p.stability = Stability::D;
    Footprint fp = puff_footprint(p, 58);
    REQUIRE(fp.max_distance_m > 0);
    CHECK(puff_peak_concentration(p, fp.max_distance_m, 0, 0) == Approx(58).epsilon(1e-6));
}

TEST_CASE("Dispersion rejects bad inputs", "[hazard][dispersion]") {
    PlumeRelease r;
    r.rate_kg_s = 1;
    r.wind_m_s = 0;
    CHECK_THROWS_WITH(plume_concentration(r, 100, 0, 0), Catch::Contains("wind speed 0"));
    r.wind_m_s = 3;
    r.rate_kg_s = -1;
    CHECK_THROWS_WITH(plume_concentration(r, 100, 0, 0), Catch::Contains("release rate -1"));
    r.rate_kg_s = std::nan("");
    CHECK_THROWS_AS(plume_footprint(r, 10), vigil::UsageError);
    r.rate_kg_s = 1;
    CHECK_THROWS_WITH(plume_footprint(r, -5), Catch::Contains("level of concern"));
    CHECK_THROWS_AS(briggs_sigmas(0, Stability::D, Terrain::Rural), vigil::UsageError);
    PuffRelease p;
    p.mass_kg = -3;
    p.wind_m_s = 2;
    CHECK_THROWS_WITH(puff_dose(p, 100, 0, 0), Catch::Contains("released mass -3"));
}

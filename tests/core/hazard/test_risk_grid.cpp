// The individual-risk grid: bounding-box and threaded evaluation equal the brute-force sum bit
// for bit; the lookup tables reproduce their functions; contours of analytic fields land where
// the algebra says; the F–N curve of a hand-made case.

#include <vigil/hazard/risk_grid.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

using namespace vigil;
using namespace vigil::hazard;

namespace {

// Signed area of a closed ring (shoelace): positive when counter-clockwise.
double signed_area(const std::vector<geo::Coord>& r) {
    double a = 0;
    for (std::size_t k = 0; k + 1 < r.size(); ++k) a += r[k].x * r[k + 1].y - r[k + 1].x * r[k].y;
    return a / 2;
}

// A mixed set: isotropic, directional over a 16-direction rose, Gaussian, overlapping each
// other and the grid's edges (one scenario lies outside the grid and reaches in).
std::vector<Scenario> mixed_scenarios() {
    auto fire = std::make_shared<RadialTable>([](double r) { return r < 40 ? 1.0 : std::exp(-(r - 40) / 30); }, 250.0);
    auto plume = std::make_shared<DirectionalTable>(
        [](double u, double v) {
            const double sy = 5 + 0.12 * u;
            return std::min(1.0, std::exp(-u / 400) * std::exp(-v * v / (2 * sy * sy)));
        },
        900.0, 250.0, 128, 64);
    std::vector<Scenario> s;
    s.push_back({{120, 80}, 1e-5, fire, {}, 0, 4, "fire"});
    Scenario tox{{-30, 210}, 3e-6, nullptr, {}, 0, 4, "toxic"};
    for (int k = 0; k < 16; ++k) tox.directional.push_back({1.0 / 16, k * std::numbers::pi / 8, plume});
    s.push_back(tox);
    s.push_back({{300, 300}, 2e-6, nullptr, {}, 90, 4, "gauss"});
    s.push_back({{-200, -150}, 7e-7, fire, {}, 60, 3, "outside, both"});
    return s;
}

} // namespace

TEST_CASE("radial and directional tables reproduce their functions", "[hazard][risk]") {
    // Uniform in r², the table resolves r to r_max²/(2·r·N): coarse only at the very centre,
    // where real lethality is saturated (here 1 within 20 m).
    auto p = [](double r) { return r < 20 ? 1.0 : std::exp(-(r - 20) / 100); };
    RadialTable t(p, 500.0, 4096);
    for (double r : {0.0, 3.0, 50.0, 120.0, 333.0, 499.0}) CHECK(t.at_d2(r * r) == Approx(p(r)).epsilon(2e-3));
    CHECK(t.at_d2(500.0 * 500.0) == 0.0);
    CHECK(t.at_d2(1e9) == 0.0);
    DirectionalTable d([](double u, double v) { return std::exp(-u / 300) * std::exp(-v / 50); }, 1000.0, 200.0);
    CHECK(d.at(100, 20) == Approx(std::exp(-100.0 / 300 - 20.0 / 50)).epsilon(2e-3));
    CHECK(d.at(100, -20) == d.at(100, 20)); // symmetric about the axis
    CHECK(d.at(-1, 0) == 0.0);              // nothing upwind
    CHECK(d.at(100, 201) == 0.0);
    CHECK_THROWS_AS(RadialTable([](double) { return 1.5; }, 10.0), FormatError);
    CHECK_THROWS_AS(RadialTable([](double) { return 1.0; }, -1.0), UsageError);
    // A bad sample is named by where it is (the message is built only then).
    CHECK_THROWS_WITH(RadialTable([](double r) { return r > 5 ? std::nan("") : 0.5; }, 10.0, 4),
                      Catch::Matchers::Contains("outside [0, 1] at r = 7.07107 m"));
    CHECK_THROWS_WITH(DirectionalTable([](double u, double v) { return u >= 50 && v >= 10 ? -0.25 : 0.5; }, 100.0, 20.0, 4, 4),
                      Catch::Matchers::Contains("lethality -0.25 outside [0, 1] at u = 50 m, v = 10 m"));
}

TEST_CASE("the risk grid equals the brute-force sum exactly, for any thread count and in chunks", "[hazard][risk]") {
    GridSpec spec{-100, -50, 7.0, 9.0, 97, 83};
    RiskGrid grid(spec, mixed_scenarios());
    const auto reference = grid.brute_force();
    grid.compute(1);
    REQUIRE(grid.values() == reference);
    CHECK(grid.max_value() > 1e-5);
    for (unsigned threads : {2u, 3u, 8u}) {
        grid.compute(threads);
        CHECK(grid.values() == reference);
    }
    // The browser's way: a few rows per frame, in any order.
    RiskGrid chunked(spec, mixed_scenarios());
    for (int r0 = spec.ny - 5; r0 > -5; r0 -= 5) chunked.compute_rows(std::max(r0, 0), r0 + 5);
    CHECK(chunked.values() == reference);
    // evaluate() at a cell centre is the same sum.
    CHECK(grid.evaluate({spec.cx(30), spec.cy(40)}) == Approx(grid.value(30, 40)).epsilon(1e-12));
}

TEST_CASE("the separable Gaussian equals the direct formula to 1e-12 relative", "[hazard][risk]") {
    // The peers' risk_grid_cutoff model (../shared/peers/bench_grid.py): f·exp(−d²/2σ²), d ≤ 4σ.
    GridSpec spec{0, 0, 10, 12, 60, 50};
    std::vector<Scenario> s = {{{200, 260}, 1e-5, nullptr, {}, 80, 4, "a"}, {{410, 100}, 3e-6, nullptr, {}, 45, 4, "b"}};
    RiskGrid grid(spec, s);
    grid.compute(2);
    double worst = 0;
    std::size_t cut = 0;
    for (int j = 0; j < spec.ny; ++j)
        for (int i = 0; i < spec.nx; ++i) {
            double direct = 0;
            for (const auto& sc : s) {
                const double dx = spec.cx(i) - sc.at.x, dy = spec.cy(j) - sc.at.y, d2 = dx * dx + dy * dy;
                const double r = 4 * sc.gaussian_sigma_m;
                if (d2 <= r * r) direct += sc.frequency * std::exp(-d2 / (2 * sc.gaussian_sigma_m * sc.gaussian_sigma_m));
                else ++cut;
            }
            const double got = grid.value(i, j);
            if (direct == 0) CHECK(got == 0);
            else worst = std::max(worst, std::fabs(got - direct) / direct);
        }
    CHECK(worst < 1e-12);
    CHECK(cut > 0); // the cutoff did drop terms, so the test covers it
}

TEST_CASE("bad grids and scenarios are refused with their name", "[hazard][risk]") {
    CHECK_THROWS_AS(RiskGrid(GridSpec{0, 0, 0, 10, 10, 10}, {}), UsageError);
    CHECK_THROWS_AS(RiskGrid(GridSpec{0, 0, 10, 10, 0, 10}, {}), UsageError);
    std::vector<Scenario> s = {{{0, 0}, -1, nullptr, {}, 10, 4, "neg"}};
    CHECK_THROWS_WITH(RiskGrid(GridSpec{0, 0, 10, 10, 10, 10}, s), Catch::Contains("scenario 0 (neg)"));
    auto t = std::make_shared<DirectionalTable>([](double, double) { return 1.0; }, 10.0, 10.0);
    Scenario w{{0, 0}, 1, nullptr, {{0.7, 0, t}, {0.7, 1, t}}, 0, 4, "wind"};
    CHECK_THROWS_WITH(RiskGrid(GridSpec{0, 0, 10, 10, 10, 10}, {w}), Catch::Contains("add up to 1.4"));
}

TEST_CASE("a directional scenario only reaches downwind", "[hazard][risk]") {
    auto plume = std::make_shared<DirectionalTable>([](double, double) { return 1.0; }, 100.0, 10.0, 16, 4);
    // Wind toward the east (θ = 0): cells east of the source within ±10 m of its row.
    Scenario s{{500, 500}, 1e-6, nullptr, {{1.0, 0.0, plume}}, 0, 4, "east"};
    RiskGrid grid(GridSpec{0, 0, 10, 10, 100, 100}, {s});
    grid.compute(2);
    CHECK(grid.value(55, 49) == 1e-6); // centre (555, 495): 55 m downwind, 5 m off the axis
    CHECK(grid.value(44, 49) == 0.0);  // upwind
    CHECK(grid.value(55, 52) == 0.0);  // 25 m off the axis
    // Toward the north (θ = π/2).
    s.directional[0].toward_rad = std::numbers::pi / 2;
    RiskGrid north(GridSpec{0, 0, 10, 10, 100, 100}, {s});
    north.compute(1);
    CHECK(north.value(49, 55) == Approx(1e-6));
    CHECK(north.value(55, 49) == 0.0);
}

TEST_CASE("contours of a radial peak are circles of the analytic radius", "[hazard][risk][contour]") {
    // IR = A·exp(−r²/2σ²) ⇒ the level L lies at r = σ·sqrt(2·ln(A/L)).
    const double a = 1e-4, sigma = 150;
    GridSpec spec{-600, -600, 5, 5, 240, 240};
    std::vector<double> v(spec.cells());
    for (int j = 0; j < spec.ny; ++j)
        for (int i = 0; i < spec.nx; ++i)
            v[static_cast<std::size_t>(j * spec.nx + i)] = a * std::exp(-(spec.cx(i) * spec.cx(i) + spec.cy(j) * spec.cy(j)) / (2 * sigma * sigma));
    for (double level : k_gb36894_limits) {
        const double r = sigma * std::sqrt(2 * std::log(a / level));
        auto rings = contour_rings(spec, v, level);
        REQUIRE(rings.size() == 1);
        const auto& ring = rings[0];
        CHECK(ring.front() == ring.back());
        double worst = 0;
        for (const auto& p : ring) worst = std::max(worst, std::fabs(std::hypot(p.x, p.y) - r));
        CHECK(worst < 0.5); // linear interpolation on 5 m cells
        CHECK(signed_area(ring) == Approx(std::numbers::pi * r * r).epsilon(2e-3)); // counter-clockwise
        CHECK(area_at_or_above(spec, v, level) == Approx(std::numbers::pi * r * r).epsilon(2e-2));
    }
}

TEST_CASE("contours: two peaks, a ring with a hole, a field touching the grid's edge", "[hazard][risk][contour]") {
    GridSpec spec{0, 0, 1, 1, 40, 20};
    std::vector<double> v(spec.cells(), 0.0);
    auto at = [&](int i, int j) -> double& { return v[static_cast<std::size_t>(j * spec.nx + i)]; };
    for (int j = 3; j < 8; ++j)
        for (int i = 3; i < 8; ++i) at(i, j) = 1; // peak 1
    for (int j = 10; j < 20; ++j)
        for (int i = 20; i < 40; ++i) at(i, j) = 1; // touches the north and east edges
    for (int j = 13; j < 17; ++j)
        for (int i = 26; i < 30; ++i) at(i, j) = 0; // a hole in it
    auto rings = contour_rings(spec, v, 0.5);
    REQUIRE(rings.size() == 3);
    int ccw = 0, cw = 0;
    double hole = 0, outer = 0;
    for (const auto& r : rings) {
        const double s = signed_area(r);
        if (s > 0) ++ccw, outer += s;
        else ++cw, hole = s;
    }
    CHECK(ccw == 2);
    CHECK(cw == 1);
    // The 0.5 line runs halfway between centres: the 5x5 block encloses 5x5 = 25 m² less the
    // four cut corners (4 x 1/8 m²); the edge block closes halfway to the zero border, at x = 40
    // and y = 20, so it is 20 x 10 m less its corners too; the hole is 4 x 4 less its corners.
    CHECK(hole == Approx(-(16 - 0.5)));
    CHECK(outer == Approx((25 - 0.5) + (20 * 10 - 0.5)));
    CHECK_THROWS_AS(contour_rings(spec, v, 0.0), UsageError);
}

TEST_CASE("F–N curve from point populations", "[hazard][risk]") {
    auto sure = std::make_shared<RadialTable>([](double r) { return r < 100 ? 1.0 : 0.0; }, 100.0, 64);
    auto plume = std::make_shared<DirectionalTable>([](double, double) { return 1.0; }, 500.0, 50.0, 8, 4);
    std::vector<Scenario> s;
    s.push_back({{0, 0}, 1e-4, sure, {}, 0, 4, "fire"}); // kills the 10 people at (10, 0)
    // Wind east with weight 0.25: also kills the 30 at (300, 0); otherwise nobody.
    s.push_back({{0, 0}, 1e-5, nullptr, {{0.25, 0.0, plume}}, 0, 4, "toxic"});
    std::vector<PopulationPoint> pop = {{{10, 0}, 10}, {{300, 0}, 30}};
    auto fn = fn_curve(s, pop);
    // Outcomes: N = 40 (toxic east: 30 + 10 within 500 m downwind) f = 2.5e-6; N = 10, f = 1e-4.
    REQUIRE(fn.size() == 2);
    CHECK(fn[0].n == Approx(10));
    CHECK(fn[0].f == Approx(1e-4 + 2.5e-6));
    CHECK(fn[1].n == Approx(40));
    CHECK(fn[1].f == Approx(2.5e-6));
}

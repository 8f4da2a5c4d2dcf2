/// @file
/// GCJ-02 and BD-09 obfuscations of WGS84 and their iterative inverses
/// (formulas: docs/domain.md §6, after googollee/eviltransform and PRCoords).
#include <vigil/geo/chinese_datums.hpp>

#include <cmath>
#include <limits>
#include <numbers>

namespace vigil::geo {

namespace {

// GCJ-02 mixes in the Krasovsky 1940 ellipsoid; these two constants are part of the published
// formula, not a datum choice of ours.
constexpr double k_krasovsky_a = 6378245.0;
constexpr double k_krasovsky_ee = 0.00669342162296594323;
// BD-09's own constant (pi * 3000 / 180).
constexpr double k_x_pi = std::numbers::pi * 3000.0 / 180.0;
constexpr double k_bd_dlon = 0.0065;
constexpr double k_bd_dlat = 0.006;

// Iteration limits: a fixed point converges in about 6 steps inside China (the offset's
// derivative is ~1e-3); the cap only matters at the discontinuous edge of the GCJ box.
constexpr int k_max_datum_iterations = 50;
// 1e-14 degrees is ~1e-9 m, at the level of double rounding at 113° (ulp 1.4e-14); the loop
// also stops as soon as an iteration no longer improves the residual.
constexpr double k_tolerance_deg = 1e-14;

// The two GCJ distortion polynomials, with x = lon - 105 and y = lat - 35; results in metres
// of arc along the meridian / parallel.
double gcj_dlat_m(double x, double y) {
    double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::abs(x));
    r += (20.0 * std::sin(6.0 * x * std::numbers::pi) + 20.0 * std::sin(2.0 * x * std::numbers::pi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(y * std::numbers::pi) + 40.0 * std::sin(y / 3.0 * std::numbers::pi)) * 2.0 / 3.0;
    r += (160.0 * std::sin(y / 12.0 * std::numbers::pi) + 320.0 * std::sin(y * std::numbers::pi / 30.0)) * 2.0 / 3.0;
    return r;
}

double gcj_dlon_m(double x, double y) {
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::abs(x));
    r += (20.0 * std::sin(6.0 * x * std::numbers::pi) + 20.0 * std::sin(2.0 * x * std::numbers::pi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(x * std::numbers::pi) + 40.0 * std::sin(x / 3.0 * std::numbers::pi)) * 2.0 / 3.0;
    r += (150.0 * std::sin(x / 12.0 * std::numbers::pi) + 300.0 * std::sin(x / 30.0 * std::numbers::pi)) * 2.0 / 3.0;
    return r;
}

// GCJ offset (degrees) applied at a WGS84 position; zero outside the GCJ box.
Coord gcj_offset(Coord wgs) {
    if (!in_gcj02_area(wgs)) return Coord{0, 0};
    const double dlat_m = gcj_dlat_m(wgs.x - 105.0, wgs.y - 35.0);
    const double dlon_m = gcj_dlon_m(wgs.x - 105.0, wgs.y - 35.0);
    const double rad_lat = wgs.y / 180.0 * std::numbers::pi;
    const double s = std::sin(rad_lat);
    const double magic = 1 - k_krasovsky_ee * s * s;
    const double sqrt_magic = std::sqrt(magic);
    const double dlat = (dlat_m * 180.0) / ((k_krasovsky_a * (1 - k_krasovsky_ee)) / (magic * sqrt_magic) * std::numbers::pi);
    const double dlon = (dlon_m * 180.0) / (k_krasovsky_a / sqrt_magic * std::cos(rad_lat) * std::numbers::pi);
    return Coord{dlon, dlat};
}

// Solves forward(x) = target by the fixed point x <- x + (target - forward(x)), which converges
// because both obfuscations are the identity plus a slowly varying offset. Keeps the best
// iterate so that a non-converging case (only at the GCJ box edge) still returns something sane.
template <class Forward> Coord invert(Coord target, Coord start, Forward forward) {
    Coord x = start;
    Coord best = x;
    double best_err = std::numeric_limits<double>::infinity();
    for (int i = 0; i < k_max_datum_iterations; ++i) {
        const Coord f = forward(x);
        const double ex = target.x - f.x;
        const double ey = target.y - f.y;
        const double err = std::abs(ex) + std::abs(ey);
        // No progress means we are at the rounding floor (or oscillating at the box edge).
        if (!(err < best_err)) break;
        best_err = err;
        best = x;
        if (err <= k_tolerance_deg) break;
        x = Coord{x.x + ex, x.y + ey};
    }
    return best;
}

// The published one-step BD-09 -> GCJ-02 formula (0.1 m-level), used as the starting guess.
Coord bd09_to_gcj02_approx(Coord bd) {
    const double x = bd.x - k_bd_dlon;
    const double y = bd.y - k_bd_dlat;
    const double z = std::sqrt(x * x + y * y) - 0.00002 * std::sin(y * k_x_pi);
    const double theta = std::atan2(y, x) - 0.000003 * std::cos(x * k_x_pi);
    return Coord{z * std::cos(theta), z * std::sin(theta)};
}

} // namespace

bool in_gcj02_area(Coord wgs84) { return wgs84.x >= 72.004 && wgs84.x <= 137.8347 && wgs84.y >= 0.8293 && wgs84.y <= 55.8271; }

Coord wgs84_to_gcj02(Coord wgs84) {
    const Coord d = gcj_offset(wgs84);
    return Coord{wgs84.x + d.x, wgs84.y + d.y};
}

Coord gcj02_to_wgs84(Coord gcj02) {
    if (!std::isfinite(gcj02.x) || !std::isfinite(gcj02.y)) return gcj02;
    return invert(gcj02, gcj02, [](Coord w) { return wgs84_to_gcj02(w); });
}

Coord gcj02_to_bd09(Coord gcj02) {
    const double x = gcj02.x;
    const double y = gcj02.y;
    const double z = std::sqrt(x * x + y * y) + 0.00002 * std::sin(y * k_x_pi);
    const double theta = std::atan2(y, x) + 0.000003 * std::cos(x * k_x_pi);
    return Coord{z * std::cos(theta) + k_bd_dlon, z * std::sin(theta) + k_bd_dlat};
}

Coord bd09_to_gcj02(Coord bd09) {
    if (!std::isfinite(bd09.x) || !std::isfinite(bd09.y)) return bd09;
    // The one-step formula is off by up to ~0.14 m; a few fixed-point steps on the forward
    // formula bring the round trip down to rounding level.
    return invert(bd09, bd09_to_gcj02_approx(bd09), [](Coord g) { return gcj02_to_bd09(g); });
}

Coord wgs84_to_bd09(Coord wgs84) { return gcj02_to_bd09(wgs84_to_gcj02(wgs84)); }

Coord bd09_to_wgs84(Coord bd09) { return gcj02_to_wgs84(bd09_to_gcj02(bd09)); }

} // namespace vigil::geo

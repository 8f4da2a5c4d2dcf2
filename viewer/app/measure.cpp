/// @file
/// Geodesic length and ellipsoidal area (authalic sphere, spherical excess); see measure.hpp.

#include "measure.hpp"

#include <vigil/geo/angles.hpp>
#include <vigil/geo/geodesic.hpp>
#include <vigil/util/i18n.hpp>

#include <cmath>
#include <cstdio>
#include <numbers>

namespace vigil::viewer {

namespace {

constexpr double k_a = 6378137.0;         // WGS84 semi-major axis, m
constexpr double k_f = 1 / 298.257223563; // WGS84 flattening
constexpr double k_e2 = k_f * (2 - k_f);  // first eccentricity squared
const double k_e = std::sqrt(k_e2);

// q(φ) of the authalic latitude (Snyder, Map Projections: A Working Manual, eq. 3-12).
double authalic_q(double sin_phi) {
    const double es = k_e * sin_phi;
    return (1 - k_e2) * (sin_phi / (1 - k_e2 * sin_phi * sin_phi) - 1 / (2 * k_e) * std::log((1 - es) / (1 + es)));
}

const double k_qp = authalic_q(1.0);
const double k_authalic_radius = k_a * std::sqrt(k_qp / 2); // 6,371,007.18 m

double authalic_latitude(double lat_deg) {
    double r = authalic_q(std::sin(lat_deg * geo::k_rad_per_deg)) / k_qp;
    return std::asin(std::fmax(-1.0, std::fmin(1.0, r)));
}

} // namespace

double path_length_m(std::span<const geo::Coord> pts) {
    double total = 0;
    for (std::size_t i = 1; i < pts.size(); ++i) total += geo::geodesic_distance_m(pts[i - 1], pts[i]);
    return total;
}

double polygon_area_m2(std::span<const geo::Coord> pts) {
    const std::size_t n = pts.size();
    if (n < 3) return 0;
    double excess = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const geo::Coord a = pts[i], b = pts[(i + 1) % n];
        double dlon = (b.x - a.x) * geo::k_rad_per_deg;
        // The short way round: an edge never spans more than half the world in longitude.
        dlon = std::remainder(dlon, 2 * std::numbers::pi);
        const double t1 = std::tan(authalic_latitude(a.y) / 2), t2 = std::tan(authalic_latitude(b.y) / 2);
        excess += 2 * std::atan2(std::tan(dlon / 2) * (t1 + t2), 1 + t1 * t2);
    }
    excess = std::fabs(excess);
    if (excess > 2 * std::numbers::pi) excess = 4 * std::numbers::pi - excess; // the smaller side
    return excess * k_authalic_radius * k_authalic_radius;
}

double Measurement::perimeter_m() const {
    double p = length_m();
    if (points.size() >= 3) p += geo::geodesic_distance_m(points.back(), points.front());
    return p;
}

std::string format_distance(double m) {
    char buf[48];
    if (!std::isfinite(m)) return "—";
    if (m < 1000) std::snprintf(buf, sizeof buf, "%.0f m", m);
    else if (m < 100000) std::snprintf(buf, sizeof buf, "%.2f km", m / 1000);
    else std::snprintf(buf, sizeof buf, "%.1f km", m / 1000);
    return buf;
}

std::string format_area(double m2) {
    char buf[80];
    if (!std::isfinite(m2)) return "—";
    if (m2 < 1e5) std::snprintf(buf, sizeof buf, "%.0f m²", m2);
    else std::snprintf(buf, sizeof buf, "%.2f km²", m2 / 1e6);
    std::string out = buf;
    if (m2 >= 1e4 && m2 < 1e8) {
        out += trf("  ({:.1f} ha)", m2 / 1e4);
    }
    return out;
}

} // namespace vigil::viewer

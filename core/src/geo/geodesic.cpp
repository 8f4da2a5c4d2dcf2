/// @file
/// Geodesics on the WGS84 ellipsoid (Vincenty 1975 inverse and direct), the haversine
/// distance, and the conservative bounds a nearest-neighbour search prunes with.
#include <vigil/geo/angles.hpp>
#include <vigil/geo/geodesic.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

namespace vigil::geo {

namespace {

constexpr double k_a = 6378137.0;
constexpr double k_f = 1.0 / 298.257223563;
constexpr double k_b = k_a * (1.0 - k_f);
constexpr double k_mean_radius_m = 6371008.8;
// The smallest radius of curvature of WGS84 is the meridional one at the equator,
// a(1 - e^2) = 6,335,439.3 m. Along any curve, ds >= that radius times the arc swept by the
// surface normal on the unit sphere, so radius * (spherical angle between the normals) never
// exceeds the geodesic distance. We use a radius 5.4 km smaller (0.086 %) so that rounding in
// either computation can never invert the inequality.
constexpr double k_safe_radius_m = 6330000.0;
// Extra absolute slack for the lower bound: covers rounding where the relative slack above is
// worth less than a nanometre (points a hair apart).
constexpr double k_lower_bound_slack_m = 1e-6;

constexpr int k_max_vincenty_iterations = 200;
constexpr double k_lambda_tolerance = 1e-12; // radians, ~6 micrometres on the ground

double wrap_pi(double a) {
    // Into (-pi, pi]; fmod keeps this exact for the small multiples of 2 pi we see.
    a = std::fmod(a, 2 * std::numbers::pi);
    if (a <= -std::numbers::pi) a += 2 * std::numbers::pi;
    if (a > std::numbers::pi) a -= 2 * std::numbers::pi;
    return a;
}

double wrap_180(double deg) {
    deg = std::fmod(deg, 360.0);
    if (deg < -180.0) deg += 360.0;
    if (deg > 180.0) deg -= 360.0;
    return deg;
}

// Reduced latitude, via atan2 so that the poles need no special case.
void reduced_latitude(double phi, double& sin_u, double& cos_u) {
    const double u = std::atan2((1 - k_f) * std::sin(phi), std::cos(phi));
    sin_u = std::sin(u);
    cos_u = std::cos(u);
}

struct Inverse {
    double s = 0;   ///< metres
    double az1 = 0; ///< radians
    bool ok = false;
};

// Vincenty's inverse formula (single-letter names L, A, B follow Vincenty 1975 so that the code
// can be checked against the paper). ok == false when the lambda iteration diverges or stalls, which
// only happens for nearly antipodal points.
Inverse vincenty_inverse(Coord p1, Coord p2) {
    Inverse r;
    const double L = wrap_pi((p2.x - p1.x) * k_rad_per_deg);
    double sin_u1, cos_u1, sin_u2, cos_u2;
    reduced_latitude(p1.y * k_rad_per_deg, sin_u1, cos_u1);
    reduced_latitude(p2.y * k_rad_per_deg, sin_u2, cos_u2);

    double sin_sigma = 0, cos_sigma = 1, sigma = 0, sin_alpha = 0, cos_sq_alpha = 1, cos_2sm = 0;
    double sin_lambda = 0, cos_lambda = 1;
    // Evaluates the auxiliary-sphere quantities at lambda and returns the next lambda (NaN for
    // coincident or exactly antipodal points, where sin(sigma) == 0).
    auto step = [&](double lam) {
        sin_lambda = std::sin(lam);
        cos_lambda = std::cos(lam);
        const double t1 = cos_u2 * sin_lambda;
        const double t2 = cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lambda;
        sin_sigma = std::sqrt(t1 * t1 + t2 * t2);
        cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lambda;
        if (sin_sigma == 0) return std::numeric_limits<double>::quiet_NaN();
        sigma = std::atan2(sin_sigma, cos_sigma);
        sin_alpha = cos_u1 * cos_u2 * sin_lambda / sin_sigma;
        cos_sq_alpha = 1 - sin_alpha * sin_alpha;
        // cos_sq_alpha == 0 on the equator, where the formula's 0/0 has the limit 0.
        cos_2sm = cos_sq_alpha != 0 ? cos_sigma - 2 * sin_u1 * sin_u2 / cos_sq_alpha : 0;
        const double c = k_f / 16 * cos_sq_alpha * (4 + k_f * (4 - 3 * cos_sq_alpha));
        return L + (1 - c) * k_f * sin_alpha * (sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm * cos_2sm)));
    };

    double lambda = L;
    bool converged = false;
    for (int i = 0; i < k_max_vincenty_iterations; ++i) {
        const double next = step(lambda);
        if (std::isnan(next)) {
            r.ok = cos_sigma > 0; // coincident: distance 0; antipodal: let the caller fall back
            return r;
        }
        if (std::abs(next) > std::numbers::pi) return r; // beyond the antipodal meridian: diverging
        const bool done = std::abs(next - lambda) < k_lambda_tolerance;
        lambda = next;
        if (done) {
            converged = true;
            break;
        }
    }
    if (!converged) return r;
    // Re-evaluate at the final lambda: the values left over from the loop belong to the
    // previous iterate, which is off by the last step (up to the tolerance, i.e. micrometres,
    // and a visible bearing error on lines of a few metres).
    step(lambda);

    const double u_sq = cos_sq_alpha * (k_a * k_a - k_b * k_b) / (k_b * k_b);
    const double A = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)));
    const double B = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)));
    const double delta_sigma = B * sin_sigma *
                               (cos_2sm + B / 4 *
                                              (cos_sigma * (-1 + 2 * cos_2sm * cos_2sm) -
                                               B / 6 * cos_2sm * (-3 + 4 * sin_sigma * sin_sigma) * (-3 + 4 * cos_2sm * cos_2sm)));
    r.s = k_b * A * (sigma - delta_sigma);
    r.az1 = std::atan2(cos_u2 * sin_lambda, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lambda);
    r.ok = true;
    return r;
}

double central_angle(double lon1, double lat1, double lon2, double lat2);

using Vec3 = std::array<double, 3>;

Vec3 normal_of(Coord c) {
    const double phi = c.y * k_rad_per_deg;
    const double lam = c.x * k_rad_per_deg;
    return {std::cos(phi) * std::cos(lam), std::cos(phi) * std::sin(lam), std::sin(phi)};
}

Vec3 cross(const Vec3& u, const Vec3& v) { return {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]}; }

double dot(const Vec3& u, const Vec3& v) { return u[0] * v[0] + u[1] * v[1] + u[2] * v[2]; }

Vec3 normalized(const Vec3& v) {
    const double n = std::sqrt(dot(v, v));
    return {v[0] / n, v[1] / n, v[2] / n};
}

// Fallback for nearly antipodal points, where the lambda iteration fails. The points on the
// ellipsoid whose normal is perpendicular to p1's normal form a closed curve that separates
// p1 from (nearly antipodal) p2, so the shortest path crosses it at some M and
// d(p1, p2) = min over M of d(p1, M) + d(M, p2). Both legs span about 90 degrees, where
// Vincenty converges fast; the minimum is found by a scan and a golden-section refinement.
Inverse antipodal_inverse(Coord p1, Coord p2) {
    const Vec3 n1 = normal_of(p1);
    const Vec3 axis = std::abs(n1[2]) < 0.9 ? Vec3{0, 0, 1} : Vec3{1, 0, 0};
    const Vec3 e1 = normalized(cross(n1, axis));
    const Vec3 e2 = cross(n1, e1);
    auto point_at = [&](double t) {
        const Vec3 m{std::cos(t) * e1[0] + std::sin(t) * e2[0], std::cos(t) * e1[1] + std::sin(t) * e2[1],
                     std::cos(t) * e1[2] + std::sin(t) * e2[2]};
        return Coord{std::atan2(m[1], m[0]) / k_rad_per_deg, std::asin(std::clamp(m[2], -1.0, 1.0)) / k_rad_per_deg};
    };
    auto length_via = [&](double t) {
        const Coord m = point_at(t);
        const Inverse a = vincenty_inverse(p1, m);
        const Inverse b = vincenty_inverse(m, p2);
        if (!a.ok || !b.ok) return std::numeric_limits<double>::infinity();
        return a.s + b.s;
    };

    constexpr int k_samples = 360;
    const double step = 2 * std::numbers::pi / k_samples;
    int best_i = 0;
    double best = std::numeric_limits<double>::infinity();
    for (int i = 0; i < k_samples; ++i) {
        const double v = length_via(i * step);
        if (v < best) {
            best = v;
            best_i = i;
        }
    }
    // Golden-section search on the bracket around the best sample.
    const double golden = (std::sqrt(5.0) - 1) / 2;
    double lo = (best_i - 1) * step;
    double hi = (best_i + 1) * step;
    double x1 = hi - golden * (hi - lo);
    double x2 = lo + golden * (hi - lo);
    double f1 = length_via(x1);
    double f2 = length_via(x2);
    for (int i = 0; i < 100 && hi - lo > 1e-12; ++i) {
        if (f1 < f2) {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - golden * (hi - lo);
            f1 = length_via(x1);
        } else {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + golden * (hi - lo);
            f2 = length_via(x2);
        }
    }
    const double t = f1 < f2 ? x1 : x2;
    Inverse r;
    r.s = std::min({best, f1, f2});
    r.az1 = vincenty_inverse(p1, point_at(t)).az1;
    r.ok = std::isfinite(r.s);
    return r;
}

Inverse inverse(Coord a, Coord b) {
    Inverse r = vincenty_inverse(a, b);
    if (r.ok) return r;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (!std::isfinite(a.x) || !std::isfinite(a.y) || !std::isfinite(b.x) || !std::isfinite(b.y)) return Inverse{nan, nan, false};
    // The separating-curve fallback needs b on the far side of a's normal-perpendicular curve,
    // which every case where Vincenty fails satisfies (they are all within ~1 degree of antipodal).
    if (dot(normal_of(a), normal_of(b)) < 0) {
        r = antipodal_inverse(a, b);
        if (r.ok) return r;
    }
    // Not reached for finite input; a spherical answer beats a wrong zero.
    return Inverse{k_mean_radius_m * central_angle(a.x, a.y, b.x, b.y), 0, false};
}

// Spherical angle (radians) between two lon/lat points, by the haversine formula with atan2:
// well conditioned for tiny and for near-antipodal separations alike.
double central_angle(double lon1, double lat1, double lon2, double lat2) {
    const double s_lat = std::sin((lat2 - lat1) * k_rad_per_deg / 2);
    const double s_lon = std::sin((lon2 - lon1) * k_rad_per_deg / 2);
    double h = s_lat * s_lat + std::cos(lat1 * k_rad_per_deg) * std::cos(lat2 * k_rad_per_deg) * s_lon * s_lon;
    h = std::clamp(h, 0.0, 1.0);
    return 2 * std::atan2(std::sqrt(h), std::sqrt(1 - h));
}

// Exact spherical angle from p to the meridian segment {lon_e} x [lat1, lat2] (degrees).
// Along the segment cos(angle) = R cos(phi - phi0), so the closest point is phi0 if it lies
// on the segment and otherwise an end point.
double angle_to_meridian_segment(Coord p, double lon_e, double lat1, double lat2) {
    const double dlon = (p.x - lon_e) * k_rad_per_deg;
    const double phi_p = p.y * k_rad_per_deg;
    const double phi0 = std::atan2(std::sin(phi_p), std::cos(phi_p) * std::cos(dlon)) / k_rad_per_deg;
    double best = std::min(central_angle(p.x, p.y, lon_e, lat1), central_angle(p.x, p.y, lon_e, lat2));
    if (phi0 >= lat1 && phi0 <= lat2) best = std::min(best, central_angle(p.x, p.y, lon_e, phi0));
    return best;
}

} // namespace

double geodesic_distance_m(Coord a, Coord b) { return inverse(a, b).s; }

double haversine_m(Coord a, Coord b) { return k_mean_radius_m * central_angle(a.x, a.y, b.x, b.y); }

double initial_bearing_deg(Coord a, Coord b) {
    const Inverse r = inverse(a, b);
    double deg = r.az1 / k_rad_per_deg;
    if (deg < 0) deg += 360.0;
    if (deg >= 360.0) deg -= 360.0;
    return deg;
}

Coord destination(Coord start, double bearing_deg, double distance_m) {
    const double alpha1 = bearing_deg * k_rad_per_deg;
    const double sin_alpha1 = std::sin(alpha1);
    const double cos_alpha1 = std::cos(alpha1);
    double sin_u1, cos_u1;
    reduced_latitude(start.y * k_rad_per_deg, sin_u1, cos_u1);
    const double sigma1 = std::atan2(sin_u1, cos_u1 * cos_alpha1);
    const double sin_alpha = cos_u1 * sin_alpha1;
    const double cos_sq_alpha = 1 - sin_alpha * sin_alpha;
    const double u_sq = cos_sq_alpha * (k_a * k_a - k_b * k_b) / (k_b * k_b);
    const double A = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)));
    const double B = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)));

    double sigma = distance_m / (k_b * A);
    double sin_sigma = 0, cos_sigma = 1, cos_2sm = 0;
    for (int i = 0; i < k_max_vincenty_iterations; ++i) {
        cos_2sm = std::cos(2 * sigma1 + sigma);
        sin_sigma = std::sin(sigma);
        cos_sigma = std::cos(sigma);
        const double delta_sigma = B * sin_sigma *
                                   (cos_2sm + B / 4 *
                                                  (cos_sigma * (-1 + 2 * cos_2sm * cos_2sm) -
                                                   B / 6 * cos_2sm * (-3 + 4 * sin_sigma * sin_sigma) * (-3 + 4 * cos_2sm * cos_2sm)));
        const double previous = sigma;
        sigma = distance_m / (k_b * A) + delta_sigma;
        if (std::abs(sigma - previous) < k_lambda_tolerance) break;
    }
    cos_2sm = std::cos(2 * sigma1 + sigma);
    sin_sigma = std::sin(sigma);
    cos_sigma = std::cos(sigma);

    const double tmp = sin_u1 * sin_sigma - cos_u1 * cos_sigma * cos_alpha1;
    const double phi2 =
        std::atan2(sin_u1 * cos_sigma + cos_u1 * sin_sigma * cos_alpha1, (1 - k_f) * std::sqrt(sin_alpha * sin_alpha + tmp * tmp));
    const double lambda = std::atan2(sin_sigma * sin_alpha1, cos_u1 * cos_sigma - sin_u1 * sin_sigma * cos_alpha1);
    const double c = k_f / 16 * cos_sq_alpha * (4 + k_f * (4 - 3 * cos_sq_alpha));
    const double L =
        lambda - (1 - c) * k_f * sin_alpha * (sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm * cos_2sm)));
    return Coord{wrap_180(start.x + L / k_rad_per_deg), phi2 / k_rad_per_deg};
}

double geodesic_lower_bound_m(Coord p, const BBox& box) {
    if (box.empty()) return std::numeric_limits<double>::infinity();
    if (!std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(box.min_x) || !std::isfinite(box.max_x) || !std::isfinite(box.min_y) ||
        !std::isfinite(box.max_y))
        return 0;
    const double py = std::clamp(p.y, -90.0, 90.0);
    const double lat1 = std::clamp(box.min_y, -90.0, 90.0);
    const double lat2 = std::clamp(box.max_y, -90.0, 90.0);
    const Coord q{p.x, py};

    // Inside the box's longitude range (modulo 360): the nearest box point is on p's own
    // meridian and the angle is just the latitude gap, since no point is closer than that.
    const double width = box.max_x - box.min_x;
    double offset = std::fmod(p.x - box.min_x, 360.0);
    if (offset < 0) offset += 360.0;
    double angle;
    if (width >= 360.0 || offset <= width) {
        angle = std::max({0.0, lat1 - py, py - lat2}) * k_rad_per_deg;
    } else {
        // Outside it: for every latitude the angle grows with the longitude gap, so the
        // nearest point lies on one of the two bounding meridians.
        angle = std::min(angle_to_meridian_segment(q, box.min_x, lat1, lat2), angle_to_meridian_segment(q, box.max_x, lat1, lat2));
    }
    return std::max(0.0, angle * k_safe_radius_m - k_lower_bound_slack_m);
}

BBox bbox_around(Coord centre, double radius_m) {
    const BBox world{-180.0, -90.0, 180.0, 90.0};
    if (!std::isfinite(centre.x) || !std::isfinite(centre.y) || std::isnan(radius_m)) return world;
    const double r = std::max(radius_m, 0.0);
    // Any point within r lies within r / k_safe_radius_m radians of the centre on the sphere of
    // normals (see k_safe_radius_m), and a spherical cap is easy to bound. The tiny margin
    // absorbs rounding in the trigonometry.
    const double sigma = r / k_safe_radius_m;
    const double margin_deg = 1e-9;
    const double lat_c = std::clamp(centre.y, -90.0, 90.0);
    const double lon_c = wrap_180(centre.x);
    const double dlat = sigma / k_rad_per_deg + margin_deg;
    if (sigma >= std::numbers::pi) return world;
    BBox out;
    out.min_y = std::max(-90.0, lat_c - dlat);
    out.max_y = std::min(90.0, lat_c + dlat);
    if (lat_c + dlat >= 90.0 || lat_c - dlat <= -90.0) {
        // The cap holds a pole: every longitude is within reach.
        out.min_x = -180.0;
        out.max_x = 180.0;
        return out;
    }
    // Widest longitude reach of a cap of angular radius sigma centred at latitude lat_c.
    const double ratio = std::sin(sigma) / std::cos(lat_c * k_rad_per_deg);
    const double dlon = (ratio >= 1.0 ? 180.0 : std::asin(ratio) / k_rad_per_deg) + margin_deg;
    if (lon_c - dlon < -180.0 || lon_c + dlon > 180.0) {
        // A BBox cannot wrap; covering all longitudes is the conservative answer.
        out.min_x = -180.0;
        out.max_x = 180.0;
    } else {
        out.min_x = lon_c - dlon;
        out.max_x = lon_c + dlon;
    }
    return out;
}

} // namespace vigil::geo

/// @file
/// Tests of the WGS84 geodesic functions against PROJ's `geod` (PROJ 9.1.1, GeographicLib
/// algorithms, exact to nanometres), and property tests of the pruning bounds.
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <vigil/geo/geodesic.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace vigil::geo;

namespace test_geodesic_cases {

using vigil::test::Rng;

struct InverseCase {
    double lat1, lon1, lat2, lon2; // geod's input order
    double az1;                    // degrees, -180..180 as geod prints it
    double s;                      // metres
    bool check_az;
};

// Produced with
//   geod +ellps=WGS84 -I +units=m -f %.10f -F %.6f
// on lines "lat1 lon1 lat2 lon2" (output: az1 az2 s). E.g.
//   echo "35.22 113.24 34.9 113.0" | geod +ellps=WGS84 -I +units=m -f %.10f -F %.6f
//   -> -148.2694683154  31.5926668652  41709.133380
const InverseCase k_inverse_cases[] = {
    {35.22, 113.24, 34.9, 113.0, -148.2694683154, 41709.133380, true},            // Jiaozuo, ~42 km
    {39.9042, 116.4074, 31.2304, 121.4737, 152.9742300695, 1065846.489453, true}, // Beijing-Shanghai
    {35.22, 113.24, 35.2201, 113.2401, 39.3728785926, 14.351848, true},           // 14 m
    {39.9042, 116.4074, 43.8256, 87.6168, -70.1631268435, 2416985.960897, true},  // Beijing-Urumqi
    {-33.86, 151.21, 51.5, -0.12, -40.7150706538, 16988534.459735, true},         // Sydney-London
    {0, 0, 0, 90, 90.0, 10018754.171395, true},                                   // equator
    {0, 0, 45, 0, 0.0, 4984944.377978, true},                                     // meridian
    {90, 0, -89, 20, 160.0, 19892237.593711, true},                               // from the pole
    {-41.3, 174.8, 40.9, -5.7, 151.6318306104, 19949201.423491, true},            // near antipodal
    // Nearly antipodal pairs where Vincenty's iteration fails and the fallback takes over.
    {10, 20, -10, -160.2, 19.6775757697, 20000239.437725, false},
    {0, 0, 0.5, 179.5, 25.6718728683, 19936288.578965, false},
    {0, 0, 0, 180, 0.0, 20003931.458625, false},
    {30, 0, -30.5, 179.7, 164.4913892442, 19944594.731199, false},
    {0, 0, 0, 179.5, 55.9664951402, 19980861.908891, false},
};

struct DirectCase {
    double lat1, lon1, az1, s;
    double lat2, lon2;
};

// Produced with
//   geod +ellps=WGS84 +units=m -f %.12f -F %.6f
// on lines "lat1 lon1 az1 s" (output: lat2 lon2 az2). E.g.
//   echo "35.22 113.24 45 100000" | geod +ellps=WGS84 +units=m -f %.12f -F %.6f
//   -> 35.854793590026  114.022807587252  -134.544993746389
const DirectCase k_direct_cases[] = {
    {35.22, 113.24, 45, 100000, 35.854793590026, 114.022807587252},
    {35.22, 113.24, 200, 5000, 35.177648765924, 113.221226342682},
    {39.9042, 116.4074, -70.1631268435, 2416985.960897, 43.825600000003, 87.616800000004},
    {0, 0, 90, 10018754.171395, 0.0, 90.000000000003},
    {-33.86, 151.21, 120, 12000000, -12.932957859398, -86.696864525007},
    {60, 10, 0, 500000, 64.486348980872, 10.0},
};

double angle_diff_deg(double a, double b) {
    double d = std::fmod(a - b, 360.0);
    if (d > 180) d -= 360;
    if (d < -180) d += 360;
    return std::abs(d);
}


TEST_CASE("geodesic distance agrees with PROJ geod within 1 mm", "[geo][geodesic]") {
    for (const auto& c : k_inverse_cases) {
        const Coord a{c.lon1, c.lat1};
        const Coord b{c.lon2, c.lat2};
        INFO("from (" << c.lat1 << ", " << c.lon1 << ") to (" << c.lat2 << ", " << c.lon2 << ")");
        const double s = geodesic_distance_m(a, b);
        CHECK(std::abs(s - c.s) < 1e-3);
        // Symmetric.
        CHECK(std::abs(geodesic_distance_m(b, a) - c.s) < 1e-3);
        if (c.check_az) CHECK(angle_diff_deg(initial_bearing_deg(a, b), c.az1) < 1e-7);
    }
}

TEST_CASE("nearly antipodal bearings are close to geod's", "[geo][geodesic]") {
    // The fallback finds the crossing point to ~1e-8 rad; the bearing it implies is good to
    // well under a millidegree (the exactly antipodal case is ambiguous and skipped).
    CHECK(angle_diff_deg(initial_bearing_deg({0, 0}, {179.5, 0.5}), 25.6718728683) < 1e-3);
    CHECK(angle_diff_deg(initial_bearing_deg({0, 30}, {179.7, -30.5}), 164.4913892442) < 1e-3);
    CHECK(angle_diff_deg(initial_bearing_deg({20, 10}, {-160.2, -10}), 19.6775757697) < 1e-3);
    const double b = initial_bearing_deg({0, 0}, {179.5, 0});
    CHECK((angle_diff_deg(b, 55.9664951402) < 1e-3 || angle_diff_deg(b, 124.0335048598) < 1e-3));
}

TEST_CASE("geodesic distance edge cases", "[geo][geodesic]") {
    CHECK(geodesic_distance_m({113.24, 35.22}, {113.24, 35.22}) == 0);
    CHECK(geodesic_distance_m({0, 90}, {123, 90}) == Approx(0).margin(1e-6));
    // Longitudes written past the antimeridian mean the same places.
    CHECK(geodesic_distance_m({179.9, 10}, {-179.9, 10}) == Approx(geodesic_distance_m({-0.1, 10}, {0.1, 10})).epsilon(1e-12));
    CHECK(std::isnan(geodesic_distance_m({std::nan(""), 0}, {0, 0})));
    const double b = initial_bearing_deg({0, 0}, {0, -1});
    CHECK(b == Approx(180.0));
    CHECK(initial_bearing_deg({0, 0}, {-1, 0}) == Approx(270.0));
    CHECK(initial_bearing_deg({0, 0}, {0, 0}) == 0.0);
}

TEST_CASE("destination agrees with PROJ geod within 1 mm", "[geo][geodesic]") {
    for (const auto& c : k_direct_cases) {
        INFO("from (" << c.lat1 << ", " << c.lon1 << ") az " << c.az1 << " s " << c.s);
        const Coord p = destination({c.lon1, c.lat1}, c.az1, c.s);
        CHECK(geodesic_distance_m(p, {c.lon2, c.lat2}) < 1e-3);
    }
}

TEST_CASE("destination and distance are consistent", "[geo][geodesic]") {
    Rng rng(7);
    for (int i = 0; i < 2000; ++i) {
        const Coord a{rng.uniform(-180, 180), rng.uniform(-85, 85)};
        const double bearing = rng.uniform(0, 360);
        const double s = rng.uniform(0, 15000000);
        const Coord b = destination(a, bearing, s);
        INFO("a = (" << a.x << ", " << a.y << ") bearing " << bearing << " s " << s);
        CHECK(b.x >= -180);
        CHECK(b.x <= 180);
        // A geodesic stays the shortest path up to its conjugate point; below 15,000 km
        // (well short of the ~19,900 km where that can happen) the two must agree.
        CHECK(std::abs(geodesic_distance_m(a, b) - s) < 1e-3);
        if (s > 1) CHECK(angle_diff_deg(initial_bearing_deg(a, b), bearing) < 1e-6);
    }
}

TEST_CASE("haversine uses the mean radius", "[geo][geodesic]") {
    const double quarter = 6371008.8 * 3.14159265358979323846 / 2;
    CHECK(haversine_m({0, 0}, {90, 0}) == Approx(quarter).epsilon(1e-14));
    CHECK(haversine_m({0, 0}, {0, 90}) == Approx(quarter).epsilon(1e-14));
    CHECK(haversine_m({10, 10}, {10, 10}) == 0);
    // Within 0.5 % of the ellipsoidal distance at mid latitudes.
    const double h = haversine_m({113.24, 35.22}, {113.0, 34.9});
    CHECK(h == Approx(41709.133380).epsilon(5e-3));
}

TEST_CASE("geodesic_lower_bound_m never exceeds the distance to any point of the box", "[geo][geodesic][lower_bound]") {
    Rng rng(0x10b0);
    int checks = 0;
    for (int iter = 0; iter < 1500; ++iter) {
        // Boxes from a few metres to tens of degrees, some touching the poles, some written
        // past the antimeridian (min_x 170, max_x 190).
        const double w = std::pow(10.0, rng.uniform(-4, 1.6));
        const double h = std::pow(10.0, rng.uniform(-4, 1.6));
        const double x0 = rng.uniform(-180, 180);
        const double y0 = rng.uniform(-90, 90 - h);
        BBox box{x0, y0, x0 + w, std::min(90.0, y0 + h)};
        if (iter % 50 == 0) box = BBox{-180, 80, 180, 90};
        const double bw = box.max_x - box.min_x;
        const double bh = box.max_y - box.min_y;

        // Candidate positions: inside, beside each edge, diagonal to each corner, and anywhere.
        const double scale = std::pow(10.0, rng.uniform(-5, 1.5));
        const Coord points[] = {
            {box.min_x + rng.uniform(0, 1) * bw, box.min_y + rng.uniform(0, 1) * bh},
            {box.min_x - scale, box.min_y + rng.uniform(0, 1) * bh},
            {box.max_x + scale, box.min_y + rng.uniform(0, 1) * bh},
            {box.min_x + rng.uniform(0, 1) * bw, std::max(-90.0, box.min_y - scale)},
            {box.min_x + rng.uniform(0, 1) * bw, std::min(90.0, box.max_y + scale)},
            {box.min_x - scale, std::max(-90.0, box.min_y - scale)},
            {box.max_x + scale, std::min(90.0, box.max_y + scale)},
            {box.max_x + scale, std::max(-90.0, box.min_y - scale)},
            {rng.uniform(-180, 180), rng.uniform(-90, 90)},
        };
        for (std::size_t k = 0; k < std::size(points); ++k) {
            const Coord p = points[k];
            const double lb = geodesic_lower_bound_m(p, box);
            REQUIRE(lb >= 0);
            if (k == 0) CHECK(lb == 0);
            // Points of the box: corners, edge points (including the one level with p) and
            // random interior points.
            const double py = std::clamp(p.y, box.min_y, box.max_y);
            const Coord qs[] = {
                {box.min_x, box.min_y},
                {box.max_x, box.min_y},
                {box.min_x, box.max_y},
                {box.max_x, box.max_y},
                {box.min_x, py},
                {box.max_x, py},
                {std::clamp(p.x, box.min_x, box.max_x), box.min_y},
                {std::clamp(p.x, box.min_x, box.max_x), box.max_y},
                {box.min_x + rng.uniform(0, 1) * bw, box.min_y + rng.uniform(0, 1) * bh},
                {box.min_x + rng.uniform(0, 1) * bw, box.min_y + rng.uniform(0, 1) * bh},
            };
            for (const Coord q : qs) {
                const double d = geodesic_distance_m(p, q);
                if (!(lb <= d)) {
                    INFO("p = (" << p.x << ", " << p.y << ") box [" << box.min_x << ", " << box.min_y << ", " << box.max_x << ", "
                                 << box.max_y << "] q = (" << q.x << ", " << q.y << ")");
                    CHECK(lb <= d);
                }
                ++checks;
            }
        }
    }
    CHECK(checks == 1500 * 9 * 10);
}

TEST_CASE("geodesic_lower_bound_m is reasonably tight", "[geo][geodesic][lower_bound]") {
    // The bound is the exact distance on a sphere of radius 6,330,000 m, so it stays within
    // ~1.5 % of the true minimum (the ellipsoid's radii of curvature reach 6,399,594 m).
    Rng rng(0x7157);
    for (int iter = 0; iter < 200; ++iter) {
        const Coord c{rng.uniform(73, 135), rng.uniform(18, 53)};
        const BBox box{c.x, c.y, c.x + rng.uniform(0.001, 0.5), c.y + rng.uniform(0.001, 0.5)};
        const Coord p{box.min_x - rng.uniform(0.001, 2), box.min_y + rng.uniform(-1, 1)};
        double best = 1e300;
        for (int i = 0; i <= 400; ++i) {
            const double t = i / 400.0;
            for (const Coord q :
                 {Coord{box.min_x, box.min_y + t * (box.max_y - box.min_y)}, Coord{box.min_x + t * (box.max_x - box.min_x), box.min_y},
                  Coord{box.min_x + t * (box.max_x - box.min_x), box.max_y}})
                best = std::min(best, geodesic_distance_m(p, q));
        }
        const double lb = geodesic_lower_bound_m(p, box);
        CHECK(lb <= best);
        CHECK(lb >= 0.98 * best);
    }
    CHECK(geodesic_lower_bound_m({113, 35}, BBox{}) == std::numeric_limits<double>::infinity());
}

TEST_CASE("bbox_around contains every point within the radius", "[geo][geodesic][bbox_around]") {
    Rng rng(0xb0c5);
    for (int iter = 0; iter < 3000; ++iter) {
        Coord centre{rng.uniform(-180, 180), rng.uniform(-89.9, 89.9)};
        if (iter % 10 == 0) centre.x = rng.uniform(179, 180);  // near the antimeridian
        if (iter % 10 == 1) centre.y = rng.uniform(88, 89.99); // near a pole
        const double radius = std::pow(10.0, rng.uniform(0, 6.5));
        const BBox box = bbox_around(centre, radius);
        CHECK(box.min_x >= -180);
        CHECK(box.max_x <= 180);
        CHECK(box.min_y >= -90);
        CHECK(box.max_y <= 90);
        for (int k = 0; k < 10; ++k) {
            const double bearing = rng.uniform(0, 360);
            const double s = k == 0 ? radius : radius * rng.uniform(0, 1);
            const Coord q = destination(centre, bearing, s);
            if (!box.contains(q)) {
                INFO("centre (" << centre.x << ", " << centre.y << ") radius " << radius << " q (" << q.x << ", " << q.y << ")");
                CHECK(box.contains(q));
            }
        }
    }
}

TEST_CASE("bbox_around is not much larger than needed at mid latitudes", "[geo][geodesic][bbox_around]") {
    const BBox box = bbox_around({113.24, 35.22}, 10000);
    const double north = geodesic_distance_m({113.24, 35.22}, {113.24, box.max_y});
    const double east = geodesic_distance_m({113.24, 35.22}, {box.max_x, 35.22});
    CHECK(north > 10000);
    CHECK(north < 10200);
    CHECK(east > 10000);
    CHECK(east < 10200);
    // Across the antimeridian a BBox cannot wrap: all longitudes.
    const BBox wrap = bbox_around({179.99, 0}, 5000);
    CHECK(wrap.min_x == -180);
    CHECK(wrap.max_x == 180);
    // Around a pole: all longitudes, clamped latitude.
    const BBox pole = bbox_around({10, 89.99}, 5000);
    CHECK(pole.min_x == -180);
    CHECK(pole.max_x == 180);
    CHECK(pole.max_y == 90);
}

} // namespace test_geodesic_cases

// The speed rule: a road's posted limit (speed_kmh, 限速, maxspeed) lowers its class speed and
// never raises it. Checked against ETAs computed by hand on an ASCII map: segment lengths from
// the textbook WGS84 formulas (not the library's geodesic), times = length / speed.
//
// Before this rule a posted limit replaced the class speed: the demo's 120/80/70/60 km/h limits
// on roads whose classes average 80/60/55/45 km/h for a fire engine made ETAs 10-26 % optimistic.

#include "ascii_map.hpp"

#include <vigil/routing/isochrone.hpp>
#include <vigil/routing/one_to_many.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace vigil;
using routing::RoadGraph;
using routing::Router;
using routing::SpeedProfile;

namespace test_speed_profile_cases {

// WGS84 (NIMA TR8350.2): a = 6378137 m, f = 1/298.257223563.
constexpr double k_a = 6378137.0, k_f = 1 / 298.257223563, k_e2 = k_f * (2 - k_f);
constexpr double k_rad = 3.14159265358979323846 / 180;

// Length of an arc of the parallel at latitude `lat` spanning `dlon` degrees:
// N(lat) cos(lat) dlon with N = a / sqrt(1 - e^2 sin^2 lat) (Snyder, Map Projections -- A Working
// Manual, USGS PP 1395, eq. 4-20). Over 100 m the geodesic is shorter by far under a micrometre.
double parallel_m(double lat, double dlon) {
    const double s = std::sin(lat * k_rad);
    return k_a / std::sqrt(1 - k_e2 * s * s) * std::cos(lat * k_rad) * dlon * k_rad;
}

// Length of a meridian arc of `dlat` degrees around latitude `lat`: M(lat) dlat with
// M = a (1 - e^2) / (1 - e^2 sin^2 lat)^1.5 (Snyder eq. 4-18); M varies by 1e-8 over 0.001 deg.
double meridian_m(double lat, double dlat) {
    const double s = std::sin(lat * k_rad);
    return k_a * (1 - k_e2) / std::pow(1 - k_e2 * s * s, 1.5) * dlat * k_rad;
}


TEST_CASE("road_kmh: a posted limit lowers the class speed, never raises it", "[routing][speeds]") {
    const auto p = SpeedProfile::defaults();
    // The demo's limits on its classes: each used to replace the class speed.
    CHECK(p.road_kmh("expressway", 120) == 80); // was 120
    CHECK(p.road_kmh("national", 80) == 60);    // was 80
    CHECK(p.road_kmh("provincial", 70) == 55);  // was 70
    CHECK(p.road_kmh("county", 60) == 45);      // was 60
    // A lower limit is what a vehicle may not exceed: it wins.
    CHECK(p.road_kmh("expressway", 40) == 40);
    CHECK(p.road_kmh("urban", 20) == 20);
    // No limit, or an unreadable one: the class speed. An unknown class is the default speed,
    // which a higher posted limit does not raise either.
    CHECK(p.road_kmh("national", 0) == 60);
    CHECK(p.road_kmh("national", -5) == 60);
    CHECK(p.road_kmh("national", std::numeric_limits<double>::quiet_NaN()) == 60);
    CHECK(p.road_kmh("no_such_class", 100) == p.default_kmh);
}

TEST_CASE("a 120 km/h limit on a national road no longer makes its team first", "[routing][speeds][scenario]") {
    // T and U are teams, X the incident, each one row (0.0009 deg) north of the road. West of X
    // an urban street (30 km/h, no limit); east of X a national road (class 60 km/h) posted at
    // 120 km/h.
    auto m = test::parse_ascii_map({
        "T    X            U",
        "+----+------------+",
    });
    for (auto& line : m.lines)
        if (line.points[0].x >= m.points['X'].x - 1e-9 && line.points[1].x >= m.points['X'].x - 1e-9) {
            line.road_class = "national";
            line.speed_kmh = 120;
        }
    const auto g = RoadGraph::build(m.lines, SpeedProfile::defaults());
    Router router(g);
    const std::vector<geo::Coord> teams = {m.points['T'], m.points['U']};
    const auto t = router.to_incident(m.points['X'], teams);
    REQUIRE(t[0].reachable);
    REQUIRE(t[1].reachable);

    // By hand: a cell is 0.0011 deg of longitude along the parallel at 35 N; the access legs are
    // 0.0009 deg of latitude at 34.9995 N, one from the team, one to the incident, at 15 km/h.
    const double cell = parallel_m(34.9991, 0.0011);
    const double access_s = 2 * meridian_m(34.99955, 0.0009) / (15 / 3.6);
    const double t_ref = 5 * cell / (30 / 3.6) + access_s;  // 60.1 s of road + 48.0 s of access
    const double u_ref = 13 * cell / (60 / 3.6) + access_s; // 78.2 s of road + 48.0 s of access
    CHECK(t[0].travel_s == Approx(t_ref).epsilon(1e-4));
    CHECK(t[1].travel_s == Approx(u_ref).epsilon(1e-4));
    // The old rule drove U's 13 cells at 120 km/h: 39.1 + 48.0 = 87.1 s, first ahead of T's
    // 108.1 s. Now U needs 126.2 s and T is first.
    const double u_old = 13 * cell / (120 / 3.6) + access_s;
    CHECK(u_old == Approx(87.1).margin(0.1));
    CHECK(t[1].travel_s > u_old + 39);
    const std::vector<double> no_turnout = {0, 0};
    const auto ranked = routing::rank_by_eta(t, no_turnout);
    CHECK(ranked[0].index == 0);
    CHECK(ranked[1].index == 1);

    // A limit below the class speed still counts: posted 40 km/h, U's road is 40 km/h.
    for (auto& line : m.lines)
        if (line.road_class == "national") line.speed_kmh = 40;
    const auto slow = RoadGraph::build(m.lines, SpeedProfile::defaults());
    Router slow_router(slow);
    const auto ts = slow_router.to_incident(m.points['X'], teams);
    CHECK(ts[1].travel_s == Approx(13 * cell / (40 / 3.6) + access_s).epsilon(1e-4));
}

TEST_CASE("isochrones use the same rule: the 120 km/h road does not stretch the 1-minute band", "[routing][speeds][scenario]") {
    // From S east along a national road (class 60 km/h) posted at 120. At 60 km/h a minute covers
    // 1000 m: 9 cells of ~100.2 m are within it, the 10th node (1002 m) is not. At 120 km/h all
    // 18 cells (1804 m) of the road were.
    auto m = test::parse_ascii_map({"S-------------------"}, "national");
    for (auto& line : m.lines) line.speed_kmh = 120;
    const auto g = RoadGraph::build(m.lines, SpeedProfile::defaults());
    Router router(g);
    const geo::Coord start[] = {test::ascii_cell(0, 1)}; // on the road's first node: no access leg
    const auto times = router.node_times(start, 60, routing::TravelDirection::from_points);
    std::size_t within = 0;
    for (double s : times.time_s) within += s <= 60 ? 1 : 0;
    const double cell = parallel_m(35.0, 0.0011);
    REQUIRE(9 * cell < 1000);
    REQUIRE(10 * cell > 1000);
    CHECK(within == 10); // the start node and 9 more (was 19: the whole road)
}

} // namespace test_speed_profile_cases

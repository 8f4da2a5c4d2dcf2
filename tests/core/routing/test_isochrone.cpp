// Isochrone polygons: they follow the reachable roads (a river crossed by one far bridge keeps
// the near part of the far bank outside), nest by limit, are closed and oriented, and refuse
// bad limits.

#include "ascii_map.hpp"

#include <vigil/routing/isochrone.hpp>
#include <vigil/routing/one_to_many.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace vigil;
using routing::RoadGraph;
using routing::Router;
using routing::TravelDirection;

namespace test_isochrone_cases {

// A river two cells wide; the only bridge is column 29, 2.6 km east of the incident I.
test::AsciiMap river() {
    return test::parse_ascii_map({
        "+----------------------------+",
        "|                            |",
        "|  N          M              |",
        "+----------------------------+",
        "~~~~~~~~~~~~~~~~~~~~~~~~~~~~~|",
        "~~~~~~~~~~~~~~~~~~~~~~~~~~~~~|",
        "+----------------------------+",
        "|  I                         |",
        "|  S                         |",
        "+----------------------------+",
    });
}

double ring_area2(std::span<const geo::Coord> ring) {
    double a = 0;
    for (std::size_t i = 1; i < ring.size(); ++i) a += ring[i - 1].x * ring[i].y - ring[i].x * ring[i - 1].y;
    return a;
}


TEST_CASE("isochrone polygons follow the roads: the far bank near the river is outside", "[routing][isochrone][polygon]") {
    const auto m = river();
    RoadGraph g = RoadGraph::build(m.lines, routing::SpeedProfile::defaults());
    g.build_hierarchy();
    Router r(g);
    const geo::Coord at[1] = {m.points.at('I')};
    // From the incident outward ("how far does a team starting at I get"), urban roads at 30 km/h:
    // 5 min = 2.5 km of road. The north bank at N is ~400 m away as the crow flies but
    // ~6 km by road (over the bridge at column 29).
    const auto times = r.node_times(at, 1800, TravelDirection::from_points);
    const double limits[] = {300, 600, 1800};
    const auto bands = routing::isochrone_polygons(g, times, limits);
    REQUIRE(bands.size() == 3);
    for (const auto& b : bands) {
        INFO("limit " << b.limit_s);
        REQUIRE(b.area.type == geo::GeometryType::MultiPolygon);
        REQUIRE(geo::is_well_formed(b.area));
        for (std::size_t i = 0; i < b.area.ring_count(); ++i) {
            const auto ring = b.area.ring(i);
            REQUIRE(ring.size() >= 4);
            CHECK(ring.front() == ring.back());
        }
        // The incident's road and the road next to it are inside every band.
        CHECK(geo::contains(b.area, test::ascii_cell(6, 3)));
        CHECK(geo::contains(b.area, test::ascii_cell(9, 5)));
    }
    const auto& five = bands[0].area;
    // 5 min: the north bank opposite the incident, and the river between, are outside.
    CHECK_FALSE(geo::contains(five, test::ascii_cell(3, 3)));
    CHECK_FALSE(geo::contains(five, test::ascii_cell(3, 13)));
    CHECK_FALSE(geo::contains(five, test::ascii_cell(5, 3)));
    // ...so is the far east end of the south bank (2.9 km away)...
    CHECK_FALSE(geo::contains(five, test::ascii_cell(6, 29)));
    // ...but 2 km east along the south bank road is inside.
    CHECK(geo::contains(five, test::ascii_cell(6, 20)));
    // Land between roads (the middle of a block) is not a road: outside.
    CHECK_FALSE(geo::contains(five, test::ascii_cell(1, 10)));
    // 30 min reaches the whole north bank over the bridge; still not the river itself.
    const auto& thirty = bands[2].area;
    CHECK(geo::contains(thirty, test::ascii_cell(3, 3)));
    CHECK(geo::contains(thirty, test::ascii_cell(0, 10)));
    CHECK_FALSE(geo::contains(thirty, test::ascii_cell(5, 10)));
    // Outer rings counter-clockwise; the block interiors surrounded by roads are holes (clockwise).
    int outer = 0, holes = 0;
    for (std::size_t i = 0; i < thirty.ring_count(); ++i) (ring_area2(thirty.ring(i)) > 0 ? outer : holes)++;
    CHECK(outer >= 1);
    CHECK(holes >= 1);
    // Bands nest: on a fine sample of the map, whatever 5 min covers, 10 and 30 min cover.
    int inside5 = 0;
    for (double row = 0; row <= 9; row += 0.25)
        for (double col = 0; col <= 29; col += 0.25) {
            const geo::Coord p{113.0 + 0.0011 * col, 35.0 - 0.0009 * row};
            if (!geo::contains(five, p)) continue;
            ++inside5;
            CHECK(geo::contains(bands[1].area, p));
            CHECK(geo::contains(thirty, p));
        }
    CHECK(inside5 > 50);
    CHECK(geo::contains(bands[1].area, test::ascii_cell(6, 20)));
}

TEST_CASE("isochrone polygons: towards the point follows one-way streets the other way", "[routing][isochrone][polygon]") {
    // A one-way street running east from I: teams east of I cannot drive west to it along it.
    const auto m = test::parse_ascii_map({
        "+-----------------------------+",
        "|                             |",
        "+>>>>>>>>>>>>>>>>>>>>>>>>>>>>>+",
        "   I                           ",
    });
    RoadGraph g = RoadGraph::build(m.lines, routing::SpeedProfile::defaults());
    Router r(g); // no hierarchy: the bounded Dijkstra
    const geo::Coord at[1] = {test::ascii_cell(2, 3)};
    const double limits[] = {120};
    // From the point: 2 minutes at 30 km/h is 1 km east along the one-way street.
    auto from = routing::isochrone_polygons(g, r.node_times(at, 120, TravelDirection::from_points), limits);
    CHECK(geo::contains(from[0].area, test::ascii_cell(2, 10)));
    // Towards the point: nobody east of it can come west along the one-way street in 2 minutes
    // (they go round by the north road, 6+ cells of detour).
    auto to = routing::isochrone_polygons(g, r.node_times(at, 120, TravelDirection::to_points), limits);
    CHECK_FALSE(geo::contains(to[0].area, test::ascii_cell(2, 10)));
}

TEST_CASE("isochrone polygons: bad input", "[routing][isochrone]") {
    const auto m = river();
    RoadGraph g = RoadGraph::build(m.lines, routing::SpeedProfile::defaults());
    Router r(g);
    const geo::Coord at[1] = {m.points.at('I')};
    const auto times = r.node_times(at, 600, TravelDirection::to_points);
    const double beyond[] = {900};
    CHECK_THROWS_AS(routing::isochrone_polygons(g, times, beyond), UsageError);
    const double zero[] = {0};
    CHECK_THROWS_AS(routing::isochrone_polygons(g, times, zero), UsageError);
    const double nan[] = {std::nan("")};
    CHECK_THROWS_AS(routing::isochrone_polygons(g, times, nan), UsageError);
    routing::IsochronePolygonOptions o;
    o.buffer_m = 0;
    const double ok[] = {300};
    CHECK_THROWS_AS(routing::isochrone_polygons(g, times, ok, o), UsageError);
    // Nothing reached: empty bands, not an error.
    const geo::Coord far[1] = {{100.0, 20.0}};
    const auto none = routing::isochrone_polygons(g, r.node_times(far, 600, TravelDirection::to_points), ok);
    REQUIRE(none.size() == 1);
    CHECK(none[0].area.is_empty());
}

} // namespace test_isochrone_cases

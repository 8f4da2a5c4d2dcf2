// One-to-many travel times: scenarios drawn as road maps (a river with one bridge, one-way
// streets, an island, turnout changing the order, a snap onto the middle of a segment) and
// random graphs checked against a brute-force Bellman-Ford.

#include "ascii_map.hpp"

#include <vigil/geo/geodesic.hpp>
#include <vigil/routing/one_to_many.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

using namespace vigil;
using routing::RoadGraph;
using routing::Router;
using routing::SpeedProfile;

namespace test_one_to_many_cases {

RoadGraph graph_of(const test::AsciiMap& m) { return RoadGraph::build(m.lines, SpeedProfile::defaults()); }

using test::polyline_m;


TEST_CASE("river with one bridge: the nearest team as the crow flies is not the nearest by road", "[routing][scenario]") {
    auto m = test::parse_ascii_map({
        "+------------------+",
        "|                  |",
        "|  A               |",
        "+------------------+",
        "~~~~~~~~~~~~~~~~~~~|",
        "~~~~~~~~~~~~~~~~~~~|",
        "+------------------+",
        "|  I               |",
        "|                  |",
        "|                  |",
        "|                  |",
        "|                  |",
        "|                  |",
        "|                  |",
        "|                  |",
        "|  B               |",
        "+------------------+",
    });
    auto g = graph_of(m);
    Router router(g);
    const geo::Coord incident = m.points['I'];
    std::vector<geo::Coord> teams = {m.points['A'], m.points['B']};
    REQUIRE(geo::geodesic_distance_m(incident, teams[0]) < geo::geodesic_distance_m(incident, teams[1]));

    auto t = router.to_incident(incident, teams);
    REQUIRE(t[0].reachable);
    REQUIRE(t[1].reachable);
    CHECK(t[1].travel_s < t[0].travel_s);
    // A drives 16 cells east along its bank, 3 over the bridge and 16 back west, plus both
    // access legs of ~100 m: ~3.7 km.
    CHECK(t[0].road_distance_m == Approx(3700).epsilon(0.03));
    // B goes 3 cells west, 10 north and 3 east (plus the access legs): ~1.8 km.
    CHECK(t[1].road_distance_m == Approx(1800).epsilon(0.03));
    // At 30 km/h on urban streets, 15 km/h on the access legs.
    CHECK(t[0].travel_s == Approx((t[0].road_distance_m - t[0].access_m) / (30 / 3.6) + t[0].access_m / (15 / 3.6)).epsilon(1e-5));

    // A's route crosses the river on the bridge (column 19), starts at A and ends at I.
    auto route = router.route(0);
    REQUIRE(route.size() >= 4);
    CHECK(route.front() == teams[0]);
    CHECK(route.back() == incident);
    bool on_bridge = false;
    for (const auto& p : route) on_bridge |= p == test::ascii_cell(4, 19);
    CHECK(on_bridge);
    CHECK(polyline_m(route) == Approx(t[0].road_distance_m).epsilon(1e-4));
}

TEST_CASE("one-way streets: a loop is short one way round and long the other", "[routing][scenario]") {
    // Clockwise loop: east along the top, south on the right, west along the bottom, north on the left.
    auto m = test::parse_ascii_map({
        "+>>>>>>>>>>+",
        "^ P        v",
        "^          v",
        "^ Q        v",
        "+<<<<<<<<<<+",
    });
    auto g = graph_of(m);
    Router router(g);
    const geo::Coord top = test::ascii_cell(0, 2), bottom = test::ascii_cell(4, 2);
    // From the bottom street to the top one: 2 cells west, 4 north, 2 east: ~0.8 km.
    auto up = router.to_incident(top, std::vector<geo::Coord>{bottom});
    // From the top to the bottom: 9 cells east, 4 south, 9 west: ~2.2 km.
    auto down = router.to_incident(bottom, std::vector<geo::Coord>{top});
    REQUIRE(up[0].reachable);
    REQUIRE(down[0].reachable);
    CHECK(up[0].road_distance_m == Approx(800).epsilon(0.02));
    CHECK(down[0].road_distance_m == Approx(2200).epsilon(0.02));
    CHECK(down[0].travel_s > 2.5 * up[0].travel_s);

    // On one street, a team behind the incident drives straight to it; a team ahead goes round.
    const geo::Coord ahead = test::ascii_cell(0, 8), behind = test::ascii_cell(0, 1), mid = test::ascii_cell(0, 5);
    auto t = router.to_incident(mid, std::vector<geo::Coord>{behind, ahead});
    REQUIRE(t[0].reachable);
    REQUIRE(t[1].reachable);
    CHECK(t[0].road_distance_m == Approx(400).epsilon(0.02));
    CHECK(t[1].road_distance_m == Approx(2700).epsilon(0.02)); // 3 east, 4 south, 11 west, 4 north, 5 east
    auto r = router.route(1);
    CHECK(r.front() == ahead);
    CHECK(r.back() == mid);
    CHECK(polyline_m(r) == Approx(t[1].road_distance_m).epsilon(1e-4));
}

TEST_CASE("an island without a bridge is unreachable, and so is a point far from any road", "[routing][scenario]") {
    auto m = test::parse_ascii_map({
        "+-------+  ~~~~~~~~~~  +----+",
        "|   I   |  ~~~~~~~~~~  | C  |",
        "+-------+  ~~~~~~~~~~  +----+",
        "   A                         ",
    });
    auto g = graph_of(m);
    Router router(g);
    std::vector<geo::Coord> teams = {m.points['A'], m.points['C'], {114.0, 36.0}};
    auto t = router.to_incident(m.points['I'], teams);
    CHECK(t[0].reachable);
    CHECK_FALSE(t[1].reachable);
    CHECK(std::isinf(t[1].travel_s));
    CHECK(router.route(1).empty());
    CHECK_FALSE(t[2].reachable); // ~140 km from the nearest road: off the network
    // The incident itself off the network: nobody reaches it, nothing throws.
    auto off = router.to_incident({114.0, 36.0}, teams);
    for (const auto& o : off) CHECK_FALSE(o.reachable);
    // An empty graph answers the same way.
    RoadGraph empty;
    Router none(empty);
    CHECK_FALSE(none.to_incident(m.points['I'], teams)[0].reachable);
    // Unreachable teams rank last, in their given order.
    auto ranked = routing::rank_by_eta(t, std::vector<double>{0, 0, 0});
    CHECK(ranked[0].index == 0);
    CHECK(ranked[1].index == 1);
    CHECK(ranked[2].index == 2);
    CHECK(std::isinf(ranked[2].eta_s));
}

TEST_CASE("turnout time changes the order", "[routing][scenario]") {
    auto m = test::parse_ascii_map({
        "+--------------------------+",
        "|    A   I          B      |",
        "+--------------------------+",
    });
    auto g = graph_of(m);
    Router router(g);
    auto t = router.to_incident(m.points['I'], std::vector<geo::Coord>{m.points['A'], m.points['B']});
    REQUIRE(t[0].reachable);
    REQUIRE(t[1].reachable);
    REQUIRE(t[0].travel_s < t[1].travel_s);
    // A is ~1.6 minutes away (400 m of street, 200 m of access legs) but needs 5 minutes to
    // turn out; B is ~3 minutes away and leaves at once.
    auto ranked = routing::rank_by_eta(t, std::vector<double>{300, 0});
    CHECK(ranked[0].index == 1);
    CHECK(ranked[0].eta_s == Approx(t[1].travel_s));
    CHECK(ranked[1].index == 0);
    CHECK(ranked[1].eta_s == Approx(300 + t[0].travel_s));
    auto same = routing::rank_by_eta(t, std::vector<double>{0, 0});
    CHECK(same[0].index == 0);
    CHECK_THROWS_AS(routing::rank_by_eta(t, std::vector<double>{0}), UsageError);
}

TEST_CASE("snapping onto the middle of a segment splits it", "[routing][scenario]") {
    // One straight 2 km road; the incident beside its middle, a team beside one end.
    std::vector<routing::RoadLine> lines(1);
    lines[0].points = {{113.0, 35.0}, {113.022, 35.0}};
    lines[0].road_class = "national";
    auto g = RoadGraph::build(lines, SpeedProfile::defaults());
    Router router(g);
    const geo::Coord incident{113.011, 35.0005}, team{113.0, 34.9995};
    auto t = router.to_incident(incident, std::vector<geo::Coord>{team});
    REQUIRE(t[0].reachable);
    const double half = geo::geodesic_distance_m({113.0, 35.0}, {113.022, 35.0}) / 2;
    const double access = geo::geodesic_distance_m(incident, {113.011, 35.0}) + geo::geodesic_distance_m(team, {113.0, 35.0});
    CHECK(t[0].access_m == Approx(access).epsilon(1e-6));
    CHECK(t[0].road_distance_m == Approx(half + access).epsilon(1e-6));
    CHECK(t[0].travel_s == Approx(half / (60 / 3.6) + access / (15 / 3.6)).epsilon(1e-6));
    auto r = router.route(0);
    REQUIRE(r.size() == 4); // team, its snap (the end node), the incident's snap, the incident
    CHECK(r[2].x == Approx(113.011).margin(1e-9));
    CHECK(r[2].y == Approx(35.0).margin(1e-9));
    // Two teams on the same segment either side of the incident drive straight along it.
    auto both = router.to_incident(incident, std::vector<geo::Coord>{{113.005, 35.0}, {113.02, 35.0}});
    CHECK(both[0].road_distance_m ==
          Approx(geo::geodesic_distance_m({113.005, 35.0}, {113.011, 35.0}) + geo::geodesic_distance_m(incident, {113.011, 35.0}))
              .epsilon(1e-6));
    CHECK(polyline_m(router.route(0)) == Approx(both[0].road_distance_m).epsilon(1e-6));
    CHECK(both[1].road_distance_m ==
          Approx(geo::geodesic_distance_m({113.02, 35.0}, {113.011, 35.0}) + geo::geodesic_distance_m(incident, {113.011, 35.0}))
              .epsilon(1e-6));
}

TEST_CASE("the search stops once every team is settled", "[routing]") {
    std::vector<std::string> rows;
    for (int r = 0; r < 41; ++r) rows.push_back(r % 2 == 0 ? std::string(81, '+') : std::string());
    for (int r = 1; r < 41; r += 2)
        for (int c = 0; c < 81; ++c) rows[r] += '|';
    auto g = graph_of(test::parse_ascii_map(rows));
    REQUIRE(g.node_count() == 41 * 81);
    Router router(g);
    auto t = router.to_incident(test::ascii_cell(20, 40), std::vector<geo::Coord>{test::ascii_cell(20, 42)});
    REQUIRE(t[0].reachable);
    CHECK(router.settled_count() < g.node_count() / 20);
}

TEST_CASE("travel times equal a brute-force Bellman-Ford on random graphs", "[routing][random]") {
    for (std::uint32_t seed : {1u, 2u, 3u, 42u, 2026u}) {
        INFO("seed " << seed);
        std::mt19937 rng(seed);
        std::uniform_real_distribution<double> coord(0, 0.05);
        std::uniform_int_distribution<int> pick_class(0, 6);
        const char* classes[] = {"expressway", "national", "provincial", "county", "township", "urban", "other"};
        const int n = 60;
        std::vector<geo::Coord> pts(n);
        for (auto& p : pts) p = {113.0 + coord(rng), 35.0 + coord(rng)};
        std::uniform_int_distribution<int> pick(0, n - 1);
        std::vector<routing::RoadLine> lines;
        for (int e = 0; e < 150; ++e) {
            routing::RoadLine l;
            l.points = {pts[static_cast<std::size_t>(pick(rng))], pts[static_cast<std::size_t>(pick(rng))]};
            l.road_class = classes[pick_class(rng)];
            l.oneway = rng() % 3 == 0;
            lines.push_back(std::move(l));
        }
        auto g = RoadGraph::build(lines, SpeedProfile::defaults());
        Router router(g);
        // Brute force over the graph's own arcs: best[v] = time from v to the target node.
        for (int q = 0; q < 5; ++q) {
            const std::uint32_t target = static_cast<std::uint32_t>(pick(rng)) % static_cast<std::uint32_t>(g.node_count());
            std::vector<double> best(g.node_count(), std::numeric_limits<double>::infinity());
            best[target] = 0;
            for (std::size_t round = 0; round < g.node_count(); ++round)
                for (std::uint32_t v = 0; v < g.node_count(); ++v)
                    for (const auto& arc : g.out_arcs(v)) best[v] = std::min(best[v], g.time_s(arc.segment) + best[arc.node]);
            std::vector<geo::Coord> teams;
            for (std::uint32_t v = 0; v < g.node_count(); ++v) teams.push_back(g.node(v));
            auto t = router.to_incident(g.node(target), teams);
            for (std::uint32_t v = 0; v < g.node_count(); ++v) {
                INFO("node " << v << " to " << target);
                CHECK(t[v].reachable == std::isfinite(best[v]));
                if (std::isfinite(best[v])) {
                    CHECK(t[v].travel_s == Approx(best[v]).epsilon(1e-9).margin(1e-6));
                    CHECK(t[v].access_m == 0);
                    auto r = router.route(v);
                    REQUIRE_FALSE(r.empty());
                    CHECK(r.front() == g.node(v));
                    CHECK(r.back() == g.node(target));
                    CHECK(polyline_m(r) == Approx(t[v].road_distance_m).epsilon(1e-5).margin(1e-3));
                }
            }
        }
    }
}

TEST_CASE("a router's snap cache answers as a fresh router, whatever --max-snap each query has", "[routing]") {
    // One road along y = 35.0; the team stands ~555 m north of it, the incident on it.
    std::vector<routing::RoadLine> lines{{{{113.0, 35.0}, {113.02, 35.0}}, "county", false, 0}};
    const RoadGraph g = RoadGraph::build(lines, SpeedProfile::defaults());
    const geo::Coord incident{113.001, 35.0};
    const std::vector<geo::Coord> team{{113.015, 35.005}};
    Router cached(g);
    routing::SearchOptions wide, narrow;
    wide.max_snap_m = 1000;
    narrow.max_snap_m = 300;
    for (int round = 0; round < 2; ++round) { // the second round answers from the cache
        auto a = cached.to_incident(incident, team, wide);
        auto b = cached.to_incident(incident, team, narrow);
        Router fresh_wide(g), fresh_narrow(g);
        auto fa = fresh_wide.to_incident(incident, team, wide);
        auto fb = fresh_narrow.to_incident(incident, team, narrow);
        REQUIRE(a[0].reachable);
        CHECK_FALSE(b[0].reachable);
        CHECK(a[0].travel_s == fa[0].travel_s);
        CHECK(a[0].access_m == fa[0].access_m);
        CHECK(b[0].reachable == fb[0].reachable);
    }
}

} // namespace test_one_to_many_cases

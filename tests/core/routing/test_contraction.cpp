// Contraction hierarchies and PHAST: travel times, routes and node times equal to a brute-force
// Bellman-Ford on random graphs (one-way arcs, disconnected parts, parallel and zero-time
// edges); road closures; the byte buffer round trip and refusal of damaged buffers.

#include "ascii_map.hpp"

#include <vigil/geo/geodesic.hpp>
#include <vigil/routing/contraction.hpp>
#include <vigil/routing/one_to_many.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

using namespace vigil;
using routing::RoadGraph;
using routing::Router;
using routing::TravelDirection;

namespace test_contraction_cases {

constexpr double k_inf = std::numeric_limits<double>::infinity();

// A random network: two separate clusters of nodes (no edge between them), random edges with
// ~20 % one-way, ~5 % parallel duplicates (slower or faster) and ~5 % zero-time edges.
RoadGraph random_graph(std::uint32_t seed, std::uint32_t nodes, std::uint32_t edges) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u01(0, 1);
    std::vector<geo::Coord> pts(nodes);
    for (std::uint32_t i = 0; i < nodes; ++i) {
        const double base = i < nodes / 2 ? 113.0 : 113.5; // cluster 2 half a degree east
        pts[i] = {base + 0.1 * u01(rng), 35.0 + 0.1 * u01(rng)};
    }
    std::vector<routing::EdgeInput> es;
    auto pick = [&](std::uint32_t cluster) {
        const std::uint32_t half = nodes / 2;
        return cluster == 0 ? static_cast<std::uint32_t>(rng() % half) : half + static_cast<std::uint32_t>(rng() % (nodes - half));
    };
    for (std::uint32_t i = 0; i < edges; ++i) {
        const std::uint32_t cluster = rng() % 2;
        routing::EdgeInput e;
        e.a = pick(cluster);
        e.b = pick(cluster);
        // The straight length, so a route's polyline measures its road_distance_m; times vary.
        e.length_m = geo::geodesic_distance_m(pts[e.a], pts[e.b]);
        e.time_s = u01(rng) < 0.05 ? 0.0 : e.length_m * (1 + u01(rng)) / (5 + 25 * u01(rng));
        e.oneway = u01(rng) < 0.2;
        es.push_back(e);
        if (u01(rng) < 0.05) { // a parallel edge
            routing::EdgeInput p = e;
            p.time_s = e.time_s * (0.5 + u01(rng));
            es.push_back(p);
        }
    }
    return RoadGraph::from_edges(std::move(pts), es);
}

// A node with at least one segment (a point on an isolated node would snap onto another road).
std::uint32_t connected_node(const RoadGraph& g, std::uint32_t n) {
    std::vector<bool> used(g.node_count(), false);
    for (std::uint32_t s = 0; s < g.segment_count(); ++s) used[g.segment(s).a] = used[g.segment(s).b] = true;
    while (!used[n % g.node_count()]) ++n;
    return n % static_cast<std::uint32_t>(g.node_count());
}

// Times from every node to `target` (to = true) or from `target` (to = false): Bellman-Ford over
// the segments, the brute force the searches must match.
std::vector<double> brute_force(const RoadGraph& g, std::uint32_t target, bool to) {
    std::vector<double> d(g.node_count(), k_inf);
    d[target] = 0;
    for (bool changed = true; changed;) {
        changed = false;
        for (std::uint32_t s = 0; s < g.segment_count(); ++s) {
            const auto& seg = g.segment(s);
            auto relax = [&](std::uint32_t from, std::uint32_t into) { // arc from -> into
                const std::uint32_t known = to ? into : from, other = to ? from : into;
                if (d[known] + seg.time_s < d[other]) {
                    d[other] = d[known] + seg.time_s;
                    changed = true;
                }
            };
            if (seg.forward) relax(seg.a, seg.b);
            if (seg.backward) relax(seg.b, seg.a);
        }
    }
    return d;
}

using test::polyline_m;


TEST_CASE("contraction hierarchy: PHAST times equal Bellman-Ford on random graphs", "[routing][ch]") {
    for (std::uint32_t seed = 1; seed <= 12; ++seed) {
        INFO("seed " << seed);
        RoadGraph g = random_graph(seed, 150, 330);
        g.build_hierarchy();
        REQUIRE(g.hierarchy() != nullptr);
        REQUIRE(g.hierarchy()->node_count() == g.node_count());
        Router ch(g), plain(g);
        routing::SearchOptions no_ch;
        no_ch.use_hierarchy = false;
        std::mt19937 rng(seed * 7919);
        for (int q = 0; q < 4; ++q) {
            const auto target = connected_node(g, static_cast<std::uint32_t>(rng() % g.node_count()));
            const auto bf = brute_force(g, target, true);
            // Teams on nodes (they snap onto a segment at fraction 0 or 1, no access leg).
            std::vector<geo::Coord> teams;
            std::vector<std::uint32_t> team_nodes;
            for (int t = 0; t < 25; ++t) {
                team_nodes.push_back(connected_node(g, static_cast<std::uint32_t>(rng() % g.node_count())));
                teams.push_back(g.node(team_nodes.back()));
            }
            const auto a = ch.to_incident(g.node(target), teams);
            REQUIRE(ch.used_hierarchy());
            const auto b = plain.to_incident(g.node(target), teams, no_ch);
            REQUIRE_FALSE(plain.used_hierarchy());
            for (std::size_t t = 0; t < teams.size(); ++t) {
                INFO("team node " << team_nodes[t] << " to " << target);
                REQUIRE(a[t].reachable == std::isfinite(bf[team_nodes[t]]));
                REQUIRE(b[t].reachable == a[t].reachable);
                if (!a[t].reachable) continue;
                CHECK(a[t].travel_s == Approx(bf[team_nodes[t]]).margin(1e-6));
                CHECK(b[t].travel_s == Approx(bf[team_nodes[t]]).margin(1e-6));
                // The unpacked route is as long as the distance reported, and drives in time.
                const auto route = ch.route(t);
                REQUIRE(route.size() >= 1);
                CHECK(route.front() == teams[t]);
                CHECK(route.back() == g.node(target));
                CHECK(polyline_m(route) == Approx(a[t].road_distance_m).epsilon(1e-3).margin(1e-3));
            }
        }
    }
}

TEST_CASE("RPHAST: a few teams sweep only their slots, with times, routes and cached selections exact", "[routing][ch]") {
    // Larger graphs and few teams, so that the selection is a small part of the graph (the
    // test checks that it was), one router for every query: the selection cache must follow the
    // team set and the direction, and full sweeps (node_times) in between must not disturb it.
    for (std::uint32_t seed = 21; seed <= 22; ++seed) {
        INFO("seed " << seed);
        RoadGraph g = random_graph(seed, 2000, 4400);
        g.build_hierarchy();
        Router router(g);
        std::mt19937 rng(seed * 104729);
        auto some_teams = [&](int k) {
            std::vector<std::uint32_t> nodes;
            for (int t = 0; t < k; ++t) nodes.push_back(connected_node(g, static_cast<std::uint32_t>(rng() % g.node_count())));
            return nodes;
        };
        const std::vector<std::vector<std::uint32_t>> team_sets = {some_teams(6), some_teams(6), some_teams(3)};
        bool restricted = false;
        for (int q = 0; q < 9; ++q) {
            const auto& team_nodes = team_sets[static_cast<std::size_t>(q % 2 == 0 ? 0 : (q % 3 == 1 ? 1 : 2))];
            std::vector<geo::Coord> teams;
            for (auto n : team_nodes) teams.push_back(g.node(n));
            const auto target = connected_node(g, static_cast<std::uint32_t>(rng() % g.node_count()));
            const auto bf = brute_force(g, target, true);
            const auto a = router.to_incident(g.node(target), teams);
            REQUIRE(router.used_hierarchy());
            restricted |= router.settled_count() < g.node_count() / 2;
            for (std::size_t t = 0; t < teams.size(); ++t) {
                INFO("query " << q << ", team node " << team_nodes[t] << " to " << target);
                REQUIRE(a[t].reachable == std::isfinite(bf[team_nodes[t]]));
                if (!a[t].reachable) continue;
                CHECK(a[t].travel_s == Approx(bf[team_nodes[t]]).margin(1e-6));
                const auto route = router.route(t);
                CHECK(route.front() == teams[t]);
                CHECK(route.back() == g.node(target));
                CHECK(polyline_m(route) == Approx(a[t].road_distance_m).epsilon(1e-3).margin(1e-3));
            }
            if (q % 4 == 3) { // a full sweep from somewhere else, in the other direction
                const geo::Coord from[1] = {g.node(target)};
                const auto times = router.node_times(from, k_inf, TravelDirection::from_points);
                const auto bf_from = brute_force(g, target, false);
                for (std::size_t i = 0; i < times.nodes.size(); ++i) CHECK(times.time_s[i] == Approx(bf_from[times.nodes[i]]).margin(1e-6));
            }
        }
        CHECK(restricted); // the restricted sweep was exercised, not only the fallback
    }
}

TEST_CASE("contraction hierarchy: unpacked routes cost what the plain route costs", "[routing][ch]") {
    RoadGraph g = random_graph(42, 300, 700);
    g.build_hierarchy();
    Router ch(g);
    std::mt19937 rng(4242);
    int checked = 0;
    for (int q = 0; q < 60; ++q) {
        const auto from = connected_node(g, static_cast<std::uint32_t>(rng() % g.node_count()));
        const auto to = connected_node(g, static_cast<std::uint32_t>(rng() % g.node_count()));
        const auto t = ch.between(g.node(from), g.node(to));
        const auto bf = brute_force(g, to, true);
        REQUIRE(t.reachable == std::isfinite(bf[from]));
        if (!t.reachable) continue;
        CHECK(t.travel_s == Approx(bf[from]).margin(1e-6));
        CHECK(ch.used_hierarchy());
        // Walk the route's vertices over the graph's segments, summing the fastest allowed
        // segment between consecutive vertices: the route is drivable and costs travel_s.
        const auto route = ch.route(0);
        double cost = 0;
        for (std::size_t i = 1; i < route.size(); ++i) {
            double best = k_inf;
            for (std::uint32_t s = 0; s < g.segment_count(); ++s) {
                const auto& seg = g.segment(s);
                if (seg.forward && g.node(seg.a) == route[i - 1] && g.node(seg.b) == route[i]) best = std::min<double>(best, seg.time_s);
                if (seg.backward && g.node(seg.b) == route[i - 1] && g.node(seg.a) == route[i]) best = std::min<double>(best, seg.time_s);
            }
            REQUIRE(std::isfinite(best));
            cost += best;
        }
        CHECK(cost == Approx(t.travel_s).margin(1e-6));
        CHECK(polyline_m(route) == Approx(t.road_distance_m).epsilon(1e-3).margin(1e-3));
        ++checked;
    }
    CHECK(checked > 20);
}

TEST_CASE("node times: PHAST and bounded Dijkstra equal brute force, both directions", "[routing][ch][isochrone]") {
    for (std::uint32_t seed = 100; seed < 108; ++seed) {
        INFO("seed " << seed);
        RoadGraph g = random_graph(seed, 160, 350);
        g.build_hierarchy();
        Router r(g);
        routing::SearchOptions no_ch;
        no_ch.use_hierarchy = false;
        const auto origin = connected_node(g, static_cast<std::uint32_t>(seed * 31 % g.node_count()));
        const geo::Coord at[1] = {g.node(origin)};
        for (TravelDirection dir : {TravelDirection::to_points, TravelDirection::from_points}) {
            const auto bf = brute_force(g, origin, dir == TravelDirection::to_points);
            const double limit = 333.3;
            const routing::SearchOptions* variants[] = {nullptr, &no_ch};
            for (const routing::SearchOptions* opt : variants) {
                const auto nt = r.node_times(at, limit, dir, opt ? *opt : routing::SearchOptions{});
                CHECK(r.used_hierarchy() == (opt == nullptr));
                std::vector<std::uint32_t> expected;
                for (std::uint32_t n = 0; n < g.node_count(); ++n)
                    if (bf[n] <= limit) expected.push_back(n);
                REQUIRE(nt.nodes == expected);
                for (std::size_t i = 0; i < nt.nodes.size(); ++i) CHECK(nt.time_s[i] == Approx(bf[nt.nodes[i]]).margin(1e-6));
            }
        }
    }
}

TEST_CASE("node times: several points give the minimum over the points (coverage)", "[routing][isochrone]") {
    RoadGraph g = random_graph(7, 200, 450);
    g.build_hierarchy();
    Router r(g);
    const std::uint32_t p1 = connected_node(g, 3), p2 = connected_node(g, 150);
    const geo::Coord pts[2] = {g.node(p1), g.node(p2)};
    const auto d1 = brute_force(g, p1, false), d2 = brute_force(g, p2, false);
    const auto nt = r.node_times(pts, 1e9, TravelDirection::from_points);
    std::size_t reached = 0;
    for (std::uint32_t n = 0; n < g.node_count(); ++n) reached += std::isfinite(std::min(d1[n], d2[n]));
    REQUIRE(nt.nodes.size() == reached);
    for (std::size_t i = 0; i < nt.nodes.size(); ++i)
        CHECK(nt.time_s[i] == Approx(std::min(d1[nt.nodes[i]], d2[nt.nodes[i]])).margin(1e-6));
    CHECK_THROWS_AS(r.node_times(pts, -1, TravelDirection::from_points), UsageError);
    // No point on the network: an empty answer, not an error.
    const geo::Coord far[1] = {{100.0, 20.0}};
    CHECK(r.node_times(far, 600, TravelDirection::to_points).nodes.empty());
}

namespace {

// The river of test_one_to_many.cpp: the only bridge is column 19.
test::AsciiMap river_map() {
    return test::parse_ascii_map({
        "+------------------+",
        "|                  |",
        "|  A               |",
        "+------------------+",
        "~~~~~~~~~~~~~~~~~~~|",
        "~~~~~~~~~~~~~~~~~~~|",
        "+------------------+",
        "|  I               |",
        "|                  |",
        "+------------------+",
    });
}

} // namespace

TEST_CASE("road closures: closing the only bridge makes the far bank unreachable", "[routing][closures]") {
    const auto m = river_map();
    RoadGraph g = RoadGraph::build(m.lines, routing::SpeedProfile::defaults());
    g.build_hierarchy();
    Router r(g);
    const std::vector<geo::Coord> teams = {m.points.at('A')};
    const auto open = r.to_incident(m.points.at('I'), teams);
    REQUIRE(open[0].reachable);
    CHECK(r.used_hierarchy());

    // A polygon around the bridge cells (column 19, rows 4-5).
    const geo::Coord c = test::ascii_cell(4, 19), d = test::ascii_cell(5, 19);
    const double ex = 0.0003, ey = 0.0003;
    const auto area = geo::Geometry::polygon(
        {{{c.x - ex, d.y - ey}, {c.x + ex, d.y - ey}, {c.x + ex, c.y + ey}, {c.x - ex, c.y + ey}, {c.x - ex, d.y - ey}}});
    const auto shut = g.segments_in(area);
    REQUIRE(!shut.empty());
    routing::SearchOptions opt;
    opt.closed_segments = shut;
    const auto closed = r.to_incident(m.points.at('I'), teams, opt);
    CHECK_FALSE(r.used_hierarchy()); // a closure means the plain Dijkstra on a mask
    CHECK_FALSE(closed[0].reachable);
    CHECK(r.route(0).empty());
    // The closure is per query: the next one without it is as before, over the hierarchy again.
    const auto again = r.to_incident(m.points.at('I'), teams);
    CHECK(again[0].travel_s == Approx(open[0].travel_s));
    CHECK(r.used_hierarchy());
    // Isochrones honour closures too.
    const geo::Coord inc[1] = {m.points.at('I')};
    const auto nt = r.node_times(inc, 1e6, TravelDirection::to_points, opt);
    const auto north = *g.snap(m.points.at('A'));
    CHECK(std::find(nt.nodes.begin(), nt.nodes.end(), g.segment(north.segment).a) == nt.nodes.end());

    std::vector<std::uint32_t> bad = {static_cast<std::uint32_t>(g.segment_count())};
    opt.closed_segments = bad;
    CHECK_THROWS_AS(r.to_incident(m.points.at('I'), teams, opt), UsageError);
    CHECK_THROWS_AS(g.segments_in(geo::Geometry::point({113, 35})), UsageError);
}

TEST_CASE("serialization: a graph with its hierarchy round-trips; damaged bytes are refused", "[routing][serialize]") {
    RoadGraph g = random_graph(5, 120, 260);
    g.build_hierarchy();
    const auto bytes = g.serialize();
    const RoadGraph h = RoadGraph::deserialize(bytes);
    REQUIRE(h.node_count() == g.node_count());
    REQUIRE(h.segment_count() == g.segment_count());
    REQUIRE(h.hierarchy() != nullptr);
    CHECK(h.hierarchy()->arc_count() == g.hierarchy()->arc_count());
    CHECK(h.serialize() == bytes); // lossless
    RoadGraph again = random_graph(5, 120, 260);
    again.build_hierarchy();
    CHECK(again.serialize() == bytes); // the hierarchy is deterministic
    Router rg(g), rh(h);
    std::vector<geo::Coord> teams;
    for (std::uint32_t n = 0; n < g.node_count(); n += 7) teams.push_back(g.node(n));
    const auto a = rg.to_incident(g.node(11), teams);
    const auto b = rh.to_incident(h.node(11), teams);
    CHECK(rh.used_hierarchy());
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].reachable == b[i].reachable);
        if (a[i].reachable) CHECK(a[i].travel_s == b[i].travel_s);
    }
    // Without a hierarchy too (and the speed profile survives).
    RoadGraph plain = RoadGraph::build(river_map().lines, routing::SpeedProfile::defaults());
    const RoadGraph p2 = RoadGraph::deserialize(plain.serialize());
    CHECK(p2.hierarchy() == nullptr);
    CHECK(p2.speeds().class_kmh == plain.speeds().class_kmh);
    CHECK(p2.speeds().access_kmh == plain.speeds().access_kmh);

    SECTION("truncated") {
        for (std::size_t cut : {std::size_t{0}, std::size_t{3}, std::size_t{20}, bytes.size() / 2, bytes.size() - 1}) {
            std::vector<std::byte> t(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut));
            CHECK_THROWS_AS(RoadGraph::deserialize(t), FormatError);
        }
    }
    SECTION("a flipped byte anywhere") {
        for (std::size_t at : {std::size_t{9}, std::size_t{30}, bytes.size() / 3, bytes.size() - 20, bytes.size() - 2}) {
            auto c = bytes;
            c[at] ^= std::byte{0x40};
            CHECK_THROWS_AS(RoadGraph::deserialize(c), FormatError);
        }
    }
    SECTION("another format or version") {
        auto c = bytes;
        c[0] = std::byte{'X'};
        CHECK_THROWS_WITH(RoadGraph::deserialize(c), Catch::Contains("not a Vigil road graph"));
        c = bytes;
        c[4] = std::byte{9};
        CHECK_THROWS_WITH(RoadGraph::deserialize(c), Catch::Contains("version 9"));
    }
}

} // namespace test_contraction_cases

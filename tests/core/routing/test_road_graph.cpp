// The road graph: node snapping at shared vertices, one-way arcs, CSR adjacency, speeds,
// snapping points onto segments.

#include "ascii_map.hpp"
#include "test_paths.hpp"

#include <vigil/geo/geodesic.hpp>
#include <vigil/routing/road_graph.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

using namespace vigil;
using routing::RoadGraph;
using routing::RoadLine;
using routing::SpeedProfile;

TEST_CASE("lines are joined at shared vertices, within 1e-7 degrees, and nowhere else", "[routing]") {
    // Two lines crossing in an X without a shared vertex (an overpass) and a third touching the
    // first at its middle vertex, written with a tiny rounding difference.
    std::vector<RoadLine> lines(3);
    lines[0].points = {{113.00, 35.00}, {113.01, 35.00}, {113.02, 35.00}};
    lines[1].points = {{113.005, 34.99}, {113.005, 35.01}};
    lines[2].points = {{113.01 + 2e-9, 35.00 - 2e-9}, {113.01, 35.01}};
    auto g = RoadGraph::build(lines, SpeedProfile::defaults());
    CHECK(g.node_count() == 3 + 2 + 1);
    CHECK(g.segment_count() == 2 + 1 + 1);
    CHECK(g.arc_count() == 8);
    // The middle vertex of line 0 has three neighbours (two along line 0, one up line 2).
    CHECK(g.out_arcs(1).size() == 3);
    CHECK(g.in_arcs(1).size() == 3);
}

TEST_CASE("one-way lines give one arc in the digitised direction", "[routing]") {
    std::vector<RoadLine> lines(1);
    lines[0].points = {{113.0, 35.0}, {113.01, 35.0}};
    lines[0].oneway = true;
    auto g = RoadGraph::build(lines, SpeedProfile::defaults());
    REQUIRE(g.node_count() == 2);
    CHECK(g.arc_count() == 1);
    CHECK(g.out_arcs(0).size() == 1);
    CHECK(g.out_arcs(1).empty());
    CHECK(g.in_arcs(1).size() == 1);
    CHECK(g.in_arcs(1)[0].node == 0);
    CHECK(g.in_arcs(0).empty());
}

TEST_CASE("travel time comes from the road's own speed, else from its class", "[routing]") {
    std::vector<RoadLine> lines(3);
    for (auto& l : lines) l.points = {{113.0, 35.0}, {113.0, 35.01}};
    lines[1].points = {{113.0, 35.01}, {113.0, 35.02}};
    lines[2].points = {{113.0, 35.02}, {113.0, 35.03}};
    lines[0].road_class = "expressway";
    lines[1].road_class = "no_such_class";
    lines[2].road_class = "expressway";
    lines[2].speed_kmh = 40;
    auto p = SpeedProfile::defaults();
    auto g = RoadGraph::build(lines, p);
    REQUIRE(g.segment_count() == 3);
    const double len = geo::geodesic_distance_m({113.0, 35.0}, {113.0, 35.01});
    CHECK(g.segment(0).length_m == Approx(len).epsilon(1e-6));
    CHECK(g.time_s(0) == Approx(len / (80 / 3.6)).epsilon(1e-6));
    CHECK(g.time_s(1) == Approx(len / (p.default_kmh / 3.6)).epsilon(1e-5));
    CHECK(g.time_s(2) == Approx(len / (40 / 3.6)).epsilon(1e-5));
}

TEST_CASE("degenerate lines are skipped, bad coordinates refused", "[routing]") {
    std::vector<RoadLine> lines(2);
    lines[0].points = {{113.0, 35.0}};
    lines[1].points = {{113.0, 35.0}, {113.0, 35.0}};
    auto g = RoadGraph::build(lines, SpeedProfile::defaults());
    CHECK(g.segment_count() == 0);
    CHECK_FALSE(g.snap({113.0, 35.0}));
    lines[1].points = {{113.0, 35.0}, {std::nan(""), 35.0}};
    CHECK_THROWS_AS(RoadGraph::build(lines, SpeedProfile::defaults()), FormatError);
}

TEST_CASE("a point beside the middle of a segment snaps onto its middle", "[routing]") {
    std::vector<RoadLine> lines(1);
    lines[0].points = {{113.0, 35.0}, {113.02, 35.0}, {113.02, 35.02}};
    auto g = RoadGraph::build(lines, SpeedProfile::defaults());
    // 0.001 degrees north of the middle of the first segment (~111 m).
    auto s = g.snap({113.01, 35.001});
    REQUIRE(s);
    CHECK(s->segment == 0);
    CHECK(s->fraction == Approx(0.5).margin(1e-6));
    CHECK(s->point.x == Approx(113.01).margin(1e-9));
    CHECK(s->point.y == Approx(35.0).margin(1e-9));
    CHECK(s->access_m == Approx(geo::geodesic_distance_m({113.01, 35.001}, {113.01, 35.0})).epsilon(1e-9));
    // Beyond the end of a segment the nearest point is the end itself.
    auto e = g.snap({113.03, 35.03});
    REQUIRE(e);
    CHECK(e->segment == 1);
    CHECK(e->fraction == 1.0);
    // Limited by distance: nothing within 50 m of a point 111 m away.
    CHECK_FALSE(g.snap({113.01, 35.001}, 50));
}

TEST_CASE("the speed file in layers/routing matches the built-in profile", "[routing]") {
    std::ifstream in(test::layers_dir() / "routing" / "road_speeds.json", std::ios::binary);
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    auto file = SpeedProfile::parse(ss.str(), "road_speeds.json");
    auto builtin = SpeedProfile::defaults();
    CHECK(file.class_kmh == builtin.class_kmh);
    CHECK(file.default_kmh == builtin.default_kmh);
    CHECK(file.access_kmh == builtin.access_kmh);
    for (const char* c : {"expressway", "national", "provincial", "county", "township", "urban"}) CHECK(file.class_kmh.count(c) == 1);
}

TEST_CASE("speed files: overrides, and errors that name the file and the key", "[routing]") {
    auto p = SpeedProfile::parse(R"({"format": "vigil-road-speeds/1", "classes": {"urban": 25, "county": {"kmh": 50}}})", "s.json");
    CHECK(p.speed_kmh("urban") == 25);
    CHECK(p.speed_kmh("county") == 50);
    CHECK(p.speed_kmh("expressway") == SpeedProfile::defaults().speed_kmh("expressway"));
    auto message = [](const char* text) {
        try {
            SpeedProfile::parse(text, "s.json");
        } catch (const FormatError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK_THAT(message("{"), Catch::Contains("s.json") && Catch::Contains("JSON"));
    CHECK_THAT(message(R"({"format": "x"})"), Catch::Contains("format"));
    CHECK_THAT(message(R"({"format": "vigil-road-speeds/1", "classes": {"urban": 0}})"), Catch::Contains("classes.urban"));
    CHECK_THAT(message(R"({"format": "vigil-road-speeds/1", "access_kmh": "fast"})"), Catch::Contains("access_kmh"));
}

TEST_CASE("ASCII maps draw the graph they show", "[routing]") {
    auto m = test::parse_ascii_map({
        "+--+",
        "|  v  a",
        "+<<+",
    });
    auto g = RoadGraph::build(m.lines, SpeedProfile::defaults());
    CHECK(g.node_count() == 10);
    CHECK(g.segment_count() == 10);
    CHECK(g.arc_count() == 5 * 2 + 5); // top and left both ways; right side and bottom one way
    CHECK(m.points.count('a') == 1);
}

TEST_CASE("graphs from explicit edges keep their lengths and times", "[routing]") {
    std::vector<geo::Coord> nodes = {{113.0, 35.0}, {113.01, 35.0}, {113.02, 35.0}};
    std::vector<routing::EdgeInput> edges = {{0, 1, 1200, 60, false}, {1, 2, 900, 45, true}, {2, 2, 0, 0, false}};
    auto g = RoadGraph::from_edges(nodes, edges);
    REQUIRE(g.segment_count() == 2); // the loop is dropped
    CHECK(g.segment(0).length_m == 1200);
    CHECK(g.time_s(1) == 45);
    CHECK(g.arc_count() == 3);
    edges.push_back({0, 3, 1, 1, false});
    CHECK_THROWS_AS(RoadGraph::from_edges(nodes, edges), FormatError);
    edges.back() = {0, 1, -1, 1, false};
    CHECK_THROWS_AS(RoadGraph::from_edges(nodes, edges), FormatError);
}

/// @file
/// Tests of the WKT reader and writer: every geometry type, dimension tags, EMPTY, exact
/// number round trips, and malformed text.
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <vigil/geo/wkt.hpp>
#include <vigil/util/error.hpp>

#include <random>
#include <string>

using namespace vigil::geo;

namespace test_wkt_cases {

struct Rng : vigil::test::Rng {
    Rng() : vigil::test::Rng(1984) {}
};

std::vector<Coord> square(double x0, double y0, double x1, double y1) { return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}; }

// The error message of parse_wkt, or "" when it parses.
std::string error_of(std::string_view wkt) {
    try {
        parse_wkt(wkt);
    } catch (const vigil::FormatError& e) {
        return e.what();
    }
    return "";
}


TEST_CASE("WKT parses every supported type", "[geo][wkt]") {
    CHECK(parse_wkt("POINT (113.24 35.22)") == Geometry::point({113.24, 35.22}));
    CHECK(parse_wkt("LINESTRING (0 0, 1 1, 2 0)") == Geometry::line_string({{0, 0}, {1, 1}, {2, 0}}));
    CHECK(parse_wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 4 2, 4 4, 2 4, 2 2))") ==
          Geometry::polygon({square(0, 0, 10, 10), square(2, 2, 4, 4)}));
    CHECK(parse_wkt("MULTIPOINT ((1 2), (3 4))") == Geometry::multi_point({{1, 2}, {3, 4}}));
    CHECK(parse_wkt("MULTILINESTRING ((0 0, 1 1), (2 2, 3 3, 4 5))") ==
          Geometry::multi_line_string({{{0, 0}, {1, 1}}, {{2, 2}, {3, 3}, {4, 5}}}));
    CHECK(parse_wkt("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 9 5, 9 9, 5 9, 5 5), (6 6, 7 6, 7 7, 6 6)))") ==
          Geometry::multi_polygon({{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}, {square(5, 5, 9, 9), {{6, 6}, {7, 6}, {7, 7}, {6, 6}}}}));
}

TEST_CASE("WKT syntax variants", "[geo][wkt]") {
    const Geometry p = Geometry::point({-1.5, 2e-3});
    CHECK(parse_wkt("point(-1.5 2e-3)") == p);
    CHECK(parse_wkt("  Point\t(\n-1.5   0.002 )  ") == p);
    CHECK(parse_wkt("POINT(+1 2)") == Geometry::point({1, 2}));
    CHECK(parse_wkt("POINT(1.0E+2 -.5)") == Geometry::point({100, -0.5}));
    CHECK(parse_wkt("SRID=4326;POINT(1 2)") == Geometry::point({1, 2}));
    // The older MULTIPOINT form without inner parentheses, and a mix.
    CHECK(parse_wkt("MULTIPOINT (1 2, 3 4)") == Geometry::multi_point({{1, 2}, {3, 4}}));
    CHECK(parse_wkt("MULTIPOINT (1 2, (3 4))") == Geometry::multi_point({{1, 2}, {3, 4}}));
}

TEST_CASE("WKT drops Z and M ordinates", "[geo][wkt]") {
    CHECK(parse_wkt("POINT Z (1 2 3)") == Geometry::point({1, 2}));
    CHECK(parse_wkt("POINTZ(1 2 3)") == Geometry::point({1, 2}));
    CHECK(parse_wkt("POINT M (1 2 3)") == Geometry::point({1, 2}));
    CHECK(parse_wkt("POINT ZM (1 2 3 4)") == Geometry::point({1, 2}));
    CHECK(parse_wkt("pointzm(1 2 3 4)") == Geometry::point({1, 2}));
    CHECK(parse_wkt("LINESTRING Z (1 2 3, 4 5 6)") == Geometry::line_string({{1, 2}, {4, 5}}));
    CHECK(parse_wkt("MULTIPOLYGON Z (((0 0 1, 1 0 1, 1 1 1, 0 0 1)))") == Geometry::multi_polygon({{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}}));
    // Untagged 3D/4D coordinates (common in the wild) are accepted too.
    CHECK(parse_wkt("POINT (1 2 3)") == Geometry::point({1, 2}));
    CHECK(parse_wkt("POINT (1 2 3 4)") == Geometry::point({1, 2}));
}

TEST_CASE("WKT EMPTY is no geometry", "[geo][wkt]") {
    for (const char* s : {"POINT EMPTY", "LINESTRING EMPTY", "POLYGON EMPTY", "MULTIPOINT EMPTY", "MULTILINESTRING EMPTY",
                          "MULTIPOLYGON EMPTY", "GEOMETRYCOLLECTION EMPTY", "point z empty", "POLYGONZM EMPTY"}) {
        INFO(s);
        const Geometry g = parse_wkt(s);
        CHECK(g.type == GeometryType::None);
        CHECK(g.is_empty());
    }
    // Empty parts inside a Multi* are kept as empty parts.
    const Geometry ml = parse_wkt("MULTILINESTRING (EMPTY, (1 2, 3 4))");
    CHECK(ml == Geometry::multi_line_string({{}, {{1, 2}, {3, 4}}}));
    const Geometry mp = parse_wkt("MULTIPOLYGON (EMPTY, ((0 0, 1 0, 1 1, 0 0)))");
    CHECK(mp.part_count() == 2);
    CHECK(mp.polygon_starts == std::vector<std::uint32_t>{0, 0, 1});
}

TEST_CASE("WKT writer output", "[geo][wkt]") {
    CHECK(to_wkt(Geometry::point({113.24, 35.22})) == "POINT (113.24 35.22)");
    CHECK(to_wkt(Geometry::line_string({{0, 0}, {1.5, -2}})) == "LINESTRING (0 0, 1.5 -2)");
    CHECK(to_wkt(Geometry::polygon({square(0, 0, 1, 1)})) == "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))");
    CHECK(to_wkt(Geometry::multi_point({{1, 2}, {3, 4}})) == "MULTIPOINT ((1 2), (3 4))");
    CHECK(to_wkt(Geometry::multi_line_string({{{0, 0}, {1, 1}}, {}})) == "MULTILINESTRING ((0 0, 1 1), EMPTY)");
    CHECK(to_wkt(Geometry::multi_polygon({{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}})) == "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))");
    CHECK(to_wkt(Geometry{}) == "GEOMETRYCOLLECTION EMPTY");
    CHECK(to_wkt(Geometry::line_string({})) == "LINESTRING EMPTY");
    CHECK(to_wkt(Geometry::multi_polygon({})) == "MULTIPOLYGON EMPTY");
    CHECK(to_wkt(Geometry::point({0.1, 1e-300})) == "POINT (0.1 1e-300)");
}

TEST_CASE("WKT round trips exactly", "[geo][wkt]") {
    Rng rng;
    auto pt = [&] { return Coord{rng.uniform(-180, 180), rng.uniform(-90, 90)}; };
    for (int i = 0; i < 1000; ++i) {
        std::vector<Coord> ring{pt(), pt(), pt()};
        ring.push_back(ring.front());
        const Geometry geoms[] = {
            Geometry::point(pt()),
            Geometry::line_string({pt(), pt(), pt()}),
            Geometry::polygon({ring}),
            Geometry::multi_point({pt(), pt()}),
            Geometry::multi_line_string({{pt(), pt()}, {pt(), pt(), pt()}}),
            Geometry::multi_polygon({{ring}, {ring, ring}}),
        };
        for (const auto& g : geoms) {
            const std::string text = to_wkt(g);
            INFO(text);
            CHECK(parse_wkt(text) == g);
        }
    }
}

TEST_CASE("WKT rejects malformed text with the offset", "[geo][wkt][malformed]") {
    const char* bad[] = {
        "",
        "   ",
        "POINT",
        "POINT (",
        "POINT (1)",
        "POINT (1 2",
        "POINT 1 2)",
        "POINT (1 2) x",
        "POINT (1 2 3 4 5)",
        "POINT (1 2,)",
        "POINT (1,2)",
        "POINT (1 2)(3 4)",
        "POINT (nan 2)",
        "POINT (1 inf)",
        "POINT (1 1e999)",
        "POINT (1x 2)",
        "POINT (1..2 3)",
        "POINT (+-1 2)",
        "POINT Z (1 2)",
        "POINT ZM (1 2 3)",
        "POINT M (1 2 3 4)",
        "POINTY (1 2)",
        "CIRCLE (1 2)",
        "LINESTRING ()",
        "LINESTRING (1 2,, 3 4)",
        "POLYGON ((0 0, 1 0, 1 1, 0 1))", // unclosed
        "POLYGON ((0 0, 1 0, 0 0))",      // fewer than 4 points
        "POLYGON (EMPTY)",
        "MULTIPOINT (EMPTY)",
        "MULTIPOLYGON ((0 0, 1 0, 1 1, 0 0))", // one level of parentheses missing
        "GEOMETRYCOLLECTION (POINT (1 2))",
        "SRID=;POINT (1 2)",
        "SRID=4326 POINT (1 2)",
        "POINT EMPTY (1 2)",
    };
    for (const char* s : bad) {
        INFO("input: '" << s << "'");
        const std::string msg = error_of(s);
        CHECK_FALSE(msg.empty());
        CHECK(msg.find("WKT") != std::string::npos);
        CHECK(msg.find("offset") != std::string::npos);
    }
    CHECK_THROWS_AS(parse_wkt("POINT (1"), vigil::FormatError);
}

TEST_CASE("WKT parser survives random corruption", "[geo][wkt][malformed]") {
    Rng rng;
    const std::string samples[] = {
        "MULTIPOLYGON (((0 0, 10 0, 10 10, 0 0)), ((20 20, 30 20, 30 30, 20 20), (22 21, 28 21, 28 27, 22 21)))",
        "LINESTRING Z (113.2 35.2 1, 113.25 35.21 2, 113.3 35.26 3)",
        "MULTIPOINT ((1 2), (3 4))",
        "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 4 2, 4 4, 2 4, 2 2))",
    };
    const char alphabet[] = "()0123456789,. -+eEZMNaPOINTLYGEMPTY\t";
    int decoded = 0;
    int rejected = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string s = samples[rng.below(std::size(samples))];
        const std::size_t edits = 1 + rng.below(3);
        for (std::size_t e = 0; e < edits && !s.empty(); ++e) {
            const std::size_t pos = rng.below(s.size());
            const char c = alphabet[rng.below(sizeof alphabet - 1)];
            switch (rng.below(3)) {
            case 0: s[pos] = c; break;
            case 1: s.erase(pos, 1); break;
            default: s.insert(pos, 1, c); break;
            }
        }
        try {
            const Geometry g = parse_wkt(s);
            CHECK(is_well_formed(g));
            ++decoded;
        } catch (const vigil::FormatError&) {
            ++rejected;
        }
    }
    // Both outcomes must occur, or the mutations no longer exercise the parser's refusals (or
    // its acceptance, whose result is checked above for every parsed geometry).
    CHECK(decoded > 1000);
    CHECK(rejected > 1000);
}

} // namespace test_wkt_cases

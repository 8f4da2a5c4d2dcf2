/// @file
/// Tests of the Geometry value type: layout of the constructors, bbox, parts, to_multi,
/// structure checks, even-odd containment and representative points.
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <vigil/geo/geometry.hpp>
#include <vigil/util/error.hpp>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

using namespace vigil::geo;

namespace test_geometry_cases {

struct Rng : vigil::test::Rng {
    Rng() : vigil::test::Rng(20240601) {}
};

std::vector<Coord> square(double x0, double y0, double x1, double y1) { return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}; }


TEST_CASE("geometry type names and families", "[geo][geometry]") {
    CHECK(geometry_type_name(GeometryType::None) == "None");
    CHECK(geometry_type_name(GeometryType::Point) == "Point");
    CHECK(geometry_type_name(GeometryType::LineString) == "LineString");
    CHECK(geometry_type_name(GeometryType::Polygon) == "Polygon");
    CHECK(geometry_type_name(GeometryType::MultiPoint) == "MultiPoint");
    CHECK(geometry_type_name(GeometryType::MultiLineString) == "MultiLineString");
    CHECK(geometry_type_name(GeometryType::MultiPolygon) == "MultiPolygon");

    CHECK(geometry_family(GeometryType::None) == GeometryType::None);
    CHECK(geometry_family(GeometryType::Point) == GeometryType::Point);
    CHECK(geometry_family(GeometryType::MultiPoint) == GeometryType::Point);
    CHECK(geometry_family(GeometryType::LineString) == GeometryType::LineString);
    CHECK(geometry_family(GeometryType::MultiLineString) == GeometryType::LineString);
    CHECK(geometry_family(GeometryType::Polygon) == GeometryType::Polygon);
    CHECK(geometry_family(GeometryType::MultiPolygon) == GeometryType::Polygon);
}

TEST_CASE("geometry constructors produce the documented flat layout", "[geo][geometry]") {
    const Geometry p = Geometry::point({113.24, 35.22});
    CHECK(p.type == GeometryType::Point);
    CHECK(p.coords == std::vector<Coord>{{113.24, 35.22}});
    CHECK(p.ring_starts.empty());
    CHECK(p.part_count() == 1);
    CHECK(is_well_formed(p));

    const Geometry l = Geometry::line_string({{0, 0}, {1, 1}, {2, 0}});
    CHECK(l.type == GeometryType::LineString);
    CHECK(l.coords.size() == 3);
    CHECK(l.ring_starts.empty());
    CHECK(l.part_count() == 1);
    CHECK(is_well_formed(l));

    const Geometry poly = Geometry::polygon({square(0, 0, 10, 10), square(2, 2, 4, 4)});
    CHECK(poly.type == GeometryType::Polygon);
    CHECK(poly.ring_starts == std::vector<std::uint32_t>{0, 5, 10});
    CHECK(poly.ring_count() == 2);
    CHECK(poly.part_count() == 2);
    CHECK(poly.ring(1).size() == 5);
    CHECK(poly.ring(1)[0] == Coord{2, 2});
    CHECK(is_well_formed(poly));

    const Geometry mp = Geometry::multi_point({{1, 2}, {3, 4}, {5, 6}});
    CHECK(mp.part_count() == 3);
    CHECK(is_well_formed(mp));

    const Geometry ml = Geometry::multi_line_string({{{0, 0}, {1, 1}}, {{2, 2}, {3, 3}, {4, 4}}});
    CHECK(ml.ring_starts == std::vector<std::uint32_t>{0, 2, 5});
    CHECK(ml.part_count() == 2);
    CHECK(is_well_formed(ml));

    const Geometry mpoly = Geometry::multi_polygon({{square(0, 0, 1, 1)}, {square(5, 5, 9, 9), square(6, 6, 7, 7)}});
    CHECK(mpoly.ring_starts == std::vector<std::uint32_t>{0, 5, 10, 15});
    CHECK(mpoly.polygon_starts == std::vector<std::uint32_t>{0, 1, 3});
    CHECK(mpoly.part_count() == 2);
    CHECK(mpoly.ring_count() == 3);
    CHECK(is_well_formed(mpoly));

    const Geometry none;
    CHECK(none.is_empty());
    CHECK(none.part_count() == 0);
    CHECK(is_well_formed(none));
}

TEST_CASE("polygon constructors reject unclosed and too-short rings", "[geo][geometry]") {
    CHECK_THROWS_AS(Geometry::polygon({{{0, 0}, {1, 0}, {1, 1}, {0, 1}}}), vigil::FormatError);
    CHECK_THROWS_AS(Geometry::polygon({{{0, 0}, {1, 0}, {0, 0}}}), vigil::FormatError);
    CHECK_THROWS_AS(Geometry::polygon({square(0, 0, 1, 1), {}}), vigil::FormatError);
    CHECK_THROWS_AS(Geometry::multi_polygon({{square(0, 0, 1, 1)}, {{{0, 0}, {1, 0}, {1, 1}, {0, 2}}}}), vigil::FormatError);
    const Geometry none = Geometry::polygon({}); // no rings: an empty polygon, not an error
    CHECK(none.type == GeometryType::Polygon);
    CHECK(none.is_empty());
}

TEST_CASE("bbox covers every coordinate and is empty for empty geometries", "[geo][geometry]") {
    const Geometry ml = Geometry::multi_line_string({{{-3, 7}, {1, 1}}, {{2, -2}, {8, 3}}});
    CHECK(ml.bbox() == BBox{-3, -2, 8, 7});
    CHECK(Geometry{}.bbox().empty());
    CHECK(Geometry::point({1, 2}).bbox() == BBox{1, 2, 1, 2});
}

TEST_CASE("to_multi wraps single geometries and leaves Multi* alone", "[geo][geometry]") {
    const Geometry p = Geometry::point({1, 2}).to_multi();
    CHECK(p.type == GeometryType::MultiPoint);
    CHECK(p.coords == std::vector<Coord>{{1, 2}});
    CHECK(is_well_formed(p));

    const Geometry l = Geometry::line_string({{0, 0}, {1, 1}}).to_multi();
    CHECK(l == Geometry::multi_line_string({{{0, 0}, {1, 1}}}));
    CHECK(is_well_formed(l));

    const Geometry poly = Geometry::polygon({square(0, 0, 10, 10), square(2, 2, 4, 4)});
    const Geometry mpoly = poly.to_multi();
    CHECK(mpoly == Geometry::multi_polygon({{square(0, 0, 10, 10), square(2, 2, 4, 4)}}));
    CHECK(mpoly.part_count() == 1);
    CHECK(is_well_formed(mpoly));

    CHECK(mpoly.to_multi() == mpoly);
    CHECK(Geometry{}.to_multi() == Geometry{});

    // Empty singles become empty multis, not multis with one empty part.
    const Geometry empty_line = Geometry::line_string({}).to_multi();
    CHECK(empty_line.type == GeometryType::MultiLineString);
    CHECK(empty_line.part_count() == 0);
    CHECK(is_well_formed(empty_line));
    const Geometry empty_poly = Geometry::polygon({}).to_multi();
    CHECK(empty_poly.part_count() == 0);
    CHECK(is_well_formed(empty_poly));
}

TEST_CASE("is_well_formed rejects inconsistent offsets", "[geo][geometry]") {
    Geometry g = Geometry::polygon({square(0, 0, 1, 1)});
    g.ring_starts = {0, 4};
    CHECK_FALSE(is_well_formed(g));
    g.ring_starts = {1, 5};
    CHECK_FALSE(is_well_formed(g));
    g.ring_starts = {};
    CHECK_FALSE(is_well_formed(g));

    Geometry p = Geometry::point({1, 2});
    p.coords.push_back({3, 4});
    CHECK_FALSE(is_well_formed(p));

    Geometry mp = Geometry::multi_polygon({{square(0, 0, 1, 1)}, {square(2, 2, 3, 3)}});
    mp.polygon_starts = {0, 2, 1};
    CHECK_FALSE(is_well_formed(mp));
    mp.polygon_starts = {0, 1};
    CHECK_FALSE(is_well_formed(mp));

    Geometry l = Geometry::line_string({{0, 0}, {1, 1}});
    l.ring_starts = {0, 2};
    CHECK_FALSE(is_well_formed(l));

    Geometry none;
    none.coords.push_back({0, 0});
    CHECK_FALSE(is_well_formed(none));
}

TEST_CASE("contains uses the even-odd rule with holes", "[geo][contains]") {
    const Geometry poly = Geometry::polygon({square(0, 0, 10, 10), square(2, 2, 4, 4)});
    CHECK(contains(poly, {1, 1}));
    CHECK(contains(poly, {5, 5}));
    CHECK(contains(poly, {9.999, 0.001}));
    CHECK_FALSE(contains(poly, {3, 3}));  // in the hole
    CHECK_FALSE(contains(poly, {11, 5})); // outside
    CHECK_FALSE(contains(poly, {-1, 5}));
    CHECK_FALSE(contains(poly, {5, 10.5}));

    // A U shape: its bbox centre lies in the notch.
    const Geometry u = Geometry::polygon({{{0, 0}, {9, 0}, {9, 9}, {6, 9}, {6, 3}, {3, 3}, {3, 9}, {0, 9}, {0, 0}}});
    CHECK(contains(u, {1, 8}));
    CHECK(contains(u, {7, 8}));
    CHECK(contains(u, {4.5, 1}));
    CHECK_FALSE(contains(u, {4.5, 6}));

    // A ray through a vertex must not double count.
    const Geometry diamond = Geometry::polygon({{{0, 5}, {5, 0}, {10, 5}, {5, 10}, {0, 5}}});
    CHECK(contains(diamond, {5, 5}));
    CHECK(contains(diamond, {1, 5}));
    CHECK_FALSE(contains(diamond, {-1, 5}));
    CHECK_FALSE(contains(diamond, {11, 5}));

    const Geometry mpoly = Geometry::multi_polygon({{square(0, 0, 10, 10), square(2, 2, 4, 4)}, {square(20, 20, 30, 30)}});
    CHECK(contains(mpoly, {1, 1}));
    CHECK(contains(mpoly, {25, 25}));
    CHECK_FALSE(contains(mpoly, {3, 3}));
    CHECK_FALSE(contains(mpoly, {15, 15}));

    // Overlapping parts (invalid, but seen in hand-drawn data) do not cancel out.
    const Geometry overlapping = Geometry::multi_polygon({{square(0, 0, 10, 10)}, {square(5, 5, 15, 15)}});
    CHECK(contains(overlapping, {7, 7}));

    CHECK_FALSE(contains(Geometry::point({1, 1}), {1, 1}));
    CHECK_FALSE(contains(Geometry::line_string({{0, 0}, {2, 2}}), {1, 1}));
    CHECK_FALSE(contains(Geometry{}, {1, 1}));
    CHECK_FALSE(contains(poly, {std::nan(""), 5}));
}

TEST_CASE("representative_point of points and lines", "[geo][representative]") {
    CHECK(representative_point(Geometry::point({113.24, 35.22})) == Coord{113.24, 35.22});
    CHECK(representative_point(Geometry::multi_point({{1, 2}, {3, 4}})) == Coord{1, 2});
    CHECK(representative_point(Geometry::line_string({{0, 0}, {1, 1}, {2, 0}})) == Coord{1, 1});
    CHECK(representative_point(Geometry::multi_line_string({{{0, 0}, {1, 1}}, {{5, 5}, {6, 6}, {7, 5}}})) == Coord{6, 6});
    const Coord empty = representative_point(Geometry{});
    CHECK(std::isnan(empty.x));
    CHECK(std::isnan(empty.y));
}

TEST_CASE("representative_point of polygons lies inside", "[geo][representative]") {
    const Geometry sq = Geometry::polygon({square(0, 0, 10, 10)});
    CHECK(representative_point(sq) == Coord{5, 5});

    const Geometry u = Geometry::polygon({{{0, 0}, {9, 0}, {9, 9}, {6, 9}, {6, 3}, {3, 3}, {3, 9}, {0, 9}, {0, 0}}});
    CHECK(contains(u, representative_point(u)));

    const Geometry donut = Geometry::polygon({square(0, 0, 10, 10), square(1, 1, 9, 9)});
    CHECK(contains(donut, representative_point(donut)));

    // The label goes on the largest part of a MultiPolygon.
    const Geometry islands = Geometry::multi_polygon({{square(0, 0, 1, 1)}, {square(50, 50, 60, 60), square(51, 51, 59, 59)}});
    const Coord r = representative_point(islands);
    CHECK(contains(islands, r));
    CHECK(r.x > 50);
}

TEST_CASE("representative_point of random star polygons lies inside", "[geo][representative]") {
    Rng rng;
    for (int iter = 0; iter < 500; ++iter) {
        const Coord c{rng.uniform(100, 120), rng.uniform(20, 40)};
        const int n = 3 + static_cast<int>(rng.gen() % 40);
        std::vector<Coord> ring;
        for (int i = 0; i < n; ++i) {
            const double a = 2 * std::numbers::pi * i / n;
            const double r = rng.uniform(0.05, 1.0);
            ring.push_back({c.x + r * std::cos(a), c.y + r * std::sin(a)});
        }
        ring.push_back(ring.front());
        const Geometry g = Geometry::polygon({ring});
        const Coord p = representative_point(g);
        INFO("iteration " << iter);
        CHECK(contains(g, p));
    }
}

} // namespace test_geometry_cases

/// @file
/// Road maps drawn as text for routing scenarios (the OSRM cucumber idea, in C++).
///
///     -  =  horizontal road        |  vertical road         +  crossing (joins all four ways)
///     >  <  one-way east / west    v  ^  one-way south / north
///     ~  water, space: land       a letter: a point (team, incident); it is not a road and
///                                 snaps onto the nearest one
///
/// Neighbouring road cells join when both can run that way ("-" and "|" side by side do not).
/// A cell is 0.0011 degrees of longitude by 0.0009 of latitude, about 100 m x 100 m at 35 N;
/// row 0 is the north edge.
#pragma once

#include <vigil/geo/geodesic.hpp>
#include <vigil/routing/road_graph.hpp>

#include <map>
#include <string>
#include <vector>

namespace vigil::test {

struct AsciiMap {
    std::vector<routing::RoadLine> lines;
    std::map<char, geo::Coord> points;
};

inline geo::Coord ascii_cell(std::size_t row, std::size_t col) {
    return {113.0 + 0.0011 * static_cast<double>(col), 35.0 - 0.0009 * static_cast<double>(row)};
}

/// Every road link becomes a two-point line of class `road_class`.
inline AsciiMap parse_ascii_map(const std::vector<std::string>& rows, const std::string& road_class = "urban") {
    AsciiMap m;
    auto at = [&](std::size_t r, std::size_t c) { return r < rows.size() && c < rows[r].size() ? rows[r][c] : ' '; };
    auto horizontal = [](char ch) { return ch == '-' || ch == '=' || ch == '+' || ch == '>' || ch == '<'; };
    auto vertical = [](char ch) { return ch == '|' || ch == '+' || ch == 'v' || ch == '^'; };
    auto link = [&](geo::Coord from, geo::Coord to, bool oneway) {
        routing::RoadLine l;
        l.points = {from, to};
        l.road_class = road_class;
        l.oneway = oneway;
        m.lines.push_back(std::move(l));
    };
    for (std::size_t r = 0; r < rows.size(); ++r) {
        for (std::size_t c = 0; c < rows[r].size(); ++c) {
            const char ch = at(r, c);
            if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z' && ch != 'v')) m.points[ch] = ascii_cell(r, c);
            const char east = at(r, c + 1);
            if (horizontal(ch) && horizontal(east)) {
                if (ch == '<' || east == '<') link(ascii_cell(r, c + 1), ascii_cell(r, c), true);
                else link(ascii_cell(r, c), ascii_cell(r, c + 1), ch == '>' || east == '>');
            }
            const char south = at(r + 1, c);
            if (vertical(ch) && vertical(south)) {
                if (ch == '^' || south == '^') link(ascii_cell(r + 1, c), ascii_cell(r, c), true);
                else link(ascii_cell(r, c), ascii_cell(r + 1, c), ch == 'v' || south == 'v');
            }
        }
    }
    return m;
}

/// Geodesic length of a polyline (a route), to compare with a router's road_distance_m.
inline double polyline_m(const std::vector<geo::Coord>& line) {
    double d = 0;
    for (std::size_t i = 1; i < line.size(); ++i) d += geo::geodesic_distance_m(line[i - 1], line[i]);
    return d;
}

} // namespace vigil::test

/// @file
/// The "coordinates" of a GeoJSON geometry (internal to core/src/io): nested position arrays
/// read straight into the record's Geometry (coords, ring and polygon starts), with the vertex
/// limit, the nesting the type requires, and the structure checks (a LineString of 2 positions
/// or more, closed rings of 4 or more). Problems become the record's geometry issues, at most
/// k_max_geometry_issues of them reported.
///
/// A layer between the JSON cursor and the reader (GeoJsonReader::Impl derives from it), so that
/// the reader's file keeps the feature and property logic. Header-only and in an anonymous
/// namespace like json_cursor.hpp: every vertex of an import goes through here, and it must
/// inline into the one translation unit that includes it (geojson_reader.cpp).
#pragma once

#include <vigil/importing/record_source.hpp>
#include <vigil/io/geojson_reader.hpp>
#include <vigil/util/text.hpp>

#include "geojson_kinds.hpp"
#include "json_cursor.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace vigil::io {
namespace {

using detail::NumberClass;
using detail::Scan;
using detail::SkipInfo;
using detail::starts_number;

/// More geometry problems than this in one feature are summarised in one extra line: a polygon
/// of 100,000 NaN vertices should not produce 100,000 report lines.
constexpr int k_max_geometry_issues = 5;

struct CoordinatesParser : detail::JsonCursor {
    GeoJsonReaderOptions m_options;
    importing::RawRecord* m_rec = nullptr; ///< the record being filled
    int m_geometry_issues = 0;
    bool m_over_limit = false;
    std::size_t m_vertex_count = 0;

    /// Reads a file through the sliding window.
    CoordinatesParser(std::string path, const GeoJsonReaderOptions& options)
        : JsonCursor(std::move(path), options.window_bytes), m_options(options) {}
    /// Reads a buffer held in memory.
    CoordinatesParser(std::string path, std::string contents, const GeoJsonReaderOptions& options)
        : JsonCursor(std::move(path), std::move(contents)), m_options(options) {}

    void add_issue(std::string_view column, std::string reason) {
        m_rec->issues.push_back(importing::SourceIssue{std::string(column), std::move(reason)});
    }

    void geometry_issue(std::string reason) {
        if (m_geometry_issues < k_max_geometry_issues) add_issue("geometry", std::move(reason));
        ++m_geometry_issues;
    }

    void push_vertex(double x, double y) {
        ++m_vertex_count;
        auto& coords = m_rec->geometry.coords;
        // Past the limit we only count: a 50-million-vertex feature must not be allocated.
        if (coords.size() < m_options.max_vertices_per_feature) coords.push_back(geo::Coord{x, y});
        else m_over_limit = true;
    }

    Scan parse_position_body() {
        int n = 0;
        bool bad = false;
        double xy[2] = {0, 0};
        if (*m_p == ']') {
            ++m_p;
        } else {
            for (bool more = true; more;) {
                char c = *m_p;
                if (starts_number(c) && !(c == 'n' && m_p[1] == 'u')) {
                    const char* s = m_p;
                    double d = 0;
                    NumberClass cls = NumberClass::Real;
                    VIGIL_SCAN(read_double(d, cls));
                    if (cls != NumberClass::Real) {
                        geometry_issue("coordinate " + number_problem(cls, s, m_p));
                        bad = true;
                    }
                    if (n < 2) xy[n] = d;
                    ++n;
                } else {
                    geometry_issue(tr("a position must contain only numbers"));
                    bad = true;
                    SkipInfo info;
                    VIGIL_SCAN(skip_value(0, info, false));
                }
                VIGIL_SCAN(next_item(']', N_("',' or ']' in a position"), more));
            }
        }
        if (bad) return Scan::Done;
        if (n < 2) {
            geometry_issue(n == 1 ? trf("a position has {} number; at least 2 (x, y) are needed", n)
                                  : trf("a position has {} numbers; at least 2 (x, y) are needed", n));
            return Scan::Done;
        }
        push_vertex(xy[0], xy[1]);
        return Scan::Done;
    }

    /// One level of "coordinates" (at '['). Recursion depth is at most 4 (MultiPolygon).
    Scan parse_level(int level, int positions_at, int depth, GeoKind kind) {
        if (depth > m_options.max_depth) {
            geometry_issue(trf("coordinates nested more than {} levels deep", m_options.max_depth));
            SkipInfo info;
            return skip_value(depth, info, false);
        }
        ++m_p;
        ws();
        if (level == positions_at) return parse_position_body();
        if (*m_p == ']') {
            ++m_p;
            return Scan::Done;
        }
        auto& g = m_rec->geometry;
        for (bool more = true; more;) {
            if (*m_p == '[') {
                if (level + 1 == positions_at - 1) g.ring_starts.push_back(static_cast<std::uint32_t>(g.coords.size()));
                if (positions_at == 3 && level + 1 == 1) g.polygon_starts.push_back(static_cast<std::uint32_t>(g.ring_starts.size()));
                VIGIL_SCAN(parse_level(level + 1, positions_at, depth + 1, kind));
            } else {
                geometry_issue(trf("{} coordinates are not nested as the type requires "
                                   "(an array was expected at level {})",
                                   kind_name(kind), level + 2));
                SkipInfo info;
                VIGIL_SCAN(skip_value(depth + 1, info, false));
            }
            VIGIL_SCAN(next_item(']', N_("',' or ']' in coordinates"), more));
        }
        return Scan::Done;
    }

    Scan parse_coordinates(GeoKind kind, int depth) {
        auto& g = m_rec->geometry;
        g.coords.clear();
        g.ring_starts.clear();
        g.polygon_starts.clear();
        m_vertex_count = 0;
        m_over_limit = false;
        int positions_at = position_level(kind);
        if (positions_at < 0) { // unknown type or GeometryCollection: reported by the caller
            SkipInfo info;
            return skip_value(depth, info, false);
        }
        g.type = geometry_type_of(kind);
        if (*m_p != '[') {
            bool null = false;
            VIGIL_SCAN(match_literal("null", null));
            if (null) {
                geometry_issue(trf("the {} has null coordinates", kind_name(kind)));
                return Scan::Done;
            }
            geometry_issue(tr("\"coordinates\" must be an array"));
            SkipInfo info;
            return skip_value(depth, info, false);
        }
        int issues_before = m_geometry_issues;
        VIGIL_SCAN(parse_level(0, positions_at, depth, kind));
        if (positions_at >= 2 && !g.ring_starts.empty()) g.ring_starts.push_back(static_cast<std::uint32_t>(g.coords.size()));
        if (positions_at == 3 && !g.polygon_starts.empty())
            g.polygon_starts.push_back(static_cast<std::uint32_t>(g.ring_starts.empty() ? 0 : g.ring_starts.size() - 1));
        if (m_over_limit) {
            geometry_issue(
                trf("the feature has {} vertices, more than the limit of {}", m_vertex_count, m_options.max_vertices_per_feature));
            g.coords.clear();
            g.coords.shrink_to_fit(); // do not keep a 10-million-vertex buffer for every later record
            g.ring_starts.clear();
            g.polygon_starts.clear();
            return Scan::Done;
        }
        // Structure checks only when the numbers were fine: a NaN vertex also "opens" its ring.
        if (m_geometry_issues == issues_before) check_structure(kind);
        return Scan::Done;
    }

    void check_structure(GeoKind kind) {
        const auto& g = m_rec->geometry;
        switch (kind) {
        case GeoKind::LineString:
            if (g.coords.size() == 1) geometry_issue(tr("a LineString needs at least 2 positions; this one has 1"));
            break;
        case GeoKind::MultiLineString:
            for (std::size_t i = 0; i + 1 < g.ring_starts.size(); ++i) {
                auto n = g.ring_starts[i + 1] - g.ring_starts[i];
                if (n < 2)
                    geometry_issue(n == 1 ? trf("line {} of the MultiLineString has {} position; at least 2 are needed", i + 1, n)
                                          : trf("line {} of the MultiLineString has {} positions; at least 2 are needed", i + 1, n));
            }
            break;
        case GeoKind::Polygon:
            for (std::size_t i = 0; i + 1 < g.ring_starts.size(); ++i) check_ring(i, trf("ring {}", i + 1));
            break;
        case GeoKind::MultiPolygon:
            for (std::size_t p = 0; p + 1 < g.polygon_starts.size(); ++p) {
                if (g.polygon_starts[p] == g.polygon_starts[p + 1])
                    geometry_issue(trf("polygon {} of the MultiPolygon has no rings", p + 1));
                for (std::size_t r = g.polygon_starts[p]; r < g.polygon_starts[p + 1]; ++r)
                    check_ring(r, trf("ring {} of polygon {}", r - g.polygon_starts[p] + 1, p + 1));
            }
            break;
        default: break;
        }
    }

    void check_ring(std::size_t i, const std::string& name) {
        const auto& g = m_rec->geometry;
        std::size_t first = g.ring_starts[i];
        std::size_t n = g.ring_starts[i + 1] - first;
        if (n < 4) {
            geometry_issue(n == 1 ? trf("{} has {} position; a closed ring needs at least 4", name, n)
                                  : trf("{} has {} positions; a closed ring needs at least 4", name, n));
            return;
        }
        const geo::Coord& a = g.coords[first];
        const geo::Coord& b = g.coords[first + n - 1];
        if (!(a == b))
            geometry_issue(trf("{} is not closed: it starts at ({}, {}) and ends at ({}, {})", name, text::format_double(a.x),
                               text::format_double(a.y), text::format_double(b.x), text::format_double(b.y)));
    }
};

} // namespace
} // namespace vigil::io

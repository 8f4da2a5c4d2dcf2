/// @file
/// Internal to the check service: which county boundary holds a point, fast for boundaries of tens
/// of thousands of vertices and registers of 100,000 points (an R-tree over each boundary's edges).
/// Kept apart from check.cpp, which asks it, as does incident_place.cpp (a road in a county).
#pragma once

#include <vigil/catalog/catalog.hpp>
#include <vigil/geo/geodesic.hpp>
#include <vigil/geo/geometry.hpp>
#include <vigil/index/hilbert_rtree.hpp>
#include <vigil/model/layer.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace vigil::app::county_boundaries {

inline std::string county_name(const model::Layer& l, std::size_t row) {
    const auto f = l.kind().index_of_role(catalog::FieldRole::Name);
    return f ? model::to_text(l.value(row, *f)) : std::string();
}

/// Metres from p to the segment ab, on a local plane around p (the distances here are at most a
/// few kilometres, where the flattening error is well under 1 %).
inline double segment_distance_m(geo::Coord p, geo::Coord a, geo::Coord b) {
    constexpr double k_m_per_deg = 111195.0; // the mean sphere's degree
    const double kx = k_m_per_deg * std::cos(p.y * 3.14159265358979323846 / 180.0);
    const double ax = (a.x - p.x) * kx, ay = (a.y - p.y) * k_m_per_deg;
    const double bx = (b.x - p.x) * kx, by = (b.y - p.y) * k_m_per_deg;
    const double dx = bx - ax, dy = by - ay;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    return std::hypot(ax + t * dx, ay + t * dy);
}

// --- [SECTION] county boundaries ------------------------------------------------------------------
//
// A point-in-polygon test walks every edge of the polygon; a county boundary drawn from survey
// data has tens of thousands of vertices, and a register 100,000 points. So each boundary's
// edges go into a Hilbert R-tree, and the even-odd ray from the point towards +x only visits
// the edges whose boxes meet the ray:
//
//        ┌───────────┐
//        │     p ────┼──────▶   edges met by the ray: 1 → inside
//        └───────────┘
//
// The parity is kept per polygon part, as geo::contains does (overlapping parts of a
// hand-drawn multipolygon do not cancel each other out).

struct Edge {
    geo::Coord a, b;
    std::uint32_t part;
};

struct CountyArea {
    std::size_t row = 0; ///< in the admin layer
    std::string id, name;
    geo::BBox box;
    std::uint32_t parts = 0;
    std::vector<Edge> edges;
    index::HilbertRTree tree;
};

class Boundaries {
public:
    // The county-level admin areas: the boundary layer's kind and level are the project's
    // convention (as the statistics and regional risk use them), not a catalogue expectation.
    explicit Boundaries(const model::Layer* admin) : m_admin(admin) {
        if (!admin) return;
        const auto f_level = admin->kind().field_index("level");
        for (std::size_t r = 0; r < admin->size(); ++r) {
            if (f_level && model::to_text(admin->value(r, *f_level)) != "county") continue;
            const geo::Geometry& g = admin->geometry(r);
            if (g.type != geo::GeometryType::Polygon && g.type != geo::GeometryType::MultiPolygon) continue;
            CountyArea c;
            c.row = r;
            c.id = admin->id(r);
            c.name = county_name(*admin, r);
            c.box = g.bbox();
            add_edges(g, c);
            index::HilbertRTreeBuilder b(c.edges.size());
            for (const Edge& e : c.edges) {
                geo::BBox box;
                box.add(e.a);
                box.add(e.b);
                b.add(box);
            }
            c.tree = b.finish();
            m_by_row.emplace(r, m_areas.size());
            m_areas.push_back(std::move(c));
        }
        for (std::size_t k = 0; k < m_areas.size(); ++k) {
            if (!m_areas[k].name.empty()) m_by_key.emplace(m_areas[k].name, k);
            m_by_key.emplace(m_areas[k].id, k);
        }
    }

    bool empty() const { return m_areas.empty(); }
    const CountyArea& area(std::size_t k) const { return m_areas[k]; }
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (const auto& a : m_areas) out.push_back(a.name.empty() ? a.id : a.name);
        return out;
    }

    /// The county a county field's text names: its name or code; else the one county whose name
    /// the text ends with ("河南省焦作市温县" is 温县: registers write the full name as often).
    std::optional<std::size_t> match(const std::string& text) {
        if (auto it = m_by_key.find(text); it != m_by_key.end()) return it->second;
        if (auto it = m_matched.find(text); it != m_matched.end()) return it->second;
        std::optional<std::size_t> found;
        bool ambiguous = false;
        for (std::size_t k = 0; k < m_areas.size(); ++k) {
            const std::string& n = m_areas[k].name;
            if (!n.empty() && text.size() > n.size() && text.compare(text.size() - n.size(), n.size(), n) == 0) {
                ambiguous = ambiguous || found.has_value();
                found = k;
            }
        }
        if (ambiguous) found.reset();
        m_matched.emplace(text, found);
        return found;
    }

    bool contains(std::size_t k, geo::Coord p) const {
        const CountyArea& c = m_areas[k];
        if (!c.box.contains(p)) return false;
        std::vector<std::uint8_t> odd(c.parts, 0);
        c.tree.search(geo::BBox{p.x, p.y, c.box.max_x, p.y}, [&](std::uint32_t i) {
            const Edge& e = c.edges[i];
            // The half-open test counts a vertex exactly on the ray once (as geo::contains).
            if ((e.a.y > p.y) != (e.b.y > p.y)) {
                const double x = e.a.x + (e.b.x - e.a.x) * (p.y - e.a.y) / (e.b.y - e.a.y);
                if (p.x < x) odd[e.part] ^= 1;
            }
            return true;
        });
        return std::any_of(odd.begin(), odd.end(), [](std::uint8_t o) { return o != 0; });
    }

    /// True when an edge of county k passes within `tolerance_m` of p.
    bool near_edge(std::size_t k, geo::Coord p, double tolerance_m) const {
        const CountyArea& c = m_areas[k];
        bool near = false;
        c.tree.search(geo::bbox_around(p, tolerance_m), [&](std::uint32_t i) {
            near = segment_distance_m(p, c.edges[i].a, c.edges[i].b) <= tolerance_m;
            return !near;
        });
        return near;
    }

    /// Metres from p to county k's boundary (every edge: asked only for the points outside).
    double distance_m(std::size_t k, geo::Coord p) const {
        double best = std::numeric_limits<double>::infinity();
        for (const Edge& e : m_areas[k].edges) best = std::min(best, segment_distance_m(p, e.a, e.b));
        return best;
    }

    /// The county that contains p, found through the admin layer's own R-tree.
    std::optional<std::size_t> locate(geo::Coord p) const {
        std::optional<std::size_t> found;
        m_admin->index().search(geo::BBox{p.x, p.y, p.x, p.y}, [&](std::uint32_t row) {
            auto it = m_by_row.find(row);
            if (it != m_by_row.end() && contains(it->second, p)) found = it->second;
            return !found;
        });
        return found;
    }

private:
    static void add_edges(const geo::Geometry& g, CountyArea& c) {
        auto ring_edges = [&](std::size_t r, std::uint32_t part) {
            const auto ring = g.ring(r);
            for (std::size_t i = 0; i + 1 < ring.size(); ++i) c.edges.push_back({ring[i], ring[i + 1], part});
        };
        if (g.type == geo::GeometryType::Polygon) {
            c.parts = 1;
            for (std::size_t r = 0; r < g.ring_count(); ++r) ring_edges(r, 0);
            return;
        }
        c.parts = static_cast<std::uint32_t>(g.polygon_starts.size() - 1);
        for (std::uint32_t p = 0; p < c.parts; ++p)
            for (std::size_t r = g.polygon_starts[p]; r < g.polygon_starts[p + 1]; ++r) ring_edges(r, p);
    }

    const model::Layer* m_admin = nullptr;
    std::vector<CountyArea> m_areas;
    std::unordered_map<std::size_t, std::size_t> m_by_row;
    std::map<std::string, std::size_t, std::less<>> m_by_key;
    std::map<std::string, std::optional<std::size_t>, std::less<>> m_matched;
};


} // namespace vigil::app::county_boundaries

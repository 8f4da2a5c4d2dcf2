/// @file
/// Geometry value types: construction, structure checks, bbox, point-in-polygon and
/// representative points. All planar in lon/lat degrees.
#include <vigil/geo/geometry.hpp>

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace vigil::geo {

std::string_view geometry_type_name(GeometryType t) {
    switch (t) {
    case GeometryType::None: return "None";
    case GeometryType::Point: return "Point";
    case GeometryType::LineString: return "LineString";
    case GeometryType::Polygon: return "Polygon";
    case GeometryType::MultiPoint: return "MultiPoint";
    case GeometryType::MultiLineString: return "MultiLineString";
    case GeometryType::MultiPolygon: return "MultiPolygon";
    }
    return "Unknown";
}

GeometryType geometry_family(GeometryType t) {
    switch (t) {
    case GeometryType::Point:
    case GeometryType::MultiPoint: return GeometryType::Point;
    case GeometryType::LineString:
    case GeometryType::MultiLineString: return GeometryType::LineString;
    case GeometryType::Polygon:
    case GeometryType::MultiPolygon: return GeometryType::Polygon;
    case GeometryType::None: break;
    }
    return GeometryType::None;
}

namespace {

// Offsets index a std::uint32_t space; a geometry beyond that would need > 64 GB of coordinates,
// but the check keeps the casts below honest.
std::uint32_t checked_offset(std::size_t n) {
    if (n > std::numeric_limits<std::uint32_t>::max()) throw FormatError(trf("geometry has too many coordinates or rings ({})", n));
    return static_cast<std::uint32_t>(n);
}

// Rings are validated where they are built so that contains() and the encoders can rely on
// closure (the closing edge is implicit in the even-odd loop only because first == last).
void append_ring(Geometry& g, const std::vector<Coord>& ring, std::size_t polygon_index, std::size_t ring_index) {
    if (ring.size() < 4)
        throw FormatError(trf("polygon {} ring {} has {} points; a ring needs at least 4", polygon_index, ring_index, ring.size()));
    if (!(ring.front() == ring.back()))
        throw FormatError(trf("polygon {} ring {} is not closed (first point != last point)", polygon_index, ring_index));
    g.coords.insert(g.coords.end(), ring.begin(), ring.end());
    g.ring_starts.push_back(checked_offset(g.coords.size()));
}

bool offsets_ok(const std::vector<std::uint32_t>& offs, std::size_t end) {
    if (offs.empty() || offs.front() != 0 || offs.back() != end) return false;
    return std::is_sorted(offs.begin(), offs.end());
}

// Parity of the number of ring edges crossed by a ray from p towards +x (even-odd rule).
// The half-open test (a.y > p.y) != (b.y > p.y) counts a vertex exactly on the ray once.
bool ring_parity(std::span<const Coord> ring, Coord p) {
    bool odd = false;
    const std::size_t n = ring.size();
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
        const Coord a = ring[i];
        const Coord b = ring[j];
        if ((a.y > p.y) != (b.y > p.y)) {
            const double x = a.x + (b.x - a.x) * (p.y - a.y) / (b.y - a.y);
            if (p.x < x) odd = !odd;
        }
    }
    return odd;
}

bool polygon_parity(const Geometry& g, std::size_t first_ring, std::size_t end_ring, Coord p) {
    bool odd = false;
    for (std::size_t r = first_ring; r < end_ring; ++r)
        if (g.ring(r).size() >= 2 && ring_parity(g.ring(r), p)) odd = !odd;
    return odd;
}

// Rings [first_ring, end_ring) of one polygon, as the scan below needs them.
struct RingRange {
    std::size_t first = 0;
    std::size_t end = 0;
};

double ring_area_abs(std::span<const Coord> ring) {
    double twice = 0;
    for (std::size_t i = 1; i < ring.size(); ++i) twice += ring[i - 1].x * ring[i].y - ring[i].x * ring[i - 1].y;
    return std::abs(twice) / 2;
}

// A point strictly inside the polygon made of `rings`, by the scan-line method: take a
// horizontal line half-way between the two vertex latitudes that straddle the middle of the
// bbox (so it passes through no vertex), intersect it with every edge, and return the middle
// of the widest inside interval. Returns false for degenerate (zero-area) polygons.
bool scan_interior_point(const Geometry& g, RingRange rings, Coord& out) {
    BBox box;
    for (std::size_t r = rings.first; r < rings.end; ++r)
        for (Coord c : g.ring(r)) box.add(c);
    if (box.empty()) return false;
    const double mid = (box.min_y + box.max_y) / 2;
    double below = -std::numeric_limits<double>::infinity();
    double above = std::numeric_limits<double>::infinity();
    for (std::size_t r = rings.first; r < rings.end; ++r)
        for (Coord c : g.ring(r)) {
            if (c.y <= mid && c.y > below) below = c.y;
            if (c.y > mid && c.y < above) above = c.y;
        }
    if (!std::isfinite(below) || !std::isfinite(above)) return false;
    const double y = below + (above - below) / 2;

    std::vector<double> xs;
    for (std::size_t r = rings.first; r < rings.end; ++r) {
        const auto ring = g.ring(r);
        for (std::size_t i = 1; i < ring.size(); ++i) {
            const Coord a = ring[i - 1];
            const Coord b = ring[i];
            if ((a.y > y) != (b.y > y)) xs.push_back(a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y));
        }
    }
    std::sort(xs.begin(), xs.end());
    double best_width = 0;
    bool found = false;
    for (std::size_t i = 0; i + 1 < xs.size(); i += 2) {
        const double width = xs[i + 1] - xs[i];
        if (width > best_width) {
            best_width = width;
            out = Coord{xs[i] + width / 2, y};
            found = true;
        }
    }
    return found;
}

Coord nan_coord() {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return Coord{nan, nan};
}

} // namespace

Geometry Geometry::point(Coord c) {
    Geometry g;
    g.type = GeometryType::Point;
    g.coords.push_back(c);
    return g;
}

Geometry Geometry::line_string(std::vector<Coord> pts) {
    Geometry g;
    g.type = GeometryType::LineString;
    checked_offset(pts.size());
    g.coords = std::move(pts);
    return g;
}

Geometry Geometry::polygon(const std::vector<std::vector<Coord>>& rings) {
    Geometry g;
    g.type = GeometryType::Polygon;
    g.ring_starts.push_back(0);
    for (std::size_t i = 0; i < rings.size(); ++i) append_ring(g, rings[i], 0, i);
    return g;
}

Geometry Geometry::multi_point(std::vector<Coord> pts) {
    Geometry g;
    g.type = GeometryType::MultiPoint;
    checked_offset(pts.size());
    g.coords = std::move(pts);
    return g;
}

Geometry Geometry::multi_line_string(const std::vector<std::vector<Coord>>& lines) {
    Geometry g;
    g.type = GeometryType::MultiLineString;
    g.ring_starts.push_back(0);
    for (const auto& line : lines) {
        g.coords.insert(g.coords.end(), line.begin(), line.end());
        g.ring_starts.push_back(checked_offset(g.coords.size()));
    }
    return g;
}

Geometry Geometry::multi_polygon(const std::vector<std::vector<std::vector<Coord>>>& polygons) {
    Geometry g;
    g.type = GeometryType::MultiPolygon;
    g.ring_starts.push_back(0);
    g.polygon_starts.push_back(0);
    for (std::size_t p = 0; p < polygons.size(); ++p) {
        for (std::size_t r = 0; r < polygons[p].size(); ++r) append_ring(g, polygons[p][r], p, r);
        g.polygon_starts.push_back(checked_offset(g.ring_count()));
    }
    return g;
}

BBox Geometry::bbox() const {
    BBox b;
    for (Coord c : coords) b.add(c);
    return b;
}

std::size_t Geometry::part_count() const {
    switch (type) {
    case GeometryType::None: return 0;
    case GeometryType::Point:
    case GeometryType::LineString: return 1;
    case GeometryType::MultiPoint: return coords.size();
    case GeometryType::Polygon:
    case GeometryType::MultiLineString: return ring_count();
    case GeometryType::MultiPolygon: return polygon_starts.empty() ? 0 : polygon_starts.size() - 1;
    }
    return 0;
}

Geometry Geometry::to_multi() const {
    Geometry m;
    switch (type) {
    case GeometryType::Point:
        m.type = GeometryType::MultiPoint;
        m.coords = coords;
        return m;
    case GeometryType::LineString:
        m.type = GeometryType::MultiLineString;
        m.coords = coords;
        m.ring_starts.push_back(0);
        // An empty line becomes an empty MultiLineString rather than one with an empty part.
        if (!coords.empty()) m.ring_starts.push_back(checked_offset(coords.size()));
        return m;
    case GeometryType::Polygon:
        m.type = GeometryType::MultiPolygon;
        m.coords = coords;
        m.ring_starts = ring_starts.empty() ? std::vector<std::uint32_t>{0} : ring_starts;
        m.polygon_starts.push_back(0);
        if (m.ring_starts.size() > 1) m.polygon_starts.push_back(checked_offset(m.ring_starts.size() - 1));
        return m;
    case GeometryType::None:
    case GeometryType::MultiPoint:
    case GeometryType::MultiLineString:
    case GeometryType::MultiPolygon: break;
    }
    return *this;
}

bool is_well_formed(const Geometry& g) {
    switch (g.type) {
    case GeometryType::None: return g.coords.empty() && g.ring_starts.empty() && g.polygon_starts.empty();
    case GeometryType::Point: return g.coords.size() == 1 && g.ring_starts.empty() && g.polygon_starts.empty();
    case GeometryType::LineString:
    case GeometryType::MultiPoint:
        return g.ring_starts.empty() && g.polygon_starts.empty() && g.coords.size() <= std::numeric_limits<std::uint32_t>::max();
    case GeometryType::Polygon:
    case GeometryType::MultiLineString: return offsets_ok(g.ring_starts, g.coords.size()) && g.polygon_starts.empty();
    case GeometryType::MultiPolygon:
        return offsets_ok(g.ring_starts, g.coords.size()) && offsets_ok(g.polygon_starts, g.ring_starts.size() - 1);
    }
    return false;
}

bool contains(const Geometry& polygon, Coord p) {
    if (polygon.is_empty() || !std::isfinite(p.x) || !std::isfinite(p.y)) return false;
    if (polygon.type == GeometryType::Polygon) {
        if (!polygon.bbox().contains(p)) return false;
        return polygon_parity(polygon, 0, polygon.ring_count(), p);
    }
    if (polygon.type == GeometryType::MultiPolygon) {
        // Per polygon rather than over all rings at once, so that overlapping parts (invalid,
        // but seen in hand-drawn registers) do not cancel each other out.
        for (std::size_t i = 0; i + 1 < polygon.polygon_starts.size(); ++i)
            if (polygon_parity(polygon, polygon.polygon_starts[i], polygon.polygon_starts[i + 1], p)) return true;
    }
    return false;
}

Coord representative_point(const Geometry& g) {
    if (g.is_empty()) return nan_coord();
    switch (g.type) {
    case GeometryType::Point:
    case GeometryType::MultiPoint: return g.coords.front();
    case GeometryType::LineString: return g.coords[g.coords.size() / 2];
    case GeometryType::MultiLineString: {
        std::size_t best = 0;
        for (std::size_t i = 1; i < g.ring_count(); ++i)
            if (g.ring(i).size() > g.ring(best).size()) best = i;
        const auto line = g.ring(best);
        return line[line.size() / 2];
    }
    case GeometryType::Polygon:
    case GeometryType::MultiPolygon: {
        const BBox box = g.bbox();
        const Coord centre{box.min_x + (box.max_x - box.min_x) / 2, box.min_y + (box.max_y - box.min_y) / 2};
        if (contains(g, centre)) return centre;
        // Scan the largest polygon (by outer-ring area): a label belongs on the main body of
        // a district, not on an islet.
        RingRange best{0, g.ring_count()};
        if (g.type == GeometryType::MultiPolygon) {
            double best_area = -1;
            for (std::size_t i = 0; i + 1 < g.polygon_starts.size(); ++i) {
                const RingRange rr{g.polygon_starts[i], g.polygon_starts[i + 1]};
                if (rr.first == rr.end) continue;
                const double area = ring_area_abs(g.ring(rr.first));
                if (area > best_area) {
                    best_area = area;
                    best = rr;
                }
            }
        }
        Coord inside;
        if (scan_interior_point(g, best, inside)) return inside;
        // Degenerate (zero-area) polygon: any vertex is as good as it gets.
        return g.coords.front();
    }
    case GeometryType::None: break;
    }
    return nan_coord();
}

} // namespace vigil::geo

/// @file
/// Isochrone polygons from node times: reachable road pieces, buffered on a raster, outlines
/// traced into rings (the method and why it is a raster are in isochrone.hpp).
///
/// Outline tracing: every side of a marked cell whose neighbour is not marked is a directed
/// edge on the cell lattice, oriented with the marked cell on its left, so outer rings run
/// counter-clockwise and holes clockwise:
///
///            <----          bottom: (x, y) -> (x+1, y)     top:  (x+1, y+1) -> (x, y+1)
///          |  ##  ^         right:  (x+1, y) -> (x+1, y+1) left: (x, y+1) -> (x, y)
///          v  ##  |
///            ---->          where two marked cells touch only at a corner, the walk turns
///                           left, so marked cells join only through a side (4-connected).
///
/// Each ring is given to the 4-connected component of the marked cell on the left of its first
/// edge: the counter-clockwise ring of a component is its outer ring, the clockwise ones its holes.

#include <vigil/routing/isochrone.hpp>

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace vigil::routing {

namespace {

constexpr double k_deg_m = 6371008.8 * 3.14159265358979323846 / 180.0; // metres per degree of latitude

struct Piece {
    geo::Coord a, b; // lon/lat; a == b for a node reached but not left
};

// The parts of every segment reachable within `limit`.
void reachable_pieces(const RoadGraph& g, const std::vector<double>& t, TravelDirection dir, double limit, std::vector<Piece>& out) {
    out.clear();
    for (std::uint32_t si = 0; si < g.segment_count(); ++si) {
        const RoadGraph::Segment& s = g.segment(si);
        const double ta = t[s.a], tb = t[s.b];
        if (!(ta <= limit) && !(tb <= limit)) continue;
        // From a reached end, how far along the segment is within the limit: leaving a means
        // driving a -> b outward (from_points), or arriving at a from inside the segment (b -> a
        // direction) towards the points.
        const bool from = dir == TravelDirection::from_points;
        const bool a_way = from ? s.forward : s.backward;
        const bool b_way = from ? s.backward : s.forward;
        auto reach = [&](double te, bool way) {
            if (!(te <= limit)) return -1.0;
            if (!way) return 0.0;
            if (s.time_s <= 0) return 1.0;
            return std::min(1.0, (limit - te) / s.time_s);
        };
        const double fa = reach(ta, a_way), fb = reach(tb, b_way);
        const geo::Coord pa = g.node(s.a), pb = g.node(s.b);
        auto at = [&](double f) { return geo::Coord{pa.x + f * (pb.x - pa.x), pa.y + f * (pb.y - pa.y)}; };
        if (fa >= 0 && fb >= 0 && fa + fb >= 1) {
            out.push_back({pa, pb});
            continue;
        }
        if (fa >= 0) out.push_back({pa, at(fa)});
        if (fb >= 0) out.push_back({at(1 - fb), pb});
    }
}

struct Frame {
    double lon0 = 0, lat0 = 0, kx = 1, ky = k_deg_m; // metres = (deg - origin) * k
    double ox = 0, oy = 0, cell = 1;                 // grid origin (metres) and cell size
    std::size_t w = 0, h = 0;
    double gx(double lon) const { return ((lon - lon0) * kx - ox) / cell; } // grid units
    double gy(double lat) const { return ((lat - lat0) * ky - oy) / cell; }
    geo::Coord lonlat(double x, double y) const { return {lon0 + (ox + x * cell) / kx, lat0 + (oy + y * cell) / ky}; }
};

void rasterize(const Frame& f, const std::vector<Piece>& pieces, double buffer_m, std::vector<std::uint8_t>& mask) {
    std::fill(mask.begin(), mask.end(), 0);
    const double r = buffer_m / f.cell, r2 = r * r;
    for (const Piece& p : pieces) {
        const double ax = f.gx(p.a.x), ay = f.gy(p.a.y), bx = f.gx(p.b.x), by = f.gy(p.b.y);
        const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
        // Cell (i, j) has its centre at (i + 0.5, j + 0.5) in grid units.
        const auto i0 = static_cast<std::ptrdiff_t>(std::max(0.0, std::floor(std::min(ax, bx) - r - 0.5)));
        const auto i1 = static_cast<std::ptrdiff_t>(std::min(static_cast<double>(f.w) - 1, std::ceil(std::max(ax, bx) + r)));
        const auto j0 = static_cast<std::ptrdiff_t>(std::max(0.0, std::floor(std::min(ay, by) - r - 0.5)));
        const auto j1 = static_cast<std::ptrdiff_t>(std::min(static_cast<double>(f.h) - 1, std::ceil(std::max(ay, by) + r)));
        for (std::ptrdiff_t j = j0; j <= j1; ++j)
            for (std::ptrdiff_t i = i0; i <= i1; ++i) {
                const double cx = static_cast<double>(i) + 0.5 - ax, cy = static_cast<double>(j) + 0.5 - ay;
                double u = len2 > 0 ? (cx * dx + cy * dy) / len2 : 0;
                u = std::clamp(u, 0.0, 1.0);
                const double ex = cx - u * dx, ey = cy - u * dy;
                if (ex * ex + ey * ey <= r2) mask[static_cast<std::size_t>(j) * f.w + static_cast<std::size_t>(i)] = 1;
            }
    }
}

// Outline of the marked cells as a MultiPolygon (see the file comment).
geo::Geometry trace(const Frame& f, const std::vector<std::uint8_t>& mask, std::vector<std::int32_t>& comp) {
    const std::size_t w = f.w, h = f.h;
    auto marked = [&](std::ptrdiff_t i, std::ptrdiff_t j) {
        return i >= 0 && j >= 0 && static_cast<std::size_t>(i) < w && static_cast<std::size_t>(j) < h &&
               mask[static_cast<std::size_t>(j) * w + static_cast<std::size_t>(i)] != 0;
    };
    // 4-connected components of marked cells.
    comp.assign(w * h, -1);
    std::int32_t comps = 0;
    std::vector<std::size_t> stack;
    for (std::size_t c = 0; c < w * h; ++c) {
        if (!mask[c] || comp[c] >= 0) continue;
        comp[c] = comps;
        stack.push_back(c);
        while (!stack.empty()) {
            const std::size_t k = stack.back();
            stack.pop_back();
            const std::size_t i = k % w, j = k / w;
            auto visit = [&](std::size_t n) {
                if (mask[n] && comp[n] < 0) {
                    comp[n] = comps;
                    stack.push_back(n);
                }
            };
            if (i > 0) visit(k - 1);
            if (i + 1 < w) visit(k + 1);
            if (j > 0) visit(k - w);
            if (j + 1 < h) visit(k + w);
        }
        ++comps;
    }
    // Directed boundary edges, keyed by their start vertex (lattice (x, y) -> y * (w + 1) + x).
    struct Edge {
        std::uint64_t from, to;
        std::uint8_t dir; // 0 east, 1 north, 2 west, 3 south
        std::int32_t comp;
    };
    std::vector<Edge> edges;
    const std::uint64_t vw = w + 1;
    auto vid = [&](std::size_t x, std::size_t y) { return static_cast<std::uint64_t>(y) * vw + x; };
    for (std::size_t j = 0; j < h; ++j)
        for (std::size_t i = 0; i < w; ++i) {
            const std::size_t k = j * w + i;
            if (!mask[k]) continue;
            const auto si = static_cast<std::ptrdiff_t>(i), sj = static_cast<std::ptrdiff_t>(j);
            if (!marked(si, sj - 1)) edges.push_back({vid(i, j), vid(i + 1, j), 0, comp[k]});
            if (!marked(si + 1, sj)) edges.push_back({vid(i + 1, j), vid(i + 1, j + 1), 1, comp[k]});
            if (!marked(si, sj + 1)) edges.push_back({vid(i + 1, j + 1), vid(i, j + 1), 2, comp[k]});
            if (!marked(si - 1, sj)) edges.push_back({vid(i, j + 1), vid(i, j), 3, comp[k]});
        }
    std::sort(edges.begin(), edges.end(), [](const Edge& l, const Edge& r) { return l.from != r.from ? l.from < r.from : l.dir < r.dir; });
    std::vector<std::uint8_t> used(edges.size(), 0);
    auto first_from = [&](std::uint64_t v) {
        return static_cast<std::size_t>(
            std::lower_bound(edges.begin(), edges.end(), v, [](const Edge& e, std::uint64_t x) { return e.from < x; }) - edges.begin());
    };
    std::vector<std::vector<std::vector<geo::Coord>>> polygons(static_cast<std::size_t>(comps));
    std::vector<std::vector<geo::Coord>> holes;
    std::vector<std::int32_t> hole_comp;
    for (std::size_t e0 = 0; e0 < edges.size(); ++e0) {
        if (used[e0]) continue;
        std::vector<geo::Coord> ring;
        double area2 = 0;
        std::size_t e = e0;
        int last_dir = -1;
        while (!used[e]) {
            used[e] = 1;
            const Edge& ed = edges[e];
            // Vertex numbers are row * vw + column: the row is the whole quotient.
            const auto row0 = ed.from / vw, row1 = ed.to / vw;
            const double x0 = static_cast<double>(ed.from % vw), y0 = static_cast<double>(row0);
            const double x1 = static_cast<double>(ed.to % vw), y1 = static_cast<double>(row1);
            area2 += x0 * y1 - x1 * y0;
            if (ed.dir != last_dir) ring.push_back(f.lonlat(x0, y0)); // keep corners only
            last_dir = ed.dir;
            // Next edge from ed.to: at a corner shared by two marked cells only diagonally there
            // are two; take the left turn (dir + 1), else straight, else right. The choice
            // depends only on the edge arriving, so each ring closes on its own first edge.
            const std::size_t k = first_from(ed.to);
            std::size_t pick = edges.size();
            for (int turn : {1, 0, 3}) {
                const auto want = static_cast<std::uint8_t>((ed.dir + turn) % 4);
                for (std::size_t q = k; q < edges.size() && edges[q].from == ed.to; ++q)
                    if (edges[q].dir == want) {
                        pick = q;
                        break;
                    }
                if (pick != edges.size()) break;
            }
            if (pick == edges.size()) break; // cannot happen on a closed lattice outline
            e = pick;
        }
        // The first vertex is a corner only if the last edge turned into the first one.
        if (ring.size() > 1 && last_dir == edges[e0].dir) ring.erase(ring.begin());
        if (ring.size() < 3) continue;
        ring.push_back(ring.front());
        if (area2 > 0)
            polygons[static_cast<std::size_t>(edges[e0].comp)].insert(polygons[static_cast<std::size_t>(edges[e0].comp)].begin(),
                                                                      std::move(ring));
        else polygons[static_cast<std::size_t>(edges[e0].comp)].push_back(std::move(ring));
    }
    std::erase_if(polygons, [](const auto& p) { return p.empty(); });
    if (polygons.empty()) return {};
    return geo::Geometry::multi_polygon(polygons);
}

} // namespace

std::vector<IsochroneBand> isochrone_polygons(const RoadGraph& graph, const NodeTimes& times, std::span<const double> limits_s,
                                              const IsochronePolygonOptions& options) {
    if (!(options.buffer_m > 0) || !std::isfinite(options.buffer_m))
        throw UsageError(tr("isochrone polygons: the buffer must be a positive number of metres"));
    if (!(options.cell_m >= 0) || !std::isfinite(options.cell_m))
        throw UsageError(tr("isochrone polygons: the cell size must be >= 0 metres"));
    double max_limit = 0;
    for (double l : limits_s) {
        if (!(l > 0) || !std::isfinite(l)) throw UsageError(tr("isochrone polygons: a time limit must be a positive number of seconds"));
        if (l > times.limit_s)
            throw UsageError(trf("isochrone polygons: limit {} s is beyond the node times' {} s: compute them to the largest limit",
                                 std::to_string(l), std::to_string(times.limit_s)));
        max_limit = std::max(max_limit, l);
    }
    std::vector<IsochroneBand> out;
    for (double l : limits_s) out.push_back({l, {}});
    if (times.nodes.empty() || limits_s.empty()) return out;

    std::vector<double> t(graph.node_count(), std::numeric_limits<double>::infinity());
    for (std::size_t i = 0; i < times.nodes.size(); ++i)
        if (times.nodes[i] < t.size()) t[times.nodes[i]] = times.time_s[i];

    // One frame for every band (fitted to the largest), so nested bands share their cells.
    std::vector<Piece> pieces;
    reachable_pieces(graph, t, times.direction, max_limit, pieces);
    if (pieces.empty()) return out;
    geo::BBox box;
    for (const Piece& p : pieces) {
        box.add(p.a);
        box.add(p.b);
    }
    Frame f;
    f.lon0 = (box.min_x + box.max_x) / 2;
    f.lat0 = (box.min_y + box.max_y) / 2;
    f.kx = k_deg_m * std::cos(f.lat0 * 3.14159265358979323846 / 180.0);
    const double margin = options.buffer_m * 1.5;
    const double width_m = (box.max_x - box.min_x) * f.kx + 2 * margin, height_m = (box.max_y - box.min_y) * f.ky + 2 * margin;
    f.cell = options.cell_m > 0 ? options.cell_m : options.buffer_m / 2;
    const double max_cells = static_cast<double>(std::max<std::size_t>(options.max_cells, 16));
    if (width_m / f.cell * (height_m / f.cell) > max_cells) f.cell = std::sqrt(width_m * height_m / max_cells) * 1.001;
    f.ox = (box.min_x - f.lon0) * f.kx - margin;
    f.oy = (box.min_y - f.lat0) * f.ky - margin;
    f.w = static_cast<std::size_t>(std::ceil(width_m / f.cell)) + 1;
    f.h = static_cast<std::size_t>(std::ceil(height_m / f.cell)) + 1;

    std::vector<std::uint8_t> mask(f.w * f.h);
    std::vector<std::int32_t> comp;
    for (IsochroneBand& band : out) {
        reachable_pieces(graph, t, times.direction, band.limit_s, pieces);
        if (pieces.empty()) continue;
        rasterize(f, pieces, options.buffer_m, mask);
        band.area = trace(f, mask, comp);
    }
    return out;
}

} // namespace vigil::routing

/// @file
/// Building the road graph (node snapping, CSR arrays, segment index), the speed profile and
/// snapping points onto segments.

#include <vigil/routing/road_graph.hpp>

#include <vigil/geo/geodesic.hpp>
#include <vigil/model/layer.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

namespace vigil::routing {

// [SpeedProfile] ---------------------------------------------------------------------------

double SpeedProfile::speed_kmh(std::string_view road_class) const {
    auto it = class_kmh.find(road_class);
    return it == class_kmh.end() ? default_kmh : it->second;
}

double SpeedProfile::road_kmh(std::string_view road_class, double posted_kmh) const {
    const double class_speed = speed_kmh(road_class);
    // !(posted > 0) also catches NaN: an unreadable limit is no limit, the class speed stands.
    return posted_kmh > 0 ? std::min(class_speed, posted_kmh) : class_speed;
}

SpeedProfile SpeedProfile::defaults() {
    // Fire engines and hazmat trucks, not cars: heavy vehicles with sirens, typical speeds
    // reached over a whole trip rather than the posted limits. Keep in step with
    // layers/routing/road_speeds.json.
    SpeedProfile p;
    p.class_kmh = {{"expressway", 80}, {"national", 60}, {"provincial", 55}, {"county", 45},
                   {"township", 35},   {"urban", 30},    {"other", 20}};
    p.default_kmh = 30;
    p.access_kmh = 15;
    return p;
}

SpeedProfile SpeedProfile::parse(std::string_view json_text, std::string_view source) {
    const std::string where(source);
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(json_text);
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(trf("{}: not valid JSON: {}", where, e.what()));
    }
    if (!j.is_object()) throw FormatError(trf("{}: a road speed file holds one JSON object", where));
    if (j.value("format", std::string()) != "vigil-road-speeds/1")
        throw FormatError(trf("{}: format: expected \"vigil-road-speeds/1\"", where));
    auto speed = [&](const nlohmann::json& v, const std::string& path) {
        if (!v.is_number()) throw FormatError(trf("{}: {}: expected a number of km/h", where, path));
        double kmh = v.get<double>();
        if (!(kmh >= 1 && kmh <= 200)) throw FormatError(trf("{}: {}: {} km/h is outside 1..200", where, path, v.dump()));
        return kmh;
    };
    SpeedProfile p = defaults();
    if (j.contains("default_kmh")) p.default_kmh = speed(j["default_kmh"], "default_kmh");
    if (j.contains("access_kmh")) p.access_kmh = speed(j["access_kmh"], "access_kmh");
    if (j.contains("classes")) {
        const auto& classes = j["classes"];
        if (!classes.is_object()) throw FormatError(trf("{}: classes: expected an object {{class: {{\"kmh\": N}}}}", where));
        for (const auto& [name, v] : classes.items()) {
            const std::string path = "classes." + name;
            if (v.is_number()) {
                p.class_kmh[name] = speed(v, path);
            } else if (v.is_object() && v.contains("kmh")) {
                p.class_kmh[name] = speed(v["kmh"], path + ".kmh");
            } else {
                throw FormatError(trf("{}: {}: expected {{\"kmh\": N}} or a number", where, path));
            }
        }
    }
    return p;
}

// [Geometry helpers] -----------------------------------------------------------------------

namespace {

// The closest point of segment a-b to p (fraction and point), without its distance, in the
// local equirectangular frame around p where longitude shrinks by kx = cos(latitude of p)
// (passed in: snapping projects p on dozens of segments and cos is a libm call).
Snap project_on_segment(geo::Coord p, geo::Coord a, geo::Coord b, double kx) {
    const double ax = (a.x - p.x) * kx, ay = a.y - p.y;
    const double bx = (b.x - p.x) * kx, by = b.y - p.y;
    const double dx = bx - ax, dy = by - ay;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    Snap s;
    s.fraction = t;
    s.point = {a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)};
    return s;
}

} // namespace

Snap closest_on_segment(geo::Coord p, geo::Coord a, geo::Coord b) {
    Snap s = project_on_segment(p, a, b, std::cos(p.y * 3.14159265358979323846 / 180.0));
    s.access_m = geo::geodesic_distance_m(p, s.point);
    return s;
}

namespace {

// Vertices closer than 1e-7 degrees (~1 cm) are one node. The key packs the rounded lon/lat
// into 64 bits: lon*1e7 spans 3.6e9 values and lat*1e7 1.8e9, each under 2^32.
std::uint64_t node_key(geo::Coord c) {
    auto x = static_cast<std::uint64_t>(std::llround(c.x * 1e7) + 1800000000LL);
    auto y = static_cast<std::uint64_t>(std::llround(c.y * 1e7) + 900000000LL);
    return (x << 32) | (y & 0xffffffffULL);
}

bool valid(geo::Coord c) { return std::isfinite(c.x) && std::isfinite(c.y) && c.x >= -180 && c.x <= 180 && c.y >= -90 && c.y <= 90; }

// Fills first/arcs (CSR) from (tail, arc) pairs; the arcs of a node keep the pairs' order.
void fill_csr(std::size_t nodes, const std::vector<std::pair<std::uint32_t, RoadGraph::Arc>>& pairs, std::vector<std::uint32_t>& first,
              std::vector<RoadGraph::Arc>& arcs) {
    first.assign(nodes + 1, 0);
    for (const auto& [tail, arc] : pairs) ++first[tail + 1];
    for (std::size_t n = 0; n < nodes; ++n) first[n + 1] += first[n];
    arcs.resize(pairs.size());
    std::vector<std::uint32_t> next(first.begin(), first.end() - 1);
    for (const auto& [tail, arc] : pairs) arcs[next[tail]++] = arc;
}

} // namespace

// [RoadGraph] ------------------------------------------------------------------------------

RoadGraph RoadGraph::build(std::span<const RoadLine> lines, const SpeedProfile& speeds) {
    RoadGraph g;
    g.m_speeds = speeds;
    std::unordered_map<std::uint64_t, std::uint32_t> node_of;
    auto node = [&](geo::Coord c) {
        auto [it, inserted] = node_of.try_emplace(node_key(c), static_cast<std::uint32_t>(g.m_nodes.size()));
        if (inserted) {
            if (g.m_nodes.size() >= k_none) throw UsageError(tr("road graph: more than 2^32 - 1 nodes"));
            g.m_nodes.push_back(c);
        }
        return it->second;
    };
    for (std::size_t li = 0; li < lines.size(); ++li) {
        const RoadLine& line = lines[li];
        for (const auto& c : line.points)
            if (!valid(c)) throw FormatError(trf("road line {}: a vertex is not a valid lon/lat coordinate", li));
        const double kmh = speeds.road_kmh(line.road_class, line.speed_kmh);
        const double mps = kmh / 3.6;
        for (std::size_t i = 1; i < line.points.size(); ++i) {
            // A repeated vertex is no segment; skipping it before node() keeps isolated nodes out.
            if (node_key(line.points[i - 1]) == node_key(line.points[i])) continue;
            std::uint32_t a = node(line.points[i - 1]);
            std::uint32_t b = node(line.points[i]);
            double len = geo::geodesic_distance_m(g.m_nodes[a], g.m_nodes[b]);
            if (g.m_segments.size() >= k_none) throw UsageError(tr("road graph: more than 2^32 - 1 segments"));
            Segment s;
            s.a = a;
            s.b = b;
            s.length_m = static_cast<float>(len);
            s.time_s = static_cast<float>(len / mps);
            s.forward = true;
            s.backward = !line.oneway;
            g.m_segments.push_back(s);
        }
    }
    g.finish();
    return g;
}

RoadGraph RoadGraph::from_edges(std::vector<geo::Coord> nodes, std::span<const EdgeInput> edges, const SpeedProfile& speeds) {
    if (nodes.size() >= k_none || edges.size() >= k_none) throw UsageError(tr("road graph: more than 2^32 - 1 nodes or edges"));
    RoadGraph g;
    g.m_speeds = speeds;
    for (std::size_t i = 0; i < nodes.size(); ++i)
        if (!valid(nodes[i])) throw FormatError(trf("road node {}: not a valid lon/lat coordinate", i));
    g.m_nodes = std::move(nodes);
    g.m_segments.reserve(edges.size());
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const EdgeInput& e = edges[i];
        if (e.a >= g.m_nodes.size() || e.b >= g.m_nodes.size()) throw FormatError(trf("road edge {}: node index out of range", i));
        if (!(e.length_m >= 0) || !(e.time_s >= 0) || !std::isfinite(e.length_m) || !std::isfinite(e.time_s))
            throw FormatError(trf("road edge {}: length and time must be finite and >= 0", i));
        if (e.a == e.b) continue; // a loop never shortens a route
        Segment s;
        s.a = e.a;
        s.b = e.b;
        s.length_m = static_cast<float>(e.length_m);
        s.time_s = static_cast<float>(e.time_s);
        s.backward = !e.oneway;
        g.m_segments.push_back(s);
    }
    g.finish();
    return g;
}

void RoadGraph::finish() {
    RoadGraph& g = *this;
    std::vector<std::pair<std::uint32_t, Arc>> fwd, rev;
    fwd.reserve(g.m_segments.size() * 2);
    rev.reserve(g.m_segments.size() * 2);
    index::HilbertRTreeBuilder ib(g.m_segments.size());
    for (std::uint32_t si = 0; si < g.m_segments.size(); ++si) {
        const Segment& s = g.m_segments[si];
        if (s.forward) {
            fwd.push_back({s.a, Arc{s.b, si, s.time_s}});
            rev.push_back({s.b, Arc{s.a, si, s.time_s}});
        }
        if (s.backward) {
            fwd.push_back({s.b, Arc{s.a, si, s.time_s}});
            rev.push_back({s.a, Arc{s.b, si, s.time_s}});
        }
        geo::BBox box;
        box.add(g.m_nodes[s.a]);
        box.add(g.m_nodes[s.b]);
        ib.add(box);
    }
    fill_csr(g.m_nodes.size(), fwd, g.m_fwd_first, g.m_fwd_arcs);
    fill_csr(g.m_nodes.size(), rev, g.m_rev_first, g.m_rev_arcs);
    g.m_index = ib.finish();
}

RoadGraph RoadGraph::from_layer(const model::Layer& roads, const SpeedProfile& speeds) {
    const auto& kind = roads.kind();
    if (kind.geometry != catalog::GeometryKind::Line)
        throw SchemaError(trf("layer '{}' is not a line layer: no road graph can be built from it", kind.kind));
    auto class_field = kind.field_index("road_class");
    auto oneway_field = kind.field_index("oneway");
    auto speed_field = kind.field_index("speed_kmh");
    std::vector<RoadLine> lines;
    lines.reserve(roads.size());
    for (std::size_t row = 0; row < roads.size(); ++row) {
        const geo::Geometry& g = roads.geometry(row);
        if (g.is_empty()) continue;
        RoadLine base;
        if (class_field) base.road_class = model::to_text(roads.value(row, *class_field));
        if (oneway_field) {
            const auto& v = roads.value(row, *oneway_field);
            if (const auto* i = std::get_if<std::int64_t>(&v)) base.oneway = *i != 0;
        }
        if (speed_field) {
            const auto& v = roads.value(row, *speed_field);
            if (const auto* d = std::get_if<double>(&v)) base.speed_kmh = *d;
            else if (const auto* i = std::get_if<std::int64_t>(&v)) base.speed_kmh = static_cast<double>(*i);
        }
        if (g.type == geo::GeometryType::LineString) {
            base.points = g.coords;
            lines.push_back(std::move(base));
        } else if (g.type == geo::GeometryType::MultiLineString) {
            for (std::size_t part = 0; part < g.ring_count(); ++part) {
                RoadLine l = base;
                auto r = g.ring(part);
                l.points.assign(r.begin(), r.end());
                lines.push_back(std::move(l));
            }
        }
    }
    try {
        return build(lines, speeds);
    } catch (const FormatError& e) {
        throw FormatError("layer '" + kind.kind + "': " + e.what());
    }
}

std::optional<Snap> RoadGraph::snap(geo::Coord p, double max_distance_m) const {
    if (m_segments.empty() || !valid(p)) return std::nullopt;
    // Ranked in a local equirectangular frame around p, in metres: a box's bound and a
    // segment's distance are then the same scaled Euclidean metric, so the bound is exact and
    // both cost a few multiplications (geodesic bounds cost trigonometry per box and made
    // snapping 40 us a point, more than the PHAST query itself). Within 10 km of p the frame is
    // within 0.2 % of the geodesic distance, so two roads that close may swap; both are fine.
    // Only the winner gets the ellipsoidal distance, and the limit is checked on that. (The frame
    // does not wrap at the antimeridian; no Vigil network crosses it.)
    // Squared distances throughout: the ranking is the same, and std::hypot (a libm call that
    // guards against overflow these magnitudes never reach) and a cos per segment were half of a
    // snap's time (snap_500 at 1M edges: 3.1 -> 1.7 ms). What remains is mostly cache misses in
    // the tree: a specialised k = 1 search without std::function measured no faster.
    constexpr double k_m_per_deg = 6371008.8 * 3.14159265358979323846 / 180.0;
    const double ky = k_m_per_deg, kx = k_m_per_deg * std::cos(p.y * 3.14159265358979323846 / 180.0);
    const double kx2 = kx * kx, ky2 = ky * ky, cos_lat = kx / k_m_per_deg;
    auto planar2 = [&](double dx_deg, double dy_deg) { return dx_deg * dx_deg * kx2 + dy_deg * dy_deg * ky2; };
    const double search_m = std::isfinite(max_distance_m) ? max_distance_m * 1.01 + 1 : max_distance_m;
    const auto hits = m_index.nearest(
        1, search_m * search_m,
        [&](const geo::BBox& box) {
            const double dx = std::max({0.0, box.min_x - p.x, p.x - box.max_x});
            const double dy = std::max({0.0, box.min_y - p.y, p.y - box.max_y});
            return planar2(dx, dy);
        },
        [&](std::uint32_t s) {
            const geo::Coord q = project_on_segment(p, m_nodes[m_segments[s].a], m_nodes[m_segments[s].b], cos_lat).point;
            return planar2(q.x - p.x, q.y - p.y);
        });
    if (hits.empty()) return std::nullopt;
    const Segment& seg = m_segments[hits[0].item];
    Snap s = closest_on_segment(p, m_nodes[seg.a], m_nodes[seg.b]);
    if (s.access_m > max_distance_m) return std::nullopt;
    s.segment = hits[0].item;
    return s;
}

} // namespace vigil::routing

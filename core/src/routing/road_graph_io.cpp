/// @file
/// The road graph's byte buffer (serialize / deserialize), its contraction hierarchy, and
/// closures by area (segments_in).
///
/// Bytes, all little-endian:
///
///     "VGRG"  u32 version (1)  u32 flags (bit 0: a hierarchy follows)
///     u32 node count N   u32 segment count S
///     speed profile: f64 default_kmh, f64 access_kmh, u32 class count,
///                    per class: u32 name length, UTF-8 name, f64 km/h
///     nodes:    N x (f64 lon, f64 lat)
///     segments: S x (u32 a, u32 b, f32 length_m, f32 time_s, u8 direction: bit 0 a->b, bit 1 b->a)
///     hierarchy (ContractionHierarchy::write) if flagged
///     u64 FNV-1a hash of every byte before it
///
/// The CSR arrays and the segment R-tree are rebuilt on load (a few hundred ms at 1M edges,
/// cheaper than shipping them); the hierarchy is what is expensive to build and is stored.

#include <vigil/routing/road_graph.hpp>

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include "byte_io.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

namespace vigil::routing {

namespace {

constexpr char k_magic[4] = {'V', 'G', 'R', 'G'};
constexpr std::uint32_t k_version = 1;

std::uint64_t fnv1a(std::span<const std::byte> bytes) {
    std::uint64_t h = 1469598103934665603ULL;
    for (std::byte b : bytes) {
        h ^= static_cast<std::uint64_t>(b);
        h *= 1099511628211ULL;
    }
    return h;
}

} // namespace

void RoadGraph::build_hierarchy(const ChOptions& options) {
    m_ch = std::make_shared<const ContractionHierarchy>(ContractionHierarchy::build(*this, options));
}

std::vector<std::byte> RoadGraph::serialize() const {
    using detail::put;
    std::vector<std::byte> out;
    out.reserve(64 + m_nodes.size() * 16 + m_segments.size() * 17 + (m_ch ? m_ch->arc_count() * 24 + m_nodes.size() * 12 : 0));
    for (char c : k_magic) put<char>(out, c);
    put<std::uint32_t>(out, k_version);
    put<std::uint32_t>(out, m_ch ? 1u : 0u);
    put<std::uint32_t>(out, static_cast<std::uint32_t>(m_nodes.size()));
    put<std::uint32_t>(out, static_cast<std::uint32_t>(m_segments.size()));
    put<double>(out, m_speeds.default_kmh);
    put<double>(out, m_speeds.access_kmh);
    put<std::uint32_t>(out, static_cast<std::uint32_t>(m_speeds.class_kmh.size()));
    for (const auto& [name, kmh] : m_speeds.class_kmh) {
        put<std::uint32_t>(out, static_cast<std::uint32_t>(name.size()));
        for (char c : name) put<char>(out, c);
        put<double>(out, kmh);
    }
    for (const geo::Coord& c : m_nodes) {
        put<double>(out, c.x);
        put<double>(out, c.y);
    }
    for (const Segment& s : m_segments) {
        put<std::uint32_t>(out, s.a);
        put<std::uint32_t>(out, s.b);
        put<float>(out, s.length_m);
        put<float>(out, s.time_s);
        put<std::uint8_t>(out, static_cast<std::uint8_t>((s.forward ? 1 : 0) | (s.backward ? 2 : 0)));
    }
    if (m_ch) m_ch->write(out);
    put<std::uint64_t>(out, fnv1a(out));
    return out;
}

RoadGraph RoadGraph::deserialize(std::span<const std::byte> bytes) {
    using detail::get;
    if (bytes.size() < 4 + 8 || std::memcmp(bytes.data(), k_magic, 4) != 0)
        throw FormatError(trf("road graph bytes: not a Vigil road graph (no \"VGRG\" header; {} bytes)", bytes.size()));
    std::size_t pos = 4;
    const auto version = get<std::uint32_t>(bytes, pos, "version");
    if (version != k_version)
        throw FormatError(trf("road graph bytes: format version {}, this Vigil reads version {}", version, k_version));
    // The hash first: a flipped byte anywhere is "corrupted", not a confusing message about
    // whatever field it happened to hit.
    const std::size_t body = bytes.size() - 8;
    std::size_t hash_pos = body;
    if (get<std::uint64_t>(bytes, hash_pos, "checksum") != fnv1a(bytes.first(body)))
        throw FormatError(trf("road graph bytes: checksum mismatch (truncated or corrupted, {} bytes)", bytes.size()));
    const auto data = bytes.first(body);
    const auto flags = get<std::uint32_t>(data, pos, "flags");
    if (flags > 1) throw FormatError(trf("road graph bytes: unknown flags {}", flags));
    const auto n = get<std::uint32_t>(data, pos, "node count");    // i18n: not shown: a field of the file format
    const auto s = get<std::uint32_t>(data, pos, "segment count"); // i18n: not shown: a field of the file format
    RoadGraph g;
    g.m_speeds.class_kmh.clear();
    g.m_speeds.default_kmh = get<double>(data, pos, "speed profile"); // i18n: not shown: a field of the file format
    g.m_speeds.access_kmh = get<double>(data, pos, "speed profile");  // i18n: not shown: a field of the file format
    auto speed_ok = [](double kmh) { return kmh >= 1 && kmh <= 200; };
    if (!speed_ok(g.m_speeds.default_kmh) || !speed_ok(g.m_speeds.access_kmh))
        throw FormatError(tr("road graph bytes: a speed outside 1..200 km/h"));
    const auto classes = get<std::uint32_t>(data, pos, "speed class count"); // i18n: not shown: a field of the file format
    for (std::uint32_t i = 0; i < classes; ++i) {
        const auto len = get<std::uint32_t>(data, pos, "speed class name");      // i18n: not shown: a field of the file format
        auto name = detail::get_array<char>(data, pos, len, "speed class name"); // i18n: not shown: a field of the file format
        const double kmh = get<double>(data, pos, "speed class");                // i18n: not shown: a field of the file format
        if (!speed_ok(kmh)) throw FormatError(trf("road graph bytes: speed class {} outside 1..200 km/h", i));
        g.m_speeds.class_kmh[std::string(name.begin(), name.end())] = kmh;
    }
    if (static_cast<std::uint64_t>(n) * 16 > data.size() - std::min(pos, data.size()))
        throw FormatError(trf("road graph bytes: truncated in the nodes ({} announced)", n));
    g.m_nodes.resize(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        geo::Coord c{get<double>(data, pos, "node"), get<double>(data, pos, "node")};
        if (!(std::isfinite(c.x) && std::isfinite(c.y) && c.x >= -180 && c.x <= 180 && c.y >= -90 && c.y <= 90))
            throw FormatError(trf("road graph bytes: node {} is not a valid lon/lat coordinate", i));
        g.m_nodes[i] = c;
    }
    if (static_cast<std::uint64_t>(s) * 17 > data.size() - std::min(pos, data.size()))
        throw FormatError(trf("road graph bytes: truncated in the segments ({} announced)", s));
    g.m_segments.resize(s);
    for (std::uint32_t i = 0; i < s; ++i) {
        Segment& seg = g.m_segments[i];
        seg.a = get<std::uint32_t>(data, pos, "segment");
        seg.b = get<std::uint32_t>(data, pos, "segment");
        seg.length_m = get<float>(data, pos, "segment");
        seg.time_s = get<float>(data, pos, "segment");
        const auto dir = get<std::uint8_t>(data, pos, "segment");
        seg.forward = (dir & 1) != 0;
        seg.backward = (dir & 2) != 0;
        if (seg.a >= n || seg.b >= n || dir == 0 || dir > 3 || !(seg.length_m >= 0) || !(seg.time_s >= 0) || !std::isfinite(seg.length_m) ||
            !std::isfinite(seg.time_s))
            throw FormatError(trf("road graph bytes: segment {} is invalid (node index, direction, length or time)", i));
    }
    g.finish();
    if (flags & 1) g.m_ch = std::make_shared<const ContractionHierarchy>(ContractionHierarchy::read(data, pos, n, s));
    if (pos != data.size()) throw FormatError(trf("road graph bytes: {} unexpected bytes after the graph", data.size() - pos));
    return g;
}

// [Closures by area] -----------------------------------------------------------------------

namespace {

double cross(geo::Coord o, geo::Coord a, geo::Coord b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); }

bool on_box(geo::Coord p, geo::Coord a, geo::Coord b) {
    return std::min(a.x, b.x) <= p.x && p.x <= std::max(a.x, b.x) && std::min(a.y, b.y) <= p.y && p.y <= std::max(a.y, b.y);
}

// Do segments p1-p2 and q1-q2 share a point (touching counts)?
bool segments_cross(geo::Coord p1, geo::Coord p2, geo::Coord q1, geo::Coord q2) {
    const double d1 = cross(q1, q2, p1), d2 = cross(q1, q2, p2), d3 = cross(p1, p2, q1), d4 = cross(p1, p2, q2);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
    return (d1 == 0 && on_box(p1, q1, q2)) || (d2 == 0 && on_box(p2, q1, q2)) || (d3 == 0 && on_box(q1, p1, p2)) ||
           (d4 == 0 && on_box(q2, p1, p2));
}

} // namespace

std::vector<std::uint32_t> RoadGraph::segments_in(const geo::Geometry& areas) const {
    if (areas.type != geo::GeometryType::Polygon && areas.type != geo::GeometryType::MultiPolygon)
        throw UsageError(trf("road closures: the area must be a Polygon or MultiPolygon, not a {}", geo::geometry_type_name(areas.type)));
    std::vector<std::uint32_t> out;
    if (areas.is_empty()) return out;
    for (std::uint32_t s : m_index.search(areas.bbox())) {
        const geo::Coord a = m_nodes[m_segments[s].a], b = m_nodes[m_segments[s].b];
        bool hit = geo::contains(areas, a) || geo::contains(areas, b);
        for (std::size_t r = 0; !hit && r < areas.ring_count(); ++r) {
            const auto ring = areas.ring(r);
            for (std::size_t i = 1; !hit && i < ring.size(); ++i) hit = segments_cross(a, b, ring[i - 1], ring[i]);
        }
        if (hit) out.push_back(s);
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace vigil::routing

/// @file
/// SpatiaLite's internal geometry BLOB, read and written without SpatiaLite.
///
/// Class codes (SpatiaLite's gg_const.h): 1..7 XY, +1000 XYZ, +2000 XYM, +3000 XYZM; the
/// compressed LineString and Polygon add 1000000 (1000002, 1001002, 1002002, 1003002, ...).
/// In a compressed line or ring the first and last vertices are plain doubles and every vertex
/// in between is a float delta from the previous vertex for x, y (and z); m stays a double.
/// Verified against SpatiaLite 5.0.1's own output (see tests/core/geo/test_spatialite_blob.cpp).
///
/// SpatiaLite also has a "TinyPoint" encoding for points (0x00 | 0x81 or 0x80 | srid:int32 |
/// class:uint8 1..4 | x y [z] [m] | 0xFE), written when EnableTinyPoint() is on; it is decoded too.
///
/// As with WKB, the decoder assumes hostile input: all reads are bounds-checked and counts are
/// checked against the remaining bytes before anything is reserved.
#include <vigil/geo/spatialite_blob.hpp>
#include <vigil/util/bit_copy.hpp>

#include <vigil/util/assert.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string_view>

namespace vigil::geo {

namespace {

using vigil::bit_copy;

constexpr std::uint8_t k_start = 0x00;
constexpr std::uint8_t k_little = 0x01;
constexpr std::uint8_t k_big = 0x00;
constexpr std::uint8_t k_tiny_little = 0x81;
constexpr std::uint8_t k_tiny_big = 0x80;
constexpr std::uint8_t k_mbr_end = 0x7C;
constexpr std::uint8_t k_entity = 0x69;
constexpr std::uint8_t k_end = 0xFE;
constexpr std::size_t k_mbr_end_offset = 38; // start, endian, srid(4), mbr(32)
constexpr std::size_t k_body_offset = 43;    // ... 0x7C, class(4)
constexpr std::int32_t k_compressed = 1000000;

// ---- encoding ----------------------------------------------------------------------------

void put_i32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void put_f64(std::vector<std::uint8_t>& out, double d) {
    const auto v = bit_copy<std::uint64_t>(d);
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void put_coord(std::vector<std::uint8_t>& out, Coord c) {
    put_f64(out, c.x);
    put_f64(out, c.y);
}

void put_points(std::vector<std::uint8_t>& out, std::span<const Coord> pts) {
    put_i32(out, static_cast<std::uint32_t>(pts.size()));
    for (Coord c : pts) put_coord(out, c);
}

void put_rings(std::vector<std::uint8_t>& out, const Geometry& g, std::size_t first, std::size_t end) {
    put_i32(out, static_cast<std::uint32_t>(end - first));
    for (std::size_t r = first; r < end; ++r) put_points(out, g.ring(r));
}

// ---- decoding ----------------------------------------------------------------------------

class Reader {
public:
    Reader(std::span<const std::uint8_t> data, bool big) : m_data(data), m_big(big) {}

    std::size_t offset() const { return m_pos; }
    std::size_t remaining() const { return m_data.size() - m_pos; }
    void seek(std::size_t pos) { m_pos = pos; }

    [[noreturn]] void fail(std::string_view why) const { fail_at(m_pos, why); }
    [[noreturn]] void fail_at(std::size_t offset, std::string_view why) const {
        throw FormatError(trf("SpatiaLite blob: {} (at byte {} of {})", why, offset, m_data.size()));
    }

    void need(std::size_t n, std::string_view what) const {
        if (n > remaining()) fail(trf("truncated: {} needs {} bytes, {} left", tr(std::string(what).c_str()), n, remaining()));
    }

    std::uint8_t u8(std::string_view what) {
        need(1, what);
        return m_data[m_pos++];
    }

    std::uint32_t u32(std::string_view what) {
        need(4, what);
        return static_cast<std::uint32_t>(raw(4));
    }

    double f64(std::string_view what) {
        need(8, what);
        return bit_copy<double>(raw(8));
    }

    float f32(std::string_view what) {
        need(4, what);
        return bit_copy<float>(static_cast<std::uint32_t>(raw(4)));
    }

private:
    std::uint64_t raw(int n) {
        std::uint64_t v = 0;
        for (int i = 0; i < n; ++i) {
            const std::uint64_t b = m_data[m_pos + static_cast<std::size_t>(i)];
            v |= m_big ? b << (8 * (n - 1 - i)) : b << (8 * i);
        }
        m_pos += static_cast<std::size_t>(n);
        return v;
    }

    std::span<const std::uint8_t> m_data;
    bool m_big = false;
    std::size_t m_pos = 0;
};

// A class code split into its parts.
struct Class {
    GeometryType type = GeometryType::None;
    bool has_z = false;
    bool has_m = false;
    bool compressed = false;
    std::size_t dims() const { return 2 + (has_z ? 1 : 0) + (has_m ? 1 : 0); }
    // Bytes of one compressed in-between vertex: float deltas for x, y (z), a double for m.
    std::size_t compressed_vertex_size() const { return 8 + (has_z ? 4 : 0) + (has_m ? 8 : 0); }
};

Class parse_class(const Reader& r, std::size_t at, std::uint32_t raw) {
    Class c;
    std::uint32_t code = raw;
    if (code >= static_cast<std::uint32_t>(k_compressed) && code < static_cast<std::uint32_t>(k_compressed) + 4000) {
        c.compressed = true;
        code -= static_cast<std::uint32_t>(k_compressed);
    }
    if (code >= 4000) r.fail_at(at, trf("unknown geometry class {}", raw));
    const std::uint32_t dims = code / 1000;
    const std::uint32_t base = code % 1000;
    c.has_z = dims == 1 || dims == 3;
    c.has_m = dims == 2 || dims == 3;
    if (base == 7) r.fail_at(at, tr("GeometryCollection is not supported"));
    if (base < 1 || base > 6) r.fail_at(at, trf("unknown geometry class {}", raw));
    c.type = static_cast<GeometryType>(base);
    // Only lines and polygons have compressed forms; Multi* hold compressed parts instead.
    if (c.compressed && c.type != GeometryType::LineString && c.type != GeometryType::Polygon)
        r.fail_at(at, trf("geometry class {} does not exist (only lines and polygons are compressed)", raw));
    return c;
}

class Decoder {
public:
    Decoder(std::span<const std::uint8_t> data, bool big) : m_r(data, big) {}

    Geometry run(std::size_t body_at) {
        m_r.seek(body_at - 4);
        const std::size_t at = m_r.offset();
        const Class c = parse_class(m_r, at, m_r.u32(N_("the geometry class")));
        m_g.type = c.type;
        switch (c.type) {
        case GeometryType::Point: read_point(c); break;
        case GeometryType::LineString: read_line(c); break;
        case GeometryType::Polygon:
            m_g.ring_starts.push_back(0);
            read_rings(c);
            break;
        case GeometryType::MultiPoint:
        case GeometryType::MultiLineString:
        case GeometryType::MultiPolygon: read_multi(c); break;
        case GeometryType::None: break;
        }
        if (m_r.u8(N_("the end marker")) != k_end) m_r.fail_at(m_r.offset() - 1, tr("missing end marker 0xFE"));
        if (m_r.remaining() != 0) m_r.fail(trf("{} trailing bytes after the end marker", m_r.remaining()));
        return std::move(m_g);
    }

    Geometry run_tiny_point(std::size_t class_at) {
        m_r.seek(class_at);
        const std::uint8_t cls = m_r.u8(N_("the TinyPoint class"));
        if (cls < 1 || cls > 4) m_r.fail_at(class_at, trf("unknown TinyPoint class {}", cls));
        Class c;
        c.type = GeometryType::Point;
        c.has_z = cls == 2 || cls == 4;
        c.has_m = cls == 3 || cls == 4;
        m_g.type = GeometryType::Point;
        read_point(c);
        if (m_r.u8(N_("the end marker")) != k_end) m_r.fail_at(m_r.offset() - 1, tr("missing end marker 0xFE"));
        if (m_r.remaining() != 0) m_r.fail(trf("{} trailing bytes after the end marker", m_r.remaining()));
        return std::move(m_g);
    }

private:
    void check_finite(std::size_t at, Coord c) const {
        if (!std::isfinite(c.x) || !std::isfinite(c.y)) m_r.fail_at(at, tr("non-finite coordinate"));
    }

    Coord read_full_coord(const Class& c) {
        const std::size_t at = m_r.offset();
        m_r.need(c.dims() * 8, N_("a coordinate"));
        Coord p;
        p.x = m_r.f64("x");
        p.y = m_r.f64("y");
        for (std::size_t i = 2; i < c.dims(); ++i) m_r.f64("z/m"); // dropped
        check_finite(at, p);
        return p;
    }

    void read_point(const Class& c) { m_g.coords.push_back(read_full_coord(c)); }

    std::uint32_t checked_count(std::size_t at, std::uint32_t n, std::size_t min_item, std::string_view what) const {
        if (n > m_r.remaining() / min_item)
            m_r.fail_at(at, trf("{} count {} exceeds the {} bytes that remain", tr(std::string(what).c_str()), n, m_r.remaining()));
        return n;
    }

    // A vertex list (LineString or ring), plain or compressed. Returns the number of vertices.
    std::size_t read_vertices(const Class& c, std::string_view what) {
        const std::size_t at = m_r.offset();
        const std::uint32_t n = m_r.u32(N_("a point count"));
        // Smallest encoding per vertex: a compressed vertex, or a full one when not compressed.
        const std::size_t min_vertex = c.compressed ? c.compressed_vertex_size() : c.dims() * 8;
        checked_count(at, n, min_vertex, what);
        if (m_g.coords.size() + n > std::numeric_limits<std::uint32_t>::max()) m_r.fail_at(at, tr("too many coordinates"));
        m_g.coords.reserve(m_g.coords.size() + n);
        Coord last{};
        for (std::uint32_t i = 0; i < n; ++i) {
            if (!c.compressed || i == 0 || i + 1 == n) {
                last = read_full_coord(c);
            } else {
                const std::size_t v_at = m_r.offset();
                m_r.need(c.compressed_vertex_size(), N_("a compressed vertex"));
                const float dx = m_r.f32("dx");
                const float dy = m_r.f32("dy");
                if (c.has_z) m_r.f32("dz");
                if (c.has_m) m_r.f64("m");
                last = Coord{last.x + static_cast<double>(dx), last.y + static_cast<double>(dy)};
                check_finite(v_at, last);
            }
            m_g.coords.push_back(last);
        }
        return n;
    }

    void read_line(const Class& c) { read_vertices(c, N_("LineString point")); }

    void read_rings(const Class& c) {
        const std::size_t at = m_r.offset();
        const std::uint32_t n = checked_count(at, m_r.u32(N_("a ring count")), 4, N_("ring"));
        m_g.ring_starts.reserve(m_g.ring_starts.size() + n);
        for (std::uint32_t i = 0; i < n; ++i) {
            const std::size_t ring_at = m_r.offset();
            const std::size_t first = m_g.coords.size();
            const std::size_t count = read_vertices(c, N_("ring point"));
            if (count < 4) m_r.fail_at(ring_at, trf("polygon ring {} has {} points; a ring needs at least 4", i, count));
            if (!(m_g.coords[first] == m_g.coords.back())) m_r.fail_at(ring_at, trf("polygon ring {} is not closed", i));
            m_g.ring_starts.push_back(static_cast<std::uint32_t>(m_g.coords.size()));
        }
    }

    void read_multi(const Class& outer) {
        const GeometryType part_type = geometry_family(outer.type);
        const std::size_t at = m_r.offset();
        // Each part is at least: entity marker, class, and a point body or a count.
        const std::size_t min_part = 1 + 4 + (part_type == GeometryType::Point ? 16 : 4);
        const std::uint32_t n = checked_count(at, m_r.u32(N_("a part count")), min_part, N_("part"));
        if (outer.type != GeometryType::MultiPoint) m_g.ring_starts.push_back(0);
        if (outer.type == GeometryType::MultiPolygon) {
            m_g.polygon_starts.reserve(std::size_t{n} + 1);
            m_g.polygon_starts.push_back(0);
        }
        for (std::uint32_t i = 0; i < n; ++i) {
            const std::size_t part_at = m_r.offset();
            if (m_r.u8(N_("an entity marker")) != k_entity)
                m_r.fail_at(part_at, trf("part {} does not start with the entity marker 0x69", i));
            const std::size_t class_at = m_r.offset();
            const Class c = parse_class(m_r, class_at, m_r.u32(N_("a part class")));
            if (c.type != part_type)
                m_r.fail_at(class_at, trf("{} part {} is a {}", geometry_type_name(outer.type), i, geometry_type_name(c.type)));
            switch (part_type) {
            case GeometryType::Point: read_point(c); break;
            case GeometryType::LineString:
                read_line(c);
                m_g.ring_starts.push_back(static_cast<std::uint32_t>(m_g.coords.size()));
                break;
            case GeometryType::Polygon:
                read_rings(c);
                m_g.polygon_starts.push_back(static_cast<std::uint32_t>(m_g.ring_starts.size() - 1));
                break;
            default: VIGIL_ASSERT(false);
            }
        }
    }

    Reader m_r;
    Geometry m_g;
};

// Validates the fixed parts of the layout and returns (big-endian?, tiny point?).
struct Layout {
    bool big = false;
    bool tiny = false;
};

Layout check_layout(std::span<const std::uint8_t> blob) {
    const Reader r(blob, false);
    if (blob.size() < 2) r.fail_at(0, tr("too short to be a geometry"));
    if (blob[0] != k_start) r.fail_at(0, trf("first byte must be 0x00, not {:#04x}", blob[0]));
    Layout l;
    switch (blob[1]) {
    case k_little: break;
    case k_big: l.big = true; break;
    case k_tiny_little: l.tiny = true; break;
    case k_tiny_big:
        l.tiny = true;
        l.big = true;
        break;
    default: r.fail_at(1, trf("unknown byte-order mark {:#04x}", blob[1]));
    }
    // Enough for the fixed header (the body is bounds-checked as it is read).
    const std::size_t min_size = l.tiny ? 2 + 4 + 1 + 16 + 1 : k_body_offset + 1;
    if (blob.size() < min_size) r.fail_at(blob.size(), trf("truncated: {} bytes, a geometry needs at least {}", blob.size(), min_size));
    if (!l.tiny && blob[k_mbr_end_offset] != k_mbr_end)
        r.fail_at(k_mbr_end_offset, trf("expected the MBR end marker 0x7C, found {:#04x}", blob[k_mbr_end_offset]));
    return l;
}

} // namespace

void encode_spatialite_blob(const Geometry& g, std::int32_t srid, std::vector<std::uint8_t>& out) {
    out.clear();
    if (g.is_empty())
        throw FormatError(trf("SpatiaLite blob: an empty {} cannot be stored (SpatiaLite uses NULL for "
                              "no geometry)",
                              geometry_type_name(g.type)));
    VIGIL_ASSERT(is_well_formed(g));
    const BBox mbr = g.bbox();
    out.reserve(k_body_offset + 1 + 4 + g.coords.size() * 16 + g.ring_starts.size() * 9 + g.polygon_starts.size() * 9 + 8);
    out.push_back(k_start);
    out.push_back(k_little);
    put_i32(out, static_cast<std::uint32_t>(srid));
    put_f64(out, mbr.min_x);
    put_f64(out, mbr.min_y);
    put_f64(out, mbr.max_x);
    put_f64(out, mbr.max_y);
    out.push_back(k_mbr_end);
    put_i32(out, static_cast<std::uint32_t>(g.type));
    switch (g.type) {
    case GeometryType::Point: put_coord(out, g.coords[0]); break;
    case GeometryType::LineString: put_points(out, g.coords); break;
    case GeometryType::Polygon: put_rings(out, g, 0, g.ring_count()); break;
    case GeometryType::MultiPoint:
        put_i32(out, static_cast<std::uint32_t>(g.coords.size()));
        for (Coord c : g.coords) {
            out.push_back(k_entity);
            put_i32(out, static_cast<std::uint32_t>(GeometryType::Point));
            put_coord(out, c);
        }
        break;
    case GeometryType::MultiLineString:
        put_i32(out, static_cast<std::uint32_t>(g.ring_count()));
        for (std::size_t i = 0; i < g.ring_count(); ++i) {
            out.push_back(k_entity);
            put_i32(out, static_cast<std::uint32_t>(GeometryType::LineString));
            put_points(out, g.ring(i));
        }
        break;
    case GeometryType::MultiPolygon:
        put_i32(out, static_cast<std::uint32_t>(g.polygon_starts.size() - 1));
        for (std::size_t i = 0; i + 1 < g.polygon_starts.size(); ++i) {
            out.push_back(k_entity);
            put_i32(out, static_cast<std::uint32_t>(GeometryType::Polygon));
            put_rings(out, g, g.polygon_starts[i], g.polygon_starts[i + 1]);
        }
        break;
    case GeometryType::None: break;
    }
    out.push_back(k_end);
}

std::vector<std::uint8_t> encode_spatialite_blob(const Geometry& g, std::int32_t srid) {
    std::vector<std::uint8_t> out;
    encode_spatialite_blob(g, srid, out);
    return out;
}

SpatialiteBlobInfo read_spatialite_blob_header(std::span<const std::uint8_t> blob) {
    const Layout l = check_layout(blob);
    Reader r(blob, l.big);
    r.seek(2);
    SpatialiteBlobInfo info;
    info.srid = static_cast<std::int32_t>(r.u32(N_("the SRID")));
    if (l.tiny) {
        // A TinyPoint has no MBR: the point is its own.
        r.seek(7);
        const double x = r.f64("x");
        const double y = r.f64("y");
        if (!std::isfinite(x) || !std::isfinite(y)) r.fail_at(7, tr("non-finite coordinate"));
        info.mbr.add(Coord{x, y});
        return info;
    }
    const double min_x = r.f64(N_("the MBR"));
    const double min_y = r.f64(N_("the MBR"));
    const double max_x = r.f64(N_("the MBR"));
    const double max_y = r.f64(N_("the MBR"));
    // The comparisons are written so that NaN fails them.
    if (!(std::isfinite(min_x) && std::isfinite(min_y) && std::isfinite(max_x) && std::isfinite(max_y) && min_x <= max_x && min_y <= max_y))
        r.fail_at(6, trf("invalid MBR ({}, {}, {}, {})", min_x, min_y, max_x, max_y));
    info.mbr = BBox{min_x, min_y, max_x, max_y};
    return info;
}

Geometry decode_spatialite_blob(std::span<const std::uint8_t> blob, SpatialiteBlobInfo* info) {
    const SpatialiteBlobInfo header = read_spatialite_blob_header(blob);
    const Layout l = check_layout(blob);
    Decoder d(blob, l.big);
    Geometry g = l.tiny ? d.run_tiny_point(6) : d.run(k_body_offset);
    if (info) *info = header;
    return g;
}

} // namespace vigil::geo

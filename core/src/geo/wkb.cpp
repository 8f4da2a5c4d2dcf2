/// @file
/// OGC Well-Known Binary encoder (2D ISO, little-endian) and a hardened decoder.
///
/// The decoder treats its input as hostile (it is fed from files and will be fuzzed): every
/// read is bounds-checked, and every count is checked against the bytes that remain before
/// anything is reserved, so memory use stays proportional to the input size.
#include <vigil/geo/wkb.hpp>
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

// ---- encoding ----------------------------------------------------------------------------

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void put_f64(std::vector<std::uint8_t>& out, double d) {
    const auto v = bit_copy<std::uint64_t>(d);
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void put_header(std::vector<std::uint8_t>& out, GeometryType t) {
    out.push_back(0x01); // little-endian (NDR)
    put_u32(out, static_cast<std::uint32_t>(t));
}

void put_points(std::vector<std::uint8_t>& out, std::span<const Coord> pts) {
    put_u32(out, static_cast<std::uint32_t>(pts.size()));
    for (Coord c : pts) {
        put_f64(out, c.x);
        put_f64(out, c.y);
    }
}

void put_rings(std::vector<std::uint8_t>& out, const Geometry& g, std::size_t first, std::size_t end) {
    put_u32(out, static_cast<std::uint32_t>(end - first));
    for (std::size_t r = first; r < end; ++r) put_points(out, g.ring(r));
}

// ---- decoding ----------------------------------------------------------------------------

// Minimum encoded sizes, used to reject counts that cannot fit in the remaining bytes.
constexpr std::size_t k_header_size = 5;     // byte order + type
constexpr std::size_t k_min_point_body = 16; // x y
constexpr std::size_t k_count_size = 4;

class Reader {
public:
    explicit Reader(std::span<const std::uint8_t> data) : m_data(data) {}

    std::size_t offset() const { return m_pos; }
    std::size_t remaining() const { return m_data.size() - m_pos; }

    [[noreturn]] void fail(std::string_view why) const { fail_at(m_pos, why); }
    [[noreturn]] void fail_at(std::size_t offset, std::string_view why) const {
        throw FormatError(trf("WKB: {} (at byte {} of {})", why, offset, m_data.size()));
    }

    void need(std::size_t n, std::string_view what) const {
        if (n > remaining()) fail(trf("truncated: {} needs {} bytes, {} left", tr(std::string(what).c_str()), n, remaining()));
    }

    std::uint8_t u8(std::string_view what) {
        need(1, what);
        return m_data[m_pos++];
    }

    std::uint32_t u32(bool big, std::string_view what) {
        need(4, what);
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const std::uint32_t b = m_data[m_pos + static_cast<std::size_t>(i)];
            v |= big ? b << (8 * (3 - i)) : b << (8 * i);
        }
        m_pos += 4;
        return v;
    }

    double f64(bool big) {
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) {
            const std::uint64_t b = m_data[m_pos + static_cast<std::size_t>(i)];
            v |= big ? b << (8 * (7 - i)) : b << (8 * i);
        }
        m_pos += 8;
        return bit_copy<double>(v);
    }

    void skip(std::size_t n) { m_pos += n; }

private:
    std::span<const std::uint8_t> m_data;
    std::size_t m_pos = 0;
};

struct Header {
    bool big = false;
    GeometryType type = GeometryType::None;
    std::size_t dims = 2; ///< ordinates per coordinate (2..4); only x and y are kept
    std::size_t offset = 0;
};

Header read_header(Reader& r) {
    Header h;
    h.offset = r.offset();
    const std::uint8_t order = r.u8(N_("byte order"));
    if (order > 1) r.fail_at(h.offset, trf("byte order must be 0 or 1, not {}", order));
    h.big = order == 0;
    const std::uint32_t raw = r.u32(h.big, N_("geometry type"));
    // EWKB (PostGIS) keeps Z/M/SRID in the top bits; ISO adds 1000/2000/3000 to the type.
    const bool ewkb_z = (raw & 0x80000000u) != 0;
    const bool ewkb_m = (raw & 0x40000000u) != 0;
    const bool ewkb_srid = (raw & 0x20000000u) != 0;
    const std::uint32_t base = raw & 0x0FFFFFFFu;
    if ((raw & 0x10000000u) != 0 || base >= 4000) r.fail_at(h.offset, trf("unknown geometry type code {:#x}", raw));
    const std::uint32_t iso_dims = base / 1000;
    const std::uint32_t code = base % 1000;
    if (iso_dims != 0 && (ewkb_z || ewkb_m)) r.fail_at(h.offset, trf("geometry type {:#x} mixes ISO and EWKB dimension flags", raw));
    const bool has_z = ewkb_z || iso_dims == 1 || iso_dims == 3;
    const bool has_m = ewkb_m || iso_dims == 2 || iso_dims == 3;
    h.dims = 2 + (has_z ? 1 : 0) + (has_m ? 1 : 0);
    if (code == 7) r.fail_at(h.offset, tr("GeometryCollection is not supported"));
    if (code < 1 || code > 6) r.fail_at(h.offset, trf("unknown geometry type code {}", raw));
    h.type = static_cast<GeometryType>(code);
    if (ewkb_srid) r.u32(h.big, N_("EWKB SRID")); // the SRID itself is the caller's business
    return h;
}

class Decoder {
public:
    explicit Decoder(std::span<const std::uint8_t> data) : m_r(data) {}

    Geometry run() {
        const Header h = read_header(m_r);
        m_g.type = h.type;
        switch (h.type) {
        case GeometryType::Point: read_point(h); break;
        case GeometryType::LineString: read_points(h, N_("LineString")); break;
        case GeometryType::Polygon:
            m_g.ring_starts.push_back(0);
            read_rings(h);
            break;
        case GeometryType::MultiPoint:
        case GeometryType::MultiLineString:
        case GeometryType::MultiPolygon: read_multi(h); break;
        case GeometryType::None: break;
        }
        if (m_r.remaining() != 0) m_r.fail(trf("{} trailing bytes after the geometry", m_r.remaining()));
        return std::move(m_g);
    }

private:
    Coord read_coord(const Header& h) {
        const std::size_t at = m_r.offset();
        m_r.need(h.dims * 8, N_("a coordinate"));
        Coord c;
        c.x = m_r.f64(h.big);
        c.y = m_r.f64(h.big);
        m_r.skip((h.dims - 2) * 8); // Z and/or M, dropped
        if (!std::isfinite(c.x) || !std::isfinite(c.y))
            m_r.fail_at(at, tr("non-finite coordinate (NaN or infinity; POINT EMPTY is not supported)"));
        return c;
    }

    void read_point(const Header& h) { m_g.coords.push_back(read_coord(h)); }

    // Reads a count of coordinates and the coordinates; returns how many were read.
    std::size_t read_points(const Header& h, std::string_view what) {
        const std::size_t at = m_r.offset();
        const std::uint32_t n = m_r.u32(h.big, N_("a point count"));
        if (n > m_r.remaining() / (h.dims * 8))
            m_r.fail_at(at, trf("{} claims {} points but only {} bytes remain", tr(std::string(what).c_str()), n, m_r.remaining()));
        if (m_g.coords.size() + n > std::numeric_limits<std::uint32_t>::max()) m_r.fail_at(at, tr("too many coordinates"));
        m_g.coords.reserve(m_g.coords.size() + n);
        for (std::uint32_t i = 0; i < n; ++i) m_g.coords.push_back(read_coord(h));
        return n;
    }

    void read_rings(const Header& h) {
        const std::size_t at = m_r.offset();
        const std::uint32_t n = m_r.u32(h.big, N_("a ring count"));
        if (n > m_r.remaining() / k_count_size)
            m_r.fail_at(at, trf("polygon claims {} rings but only {} bytes remain", n, m_r.remaining()));
        m_g.ring_starts.reserve(m_g.ring_starts.size() + n);
        for (std::uint32_t i = 0; i < n; ++i) {
            const std::size_t ring_at = m_r.offset();
            const std::size_t first = m_g.coords.size();
            const std::size_t count = read_points(h, N_("ring"));
            if (count < 4) m_r.fail_at(ring_at, trf("polygon ring {} has {} points; a ring needs at least 4", i, count));
            if (!(m_g.coords[first] == m_g.coords.back())) m_r.fail_at(ring_at, trf("polygon ring {} is not closed", i));
            m_g.ring_starts.push_back(static_cast<std::uint32_t>(m_g.coords.size()));
        }
    }

    void read_multi(const Header& h) {
        const GeometryType part_type = geometry_family(h.type);
        const std::size_t at = m_r.offset();
        const std::uint32_t n = m_r.u32(h.big, N_("a part count"));
        const std::size_t min_part = k_header_size + (part_type == GeometryType::Point ? k_min_point_body : k_count_size);
        if (n > m_r.remaining() / min_part)
            m_r.fail_at(at, trf("{} claims {} parts but only {} bytes remain", geometry_type_name(h.type), n, m_r.remaining()));
        if (h.type != GeometryType::MultiPoint) m_g.ring_starts.push_back(0);
        if (h.type == GeometryType::MultiPolygon) {
            m_g.polygon_starts.reserve(std::size_t{n} + 1);
            m_g.polygon_starts.push_back(0);
        }
        for (std::uint32_t i = 0; i < n; ++i) {
            const Header ph = read_header(m_r);
            if (ph.type != part_type)
                m_r.fail_at(ph.offset, trf("{} part {} is a {} (nested or mixed geometries are not supported)", geometry_type_name(h.type),
                                           i, geometry_type_name(ph.type)));
            switch (part_type) {
            case GeometryType::Point: read_point(ph); break;
            case GeometryType::LineString:
                read_points(ph, N_("LineString"));
                m_g.ring_starts.push_back(static_cast<std::uint32_t>(m_g.coords.size()));
                break;
            case GeometryType::Polygon:
                read_rings(ph);
                m_g.polygon_starts.push_back(static_cast<std::uint32_t>(m_g.ring_starts.size() - 1));
                break;
            default: VIGIL_ASSERT(false);
            }
        }
    }

    Reader m_r;
    Geometry m_g;
};

} // namespace

bool encode_wkb(const Geometry& g, std::vector<std::uint8_t>& out) {
    if (g.type == GeometryType::None) return false;
    VIGIL_ASSERT(is_well_formed(g));
    put_header(out, g.type);
    switch (g.type) {
    case GeometryType::Point:
        put_f64(out, g.coords[0].x);
        put_f64(out, g.coords[0].y);
        break;
    case GeometryType::LineString: put_points(out, g.coords); break;
    case GeometryType::Polygon: put_rings(out, g, 0, g.ring_count()); break;
    case GeometryType::MultiPoint:
        put_u32(out, static_cast<std::uint32_t>(g.coords.size()));
        for (Coord c : g.coords) {
            put_header(out, GeometryType::Point);
            put_f64(out, c.x);
            put_f64(out, c.y);
        }
        break;
    case GeometryType::MultiLineString:
        put_u32(out, static_cast<std::uint32_t>(g.ring_count()));
        for (std::size_t i = 0; i < g.ring_count(); ++i) {
            put_header(out, GeometryType::LineString);
            put_points(out, g.ring(i));
        }
        break;
    case GeometryType::MultiPolygon:
        put_u32(out, static_cast<std::uint32_t>(g.polygon_starts.size() - 1));
        for (std::size_t i = 0; i + 1 < g.polygon_starts.size(); ++i) {
            put_header(out, GeometryType::Polygon);
            put_rings(out, g, g.polygon_starts[i], g.polygon_starts[i + 1]);
        }
        break;
    case GeometryType::None: break;
    }
    return true;
}

Geometry decode_wkb(std::span<const std::uint8_t> wkb) { return Decoder(wkb).run(); }

} // namespace vigil::geo

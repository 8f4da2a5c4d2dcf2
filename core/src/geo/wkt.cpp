/// @file
/// OGC Well-Known Text reader (a small recursive-descent parser over a fixed-depth grammar,
/// so hostile input cannot exhaust the stack) and writer.
#include <vigil/geo/wkt.hpp>

#include <vigil/util/assert.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <fast_float/fast_float.h>
#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace vigil::geo {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// Which ordinates each coordinate tuple carries, from the Z/M/ZM tag.
enum class DimTag { Unspecified, Z, M, ZM };

class Parser {
public:
    explicit Parser(std::string_view s) : m_s(s) {}

    Geometry run() {
        skip_srid_prefix();
        const std::size_t word_at = skip_ws();
        std::string word = read_word();
        if (word.empty()) fail_at(word_at, tr("a geometry type (POINT, LINESTRING, POLYGON, MULTI...)"));
        // Accept the tag glued to the type ("POINTZ", "POINTZM", "LINESTRINGM").
        GeometryType type = type_from_word(word, m_dims);
        if (type == GeometryType::None && word != "GEOMETRYCOLLECTION")
            throw FormatError(trf("WKT: unknown geometry type '{}' at offset {}", word, word_at));
        if (m_dims == DimTag::Unspecified) {
            const std::size_t save = m_pos;
            skip_ws();
            const std::string tag = read_word();
            if (tag == "Z") m_dims = DimTag::Z;
            else if (tag == "M") m_dims = DimTag::M;
            else if (tag == "ZM") m_dims = DimTag::ZM;
            else m_pos = save;
        }
        Geometry g;
        if (peek_word_is("EMPTY")) {
            skip_ws();
            read_word();
            expect_end();
            return g; // every EMPTY is "no geometry"
        }
        if (type == GeometryType::None) // GEOMETRYCOLLECTION that is not EMPTY
            throw FormatError(trf("WKT: GEOMETRYCOLLECTION is not supported (offset {})", word_at));
        g.type = type;
        switch (type) {
        case GeometryType::Point:
            expect('(');
            g.coords.push_back(read_coord());
            expect(')');
            break;
        case GeometryType::LineString: read_coord_list(g); break;
        case GeometryType::Polygon:
            g.ring_starts.push_back(0);
            read_polygon_body(g);
            break;
        case GeometryType::MultiPoint: read_multi_point(g); break;
        case GeometryType::MultiLineString:
            g.ring_starts.push_back(0);
            read_list([&] {
                if (!consume_empty()) read_coord_list(g);
                g.ring_starts.push_back(offset(g.coords.size()));
            });
            break;
        case GeometryType::MultiPolygon:
            g.ring_starts.push_back(0);
            g.polygon_starts.push_back(0);
            read_list([&] {
                if (!consume_empty()) read_polygon_body(g);
                g.polygon_starts.push_back(offset(g.ring_starts.size() - 1));
            });
            break;
        case GeometryType::None: break;
        }
        expect_end();
        return g;
    }

private:
    static GeometryType type_from_word(std::string& word, DimTag& dims) {
        static constexpr std::pair<std::string_view, GeometryType> k_types[] = {
            {"POINT", GeometryType::Point},
            {"LINESTRING", GeometryType::LineString},
            {"POLYGON", GeometryType::Polygon},
            {"MULTIPOINT", GeometryType::MultiPoint},
            {"MULTILINESTRING", GeometryType::MultiLineString},
            {"MULTIPOLYGON", GeometryType::MultiPolygon},
        };
        for (const auto& [name, t] : k_types) {
            if (word == name) return t;
            if (word.size() > name.size() && std::string_view(word).substr(0, name.size()) == name) {
                const std::string_view tag = std::string_view(word).substr(name.size());
                if (tag == "Z") dims = DimTag::Z;
                else if (tag == "M") dims = DimTag::M;
                else if (tag == "ZM") dims = DimTag::ZM;
                else continue;
                word = std::string(name);
                return t;
            }
        }
        return GeometryType::None;
    }

    [[noreturn]] void fail_at(std::size_t at, std::string_view expected) const {
        std::string_view found = at < m_s.size() ? m_s.substr(at, 20) : std::string_view(tr("end of text"));
        throw FormatError(trf("WKT: expected {} at offset {}, found '{}'", expected, at, found));
    }

    static std::uint32_t offset(std::size_t n) {
        if (n > std::numeric_limits<std::uint32_t>::max()) throw FormatError(tr("WKT: too many coordinates"));
        return static_cast<std::uint32_t>(n);
    }

    std::size_t skip_ws() {
        while (m_pos < m_s.size() && is_space(m_s[m_pos])) ++m_pos;
        return m_pos;
    }

    std::string read_word() {
        std::string w;
        while (m_pos < m_s.size() && is_alpha(m_s[m_pos])) w.push_back(upper(m_s[m_pos++]));
        return w;
    }

    bool peek_word_is(std::string_view word) {
        const std::size_t save = m_pos;
        skip_ws();
        const bool yes = read_word() == word;
        m_pos = save;
        return yes;
    }

    bool consume_empty() {
        if (!peek_word_is("EMPTY")) return false;
        skip_ws();
        read_word();
        return true;
    }

    // EWKT's "SRID=4326;" prefix: accepted and ignored (the layers are EPSG:4326 anyway).
    void skip_srid_prefix() {
        const std::size_t save = m_pos;
        skip_ws();
        if (read_word() != "SRID") {
            m_pos = save;
            return;
        }
        skip_ws();
        expect('=');
        skip_ws();
        const std::size_t digits_at = m_pos;
        if (m_pos < m_s.size() && m_s[m_pos] == '-') ++m_pos;
        while (m_pos < m_s.size() && m_s[m_pos] >= '0' && m_s[m_pos] <= '9') ++m_pos;
        if (m_pos == digits_at) fail_at(digits_at, tr("an SRID number"));
        expect(';');
    }

    void expect(char c) {
        const std::size_t at = skip_ws();
        if (at >= m_s.size() || m_s[at] != c) fail_at(at, fmt::format("'{}'", c));
        ++m_pos;
    }

    void expect_end() {
        const std::size_t at = skip_ws();
        if (at != m_s.size()) fail_at(at, tr("end of text"));
    }

    bool try_consume(char c) {
        const std::size_t at = skip_ws();
        if (at < m_s.size() && m_s[at] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }

    double read_number() {
        const std::size_t at = skip_ws();
        const char* first = m_s.data() + m_pos;
        const char* last = m_s.data() + m_s.size();
        if (first != last && *first == '+') { // fast_float does not take a '+'
            ++first;
            if (first != last && *first == '-') fail_at(at, tr("a number"));
        }
        double v = 0;
        const auto res = fast_float::from_chars(first, last, v);
        if (res.ec != std::errc() || res.ptr == first) fail_at(at, tr("a number"));
        if (!std::isfinite(v)) fail_at(at, tr("a finite number"));
        m_pos = static_cast<std::size_t>(res.ptr - m_s.data());
        // A number must end at a separator: "1.5x" or "1..2" is not two numbers.
        if (m_pos < m_s.size() && !is_space(m_s[m_pos]) && m_s[m_pos] != ',' && m_s[m_pos] != ')')
            fail_at(m_pos, tr("a space, ',' or ')' after the number"));
        return v;
    }

    Coord read_coord() {
        const std::size_t at = skip_ws();
        Coord c;
        c.x = read_number();
        c.y = read_number();
        std::size_t n = 2;
        while (true) {
            skip_ws();
            if (m_pos >= m_s.size() || m_s[m_pos] == ',' || m_s[m_pos] == ')') break;
            if (n == 4) fail_at(m_pos, tr("',' or ')' after at most 4 ordinates"));
            read_number(); // Z and/or M, dropped
            ++n;
        }
        const std::size_t want = m_dims == DimTag::Unspecified ? 0 : m_dims == DimTag::ZM ? 4 : 3;
        if (want != 0 && n != want)
            throw FormatError(trf("WKT: coordinate at offset {} has {} ordinates, the Z/M tag says {}", at, n, want));
        return c;
    }

    template <class Item> void read_list(Item item) {
        expect('(');
        do {
            item();
        } while (try_consume(','));
        expect(')');
    }

    // "(x y, x y, ...)"; returns how many coordinates were read.
    std::size_t read_coord_list(Geometry& g) {
        const std::size_t before = g.coords.size();
        read_list([&] { g.coords.push_back(read_coord()); });
        return g.coords.size() - before;
    }

    void read_polygon_body(Geometry& g) {
        read_list([&] {
            const std::size_t at = skip_ws();
            const std::size_t first = g.coords.size();
            const std::size_t n = read_coord_list(g);
            if (n < 4) throw FormatError(trf("WKT: polygon ring at offset {} has {} points; a ring needs at least 4", at, n));
            if (!(g.coords[first] == g.coords.back())) throw FormatError(trf("WKT: polygon ring at offset {} is not closed", at));
            g.ring_starts.push_back(offset(g.coords.size()));
        });
    }

    // Both "MULTIPOINT ((1 2), (3 4))" and the older "MULTIPOINT (1 2, 3 4)" are in use.
    void read_multi_point(Geometry& g) {
        read_list([&] {
            if (try_consume('(')) {
                g.coords.push_back(read_coord());
                expect(')');
            } else {
                if (peek_word_is("EMPTY")) fail_at(skip_ws(), tr("a point (an EMPTY point inside MULTIPOINT is not supported)"));
                g.coords.push_back(read_coord());
            }
        });
    }

    std::string_view m_s;
    std::size_t m_pos = 0;
    DimTag m_dims = DimTag::Unspecified;
};

void write_coord(std::string& out, Coord c) {
    out += text::format_double(c.x);
    out += ' ';
    out += text::format_double(c.y);
}

void write_coord_list(std::string& out, std::span<const Coord> pts) {
    if (pts.empty()) {
        out += "EMPTY";
        return;
    }
    out += '(';
    for (std::size_t i = 0; i < pts.size(); ++i) {
        if (i) out += ", ";
        write_coord(out, pts[i]);
    }
    out += ')';
}

void write_rings(std::string& out, const Geometry& g, std::size_t first, std::size_t end) {
    if (first == end) {
        out += "EMPTY";
        return;
    }
    out += '(';
    for (std::size_t r = first; r < end; ++r) {
        if (r != first) out += ", ";
        write_coord_list(out, g.ring(r));
    }
    out += ')';
}

} // namespace

Geometry parse_wkt(std::string_view wkt) { return Parser(wkt).run(); }

std::string to_wkt(const Geometry& g) {
    if (g.type == GeometryType::None) return "GEOMETRYCOLLECTION EMPTY"; // i18n: not shown: WKT
    VIGIL_ASSERT(is_well_formed(g));
    std::string out;
    switch (g.type) {
    case GeometryType::Point: out = "POINT "; break;
    case GeometryType::LineString: out = "LINESTRING "; break;
    case GeometryType::Polygon: out = "POLYGON "; break;
    case GeometryType::MultiPoint: out = "MULTIPOINT "; break;
    case GeometryType::MultiLineString: out = "MULTILINESTRING "; break;
    case GeometryType::MultiPolygon: out = "MULTIPOLYGON "; break;
    case GeometryType::None: break;
    }
    if (g.is_empty()) return out + "EMPTY";
    switch (g.type) {
    case GeometryType::Point:
    case GeometryType::LineString: write_coord_list(out, g.coords); break;
    case GeometryType::Polygon: write_rings(out, g, 0, g.ring_count()); break;
    case GeometryType::MultiPoint:
        out += '(';
        for (std::size_t i = 0; i < g.coords.size(); ++i) {
            if (i) out += ", ";
            out += '(';
            write_coord(out, g.coords[i]);
            out += ')';
        }
        out += ')';
        break;
    case GeometryType::MultiLineString:
        out += '(';
        for (std::size_t i = 0; i < g.ring_count(); ++i) {
            if (i) out += ", ";
            write_coord_list(out, g.ring(i));
        }
        out += ')';
        break;
    case GeometryType::MultiPolygon:
        out += '(';
        for (std::size_t i = 0; i + 1 < g.polygon_starts.size(); ++i) {
            if (i) out += ", ";
            write_rings(out, g, g.polygon_starts[i], g.polygon_starts[i + 1]);
        }
        out += ')';
        break;
    case GeometryType::None: break;
    }
    return out;
}

} // namespace vigil::geo

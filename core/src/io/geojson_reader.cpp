/// @file
/// The streaming GeoJSON reader: a hand-written single-pass scanner.
///
/// Memory: a file is read through a window (1 MiB by default) that slides forward and grows only
/// when one feature is bigger than half of it. Holding a whole 240 MB file was measured to cost
/// ~0.35 s in page faults alone on the reference VM (half the parse time), and a browser (wasm32)
/// may not have the memory at all. Every parse step covers one unit (a feature, the head of a
/// FeatureCollection, ...); a step that runs into the end of the window returns Scan::NeedMore
/// (json_cursor.hpp) through every function on the way, the window is refilled starting at the
/// unit, and the step runs again. The window is followed by k_padding NUL bytes, so scanners stop
/// at its end without bounds checks and may read 8 bytes at a time.
///
/// Structure: next() walks a small state machine over the top level (between top-level objects,
/// or inside a FeatureCollection's "features" array) and parses exactly one feature per call
/// straight into the caller's RawRecord, reusing its vectors and strings. Nothing is built as
/// a tree. Containers we do not interpret (unknown members, nested property values) are
/// skipped by an iterative pushdown scanner, so a 100,000-deep array cannot overflow the stack;
/// the only recursion is over the coordinate levels of a geometry, bounded by 4.
///
/// Syntax errors (which make the rest of the file unreadable) throw FormatError with line and
/// column; problems confined to one feature become RawRecord::issues.
///
/// The window, the token scanners and the skipper are the JSON cursor (json_cursor.hpp); the
/// geometry type names are geojson_kinds.hpp, the "coordinates" arrays and their structure
/// checks geojson_coordinates.hpp, the "crs" member's spellings geojson_crs.cpp; this file is
/// the GeoJSON on top of them: the top-level state machine, features, properties, geometry
/// objects and finding the CRS.

#include <vigil/io/geojson_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include "geojson_coordinates.hpp"
#include "geojson_crs.hpp"
#include "geojson_kinds.hpp"
#include "json_cursor.hpp"
#include "sliding_window.hpp"

#include <fast_float/fast_float.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>

namespace vigil::io {

using namespace detail; // the JSON cursor and its scanners (json_cursor.hpp)
using importing::RawRecord;
using importing::RawValue;
using importing::SourceIssue;

namespace {

/// How much of the file's end declared_crs() looks at for a "crs" after the "features" array.
constexpr std::size_t k_tail_bytes = 64 * 1024;

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

} // namespace

struct GeoJsonReader::Impl : CoordinatesParser {
    /// Between top-level objects; inside a collection's "features"; at the '{' of a top-level
    /// Feature or geometry already classified; at the end.
    enum class State : std::uint8_t { Between, InFeatures, Pending, Done };
    enum class TopKind : std::uint8_t { FeatureCollection, EmptyCollection, Feature, Geometry };
    enum class Step : std::uint8_t { Record, Continue, End };

    std::size_t m_first_object = 0; ///< offset of the first top-level '{' (in memory only)

    std::vector<std::string> m_columns;
    std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> m_column_index;
    /// Column of each property of the previous feature, in order: features of one file almost
    /// always list the same properties in the same order, so a string compare replaces a hash.
    std::vector<std::uint32_t> m_prev_order;
    std::vector<std::uint32_t> m_cur_order;

    State m_state = State::Between;
    bool m_expect_comma = false;
    TopKind m_pending = TopKind::Feature; ///< what the Pending state will parse
    std::uint64_t m_feature_count = 0;
    int m_object_index = 0; ///< top-level objects started

    std::optional<std::string> m_crs;
    bool m_crs_known = false; ///< the first top-level object has been read (or prescanned)

    std::string m_key_scratch;
    std::string m_type_scratch;

    // The record being filled (m_rec and its geometry issues: CoordinatesParser).
    RawValue m_feature_id;
    bool m_has_feature_id = false;
    bool m_props_had_id = false;

    /// Reads a file through the sliding window.
    Impl(std::string path, GeoJsonReaderOptions options) : CoordinatesParser(std::move(path), options) { start(); }

    /// Reads a buffer held in memory: the window is the whole buffer from the start.
    Impl(std::string path, std::string contents, GeoJsonReaderOptions options)
        : CoordinatesParser(std::move(path), std::move(contents), options) {
        start();
    }

    void start() {
        const char* d = m_window.data();
        const std::size_t filled = m_window.size();
        m_end = d + filled;
        if (filled >= 2 && ((d[0] == '\xFF' && d[1] == '\xFE') || (d[0] == '\xFE' && d[1] == '\xFF')))
            throw FormatError(trf("{}: line 1, column 1: the file is UTF-16; GeoJSON must be UTF-8", m_path));
        if (filled >= 3 && d[0] == '\xEF' && d[1] == '\xBB' && d[2] == '\xBF') m_bom = 3;
        m_p = d + m_bom;
        for (;;) {
            while (is_ws(*m_p) || *m_p == '\x1E') ++m_p;
            if (m_p < m_end) break;
            if (m_window.is_final()) throw FormatError(trf("{}: line 1, column 1: the file is empty (no GeoJSON object)", m_path));
            refill(m_p);
        }
    }

    /// Skips a value that we do not interpret, reporting only excessive nesting.
    Scan skip_checked(int value_depth, std::string_view column) {
        SkipInfo info;
        VIGIL_SCAN(skip_value(value_depth, info, false));
        if (info.max_depth > m_options.max_depth) add_issue(column, trf("nested more than {} levels deep", m_options.max_depth));
        return Scan::Done;
    }

    // ------------------------------------------------------------------ records

    void begin_record(RawRecord& out) {
        m_rec = &out;
        out.row = ++m_feature_count;
        if (out.values.size() != m_columns.size()) out.values.resize(m_columns.size());
        for (auto& v : out.values) v.reset();
        out.geometry.type = geo::GeometryType::None;
        out.geometry.coords.clear();
        out.geometry.ring_starts.clear();
        out.geometry.polygon_starts.clear();
        out.issues.clear();
        m_geometry_issues = 0;
        m_has_feature_id = false;
        m_props_had_id = false;
        m_cur_order.clear();
    }

    void finish_record() {
        if (m_has_feature_id && !m_props_had_id) {
            std::uint32_t idx = lookup_or_add("id");
            std::swap(m_rec->values[idx], m_feature_id); // swap, not move: both keep their capacity
        }
        if (m_geometry_issues > k_max_geometry_issues)
            add_issue("geometry", trf("... and {} more geometry problems in this feature", m_geometry_issues - k_max_geometry_issues));
        if (m_rec->values.size() < m_columns.size()) m_rec->values.resize(m_columns.size());
        std::swap(m_prev_order, m_cur_order);
    }

    std::uint32_t lookup_or_add(std::string_view name) {
        auto it = m_column_index.find(name);
        if (it != m_column_index.end()) return it->second;
        auto idx = static_cast<std::uint32_t>(m_columns.size());
        m_columns.emplace_back(name);
        m_column_index.emplace(m_columns.back(), idx);
        m_rec->values.resize(m_columns.size());
        return idx;
    }

    std::uint32_t column_for(std::string_view key, bool high) {
        if (high && !text::is_valid_utf8(key)) {
            std::string name = sanitize_utf8(key);
            std::uint32_t idx = lookup_or_add(name);
            add_issue(name, trf("the property name is {}", utf8_problem(key)));
            return idx;
        }
        return lookup_or_add(key);
    }

    /// A scalar becomes Bool/Integer/Real/Text/Null; an array or object becomes Json (compact).
    Scan parse_value(RawValue& v, std::string_view column, int value_depth) {
        char c = *m_p;
        switch (c) {
        case '"': {
            StringFlags flags;
            VIGIL_SCAN(read_string_into(v.text, flags));
            v.kind = RawValue::Kind::Text;
            if (flags.high && !text::is_valid_utf8(v.text)) {
                add_issue(column, trf("the value is {}", utf8_problem(v.text)));
                v.text = sanitize_utf8(v.text);
            }
            if (flags.bad_surrogate)
                add_issue(column, tr("the value has a \\u escape of an unpaired UTF-16 surrogate (replaced by U+FFFD)"));
            return Scan::Done;
        }
        case 't':
            VIGIL_SCAN(expect_literal("true"));
            v.reset();
            v.kind = RawValue::Kind::Bool;
            v.boolean = true;
            return Scan::Done;
        case 'f':
            VIGIL_SCAN(expect_literal("false"));
            v.reset();
            v.kind = RawValue::Kind::Bool;
            return Scan::Done;
        case '{':
        case '[': {
            const char* start = m_p;
            SkipInfo info;
            VIGIL_SCAN(skip_value(value_depth, info, true));
            v.reset();
            v.kind = RawValue::Kind::Json;
            copy_compact(start, m_p, v.text);
            if (info.max_depth > m_options.max_depth)
                add_issue(column, trf("the value is nested more than {} levels deep", m_options.max_depth));
            if (info.non_finite) add_issue(column, tr("the value contains NaN or Infinity, which JSON does not allow"));
            if (info.overflow) add_issue(column, tr("the value contains a number out of the range of a double"));
            if (info.bad_utf8) {
                add_issue(column, trf("the value contains text that is {}", utf8_problem(v.text)));
                v.text = sanitize_utf8(v.text);
            }
            return Scan::Done;
        }
        default: {
            bool null = false;
            if (c == 'n') VIGIL_SCAN(match_literal("null", null));
            if (null) {
                v.reset();
                return Scan::Done;
            }
            if (!starts_number(c)) return fail_unexpected(m_p, N_("a JSON value"));
            const char* s = m_p;
            double d = 0;
            std::int64_t i = 0;
            NumberClass cls = NumberClass::Real;
            VIGIL_SCAN(read_number(d, i, cls));
            v.reset();
            if (cls == NumberClass::Integer) {
                v.kind = RawValue::Kind::Integer;
                v.integer = i;
            } else if (cls == NumberClass::Real) {
                v.kind = RawValue::Kind::Real;
                v.real = d;
            } else {
                add_issue(column, number_problem(cls, s, m_p));
            }
            return Scan::Done;
        }
        }
    }

    /// Copies a validated JSON text without the whitespace outside strings.
    static void copy_compact(const char* s, const char* t, std::string& out) {
        out.clear();
        out.reserve(static_cast<std::size_t>(t - s));
        bool in_string = false;
        for (; s < t; ++s) {
            char c = *s;
            if (in_string) {
                out.push_back(c);
                if (c == '\\') {
                    out.push_back(*++s);
                } else if (c == '"') {
                    in_string = false;
                }
            } else if (!is_ws(c)) {
                out.push_back(c);
                if (c == '"') in_string = true;
            }
        }
    }

    Scan parse_properties(int depth) {
        ++m_p; // '{'
        ws();
        if (*m_p == '}') {
            ++m_p;
            return Scan::Done;
        }
        std::size_t k = 0;
        for (bool more = true; more;) {
            if (*m_p != '"') return fail_unexpected(m_p, N_("a property name in double quotes"));
            StringFlags kf;
            std::string_view key;
            VIGIL_SCAN(read_string(m_key_scratch, kf, key));
            std::uint32_t idx = 0;
            if (k < m_prev_order.size() && same_name(key, m_columns[m_prev_order[k]])) idx = m_prev_order[k];
            else idx = column_for(key, kf.high);
            m_cur_order.push_back(idx);
            ++k;
            if (key == "id") m_props_had_id = true;
            VIGIL_SCAN(expect_colon());
            VIGIL_SCAN(parse_value(m_rec->values[idx], m_columns[idx], depth + 1));
            VIGIL_SCAN(next_item('}', N_("',' or '}' after a property value"), more));
        }
        return Scan::Done;
    }

    // ------------------------------------------------------------------ geometry

    /// A geometry object at m_p ('{'). Members may come in any order: when "coordinates" comes
    /// before "type" we step over it first and come back once the type is known.
    Scan parse_geometry(int depth, bool top_level) {
        auto& g = m_rec->geometry;
        ++m_p;
        ws();
        GeoKind kind = GeoKind::Unknown;
        bool have_type = false;
        bool have_coords = false;
        const char* deferred = nullptr;
        if (*m_p != '}') {
            for (;;) {
                if (*m_p != '"') return fail_unexpected(m_p, N_("a member name in double quotes"));
                StringFlags kf;
                std::string_view key;
                VIGIL_SCAN(read_string(m_key_scratch, kf, key));
                VIGIL_SCAN(expect_colon());
                if (key == "type") {
                    if (*m_p == '"') {
                        StringFlags tf;
                        std::string_view t;
                        VIGIL_SCAN(read_string(m_type_scratch, tf, t));
                        kind = geometry_kind(t);
                        have_type = true;
                        if (kind == GeoKind::Unknown) geometry_issue(trf("unknown geometry type \"{}\"", shorten(sanitize_utf8(t))));
                    } else {
                        geometry_issue(tr("the geometry's \"type\" must be a string"));
                        VIGIL_SCAN(skip_checked(depth + 1, "geometry"));
                    }
                } else if (key == "coordinates") {
                    have_coords = true;
                    if (have_type) {
                        VIGIL_SCAN(parse_coordinates(kind, depth + 1));
                    } else {
                        deferred = m_p;
                        SkipInfo info;
                        VIGIL_SCAN(skip_value(depth + 1, info, false));
                    }
                } else if (top_level && key == "crs") {
                    VIGIL_SCAN(parse_crs());
                } else {
                    VIGIL_SCAN(skip_checked(depth + 1, "geometry")); // "geometries", "bbox", foreign members
                }
                ws();
                if (*m_p == ',') {
                    ++m_p;
                    ws();
                    continue;
                }
                if (*m_p == '}') break;
                return fail_unexpected(m_p, N_("',' or '}' in a geometry object"));
            }
        }
        ++m_p;
        if (!have_type) {
            geometry_issue(tr("the geometry object has no \"type\""));
        } else if (kind == GeoKind::GeometryCollection) {
            geometry_issue(tr("GeometryCollection is not supported"));
        } else if (kind != GeoKind::Unknown) {
            if (deferred) {
                // Already scanned to the end of the object: cannot run out of window.
                const char* resume = m_p;
                m_p = deferred;
                VIGIL_SCAN(parse_coordinates(kind, depth + 1));
                m_p = resume;
            } else if (!have_coords) {
                g.type = geometry_type_of(kind);
                geometry_issue(trf("the {} has no \"coordinates\"", kind_name(kind)));
            }
        }
        if (kind == GeoKind::Unknown || kind == GeoKind::GeometryCollection) g.type = geo::GeometryType::None;
        return Scan::Done;
    }

    // ------------------------------------------------------------------ features

    Scan parse_feature(RawRecord& out, bool top_level) {
        begin_record(out);
        ++m_p; // '{'
        ws();
        if (*m_p == '}') {
            ++m_p;
            finish_record();
            return Scan::Done;
        }
        for (bool more = true; more;) {
            if (*m_p != '"') return fail_unexpected(m_p, N_("a member name in double quotes"));
            StringFlags kf;
            std::string_view key;
            VIGIL_SCAN(read_string(m_key_scratch, kf, key));
            VIGIL_SCAN(expect_colon());
            bool null = false;
            if (key == "geometry") {
                if (*m_p == '{') {
                    VIGIL_SCAN(parse_geometry(2, false));
                } else {
                    VIGIL_SCAN(match_literal("null", null)); // null: a feature without geometry, no issue
                    if (!null) {
                        geometry_issue(tr("\"geometry\" must be an object or null"));
                        VIGIL_SCAN(skip_checked(2, "geometry"));
                    }
                }
            } else if (key == "properties") {
                if (*m_p == '{') {
                    VIGIL_SCAN(parse_properties(2));
                } else {
                    VIGIL_SCAN(match_literal("null", null));
                    if (!null) {
                        add_issue("", tr("\"properties\" must be an object or null"));
                        VIGIL_SCAN(skip_checked(2, ""));
                    }
                }
            } else if (key == "type") {
                if (*m_p == '"') {
                    StringFlags tf;
                    std::string_view t;
                    VIGIL_SCAN(read_string(m_type_scratch, tf, t));
                    if (t != "Feature") add_issue("", trf("expected a Feature, found a \"{}\" object", shorten(sanitize_utf8(t))));
                } else {
                    add_issue("", tr("the feature's \"type\" must be a string"));
                    VIGIL_SCAN(skip_checked(2, ""));
                }
            } else if (key == "id") {
                VIGIL_SCAN(parse_value(m_feature_id, "id", 2));
                m_has_feature_id = m_feature_id.kind != RawValue::Kind::Null;
            } else if (top_level && key == "crs") {
                VIGIL_SCAN(parse_crs());
            } else {
                VIGIL_SCAN(skip_checked(2, ""));
            }
            VIGIL_SCAN(next_item('}', N_("',' or '}' in a feature object"), more));
        }
        finish_record();
        return Scan::Done;
    }

    /// An old-style "crs" member's value at m_p. Only the first top-level object's CRS counts.
    Scan parse_crs() {
        const char* start = m_p;
        SkipInfo info;
        VIGIL_SCAN(skip_value(1, info, false));
        if (m_crs_known || m_object_index > 1) return Scan::Done;
        try {
            m_crs = crs_from_json(nlohmann::json::parse(start, m_p));
        } catch (const nlohmann::json::exception&) {
            m_crs.reset(); // e.g. NaN inside: not a usable CRS, and not our problem to report
        }
        return Scan::Done;
    }

    /// Reads the first members of a top-level object until its kind is known. For a
    /// FeatureCollection it stops inside the "features" array; for a Feature or a geometry
    /// it rewinds to the '{' so the object is parsed as a whole.
    Scan classify_top_level(TopKind& kind) {
        const char* open = m_p;
        bool collection = false;
        ++m_p;
        ws();
        if (*m_p != '}') {
            for (;;) {
                if (*m_p != '"') return fail_unexpected(m_p, N_("a member name in double quotes"));
                StringFlags kf;
                std::string_view key;
                VIGIL_SCAN(read_string(m_key_scratch, kf, key));
                VIGIL_SCAN(expect_colon());
                if (key == "type") {
                    if (*m_p != '"') return fail_unexpected(m_p, N_("a string as the value of \"type\""));
                    const char* type_at = m_p;
                    StringFlags tf;
                    std::string_view t;
                    VIGIL_SCAN(read_string(m_type_scratch, tf, t));
                    if (t == "FeatureCollection") {
                        collection = true;
                    } else if (t == "Feature") {
                        m_p = open;
                        kind = TopKind::Feature;
                        return Scan::Done;
                    } else if (geometry_kind(t) != GeoKind::Unknown) {
                        m_p = open;
                        kind = TopKind::Geometry;
                        return Scan::Done;
                    } else {
                        return fail(type_at, trf("unsupported GeoJSON type \"{}\"", shorten(sanitize_utf8(t))));
                    }
                } else if (key == "features") {
                    if (*m_p != '[') return fail_unexpected(m_p, N_("an array as the value of \"features\""));
                    ++m_p;
                    kind = TopKind::FeatureCollection;
                    return Scan::Done;
                } else if (key == "crs") {
                    VIGIL_SCAN(parse_crs());
                } else {
                    SkipInfo info;
                    VIGIL_SCAN(skip_value(1, info, false));
                }
                ws();
                if (*m_p == ',') {
                    ++m_p;
                    ws();
                    continue;
                }
                if (*m_p == '}') break;
                return fail_unexpected(m_p, N_("',' or '}'"));
            }
        }
        ++m_p;
        if (!collection) return fail(open, tr("this JSON object is not GeoJSON: it has no \"type\" member"));
        kind = TopKind::EmptyCollection; // a FeatureCollection without "features"
        return Scan::Done;
    }

    /// The members after the "features" array, up to the end of the collection.
    Scan finish_collection() {
        for (;;) {
            ws();
            if (*m_p == '}') {
                ++m_p;
                return Scan::Done;
            }
            if (*m_p != ',') return fail_unexpected(m_p, N_("',' or '}' after the \"features\" array"));
            ++m_p;
            ws();
            if (*m_p != '"') return fail_unexpected(m_p, N_("a member name in double quotes"));
            StringFlags kf;
            std::string_view key;
            VIGIL_SCAN(read_string(m_key_scratch, kf, key));
            VIGIL_SCAN(expect_colon());
            if (key == "type") {
                if (*m_p != '"') return fail_unexpected(m_p, N_("a string as the value of \"type\""));
                const char* type_at = m_p;
                StringFlags tf;
                std::string_view t;
                VIGIL_SCAN(read_string(m_type_scratch, tf, t));
                if (t != "FeatureCollection")
                    return fail(type_at, tr("an object with \"features\" must have \"type\": \"FeatureCollection\""));
            } else if (key == "crs") {
                VIGIL_SCAN(parse_crs());
            } else {
                SkipInfo info;
                VIGIL_SCAN(skip_value(1, info, false));
            }
        }
    }

    void object_done() {
        if (m_object_index == 1) m_crs_known = true;
    }

    /// One unit of reading; `what` says what it came to. Everything it changes before it can
    /// return NeedMore is either restored by the retry loop (next) or harmless to redo (columns
    /// found again, in order).
    Scan step(RawRecord& out, Step& what) {
        switch (m_state) {
        case State::InFeatures: {
            ws();
            if (*m_p == ']') {
                ++m_p;
                VIGIL_SCAN(finish_collection());
                object_done();
                m_state = State::Between;
                what = Step::Continue;
                return Scan::Done;
            }
            if (m_expect_comma) {
                if (*m_p != ',') return fail_unexpected(m_p, N_("',' or ']' between features"));
                ++m_p;
                ws();
                if (*m_p == ']') return fail(m_p, tr("a ',' is followed by ']' (trailing comma)"));
            }
            if (*m_p == '{') {
                VIGIL_SCAN(parse_feature(out, false));
            } else {
                begin_record(out);
                add_issue("", tr("this element of \"features\" is not a JSON object"));
                VIGIL_SCAN(skip_checked(1, ""));
                finish_record();
            }
            m_expect_comma = true;
            what = Step::Record;
            return Scan::Done;
        }
        case State::Pending: {
            if (m_pending == TopKind::Feature) {
                VIGIL_SCAN(parse_feature(out, true));
            } else {
                begin_record(out);
                VIGIL_SCAN(parse_geometry(1, true));
                finish_record();
            }
            object_done();
            m_state = State::Between;
            what = Step::Record;
            return Scan::Done;
        }
        case State::Between: {
            while (is_ws(*m_p) || *m_p == '\x1E') ++m_p; // RS: the RFC 8142 record separator
            if (m_p >= m_end) {
                if (!m_window.is_final()) return Scan::NeedMore;
                m_state = State::Done;
                what = Step::End;
                return Scan::Done;
            }
            if (*m_p != '{') {
                if (m_object_index == 0) return fail_unexpected(m_p, N_("a GeoJSON object ('{')"));
                return fail_unexpected(m_p, N_("the end of the file or another GeoJSON object"));
            }
            ++m_object_index;
            if (m_object_index == 1) m_first_object = static_cast<std::size_t>(m_p - m_window.data());
            TopKind kind = TopKind::Feature;
            VIGIL_SCAN(classify_top_level(kind));
            switch (kind) {
            case TopKind::FeatureCollection:
                m_state = State::InFeatures;
                m_expect_comma = false;
                break;
            case TopKind::EmptyCollection: object_done(); break;
            case TopKind::Feature:
            case TopKind::Geometry:
                m_state = State::Pending;
                m_pending = kind;
                break;
            }
            what = Step::Continue;
            return Scan::Done;
        }
        case State::Done: break;
        }
        what = Step::End;
        return Scan::Done;
    }

    /// Runs one step, refilling the window and retrying while it runs out of data.
    Step step_with_retry(RawRecord& out) {
        for (;;) {
            const char* unit = m_p;
            const std::uint64_t feature_count = m_feature_count;
            const int object_index = m_object_index;
            const State state = m_state;
            const bool expect_comma = m_expect_comma;
            auto restore = [&] {
                m_feature_count = feature_count;
                m_object_index = object_index;
                m_state = state;
                m_expect_comma = expect_comma;
            };
            try {
                Step what = Step::End;
                if (step(out, what) == Scan::Done) return what;
                restore();
                refill(unit);
            } catch (const FormatError&) {
                // Leave the reader where the step began: calling next() again reports the
                // same error instead of reading on from the middle of the damage.
                restore();
                m_p = unit;
                throw;
            }
        }
    }

    bool next(RawRecord& out) {
        for (;;) {
            switch (step_with_retry(out)) {
            case Step::Record: return true;
            case Step::End: return false;
            case Step::Continue: break;
            }
        }
    }

    /// The CRS of the first top-level object, when it has not been read through yet.
    void find_crs() {
        if (m_state == State::Between && m_object_index == 0) {
            // Read up to the first record (for a collection: its members before "features").
            RawRecord unused;
            try {
                step_with_retry(unused);
            } catch (const FormatError&) {
                m_crs_known = true; // a broken file: next() reports it, the CRS does not matter
                return;
            }
        }
        if (m_crs_known) return;
        m_crs_known = true;
        if (m_state == State::Pending) {
            scan_members_for_crs(m_p);
        } else if (m_state == State::InFeatures && !m_crs) {
            // A "crs" after "features". In memory: step over the features (~1 s/GB).
            // Streamed: look at the end of the file instead of reading it twice.
            if (m_window.base() == 0 && m_window.is_final()) scan_members_for_crs(m_window.data() + m_first_object);
            else m_crs = crs_in_file_tail(m_path, m_window.total(), k_tail_bytes);
        }
    }

    /// Reads the members of the object at `open` for "crs" without moving the reading position.
    /// Damage is not reported here: next() reports it at its place in the reading order.
    void scan_members_for_crs(const char* open) {
        std::size_t off = static_cast<std::size_t>(open - m_window.data());
        const std::size_t resume = static_cast<std::size_t>(m_p - m_window.data()) - off;
        for (;;) {
            m_p = m_window.data() + off;
            try {
                if (crs_member() == Scan::Done) break;
                refill(m_window.data() + off);
                off = 0;
            } catch (const FormatError&) {
                break;
            }
        }
        m_p = m_window.data() + off + resume;
    }

    /// The members of the object at m_p, until "crs" (read into m_crs) or the end.
    Scan crs_member() {
        ++m_p;
        ws();
        // Every unexpected character goes through fail(), so that the window's end asks for more
        // data instead of ending the scan early.
        for (bool more = *m_p != '}'; more;) {
            if (*m_p != '"') return fail_unexpected(m_p, N_("a member name in double quotes"));
            StringFlags kf;
            std::string_view key;
            VIGIL_SCAN(read_string(m_key_scratch, kf, key));
            VIGIL_SCAN(expect_colon());
            const char* start = m_p;
            SkipInfo info;
            VIGIL_SCAN(skip_value(1, info, false));
            if (key == "crs") {
                try {
                    m_crs = crs_from_json(nlohmann::json::parse(start, m_p));
                } catch (const nlohmann::json::exception&) {
                    m_crs.reset();
                }
                return Scan::Done;
            }
            ws();
            if (*m_p == ',') {
                ++m_p;
                ws();
            } else if (*m_p == '}') {
                more = false;
            } else {
                return fail_unexpected(m_p, N_("',' or '}'"));
            }
        }
        return Scan::Done;
    }
};

GeoJsonReader::GeoJsonReader(std::string path, GeoJsonReaderOptions options) : m_impl(std::make_unique<Impl>(std::move(path), options)) {}

GeoJsonReader::GeoJsonReader(std::string display_path, std::string contents, GeoJsonReaderOptions options)
    : m_impl(std::make_unique<Impl>(std::move(display_path), std::move(contents), options)) {}

GeoJsonReader::~GeoJsonReader() = default;

const std::string& GeoJsonReader::path() const { return m_impl->m_path; }

const std::vector<std::string>& GeoJsonReader::columns() const { return m_impl->m_columns; }

bool GeoJsonReader::next(importing::RawRecord& out) { return m_impl->next(out); }

std::optional<std::string> GeoJsonReader::declared_crs() const {
    if (!m_impl->m_crs_known) m_impl->find_crs();
    return m_impl->m_crs;
}

std::uint64_t GeoJsonReader::progress_done() const { return m_impl->offset_of(m_impl->m_p); }

std::uint64_t GeoJsonReader::progress_total() const { return m_impl->m_window.total(); }

} // namespace vigil::io

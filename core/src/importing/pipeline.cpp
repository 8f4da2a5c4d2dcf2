#include <vigil/importing/pipeline.hpp>

#include <vigil/catalog/normalize.hpp>
#include <vigil/geo/china_bounds.hpp>
#include <vigil/geo/wkt.hpp>
#include <vigil/importing/field_mapping.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <optional>

namespace vigil::importing {

using catalog::Field;
using catalog::GeometryKind;
using geo::Coord;
using geo::Geometry;
using geo::GeometryType;
using nlohmann::json;

namespace {

std::string shorten(std::string s, std::size_t max_bytes = 120) {
    if (s.size() <= max_bytes) return s;
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut; // keep UTF-8 whole
    s.resize(cut);
    return s + "…";
}

std::string coord_text(Coord c) { return vigil::text::format_fixed(c.x, 6) + ", " + vigil::text::format_fixed(c.y, 6); }

/// How deep a nested property value may go (the GeoJSON reader's limit too): deeper values are
/// refused for their row. nlohmann-json copies and serialises recursively, so a value nested
/// 100,000 deep (a hostile file; GDAL hands it over as JSON text) would overflow the stack.
constexpr int k_max_json_depth = 64;

/// The deepest nesting of arrays/objects in JSON text, by a scan that never recurses (brackets
/// inside strings do not count). Stops counting once past `limit`.
int json_depth(std::string_view text, int limit) {
    int depth = 0, deepest = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
            if (deepest > limit) return deepest;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

json raw_to_json(const RawValue& v) {
    switch (v.kind) {
    case RawValue::Kind::Null: return nullptr;
    case RawValue::Kind::Bool: return v.boolean;
    case RawValue::Kind::Integer: return v.integer;
    case RawValue::Kind::Real: return std::isfinite(v.real) ? json(v.real) : json(v.to_display());
    case RawValue::Kind::Text: return v.text;
    case RawValue::Kind::Json: {
        json j = json::parse(v.text, nullptr, false);
        if (j.is_discarded()) return json(v.text);
        return j;
    }
    }
    return nullptr;
}

// Segment intersection test for the bow-tie check (proper crossings and touching of
// non-adjacent segments).
double orient(Coord a, Coord b, Coord c) { return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x); }

bool segments_cross(Coord a, Coord b, Coord c, Coord d) {
    double d1 = orient(c, d, a), d2 = orient(c, d, b), d3 = orient(a, b, c), d4 = orient(a, b, d);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
    auto on = [](Coord p, Coord q, Coord r) {
        return std::min(p.x, q.x) <= r.x && r.x <= std::max(p.x, q.x) && std::min(p.y, q.y) <= r.y && r.y <= std::max(p.y, q.y);
    };
    if (d1 == 0 && on(c, d, a)) return true;
    if (d2 == 0 && on(c, d, b)) return true;
    if (d3 == 0 && on(a, b, c)) return true;
    if (d4 == 0 && on(a, b, d)) return true;
    return false;
}

// A ring that crosses itself (a bow-tie) is not a valid polygon: GDAL accepts it silently, the
// renderer and point-in-polygon then disagree. Checked exhaustively up to a size where that
// stays cheap; larger rings come from GIS files whose producer validated them.
std::string ring_self_intersection(std::span<const Coord> ring) {
    const std::size_t n = ring.size();
    if (n < 5 || n > 3000) return {};
    for (std::size_t i = 0; i + 1 < n; ++i)
        for (std::size_t j = i + 2; j + 1 < n; ++j) {
            if (i == 0 && j == n - 2) continue; // first and last segments share the closing vertex
            if (segments_cross(ring[i], ring[i + 1], ring[j], ring[j + 1])) return trf("ring crosses itself near {}", coord_text(ring[j]));
        }
    return {};
}

// Puts a source geometry into the kind's stored form, or says why it cannot be.
std::string conform_geometry(GeometryKind kind, Geometry& g) {
    if (g.type == GeometryType::None || g.coords.empty()) return tr("no geometry");
    for (const auto& c : g.coords)
        if (!std::isfinite(c.x) || !std::isfinite(c.y)) return tr("coordinate is not a finite number");
    switch (kind) {
    case GeometryKind::Point:
        if (g.type == GeometryType::Point) return {};
        if (g.type == GeometryType::MultiPoint && g.coords.size() == 1) {
            g = Geometry::point(g.coords[0]);
            return {};
        }
        return trf("a point layer needs a point, found {}", geo::geometry_type_name(g.type));
    case GeometryKind::Line:
        if (g.type != GeometryType::LineString && g.type != GeometryType::MultiLineString)
            return trf("a line layer needs a line, found {}", geo::geometry_type_name(g.type));
        g = g.to_multi();
        for (std::size_t i = 0; i < g.ring_count(); ++i) {
            auto line = g.ring(i);
            bool distinct = std::any_of(line.begin(), line.end(), [&](Coord c) { return !(c == line[0]); });
            if (line.size() < 2 || !distinct) return trf("line {} has fewer than two distinct points", i + 1);
        }
        return {};
    case GeometryKind::Polygon:
        if (g.type != GeometryType::Polygon && g.type != GeometryType::MultiPolygon)
            return trf("a polygon layer needs a polygon, found {}", geo::geometry_type_name(g.type));
        g = g.to_multi();
        for (std::size_t i = 0; i < g.ring_count(); ++i) {
            auto ring = g.ring(i);
            if (ring.size() < 4) return trf("ring {} has fewer than 4 points", i + 1);
            if (!(ring.front() == ring.back())) return trf("ring {} is not closed", i + 1);
            if (auto why = ring_self_intersection(ring); !why.empty()) return why;
        }
        return {};
    }
    return tr("unknown geometry kind");
}

std::string plausibility_text(geo::Plausibility p, Coord c) {
    switch (p) {
    case geo::Plausibility::Ok: return {};
    case geo::Plausibility::OutOfRange:
        return trf("({}) is not a longitude/latitude (|lon| <= 180, |lat| <= 90): metres read as degrees, or a wrong --crs?",
                   coord_text(c));
    case geo::Plausibility::OutsideChina: return trf("({}) lies outside China", coord_text(c));
    case geo::Plausibility::Swapped:
        return trf("({}) lies outside China, but would be inside with longitude and latitude swapped", coord_text(c));
    case geo::Plausibility::NullIsland: return tr("coordinates are (0, 0): empty cells read as zero?");
    }
    return {};
}

// The ids seen so far in this file, to refuse duplicates. A flat open-addressing table of
// (hash, row, offset into one string arena) instead of std::unordered_map<std::string, ...>:
// with a million ids the node-based map costs several cache misses per lookup and was the
// largest single cost of validating a large file (measured: ~0.8 s of ~4 s per million rows).
class IdSet {
public:
    /// Inserts `id` seen on `row`; if it was already there, returns the row it was first seen on.
    std::optional<std::uint64_t> insert(std::string_view id, std::uint64_t row) {
        if ((m_count + 1) * 2 > m_slots.size()) grow();
        std::uint64_t h = hash(id);
        for (std::size_t i = h & m_mask;; i = (i + 1) & m_mask) {
            Slot& s = m_slots[i];
            if (s.row == 0) {
                s = {h, row, static_cast<std::uint32_t>(m_offsets.size())};
                m_offsets.push_back(m_arena.size());
                m_arena.append(id);
                m_offsets.push_back(m_arena.size());
                ++m_count;
                return std::nullopt;
            }
            if (s.hash == h && text_of(s) == id) return s.row;
        }
    }

private:
    struct Slot {
        std::uint64_t hash = 0;
        std::uint64_t row = 0;  // 0 = empty (rows are 1-based)
        std::uint32_t text = 0; // index into m_offsets
    };
    static std::uint64_t hash(std::string_view s) {
        std::uint64_t h = 1469598103934665603ull; // FNV-1a, then a mixer for the low bits
        for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdull;
        h ^= h >> 33;
        return h;
    }
    std::string_view text_of(const Slot& s) const {
        return std::string_view(m_arena).substr(m_offsets[s.text], m_offsets[s.text + 1] - m_offsets[s.text]);
    }
    void grow() {
        std::vector<Slot> old = std::move(m_slots);
        m_slots.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
        m_mask = m_slots.size() - 1;
        for (const Slot& s : old) {
            if (s.row == 0) continue;
            std::size_t i = s.hash & m_mask;
            while (m_slots[i].row != 0) i = (i + 1) & m_mask;
            m_slots[i] = s;
        }
    }
    std::vector<Slot> m_slots;
    std::size_t m_mask = 0;
    std::size_t m_count = 0;
    std::string m_arena;
    std::vector<std::size_t> m_offsets;
};

struct Pending {
    Record record;
    RawRecord raw; // kept only when rejected rows are reported to the caller
    std::string record_id;
    std::vector<Problem> problems;
    std::vector<Problem> warnings;
    bool located = false;     // placed at a referenced record: already WGS84, not transformed
    std::string located_note; // "第 3 行 ZB1 → T1（rescue_teams）…", for the summary's example
};

class Run {
public:
    Run(const catalog::LayerKind& kind, const CoordinateTransform& transform, const ImportOptions& options, RecordSource& source,
        RecordSink& sink, const RejectFn& on_reject)
        : m_kind(kind), m_transform(transform), m_options(options), m_source(source), m_sink(sink), m_on_reject(on_reject),
          m_mapper(kind, options.column_map, source.has_geometry()), m_id_index(kind.id_index()) {
        for (const auto& f : kind.fields) m_defaults.push_back(catalog::normalize_default(f));
        for (std::size_t f = 0; f < kind.fields.size(); ++f)
            if (kind.fields[f].location_fallback) {
                m_locate_field = f;
                if (!kind.fields[f].location_fallback->mark.empty())
                    m_mark_field = kind.field_index(kind.fields[f].location_fallback->mark);
            }
        m_batch.reserve(m_options.batch_size);
    }

    ImportSummary run(const ProgressFn& progress) {
        RawRecord raw;
        std::uint64_t since_progress = 0;
        remap(); // CSV knows its columns now; GeoJSON learns them feature by feature
        while (m_source.next(raw)) {
            if (m_source.columns().size() != m_mapper.columns_seen()) remap();
            if (m_summary.rows_read == 0) check_file_level();
            ++m_summary.rows_read;
            take(raw);
            if (m_batch.size() >= m_options.batch_size) flush();
            if (progress && ++since_progress >= 1024) {
                since_progress = 0;
                progress(m_source.progress_done(), m_source.progress_total());
            }
        }
        flush();
        if (m_summary.rows_read == 0) check_file_level();
        check_unmapped_overrides();
        if (progress) progress(m_source.progress_total(), m_source.progress_total());
        if (m_summary.rows_read == 0) add_file_problem("", tr("the file holds no records"));
        std::stable_sort(m_summary.problems.begin(), m_summary.problems.end(),
                         [](const Problem& a, const Problem& b) { return a.row < b.row; });
        std::stable_sort(m_summary.warnings.begin(), m_summary.warnings.end(),
                         [](const Problem& a, const Problem& b) { return a.row < b.row; });
        m_summary.refused = m_summary.problem_count > 0 && !m_options.skip_invalid;
        if (m_summary.refused) m_summary.rows_written = 0;
        for (auto& line : m_mapper.describe(m_source.columns())) m_summary.notes.push_back(line);
        if (m_summary.located_by_reference > 0) {
            const Field& f = m_kind.fields[*m_locate_field];
            m_summary.notes.push_back(
                m_mark_field ? trf("{} record(s) had no coordinates and were placed at the record their {} ({}) names (marked in {} ({})), "
                                   "e.g. {}",
                                   m_summary.located_by_reference, f.name, f.label.text(), m_kind.fields[*m_mark_field].name,
                                   m_kind.fields[*m_mark_field].label.text(), m_located_example)
                             : trf("{} record(s) had no coordinates and were placed at the record their {} ({}) names, e.g. {}",
                                   m_summary.located_by_reference, f.name, f.label.text(), m_located_example));
        }
        if (m_compound_rows > 0)
            m_summary.notes.push_back(
                trf("{} compound value(s) split by the catalogue's rule, e.g. {}", m_compound_rows, m_compound_example));
        return std::move(m_summary);
    }

private:
    void remap() { m_mapping = m_mapper.update(m_source.columns()); }

    void add_problem(std::vector<Problem>& into, std::uint64_t row, const std::string& id, std::string field, std::string value,
                     std::string reason) {
        into.push_back({row, id, std::move(field), shorten(std::move(value)), std::move(reason)});
    }

    void add_file_problem(std::string field, std::string reason) {
        ++m_summary.problem_count;
        if (m_summary.problems.size() < m_options.max_problems_kept)
            m_summary.problems.push_back({0, {}, std::move(field), {}, std::move(reason)});
    }

    // Problems that concern the whole file are reported once, not on every row.
    void check_file_level() {
        if (!m_source.has_geometry() && m_mapping.wkt_column < 0 && m_mapping.lon_column < 0 && m_mapping.lat_column < 0 &&
            m_locate_field && m_mapping.field_column[*m_locate_field] >= 0) {
            // A register without coordinates (an equipment census sheet names the holder): every
            // row takes the location of the record its reference names, or is refused.
            m_all_from_reference = true;
        } else if (!m_source.has_geometry() && m_mapping.wkt_column < 0 && (m_mapping.lon_column < 0 || m_mapping.lat_column < 0)) {
            std::string cols;
            for (const auto& c : m_source.columns()) cols += (cols.empty() ? "" : ", ") + c;
            if (m_locate_field) {
                const Field& f = m_kind.fields[*m_locate_field];
                add_file_problem("geometry", trf("no coordinate columns found (expected lon/longitude and lat/latitude columns, or a WKT "
                                                 "column; or say --map lon=COLUMN --map lat=COLUMN; or a column for {} ({}) to place "
                                                 "each record at the record it names); columns are: {}",
                                                 f.name, f.label.text(), cols));
            } else {
                add_file_problem("geometry", trf("no coordinate columns found (expected lon/longitude and lat/latitude columns, or a WKT "
                                                 "column; or say --map lon=COLUMN --map lat=COLUMN); columns are: {}",
                                                 cols));
            }
            m_no_geometry_reported = true;
        }
        for (std::size_t f = 0; f < m_kind.fields.size(); ++f) {
            const Field& field = m_kind.fields[f];
            if (field.required && m_mapping.field_column[f] < 0 && model::is_null(m_defaults[f].value)) {
                std::string cols;
                for (const auto& c : m_source.columns()) cols += (cols.empty() ? "" : ", ") + c;
                add_file_problem(field.name, trf("no column for required field {0} ({1}); columns are: {2}; use --map {0}=COLUMN",
                                                 field.name, field.label.text(), cols));
                m_unmapped_required.push_back(f);
            }
        }
    }

    void check_unmapped_overrides() {
        const auto& cols = m_source.columns();
        for (const auto& override_pair : m_options.column_map) {
            // Named copies: clang 14 cannot capture structured bindings in a lambda.
            const std::string& field = override_pair.first;
            const std::string& column = override_pair.second;
            bool found = std::any_of(cols.begin(), cols.end(), [&](const std::string& c) {
                return c == column || vigil::text::match_key(c) == vigil::text::match_key(column);
            });
            if (!found) {
                std::string list;
                for (const auto& c : cols) list += (list.empty() ? "" : ", ") + c;
                add_file_problem(field, trf("--map {0}={1}: the file has no column '{1}' (columns: {2})", field, column, list));
            }
        }
    }

    const RawValue& cell(const RawRecord& raw, int column) const {
        static const RawValue null_value;
        if (column < 0 || static_cast<std::size_t>(column) >= raw.values.size()) return null_value;
        return raw.values[static_cast<std::size_t>(column)];
    }

    void take(RawRecord& raw) {
        Pending p;
        p.record.row = raw.row;
        p.record.values.resize(m_kind.fields.size());
        for (const auto& issue : raw.issues) add_problem(p.problems, raw.row, {}, issue.column, {}, issue.reason);

        std::vector<catalog::CompoundPart> compound_parts;
        for (std::size_t f = 0; f < m_kind.fields.size(); ++f) {
            const Field& field = m_kind.fields[f];
            if (m_mapping.from_fallback[f]) continue; // below, from the fallback field's checked value
            const RawValue& v = cell(raw, m_mapping.field_column[f]);
            catalog::Normalized n = catalog::normalize_value(field, v);
            if (!n.ok() && field.compound && v.kind == RawValue::Kind::Text) {
                catalog::CompoundSplit split = catalog::split_compound(m_kind, f, vigil::text::trim(v.text));
                if (!split.problem.empty()) {
                    add_problem(p.problems, raw.row, {}, field.name, v.to_display(), split.problem);
                    continue;
                }
                if (!split.parts.empty()) {
                    note_compound(raw.row, vigil::text::trim(v.text), split);
                    for (auto& part : split.parts) compound_parts.push_back(std::move(part));
                    continue;
                }
            }
            if (!n.ok()) {
                add_problem(p.problems, raw.row, {}, field.name, v.to_display(), n.problem);
                continue;
            }
            if (!n.warning.empty()) {
                if (m_options.strict) {
                    add_problem(p.problems, raw.row, {}, field.name, v.to_display(), trf("{} (refused with --strict)", n.warning));
                    continue;
                }
                add_problem(p.warnings, raw.row, {}, field.name, v.to_display(), trf("warning: {}; imported as written", n.warning));
            }
            if (model::is_null(n.value)) n.value = m_defaults[f].value;
            if (model::is_null(n.value) && field.required &&
                std::find(m_unmapped_required.begin(), m_unmapped_required.end(), f) == m_unmapped_required.end())
                add_problem(p.problems, raw.row, {}, field.name, {}, tr("required value is missing"));
            p.record.values[f] = std::move(n.value);
        }
        merge_compound(raw, p, compound_parts);
        for (std::size_t f = 0; f < m_kind.fields.size(); ++f)
            if (m_mapping.from_fallback[f]) take_fallback(raw, p, f);
        if (auto id = std::get_if<std::string>(&p.record.values[m_id_index])) {
            p.record_id = *id;
            if (auto first = m_seen_ids.insert(*id, raw.row))
                add_problem(p.problems, raw.row, *id, m_kind.fields[m_id_index].name, *id,
                            trf("duplicate id: row {} has the same id", *first));
        }
        for (auto& pr : p.problems) pr.record_id = p.record_id;
        for (auto& pr : p.warnings) pr.record_id = p.record_id;

        read_geometry(raw, p);
        if (m_mark_field && !p.located && model::is_null(p.record.values[*m_mark_field])) p.record.values[*m_mark_field] = std::int64_t{0};

        if (!m_mapping.extra_columns.empty()) {
            json extra = json::object();
            const auto& cols = m_source.columns();
            for (int c : m_mapping.extra_columns) {
                const RawValue& v = cell(raw, c);
                const auto& column = cols[static_cast<std::size_t>(c)];
                if (v.kind == RawValue::Kind::Json && json_depth(v.text, k_max_json_depth) > k_max_json_depth) {
                    // The reader may have said so already (the GeoJSON reader has the same limit).
                    const bool said =
                        std::any_of(p.problems.begin(), p.problems.end(), [&](const Problem& pr) { return pr.field == column; });
                    if (!said)
                        add_problem(p.problems, raw.row, p.record_id, column, shorten(v.text),
                                    trf("the value is nested more than {} levels deep", k_max_json_depth));
                    continue;
                }
                if (!v.is_null() && !(v.kind == RawValue::Kind::Text && vigil::text::trim(v.text).empty())) extra[column] = raw_to_json(v);
            }
            if (!extra.empty()) p.record.extra_json = extra.dump();
        }
        if (m_on_reject) p.raw = raw;
        if (!p.problems.empty()) {
            reject(p);
            return;
        }
        m_batch.push_back(std::move(p));
    }

    // The parts of compound cells join their fields: a set field gains them (beside what its own
    // column says), an enum field takes one unless its own column says otherwise.
    void merge_compound(const RawRecord& raw, Pending& p, const std::vector<catalog::CompoundPart>& parts) {
        for (const auto& part : parts) {
            const Field& field = m_kind.fields[part.field];
            model::Value& stored = p.record.values[part.field];
            if (field.type == catalog::FieldType::Set) {
                json have = json::array();
                if (auto s = std::get_if<std::string>(&stored)) have = json::parse(*s, nullptr, false);
                if (!have.is_array()) have = json::array();
                json merged = json::array();
                for (const auto& v : field.values)
                    if (v.value == part.value || std::find(have.begin(), have.end(), json(v.value)) != have.end())
                        merged.push_back(v.value);
                stored = merged.dump();
            } else if (model::is_null(stored)) {
                stored = part.value;
            } else if (auto s = std::get_if<std::string>(&stored); s && *s != part.value) {
                const catalog::EnumValue* own = field.value_named(*s);
                add_problem(p.problems, raw.row, {}, field.name, part.text,
                            trf("the part '{}' contradicts this row's {} column ({})", part.text, field.label.text(),
                                own ? own->label.text() : *s));
            }
        }
    }

    void note_compound(std::uint64_t row, std::string_view text, const catalog::CompoundSplit& split) {
        if (m_compound_rows++ > 0) return;
        std::string parts;
        for (const auto& part : split.parts) {
            const Field& f = m_kind.fields[part.field];
            const catalog::EnumValue* v = f.value_named(part.value);
            const std::string shown = v && !v->label.text().empty() ? v->label.text() : part.value;
            parts += (parts.empty() ? "" : " + ") + f.label.text() + " " + shown;
        }
        m_compound_example = trf("row {}: '{}' → {}", row, text, parts);
    }

    // A field filled from its fallback field's column (the id of an enterprise register without
    // 编号, from the credit code) takes that field's checked, canonical value — the id is then
    // the credit code exactly as stored in uscc — and passes its own checks too. When the
    // fallback value was refused, that problem is already reported; the field adds none.
    void take_fallback(const RawRecord& raw, Pending& p, std::size_t f) {
        const Field& field = m_kind.fields[f];
        const std::size_t from = *m_kind.field_index(field.fallback_field);
        const RawValue& v = cell(raw, m_mapping.field_column[f]);
        const bool from_refused =
            std::any_of(p.problems.begin(), p.problems.end(), [&](const Problem& pr) { return pr.field == field.fallback_field; });
        if (from_refused) return;
        RawValue source =
            model::is_null(p.record.values[from]) ? RawValue::null() : RawValue::from_text(std::get<std::string>(p.record.values[from]));
        catalog::Normalized n = catalog::normalize_value(field, source);
        if (!n.ok()) {
            add_problem(p.problems, raw.row, {}, field.name, v.to_display(), n.problem);
            return;
        }
        if (model::is_null(n.value)) n.value = m_defaults[f].value;
        if (model::is_null(n.value) && field.required)
            add_problem(p.problems, raw.row, {}, field.name, {},
                        trf("required value is missing: the file has no column for {} ({}), so {} ({}) keys the record, and it is "
                            "empty here",
                            field.name, field.label.text(), m_kind.fields[from].name, m_kind.fields[from].label.text()));
        p.record.values[f] = std::move(n.value);
    }

    static bool blank(const RawValue& v) { return v.is_null() || (v.kind == RawValue::Kind::Text && vigil::text::trim(v.text).empty()); }

    // A row without coordinates, in a kind whose location_fallback field names another record:
    // placed at that record, or refused naming the id (never placed anywhere else).
    void locate_at_reference(Pending& p) {
        const Field& f = m_kind.fields[*m_locate_field];
        const auto* id = std::get_if<std::string>(&p.record.values[*m_locate_field]);
        std::string kinds;
        for (const auto& k : f.reference_kinds) kinds += (kinds.empty() ? "" : ", ") + k;
        if (!id || vigil::text::trim(*id).empty()) {
            add_problem(p.problems, p.record.row, p.record_id, "geometry", {},
                        trf("coordinate is missing, and no {} ({}) to take a location from", f.name, f.label.text()));
            return;
        }
        std::optional<ReferencePoint> at;
        if (m_options.locate_reference) at = m_options.locate_reference(*id);
        if (!at) {
            add_problem(p.problems, p.record.row, p.record_id, f.name, *id,
                        trf("coordinate is missing, and {} '{}' is no record of {} in the project to take a location from: give the "
                            "coordinates, or import that record first",
                            f.label.text(), *id, kinds));
            return;
        }
        p.record.geometry = Geometry::point(at->at);
        p.located = true;
        if (m_mark_field) p.record.values[*m_mark_field] = std::int64_t{1};
        p.located_note = trf("row {}: {} at {} ({})", p.record.row, p.record_id, *id, at->kind);
    }

    void read_geometry(const RawRecord& raw, Pending& p) {
        Geometry g;
        if (m_source.has_geometry()) {
            bool reported = std::any_of(raw.issues.begin(), raw.issues.end(), [](const SourceIssue& i) { return i.column == "geometry"; });
            if (reported) return;
            g = raw.geometry;
            if (m_locate_field && (g.type == GeometryType::None || g.coords.empty())) return locate_at_reference(p);
        } else if (m_all_from_reference) {
            return locate_at_reference(p);
        } else if (m_no_geometry_reported) {
            return;
        } else if (m_locate_field && (m_mapping.wkt_column < 0 || blank(cell(raw, m_mapping.wkt_column))) &&
                   blank(cell(raw, m_mapping.lon_column)) && blank(cell(raw, m_mapping.lat_column))) {
            return locate_at_reference(p);
        } else if (m_mapping.wkt_column >= 0 && !cell(raw, m_mapping.wkt_column).is_null()) {
            const RawValue& w = cell(raw, m_mapping.wkt_column);
            try {
                g = geo::parse_wkt(w.to_display());
            } catch (const FormatError& e) {
                add_problem(p.problems, raw.row, p.record_id, "geometry", w.to_display(), e.what());
                return;
            }
        } else {
            const RawValue& lon = cell(raw, m_mapping.lon_column);
            const RawValue& lat = cell(raw, m_mapping.lat_column);
            auto coordinate = [&](const RawValue& v, const char* what) -> std::optional<double> {
                if (v.kind == RawValue::Kind::Real) {
                    if (std::isfinite(v.real)) return v.real;
                } else if (v.kind == RawValue::Kind::Integer) {
                    return static_cast<double>(v.integer);
                } else if (v.kind == RawValue::Kind::Text) {
                    if (auto d = catalog::parse_coordinate(v.text)) return d;
                }
                std::string shown = v.to_display();
                add_problem(p.problems, raw.row, p.record_id, what, shown,
                            shown.empty() ? std::string(tr("coordinate is missing"))
                                          : trf("'{}' is not a coordinate (decimal degrees or 113°14'24\"; a decimal comma is not "
                                                "accepted)",
                                                shown));
                return std::nullopt;
            };
            auto x = coordinate(lon, "longitude");
            auto y = coordinate(lat, "latitude");
            if (!x || !y) return;
            g = Geometry::point({*x, *y});
        }
        std::string why = conform_geometry(m_kind.geometry, g);
        if (!why.empty()) {
            add_problem(p.problems, raw.row, p.record_id, "geometry", {}, why);
            return;
        }
        p.record.geometry = std::move(g);
    }

    void flush() {
        if (m_batch.empty()) return;
        // One transform call per batch: PROJ amortises its set-up over thousands of points.
        std::vector<Coord> coords;
        std::vector<Coord> originals; // source coordinates of points, for the swapped-axes test
        for (const auto& p : m_batch)
            if (!p.located) coords.insert(coords.end(), p.record.geometry.coords.begin(), p.record.geometry.coords.end());
        m_transform.to_wgs84(coords);
        std::size_t at = 0;
        for (auto& p : m_batch) {
            auto& gc = p.record.geometry.coords;
            Coord first_source = gc.empty() ? Coord{} : gc[0];
            if (!p.located) {
                std::copy(coords.begin() + static_cast<std::ptrdiff_t>(at), coords.begin() + static_cast<std::ptrdiff_t>(at + gc.size()),
                          gc.begin());
                at += gc.size();
            }
            check_plausible(p, first_source);
            if (p.problems.empty()) accept(p);
            else reject(p);
        }
        m_batch.clear();
    }

    void check_plausible(Pending& p, Coord first_source) {
        for (const auto& c : p.record.geometry.coords) {
            if (!std::isfinite(c.x) || !std::isfinite(c.y)) {
                add_problem(p.problems, p.record.row, p.record_id, "geometry", coord_text(first_source),
                            trf("cannot be transformed from {} (outside the area of that CRS?)", m_transform.name()));
                return;
            }
            geo::Plausibility pl = geo::check_china_plausibility(c);
            if (pl == geo::Plausibility::Ok) continue;
            // A single point may have its axes swapped in the source: try the swap through the
            // same transform and say so if that lands in China.
            if (p.record.geometry.type == GeometryType::Point && pl != geo::Plausibility::NullIsland) {
                Coord swapped{first_source.y, first_source.x};
                m_transform.to_wgs84(std::span<Coord>(&swapped, 1));
                if (std::isfinite(swapped.x) && geo::check_china_plausibility(swapped) == geo::Plausibility::Ok) {
                    add_problem(p.problems, p.record.row, p.record_id, "geometry", coord_text(first_source),
                                trf("longitude and latitude look swapped: ({}) is outside China, the swapped pair is inside",
                                    coord_text(first_source)));
                    return;
                }
            }
            add_problem(p.problems, p.record.row, p.record_id, "geometry", coord_text(first_source), plausibility_text(pl, c));
            return;
        }
    }

    void keep_warnings(Pending& p) {
        m_summary.warning_count += p.warnings.size();
        for (auto& w : p.warnings)
            if (m_summary.warnings.size() < m_options.max_problems_kept) m_summary.warnings.push_back(std::move(w));
    }

    void accept(Pending& p) {
        keep_warnings(p);
        ++m_summary.rows_valid;
        if (p.located && m_summary.located_by_reference++ == 0) m_located_example = p.located_note;
        if (m_summary.problem_count > 0 && !m_options.skip_invalid) return; // refusing: write nothing more
        m_summary.extent.add(p.record.geometry.bbox());
        m_sink.write(p.record);
        ++m_summary.rows_written;
    }

    void reject(Pending& p) {
        keep_warnings(p);
        ++m_summary.rows_rejected;
        m_summary.problem_count += p.problems.size();
        for (auto& pr : p.problems)
            if (m_summary.problems.size() < m_options.max_problems_kept) m_summary.problems.push_back(pr);
        if (m_on_reject) m_on_reject(m_source.columns(), p.raw, p.problems);
    }

    const catalog::LayerKind& m_kind;
    const CoordinateTransform& m_transform;
    const ImportOptions& m_options;
    RecordSource& m_source;
    RecordSink& m_sink;
    const RejectFn& m_on_reject;
    FieldMapper m_mapper;
    ColumnMapping m_mapping;
    std::size_t m_id_index;
    std::vector<catalog::Normalized> m_defaults;
    std::vector<std::size_t> m_unmapped_required;
    bool m_no_geometry_reported = false;
    std::optional<std::size_t> m_locate_field; ///< the kind's location_fallback field
    std::optional<std::size_t> m_mark_field;   ///< set true on records placed at their reference
    bool m_all_from_reference = false;         ///< the file has no coordinate columns: every row is placed so
    std::string m_located_example;
    std::uint64_t m_compound_rows = 0;
    std::string m_compound_example;
    IdSet m_seen_ids;
    std::vector<Pending> m_batch;
    ImportSummary m_summary;
};

} // namespace

ImportPipeline::ImportPipeline(const catalog::LayerKind& kind, const CoordinateTransform& transform, ImportOptions options)
    : m_kind(kind), m_transform(transform), m_options(std::move(options)) {
    if (m_options.batch_size == 0) m_options.batch_size = 1;
}

ImportSummary ImportPipeline::run(RecordSource& source, RecordSink& sink, const ProgressFn& progress, const RejectFn& on_reject) {
    Run r(m_kind, m_transform, m_options, source, sink, on_reject);
    return r.run(progress);
}

std::string format_problem(const std::string& file, const catalog::LayerKind& kind, const Problem& p) {
    std::string out = file;
    if (p.row > 0) out += ":" + std::to_string(p.row);
    if (!p.record_id.empty()) out += " [id=" + p.record_id + "]";
    if (!p.field.empty()) {
        out += " " + p.field;
        if (const Field* f = kind.field(p.field); f && !f->label.text().empty()) out += " (" + f->label.text() + ")";
    }
    if (!p.value.empty()) out += " = \"" + p.value + "\"";
    out += ": " + p.reason;
    return out;
}

} // namespace vigil::importing

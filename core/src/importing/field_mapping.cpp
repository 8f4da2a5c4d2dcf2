#include <vigil/importing/field_mapping.hpp>

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <algorithm>

namespace vigil::importing {

const std::vector<std::string>& longitude_aliases() {
    static const std::vector<std::string> a = {"lon",   "lng",   "long",    "longitude", "经度",   "东经",   "经度坐标", "x",
                                               "x坐标", "坐标x", "easting", "east",      "东坐标", "横坐标", "point_x"};
    return a;
}

const std::vector<std::string>& latitude_aliases() {
    static const std::vector<std::string> a = {"lat",   "latitude", "纬度",  "北纬",   "纬度坐标", "y",      "y坐标",
                                               "坐标y", "northing", "north", "北坐标", "纵坐标",   "point_y"};
    return a;
}

const std::vector<std::string>& wkt_aliases() {
    static const std::vector<std::string> a = {"wkt", "geometry", "geom", "the_geom", "shape", "几何", "空间坐标", "坐标串"};
    return a;
}

std::size_t header_score(const catalog::LayerKind& kind, const std::vector<std::string>& cells) {
    std::vector<std::string> keys;
    for (const auto& c : cells)
        if (auto k = vigil::text::match_key(c); !k.empty()) keys.push_back(std::move(k));
    auto names_one = [&](const std::vector<std::string>& names) {
        for (const auto& n : names) {
            const std::string k = vigil::text::match_key(n);
            if (!k.empty() && std::find(keys.begin(), keys.end(), k) != keys.end()) return true;
        }
        return false;
    };
    std::size_t score = 0;
    for (const auto& f : kind.fields) {
        std::vector<std::string> names = {f.name, f.label.zh, f.label.en};
        names.insert(names.end(), f.aliases.begin(), f.aliases.end());
        if (names_one(names)) ++score;
    }
    for (const auto* aliases : {&longitude_aliases(), &latitude_aliases(), &wkt_aliases()})
        if (names_one(*aliases)) ++score;
    return score;
}

std::size_t find_header_row(const catalog::LayerKind& kind, const std::vector<std::vector<std::string>>& rows) {
    std::size_t best = 0, best_score = 0;
    for (std::size_t i = 0; i < rows.size() && i < k_header_search_rows; ++i) {
        const std::size_t score = header_score(kind, rows[i]);
        if (score > best_score) {
            best = i;
            best_score = score;
        }
    }
    return best_score >= 2 ? best : 0;
}

FieldMapper::FieldMapper(const catalog::LayerKind& kind, std::vector<std::pair<std::string, std::string>> overrides,
                         bool source_has_geometry)
    : m_kind(kind), m_overrides(std::move(overrides)), m_source_has_geometry(source_has_geometry) {
    for (const auto& [field, column] : m_overrides) {
        if (field == "lon" || field == "lat" || field == "wkt") continue;
        if (!m_kind.field(field)) {
            std::string names;
            for (const auto& f : m_kind.fields) names += (names.empty() ? "" : ", ") + f.name;
            throw UsageError(
                trf("--map {0}={1}: layer {2} has no field '{0}' (fields: {3}, and lon, lat, wkt)", field, column, m_kind.kind, names));
        }
    }
}


const ColumnMapping& FieldMapper::update(const std::vector<std::string>& columns) {
    m_columns_seen = columns.size();
    m_mapping = {};
    m_mapping.field_column.assign(m_kind.fields.size(), -1);
    std::vector<std::string> keys;
    keys.reserve(columns.size());
    for (const auto& c : columns) keys.push_back(vigil::text::match_key(c));
    std::vector<bool> used(columns.size(), false);

    auto exact_column = [&](const std::string& name) -> int {
        for (std::size_t i = 0; i < columns.size(); ++i)
            if (columns[i] == name) return static_cast<int>(i);
        for (std::size_t i = 0; i < columns.size(); ++i)
            if (keys[i] == vigil::text::match_key(name)) return static_cast<int>(i);
        return -1;
    };
    // 1. Explicit --map wins. A column named in --map that the source lacks is an error only once
    //    all columns are known; GeoJSON grows its columns, so we only complain when asked to
    //    (see check below: columns must exist when the first record is read).
    //    A column --map gives to a field stays open to the other fields' aliases: a register
    //    keyed by its credit code (--map id=统一社会信用代码) still fills, and checks, the credit
    //    code field. Columns found by alias stay one field's each.
    std::vector<bool> shared(columns.size(), false);
    for (const auto& [field, column] : m_overrides) {
        int c = exact_column(column);
        if (c < 0) continue;
        used[static_cast<std::size_t>(c)] = true;
        if (field == "lon") m_mapping.lon_column = c;
        else if (field == "lat") m_mapping.lat_column = c;
        else if (field == "wkt") m_mapping.wkt_column = c;
        else {
            m_mapping.field_column[*m_kind.field_index(field)] = c;
            shared[static_cast<std::size_t>(c)] = true;
        }
    }
    for (const auto& [field, column] : m_overrides)
        if (field == "lon" || field == "lat" || field == "wkt")
            if (int c = exact_column(column); c >= 0) shared[static_cast<std::size_t>(c)] = false;
    // Tries the names on the free columns first, then on those --map gave to another field.
    auto claim = [&](std::size_t f, const std::vector<std::string>& names) {
        for (const auto* pool : {&used, &shared}) {
            for (const auto& n : names) {
                const std::string k = vigil::text::match_key(n);
                if (k.empty()) continue;
                for (std::size_t i = 0; i < keys.size(); ++i) {
                    bool open = pool == &used ? !used[i] : shared[i];
                    if (!open || keys[i] != k) continue;
                    m_mapping.field_column[f] = static_cast<int>(i);
                    used[i] = true;
                    return;
                }
            }
        }
    };
    // 2. Exact field names, then labels and aliases in the catalogue's order.
    for (std::size_t f = 0; f < m_kind.fields.size(); ++f)
        if (m_mapping.field_column[f] < 0) claim(f, {m_kind.fields[f].name});
    for (std::size_t f = 0; f < m_kind.fields.size(); ++f) {
        if (m_mapping.field_column[f] >= 0) continue;
        const auto& field = m_kind.fields[f];
        std::vector<std::string> names = {field.label.zh, field.label.en};
        names.insert(names.end(), field.aliases.begin(), field.aliases.end());
        claim(f, names);
    }
    // 2b. A field the file has no column for takes its fallback field's column (enterprises
    //     without 编号 are keyed by their credit code); the fallback field keeps it and its checks.
    m_mapping.from_fallback.assign(m_kind.fields.size(), false);
    for (std::size_t f = 0; f < m_kind.fields.size(); ++f) {
        if (m_mapping.field_column[f] >= 0 || m_kind.fields[f].fallback_field.empty()) continue;
        int c = m_mapping.field_column[*m_kind.field_index(m_kind.fields[f].fallback_field)];
        if (c < 0) continue;
        m_mapping.field_column[f] = c;
        m_mapping.from_fallback[f] = true;
    }
    // 3. Coordinates, unless the records carry geometry of their own.
    if (!m_source_has_geometry) {
        auto pick = [&](int& slot, const std::vector<std::string>& aliases) {
            if (slot >= 0) return;
            for (const auto& a : aliases) {
                const std::string k = vigil::text::match_key(a);
                for (std::size_t i = 0; i < keys.size(); ++i)
                    if (!k.empty() && !used[i] && keys[i] == k) {
                        slot = static_cast<int>(i);
                        used[i] = true;
                        return;
                    }
            }
        };
        pick(m_mapping.wkt_column, wkt_aliases());
        pick(m_mapping.lon_column, longitude_aliases());
        pick(m_mapping.lat_column, latitude_aliases());
    }
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (!used[i]) m_mapping.extra_columns.push_back(static_cast<int>(i));
    return m_mapping;
}

std::vector<std::string> FieldMapper::describe(const std::vector<std::string>& columns) const {
    std::vector<std::string> out;
    auto col = [&](int c) {
        return c >= 0 && static_cast<std::size_t>(c) < columns.size() ? columns[static_cast<std::size_t>(c)] : std::string("?");
    };
    for (std::size_t f = 0; f < m_kind.fields.size(); ++f) {
        if (m_mapping.field_column[f] < 0) continue;
        const auto& field = m_kind.fields[f];
        std::string line = field.name + " <- " + col(m_mapping.field_column[f]);
        if (f < m_mapping.from_fallback.size() && m_mapping.from_fallback[f]) {
            const catalog::Field* from = m_kind.field(field.fallback_field);
            // TRANSLATORS: {0} and {2} are the fields' ids (id, uscc), {1} and {3} their Chinese labels (编号, 统一社会信用代码);
            // "{1:.0}" prints nothing: the English text names the ids, the Chinese one the labels (「{1}」…{0:.0}).
            line += trf(" (the file has no column for {0}{1:.0}, so {2}{3:.0} fills it)", field.name, field.label.zh, from->name,
                        from->label.zh);
        }
        out.push_back(std::move(line));
    }
    if (m_mapping.lon_column >= 0) out.push_back("longitude <- " + col(m_mapping.lon_column));
    if (m_mapping.lat_column >= 0) out.push_back("latitude <- " + col(m_mapping.lat_column));
    if (m_mapping.wkt_column >= 0) out.push_back("geometry <- " + col(m_mapping.wkt_column) + " (WKT)");
    if (!m_mapping.extra_columns.empty()) {
        std::string extras;
        for (int c : m_mapping.extra_columns) extras += (extras.empty() ? "" : ", ") + col(c);
        out.push_back(trf("kept in 'extra' (no matching field): {}", extras));
    }
    return out;
}

} // namespace vigil::importing

#include "layer_rows.hpp"

#include <vigil/geo/spatialite_blob.hpp>
#include <vigil/util/error.hpp>

#include <algorithm>

namespace vigil::store::detail {

namespace {

// A column value converted to the catalogue field's stored type, tolerating databases edited
// by other tools (QGIS may write "12" into an INTEGER column as text).
model::Value typed(const Statement& st, int col, catalog::FieldType type) {
    model::Value v = st.column_value(col);
    using catalog::FieldType;
    if (model::is_null(v)) return v;
    switch (type) {
    case FieldType::Integer:
    case FieldType::Bool:
        if (auto d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
        if (std::holds_alternative<std::string>(v)) return st.column_int64(col);
        return v;
    case FieldType::Real:
        if (auto i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
        if (std::holds_alternative<std::string>(v)) return st.column_double(col);
        return v;
    default:
        if (!std::holds_alternative<std::string>(v)) return model::to_text(v);
        return v;
    }
}

} // namespace

LayerRowReader::LayerRowReader(const Database& db, const catalog::LayerKind& kind) : m_db(db), m_kind(kind) {
    auto present = db.table_columns(kind.kind);
    const bool updated = std::find(present.begin(), present.end(), "updated_at") != present.end();
    // i18n: not shown: SQL
    m_select = updated ? "t.fid, t.geom, t.extra, t.updated_at" : "t.fid, t.geom, t.extra, NULL";
    m_field_col.assign(kind.fields.size(), -1);
    int next = 4;
    for (std::size_t f = 0; f < kind.fields.size(); ++f) {
        if (std::find(present.begin(), present.end(), kind.fields[f].name) == present.end()) continue;
        m_select += ", t." + quote_identifier(kind.fields[f].name);
        m_field_col[f] = next++;
    }
}

void LayerRowReader::read(const Statement& st, LayerRow& row) const {
    row.fid = st.column_int64(0);
    row.geometry = {};
    if (!st.column_is_null(1)) {
        try {
            row.geometry = geo::decode_spatialite_blob(st.column_blob(1));
        } catch (const FormatError& e) {
            throw FormatError(m_db.path() + ": " + m_kind.kind + " fid=" + std::to_string(row.fid) + ": " + e.what());
        }
    }
    row.values.assign(m_kind.fields.size(), model::Value{});
    for (std::size_t f = 0; f < m_kind.fields.size(); ++f)
        if (m_field_col[f] >= 0) row.values[f] = typed(st, m_field_col[f], m_kind.fields[f].type);
    row.extra = st.column_is_null(2) ? std::string() : std::string(st.column_text(2));
    row.updated_at = st.column_is_null(3) ? std::string() : std::string(st.column_text(3));
}

} // namespace vigil::store::detail

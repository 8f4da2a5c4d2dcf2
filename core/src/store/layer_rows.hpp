/// @file
/// Decoding one layer table row (fid, geometry, extra, the catalogue's fields) into what a
/// model::Layer holds. Shared by Project::load_layer (every row) and the on-disk queries (only
/// the rows the R*Tree names), so both turn the same stored row into the same record.
#pragma once

#include <vigil/catalog/catalog.hpp>
#include <vigil/geo/geometry.hpp>
#include <vigil/model/value.hpp>
#include <vigil/store/sqlite.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::store::detail {

struct LayerRow {
    std::int64_t fid = 0;
    geo::Geometry geometry;
    std::vector<model::Value> values; ///< one per field of the kind (null where the table lacks the column)
    std::string extra;
    std::string updated_at; ///< "" when the table has no such column (edited by another tool)
};

class LayerRowReader {
public:
    /// Looks up the columns the table really has: a catalogue file may have gained fields since
    /// the import, and those read as null.
    LayerRowReader(const Database& db, const catalog::LayerKind& kind);

    /// "t.fid, t.geom, t.extra, t.updated_at, t.<field>..." for a SELECT over the table aliased `t`
    /// (NULL in place of updated_at when the table lacks it).
    const std::string& select_list() const { return m_select; }
    /// Decodes the current row of a statement whose first columns are select_list(). Throws
    /// vigil::FormatError naming the database, the table and the fid for a damaged geometry.
    void read(const Statement& st, LayerRow& row) const;

private:
    const Database& m_db;
    const catalog::LayerKind& m_kind;
    std::vector<int> m_field_col; ///< statement column of each field, -1 when the table lacks it
    std::string m_select;
};

} // namespace vigil::store::detail

/// @file
/// Which source column feeds which catalogue field. Columns are matched to fields by the
/// field's name, its labels and its import aliases (compared with text::match_key, so case,
/// width, spaces and '_' do not matter); `--map FIELD=COLUMN` overrides. Coordinates come from
/// the source's geometry, or from longitude/latitude columns (经度/lon/x ...), or a WKT column.
/// Columns no field claims are kept, as JSON, in the record's `extra` column: nothing a user
/// entered is dropped. One column may fill several fields: a column --map gives to one field
/// is still found by another field's aliases, and a field without a column takes its
/// `fallback_field`'s; every field's own checks then run on the value.
#pragma once

#include <vigil/catalog/catalog.hpp>

#include <string>
#include <utility>
#include <vector>

namespace vigil::importing {

/// Column-name aliases for coordinates (not layer-specific, so they live here, not in layers/).
const std::vector<std::string>& longitude_aliases();
const std::vector<std::string>& latitude_aliases();
const std::vector<std::string>& wkt_aliases();

/// How many distinct catalogue fields (by name, label or alias) and coordinate columns the cells
/// of one row name: how well the row reads as the header of a `kind` register.
std::size_t header_score(const catalog::LayerKind& kind, const std::vector<std::string>& cells);

/// How many rows at the top of a sheet are searched for the header.
constexpr std::size_t k_header_search_rows = 10;

/// Which of the first rows of a sheet is its header: a clerk's register often starts with a
/// title ("焦作市温县危险化学品企业登记表", a merged cell), a unit and a date, and the column
/// names only on row 2, 3 or 4. The row naming the most fields wins, if it names at least two
/// and more than the first row does (ties go to the upper row); else 0, the first row.
std::size_t find_header_row(const catalog::LayerKind& kind, const std::vector<std::vector<std::string>>& rows);

struct ColumnMapping {
    std::vector<int> field_column; ///< per catalogue field: source column index, or -1
    int lon_column = -1;
    int lat_column = -1;
    int wkt_column = -1;
    std::vector<int> extra_columns; ///< columns kept in `extra`
    /// per catalogue field: its column is its fallback field's (the file had none of its own)
    std::vector<bool> from_fallback;
};

class FieldMapper {
public:
    /// `overrides` are --map pairs (field or "lon"/"lat"/"wkt", column). `source_has_geometry`
    /// says whether the records carry their own geometry (then coordinate columns are extras).
    FieldMapper(const catalog::LayerKind& kind, std::vector<std::pair<std::string, std::string>> overrides, bool source_has_geometry);

    /// (Re)computes the mapping for the source's current columns. Throws vigil::UsageError when an
    /// override names an unknown field or a column the source does not have (listing them).
    /// Call again when the source's column list grows (GeoJSON).
    const ColumnMapping& update(const std::vector<std::string>& columns);
    const ColumnMapping& mapping() const { return m_mapping; }
    std::size_t columns_seen() const { return m_columns_seen; }

    /// Human-readable "field <- column" lines, and the columns kept as extras.
    std::vector<std::string> describe(const std::vector<std::string>& columns) const;

private:
    const catalog::LayerKind& m_kind;
    std::vector<std::pair<std::string, std::string>> m_overrides;
    bool m_source_has_geometry;
    ColumnMapping m_mapping;
    std::size_t m_columns_seen = 0;
};

} // namespace vigil::importing

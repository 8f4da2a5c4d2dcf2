/// @file
/// The grid-management statistics as a table (`vigil stats --csv/--xlsx`, the viewers'
/// Statistics panel, the page's `vigil.statsTable`): one row per county (or per grid), the
/// columns `vigil stats` prints, the total row, and a header row in the user's language — made
/// once here from app::statistics' answer, so that every shell shows and exports the same cells.
/// Written as CSV (UTF-8 with a BOM, so that Excel opens the Chinese names; RFC 4180) or as an
/// Office Open XML workbook (.xlsx) that core writes itself, so the browser exports it too.
#pragma once

#include <vigil/app/stats.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace vigil::app {

/// One cell: a name or a count.
using StatsCell = std::variant<std::string, std::int64_t>;

struct StatsColumn {
    std::string key;    ///< "county", "enterprises", "red", … (the JSON's keys, never translated)
    std::string header; ///< in the user's language at the time the table was made
    bool numeric = true;
};

struct StatsTable {
    StatsGrouping by = StatsGrouping::County;
    std::string as_of; ///< the day hidden hazards were reckoned at
    std::vector<StatsColumn> columns;
    /// One per group of StatsResult::groups, in its order (or the order sorted_stats_table gave);
    /// each as many cells as columns.
    std::vector<std::vector<StatsCell>> rows;
    /// Per row: its index in StatsResult::groups (which county or grid it is).
    std::vector<std::size_t> group_of_row;
    std::vector<StatsCell> total; ///< the total row ("合计"), always last, never sorted
};

/// The table of a statistics answer: by county the columns county, enterprises, red, orange,
/// yellow, blue, none (no colour), hazard sources, grade 1–4, open, overdue and open major
/// hidden hazards, enterprises with overdue hazards; by grid the grid's code and name first and
/// its grid member and phone last — the columns `vigil stats` prints.
StatsTable stats_table(const StatsResult& r);

/// The same rows ordered by `column` (numbers by value, text by its bytes; ties keep the
/// groups' order), descending when asked; the total row stays last.
/// @throws vigil::UsageError for a column out of range.
StatsTable sorted_stats_table(const StatsTable& t, std::size_t column, bool descending);

/// CSV: a UTF-8 byte order mark, the header row, the rows, the total row; CRLF line ends; a
/// field with a comma, a quote, a line break or leading/trailing space is quoted (RFC 4180).
std::string stats_csv(const StatsTable& t);

/// An .xlsx workbook of one sheet (the header row, the rows, the total row; counts as numbers,
/// names as inline strings).
std::string stats_xlsx(const StatsTable& t);


/// The JSON form (the page's `vigil.statsTable`): "by", "as_of", "columns" ([{key, header}]),
/// "rows" (one object per row keyed by the columns' keys), "total" (the same).
nlohmann::json to_json(const StatsTable& t);

/// An Office Open XML workbook of one sheet from rows of cells (the first row usually the
/// header): what stats_xlsx writes, usable for any table. The sheet's name is cut to Excel's 31
/// characters and stripped of the characters Excel refuses in it.
std::string xlsx_workbook(std::string_view sheet_name, const std::vector<std::vector<StatsCell>>& rows);

/// CRC-32 (ISO 3309, the ZIP's) of bytes.
std::uint32_t crc32(std::string_view bytes);

} // namespace vigil::app

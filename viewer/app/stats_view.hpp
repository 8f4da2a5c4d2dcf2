/// @file
/// The Statistics panel's table, free of ImGui: core's app::stats_table over the layers the viewer
/// holds (AppState::statistics, the figures of the choropleth and of `vigil stats`), by county or
/// by grid, sorted by a column, and what a row stands for on the map (the county's admin area,
/// the grid's polygon). Made again when the data, the day, the grouping or the language changes.
#pragma once

#include "app_state.hpp"

#include <vigil/app/stats_table.hpp>
#include <vigil/util/i18n.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil::viewer {

struct StatsView {
    app::StatsGrouping by = app::StatsGrouping::County;
    std::optional<app::StatsTable> table;   ///< in the groups' order (what `vigil stats` prints)
    std::optional<app::StatsTable> shown;   ///< sorted as asked (the panel's rows, the exports)
    std::optional<std::size_t> sort_column; ///< none: the groups' order
    bool descending = false;
    std::vector<std::string> notes;       ///< what the statistics assumed (StatsResult::notes)
    std::vector<std::string> group_codes; ///< per group: its code (the admin area's or the grid's id)
    std::optional<std::size_t> selected;  ///< the group (index in StatsResult::groups) chosen
    std::string error;                    ///< why there is no table (no enterprises, no grids …)
    std::string message;                  ///< the last export's outcome
    bool message_error = false;
    double ms = 0; ///< how long the statistics and the table took
    // What the table was made from: made again when any differs.
    std::uint64_t data_revision = 0;
    std::string as_of;
    app::StatsGrouping made_by = app::StatsGrouping::County;
    std::optional<i18n::Language> language;
    bool made = false;
    std::optional<app::StatsGrouping> drawn_by; ///< the grouping the panel last drew (its sort is per grouping)
};

/// Makes the table when it is missing or stale (data revision, day, grouping, language); true
/// when it was made. A refusal (no enterprises or grids layer) goes to view.error.
bool refresh_stats_view(StatsView& view, const AppState& state);

/// Orders the shown rows by a column (toggling the direction when it is the same column), or
/// back to the groups' order with nullopt.
void sort_stats_view(StatsView& view, std::optional<std::size_t> column, bool descending);

/// The record a shown row stands for: by county the admin area whose id is the county's code,
/// by grid the grid with that code; none for "(no county)"-like rows.
std::optional<Selection> stats_row_record(const AppState& state, const StatsView& view, std::size_t shown_row);

} // namespace vigil::viewer

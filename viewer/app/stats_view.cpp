#include "stats_view.hpp"

#include <vigil/util/error.hpp>

#include <chrono>

namespace vigil::viewer {

bool refresh_stats_view(StatsView& view, const AppState& state) {
    const i18n::Language lang = i18n::language();
    if (view.made && view.data_revision == state.data_revision() && view.as_of == state.as_of() && view.made_by == view.by &&
        view.language == lang)
        return false;
    view.made = true;
    view.data_revision = state.data_revision();
    view.as_of = state.as_of();
    view.made_by = view.by;
    view.language = lang;
    view.error.clear();
    view.table.reset();
    view.shown.reset();
    view.notes.clear();
    const auto t0 = std::chrono::steady_clock::now();
    try {
        app::StatsRequest q;
        q.by = view.by;
        const app::StatsResult r = state.statistics(q);
        view.table = app::stats_table(r);
        view.notes = r.notes;
        view.group_codes.clear();
        for (const auto& g : r.groups) view.group_codes.push_back(g.code);
    } catch (const Error& e) {
        view.error = e.what();
        view.sort_column.reset();
        view.selected.reset();
        return true;
    }
    if (view.sort_column && *view.sort_column >= view.table->columns.size()) view.sort_column.reset();
    view.shown = view.sort_column ? app::sorted_stats_table(*view.table, *view.sort_column, view.descending) : *view.table;
    view.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return true;
}

void sort_stats_view(StatsView& view, std::optional<std::size_t> column, bool descending) {
    view.sort_column = column;
    view.descending = descending;
    if (!view.table) return;
    if (column && *column >= view.table->columns.size()) view.sort_column.reset();
    view.shown = view.sort_column ? app::sorted_stats_table(*view.table, *view.sort_column, descending) : *view.table;
}

std::optional<Selection> stats_row_record(const AppState& state, const StatsView& view, std::size_t shown_row) {
    if (!view.shown || shown_row >= view.shown->rows.size()) return std::nullopt;
    // The group's code is the admin area's id by county (CountyStats::code), the grid's by grid.
    const std::size_t group = view.shown->group_of_row[shown_row];
    const std::string code = group < view.group_codes.size() ? view.group_codes[group] : std::string();
    if (code.empty()) return std::nullopt;
    const char* kind = view.shown->by == app::StatsGrouping::Grid ? "grids" : "admin_areas";
    const LayerView* l = state.layer(kind);
    if (!l) return std::nullopt;
    for (std::size_t row = 0; row < l->layer->size(); ++row)
        if (l->layer->id(row) == code) return Selection{kind, row};
    return std::nullopt;
}

} // namespace vigil::viewer

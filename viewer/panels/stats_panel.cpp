/// @file
/// Statistics (统计表): the grid-management statistics beside the choropleth as a table — per
/// county or per grid, the columns `vigil stats` prints, sortable by any column, the total row
/// last; choosing a row selects its county (or grid) on the map and zooms to it; Export CSV and
/// Export XLSX write core's app::stats_csv / app::stats_xlsx of the rows as shown (saved beside
/// the database natively, a download in the browser). The table itself is app/stats_view.

#include "panels.hpp"
#include "widgets.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <fmt/format.h>
#include <imgui.h>

#include <ctime>
#include <fstream>
#include <string>

namespace vigil::viewer {

namespace {

/// The group of the record selected on the map, when it is a county (or a grid) of the table.
std::optional<std::size_t> selected_group(const AppState& state, const StatsView& view) {
    const auto& sel = state.selection();
    if (!sel || !view.table) return std::nullopt;
    const char* kind = view.table->by == app::StatsGrouping::Grid ? "grids" : "admin_areas";
    if (sel->kind != kind) return std::nullopt;
    const LayerView* l = state.layer(kind);
    if (!l || sel->row >= l->layer->size()) return std::nullopt;
    const std::string& id = l->layer->id(sel->row);
    for (std::size_t g = 0; g < view.group_codes.size(); ++g)
        if (!id.empty() && view.group_codes[g] == id) return g;
    return std::nullopt;
}

void cell(const app::StatsCell& c) {
    if (const auto* s = std::get_if<std::string>(&c)) ImGui::TextUnformatted(s->c_str());
    else ImGui::Text("%lld", static_cast<long long>(std::get<std::int64_t>(c)));
}

} // namespace

bool export_stats(const AppState& state, PanelState& panels, std::string_view format) {
    StatsView& view = panels.stats;
    refresh_stats_view(view, state);
    if (!view.shown || (format != "csv" && format != "xlsx")) return false;
    const std::time_t now = std::time(nullptr);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
    const auto& db = state.project_path();
    const std::filesystem::path path =
        db.parent_path() / fmt::format("{}-stats-{}-{}.{}", db.stem().string(), app::stats_grouping_name(view.shown->by), stamp, format);
    try {
        const bool csv = format == "csv";
        const std::string bytes = csv ? app::stats_csv(*view.shown) : app::stats_xlsx(*view.shown);
        if (panels.offer_download) {
            panels.offer_download(path.filename().string(),
                                  csv ? "text/csv" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes);
            view.message = trf("Downloaded {}", path.filename().string());
        } else {
            std::ofstream out(path, std::ios::binary);
            out << bytes;
            if (!out.flush()) throw IoError(trf("cannot write '{}'", path.string()));
            view.message = trf("Saved {}", path.string());
        }
        view.message_error = false;
    } catch (const Error& e) {
        view.message = e.what();
        view.message_error = true;
    }
    return !view.message_error;
}

bool choose_stats_row(AppState& state, PanelState& panels, std::size_t shown_row) {
    StatsView& view = panels.stats;
    if (!view.shown || shown_row >= view.shown->rows.size()) return false;
    view.selected = view.shown->group_of_row[shown_row];
    const auto record = stats_row_record(state, view, shown_row);
    if (record) state.select_and_zoom(*record);
    return record.has_value();
}

void draw_stats_panel(AppState& state, PanelState& panels) {
    place_next_window(panels, ImVec2(-720, 60), ImVec2(700, 420));
    const std::string title = std::string(tr("Statistics")) + "###stats";
    if (!ImGui::Begin(title.c_str(), &panels.show_stats)) {
        ImGui::End();
        return;
    }
    StatsView& view = panels.stats;
    int by = view.by == app::StatsGrouping::Grid ? 1 : 0;
    const bool has_grids = state.layer("grids") != nullptr;
    bool changed = ImGui::RadioButton(tr("By county"), &by, 0);
    ImGui::SameLine();
    ImGui::BeginDisabled(!has_grids);
    changed |= ImGui::RadioButton(tr("By grid"), &by, 1);
    ImGui::EndDisabled();
    if (!has_grids && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", tr("The project has no grids layer"));
    if (changed) {
        view.by = by == 1 ? app::StatsGrouping::Grid : app::StatsGrouping::County;
        view.sort_column.reset();
        view.selected.reset();
    }
    refresh_stats_view(view, state);

    ImGui::SameLine();
    ImGui::BeginDisabled(!view.shown);
    if (ImGui::Button(tr("Export CSV"))) export_stats(state, panels, "csv");
    ImGui::SameLine();
    if (ImGui::Button(tr("Export XLSX"))) export_stats(state, panels, "xlsx");
    ImGui::EndDisabled();
    if (!view.message.empty()) ImGui::TextColored(view.message_error ? k_error_colour : k_ok_colour, "%s", view.message.c_str());
    if (!view.error.empty()) {
        ImGui::TextColored(k_error_colour, "%s", view.error.c_str());
        ImGui::End();
        return;
    }
    if (!view.shown) {
        ImGui::End();
        return;
    }
    const app::StatsTable& t = *view.shown;
    ImGui::TextDisabled("%s", trf("As of {} · rows: {} · {:.0f} ms", t.as_of, t.rows.size(), view.ms).c_str());
    for (const auto& note : view.notes) ImGui::TextWrapped("%s", note.c_str());

    const std::optional<std::size_t> on_map = selected_group(state, view);
    const int columns = static_cast<int>(std::min<std::size_t>(t.columns.size(), 64));
    const ImGuiTableFlags flags = ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                  ImGuiTableFlags_BordersV | ImGuiTableFlags_Resizable | ImGuiTableFlags_Hideable |
                                  ImGuiTableFlags_Sortable | ImGuiTableFlags_SortTristate | ImGuiTableFlags_SizingFixedFit;
    ImGui::PushID(t.by == app::StatsGrouping::Grid ? "grid" : "county"); // one saved column layout per grouping
    if (ImGui::BeginTable("stats", columns, flags)) {
        ImGui::TableSetupScrollFreeze(t.by == app::StatsGrouping::Grid ? 2 : 1, 1); // the names stay in view
        const float em = ImGui::GetFontSize();
        for (int c = 0; c < columns; ++c) {
            const app::StatsColumn& col = t.columns[static_cast<std::size_t>(c)];
            // The column's id is its key (stable across languages); the header the user's words.
            const std::string label = col.header + "###" + col.key;
            ImGui::TableSetupColumn(label.c_str(), c == 0 ? ImGuiTableColumnFlags_NoHide : ImGuiTableColumnFlags_None,
                                    col.numeric ? em * 4.5f : em * 9, static_cast<ImGuiID>(c));
        }
        ImGui::TableHeadersRow();
        // ImGui keeps a sort per grouping (one table each): a new grouping takes the one it had.
        const bool regrouped = view.drawn_by != t.by;
        view.drawn_by = t.by;
        if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && (specs->SpecsDirty || regrouped)) {
            if (specs->SpecsCount > 0)
                sort_stats_view(view, static_cast<std::size_t>(specs->Specs[0].ColumnUserID),
                                specs->Specs[0].SortDirection == ImGuiSortDirection_Descending);
            else sort_stats_view(view, std::nullopt, false);
            specs->SpecsDirty = false;
        }
        const app::StatsTable& rows = *view.shown; // sorting may have replaced it
        for (std::size_t r = 0; r < rows.rows.size(); ++r) {
            ImGui::TableNextRow();
            ImGui::PushID(static_cast<int>(r));
            const std::size_t group = rows.group_of_row[r];
            for (int c = 0; c < columns; ++c) {
                if (!ImGui::TableSetColumnIndex(c)) continue;
                const app::StatsCell& v = rows.rows[r][static_cast<std::size_t>(c)];
                if (c == 0) {
                    // The first column carries the row's click target across all columns.
                    const auto* s = std::get_if<std::string>(&v);
                    const std::string text = s ? *s : std::to_string(std::get<std::int64_t>(v));
                    const bool selected = on_map ? *on_map == group : view.selected == group;
                    if (ImGui::Selectable((text + "##row").c_str(), selected,
                                          ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap))
                        choose_stats_row(state, panels, r);
                } else {
                    cell(v);
                }
            }
            ImGui::PopID();
        }
        // The total row, last whatever the order.
        ImGui::TableNextRow();
        ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, ImGui::GetColorU32(ImGuiCol_TableHeaderBg));
        for (int c = 0; c < columns && static_cast<std::size_t>(c) < rows.total.size(); ++c)
            if (ImGui::TableSetColumnIndex(c)) cell(rows.total[static_cast<std::size_t>(c)]);
        ImGui::EndTable();
    }
    ImGui::PopID();
    ImGui::End();
}

} // namespace vigil::viewer

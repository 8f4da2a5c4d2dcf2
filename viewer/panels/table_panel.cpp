/// @file
/// Attribute table: one layer's records that its filter shows, a column per catalogue field
/// (Chinese labels), sortable by clicking a header, narrowed by a search box (Chinese typed or
/// pasted), scrolled virtually with ImGuiListClipper so 100,000 rows cost only the visible
/// ones. Clicking a row selects the record and zooms to it. Rows, search and sort are
/// app/table_model (cached until the layer, the search or the sort changes).

#include "panels.hpp"
#include "widgets.hpp"

#include <vigil/util/i18n.hpp>

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>

namespace vigil::viewer {

namespace {

// Columns hidden until asked for (right-click a header): long texts and bookkeeping.
bool hidden_by_default(const catalog::Field& f) {
    return f.type == catalog::FieldType::List || f.name == "remarks" || f.name == "synthetic" || f.name == "address" ||
           f.name == "equipment";
}

} // namespace

void draw_table_panel(AppState& state, PanelState& panels) {
    // Along the bottom between the left column (layers, legend) and the inspector.
    place_next_window(panels, ImVec2(326, -8), ImVec2(ImGui::GetIO().DisplaySize.x - 326 - 396, 250));
    if (!ImGui::Begin(label_id(tr("Attribute table"), "attribute_table").c_str(), &panels.show_table)) {
        ImGui::End();
        return;
    }
    const auto& layers = state.layers();
    if (layers.empty()) {
        ImGui::TextDisabled("%s", tr("no layers"));
        ImGui::End();
        return;
    }
    if (!state.layer(panels.table_kind)) {
        // Default: the selection's layer, else the topmost point layer.
        panels.table_kind = state.selection() ? state.selection()->kind : layers.back().kind().kind;
        for (auto it = layers.rbegin(); !state.selection() && it != layers.rend(); ++it)
            if (it->kind().geometry == catalog::GeometryKind::Point) {
                panels.table_kind = it->kind().kind;
                break;
            }
    }
    const LayerView& l = *state.layer(panels.table_kind);
    const catalog::LayerKind& kind = l.kind();

    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    if (ImGui::BeginCombo("##layer", kind.title.text().c_str())) {
        for (auto it = layers.rbegin(); it != layers.rend(); ++it)
            if (ImGui::Selectable(it->kind().title.text().c_str(), it->kind().kind == kind.kind)) {
                panels.table_kind = it->kind().kind;
                panels.table_sort.reset();
            }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
    ImGui::InputTextWithHint("##search", tr("search the table"), &panels.table_search);
    if (!panels.table_search.empty()) {
        ImGui::SameLine();
        if (ImGui::SmallButton("×")) panels.table_search.clear();
    }

    // The rows for last frame's sort spec: ImGui reports a new spec inside the table, and the
    // rows are recomputed (cached) on the next line when it changed.
    const auto& rows = panels.table.rows(l, panels.table_search, panels.table_sort);
    ImGui::SameLine();
    if (filter_active(l.filter_spec))
        ImGui::TextDisabled("%s", trf("rows: {}  (filtered {} / {})", rows.size(), l.visible_count, l.layer->size()).c_str());
    else ImGui::TextDisabled("%s", trf("rows: {}  (of {})", rows.size(), l.layer->size()).c_str());

    const int columns = static_cast<int>(std::min<std::size_t>(kind.fields.size(), 64)); // ImGui's column limit
    const ImGuiTableFlags flags = ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                  ImGuiTableFlags_BordersV | ImGuiTableFlags_Resizable | ImGuiTableFlags_Reorderable |
                                  ImGuiTableFlags_Hideable | ImGuiTableFlags_Sortable | ImGuiTableFlags_SizingFixedFit;
    ImGui::PushID(kind.kind.c_str()); // one saved column layout per layer
    if (columns > 0 && ImGui::BeginTable("rows", columns, flags)) {
        ImGui::TableSetupScrollFreeze(std::min(columns, 2), 1); // id and name stay in view
        const float em = ImGui::GetFontSize();
        for (int c = 0; c < columns; ++c) {
            const catalog::Field& f = kind.fields[static_cast<std::size_t>(c)];
            ImGuiTableColumnFlags cf = c == 0                 ? ImGuiTableColumnFlags_NoHide // the row's click target
                                       : hidden_by_default(f) ? ImGuiTableColumnFlags_DefaultHide
                                                              : ImGuiTableColumnFlags_None;
            float width = f.role == catalog::FieldRole::Name ? em * 14 : f.type == catalog::FieldType::Text ? em * 7 : em * 5.5f;
            ImGui::TableSetupColumn(f.label.text().c_str(), cf, width, static_cast<ImGuiID>(c));
        }
        ImGui::TableHeadersRow();
        if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
            if (specs->SpecsCount > 0)
                panels.table_sort = TableSort{static_cast<std::size_t>(specs->Specs[0].ColumnUserID),
                                              specs->Specs[0].SortDirection == ImGuiSortDirection_Descending};
            else panels.table_sort.reset();
            specs->SpecsDirty = false;
        }
        const auto& sel = state.selection();
        // A record selected elsewhere (map, search) is scrolled into view once.
        if (sel && sel->kind == kind.kind && panels.table_scrolled_for != sel) {
            panels.table_scrolled_for = sel;
            auto it = std::find(rows.begin(), rows.end(), static_cast<std::uint32_t>(sel->row));
            if (it != rows.end()) {
                const float row_h = ImGui::GetTextLineHeight() + 2 * ImGui::GetStyle().CellPadding.y;
                const float y = static_cast<float>(it - rows.begin()) * row_h;
                if (y < ImGui::GetScrollY() || y > ImGui::GetScrollY() + ImGui::GetWindowHeight() - 3 * row_h)
                    ImGui::SetScrollY(std::max(0.0f, y - ImGui::GetWindowHeight() / 2));
            }
        }
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(rows.size()));
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const std::size_t r = rows[static_cast<std::size_t>(i)];
                ImGui::TableNextRow();
                ImGui::PushID(static_cast<int>(r));
                for (int c = 0; c < columns; ++c) {
                    if (!ImGui::TableSetColumnIndex(c)) continue;
                    const std::size_t fi = static_cast<std::size_t>(c);
                    const std::string text = cell_text(kind.fields[fi], l.layer->value(r, fi));
                    if (c == 0) {
                        // The first column carries the row's click target across all columns.
                        const bool selected = sel && sel->kind == kind.kind && sel->row == r;
                        if (ImGui::Selectable(text.empty() ? "##row" : text.c_str(), selected,
                                              ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap))
                            state.select_and_zoom({kind.kind, r});
                    } else if (auto colour = class_colour(kind, kind.fields[fi].name, model::to_text(l.layer->value(r, fi)))) {
                        // A colour dot (yellow text would not read on the light panel).
                        const ImVec2 p = ImGui::GetCursorScreenPos();
                        ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(p.x + em * 0.35f, p.y + em * 0.55f), em * 0.3f,
                                                                    to_imgui(*colour), 12);
                        ImGui::Dummy(ImVec2(em * 0.75f, em));
                        ImGui::SameLine(0, 2);
                        ImGui::TextUnformatted(text.c_str());
                    } else {
                        ImGui::TextUnformatted(text.c_str());
                    }
                }
                ImGui::PopID();
            }
        }
        ImGui::EndTable();
    }
    ImGui::PopID();
    if (rows.empty()) ImGui::TextDisabled("%s", tr("no matching records"));
    ImGui::End();
}

} // namespace vigil::viewer

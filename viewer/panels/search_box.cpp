/// @file
/// The search box in the menu bar: type a name (Chinese or not) or an id, see matches from every
/// layer as you type, click one (or press Enter for the first) to select it and zoom to it.
/// Matching and ranking are app/search (AppState::search); this file draws the box and the
/// drop-down under it.

#include "panels.hpp"
#include "widgets.hpp"

#include <vigil/util/i18n.hpp>

#include <imgui.h>
#include <imgui_internal.h> // BringWindowToDisplayFront: the drop-down must not open behind a panel
#include <misc/cpp/imgui_stdlib.h>

namespace vigil::viewer {

namespace {

// The drop-down's place, from the box drawn in the menu bar; it is a window of its own, drawn
// after the menu bar ends.
struct SearchBoxFrame {
    ImVec2 min, max;
    bool active = false;
    bool dismissed = false;
};
SearchBoxFrame g_box; // one search box per ImGui context

} // namespace

void draw_search_box(AppState& state, PanelState& panels) {
    const float width = ImGui::GetFontSize() * 15;
    ImGui::SetNextItemWidth(width);
    const bool enter =
        ImGui::InputTextWithHint("##search", tr("search name / id"), &panels.search_text, ImGuiInputTextFlags_EnterReturnsTrue);
    g_box.active = ImGui::IsItemActive();
    if (ImGui::IsItemActivated()) g_box.dismissed = false;
    g_box.min = ImGui::GetItemRectMin();
    g_box.max = ImGui::GetItemRectMax();
    if (panels.search_text != panels.searched_text) {
        panels.search_hits = state.search(panels.search_text, 40);
        panels.searched_text = panels.search_text;
        g_box.dismissed = false;
    }
    if (enter && !panels.search_hits.empty()) {
        state.select_and_zoom({panels.search_hits.front().kind, panels.search_hits.front().row});
        g_box.dismissed = true;
    }
}

void draw_search_results(AppState& state, PanelState& panels) {
    const bool show = !panels.search_text.empty() && !g_box.dismissed && (g_box.active || panels.search_results_hovered);
    if (!show) {
        panels.search_results_hovered = false;
        return;
    }
    const float em = ImGui::GetFontSize();
    ImGui::SetNextWindowPos(ImVec2(g_box.min.x, g_box.max.y + 2));
    ImGui::SetNextWindowSizeConstraints(ImVec2(em * 22, 0), ImVec2(em * 34, em * 24));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_NoFocusOnAppearing;
    ImGui::Begin("##search_results", nullptr, flags);
    ImGui::BringWindowToDisplayFront(ImGui::GetCurrentWindow()); // above the panels it overlaps
    std::optional<SearchHit> clicked;
    if (panels.search_hits.empty()) {
        ImGui::TextDisabled("%s", tr("nothing found"));
    } else if (ImGui::BeginTable("hits", 3, ImGuiTableFlags_SizingFixedFit)) {
        for (std::size_t i = 0; i < panels.search_hits.size(); ++i) {
            const SearchHit& h = panels.search_hits[i];
            const LayerView* l = state.layer(h.kind);
            if (!l) continue;
            ImGui::PushID(static_cast<int>(i));
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            draw_swatch(l->styles.style(*l->layer, h.row), l->styles.geometry());
            ImGui::TableNextColumn();
            if (ImGui::Selectable(record_title(*l->layer, h.row).c_str(), false, ImGuiSelectableFlags_SpanAllColumns)) clicked = h;
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s · %s", l->kind().title.text().c_str(), l->layer->id(h.row).c_str());
            ImGui::PopID();
        }
        ImGui::EndTable();
        if (panels.search_hits.size() >= 40) ImGui::TextDisabled("%s", tr("first 40 shown"));
    }
    panels.search_results_hovered = ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem);
    ImGui::End();
    if (clicked) {
        state.select_and_zoom({clicked->kind, clicked->row});
        g_box.dismissed = true;
        panels.search_results_hovered = false;
    }
}

} // namespace vigil::viewer

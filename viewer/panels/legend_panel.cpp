/// @file
/// Legend: for each visible layer, top of the map first, its symbology classes as the map draws
/// them (four risk colours, team status, hazard-source grade, road classes ...), from the
/// catalogue through StyleResolver::legend.

#include "panels.hpp"
#include "widgets.hpp"

#include <imgui.h>

namespace vigil::viewer {

void draw_legend_panel(AppState& state, PanelState& panels) {
    place_next_window(panels, ImVec2(8, 338), ImVec2(310, 440)); // under the layers, clear of the scale bar
    if (!ImGui::Begin("图例 Legend", &panels.show_legend)) {
        ImGui::End();
        return;
    }
    bool any = false;
    const auto& layers = state.layers();
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
        const LayerView& l = *it;
        if (!l.visible) continue;
        any = true;
        const auto entries = l.styles.legend();
        const catalog::Field* by = l.kind().field(l.kind().symbology.color_field);
        // A single-class layer is one line: its symbol and title.
        if (entries.size() == 1) {
            draw_swatch(entries.front().style, l.styles.geometry());
            ImGui::SameLine();
        }
        ImGui::TextUnformatted(l.kind().title.zh.c_str());
        if (by && entries.size() > 1) {
            ImGui::SameLine();
            ImGui::TextDisabled("· %s", by->label.zh.c_str());
        }
        if (filter_active(l.filter_spec)) {
            ImGui::SameLine();
            ImGui::TextDisabled("(已筛选 filtered)");
        }
        if (entries.size() > 1) {
            ImGui::Indent(ImGui::GetFontSize() * 0.6f);
            for (const auto& e : entries) {
                draw_swatch(e.style, l.styles.geometry());
                ImGui::SameLine();
                ImGui::TextUnformatted(e.label.c_str());
            }
            ImGui::Unindent(ImGui::GetFontSize() * 0.6f);
        }
        ImGui::Spacing();
    }
    if (!any) ImGui::TextDisabled("没有显示的图层 no layer shown");
    ImGui::End();
}

} // namespace vigil::viewer

// Nearest: click a point (or keep the last one), choose the layer, capabilities and status;
// the k nearest are listed with their distances and drawn as lines from the point.

#include "panels.hpp"

#include <vigil/util/text.hpp>

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

namespace vigil::viewer {

void draw_nearest_panel(AppState& state, PanelState& panels) {
    ImGui::SetNextWindowPos(ImVec2(10, 470), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(300, 300), ImGuiCond_FirstUseEver);
    if (!ImGui::Begin("最近 Nearest")) {
        ImGui::End();
        return;
    }
    bool pick = panels.click_mode == ClickMode::Nearest;
    if (ImGui::Checkbox("点击地图查询 click the map", &pick)) panels.click_mode = pick ? ClickMode::Nearest : ClickMode::Select;
    auto& form = panels.nearest_form;
    ImGui::SetNextItemWidth(150);
    if (ImGui::BeginCombo("图层 layer", form.kind.c_str())) {
        for (const auto& l : state.layers())
            if (l.kind().geometry == catalog::GeometryKind::Point && ImGui::Selectable(l.kind().title.zh.c_str(), l.kind().kind == form.kind))
                form.kind = l.kind().kind;
        ImGui::EndCombo();
    }
    int k = static_cast<int>(form.k);
    ImGui::SetNextItemWidth(150);
    if (ImGui::InputInt("数量 k", &k)) form.k = static_cast<std::size_t>(std::clamp(k, 1, 100));
    ImGui::SetNextItemWidth(150);
    ImGui::InputText("需要能力 need", &panels.need_text);
    ImGui::SetNextItemWidth(150);
    ImGui::InputText("状态 status", &panels.status_text);
    form.filter.need = vigil::text::split_list(panels.need_text);
    form.filter.status = vigil::text::split_list(panels.status_text);
    if (const auto& q = state.nearest()) {
        ImGui::Separator();
        ImGui::Text("%.6f, %.6f", q->at.x, q->at.y);
        if (!q->error.empty()) ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", q->error.c_str());
        if (const LayerView* l = state.layer(q->kind)) {
            for (const auto& h : q->results) {
                std::string name = l->layer->text(h.row, "name");
                char dist[32];
                if (h.distance_m < 1000) std::snprintf(dist, sizeof dist, "%.0f m", h.distance_m);
                else std::snprintf(dist, sizeof dist, "%.2f km", h.distance_m / 1000);
                if (ImGui::Selectable((std::string(dist) + "  " + name).c_str())) {
                    state.select({q->kind, h.row});
                    state.zoom_to_selection();
                }
            }
            if (q->results.empty() && q->error.empty()) ImGui::TextDisabled("无结果 none");
        }
        if (ImGui::Button("清除 clear")) state.clear_nearest();
    }
    ImGui::End();
}

} // namespace vigil::viewer

// Layers: visibility, opacity, count, legend swatches, zoom to layer.

#include "panels.hpp"

#include <imgui.h>

namespace vigil::viewer {

namespace {

ImU32 to_imgui(Rgba c) { return IM_COL32(c.r, c.g, c.b, c.a); }

void swatch(const FeatureStyle& st, catalog::GeometryKind g) {
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float s = ImGui::GetTextLineHeight();
    ImVec2 c(p.x + s / 2, p.y + s / 2);
    if (g == catalog::GeometryKind::Point) {
        dl->AddCircleFilled(c, s * 0.35f, to_imgui(st.fill));
        dl->AddCircle(c, s * 0.35f, to_imgui(st.stroke));
    } else if (g == catalog::GeometryKind::Line) {
        dl->AddLine(ImVec2(p.x, c.y), ImVec2(p.x + s, c.y), to_imgui(st.stroke), std::max(1.0f, st.stroke_width));
    } else {
        dl->AddRectFilled(ImVec2(p.x + 1, p.y + 2), ImVec2(p.x + s - 1, p.y + s - 2), to_imgui(st.fill));
        dl->AddRect(ImVec2(p.x + 1, p.y + 2), ImVec2(p.x + s - 1, p.y + s - 2), to_imgui(st.stroke));
    }
    ImGui::Dummy(ImVec2(s, s));
}

} // namespace

void draw_layers_panel(AppState& state, PanelState& panels) {
    ImGui::SetNextWindowPos(ImVec2(10, 34), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(300, 420), ImGuiCond_FirstUseEver);
    if (!ImGui::Begin("图层 Layers", &panels.show_layers)) {
        ImGui::End();
        return;
    }
    // Top of the drawing order first, as in every GIS.
    auto& layers = state.layers();
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
        LayerView& l = *it;
        ImGui::PushID(l.kind().kind.c_str());
        bool visible = l.visible;
        if (ImGui::Checkbox("##visible", &visible)) state.set_visible(l.kind().kind, visible);
        ImGui::SameLine();
        bool open = ImGui::TreeNodeEx("layer", ImGuiTreeNodeFlags_SpanAvailWidth, "%s  (%zu)", l.kind().title.zh.c_str(), l.visible_count);
        if (ImGui::BeginPopupContextItem()) {
            if (ImGui::MenuItem("缩放到 Zoom to layer")) state.zoom_to_layer(l.kind().kind);
            ImGui::EndPopup();
        }
        if (open) {
            ImGui::SetNextItemWidth(140);
            ImGui::SliderFloat("透明度 opacity", &l.opacity, 0.0f, 1.0f, "%.2f");
            for (const auto& e : l.styles.legend()) {
                swatch(e.style, l.styles.geometry());
                ImGui::SameLine();
                ImGui::TextUnformatted(e.label.c_str());
            }
            ImGui::TreePop();
        }
        ImGui::PopID();
    }
    ImGui::End();
}

} // namespace vigil::viewer

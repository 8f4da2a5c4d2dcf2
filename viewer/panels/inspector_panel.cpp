// Inspector: every field of the selected feature, as people read them.

#include "panels.hpp"

#include <vigil/catalog/normalize.hpp>

#include <imgui.h>

namespace vigil::viewer {

void draw_inspector_panel(AppState& state, PanelState& panels) {
    const auto& sel = state.selection();
    if (!sel) return;
    const LayerView* l = state.layer(sel->kind);
    if (!l) return;
    ImGui::SetNextWindowPos(ImVec2(ImGui::GetIO().DisplaySize.x - 370, 34), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(360, 440), ImGuiCond_FirstUseEver);
    if (!ImGui::Begin("检查器 Inspector", &panels.show_inspector)) {
        ImGui::End();
        return;
    }
    const auto& kind = l->kind();
    ImGui::TextDisabled("%s", kind.title.zh.c_str());
    ImGui::TextWrapped("%s", l->layer->text(sel->row, kind.field_with_role(catalog::FieldRole::Name) ? kind.field_with_role(catalog::FieldRole::Name)->name : "id").c_str());
    if (ImGui::SmallButton("缩放到 Zoom")) state.zoom_to_selection();
    ImGui::Separator();
    if (ImGui::BeginTable("fields", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable)) {
        ImGui::TableSetupColumn("字段", ImGuiTableColumnFlags_WidthFixed, 130);
        ImGui::TableSetupColumn("值");
        for (std::size_t f = 0; f < kind.fields.size(); ++f) {
            const auto& field = kind.fields[f];
            std::string value = catalog::display_value(field, l->layer->value(sel->row, f));
            if (value.empty()) continue;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(field.label.zh.c_str());
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", value.c_str());
        }
        ImGui::EndTable();
    }
    ImGui::End();
}

} // namespace vigil::viewer

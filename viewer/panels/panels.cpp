#include "panels.hpp"

#include <imgui.h>

namespace vigil::viewer {

const char* panel_strings() {
    return "图层 图例 属性 检查器 选中 要素 搜索 最近 救援队伍 需要能力 状态 数量 查询 清除 测量 距离 面积 显示 隐藏 透明度 "
           "筛选 全部 缩放到 首页 坐标 国测局 高德 百度 点击地图 选择 模式 结果 米 公里 无 是 否 未找到 字段 值 库存 存量 物资 "
           "危险源 企业 所属 等级 能力 个 条 共 km m";
}

void draw_panels(AppState& state, PanelState& panels) {
    if (ImGui::BeginMainMenuBar()) {
        if (ImGui::BeginMenu("视图 View")) {
            ImGui::MenuItem("图层 Layers", nullptr, &panels.show_layers);
            ImGui::MenuItem("检查器 Inspector", nullptr, &panels.show_inspector);
            ImGui::MenuItem("GCJ-02 坐标 (AMap)", nullptr, &panels.show_gcj02);
            if (ImGui::MenuItem("全图 Home", "Home")) state.zoom_home();
            if (ImGui::MenuItem("缩放到选中 Zoom to selection", nullptr, false, state.selection().has_value())) state.zoom_to_selection();
            ImGui::EndMenu();
        }
        ImGui::TextDisabled("%s", state.project_path().filename().string().c_str());
        ImGui::EndMainMenuBar();
    }
    if (panels.show_layers) draw_layers_panel(state, panels);
    if (panels.show_inspector) draw_inspector_panel(state, panels);
    draw_nearest_panel(state, panels);
}

} // namespace vigil::viewer

/// @file
/// The menu bar (View toggles, click mode, search box) and the order the panels are drawn in.

#include "panels.hpp"
#include "widgets.hpp"

#include <vigil/app/brief.hpp>
#include <vigil/util/error.hpp>

#include <imgui.h>
#include <imgui_internal.h> // the panel windows' rectangles, which an answer's fit keeps clear of

#include <algorithm>
#include <fstream>

namespace vigil::viewer {

const char* panel_strings() {
    // Every character the panels print (menus, buttons, hints, messages), so that the font atlas
    // has it even when it is not among the ~2,500 common characters. The test "panel strings
    // cover the panels" fails when a panel prints one missing here; add it to the last line.
    return "图层 图例 属性表 检查器 选中 要素 搜索 最近 救援队伍 需要能力 状态 数量 查询 清除 测量 距离 面积 显示 隐藏 透明度 "
           "筛选 全部 缩放到 首页 坐标 国测局 高德 百度 点击地图 选择 模式 结果 米 公里 无 是 否 未找到 字段 值 库存 存量 物资 "
           "危险源 企业 所属 等级 能力 个 条 共 视图 工具 设置 全图 "
           "²·×–—“”…●、。一万上不与业中之于他件企体例保值像入全公共关其具出击分列到制前力加动勾化危取只号合名后否周命品器"
           "图在地坐城域备复字存小尺局层属差已市布度式录待德态性或所找择按搜撤放数方无明是显最有未条板果查标格检椭模段比水没"
           "测消清源点状球界百的示离积称符等筛算素索纬线经结编缩置联能自藏表要角计认记设询误请超距跟输近选透部重量钟销长限除"
           "险随隐需面顶顷须高默（），：注读"
           // Dispatch and Hazard panels (and the messages of app/dispatch, app/hazard_view).
           "°³Δ″■为事云仓以内再剂区南发口可向吸和团圈型处夜大失学定导封应建当急指故时来构棉正此气氨氯池泄法浏液漏火炸烟烧热燃爆版率用"
           "目程稳突系红缺网羽色蒸蓝行览说调败质路达送速道闭间附项风驶集"
           // Choropleth (app/choropleth, Legend panel, View menu).
           "专题橙黄逾期患"
           // Exports offered as downloads (the browser build).
           "下载码"
           // Where the dispatch road graph came from (core's app::project_road_graph notes), and
           // the staging point when the incident is closed off (app::staging_point).
           "据由储过打开且外被"
           // The supply headline (core's dispatch::supply_headline) and a bad need in the Dispatch panel.
           "求齐最早起陆续现有货"
           // What the Hazard panel assumed, and ERG's and the pool fire's facts (app/hazard_view).
           "从假初即始心截断灾知立起防隔预"
           // The zone service's summary lines and messages, shown by the Hazard panel (core/src/app/zones.cpp).
           "围外少护效散毒疏终范释"
           // The Data check panel and the data-quality report's messages (core/src/app/check.cpp).
           "▲也代任会位低何作信修充划别单县参司同告填声天实对尚就带年并引必息政新日更某核案河温焦理相省社空给统至补警订识该负较运远错问；跨"
           // Following the database live: the menu bar's update line and notes (app/live, the app state).
           "删停序变止"
           // The Planning panel (isochrones, coverage gaps, regional risk).
           "≥人多如家形情景析盖节覆规边"
           // Equipment in the Dispatch panel and the messages of app/dispatch, app/supply and
           // app/equipment; the references check over several layers.
           "「」两余另呼堵套好完废报支整服材每派满照登种类维者装足身这都"

           // Hidden hazards and grids: the legend's day, the inspector's state and grid member, the
           // hazard_counts findings (core/src/app/check.cpp), the app state's messages.
           "候台员排改整沿登稍账进"
           // Dispatchers' edits: the Inspector's status and incident log, the Dispatch panel's
           // operations, and the edit service's messages (core/src/app/edits.cpp).
           "了些交仍休先写受四回坏审害屏幕志您损接提束然看第辑通"
           // Duty phones in the Dispatch panel; replay and signing in (Replay panel, app state).
           "班电话操生成简"
           // 接警 New incident: the place (core's app::locate_incident: datums, roads in a county,
           // kilometre posts), the material and the flow's messages (app/incident_flow).
           "则匹境拟星桩武沙洗短硫缀罐腾议讯车配酸陟";
}

void collect_brief(AppState& state, PanelState& panels) {
    EditDesk& desk = state.edits();
    if (auto brief = desk.take_brief()) {
        auto& [incident, pdf] = *brief;
        const auto& db = state.project_path();
        const auto path = db.parent_path() / app::brief_file_name(db.stem().string(), incident);
        try {
            if (panels.offer_download) {
                panels.offer_download(path.filename().string(), "application/pdf", pdf);
                panels.brief_message = "已下载简报 brief downloaded: " + path.filename().string();
            } else {
                std::ofstream out(path, std::ios::binary);
                out << pdf;
                if (!out) throw IoError("cannot write '" + path.string() + "'");
                panels.brief_message = "已保存简报 brief saved: " + path.string();
            }
        } catch (const Error& e) {
            panels.brief_message = e.what();
        }
    } else if (!desk.brief_pending() && !desk.brief_error().empty()) {
        panels.brief_message = "未生成简报 no brief: " + desk.brief_error();
    }
}

bool open_panel(PanelState& panels, std::string_view name) {
    const std::pair<std::string_view, bool PanelState::*> known[] = {
        {"layers", &PanelState::show_layers},     {"legend", &PanelState::show_legend},     {"inspector", &PanelState::show_inspector},
        {"table", &PanelState::show_table},       {"nearest", &PanelState::show_nearest},   {"measure", &PanelState::show_measure},
        {"settings", &PanelState::show_settings}, {"dispatch", &PanelState::show_dispatch}, {"hazard", &PanelState::show_hazard},
        {"check", &PanelState::show_check},       {"replay", &PanelState::show_replay},     {"planning", &PanelState::show_planning},
        {"stats", &PanelState::show_stats}};
    for (const auto& [n, flag] : known)
        if (n == name) {
            panels.*flag = true;
            return true;
        }
    return false;
}

const char* panel_names() {
    return "layers, legend, inspector, table, nearest, measure, settings, dispatch, hazard, check, replay, planning, stats";
}

void draw_panels(AppState& state, PanelState& panels) {
    panels.reset_layout = panels.reset_layout_requested;
    panels.reset_layout_requested = false;
    apply_settings(state, panels);
    state.update_live(); // others' edits: polled every frame, read and applied off the frame
    collect_brief(state, panels);
    if (state.data_revision() != panels.seen_data_revision) {
        panels.seen_data_revision = state.data_revision();
        panels.searched_text.clear(); // the search hits name rows: look again over the new records
    }
    state.update_dispatch(); // a question asked while the road graph was building
    // The map an answer is fitted to: between the left panels and the Dispatch panel.
    {
        const ImGuiIO& io = ImGui::GetIO();
        float left = 0, right = io.DisplaySize.x;
        for (const char* name : {"图层 Layers", "图例 Legend"})
            if (const ImGuiWindow* w = ImGui::FindWindowByName(name); w && w->WasActive && w->Pos.x < io.DisplaySize.x / 3)
                left = std::max(left, w->Pos.x + w->Size.x);
        const ImGuiWindow* dispatch = ImGui::FindWindowByName("调度 Dispatch");
        if (dispatch && dispatch->WasActive && panels.show_dispatch) right = std::min(right, dispatch->Pos.x);
        // Known once the panels were laid out (the frame after they first appeared).
        panels.flow.layout_known = ImGui::GetFrameCount() > 2 && (!panels.show_dispatch || (dispatch && dispatch->WasActive));
        panels.flow.covered_left_px = left * io.DisplayFramebufferScale.x;
        panels.flow.covered_right_px = std::max(0.0f, io.DisplaySize.x - right) * io.DisplayFramebufferScale.x;
    }
    update_incident_flow(state, panels.flow); // the map fitted to an answer, the teams assigned after the incident opened
    if (state.update_check() && !state.check_error().empty()) panels.check_message = state.check_error(); // a check run off the frame
    state.update_planning(); // the planning jobs' answers, when they are in
    draw_map_fills(state, panels);
    track_measure_clicks(state, panels);
    if (state.selection() != panels.seen_selection) {
        if (state.selection()) panels.show_inspector = true;
        panels.seen_selection = state.selection();
    }

    if (ImGui::BeginMainMenuBar()) {
        if (ImGui::BeginMenu("视图 View")) {
            ImGui::MenuItem("图层 Layers", nullptr, &panels.show_layers);
            ImGui::MenuItem("图例 Legend", nullptr, &panels.show_legend);
            ImGui::MenuItem("属性表 Attribute table", nullptr, &panels.show_table);
            ImGui::MenuItem("检查器 Inspector", nullptr, &panels.show_inspector);
            ImGui::MenuItem("最近 Nearest", nullptr, &panels.show_nearest);
            ImGui::MenuItem("测量 Measure", nullptr, &panels.show_measure);
            ImGui::MenuItem("设置 Settings", nullptr, &panels.show_settings);
            ImGui::MenuItem("调度 Dispatch", nullptr, &panels.show_dispatch);
            ImGui::MenuItem("危险区 Hazard", nullptr, &panels.show_hazard);
            ImGui::MenuItem("数据检查 Data check", nullptr, &panels.show_check);
            ImGui::MenuItem("回放 Replay", nullptr, &panels.show_replay);
            ImGui::MenuItem("规划分析 Planning", nullptr, &panels.show_planning);
            ImGui::MenuItem(tr("Statistics"), nullptr, &panels.show_stats);
            ImGui::Separator();
            ImGui::MenuItem("GCJ-02 坐标 (高德 AMap)", nullptr, &panels.show_gcj02);
            ImGui::MenuItem("标注 Labels", nullptr, &panels.show_labels);
            draw_choropleth_menu(state, panels);
            if (ImGui::MenuItem("全图 Home", "Home")) state.zoom_home();
            if (ImGui::MenuItem("缩放到选中 Zoom to selection", nullptr, false, state.selection().has_value())) state.zoom_to_selection();
            ImGui::Separator();
            if (ImGui::MenuItem("重置面板布局 Reset panel layout")) panels.reset_layout_requested = true;
            ImGui::EndMenu();
        }
        if (ImGui::BeginMenu("工具 Tools")) {
            if (ImGui::MenuItem("选择 Select", nullptr, panels.click_mode == ClickMode::Select)) panels.click_mode = ClickMode::Select;
            if (ImGui::MenuItem("最近 Nearest (点击地图 click)", nullptr, panels.click_mode == ClickMode::Nearest)) {
                panels.click_mode = ClickMode::Nearest;
                panels.show_nearest = true;
            }
            if (ImGui::MenuItem("测量 Measure (点击地图 click)", nullptr, panels.click_mode == ClickMode::Measure)) {
                panels.click_mode = ClickMode::Measure;
                panels.show_measure = true;
            }
            if (ImGui::MenuItem("调度 Dispatch (点击地图 click)", nullptr, panels.click_mode == ClickMode::Dispatch)) {
                panels.click_mode = ClickMode::Dispatch;
                panels.show_dispatch = true;
            }
            if (ImGui::MenuItem("危险区 Hazard (点击地图 click)", nullptr, panels.click_mode == ClickMode::Hazard)) {
                panels.click_mode = ClickMode::Hazard;
                panels.show_hazard = true;
            }
            if (ImGui::MenuItem("等时圈起点 Isochrone start (点击地图 click)", nullptr, panels.click_mode == ClickMode::Planning)) {
                panels.click_mode = ClickMode::Planning;
                panels.show_planning = true;
            }
            ImGui::Separator();
            if (ImGui::MenuItem("清除调度 Clear dispatch", nullptr, false, state.dispatch().has_value())) state.clear_dispatch();
            if (ImGui::MenuItem("清除危险区 Clear hazard", nullptr, false, state.hazard().has_value())) state.clear_hazard();
            if (ImGui::MenuItem("清除最近查询 Clear nearest", nullptr, false, state.nearest().has_value())) state.clear_nearest();
            if (ImGui::MenuItem("清除测量 Clear measure", nullptr, false, !state.measurement().empty())) state.measure_clear();
            ImGui::EndMenu();
        }
        ImGui::Spacing();
        draw_search_box(state, panels);
        if (panels.click_mode != ClickMode::Select) {
            ImGui::Spacing();
            const char* mode = panels.click_mode == ClickMode::Nearest    ? "点击地图：最近查询 click: nearest"
                               : panels.click_mode == ClickMode::Measure  ? "点击地图：测量 click: measure"
                               : panels.click_mode == ClickMode::Dispatch ? "点击地图：调度 click: dispatch"
                               : panels.click_mode == ClickMode::Planning ? "点击地图：等时圈起点 click: isochrone start"
                                                                          : "点击地图：危险区 click: hazard";
            ImGui::TextColored(ImVec4(0.8f, 0.3f, 0.05f, 1), "%s", mode);
            if (ImGui::SmallButton("×##mode")) panels.click_mode = ClickMode::Select;
        }
        std::string file = panels.project_label.empty() ? state.project_path().filename().string() : panels.project_label;
        if (panels.read_only) file = "只读 read-only · " + file;
        // Following the database live: the last update, or why the view does not follow it.
        if (!state.live_note().empty()) file = "未实时 not live · " + file;
        else if (!state.live_status().empty()) file = state.live_status() + " · " + file;
        const float w = ImGui::CalcTextSize(file.c_str()).x;
        if (ImGui::GetWindowWidth() - w - 12 > ImGui::GetCursorPosX()) ImGui::SetCursorPosX(ImGui::GetWindowWidth() - w - 12);
        ImGui::TextDisabled("%s", file.c_str());
        ImGui::EndMainMenuBar();
    }

    if (panels.show_layers) draw_layers_panel(state, panels);
    if (panels.show_legend) draw_legend_panel(state, panels);
    if (panels.show_table) draw_table_panel(state, panels);
    if (panels.show_nearest) draw_nearest_panel(state, panels);
    if (panels.show_measure) draw_measure_panel(state, panels);
    if (panels.show_inspector) draw_inspector_panel(state, panels);
    if (panels.show_settings) draw_settings_panel(state, panels);
    if (panels.show_dispatch) draw_dispatch_panel(state, panels);
    if (panels.show_hazard) draw_hazard_panel(state, panels);
    if (panels.show_check) draw_check_panel(state, panels);
    if (panels.show_replay) draw_replay_panel(state, panels);
    if (panels.show_planning) draw_planning_panel(state, panels);
    if (panels.show_stats) draw_stats_panel(state, panels);
    draw_choropleth_tooltip(state, panels);
    draw_search_results(state, panels); // last: the drop-down lies over the panels
}

} // namespace vigil::viewer

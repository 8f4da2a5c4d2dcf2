/// @file
/// The menu bar (View toggles, click mode, search box) and the order the panels are drawn in.

#include "panels.hpp"
#include "compact_layout.hpp"
#include "widgets.hpp"

#include <vigil/app/brief.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <imgui.h>
#include <imgui_internal.h> // the panel windows' rectangles, which an answer's fit keeps clear of

#include <algorithm>
#include <fstream>

namespace vigil::viewer {

// The viewer's Chinese texts (viewer/po/zh_CN.po, embedded by CMake).
std::span<const unsigned char> messages_zh_CN();

std::string ui_glyph_text() {
    // Every Chinese text of every loaded catalogue (core's, the viewer's, a shell's): what the
    // panels, the wall and core's answers print. Built from the catalogues, so that a new
    // message can never show a missing glyph ('?'). Added whatever the language: Settings can
    // switch it while the atlas stays.
    i18n::add_catalogue(i18n::Language::zh_CN, messages_zh_CN());
    std::string text = "，。、；：？！（）《》“”‘’【】…—·℃°±×÷０１２３４５６７８９万²³Δ″■●"; // i18n: not shown: font atlas glyphs
    i18n::for_each_translation(i18n::Language::zh_CN, [&](std::string_view t) { text.append(t); });
    return text;
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
                panels.brief_message = trf("brief downloaded: {}", path.filename().string());
            } else {
                std::ofstream out(path, std::ios::binary);
                out << pdf;
                if (!out) throw IoError(trf("cannot write '{}'", path.string()));
                panels.brief_message = trf("brief saved: {}", path.string());
            }
        } catch (const Error& e) {
            panels.brief_message = e.what();
        }
    } else if (!desk.brief_pending() && !desk.brief_error().empty()) {
        panels.brief_message = trf("no brief: {}", desk.brief_error());
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
    // i18n: not shown: the names --panel takes, typed as they are
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
        for (const char* name : {"###layers", "###legend"})
            if (const ImGuiWindow* w = ImGui::FindWindowByName(name); w && w->WasActive && w->Pos.x < io.DisplaySize.x / 3)
                left = std::max(left, w->Pos.x + w->Size.x);
        const ImGuiWindow* dispatch = ImGui::FindWindowByName("###dispatch");
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
        if (ImGui::BeginMenu(tr("View"))) {
            ImGui::MenuItem(tr("Layers"), nullptr, &panels.show_layers);
            ImGui::MenuItem(tr("Legend"), nullptr, &panels.show_legend);
            ImGui::MenuItem(tr("Attribute table"), nullptr, &panels.show_table);
            ImGui::MenuItem(tr("Inspector"), nullptr, &panels.show_inspector);
            ImGui::MenuItem(tr("Nearest"), nullptr, &panels.show_nearest);
            ImGui::MenuItem(tr("Measure"), nullptr, &panels.show_measure);
            ImGui::MenuItem(tr("Settings"), nullptr, &panels.show_settings);
            ImGui::MenuItem(tr("Dispatch"), nullptr, &panels.show_dispatch);
            ImGui::MenuItem(tr("Hazard"), nullptr, &panels.show_hazard);
            ImGui::MenuItem(tr("Data check"), nullptr, &panels.show_check);
            ImGui::MenuItem(tr("Replay"), nullptr, &panels.show_replay);
            ImGui::MenuItem(tr("Planning"), nullptr, &panels.show_planning);
            ImGui::MenuItem(tr("Statistics"), nullptr, &panels.show_stats);
            ImGui::Separator();
            ImGui::MenuItem(tr("GCJ-02 coordinates (AMap)"), nullptr, &panels.show_gcj02);
            ImGui::MenuItem(tr("Labels"), nullptr, &panels.show_labels);
            draw_choropleth_menu(state, panels);
            if (ImGui::MenuItem(tr("Home"), "Home")) state.zoom_home();
            if (ImGui::MenuItem(tr("Zoom to selection"), nullptr, false, state.selection().has_value())) state.zoom_to_selection();
            ImGui::Separator();
            if (ImGui::MenuItem(tr("Reset panel layout"))) panels.reset_layout_requested = true;
            ImGui::EndMenu();
        }
        if (ImGui::BeginMenu(tr("Tools"))) {
            if (ImGui::MenuItem(tr("Select"), nullptr, panels.click_mode == ClickMode::Select)) panels.click_mode = ClickMode::Select;
            if (ImGui::MenuItem(tr("Nearest (map click)"), nullptr, panels.click_mode == ClickMode::Nearest)) {
                panels.click_mode = ClickMode::Nearest;
                panels.show_nearest = true;
            }
            if (ImGui::MenuItem(tr("Measure (map click)"), nullptr, panels.click_mode == ClickMode::Measure)) {
                panels.click_mode = ClickMode::Measure;
                panels.show_measure = true;
            }
            if (ImGui::MenuItem(tr("Dispatch (map click)"), nullptr, panels.click_mode == ClickMode::Dispatch)) {
                panels.click_mode = ClickMode::Dispatch;
                panels.show_dispatch = true;
            }
            if (ImGui::MenuItem(tr("Hazard (map click)"), nullptr, panels.click_mode == ClickMode::Hazard)) {
                panels.click_mode = ClickMode::Hazard;
                panels.show_hazard = true;
            }
            if (ImGui::MenuItem(tr("Isochrone start (map click)"), nullptr, panels.click_mode == ClickMode::Planning)) {
                panels.click_mode = ClickMode::Planning;
                panels.show_planning = true;
            }
            ImGui::Separator();
            if (ImGui::MenuItem(tr("Clear dispatch"), nullptr, false, state.dispatch().has_value())) state.clear_dispatch();
            if (ImGui::MenuItem(tr("Clear hazard"), nullptr, false, state.hazard().has_value())) state.clear_hazard();
            if (ImGui::MenuItem(tr("Clear nearest"), nullptr, false, state.nearest().has_value())) state.clear_nearest();
            if (ImGui::MenuItem(tr("Clear measure"), nullptr, false, !state.measurement().empty())) state.measure_clear();
            ImGui::EndMenu();
        }
        ImGui::Spacing();
        draw_search_box(state, panels);
        if (panels.click_mode != ClickMode::Select) {
            ImGui::Spacing();
            const char* mode = panels.click_mode == ClickMode::Nearest    ? tr("click: nearest")
                               : panels.click_mode == ClickMode::Measure  ? tr("click: measure")
                               : panels.click_mode == ClickMode::Dispatch ? tr("click: dispatch")
                               : panels.click_mode == ClickMode::Planning ? tr("click: isochrone start")
                                                                          : tr("click: hazard");
            ImGui::TextColored(ImVec4(0.8f, 0.3f, 0.05f, 1), "%s", mode);
            if (ImGui::SmallButton("×##mode")) panels.click_mode = ClickMode::Select;
        }
        std::string file = panels.project_label.empty() ? state.project_path().filename().string() : panels.project_label;
        if (panels.read_only) file = trf("read-only · {}", file);
        // Following the database live: the last update, or why the view does not follow it.
        if (!state.live_note().empty()) file = trf("not live · {}", file);
        else if (!state.live_status().empty()) file = state.live_status() + " · " + file;
        const float w = ImGui::CalcTextSize(file.c_str()).x;
        if (ImGui::GetWindowWidth() - w - 12 > ImGui::GetCursorPosX()) ImGui::SetCursorPosX(ImGui::GetWindowWidth() - w - 12);
        ImGui::TextDisabled("%s", file.c_str());
        ImGui::EndMainMenuBar();
    }

    compact_before_panels(state, panels); // phones, tablets upright: one panel as a bottom sheet
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
    compact_after_panels(state, panels); // ... and its bar of panel buttons
    draw_choropleth_tooltip(state, panels);
    draw_search_results(state, panels); // last: the drop-down lies over the panels
}

} // namespace vigil::viewer

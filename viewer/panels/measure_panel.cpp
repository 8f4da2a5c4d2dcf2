/// @file
/// Measure: in measure mode each click on the map adds a point; the panel shows the geodesic
/// length of the path and, from three points, the perimeter and the area of the polygon they
/// close (app/measure: WGS84 ellipsoid). The overlay draws the path; a rubber band follows the
/// pointer from the last point. Undo removes the last point (also Backspace), Clear all of them.

#include "panels.hpp"
#include "widgets.hpp"

#include <vigil/geo/geodesic.hpp>
#include <vigil/util/i18n.hpp>

#include <imgui.h>

#include <cmath>

namespace vigil::viewer {

void track_measure_clicks(AppState& state, PanelState& panels) {
    if (panels.click_mode != ClickMode::Measure) {
        panels.measure_pressed_on_map = false;
        return;
    }
    const ImGuiIO& io = ImGui::GetIO();
    const double ratio = state.camera().pixel_ratio();
    const ImVec2 m = io.MousePos;
    // The same rule as the map's own click: pressed and released on the map within 3 pixels
    // (anything longer is a pan). ViewerApp leaves ClickMode::Measure clicks to this function.
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
        panels.measure_pressed_on_map = !io.WantCaptureMouse;
        panels.measure_press = {m.x, m.y};
    }
    if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) && panels.measure_pressed_on_map && !io.WantCaptureMouse) {
        panels.measure_pressed_on_map = false;
        if (std::hypot(m.x - panels.measure_press.x, m.y - panels.measure_press.y) <= 3)
            state.measure_add(state.camera().screen_to_lonlat({m.x * ratio, m.y * ratio}));
    }
    if (!io.WantCaptureKeyboard && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace))) state.measure_undo();
    if (!io.WantCaptureKeyboard && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) panels.click_mode = ClickMode::Select;

    // Rubber band: last point to the pointer, with the length it would add.
    const auto& pts = state.measurement().points;
    if (!pts.empty() && panels.pointer_on_map) {
        const geo::Coord last = state.camera().lonlat_to_screen(pts.back());
        ImDrawList* dl = ImGui::GetBackgroundDrawList();
        const ImVec2 a(static_cast<float>(last.x / ratio), static_cast<float>(last.y / ratio));
        dl->AddLine(a, m, IM_COL32(255, 87, 34, 160), 2);
        std::vector<geo::Coord> with_pointer = pts;
        with_pointer.push_back(panels.pointer_lonlat);
        const std::string text = format_distance(path_length_m(with_pointer));
        const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
        const ImVec2 at(m.x + 14, m.y + 10);
        dl->AddRectFilled(ImVec2(at.x - 4, at.y - 2), ImVec2(at.x + ts.x + 4, at.y + ts.y + 2), IM_COL32(255, 255, 255, 220), 3);
        dl->AddText(at, IM_COL32(33, 33, 33, 255), text.c_str());
    }
}

void draw_measure_panel(AppState& state, PanelState& panels) {
    place_next_window(panels, ImVec2(-396, 438), ImVec2(350, 196)); // under Nearest
    if (!ImGui::Begin(label_id(tr("Measure"), "measure").c_str(), &panels.show_measure)) {
        ImGui::End();
        return;
    }
    bool on = panels.click_mode == ClickMode::Measure;
    if (ImGui::Checkbox(tr("click the map to add points"), &on)) panels.click_mode = on ? ClickMode::Measure : ClickMode::Select;
    const Measurement& m = state.measurement();
    ImGui::Separator();
    if (ImGui::BeginTable("figures", 2, ImGuiTableFlags_SizingStretchProp)) {
        auto row = [](const char* label, const std::string& value) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", label);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(value.c_str());
        };
        row(tr("points"), std::to_string(m.points.size()));
        row(tr("length"), m.points.size() >= 2 ? format_distance(m.length_m()) : "—");
        row(tr("perimeter"), m.points.size() >= 3 ? format_distance(m.perimeter_m()) : "—");
        row(tr("area"), m.points.size() >= 3 ? format_area(m.area_m2()) : "—");
        ImGui::EndTable();
    }
    ImGui::BeginDisabled(m.empty());
    if (ImGui::Button(tr("Undo"))) state.measure_undo();
    ImGui::SameLine();
    if (ImGui::Button(tr("Clear"))) state.measure_clear();
    ImGui::EndDisabled();
    ImGui::SameLine();
    // clang-format off
    help_marker(tr("Geodesic lengths on the WGS84 ellipsoid (Vincenty); the area by spherical excess on the authalic sphere (better than 1 part in a million at city scale). Backspace: undo; Esc: leave measure mode."));
    // clang-format on
    if (m.points.size() >= 2 && ImGui::TreeNode(label_id(tr("segments"), "segments").c_str())) {
        for (std::size_t i = 1; i < m.points.size(); ++i)
            ImGui::Text("%zu–%zu  %s", i, i + 1, format_distance(geo::geodesic_distance_m(m.points[i - 1], m.points[i])).c_str());
        ImGui::TreePop();
    }
    ImGui::End();
}

} // namespace vigil::viewer

/// @file
/// Touch on the panels, for the browser build. The page sends a finger that lands on an ImGui
/// window here instead of to the map (ui_at says which); ImGui gets it as its mouse, a drag
/// scrolls the window it landed on. layout_json() tells the tests where the last frame drew what.
#pragma once

#include <string>

struct ImGuiIO;

namespace vigil::web {

/// Is there a panel (any ImGui window: a panel, the menu bar, the compact bar, a drop-down) at
/// this CSS-pixel position in the last frame, or a menu open? Then a finger there is the panels'.
bool ui_at(float x, float y, float wall_scale);
/// A finger on the panels: `kind` 0 landed, 1 moved, 2 left, 3 cancelled; 4 = a real mouse moved
/// (ImGui's mouse follows it again). CSS pixels. Queued for touch_to_imgui.
void touch_event(int kind, float x, float y);
/// The queued touches' effect on ImGui's mouse for this frame: after the backend's NewFrame,
/// before ImGui::NewFrame.
void touch_to_imgui(ImGuiIO& io, float wall_scale);
/// The layout as the last frame drew it, as JSON (see vigil_web_layout in main_web.cpp).
std::string layout_json();

} // namespace vigil::web

/// @file
/// Where ImGui drew each labelled item in the last frame (buttons, checkboxes, selectables, menu
/// items...), through Dear ImGui's test-engine hooks (IMGUI_ENABLE_TEST_ENGINE, set on the
/// vigil_imgui library). Off unless a platform turns it on: the browser build does, so that its
/// end-to-end tests tap a panel's items where they are instead of guessing pixels.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace vigil::viewer {

struct DrawnItem {
    unsigned id = 0;
    std::string label;                    ///< as the widget was given it ("图层 Layers##bar")
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0; ///< logical pixels (ImGui's)
    unsigned root_window = 0;             ///< the ImGui ID of the root window it is in
};

/// Turns recording on or off (for the current ImGui context).
void record_drawn_items(bool on);
/// Forgets the items recorded: call before each ImGui::NewFrame().
void clear_drawn_items();
/// The items recorded since the last clear (the items of the last frame, between frames).
const std::vector<DrawnItem>& drawn_items();

} // namespace vigil::viewer

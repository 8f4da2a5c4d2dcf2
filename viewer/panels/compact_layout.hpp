/// @file
/// The compact layout (phones, tablets upright; the rule in app/compact_rule.hpp): one panel at a
/// time as a bottom sheet, full width, above a bar of large buttons that opens and closes it; the
/// map always in view above. ImGui's sizes grow so that buttons, checkboxes, menus and the sheet's
/// close button are touch targets (k_touch_target). Above the threshold nothing changes.
///
/// draw_panels calls compact_before_panels just before the panel windows (it keeps one panel
/// open, places the sheet) and compact_after_panels just after them (it draws the bar). The
/// panels themselves know nothing of it: the sheet is whichever panel window was drawn.
#pragma once

#include "../app/compact_rule.hpp"
#include "panels.hpp"

#include <string>
#include <vector>

namespace vigil::viewer {

/// How the layout stands after the last frame, for the platform (the browser's state for its tests).
struct CompactInfo {
    bool compact = false;
    std::string sheet;                            ///< open_panel's name of the panel shown as the sheet ("" = none)
    CompactGeometry geometry;                     ///< valid when compact
    LayoutBox sheet_window;                       ///< where the sheet's window was drawn (empty = none)
    LayoutBox sheet_close;                        ///< its title bar's close button
    float sheet_scroll = 0, sheet_scroll_max = 0; ///< how far its content is scrolled, and can be
    struct Button {
        std::string panel; ///< open_panel's name, or "close"
        LayoutBox box;
    };
    std::vector<Button> buttons; ///< the bar's
    float frame_height = 0;      ///< ImGui's frame height (a button's, a checkbox's) in the last frame
};

void compact_before_panels(AppState& state, PanelState& panels);
void compact_after_panels(AppState& state, PanelState& panels);
const CompactInfo& compact_info();

} // namespace vigil::viewer

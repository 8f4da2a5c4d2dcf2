/// @file
/// The compact layout's rule, for phones and tablets held upright: below k_compact_below logical
/// pixels wide (CSS pixels in the browser; the window's logical width natively) the panels give
/// way to one bottom sheet at a time above a bar of large buttons, and the map keeps the rest.
/// Platform-free (no ImGui): the panels' code (panels/compact_layout.cpp) draws what this decides,
/// and the unit tests check the numbers.
#pragma once

#include <algorithm>
#include <cmath>

namespace vigil::viewer {

/// Narrower than this is compact: a 390-pixel phone, a 768-pixel tablet upright; a tablet on its
/// side (1024) and a desk keep the desktop's floating panels.
inline constexpr float k_compact_below = 800;
/// The smallest touch target, logical pixels (Apple's 44 pt, Material's 48 dp less a margin).
inline constexpr float k_touch_target = 44;
/// The bar's padding around its buttons.
inline constexpr float k_bar_padding = 6;
/// A sheet takes at most this share of the screen's height ...
inline constexpr float k_sheet_max_share = 0.45f;
/// ... and the map keeps at least this share (the menu bar, the sheet and the bar take the rest).
inline constexpr float k_map_min_share = 0.5f;

struct LayoutBox {
    float x = 0, y = 0, w = 0, h = 0;
    bool contains(float px, float py) const { return px >= x && py >= y && px < x + w && py < y + h; }
    float area() const { return std::max(0.0f, w) * std::max(0.0f, h); }
};

inline bool is_compact(float width) { return width > 0 && width < k_compact_below; }

struct CompactGeometry {
    LayoutBox bar;   ///< the bottom bar of panel buttons
    LayoutBox sheet; ///< where an open panel goes: full width, above the bar
    LayoutBox map;   ///< the map left in view with a sheet open (below the menu bar, above the sheet)
};

/// The compact layout on a screen `width` x `height` logical pixels whose menu bar is `top` high.
inline CompactGeometry compact_geometry(float width, float height, float top) {
    CompactGeometry g;
    const float bar_h = k_touch_target + 2 * k_bar_padding;
    g.bar = {0, height - bar_h, width, bar_h};
    // The sheet: at most 45% of the height, and small enough that the map keeps half the screen
    // (8 pixels to spare); never less than three rows of touch targets.
    const float by_share = std::floor(height * k_sheet_max_share);
    const float by_map = std::floor(height * (1 - k_map_min_share) - top - bar_h - 8);
    const float sheet_h = std::max(3 * k_touch_target, std::min(by_share, by_map));
    g.sheet = {0, g.bar.y - sheet_h, width, sheet_h};
    g.map = {0, top, width, std::max(0.0f, g.sheet.y - top)};
    return g;
}

} // namespace vigil::viewer

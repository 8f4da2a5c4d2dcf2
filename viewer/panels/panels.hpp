/// @file
/// The viewer's ImGui side: panels (one file each), the map's labels and furniture (scale bar,
/// north arrow, coordinate readout), and what a click on the map does. Panels only read AppState
/// and call its commands; the little UI state of their own is in PanelState.
#pragma once

#include "../app/app_state.hpp"

#include <string>

namespace vigil::viewer {

/// What a click on the map does.
enum class ClickMode { Select, Nearest, Measure };

struct PanelState {
    std::string font_note;           ///< which font the UI uses (status bar)
    geo::Coord pointer_lonlat{};     ///< WGS84 under the mouse
    bool pointer_on_map = false;
    bool show_gcj02 = false;         ///< also show the pointer in GCJ-02 (AMap) coordinates
    bool show_layers = true, show_inspector = true, show_legend = true;
    ClickMode click_mode = ClickMode::Select;
    NearestQuery nearest_form;       ///< the Nearest panel's inputs
    std::string need_text = "hazmat";
    std::string status_text = "available";
};

/// UTF-8 text of every label the panels draw (for the font's glyph ranges).
const char* panel_strings();

/// A left click on the map at a framebuffer position, according to the click mode.
void handle_map_click(AppState& state, PanelState& panels, geo::Coord fb);

/// Feature labels on the background draw list, placed without overlaps by priority.
void draw_labels(const AppState& state, const PanelState& panels);

/// Scale bar, north arrow and the pointer's coordinates.
void draw_map_furniture(const AppState& state, const PanelState& panels);

/// The panel windows.
void draw_panels(AppState& state, PanelState& panels);

// Panels, one file each.
void draw_layers_panel(AppState& state, PanelState& panels);
void draw_inspector_panel(AppState& state, PanelState& panels);
void draw_nearest_panel(AppState& state, PanelState& panels);

} // namespace vigil::viewer

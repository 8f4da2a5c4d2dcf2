/// @file
/// Small ImGui pieces the panels share: a symbology swatch drawn like the map draws the feature
/// (marker shape, fill, stroke; line; area), default window placement, colour conversion.
#pragma once

#include "panels.hpp"

#include <fmt/format.h>
#include <imgui.h>

#include <string>
#include <string_view>

namespace vigil::viewer {

/// An ImGui label in the user's language whose ID does not change with the language: "图层###layers"
/// (ImGui hashes only what follows "###"). Window titles, tabs and table columns use it, so that
/// the layout kept in imgui.ini (windows by ID) survives Settings → Language. `id` must be unique
/// where the label is used.
inline std::string label_id(const char* text, std::string_view id) { return fmt::format("{}###{}", text, id); }

inline ImU32 to_imgui(Rgba c) { return IM_COL32(c.r, c.g, c.b, c.a); }

/// The text colour of a refusal or an error in a panel.
inline const ImVec4 k_error_colour(0.75f, 0.1f, 0.1f, 1);
/// A warning (something assumed, a fallback taken): orange, never red.
inline const ImVec4 k_warning_colour(0.85f, 0.45f, 0.0f, 1);
/// Done as asked (saved, committed): green.
inline const ImVec4 k_ok_colour(0.1f, 0.55f, 0.2f, 1);

/// A swatch one text line high at the cursor (then advances it): the marker of a point layer in
/// its shape and colours, a line of a line layer, a filled box of a polygon layer.
void draw_swatch(const FeatureStyle& style, catalog::GeometryKind geometry);

/// Positions and sizes the next window: its default on first use (or after "reset layout"),
/// the remembered layout (ImGui's ini file) otherwise. Negative x or y count from the right or
/// bottom edge of the display.
void place_next_window(const PanelState& panels, ImVec2 pos, ImVec2 size);

/// One checkbox per value of an enumerated field, ticked for the values `text` names (Chinese or
/// English labels or codes, "、"- or comma-separated); ticking rewrites `text` as labels in the
/// user's language. With `english_beside` false, the value's code is its tooltip.
void value_ticks(const catalog::Field& f, std::string& text, bool english_beside);

/// A greyed "(?)" that shows `text` as a tooltip.
void help_marker(const char* text);

/// The colour the layer's symbology gives to `value` of its colour-by field, if any.
std::optional<Rgba> class_colour(const catalog::LayerKind& kind, std::string_view field, std::string_view value);

} // namespace vigil::viewer

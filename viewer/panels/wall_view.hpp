/// @file
/// What the wall draws over the map (ImGui draw lists, no windows: nothing to click, nothing to
/// clip): the key-figure band with the clock, the incident in focus, the arrival countdowns (in a
/// box and at each team's base), the incident ticker, and a warning when the data are not
/// current. Sizes in logical pixels: the wall's UI scale (WallSizing) makes them big enough for
/// the room.
#pragma once

#include "../app/app_state.hpp"
#include "../app/wall.hpp"

#include <cstdint>

struct ImFont;

namespace vigil::viewer {

/// Where the band and the ticker are (logical pixels), for the map's furniture and labels to
/// keep clear of.
struct WallInsets {
    float top = 0, right = 0, bottom = 0;
};

/// The band's and the ticker's heights for this frame's screen (before drawing).
WallInsets wall_insets(const app::WallBoard& board, const WallSizing& sizing, ImFont* kpi_font, float width);

/// Draws the wall's furniture. `clock_s`: the wall's clock (seconds since 1970 UTC, fractional:
/// the ticker scrolls by it); `kpi_font`: the key figures' font (null: the body font, scaled).
/// Returns the boxes it drew over the map (logical pixels), for the next frame's labels to avoid.
std::vector<geo::BBox> draw_wall(const AppState& state, const WallDirector& director, const WallSizing& sizing, double clock_s,
                                 ImFont* kpi_font);

/// "20:45:12" on the bureau's clock (UTC+8) for seconds since 1970 UTC; "2026-12-07 星期一" ("2026-12-07 Monday" in English) for the date.
std::string bureau_clock(std::int64_t utc_s);
std::string bureau_date(std::int64_t utc_s);
/// "08:12" for 492 s, "1:02:03" past an hour; negative counts as overdue "+02:10".
std::string countdown_text(std::int64_t seconds);

} // namespace vigil::viewer

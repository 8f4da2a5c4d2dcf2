/// @file
/// The command-centre wall (`vigil view --wall`, the page's `#wall`), in plain C++: how big
/// everything must be for the room (the visual-angle rule), the tour of saved views, and the
/// director that moves the camera — to a new incident (its zones, its assigned teams' routes),
/// back to the tour when nothing happens — and notices the database being replaced.
///
/// The visual-angle rule (ISO 9241-303 asks 20–22′ for characters read at a glance; symbols are
/// recognised by shape and colour from about 15′): at the stated viewing distance D, on a screen
/// of W metres and N pixels across,
///     one arc-minute = 2·D·tan(0.5′)·N/W pixels;
///     a Chinese character of a label, the ticker or the band is at least 20′ tall (its ink);
///     a key figure's digit is at least 30′ tall (its ink: one and a half times the text);
///     a point marker is at least 15′ across.
/// Everything else (lines, badges, the scale bar, panels' spacing) grows by the same UI scale as
/// the text, so the picture keeps its proportions.
#pragma once

#include "camera.hpp"

#include <vigil/app/wall_board.hpp>

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace vigil::viewer {

class AppState;

/// One saved view of the tour.
struct TourStop {
    std::string name;
    geo::Coord center{}; ///< lon/lat
    double zoom = 10;
    double seconds = 30; ///< how long the wall stays there
};

/// The stated room and screen.
struct WallOptions {
    bool enabled = false;
    double viewing_distance_m = 5;
    /// The picture's physical width in metres (`--wall-width`); none: the monitor's reported
    /// size, else a 96-dpi desktop screen.
    std::optional<double> screen_width_m;
    std::filesystem::path tour; ///< `--tour views.json` ("" = the home view when idle)
    /// The wall's clock: none = the system clock; else fixed at this moment (seconds since 1970
    /// UTC, `--clock`, for reproducible screenshots) and, with clock_rate, running from it.
    std::optional<std::int64_t> clock_start_s;
    double clock_rate = 1; ///< simulated seconds per real second (the soak's accelerated day)
    int monitor = -1;      ///< `--monitor N` (0-based; -1 = the primary)
    bool span = false;     ///< one window across every monitor
    double soak_hours = 0; ///< hidden `--wall-soak H`: run H simulated hours with edits, then report
    bool animate = true;   ///< camera flights take their time (false: a screenshot shows where they end)
    /// The wall's resting view when it has no tour (`--view`); none: every layer in view.
    std::optional<TourStop> home_view;
};

/// Sizes the rule gives for one screen (logical pixels are framebuffer pixels / ui_scale).
struct WallSizing {
    double px_per_arcmin = 1;   ///< framebuffer pixels
    float ui_scale = 1;         ///< framebuffer pixels per logical pixel (text 16 logical px)
    float font_px = 16;         ///< the body font, logical
    float kpi_font_px = 32;     ///< the key figures' font, logical
    float min_marker_px = 8;    ///< the smallest point marker, logical
    double screen_width_m = 0;  ///< what the sizes were worked out for
    bool width_assumed = false; ///< no width given or reported: 96 dpi assumed
};

/// Ink height of a Chinese character, and of a digit, per pixel of font size. ImGui's font size
/// is the line height (ascent − descent), 1.448 em in Noto Sans CJK; a Chinese character's ink is
/// about 0.90 em (0.62 of the size), a digit's 0.73 em (0.51): measured on the rendered glyphs
/// (tests/viewer/test_wall_gl.cpp), taken a little low so the rule holds with a margin.
constexpr double k_cjk_ink_per_font_px = 0.60;
constexpr double k_digit_ink_per_font_px = 0.50;
constexpr double k_text_arcmin = 20, k_kpi_digit_arcmin = 30, k_marker_arcmin = 15;

/// The rule for a screen `screen_px` framebuffer pixels and `screen_width_m` metres wide (<= 0:
/// unknown, a 96-dpi desktop assumed) read from `distance_m`. Never smaller than the desktop
/// viewer's sizes (ui_scale >= 1).
WallSizing wall_sizing(int screen_px, double screen_width_m, double distance_m);

/// "5m", "5", "5 m", "500cm", "5.5米": metres. @throws vigil::UsageError naming `what`.
double parse_metres(const std::string& typed, const std::string& what);

/// Reads a tour file: [{"name": "温县化工园区", "view": "113.08,34.94,13", "seconds": 30}, ...] or
/// {"stops": [...]} (each stop "view", or "lon"/"lat"/"zoom").
/// @throws vigil::IoError / vigil::FormatError naming the file and the stop.
std::vector<TourStop> read_tour(const std::filesystem::path& file);
std::vector<TourStop> parse_tour(const std::string& json_text, const std::string& source);

/// A camera flight: eases the centre (Web Mercator) and the zoom, zooming out halfway when the
/// target is far, so the eye follows where the map goes.
struct Flight {
    geo::Coord from_world{}, to_world{};
    double from_zoom = 10, to_zoom = 10, out_zoom = 10;
    double start_s = 0, duration_s = 2.5;
    /// Applies the flight at `now_s` (real seconds); false when it is over (the camera at the end).
    bool apply(Camera& cam, double now_s) const;
};
Flight flight_to(const Camera& cam, geo::Coord lonlat, double zoom, double now_s, double duration_s = 2.5);

/// What the wall is looking at.
enum class WallFocus { Home, Tour, Incident };

/// Where the project's file stands on disk (the wall survives it being replaced).
struct FileIdentity {
    bool exists = false;
    dev_t device = 0;
    ino_t inode = 0;
    std::int64_t mtime_ns = 0;
    friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};
FileIdentity file_identity(const std::filesystem::path& path);

/// The wall's behaviour, frame by frame (no ImGui, no GL: tests drive it headless).
class WallDirector {
public:
    explicit WallDirector(WallOptions options, std::vector<TourStop> tour = {});

    /// One frame at real time `real_s` (monotonic seconds): recomputes the board when the data
    /// changed, flies to a new open incident (zones, assigned teams' routes), tours when idle,
    /// watches the file. (The countdowns are drawn against the wall's clock, not kept here.)
    void update(AppState& state, double real_s);
    /// The first part of update(): the file watch, live changes, the board (so that the frame can
    /// lay its furniture out for this frame's figures before update() fits an incident under it).
    void prepare(AppState& state, double real_s);

    /// Asks the wall to show this open incident at the next update (`vigil view --wall --select
    /// INC-…`: a report's picture of one incident) as if it were new.
    void request_focus(std::string incident) { m_requested_focus = std::move(incident); }

    /// Logical pixels of the picture the wall's furniture covers (the band and the incident's
    /// boxes at the top, the ticker at the bottom): an incident is fitted into the rest.
    void set_covered(float top, float bottom) {
        m_covered_top = top;
        m_covered_bottom = bottom;
    }

    const app::WallBoard& board() const { return m_board; }
    WallFocus focus() const { return m_focus; }
    /// The incident in focus ("" none).
    const std::string& focus_incident() const { return m_focus_incident; }
    /// Why the incident in focus has no zones drawn ("" when it has): no material known, or the
    /// model's refusal — said on the wall, never left to look like a zone-free incident.
    const std::string& focus_zone_note() const { return m_focus_zone_note; }
    /// The tour stop shown (when touring).
    const TourStop* tour_stop() const { return m_focus == WallFocus::Tour && !m_tour.empty() ? &m_tour[m_tour_index] : nullptr; }
    bool flying() const { return m_flight.has_value(); }
    /// Why the wall is showing older data ("" when current): the database missing, unreadable.
    const std::string& data_warning() const { return m_data_warning; }
    /// How many times the project was read again after its file was replaced.
    int reloads() const { return m_reloads; }
    /// Incidents flown to so far.
    int flights_to_incidents() const { return m_incident_flights; }

    /// Seconds the wall stays on a new incident before the tour takes over again.
    static constexpr double k_focus_s = 180;
    /// How often the file is looked at, seconds.
    static constexpr double k_watch_s = 2;

private:
    void refresh_board(AppState& state);
    void focus_incident(AppState& state, const app::WallIncident& incident, double real_s);
    void watch_file(AppState& state, double real_s);

    WallOptions m_options;
    std::vector<TourStop> m_tour;
    app::WallBoard m_board;
    std::optional<std::uint64_t> m_board_revision;
    std::string m_board_day;
    std::set<std::string> m_known_incidents;
    bool m_first = true;
    WallFocus m_focus = WallFocus::Home;
    std::string m_focus_incident, m_requested_focus, m_focus_zone_note;
    double m_focus_until = 0;
    std::size_t m_tour_index = 0;
    double m_tour_until = 0;
    std::optional<Flight> m_flight;
    // The file watch.
    FileIdentity m_loaded_file;
    std::optional<FileIdentity> m_changed_file; ///< seen changed; reloaded once it holds still
    double m_next_watch = 0;
    std::string m_data_warning;
    int m_reloads = 0, m_incident_flights = 0;
    float m_covered_top = 0, m_covered_bottom = 0;
};

} // namespace vigil::viewer

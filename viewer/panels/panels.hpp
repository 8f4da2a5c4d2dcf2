/// @file
/// The viewer's ImGui side: panels (one file each), the map's labels and furniture (scale bar,
/// north arrow, coordinate readout), and what a click on the map does. Panels only read AppState
/// and call its commands; the little UI state of their own is in PanelState.
#pragma once

#include "../app/app_state.hpp"
#include "../app/incident_flow.hpp"
#include "../app/record_details.hpp"
#include "../app/stats_view.hpp"
#include "../app/table_model.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::viewer {

/// What a click on the map does.
enum class ClickMode { Select, Nearest, Measure, Dispatch, Hazard, Planning };

struct PanelState {
    std::string font_note;       ///< which font the UI uses (status bar)
    geo::Coord pointer_lonlat{}; ///< WGS84 under the mouse
    bool pointer_on_map = false;
    bool show_gcj02 = false;          ///< also show the pointer in GCJ-02 (AMap) coordinates
    bool show_pointer_readout = true; ///< the pointer's coordinates at the bottom right (not on the wall)
    /// Logical pixels of the screen's top and bottom the map's furniture and labels keep clear of
    /// (the wall's band and ticker).
    float map_top_inset = 0, map_right_inset = 0, map_bottom_inset = 0;
    std::vector<geo::BBox> map_covered; ///< more boxes over the map labels keep clear of (the wall's, last frame)
    bool show_labels = true;            ///< feature labels on the map (View menu, `vigil view --no-labels`)
    std::string project_label;          ///< shown at the right of the menu bar ("" = the database file name)
    bool read_only = false;             ///< the browser build: says so in the menu bar; no editing
    /// Where exported files (the dispatch sheet, the map PNG) go. Unset, natively: written next
    /// to the database. The browser build sets it to hand the bytes to the page, which offers
    /// them as a download (its file system is in memory; a read-only viewer may still export).
    std::function<void(const std::string& file_name, const std::string& mime_type, const std::string& bytes)> offer_download;
    ClickMode click_mode = ClickMode::Select;

    // Which panels are open (View menu). The layout itself is ImGui's ini file.
    bool show_layers = true, show_inspector = true, show_legend = true;
    bool show_table = false, show_nearest = false, show_measure = false, show_settings = false;
    /// "Reset layout" asks; on the next frame every panel takes its default place and size.
    bool reset_layout_requested = false;
    bool reset_layout = false; ///< true during the frame that resets

    // Nearest.
    NearestQuery nearest_form; ///< the Nearest panel's inputs
    std::string need_text = "hazmat";
    std::string status_text = "available";
    std::string nearest_coords;        ///< typed "LON,LAT"
    bool nearest_coords_gcj02 = false; ///< the typed point is in GCJ-02 (AMap) coordinates
    std::string nearest_coords_error;

    // Dispatch (closed at start: the default layout of the other panels stays as it was).
    bool show_dispatch = false;
    DispatchQuery dispatch_form; ///< the panel's question (`at` unused until asked)
    // i18n: not shown: values of the data (a capability, a status), matched as the registers write them
    std::string dispatch_need_text = "危化品处置";
    // i18n: not shown: as above
    std::string dispatch_status_text = "待命";
    std::string dispatch_coords; ///< typed "LON,LAT"
    bool dispatch_coords_gcj02 = false;
    std::string dispatch_search;         ///< enterprise search text
    std::string dispatch_message;        ///< the last export's result or a typing error
    bool dispatch_message_error = false; ///< the message is an error (red); else it is shown plainly
    /// 接警 New incident: the dispatcher's flow in five actions (app/incident_flow.hpp).
    IncidentFlow flow;
    /// Dispatchers' operations on the answer (editing on): the incident opened here, the type
    /// offered for a new one, how many teams "assign the first N" takes, and the teams this seat
    /// assigned with when their ETA is due (the countdown).
    std::string dispatch_incident;
    int dispatch_incident_type = 0;
    int dispatch_assign_n = 2;
    struct Assigned {
        std::string team;
        std::chrono::steady_clock::time_point due;
    };
    std::vector<Assigned> dispatch_assigning; ///< asked, not yet committed
    std::vector<Assigned> dispatch_assigned;
    std::string dispatch_seen_change;        ///< the change_id of the last committed edit already taken in
    std::uint64_t incident_log_revision = 0; ///< the data revision the Inspector's incident log was read at
    std::string png_path;                    ///< a map PNG to export at the end of this frame's map drawing ("" = none)

    // Hazard (closed at start).
    bool show_hazard = false;
    HazardInputs hazard_form;
    bool hazard_placed = false; ///< hazard_form.at was set (by a click, a source or typed)
    std::string hazard_search;  ///< chemical search text
    std::string hazard_coords;
    std::string hazard_message;

    // Data check (closed at start).
    bool show_check = false;
    bool show_replay = false;                  ///< 回放 Replay: the map at a moment, from the audit
    char replay_time[64] = "";                 ///< the moment typed (the bureau's clock)
    std::string brief_message;                 ///< the incident brief's outcome: where it was saved, or why not
    std::string check_message;                 ///< why the last run was refused ("" = none)
    std::optional<std::size_t> check_selected; ///< the finding last clicked (index into the report's findings)

    // Planning (closed at start): the questions' inputs; the answers are AppState::planner()'s.
    bool show_planning = false;
    // i18n: not shown: a value of the data (a capability), matched as the clerks' registers write it
    std::string plan_need_text = "危化品处置";    ///< the teams' capabilities (isochrones from teams, coverage)
    std::string plan_status_text;                 ///< accepted statuses ("" = any)
    std::string plan_minutes_text = "5,10,15,30"; ///< the isochrones' limits
    float plan_coverage_minutes = 15;             ///< the coverage limit on ETA
    std::string plan_risk_area;                   ///< a county's name or a WKT polygon ("" = the first county)
    float plan_risk_cell = 50;                    ///< the risk grid's cell, m
    std::string plan_message;                     ///< a typing error in the inputs

    // Statistics (closed at start): the county (or grid) table beside the choropleth.
    bool show_stats = false;
    StatsView stats;

    // Search box (menu bar).
    std::string search_text;
    std::string searched_text; ///< what search_hits answer
    std::vector<SearchHit> search_hits;
    bool search_results_hovered = false;

    // Attribute table.
    std::string table_kind; ///< layer listed ("" = the first point layer)
    std::string table_search;
    std::optional<TableSort> table_sort;
    TableModel table;
    std::optional<Selection> table_scrolled_for; ///< the selection the table last scrolled to

    // Layers panel: the last refused filter (should not happen with checkboxes, but never silent).
    std::string filter_error;
    // Choropleth of the admin areas: why the last choice was refused (no such layer ...).
    std::string choropleth_error;

    // Inspector: related records of the current selection, worked out when it changes.
    std::optional<Selection> related_for;
    std::uint64_t related_revision = 0;
    std::vector<RelatedRecord> related;
    std::optional<Selection> seen_selection; ///< a new selection reopens a closed inspector
    std::uint64_t seen_data_revision = 0;    ///< the app state's data revision the search hits were found in

    // Measure: where the left button went down on the map (a click, not a drag, adds a point).
    geo::Coord measure_press{};
    bool measure_pressed_on_map = false;

    // Settings (kept in the ini file under [Vigil][Settings]).
    float font_size = 0;      ///< logical pixels; 0 = as the font atlas was built
    float ui_scale = 0;       ///< 0 = automatic (content_scale / pixel ratio)
    float content_scale = 1;  ///< the monitor's content scale, when the platform tells it
    float base_font_size = 0; ///< the atlas font's logical size, read on the first frame
    float applied_ui_scale = 1;
    bool settings_loaded = false;
    /// The language chosen in Settings and kept in the ini file ("" = none chosen). A language
    /// given to the program (--lang, VIGIL_LANG, the page's lang=) wins over it: language_fixed.
    std::string language;
    bool language_fixed = false;
};

/// UTF-8 text holding every character the interface may print in Chinese (the font atlas's
/// glyph ranges): the Chinese texts of the message catalogues, and punctuation.
std::string ui_glyph_text();

/// A left click on the map at a framebuffer position, according to the click mode.
void handle_map_click(AppState& state, PanelState& panels, geo::Coord fb);

/// Feature labels on the background draw list, placed without overlaps by priority.
void draw_labels(const AppState& state, const PanelState& panels);

/// Scale bar, north arrow and the pointer's coordinates.
void draw_map_furniture(const AppState& state, const PanelState& panels);

/// The panel windows.
void draw_panels(AppState& state, PanelState& panels);
/// Opens a panel by its name (`vigil view --open NAME`): layers, legend,
/// inspector, table, nearest, measure, settings, dispatch, hazard, check, replay, planning, stats.
/// False for another name.
bool open_panel(PanelState& panels, std::string_view name);
/// The names open_panel knows, comma-separated (for messages).
const char* panel_names();

// Panels, one file each.
void draw_layers_panel(AppState& state, PanelState& panels);
void draw_legend_panel(AppState& state, PanelState& panels);
void draw_table_panel(AppState& state, PanelState& panels);
void draw_inspector_panel(AppState& state, PanelState& panels);
void draw_nearest_panel(AppState& state, PanelState& panels);
void draw_measure_panel(AppState& state, PanelState& panels);
void draw_settings_panel(AppState& state, PanelState& panels);
void draw_dispatch_panel(AppState& state, PanelState& panels);
void draw_hazard_panel(AppState& state, PanelState& panels);
void draw_check_panel(AppState& state, PanelState& panels);
void draw_replay_panel(AppState& state, PanelState& panels); // replay_panel.cpp
/// An incident brief made off the frame (EditDesk::request_brief): saved beside the project, or
/// offered as a download in the browser; PanelState::brief_message says which, or why not.
void collect_brief(AppState& state, PanelState& panels);
void draw_planning_panel(AppState& state, PanelState& panels);
/// Translucent fills of the isochrones and hazard zones on the background draw list (the GL
/// overlay draws their outlines), and the map PNG when one was asked for (PanelState::png_path).
void draw_map_fills(AppState& state, PanelState& panels);
/// Asks a dispatch question at `at` with the panel's form (capabilities, status, needs).
void ask_dispatch(AppState& state, PanelState& panels, geo::Coord at, std::string place);
/// The flow's step 3 with the panel's capabilities and status (PanelState::flow): places the
/// typed text, finds the material, answers; false (flow.message says why) when it cannot.
bool ask_incident(AppState& state, PanelState& panels);
/// The same placed by a click on the map at `at` (WGS84).
bool ask_incident_at(AppState& state, PanelState& panels, geo::Coord at);
/// Loads incident `id` of the project into the Dispatch panel, opens the panel and answers it
/// (`vigil view --open dispatch --incident ID`). False (flow.message says why) for an unknown id.
bool open_incident_in_dispatch(AppState& state, PanelState& panels, const std::string& id);
/// Exports the last dispatch answer as "csv", "geojson" or "png" (the map, at the end of this
/// frame's map drawing) the way the panel's buttons do (PanelState::offer_download). False, and
/// nothing exported, without an answer or for another format.
bool export_dispatch(const AppState& state, PanelState& panels, std::string_view format);
/// Computes the hazard zones at `at` with the panel's inputs.
void ask_hazard(AppState& state, PanelState& panels, geo::Coord at, std::string place);
/// Starts the data-quality checks as of today (what the Data check panel's button does), off the
/// frame: the report shows when draw_panels picks it up. A refusal goes to PanelState::check_message.
void ask_check(AppState& state, PanelState& panels, app::CheckRequest q = {});
/// What clicking a finding does: selects and centres its record, remembers it as the panel's choice.
void choose_finding(AppState& state, PanelState& panels, std::size_t index);
/// The Planning panel's questions with its inputs (a typing error goes to PanelState::plan_message):
/// the isochrones of every team with the capabilities (or of the point `at`), the coverage gaps,
/// the regional risk of the area. Each runs on a background job (AppState::ask_plan).
void ask_isochrones(AppState& state, PanelState& panels, std::optional<geo::Coord> at = std::nullopt);
void ask_coverage(AppState& state, PanelState& panels);
void ask_risk(AppState& state, PanelState& panels);
/// Statistics panel (stats_panel.cpp): the table of the statistics by county or by grid.
void draw_stats_panel(AppState& state, PanelState& panels);
/// Exports the Statistics panel's table as shown (its grouping and order) as "csv" or "xlsx",
/// the way its buttons do: saved beside the database, or offered as a download
/// (PanelState::offer_download). False, and nothing exported, for another format or when there
/// is no table (StatsView::error says why).
bool export_stats(const AppState& state, PanelState& panels, std::string_view format);
/// What choosing a row of the table does: selects its county's admin area (or its grid) and
/// zooms to it. False when the row stands for no record on the map ("(no grid)").
bool choose_stats_row(AppState& state, PanelState& panels, std::size_t shown_row);
/// The search box, in the main menu bar (call between Begin/EndMainMenuBar) ...
void draw_search_box(AppState& state, PanelState& panels);
/// ... and its drop-down of results, after EndMainMenuBar.
void draw_search_results(AppState& state, PanelState& panels);

/// Turns the admin areas' choropleth to `measure` (None = off), keeping a refusal in
/// PanelState::choropleth_error.
void choose_choropleth(AppState& state, PanelState& panels, ChoroplethMeasure measure);
/// The choropleth's measures as menu items (View menu) or a combo (Legend panel).
void draw_choropleth_menu(AppState& state, PanelState& panels);
void draw_choropleth_combo(AppState& state, PanelState& panels);
/// When the choropleth is on and the pointer is over a county: its statistics as a tooltip.
void draw_choropleth_tooltip(const AppState& state, const PanelState& panels);

/// In measure mode, a click (not a drag) on the map adds a point; also draws the rubber band
/// from the last point to the pointer. Runs every frame whether the Measure window is open or not.
void track_measure_clicks(AppState& state, PanelState& panels);
/// Applies the font size and UI scale settings (and loads them from the ini file once).
void apply_settings(AppState& state, PanelState& panels);
/// The font size (logical pixels) saved in an ImGui ini file by the Settings panel, if any: a
/// platform that builds its font atlas at this size shows the chosen size crisp from the start.
std::optional<float> read_saved_font_size(const std::filesystem::path& ini);

} // namespace vigil::viewer

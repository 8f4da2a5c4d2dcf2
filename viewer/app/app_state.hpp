/// @file
/// The viewer's state and commands, in plain C++ (no ImGui, no GL), so tests drive the viewer
/// through it headless: open a project, show/hide/filter layers, move the camera, select by
/// screen position, search, run a nearest query, measure. Panels only read this state and call
/// these commands; the renderer rebuilds a layer's GPU data when its revision changes.
#pragma once

#include "camera.hpp"
#include "choropleth.hpp"
#include "dispatch.hpp"
#include "editing.hpp"
#include "hazard_view.hpp"
#include "layer_filter.hpp"
#include "measure.hpp"
#include "planning.hpp"
#include "search.hpp"
#include "style.hpp"

#include "platform/jobs.hpp"

#include <vigil/app/check.hpp>
#include <vigil/app/grids.hpp>
#include <vigil/app/hazard_ledger.hpp>
#include <vigil/app/layer_set.hpp>
#include <vigil/app/live.hpp>
#include <vigil/app/replay.hpp>
#include <vigil/app/stats.hpp>
#include <vigil/model/layer.hpp>
#include <vigil/query/nearest.hpp>
#include <vigil/store/project_reader.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vigil::viewer {

/// One layer as the viewer shows it.
struct LayerView {
    std::shared_ptr<const model::Layer> layer;
    StyleResolver styles;
    bool visible = true;
    float opacity = 1.0f;
    query::FilterSpec filter_spec;         ///< what the user chose (empty = everything)
    std::vector<std::uint8_t> row_visible; ///< per row after the filter; empty = all rows
    std::size_t visible_count = 0;
    std::uint64_t revision = 1;                 ///< bumped whenever what is drawn changes
    std::vector<FilterableField> filter_fields; ///< what the Layers panel offers to filter by (worked out on open)

    const catalog::LayerKind& kind() const { return layer->kind(); }
    bool row_shown(std::size_t row) const { return row_visible.empty() || row_visible[row]; }
};

/// The layers as the application services take them (shared, immutable snapshots: a background
/// job may read them while the frame draws).
app::LayerSet layer_set_of(const std::vector<LayerView>& layers);

struct Selection {
    std::string kind;
    std::size_t row = 0;
    friend bool operator==(const Selection&, const Selection&) = default;
};

/// A "which teams are nearest" question and its answer.
struct NearestQuery {
    geo::Coord at{}; ///< WGS84
    std::string kind = "rescue_teams";
    std::size_t k = 5;
    query::FilterSpec filter; ///< need / status
    std::vector<query::Hit> results;
    std::string error; ///< why it could not run (unknown capability ...), else empty
};

class AppState {
public:
    /// Opens a project database and loads all its layers (drawn in catalogue z-order). Throws
    /// vigil::Error subclasses naming the file when it cannot.
    void open_project(const std::filesystem::path& path);
    const std::filesystem::path& project_path() const { return m_path; }
    /// Reads the project's file again (the wall, after the file was replaced), keeping the camera
    /// and which layers are shown; everything else as open_project. Throws as open_project (the
    /// layers held stay as they were).
    void reopen_project();

    std::vector<LayerView>& layers() { return m_layers; }
    const std::vector<LayerView>& layers() const { return m_layers; }
    LayerView* layer(std::string_view kind);
    const LayerView* layer(std::string_view kind) const;

    Camera& camera() { return m_camera; }
    const Camera& camera() const { return m_camera; }
    /// The extent of all layers (lon/lat).
    geo::BBox home_extent() const;
    void zoom_home();
    void zoom_to_layer(std::string_view kind);
    void zoom_to_selection();

    void set_visible(std::string_view kind, bool visible);
    /// Applies a filter to a layer (throws vigil::UsageError naming an unknown field or value,
    /// leaving the layer as it was). A `where` entry with no value lets no record through (the
    /// Layers panel's "nothing ticked"). A selection the filter hides is cleared.
    void set_filter(std::string_view kind, const query::FilterSpec& spec);
    /// Removes the layer's filter.
    void clear_filter(std::string_view kind) { set_filter(kind, {}); }

    const std::optional<Selection>& selection() const { return m_selection; }
    void select(const Selection& s) {
        m_selection = s;
        ++m_overlay_revision;
    }
    /// Selects a record by its id in any layer; false if none has it.
    bool select_id(std::string_view id);
    void clear_selection() {
        m_selection.reset();
        ++m_overlay_revision;
    }
    /// Selects and shows a record (what clicking a search result, a table row or a related record does).
    void select_and_zoom(const Selection& s) {
        select(s);
        zoom_to_selection();
    }
    /// The topmost visible feature under a framebuffer position (points within `radius_px` of
    /// their centre, lines within `radius_px`, polygons containing it), if any.
    std::optional<Selection> pick(geo::Coord screen, double radius_px = 8) const;
    /// pick() then select (or clear when nothing is there). Returns whether something was picked.
    bool select_at(geo::Coord screen, double radius_px = 8);

    const std::optional<NearestQuery>& nearest() const { return m_nearest; }
    /// Runs a nearest query (geodesic, with filters) and keeps it for drawing.
    const NearestQuery& run_nearest(NearestQuery q);
    void clear_nearest() {
        m_nearest.reset();
        ++m_overlay_revision;
    }

    /// Records matching a typed name or id across the layers (see search_records).
    std::vector<SearchHit> search(std::string_view query, std::size_t limit = 50) const { return search_records(m_layers, query, limit); }

    /// The measure tool: points added by clicking the map in measure mode, WGS84.
    const Measurement& measurement() const { return m_measure; }
    void measure_add(geo::Coord lonlat) {
        m_measure.points.push_back(lonlat);
        ++m_overlay_revision;
    }
    /// Removes the last point (nothing if none).
    void measure_undo() {
        if (!m_measure.points.empty()) m_measure.points.pop_back();
        ++m_overlay_revision;
    }
    void measure_clear() {
        m_measure.points.clear();
        ++m_overlay_revision;
    }

    /// The Dispatch panel: the project's road graph (built on the first dispatch question after
    /// a load) and the last dispatch answer. run_dispatch() answers at once when the graph is
    /// there, else keeps the question pending (DispatchSheet::pending) until update_dispatch()
    /// finds the graph built (the panel calls it every frame).
    RoadNetwork& road_network() { return *m_roads; }
    const std::optional<DispatchSheet>& dispatch() const { return m_dispatch; }
    const DispatchSheet& run_dispatch(DispatchQuery q);
    void update_dispatch();
    void clear_dispatch() {
        m_dispatch.reset();
        ++m_overlay_revision;
    }

    /// The Hazard panel: the last zones and what lies inside them.
    const std::optional<HazardResult>& hazard() const { return m_hazard; }
    const HazardResult& run_hazard(const HazardInputs& in);
    void clear_hazard() {
        m_hazard.reset();
        ++m_overlay_revision;
    }

    /// The admin areas as a choropleth of per-county statistics (None = off, the default):
    /// fills the county polygons by class and bumps admin_areas' revision so the renderer
    /// rebuilds them; None restores the catalogue's look. Throws UsageError naming the missing
    /// layer when the project has no enterprises or admin_areas layer (the mode stays as it was).
    void set_choropleth(ChoroplethMeasure measure);
    /// The grid-management statistics of the layers held: app::statistics (by county or by grid,
    /// as `q.by` says), the table `vigil stats` prints for the database; hidden hazards reckoned
    /// at q.as_of, else at as_of(). @throws what the service throws (UsageError naming the
    /// missing enterprises or grids layer, thresholds out of order).
    app::StatsResult statistics(app::StatsRequest q = {}) const;

    /// The day hidden hazards are reckoned at (open, overdue: the map's colours of the
    /// hidden_hazards layer, the statistics), YYYY-MM-DD: today (UTC) when the project was
    /// opened, unless set.
    const std::string& as_of() const { return m_as_of; }
    /// Sets that day and recolours the hidden hazards (and the choropleth, if on).
    /// @throws vigil::UsageError when `date` is not YYYY-MM-DD (nothing changes).
    void set_as_of(const std::string& date);
    /// Back to today (what a permalink without a day asks for).
    void reset_as_of();
    /// Whether the day was set (set_as_of) rather than today's: a permalink then carries it.
    bool as_of_set() const { return m_as_of_set; }
    /// The hidden-hazard ledger of the layers held as of as_of() (what the map shows of each
    /// record); null when the project has no hidden_hazards layer.
    const app::HazardLedger* hazard_ledger() const { return m_ledger ? &*m_ledger : nullptr; }
    /// The grid of an enterprise (or any record with a location) and its grid member, for the
    /// inspector: "温县 / 祥云镇 · 网格员 张三 13800000000"; "" when the project has no grids or
    /// the record lies in none.
    std::string grid_text(const std::string& kind, std::size_t row) const;
    /// The layers held, as the application services take them (layer_set_of).
    app::LayerSet layer_set() const { return layer_set_of(m_layers); }
    /// The current choropleth, if on.
    const std::optional<Choropleth>& choropleth() const { return m_choropleth; }

    /// The Data check panel: the last data-quality report, core's app::run_checks over the layers
    /// held (the findings `vigil check` lists from the database).
    const std::optional<app::CheckResult>& check() const { return m_check; }
    /// Starts the checks off the frame (platform/jobs.hpp: ~0.3 s at 120,000 records natively,
    /// longer in the browser); update_check() picks the report up. A bad request is refused at
    /// once: @throws vigil::UsageError (the last report is kept), as is a start while a check
    /// runs (never waited for in a frame).
    void start_check(const app::CheckRequest& q);
    bool check_running() const { return m_check_job.running(); }
    /// Takes a finished report (called each frame, never waits): true when one arrived. A check
    /// that failed leaves the last report and its message in check_error().
    bool update_check();
    /// Waits for the running check and takes its report: tests and the screenshot mode only.
    void wait_check();
    /// Why the last check failed ("" = it did not).
    const std::string& check_error() const { return m_check_error; }
    void clear_check() { m_check.reset(); }
    /// Selects a finding's record, shows its layer and centres the map on it (what clicking a
    /// finding does). False when the project holds no such record.
    bool select_finding(const app::CheckFinding& f);

    /// The Planning panel (and the page's supply question): isochrones, coverage gaps, regional
    /// risk and supply plans asked of core's services on background jobs over the layers held
    /// (all of their records, whatever the Layers panel's filters show) and the road graph.
    /// ask_plan() returns at once; update_planning() (every frame) collects the answers.
    const Planner& planner() const { return *m_planner; }
    void ask_plan(PlanQuestion q);
    void update_planning();
    /// Blocks until every planning answer is in: for tests and screenshot mode.
    void wait_planning();
    void clear_plan(PlanKind k) {
        m_planner->clear(k);
        ++m_overlay_revision;
    }
    void show_plan(PlanKind k, bool on) {
        m_planner->set_shown(k, on);
        ++m_overlay_revision;
    }

    /// Following the database live (core's store::ChangeFeed and app::follow_changes, opened by
    /// open_project before it loads the layers). update_live(), every frame, polls the feed
    /// (PRAGMA data_version: microseconds) and, once something was committed, reads and applies
    /// the changes on a background job; a later frame swaps the new snapshots in (apply_live):
    /// only the changed layers' revisions are bumped (their styles, clusters, labels, tables and
    /// filters follow), the camera and the selection stay (a deleted selected record is
    /// deselected, and live_status() says so), and the nearest, dispatch and hazard answers are
    /// asked again over the new records. Returns true when an update was applied this call.
    bool update_live();
    /// Blocks until a running live job has finished and applies it: for tests only, never a frame.
    void wait_live();
    /// Swaps an update in (what update_live does with a job's answer).
    void apply_live(const app::LiveUpdate& u);
    /// Applies changes read elsewhere (the browser page: pushed by `vigil serve`) by core's
    /// app::apply_delta, then as apply_live. Layers that would have to be read whole are listed
    /// in the answer's need_reload and left as held (the page then fetches a new snapshot).
    app::LiveUpdate apply_pushed(const app::LiveDelta& delta);
    /// The change sequence number the held layers are current to; -1 when not followed (no
    /// change sequence).
    std::int64_t live_seq() const;
    /// "已更新 N 条 (HH:MM:SS) updated N records" after an update (with a deselected record's
    /// note), "" before any.
    const std::string& live_status() const { return m_live_status; }
    /// Why the view does not follow the database ("" while it does): no change sequence, or a
    /// read that failed (then following stops: a frame never retries a failing read).
    const std::string& live_note() const { return m_live_note; }
    /// Whether the project is followed live (a change sequence and no failure).
    bool live() const { return m_feed != nullptr && m_live_note.empty(); }
    /// Dispatchers' edits (editing.hpp): off unless the platform gave a store (the native viewer).
    EditDesk& edits() { return m_edits; }
    /// Sets a team's status (the Inspector's control) on what this view shows: refused, with both
    /// values and the other editor, when the team changed in the database under the view.
    /// False when nothing started (editing off, an edit in flight, no such team).
    bool edit_team_status(const std::string& team, const std::string& status);
    /// The incident types the project's catalogue offers (its incidents kind's incident_type
    /// values, in order), for the Dispatch panel; empty when the catalogue has no incidents kind.
    const std::vector<catalog::EnumValue>& incident_types() const { return m_incident_types; }
    /// Opens an incident of `type` (code or label) at `at`; its id is then edits().last()->incident.
    bool open_incident_at(geo::Coord at, const std::string& type, const std::string& material);
    /// Assigns `teams` to `incident` (each 出动 deployed, a dispatch record each), with the ETAs
    /// of the dispatch answer on screen when it ranked them (none otherwise, and the result says so).
    bool assign_teams(const std::string& incident, const std::vector<std::string>& teams);

    /// Replay (回放): the map as it stood at a moment, from the audit table (app::replay_at over
    /// the layers held live). request_replay() reads the audit rows after that moment off the
    /// frame (the edit desk: the project natively, the server in a signed-in browser); a later
    /// frame swaps the touched layers for their copies as they stood then. Live updates wait
    /// meanwhile (the feed's cursor stays, pushed changes are kept), and back_to_live() swaps the
    /// live layers back and applies what came since. False (replay_error() says why) for a time
    /// that does not read, or when the audit cannot be read here (signed out, read-only view).
    struct ReplayShown {
        std::string at;    ///< UTC ISO, as the audit stores times
        std::string typed; ///< as the user gave it (the bureau's clock)
        std::size_t undone = 0;
        std::vector<app::ReplayRecord> differences; ///< what differs from now
        std::vector<std::string> notes;
    };
    bool request_replay(const std::string& typed_time);
    /// Shows `replay` (what request_replay's read leads to; tests call it directly).
    void show_replay(const app::Replay& replay, const std::string& typed);
    void back_to_live();
    const std::optional<ReplayShown>& replay() const { return m_replay; }
    bool replay_pending() const { return m_replay_asked.has_value(); }
    const std::string& replay_error() const { return m_replay_error; }

    /// Bumped by every update applied: panels keeping rows of records (search hits) look again.
    std::uint64_t data_revision() const { return m_data_revision; }

    /// Bumped when the selection, nearest results, measure points, dispatch or hazard zones
    /// change (the overlay must be rebuilt).
    std::uint64_t overlay_revision() const { return m_overlay_revision; }

private:
    /// A replay's audit rows, once they arrived: the replay is computed and shown.
    void collect_replay();
    /// Colours the hidden hazards by their state as of m_as_of (a fill override from the
    /// catalogue's status colours), keeping the ledger.
    void colour_hidden_hazards();

    std::filesystem::path m_path;
    std::vector<LayerView> m_layers;
    Camera m_camera;
    std::optional<Selection> m_selection;
    std::optional<NearestQuery> m_nearest;
    Measurement m_measure;
    std::unique_ptr<RoadNetwork> m_roads = std::make_unique<RoadNetwork>(); // a pointer: AppState stays movable
    std::optional<DispatchSheet> m_dispatch;
    std::optional<HazardResult> m_hazard;
    std::optional<Choropleth> m_choropleth;
    std::string m_as_of;
    bool m_as_of_set = false;
    std::optional<app::HazardLedger> m_ledger;
    std::shared_ptr<const app::GridIndex> m_grids; // of the grids layer, null without one
    std::optional<app::CheckResult> m_check;
    platform::BackgroundJob<app::CheckResult> m_check_job;
    std::string m_check_error;
    std::unique_ptr<Planner> m_planner = std::make_unique<Planner>();
    // The feed is shared with the live job that reads it; the frame polls it only while no job
    // runs (one connection, one thread at a time).
    EditDesk m_edits;
    std::vector<catalog::EnumValue> m_incident_types;
    std::shared_ptr<store::ChangeFeed> m_feed;
    std::int64_t m_pushed_seq = 0; ///< the last change applied by apply_pushed
    std::optional<ReplayShown> m_replay;
    std::optional<std::pair<std::string, std::string>> m_replay_asked; ///< (UTC, typed) being read
    std::string m_replay_error;
    std::vector<app::LiveLayer> m_live_held;   ///< during a replay: the live layers it replaced
    std::vector<app::LiveDelta> m_pushed_held; ///< during a replay: changes pushed meanwhile
    platform::BackgroundJob<std::optional<app::LiveUpdate>> m_live_job;
    std::string m_live_status, m_live_note;
    std::uint64_t m_data_revision = 0;
    std::uint64_t m_overlay_revision = 1;
};

} // namespace vigil::viewer

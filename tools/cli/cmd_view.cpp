// vigil view: the map viewer on a project database (a window; or a PNG with --screenshot).

#include "cli_common.hpp"

#include <main_native.hpp>
#include <vigil/app/replay.hpp>
#include <vigil/app/wall_board.hpp>
#include <vigil/native/edit_store.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <cmath>
#include <filesystem>
#include <memory>

namespace vigil::cli {

namespace {

// "LON,LAT,ZOOM"
void parse_view(const std::string& typed, viewer::ViewerOptions& o) {
    const std::string text = vigil::text::fold_number_text(typed);
    auto parts = vigil::text::split(text, ',');
    std::optional<double> lon, lat, zoom;
    if (parts.size() == 3) {
        lon = vigil::text::parse_double(parts[0]);
        lat = vigil::text::parse_double(parts[1]);
        zoom = vigil::text::parse_double(parts[2]);
    }
    if (!lon || !lat || !zoom || std::fabs(*lon) > 180 || std::fabs(*lat) > 85 || *zoom < 2 || *zoom > 20)
        throw UsageError(trf("--view {}: expected LON,LAT,ZOOM, e.g. 113.08,34.94,12 (zoom 2..20)", text));
    o.view_center = geo::Coord{*lon, *lat};
    o.view_zoom = *zoom;
}

// "1920x1080"
void parse_size(const std::string& typed, viewer::ViewerOptions& o) {
    const std::string text = vigil::text::fold_number_text(typed);
    auto x = text.find('x');
    auto w = x == std::string::npos ? std::nullopt : vigil::text::parse_int64(text.substr(0, x));
    auto h = x == std::string::npos ? std::nullopt : vigil::text::parse_int64(text.substr(x + 1));
    if (!w || !h || *w < 320 || *h < 240 || *w > 8192 || *h > 8192)
        throw UsageError(trf("--size {}: expected WIDTHxHEIGHT in pixels, e.g. 1920x1080", text));
    o.width = static_cast<int>(*w);
    o.height = static_cast<int>(*h);
}

struct ViewArgs {
    std::string db, view, size, screenshot, select, tiles, as_of, by, seat, incident;
    std::vector<std::string> open;
    bool read_only = false;
    float font_size = 16;
    std::vector<std::string> hide;
    bool no_labels = false;
    int soak = 0;
};

/// The wall's options (kept apart from ViewArgs: a group of their own in --help).
struct WallArgs {
    bool wall = false, span = false;
    int monitor = -1;
    std::string distance = "5m", width, tour, clock;
    double clock_rate = 1, soak_hours = 0;
};

void add_wall_options(CLI::App* cmd, const std::shared_ptr<WallArgs>& w) {
    const std::string group = trc("help group", "Wall");
    cmd->add_flag("--wall", w->wall,
                  tr("The command-centre wall: borderless full screen, key figures, clock, incident ticker; flies to new incidents, tours "
                     "saved views when idle"))
        ->group(group);
    cmd->add_option("--monitor", w->monitor, tr("The monitor the wall fills (from 0; default: the primary)"))
        ->check(CLI::Range(0, 63))
        ->group(group);
    cmd->add_flag("--span", w->span, tr("One window across every monitor"))->group(group);
    cmd->add_option("--viewing-distance", w->distance, tr("Viewing distance, e.g. 5m: sizes follow the visual-angle rule"))->group(group);
    cmd->add_option("--wall-width", w->width,
                    tr("The picture's physical width, e.g. 2.2m (default: as the monitor reports it, else 96 dpi)"))
        ->group(group);
    cmd->add_option("--tour", w->tour, tr("Views to tour when idle: JSON [{\"name\", \"view\": \"LON,LAT,ZOOM\", \"seconds\"}]"))
        ->group(group);
    cmd->add_option("--clock", w->clock, tr("Start the wall's clock at this moment, e.g. 2026-12-07T12:00:00Z"))->group(group);
    // Hidden: the soak's accelerated day.
    cmd->add_option("--clock-rate", w->clock_rate, tr("Simulated seconds per real second"))->check(CLI::Range(0.0, 100000.0))->group("");
    cmd->add_option("--wall-soak", w->soak_hours, tr("Run the wall for H simulated hours with edits, then report frame time and memory"))
        ->check(CLI::Range(0.01, 240.0))
        ->group("");
}

viewer::WallOptions wall_options(const WallArgs& w, bool screenshot) {
    viewer::WallOptions o;
    o.enabled = w.wall || w.soak_hours > 0;
    if (!o.enabled) {
        if (w.span || w.monitor >= 0 || !w.tour.empty() || !w.width.empty() || !w.clock.empty())
            throw UsageError(tr("--monitor/--span/--tour/--wall-width/--clock are for the wall: add --wall"));
        return o;
    }
    if (w.span && w.monitor >= 0) throw UsageError(tr("take --span or --monitor, not both"));
    o.viewing_distance_m = viewer::parse_metres(w.distance, "--viewing-distance");
    if (!w.width.empty()) o.screen_width_m = viewer::parse_metres(w.width, "--wall-width");
    o.tour = w.tour;
    if (!w.tour.empty()) (void)viewer::read_tour(w.tour); // a bad file is said now, not in the window
    if (!w.clock.empty()) {
        const auto s = app::utc_seconds(app::utc_of_typed_time(w.clock));
        if (!s) throw UsageError(trf("--clock {}: expected a time, e.g. 2026-12-07T12:00:00Z", w.clock));
        o.clock_start_s = *s;
    }
    // A screenshot of a given moment is that moment (the ticker does not scroll on).
    o.clock_rate = screenshot && o.clock_start_s ? 0.0 : w.clock_rate;
    o.animate = !screenshot;
    o.monitor = w.monitor;
    o.span = w.span;
    o.soak_hours = w.soak_hours;
    return o;
}

} // namespace

void add_view_command(CLI::App& app, Runner& run) {
    auto a = std::make_shared<ViewArgs>(); // owned by the callbacks, not a function-local static
    auto wall = std::make_shared<WallArgs>();
    auto* cmd = app.add_subcommand("view", tr("Open the map viewer on a project database (--screenshot: render to a PNG and exit)"));
    cmd->add_option("DB", a->db, tr("Project database"))->required();
    cmd->add_option("--tiles", a->tiles, tr("Offline raster basemap: an MBTiles file or an XYZ tile folder ({z}/{x}/{y}.png)"));
    cmd->add_option("--view", a->view, tr("Initial view LON,LAT,ZOOM (default: all layers)"));
    cmd->add_option("--size", a->size, tr("Window (or screenshot) size WIDTHxHEIGHT, e.g. 1920x1080"));
    cmd->add_option("--screenshot", a->screenshot, tr("Render without user input into this PNG and exit"));
    cmd->add_option("--select", a->select, tr("Select (and inspect) the record with this id"));
    auto* font_option =
        cmd->add_option("--font-size", a->font_size, tr("Text size in pixels (default: as last set in the viewer, else 16)"))
            ->check(CLI::Range(8.0f, 48.0f));
    cmd->add_option("--hide", a->hide, tr("Start with these layers switched off (kinds, e.g. --hide roads,enterprises)"))->delimiter(',');
    cmd->add_flag("--no-labels", a->no_labels, tr("Start without feature labels"));
    cmd->add_option("--open", a->open, tr("Start with these panels open (dispatch, hazard, table, check, planning, replay, nearest, ...)"))
        ->delimiter(',');
    cmd->add_option("--incident", a->incident,
                    tr("Load this incident (its point and material) into the Dispatch panel and answer it: zones, teams, supplies"));
    cmd->add_option("--by", a->by,
                    tr("Who edits from this viewer (team status, incidents, assignments), for the audit table (default: $USER)"));
    cmd->add_option("--seat", a->seat, tr("The workstation, for the audit table (default: this host's name)"));
    cmd->add_flag("--read-only", a->read_only, tr("Look only: the viewer offers no edits"));
    cmd->add_option("--as-of", a->as_of, tr("Show hidden hazards as open or overdue at this date, YYYY-MM-DD (default: today, UTC)"));
    // Hidden (no group): the soak test's driver. Pans over the map for N frames and exits 1
    // if resident memory grew more than 5% from frame 1000 to the end.
    cmd->add_option("--soak", a->soak, tr("Pan for N frames, then check that resident memory stayed flat"))
        ->check(CLI::Range(1, 10000000))
        ->group("");
    add_wall_options(cmd, wall);
    cmd->callback([&run, font_option, a, wall] {
        const bool font_given = font_option->count() > 0;
        run = [font_given, a, wall] {
            const ViewArgs& args = *a;
            const auto& [db, view, size, screenshot, select, tiles, as_of, by, seat, incident, open, read_only, font_size, hide, no_labels,
                         soak] = args;
            viewer::ViewerOptions o;
            o.database = db;
            if (!view.empty()) parse_view(view, o);
            if (!size.empty()) parse_size(size, o);
            o.screenshot = screenshot;
            o.select_id = select;
            if (font_given) o.font_size = font_size;
            o.hidden_layers = hide;
            o.labels = !no_labels;
            o.tiles = tiles;
            o.soak_frames = soak;
            o.as_of = as_of;
            o.wall = wall_options(*wall, !screenshot.empty());
            o.open_panels = open;
            o.incident = incident;
            // Edits go through core's edit service to the project itself (WAL, versions, audit);
            // the store opens on the first edit, off the frame. A screenshot never edits; one of a
            // panel or an incident (--open, --incident) shows the edit controls as a dispatcher
            // sees them all the same (the store is never opened).
            o.read_only = read_only;
            o.editor = editor_of(by, seat);
            if (screenshot.empty() || !open.empty() || !incident.empty())
                o.open_edits = [db] { return native::SpatialiteEditStore::open(db, load_catalog()); };
            o.make_brief = [db](const std::string& id) { return incident_brief_pdf(db, id); };
            if (!std::filesystem::exists(db)) throw IoError(trf("database '{}' does not exist", db));
            return viewer::run_native_viewer(o);
        };
    });
}

} // namespace vigil::cli

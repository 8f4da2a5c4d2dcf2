// vigil view: the map viewer on a project database (a window; or a PNG with --screenshot).

#include "cli_common.hpp"

#include <main_native.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/text.hpp>

#include <cmath>

namespace vigil::cli {

namespace {

// "LON,LAT,ZOOM"
void parse_view(const std::string& text, viewer::ViewerOptions& o) {
    auto parts = vigil::text::split(text, ',');
    std::optional<double> lon, lat, zoom;
    if (parts.size() == 3) {
        lon = vigil::text::parse_double(parts[0]);
        lat = vigil::text::parse_double(parts[1]);
        zoom = vigil::text::parse_double(parts[2]);
    }
    if (!lon || !lat || !zoom || std::fabs(*lon) > 180 || std::fabs(*lat) > 85 || *zoom < 2 || *zoom > 20)
        throw UsageError("--view " + text + ": expected LON,LAT,ZOOM, e.g. 113.08,34.94,12 (zoom 2..20)");
    o.view_center = geo::Coord{*lon, *lat};
    o.view_zoom = *zoom;
}

// "1920x1080"
void parse_size(const std::string& text, viewer::ViewerOptions& o) {
    auto x = text.find('x');
    auto w = x == std::string::npos ? std::nullopt : vigil::text::parse_int64(text.substr(0, x));
    auto h = x == std::string::npos ? std::nullopt : vigil::text::parse_int64(text.substr(x + 1));
    if (!w || !h || *w < 320 || *h < 240 || *w > 8192 || *h > 8192)
        throw UsageError("--size " + text + ": expected WIDTHxHEIGHT in pixels, e.g. 1920x1080");
    o.width = static_cast<int>(*w);
    o.height = static_cast<int>(*h);
}

} // namespace

void add_view_command(CLI::App& app, Runner& run) {
    static std::string db, view, size, screenshot, select, tiles;
    static float font_size = 16;
    static std::vector<std::string> hide;
    static bool no_labels = false;
    static int soak = 0;
    auto* cmd = app.add_subcommand("view", "Open the map viewer on a project database (--screenshot: render to a PNG and exit)");
    cmd->add_option("DB", db, "Project database")->required();
    cmd->add_option("--tiles", tiles, "Offline raster basemap: an MBTiles file or an XYZ tile folder ({z}/{x}/{y}.png)");
    cmd->add_option("--view", view, "Initial view LON,LAT,ZOOM (default: all layers)");
    cmd->add_option("--size", size, "Window (or screenshot) size WIDTHxHEIGHT, e.g. 1920x1080");
    cmd->add_option("--screenshot", screenshot, "Render without user input into this PNG and exit");
    cmd->add_option("--select", select, "Select (and inspect) the record with this id");
    auto* font_option = cmd->add_option("--font-size", font_size, "Text size in pixels (default: as last set in the viewer, else 16)")
                            ->check(CLI::Range(8.0f, 48.0f));
    cmd->add_option("--hide", hide, "Start with these layers switched off (kinds, e.g. --hide roads,enterprises)")->delimiter(',');
    cmd->add_flag("--no-labels", no_labels, "Start without feature labels");
    // Hidden (no group): the soak test's driver. Pans over the map for N frames and exits 1
    // if resident memory grew more than 5% from frame 1000 to the end.
    cmd->add_option("--soak", soak, "Pan for N frames, then check that resident memory stayed flat")
        ->check(CLI::Range(1, 10000000))
        ->group("");
    cmd->callback([&run, font_option] {
        const bool font_given = font_option->count() > 0;
        run = [font_given] {
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
            if (!std::filesystem::exists(db)) throw IoError("database '" + db + "' does not exist");
            return viewer::run_native_viewer(o);
        };
    });
}

} // namespace vigil::cli

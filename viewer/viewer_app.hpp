/// @file
/// The viewer: one per-frame function shared by the native window (GLFW + OpenGL 3.3) and the
/// browser build (WebGL 2). It reads input through Dear ImGui's IO, lays out the panels, and
/// draws the map with MapRenderer underneath them. The loop that calls frame() belongs to the
/// platform (viewer/main_native.cpp natively).
#pragma once

#include "app/editing.hpp"

#include "app/app_state.hpp"
#include "app/point_clusters.hpp"
#include "app/wall.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vigil::viewer {

struct PanelState;

/// Raster tiles over HTTP (the browser build; `vigil serve --tiles`).
struct HttpTiles {
    std::string url; ///< with {z}/{x}/{y}, XYZ rows
    int min_zoom = 0, max_zoom = 0;
    geo::BBox bounds;  ///< lon/lat
    bool jpeg = false; ///< else PNG
};

struct ViewerOptions {
    std::filesystem::path database;
    std::optional<geo::Coord> view_center; ///< --view LON,LAT,ZOOM
    std::optional<double> view_zoom;
    std::string select_id;                  ///< --select ID
    std::filesystem::path screenshot;       ///< --screenshot OUT.png: render, save, exit
    int width = 1600, height = 900;         ///< window (or screenshot) size in pixels
    std::optional<float> font_size;         ///< logical pixels; unset = the saved setting, else 16
    std::vector<std::string> hidden_layers; ///< --hide KIND: layers switched off at start
    bool labels = true;                     ///< --no-labels: no feature labels at start
    std::filesystem::path settings;         ///< where ImGui keeps the panel layout ("" = none)
    std::filesystem::path tiles;            ///< --tiles: an MBTiles file or XYZ folder ("" = vector basemap only)
    std::optional<HttpTiles> http_tiles;    ///< the browser build's basemap from the server
    std::filesystem::path font_file;        ///< the CJK font ("" = $VIGIL_FONT or the system's Noto Sans CJK)
    std::string project_label;              ///< the menu bar's name for the project ("" = the file name)
    bool read_only = false;                 ///< the browser build: nothing is written, and the UI says so
    /// Dispatchers' edits (team status, incidents, assignments): the store they are committed to,
    /// opened on first use off the frame (the native viewer: the project's SpatiaLite file). None,
    /// or read_only: the viewer does not edit.
    EditStoreOpener open_edits;
    app::Editor editor; ///< who edits and from which seat, for the audit table
    /// Makes an incident's brief as PDF bytes (`vigil view`: the project and tools/brief); none: the
    /// Inspector offers no brief (the browser asks its server instead, once signed in).
    BriefMaker make_brief;
    int soak_frames = 0;                  ///< hidden --soak N: pan for N frames, check resident memory, exit
    std::string as_of;                    ///< --as-of DATE: hidden hazards reckoned at this day ("" = today)
    std::vector<std::string> open_panels; ///< --open PANEL,...: panels open at start (open_panel's names)
    std::string incident;                 ///< --incident ID: loaded into the Dispatch panel and answered
    WallOptions wall;                     ///< --wall: the command-centre wall (no panels; sizes for the room)
    /// The language was given to the program (--lang, VIGIL_LANG, the page's lang=): the one
    /// chosen in Settings does not replace it. Otherwise the saved choice applies.
    bool language_fixed = false;
};

class ViewerApp {
public:
    explicit ViewerApp(ViewerOptions options);
    ~ViewerApp();
    ViewerApp(const ViewerApp&) = delete;
    ViewerApp& operator=(const ViewerApp&) = delete;

    /// Loads the project and sets the initial view. Throws vigil::Error subclasses.
    void load();
    /// Creates GL resources and the fonts; needs a current context and an ImGui context.
    void init_graphics(double pixel_ratio);

    /// One frame: call between ImGui::NewFrame() and ImGui::Render(); draws the map with GL
    /// into the current framebuffer (fb_width x fb_height) and the panels with ImGui.
    void frame(int fb_width, int fb_height, double pixel_ratio);

    /// The monitor's content scale as the platform reports it (GLFW: glfwGetWindowContentScale),
    /// for the automatic UI scale on screens whose window coordinates are already pixels.
    void set_content_scale(float scale);

    /// The wall: works out the visual-angle sizes for a screen `screen_px` framebuffer pixels
    /// wide whose picture the platform reports `reported_width_m` metres wide (0: unknown; the
    /// options' --wall-width wins). Call before init_graphics; no-op without --wall.
    void configure_wall(int screen_px, double reported_width_m);
    /// Framebuffer pixels per logical pixel the wall adds on top of the screen's own ratio (1
    /// without --wall): the platform multiplies its pixel ratio by it (ImGui's display size and
    /// framebuffer scale, the camera's ratio), so that markers, lines, labels and panels all grow.
    float wall_scale() const;
    const WallSizing* wall_sizing() const;
    /// The wall's sizes, the desk's when configure_wall was not called.
    const WallSizing& wall_sizes() const;
    const WallDirector* wall() const;
    /// The wall's clock, seconds since 1970 UTC (system time, or --clock running at --clock-rate).
    double wall_clock_s() const;

    /// True when nothing is still loading (basemap tiles): screenshot mode waits for this.
    bool settled() const;

    /// A click (press and release without a drag) on the map at a framebuffer position: in
    /// select mode a cluster zooms into it and anything else selects what is there (not a point
    /// hidden in a cluster); other modes as handle_map_click. True if it zoomed or selected.
    bool click_map(geo::Coord fb);

    /// The clustering the last frame drew for a layer, if it is drawn clustered at the current
    /// zoom level (null otherwise): for picking and tests.
    const Clustering* clustering(std::string_view kind) const;

    AppState& state() { return m_state; }
    /// The panels' state (what the search box holds, which panels are open): for tests, and
    /// for the platform's hooks (the browser's PanelState::offer_download, its console API).
    const PanelState& panels() const;
    PanelState& panels();
    const ViewerOptions& options() const { return m_options; }

private:
    struct Impl;
    ViewerOptions m_options;
    AppState m_state;
    std::unique_ptr<Impl> m_impl;
};

} // namespace vigil::viewer

/// @file
/// The Dispatch panel's viewer matters, platform-free so that tests drive it headless: the road
/// graph of the loaded project (obtained once per load by core's app::project_road_graph, off
/// the UI thread natively), the answer as the panel keeps it (core's app::DispatchSheet, the
/// ranking `vigil nearest --by road` prints, plus whether it waits for the graph or failed),
/// the colours of the routes on the map, and the scanline fills of the isochrones.
///
/// The question and its answer are core's (vigil/app/dispatch.hpp: app::rank_teams, the supply
/// plan, the isochrones, the CSV and GeoJSON sheet): this file only names them for the viewer.
#pragma once

#include "style.hpp"

#include "platform/jobs.hpp"

#include <vigil/app/dispatch.hpp>
#include <vigil/app/road_graph.hpp>
#include <vigil/geo/geometry.hpp>
#include <vigil/routing/road_graph.hpp>

#include <cstddef>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vigil::model {
class Layer;
} // namespace vigil::model

namespace vigil::viewer {

struct LayerView;

/// The road graph of the loaded project, obtained lazily on the first dispatch question after a
/// load, on a background thread (natively and in the browser, platform/jobs.hpp), by
/// app::project_road_graph: the graph `vigil import` / `vigil demo` stored in the database with
/// its contraction hierarchy when it was built from these roads with the built-in speeds (the
/// numbers of layers/routing/road_speeds.json, which `vigil nearest --by road` reads by default,
/// so the panel and the command line rank alike), else built from the roads layer (no
/// hierarchy: plain Dijkstra, which on a city network still answers within a frame or two).
class RoadNetwork {
public:
    RoadNetwork() = default;
    ~RoadNetwork();
    RoadNetwork(const RoadNetwork&) = delete;
    RoadNetwork& operator=(const RoadNetwork&) = delete;

    /// Forgets the graph; the next start() loads it from `database` or builds it from `roads`
    /// (null: the project has none).
    void reset(std::shared_ptr<const model::Layer> roads, std::filesystem::path database);
    /// Starts building if nothing was started since reset(). Never throws: a failure is error().
    void start();
    /// The graph once built, else null (still building, failed, or no roads).
    const routing::RoadGraph* graph();
    /// The same graph, shared: for a background job that may outlive a reload.
    std::shared_ptr<const routing::RoadGraph> shared_graph() {
        collect();
        return m_graph;
    }
    /// True while the worker runs.
    bool building();
    /// Blocks until the build (if started) has finished: for tests and screenshot mode.
    void wait();
    /// Why there is no graph ("" while building or when there is one).
    const std::string& error() const { return m_error; }
    /// Milliseconds loading or building the graph took (0 before).
    double build_ms() const { return m_built.ms; }
    /// Whether the graph came from the database (with its hierarchy) rather than the layer.
    bool from_store() const { return m_built.from_store(); }
    /// Why the stored graph was not used ("" when it was): none stored, stale, or damaged.
    const std::string& store_note() const { return m_built.note; }
    /// Where the graph came from and why, as core says it (to_json(...) for the page).
    const app::ProjectRoadGraph& obtained() const { return m_built; }

    /// What obtaining the graph produced (the worker's result).
    using Obtained = app::ProjectRoadGraph;

private:
    void collect();

    std::shared_ptr<const model::Layer> m_roads;
    std::filesystem::path m_database;
    std::shared_ptr<const routing::RoadGraph> m_graph;
    platform::BackgroundJob<Obtained> m_job;
    bool m_started = false;
    std::string m_error;
    Obtained m_built; ///< all but the graph (moved to m_graph), once collected
};

// The question and the answer's parts are core's (app/dispatch.hpp), under the viewer's names.
using Rings = app::Rings;
using DispatchQuery = app::DispatchQuery;
using DispatchTeam = app::DispatchTeam;
using DispatchIsochrone = app::IsochroneArea;
using app::closure_geometry;
using app::dispatch_csv;
using app::dispatch_geojson;

/// The answer as AppState keeps it for the panel, the overlay and the sheet: core's, plus what
/// only a window has (a question waiting for the road graph, an error shown in the panel).
struct DispatchSheet : app::DispatchSheet {
    std::string error;    ///< why it could not run; the rest is then empty
    bool pending = false; ///< waiting for the road graph
};

/// Answers `q` over the viewer's layers (all of their records, whatever the Layers panel's
/// filters show) and road graph with app::rank_teams. Errors in the question (unknown
/// capability, no such layer) come back in DispatchSheet::error, never as exceptions: the panel
/// shows them.
DispatchSheet run_dispatch(const std::vector<LayerView>& layers, const routing::RoadGraph& graph, const DispatchQuery& q);

/// The route colours by rank (1 = red, 2 = blue, 3 = bluish green, 4 = orange, ...), and the
/// grey of the routes past them.
inline constexpr Rgba k_route_palette[] = {{204, 0, 0, 255},     {0, 114, 178, 255},  {0, 158, 115, 255}, {230, 159, 0, 255},
                                           {204, 121, 167, 255}, {86, 180, 233, 255}, {120, 80, 40, 255}, {100, 60, 160, 255},
                                           {150, 150, 40, 255},  {0, 80, 80, 255}};
inline constexpr Rgba k_route_other{97, 97, 97, 150};

/// How a team's route is drawn: the first `top_n` (at most the palette's ten) in bold colours by
/// rank, each distinct, the others thin and grey so the map stays readable with fifty teams.
struct RouteStyle {
    Rgba colour;
    float width = 2;
    bool highlighted = false;
};
RouteStyle route_style(std::size_t rank, std::size_t top_n);

/// Horizontal spans covering polygons on the screen, for translucent fills drawn as rectangles
/// (no triangulation: works for the concave, holed outlines of isochrones and plumes). Rings
/// are in screen coordinates; a span row every `step` pixels from y0 to y1, even-odd rule
/// over all rings (holes, and overlaps of the rings of one area, are left out).
struct FillSpan {
    float y = 0, x0 = 0, x1 = 0;
};
std::vector<FillSpan> fill_spans(const std::vector<std::vector<geo::Coord>>& rings, double y0, double y1, double step);

/// "12.5 min" / "—" for +inf.
std::string format_minutes(double seconds);

} // namespace vigil::viewer

/// @file
/// The Dispatch panel's logic, platform-free so that tests drive it headless: the road graph of
/// the loaded project (built once per load, off the UI thread natively), the dispatch question
/// (an incident, the capabilities and statuses a team must have, the supplies needed, roads
/// closed), its answer (teams ranked by ETA = turnout + travel time exactly as `vigil nearest
/// --by road` ranks them, unreachable teams after the others; the warehouses chosen for the
/// needs), the colours of the routes on the map, and the dispatch sheet as CSV and GeoJSON text.
///
/// Every computation is a call into core (routing::Router, routing::rank_by_eta,
/// dispatch::plan_supply): this file only gathers the layers' records for them and lays out
/// what they answer.
#pragma once

#include "style.hpp"

#include "platform/jobs.hpp"

#include <vigil/dispatch/supply.hpp>
#include <vigil/geo/geometry.hpp>
#include <vigil/query/nearest.hpp>
#include <vigil/routing/isochrone.hpp>
#include <vigil/routing/one_to_many.hpp>
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
/// load, on a background thread (natively and in the browser, platform/jobs.hpp): the
/// graph `vigil import` / `vigil demo` stored in the database with its contraction hierarchy
/// (store/road_graph_store.hpp) when it was built from these roads with the built-in speeds, as
/// `vigil nearest --by road` uses it; else built from the roads layer (no hierarchy: plain
/// Dijkstra, which on a city network still answers within a frame or two).
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
    /// True while the worker runs.
    bool building();
    /// Blocks until the build (if started) has finished: for tests and screenshot mode.
    void wait();
    /// Why there is no graph ("" while building or when there is one).
    const std::string& error() const { return m_error; }
    /// Milliseconds loading or building the graph took (0 before).
    double build_ms() const { return m_built.ms; }
    /// Whether the graph came from the database (with its hierarchy) rather than the layer.
    bool from_store() const { return m_built.from_store; }
    /// Why the stored graph was not used although there is one ("" otherwise): it is damaged.
    const std::string& store_note() const { return m_built.note; }

    /// What obtaining the graph produced (the worker's result).
    struct Obtained {
        std::shared_ptr<const routing::RoadGraph> graph;
        bool from_store = false;
        std::string note;
        double ms = 0;
    };

private:
    void collect();

    std::shared_ptr<const model::Layer> m_roads;
    std::filesystem::path m_database;
    std::shared_ptr<const routing::RoadGraph> m_graph;
    platform::BackgroundJob<Obtained> m_job;
    bool m_started = false;
    std::string m_error;
    Obtained m_built; ///< all but the graph, once collected
};

/// A closed polygon (outer ring first, closed: first == last), WGS84.
using Rings = std::vector<std::vector<geo::Coord>>;

/// "Which teams, and what supplies, for an incident here?"
struct DispatchQuery {
    geo::Coord at{};                    ///< WGS84
    std::string place;                  ///< how the incident was placed, for the sheet ("点击地图", an enterprise's name)
    std::string kind = "rescue_teams";  ///< the layer teams come from
    query::FilterSpec filter;           ///< need / status
    std::string needs;                  ///< "中和剂:5t,吸附棉:2000kg" ("" = no supplies asked)
    std::vector<Rings> closures;        ///< roads inside these polygons are closed (hazard red zone)
    std::size_t top_n = 5;              ///< routes highlighted on the map
    std::vector<double> isochrone_minutes{5, 10, 15, 30};
};

/// One team in the answer.
struct DispatchTeam {
    std::size_t row = 0;          ///< in the team layer
    std::string id, name, status, capabilities;
    geo::Coord at{};              ///< the team's base
    double air_m = 0;             ///< as the crow flies
    bool reachable = false;
    double turnout_s = 0;
    double eta_s = 0, travel_s = 0, road_m = 0; ///< +inf when unreachable
    std::vector<geo::Coord> route; ///< base -> incident (empty if unreachable)
};

/// One warehouse the supply plan sends, with what it gives (all of it arrives at eta_s).
struct DispatchDepot {
    std::size_t row = 0;          ///< in the warehouses layer
    std::string id, name;
    geo::Coord at{};
    double eta_s = 0;
    std::vector<std::string> gives; ///< "中和剂 5 t"
    std::vector<geo::Coord> route;
};

/// One need as the plan fills it: what arrives when, soonest first.
struct DispatchNeed {
    std::string item, unit;       ///< unit "" for a count
    double needed = 0;
    struct Part {
        std::string depot_id, depot_name;
        double quantity = 0, eta_s = 0;
    };
    std::vector<Part> parts;      ///< by ETA
    double covered_s = 0;         ///< when it is covered; +inf with a shortfall
};

/// What is missing when the whole region cannot cover a need.
struct DispatchShortfall {
    std::string item, unit;
    double needed = 0, available = 0, missing = 0;
};

/// One isochrone band: the area from which the incident is reached within `minutes`.
struct DispatchIsochrone {
    double minutes = 0;
    geo::Geometry area; ///< MultiPolygon (empty when nothing is reached)
};

/// The answer, kept by AppState for the panel, the overlay and the sheet.
struct DispatchSheet {
    DispatchQuery query;
    std::vector<DispatchTeam> teams;   ///< reachable by ETA, then unreachable (rank_by_eta's order)
    bool supplies_asked = false;
    std::vector<DispatchDepot> depots; ///< warehouses sent, by ETA
    std::vector<DispatchNeed> supply_needs; ///< per need that parsed: the split, soonest first
    std::vector<DispatchShortfall> shortfall;
    bool supply_complete = false;      ///< every need covered (only then is supply_arrival_s "all there")
    double supply_first_s = 0;         ///< the first warehouse's ETA (0: no depot)
    double supply_arrival_s = 0;       ///< the last warehouse's ETA (0: no depot)
    std::string supply_headline;       ///< dispatch::supply_headline: the shortfall first when there is one
    /// Needs that could not be read ("吸附棉2000kg": no colon) and other reasons the supply part
    /// could not answer (no warehouses layer). They never empty the team list.
    std::vector<std::string> supply_problems;
    std::vector<DispatchIsochrone> isochrones; ///< by minutes ascending
    std::size_t closed_segments = 0;   ///< road segments the closures took out
    /// Where the teams are sent when the incident lies in a closed area (or on a closed road):
    /// the nearest road node outside the closures that an open road leaves, the responders'
    /// staging point. Unset when the incident itself is reachable.
    std::optional<geo::Coord> staging;
    std::vector<std::string> notes;    ///< the chooser's notes (unit mismatches)
    std::string error;                 ///< why it could not run; the rest is then empty
    bool pending = false;              ///< waiting for the road graph
    double query_ms = 0;               ///< the search(es) and the chooser, for the status line
};

/// Answers `q` over the project's layers and road graph (see the file comment). Errors in the
/// question (unknown capability, no such layer) come back in DispatchSheet::error, never as
/// exceptions: the panel shows them. A need that does not parse is only flagged
/// (DispatchSheet::supply_problems): the teams and the other needs are still answered.
DispatchSheet run_dispatch(const std::vector<LayerView>& layers, const routing::RoadGraph& graph, const DispatchQuery& q);

/// How a team's route is drawn: the first `top_n` in bold colours by rank (1 = red, 2 = orange,
/// ...), the others thin and grey so the map stays readable with fifty teams.
struct RouteStyle {
    Rgba colour;
    float width = 2;
    bool highlighted = false;
};
RouteStyle route_style(std::size_t rank, std::size_t top_n);

/// The dispatch sheet as CSV (UTF-8 with a BOM, so that Excel opens the Chinese right): one row
/// per incident, team, warehouse and shortfall, columns
/// type,rank,id,name,reachable,eta_min,travel_min,turnout_min,road_km,air_km,lon,lat,detail.
std::string dispatch_csv(const DispatchSheet& sheet);
/// The sheet as a GeoJSON FeatureCollection: the incident (Point), the teams (Point, with the
/// CSV's fields) and their routes (LineString), the warehouses and the closed areas (Polygon);
/// top-level members supply_headline, supply_problems and shortfall.
std::string dispatch_geojson(const DispatchSheet& sheet);

/// The polygon of the closure rings (a Polygon, or a MultiPolygon for several).
geo::Geometry closure_geometry(const std::vector<Rings>& closures);

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

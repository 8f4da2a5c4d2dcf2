/// @file
/// What every question by road shares, written once for `vigil nearest --by road`, `vigil
/// supply`, `vigil isochrone`, `vigil coverage`, the Dispatch panel and the browser:
///
/// - the project's road graph: the one `vigil import` / `vigil demo` stored with its contraction
///   hierarchy when it is current, else built from the roads layer, and why (a value the CLI
///   prints as a note and the viewer shows);
/// - road closures: polygons (a hazard's red zone, an area drawn in QGIS) whose roads are shut;
/// - the staging point: nobody drives into a closed area, so when the incident lies inside a
///   closure (or on a closed road) the responders are sent to the nearest road node outside the
///   closures that an open road leaves:
///
///         closure                      a closed segment can only be entered at its ends, so a
///        +-----------+                 point on one is unreachable; the staging node S is the
///        |  x--o--o  |--o--S====       nearest node (as the crow flies from the incident x)
///        |  incident |                 outside every closure with at least one open arc
///        +-----------+
#pragma once

#include <vigil/geo/geometry.hpp>
#include <vigil/routing/road_graph.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace vigil::model {
class Layer;
} // namespace vigil::model

namespace vigil::store {
class Project;
} // namespace vigil::store

namespace vigil::app {

/// One closed area: a polygon's rings (outer first, then holes), each closed (first == last),
/// WGS84 lon/lat degrees.
using Rings = std::vector<std::vector<geo::Coord>>;

/// How to obtain the road graph.
struct RoadGraphOptions {
    /// The speeds per road class; the stored graph is used only if it was built with these.
    routing::SpeedProfile speeds = routing::SpeedProfile::defaults();
    /// When the graph has to be built: with its contraction hierarchy (seconds on a 1M-edge
    /// network, then every query takes milliseconds) or without (plain Dijkstra, which answers a
    /// city network within a frame or two: the viewer's choice for a graph built on demand).
    bool build_hierarchy = true;
};

/// Where the graph came from.
enum class RoadGraphSource : std::uint8_t {
    stored,      ///< the stored graph, current, with its hierarchy
    none_stored, ///< built: the database holds no road graph
    stale,       ///< built: the stored one is of other roads, other speeds or an older speed rule
    damaged,     ///< built: the stored one could not be read
    layer_only,  ///< built: no database was given (layer_road_graph)
};

/// The graph and why it is the one it is.
struct ProjectRoadGraph {
    std::shared_ptr<const routing::RoadGraph> graph;
    RoadGraphSource source = RoadGraphSource::layer_only;
    /// Why the stored graph was not used, Chinese then English, naming the database ("" when
    /// it was used). The CLI prints it as a note, the Dispatch panel under the graph's line.
    std::string note;
    double ms = 0; ///< obtaining it took (milliseconds)

    bool from_store() const { return source == RoadGraphSource::stored; }
};

/// The project's road graph (see the file comment). `roads`: the roads layer when the caller
/// holds it already (the viewer), else it is loaded from the project when needed. A stored graph
/// that cannot be read is never fatal: the layer has everything needed, and `note` says why.
/// @throws vigil::UsageError "… has no roads" (naming the database) if there are none.
ProjectRoadGraph project_road_graph(const store::Project& project, const RoadGraphOptions& options = {},
                                    std::shared_ptr<const model::Layer> roads = nullptr);

/// The graph built from a roads layer alone (no database at hand).
/// @throws vigil::UsageError for an empty layer.
ProjectRoadGraph layer_road_graph(const model::Layer& roads, const RoadGraphOptions& options = {});

/// {"source": "stored"|"none_stored"|…, "from_store", "note", "nodes", "segments", "hierarchy", "ms"}.
nlohmann::ordered_json to_json(const ProjectRoadGraph& g);

/// The closures as one geometry (a Polygon, or a MultiPolygon for several; empty for none).
geo::Geometry closure_geometry(const std::vector<Rings>& closures);

/// The segments of `graph` inside or crossing any closure (ascending; none for no closures).
std::vector<std::uint32_t> closed_segments(const routing::RoadGraph& graph, const std::vector<Rings>& closures);

/// Where responders are sent for an incident at `at` (see the file comment).
struct Staging {
    /// The node responders drive to instead of the incident; unset when the incident itself is
    /// reachable (outside every closure and not on a closed road).
    std::optional<geo::Coord> point;
    /// True when the incident is closed off (inside a closure or on a closed road) whether or not
    /// a staging node was found: without one every answer is "unreachable".
    bool incident_closed = false;
    double distance_m = 0; ///< staging point to incident, geodesic
    /// What the answer assumed, Chinese then English ("" when the incident is reachable).
    std::string note;

    /// Reads like the std::optional<geo::Coord> of the point (what callers mostly want).
    explicit operator bool() const { return point.has_value(); }
    const geo::Coord& operator*() const { return *point; }
};

/// The staging point for `at` given the closures and their `closed` segments
/// (closed_segments()); `max_snap_m` as routing::SearchOptions::max_snap_m.
Staging staging_point(const routing::RoadGraph& graph, geo::Coord at, const std::vector<Rings>& closures,
                      std::span<const std::uint32_t> closed, double max_snap_m);

} // namespace vigil::app

/// @file
/// Isochrones: which parts of the road network lie within T seconds of a point (or of any of
/// several points, for coverage), as node times and as lon/lat polygons.
///
/// Node times come from Router::node_times() (one_to_many.hpp): PHAST over the contraction
/// hierarchy, or a Dijkstra bounded by T without one or with closed roads. The polygons are
/// built here from those times:
///
///     1. every segment with a reached end contributes the part of it reachable in time:
///          the whole segment if both ends are within T, else from the reached end
///          (T - t(end)) / T(segment) of its length, if driving that way is allowed;
///     2. those pieces are buffered by `buffer_m` on a raster in a local metric frame
///          (a cell is marked when its centre lies within buffer_m of a piece);
///     3. the raster's outline is traced cell edge by cell edge into closed rings (outer rings
///          counter-clockwise, holes clockwise), collinear vertices dropped, and each hole
///          assigned to the outer ring that contains it.
///
///         . . . . . . .        reachable road ====, buffer #, the outline follows the
///         . # # # # # .        marked cells, so land across a river that is reached only
///         . # ===== # .        far away stays outside: the polygon hugs the roads
///         . # # # # # .        actually reachable instead of hulling their ends.
///
/// Why a raster and not a geometric union: core must build with Emscripten and without GEOS
/// (no GEOS in core, see docs/routing.md). Buffering tens of thousands of segments and unioning
/// them exactly is GEOS's job and slow even there; a raster union is linear in the cells touched,
/// simple to get right (no robustness issues), and its error (half a cell) is below what a
/// dispatcher reads off a map. The price: outlines are staircases at cell resolution.
#pragma once

#include <vigil/geo/geometry.hpp>
#include <vigil/routing/road_graph.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace vigil::routing {

/// Which way the travel time runs.
enum class TravelDirection : std::uint8_t {
    from_points, ///< from the point(s) outward: "how far can a team at X get in T?"
    to_points,   ///< towards the point(s): "who can be at the incident within T?"
};

/// Travel times of the nodes reached within a limit. Times in seconds, access leg of the
/// point(s) included (at SpeedProfile::access_kmh).
struct NodeTimes {
    TravelDirection direction = TravelDirection::to_points;
    double limit_s = 0;
    std::vector<std::uint32_t> nodes; ///< graph node ids with time <= limit_s, ascending
    std::vector<double> time_s;       ///< time_s[i] belongs to nodes[i]
};

/// Options of the polygon builder.
struct IsochronePolygonOptions {
    /// Half-width of the corridor kept around each reachable road piece, metres.
    double buffer_m = 60;
    /// Raster cell size, metres; 0 = buffer_m / 2, enlarged if the raster would pass
    /// max_cells.
    double cell_m = 0;
    /// Upper bound on raster cells (memory: five bytes each, the mask and a component label).
    std::size_t max_cells = 4u << 20;
};

/// One band of an isochrone.
struct IsochroneBand {
    double limit_s = 0;
    /// MultiPolygon in lon/lat (outer rings counter-clockwise, holes clockwise); an empty
    /// Geometry (type None) when nothing is reached.
    geo::Geometry area;
};

/// Polygons of the areas reachable within each of `limits_s` (seconds, e.g. 300, 600, 900,
/// 1800), one band per limit in the given order. `times` must come from `graph` and reach at
/// least the largest limit (times.limit_s >= max(limits_s)).
/// @throws vigil::UsageError for a limit above times.limit_s, a non-positive or NaN limit, or
///         a non-positive buffer.
std::vector<IsochroneBand> isochrone_polygons(const RoadGraph& graph, const NodeTimes& times, std::span<const double> limits_s,
                                              const IsochronePolygonOptions& options = {});

} // namespace vigil::routing

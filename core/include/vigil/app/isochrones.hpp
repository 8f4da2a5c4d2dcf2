/// @file
/// "From where is this place reached within 5/10/15/30 minutes?" (or: how far do the teams of a
/// capability get) — the isochrones of `vigil isochrone` and of the Dispatch panel: the travel
/// time of every road node within the largest limit (Router::node_times: PHAST + threshold with a
/// hierarchy), then the area around the roads reached within each limit
/// (routing::isochrone_polygons).
#pragma once

#include <vigil/app/layer_set.hpp>
#include <vigil/app/road_graph.hpp>
#include <vigil/geo/geometry.hpp>
#include <vigil/query/nearest.hpp>
#include <vigil/routing/isochrone.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace vigil::app {

struct IsochroneQuery {
    std::optional<geo::Coord> at;               ///< start from this point (WGS84) ...
    std::string from_layer;                     ///< ... or from every record of this layer that passes `filter`
    query::FilterSpec filter;                   ///< with from_layer: need / status
    std::vector<double> minutes{5, 10, 15, 30}; ///< the limits (0 < m <= 1440), any order
    /// from_points: driving away from the start ("how far can a team at X get?"); to_points:
    /// towards it ("who can be here within T?").
    routing::TravelDirection direction = routing::TravelDirection::from_points;
    std::vector<Rings> closures; ///< roads inside these polygons are closed
    double max_snap_m = 10000;
};

/// One band.
struct IsochroneArea {
    double minutes = 0;
    geo::Geometry area;    ///< MultiPolygon, empty when nothing is reached
    std::size_t nodes = 0; ///< road nodes reached within the limit
    double area_km2 = 0;
};

struct IsochroneResult {
    std::string start;      ///< "(113.000000, 34.992000)" or "4 救援队伍"
    std::size_t points = 0; ///< start points
    routing::TravelDirection direction = routing::TravelDirection::from_points;
    std::vector<IsochroneArea> bands; ///< by minutes ascending
    std::size_t closed_segments = 0;
    double search_ms = 0, polygon_ms = 0;
};

/// The isochrones (see the file comment).
/// @throws vigil::UsageError for no start or two, a limit outside 0..1440 min, no such layer or
///         no record passing the filter, an unknown capability or status.
IsochroneResult isochrones(const LayerSet& layers, const routing::RoadGraph& graph, const IsochroneQuery& query);

/// The question as the browser's page asks it (`window.vigil.isochrones(request)`): the keys are
/// `vigil isochrone`'s options with `_` for `-`: `at` [lon, lat] or `from_layer` (with `need`,
/// `status`: a comma-separated string or an array), `minutes` (a number or an array),
/// `direction` ("from" | "to"), `max_snap`, `closures` (polygons as GeoJSON Polygon
/// coordinates). docs/json.md, "Isochrones".
/// @throws vigil::UsageError naming the key for a mistyped or unknown key.
IsochroneQuery isochrone_query_from_json(const nlohmann::json& j);

/// Area of a lon/lat polygon set in km² (local equirectangular projection: isochrones span tens
/// of kilometres, where its error is far below the raster's).
double area_km2(const geo::Geometry& g);

/// {"query": {start, points, direction, closed_segments, search_ms, polygon_ms}, "bands":
/// [{minutes, nodes, area_km2, geometry}]} (docs/json.md, "Isochrones").
nlohmann::ordered_json to_json(const IsochroneResult& r);
/// The bands as a GeoJSON FeatureCollection: one MultiPolygon feature per limit with minutes,
/// direction, area_km2, nodes.
nlohmann::ordered_json to_geojson(const IsochroneResult& r);

} // namespace vigil::app

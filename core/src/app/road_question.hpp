/// @file
/// What the road services (dispatch, supply, isochrones, coverage) share inside the core: the
/// closures turned into search options, a record's point and turnout, and the JSON helpers of
/// their results. Private to core/src/app.
#pragma once

#include "geojson_out.hpp"

#include <vigil/app/isochrones.hpp>
#include <vigil/app/road_graph.hpp>
#include <vigil/app/supply.hpp>
#include <vigil/catalog/catalog.hpp>
#include <vigil/model/layer.hpp>
#include <vigil/routing/one_to_many.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <span>
#include <string>
#include <vector>

namespace vigil::app::detail {

using Clock = std::chrono::steady_clock;
inline double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

/// The closed segments and the search options over them, and where responders drive to (the
/// incident, or the staging point when `stage` and the incident is closed off). Neither copied
/// nor moved: `options` points into `closed`.
struct RoadQuestion {
    std::vector<std::uint32_t> closed;
    routing::SearchOptions options;
    geo::Coord target{};
    Staging staging;

    RoadQuestion(const routing::RoadGraph& graph, geo::Coord at, const std::vector<Rings>& closures, double max_snap_m, bool stage);
    RoadQuestion(const RoadQuestion&) = delete;
    RoadQuestion& operator=(const RoadQuestion&) = delete;
};

/// Where a record stands for routing: its point, or a representative point of a line or area.
geo::Coord record_point(const model::Layer& layer, std::size_t row);
/// The record's turnout (the kind's Turnout field, minutes) in seconds; 0 without one.
double record_turnout_s(const model::Layer& layer, std::size_t row);
/// The record's name, else its id.
std::string record_title(const model::Layer& layer, std::size_t row);
/// The display text of the field of `role` ("" without one).
std::string field_text(const model::Layer& layer, std::size_t row, catalog::FieldRole role);

/// The isochrone bands around `points` for `limits_s` (ascending), timed.
std::vector<IsochroneArea> isochrone_bands(routing::Router& router, const routing::RoadGraph& graph, std::span<const geo::Coord> points,
                                           std::span<const double> limits_s, routing::TravelDirection direction,
                                           const routing::SearchOptions& options, double& search_ms, double& polygon_ms);

/// cover_supplies() towards `road.target` over `road`'s closures.
SupplyResult cover_supplies(const LayerSet& layers, const routing::RoadGraph& graph, const SupplyQuery& query, const RoadQuestion& road);

// JSON helpers: coordinates to 1e-7 degrees (about 1 cm), +inf as null.
inline double round_to(double v, double scale) { return std::round(v * scale) / scale; }
inline nlohmann::ordered_json number_or_null(double v, double scale) {
    return std::isfinite(v) ? nlohmann::ordered_json(round_to(v, scale)) : nlohmann::ordered_json(nullptr);
}
nlohmann::ordered_json line_json(std::span<const geo::Coord> pts);
/// A Polygon / MultiPolygon as a GeoJSON geometry (null when empty).
nlohmann::ordered_json polygon_json(const geo::Geometry& g);
/// {"lon", "lat", "distance_m", "note"}, or null when the incident is reachable itself.
nlohmann::ordered_json staging_json(const Staging& s);

} // namespace vigil::app::detail

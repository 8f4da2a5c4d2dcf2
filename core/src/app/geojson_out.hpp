/// @file
/// How every service writes GeoJSON: coordinates rounded to 1e-7 degrees (about 1 cm), points,
/// coordinate lists, and Features. One place, so the zones, the risk contours and the road
/// services' outputs cannot drift apart. Templated on the JSON type because some results are
/// written as nlohmann::json (sorted members) and some as ordered_json (members in the order
/// written); the numbers are the same. Private to core/src/app.
#pragma once

#include <vigil/geo/geometry.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <span>

namespace vigil::app::detail {

inline double round7(double v) { return std::round(v * 1e7) / 1e7; }

/// [[lon, lat], ...], rounded.
template <class Json = nlohmann::ordered_json> Json coords_json(std::span<const geo::Coord> pts) {
    Json a = Json::array();
    for (const auto& c : pts) a.push_back({round7(c.x), round7(c.y)});
    return a;
}

/// A GeoJSON Point geometry, rounded.
template <class Json = nlohmann::ordered_json> Json point_json(geo::Coord c) {
    return {{"type", "Point"}, {"coordinates", {round7(c.x), round7(c.y)}}};
}

/// A GeoJSON Feature.
template <class Json> Json feature(Json properties, Json geometry) {
    return {{"type", "Feature"}, {"properties", std::move(properties)}, {"geometry", std::move(geometry)}};
}

} // namespace vigil::app::detail

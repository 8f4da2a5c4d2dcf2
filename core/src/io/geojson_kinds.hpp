/// @file
/// GeoJSON geometry type names (internal to core/src/io): "MultiPolygon" -> GeoKind, how deep
/// positions nest in "coordinates", and the core geometry type. Header-only and in an anonymous
/// namespace because geometry_kind() runs once per feature of an import and must inline into the
/// parser (geojson_reader.cpp), like the JSON cursor's scanners.
#pragma once

#include <vigil/geo/geometry.hpp>

#include <cstdint>
#include <string_view>

namespace vigil::io {
namespace {

enum class GeoKind : std::uint8_t {
    Unknown,
    Point,
    LineString,
    Polygon,
    MultiPoint,
    MultiLineString,
    MultiPolygon,
    GeometryCollection,
};

GeoKind geometry_kind(std::string_view t) {
    switch (t.size()) {
    case 5: return t == "Point" ? GeoKind::Point : GeoKind::Unknown;
    case 7: return t == "Polygon" ? GeoKind::Polygon : GeoKind::Unknown;
    case 10: return t == "LineString" ? GeoKind::LineString : t == "MultiPoint" ? GeoKind::MultiPoint : GeoKind::Unknown;
    case 12: return t == "MultiPolygon" ? GeoKind::MultiPolygon : GeoKind::Unknown;
    case 15: return t == "MultiLineString" ? GeoKind::MultiLineString : GeoKind::Unknown;
    case 18: return t == "GeometryCollection" ? GeoKind::GeometryCollection : GeoKind::Unknown;
    default: return GeoKind::Unknown;
    }
}

/// Nesting of positions inside "coordinates": 0 for a Point (the array is the position itself),
/// 1 for lists of positions, 2 for lists of rings/lines, 3 for MultiPolygon.
int position_level(GeoKind k) {
    switch (k) {
    case GeoKind::Point: return 0;
    case GeoKind::LineString:
    case GeoKind::MultiPoint: return 1;
    case GeoKind::Polygon:
    case GeoKind::MultiLineString: return 2;
    case GeoKind::MultiPolygon: return 3;
    default: return -1;
    }
}

geo::GeometryType geometry_type_of(GeoKind k) {
    switch (k) {
    case GeoKind::Point: return geo::GeometryType::Point;
    case GeoKind::LineString: return geo::GeometryType::LineString;
    case GeoKind::Polygon: return geo::GeometryType::Polygon;
    case GeoKind::MultiPoint: return geo::GeometryType::MultiPoint;
    case GeoKind::MultiLineString: return geo::GeometryType::MultiLineString;
    case GeoKind::MultiPolygon: return geo::GeometryType::MultiPolygon;
    default: return geo::GeometryType::None;
    }
}

const char* kind_name(GeoKind k) {
    switch (k) {
    case GeoKind::Point: return "Point";
    case GeoKind::LineString: return "LineString";
    case GeoKind::Polygon: return "Polygon";
    case GeoKind::MultiPoint: return "MultiPoint";
    case GeoKind::MultiLineString: return "MultiLineString";
    case GeoKind::MultiPolygon: return "MultiPolygon";
    case GeoKind::GeometryCollection: return "GeometryCollection";
    default: return "geometry";
    }
}

} // namespace
} // namespace vigil::io

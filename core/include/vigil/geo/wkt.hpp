/// @file
/// OGC Well-Known Text, for CSV files that carry geometry in a WKT column and for messages.
#pragma once

#include <vigil/geo/geometry.hpp>

#include <string>
#include <string_view>

namespace vigil::geo {

/// Parses POINT, LINESTRING, POLYGON and their MULTI forms (case-insensitive, optional Z/M/ZM
/// tag whose extra ordinates are dropped, EMPTY accepted and returned as GeometryType::None).
/// Throws vigil::FormatError naming the character offset and what was expected.
Geometry parse_wkt(std::string_view wkt);

/// Writes WKT with shortest round-trip numbers ("POINT (113.24 35.22)").
std::string to_wkt(const Geometry& g);

} // namespace vigil::geo

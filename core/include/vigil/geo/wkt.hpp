/// @file
/// OGC Well-Known Text, for CSV files that carry geometry in a WKT column and for messages.
#pragma once

#include <vigil/geo/geometry.hpp>

#include <string>
#include <string_view>

namespace vigil::geo {

/// Parses POINT, LINESTRING, POLYGON and their MULTI forms (case-insensitive, optional Z/M/ZM
/// tag whose extra ordinates are dropped, EMPTY accepted and returned as GeometryType::None;
/// EMPTY parts inside a Multi* are kept as empty parts; an EWKT "SRID=n;" prefix is skipped).
/// Throws vigil::FormatError naming the character offset and what was expected.
Geometry parse_wkt(std::string_view wkt);

/// Writes WKT with shortest round-trip numbers ("POINT (113.24 35.22)"); parse_wkt reads it back
/// exactly. None is written as "GEOMETRYCOLLECTION EMPTY", which parse_wkt accepts as None.
std::string to_wkt(const Geometry& g);

} // namespace vigil::geo

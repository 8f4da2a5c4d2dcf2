/// @file
/// OGC Well-Known Binary: the geometry encoding of GeoPackage, PostGIS and GDAL.
#pragma once

#include <vigil/geo/geometry.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace vigil::geo {

/// Appends the little-endian 2D ISO WKB of `g` to `out`. None encodes as nothing (returns false).
/// Empty Multi* and empty parts are written with zero counts. `g` must be is_well_formed().
bool encode_wkb(const Geometry& g, std::vector<std::uint8_t>& out);

/// Decodes WKB (either byte order; ISO and EWKB-style Z/M flags, whose extra ordinates are
/// dropped; GeometryCollection is refused). Throws vigil::FormatError with the reason and the
/// byte offset on malformed input: truncated data, counts larger than the remaining bytes,
/// non-finite coordinates (so also the NaN encoding of POINT EMPTY), unclosed or too-short
/// polygon rings, nesting beyond Multi*, trailing bytes. Memory use is bounded by the input size.
Geometry decode_wkb(std::span<const std::uint8_t> wkb);

} // namespace vigil::geo

/// @file
/// SpatiaLite's internal geometry BLOB (what a SpatiaLite `geom` column holds), so that the
/// platform-free core can read and write SpatiaLite databases with plain SQLite.
///
/// Layout (little-endian here; both byte orders decoded):
///
///     0x00 | endian(0x01) | srid:int32 | mbr_min_x mbr_min_y mbr_max_x mbr_max_y : double |
///     0x7C | class type:int32 | geometry body ... | 0xFE
///
/// Collections repeat each item as 0x69 | class type | body. Only the 2D classes
/// (1..6) are written; XYZ/XYM/XYZM (1001.., 2001.., 3001..) and the compressed classes
/// (1000000+) are decoded with their extra ordinates dropped, and so are SpatiaLite's
/// TinyPoint blobs (0x00 | 0x81 or 0x80 | srid | class byte | coordinates | 0xFE).
/// GeometryCollection (class 7) is refused.
#pragma once

#include <vigil/geo/geometry.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace vigil::geo {

/// Encodes `g` with `srid` (4326 for every Vigil layer); byte-identical to SpatiaLite's own blobs.
/// @throws vigil::FormatError if `g` is None or empty: SpatiaLite has no empty geometries (a
/// missing geometry is a NULL column), and an empty one would have no MBR.
std::vector<std::uint8_t> encode_spatialite_blob(const Geometry& g, std::int32_t srid = 4326);
/// Encodes into `out` (cleared first), to reuse one buffer across a large import.
void encode_spatialite_blob(const Geometry& g, std::int32_t srid, std::vector<std::uint8_t>& out);

struct SpatialiteBlobInfo {
    std::int32_t srid = 0;
    BBox mbr;
};

/// Decodes a SpatiaLite BLOB. Throws vigil::FormatError (with the byte offset) on anything that
/// does not follow the layout, including counts that exceed the blob's size.
Geometry decode_spatialite_blob(std::span<const std::uint8_t> blob, SpatialiteBlobInfo* info = nullptr);

/// Reads only the header (SRID and MBR) without decoding the body.
/// @throws vigil::FormatError if the header is malformed or the MBR is not finite and ordered.
SpatialiteBlobInfo read_spatialite_blob_header(std::span<const std::uint8_t> blob);

} // namespace vigil::geo

/// @file
/// Any CRS PROJ knows -> WGS84 lon/lat. @attention links PROJ (vigil_gdal_import).
#pragma once

#include <vigil/importing/coordinate_transform.hpp>

#include <memory>
#include <string>

namespace vigil::gdal {

/// A CoordinateTransform for `crs`: Vigil's own names first (wgs84, cgcs2000, gcj02, bd09:
/// importing::make_core_transform), then anything PROJ understands ("EPSG:4547", WKT, a PROJ
/// string). Throws vigil::UsageError naming the CRS if neither knows it.
std::unique_ptr<importing::CoordinateTransform> make_transform(const std::string& crs);

/// The short name of a CRS for records and messages ("EPSG:4547" when it has an EPSG code,
/// else its name). Throws vigil::UsageError if PROJ cannot read it.
std::string describe_crs(const std::string& crs);

} // namespace vigil::gdal

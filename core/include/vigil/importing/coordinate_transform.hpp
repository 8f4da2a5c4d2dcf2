/// @file
/// Source CRS -> WGS84 lon/lat, the one CRS the store keeps. Core provides WGS84 itself,
/// CGCS2000 (within centimetres of WGS84 for mapping) and the Chinese obfuscated systems GCJ-02
/// and BD-09, which PROJ does not know; the native adapter adds every CRS PROJ knows.
#pragma once

#include <vigil/geo/geometry.hpp>

#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace vigil::importing {

class CoordinateTransform {
public:
    virtual ~CoordinateTransform() = default;
    /// How the source datum is recorded for the layer: "EPSG:4326", "GCJ-02", "EPSG:4547" ...
    virtual std::string name() const = 0;
    /// True when source coordinates are degrees (lon, lat) rather than metres.
    virtual bool source_is_geographic() const = 0;
    /// Transforms in place into WGS84 (x = lon, y = lat, degrees). A coordinate that cannot be
    /// transformed (outside the CRS's domain) becomes NaN; the caller reports it.
    virtual void to_wgs84(std::span<geo::Coord> coords) const = 0;
};

/// The transforms core can do without PROJ, by name (case-insensitive):
///   "wgs84", "EPSG:4326", "CRS84", "4326"       -> identity
///   "cgcs2000", "EPSG:4490", "4490"             -> identity (CGCS2000 and WGS84 differ by centimetres)
///   "gcj02", "gcj-02", "amap", "gaode"          -> GCJ-02 (AMap, Tencent)
///   "bd09", "bd-09", "baidu"                    -> BD-09 (Baidu)
/// Returns nullptr for anything else (the native adapter then asks PROJ).
std::unique_ptr<CoordinateTransform> make_core_transform(std::string_view crs);

} // namespace vigil::importing

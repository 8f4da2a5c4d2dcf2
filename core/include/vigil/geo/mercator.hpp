/// @file
/// Spherical Web Mercator (EPSG:3857) as used by web map tiles.
#pragma once

#include <vigil/geo/geometry.hpp>

namespace vigil::geo {

constexpr double k_web_mercator_max_lat = 85.05112877980659;
constexpr double k_web_mercator_half_world_m = 20037508.342789244;

/// lon/lat degrees -> EPSG:3857 metres. Latitude is clamped to +-k_web_mercator_max_lat.
Coord lonlat_to_mercator(Coord lonlat);
/// EPSG:3857 metres -> lon/lat degrees (longitude not wrapped).
Coord mercator_to_lonlat(Coord m);

/// lon/lat -> "world pixel" coordinates at `zoom` for 256-pixel tiles (x right, y down,
/// 0..256*2^zoom). Fractional zooms allowed.
Coord lonlat_to_world_px(Coord lonlat, double zoom);
Coord world_px_to_lonlat(Coord px, double zoom);

/// Ground metres per screen pixel at `lat` (degrees) and `zoom` (256-pixel tiles), on the
/// EPSG:3857 sphere (radius 6,378,137 m).
double metres_per_pixel(double lat, double zoom);

} // namespace vigil::geo

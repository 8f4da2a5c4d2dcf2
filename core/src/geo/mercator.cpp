/// @file
/// Spherical Web Mercator (EPSG:3857) and the 256-pixel tile "world pixel" space.
#include <vigil/geo/angles.hpp>
#include <vigil/geo/mercator.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace vigil::geo {

namespace {

// EPSG:3857 uses the WGS84 semi-major axis as the radius of its sphere.
constexpr double k_radius_m = 6378137.0;
constexpr double k_tile_px = 256.0;

double clamp_lat(double lat) { return std::clamp(lat, -k_web_mercator_max_lat, k_web_mercator_max_lat); }

// Mercator ordinate of a latitude on the unit sphere: ln(tan(pi/4 + phi/2)), written with
// asinh(tan) which is better conditioned near the equator.
double mercator_y(double lat_deg) { return std::asinh(std::tan(clamp_lat(lat_deg) * k_rad_per_deg)); }

double mercator_lat_deg(double y) { return std::atan(std::sinh(y)) / k_rad_per_deg; }

double world_size_px(double zoom) { return k_tile_px * std::exp2(zoom); }

} // namespace

Coord lonlat_to_mercator(Coord lonlat) { return Coord{k_radius_m * lonlat.x * k_rad_per_deg, k_radius_m * mercator_y(lonlat.y)}; }

Coord mercator_to_lonlat(Coord m) { return Coord{m.x / k_radius_m / k_rad_per_deg, mercator_lat_deg(m.y / k_radius_m)}; }

Coord lonlat_to_world_px(Coord lonlat, double zoom) {
    const double size = world_size_px(zoom);
    const double x = (lonlat.x + 180.0) / 360.0 * size;
    const double y = (1.0 - mercator_y(lonlat.y) / std::numbers::pi) / 2.0 * size;
    return Coord{x, y};
}

Coord world_px_to_lonlat(Coord px, double zoom) {
    const double size = world_size_px(zoom);
    const double lon = px.x / size * 360.0 - 180.0;
    const double lat = mercator_lat_deg(std::numbers::pi * (1.0 - 2.0 * px.y / size));
    return Coord{lon, lat};
}

double metres_per_pixel(double lat, double zoom) {
    return std::cos(clamp_lat(lat) * k_rad_per_deg) * 2.0 * std::numbers::pi * k_radius_m / world_size_px(zoom);
}

} // namespace vigil::geo

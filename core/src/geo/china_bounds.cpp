/// @file
/// Plausibility checks of WGS84 coordinates for a Chinese register.
#include <vigil/geo/china_bounds.hpp>

#include <cmath>

namespace vigil::geo {

BBox china_bounds() { return BBox{73.0, 3.0, 135.5, 54.0}; }

Plausibility check_china_plausibility(Coord wgs84) {
    if (!std::isfinite(wgs84.x) || !std::isfinite(wgs84.y)) return Plausibility::OutOfRange;
    if (wgs84.x == 0 && wgs84.y == 0) return Plausibility::NullIsland;
    const BBox china = china_bounds();
    if (china.contains(wgs84)) return Plausibility::Ok;
    // Checked before the range test: swapped Chinese coordinates usually have "latitude" > 90
    // (every longitude east of 90 E), and "swapped" is the more useful diagnosis.
    if (china.contains(Coord{wgs84.y, wgs84.x})) return Plausibility::Swapped;
    if (std::abs(wgs84.x) > 180.0 || std::abs(wgs84.y) > 90.0) return Plausibility::OutOfRange;
    return Plausibility::OutsideChina;
}

} // namespace vigil::geo

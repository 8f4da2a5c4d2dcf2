/// @file
/// Plausibility of a WGS84 coordinate for a Chinese register: inside China's extent, and the
/// classic mistake of swapped longitude and latitude.
#pragma once

#include <vigil/geo/geometry.hpp>

namespace vigil::geo {

/// The rectangle Vigil accepts as "in China": lon 73.0..135.5, lat 3.0..54.0 (mainland, Hainan,
/// the South China Sea islands' latitudes and the north-east). Generous on purpose: it catches
/// gross errors (metres read as degrees, swapped axes, 0/0), not border questions.
BBox china_bounds();

enum class Plausibility {
    Ok,           ///< finite, in range and inside china_bounds()
    OutOfRange,   ///< |lon| > 180 or |lat| > 90: not degrees at all (metres? swapped?)
    OutsideChina, ///< a valid lon/lat, but outside china_bounds()
    Swapped,      ///< outside, but (lat, lon) would be inside: the columns are swapped
    NullIsland,   ///< exactly (0, 0): an empty cell read as zero
};

/// Classifies a WGS84 (lon, lat) in degrees. Order of the tests: non-finite -> OutOfRange,
/// (0, 0) -> NullIsland, inside -> Ok, swapped inside -> Swapped (checked before the range test,
/// because swapped Chinese coordinates usually have a "latitude" above 90), then OutOfRange or
/// OutsideChina.
Plausibility check_china_plausibility(Coord wgs84);

} // namespace vigil::geo

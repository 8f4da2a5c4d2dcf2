/// @file
/// GCJ-02 ("Mars coordinates", used by AMap/Tencent/Google China) and BD-09 (Baidu) <-> WGS84.
/// PROJ does not know these; they are obfuscations of WGS84 defined by public formulas
/// (see docs/coordinates.md and docs/domain.md §6).
///
/// Forward conversions use the published formulas. Inverses are iterative (fixed point on the
/// forward formula) and round-trip to well under a millimetre inside China. Outside the
/// published China box the GCJ offset is zero, as in every public implementation.
#pragma once

#include <vigil/geo/geometry.hpp>

namespace vigil::geo {

/// True inside the rectangle where the GCJ-02 offset applies (lon 72.004..137.8347, lat 0.8293..55.8271).
bool in_gcj02_area(Coord wgs84);

/// All conversions take and return (lon, lat) in degrees and never throw.
/// WGS84 -> GCJ-02: the published formula; the identity outside in_gcj02_area().
Coord wgs84_to_gcj02(Coord wgs84);
/// GCJ-02 -> WGS84: fixed-point iteration on wgs84_to_gcj02; round trip below 1e-6 m in China.
Coord gcj02_to_wgs84(Coord gcj02);
/// GCJ-02 -> BD-09: Baidu's published formula (applies everywhere, not only in China).
Coord gcj02_to_bd09(Coord gcj02);
/// BD-09 -> GCJ-02: the published one-step formula (~0.1 m error) refined by fixed-point
/// iteration on gcj02_to_bd09; round trip below 1e-6 m.
Coord bd09_to_gcj02(Coord bd09);
Coord wgs84_to_bd09(Coord wgs84);
Coord bd09_to_wgs84(Coord bd09);

} // namespace vigil::geo

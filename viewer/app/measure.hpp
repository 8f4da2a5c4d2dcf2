/// @file
/// Measuring on the map: the length of a path and the area of a polygon on the WGS84
/// ellipsoid, and how both read for people. Plain maths, no ImGui, so tests check it against
/// known values.
///
/// Length: the sum of geodesic distances (geo::geodesic_distance_m, Vincenty: sub-millimetre).
///
/// Area: the polygon is carried onto the authalic sphere — the sphere of the same surface area as
/// the ellipsoid (R_q = 6,371,007.18 m), reached by replacing each geodetic latitude φ with its
/// authalic latitude β, a map that preserves area exactly — and its area there is the spherical
/// excess of its edges taken as great circles:
///
///     β = asin(q(φ) / q(90°)),   q(φ) = (1−e²)·[ sinφ/(1−e²sin²φ) − 1/(2e)·ln((1−e·sinφ)/(1+e·sinφ)) ]
///
///     E_i = 2·atan2( tan(Δλ/2)·(tan(β₁/2) + tan(β₂/2)),  1 + tan(β₁/2)·tan(β₂/2) )   (edge i to the equator)
///     A   = |Σ E_i| · R_q²   (and 4π·R_q² − A when the sum passes 2π)
///
/// The only error is that an ellipsoidal geodesic, carried onto the authalic sphere, is not
/// exactly a great circle there; for the polygons a city measures (edges up to tens of
/// kilometres) that moves the area by less than 1 part in 10⁶ (well under a square metre per
/// square kilometre). Edges are great circles, not straight lines on the Web Mercator screen:
/// what the overlay draws for long east-west edges is slightly off the measured one.
#pragma once

#include <vigil/geo/geometry.hpp>

#include <span>
#include <string>
#include <vector>

namespace vigil::viewer {

/// Sum of the geodesic lengths of the path's segments, metres (0 for fewer than 2 points).
double path_length_m(std::span<const geo::Coord> lonlat);

/// Area of the polygon whose ring is `lonlat` (closed implicitly; either orientation), square
/// metres on the WGS84 ellipsoid (see the file comment for the method and its accuracy).
/// 0 for fewer than 3 points. Never throws; NaN coordinates give NaN.
double polygon_area_m2(std::span<const geo::Coord> lonlat);

/// The measure tool's points and what they measure.
struct Measurement {
    std::vector<geo::Coord> points; ///< WGS84 lon/lat, in click order

    double length_m() const { return path_length_m(points); }
    /// The length with the closing edge back to the first point (3+ points), metres.
    double perimeter_m() const;
    double area_m2() const { return polygon_area_m2(points); }
    bool empty() const { return points.empty(); }
};

/// "850 m", "12.35 km" (metres under 1 km; 2 decimals under 100 km, 1 above).
std::string format_distance(double metres);
/// "3,500 m²" under 0.1 km², else "12.35 km²"; with hectares (公顷) from 1 ha to 100 km².
std::string format_area(double square_metres);

} // namespace vigil::viewer

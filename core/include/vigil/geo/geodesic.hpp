/// @file
/// Distances on the WGS84 ellipsoid, in metres.
#pragma once

#include <vigil/geo/geometry.hpp>

namespace vigil::geo {

/// Geodesic distance on the WGS84 ellipsoid (Vincenty's inverse formula, accurate to well under
/// a millimetre for the distances Vigil deals with; falls back to a series that converges for
/// nearly antipodal points). Inputs in degrees (lon, lat); result in metres.
double geodesic_distance_m(Coord a, Coord b);

/// Great-circle distance on the sphere of mean radius 6,371,008.8 m (haversine).
double haversine_m(Coord a, Coord b);

/// A value guaranteed not to exceed geodesic_distance_m(p, q) for any q inside `box` (degrees);
/// 0 when p is inside. Used to prune spatial-index nodes in nearest-neighbour searches.
double geodesic_lower_bound_m(Coord p, const BBox& box);

/// A lon/lat box that contains every point within `radius_m` metres (geodesic) of `centre`.
/// Conservative (may be larger than needed); clamps at the poles and the antimeridian.
BBox bbox_around(Coord centre, double radius_m);

/// Initial bearing from a to b in degrees clockwise from north (0..360).
double initial_bearing_deg(Coord a, Coord b);

/// The point reached from `start` going `distance_m` metres at `bearing_deg` (Vincenty direct).
Coord destination(Coord start, double bearing_deg, double distance_m);

} // namespace vigil::geo

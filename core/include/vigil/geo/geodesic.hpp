/// @file
/// Distances on the WGS84 ellipsoid, in metres.
#pragma once

#include <vigil/geo/geometry.hpp>

namespace vigil::geo {

/// Geodesic distance on the WGS84 ellipsoid (Vincenty's inverse formula, accurate to well under
/// a millimetre for the distances Vigil deals with). For nearly antipodal points, where Vincenty's
/// iteration does not converge, the distance is found as the minimum of d(a, m) + d(m, b) over the
/// curve of points m 90 degrees from a (still within 1 mm of GeographicLib, just slower).
/// Inputs in degrees (lon, lat); result in metres. NaN if an input is NaN; never throws.
double geodesic_distance_m(Coord a, Coord b);

/// Great-circle distance on the sphere of mean radius 6,371,008.8 m (haversine).
double haversine_m(Coord a, Coord b);

/// A value guaranteed not to exceed geodesic_distance_m(p, q) for any q inside `box` (degrees);
/// 0 when p is inside. Used to prune spatial-index nodes in nearest-neighbour searches.
/// It is the exact spherical angle from p to the box times 6,330,000 m, a radius below WGS84's
/// smallest radius of curvature (6,335,439 m), so it is within ~1.5 % of the true minimum.
/// Boxes may extend past +-180 (min_x 170, max_x 190 wraps). Metres; +infinity for an empty
/// box, 0 for non-finite input.
double geodesic_lower_bound_m(Coord p, const BBox& box);

/// A lon/lat box that contains every point within `radius_m` metres (geodesic) of `centre`.
/// Conservative (may be larger than needed, by ~1 %); latitudes clamp at +-90. Since a BBox
/// cannot wrap, a circle that reaches a pole or crosses the antimeridian gets the full
/// longitude range -180..180. Non-finite input gives the whole world.
BBox bbox_around(Coord centre, double radius_m);

/// Initial bearing from a to b in degrees clockwise from north (0..360); 0 when a == b.
double initial_bearing_deg(Coord a, Coord b);

/// The point reached from `start` going `distance_m` metres at `bearing_deg` (degrees clockwise
/// from north) along the geodesic (Vincenty direct). Longitude normalised to -180..180.
Coord destination(Coord start, double bearing_deg, double distance_m);

} // namespace vigil::geo

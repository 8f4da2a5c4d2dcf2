/// @file
/// Hazard zones as lon/lat polygons around a release point: the toxic plume or puff footprint
/// for each level of concern (turned to the wind) with a wind-direction uncertainty sector, the
/// circles of fire and explosion radii, and ERG's isolation circle and downwind protective-action
/// square. The geometry is built on the WGS84 ellipsoid with geo::destination, so a 10 km
/// footprint is placed to well under a metre.
///
/// Wind-direction uncertainty: the wind is rarely steady within ±15° (ALOHA draws "confidence
/// lines" for the same reason). Vigil draws, for each level, the envelope of the footprint swung
/// from −θ to +θ about the source as its own polygon (kind "uncertainty"): the footprint's left
/// edge turned by −θ, the arc of its reach, and its right edge turned by +θ.
#pragma once

#include <vigil/geo/geometry.hpp>
#include <vigil/hazard/dispersion.hpp>
#include <vigil/hazard/erg.hpp>
#include <vigil/hazard/explosion.hpp>
#include <vigil/hazard/fire.hpp>

#include <optional>
#include <string>
#include <vector>

namespace vigil::hazard {

/// One zone polygon.
struct Zone {
    std::string model; ///< "erg", "plume", "puff", "poolfire", "bleve", "vce"
    std::string kind;  ///< "footprint", "uncertainty", "circle", "isolation", "protective_action"
    std::string level; ///< "AEGL-3", "37.5 kW/m2", "isolation", ...
    /// Severity, 3 = innermost (red), 2 (orange), 1 (yellow). Rescue teams inside a tier-3
    /// zone cannot respond (inside.hpp).
    int tier = 3;
    double threshold = 0;  ///< the level's value in `units` (0 for ERG distances)
    std::string units;     ///< "mg/m3", "kW/m2", "kPa", "m"
    double distance_m = 0; ///< how far the zone reaches from the source
    std::string source;    ///< where the level or distance comes from
    geo::Geometry polygon; ///< a geo::GeometryType::Polygon in lon/lat degrees
    /// The level is still reached at distance_m, the maximum range the footprint was searched
    /// to: the zone reaches farther and was cut there. Say "beyond", never "reaches".
    bool cut = false;
};

/// What a zone is, in the user's language, as a whole phrase: "initial isolation zone" and
/// "protective action zone" for ERG's, "AEGL-2 zone" / "37.5 kW/m2 zone" for a footprint or a
/// circle, "AEGL-2 wind-direction uncertainty area" for an envelope. For a label, in place of
/// gluing `level` and `kind` (identifiers: "isolation isolation" is what that gives).
std::string zone_title(const Zone& z);

/// A closed ring of `segments` + 1 points at `radius_m` (> 0) around `centre`.
std::vector<geo::Coord> circle_ring(geo::Coord centre, double radius_m, int segments = 72);

/// Direction the wind blows toward, degrees 0..360, from the direction it blows from.
/// UsageError for a value outside 0..360 or NaN.
double wind_toward_deg(double wind_from_deg);

/// A footprint (dispersion.hpp) as a polygon, downwind of `source` for the wind blowing from
/// `wind_from_deg` (degrees clockwise from north).
/// Nothing when the footprint is empty (max_distance_m == 0).
std::optional<geo::Geometry> footprint_polygon(geo::Coord source, double wind_from_deg, const Footprint& f);

/// The uncertainty envelope of `f` swung by ±half_angle_deg (0 < θ < 90). Nothing when empty.
std::optional<geo::Geometry> uncertainty_polygon(geo::Coord source, double wind_from_deg, const Footprint& f, double half_angle_deg);

/// ERG's protective-action square: downwind of `spill`, as wide as long, the spill in the
/// middle of its upwind side.
geo::Geometry downwind_square(geo::Coord spill, double wind_from_deg, double length_m);

/// A level of concern for the footprint builders (toxic_endpoints.hpp's LevelOfConcern, or a
/// flux or overpressure level).
struct ZoneLevel {
    int tier = 3;
    std::string name;
    double threshold = 0;
    std::string units;
    std::string source;
};

/// Toxic zones of a continuous release: for each level a footprint polygon, and (when
/// `uncertainty_deg` > 0) its uncertainty envelope. Levels the plume never reaches give no
/// zone. Thresholds in mg/m³. Footprints are cut at `max_range_m` (see plume_footprint); such
/// a zone has `cut` set. toxic_zone.hpp wraps this with the weather's assumptions.
std::vector<Zone> plume_zones(geo::Coord source, double wind_from_deg, const PlumeRelease& release, const std::vector<ZoneLevel>& levels,
                              double uncertainty_deg = 15, double max_range_m = k_default_max_range_m);

/// The same for an instantaneous release (peak concentration >= level).
std::vector<Zone> puff_zones(geo::Coord source, double wind_from_deg, const PuffRelease& release, const std::vector<ZoneLevel>& levels,
                             double uncertainty_deg = 15, double max_range_m = k_default_max_range_m);

/// A circle per level with a radius (fire, explosion); levels whose radius is absent or 0 give
/// no zone. `radii_m` is aligned with `levels`.
std::vector<Zone> circle_zones(geo::Coord source, const std::string& model, const std::vector<ZoneLevel>& levels,
                               const std::vector<std::optional<double>>& radii_m);

/// Levels from plain values (heat fluxes, overpressures): sorted most severe (largest) first,
/// tiers 3, 2, 1 and 1 for any further, named "<value> <units>". UsageError for a value that is
/// not a positive number or an empty list.
std::vector<ZoneLevel> tiered_levels(std::vector<double> values, const std::string& units, const std::string& source);

/// Circles about the pool centre at the distances where a pool fire's flux falls to each level
/// (kW/m², most severe first as tiered_levels orders them); each zone's source says the model
/// that gives it and the distance from the pool's edge. Levels never reached give no zone.
std::vector<Zone> pool_fire_zones(geo::Coord source, const PoolFire& fire,
                                  const std::vector<double>& levels_kw_m2 = default_thermal_levels_kw_m2());

/// The same for a BLEVE fireball.
std::vector<Zone> fireball_zones(geo::Coord source, const Fireball& ball,
                                 const std::vector<double>& levels_kw_m2 = default_thermal_levels_kw_m2());

/// Circles at the distances where a charge of `tnt_kg` gives each overpressure (kPa). Levels
/// outside the Kingery–Bulmash range give no zone.
std::vector<Zone> explosion_zones(geo::Coord source, double tnt_kg,
                                  const std::vector<double>& levels_kpa = default_overpressure_levels_kpa());

/// ERG's zones: the isolation circle (tier 3, at ErgZone::isolation_circle_m(): the larger of
/// the table's and the guide's immediate precautionary distance) and the protective-action area (tier 2): a
/// downwind square when the wind is given, a circle when the guide evacuates in all directions;
/// without a wind direction a downwind area cannot be placed and is left out (the caller says so).
std::vector<Zone> erg_zones(geo::Coord spill, std::optional<double> wind_from_deg, const ErgZone& z);

} // namespace vigil::hazard

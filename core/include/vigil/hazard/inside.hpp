/// @file
/// What lies inside hazard zones: the features of the project's point layers (enterprises,
/// hazard sources — domino effects —, rescue teams, warehouses, ...) whose location falls in each
/// zone polygon, with their geodesic distance from the source, nearest first. Rescue teams
/// inside an innermost (tier 3, red) zone are flagged as unable to respond: they are themselves
/// in danger and cannot leave through the hazard.
///
/// Candidates come from each layer's R-tree over the zone's bounding box, then an exact
/// point-in-polygon test (planar in lon/lat, as geo::contains; for zones of a few km the
/// difference from a geodesic edge is centimetres).
#pragma once

#include <vigil/hazard/footprint.hpp>
#include <vigil/model/layer.hpp>

#include <memory>
#include <string>
#include <vector>

namespace vigil::hazard {

struct InsideFeature {
    std::string layer; ///< the layer kind, e.g. "rescue_teams"
    std::string id;
    std::string name;      ///< the kind's name field, "" if none
    std::size_t row = 0;   ///< row in the layer
    double distance_m = 0; ///< geodesic, from the source
    /// A rescue team inside a tier-3 zone.
    bool unable_to_respond = false;
};

struct ZoneContents {
    std::size_t zone = 0;                ///< index into the zones given
    std::vector<InsideFeature> features; ///< nearest first, then by layer and id
};

/// The layer kind of rescue teams, whose members inside a tier-3 zone are flagged.
inline constexpr const char* k_rescue_teams_layer = "rescue_teams";

/// For each zone (same order), the features of `layers` inside it. Only layers of point
/// geometry are considered (lines and areas — roads, rivers, counties — are not "inside");
/// a MultiPoint counts when any of its points is inside. Null layers are skipped.
std::vector<ZoneContents> features_inside(const std::vector<Zone>& zones, geo::Coord source,
                                          const std::vector<std::shared_ptr<const model::Layer>>& layers);

} // namespace vigil::hazard

/// @file
/// "Which enterprises and hazard sources does no capable team reach in time?" — the planners' gap
/// map of `vigil coverage`: for each target record, one search over the reversed road graph to
/// every team that passes the filter (PHAST: a fraction of a millisecond each at city scale), the
/// soonest ETA = turnout + travel; the gaps are the targets no team reaches within the limit,
/// unreachable first, then latest first.
#pragma once

#include <vigil/app/layer_set.hpp>
#include <vigil/app/road_graph.hpp>
#include <vigil/geo/geometry.hpp>
#include <vigil/query/nearest.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace vigil::app {

struct CoverageQuery {
    std::string teams = "rescue_teams";                                ///< the team layer
    query::FilterSpec filter;                                          ///< need / status of the teams
    double minutes = 15;                                               ///< the limit on ETA = turnout + travel
    std::vector<std::string> targets{"enterprises", "hazard_sources"}; ///< layers checked
    std::vector<Rings> closures;                                       ///< roads inside these polygons are closed
    double max_snap_m = 10000;
};

/// A target no team reaches within the limit.
struct CoverageGap {
    std::string layer, id, name;
    geo::Coord at{};
    bool reachable = false; ///< by any team at all
    double eta_s = 0;       ///< the soonest team's ETA (reachable only)
    std::string best_team;  ///< its id (reachable only)
};

struct CoverageResult {
    std::size_t teams = 0;         ///< teams that passed the filter
    std::vector<std::string> need; ///< the filter's capabilities, as asked
    double minutes = 0;
    std::size_t targets = 0;       ///< records checked
    std::vector<CoverageGap> gaps; ///< unreachable first, then by ETA, latest first
    std::size_t closed_segments = 0;
    double total_ms = 0;
};

/// The gap map (see the file comment).
/// @throws vigil::UsageError for a missing layer, an unknown capability or status, a limit <= 0.
CoverageResult coverage(const LayerSet& layers, const routing::RoadGraph& graph, const CoverageQuery& query);

/// The question as the browser's page asks it (`window.vigil.coverage(request)`): the keys are
/// `vigil coverage`'s options with `_` for `-`: `need`, `status`, `targets` (comma-separated
/// strings or arrays), `minutes`, `teams`, `max_snap`, `closures`. docs/json.md, "Coverage".
/// @throws vigil::UsageError naming the key for a mistyped or unknown key.
CoverageQuery coverage_query_from_json(const nlohmann::json& j);

/// {"query": {teams, need, minutes, targets, closed_segments, total_ms}, "gaps": [{layer, id,
/// name, lon, lat, reachable, eta_s, best_team}]} (docs/json.md, "Coverage").
nlohmann::ordered_json to_json(const CoverageResult& r);
/// The gaps as GeoJSON points (properties layer, id, name, reachable, eta_s, best_team).
nlohmann::ordered_json to_geojson(const CoverageResult& r);

} // namespace vigil::app

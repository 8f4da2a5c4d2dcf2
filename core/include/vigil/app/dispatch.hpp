/// @file
/// "Which teams, and what supplies, for an incident here?" — the dispatch question as `vigil
/// nearest --by road`, the Dispatch panel and the browser ask it, answered once:
///
/// 1. closures (polygons) -> closed road segments; when the incident lies inside a closure or on
///    a closed road, the teams are sent to the staging point (road_graph.hpp);
/// 2. every team that passes the filter (and lies within max_distance_m as the crow flies),
///    nearest first as the crow flies, gets its travel time from one search over the reversed
///    road graph; ranked by ETA = turnout (the kind's Turnout field, minutes; none = 0) + travel,
///    reachable teams by ETA (ties: nearer as the crow flies first), then the unreachable ones,
///    marked as such, never dropped;
///    with equipment asked (DispatchQuery::equipment, app/equipment.hpp), only the teams that hold
///    all of it in service themselves pass the filter;
/// 3. optionally each team's route, the supplies (supply.hpp: cover_supplies) and the isochrones
///    of the incident (who is there within 5/10/15/30 min).
#pragma once

#include <vigil/app/equipment.hpp>
#include <vigil/app/isochrones.hpp>
#include <vigil/app/layer_set.hpp>
#include <vigil/app/road_graph.hpp>
#include <vigil/app/supply.hpp>
#include <vigil/geo/geometry.hpp>
#include <vigil/query/nearest.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace vigil::model {
class Layer;
} // namespace vigil::model

namespace vigil::app {

struct DispatchQuery {
    geo::Coord at{};                   ///< the incident, WGS84
    std::string place;                 ///< how the incident was placed, for the sheet ("点击地图", an enterprise's name)
    std::string kind = "rescue_teams"; ///< the layer teams come from
    query::FilterSpec filter;          ///< need / status / where
    std::string needs;                 ///< "中和剂:5t,吸附棉:2000kg" ("" = no supplies asked)
    /// Equipment every team must hold in service itself, "防化服:2,堵漏器材" (equipment.hpp: a type
    /// by value, label or synonym, a whole count, 1 when none); "" = none asked. Read from the
    /// project's equipment layer (app::k_equipment_kind), by the teams' ids in its held_by.
    std::string equipment;
    std::vector<Rings> closures;                          ///< roads inside these polygons are closed (a hazard's red zone)
    std::size_t top_n = 5;                                ///< routes highlighted on the map (the viewer's)
    std::vector<double> isochrone_minutes{5, 10, 15, 30}; ///< none: no isochrones
    /// Only teams within this many metres as the crow flies (+inf: every team).
    double max_distance_m = std::numeric_limits<double>::infinity();
    std::size_t max_teams = 0; ///< 0: every team; else the first N of the ranking
    bool routes = true;        ///< each reachable team's route
    double max_snap_m = 10000; ///< farther from every road than this (m): unreachable
};

/// One team in the answer.
struct DispatchTeam {
    std::size_t row = 0;                        ///< in the team layer
    std::string id, name, status, capabilities; ///< name: the record's name, else its id; status, capabilities: display text
    std::string phone;                          ///< the field of role phone (a team's duty phone): who dispatch calls; "" = none
    geo::Coord at{};                            ///< the team's base
    double air_m = 0;                           ///< as the crow flies to the incident
    bool reachable = false;
    double turnout_s = 0;
    double eta_s = 0, travel_s = 0, road_m = 0; ///< +inf when unreachable
    std::vector<geo::Coord> route;              ///< base -> incident (or staging point); empty if unreachable or not asked
    /// With equipment asked: what the team holds of each asked type (DispatchSheet::equipment_needs' order).
    std::vector<EquipmentHolding> equipment;
};

/// The answer.
struct DispatchSheet {
    DispatchQuery query;
    std::shared_ptr<const model::Layer> team_layer; ///< the layer the teams' rows index (for their fields)
    std::vector<DispatchTeam> teams;                ///< reachable by ETA, then unreachable
    bool equipment_asked = false;
    std::vector<EquipmentNeed> equipment_needs; ///< as read from the query's equipment
    /// Teams that passed the other filters but hold too little of the asked equipment in service
    /// (not listed), and those of them that would qualify if their units of unknown status were
    /// confirmed in service (their ids; the notes name them too).
    std::size_t equipment_lacking = 0;
    std::vector<std::string> equipment_if_confirmed;
    bool supplies_asked = false;
    /// The supply plan when asked. A need that does not parse, or a project without warehouses,
    /// is in supply.problems: it never costs the dispatcher the team list.
    SupplyResult supply;
    std::vector<IsochroneArea> isochrones; ///< by minutes ascending
    std::size_t closed_segments = 0;       ///< road segments the closures took out
    std::size_t road_nodes = 0, road_segments = 0;
    /// Where the teams are sent when the incident lies in a closed area (or on a closed road).
    Staging staging;
    std::vector<std::string> notes; ///< what was assumed: the staging point, the supply chooser's notes
    double query_ms = 0;            ///< the searches and the chooser
};

/// Answers `query` over `layers` (the team layer, and "warehouses" when supplies are asked) and
/// `graph` (see the file comment).
/// @throws vigil::UsageError for a missing team layer, an unknown capability or status, a closure
///         that is not a polygon, equipment asked of a project without an equipment layer or of
///         an unknown type; vigil::FormatError for damaged data.
DispatchSheet rank_teams(const LayerSet& layers, const routing::RoadGraph& graph, const DispatchQuery& query);

/// What to_json(DispatchSheet) writes besides the ranking.
struct DispatchJsonOptions {
    bool routes = true;   ///< each team's "route" LineString (when the query asked for routes)
    bool geometry = true; ///< the isochrones' polygons
};

/// The answer as JSON (docs/json.md, "Dispatch"): query (layer, lon, lat, by, need, status,
/// equipment, road_nodes, road_segments, closed_segments), staging, results (rank, id, name, lon,
/// lat, distance_m, reachable, eta_s, travel_s, turnout_s, road_distance_m, every other field of
/// the record, equipment_held when equipment was asked, route), equipment_lacking and
/// equipment_if_confirmed (when asked), supply (when asked), isochrones (when asked), notes.
nlohmann::ordered_json to_json(const DispatchSheet& sheet, const DispatchJsonOptions& options = {});

/// The question as the browser's page asks it (`window.vigil.dispatch(request)`): the keys are
/// `vigil nearest --by road`'s options with `_` for `-` — `at` [lon, lat] (needed), `layer`,
/// `need`, `status` (comma-separated text or arrays), `equipment`, `k` (max_teams),
/// `max_distance`, `max_snap` — and the Dispatch panel's `supplies` ("中和剂:5t,..."),
/// `closures` (GeoJSON Polygon coordinates, for --avoid's file) and `isochrones` (minutes, [] for
/// none). Keys not given keep `base`'s values (the panel's form). docs/json.md, "Dispatch request".
/// @throws vigil::UsageError naming the key for a missing, mistyped or unknown key.
DispatchQuery dispatch_query_from_json(const nlohmann::json& j, DispatchQuery base = {});

/// "防化服 4/2、堵漏器材 1/1" — what a team holds in service of each asked type, over what was
/// asked, with "+N 状态不明" for units of unknown status (for the panel, the CLI and the sheet).
std::string equipment_text(const DispatchSheet& sheet, const DispatchTeam& team);

/// The dispatch sheet as CSV (UTF-8 with a BOM, so that Excel opens the Chinese right): one row
/// per incident, staging point, team, warehouse and shortfall, columns
/// type,rank,id,name,reachable,eta_min,travel_min,turnout_min,road_km,air_km,lon,lat,detail.
std::string dispatch_csv(const DispatchSheet& sheet);
/// The sheet as a GeoJSON FeatureCollection: the incident and staging point (Point), the teams
/// (Point, with the CSV's fields) and their routes (LineString), the warehouses and their routes,
/// the isochrones (MultiPolygon) and the closed areas (Polygon); top-level members
/// supply_headline, supply_problems and shortfall.
std::string dispatch_geojson(const DispatchSheet& sheet);

} // namespace vigil::app

/// @file
/// "What do the warehouses send for these needs, and when does it arrive?" — the supply plan as
/// `vigil supply`, the Dispatch panel and the browser ask it: every warehouse's travel time to
/// the incident (or to its staging point when the incident lies inside a closure) from one
/// search over the road graph, then dispatch::plan_supply (each need filled soonest first; the
/// shortfall when the reachable region cannot cover it). A warehouse has no turnout: it loads
/// while the teams drive. A need naming an equipment type ("防化服:10") is also served by the
/// equipment the warehouses hold in the project's equipment layer, in service only
/// (app/equipment.hpp); the notes say what was not counted.
#pragma once

#include <vigil/app/layer_set.hpp>
#include <vigil/app/road_graph.hpp>
#include <vigil/dispatch/supply.hpp>
#include <vigil/geo/geometry.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace vigil::app {

struct SupplyQuery {
    geo::Coord at{}; ///< the incident, WGS84
    /// "中和剂:5t,吸附棉:2000kg,沙袋:3000" (dispatch::read_needs: a piece that does not parse is a
    /// problem of the answer, the others are still planned).
    std::string needs;
    std::string layer = "warehouses";                           ///< the layer of stock lists (its "stock" list field)
    dispatch::ItemNames items = dispatch::ItemNames::builtin(); ///< synonyms of stock items
    std::vector<Rings> closures;                                ///< roads inside these polygons are closed
    double max_snap_m = 10000;                                  ///< farther from every road than this (m): unreachable
    bool routes = true;                                         ///< each warehouse's route
};

/// One warehouse's part of a need.
struct SupplyPart {
    std::size_t depot = 0; ///< index into SupplyResult::depots
    double quantity = 0;   ///< in the need's unit
    double eta_s = 0;
};

/// One need as the plan fills it.
struct SupplyNeed {
    std::string item;
    std::string unit;                                ///< the unit's canonical symbol ("t", "kg", "个")
    bool count = false;                              ///< a count: shown without a unit ("沙袋 3000")
    double needed = 0, available = 0, shortfall = 0; ///< in `unit`; available: all reachable warehouses hold
    double first_s = 0;                              ///< when its first part arrives; +inf: none
    double covered_s = 0;                            ///< when it is covered; +inf with a shortfall
    /// The need names an equipment type: the warehouses' equipment in service counted (equipment.hpp).
    bool equipment = false;
    std::vector<SupplyPart> parts; ///< soonest first
};

/// What one warehouse sends.
struct SupplyGive {
    std::size_t need = 0; ///< index into SupplyResult::needs
    double quantity = 0;
};

/// A warehouse the plan sends, by ETA.
struct SupplyDepot {
    std::size_t row = 0;  ///< in the warehouses layer
    std::string id, name; ///< name: the record's name, else its id
    geo::Coord at{};
    double eta_s = 0, road_m = 0;
    std::vector<SupplyGive> gives;
    std::vector<geo::Coord> route; ///< warehouse -> incident (when asked)
};

struct SupplyResult {
    std::string layer;               ///< the warehouses' kind
    geo::Coord at{};                 ///< the incident
    Staging staging;                 ///< where the supplies go instead, if the incident is closed off
    std::vector<SupplyNeed> needs;   ///< the needs that parsed, in the order typed
    std::vector<SupplyDepot> depots; ///< the warehouses sent, by ETA
    bool complete = false;           ///< every need covered (only then is arrival_s "all there")
    double first_arrival_s = 0;      ///< the first warehouse's ETA (0: none)
    double arrival_s = 0;            ///< the last warehouse's ETA (0: none)
    /// dispatch::supply_headline: the shortfall first when there is one, never "all arrive" then.
    std::string headline;
    std::vector<std::string> notes; ///< what was assumed (synonyms, staging) or did not count (units)
    /// Needs that could not be read ("吸附棉2000kg": no colon), one message each naming the piece.
    std::vector<std::string> problems;
    std::size_t closed_segments = 0;
    double search_ms = 0;
};

/// The supply plan (see the file comment).
/// @throws vigil::UsageError when `layers` has no such layer or it has no stock list, or for a
///         closure ring that is not a polygon; vigil::FormatError naming the warehouse for a
///         damaged stock list.
SupplyResult cover_supplies(const LayerSet& layers, const routing::RoadGraph& graph, const SupplyQuery& query);

/// "中和剂 1.7 t" / "沙袋 3000": what `give` is, for the panel, the CLI and the sheet.
std::string give_text(const SupplyResult& r, const SupplyGive& give);
/// "1.7 t" / "3000": a quantity of need `need`, rounded to 0.001.
std::string amount_text(const SupplyResult& r, std::size_t need, double quantity);

/// The question as the browser's page asks it (`window.vigil.supply(request)`): the keys are
/// `vigil supply`'s options with `_` for `-`: `at` [lon, lat] and `need` (both needed), `layer`,
/// `max_snap`, and `closures` (polygons as GeoJSON Polygon coordinates, for --avoid's file).
/// docs/json.md, "Supply".
/// @throws vigil::UsageError naming the key for a missing, mistyped or unknown key.
SupplyQuery supply_query_from_json(const nlohmann::json& j);

/// The plan as JSON (docs/json.md, "Supply"): query, staging, headline, complete,
/// first_arrival_s, arrival_s, needs (from: id, quantity, eta_s), warehouses (gives), notes,
/// problems. Times in seconds rounded to 0.1, null for +inf.
nlohmann::ordered_json to_json(const SupplyResult& r);

} // namespace vigil::app

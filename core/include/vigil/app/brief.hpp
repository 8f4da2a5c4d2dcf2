/// @file
/// The printable incident brief (事件简报): what a dispatcher hands the commander after opening an
/// incident and assigning teams — the incident's facts, where it is (county), the teams ranked at
/// its point (the dispatch ranking of dispatch.hpp, not a ranking of its own), the teams assigned
/// to it (the dispatches layer), the nearest warehouses and their stock, the incident's log, what
/// was assumed, and the map's contents. Plain data, no I/O: the CLI (`vigil brief`) gathers the
/// layers, the road graph and the log, and a native renderer (tools/brief, cairo) draws the page.
/// docs/brief.md; its JSON form docs/json.md, "Brief".
#pragma once

#include <vigil/app/edits.hpp>
#include <vigil/app/layer_set.hpp>
#include <vigil/geo/geometry.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::routing {
class RoadGraph;
} // namespace vigil::routing

namespace vigil::app {

/// What the brief is asked for.
struct BriefRequest {
    std::string incident;          ///< the incident's id (needed)
    std::size_t teams = 5;         ///< ranked teams listed (and numbered on the map)
    std::size_t warehouses = 3;    ///< nearest warehouses listed
    std::vector<std::string> need; ///< capabilities the ranked teams must have; empty: by the incident's type (hazmat_leak -> hazmat …)
    /// When the brief is made (ISO 8601 UTC, "2026-12-07T11:20:00Z"), given by the caller: the core has no clock.
    std::string generated_at;
};

/// One team of the ranking at the incident's point.
struct BriefTeam {
    std::size_t rank = 0; ///< 1-based; the map's number
    std::string id, name, type, duty_phone, status;
    geo::Coord at{};
    bool reachable = false;
    std::optional<double> eta_min; ///< none: unreachable, or no road graph
    std::optional<double> road_km; ///< by road (none without a road graph or when unreachable)
    double air_km = 0;             ///< as the crow flies
    bool assigned = false;         ///< assigned to this incident (an open dispatch)
    std::vector<geo::Coord> route; ///< base -> incident by road (empty without)
};

/// One team assigned to the incident (a dispatch record).
struct BriefAssignment {
    std::string dispatch_id, team_id, team_name, duty_phone;
    std::string assigned_at, departed_at, arrived_at, returned_at; ///< bureau clock "YYYY-MM-DD HH:MM" ("" = not yet)
    std::optional<double> eta_min;                                 ///< the ETA at assignment
    std::optional<geo::Coord> at;                                  ///< the team's base, when the team is held
};

/// One stock line of a warehouse, as the warehouses layer holds it.
struct BriefStock {
    std::string item;
    double quantity = 0;
    std::string unit;
};

struct BriefWarehouse {
    std::string id, name, phone;
    geo::Coord at{};
    double air_km = 0;
    std::vector<BriefStock> stock;
};

/// A county (or district) boundary for the map, lon/lat rings.
struct BriefArea {
    std::string id, name;
    std::vector<std::vector<geo::Coord>> rings;
};

/// What the map shows: its extent (the incident and the top teams, with a margin) and the context
/// layers clipped to it by box.
/// One hazard zone of the incident's material, for the map and the page.
struct BriefZone {
    int tier = 3;      ///< 3 red (innermost), 2 orange, 1 yellow
    std::string label; ///< "隔离区 isolation 100 m", "AEGL-3 …" as the model names the level
    double distance_m = 0;
    std::vector<std::vector<geo::Coord>> rings;
    /// What lies inside, by layer: "企业 3：甲化工、乙公司…" (the kind's Chinese title, the count,
    /// the first names), most populous layer first.
    std::vector<std::string> inside;
};

struct BriefMap {
    geo::BBox extent;
    std::vector<BriefArea> areas;               ///< county boundaries meeting the extent
    std::vector<std::vector<geo::Coord>> roads; ///< road lines meeting the extent
    std::vector<BriefZone> zones;               ///< widest first (drawn so, the red on top)
    std::optional<geo::Coord> staging;          ///< where teams are sent when the red zone closes the roads to the incident
};

/// The brief (see the file comment).
struct IncidentBrief {
    std::string title; ///< "事件简报 Incident brief — TITLE"
    std::string incident_id, incident_title;
    std::string type, status, severity; ///< display text (Chinese labels)
    std::string material, un_number, cas, description, reporter;
    geo::Coord at{};
    std::string county;                            ///< from admin_areas ("" when not held or outside every county)
    std::string reported_at, opened_at, closed_at; ///< bureau clock (UTC+8), "YYYY-MM-DD HH:MM"
    std::vector<std::string> need;                 ///< the capabilities the ranking asked
    bool by_road = false;                          ///< false: straight-line ranking, no ETA
    std::vector<BriefTeam> teams;
    std::vector<BriefAssignment> assigned;
    std::vector<BriefWarehouse> warehouses;
    IncidentLog log;
    std::vector<std::string> notes; ///< what was assumed, Chinese then English
    std::string data_date;          ///< the newest record update of the layers used, "YYYY-MM-DD" ("" unknown)
    std::string generated_at;       ///< bureau clock
    BriefMap map;
};

/// Builds the brief of `request.incident` from `layers` (incidents needed; rescue_teams,
/// dispatches, warehouses, admin_areas, roads used when held), the road graph (null: teams ranked
/// as the crow flies, no ETA, a note says so) and the incident's log.
/// @throws vigil::UsageError naming the incident when it is not in the incidents layer (or the
///         project has no incidents layer).
IncidentBrief build_brief(const LayerSet& layers, const routing::RoadGraph* graph, const BriefRequest& request, IncidentLog log);

/// "2026-12-07 19:20" for "2026-12-07T11:20:00.123Z": a stored UTC time on the bureau's clock
/// (UTC+8, the date rolled over); "" for ""; the text as it is when it is not of that form.
std::string bureau_time(const std::string& utc_iso);

/// The file a brief is saved as: "<project>-brief-<incident>.pdf" ("brief-<incident>.pdf" with no
/// project), the incident id kept to [A-Za-z0-9_-] (anything else becomes '_'): safe in any
/// folder and in a Content-Disposition header. The viewers' saves and the server's downloads.
std::string brief_file_name(std::string_view project_stem, std::string_view incident);

/// The brief as JSON (docs/json.md, "Brief"): the incident's facts, teams, assigned, warehouses,
/// log, notes, data_date, generated_at and the map's extent (the map's geometry is left out).
nlohmann::ordered_json to_json(const IncidentBrief& brief);

} // namespace vigil::app

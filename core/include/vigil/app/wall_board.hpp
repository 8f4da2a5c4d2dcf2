/// @file
/// What the command-centre wall shows besides the map (大屏指标): the key figures (enterprises by
/// risk colour, major hazard sources by grade, teams by status, open incidents, overdue hidden
/// hazards), the open incidents newest first (the ticker, the wall's "fly to the new one"), and
/// the assigned teams' arrival countdowns. Written once here for the native wall and the browser's
/// `#wall`, from the layers they hold.
///
/// Safe side: a record whose class is missing or not one of the catalogue's is counted under
/// "未定级/状态不明 unknown", never dropped, so the figures always add up to the register; an
/// open dispatch whose ETA is missing has no countdown but is listed as such.
#pragma once

#include <vigil/app/layer_set.hpp>
#include <vigil/geo/geometry.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::app {

/// One class of a key figure: the catalogue's value, its Chinese label, its map colour, how many.
struct WallCount {
    std::string value;  ///< canonical value ("red", "grade1", "available"; "unknown" for the rest)
    std::string label;  ///< 中文 (the catalogue's zh label; "未定级" / "状态不明" for unknown)
    std::string colour; ///< "#RRGGBB" from the layer's symbology ("" when it colours by another field)
    std::size_t count = 0;
};

/// One open incident (status other than closed).
struct WallIncident {
    std::string id, title, type, material, status; ///< type and status as the catalogue's zh labels
    geo::Coord at{};
    std::string reported_at;   ///< UTC ISO as stored ("" unknown)
    std::int64_t since_s = 0;  ///< opened (else reported) as seconds since 1970 UTC; 0 unknown
    std::size_t teams_out = 0; ///< open dispatches of it (assigned, not returned)
};

/// A team assigned to an open incident and not yet arrived (or arrived, not returned).
struct WallCountdown {
    std::string incident_id, team_id, team_name, duty_phone;
    std::optional<geo::Coord> team_at; ///< the team's base, when the team is held
    std::int64_t assigned_s = 0;       ///< seconds since 1970 UTC (0 when the record has none)
    std::optional<std::int64_t> due_s; ///< assigned + ETA; none without an ETA
    bool departed = false, arrived = false;
};

/// The board at one moment (the layers as held; no clock of its own).
struct WallBoard {
    std::vector<WallCount> enterprises_by_risk;     ///< red, orange, yellow, blue (+ unknown when any)
    std::vector<WallCount> hazard_sources_by_grade; ///< grade1..grade4 (+ unknown when any); below-threshold left out
    std::size_t hazard_sources_below = 0;           ///< not_major: the register's, not on the board
    std::vector<WallCount> teams_by_status;         ///< available, deployed, resting, maintenance (+ unknown)
    std::vector<WallIncident> incidents;            ///< open ones, newest first
    std::size_t overdue_hidden_hazards = 0;         ///< by the hidden-hazard ledger at as_of
    std::vector<WallCountdown> countdowns;          ///< due first; those without an ETA last
    std::vector<std::string> notes;                 ///< what was assumed ("中文 English"), once each

    std::size_t open_incidents() const { return incidents.size(); }
};

struct WallBoardRequest {
    std::string as_of; ///< YYYY-MM-DD for the hidden-hazard ledger (the shells pass today)
};

/// The board of `layers` (every layer optional: a figure whose layer is missing is empty).
/// @throws vigil::UsageError when as_of is not a date.
WallBoard wall_board(const LayerSet& layers, const WallBoardRequest& request);

/// Seconds since 1970 of a stored UTC time ("2026-12-07T11:20:00Z", "…:00.250Z", "2026-12-07 11:20:00"
/// taken as UTC); nullopt for anything else.
std::optional<std::int64_t> utc_seconds(std::string_view iso);

/// "2026-12-07T11:20:05Z" for a number of seconds since 1970.
std::string utc_iso(std::int64_t seconds);

/// {"enterprises_by_risk": [{value,label,colour,count}], "hazard_sources_by_grade", "hazard_sources_below",
///  "teams_by_status", "open_incidents", "incidents": [...], "overdue_hidden_hazards", "countdowns": [...], "notes"}.
nlohmann::ordered_json to_json(const WallBoard& board);

} // namespace vigil::app

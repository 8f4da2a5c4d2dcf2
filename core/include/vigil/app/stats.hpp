/// @file
/// The grid-management statistics (`vigil stats`, the viewer's choropleth, the browser's
/// `vigil.stats`): per county or per grid, the enterprises by four-colour risk (the recorded
/// level, else LEC or the risk matrix from the record's scores), the hazard sources by GB 18218
/// grade, open, overdue and open major hidden hazards — and the totals. The hidden hazards come
/// from the hidden-hazard records as of a day (app::hazard_ledger) when the project has them,
/// else from the enterprises' typed-in counts; the answer says which, and what it assumed. The
/// counting itself is hazard::tally; this service gathers the layers, checks the rules and adds
/// the total row, so that every shell shows the same table.
#pragma once

#include <vigil/app/grids.hpp>
#include <vigil/app/hazard_ledger.hpp>
#include <vigil/app/layer_set.hpp>
#include <vigil/hazard/four_colour.hpp>

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace vigil::app {

/// How records are grouped: by county (the record's county field, else the admin area its point
/// lies in), or by grid (the finest grid of the `grids` layer its point lies in).
enum class StatsGrouping { County, Grid };

struct StatsRequest {
    StatsGrouping by = StatsGrouping::County;
    hazard::ColourRules rules; ///< thresholds for records without a recorded risk level
    /// The day hidden hazards are reckoned at (open, overdue), YYYY-MM-DD. The service reads no
    /// clock: shells pass today (today_utc()). Needed when the project has hidden-hazard records.
    std::string as_of;
};

/// What a grid group is besides its figures (StatsResult::grids, beside the groups).
struct GridGroupInfo {
    std::string level;  ///< "county", "township", "village" ("" for "(no grid)")
    std::string parent; ///< the parent grid's code
    std::string member; ///< 网格员
    std::string phone;
    std::string path; ///< "温县 / 祥云镇"
};

struct StatsResult {
    StatsRequest request;
    /// By county: the admin layer's counties in its order, then others by name. By grid: the
    /// grids in the layer's order — those no other grid is the parent of, and any that holds a
    /// record of its own — then "(no grid)".
    std::vector<hazard::CountyStats> groups;
    hazard::CountyStats total; ///< the sum over the groups, named "合计"
    HazardLedger ledger;       ///< where the hidden-hazard figures came from (records or typed counts)
    /// By grid: one per group; and the ids of the records that lie in no grid, by kind.
    std::vector<GridGroupInfo> grids;
    std::vector<std::string> outside_enterprises, outside_hazard_sources, outside_hidden_hazards;
    /// What was assumed or where figures came from, one sentence each ("中文 English").
    std::vector<std::string> notes;
};

/// "county", "grid".
std::string_view stats_grouping_name(StatsGrouping g);

/// Statistics per county of the layers "enterprises" (needed), "hazard_sources", "admin_areas"
/// and "hidden_hazards" (used when present).
/// @throws vigil::UsageError when there is no enterprises layer, the thresholds are not
///   red > orange > yellow > 0, or there are hidden-hazard records and as_of is not a date;
///   vigil::FormatError for a record's bad score (named).
StatsResult stats_by_county(const StatsRequest& request, const LayerSet& layers);

/// Statistics per grid (the finest grid of the "grids" layer each record lies in), of the same
/// layers. Records in no grid go to "(no grid)", and are listed by id.
/// @throws as stats_by_county, and vigil::UsageError when there is no grids layer.
StatsResult stats_by_grid(const StatsRequest& request, const LayerSet& layers);

/// stats_by_county or stats_by_grid, as request.by says.
StatsResult statistics(const StatsRequest& request, const LayerSet& layers);

/// A request from JSON (the browser's `vigil.stats`), with the CLI's option names: "by"
/// ("county" or "grid"), "lec" and "matrix" ([red, orange, yellow] or "RED,ORANGE,YELLOW"),
/// "as_of" ("YYYY-MM-DD"; left empty when not given, for the shell to fill).
/// @throws vigil::UsageError for an unknown key, a wrong type or thresholds out of order,
///   naming the key.
StatsRequest stats_request_from_json(const nlohmann::json& j);

/// The JSON form (docs/json.md, "Stats"): "by", "as_of", "lec_thresholds", "matrix_thresholds",
/// "counties" or "grids" (one object per group), "total", "hidden_hazards", "notes", and by
/// grid "outside_grids".
nlohmann::json to_json(const StatsResult& r);

} // namespace vigil::app

/// @file
/// The grid-management statistics (`vigil stats`, the viewer's choropleth): per county, the
/// enterprises by four-colour risk (the recorded level, else LEC or the risk matrix from the
/// record's scores), the hazard sources by GB 18218 grade, open and overdue hidden hazards —
/// and the totals. The counting itself is hazard::county_statistics; this service gathers the
/// layers, checks the rules and adds the total row, so that every shell shows the same table.
#pragma once

#include <vigil/app/layer_set.hpp>
#include <vigil/hazard/four_colour.hpp>

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace vigil::app {

/// How records are grouped. One grouping so far: by county (the record's county field, else
/// the admin area its point lies in).
enum class StatsGrouping { County };

struct StatsRequest {
    StatsGrouping by = StatsGrouping::County;
    hazard::ColourRules rules; ///< thresholds for records without a recorded risk level
};

struct StatsResult {
    StatsRequest request;
    std::vector<hazard::CountyStats> groups; ///< admin layer's order, then others by name
    hazard::CountyStats total;               ///< the sum over the groups, named "合计"
};

/// "county".
std::string_view stats_grouping_name(StatsGrouping g);

/// Statistics of the layers "enterprises" (needed), "hazard_sources" and "admin_areas" (used
/// when present).
/// @throws vigil::UsageError when there is no enterprises layer or the thresholds are not
///   red > orange > yellow > 0; vigil::FormatError for a record's bad score (named).
StatsResult stats_by_county(const StatsRequest& request, const LayerSet& layers);

/// A request from JSON (the browser's `vigil.stats`), with the CLI's option names: "by"
/// ("county"), "lec" and "matrix" ([red, orange, yellow] or "RED,ORANGE,YELLOW").
/// @throws vigil::UsageError for an unknown key, a wrong type or thresholds out of order,
///   naming the key.
StatsRequest stats_request_from_json(const nlohmann::json& j);

/// The JSON form (docs/json.md, "stats"): "by", "lec_thresholds", "matrix_thresholds",
/// "counties" (one object per group) and "total".
nlohmann::json to_json(const StatsResult& r);

} // namespace vigil::app

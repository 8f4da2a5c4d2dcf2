/// @file
/// Regional individual risk (QRA) over a county or a polygon (`vigil risk`): the hazard
/// sources' loss-of-containment scenarios (hazard/qra_scenarios.hpp) in the area and a margin
/// around it, the individual risk on a grid (hazard/risk_grid.hpp), iso-risk contours at the
/// GB 36894-2018 limits with their areas, the enterprises inside each level, and the F–N curve
/// with the enterprises' employees as the population.
///
/// Safe side: an enterprise is listed inside a level when it lies inside the polygon drawn for
/// the level, and also when the IR at its own point reaches the limit though the contour
/// (interpolated between cell centres) passes just beside it; such an entry says
/// inside_polygon: false, and a note says a smaller cell resolves it. Never dropped.
#pragma once

#include <vigil/app/layer_set.hpp>
#include <vigil/hazard/qra_scenarios.hpp>
#include <vigil/hazard/risk_grid.hpp>

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace vigil::app {

struct RiskRequest {
    /// A county of the admin_areas layer by name or id, or a POLYGON / MULTIPOLYGON in WKT
    /// (lon lat degrees).
    std::string area;
    double cell_m = 10;    ///< grid cell size, metres (1..1000)
    double margin_km = 10; ///< sources this far outside the area still count (0..50)
    unsigned threads = 0;  ///< worker threads, 0 = all cores
    /// The wind rose (the CLI reads layers/hazard/wind_rose_*.json; WindRose::uniform() when none).
    hazard::WindRose wind_rose = hazard::WindRose::uniform();
};

/// An enterprise inside a level.
struct RiskTarget {
    std::string id, name;
    geo::Coord at{};            ///< lon/lat
    double ir = 0;              ///< individual risk at its point, per year
    bool inside_polygon = true; ///< false: listed on the safe side by its own IR alone
};

/// One ring list per polygon, the outer ring first, then its holes; lon/lat.
using MultiPolygonRings = std::vector<std::vector<std::vector<geo::Coord>>>;

struct RiskLevel {
    double limit_per_year = 0;
    double area_km2 = 0; ///< of the area's cells at or above the limit
    std::vector<RiskTarget> targets_inside;
    MultiPolygonRings contour; ///< the iso-risk polygon drawn for the limit
};

struct RiskResult {
    RiskRequest request;
    std::string area_name;          ///< the county's name, or "polygon"
    int nx = 0, ny = 0;             ///< grid cells
    std::size_t hazard_sources = 0; ///< sources that gave scenarios
    std::size_t scenarios = 0;
    double max_ir_per_year = 0;    ///< inside the area
    std::vector<RiskLevel> levels; ///< one per GB 36894 limit, lowest limit first
    std::vector<hazard::FnPoint> fn_curve;
    std::vector<std::string> notes;
    double scenarios_ms = 0, grid_ms = 0, targets_fn_ms = 0; ///< time each stage took
};

/// The regional risk of `request.area` from the layers "hazard_sources" (needed),
/// "enterprises" (targets and population) and "admin_areas" (areas by name).
/// @throws vigil::UsageError for an area that is neither an admin area nor a WKT polygon, a
///   polygon not in lon/lat, a bad cell or margin, no hazard_sources layer;
///   vigil::SchemaError when hazard_sources has no inventory field; the inventories' errors.
RiskResult regional_risk(const RiskRequest& request, const LayerSet& layers);

/// The question as the browser's page asks it (`window.vigil.risk(request)`): the keys are
/// `vigil risk`'s options with `_` for `-`: `area` (needed), `cell`, `margin_km`, `threads`; the
/// wind rose is the catalogue's, compiled in (hazard::WindRose::builtin(): `vigil risk`'s
/// default). docs/json.md, "Regional risk".
/// @throws vigil::UsageError naming the key for a missing, mistyped, out-of-range or unknown key.
RiskRequest risk_request_from_json(const nlohmann::json& j);

/// The JSON form (docs/json.md, "regional risk").
nlohmann::json to_json(const RiskResult& r);

/// The contours as a GeoJSON FeatureCollection, one MultiPolygon per limit.
nlohmann::json to_geojson(const RiskResult& r);

} // namespace vigil::app

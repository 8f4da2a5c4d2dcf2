/// @file
/// The Hazard panel's logic, platform-free so that tests drive it headless: the substance
/// search over the reference lists (GB 18218 table 1, the toxic endpoints table, the ERG
/// index), the panel's inputs turned into core's zone question (app::ZoneRequest, answered by
/// app::compute_zones exactly as `vigil zone` and the browser's vigil_web_zone are: the same
/// zones, the same cut distance, the same records inside), the colours of the zones on the map,
/// and the dispatch question that "send to dispatch" asks (the red zones' roads closed).
#pragma once

#include "dispatch.hpp"
#include "style.hpp"

#include <vigil/app/zones.hpp>
#include <vigil/hazard/footprint.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::viewer {

struct LayerView;

/// A substance as the chemical picker lists it (merged from the reference lists by CAS/UN).
struct Substance {
    std::string name_zh, name_en, cas;
    int un = 0;                ///< 0 = no UN number known (the ERG model needs one)
    std::string guide;         ///< ERG guide, "" if unknown
    bool toxic_levels = false; ///< the toxic endpoints table has levels (plume and puff need them)
    double gb18218_q_t = 0;    ///< GB 18218 table 1 critical quantity, 0 if not listed
    std::string label() const; ///< "氯 Chlorine · UN1017 · CAS 7782-50-5"
};

/// Substances whose Chinese or English name, alias, CAS or UN number contains `query`
/// (case- and width-folded); exact UN/CAS matches first. At most `limit`.
std::vector<Substance> search_substances(std::string_view query, std::size_t limit = 30);

enum class HazardModel { Erg, Plume, Puff, PoolFire, Bleve, Vce };
/// "erg", "plume", ... and the panel's labels.
std::string_view model_name(HazardModel m);
std::string_view model_label(HazardModel m);

/// The panel's inputs.
struct HazardInputs {
    geo::Coord at{};   ///< release point, WGS84
    std::string place; ///< what it is ("点击地图", a hazard source's name)
    Substance substance;
    HazardModel model = HazardModel::Erg;
    // Weather.
    double wind_from_deg = 0; ///< clockwise from north
    double wind_m_s = 2;
    bool night = false;
    /// 0..1, for the stability class; nothing = not known: the class Turner's table allows that
    /// reaches farthest (core's toxic_zone.hpp), and the result says so.
    std::optional<double> cloud_cover;
    std::string stability; ///< "" = from wind, day/night and cloud (Pasquill), else "A".."F"
    bool urban = false;    ///< Briggs urban sigmas
    // ERG.
    bool large_spill = false;
    // Release.
    double rate_kg_s = 1;  ///< plume
    double mass_kg = 1000; ///< puff, BLEVE, VCE fuel
    double height_m = 0;
    double pool_area_m2 = 100;            ///< pool fire
    double heat_of_combustion_mj_kg = 46; ///< pool fire, BLEVE, VCE (propane ~46)
    double burning_rate_kg_m2_s = 0.1;    ///< pool fire m″ (propane ~0.1, gasoline ~0.055)
    double vce_yield = 0.03;              ///< TNT efficiency of a vapour-cloud explosion
    /// Plume and puff footprints are cut here (app::ZoneRequest's default, the CLI's too).
    double max_range_m = hazard::k_default_max_range_m;
};

/// The panel's inputs as core's zone question (the fields a model does not read are passed
/// all the same; the service ignores them).
app::ZoneRequest zone_request(const HazardInputs& in);

/// One record inside a zone.
struct AffectedRecord {
    std::string kind, kind_title, id, name;
    std::size_t row = 0;
    int tier = 0; ///< of the most severe zone it is in
    double distance_m = 0;
    bool unable_to_respond = false; ///< a rescue team inside a red (tier 3) zone
};

/// The zones and what lies inside them: core's answer, and the zones in drawing order.
struct HazardResult {
    HazardInputs inputs;
    /// The service's answer as it came (its JSON is app::to_json(answer)); empty on an error.
    app::ZoneResult answer;
    std::vector<hazard::Zone> zones;      ///< drawn widest first, so the red lies on top
    std::vector<AffectedRecord> affected; ///< most severe tier first, then nearest
    /// What the model says besides the zones, shown with them (app::ZoneResult::summary): the
    /// material and its ERG guide, the weather used, the pool's flame, the TNT mass.
    std::vector<std::string> facts;
    /// What was assumed for unknown or out-of-range inputs (stability class and why, a wind
    /// clamped to 1 m/s, a footprint cut at the maximum range, distances from the pool centre):
    /// shown with the zones, never folded away.
    std::vector<std::string> assumptions;
    std::vector<std::string> notes; ///< choices made, levels not reached, model limits
    std::string error;              ///< bad input, in words; zones then empty
};

/// Asks core's zone service the question of `in` over `layers` (what lies inside is looked for
/// in their point layers). Bad inputs (unknown UN number, a substance without toxic levels for
/// a plume, wind 0 m/s for a plume, negative mass) come back in HazardResult::error, never thrown.
HazardResult run_hazard(const std::vector<LayerView>& layers, const HazardInputs& in);

/// The map colour of a zone tier: 3 red, 2 orange, 1 yellow; fill (translucent) and outline.
Rgba zone_fill(int tier);
Rgba zone_outline(int tier);

/// The dispatch question for the incident: at the release point, with the roads inside every
/// tier-3 (red) zone closed (run_dispatch then sends the teams to the nearest open road outside
/// them, see DispatchSheet::staging); the other fields (capabilities, status, needs) from `base`.
DispatchQuery dispatch_query_for(const HazardResult& r, DispatchQuery base);

/// Rings of a Polygon or MultiPolygon geometry (outer and holes, as stored).
std::vector<std::vector<geo::Coord>> geometry_rings(const geo::Geometry& g);

} // namespace vigil::viewer

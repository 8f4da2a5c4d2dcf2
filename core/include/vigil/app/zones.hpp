/// @file
/// The hazard-zone question, asked once for every shell: "a release here — how far does it
/// reach, and what lies inside?" `vigil zone`, the viewer's Hazard panel and the browser's
/// `vigil_web_zone` all fill a ZoneRequest and show the ZoneResult, so they cannot disagree
/// (the cut distance of a plume included).
///
/// Models (ZoneModel): ERG 2024 isolation and protective-action areas, Gaussian plume and puff
/// footprints over the toxic levels of concern, pool-fire and BLEVE-fireball heat-flux circles,
/// vapour-cloud-explosion overpressure circles (TNT equivalence). Each reads only the inputs it
/// needs; a needed one left out is refused naming it.
///
/// Safe side (a safety tool may be imprecise, never optimistic): an unknown input resolves to
/// the worst credible case and ZoneResult::assumptions says what was assumed:
///   stability   not given and the sky unknown: the class Turner's table allows that reaches
///               farthest (hazard/toxic_zone.hpp);
///   wind        below 1 m/s computed at 1 m/s; calm refused;
///   range       plume and puff footprints searched to max_range_m (10 km by default); a level
///               still reached there is drawn to it, flagged `cut`, and said to reach beyond;
///   ERG         the isolation circle is the larger of table 1's and the guide's precautionary
///               distance; without a wind direction the downwind area is left out and said so.
///
/// The JSON form of a request and of a result (docs/json.md, "zones") is written here once:
/// zone_request_from_json, to_json, to_geojson. Request keys are `vigil zone`'s options with
/// '_' for '-' (rate_kg_s is --rate-kg-s), and a missing input is named by its key.
#pragma once

#include <vigil/app/layer_set.hpp>
#include <vigil/geo/geometry.hpp>
#include <vigil/hazard/dispersion.hpp>
#include <vigil/hazard/erg.hpp>
#include <vigil/hazard/explosion.hpp>
#include <vigil/hazard/fire.hpp>
#include <vigil/hazard/footprint.hpp>

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::app {

enum class ZoneModel { Erg, Plume, Puff, PoolFire, Bleve, Vce };

/// "erg", "plume", "puff", "poolfire", "bleve", "vce".
std::string_view zone_model_name(ZoneModel m);
/// The model of that name. @throws vigil::UsageError naming the value and the six names.
ZoneModel parse_zone_model(std::string_view name);

/// A release and what is known about it. Units are in the names; absent optionals are "not
/// known" (the service assumes the safe side or refuses, naming the key).
struct ZoneRequest {
    geo::Coord at{};                  ///< release point, WGS84 degrees (key "at": [lon, lat])
    ZoneModel model = ZoneModel::Erg; ///< "model"
    // The material.
    int un = 0;            ///< "un": UN number; erg needs it, plume/puff use it without a substance
    std::string substance; ///< "substance": plume/puff, by name (en/zh), CAS or UN ("UN1005")
    // Weather.
    std::optional<double> wind_from_deg;  ///< "wind_from": degrees the wind blows FROM, clockwise from north
    std::optional<double> wind_speed_m_s; ///< "wind_speed": at 10 m (erg: table 3 band; plume/puff: needed)
    bool night = false;                   ///< "time": "day" | "night"
    std::optional<double> cloud_cover;    ///< "cloud": 0..1
    std::optional<char> stability;        ///< "stability": 'A'..'F' given by the user
    bool urban = false;                   ///< "urban": Briggs urban sigmas (plume)
    // ERG.
    bool large_spill = false; ///< "spill": "small" | "large"
    std::string container;    ///< "container": ERG table 3 container ("rail", "highway", ...)
    // Toxic release.
    std::optional<double> rate_kg_s;    ///< "rate_kg_s": plume
    std::optional<double> mass_kg;      ///< "mass_kg": puff; bleve fuel; vce flammable mass in the cloud
    std::optional<double> duration_min; ///< "duration_min": plume, checked against the travel time
    double release_height_m = 0;        ///< "release_height"
    std::string levels = "aegl";        ///< "levels": "aegl" (AEGL -> ERPG -> IDLH) | "hj169"
    double uncertainty_deg = 15;        ///< "uncertainty": wind-direction envelope ±degrees, 0 for none
    /// "max_range": plume and puff footprints are cut here, metres (the same default everywhere).
    double max_range_m = hazard::k_default_max_range_m;
    // Fire.
    std::optional<double> pool_area_m2;             ///< "pool_area_m2"
    std::optional<double> heat_of_combustion_mj_kg; ///< "heat_of_combustion": poolfire, bleve, vce
    std::optional<double> burning_rate_kg_m2_s;     ///< "burning_rate"
    std::optional<double> radiative_fraction;       ///< "radiative_fraction": poolfire 0.25, bleve 0.3 when absent
    double humidity = 0.5;                          ///< "humidity": 0..1, for transmissivity
    double air_temp_c = 20;                         ///< "air_temp"
    std::vector<double> flux_levels_kw_m2 = hazard::default_thermal_levels_kw_m2(); ///< "flux_levels"
    // Explosion.
    std::optional<double> yield; ///< "yield": TNT efficiency 0..1 (0.03 when absent)
    std::vector<double> overpressure_levels_kpa = hazard::default_overpressure_levels_kpa(); ///< "overpressure_levels"
    /// The area the project's data covers: a release more than 11 km outside it is refused as
    /// probably mistyped. Absent: the extent of the layers given to compute_zones.
    std::optional<geo::BBox> data_extent;
};

/// A record of the project's point layers inside a zone.
struct InsideRecord {
    std::string layer;       ///< layer kind, "rescue_teams"
    std::string layer_title; ///< the kind's Chinese title, "救援队伍"
    std::string id, name;
    std::size_t row = 0;            ///< row in its layer
    geo::Coord at{};                ///< its representative point
    double distance_m = 0;          ///< geodesic, from the release
    int tier = 0;                   ///< of the zone (in ZoneResult::affected: the most severe it lies in)
    bool unable_to_respond = false; ///< a rescue team inside a tier-3 (red) zone
};

/// What the result says of one zone besides its polygon (aligned with ZoneResult::zones).
struct ZoneFacts {
    std::vector<InsideRecord> inside;  ///< nearest first
    std::optional<char> stability;     ///< plume/puff: the Pasquill class this level used
    std::optional<double> from_edge_m; ///< pool fire: the distance from the pool's edge
    std::string flux_model;            ///< pool fire: "solid flame" | "point source"
};

/// Plume and puff: the substance and the weather as used.
struct ToxicFacts {
    std::string name_en, name_zh, cas, confidence;
    std::vector<int> un_numbers;
    std::string stability; ///< "F", or "AEGL-3 D, AEGL-2 F" when levels differ
    bool stability_assumed = false;
    std::string stability_source; ///< why this class
    std::vector<char> stability_candidates;
    double wind_used_m_s = 0, wind_given_m_s = 0;
    bool wind_clamped = false;
    std::optional<double> released_kg; ///< rate × duration, when a duration is given
};

/// VCE: the TNT equivalence.
struct VceFacts {
    double mass_kg = 0, yield = 0, tnt_kg = 0;
    bool yield_given = false;
};

struct ZoneResult {
    ZoneRequest request;
    /// Most severe first as the models give them (a toxic level's footprint, then its
    /// uncertainty sector); a viewer draws them widest first itself.
    std::vector<hazard::Zone> zones;
    std::vector<ZoneFacts> zone_facts; ///< aligned with zones
    /// Each record inside any zone once, with the most severe tier it lies in; most severe
    /// first, then nearest.
    std::vector<InsideRecord> affected;
    std::vector<std::string> unable_to_respond; ///< ids of the rescue teams in a red zone
    /// What the model says besides the zones, one sentence a line (the material and its guide,
    /// the weather used, the pool's flame, the TNT mass), as every shell shows it.
    std::vector<std::string> summary;
    /// What was assumed for unknown or out-of-range inputs: shown with the zones, never folded away.
    std::vector<std::string> assumptions;
    std::vector<std::string> notes; ///< choices made, levels not reached, model limits
    // The model's own facts (one of them is set).
    std::optional<hazard::ErgZone> erg;
    std::optional<ToxicFacts> toxic;
    std::optional<hazard::PoolFire> pool_fire;
    std::optional<hazard::Fireball> fireball;
    std::optional<VceFacts> vce;
};

/// The zones of `request` and the records of `layers`' point layers inside them.
/// @throws vigil::UsageError for a bad or missing input (naming its key), an unknown UN number
///   or substance, a release outside the data; the models' own UsageErrors (a calm wind, a
///   negative mass, a heat of combustion out of range).
ZoneResult compute_zones(const ZoneRequest& request, const LayerSet& layers);

/// A request from its JSON form (docs/json.md, "zones": the keys named on ZoneRequest's fields).
/// @throws vigil::UsageError naming a key of the wrong type or value, or an unknown key.
ZoneRequest zone_request_from_json(const nlohmann::json& j);

/// The result's JSON form (docs/json.md, "zones"): the model's facts, "zones" with their rings
/// and what lies inside, "affected", "unable_to_respond", "assumptions", "notes".
nlohmann::json to_json(const ZoneResult& r);

/// A GeoJSON FeatureCollection: one Polygon per zone (properties as in to_json, "inside" as
/// "layer/id"), the release point, and with `with_inside` each affected record once as a Point
/// with its most severe tier ("max_tier").
nlohmann::json to_geojson(const ZoneResult& r, bool with_inside);

} // namespace vigil::app

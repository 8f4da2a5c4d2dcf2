/// @file
/// One question, asked the same way by the CLI (`vigil zone --model plume|puff`) and the viewer's
/// Hazard panel: "where does this toxic release reach, and what did you assume to say so?"
/// ToxicRequest names every input with its default; ToxicResult holds the zones (footprint.hpp)
/// and the assumptions as numbers and as sentences, so that no shell has to work them out.
///
/// A safety tool may be imprecise, never optimistic: an unknown input resolves to the worst
/// credible case, and the result says what was assumed.
///
///   stability   given class > Turner's class from a given cloud cover > every class Turner's
///               table allows for the wind and the time of day (stability_basis), each level
///               taking the class whose footprint reaches farthest (for a ground release the
///               most stable: F on a night below 3 m/s, D by day, the overcast class).
///   wind        0 < u < 1 m/s is computed at k_min_gaussian_wind_m_s (1 m/s) and says so; a
///               calm (0) or a negative or NaN speed is refused (no Gaussian plume exists).
///   range       footprints are searched to max_range_m (k_default_max_range_m, 10 km); a level
///               still reached there has its zones flagged `cut` and an assumption line.
#pragma once

#include <vigil/hazard/footprint.hpp>
#include <vigil/hazard/stability.hpp>

#include <optional>
#include <string>
#include <vector>

namespace vigil::hazard {

/// A toxic release and the weather as far as the user knows it.
struct ToxicRequest {
    geo::Coord source{};
    double wind_from_deg = 0; ///< degrees clockwise from north, 0..360
    double wind_m_s = 0;      ///< at 10 m, as given (see the clamping above)
    DayNight time = DayNight::Day;
    std::optional<double> cloud_cover;  ///< 0..1 (oktas/8); nothing = not known
    std::optional<Stability> stability; ///< a class the user knows; wins over the cloud cover
    Terrain terrain = Terrain::Rural;   ///< plume only: Slade's puff sigmas have no urban set
    bool instantaneous = false;         ///< a puff of mass_kg; else a plume of rate_kg_s
    double rate_kg_s = 0;
    double mass_kg = 0;
    double height_m = 0; ///< release height
    double receptor_height_m = 0;
    std::vector<ZoneLevel> levels; ///< mg/m³, most severe first (tier 3 first)
    double uncertainty_deg = 15;   ///< wind-direction envelope, 0 for none
    double max_range_m = k_default_max_range_m;
};

struct ToxicResult {
    /// Per level reached: its footprint, then its uncertainty envelope (when uncertainty_deg > 0).
    std::vector<Zone> zones;
    double wind_given_m_s = 0;
    double wind_used_m_s = 0; ///< the given speed, or 1 m/s when it was clamped
    bool wind_clamped = false;
    StabilityBasis stability_basis;
    /// The class used for each of request.levels (aligned): the candidate whose footprint
    /// reaches farthest; nothing for a level no candidate reaches.
    std::vector<std::optional<Stability>> level_stability;
    /// The one class every reached level used (nothing when they differ, or none is reached).
    std::optional<Stability> stability;
    /// Level names that are reached nowhere (within max_range_m, from 1 m).
    std::vector<std::string> unreached;
    /// What was assumed, in words, for the output: the stability class and why, a clamped
    /// wind, each level cut at the maximum range. Empty when nothing was assumed.
    std::vector<std::string> assumptions;
};

/// Zones of a toxic release with the weather resolved as above. Throws UsageError naming the
/// input for a calm or negative wind, a bad cloud cover, a non-positive rate or mass, a bad
/// release point, wind direction or uncertainty, an empty level list.
ToxicResult toxic_release_zones(const ToxicRequest& request);

/// "F", or "AEGL-3 D, AEGL-2 F" when the levels used different classes; "" when none is reached.
std::string stability_summary(const ToxicRequest& request, const ToxicResult& result);

} // namespace vigil::hazard

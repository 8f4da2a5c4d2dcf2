/// @file
/// Gaussian dispersion of a neutrally buoyant gas: the continuous plume and the instantaneous
/// puff with ground reflection, Briggs (1973) plume sigmas (rural and urban) and Slade (1968)
/// puff sigmas, and the footprint where the concentration reaches a level of concern.
/// Formulas and sources: docs/domain.md §4.2–4.3 (CCPS 1999, Griffiths 1994).
///
///   plume:  C(x,y,z) = Q / (2π u σy σz) · exp(−y²/2σy²) · [exp(−(z−H)²/2σz²) + exp(−(z+H)²/2σz²)]
///   puff:   C(x,y,z,t) = M / ((2π)^{3/2} σx σy σz) · exp(−(x−ut)²/2σx²) · exp(−y²/2σy²) · [z terms],
///           σx = σy, σ evaluated at the distance x of the receptor.
///
/// Units: x, y, z, H in metres (x downwind, y crosswind, z up); Q in kg/s; M in kg; u in m/s;
/// t in s; concentrations in mg/m³ (the unit of the toxic endpoints). Dense gases (chlorine,
/// cold ammonia, LPG) slump and spread wider and shorter than this model says; see docs/hazard.md.
/// Briggs's fits are meant for about 100 m to 10 km; Vigil evaluates them from 1 m to the search
/// range (k_default_max_range_m unless the caller gives another).
#pragma once

#include <vigil/hazard/stability.hpp>

#include <vector>

namespace vigil::hazard {

enum class Terrain { Rural, Urban };

/// Where toxic footprints are cut unless the caller asks for another range, in m: 10 km, as
/// ALOHA does, because Briggs's and Slade's fits are meant for about 100 m to 10 km and the wind
/// rarely holds steady for the hour a plume needs to go farther. The CLI and the viewer both use
/// it; a footprint cut here says so (Footprint::cut, Zone::cut).
inline constexpr double k_default_max_range_m = 10000;

/// The lowest wind speed, m/s at 10 m, for which the Gaussian plume and puff are computed. Below
/// it the wind meanders, the plume has no steady direction and the u in C = Q/(2π u σy σz) makes
/// no sense; ALOHA will not run there either. toxic_zone.hpp clamps 0 < u < 1 to it with a
/// warning and refuses a calm.
inline constexpr double k_min_gaussian_wind_m_s = 1.0;

struct Sigmas {
    double y = 0; ///< crosswind σy, m
    double z = 0; ///< vertical σz, m
};

/// Briggs (1973) plume σy, σz at `x_m` metres downwind. Throws UsageError for x <= 0 or NaN.
Sigmas briggs_sigmas(double x_m, Stability s, Terrain terrain);

/// Slade (1968) puff σy (= σx), σz at `x_m` metres downwind. Throws UsageError for x <= 0 or NaN.
Sigmas puff_sigmas(double x_m, Stability s);

/// A continuous release. check() throws UsageError naming the bad member: rate <= 0, wind
/// speed <= 0 (a calm has no plume), negative height or receptor height, any NaN.
struct PlumeRelease {
    double rate_kg_s = 0;
    double wind_m_s = 0;
    double height_m = 0; ///< release height H
    Stability stability = Stability::D;
    Terrain terrain = Terrain::Rural;
    double receptor_height_m = 0; ///< z of the footprint (people's breathing height ~ 0..1.5 m)
    void check() const;
};

/// An instantaneous release of `mass_kg`; same checks as PlumeRelease (mass instead of rate).
/// Slade's puff sigmas have no urban set: terrain is ignored.
struct PuffRelease {
    double mass_kg = 0;
    double wind_m_s = 0;
    double height_m = 0;
    Stability stability = Stability::D;
    double receptor_height_m = 0;
    void check() const;
};

/// Plume concentration in mg/m³ at (x, y, z); 0 for x <= 0 (upwind). Checks the release.
double plume_concentration(const PlumeRelease& r, double x_m, double y_m, double z_m);

/// Puff concentration in mg/m³ at (x, y, z) `t_s` seconds after the release; 0 for x <= 0.
double puff_concentration(const PuffRelease& r, double x_m, double y_m, double z_m, double t_s);

/// The highest concentration the puff brings to (x, y, z): when its centre passes, t = x/u.
double puff_peak_concentration(const PuffRelease& r, double x_m, double y_m, double z_m);

/// Dose ∫C dt at (x, y, z) over the puff's passage, in mg·min/m³ (σ frozen at x:
/// ∫exp(−(x−ut)²/2σx²) dt = √(2π) σx / u).
double puff_dose(const PuffRelease& r, double x_m, double y_m, double z_m);

/// Toxic load ∫Cⁿ dt in (mg/m³)ⁿ·min, the quantity in a toxic probit (probit.hpp):
/// Cpeakⁿ · √(2π) σx / (u √n) / 60. Throws UsageError for n <= 0.
double puff_toxic_load(const PuffRelease& r, double x_m, double y_m, double z_m, double n);

/// Where the ground-level (receptor height) concentration reaches `level`: the downwind range
/// and the half-width at sampled distances. For a plume, half_width(x) = σy·√(2 ln(Ccl(x)/level))
/// where the centre-line Ccl(x) >= level; for a puff the same with the peak concentration.
struct Footprint {
    double level_mg_m3 = 0;
    /// Farthest downwind distance where C >= level; 0 when it is never reached (then `samples`
    /// is empty).
    double max_distance_m = 0;
    /// Nearest downwind distance where C >= level (> 0 for an elevated release, whose plume
    /// touches the ground only some way off).
    double min_distance_m = 0;
    double max_half_width_m = 0;
    /// True when the level is still reached at the search range: the footprint goes on beyond
    /// max_distance_m (== the range) and was cut there.
    bool cut = false;
    struct Sample {
        double x_m = 0;          ///< downwind
        double half_width_m = 0; ///< crosswind, each side
    };
    /// From min_distance_m to max_distance_m in increasing x, both ends included (half-width
    /// 0 there); about `samples` points, denser near the source.
    std::vector<Sample> samples;
};

/// The plume's footprint for `level_mg_m3` (> 0). Searches x from 1 m to `max_range_m`; a
/// footprint that would reach past it is cut there (max_distance_m == max_range_m, cut == true).
Footprint plume_footprint(const PlumeRelease& r, double level_mg_m3, double max_range_m = k_default_max_range_m, int samples = 64);

/// The puff's footprint (peak concentration >= level) for `level_mg_m3`.
Footprint puff_footprint(const PuffRelease& r, double level_mg_m3, double max_range_m = k_default_max_range_m, int samples = 64);

} // namespace vigil::hazard

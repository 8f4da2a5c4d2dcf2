/// @file
/// Thermal radiation of a pool fire and of a BLEVE fireball, and the distances at which the
/// incident flux falls to given levels (World Bank 1985 thresholds: 37.5 kW/m² equipment
/// destroyed / 1 % fatality in 10 s, 12.5 kW/m² 1 % fatality in 1 min, 4 kW/m² pain after 20 s).
/// Formulas: ../shared/docs/domain.md §4.5 (CCPS; Burgess burning rate; Thomas flame height).
///
///   burning rate    m″ = 0.001·ΔHc / (Cp·(Tb − T0) + ΔHv)                   kg/m²s (Burgess)
///   flame height    L  = 84·r·[m″ / (ρa·√(2·g·r))]^0.6                     m (Thomas)
///   point source    q(x) = τ·η·m″·A·ΔHc / (4π·d²),  d² = x² + (L/2)²
///   fireball        D = 5.8·M^{1/3},  t = 0.45·M^{1/3} (M < 30 t) or 2.6·M^{1/6},  H = 0.75·D,
///                   SEP = f·M·ΔHc / (π·D²·t),  q = τ·SEP·(D/2)²/d²,  d² = x² + H²
///   transmissivity  τ = 2.02·(Pw·X)^−0.09 (capped at 1),  Pw = RH · p_sat(T) (Magnus), X = path in m
///
/// Units: SI throughout (m, kg, s, J/kg, W/m², K); fluxes in the result structs in kW/m².
/// x is the horizontal distance on the ground from the pool centre or the fireball's foot.
#pragma once

#include <vigil/util/error.hpp>

#include <optional>
#include <vector>

namespace vigil::hazard {

/// The air between the fire and the target (for τ).
struct Atmosphere {
    double relative_humidity = 0.5; ///< 0..1
    double temperature_k = 293.15;
    void check() const; ///< UsageError for RH outside 0..1 or T outside 200..350 K or NaN
};

/// Water vapour partial pressure in Pa: RH · p_sat(T), Magnus formula over water.
double water_vapour_pressure_pa(const Atmosphere& air);

/// τ = 2.02·(Pw·X)^−0.09, at most 1; X = path length in m (> 0).
double transmissivity(const Atmosphere& air, double path_m);

/// Burgess burning rate m″ in kg/(m²·s) from ΔHc (J/kg), Cp (J/(kg·K)) of the liquid, normal
/// boiling point Tb and ambient T0 (K; Tb < T0 for a liquefied gas, then the sensible-heat term
/// is 0) and ΔHv (J/kg). UsageError for non-positive ΔHc, Cp, ΔHv or NaN.
double burgess_burning_rate(double heat_of_combustion_j_kg, double cp_j_kg_k, double boiling_k, double ambient_k,
                            double heat_of_vaporisation_j_kg);

struct PoolFire {
    double area_m2 = 0;
    double heat_of_combustion_j_kg = 0;
    double burning_rate_kg_m2_s = 0;   ///< m″ (burgess_burning_rate, or a measured value)
    double radiative_fraction = 0.25;   ///< η, 0.15–0.35 for pool fires
    double air_density_kg_m3 = 1.2;
    Atmosphere air;
    /// UsageError naming the member: non-positive area/ΔHc/m″, η outside (0, 1], NaN.
    void check() const;

    double diameter_m() const;       ///< of the circle of `area_m2`
    double flame_height_m() const;   ///< Thomas
    double heat_release_w() const;   ///< m″·A·ΔHc
    /// Incident flux in kW/m² at ground distance x (m, >= 0) from the pool centre.
    double flux_kw_m2(double x_m) const;
};

struct Fireball {
    double fuel_mass_kg = 0;
    double heat_of_combustion_j_kg = 0;
    double radiative_fraction = 0.3; ///< f, 0.25–0.4 (CCPS)
    Atmosphere air;
    void check() const; ///< UsageError as PoolFire::check

    double diameter_m() const;       ///< 5.8·M^{1/3}
    double duration_s() const;       ///< 0.45·M^{1/3} below 30 t, 2.6·M^{1/6} above
    double centre_height_m() const;  ///< 0.75·D
    double surface_emissive_power_kw_m2() const;
    /// Incident flux in kW/m² at ground distance x (m, >= 0) from the point under the centre.
    double flux_kw_m2(double x_m) const;
};

/// A flux level and how far it reaches.
struct ThermalDistance {
    double flux_kw_m2 = 0;
    /// Ground distance in m beyond which the flux is below the level; nothing when the flux is
    /// below the level everywhere (even at x = 0).
    std::optional<double> distance_m;
};

/// The default levels, kW/m²: 37.5, 12.5, 4.
std::vector<double> default_thermal_levels_kw_m2();

/// Distances to each level (in the order given). UsageError for a level <= 0 or NaN.
std::vector<ThermalDistance> thermal_distances(const PoolFire& fire, const std::vector<double>& levels_kw_m2);
std::vector<ThermalDistance> thermal_distances(const Fireball& ball, const std::vector<double>& levels_kw_m2);

} // namespace vigil::hazard

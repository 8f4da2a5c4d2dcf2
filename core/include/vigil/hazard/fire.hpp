/// @file
/// Thermal radiation of a pool fire and of a BLEVE fireball, and the distances at which the
/// incident flux falls to given levels (World Bank 1985 thresholds: 37.5 kW/m² equipment
/// destroyed / 1 % fatality in 10 s, 12.5 kW/m² 1 % fatality in 1 min, 4 kW/m² pain after 20 s).
/// Formulas: docs/domain.md §4.5, CCPS (1999/2000) and the TNO Yellow Book (CPR 14E)
/// ch. 6; the checks are in tests/core/hazard/test_fire.cpp and docs/hazard.md.
///
///   burning rate    m″ = 0.001·ΔHc / (Cp·(Tb − T0) + ΔHv)                   kg/m²s (Burgess)
///   flame height    L  = 42·D·[m″ / (ρa·√(g·D))]^0.61                      m (Thomas 1963)
///   emissive power  E  = 140·e^(−0.12·D) + 20·(1 − e^(−0.12·D))             kW/m² (Mudan & Croce 1988)
///   solid flame     q(x) = τ·E·F(x) outside the pool, E over it; F = max view factor of a
///                   vertical cylinder D × L to a ground target, x from the pool centre:
///
///                        S = 2x/D, h = 2L/D, A = (h² + S² + 1)/2S, B = (1 + S²)/2S
///                        Fv = atan(h/√(S²−1))/πS − h·atan(√((S−1)/(S+1)))/πS
///                             + A·h/(πS√(A²−1))·atan(√((A+1)(S−1)/((A−1)(S+1))))
///                        Fh = (B − 1/S)/(π√(B²−1))·atan(√((B+1)(S−1)/((B−1)(S+1))))
///                             − (A − 1/S)/(π√(A²−1))·atan(√((A+1)(S−1)/((A−1)(S+1))))
///                        F  = √(Fv² + Fh²)          (CCPS 1999 §3.3; Mudan 1984; checked in the tests
///                                                    against a numerical integration of the view factor)
///
///   point source    q(x) = τ·η·m″·A·ΔHc / (4π·d²),  d² = x² + (L/2)²
///   pool fire       q(x) = max(solid flame, point source): the solid flame is right near the
///                   pool, where the point source fails (it called 37.5 kW/m² "not reached" beside
///                   a flame emitting 85 kW/m²); far away the point source is the larger for big
///                   pools (Mudan–Croce's smoke shielding), and a safety tool takes the larger.
///   fireball        D = 5.8·M^{1/3},  t = 0.45·M^{1/3} (M < 30 t) or 2.6·M^{1/6},  H = 0.75·D,
///                   SEP = f·M·ΔHc / (π·D²·t),  q = τ·SEP·(D/2)²/d²,  d² = x² + H²
///   transmissivity  τ = 2.02·(Pw·X)^−0.09 (capped at 1),  Pw = RH · p_sat(T) (Magnus), X = path in m
///
/// Units: SI throughout (m, kg, s, J/kg, W/m², K); fluxes in the result structs in kW/m².
/// x is the horizontal distance on the ground from the pool centre or the fireball's foot
/// (ThermalDistance::from_edge_m gives the pool's distances from its edge as well).
#pragma once

#include <vigil/util/error.hpp>

#include <optional>
#include <string>
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

/// The ranges the fire inputs are checked against (UsageError outside them). They hold every
/// fuel in CCPS's and the Yellow Book's tables with a margin, and catch unit slips (ΔHc typed in
/// kJ/kg, a burning rate in kg/(m² min)).
inline constexpr double k_min_heat_of_combustion_j_kg = 5e6;   ///< below CO (10.1 MJ/kg), with margin
inline constexpr double k_max_heat_of_combustion_j_kg = 150e6; ///< above hydrogen (120 MJ/kg)
inline constexpr double k_min_burning_rate_kg_m2_s = 0.005;    ///< below methanol (0.017)
inline constexpr double k_max_burning_rate_kg_m2_s = 0.3;      ///< above LPG (0.099) and LNG (0.078) by 3x
inline constexpr double k_min_radiative_fraction = 0.05;
inline constexpr double k_max_radiative_fraction = 0.6; ///< pool fires 0.15–0.35, fireballs 0.25–0.4

/// UsageError unless `j_kg` lies in k_min/k_max_heat_of_combustion_j_kg; the message gives the
/// value in MJ/kg, the range and examples. Used by the fires and by the TNT equivalence.
void check_heat_of_combustion(double j_kg);

/// A pool fire on a circular pool of `area_m2`, burning without wind (a vertical flame).
struct PoolFire {
    double area_m2 = 0;
    double heat_of_combustion_j_kg = 0;
    double burning_rate_kg_m2_s = 0;  ///< m″ (burgess_burning_rate, or a measured value)
    double radiative_fraction = 0.25; ///< η of the point-source term, 0.15–0.35 for pool fires
    double air_density_kg_m3 = 1.2;
    Atmosphere air;
    /// UsageError naming the member and its value: a non-positive area, or ΔHc, m″, η or the air
    /// density outside the k_min/k_max ranges above (ρa 0.5..2 kg/m³), or NaN.
    void check() const;

    double diameter_m() const;     ///< of the circle of `area_m2`
    double flame_height_m() const; ///< Thomas (1963), exponent 0.61
    double heat_release_w() const; ///< m″·A·ΔHc
    /// Mudan & Croce (1988): the flame's mean surface emissive power in kW/m², from 140 kW/m²
    /// (small, luminous) down to 20 kW/m² (large, smoke-shielded) as the diameter grows.
    double surface_emissive_power_kw_m2() const;
    /// The maximum view factor (the target turned to face the flame) from the vertical cylinder
    /// D × L to a point on the ground `x_m` from the pool centre; 1 over the pool (x <= D/2).
    double view_factor(double x_m) const;
    /// Solid flame: τ·E·F(x) beyond the edge, E over the pool (the flame engulfs the target).
    double solid_flame_flux_kw_m2(double x_m) const;
    /// Point source of η·m″·A·ΔHc at mid-flame height.
    double point_source_flux_kw_m2(double x_m) const;
    /// Incident flux in kW/m² at ground distance x (m, >= 0) from the pool centre: the larger
    /// of the solid-flame and the point-source flux.
    double flux_kw_m2(double x_m) const;
};

struct Fireball {
    double fuel_mass_kg = 0;
    double heat_of_combustion_j_kg = 0;
    double radiative_fraction = 0.3; ///< f, 0.25–0.4 (CCPS)
    Atmosphere air;
    void check() const; ///< UsageError as PoolFire::check (non-positive mass, ΔHc and f out of range)

    double diameter_m() const;      ///< 5.8·M^{1/3}
    double duration_s() const;      ///< 0.45·M^{1/3} below 30 t, 2.6·M^{1/6} above
    double centre_height_m() const; ///< 0.75·D
    double surface_emissive_power_kw_m2() const;
    /// Incident flux in kW/m² at ground distance x (m, >= 0) from the point under the centre.
    double flux_kw_m2(double x_m) const;
};

/// A flux level and how far it reaches.
struct ThermalDistance {
    double flux_kw_m2 = 0;
    /// Ground distance in m from the pool centre or the fireball's foot beyond which the flux is
    /// below the level; nothing when the flux is below the level everywhere (even at x = 0).
    std::optional<double> distance_m;
    /// Pool fires: the same distance from the pool's edge (0 when the level is reached only over
    /// the pool itself, inside the flame). Nothing for a fireball.
    std::optional<double> from_edge_m;
    /// The model that gives the distance: "solid flame" or "point source" (pool fire, the larger
    /// one at that distance), "fireball". In English, as machine-readable output carries it; shown
    /// to a user through tr() (each is a msgid).
    std::string model;
};

/// The default levels, kW/m²: 37.5, 12.5, 4.
std::vector<double> default_thermal_levels_kw_m2();

/// Distances to each level (in the order given). UsageError for a level <= 0 or NaN.
std::vector<ThermalDistance> thermal_distances(const PoolFire& fire, const std::vector<double>& levels_kw_m2);
std::vector<ThermalDistance> thermal_distances(const Fireball& ball, const std::vector<double>& levels_kw_m2);

} // namespace vigil::hazard

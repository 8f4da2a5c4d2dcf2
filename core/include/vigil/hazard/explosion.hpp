/// @file
/// Vapour-cloud explosion by TNT equivalence and the Kingery–Bulmash hemispherical surface
/// burst fit (simplified by Swisdak 1994), docs/domain.md §4.4:
///
///   W_TNT = η · m_f · ΔHc / E_TNT            E_TNT = 4.686 MJ/kg (CCPS, Crowl & Louvar)
///   Z     = R / W_TNT^{1/3}                  m/kg^{1/3}
///   P     = exp(A + B·lnZ + C·(lnZ)² + D·(lnZ)³ + E·(lnZ)⁴)   kPa, side-on (incident)
///
///   Z range       A        B        C        D        E
///   0.2–2.9     7.2106  −2.1069  −0.3229   0.1117   0.0685
///   2.9–23.8    7.5938  −3.0523   0.40977  0.0261  −0.01267
///   23.8–198.5  6.0536  −1.4066   0        0        0
///
/// Check: 10 000 kg TNT at 500 m -> 5.055 kPa (fcento100/kingery-bulmash README).
/// TNT equivalence over-predicts near the cloud and ignores congestion (no multi-energy or
/// Baker–Strehlow–Tang here); see docs/hazard.md.
#pragma once

#include <vigil/util/error.hpp>

#include <optional>
#include <vector>

namespace vigil::hazard {

inline constexpr double k_tnt_blast_energy_j_kg = 4.686e6;
/// Validity range of the fit in scaled distance, m/kg^{1/3}.
inline constexpr double k_kb_min_scaled_distance = 0.2;
inline constexpr double k_kb_max_scaled_distance = 198.5;

/// W_TNT in kg. UsageError for fuel mass <= 0, ΔHc outside 5..150 MJ/kg (fire.hpp,
/// check_heat_of_combustion), yield outside (0, 1] or NaN.
double tnt_equivalent_kg(double fuel_mass_kg, double heat_of_combustion_j_kg, double yield);

/// Kingery–Bulmash side-on overpressure in kPa at scaled distance Z (m/kg^{1/3}). Nothing
/// outside the fit's range 0.2..198.5 (closer: inside the fireball; farther: below ~0.25 kPa).
/// UsageError for Z <= 0 or NaN.
std::optional<double> kingery_bulmash_overpressure_kpa(double scaled_distance);

/// Overpressure in kPa at `distance_m` from a charge of `tnt_kg`; as above.
std::optional<double> overpressure_kpa(double tnt_kg, double distance_m);

struct OverpressureDistance {
    double overpressure_kpa = 0;
    /// Distance in m at which the overpressure falls to the level; nothing when the level lies
    /// outside what the fit covers (above ~P(0.2) or below P(198.5)).
    std::optional<double> distance_m;
};

/// The default levels, kPa, from the Chinese damage table (domain.md §4.4): 50 (severe injury
/// or death), 20 (slight injury), 5 (window glass broken).
std::vector<double> default_overpressure_levels_kpa();

/// Distances to each level. UsageError for tnt_kg <= 0 or a level <= 0 or NaN.
std::vector<OverpressureDistance> overpressure_distances(double tnt_kg, const std::vector<double>& levels_kpa);

} // namespace vigil::hazard

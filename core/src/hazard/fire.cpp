/// @file
/// Pool fire (solid flame and point source) and BLEVE fireball radiation (fire.hpp,
/// docs/domain.md §4.5).

#include <vigil/hazard/fire.hpp>

#include "input_checks.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <string>

namespace vigil::hazard {
namespace {

constexpr double k_g = 9.81;

using detail::check_positive;

void check_radiative_fraction(double v) {
    if (!std::isfinite(v) || v < k_min_radiative_fraction || v > k_max_radiative_fraction)
        throw UsageError(trf("radiative fraction {}: give {} to {} (pool fires 0.15-0.35, fireballs 0.25-0.4, CCPS)",
                             text::format_double(v), text::format_double(k_min_radiative_fraction),
                             text::format_double(k_max_radiative_fraction)));
}

// The maximum view factor of a vertical cylinder (radius R, height L) to a ground target at x >=
// R from its axis (formula in fire.hpp). A ± 1 and B ± 1 are written out so that nothing
// cancels near the edge (S -> 1, where B -> 1): A − 1 = (h² + (S−1)²)/2S, A + 1 = (h² + (S+1)²)/2S,
// and (B − 1/S)/√(B² − 1) reduces to 1, so Fh's first term is atan(√((S+1)/(S−1)))/π.
double cylinder_view_factor(double x, double radius, double height) {
    const double s = std::max(x / radius, 1.0), h = height / radius;
    const double a = (h * h + s * s + 1) / (2 * s);
    const double am1 = (h * h + (s - 1) * (s - 1)) / (2 * s), ap1 = (h * h + (s + 1) * (s + 1)) / (2 * s);
    const double root_a = std::sqrt(am1 * ap1);
    const double t_a = std::atan2(std::sqrt(ap1 * (s - 1)), std::sqrt(am1 * (s + 1)));
    const double fv = std::atan2(h, std::sqrt(s * s - 1)) / (std::numbers::pi * s) -
                      h * std::atan2(std::sqrt(s - 1), std::sqrt(s + 1)) / (std::numbers::pi * s) +
                      a * h / (std::numbers::pi * s * root_a) * t_a;
    const double fh = std::atan2(std::sqrt(s + 1), std::sqrt(s - 1)) / std::numbers::pi - (a - 1 / s) / (std::numbers::pi * root_a) * t_a;
    return std::min(1.0, std::hypot(fv, fh));
}

// Ground distance where a decreasing flux(x) falls to `level`: bisection after doubling an
// upper bound. Nothing when the flux is below the level already at x = 0.
std::optional<double> reach(const std::function<double(double)>& flux, double level) {
    if (!std::isfinite(level) || level <= 0)
        throw UsageError(trf("heat flux level {} kW/m2: must be a positive number", text::format_double(level)));
    if (flux(0) < level) return std::nullopt;
    double lo = 0, hi = 1;
    while (flux(hi) >= level) {
        lo = hi;
        hi *= 2;
        if (hi > 1e7) return hi; // unreachable for physical inputs; keeps the loop finite
    }
    for (int i = 0; i < 80; ++i) {
        double mid = 0.5 * (lo + hi);
        (flux(mid) >= level ? lo : hi) = mid;
    }
    return lo;
}

} // namespace

void check_heat_of_combustion(double j_kg) {
    if (!std::isfinite(j_kg) || j_kg < k_min_heat_of_combustion_j_kg || j_kg > k_max_heat_of_combustion_j_kg)
        // clang-format off
        throw UsageError(trf("heat of combustion {} MJ/kg: give {} to {} MJ/kg (methanol 19.9, gasoline 43.7, propane 46.35, hydrogen 120; was it given in kJ/kg?)",
                             text::format_double(j_kg / 1e6), text::format_double(k_min_heat_of_combustion_j_kg / 1e6),
                             text::format_double(k_max_heat_of_combustion_j_kg / 1e6)));
    // clang-format on
}

void Atmosphere::check() const {
    if (!std::isfinite(relative_humidity) || relative_humidity < 0 || relative_humidity > 1)
        throw UsageError(trf("relative humidity {}: give a fraction from 0 to 1", text::format_double(relative_humidity)));
    if (!std::isfinite(temperature_k) || temperature_k < 200 || temperature_k > 350)
        throw UsageError(trf("air temperature {} K: give 200 to 350 K", text::format_double(temperature_k)));
}

double water_vapour_pressure_pa(const Atmosphere& air) {
    air.check();
    double tc = air.temperature_k - 273.15;
    return air.relative_humidity * 610.94 * std::exp(17.625 * tc / (tc + 243.04));
}

double transmissivity(const Atmosphere& air, double path_m) {
    check_positive(path_m, N_("radiation path length (m)"));
    double pw = water_vapour_pressure_pa(air);
    if (pw <= 0) return 1; // dry air absorbs nothing in this correlation
    return std::min(1.0, 2.02 * std::pow(pw * path_m, -0.09));
}

double burgess_burning_rate(double dhc, double cp, double tb, double t0, double dhv) {
    check_positive(dhc, N_("heat of combustion (J/kg)"));
    check_positive(cp, N_("liquid heat capacity (J/kg K)"));
    check_positive(dhv, N_("heat of vaporisation (J/kg)"));
    check_positive(tb, N_("boiling point (K)"));
    check_positive(t0, N_("ambient temperature (K)"));
    // A liquefied gas boils below ambient: no sensible heat is needed to bring it to the boil.
    double sensible = tb > t0 ? cp * (tb - t0) : 0;
    return 0.001 * dhc / (sensible + dhv);
}

void PoolFire::check() const {
    check_positive(area_m2, N_("pool area (m2)"));
    check_heat_of_combustion(heat_of_combustion_j_kg);
    if (!std::isfinite(burning_rate_kg_m2_s) || burning_rate_kg_m2_s < k_min_burning_rate_kg_m2_s ||
        burning_rate_kg_m2_s > k_max_burning_rate_kg_m2_s)
        // clang-format off
        throw UsageError(trf("burning rate {} kg/(m2 s): give {} to {} (methanol 0.017, gasoline 0.055, LNG 0.078, LPG 0.099; per second, not per minute)",
                             text::format_double(burning_rate_kg_m2_s), text::format_double(k_min_burning_rate_kg_m2_s),
                             text::format_double(k_max_burning_rate_kg_m2_s)));
    // clang-format on
    check_radiative_fraction(radiative_fraction);
    if (!std::isfinite(air_density_kg_m3) || air_density_kg_m3 < 0.5 || air_density_kg_m3 > 2)
        throw UsageError(trf("air density {} kg/m3: give 0.5 to 2 (1.2 at 20 degC, sea level)", text::format_double(air_density_kg_m3)));
    air.check();
}

double PoolFire::diameter_m() const { return 2 * std::sqrt(area_m2 / std::numbers::pi); }

double PoolFire::flame_height_m() const {
    check();
    const double d = diameter_m();
    return 42 * d * std::pow(burning_rate_kg_m2_s / (air_density_kg_m3 * std::sqrt(k_g * d)), 0.61);
}

double PoolFire::surface_emissive_power_kw_m2() const {
    check();
    const double shielded = std::exp(-0.12 * diameter_m());
    return 140 * shielded + 20 * (1 - shielded);
}

double PoolFire::view_factor(double x) const {
    if (!std::isfinite(x) || x < 0) throw UsageError(trf("distance {} m: must be 0 or more", text::format_double(x)));
    const double radius = diameter_m() / 2;
    if (x <= radius) return 1;
    return cylinder_view_factor(x, radius, flame_height_m());
}

double PoolFire::solid_flame_flux_kw_m2(double x) const {
    const double f = view_factor(x);
    const double radius = diameter_m() / 2;
    if (x <= radius) return surface_emissive_power_kw_m2();
    // The path through the air runs from the flame's surface (the pool's edge) to the target.
    return transmissivity(air, x - radius) * surface_emissive_power_kw_m2() * f;
}

double PoolFire::point_source_flux_kw_m2(double x) const {
    if (!std::isfinite(x) || x < 0) throw UsageError(trf("distance {} m: must be 0 or more", text::format_double(x)));
    double h = flame_height_m() / 2; // the point source at mid-flame
    double d2 = x * x + h * h;
    return transmissivity(air, std::sqrt(d2)) * radiative_fraction * heat_release_w() / (4 * std::numbers::pi * d2) / 1000;
}

double PoolFire::heat_release_w() const {
    check();
    return burning_rate_kg_m2_s * area_m2 * heat_of_combustion_j_kg;
}

double PoolFire::flux_kw_m2(double x) const { return std::max(solid_flame_flux_kw_m2(x), point_source_flux_kw_m2(x)); }

void Fireball::check() const {
    check_positive(fuel_mass_kg, N_("fuel mass (kg)"));
    check_heat_of_combustion(heat_of_combustion_j_kg);
    check_radiative_fraction(radiative_fraction);
    air.check();
}

double Fireball::diameter_m() const {
    check();
    return 5.8 * std::cbrt(fuel_mass_kg);
}

double Fireball::duration_s() const {
    check();
    return fuel_mass_kg < 30000 ? 0.45 * std::cbrt(fuel_mass_kg) : 2.6 * std::pow(fuel_mass_kg, 1.0 / 6.0);
}

double Fireball::centre_height_m() const { return 0.75 * diameter_m(); }

double Fireball::surface_emissive_power_kw_m2() const {
    double d = diameter_m();
    return radiative_fraction * fuel_mass_kg * heat_of_combustion_j_kg / (std::numbers::pi * d * d * duration_s()) / 1000;
}

double Fireball::flux_kw_m2(double x) const {
    if (!std::isfinite(x) || x < 0) throw UsageError(trf("distance {} m: must be 0 or more", text::format_double(x)));
    double radius = diameter_m() / 2, h = centre_height_m();
    double d = std::sqrt(x * x + h * h);
    // View factor of a sphere to a surface facing it: (R/d)²; the path runs from its surface.
    return transmissivity(air, std::max(1.0, d - radius)) * surface_emissive_power_kw_m2() * radius * radius / (d * d);
}

std::vector<double> default_thermal_levels_kw_m2() { return {37.5, 12.5, 4.0}; }

std::vector<ThermalDistance> thermal_distances(const PoolFire& fire, const std::vector<double>& levels) {
    fire.check();
    const double radius = fire.diameter_m() / 2;
    std::vector<ThermalDistance> out;
    for (double l : levels) {
        ThermalDistance d{l, reach([&](double x) { return fire.flux_kw_m2(x); }, l), std::nullopt, ""};
        if (d.distance_m) {
            d.from_edge_m = std::max(0.0, *d.distance_m - radius);
            d.model = fire.solid_flame_flux_kw_m2(*d.distance_m) >= fire.point_source_flux_kw_m2(*d.distance_m) ? N_("solid flame")
                                                                                                                : N_("point source");
        }
        out.push_back(std::move(d));
    }
    return out;
}

std::vector<ThermalDistance> thermal_distances(const Fireball& ball, const std::vector<double>& levels) {
    ball.check();
    std::vector<ThermalDistance> out;
    for (double l : levels) out.push_back({l, reach([&](double x) { return ball.flux_kw_m2(x); }, l), std::nullopt, N_("fireball")});
    return out;
}

} // namespace vigil::hazard

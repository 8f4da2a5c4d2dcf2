/// @file
/// Pool fire and BLEVE fireball radiation (../shared/docs/domain.md §4.5).

#include <vigil/hazard/fire.hpp>

#include <vigil/util/error.hpp>
#include <vigil/util/text.hpp>

#include <cmath>
#include <functional>
#include <numbers>
#include <string>

namespace vigil::hazard {
namespace {

constexpr double k_pi = std::numbers::pi;
constexpr double k_g = 9.81;

void check_positive(double v, const std::string& what) {
    if (!std::isfinite(v) || v <= 0) throw UsageError(what + " " + text::format_double(v) + ": must be a positive number");
}

void check_fraction(double v, const std::string& what) {
    if (!std::isfinite(v) || v <= 0 || v > 1) throw UsageError(what + " " + text::format_double(v) + ": must lie in (0, 1]");
}

// Ground distance where a decreasing flux(x) falls to `level`: bisection after doubling an
// upper bound. Nothing when the flux is below the level already at x = 0.
std::optional<double> reach(const std::function<double(double)>& flux, double level) {
    if (!std::isfinite(level) || level <= 0)
        throw UsageError("heat flux level " + text::format_double(level) + " kW/m2: must be a positive number");
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

void Atmosphere::check() const {
    if (!std::isfinite(relative_humidity) || relative_humidity < 0 || relative_humidity > 1)
        throw UsageError("relative humidity " + text::format_double(relative_humidity) + ": give a fraction from 0 to 1");
    if (!std::isfinite(temperature_k) || temperature_k < 200 || temperature_k > 350)
        throw UsageError("air temperature " + text::format_double(temperature_k) + " K: give 200 to 350 K");
}

double water_vapour_pressure_pa(const Atmosphere& air) {
    air.check();
    double tc = air.temperature_k - 273.15;
    return air.relative_humidity * 610.94 * std::exp(17.625 * tc / (tc + 243.04));
}

double transmissivity(const Atmosphere& air, double path_m) {
    check_positive(path_m, "radiation path length (m)");
    double pw = water_vapour_pressure_pa(air);
    if (pw <= 0) return 1; // dry air absorbs nothing in this correlation
    return std::min(1.0, 2.02 * std::pow(pw * path_m, -0.09));
}

double burgess_burning_rate(double dhc, double cp, double tb, double t0, double dhv) {
    check_positive(dhc, "heat of combustion (J/kg)");
    check_positive(cp, "liquid heat capacity (J/kg K)");
    check_positive(dhv, "heat of vaporisation (J/kg)");
    check_positive(tb, "boiling point (K)");
    check_positive(t0, "ambient temperature (K)");
    // A liquefied gas boils below ambient: no sensible heat is needed to bring it to the boil.
    double sensible = tb > t0 ? cp * (tb - t0) : 0;
    return 0.001 * dhc / (sensible + dhv);
}

void PoolFire::check() const {
    check_positive(area_m2, "pool area (m2)");
    check_positive(heat_of_combustion_j_kg, "heat of combustion (J/kg)");
    check_positive(burning_rate_kg_m2_s, "burning rate (kg/m2 s)");
    check_fraction(radiative_fraction, "radiative fraction");
    check_positive(air_density_kg_m3, "air density (kg/m3)");
    air.check();
}

double PoolFire::diameter_m() const { return 2 * std::sqrt(area_m2 / k_pi); }

double PoolFire::flame_height_m() const {
    check();
    double r = diameter_m() / 2;
    return 84 * r * std::pow(burning_rate_kg_m2_s / (air_density_kg_m3 * std::sqrt(2 * k_g * r)), 0.6);
}

double PoolFire::heat_release_w() const {
    check();
    return burning_rate_kg_m2_s * area_m2 * heat_of_combustion_j_kg;
}

double PoolFire::flux_kw_m2(double x) const {
    if (!std::isfinite(x) || x < 0) throw UsageError("distance " + text::format_double(x) + " m: must be 0 or more");
    double h = flame_height_m() / 2; // the point source at mid-flame
    double d2 = x * x + h * h;
    return transmissivity(air, std::sqrt(d2)) * radiative_fraction * heat_release_w() / (4 * k_pi * d2) / 1000;
}

void Fireball::check() const {
    check_positive(fuel_mass_kg, "fuel mass (kg)");
    check_positive(heat_of_combustion_j_kg, "heat of combustion (J/kg)");
    check_fraction(radiative_fraction, "radiative fraction");
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
    return radiative_fraction * fuel_mass_kg * heat_of_combustion_j_kg / (k_pi * d * d * duration_s()) / 1000;
}

double Fireball::flux_kw_m2(double x) const {
    if (!std::isfinite(x) || x < 0) throw UsageError("distance " + text::format_double(x) + " m: must be 0 or more");
    double radius = diameter_m() / 2, h = centre_height_m();
    double d = std::sqrt(x * x + h * h);
    // View factor of a sphere to a surface facing it: (R/d)²; the path runs from its surface.
    return transmissivity(air, std::max(1.0, d - radius)) * surface_emissive_power_kw_m2() * radius * radius / (d * d);
}

std::vector<double> default_thermal_levels_kw_m2() { return {37.5, 12.5, 4.0}; }

std::vector<ThermalDistance> thermal_distances(const PoolFire& fire, const std::vector<double>& levels) {
    fire.check();
    std::vector<ThermalDistance> out;
    for (double l : levels) out.push_back({l, reach([&](double x) { return fire.flux_kw_m2(x); }, l)});
    return out;
}

std::vector<ThermalDistance> thermal_distances(const Fireball& ball, const std::vector<double>& levels) {
    ball.check();
    std::vector<ThermalDistance> out;
    for (double l : levels) out.push_back({l, reach([&](double x) { return ball.flux_kw_m2(x); }, l)});
    return out;
}

} // namespace vigil::hazard

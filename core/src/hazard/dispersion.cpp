/// @file
/// Gaussian plume and puff (docs/domain.md §4.2–4.3) and their footprints.

#include <vigil/hazard/dispersion.hpp>

#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <cmath>
#include <functional>
#include <numbers>
#include <string>

namespace vigil::hazard {
namespace {

constexpr double k_mg_per_kg = 1e6;

void check_x(double x_m) {
    if (!std::isfinite(x_m) || x_m <= 0)
        throw UsageError(trf("downwind distance {} m: give a positive distance", text::format_double(x_m)));
}

/// `what`: an N_("…") msgid (shown translated); `unit` as written (kg/s, m), or empty.
void check_positive(double v, const char* what, const char* unit) {
    if (!std::isfinite(v) || v <= 0)
        throw UsageError(*unit ? trf("{} {} {}: must be a positive number", tr(what), text::format_double(v), unit)
                               : trf("{} {}: must be a positive number", tr(what), text::format_double(v)));
}

/// A wind speed of a Gaussian model; `message` an N_("…") msgid with the speed as {}.
void check_wind(double v, const char* message) {
    if (!std::isfinite(v) || v <= 0) throw UsageError(trf(message, text::format_double(v)));
}

void check_non_negative_metres(double v, const char* what) {
    if (!std::isfinite(v) || v < 0) throw UsageError(trf("{} {} m: must be 0 or more", tr(what), text::format_double(v)));
}

// The vertical factor with ground reflection: exp(−(z−H)²/2σz²) + exp(−(z+H)²/2σz²).
double vertical(double z, double h, double sz) {
    double a = (z - h) / sz, b = (z + h) / sz;
    return std::exp(-0.5 * a * a) + std::exp(-0.5 * b * b);
}

// Searches f(x) >= level on a logarithmic grid from 1 m to max_range, refines both ends by
// bisection, then samples the half-width (quadratic spacing: denser near the source, where the
// footprint changes fastest).
Footprint search(const std::function<double(double)>& centre_line, const std::function<double(double)>& sigma_y, double level,
                 double max_range, int samples) {
    check_positive(level, N_("level of concern"), "mg/m3");
    check_positive(max_range, N_("search range"), "m");
    if (samples < 4) samples = 4;
    Footprint fp;
    fp.level_mg_m3 = level;
    constexpr double x0 = 1.0;
    if (max_range <= x0) return fp;
    constexpr int k_steps = 600;
    const double ratio = std::pow(max_range / x0, 1.0 / k_steps);
    int first = -1, last = -1;
    double x = x0;
    for (int i = 0; i <= k_steps; ++i, x *= ratio) {
        if (centre_line(i == k_steps ? max_range : x) >= level) {
            if (first < 0) first = i;
            last = i;
        }
    }
    if (first < 0) return fp;
    auto grid = [&](int i) { return i >= k_steps ? max_range : x0 * std::pow(ratio, i); };
    auto refine = [&](double inside, double outside) {
        for (int it = 0; it < 60; ++it) {
            double mid = 0.5 * (inside + outside);
            (centre_line(mid) >= level ? inside : outside) = mid;
        }
        return inside;
    };
    fp.cut = last == k_steps;
    fp.max_distance_m = fp.cut ? max_range : refine(grid(last), grid(last + 1));
    fp.min_distance_m = first == 0 ? 0.0 : refine(grid(first), grid(first - 1));
    const double span = fp.max_distance_m - fp.min_distance_m;
    for (int k = 0; k < samples; ++k) {
        double f = static_cast<double>(k) / (samples - 1);
        double xs = fp.min_distance_m + span * f * f;
        double w = 0;
        if (k > 0 && k < samples - 1 && xs > 0) {
            double c = centre_line(xs);
            if (c > level) w = sigma_y(xs) * std::sqrt(2 * std::log(c / level));
        }
        if (w > fp.max_half_width_m) fp.max_half_width_m = w;
        fp.samples.push_back({xs, w});
    }
    return fp;
}

} // namespace

Sigmas briggs_sigmas(double x, Stability s, Terrain terrain) {
    check_x(x);
    if (terrain == Terrain::Rural) {
        const double sy_base = 1 / std::sqrt(1 + 0.0001 * x);
        switch (s) {
        case Stability::A: return {0.22 * x * sy_base, 0.20 * x};
        case Stability::B: return {0.16 * x * sy_base, 0.12 * x};
        case Stability::C: return {0.11 * x * sy_base, 0.08 * x / std::sqrt(1 + 0.0002 * x)};
        case Stability::D: return {0.08 * x * sy_base, 0.06 * x / std::sqrt(1 + 0.0015 * x)};
        case Stability::E: return {0.06 * x * sy_base, 0.03 * x / (1 + 0.0003 * x)};
        case Stability::F: return {0.04 * x * sy_base, 0.016 * x / (1 + 0.0003 * x)};
        }
    } else {
        const double sy_base = 1 / std::sqrt(1 + 0.0004 * x);
        switch (s) {
        case Stability::A:
        case Stability::B: return {0.32 * x * sy_base, 0.24 * x * std::sqrt(1 + 0.001 * x)};
        case Stability::C: return {0.22 * x * sy_base, 0.20 * x};
        case Stability::D: return {0.16 * x * sy_base, 0.14 * x / std::sqrt(1 + 0.0003 * x)};
        case Stability::E:
        case Stability::F: return {0.11 * x * sy_base, 0.08 * x / std::sqrt(1 + 0.0015 * x)};
        }
    }
    throw UsageError("unknown stability class"); // i18n: not shown: unreachable, all enumerators handled
}

Sigmas puff_sigmas(double x, Stability s) {
    check_x(x);
    // Slade (1968): σ = δ·x^β; columns σy δ, β, σz δ, β.
    static constexpr double k_table[6][4] = {
        {0.18, 0.92, 0.60, 0.75}, {0.14, 0.92, 0.53, 0.73}, {0.10, 0.92, 0.34, 0.71},
        {0.06, 0.92, 0.15, 0.70}, {0.04, 0.92, 0.10, 0.65}, {0.02, 0.89, 0.05, 0.61},
    };
    const auto& r = k_table[static_cast<int>(s)];
    return {r[0] * std::pow(x, r[1]), r[2] * std::pow(x, r[3])};
}

void PlumeRelease::check() const {
    check_positive(rate_kg_s, N_("release rate"), "kg/s");
    check_wind(wind_m_s, N_("wind speed {} m/s (a calm has no Gaussian plume): must be a positive number"));
    check_non_negative_metres(height_m, N_("release height"));
    check_non_negative_metres(receptor_height_m, N_("receptor height"));
}

void PuffRelease::check() const {
    check_positive(mass_kg, N_("released mass"), "kg");
    check_wind(wind_m_s, N_("wind speed {} m/s (a calm has no Gaussian puff): must be a positive number"));
    check_non_negative_metres(height_m, N_("release height"));
    check_non_negative_metres(receptor_height_m, N_("receptor height"));
}

double plume_concentration(const PlumeRelease& r, double x, double y, double z) {
    r.check();
    if (!std::isfinite(x) || !std::isfinite(y) || !std::isfinite(z)) throw UsageError(tr("receptor position is not a finite number"));
    if (x <= 0) return 0;
    auto s = briggs_sigmas(x, r.stability, r.terrain);
    return r.rate_kg_s * k_mg_per_kg / (2 * std::numbers::pi * r.wind_m_s * s.y * s.z) * std::exp(-0.5 * (y / s.y) * (y / s.y)) *
           vertical(z, r.height_m, s.z);
}

double puff_concentration(const PuffRelease& r, double x, double y, double z, double t) {
    r.check();
    if (!std::isfinite(x) || !std::isfinite(y) || !std::isfinite(z) || !std::isfinite(t))
        throw UsageError(tr("receptor position or time is not a finite number"));
    if (x <= 0 || t < 0) return 0;
    auto s = puff_sigmas(x, r.stability);
    double dx = (x - r.wind_m_s * t) / s.y;
    return r.mass_kg * k_mg_per_kg / (std::pow(2 * std::numbers::pi, 1.5) * s.y * s.y * s.z) * std::exp(-0.5 * dx * dx) *
           std::exp(-0.5 * (y / s.y) * (y / s.y)) * vertical(z, r.height_m, s.z);
}

double puff_peak_concentration(const PuffRelease& r, double x, double y, double z) {
    r.check();
    return puff_concentration(r, x, y, z, x / r.wind_m_s);
}

double puff_dose(const PuffRelease& r, double x, double y, double z) {
    double peak = puff_peak_concentration(r, x, y, z);
    if (peak == 0) return 0;
    auto s = puff_sigmas(x, r.stability);
    return peak * std::sqrt(2 * std::numbers::pi) * s.y / r.wind_m_s / 60;
}

double puff_toxic_load(const PuffRelease& r, double x, double y, double z, double n) {
    check_positive(n, N_("probit exponent n"), "");
    double peak = puff_peak_concentration(r, x, y, z);
    if (peak == 0) return 0;
    auto s = puff_sigmas(x, r.stability);
    return std::pow(peak, n) * std::sqrt(2 * std::numbers::pi) * s.y / (r.wind_m_s * std::sqrt(n)) / 60;
}

Footprint plume_footprint(const PlumeRelease& r, double level, double max_range, int samples) {
    r.check();
    return search([&](double x) { return plume_concentration(r, x, 0, r.receptor_height_m); },
                  [&](double x) { return briggs_sigmas(x, r.stability, r.terrain).y; }, level, max_range, samples);
}

Footprint puff_footprint(const PuffRelease& r, double level, double max_range, int samples) {
    r.check();
    return search([&](double x) { return puff_peak_concentration(r, x, 0, r.receptor_height_m); },
                  [&](double x) { return puff_sigmas(x, r.stability).y; }, level, max_range, samples);
}

} // namespace vigil::hazard

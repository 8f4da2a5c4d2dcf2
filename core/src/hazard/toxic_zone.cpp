/// @file
/// The toxic-release question with its assumptions resolved (toxic_zone.hpp).

#include <vigil/hazard/toxic_zone.hpp>

#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <cmath>
#include <cstdio>

namespace vigil::hazard {
namespace {

// Three significant figures, as the levels are printed elsewhere (5.8 mg/m3, not 5.79959100204499).
std::string level_words(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

// Long messages stay on one line: tests/i18n reads each literal of a split one alone.
// clang-format off
const char* const k_cut_message = N_("{} ({} mg/m3) is still reached at {}, the maximum range: its zone is cut there and reaches farther (Gaussian estimates beyond about 10 km are unreliable)");
// clang-format on

std::string distance_words(double m) {
    return m >= 1000 ? text::format_double(std::round(m / 10) / 100) + " km" : text::format_double(std::round(m)) + " m";
}

} // namespace

ToxicResult toxic_release_zones(const ToxicRequest& q) {
    ToxicResult r;
    r.wind_given_m_s = q.wind_m_s;
    if (!std::isfinite(q.wind_m_s) || q.wind_m_s <= 0)
        // clang-format off
        throw UsageError(trf("wind speed {} m/s: a calm has no Gaussian plume; give a wind of 1 m/s or more, or use ERG's isolation in all directions",
                             text::format_double(q.wind_m_s)));
    // clang-format on
    r.wind_used_m_s = q.wind_m_s;
    if (q.wind_m_s < k_min_gaussian_wind_m_s) {
        r.wind_used_m_s = k_min_gaussian_wind_m_s;
        r.wind_clamped = true;
        // TRANSLATORS: {0} the wind given, {1} the lowest wind the Gaussian model holds for (m/s).
        // clang-format off
        const char* msg = N_("wind {0} m/s is below {1} m/s, where the Gaussian model does not hold (the wind meanders and the gas pools around the source): computed at {1} m/s; take the zones as a minimum and the direction as uncertain");
        // clang-format on
        r.assumptions.push_back(trf(msg, text::format_double(q.wind_m_s), text::format_double(k_min_gaussian_wind_m_s)));
    }
    if (q.levels.empty()) throw UsageError(tr("no level of concern given for the toxic zones"));
    r.stability_basis = stability_basis(r.wind_used_m_s, q.time, q.cloud_cover, q.stability);

    // Each level takes the candidate class that reaches farthest; ties keep the earlier (more
    // stable) candidate. For a ground release that is always the most stable class; for an
    // elevated one a less stable class can bring the plume down within reach.
    std::vector<Zone> zones;
    for (const auto& level : q.levels) {
        std::optional<Footprint> best;
        std::optional<Stability> best_class;
        for (Stability s : r.stability_basis.candidates) {
            Footprint fp;
            if (q.instantaneous) {
                PuffRelease rel{q.mass_kg, r.wind_used_m_s, q.height_m, s, q.receptor_height_m};
                fp = puff_footprint(rel, level.threshold, q.max_range_m);
            } else {
                PlumeRelease rel{q.rate_kg_s, r.wind_used_m_s, q.height_m, s, q.terrain, q.receptor_height_m};
                fp = plume_footprint(rel, level.threshold, q.max_range_m);
            }
            if (fp.max_distance_m > 0 && (!best || fp.max_distance_m > best->max_distance_m)) {
                best = std::move(fp);
                best_class = s;
            }
        }
        r.level_stability.push_back(best_class);
        if (!best) {
            r.unreached.push_back(level.name);
            continue;
        }
        // footprint.hpp's builders draw and check the polygons; one level, one class at a time.
        auto one = [&](Stability s) {
            if (q.instantaneous) {
                PuffRelease rel{q.mass_kg, r.wind_used_m_s, q.height_m, s, q.receptor_height_m};
                return puff_zones(q.source, q.wind_from_deg, rel, {level}, q.uncertainty_deg, q.max_range_m);
            }
            PlumeRelease rel{q.rate_kg_s, r.wind_used_m_s, q.height_m, s, q.terrain, q.receptor_height_m};
            return plume_zones(q.source, q.wind_from_deg, rel, {level}, q.uncertainty_deg, q.max_range_m);
        };
        for (auto& z : one(*best_class)) r.zones.push_back(std::move(z));
        if (best->cut) r.assumptions.push_back(trf(k_cut_message, level.name, level_words(level.threshold), distance_words(q.max_range_m)));
    }
    for (const auto& s : r.level_stability)
        if (s) {
            if (!r.stability) r.stability = s;
            else if (*r.stability != *s) {
                r.stability.reset();
                break;
            }
        }
    if (r.stability_basis.assumed) {
        std::string used = stability_summary(q, r);
        if (!used.empty()) r.assumptions.insert(r.assumptions.begin(), trf("stability {} assumed ({})", used, r.stability_basis.why));
    }
    return r;
}

std::string stability_summary(const ToxicRequest& q, const ToxicResult& r) {
    if (r.stability) return std::string(1, stability_letter(*r.stability));
    std::string out;
    for (std::size_t i = 0; i < r.level_stability.size() && i < q.levels.size(); ++i)
        if (r.level_stability[i]) out += (out.empty() ? "" : ", ") + q.levels[i].name + " " + stability_letter(*r.level_stability[i]);
    return out;
}

} // namespace vigil::hazard

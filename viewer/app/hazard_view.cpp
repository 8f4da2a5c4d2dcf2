/// @file
/// The Hazard panel's logic: substance search, the zone builders' inputs, what lies inside.

#include "hazard_view.hpp"

#include "app_state.hpp"

#include <vigil/hazard/dispersion.hpp>
#include <vigil/hazard/erg.hpp>
#include <vigil/hazard/explosion.hpp>
#include <vigil/hazard/fire.hpp>
#include <vigil/hazard/gb18218.hpp>
#include <vigil/hazard/stability.hpp>
#include <vigil/hazard/toxic_endpoints.hpp>
#include <vigil/hazard/toxic_zone.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/text.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace vigil::viewer {

namespace {

/// Splits one CSV line (RFC 4180 quotes; the ERG index has names with commas).
std::vector<std::string> csv_fields(std::string_view line) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
            else if (c == '"') quoted = false;
            else out.back() += c;
        } else if (c == '"') quoted = true;
        else if (c == ',') out.emplace_back();
        else if (c != '\r') out.back() += c;
    }
    return out;
}

/// The merged substance list, built once: toxic endpoints (Chinese and English names, CAS, UN),
/// GB 18218 table 1 (Chinese names, aliases, CAS), the ERG index (UN, English name, guide).
struct SubstanceIndex {
    std::vector<Substance> list;
    std::vector<std::string> keys; ///< match_key of everything searchable, per entry

    SubstanceIndex() {
        std::map<std::string, std::size_t> by_cas, by_un;
        auto add = [&](Substance s, const std::string& extra) {
            std::optional<std::size_t> at;
            if (!s.cas.empty())
                if (auto it = by_cas.find(s.cas); it != by_cas.end()) at = it->second;
            if (!at && s.un)
                if (auto it = by_un.find(std::to_string(s.un)); it != by_un.end()) at = it->second;
            if (!at) {
                at = list.size();
                list.push_back({});
                keys.emplace_back();
            }
            Substance& d = list[*at];
            if (d.name_zh.empty()) d.name_zh = s.name_zh;
            if (d.name_en.empty()) d.name_en = s.name_en;
            if (d.cas.empty()) d.cas = s.cas;
            if (!d.un) d.un = s.un;
            if (d.guide.empty()) d.guide = s.guide;
            d.toxic_levels |= s.toxic_levels;
            if (!d.gb18218_q_t) d.gb18218_q_t = s.gb18218_q_t;
            keys[*at] += "|" + text::match_key(s.name_zh) + "|" + text::match_key(s.name_en) + "|" + text::match_key(s.cas) + "|" + extra;
            if (!d.cas.empty()) by_cas.emplace(d.cas, *at);
            if (d.un) by_un.emplace(std::to_string(d.un), *at);
        };
        for (const auto& t : hazard::ToxicEndpoints::builtin().substances()) {
            Substance s{t.name_zh, t.name_en, t.cas, t.un_numbers.empty() ? 0 : t.un_numbers.front(), "", true, 0};
            add(s, "");
        }
        for (const auto& n : hazard::Gb18218::builtin().named()) {
            std::string aliases;
            for (const auto& a : n.aliases) aliases += "|" + text::match_key(a);
            add({n.name_zh, "", n.cas.empty() ? "" : n.cas.front(), 0, "", false, n.critical_t}, aliases);
        }
        const std::string_view index = hazard::embedded::erg2024_index();
        std::size_t pos = index.find('\n'); // header: un_number,material_name,guide,tih,...
        while (pos != std::string_view::npos && pos + 1 < index.size()) {
            const std::size_t end = index.find('\n', pos + 1);
            const auto f = csv_fields(index.substr(pos + 1, end == std::string_view::npos ? std::string_view::npos : end - pos - 1));
            pos = end;
            if (f.size() < 3) continue;
            const auto un = text::parse_int64(f[0]);
            if (!un) continue;
            add({"", f[1], "", static_cast<int>(*un), f[2], false, 0}, "un" + f[0]);
        }
        for (std::size_t i = 0; i < list.size(); ++i)
            if (list[i].un) keys[i] += "|un" + std::to_string(list[i].un);
    }
};

const SubstanceIndex& substance_index() {
    static const SubstanceIndex index;
    return index;
}

std::string level_text(double v, const char* units) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g %s", v, units);
    return buf;
}

} // namespace

std::string Substance::label() const {
    std::string s = name_zh;
    if (!name_en.empty()) s += (s.empty() ? "" : " ") + name_en;
    if (un) s += " · UN" + std::to_string(un);
    if (!cas.empty()) s += " · CAS " + cas;
    return s;
}

std::vector<Substance> search_substances(std::string_view query, std::size_t limit) {
    const auto& idx = substance_index();
    const std::string key = text::match_key(query);
    if (key.empty()) return {};
    // Exact UN ("1017", "un1017") or CAS first, then names containing the text in list order.
    const std::string un_key = key.rfind("un", 0) == 0 ? key : "un" + key;
    std::vector<std::pair<int, std::size_t>> hits;
    for (std::size_t i = 0; i < idx.list.size(); ++i) {
        const auto& s = idx.list[i];
        const bool exact = (s.un && "un" + std::to_string(s.un) == un_key) || (!s.cas.empty() && text::match_key(s.cas) == key);
        if (exact) hits.push_back({0, i});
        else if (idx.keys[i].find(key) != std::string::npos) hits.push_back({s.name_zh.empty() ? 2 : 1, i});
    }
    std::stable_sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<Substance> out;
    for (const auto& h : hits) {
        if (out.size() >= limit) break;
        out.push_back(idx.list[h.second]);
    }
    return out;
}

std::string_view model_name(HazardModel m) {
    switch (m) {
    case HazardModel::Erg: return "erg";
    case HazardModel::Plume: return "plume";
    case HazardModel::Puff: return "puff";
    case HazardModel::PoolFire: return "poolfire";
    case HazardModel::Bleve: return "bleve";
    case HazardModel::Vce: return "vce";
    }
    return "erg";
}

std::string_view model_label(HazardModel m) {
    switch (m) {
    case HazardModel::Erg: return "ERG 应急指南 guide zones";
    case HazardModel::Plume: return "烟羽 plume (continuous)";
    case HazardModel::Puff: return "烟团 puff (instantaneous)";
    case HazardModel::PoolFire: return "池火 pool fire";
    case HazardModel::Bleve: return "火球 BLEVE fireball";
    case HazardModel::Vce: return "蒸气云爆炸 VCE";
    }
    return "";
}

HazardResult run_hazard(const std::vector<LayerView>& layers, const HazardInputs& in) {
    HazardResult r;
    r.inputs = in;
    try {
        if (!std::isfinite(in.at.x) || !std::isfinite(in.at.y)) throw UsageError("no release point: pick a hazard source or click the map");
        // Plume and puff: core's toxic-release question, which resolves the unknown weather and
        // says what it assumed.
        auto toxic = [&](bool instantaneous, std::vector<hazard::ZoneLevel> levels) {
            hazard::ToxicRequest q;
            q.source = in.at;
            q.wind_from_deg = in.wind_from_deg;
            q.wind_m_s = in.wind_m_s;
            q.time = in.night ? hazard::DayNight::Night : hazard::DayNight::Day;
            q.cloud_cover = in.cloud_cover;
            if (!in.stability.empty()) q.stability = hazard::parse_stability(in.stability);
            q.terrain = in.urban ? hazard::Terrain::Urban : hazard::Terrain::Rural;
            q.instantaneous = instantaneous;
            q.rate_kg_s = in.rate_kg_s;
            q.mass_kg = in.mass_kg;
            q.height_m = in.height_m;
            q.levels = std::move(levels);
            q.max_range_m = in.max_range_m;
            const auto t = hazard::toxic_release_zones(q);
            r.zones = t.zones;
            r.facts.push_back("Pasquill " + hazard::stability_summary(q, t) + (t.stability_basis.assumed ? " (assumed)" : "") +
                              ", wind " + text::format_double(t.wind_used_m_s) + " m/s" + (t.wind_clamped ? " (clamped)" : ""));
            if (!t.stability_basis.assumed) r.notes.push_back("stability: " + t.stability_basis.why);
            r.assumptions.insert(r.assumptions.end(), t.assumptions.begin(), t.assumptions.end());
            for (const auto& u : t.unreached) r.notes.push_back(u + " is not reached at any distance");
        };
        auto toxic_levels = [&] {
            const auto& s = in.substance;
            const std::string key = !s.cas.empty() ? s.cas : s.un ? std::to_string(s.un) : s.name_zh;
            if (key.empty()) throw UsageError("choose a chemical first");
            std::vector<hazard::ZoneLevel> levels;
            for (const auto& l : hazard::ToxicEndpoints::builtin().find(key).levels())
                levels.push_back({l.tier, l.name, l.mg_m3, "mg/m3", l.source});
            for (const auto& l : levels) r.notes.push_back(l.name + " = " + level_text(l.threshold, "mg/m³") + " (" + l.source + ")");
            return levels;
        };
        switch (in.model) {
        case HazardModel::Erg: {
            if (!in.substance.un) throw UsageError("ERG needs a UN number: choose a chemical that has one (or type it, e.g. 1017)");
            const auto z = hazard::Erg2024::builtin().lookup(in.substance.un, in.large_spill ? hazard::Spill::Large : hazard::Spill::Small,
                                                             in.night ? hazard::DayNight::Night : hazard::DayNight::Day, hazard::wind_band(in.wind_m_s));
            r.zones = hazard::erg_zones(in.at, in.wind_from_deg, z);
            // The same facts as `vigil zone`'s ERG output.
            r.facts.push_back(z.source + ", guide " + z.guide + (z.tih ? ", TIH" : ""));
            r.facts.push_back("初始隔离 initial isolation " + text::format_double(z.isolation_m) + " m");
            if (z.precautionary_isolation_m)
                r.facts.push_back("立即预防隔离 immediate precautionary isolation (guide " + z.guide + ") " +
                                  text::format_double(*z.precautionary_isolation_m) + " m" +
                                  (*z.precautionary_isolation_m > z.isolation_m ? " (the larger: the circle drawn)" : ""));
            if (z.fire_isolation_m)
                r.facts.push_back("火灾隔离 fire: isolate " + text::format_double(*z.fire_isolation_m) + " m in all directions");
            r.notes.insert(r.notes.end(), z.notes.begin(), z.notes.end());
            if (!z.protective_m) r.notes.push_back("ERG gives no protective-action distance for this spill");
            break;
        }
        case HazardModel::Plume: toxic(false, toxic_levels()); break;
        case HazardModel::Puff: toxic(true, toxic_levels()); break;
        case HazardModel::PoolFire:
        case HazardModel::Bleve: {
            const auto flux = hazard::default_thermal_levels_kw_m2();
            std::vector<hazard::ThermalDistance> d;
            if (in.model == HazardModel::PoolFire) {
                hazard::PoolFire f;
                f.area_m2 = in.pool_area_m2;
                f.heat_of_combustion_j_kg = in.heat_of_combustion_mj_kg * 1e6;
                f.burning_rate_kg_m2_s = in.burning_rate_kg_m2_s;
                f.check();
                d = hazard::thermal_distances(f, flux);
                auto one_decimal = [](double v) { return std::round(v * 10) / 10; };
                r.facts.push_back("D " + level_text(one_decimal(f.diameter_m()), "m") + ", flame " +
                                  level_text(one_decimal(f.flame_height_m()), "m") + " (Thomas), SEP " +
                                  level_text(std::round(f.surface_emissive_power_kw_m2()), "kW/m²") + " (Mudan-Croce)");
                r.assumptions.push_back("池火距离从液池中心算起 distances from the pool centre (the circles' centre); "
                                        "the larger of solid flame and point source, no wind tilt");
                for (const auto& t : d)
                    if (t.distance_m)
                        r.facts.push_back(level_text(t.flux_kw_m2, "kW/m²") + ": " + level_text(std::round(*t.distance_m * 10) / 10, "m") +
                                          " from the centre, " + level_text(std::round(*t.from_edge_m * 10) / 10, "m") +
                                          " from the edge (" + t.model + ")");
            } else {
                hazard::Fireball b;
                b.fuel_mass_kg = in.mass_kg;
                b.heat_of_combustion_j_kg = in.heat_of_combustion_mj_kg * 1e6;
                b.check();
                d = hazard::thermal_distances(b, flux);
            }
            std::vector<hazard::ZoneLevel> levels;
            std::vector<std::optional<double>> radii;
            for (std::size_t i = 0; i < d.size(); ++i) {
                // The default levels run from the most severe (37.5 kW/m²) down: tiers 3, 2, 1.
                levels.push_back({static_cast<int>(3 - std::min<std::size_t>(i, 2)), level_text(d[i].flux_kw_m2, "kW/m2"), d[i].flux_kw_m2, "kW/m2", "fire.hpp"});
                radii.push_back(d[i].distance_m);
            }
            r.zones = hazard::circle_zones(in.at, std::string(model_name(in.model)), levels, radii);
            break;
        }
        case HazardModel::Vce: {
            const double tnt = hazard::tnt_equivalent_kg(in.mass_kg, in.heat_of_combustion_mj_kg * 1e6, in.vce_yield);
            const auto d = hazard::overpressure_distances(tnt, hazard::default_overpressure_levels_kpa());
            std::vector<hazard::ZoneLevel> levels;
            std::vector<std::optional<double>> radii;
            for (std::size_t i = 0; i < d.size(); ++i) {
                levels.push_back({static_cast<int>(3 - std::min<std::size_t>(i, 2)), level_text(d[i].overpressure_kpa, "kPa"), d[i].overpressure_kpa, "kPa", "explosion.hpp"});
                radii.push_back(d[i].distance_m);
            }
            r.notes.push_back("TNT " + level_text(tnt, "kg"));
            r.zones = hazard::circle_zones(in.at, "vce", levels, radii);
            break;
        }
        }
        // Widest first, so that the red lies on top when drawn in order.
        std::stable_sort(r.zones.begin(), r.zones.end(), [](const hazard::Zone& a, const hazard::Zone& b) { return a.tier < b.tier; });

        std::vector<std::shared_ptr<const model::Layer>> point_layers;
        for (const auto& l : layers) point_layers.push_back(l.layer);
        std::map<std::pair<std::string, std::size_t>, std::size_t> seen;
        const auto contents = hazard::features_inside(r.zones, in.at, point_layers);
        for (const auto& zc : contents)
            for (const auto& f : zc.features) {
                const int tier = r.zones[zc.zone].tier;
                auto [it, fresh] = seen.emplace(std::pair{f.layer, f.row}, r.affected.size());
                if (fresh) {
                    std::string title = f.layer;
                    for (const auto& l : layers)
                        if (l.kind().kind == f.layer) title = l.kind().title.zh;
                    r.affected.push_back({f.layer, title, f.id, f.name, f.row, tier, f.distance_m, f.unable_to_respond});
                } else {
                    auto& a = r.affected[it->second];
                    a.tier = std::max(a.tier, tier);
                    a.unable_to_respond |= f.unable_to_respond;
                }
            }
        std::stable_sort(r.affected.begin(), r.affected.end(), [](const AffectedRecord& a, const AffectedRecord& b) {
            return a.tier != b.tier ? a.tier > b.tier : a.distance_m < b.distance_m;
        });
    } catch (const Error& e) {
        HazardResult failed;
        failed.inputs = in;
        failed.error = e.what();
        return failed;
    }
    return r;
}

Rgba zone_fill(int tier) {
    if (tier >= 3) return {229, 57, 53, 70};
    if (tier == 2) return {251, 140, 0, 55};
    return {253, 216, 53, 50};
}

Rgba zone_outline(int tier) {
    if (tier >= 3) return {198, 40, 40, 255};
    if (tier == 2) return {239, 108, 0, 255};
    return {249, 168, 37, 255};
}

std::vector<std::vector<geo::Coord>> geometry_rings(const geo::Geometry& g) {
    std::vector<std::vector<geo::Coord>> out;
    for (std::size_t i = 0; i < g.ring_count(); ++i) {
        auto r = g.ring(i);
        out.emplace_back(r.begin(), r.end());
    }
    return out;
}

DispatchQuery dispatch_query_for(const HazardResult& r, DispatchQuery base) {
    base.at = r.inputs.at;
    base.place = r.inputs.place.empty() ? std::string("危险区 hazard") : r.inputs.place;
    base.closures.clear();
    for (const auto& z : r.zones) {
        if (z.tier < 3 || z.polygon.is_empty()) continue;
        // Each polygon of the zone on its own (a Polygon's rings are outer + holes).
        if (z.polygon.type == geo::GeometryType::Polygon) base.closures.push_back(geometry_rings(z.polygon));
        else
            for (std::size_t p = 0; p + 1 < z.polygon.polygon_starts.size(); ++p) {
                Rings rings;
                for (std::size_t i = z.polygon.polygon_starts[p]; i < z.polygon.polygon_starts[p + 1]; ++i) {
                    auto ring = z.polygon.ring(i);
                    rings.emplace_back(ring.begin(), ring.end());
                }
                base.closures.push_back(std::move(rings));
            }
    }
    return base;
}

} // namespace vigil::viewer

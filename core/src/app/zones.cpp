// The hazard-zone service (see zones.hpp): the models' inputs checked and resolved, the zones
// built, what lies inside found, and the one JSON form of request and result.

#include <vigil/app/zones.hpp>

#include "geojson_out.hpp"

#include <vigil/geo/geodesic.hpp>
#include <vigil/hazard/explosion.hpp>
#include <vigil/hazard/inside.hpp>
#include <vigil/hazard/stability.hpp>
#include <vigil/hazard/toxic_endpoints.hpp>
#include <vigil/hazard/toxic_zone.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <span>

namespace vigil::app {
namespace {

/// How far outside the data a release may lie before it is taken for a typing mistake: a little
/// more than ERG's largest distance (11 km).
constexpr double k_outside_data_margin_m = 11000;

// Pool-fire radii of a few metres need their decimetre (6.0 m from the centre is 0.4 m from the edge).
std::string distance_text(double m) {
    if (m >= 1000) return fmt::format("{:.2f} km", m / 1000);
    return m < 10 ? fmt::format("{:.1f} m", m) : fmt::format("{:.0f} m", m);
}

std::string km(double m) { return fmt::format("{:.1f} km", m / 1000); }

/// A needed input: its value, or a UsageError naming the key (zones.hpp: the keys are the
/// CLI's options with '_' for '-').
template <class T> T need(const std::optional<T>& v, ZoneModel m, const char* key, const char* what) {
    if (!v) throw UsageError(trf("missing input {0}: the {1} model needs {0} ({2})", key, zone_model_name(m), tr(what)));
    return *v;
}

/// Notes for the levels that got no circle.
void note_unreached(ZoneResult& r, const std::vector<double>& values, const std::string& units, const char* why) {
    for (double v : values)
        if (std::none_of(r.zones.begin(), r.zones.end(), [&](const hazard::Zone& z) { return z.threshold == v; }))
            r.notes.push_back(trf(why, text::format_double(v), units));
}

hazard::Atmosphere atmosphere(const ZoneRequest& q) {
    hazard::Atmosphere air;
    air.relative_humidity = q.humidity;
    air.temperature_k = q.air_temp_c + 273.15;
    air.check();
    return air;
}

void run_toxic(const ZoneRequest& q, ZoneResult& r) {
    const bool puff = q.model == ZoneModel::Puff;
    const std::string query = !q.substance.empty() ? q.substance : q.un > 0 ? "UN" + std::to_string(q.un) : std::string();
    if (query.empty())
        throw UsageError(
            trf("missing input substance: the {} model needs substance (name, CAS or UN number) or un", zone_model_name(q.model)));
    const auto& sub = hazard::ToxicEndpoints::builtin().find(query);
    const auto loc = sub.levels(hazard::parse_level_set(q.levels));
    if (loc.empty())
        // clang-format off
        throw UsageError(trf("{} has no toxic level of concern in the endpoint table (its hazard is fire or explosion): use the poolfire, bleve or vce model",
                             sub.name_en));
    // clang-format on
    hazard::ToxicRequest t;
    t.source = q.at;
    t.wind_m_s = need(q.wind_speed_m_s, q.model, "wind_speed", N_("m/s at 10 m"));
    t.wind_from_deg = need(q.wind_from_deg, q.model, "wind_from", N_("degrees the wind blows from"));
    t.time = q.night ? hazard::DayNight::Night : hazard::DayNight::Day;
    t.cloud_cover = q.cloud_cover;
    if (q.stability) t.stability = hazard::parse_stability(std::string(1, *q.stability));
    t.terrain = q.urban ? hazard::Terrain::Urban : hazard::Terrain::Rural;
    t.instantaneous = puff;
    t.height_m = q.release_height_m;
    t.uncertainty_deg = q.uncertainty_deg;
    t.max_range_m = q.max_range_m;
    for (const auto& l : loc) t.levels.push_back({l.tier, l.name, l.mg_m3, "mg/m3", l.source});
    if (puff) {
        t.mass_kg = need(q.mass_kg, q.model, "mass_kg", N_("mass released at once, kg"));
        if (q.urban) r.notes.push_back(tr("Slade's puff sigmas have no urban set: urban is ignored by the puff model"));
    } else {
        t.rate_kg_s = need(q.rate_kg_s, q.model, "rate_kg_s", N_("release rate, kg/s"));
    }
    if (q.stability && q.cloud_cover) r.notes.push_back(trf("stability {} given: the cloud cover is not used", *q.stability));
    const auto res = hazard::toxic_release_zones(t);
    r.zones = res.zones;
    r.assumptions = res.assumptions;
    r.zone_facts.resize(r.zones.size());
    for (std::size_t i = 0; i < t.levels.size(); ++i)
        if (res.level_stability[i])
            for (std::size_t k = 0; k < r.zones.size(); ++k)
                if (r.zones[k].level == t.levels[i].name) r.zone_facts[k].stability = hazard::stability_letter(*res.level_stability[i]);

    ToxicFacts f;
    f.name_en = sub.name_en;
    f.name_zh = sub.name_zh;
    f.cas = sub.cas;
    f.un_numbers = sub.un_numbers;
    f.confidence = sub.confidence;
    f.stability = hazard::stability_summary(t, res);
    f.stability_assumed = res.stability_basis.assumed;
    f.stability_source = res.stability_basis.why;
    for (auto c : res.stability_basis.candidates) f.stability_candidates.push_back(hazard::stability_letter(c));
    f.wind_used_m_s = res.wind_used_m_s;
    f.wind_given_m_s = res.wind_given_m_s;
    f.wind_clamped = res.wind_clamped;
    r.summary.push_back(trf(puff ? N_("puff of {} ({}), stability {}{}, wind {} m/s{} from {}°, {}")
                                 : N_("plume of {} ({}), stability {}{}, wind {} m/s{} from {}°, {}"),
                            sub.name_en, sub.name_zh, f.stability.empty() ? "-" : f.stability, f.stability_assumed ? tr(" (assumed)") : "",
                            text::format_double(f.wind_used_m_s), f.wind_clamped ? tr(" (clamped)") : "",
                            text::format_double(t.wind_from_deg), q.urban ? trc("terrain", "urban") : trc("terrain", "rural")));
    if (!f.stability_assumed) r.notes.push_back(trf("stability: {}", f.stability_source));
    if (puff) r.notes.push_back(tr("puff footprint: where the peak concentration as the puff passes reaches the level"));
    if (!puff && q.duration_min) {
        const double minutes = *q.duration_min;
        if (!std::isfinite(minutes) || minutes <= 0)
            throw UsageError(trf("duration_min {}: give a positive number of minutes", text::format_double(minutes)));
        f.released_kg = t.rate_kg_s * minutes * 60;
        double reach = 0;
        for (const auto& z : r.zones) reach = std::max(reach, z.distance_m);
        const double travel_min = reach / res.wind_used_m_s / 60;
        // A release shorter than the travel time is a puff, not a steady plume: say so.
        if (travel_min > minutes)
            // clang-format off
            r.notes.push_back(trf("the release lasts {} min but the wind takes {:.0f} min to carry it {}: a steady plume overstates the far reach; consider the puff model with mass_kg {}",
                                  text::format_double(minutes), travel_min, distance_text(reach), text::format_double(*f.released_kg)));
        // clang-format on
    }
    for (const auto& name : res.unreached)
        for (const auto& l : loc)
            if (l.name == name)
                r.notes.push_back(trf("{} ({} mg/m3) is not reached at any distance", l.name, text::format_double(l.mg_m3)));
    r.notes.push_back(tr("neutral (Gaussian) dispersion: dense gases such as chlorine, cold ammonia or LPG spread wider and shorter"));
    r.toxic = std::move(f);
}

void run_fire(const ZoneRequest& q, ZoneResult& r) {
    const double hoc = need(q.heat_of_combustion_mj_kg, q.model, "heat_of_combustion", N_("MJ/kg")) * 1e6;
    const auto& values = q.flux_levels_kw_m2;
    if (q.model == ZoneModel::PoolFire) {
        hazard::PoolFire f;
        f.area_m2 = need(q.pool_area_m2, q.model, "pool_area_m2", N_("pool area, m2"));
        f.heat_of_combustion_j_kg = hoc;
        f.burning_rate_kg_m2_s = need(q.burning_rate_kg_m2_s, q.model, "burning_rate", N_("kg/(m2 s), e.g. 0.055 gasoline, 0.078 LNG"));
        f.radiative_fraction = q.radiative_fraction.value_or(0.25);
        f.air = atmosphere(q);
        f.check();
        r.zones = hazard::pool_fire_zones(q.at, f, values);
        r.zone_facts.resize(r.zones.size());
        for (const auto& d : hazard::thermal_distances(f, values)) {
            if (!d.distance_m) continue;
            const std::string level = hazard::tiered_levels({d.flux_kw_m2}, "kW/m2", "").front().name;
            for (std::size_t k = 0; k < r.zones.size(); ++k)
                if (r.zones[k].level == level) {
                    r.zone_facts[k].from_edge_m = *d.from_edge_m;
                    r.zone_facts[k].flux_model = d.model;
                }
        }
        // clang-format off
        r.summary.push_back(trf("pool fire: {} m2 (diameter {:.1f} m), flame {:.1f} m high (Thomas), surface emissive power {:.0f} kW/m2 (Mudan-Croce), {:.1f} MW, radiative fraction {} (point source)",
                                text::format_double(f.area_m2), f.diameter_m(), f.flame_height_m(), f.surface_emissive_power_kw_m2(),
                                f.heat_release_w() / 1e6, text::format_double(f.radiative_fraction)));
        // clang-format on
        // clang-format off
        r.assumptions.push_back(tr("distances from the pool centre (the circles' centre); at each distance the larger of the solid flame (vertical cylinder, no wind tilt) and the point source"));
        // clang-format on
        r.pool_fire = f;
    } else {
        hazard::Fireball b;
        b.fuel_mass_kg = need(q.mass_kg, q.model, "mass_kg", N_("fuel mass in the fireball, kg"));
        b.heat_of_combustion_j_kg = hoc;
        b.radiative_fraction = q.radiative_fraction.value_or(0.3);
        b.air = atmosphere(q);
        b.check();
        r.zones = hazard::fireball_zones(q.at, b, values);
        r.zone_facts.resize(r.zones.size());
        r.summary.push_back(trf("BLEVE fireball: {} kg, diameter {:.0f} m, {:.1f} s, centre {:.0f} m up, SEP {:.0f} kW/m2",
                                text::format_double(b.fuel_mass_kg), b.diameter_m(), b.duration_s(), b.centre_height_m(),
                                b.surface_emissive_power_kw_m2()));
        r.fireball = b;
    }
    note_unreached(r, values, "kW/m2", N_("{} {} is not reached at any distance"));
}

void run_vce(const ZoneRequest& q, ZoneResult& r) {
    VceFacts v;
    v.yield_given = q.yield.has_value();
    v.yield = q.yield.value_or(0.03);
    v.mass_kg = need(q.mass_kg, q.model, "mass_kg", N_("flammable mass in the cloud, kg"));
    v.tnt_kg =
        hazard::tnt_equivalent_kg(v.mass_kg, need(q.heat_of_combustion_mj_kg, q.model, "heat_of_combustion", N_("MJ/kg")) * 1e6, v.yield);
    r.zones = hazard::explosion_zones(q.at, v.tnt_kg, q.overpressure_levels_kpa);
    r.zone_facts.resize(r.zones.size());
    note_unreached(r, q.overpressure_levels_kpa, "kPa", N_("{} {} lies outside the Kingery-Bulmash fit's range"));
    r.summary.push_back(trf("vapour-cloud explosion: {} kg fuel, yield {}{} -> {:.1f} kg TNT", text::format_double(v.mass_kg),
                            text::format_double(v.yield), v.yield_given ? "" : tr(" (default)"), v.tnt_kg));
    r.notes.push_back(tr("TNT equivalence: over-predicts near the cloud and ignores congestion"));
    r.vce = v;
}

void run_erg(const ZoneRequest& q, ZoneResult& r) {
    if (q.un <= 0) throw UsageError(tr("missing input un: the erg model needs un (the material's UN number, e.g. 1017 for chlorine)"));
    std::optional<hazard::WindBand> band;
    if (q.wind_speed_m_s) band = hazard::wind_band(*q.wind_speed_m_s);
    const auto z = hazard::Erg2024::builtin().lookup(q.un, q.large_spill ? hazard::Spill::Large : hazard::Spill::Small,
                                                     q.night ? hazard::DayNight::Night : hazard::DayNight::Day, band, q.container);
    r.zones = hazard::erg_zones(q.at, q.wind_from_deg, z);
    r.zone_facts.resize(r.zones.size());
    auto& s = r.summary;
    s.push_back(z.tih ? trf("UN {} {} (guide {}, toxic by inhalation)", z.un_number, z.material, z.guide)
                      : trf("UN {} {} (guide {})", z.un_number, z.material, z.guide));
    // The source names its table (and, for table 1, the spill); the case the answer is for is
    // said once, as what was assumed: the "small spill, small spill" came from gluing both.
    s.push_back(trf("source: {}", z.source));
    s.push_back(trf("for: a {} spill, {}", q.large_spill ? trc("spill", "large") : trc("spill", "small"),
                    q.night ? trc("time of day", "night") : trc("time of day", "day")));
    s.push_back(trf("initial isolation {} m in all directions", text::format_double(z.isolation_m)));
    if (z.precautionary_isolation_m)
        s.push_back(
            trf(*z.precautionary_isolation_m > z.isolation_m
                    ? N_("immediate precautionary isolation (guide {}) {} m in all directions (the larger: the isolation circle drawn)")
                    : N_("immediate precautionary isolation (guide {}) {} m in all directions"),
                z.guide, text::format_double(*z.precautionary_isolation_m)));
    if (z.protective_m) {
        const std::string dist = z.protective_more_than ? trf("more than {}", km(*z.protective_m)) : km(*z.protective_m);
        if (z.evacuation_all_directions) s.push_back(trf("large-spill evacuation: {} in all directions", dist));
        else if (q.wind_from_deg)
            s.push_back(trf("protective action: {} downwind (toward {:.0f}°), a square as wide as it is long", dist,
                            hazard::wind_toward_deg(*q.wind_from_deg)));
        else s.push_back(trf("protective action: {} downwind (give wind_from to place it)", dist));
    } else {
        s.push_back(tr("protective action: none given by ERG for this spill"));
    }
    if (z.fire_isolation_m) s.push_back(trf("fire: isolate {} m in all directions", text::format_double(*z.fire_isolation_m)));
    r.notes.insert(r.notes.begin(), z.notes.begin(), z.notes.end());
    r.erg = z;
}

geo::BBox extent_of(const LayerSet& layers) {
    geo::BBox box;
    for (const auto& l : layers.all())
        if (l->size() > 0) box.add(l->bounds());
    return box;
}

/// What lies inside each zone, and each record once with its most severe tier.
void find_inside(ZoneResult& r, const LayerSet& layers) {
    const auto contents = hazard::features_inside(r.zones, r.request.at, layers.all());
    std::map<std::pair<std::string, std::size_t>, std::size_t> seen;
    for (const auto& zc : contents) {
        const int tier = r.zones[zc.zone].tier;
        for (const auto& f : zc.features) {
            const model::Layer* layer = layers.find(f.layer);
            InsideRecord rec{f.layer,
                             layer ? layer->kind().title.text() : f.layer,
                             f.id,
                             f.name,
                             f.row,
                             layer ? geo::representative_point(layer->geometry(f.row)) : r.request.at,
                             f.distance_m,
                             tier,
                             f.unable_to_respond};
            r.zone_facts[zc.zone].inside.push_back(rec);
            auto [it, fresh] = seen.emplace(std::pair{f.layer, f.row}, r.affected.size());
            if (fresh) {
                r.affected.push_back(rec);
                if (f.unable_to_respond) r.unable_to_respond.push_back(f.id);
            } else {
                auto& a = r.affected[it->second];
                a.tier = std::max(a.tier, tier);
                if (f.unable_to_respond && !a.unable_to_respond) r.unable_to_respond.push_back(f.id);
                a.unable_to_respond |= f.unable_to_respond;
            }
        }
    }
    std::stable_sort(r.affected.begin(), r.affected.end(), [](const InsideRecord& a, const InsideRecord& b) {
        return a.tier != b.tier ? a.tier > b.tier : a.distance_m < b.distance_m;
    });
}

using detail::round7;
double round1(double v) { return std::round(v * 10) / 10; }

nlohmann::json ring_json(std::span<const geo::Coord> ring) { return detail::coords_json<nlohmann::json>(ring); }

nlohmann::json zone_json(const hazard::Zone& z) {
    return {{"model", z.model},
            {"kind", z.kind},
            {"level", z.level},
            {"tier", z.tier},
            {"threshold", z.threshold},
            {"units", z.units},
            {"distance_m", round1(z.distance_m)},
            {"cut", z.cut},
            {"source", z.source}};
}

nlohmann::json record_json(const InsideRecord& f) {
    return {{"layer", f.layer},
            {"id", f.id},
            {"name", f.name},
            {"distance_m", round1(f.distance_m)},
            {"unable_to_respond", f.unable_to_respond}};
}

nlohmann::json opt(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

// --- request keys ------------------------------------------------------------------------

double number(const nlohmann::json& j, const char* key) {
    if (!j.is_number()) throw UsageError(trf("zone request: \"{}\" must be a number, not {}", key, j.dump()));
    return j.get<double>();
}

std::string string(const nlohmann::json& j, const char* key) {
    if (!j.is_string()) throw UsageError(trf("zone request: \"{}\" must be a string, not {}", key, j.dump()));
    return j.get<std::string>();
}

bool boolean(const nlohmann::json& j, const char* key) {
    if (!j.is_boolean()) throw UsageError(trf("zone request: \"{}\" must be true or false, not {}", key, j.dump()));
    return j.get<bool>();
}

std::vector<double> numbers(const nlohmann::json& j, const char* key) {
    if (!j.is_array()) throw UsageError(trf("zone request: \"{}\" must be an array of numbers, not {}", key, j.dump()));
    std::vector<double> out;
    for (const auto& v : j) out.push_back(number(v, key));
    return out;
}

} // namespace

std::string_view zone_model_name(ZoneModel m) {
    switch (m) {
    case ZoneModel::Erg: return "erg";
    case ZoneModel::Plume: return "plume";
    case ZoneModel::Puff: return "puff";
    case ZoneModel::PoolFire: return "poolfire";
    case ZoneModel::Bleve: return "bleve";
    case ZoneModel::Vce: return "vce";
    }
    return "erg";
}

ZoneModel parse_zone_model(std::string_view name) {
    for (auto m : {ZoneModel::Erg, ZoneModel::Plume, ZoneModel::Puff, ZoneModel::PoolFire, ZoneModel::Bleve, ZoneModel::Vce})
        if (zone_model_name(m) == name) return m;
    throw UsageError(trf("unknown hazard model '{}': erg, plume, puff, poolfire, bleve or vce", name));
}

ZoneResult compute_zones(const ZoneRequest& request, const LayerSet& layers) {
    ZoneResult r;
    r.request = request;
    const geo::Coord at = request.at;
    if (!std::isfinite(at.x) || !std::isfinite(at.y) || at.x < -180 || at.x > 180 || at.y < -90 || at.y > 90)
        throw UsageError(tr("no valid release point: give at as [lon, lat] in degrees"));
    if (request.wind_from_deg) hazard::wind_toward_deg(*request.wind_from_deg); // refuses a direction outside 0..360
    if (request.wind_speed_m_s && !(*request.wind_speed_m_s >= 0))
        throw UsageError(trf("wind speed {} m/s: give 0 or more", text::format_double(*request.wind_speed_m_s)));
    if (!(request.max_range_m > 0))
        throw UsageError(trf("max_range {} m: give a positive distance", text::format_double(request.max_range_m)));
    // A release far from every record is most likely a mistyped place, not an incident to plan.
    const geo::BBox extent = request.data_extent ? *request.data_extent : extent_of(layers);
    if (!extent.empty() && geo::geodesic_lower_bound_m(at, extent) > k_outside_data_margin_m)
        throw UsageError(trf("the release point {:.5f},{:.5f} is outside the data ({:.4f},{:.4f} .. {:.4f},{:.4f})", at.x, at.y,
                             extent.min_x, extent.min_y, extent.max_x, extent.max_y));

    switch (request.model) {
    case ZoneModel::Erg: run_erg(request, r); break;
    case ZoneModel::Plume:
    case ZoneModel::Puff: run_toxic(request, r); break;
    case ZoneModel::PoolFire:
    case ZoneModel::Bleve: run_fire(request, r); break;
    case ZoneModel::Vce: run_vce(request, r); break;
    }
    find_inside(r, layers);
    return r;
}

ZoneRequest zone_request_from_json(const nlohmann::json& j) {
    if (!j.is_object()) throw UsageError(trf("zone request: give a JSON object, not {}", j.dump()));
    ZoneRequest q;
    for (const auto& [key, v] : j.items()) {
        const char* k = key.c_str();
        if (key == "at") {
            if (!v.is_array() || v.size() != 2) throw UsageError(trf("zone request: \"at\" must be [lon, lat], not {}", v.dump()));
            q.at = {number(v[0], k), number(v[1], k)};
        } else if (key == "model") q.model = parse_zone_model(string(v, k));
        else if (key == "un") q.un = static_cast<int>(number(v, k));
        else if (key == "substance") q.substance = string(v, k);
        else if (key == "wind_from") q.wind_from_deg = number(v, k);
        else if (key == "wind_speed") q.wind_speed_m_s = number(v, k);
        else if (key == "time") {
            const auto t = string(v, k);
            if (t != "day" && t != "night") throw UsageError(trf("zone request: \"time\" must be \"day\" or \"night\", not {}", v.dump()));
            q.night = t == "night";
        } else if (key == "cloud") q.cloud_cover = number(v, k);
        else if (key == "stability") {
            const auto s = string(v, k);
            q.stability = hazard::stability_letter(hazard::parse_stability(s));
        } else if (key == "urban") q.urban = boolean(v, k);
        else if (key == "spill") {
            const auto s = string(v, k);
            if (s != "small" && s != "large")
                throw UsageError(trf("zone request: \"spill\" must be \"small\" or \"large\", not {}", v.dump()));
            q.large_spill = s == "large";
        } else if (key == "container") q.container = string(v, k);
        else if (key == "rate_kg_s") q.rate_kg_s = number(v, k);
        else if (key == "mass_kg") q.mass_kg = number(v, k);
        else if (key == "duration_min") q.duration_min = number(v, k);
        else if (key == "release_height") q.release_height_m = number(v, k);
        else if (key == "levels") q.levels = string(v, k);
        else if (key == "uncertainty") q.uncertainty_deg = number(v, k);
        else if (key == "max_range") q.max_range_m = number(v, k);
        else if (key == "pool_area_m2") q.pool_area_m2 = number(v, k);
        else if (key == "heat_of_combustion") q.heat_of_combustion_mj_kg = number(v, k);
        else if (key == "burning_rate") q.burning_rate_kg_m2_s = number(v, k);
        else if (key == "radiative_fraction") q.radiative_fraction = number(v, k);
        else if (key == "humidity") q.humidity = number(v, k);
        else if (key == "air_temp") q.air_temp_c = number(v, k);
        else if (key == "flux_levels") q.flux_levels_kw_m2 = numbers(v, k);
        else if (key == "yield") q.yield = number(v, k);
        else if (key == "overpressure_levels") q.overpressure_levels_kpa = numbers(v, k);
        // An unknown key is most likely a misspelt input that would silently take its default.
        else throw UsageError(trf("zone request: unknown key \"{}\" (docs/json.md lists the keys)", key));
    }
    if (!j.contains("at")) throw UsageError(tr("zone request: \"at\" [lon, lat] is needed"));
    return q;
}

nlohmann::json to_json(const ZoneResult& r) {
    const ZoneRequest& q = r.request;
    nlohmann::json out = nlohmann::json::object();
    std::optional<double> toward;
    if (q.wind_from_deg) toward = hazard::wind_toward_deg(*q.wind_from_deg);
    if (r.erg) {
        const auto& erg = *r.erg;
        nlohmann::json protective = nullptr;
        if (erg.protective_m) {
            protective = {{"distance_m", *erg.protective_m},
                          {"more_than", erg.protective_more_than},
                          {"shape", erg.evacuation_all_directions ? "circle" : "downwind_square"}};
            if (toward) protective["toward_deg"] = *toward;
            protective["ring"] = nullptr;
            for (const auto& z : r.zones)
                if (z.kind == "protective_action") protective["ring"] = ring_json(z.polygon.ring(0));
        }
        nlohmann::json isolation_ring = nullptr;
        for (const auto& z : r.zones)
            if (z.kind == "isolation") isolation_ring = ring_json(z.polygon.ring(0));
        out = {{"un_number", erg.un_number},
               {"material", erg.material},
               {"guide", erg.guide},
               {"tih", erg.tih},
               {"source", erg.source},
               {"spill", q.large_spill ? "large" : "small"},
               {"time", q.night ? "night" : "day"},
               {"isolation",
                {{"radius_m", erg.isolation_circle_m()},
                 {"table_m", erg.isolation_m},
                 {"guide_precautionary_m", opt(erg.precautionary_isolation_m)},
                 {"ring", isolation_ring}}},
               {"protective_action", protective},
               {"fire_isolation_m", opt(erg.fire_isolation_m)}};
    } else if (r.toxic) {
        const auto& t = *r.toxic;
        if (q.model == ZoneModel::Puff) out["mass_kg"] = q.mass_kg.value_or(0);
        else out["rate_kg_s"] = q.rate_kg_s.value_or(0);
        out["substance"] = {
            {"name_en", t.name_en}, {"name_zh", t.name_zh}, {"cas", t.cas}, {"un_numbers", t.un_numbers}, {"confidence", t.confidence}};
        out["stability"] = t.stability;
        out["stability_assumed"] = t.stability_assumed;
        out["stability_source"] = t.stability_source;
        nlohmann::json candidates = nlohmann::json::array();
        for (char c : t.stability_candidates) candidates.push_back(std::string(1, c));
        out["stability_candidates"] = candidates;
        out["terrain"] = q.urban ? "urban" : "rural";
        out["wind_speed_m_s"] = t.wind_used_m_s;
        out["wind_speed_given_m_s"] = t.wind_given_m_s;
        out["wind_clamped"] = t.wind_clamped;
        out["wind_from_deg"] = q.wind_from_deg.value_or(0);
        out["uncertainty_deg"] = q.uncertainty_deg;
        out["release_height_m"] = q.release_height_m;
        out["max_range_m"] = q.max_range_m;
        if (t.released_kg) {
            out["duration_min"] = *q.duration_min;
            out["released_kg"] = *t.released_kg;
        }
    } else if (r.pool_fire) {
        const auto& f = *r.pool_fire;
        out = {{"pool_area_m2", f.area_m2},
               {"pool_diameter_m", f.diameter_m()},
               {"flame_height_m", f.flame_height_m()},
               {"surface_emissive_power_kw_m2", f.surface_emissive_power_kw_m2()},
               {"heat_release_mw", f.heat_release_w() / 1e6},
               {"radiative_fraction", f.radiative_fraction},
               {"burning_rate_kg_m2_s", f.burning_rate_kg_m2_s},
               {"distances_from", "pool centre"}}; // i18n: not shown: a JSON value, the same in every language
    } else if (r.fireball) {
        const auto& b = *r.fireball;
        out = {{"mass_kg", b.fuel_mass_kg},
               {"diameter_m", b.diameter_m()},
               {"duration_s", b.duration_s()},
               {"centre_height_m", b.centre_height_m()},
               {"surface_emissive_power_kw_m2", b.surface_emissive_power_kw_m2()},
               {"radiative_fraction", b.radiative_fraction}};
    } else if (r.vce) {
        const auto& v = *r.vce;
        out = {{"mass_kg", v.mass_kg},
               {"yield", v.yield},
               {"yield_source", v.yield_given ? "--yield" : "default 0.03"},
               {"tnt_equivalent_kg", v.tnt_kg},
               {"tnt_energy_mj_kg", hazard::k_tnt_blast_energy_j_kg / 1e6}};
    }
    nlohmann::json zones = nlohmann::json::array();
    for (std::size_t i = 0; i < r.zones.size(); ++i) {
        nlohmann::json z = zone_json(r.zones[i]);
        const ZoneFacts& f = r.zone_facts[i];
        if (f.stability) z["stability"] = std::string(1, *f.stability);
        if (f.from_edge_m) {
            z["from_edge_m"] = round1(*f.from_edge_m);
            z["flux_model"] = f.flux_model;
        }
        z["ring"] = ring_json(r.zones[i].polygon.ring(0));
        nlohmann::json inside = nlohmann::json::array();
        for (const auto& rec : f.inside) inside.push_back(record_json(rec));
        z["inside"] = std::move(inside);
        zones.push_back(std::move(z));
    }
    nlohmann::json affected = nlohmann::json::array();
    for (const auto& a : r.affected) {
        nlohmann::json j = record_json(a);
        j["max_tier"] = a.tier;
        j["at"] = {round7(a.at.x), round7(a.at.y)};
        affected.push_back(std::move(j));
    }
    out["model"] = zone_model_name(q.model);
    out["at"] = {q.at.x, q.at.y};
    out["zones"] = std::move(zones);
    out["affected"] = std::move(affected);
    out["unable_to_respond"] = r.unable_to_respond;
    out["summary"] = r.summary;
    out["assumptions"] = r.assumptions;
    out["notes"] = r.notes;
    return out;
}

nlohmann::json to_geojson(const ZoneResult& r, bool with_inside) {
    nlohmann::json features = nlohmann::json::array();
    for (std::size_t i = 0; i < r.zones.size(); ++i) {
        nlohmann::json props = zone_json(r.zones[i]);
        nlohmann::json ids = nlohmann::json::array();
        for (const auto& f : r.zone_facts[i].inside) ids.push_back(f.layer + "/" + f.id);
        props["inside"] = std::move(ids);
        features.push_back(detail::feature<nlohmann::json>(
            std::move(props), {{"type", "Polygon"}, {"coordinates", {ring_json(r.zones[i].polygon.ring(0))}}}));
    }
    features.push_back(detail::feature<nlohmann::json>({{"role", "release_point"}}, detail::point_json<nlohmann::json>(r.request.at)));
    if (with_inside)
        for (const auto& a : r.affected)
            features.push_back(detail::feature<nlohmann::json>({{"role", "inside"},
                                                                {"layer", a.layer},
                                                                {"id", a.id},
                                                                {"name", a.name},
                                                                {"distance_m", round1(a.distance_m)},
                                                                {"max_tier", a.tier},
                                                                {"unable_to_respond", a.unable_to_respond}},
                                                               detail::point_json<nlohmann::json>(a.at)));
    return {{"type", "FeatureCollection"}, {"features", std::move(features)}};
}

} // namespace vigil::app

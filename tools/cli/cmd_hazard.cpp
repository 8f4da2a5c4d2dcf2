// vigil grade: GB 18218-2018 identification and grading of every hazard source in a project
// database, stored back into its s_value, r_value and grade fields.
// vigil zone: hazard zones around a release (ERG 2024 isolation and protective-action areas,
// toxic plume/puff footprints, pool-fire and fireball radiation, vapour-cloud explosion) and the
// enterprises, hazard sources, rescue teams and warehouses inside them.

#include "cli_common.hpp"

#include <vigil/geo/geodesic.hpp>
#include <vigil/hazard/erg.hpp>
#include <vigil/hazard/explosion.hpp>
#include <vigil/hazard/fire.hpp>
#include <vigil/hazard/footprint.hpp>
#include <vigil/hazard/gb18218.hpp>
#include <vigil/hazard/inside.hpp>
#include <vigil/hazard/toxic_endpoints.hpp>
#include <vigil/hazard/toxic_zone.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/store/sqlite.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <iostream>
#include <cmath>
#include <map>
#include <span>

namespace vigil::cli {
namespace {

std::string_view basis_name(hazard::Basis b) {
    switch (b) {
    case hazard::Basis::Table1: return "table1";
    case hazard::Basis::Table2: return "table2";
    case hazard::Basis::Unknown: break;
    }
    return "unknown";
}

std::string_view matched_name(hazard::MatchedBy m) {
    switch (m) {
    case hazard::MatchedBy::Name: return "name";
    case hazard::MatchedBy::Alias: return "alias";
    case hazard::MatchedBy::Cas: return "cas";
    case hazard::MatchedBy::None: break;
    }
    return "none";
}

nlohmann::json to_json(const hazard::Assessment& a) {
    nlohmann::json contributions = nlohmann::json::array();
    for (const auto& c : a.contributions) {
        nlohmann::json j = {{"substance", c.item.substance}, {"cas", c.item.cas}, {"un_number", c.item.un_number},
                            {"category", c.item.category}, {"quantity_t", c.item.quantity_t}, {"basis", basis_name(c.basis)},
                            {"matched_by", matched_name(c.matched_by)}, {"reference", c.reference}};
        if (c.basis == hazard::Basis::Table1) j["table1_row"] = c.table1_seq;
        if (c.basis != hazard::Basis::Unknown) {
            j["critical_quantity_t"] = c.critical_t;
            j["q_over_Q"] = c.ratio;
            j["beta"] = c.beta;
            j["beta_source"] = c.beta_source;
            j["beta_q_over_Q"] = c.weighted;
        }
        if (!c.note.empty()) j["note"] = c.note;
        contributions.push_back(std::move(j));
    }
    return {{"s", a.s}, {"alpha", a.alpha}, {"r", a.r}, {"major", a.major}, {"grade", hazard::grade_value(a.grade)},
            {"grade_zh", hazard::grade_label_zh(a.grade)},
            {"population_500m", a.population ? nlohmann::json(*a.population) : nlohmann::json(nullptr)},
            {"contributions", contributions}, {"warnings", a.warnings}};
}

/// One inventory line as the text table shows it under its record: which table row or category
/// gave Q, which β and why, so that a grade can be checked by hand.
std::string line_text(const hazard::Contribution& c) {
    std::string s = "    " + c.item.substance + (c.item.substance.empty() ? c.item.cas : std::string()) + " " +
                    text::format_double(c.item.quantity_t) + " t → ";
    switch (c.basis) {
    case hazard::Basis::Table1:
        s += fmt::format("表1第{}行 {} (by {})", c.table1_seq, c.reference, matched_name(c.matched_by));
        break;
    case hazard::Basis::Table2: s += "表2 " + c.reference; break;
    case hazard::Basis::Unknown: return s + "未计入: " + c.note;
    }
    s += fmt::format(", Q {} t, q/Q {:.3f}, β {} ({})", text::format_double(c.critical_t), c.ratio, text::format_double(c.beta),
                     c.beta_source);
    if (!c.note.empty()) s += "; " + c.note;
    return s;
}


} // namespace

void add_grade_command(CLI::App& app, Runner& run);

void add_grade_command(CLI::App& app, Runner& run) {
    static std::string db;
    static bool json = false;
    static bool no_store = false;
    auto* cmd = app.add_subcommand("grade", "GB 18218-2018: S, R and the major-hazard grade of every hazard source, stored in the database");
    cmd->add_option("DB", db, "Project database")->required();
    cmd->add_flag("--json", json, "JSON output with each substance's contribution");
    cmd->add_flag("--no-store", no_store, "Compute and print only; leave the database unchanged");
    cmd->callback([&run] {
        run = [] {
            const auto& gb = hazard::Gb18218::builtin();
            std::shared_ptr<const model::Layer> layer;
            {
                auto project = store::Project::open(db);
                layer = project.load_layer("hazard_sources");
            }
            const auto& kind = layer->kind();
            auto f_inventory = kind.field_index("inventory");
            auto f_population = kind.field_index("population_500m");
            auto f_name = kind.field_index("name");
            if (!f_inventory)
                throw SchemaError("database '" + db + "': the hazard_sources layer has no inventory field");

            struct Row {
                std::size_t row;
                hazard::Assessment a;
            };
            std::vector<Row> graded;
            std::vector<std::string> errors;
            for (std::size_t row = 0; row < layer->size(); ++row) {
                const std::string& id = layer->id(row);
                try {
                    std::string inv_text = model::to_text(layer->value(row, *f_inventory));
                    auto inventory = hazard::parse_inventory(inv_text, id);
                    std::optional<std::int64_t> population;
                    if (f_population) {
                        const auto& v = layer->value(row, *f_population);
                        if (auto* i = std::get_if<std::int64_t>(&v)) population = *i;
                        else if (auto* d = std::get_if<double>(&v)) population = static_cast<std::int64_t>(*d);
                    }
                    graded.push_back({row, gb.assess(inventory, population, id)});
                } catch (const hazard::InventoryError& e) {
                    errors.push_back(e.what());
                }
            }

            // Store S, R and grade where the database has the catalogue's columns for them.
            bool stored = false;
            std::string not_stored_reason;
            if (no_store) {
                not_stored_reason = "--no-store";
            } else {
                auto database = store::Database::open(db, store::Database::Mode::ReadWrite);
                auto columns = database.table_columns("hazard_sources");
                auto has = [&](const char* c) { return std::find(columns.begin(), columns.end(), c) != columns.end(); };
                if (!has("s_value") || !has("r_value") || !has("grade")) {
                    not_stored_reason = "the hazard_sources table has no s_value, r_value and grade columns";
                } else {
                    store::Transaction tx(database);
                    auto st = database.prepare("UPDATE hazard_sources SET s_value = ?1, r_value = ?2, grade = ?3 WHERE fid = ?4");
                    for (const auto& g : graded) {
                        st.bind(1, g.a.s).bind(2, g.a.r).bind(3, hazard::grade_value(g.a.grade)).bind(4, layer->fid(g.row));
                        st.run();
                        st.reset();
                    }
                    tx.commit();
                    stored = true;
                }
            }

            if (json) {
                nlohmann::json arr = nlohmann::json::array();
                for (const auto& g : graded) {
                    nlohmann::json j = to_json(g.a);
                    j["id"] = layer->id(g.row);
                    j["name"] = f_name ? model::to_text(layer->value(g.row, *f_name)) : std::string();
                    arr.push_back(std::move(j));
                }
                nlohmann::json out = {{"database", db}, {"standard", "GB 18218-2018"}, {"stored", stored},
                                      {"hazard_sources", arr}, {"errors", errors}};
                if (!stored) out["not_stored_reason"] = not_stored_reason;
                std::cout << out.dump(2) << "\n";
            } else {
                std::map<hazard::Grade, int> counts;
                std::cout << fmt::format("{:<20} {} {:>10} {:>5} {:>10}  {}\n", "id", pad_columns("name", 44), "S", "α", "R", "grade");
                for (const auto& g : graded) {
                    ++counts[g.a.grade];
                    std::string name = f_name ? model::to_text(layer->value(g.row, *f_name)) : std::string();
                    std::cout << fmt::format("{:<20} {} {:>10.3f} {:>5} {:>10.3f}  {}\n", layer->id(g.row), pad_columns(name, 44), g.a.s,
                                             text::format_double(g.a.alpha), g.a.r, hazard::grade_label_zh(g.a.grade));
                    for (const auto& c : g.a.contributions) std::cout << line_text(c) << "\n";
                }
                std::cout << fmt::format("{} graded: 一级 {}, 二级 {}, 三级 {}, 四级 {}, not major {}; {} with errors\n", graded.size(),
                                         counts[hazard::Grade::Grade1], counts[hazard::Grade::Grade2], counts[hazard::Grade::Grade3],
                                         counts[hazard::Grade::Grade4], counts[hazard::Grade::NotMajor], errors.size());
                std::cout << (stored ? "S, R and grade stored in " + db + "\n" : "not stored: " + not_stored_reason + "\n");
                if (!globals().quiet)
                    for (const auto& g : graded)
                        for (const auto& w : g.a.warnings) std::cerr << "note: " << w << "\n";
            }
            for (const auto& e : errors) std::cerr << "vigil: " << e << "\n";
            return errors.empty() ? int{k_exit_ok} : int{k_exit_error};
        };
    });
}

namespace {

double round7(double v) { return std::round(v * 1e7) / 1e7; }

nlohmann::json ring_json(std::span<const geo::Coord> ring) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& c : ring) arr.push_back({round7(c.x), round7(c.y)});
    return arr;
}

std::string km(double m) { return fmt::format("{:.1f} km", m / 1000); }

// Pool-fire radii of a few metres need their decimetre (6.0 m from the centre is 0.4 m from the edge).
std::string distance_text(double m) {
    if (m >= 1000) return fmt::format("{:.2f} km", m / 1000);
    return m < 10 ? fmt::format("{:.1f} m", m) : fmt::format("{:.0f} m", m);
}

struct ZoneArgs {
    std::string db, at, spill = "small", time = "day", container, model = "erg", substance, stability, levels = "aegl",
                geojson, flux_levels = "37.5,12.5,4", overpressure_levels = "50,20,5";
    int un = 0;
    std::optional<double> wind_from, wind_speed, rate, mass, duration, cloud, height, pool_area, hoc, burning_rate,
        radiative_fraction, yield;
    double uncertainty = 15, humidity = 0.5, air_temp_c = 20, max_range = hazard::k_default_max_range_m;
    bool json = false, urban = false, geojson_inside = false;
};

// What a model run gives, whatever the model: zones, model-specific facts and notes.
struct ModelResult {
    std::vector<hazard::Zone> zones;
    nlohmann::json details = nlohmann::json::object();
    std::vector<std::string> lines; ///< human-readable summary
    /// What was assumed for the unknowns (stability class and why, a clamped wind, a cut at
    /// the maximum range): printed as "assumed:" lines and as JSON "assumptions".
    std::vector<std::string> assumptions;
    std::vector<std::string> notes;
    /// Per zone level: more JSON fields for the zone and words after its distance in the text.
    std::map<std::string, nlohmann::json> zone_extra;
    std::map<std::string, std::string> zone_text;
};

template <class T>
T need(const std::optional<T>& v, const ZoneArgs& a, const char* option, const char* what) {
    if (!v) throw UsageError("--model " + a.model + " needs " + option + " (" + what + ")");
    return *v;
}

// "37.5,12.5,4" -> the values; the core orders them and gives the tiers.
std::vector<double> parse_values(const std::string& text, const char* option) {
    std::vector<double> values;
    for (auto part : text::split(text, ',')) {
        auto v = text::parse_double(text::trim(part));
        if (!v || !std::isfinite(*v) || *v <= 0)
            throw UsageError(std::string(option) + " '" + text + "': give positive numbers separated by commas");
        values.push_back(*v);
    }
    if (values.empty()) throw UsageError(std::string(option) + ": give at least one level");
    return values;
}

// Notes for the levels that got no circle.
void note_unreached(ModelResult& r, const std::vector<double>& values, const std::string& units, const char* why) {
    for (double v : values)
        if (std::none_of(r.zones.begin(), r.zones.end(), [&](const hazard::Zone& z) { return z.threshold == v; }))
            r.notes.push_back(text::format_double(v) + " " + units + " " + why);
}

hazard::Atmosphere atmosphere(const ZoneArgs& a) {
    hazard::Atmosphere air;
    air.relative_humidity = a.humidity;
    air.temperature_k = a.air_temp_c + 273.15;
    air.check();
    return air;
}

ModelResult run_toxic(const ZoneArgs& a, geo::Coord spot) {
    ModelResult r;
    const bool puff = a.model == "puff";
    std::string query = !a.substance.empty() ? a.substance : a.un > 0 ? "UN" + std::to_string(a.un) : std::string();
    if (query.empty()) throw UsageError("--model " + a.model + " needs --substance NAME|CAS|UN (or --un N)");
    const auto& sub = hazard::ToxicEndpoints::builtin().find(query);
    auto set = hazard::parse_level_set(a.levels);
    auto loc = sub.levels(set);
    if (loc.empty())
        throw UsageError(sub.name_en + " has no toxic level of concern in the endpoint table (its hazard is fire or explosion): "
                         "use --model poolfire, bleve or vce");
    hazard::ToxicRequest q;
    q.source = spot;
    q.wind_m_s = need(a.wind_speed, a, "--wind-speed", "m/s at 10 m");
    q.wind_from_deg = need(a.wind_from, a, "--wind-from", "degrees the wind blows from");
    q.time = a.time == "night" ? hazard::DayNight::Night : hazard::DayNight::Day;
    q.cloud_cover = a.cloud;
    if (!a.stability.empty()) q.stability = hazard::parse_stability(a.stability);
    q.terrain = a.urban ? hazard::Terrain::Urban : hazard::Terrain::Rural;
    q.instantaneous = puff;
    q.height_m = a.height.value_or(0);
    q.uncertainty_deg = a.uncertainty;
    q.max_range_m = a.max_range;
    for (const auto& l : loc) q.levels.push_back({l.tier, l.name, l.mg_m3, "mg/m3", l.source});
    if (puff) {
        q.mass_kg = need(a.mass, a, "--mass-kg", "mass released at once, kg");
        if (a.urban) r.notes.push_back("Slade's puff sigmas have no urban set: --urban is ignored by --model puff");
        r.details["mass_kg"] = q.mass_kg;
    } else {
        q.rate_kg_s = need(a.rate, a, "--rate-kg-s", "release rate, kg/s");
        r.details["rate_kg_s"] = q.rate_kg_s;
    }
    if (!a.stability.empty() && a.cloud) r.notes.push_back("--stability " + a.stability + " given: --cloud is not used");
    const auto t = hazard::toxic_release_zones(q);
    r.zones = t.zones;
    r.assumptions = t.assumptions;
    const std::string stab = hazard::stability_summary(q, t);
    r.details["substance"] = {{"name_en", sub.name_en}, {"name_zh", sub.name_zh}, {"cas", sub.cas}, {"un_numbers", sub.un_numbers},
                              {"confidence", sub.confidence}};
    r.details["stability"] = stab;
    r.details["stability_assumed"] = t.stability_basis.assumed;
    r.details["stability_source"] = t.stability_basis.why;
    nlohmann::json candidates = nlohmann::json::array();
    for (auto c : t.stability_basis.candidates) candidates.push_back(std::string(1, hazard::stability_letter(c)));
    r.details["stability_candidates"] = candidates;
    r.details["terrain"] = a.urban ? "urban" : "rural";
    r.details["wind_speed_m_s"] = t.wind_used_m_s;
    r.details["wind_speed_given_m_s"] = t.wind_given_m_s;
    r.details["wind_clamped"] = t.wind_clamped;
    r.details["wind_from_deg"] = q.wind_from_deg;
    r.details["uncertainty_deg"] = a.uncertainty;
    r.details["release_height_m"] = q.height_m;
    r.details["max_range_m"] = a.max_range;
    for (std::size_t i = 0; i < q.levels.size(); ++i)
        if (t.level_stability[i])
            r.zone_extra[q.levels[i].name] = {{"stability", std::string(1, hazard::stability_letter(*t.level_stability[i]))}};
    r.lines.push_back(fmt::format("{} {} ({}), stability {}{}, wind {} m/s{} from {}°, {}", puff ? "puff of" : "plume of", sub.name_en,
                                  sub.name_zh, stab.empty() ? "-" : stab, t.stability_basis.assumed ? " (assumed)" : "",
                                  text::format_double(t.wind_used_m_s), t.wind_clamped ? " (clamped)" : "",
                                  text::format_double(q.wind_from_deg), a.urban ? "urban" : "rural"));
    if (puff) r.notes.push_back("puff footprint: where the peak concentration as the puff passes reaches the level");
    if (!puff && a.duration) {
        if (!std::isfinite(*a.duration) || *a.duration <= 0)
            throw UsageError("--duration-min " + text::format_double(*a.duration) + ": give a positive number of minutes");
        r.details["duration_min"] = *a.duration;
        r.details["released_kg"] = q.rate_kg_s * *a.duration * 60;
        double reach = 0;
        for (const auto& z : r.zones) reach = std::max(reach, z.distance_m);
        double travel_min = reach / t.wind_used_m_s / 60;
        if (travel_min > *a.duration)
            r.notes.push_back(fmt::format("the release lasts {} min but the wind takes {:.0f} min to carry it {}: a steady plume "
                                          "overstates the far reach; consider --model puff with --mass-kg {}",
                                          text::format_double(*a.duration), travel_min, distance_text(reach),
                                          text::format_double(q.rate_kg_s * *a.duration * 60)));
    }
    for (const auto& name : t.unreached)
        for (const auto& l : loc)
            if (l.name == name)
                r.notes.push_back(fmt::format("{} ({} mg/m3) is not reached at any distance", l.name, text::format_double(l.mg_m3)));
    r.notes.push_back("neutral (Gaussian) dispersion: dense gases such as chlorine, cold ammonia or LPG spread wider and shorter");
    return r;
}

ModelResult run_fire(const ZoneArgs& a, geo::Coord spot) {
    ModelResult r;
    auto values = parse_values(a.flux_levels, "--flux-levels");
    double hoc = need(a.hoc, a, "--heat-of-combustion", "MJ/kg") * 1e6;
    if (a.model == "poolfire") {
        hazard::PoolFire f;
        f.area_m2 = need(a.pool_area, a, "--pool-area-m2", "pool area, m2");
        f.heat_of_combustion_j_kg = hoc;
        f.burning_rate_kg_m2_s = need(a.burning_rate, a, "--burning-rate", "kg/(m2 s), e.g. 0.055 gasoline, 0.078 LNG");
        f.radiative_fraction = a.radiative_fraction.value_or(0.25);
        f.air = atmosphere(a);
        f.check();
        r.zones = hazard::pool_fire_zones(spot, f, values);
        r.details = {{"pool_area_m2", f.area_m2}, {"pool_diameter_m", f.diameter_m()}, {"flame_height_m", f.flame_height_m()},
                     {"surface_emissive_power_kw_m2", f.surface_emissive_power_kw_m2()},
                     {"heat_release_mw", f.heat_release_w() / 1e6}, {"radiative_fraction", f.radiative_fraction},
                     {"burning_rate_kg_m2_s", f.burning_rate_kg_m2_s}, {"distances_from", "pool centre"}};
        for (const auto& d : hazard::thermal_distances(f, values)) {
            if (!d.distance_m) continue;
            const std::string level = hazard::tiered_levels({d.flux_kw_m2}, "kW/m2", "").front().name;
            r.zone_extra[level] = {{"from_edge_m", std::round(*d.from_edge_m * 10) / 10}, {"flux_model", d.model}};
            r.zone_text[level] = fmt::format(" from the pool centre ({} from its edge; {})", distance_text(*d.from_edge_m), d.model);
        }
        r.lines.push_back(fmt::format("pool fire: {} m2 (diameter {:.1f} m), flame {:.1f} m high (Thomas), surface emissive power "
                                      "{:.0f} kW/m2 (Mudan-Croce), {:.1f} MW, radiative fraction {} (point source)",
                                      text::format_double(f.area_m2), f.diameter_m(), f.flame_height_m(),
                                      f.surface_emissive_power_kw_m2(), f.heat_release_w() / 1e6, text::format_double(f.radiative_fraction)));
        r.notes.push_back("pool fire: at each distance the larger of the solid flame (vertical cylinder, no wind tilt) and the "
                          "point source; distances run from the pool centre, the circles are drawn about it");
    } else {
        hazard::Fireball b;
        b.fuel_mass_kg = need(a.mass, a, "--mass-kg", "fuel mass in the fireball, kg");
        b.heat_of_combustion_j_kg = hoc;
        b.radiative_fraction = a.radiative_fraction.value_or(0.3);
        b.air = atmosphere(a);
        b.check();
        r.zones = hazard::fireball_zones(spot, b, values);
        r.details = {{"mass_kg", b.fuel_mass_kg}, {"diameter_m", b.diameter_m()}, {"duration_s", b.duration_s()},
                     {"centre_height_m", b.centre_height_m()}, {"surface_emissive_power_kw_m2", b.surface_emissive_power_kw_m2()},
                     {"radiative_fraction", b.radiative_fraction}};
        r.lines.push_back(fmt::format("BLEVE fireball: {} kg, diameter {:.0f} m, {:.1f} s, centre {:.0f} m up, SEP {:.0f} kW/m2",
                                      text::format_double(b.fuel_mass_kg), b.diameter_m(), b.duration_s(), b.centre_height_m(),
                                      b.surface_emissive_power_kw_m2()));
    }
    note_unreached(r, values, "kW/m2", "is not reached at any distance");
    return r;
}

ModelResult run_vce(const ZoneArgs& a, geo::Coord spot) {
    ModelResult r;
    auto values = parse_values(a.overpressure_levels, "--overpressure-levels");
    double yield = a.yield.value_or(0.03);
    double w = hazard::tnt_equivalent_kg(need(a.mass, a, "--mass-kg", "flammable mass in the cloud, kg"),
                                         need(a.hoc, a, "--heat-of-combustion", "MJ/kg") * 1e6, yield);
    r.zones = hazard::explosion_zones(spot, w, values);
    note_unreached(r, values, "kPa", "lies outside the Kingery-Bulmash fit's range");
    r.details = {{"mass_kg", *a.mass}, {"yield", yield}, {"yield_source", a.yield ? "--yield" : "default 0.03"},
                 {"tnt_equivalent_kg", w}, {"tnt_energy_mj_kg", hazard::k_tnt_blast_energy_j_kg / 1e6}};
    r.lines.push_back(fmt::format("vapour-cloud explosion: {} kg fuel, yield {}{} -> {:.1f} kg TNT", text::format_double(*a.mass),
                                  text::format_double(yield), a.yield ? "" : " (default)", w));
    r.notes.push_back("TNT equivalence: over-predicts near the cloud and ignores congestion");
    return r;
}

ModelResult run_erg(const ZoneArgs& a, geo::Coord spot, hazard::ErgZone& z) {
    ModelResult r;
    if (a.un <= 0) throw UsageError("--model erg needs --un N (the material's UN number, e.g. 1017 for chlorine)");
    std::optional<hazard::WindBand> band;
    if (a.wind_speed) band = hazard::wind_band(*a.wind_speed);
    z = hazard::Erg2024::builtin().lookup(a.un, a.spill == "large" ? hazard::Spill::Large : hazard::Spill::Small,
                                          a.time == "night" ? hazard::DayNight::Night : hazard::DayNight::Day, band, a.container);
    r.zones = hazard::erg_zones(spot, a.wind_from, z);
    return r;
}

nlohmann::json inside_json(const hazard::ZoneContents& c) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& f : c.features)
        arr.push_back({{"layer", f.layer}, {"id", f.id}, {"name", f.name}, {"distance_m", std::round(f.distance_m * 10) / 10},
                       {"unable_to_respond", f.unable_to_respond}});
    return arr;
}

nlohmann::json zone_json(const hazard::Zone& z) {
    return {{"model", z.model}, {"kind", z.kind}, {"level", z.level}, {"tier", z.tier}, {"threshold", z.threshold},
            {"units", z.units}, {"distance_m", std::round(z.distance_m * 10) / 10}, {"cut", z.cut}, {"source", z.source}};
}

void write_geojson(const std::string& path, const std::vector<hazard::Zone>& zones, const std::vector<hazard::ZoneContents>& inside,
                   geo::Coord spot, bool with_inside, const std::vector<std::shared_ptr<const model::Layer>>& layers) {
    nlohmann::json features = nlohmann::json::array();
    for (std::size_t i = 0; i < zones.size(); ++i) {
        nlohmann::json props = zone_json(zones[i]);
        nlohmann::json ids = nlohmann::json::array();
        for (const auto& f : inside[i].features) ids.push_back(f.layer + "/" + f.id);
        props["inside"] = ids;
        features.push_back({{"type", "Feature"},
                            {"properties", props},
                            {"geometry", {{"type", "Polygon"}, {"coordinates", {ring_json(zones[i].polygon.ring(0))}}}}});
    }
    features.push_back({{"type", "Feature"},
                        {"properties", {{"role", "release_point"}}},
                        {"geometry", {{"type", "Point"}, {"coordinates", {round7(spot.x), round7(spot.y)}}}}});
    if (with_inside) {
        // Each feature once, with the most severe zone it lies in.
        std::map<std::pair<std::string, std::string>, std::pair<const hazard::InsideFeature*, int>> seen;
        for (std::size_t i = 0; i < zones.size(); ++i)
            for (const auto& f : inside[i].features) {
                auto& e = seen[{f.layer, f.id}];
                if (!e.first || zones[i].tier > e.second) e = {&f, zones[i].tier};
            }
        for (const auto& [key, e] : seen) {
            // Init-capture: clang 14 (clang-tidy, Emscripten) cannot capture a structured binding.
            auto layer = std::find_if(layers.begin(), layers.end(), [&wanted = key.first](const auto& l) { return l->kind().kind == wanted; });
            if (layer == layers.end()) continue; // cannot happen: every feature inside came from `layers`
            geo::Coord c = geo::representative_point((*layer)->geometry(e.first->row));
            features.push_back({{"type", "Feature"},
                                {"properties",
                                 {{"role", "inside"}, {"layer", e.first->layer}, {"id", e.first->id}, {"name", e.first->name},
                                  {"distance_m", std::round(e.first->distance_m * 10) / 10}, {"max_tier", e.second},
                                  {"unable_to_respond", e.first->unable_to_respond}}},
                                {"geometry", {{"type", "Point"}, {"coordinates", {round7(c.x), round7(c.y)}}}}});
        }
    }
    nlohmann::json fc = {{"type", "FeatureCollection"}, {"features", features}};
    write_text_file(path, fc.dump(1) + "\n");
}

} // namespace

void add_zone_command(CLI::App& app, Runner& run);

void add_zone_command(CLI::App& app, Runner& run) {
    static ZoneArgs a;
    auto* cmd = app.add_subcommand("zone", "Hazard zones around a release and what lies inside them: ERG 2024 (default), toxic "
                                           "plume or puff, pool fire, BLEVE fireball, vapour-cloud explosion");
    cmd->add_option("DB", a.db, "Project database")->required();
    cmd->add_option("--at", a.at, "Release location LON,LAT (WGS84)")->required();
    cmd->add_option("--model", a.model, "erg (default), plume, puff, poolfire, bleve or vce")
        ->check(CLI::IsMember({"erg", "plume", "puff", "poolfire", "bleve", "vce"}));
    cmd->add_option("--un", a.un, "UN number of the material, e.g. 1017 (chlorine); required by --model erg");
    cmd->add_option("--spill", a.spill, "erg: small or large")->check(CLI::IsMember({"small", "large"}));
    cmd->add_option("--time", a.time, "day or night (erg tables; Turner stability for plume/puff)")->check(CLI::IsMember({"day", "night"}));
    cmd->add_option("--wind-from", a.wind_from, "Direction the wind blows FROM, degrees clockwise from north (plume/puff: required)");
    cmd->add_option("--wind-speed", a.wind_speed,
                    "Wind speed at 10 m in m/s (erg: table 3 bands; plume/puff: required, > 0; below 1 m/s computed at 1 m/s, said so)");
    cmd->add_option("--container", a.container, "erg: table 3 container, e.g. rail, highway, 'ton cylinders'");
    cmd->add_option("--substance", a.substance, "plume/puff: substance by name (en/zh), CAS or UN number, e.g. chlorine, 7664-41-7, UN1005");
    cmd->add_option("--rate-kg-s", a.rate, "plume: release rate, kg/s");
    cmd->add_option("--mass-kg", a.mass, "puff: mass released at once; bleve: fuel in the fireball; vce: flammable mass in the cloud (kg)");
    cmd->add_option("--duration-min", a.duration, "plume: release duration in minutes (checked against the travel time)");
    cmd->add_option("--stability", a.stability, "plume/puff: Pasquill-Gifford class A-F (default: from --wind-speed, --time and --cloud)");
    cmd->add_option("--cloud", a.cloud, "plume/puff: cloud cover 0..1 for the stability class (default: not known, the class "
                                        "Turner's table allows that reaches farthest: F on a calm clear night, D by day)");
    cmd->add_flag("--urban", a.urban, "plume: Briggs urban sigmas (default rural)");
    cmd->add_option("--release-height", a.height, "plume/puff: release height in m (default 0)");
    cmd->add_option("--levels", a.levels, "plume/puff: aegl (AEGL-3/2/1 -> ERPG -> IDLH, default) or hj169 (HJ 169-2018 endpoints)")
        ->check(CLI::IsMember({"aegl", "hj169"}));
    cmd->add_option("--max-range", a.max_range,
                    "plume/puff: cut footprints at this distance in m (default " + text::format_double(hazard::k_default_max_range_m) +
                        "; a cut zone says so)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--uncertainty", a.uncertainty, "plume/puff: wind-direction uncertainty, +- degrees (default 15, 0 for none)");
    cmd->add_option("--pool-area-m2", a.pool_area, "poolfire: pool area, m2");
    cmd->add_option("--heat-of-combustion", a.hoc, "poolfire/bleve/vce: heat of combustion, MJ/kg (e.g. propane 46.35, gasoline 43.7)");
    cmd->add_option("--burning-rate", a.burning_rate, "poolfire: mass burning rate, kg/(m2 s) (e.g. gasoline 0.055)");
    cmd->add_option("--radiative-fraction", a.radiative_fraction, "poolfire (default 0.25) / bleve (default 0.3): radiated fraction");
    cmd->add_option("--humidity", a.humidity, "poolfire/bleve: relative humidity 0..1 for transmissivity (default 0.5)");
    cmd->add_option("--air-temp", a.air_temp_c, "poolfire/bleve: air temperature in deg C (default 20)");
    cmd->add_option("--flux-levels", a.flux_levels, "poolfire/bleve: heat-flux levels in kW/m2 (default 37.5,12.5,4)");
    cmd->add_option("--yield", a.yield, "vce: explosion yield (TNT efficiency), 0..1 (default 0.03)");
    cmd->add_option("--overpressure-levels", a.overpressure_levels, "vce: overpressure levels in kPa (default 50,20,5)");
    cmd->add_option("--geojson", a.geojson, "Write the zone polygons as a GeoJSON FeatureCollection to this file");
    cmd->add_flag("--geojson-inside", a.geojson_inside, "Also write the features inside the zones (points) to --geojson");
    cmd->add_flag("--json", a.json, "JSON output: the zones as lon/lat rings with what lies inside each");
    cmd->callback([&run] {
        run = [] {
            geo::Coord spot = parse_lon_lat(a.at);
            if (a.wind_from) hazard::wind_toward_deg(*a.wind_from); // validates
            if (a.geojson_inside && a.geojson.empty()) throw UsageError("--geojson-inside needs --geojson OUT");

            // The release must lie in the area the database covers (with a margin the size of
            // ERG's largest distance), or the place was probably mistyped. Its point layers are
            // what "lies inside" is looked for in.
            std::vector<std::shared_ptr<const model::Layer>> layers;
            {
                auto project = store::Project::open(a.db);
                geo::BBox extent;
                for (const auto& l : project.layers()) {
                    if (!l.extent.empty()) extent.add(l.extent);
                    if (l.geometry_type.find("POINT") != std::string::npos && l.feature_count > 0)
                        layers.push_back(project.load_layer(l.kind));
                }
                if (!extent.empty() && geo::geodesic_lower_bound_m(spot, extent) > 11000)
                    throw UsageError(fmt::format("--at {:.5f},{:.5f} is outside the data of {} ({:.4f},{:.4f} .. {:.4f},{:.4f})", spot.x,
                                                 spot.y, a.db, extent.min_x, extent.min_y, extent.max_x, extent.max_y));
            }

            hazard::ErgZone erg;
            ModelResult m;
            if (a.model == "erg") m = run_erg(a, spot, erg);
            else if (a.model == "plume" || a.model == "puff") m = run_toxic(a, spot);
            else if (a.model == "poolfire" || a.model == "bleve") m = run_fire(a, spot);
            else m = run_vce(a, spot);

            auto inside = hazard::features_inside(m.zones, spot, layers);
            if (!a.geojson.empty()) write_geojson(a.geojson, m.zones, inside, spot, a.geojson_inside, layers);
            std::vector<std::string> unable;
            {
                std::vector<std::string> seen;
                for (const auto& c : inside)
                    for (const auto& f : c.features)
                        if (f.unable_to_respond && std::find(seen.begin(), seen.end(), f.id) == seen.end()) seen.push_back(f.id);
                unable = seen;
            }

            std::optional<double> toward;
            if (a.wind_from) toward = hazard::wind_toward_deg(*a.wind_from);
            if (a.json) {
                nlohmann::json zones = nlohmann::json::array();
                for (std::size_t i = 0; i < m.zones.size(); ++i) {
                    nlohmann::json z = zone_json(m.zones[i]);
                    if (auto e = m.zone_extra.find(m.zones[i].level); e != m.zone_extra.end()) z.update(e->second);
                    z["ring"] = ring_json(m.zones[i].polygon.ring(0));
                    z["inside"] = inside_json(inside[i]);
                    zones.push_back(std::move(z));
                }
                nlohmann::json out;
                if (a.model == "erg") {
                    // The ERG output as before, with the zones added.
                    nlohmann::json protective = nullptr;
                    if (erg.protective_m) {
                        protective = {{"distance_m", *erg.protective_m}, {"more_than", erg.protective_more_than},
                                      {"shape", erg.evacuation_all_directions ? "circle" : "downwind_square"}};
                        if (toward) protective["toward_deg"] = *toward;
                        protective["ring"] = nullptr;
                        for (const auto& z : m.zones)
                            if (z.kind == "protective_action") protective["ring"] = ring_json(z.polygon.ring(0));
                    }
                    out = {{"un_number", erg.un_number}, {"material", erg.material}, {"guide", erg.guide}, {"tih", erg.tih},
                           {"source", erg.source}, {"spill", a.spill}, {"time", a.time},
                           {"isolation",
                            {{"radius_m", erg.isolation_circle_m()},
                             {"table_m", erg.isolation_m},
                             {"guide_precautionary_m", erg.precautionary_isolation_m ? nlohmann::json(*erg.precautionary_isolation_m)
                                                                                       : nlohmann::json(nullptr)},
                             {"ring", ring_json(m.zones.front().polygon.ring(0))}}},
                           {"protective_action", protective},
                           {"fire_isolation_m", erg.fire_isolation_m ? nlohmann::json(*erg.fire_isolation_m) : nlohmann::json(nullptr)}};
                    m.notes.insert(m.notes.begin(), erg.notes.begin(), erg.notes.end());
                } else {
                    out = m.details;
                }
                out["model"] = a.model;
                out["at"] = {spot.x, spot.y};
                out["zones"] = zones;
                out["unable_to_respond"] = unable;
                out["assumptions"] = m.assumptions;
                out["notes"] = m.notes;
                std::cout << out.dump(2) << "\n";
                return int{k_exit_ok};
            }

            if (a.model == "erg") {
                const auto& z = erg;
                std::cout << fmt::format("UN {} {} (guide {}{})\n", z.un_number, z.material, z.guide, z.tih ? ", toxic by inhalation" : "");
                std::cout << fmt::format("source: {}, {} spill, {}\n", z.source, a.spill, a.time);
                std::cout << fmt::format("initial isolation: {} m in all directions\n", text::format_double(z.isolation_m));
                if (z.precautionary_isolation_m)
                    std::cout << fmt::format("immediate precautionary isolation (guide {}): {} m in all directions{}\n", z.guide,
                                             text::format_double(*z.precautionary_isolation_m),
                                             *z.precautionary_isolation_m > z.isolation_m ? " (the larger: the isolation circle drawn)" : "");
                if (z.protective_m) {
                    std::string dist = (z.protective_more_than ? "more than " : "") + km(*z.protective_m);
                    if (z.evacuation_all_directions)
                        std::cout << "large-spill evacuation: " << dist << " in all directions\n";
                    else if (toward)
                        std::cout << fmt::format("protective action: {} downwind (toward {:.0f}°), a square as wide as it is long\n", dist,
                                                 *toward);
                    else
                        std::cout << "protective action: " << dist << " downwind (give --wind-from to place it)\n";
                } else {
                    std::cout << "protective action: none given by ERG for this spill\n";
                }
                if (z.fire_isolation_m)
                    std::cout << fmt::format("fire: isolate {} m in all directions\n", text::format_double(*z.fire_isolation_m));
                m.notes.insert(m.notes.begin(), z.notes.begin(), z.notes.end());
            } else {
                for (const auto& l : m.lines) std::cout << l << "\n";
                for (const auto& as : m.assumptions) std::cout << "assumed: " << as << "\n";
                for (const auto& z : m.zones) {
                    std::string what = z.kind == "uncertainty" ? fmt::format("  +-{}° wind sector", text::format_double(a.uncertainty))
                                                               : fmt::format("tier {} {}", z.tier, z.level);
                    auto extra = m.zone_text.find(z.level);
                    std::cout << fmt::format("{}: {}{}{}\n", what,
                                             z.cut ? "reaches beyond " + distance_text(z.distance_m) + " (cut at --max-range)"
                                                   : "reaches " + distance_text(z.distance_m),
                                             z.kind != "uncertainty" && extra != m.zone_text.end() ? extra->second : "",
                                             z.units == "mg/m3" && z.kind == "footprint"
                                                 ? fmt::format(" ({:.3g} mg/m3)", z.threshold)
                                                 : "");
                }
            }
            for (std::size_t i = 0; i < m.zones.size(); ++i) {
                const auto& z = m.zones[i];
                if (inside[i].features.empty()) continue;
                std::cout << fmt::format("inside {} {} ({}{}): {} features\n", z.kind, z.level, z.cut ? "beyond " : "",
                                         distance_text(z.distance_m), inside[i].features.size());
                constexpr std::size_t k_listed = 20;
                if (inside[i].features.size() > k_listed)
                    std::cout << fmt::format("  (the nearest {}; --json lists all)\n", k_listed);
                for (std::size_t k = 0; k < std::min(k_listed, inside[i].features.size()); ++k) {
                    const auto& f = inside[i].features[k];
                    std::cout << fmt::format("  {:>9}  {:<15} {:<20} {}{}\n", distance_text(f.distance_m), f.layer, f.id, f.name,
                                             f.unable_to_respond ? "  [cannot respond: inside the red zone]" : "");
                }
            }
            if (!unable.empty()) {
                std::string ids;
                for (const auto& u : unable) ids += (ids.empty() ? "" : ", ") + u;
                std::cout << "rescue teams unable to respond (inside the red zone): " << ids << "\n";
            }
            if (!a.geojson.empty()) std::cout << "zones written to " << a.geojson << "\n";
            for (const auto& n : m.notes) std::cout << "note: " << n << "\n";
            return int{k_exit_ok};
        };
    });
}

} // namespace vigil::cli

// vigil grade: GB 18218-2018 identification and grading of every hazard source in a project
// database (app::grade_hazard_sources), stored back into its s_value, r_value and grade fields.
// vigil zone: hazard zones around a release and what lies inside them (app::compute_zones, the
// same service the viewer's Hazard panel and the browser ask). This file only reads options,
// loads the layers, stores and prints.

#include "cli_common.hpp"

#include <vigil/app/grade.hpp>
#include <vigil/app/zones.hpp>
#include <vigil/hazard/stability.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/store/sqlite.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <memory>

namespace vigil::cli {
namespace {

constexpr const char* k_hazard_place_example = "G207 温县段"; // i18n: not shown: an input example, typed as it is

/// One inventory line as the text table shows it under its record: which table row or category
/// gave Q, which β and why, so that a grade can be checked by hand.
std::string line_text(const hazard::Contribution& c) {
    std::string s = "    " + c.item.substance + (c.item.substance.empty() ? c.item.cas : std::string()) + " " +
                    text::format_double(c.item.quantity_t) + " t → ";
    switch (c.basis) {
    case hazard::Basis::Table1: s += trf("table 1 row {} {} (by {})", c.table1_seq, c.reference, app::matched_name(c.matched_by)); break;
    case hazard::Basis::Table2: s += trf("table 2 {}", c.reference); break;
    case hazard::Basis::Unknown: return s + trf("not counted: {}", c.note);
    }
    s += fmt::format(", Q {} t, q/Q {:.3f}, β {} ({})", text::format_double(c.critical_t), c.ratio, text::format_double(c.beta),
                     c.beta_source);
    if (!c.note.empty()) s += "; " + c.note;
    return s;
}

/// The grade in the user's language (GB 18218-2018 §4.2).
std::string grade_label(hazard::Grade g) {
    switch (g) {
    case hazard::Grade::Grade1: return trc("GB 18218 grade", "grade I");
    case hazard::Grade::Grade2: return trc("GB 18218 grade", "grade II");
    case hazard::Grade::Grade3: return trc("GB 18218 grade", "grade III");
    case hazard::Grade::Grade4: return trc("GB 18218 grade", "grade IV");
    case hazard::Grade::NotMajor: break;
    }
    return trc("GB 18218 grade", "below the threshold");
}

struct GradeOptions {
    std::string db;
    bool json = false;
    bool no_store = false;
};

/// Stores S, R and the grade where the database has the catalogue's columns for them; returns
/// why not otherwise ("" when stored).
std::string store_grades(const std::string& db, const app::GradeResult& result) {
    auto database = store::Database::open(db, store::Database::Mode::ReadWrite);
    const auto columns = database.table_columns("hazard_sources");
    auto has = [&](const char* c) { return std::find(columns.begin(), columns.end(), c) != columns.end(); };
    if (!has("s_value") || !has("r_value") || !has("grade"))
        return tr("the hazard_sources table has no s_value, r_value and grade columns");
    store::Transaction tx(database);
    auto st = database.prepare("UPDATE hazard_sources SET s_value = ?1, r_value = ?2, grade = ?3 WHERE fid = ?4");
    for (const auto& g : result.graded) {
        st.bind(1, g.assessment.s).bind(2, g.assessment.r).bind(3, hazard::grade_value(g.assessment.grade)).bind(4, g.fid);
        st.run();
        st.reset();
    }
    tx.commit();
    return {};
}

int run_grade(const GradeOptions& o) {
    app::GradeResult result;
    {
        const auto project = store::Project::open(o.db);
        result = app::grade_hazard_sources(app::LayerSet::load(project, {"hazard_sources"}));
    }
    const std::string not_stored_reason = o.no_store ? "--no-store" : store_grades(o.db, result);
    const bool stored = not_stored_reason.empty();

    if (o.json) {
        nlohmann::json out = {{"database", o.db}, {"stored", stored}};
        out.update(app::to_json(result));
        if (!stored) out["not_stored_reason"] = not_stored_reason;
        std::cout << out.dump(2) << "\n";
    } else {
        std::map<hazard::Grade, int> counts;
        std::cout << fmt::format("{} {} {:>10} {:>5} {:>10}  {}\n", pad_columns(trc("grade table", "id"), 20),
                                 pad_columns(trc("grade table", "name"), 44), "S", "α", "R", trc("grade table", "grade"));
        for (const auto& g : result.graded) {
            const auto& a = g.assessment;
            ++counts[a.grade];
            std::cout << fmt::format("{:<20} {} {:>10.3f} {:>5} {:>10.3f}  {}\n", g.id, pad_columns(g.name, 44), a.s,
                                     text::format_double(a.alpha), a.r, grade_label(a.grade));
            for (const auto& c : a.contributions) std::cout << line_text(c) << "\n";
        }
        std::cout << trf("{} graded: grade I {}, grade II {}, grade III {}, grade IV {}, below the threshold {}; {} with errors",
                         result.graded.size(), counts[hazard::Grade::Grade1], counts[hazard::Grade::Grade2], counts[hazard::Grade::Grade3],
                         counts[hazard::Grade::Grade4], counts[hazard::Grade::NotMajor], result.errors.size())
                  << "\n";
        std::cout << (stored ? trf("S, R and grade stored in {}", o.db) : trf("not stored: {}", not_stored_reason)) << "\n";
        if (!globals().quiet)
            for (const auto& g : result.graded)
                for (const auto& w : g.assessment.warnings) std::cerr << trf("note: {}", w) << "\n";
    }
    for (const auto& e : result.errors) std::cerr << "vigil: " << e << "\n";
    return result.errors.empty() ? int{k_exit_ok} : int{k_exit_error};
}

// --- vigil zone --------------------------------------------------------------------------

/// The options as typed; turned into an app::ZoneRequest (whose keys they name) by request().
struct ZoneOptions {
    std::string db, at, spill = "small", time = "day", model = "erg", stability, flux_levels = "37.5,12.5,4",
                        overpressure_levels = "50,20,5", geojson;
    bool json = false, geojson_inside = false;
    app::ZoneRequest q; ///< the fields set directly by an option
};

// Pool-fire radii of a few metres need their decimetre (6.0 m from the centre is 0.4 m from the edge).
std::string distance_text(double m) {
    if (m >= 1000) return trf("{:.2f} km", m / 1000);
    return m < 10 ? trf("{:.1f} m", m) : trf("{:.0f} m", m);
}

// "37.5,12.5,4" -> the values; the core orders them and gives the tiers.
std::vector<double> parse_values(const std::string& typed, const char* option) {
    std::vector<double> values;
    const std::string text = text::fold_number_text(typed);
    for (auto part : text::split(text, ',')) {
        auto v = text::parse_double(text::trim(part));
        if (!v || !std::isfinite(*v) || *v <= 0) throw UsageError(trf("{} '{}': give positive numbers separated by commas", option, text));
        values.push_back(*v);
    }
    if (values.empty()) throw UsageError(trf("{}: give at least one level", option));
    return values;
}

app::ZoneRequest request(const ZoneOptions& o) {
    app::ZoneRequest q = o.q;
    q.at = query_point(o.db, o.at, ""); // coordinates, or a place: "G207 温县段"
    q.model = app::parse_zone_model(o.model);
    q.large_spill = o.spill == "large";
    q.night = o.time == "night";
    if (!o.stability.empty()) q.stability = hazard::stability_letter(hazard::parse_stability(o.stability));
    q.flux_levels_kw_m2 = parse_values(o.flux_levels, "--flux-levels");
    q.overpressure_levels_kpa = parse_values(o.overpressure_levels, "--overpressure-levels");
    return q;
}

void print_zones(const app::ZoneResult& r, const std::string& geojson) {
    for (const auto& l : r.summary) std::cout << l << "\n";
    if (!r.erg)
        for (const auto& as : r.assumptions) std::cout << trf("assumed: {}", as) << "\n";
    for (std::size_t i = 0; i < r.zones.size() && !r.erg; ++i) {
        const auto& z = r.zones[i];
        const auto& f = r.zone_facts[i];
        const std::string what = z.kind == "uncertainty" ? "  " + trf("+-{}° wind sector", text::format_double(r.request.uncertainty_deg))
                                                         : trf("tier {} {}", z.tier, z.level);
        const std::string extra = z.kind != "uncertainty" && f.from_edge_m ? " " + trf("from the pool centre ({} from its edge; {})",
                                                                                       distance_text(*f.from_edge_m), f.flux_model)
                                                                           : "";
        std::cout << fmt::format("{}: {}{}{}\n", what,
                                 z.cut ? trf("reaches beyond {} (cut at --max-range)", distance_text(z.distance_m))
                                       : trf("reaches {}", distance_text(z.distance_m)),
                                 extra, z.units == "mg/m3" && z.kind == "footprint" ? fmt::format(" ({:.3g} mg/m3)", z.threshold) : "");
    }
    for (std::size_t i = 0; i < r.zones.size(); ++i) {
        const auto& z = r.zones[i];
        const auto& inside = r.zone_facts[i].inside;
        if (inside.empty()) continue;
        std::cout << (z.cut ? trf("inside {} {} (beyond {}): {} features", z.kind, z.level, distance_text(z.distance_m), inside.size())
                            : trf("inside {} {} ({}): {} features", z.kind, z.level, distance_text(z.distance_m), inside.size()))
                  << "\n";
        constexpr std::size_t k_listed = 20;
        if (inside.size() > k_listed) std::cout << "  " << trf("(the nearest {}; --json lists all)", k_listed) << "\n";
        for (std::size_t k = 0; k < std::min(k_listed, inside.size()); ++k) {
            const auto& f = inside[k];
            std::cout << fmt::format("  {:>9}  {:<15} {:<20} {}{}\n", distance_text(f.distance_m), f.layer, f.id, f.name,
                                     f.unable_to_respond ? "  " + std::string(tr("[cannot respond: inside the red zone]")) : std::string());
        }
    }
    if (!r.unable_to_respond.empty()) {
        std::string ids;
        for (const auto& u : r.unable_to_respond) ids += (ids.empty() ? "" : ", ") + u;
        std::cout << trf("rescue teams unable to respond (inside the red zone): {}", ids) << "\n";
    }
    if (!geojson.empty()) std::cout << trf("zones written to {}", geojson) << "\n";
    for (const auto& n : r.notes) std::cout << trf("note: {}", n) << "\n";
}

int run_zone(const ZoneOptions& o) {
    if (o.geojson_inside && o.geojson.empty()) throw UsageError(tr("--geojson-inside needs --geojson OUT"));
    app::ZoneRequest q = request(o);
    // What "lies inside" is looked for in: the project's point layers. The release must lie in
    // the area all its layers cover (with a margin), or the place was probably mistyped.
    app::LayerSet layers;
    {
        const auto project = store::Project::open(o.db);
        geo::BBox extent;
        std::vector<std::string> points;
        for (const auto& l : project.layers()) {
            if (!l.extent.empty()) extent.add(l.extent);
            if (l.geometry_type.find("POINT") != std::string::npos && l.feature_count > 0) points.push_back(l.kind);
        }
        q.data_extent = extent;
        layers = app::LayerSet::load(project, points);
    }
    const app::ZoneResult r = app::compute_zones(q, layers);
    if (!o.geojson.empty()) write_text_file(o.geojson, app::to_geojson(r, o.geojson_inside).dump(1) + "\n");
    if (o.json) std::cout << app::to_json(r).dump(2) << "\n";
    else print_zones(r, o.geojson);
    return k_exit_ok;
}

} // namespace

void add_grade_command(CLI::App& app, Runner& run) {
    auto o = std::make_shared<GradeOptions>();
    auto* cmd =
        app.add_subcommand("grade", tr("GB 18218-2018: S, R and the major-hazard grade of every hazard source, stored in the database"));
    cmd->add_option("DB", o->db, tr("Project database"))->required();
    cmd->add_flag("--json", o->json, tr("JSON output with each substance's contribution"));
    cmd->add_flag("--no-store", o->no_store, tr("Compute and print only; leave the database unchanged"));
    cmd->callback([&run, o] { run = [o] { return run_grade(*o); }; });
}

void add_zone_command(CLI::App& app, Runner& run) {
    auto o = std::make_shared<ZoneOptions>();
    auto& q = o->q;
    auto* cmd = app.add_subcommand("zone", tr("Hazard zones around a release and what lies inside them: ERG 2024 (default), toxic plume or "
                                              "puff, pool fire, BLEVE fireball, vapour-cloud explosion"));
    cmd->footer(tr("Each option is the zone request's key of the same name with '_' for '-' (docs/json.md, zones): a message naming "
                   "rate_kg_s means --rate-kg-s."));
    cmd->add_option("DB", o->db, tr("Project database"))->required();
    cmd->add_option("--at", o->at,
                    trf("Release location LON,LAT (WGS84), or a place: a name, a road in a county (\"{}\")", k_hazard_place_example))
        ->required();
    cmd->add_option("--model", o->model, tr("erg (default), plume, puff, poolfire, bleve or vce"))
        ->check(CLI::IsMember({"erg", "plume", "puff", "poolfire", "bleve", "vce"}));
    cmd->add_option("--un", q.un, tr("UN number of the material, e.g. 1017 (chlorine); required by --model erg"));
    cmd->add_option("--spill", o->spill, tr("erg: small or large"))->check(CLI::IsMember({"small", "large"}));
    cmd->add_option("--time", o->time, tr("day or night (erg tables; Turner stability for plume/puff)"))
        ->check(CLI::IsMember({"day", "night"}));
    cmd->add_option("--wind-from", q.wind_from_deg,
                    tr("Direction the wind blows FROM, degrees clockwise from north (plume/puff: required)"));
    cmd->add_option(
        "--wind-speed", q.wind_speed_m_s,
        tr("Wind speed at 10 m in m/s (erg: table 3 bands; plume/puff: required, > 0; below 1 m/s computed at 1 m/s, said so)"));
    cmd->add_option("--container", q.container, tr("erg: table 3 container, e.g. rail, highway, 'ton cylinders'"));
    cmd->add_option("--substance", q.substance,
                    tr("plume/puff: substance by name (en/zh), CAS or UN number, e.g. chlorine, 7664-41-7, UN1005"));
    cmd->add_option("--rate-kg-s", q.rate_kg_s, tr("plume: release rate, kg/s"));
    cmd->add_option("--mass-kg", q.mass_kg,
                    tr("puff: mass released at once; bleve: fuel in the fireball; vce: flammable mass in the cloud (kg)"));
    cmd->add_option("--duration-min", q.duration_min, tr("plume: release duration in minutes (checked against the travel time)"));
    cmd->add_option("--stability", o->stability,
                    tr("plume/puff: Pasquill-Gifford class A-F (default: from --wind-speed, --time and --cloud)"));
    cmd->add_option("--cloud", q.cloud_cover,
                    tr("plume/puff: cloud cover 0..1 for the stability class (default: not known, the class Turner's table allows that "
                       "reaches farthest: F on a calm clear night, D by day)"));
    cmd->add_flag("--urban", q.urban, tr("plume: Briggs urban sigmas (default rural)"));
    cmd->add_option("--release-height", q.release_height_m, tr("plume/puff: release height in m (default 0)"));
    cmd->add_option("--levels", q.levels, tr("plume/puff: aegl (AEGL-3/2/1 -> ERPG -> IDLH, default) or hj169 (HJ 169-2018 endpoints)"))
        ->check(CLI::IsMember({"aegl", "hj169"}));
    cmd->add_option("--max-range", q.max_range_m,
                    trf("plume/puff: cut footprints at this distance in m (default {}; a cut zone says so)",
                        text::format_double(hazard::k_default_max_range_m)))
        ->check(CLI::PositiveNumber);
    cmd->add_option("--uncertainty", q.uncertainty_deg, tr("plume/puff: wind-direction uncertainty, +- degrees (default 15, 0 for none)"));
    cmd->add_option("--pool-area-m2", q.pool_area_m2, tr("poolfire: pool area, m2"));
    cmd->add_option("--heat-of-combustion", q.heat_of_combustion_mj_kg,
                    tr("poolfire/bleve/vce: heat of combustion, MJ/kg (e.g. propane 46.35, gasoline 43.7)"));
    cmd->add_option("--burning-rate", q.burning_rate_kg_m2_s, tr("poolfire: mass burning rate, kg/(m2 s) (e.g. gasoline 0.055)"));
    cmd->add_option("--radiative-fraction", q.radiative_fraction, tr("poolfire (default 0.25) / bleve (default 0.3): radiated fraction"));
    cmd->add_option("--humidity", q.humidity, tr("poolfire/bleve: relative humidity 0..1 for transmissivity (default 0.5)"));
    cmd->add_option("--air-temp", q.air_temp_c, tr("poolfire/bleve: air temperature in deg C (default 20)"));
    cmd->add_option("--flux-levels", o->flux_levels, tr("poolfire/bleve: heat-flux levels in kW/m2 (default 37.5,12.5,4)"));
    cmd->add_option("--yield", q.yield, tr("vce: explosion yield (TNT efficiency), 0..1 (default 0.03)"));
    cmd->add_option("--overpressure-levels", o->overpressure_levels, tr("vce: overpressure levels in kPa (default 50,20,5)"));
    cmd->add_option("--geojson", o->geojson, tr("Write the zone polygons as a GeoJSON FeatureCollection to this file"));
    cmd->add_flag("--geojson-inside", o->geojson_inside, tr("Also write the features inside the zones (points) to --geojson"));
    cmd->add_flag("--json", o->json, tr("JSON output: the zones as lon/lat rings with what lies inside each"));
    cmd->callback([&run, o] { run = [o] { return run_zone(*o); }; });
}

} // namespace vigil::cli

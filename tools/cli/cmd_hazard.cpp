// vigil grade: GB 18218-2018 identification and grading of every hazard source in a project
// database, stored back into its s_value, r_value and grade fields.
// vigil zone: ERG 2024 initial isolation and protective-action distances around a spill.

#include "cli_common.hpp"

#include <vigil/geo/geodesic.hpp>
#include <vigil/hazard/erg.hpp>
#include <vigil/hazard/gb18218.hpp>
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

// Terminal columns of a UTF-8 string: CJK characters take two.
std::string pad(const std::string& s, std::size_t width) {
    std::size_t cols = 0;
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        cols += len >= 3 ? 2 : 1;
        i += len;
    }
    return cols >= width ? s + " " : s + std::string(width - cols, ' ');
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
                std::size_t warnings = 0;
                std::cout << fmt::format("{:<20} {} {:>10} {:>5} {:>10}  {}\n", "id", pad("name", 44), "S", "α", "R", "grade");
                for (const auto& g : graded) {
                    ++counts[g.a.grade];
                    warnings += g.a.warnings.size();
                    std::string name = f_name ? model::to_text(layer->value(g.row, *f_name)) : std::string();
                    std::cout << fmt::format("{:<20} {} {:>10.3f} {:>5} {:>10.3f}  {}\n", layer->id(g.row), pad(name, 44), g.a.s,
                                             text::format_double(g.a.alpha), g.a.r, hazard::grade_label_zh(g.a.grade));
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

nlohmann::json ring_json(const std::vector<geo::Coord>& ring) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& c : ring) arr.push_back({std::round(c.x * 1e7) / 1e7, std::round(c.y * 1e7) / 1e7});
    return arr;
}

std::vector<geo::Coord> circle(geo::Coord centre, double radius_m) {
    std::vector<geo::Coord> ring;
    for (int i = 0; i <= 64; ++i) ring.push_back(geo::destination(centre, i * 360.0 / 64, radius_m));
    ring.back() = ring.front();
    return ring;
}

// ERG's protective-action area: a square downwind of the spill, as wide as it is long, with
// the spill in the middle of its upwind side.
std::vector<geo::Coord> downwind_square(geo::Coord spill, double toward_deg, double length_m) {
    geo::Coord left = geo::destination(spill, toward_deg - 90, length_m / 2);
    geo::Coord right = geo::destination(spill, toward_deg + 90, length_m / 2);
    geo::Coord far_left = geo::destination(left, toward_deg, length_m);
    geo::Coord far_right = geo::destination(right, toward_deg, length_m);
    return {left, far_left, far_right, right, left};
}

std::string km(double m) { return fmt::format("{:.1f} km", m / 1000); }

} // namespace

void add_zone_command(CLI::App& app, Runner& run);

void add_zone_command(CLI::App& app, Runner& run) {
    static std::string db, at, spill = "small", time = "day", container;
    static int un = 0;
    static std::optional<double> wind_from, wind_speed;
    static bool json = false;
    auto* cmd = app.add_subcommand("zone", "ERG 2024: initial isolation and downwind protective-action area of a spill");
    cmd->add_option("DB", db, "Project database")->required();
    cmd->add_option("--at", at, "Spill location LON,LAT (WGS84)")->required();
    cmd->add_option("--un", un, "UN number of the material, e.g. 1017 (chlorine)")->required();
    cmd->add_option("--spill", spill, "small or large")->check(CLI::IsMember({"small", "large"}));
    cmd->add_option("--time", time, "day or night")->check(CLI::IsMember({"day", "night"}));
    cmd->add_option("--wind-from", wind_from, "Direction the wind blows FROM, degrees clockwise from north");
    cmd->add_option("--wind-speed", wind_speed, "Wind speed in m/s (ERG table 3 bands)");
    cmd->add_option("--container", container, "ERG table 3 container, e.g. rail, highway, 'ton cylinders'");
    cmd->add_flag("--json", json, "JSON output with the zones as lon/lat rings");
    cmd->callback([&run] {
        run = [] {
            geo::Coord spot = parse_lon_lat(at);
            if (wind_from && (!std::isfinite(*wind_from) || *wind_from < 0 || *wind_from > 360))
                throw UsageError("--wind-from " + text::format_double(*wind_from) + ": give degrees from 0 to 360");
            std::optional<hazard::WindBand> band;
            if (wind_speed) band = hazard::wind_band(*wind_speed);

            // The spill must lie in the area the database covers (with a margin the size of
            // ERG's largest distance), or the place was probably mistyped.
            {
                auto project = store::Project::open(db);
                geo::BBox extent;
                for (const auto& l : project.layers())
                    if (!l.extent.empty()) extent.add(l.extent);
                if (!extent.empty() && geo::geodesic_lower_bound_m(spot, extent) > 11000)
                    throw UsageError(fmt::format("--at {:.5f},{:.5f} is outside the data of {} ({:.4f},{:.4f} .. {:.4f},{:.4f})", spot.x,
                                                 spot.y, db, extent.min_x, extent.min_y, extent.max_x, extent.max_y));
            }

            auto z = hazard::Erg2024::builtin().lookup(un, spill == "large" ? hazard::Spill::Large : hazard::Spill::Small,
                                                       time == "night" ? hazard::DayNight::Night : hazard::DayNight::Day, band,
                                                       container);
            std::optional<double> toward;
            if (wind_from) toward = std::fmod(*wind_from + 180, 360);

            nlohmann::json protective = nullptr;
            std::vector<geo::Coord> protective_ring;
            if (z.protective_m) {
                protective = {{"distance_m", *z.protective_m}, {"more_than", z.protective_more_than},
                              {"shape", z.evacuation_all_directions ? "circle" : "downwind_square"}};
                if (z.evacuation_all_directions) protective_ring = circle(spot, *z.protective_m);
                else if (toward) protective_ring = downwind_square(spot, *toward, *z.protective_m);
                if (toward) protective["toward_deg"] = *toward;
                protective["ring"] = protective_ring.empty() ? nlohmann::json(nullptr) : ring_json(protective_ring);
            }
            if (json) {
                nlohmann::json out = {{"un_number", z.un_number}, {"material", z.material}, {"guide", z.guide}, {"tih", z.tih},
                                      {"source", z.source}, {"spill", spill}, {"time", time}, {"at", {spot.x, spot.y}},
                                      {"isolation", {{"radius_m", z.isolation_m}, {"ring", ring_json(circle(spot, z.isolation_m))}}},
                                      {"protective_action", protective},
                                      {"fire_isolation_m", z.fire_isolation_m ? nlohmann::json(*z.fire_isolation_m) : nlohmann::json(nullptr)},
                                      {"notes", z.notes}};
                std::cout << out.dump(2) << "\n";
                return int{k_exit_ok};
            }
            std::cout << fmt::format("UN {} {} (guide {}{})\n", z.un_number, z.material, z.guide, z.tih ? ", toxic by inhalation" : "");
            std::cout << fmt::format("source: {}, {} spill, {}\n", z.source, spill, time);
            std::cout << fmt::format("initial isolation: {} m in all directions\n", text::format_double(z.isolation_m));
            if (z.protective_m) {
                std::string dist = (z.protective_more_than ? "more than " : "") + km(*z.protective_m);
                if (z.evacuation_all_directions)
                    std::cout << "large-spill evacuation: " << dist << " in all directions\n";
                else if (toward)
                    std::cout << fmt::format("protective action: {} downwind (toward {:.0f}°), a square as wide as it is long\n", dist, *toward);
                else
                    std::cout << "protective action: " << dist << " downwind (give --wind-from to place it)\n";
            } else {
                std::cout << "protective action: none given by ERG for this spill\n";
            }
            if (z.fire_isolation_m)
                std::cout << fmt::format("fire: isolate {} m in all directions\n", text::format_double(*z.fire_isolation_m));
            for (const auto& n : z.notes) std::cout << "note: " << n << "\n";
            return int{k_exit_ok};
        };
    });
}

} // namespace vigil::cli

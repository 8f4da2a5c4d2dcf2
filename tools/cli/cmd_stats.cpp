// vigil stats: grid-management statistics per county: enterprises by four-colour risk (the
// recorded level, else LEC or the risk matrix from the record's scores), major hazard sources
// by GB 18218 grade, open and overdue hidden hazards.

#include "cli_common.hpp"

#include <vigil/hazard/four_colour.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>

namespace vigil::cli {

void add_stats_command(CLI::App& app, Runner& run);

void add_stats_command(CLI::App& app, Runner& run) {
    static std::string db, by = "county";
    static bool json = false;
    static hazard::ColourRules rules;
    auto* cmd = app.add_subcommand("stats", "Per-county statistics: enterprises by risk colour, hazard sources by grade, overdue hidden hazards");
    cmd->add_option("DB", db, "Project database")->required();
    cmd->add_option("--by", by, "Grouping (county: by the record's county, else by point in the admin areas)")
        ->check(CLI::IsMember({"county"}));
    cmd->add_option("--lec", [](const CLI::results_t& r) {
            auto v = parse_words(r[0]);
            if (v.size() != 3) return false;
            auto d = [](const std::string& t) { return text::parse_double(t); };
            if (!d(v[0]) || !d(v[1]) || !d(v[2])) return false;
            rules.lec = {*d(v[0]), *d(v[1]), *d(v[2])};
            return true;
        }, "LEC thresholds RED,ORANGE,YELLOW on D = L·E·C for records without a risk level (default 320,160,70)");
    cmd->add_option("--matrix", [](const CLI::results_t& r) {
            auto v = parse_words(r[0]);
            if (v.size() != 3) return false;
            auto d = [](const std::string& t) { return text::parse_double(t); };
            if (!d(v[0]) || !d(v[1]) || !d(v[2])) return false;
            rules.matrix = {*d(v[0]), *d(v[1]), *d(v[2])};
            return true;
        }, "Risk-matrix thresholds RED,ORANGE,YELLOW on R = L·S (default 20,15,9; the other common set is 20,10,4)");
    cmd->add_flag("--json", json, "JSON output");
    cmd->callback([&run] {
        run = [] {
            std::shared_ptr<const model::Layer> ents, hazards, admin;
            {
                auto project = store::Project::open(db);
                auto has = [&](std::string_view kind) {
                    for (const auto& l : project.layers())
                        if (l.kind == kind) return true;
                    return false;
                };
                if (!has("enterprises")) throw UsageError("database '" + db + "' has no enterprises layer");
                ents = project.load_layer("enterprises");
                if (has("hazard_sources")) hazards = project.load_layer("hazard_sources");
                if (has("admin_areas")) admin = project.load_layer("admin_areas");
            }
            auto stats = hazard::county_statistics(*ents, hazards.get(), admin.get(), rules);
            using hazard::RiskColour;
            if (json) {
                nlohmann::json arr = nlohmann::json::array();
                for (const auto& s : stats) {
                    nlohmann::json colours, grades;
                    for (auto c : {RiskColour::Red, RiskColour::Orange, RiskColour::Yellow, RiskColour::Blue})
                        colours[std::string(hazard::colour_value(c))] = s.by_colour[static_cast<std::size_t>(c)];
                    colours["none"] = s.uncoloured;
                    const char* names[] = {"grade1", "grade2", "grade3", "grade4", "not_major"};
                    for (std::size_t g = 0; g < 5; ++g) grades[names[g]] = s.by_grade[g];
                    grades["ungraded"] = s.ungraded;
                    arr.push_back({{"county", s.county}, {"code", s.code}, {"enterprises", s.enterprises}, {"by_colour", colours},
                                   {"colour_computed", {{"lec", s.by_lec}, {"matrix", s.by_matrix}}},
                                   {"hazard_sources", s.hazard_sources}, {"by_grade", grades}, {"open_hazards", s.open_hazards},
                                   {"overdue_hazards", s.overdue_hazards}, {"enterprises_with_overdue", s.enterprises_with_overdue}});
                }
                nlohmann::json out = {{"database", db}, {"by", by},
                                      {"lec_thresholds", {rules.lec.red, rules.lec.orange, rules.lec.yellow}},
                                      {"matrix_thresholds", {rules.matrix.red, rules.matrix.orange, rules.matrix.yellow}},
                                      {"counties", arr}};
                std::cout << out.dump(2) << "\n";
                return int{k_exit_ok};
            }
            // ASCII headings: the widths then match the numbers below (CJK letters are 2 columns).
            std::cout << fmt::format("{:<14}{:>6} {:>5} {:>5} {:>5} {:>5} {:>5} |{:>8} {:>6} {:>6} {:>6} {:>6} |{:>8} {:>8} {:>10}\n", "county",
                                     "ent.", "red", "orng", "yell", "blue", "none", "sources", "gr.1", "gr.2", "gr.3", "gr.4", "hazards",
                                     "overdue", "ent.overdue");
            hazard::CountyStats total;
            total.county = "合计";
            for (const auto& s : stats) {
                const std::string name = pad_columns(s.county, 14); // Chinese names: two columns a character
                std::cout << fmt::format("{}{:>6} {:>5} {:>5} {:>5} {:>5} {:>5} |{:>8} {:>6} {:>6} {:>6} {:>6} |{:>8} {:>8} {:>10}\n", name,
                                         s.enterprises, s.by_colour[0], s.by_colour[1], s.by_colour[2], s.by_colour[3], s.uncoloured,
                                         s.hazard_sources, s.by_grade[0], s.by_grade[1], s.by_grade[2], s.by_grade[3], s.open_hazards,
                                         s.overdue_hazards, s.enterprises_with_overdue);
                total.enterprises += s.enterprises;
                for (std::size_t k = 0; k < 4; ++k) total.by_colour[k] += s.by_colour[k];
                total.uncoloured += s.uncoloured;
                total.hazard_sources += s.hazard_sources;
                for (std::size_t k = 0; k < 5; ++k) total.by_grade[k] += s.by_grade[k];
                total.open_hazards += s.open_hazards;
                total.overdue_hazards += s.overdue_hazards;
                total.enterprises_with_overdue += s.enterprises_with_overdue;
            }
            std::cout << fmt::format("合计          {:>6} {:>5} {:>5} {:>5} {:>5} {:>5} |{:>8} {:>6} {:>6} {:>6} {:>6} |{:>8} {:>8} {:>10}\n",
                                     total.enterprises, total.by_colour[0], total.by_colour[1], total.by_colour[2], total.by_colour[3],
                                     total.uncoloured, total.hazard_sources, total.by_grade[0], total.by_grade[1], total.by_grade[2],
                                     total.by_grade[3], total.open_hazards, total.overdue_hazards, total.enterprises_with_overdue);
            return int{k_exit_ok};
        };
    });
}

} // namespace vigil::cli

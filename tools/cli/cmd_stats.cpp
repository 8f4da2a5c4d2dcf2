// vigil stats: grid-management statistics per county (app::stats_by_county, the same figures as
// the viewer's choropleth): enterprises by four-colour risk, major hazard sources by GB 18218
// grade, open and overdue hidden hazards. This file reads options, loads the layers and prints.

#include "cli_common.hpp"

#include <vigil/app/stats.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace vigil::cli {
namespace {

struct StatsOptions {
    std::string db, by = "county";
    bool json = false;
    app::StatsRequest q;
};

/// "RED,ORANGE,YELLOW" -> the three numbers; false when it is not three numbers.
template <class Thresholds> bool parse_thresholds(const std::string& text, Thresholds& t) {
    const auto v = parse_words(text);
    if (v.size() != 3) return false;
    const auto red = text::parse_double(v[0]), orange = text::parse_double(v[1]), yellow = text::parse_double(v[2]);
    if (!red || !orange || !yellow) return false;
    t = {*red, *orange, *yellow};
    return true;
}

void print_row(const hazard::CountyStats& s) {
    const std::string name = pad_columns(s.county, 14); // Chinese names: two columns a character
    std::cout << fmt::format("{}{:>6} {:>5} {:>5} {:>5} {:>5} {:>5} |{:>8} {:>6} {:>6} {:>6} {:>6} |{:>8} {:>8} {:>10}\n", name,
                             s.enterprises, s.by_colour[0], s.by_colour[1], s.by_colour[2], s.by_colour[3], s.uncoloured, s.hazard_sources,
                             s.by_grade[0], s.by_grade[1], s.by_grade[2], s.by_grade[3], s.open_hazards, s.overdue_hazards,
                             s.enterprises_with_overdue);
}

int run_stats(const StatsOptions& o) {
    app::StatsResult r;
    {
        const auto project = store::Project::open(o.db);
        const auto layers = app::LayerSet::load(project, {"enterprises", "hazard_sources", "admin_areas"});
        if (!layers.find("enterprises")) throw UsageError("database '" + o.db + "' has no enterprises layer");
        r = app::stats_by_county(o.q, layers);
    }
    if (o.json) {
        nlohmann::json out = {{"database", o.db}};
        out.update(app::to_json(r));
        std::cout << out.dump(2) << "\n";
        return k_exit_ok;
    }
    // ASCII headings: the widths then match the numbers below (CJK letters are 2 columns).
    std::cout << fmt::format("{:<14}{:>6} {:>5} {:>5} {:>5} {:>5} {:>5} |{:>8} {:>6} {:>6} {:>6} {:>6} |{:>8} {:>8} {:>10}\n", "county",
                             "ent.", "red", "orng", "yell", "blue", "none", "sources", "gr.1", "gr.2", "gr.3", "gr.4", "hazards", "overdue",
                             "ent.overdue");
    for (const auto& s : r.groups) print_row(s);
    print_row(r.total);
    return k_exit_ok;
}

} // namespace

void add_stats_command(CLI::App& app, Runner& run) {
    auto o = std::make_shared<StatsOptions>();
    auto* cmd =
        app.add_subcommand("stats", "Per-county statistics: enterprises by risk colour, hazard sources by grade, overdue hidden hazards");
    cmd->add_option("DB", o->db, "Project database")->required();
    cmd->add_option("--by", o->by, "Grouping (county: by the record's county, else by point in the admin areas)")
        ->check(CLI::IsMember({"county"}));
    cmd->add_option(
        "--lec", [o](const CLI::results_t& r) { return parse_thresholds(r[0], o->q.rules.lec); },
        "LEC thresholds RED,ORANGE,YELLOW on D = L·E·C for records without a risk level (default 320,160,70)");
    cmd->add_option(
        "--matrix", [o](const CLI::results_t& r) { return parse_thresholds(r[0], o->q.rules.matrix); },
        "Risk-matrix thresholds RED,ORANGE,YELLOW on R = L·S (default 20,15,9; the other common set is 20,10,4)");
    cmd->add_flag("--json", o->json, "JSON output");
    cmd->callback([&run, o] { run = [o] { return run_stats(*o); }; });
}

} // namespace vigil::cli

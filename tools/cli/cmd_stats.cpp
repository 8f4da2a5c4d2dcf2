// vigil stats: grid-management statistics per county or per grid (app::statistics, the same
// figures as the viewer's choropleth and the browser's vigil.stats): enterprises by four-colour
// risk, major hazard sources by GB 18218 grade, open, overdue and open major hidden hazards
// (from the hidden-hazard records as of a day, where the project has them). This file reads
// options, loads the layers and prints.

#include "cli_common.hpp"

#include <vigil/app/check.hpp>
#include <vigil/app/stats.hpp>
#include <vigil/app/stats_table.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <memory>

namespace vigil::cli {
namespace {

struct StatsOptions {
    std::string db, by = "county", as_of;
    std::string csv, xlsx; ///< files the table is written to ("-": standard output)
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

void print_row(const hazard::CountyStats& s, const std::string& head, const std::string& tail = {}) {
    std::cout << fmt::format("{}{:>6} {:>5} {:>5} {:>5} {:>5} {:>5} |{:>8} {:>6} {:>6} {:>6} {:>6} |{:>8} {:>8} {:>6} {:>10}{}\n", head,
                             s.enterprises, s.by_colour[0], s.by_colour[1], s.by_colour[2], s.by_colour[3], s.uncoloured, s.hazard_sources,
                             s.by_grade[0], s.by_grade[1], s.by_grade[2], s.by_grade[3], s.open_hazards, s.overdue_hazards,
                             s.open_major_hazards, s.enterprises_with_overdue, tail);
}

int run_stats(const StatsOptions& o) {
    app::StatsResult r;
    app::StatsRequest q = o.q;
    q.by = o.by == "grid" ? app::StatsGrouping::Grid : app::StatsGrouping::County;
    // A mistyped date is refused before the database is opened (as the page's request is).
    q.as_of = o.as_of.empty() ? app::today_utc() : app::stats_request_from_json(nlohmann::json{{"as_of", o.as_of}}).as_of;
    {
        const auto project = store::Project::open(o.db);
        const auto layers = app::LayerSet::load(project, {"enterprises", "hazard_sources", "admin_areas", "hidden_hazards", "grids"});
        if (!layers.find("enterprises")) throw UsageError("database '" + o.db + "' has no enterprises layer");
        r = app::statistics(q, layers);
    }
    // The table as a file (core's writers: the viewers' Export buttons write the same bytes).
    bool table_on_stdout = false;
    if (!o.csv.empty() || !o.xlsx.empty()) {
        const app::StatsTable table = app::stats_table(r);
        const auto save = [&table_on_stdout](const std::string& path, const std::string& bytes) {
            if (path == "-") {
                std::cout << bytes << std::flush;
                table_on_stdout = true;
                return;
            }
            std::ofstream out(path, std::ios::binary);
            out << bytes;
            if (!out.flush()) throw IoError(trf("cannot write '{}'", path));
            std::cerr << trf("Statistics table written to {}", path) << "\n";
        };
        if (!o.csv.empty()) save(o.csv, app::stats_csv(table));
        if (!o.xlsx.empty()) save(o.xlsx, app::stats_xlsx(table));
    }
    if (table_on_stdout) return k_exit_ok; // the table is the output
    if (o.json) {
        nlohmann::json out = {{"database", o.db}};
        out.update(app::to_json(r));
        std::cout << out.dump(2) << "\n";
        return k_exit_ok;
    }
    const bool by_grid = q.by == app::StatsGrouping::Grid;
    // ASCII headings: the widths then match the numbers below (CJK letters are 2 columns).
    const std::string first = by_grid ? fmt::format("{:<12}{:<22}", "code", "grid") : fmt::format("{:<14}", "county");
    std::cout << fmt::format("{}{:>6} {:>5} {:>5} {:>5} {:>5} {:>5} |{:>8} {:>6} {:>6} {:>6} {:>6} |{:>8} {:>8} {:>6} {:>10}{}\n", first,
                             "ent.", "red", "orng", "yell", "blue", "none", "sources", "gr.1", "gr.2", "gr.3", "gr.4", "hazards", "overdue",
                             "major", "ent.overdue", by_grid ? "  member" : "");
    for (std::size_t i = 0; i < r.groups.size(); ++i) {
        const auto& s = r.groups[i];
        if (!by_grid) {
            print_row(s, pad_columns(s.county, 14)); // Chinese names: two columns a character
            continue;
        }
        const std::string member = r.grids[i].member + (r.grids[i].phone.empty() ? "" : " " + r.grids[i].phone);
        print_row(s, pad_columns(s.code, 12) + pad_columns(s.county, 22), member.empty() ? "" : "  " + member);
    }
    print_row(r.total, by_grid ? pad_columns(std::string(12, ' ') + r.total.county, 34) : pad_columns(r.total.county, 14));
    for (const auto& note : r.notes) std::cout << "* " << note << "\n";
    if (by_grid && !r.outside_enterprises.empty()) {
        std::string ids;
        for (std::size_t i = 0; i < r.outside_enterprises.size() && i < 20; ++i) ids += (i ? ", " : "") + r.outside_enterprises[i];
        if (r.outside_enterprises.size() > 20) ids += fmt::format(", … +{}", r.outside_enterprises.size() - 20);
        std::cout << "* 不在网格内的企业 enterprises in no grid: " << ids << "\n";
    }
    return k_exit_ok;
}

} // namespace

void add_stats_command(CLI::App& app, Runner& run) {
    auto o = std::make_shared<StatsOptions>();
    auto* cmd = app.add_subcommand(
        "stats", "Per-county or per-grid statistics: enterprises by risk colour, hazard sources by grade, open and overdue hidden hazards");
    cmd->add_option("DB", o->db, "Project database")->required();
    cmd->add_option("--by", o->by,
                    "Grouping: county (the record's county, else its point in the admin areas) or grid (the finest grid of the grids "
                    "layer its point lies in)")
        ->check(CLI::IsMember({"county", "grid"}));
    cmd->add_option(
        "--as-of", o->as_of,
        "Reckon open and overdue hidden hazards (from the hidden_hazards records) at this date, YYYY-MM-DD (default: today, UTC)");
    cmd->add_option(
        "--lec", [o](const CLI::results_t& r) { return parse_thresholds(r[0], o->q.rules.lec); },
        "LEC thresholds RED,ORANGE,YELLOW on D = L·E·C for records without a risk level (default 320,160,70)");
    cmd->add_option(
        "--matrix", [o](const CLI::results_t& r) { return parse_thresholds(r[0], o->q.rules.matrix); },
        "Risk-matrix thresholds RED,ORANGE,YELLOW on R = L·S (default 20,15,9; the other common set is 20,10,4)");
    cmd->add_flag("--json", o->json, "JSON output");
    cmd->add_option("--csv", o->csv,
                    tr("Also write the table as CSV (UTF-8 with BOM, for Excel) to this file; - for standard output (then nothing else is "
                       "printed)"));
    cmd->add_option("--xlsx", o->xlsx, tr("Also write the table as an Excel workbook (.xlsx) to this file"));
    cmd->callback([&run, o] { run = [o] { return run_stats(*o); }; });
}

} // namespace vigil::cli

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

#include <algorithm>
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

/// Terminal columns of `s` (CJK characters take two).
std::size_t display_width(const std::string& s) {
    std::size_t w = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        w += len >= 3 ? 2 : 1;
        i += len;
    }
    return w;
}

/// The figures' columns: heading and width (the heading's, at least `min` columns); a '|' before a group.
struct Column {
    std::string heading;
    std::size_t width;
    bool bar = false;
};

/// Marks a heading with its context for extraction (xgettext's NC_), translated where shown.
constexpr const char* NC_(const char* /*context*/, const char* msgid) noexcept { return msgid; }

std::vector<Column> columns() {
    const auto col = [](const char* heading, std::size_t min, bool bar = false) {
        std::string h = trc("stats table", heading);
        const std::size_t w = std::max(display_width(h), min);
        return Column{std::move(h), w, bar};
    };
    return {col(NC_("stats table", "enterprises"), 6),
            col(NC_("stats table", "red"), 5),
            col(NC_("stats table", "orange"), 5),
            col(NC_("stats table", "yellow"), 5),
            col(NC_("stats table", "blue"), 5),
            col(NC_("stats table", "no colour"), 5),
            col(NC_("stats table", "hazard sources"), 8, true),
            col(NC_("stats table", "grade I"), 6),
            col(NC_("stats table", "grade II"), 6),
            col(NC_("stats table", "grade III"), 6),
            col(NC_("stats table", "grade IV"), 6),
            col(NC_("stats table", "open hazards"), 8, true),
            col(NC_("stats table", "overdue"), 8),
            col(NC_("stats table", "major open"), 6),
            col(NC_("stats table", "enterprises overdue"), 10)};
}

/// `s` right-aligned in `width` terminal columns.
std::string right(const std::string& s, std::size_t width) {
    const std::size_t w = display_width(s);
    return w >= width ? s : std::string(width - w, ' ') + s;
}

void print_row(const std::vector<Column>& cols, const std::vector<std::string>& cells, const std::string& head,
               const std::string& tail = {}) {
    std::string line = head;
    for (std::size_t i = 0; i < cols.size() && i < cells.size(); ++i) line += (cols[i].bar ? " |" : " ") + right(cells[i], cols[i].width);
    std::cout << line << tail << "\n";
}

void print_row(const std::vector<Column>& cols, const hazard::CountyStats& s, const std::string& head, const std::string& tail = {}) {
    const auto n = [](auto v) { return std::to_string(v); };
    print_row(cols,
              {n(s.enterprises), n(s.by_colour[0]), n(s.by_colour[1]), n(s.by_colour[2]), n(s.by_colour[3]), n(s.uncoloured),
               n(s.hazard_sources), n(s.by_grade[0]), n(s.by_grade[1]), n(s.by_grade[2]), n(s.by_grade[3]), n(s.open_hazards),
               n(s.overdue_hazards), n(s.open_major_hazards), n(s.enterprises_with_overdue)},
              head, tail);
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
        if (!layers.find("enterprises")) throw UsageError(trf("database '{}' has no enterprises layer", o.db));
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
    // Headings padded by display width (CJK characters take two columns), each column as wide as its heading.
    const auto cols = columns();
    const std::string first = by_grid ? pad_columns(trc("stats table", "code"), 12) + pad_columns(trc("stats table", "grid"), 22)
                                      : pad_columns(trc("stats table", "county"), 14);
    std::vector<std::string> headings;
    for (const auto& c : cols) headings.push_back(c.heading);
    print_row(cols, headings, first, by_grid ? std::string("  ") + trc("stats table", "grid member") : std::string());
    for (std::size_t i = 0; i < r.groups.size(); ++i) {
        const auto& s = r.groups[i];
        if (!by_grid) {
            print_row(cols, s, pad_columns(s.county, 14)); // Chinese names: two columns a character
            continue;
        }
        const std::string member = r.grids[i].member + (r.grids[i].phone.empty() ? "" : " " + r.grids[i].phone);
        print_row(cols, s, pad_columns(s.code, 12) + pad_columns(s.county, 22), member.empty() ? "" : "  " + member);
    }
    print_row(cols, r.total, by_grid ? pad_columns(std::string(12, ' ') + r.total.county, 34) : pad_columns(r.total.county, 14));
    for (const auto& note : r.notes) std::cout << "* " << note << "\n";
    if (by_grid && !r.outside_enterprises.empty()) {
        std::string ids;
        for (std::size_t i = 0; i < r.outside_enterprises.size() && i < 20; ++i) ids += (i ? ", " : "") + r.outside_enterprises[i];
        if (r.outside_enterprises.size() > 20) ids += fmt::format(", … +{}", r.outside_enterprises.size() - 20);
        std::cout << "* " << trf("enterprises in no grid: {}", ids) << "\n";
    }
    return k_exit_ok;
}

} // namespace

void add_stats_command(CLI::App& app, Runner& run) {
    auto o = std::make_shared<StatsOptions>();
    auto* cmd = app.add_subcommand(
        "stats",
        tr("Per-county or per-grid statistics: enterprises by risk colour, hazard sources by grade, open and overdue hidden hazards"));
    cmd->add_option("DB", o->db, tr("Project database"))->required();
    cmd->add_option("--by", o->by,
                    tr("Grouping: county (the record's county, else its point in the admin areas) or grid (the finest grid of the grids "
                       "layer its point lies in)"))
        ->check(CLI::IsMember({"county", "grid"}));
    cmd->add_option(
        "--as-of", o->as_of,
        tr("Reckon open and overdue hidden hazards (from the hidden_hazards records) at this date, YYYY-MM-DD (default: today, UTC)"));
    cmd->add_option(
        "--lec", [o](const CLI::results_t& r) { return parse_thresholds(r[0], o->q.rules.lec); },
        tr("LEC thresholds RED,ORANGE,YELLOW on D = L·E·C for records without a risk level (default 320,160,70)"));
    cmd->add_option(
        "--matrix", [o](const CLI::results_t& r) { return parse_thresholds(r[0], o->q.rules.matrix); },
        tr("Risk-matrix thresholds RED,ORANGE,YELLOW on R = L·S (default 20,15,9; the other common set is 20,10,4)"));
    cmd->add_flag("--json", o->json, tr("JSON output"));
    cmd->add_option("--csv", o->csv,
                    tr("Also write the table as CSV (UTF-8 with BOM, for Excel) to this file; - for standard output (then nothing else is "
                       "printed)"));
    cmd->add_option("--xlsx", o->xlsx, tr("Also write the table as an Excel workbook (.xlsx) to this file"));
    cmd->callback([&run, o] { run = [o] { return run_stats(*o); }; });
}

} // namespace vigil::cli

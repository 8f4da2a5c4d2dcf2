// vigil check: the data-quality report a county clerk acts on (app::run_checks, the same
// findings as the viewer's Data check panel and the browser's window.vigil.check). This file
// reads options, loads the layers the checks look at and prints the result.

#include "cli_common.hpp"

#include <vigil/app/check.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>
#include <memory>

namespace vigil::cli {
namespace {

struct CheckOptions {
    std::string db, only, as_of;
    bool json = false, all = false;
    std::size_t limit = 20; ///< findings shown per check in the text form (unless --all)
    app::CheckRequest q;
};

std::vector<app::Check> parse_checks(const std::string& text) {
    std::vector<app::Check> out;
    for (const auto& word : parse_words(text)) {
        const auto c = app::parse_check(word);
        if (!c) {
            std::string known;
            for (app::Check k : app::k_checks) known += (known.empty() ? "" : ", ") + std::string(app::check_code(k));
            throw UsageError(trf("unknown check '{}' ({})", word, known));
        }
        out.push_back(*c);
    }
    return out;
}

std::string_view severity_words(app::CheckSeverity s) { return s == app::CheckSeverity::Error ? tr("error") : tr("warning"); }

void print_text(const CheckOptions& o, const app::CheckResult& r) {
    std::cout << trf("data check: {}, as of {}", o.db, r.request.as_of.empty() ? "-" : r.request.as_of) << "\n";
    std::cout << trf("records: {}; errors: {}; warnings: {}", r.records, r.errors(), r.warnings()) << "\n";
    std::vector<std::string> clean;
    for (app::Check c : app::k_checks) {
        if (!r.asked(c)) continue;
        const std::size_t n = r.count(c);
        if (n == 0) {
            if (std::find(r.ran.begin(), r.ran.end(), c) != r.ran.end()) clean.emplace_back(app::check_code(c));
            continue;
        }
        std::cout << fmt::format("\n{}  {}: {}\n", app::check_code(c), app::check_title(c), n);
        std::size_t shown = 0;
        for (const auto& f : r.findings) {
            if (f.check != c) continue;
            if (!o.all && shown == o.limit) {
                std::cout << "  " << trf("… and {} more (--all, or --json)", n - shown) << "\n";
                break;
            }
            ++shown;
            std::cout << fmt::format("  [{}] {}/{} {} · {} = {}\n      {}\n", severity_words(f.severity), f.kind, f.id, f.name, f.field,
                                     f.value.empty() ? std::string(tr("(empty)")) : f.value, f.message);
        }
    }
    if (!clean.empty()) {
        std::string list;
        for (const auto& c : clean) list += (list.empty() ? "" : ", ") + c;
        std::cout << "\n" << trf("nothing found: {}", list) << "\n";
    }
    if (!r.skipped.empty()) {
        std::cout << "\n" << tr("not run:") << "\n";
        for (const auto& s : r.skipped)
            std::cout << fmt::format("  {}{}: {}\n", app::check_code(s.check), s.kind.empty() ? "" : " (" + s.kind + ")", s.reason);
    }
}

int run_check(const CheckOptions& o) {
    app::CheckRequest q = o.q;
    q.as_of = o.as_of.empty() ? app::today_utc() : o.as_of;
    if (!o.only.empty()) q.only = parse_checks(o.only);
    app::CheckResult r;
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    auto t1 = t0, t2 = t0;
    {
        const auto project = store::Project::open(o.db);
        const auto layers = app::LayerSet::load(project, app::kinds_to_check(project.catalog()));
        t1 = Clock::now();
        r = app::run_checks(q, layers);
        t2 = Clock::now();
    }
    // On stderr, so that the report itself stays the same from run to run.
    if (!globals().quiet) {
        const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
        std::cerr << trf("note: loaded in {:.0f} ms, checked in {:.0f} ms", ms(t1 - t0), ms(t2 - t1)) << "\n";
    }
    if (o.json) {
        nlohmann::json out = {{"database", o.db}};
        out.update(app::to_json(r));
        std::cout << out.dump(2) << "\n";
    } else {
        print_text(o, r);
    }
    return r.errors() > 0 ? k_exit_findings : k_exit_ok;
}

} // namespace

void add_check_command(CLI::App& app, Runner& run) {
    auto o = std::make_shared<CheckOptions>();
    auto* cmd = app.add_subcommand("check", tr("Data-quality report: duplicate credit codes, the same name close by, records outside their "
                                               "county, hazard sources far from their enterprise, teams without capability or phone, stock "
                                               "below its minimum, plans past revision, records not updated for long"));
    cmd->add_option("DB", o->db, tr("Project database"))->required();
    cmd->add_option("--as-of", o->as_of, tr("Reckon staleness and revisions at this date, YYYY-MM-DD (default: today, UTC)"));
    cmd->add_option("--only", o->only,
                    tr("Run only these checks, comma-separated: duplicate_uscc, same_name_nearby, no_location, outside_county, "
                       "unknown_county, broken_reference, far_from_reference, missing_value, below_minimum, past_revision, stale_record"));
    cmd->add_option("--same-name-m", o->q.same_name_m, tr("Two records of one name closer than this are reported (metres)"));
    cmd->add_option(
        "--county-tolerance-m", o->q.county_tolerance_m,
        tr("A point outside its county by no more than this is not reported (metres; boundaries from web maps are simplified)"));
    cmd->add_option(
           "--within-m", [o](const CLI::results_t& r) { return (o->q.within_m = text::parse_double(r[0])).has_value(); },
           tr("Override the catalogue's distance from a record to the one it references, e.g. a hazard source to its enterprise (metres; "
              "default 1000 from layers/hazard_sources.json)"))
        ->type_name("FLOAT");
    cmd->add_option(
           "--stale-days", [o](const CLI::results_t& r) { return (o->q.stale_days = text::parse_double(r[0])).has_value(); },
           tr("Override the catalogue's refresh period of the registers (days; default 365 from layers/*.json)"))
        ->type_name("FLOAT");
    cmd->add_flag("--all", o->all, tr("List every finding (the text form shows the first 20 of each check)"));
    cmd->add_flag("--json", o->json, tr("JSON output (docs/json.md, \"Check\")"));
    cmd->footer(tr("Exit codes: 0 no finding of severity error (warnings may be listed); 4 findings of severity error; 1 the database "
                   "cannot be read; 2 a wrong option."));
    cmd->callback([&run, o] { run = [o] { return run_check(*o); }; });
}

} // namespace vigil::cli

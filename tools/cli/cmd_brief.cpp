// vigil brief: the printable incident brief (事件简报). Opens the project, reads the incident's log
// (native::SpatialiteEditStore), gets the road graph as the dispatch commands do, asks the core to
// build the brief (app::build_brief) and has tools/brief draw it on an A4 page (PDF or PNG), or
// prints its JSON. docs/brief.md.

#include "cli_common.hpp"

#include "road_network.hpp"

#include <vigil/app/brief.hpp>
#include <vigil/app/edits.hpp>
#include <vigil/app/layer_set.hpp>
#include <vigil/brief/render.hpp>
#include <vigil/native/edit_store.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <ctime>
#include <iostream>
#include <memory>
#include <string>

namespace vigil::cli {

namespace {

struct BriefArgs {
    std::string db, incident, out, speeds, need;
    std::size_t k = 5;
    bool json = false, no_roads = false;
};

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace

app::IncidentBrief build_incident_brief(const std::string& db, const BriefOptions& o) {
    // The log first: an unknown incident is named before anything heavier is loaded.
    app::IncidentLog log;
    {
        auto store = native::SpatialiteEditStore::open(db, load_catalog());
        log = app::incident_log(*store, o.incident);
    }
    auto project = store::Project::open(db);
    // The ranking's, the map's, and what lies inside the zones (the point layers people ask about).
    std::vector<std::string> kinds{"incidents", "rescue_teams", "dispatches",     "warehouses", "admin_areas",
                                   "roads",     "enterprises",  "hazard_sources", "shelters",   "medical_facilities"};
    const auto layers = app::LayerSet::load(project, kinds);
    app::ProjectRoadGraph graph;
    const model::Layer* roads = layers.find("roads");
    if (!o.no_roads && roads && !roads->empty()) graph = load_road_graph(project, load_speeds(o.speeds));

    app::BriefRequest r;
    r.incident = o.incident;
    r.teams = o.k;
    r.need = o.need;
    r.generated_at = utc_now();
    auto brief = app::build_brief(layers, graph.graph.get(), r, std::move(log));
    if (!graph.note.empty()) brief.notes.push_back(graph.note);
    return brief;
}

std::string incident_brief_pdf(const std::string& db, const std::string& incident) {
    BriefOptions o;
    o.incident = incident;
    return brief::pdf_bytes(build_incident_brief(db, o));
}

namespace {

int run_brief(const BriefArgs& a) {
    if (a.out.empty() && !a.json) throw UsageError(tr("give --out FILE.pdf|FILE.png, or --json"));
    BriefOptions o;
    o.incident = a.incident;
    o.k = a.k;
    o.need = parse_words(a.need);
    o.speeds = a.speeds;
    o.no_roads = a.no_roads;
    const auto brief = build_incident_brief(a.db, o);

    if (!a.out.empty()) brief::write_page(brief, a.out);
    if (a.json) {
        std::cout << app::to_json(brief).dump(2) << "\n";
        return k_exit_ok;
    }
    std::cout << trf("incident brief {} → {} (teams ranked: {}, assigned: {}, log lines: {})", brief.incident_id, a.out, brief.teams.size(),
                     brief.assigned.size(), brief.log.events.size())
              << "\n";
    return k_exit_ok;
}

} // namespace

void add_brief_command(CLI::App& app, Runner& run) {
    auto args = std::make_shared<BriefArgs>();
    BriefArgs& a = *args;
    auto* cmd = app.add_subcommand("brief", tr("The printable incident brief: one A4 page, PDF or PNG, for the commander"));
    cmd->add_option("DB", a.db, tr("Project database"))->required();
    cmd->add_option("--incident", a.incident, tr("Incident id (vigil incident open made it)"))->required();
    cmd->add_option("--out,-o", a.out, tr("The page: FILE.pdf (vector) or FILE.png (A4 at 300 dpi)"));
    cmd->add_option("--k", a.k, tr("Ranked teams listed and numbered on the map (default 5)"))->check(CLI::Range(1, 20));
    cmd->add_option("--need", a.need, tr("Capabilities the ranked teams must have (default: by the incident's type, hazmat for a leak)"));
    cmd->add_option("--speeds", a.speeds, tr("Speed profile per road class (default: layers/routing/road_speeds.json)"));
    cmd->add_flag("--no-roads", a.no_roads, tr("Rank the teams as the crow flies (no road graph, no ETA)"));
    cmd->add_flag("--json", a.json, tr("Print the brief as JSON (docs/json.md, \"Brief\"); with --out the page is written too"));
    cmd->callback([&run, args] { run = [args] { return run_brief(*args); }; });
}

} // namespace vigil::cli

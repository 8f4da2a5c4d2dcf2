// vigil supply / vigil isochrone / vigil coverage: dispatch questions over the road network. Each
// parses its options, loads the layers and the road graph, asks its service in vigil::app
// (supply.hpp, isochrones.hpp, coverage.hpp) and prints the answer: as text here, as JSON and
// GeoJSON through the services' own to_json / to_geojson.

#include "cli_common.hpp"

#include "road_network.hpp"

#include <vigil/app/coverage.hpp>
#include <vigil/app/equipment.hpp>
#include <vigil/app/isochrones.hpp>
#include <vigil/app/layer_set.hpp>
#include <vigil/app/supply.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <memory>

namespace vigil::cli {

namespace {

std::string minutes_text(double s) { return trf("{:.1f} min", s / 60); }

// A place as a dispatcher types it, for the help of --at.
constexpr const char* k_dispatch_place_example = "G207 温县段";                       // i18n: not shown: an input example, typed as it is
constexpr const char* k_dispatch_needs_example = "中和剂:5t,吸附棉:2000kg,沙袋:3000"; // i18n: not shown: an input example, typed as it is
constexpr const char* k_dispatch_equipment_example = "防化服:10";                     // i18n: not shown: an input example, typed as it is

// "5,10,15,30" -> minutes (the service checks their range).
std::vector<double> parse_minutes(const std::string& text) {
    std::vector<double> out;
    for (const auto& w : parse_words(text)) {
        auto v = vigil::text::parse_double(w);
        if (!v) throw UsageError(trf("--minutes: '{}' is not a number of minutes", w));
        out.push_back(*v);
    }
    if (out.empty()) throw UsageError(tr("--minutes: give at least one limit, e.g. 5,10,15,30"));
    return out;
}

struct DispatchArgs {
    std::string db, at, crs, speeds, avoid, avoid_where, geojson;
    bool json = false;
    double max_snap = 10000;
    // supply
    std::string needs, layer = "warehouses", items;
    // isochrone / coverage
    std::string minutes = "5,10,15,30";
    std::string direction = "from";
    std::string from_layer, need, status;
    double coverage_minutes = 15;
    std::string targets = "enterprises,hazard_sources";
};

void add_point_options(CLI::App* cmd, DispatchArgs& a, const std::string& help, bool required) {
    auto* at = cmd->add_option("--at", a.at, help);
    if (required) at->required();
    cmd->add_option("--crs", a.crs, tr("CRS of --at: wgs84 (default), cgcs2000, gcj02 (AMap), bd09 (Baidu)"));
}

void add_road_options(CLI::App* cmd, DispatchArgs& a) {
    cmd->add_option("DB", a.db, tr("Project database"))->required();
    cmd->add_option("--speeds", a.speeds, tr("Speed profile per road class (default: layers/routing/road_speeds.json)"));
    cmd->add_option("--avoid", a.avoid, tr("GeoJSON file of polygons (e.g. vigil zone --geojson) whose roads are closed"));
    cmd->add_option("--avoid-where", a.avoid_where,
                    tr("With --avoid: only the polygons whose PROPERTY has one of the values (e.g. tier=3: the red zone)"));
    cmd->add_option("--max-snap", a.max_snap, tr("A point farther than this (m) from every road is unreachable (default 10000)"))
        ->check(CLI::PositiveNumber);
}

// A layer of the project by kind or catalogue synonym ("仓库"), added to `set`; its kind.
std::string add_layer(app::LayerSet& set, const store::Project& project, const std::string& kind) {
    auto layer = project.load_layer(kind);
    std::string resolved = layer->kind().kind;
    set.add(std::move(layer));
    return resolved;
}

// [vigil supply] ------------------------------------------------------------------------------

// The stock item catalogue: --items FILE, else supplies/stock_items.json under the layer
// catalogue folder (a synonym added there counts at once), else the copy compiled in.
dispatch::ItemNames load_item_names(const std::string& file) {
    const auto f = read_catalogue_file(file, std::filesystem::path("supplies") / "stock_items.json", tr("stock item file (--items)"));
    return f ? dispatch::ItemNames::parse(f->text, f->path) : dispatch::ItemNames::builtin();
}

int run_supply(const DispatchArgs& a) {
    app::SupplyQuery sq;
    sq.needs = a.needs;
    sq.items = load_item_names(a.items);
    sq.at = query_point(a.db, a.at, a.crs);
    sq.closures = read_closures(a.avoid, a.avoid_where);
    sq.max_snap_m = a.max_snap;
    sq.routes = false;
    auto project = store::Project::open(a.db);
    app::LayerSet layers;
    sq.layer = add_layer(layers, project, a.layer);
    // The equipment the warehouses hold serves needs naming an equipment type ("防化服:10").
    for (const auto& l : project.layers())
        if (l.kind == app::k_equipment_kind) add_layer(layers, project, l.kind);
    const auto graph = load_road_graph(project, load_speeds(a.speeds));
    const auto r = app::cover_supplies(layers, *graph.graph, sq);
    // The command line refuses a half-read question (the panel flags the piece and goes on).
    if (!r.problems.empty()) {
        std::string all;
        for (const auto& p : r.problems) all += (all.empty() ? "" : "; ") + p;
        throw UsageError(all);
    }
    if (a.json) {
        std::cout << app::to_json(r).dump(2) << "\n";
        return k_exit_ok;
    }
    const auto& kind = layers.require(sq.layer).kind();
    std::cout << trf("{} for ({:.6f}, {:.6f}) by road: {}", kind.title.text(), r.at.x, r.at.y, r.headline) << "\n";
    if (r.staging.point) std::cout << "  " << trf("to the staging point ({:.6f}, {:.6f})", r.staging.point->x, r.staging.point->y) << "\n";
    // Per need: what arrives when, soonest first, then when it is covered or what is missing.
    for (std::size_t n = 0; n < r.needs.size(); ++n) {
        const auto& need = r.needs[n];
        std::string split;
        for (const auto& p : need.parts)
            split += (split.empty() ? "" : ", ") +
                     trf("{} at {} ({})", app::amount_text(r, n, p.quantity), minutes_text(p.eta_s), r.depots[p.depot].id);
        const std::string end = need.shortfall > 0 ? trf("shortfall {} (all reachable warehouses hold {})",
                                                         app::amount_text(r, n, need.shortfall), app::amount_text(r, n, need.available))
                                                   : trf("covered at {}", minutes_text(need.covered_s));
        std::cout << fmt::format("  {} {}: {}{}\n", need.item, app::amount_text(r, n, need.needed), split.empty() ? "" : split + "; ", end);
    }
    for (const auto& d : r.depots) {
        std::string gives;
        for (const auto& g : d.gives) gives += (gives.empty() ? "" : trc("list separator", ", ")) + app::give_text(r, g);
        std::cout << "  " << trf("ETA {:>8}  {:<8} {}  ({:.2f} km): {}", minutes_text(d.eta_s), d.id, d.name, d.road_m / 1000, gives)
                  << "\n";
    }
    for (const auto& note : r.notes) std::cout << "  " << trf("note: {}", note) << "\n";
    return k_exit_ok;
}

// [vigil isochrone] ---------------------------------------------------------------------------

int run_isochrone(const DispatchArgs& a) {
    app::IsochroneQuery iq;
    iq.minutes = parse_minutes(a.minutes);
    iq.direction = a.direction == "to" ? routing::TravelDirection::to_points : routing::TravelDirection::from_points;
    iq.closures = read_closures(a.avoid, a.avoid_where);
    iq.max_snap_m = a.max_snap;
    if (a.from_layer.empty()) {
        if (!a.need.empty() || !a.status.empty()) throw UsageError(tr("--need and --status go with --from-layer"));
        if (a.at.empty()) throw UsageError(tr("give the start: --at LON,LAT or --from-layer LAYER [--need ...]"));
    } else if (!a.at.empty()) {
        throw UsageError(tr("give either --at or --from-layer, not both"));
    }
    if (!a.at.empty()) iq.at = query_point(a.db, a.at, a.crs);
    iq.filter.need = parse_words(a.need);
    iq.filter.status = parse_words(a.status);
    auto project = store::Project::open(a.db);
    app::LayerSet layers;
    if (!a.from_layer.empty()) iq.from_layer = add_layer(layers, project, a.from_layer);
    const auto graph = load_road_graph(project, load_speeds(a.speeds));
    const auto r = app::isochrones(layers, *graph.graph, iq);

    if (!a.geojson.empty()) write_text_file(a.geojson, app::to_geojson(r).dump() + "\n");
    if (a.json) {
        std::cout << app::to_json(r).dump(2) << "\n";
        return k_exit_ok;
    }
    std::cout << (a.direction == "to"
                      ? trf("reachable towards {} by road (search {:.1f} ms, polygons {:.1f} ms):", r.start, r.search_ms, r.polygon_ms)
                      : trf("reachable from {} by road (search {:.1f} ms, polygons {:.1f} ms):", r.start, r.search_ms, r.polygon_ms))
              << "\n";
    for (const auto& b : r.bands)
        std::cout << "  " << trf("{:>5} min  {:>9.2f} km2  {:>8} road nodes", vigil::text::format_double(b.minutes), b.area_km2, b.nodes)
                  << "\n";
    if (!a.geojson.empty()) std::cout << trf("polygons written to {}", a.geojson) << "\n";
    return k_exit_ok;
}

// [vigil coverage] ----------------------------------------------------------------------------

int run_coverage(const DispatchArgs& a) {
    app::CoverageQuery cq;
    cq.filter.need = parse_words(a.need);
    cq.filter.status = parse_words(a.status);
    cq.minutes = a.coverage_minutes;
    cq.closures = read_closures(a.avoid, a.avoid_where);
    cq.max_snap_m = a.max_snap;
    auto project = store::Project::open(a.db);
    app::LayerSet layers;
    cq.teams = add_layer(layers, project, a.from_layer.empty() ? "rescue_teams" : a.from_layer);
    cq.targets.clear();
    for (const auto& t : parse_words(a.targets)) cq.targets.push_back(add_layer(layers, project, t));
    const auto graph = load_road_graph(project, load_speeds(a.speeds));
    const auto r = app::coverage(layers, *graph.graph, cq);

    if (!a.geojson.empty()) write_text_file(a.geojson, app::to_geojson(r).dump() + "\n");
    if (a.json) {
        std::cout << app::to_json(r).dump(2) << "\n";
        return k_exit_ok;
    }
    const std::string minutes = vigil::text::format_double(r.minutes);
    std::cout << (a.need.empty()
                      ? trf("{} of {} targets are not reached within {} min by any team (teams: {}, {:.0f} ms):", r.gaps.size(), r.targets,
                            minutes, r.teams, r.total_ms)
                      : trf("{} of {} targets are not reached within {} min by any team with {} (teams: {}, {:.0f} ms):", r.gaps.size(),
                            r.targets, minutes, a.need, r.teams, r.total_ms))
              << "\n";
    for (const auto& g : r.gaps) {
        std::string head =
            g.reachable ? trf("ETA {:>8} ({})", minutes_text(g.eta_s), g.best_team) : std::string(tr("unreachable by road")) + "   ";
        std::cout << fmt::format("  {}  {:<15} {:<10} {}\n", head, g.layer, g.id, g.name);
    }
    return k_exit_ok;
}

} // namespace

// The options live as long as the command line's parser, in the object the callback shares (no
// function-local statics: a second parse, as in tests, starts from the defaults).

void add_supply_command(CLI::App& app, Runner& run) {
    auto args = std::make_shared<DispatchArgs>();
    DispatchArgs& a = *args;
    auto* cmd = app.add_subcommand(
        "supply", tr("What the warehouses send for the needed supplies, soonest first, with times per warehouse (and any shortfall)"));
    add_road_options(cmd, a);
    add_point_options(cmd, a, trf("Incident LON,LAT (WGS84 unless --crs), or a place: a name, \"{}\"", k_dispatch_place_example), true);
    cmd->add_option("--need", a.needs,
                    trf("Needed items ITEM:QUANTITY[UNIT],... e.g. \"{}\"; an equipment type (\"{}\") also counts the warehouses' "
                        "equipment in service",
                        k_dispatch_needs_example, k_dispatch_equipment_example))
        ->required();
    cmd->add_option("--layer,-l", a.layer, tr("Layer with stock lists (default: warehouses)"));
    cmd->add_option("--items", a.items, tr("Stock item synonyms (default: layers/supplies/stock_items.json)"));
    cmd->add_flag("--json", a.json,
                  tr("JSON output (docs/json.md): headline, complete, first_arrival_s, arrival_s, needs (from with eta_s, first_s, "
                     "covered_s, shortfall), warehouses (eta_s, gives), staging, notes"));
    cmd->callback([&run, args] { run = [args] { return run_supply(*args); }; });
}

void add_isochrone_command(CLI::App& app, Runner& run) {
    auto args = std::make_shared<DispatchArgs>();
    DispatchArgs& a = *args;
    auto* cmd = app.add_subcommand("isochrone",
                                   tr("Areas reachable by road within 5/10/15/30 minutes of a point or of every team of a capability"));
    add_road_options(cmd, a);
    add_point_options(cmd, a, trf("Start point LON,LAT (WGS84 unless --crs), or a place: a name, \"{}\"", k_dispatch_place_example), false);
    cmd->add_option("--from-layer", a.from_layer, tr("Start from every record of this layer instead (e.g. rescue_teams)"));
    cmd->add_option("--need", a.need, tr("With --from-layer: required capabilities, comma-separated (hazmat,...)"));
    cmd->add_option("--status", a.status, tr("With --from-layer: accepted status(es)"));
    cmd->add_option("--minutes", a.minutes, tr("Limits in minutes, comma-separated (default 5,10,15,30)"));
    cmd->add_option("--direction", a.direction, tr("from: driving away from the start (default); to: driving towards it"))
        ->check(CLI::IsMember({"from", "to"}));
    cmd->add_option("--geojson", a.geojson, tr("Write the bands as a GeoJSON FeatureCollection (one MultiPolygon per limit)"));
    cmd->add_flag("--json", a.json, tr("JSON output with the polygons (docs/json.md)"));
    cmd->callback([&run, args] { run = [args] { return run_isochrone(*args); }; });
}

void add_coverage_command(CLI::App& app, Runner& run) {
    auto args = std::make_shared<DispatchArgs>();
    DispatchArgs& a = *args;
    auto* cmd =
        app.add_subcommand("coverage", tr("Enterprises and hazard sources that no capable team reaches in time (the planners' gap map)"));
    add_road_options(cmd, a);
    cmd->add_option("--need", a.need, tr("Required capabilities of the teams, comma-separated (hazmat,...)"));
    cmd->add_option("--status", a.status, tr("Accepted team status(es) (default: any)"));
    cmd->add_option("--minutes", a.coverage_minutes, tr("Time limit: ETA = turnout + travel (default 15)"))->check(CLI::PositiveNumber);
    cmd->add_option("--teams", a.from_layer, tr("Team layer (default rescue_teams)"));
    cmd->add_option("--targets", a.targets, tr("Layers to check, comma-separated (default enterprises,hazard_sources)"));
    cmd->add_option("--geojson", a.geojson, tr("Write the gaps as GeoJSON points"));
    cmd->add_flag("--json", a.json, tr("JSON output (docs/json.md): gaps (layer, id, name, reachable, eta_s, best_team), worst first"));
    cmd->callback([&run, args] { run = [args] { return run_coverage(*args); }; });
}

} // namespace vigil::cli

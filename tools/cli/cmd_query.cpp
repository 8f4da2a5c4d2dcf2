// vigil nearest / vigil within

#include "cli_common.hpp"

#include "road_network.hpp"

#include <vigil/app/dispatch.hpp>
#include <vigil/app/hits_json.hpp>
#include <vigil/app/layer_set.hpp>
#include <vigil/catalog/normalize.hpp>
#include <vigil/importing/coordinate_transform.hpp>
#include <vigil/query/nearest.hpp>
#include <vigil/store/on_disk_query.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

namespace vigil::cli {

namespace {

// Words and examples as people type them, for the options' help.
constexpr const char* k_query_amap_word = "高德";                      // i18n: not shown: an input example, typed as it is
constexpr const char* k_query_baidu_word = "百度";                     // i18n: not shown: an input example, typed as it is
constexpr const char* k_query_place_example = "G207 温县段";           // i18n: not shown: an input example, typed as it is
constexpr const char* k_query_layer_example = "救援队伍";              // i18n: not shown: an input example, typed as it is
constexpr const char* k_query_need_example = "危化品,水域";            // i18n: not shown: an input example, typed as it is
constexpr const char* k_query_status_example = "待命";                 // i18n: not shown: an input example, typed as it is
constexpr const char* k_query_equipment_example = "防化服:2,堵漏器材"; // i18n: not shown: an input example, typed as it is

struct QueryArgs {
    std::string db, at, layer, crs, need, status;
    std::vector<std::string> where;
    std::size_t k = 5;
    double radius = 0;
    double max_distance = 0;
    bool json = false;
    std::string by = "air";  ///< nearest: air (geodesic) or road (travel time)
    bool routes = false;     ///< --by road --json: each route as a GeoJSON LineString
    std::string speeds;      ///< --by road: speed profile file (default: layers/routing/road_speeds.json)
    double max_snap = 10000; ///< --by road: farther from every road than this = unreachable
    std::string avoid;       ///< --by road: GeoJSON polygons whose roads are closed
    std::string avoid_where; ///< --avoid-where PROPERTY=VALUES: only those polygons
    std::string equipment;   ///< --by road: equipment each team must hold in service ("防化服:2,堵漏器材")
};

query::FilterSpec filter_spec(const QueryArgs& a) {
    query::FilterSpec spec;
    spec.need = parse_words(a.need);
    spec.status = parse_words(a.status);
    for (const auto& w : a.where) {
        auto eq = w.find('=');
        if (eq == std::string::npos || eq == 0) throw UsageError(trf("--where {}: expected FIELD=VALUE[,VALUE...]", w));
        spec.where.emplace_back(w.substr(0, eq), parse_words(w.substr(eq + 1)));
    }
    return spec;
}

// The query point in WGS84, converting from AMap/Baidu coordinates when asked, or a place found.
geo::Coord query_point(const QueryArgs& a) { return cli::query_point(a.db, a.at, a.crs); }

// `heading` opens the listing ("救援队伍 nearest to (…):"), `nothing` says that no record matched.
int print(const QueryArgs& a, const model::Layer& layer, geo::Coord at, const std::vector<query::Hit>& hits, const std::string& heading,
          const std::string& nothing) {
    const auto& kind = layer.kind();
    if (a.json) {
        std::cout << app::hits_json(layer, at, hits, true) << "\n"; // docs/json.md "Nearest and within"
        return k_exit_ok;
    }
    if (hits.empty()) {
        std::cout << nothing << "\n";
        return k_exit_ok;
    }
    const catalog::Field* caps = kind.field_with_role(catalog::FieldRole::Capabilities);
    const catalog::Field* status = kind.field_with_role(catalog::FieldRole::Status);
    const auto name = kind.index_of_role(catalog::FieldRole::Name);
    const auto caps_index = caps ? kind.field_index(caps->name) : std::nullopt,
               status_index = status ? kind.field_index(status->name) : std::nullopt;
    // One buffer for the whole listing, written once: a radius can name thousands of records.
    fmt::memory_buffer out;
    fmt::format_to(std::back_inserter(out), "{}\n", heading);
    int rank = 0;
    for (const auto& h : hits) {
        const std::string distance =
            h.distance_m < 1000 ? fmt::format("{:.0f} m", h.distance_m) : fmt::format("{:.2f} km", h.distance_m / 1000);
        fmt::format_to(std::back_inserter(out), "{:>3}. {:>9}  {:<10} {}", ++rank, distance, layer.id(h.row),
                       name ? model::to_text(layer.value(h.row, *name)) : layer.id(h.row));
        if (status_index)
            fmt::format_to(std::back_inserter(out), "  [{}]", catalog::display_value(*status, layer.value(h.row, *status_index)));
        if (caps_index) fmt::format_to(std::back_inserter(out), "  {}", catalog::display_value(*caps, layer.value(h.row, *caps_index)));
        out.push_back('\n');
    }
    std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
    return k_exit_ok;
}

// [Dispatch by road] ------------------------------------------------------------------------

std::string minutes(double s) { return trf("{:.1f} min", s / 60); }

// `vigil nearest --by road`: the dispatch question of app/dispatch.hpp (the Dispatch panel's):
// every record that passes the filter (and --max-distance as the crow flies), ranked by
// ETA = turnout + travel time, unreachable records after the others, marked as such; with
// --avoid, the teams go to the staging point when the incident lies in a closed area.
int nearest_by_road(const QueryArgs& a) {
    app::DispatchQuery dq;
    dq.at = query_point(a);
    dq.filter = filter_spec(a);
    dq.closures = read_closures(a.avoid, a.avoid_where);
    dq.isochrone_minutes.clear();
    if (a.max_distance > 0) dq.max_distance_m = a.max_distance;
    dq.max_teams = a.k;
    dq.routes = a.routes;
    dq.max_snap_m = a.max_snap;
    dq.equipment = a.equipment;
    auto project = store::Project::open(a.db);
    auto layer = project.load_layer(a.layer);
    dq.kind = layer->kind().kind;
    app::LayerSet layers;
    layers.add(layer);
    // The equipment the teams hold, when asked (a project without the layer: the service says so).
    if (!vigil::text::trim(a.equipment).empty())
        for (const auto& l : project.layers())
            if (l.kind == app::k_equipment_kind) layers.add(project.load_layer(l.kind));
    const auto graph = load_road_graph(project, load_speeds(a.speeds));
    const auto sheet = app::rank_teams(layers, *graph.graph, dq);

    if (a.json) {
        std::cout << app::to_json(sheet).dump(2) << "\n";
        return k_exit_ok;
    }
    const auto& kind = layer->kind();
    if (sheet.teams.empty()) {
        std::cout << trf("no {} matches near ({:.6f}, {:.6f})", kind.title.text(), dq.at.x, dq.at.y) << "\n";
        for (const auto& note : sheet.notes) std::cout << "  " << trf("note: {}", note) << "\n";
        return k_exit_ok;
    }
    std::cout << trf("{} by road to ({:.6f}, {:.6f}), ETA = turnout + travel time:", kind.title.text(), dq.at.x, dq.at.y) << "\n";
    for (const auto& note : sheet.notes) std::cout << "  " << trf("note: {}", note) << "\n";
    int rank = 0;
    for (const auto& t : sheet.teams) {
        std::string head = t.reachable ? fmt::format("{:>3}. ", ++rank) + trf("ETA {:>8}  (travel {}, {:.2f} km)", minutes(t.eta_s),
                                                                              minutes(t.travel_s), t.road_m / 1000)
                                       : "  -  " + trf("unreachable by road ({:.2f} km as the crow flies)", t.air_m / 1000);
        std::string line = fmt::format("{}  {:<10} {}", head, t.id, t.name);
        if (!t.phone.empty()) line += "  " + trf("duty phone {}", t.phone);
        if (!t.status.empty()) line += "  [" + t.status + "]";
        if (!t.capabilities.empty()) line += "  " + t.capabilities;
        if (sheet.equipment_asked) line += "  " + trf("equipment {}", app::equipment_text(sheet, t));
        std::cout << line << "\n";
    }
    return k_exit_ok;
}

void add_common(CLI::App* cmd, QueryArgs& a) {
    cmd->add_option("DB", a.db, tr("Project database"))->required();
    cmd->add_option("--at", a.at,
                    trf("Query point LON,LAT in decimal degrees (WGS84 unless --crs or a prefix: {}/GCJ02, {}/BD09), or a place: an "
                        "enterprise's name, a road in a county (\"{}\")",
                        k_query_amap_word, k_query_baidu_word, k_query_place_example))
        ->required();
    cmd->add_option("--layer,-l", a.layer, trf("Layer kind (rescue_teams, warehouses, enterprises, ... or {})", k_query_layer_example));
    cmd->add_option("--crs", a.crs, tr("CRS of --at: wgs84 (default), cgcs2000, gcj02 (AMap), bd09 (Baidu)"));
    cmd->add_option("--need", a.need, trf("Required capabilities, comma-separated (hazmat,water or {})", k_query_need_example));
    cmd->add_option("--status", a.status, trf("Accepted status(es), comma-separated (available, {} ...)", k_query_status_example));
    cmd->add_option("--where", a.where, tr("FIELD=VALUE[,VALUE...]: only records whose field has one of the values (repeatable)"));
    cmd->add_flag("--json", a.json, tr("JSON output: {\"results\":[{id,name,lon,lat,distance_m,...}]}, nearest first"));
}

} // namespace

void add_nearest_command(CLI::App& app, Runner& run) {
    // The options live in the object the callback shares, not in a function-local static.
    auto args = std::make_shared<QueryArgs>();
    QueryArgs& o = *args;
    auto* cmd =
        app.add_subcommand("nearest", tr("The k records nearest to a point (geodesic distance or travel time by road), with filters"));
    add_common(cmd, o);
    cmd->add_option("-k", o.k, tr("How many"))->check(CLI::Range(1, 100000));
    cmd->add_option("--max-distance", o.max_distance, tr("Only within this many metres (as the crow flies)"))
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--by", o.by, tr("air: geodesic distance (default); road: ETA = turnout + travel time over the roads layer"))
        ->check(CLI::IsMember({"air", "road"}));
    cmd->add_flag("--routes", o.routes, tr("With --by road --json: each route as a GeoJSON LineString (\"route\")"));
    cmd->add_option("--speeds", o.speeds, tr("With --by road: speed profile per road class (default: layers/routing/road_speeds.json)"));
    cmd->add_option("--avoid", o.avoid, tr("With --by road: GeoJSON file of polygons (e.g. vigil zone --geojson) whose roads are closed"));
    cmd->add_option("--avoid-where", o.avoid_where,
                    tr("With --avoid: only the polygons whose PROPERTY has one of the values (e.g. tier=3: the red zone)"));
    cmd->add_option("--max-snap", o.max_snap,
                    tr("With --by road: a point farther than this (m) from every road is unreachable (default 10000)"))
        ->check(CLI::PositiveNumber);
    cmd->add_option("--equipment", o.equipment,
                    trf("With --by road: equipment each team must hold in service itself, TYPE[:COUNT],... e.g. \"{}\" (the equipment "
                        "layer's types; units of unknown status do not count)",
                        k_query_equipment_example));
    cmd->callback([&run, args] {
        run = [args] {
            const QueryArgs& a = *args;
            require_layer(a.layer);
            if (a.by == "road") return nearest_by_road(a);
            if (!a.equipment.empty()) throw UsageError(tr("--equipment needs --by road (the dispatch question)"));
            if (a.routes) throw UsageError(tr("--routes needs --by road"));
            if (!a.avoid.empty() || !a.avoid_where.empty()) throw UsageError(tr("--avoid needs --by road"));
            // One question: answered through the layer's R*Tree, reading only the records it
            // names, instead of loading the whole layer (the same answer; see on_disk_query.hpp).
            auto project = store::Project::open(a.db);
            auto filter = query::Filter::compile(*project.layer_kind(a.layer), filter_spec(a));
            geo::Coord at = query_point(a);
            double max_d = a.max_distance > 0 ? a.max_distance : std::numeric_limits<double>::infinity();
            auto answer = store::nearest_on_disk(project, a.layer, at, a.k, filter, max_d);
            const std::string title = answer.records->kind().title.text();
            return print(a, *answer.records, at, answer.hits, trf("{} nearest to ({:.6f}, {:.6f}):", title, at.x, at.y),
                         trf("no {} nearest to ({:.6f}, {:.6f}) matches", title, at.x, at.y));
        };
    });
}

void add_within_command(CLI::App& app, Runner& run) {
    auto args = std::make_shared<QueryArgs>(); // owned by the callbacks, not a function-local static
    auto* cmd = app.add_subcommand("within", tr("Every record within a radius of a point, nearest first"));
    add_common(cmd, *args);
    cmd->add_option("--radius,-r", args->radius, tr("Radius in metres"))->required()->check(CLI::PositiveNumber);
    cmd->callback([&run, args] {
        run = [args] {
            const QueryArgs& a = *args;
            require_layer(a.layer);
            auto project = store::Project::open(a.db);
            auto filter = query::Filter::compile(*project.layer_kind(a.layer), filter_spec(a));
            geo::Coord at = query_point(a);
            auto answer = store::within_on_disk(project, a.layer, at, a.radius, filter);
            const std::string title = answer.records->kind().title.text();
            return print(a, *answer.records, at, answer.hits, trf("{} within {} m of ({:.6f}, {:.6f}):", title, a.radius, at.x, at.y),
                         trf("no {} within {} m of ({:.6f}, {:.6f}) matches", title, a.radius, at.x, at.y));
        };
    });
}

} // namespace vigil::cli

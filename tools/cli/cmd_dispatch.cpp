// vigil supply / vigil isochrone / vigil coverage: dispatch questions over the road network.

#include "cli_common.hpp"
#include "road_network.hpp"

#include <vigil/catalog/normalize.hpp>
#include <vigil/dispatch/supply.hpp>
#include <vigil/geo/geodesic.hpp>
#include <vigil/query/nearest.hpp>
#include <vigil/routing/isochrone.hpp>
#include <vigil/routing/one_to_many.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>

namespace vigil::cli {

namespace {

using ojson = nlohmann::ordered_json;

std::string minutes_text(double s) { return fmt::format("{:.1f} min", s / 60); }

double round_to(double v, double scale) { return std::round(v * scale) / scale; }

ojson number_or_null(bool ok, double v, double scale) { return ok ? ojson(round_to(v, scale)) : ojson(nullptr); }

std::string record_name(const model::Layer& layer, std::size_t row) {
    const auto* f = layer.kind().field_with_role(catalog::FieldRole::Name);
    return f ? layer.text(row, f->name) : layer.id(row);
}

// "5,10,15,30" -> seconds, ascending.
std::vector<double> parse_minutes(const std::string& text) {
    std::vector<double> out;
    for (const auto& w : parse_words(text)) {
        auto v = vigil::text::parse_double(w);
        if (!v || *v <= 0 || *v > 24 * 60) throw UsageError("--minutes: '" + w + "' is not a number of minutes in 0..1440");
        out.push_back(*v * 60);
    }
    if (out.empty()) throw UsageError("--minutes: give at least one limit, e.g. 5,10,15,30");
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

ojson ring_json(std::span<const geo::Coord> ring) {
    ojson coords = ojson::array();
    for (const auto& c : ring) coords.push_back({round_to(c.x, 1e7), round_to(c.y, 1e7)});
    return coords;
}

// A Polygon / MultiPolygon as a GeoJSON geometry (null when empty).
ojson polygon_json(const geo::Geometry& g) {
    if (g.is_empty()) return nullptr;
    if (g.type == geo::GeometryType::Polygon) {
        ojson rings = ojson::array();
        for (std::size_t r = 0; r < g.ring_count(); ++r) rings.push_back(ring_json(g.ring(r)));
        return {{"type", "Polygon"}, {"coordinates", std::move(rings)}};
    }
    ojson polys = ojson::array();
    for (std::size_t p = 0; p + 1 < g.polygon_starts.size(); ++p) {
        ojson rings = ojson::array();
        for (std::uint32_t r = g.polygon_starts[p]; r < g.polygon_starts[p + 1]; ++r) rings.push_back(ring_json(g.ring(r)));
        polys.push_back(std::move(rings));
    }
    return {{"type", "MultiPolygon"}, {"coordinates", std::move(polys)}};
}

// Area of a lon/lat polygon set in km2 (local equirectangular projection: isochrones span tens of
// kilometres, where its error is far below the raster's).
double area_km2(const geo::Geometry& g) {
    if (g.is_empty()) return 0;
    const auto box = g.bbox();
    const double lat0 = (box.min_y + box.max_y) / 2 * M_PI / 180;
    const double kx = 111.320 * std::cos(lat0), ky = 110.574;
    double sum = 0;
    for (std::size_t r = 0; r < g.ring_count(); ++r) {
        auto ring = g.ring(r);
        double a = 0;
        for (std::size_t i = 0; i + 1 < ring.size(); ++i) a += ring[i].x * kx * ring[i + 1].y * ky - ring[i + 1].x * kx * ring[i].y * ky;
        sum += a / 2;  // outer rings counter-clockwise (+), holes clockwise (-)
    }
    return std::fabs(sum);
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

void add_point_options(CLI::App* cmd, DispatchArgs& a, const char* what, bool required) {
    auto* at = cmd->add_option("--at", a.at, std::string(what) + " LON,LAT (WGS84 unless --crs)");
    if (required) at->required();
    cmd->add_option("--crs", a.crs, "CRS of --at: wgs84 (default), cgcs2000, gcj02 (AMap), bd09 (Baidu)");
}

void add_road_options(CLI::App* cmd, DispatchArgs& a) {
    cmd->add_option("DB", a.db, "Project database")->required();
    cmd->add_option("--speeds", a.speeds, "Speed profile per road class (default: layers/routing/road_speeds.json)");
    cmd->add_option("--avoid", a.avoid, "GeoJSON file of polygons (e.g. vigil zone --geojson) whose roads are closed");
    cmd->add_option("--avoid-where", a.avoid_where, "With --avoid: only the polygons whose PROPERTY has one of the values (e.g. tier=3: the red zone)");
    cmd->add_option("--max-snap", a.max_snap, "A point farther than this (m) from every road is unreachable (default 10000)")
        ->check(CLI::PositiveNumber);
}

// [vigil supply] ------------------------------------------------------------------------------

// The stock item catalogue: --items FILE, else supplies/stock_items.json under the layer
// catalogue folder (a synonym added there counts at once), else the copy compiled in.
dispatch::ItemNames load_item_names(const std::string& file) {
    const auto f = read_catalogue_file(file, std::filesystem::path("supplies") / "stock_items.json", "stock item file (--items)");
    return f ? dispatch::ItemNames::parse(f->text, f->path) : dispatch::ItemNames::builtin();
}

int run_supply(const DispatchArgs& a) {
    const auto needs = dispatch::parse_needs(a.needs);
    const auto item_names = load_item_names(a.items);
    auto project = store::Project::open(a.db);
    auto layer = project.load_layer(a.layer);
    const auto& kind = layer->kind();
    const catalog::Field* stock_field = nullptr;
    for (const auto& f : kind.fields)
        if (f.type == catalog::FieldType::List && f.name == "stock") stock_field = &f;
    if (!stock_field) throw UsageError("layer " + kind.kind + " has no stock list: use --layer warehouses");
    const std::size_t stock_index = *kind.field_index(stock_field->name);
    const geo::Coord at = query_point(a.at, a.crs);
    const auto graph = load_road_graph(project, load_speeds(a.speeds));
    const auto closed = closed_segments(graph, a.avoid, a.avoid_where);

    std::vector<geo::Coord> points;
    std::vector<dispatch::Depot> depots(layer->size());
    for (std::size_t row = 0; row < layer->size(); ++row) {
        points.push_back(record_point(*layer, row));
        const auto& v = layer->value(row, stock_index);
        if (const auto* text = std::get_if<std::string>(&v))
            depots[row].stock = dispatch::parse_stock(*text, a.db + ": " + kind.kind + " " + layer->id(row));
    }
    routing::Router router(graph);
    routing::SearchOptions options;
    options.max_snap_m = a.max_snap;
    options.closed_segments = closed;
    const auto t0 = std::chrono::steady_clock::now();
    const auto travel = router.to_incident(at, points, options);
    const double search_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    for (std::size_t row = 0; row < depots.size(); ++row) {
        depots[row].reachable = travel[row].reachable;
        depots[row].eta_s = travel[row].travel_s;
    }
    const auto plan = dispatch::plan_supply(needs, depots, item_names);
    const std::string headline = dispatch::supply_headline(plan, needs);

    // Counts print bare ("沙袋 3000"); JSON keeps the canonical symbol ("item").
    auto unit_of = [&](std::size_t n) { return std::string(needs[n].unit->symbol); };
    auto shown_unit = [&](std::size_t n) { return needs[n].unit->dimension == units::Dimension::Count ? std::string() : " " + unit_of(n); };
    auto amount = [&](double q, std::size_t n) { return vigil::text::format_double(round_to(q, 1e3)) + shown_unit(n); };
    auto seconds_or_null = [](double s) { return number_or_null(std::isfinite(s), s, 10); };
    if (a.json) {
        ojson out;
        out["query"] = {{"layer", kind.kind}, {"lon", at.x}, {"lat", at.y}, {"by", "road"}, {"closed_segments", closed.size()},
                        {"search_ms", round_to(search_ms, 100)}};
        out["headline"] = headline;
        out["complete"] = plan.complete;
        out["first_arrival_s"] = round_to(plan.first_arrival_s, 10);
        out["arrival_s"] = round_to(plan.arrival_s, 10);
        ojson jneeds = ojson::array();
        for (std::size_t n = 0; n < needs.size(); ++n) {
            ojson from = ojson::array();
            for (const auto& al : plan.allocations)
                if (al.need == n)
                    from.push_back({{"id", layer->id(al.depot)}, {"quantity", round_to(al.quantity, 1e6)}, {"eta_s", round_to(al.eta_s, 10)}});
            jneeds.push_back({{"item", needs[n].item}, {"quantity", needs[n].quantity}, {"unit", unit_of(n)},
                              {"available", round_to(plan.available[n], 1e6)}, {"shortfall", round_to(plan.shortfall[n], 1e6)},
                              {"first_s", seconds_or_null(plan.first_s[n])}, {"covered_s", seconds_or_null(plan.covered_s[n])},
                              {"from", std::move(from)}});
        }
        out["needs"] = std::move(jneeds);
        ojson jdepots = ojson::array();
        for (std::size_t d : plan.depots) {
            ojson gives = ojson::array();
            for (const auto& al : plan.allocations)
                if (al.depot == d) gives.push_back({{"item", needs[al.need].item}, {"quantity", round_to(al.quantity, 1e6)}, {"unit", unit_of(al.need)}});
            jdepots.push_back({{"id", layer->id(d)}, {"name", record_name(*layer, d)}, {"lon", points[d].x}, {"lat", points[d].y},
                               {"eta_s", round_to(travel[d].travel_s, 10)}, {"road_distance_m", round_to(travel[d].road_distance_m, 10)},
                               {"gives", std::move(gives)}});
        }
        out["warehouses"] = std::move(jdepots);
        out["notes"] = plan.notes;
        std::cout << out.dump(2) << "\n";
        return k_exit_ok;
    }
    std::cout << fmt::format("{} for ({:.6f}, {:.6f}) by road: {}\n", kind.title.zh, at.x, at.y, headline);
    // Per need: what arrives when, soonest first, then when it is covered or what is missing.
    for (std::size_t n = 0; n < needs.size(); ++n) {
        std::string split;
        for (const auto& al : plan.allocations)
            if (al.need == n) split += fmt::format("{}{} at {} ({})", split.empty() ? "" : ", ", amount(al.quantity, n), minutes_text(al.eta_s), layer->id(al.depot));
        const std::string end = plan.shortfall[n] > 0 ? fmt::format("shortfall {} (all reachable warehouses hold {})", amount(plan.shortfall[n], n), amount(plan.available[n], n))
                                                      : "covered at " + minutes_text(plan.covered_s[n]);
        std::cout << fmt::format("  {} {}: {}{}\n", needs[n].item, amount(needs[n].quantity, n), split.empty() ? "" : split + "; ", end);
    }
    for (std::size_t d : plan.depots) {
        std::string gives;
        for (const auto& al : plan.allocations)
            if (al.depot == d) gives += fmt::format("{}{} {}", gives.empty() ? "" : "、", needs[al.need].item, amount(al.quantity, al.need));
        std::cout << fmt::format("  ETA {:>8}  {:<8} {}  ({:.2f} km): {}\n", minutes_text(travel[d].travel_s), layer->id(d), record_name(*layer, d),
                                 travel[d].road_distance_m / 1000, gives);
    }
    for (const auto& note : plan.notes) std::cout << "  note: " << note << "\n";
    return k_exit_ok;
}

// [vigil isochrone] ---------------------------------------------------------------------------

// The start points: --at, or every record of --from-layer that passes --need/--status.
std::vector<geo::Coord> start_points(const DispatchArgs& a, const store::Project& project, std::string& what) {
    if (!a.from_layer.empty()) {
        if (!a.at.empty()) throw UsageError("give either --at or --from-layer, not both");
        auto layer = project.load_layer(a.from_layer);
        query::FilterSpec spec;
        spec.need = parse_words(a.need);
        spec.status = parse_words(a.status);
        auto filter = query::Filter::compile(layer->kind(), spec);
        std::vector<geo::Coord> points;
        for (std::size_t row = 0; row < layer->size(); ++row)
            if (filter.accept(*layer, row)) points.push_back(record_point(*layer, row));
        what = fmt::format("{} {}", points.size(), layer->kind().title.zh);
        if (points.empty()) throw UsageError("no record of " + layer->kind().kind + " matches --need/--status");
        return points;
    }
    if (!a.need.empty() || !a.status.empty()) throw UsageError("--need and --status go with --from-layer");
    if (a.at.empty()) throw UsageError("give the start: --at LON,LAT or --from-layer LAYER [--need ...]");
    auto p = query_point(a.at, a.crs);
    what = fmt::format("({:.6f}, {:.6f})", p.x, p.y);
    return {p};
}

int run_isochrone(const DispatchArgs& a) {
    const auto limits = parse_minutes(a.minutes);
    auto project = store::Project::open(a.db);
    std::string what;
    const auto points = start_points(a, project, what);
    const auto graph = load_road_graph(project, load_speeds(a.speeds));
    const auto closed = closed_segments(graph, a.avoid, a.avoid_where);
    routing::Router router(graph);
    routing::SearchOptions options;
    options.max_snap_m = a.max_snap;
    options.closed_segments = closed;
    const auto direction = a.direction == "to" ? routing::TravelDirection::to_points : routing::TravelDirection::from_points;
    const auto t0 = std::chrono::steady_clock::now();
    const auto times = router.node_times(points, limits.back(), direction, options);
    const auto t1 = std::chrono::steady_clock::now();
    const auto bands = routing::isochrone_polygons(graph, times, limits);
    const auto t2 = std::chrono::steady_clock::now();
    const double search_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
    const double polygon_ms = std::chrono::duration<double, std::milli>(t2 - t1).count();

    auto nodes_within = [&](double limit) {
        return static_cast<std::size_t>(std::count_if(times.time_s.begin(), times.time_s.end(), [&](double t) { return t <= limit; }));
    };
    if (!a.geojson.empty()) {
        ojson features = ojson::array();
        for (const auto& b : bands)
            features.push_back({{"type", "Feature"},
                                {"properties", {{"minutes", b.limit_s / 60}, {"direction", a.direction}, {"area_km2", round_to(area_km2(b.area), 1000)},
                                                {"nodes", nodes_within(b.limit_s)}}},
                                {"geometry", polygon_json(b.area)}});
        write_text_file(a.geojson, ojson{{"type", "FeatureCollection"}, {"features", std::move(features)}}.dump() + "\n");
    }
    if (a.json) {
        ojson out;
        out["query"] = {{"start", what}, {"points", points.size()}, {"direction", a.direction}, {"closed_segments", closed.size()},
                        {"search_ms", round_to(search_ms, 100)}, {"polygon_ms", round_to(polygon_ms, 100)}};
        ojson jb = ojson::array();
        for (const auto& b : bands)
            jb.push_back({{"minutes", b.limit_s / 60}, {"nodes", nodes_within(b.limit_s)}, {"area_km2", round_to(area_km2(b.area), 1000)},
                          {"geometry", polygon_json(b.area)}});
        out["bands"] = std::move(jb);
        std::cout << out.dump(2) << "\n";
        return k_exit_ok;
    }
    std::cout << fmt::format("reachable {} {} by road (search {:.1f} ms, polygons {:.1f} ms):\n", a.direction == "to" ? "towards" : "from",
                             what, search_ms, polygon_ms);
    for (const auto& b : bands)
        std::cout << fmt::format("  {:>5} min  {:>9.2f} km2  {:>8} road nodes\n", vigil::text::format_double(b.limit_s / 60), area_km2(b.area),
                                 nodes_within(b.limit_s));
    if (!a.geojson.empty()) std::cout << "polygons written to " << a.geojson << "\n";
    return k_exit_ok;
}

// [vigil coverage] ----------------------------------------------------------------------------

// For each target record: the soonest capable team, ETA = turnout + travel, from one search per
// target over the reversed graph (PHAST: milliseconds each). Gaps are the targets no team
// reaches within the limit.
int run_coverage(const DispatchArgs& a) {
    auto project = store::Project::open(a.db);
    const std::string team_layer_name = a.from_layer.empty() ? "rescue_teams" : a.from_layer;
    auto teams = project.load_layer(team_layer_name);
    query::FilterSpec spec;
    spec.need = parse_words(a.need);
    spec.status = parse_words(a.status);
    auto filter = query::Filter::compile(teams->kind(), spec);
    std::vector<std::size_t> team_rows;
    std::vector<geo::Coord> team_points;
    std::vector<double> turnout;
    for (std::size_t row = 0; row < teams->size(); ++row) {
        if (!filter.accept(*teams, row)) continue;
        team_rows.push_back(row);
        team_points.push_back(record_point(*teams, row));
        turnout.push_back(record_turnout_s(*teams, row));
    }
    const auto graph = load_road_graph(project, load_speeds(a.speeds));
    const auto closed = closed_segments(graph, a.avoid, a.avoid_where);
    routing::Router router(graph);
    routing::SearchOptions options;
    options.max_snap_m = a.max_snap;
    options.closed_segments = closed;
    const double limit_s = a.coverage_minutes * 60;

    struct Gap {
        std::string layer, id, name;
        geo::Coord at;
        bool reachable = false;
        double eta_s = 0;
        std::string best_team;
    };
    std::vector<Gap> gaps;
    std::size_t checked = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (const auto& target_kind : parse_words(a.targets)) {
        auto layer = project.load_layer(target_kind);
        for (std::size_t row = 0; row < layer->size(); ++row) {
            ++checked;
            const geo::Coord at = record_point(*layer, row);
            Gap g{layer->kind().kind, layer->id(row), record_name(*layer, row), at};
            if (!team_points.empty()) {
                const auto travel = router.to_incident(at, team_points, options);
                const auto ranked = routing::rank_by_eta(travel, turnout);
                if (!ranked.empty() && std::isfinite(ranked.front().eta_s)) {
                    g.reachable = true;
                    g.eta_s = ranked.front().eta_s;
                    g.best_team = teams->id(team_rows[ranked.front().index]);
                }
            }
            if (!g.reachable || g.eta_s > limit_s) gaps.push_back(std::move(g));
        }
    }
    const double total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    // Worst first: unreachable, then by ETA.
    std::stable_sort(gaps.begin(), gaps.end(), [](const Gap& x, const Gap& y) {
        if (x.reachable != y.reachable) return !x.reachable;
        return x.eta_s > y.eta_s;
    });

    if (!a.geojson.empty()) {
        ojson features = ojson::array();
        for (const auto& g : gaps)
            features.push_back({{"type", "Feature"},
                                {"properties", {{"layer", g.layer}, {"id", g.id}, {"name", g.name}, {"reachable", g.reachable},
                                                {"eta_s", number_or_null(g.reachable, g.eta_s, 10)}, {"best_team", g.best_team}}},
                                {"geometry", {{"type", "Point"}, {"coordinates", {round_to(g.at.x, 1e7), round_to(g.at.y, 1e7)}}}}});
        write_text_file(a.geojson, ojson{{"type", "FeatureCollection"}, {"features", std::move(features)}}.dump() + "\n");
    }
    if (a.json) {
        ojson out;
        out["query"] = {{"teams", team_points.size()}, {"need", parse_words(a.need)}, {"minutes", a.coverage_minutes}, {"targets", checked},
                        {"closed_segments", closed.size()}, {"total_ms", round_to(total_ms, 10)}};
        ojson jg = ojson::array();
        for (const auto& g : gaps)
            jg.push_back({{"layer", g.layer}, {"id", g.id}, {"name", g.name}, {"lon", g.at.x}, {"lat", g.at.y}, {"reachable", g.reachable},
                          {"eta_s", number_or_null(g.reachable, g.eta_s, 10)}, {"best_team", g.best_team}});
        out["gaps"] = std::move(jg);
        std::cout << out.dump(2) << "\n";
        return k_exit_ok;
    }
    std::cout << fmt::format("{} of {} targets are not reached within {} min by any of {} team{}{} ({:.0f} ms):\n", gaps.size(), checked,
                             vigil::text::format_double(a.coverage_minutes), team_points.size(), team_points.size() == 1 ? "" : "s",
                             a.need.empty() ? "" : " with " + a.need, total_ms);
    for (const auto& g : gaps) {
        std::string head = g.reachable ? fmt::format("ETA {:>8} ({})", minutes_text(g.eta_s), g.best_team) : std::string("unreachable by road   ");
        std::cout << fmt::format("  {}  {:<15} {:<10} {}\n", head, g.layer, g.id, g.name);
    }
    return k_exit_ok;
}

} // namespace

void add_supply_command(CLI::App& app, Runner& run) {
    static DispatchArgs a;
    auto* cmd = app.add_subcommand("supply", "What the warehouses send for the needed supplies, soonest first, with times per warehouse (and any shortfall)");
    add_road_options(cmd, a);
    add_point_options(cmd, a, "Incident", true);
    cmd->add_option("--need", a.needs, "Needed items ITEM:QUANTITY[UNIT],... e.g. \"中和剂:5t,吸附棉:2000kg,沙袋:3000\"")->required();
    cmd->add_option("--layer,-l", a.layer, "Layer with stock lists (default: warehouses)");
    cmd->add_option("--items", a.items, "Stock item synonyms (default: layers/supplies/stock_items.json)");
    cmd->add_flag("--json", a.json,
                  "JSON output: headline, complete, first_arrival_s, arrival_s, needs (from with eta_s, first_s, covered_s, shortfall), "
                  "warehouses (eta_s, gives), notes");
    cmd->callback([&run] { run = [] { return run_supply(a); }; });
}

void add_isochrone_command(CLI::App& app, Runner& run) {
    static DispatchArgs a;
    auto* cmd = app.add_subcommand("isochrone", "Areas reachable by road within 5/10/15/30 minutes of a point or of every team of a capability");
    add_road_options(cmd, a);
    add_point_options(cmd, a, "Start point", false);
    cmd->add_option("--from-layer", a.from_layer, "Start from every record of this layer instead (e.g. rescue_teams)");
    cmd->add_option("--need", a.need, "With --from-layer: required capabilities, comma-separated (hazmat,...)");
    cmd->add_option("--status", a.status, "With --from-layer: accepted status(es)");
    cmd->add_option("--minutes", a.minutes, "Limits in minutes, comma-separated (default 5,10,15,30)");
    cmd->add_option("--direction", a.direction, "from: driving away from the start (default); to: driving towards it")
        ->check(CLI::IsMember({"from", "to"}));
    cmd->add_option("--geojson", a.geojson, "Write the bands as a GeoJSON FeatureCollection (one MultiPolygon per limit)");
    cmd->add_flag("--json", a.json, "JSON output with the polygons");
    cmd->callback([&run] { run = [] { return run_isochrone(a); }; });
}

void add_coverage_command(CLI::App& app, Runner& run) {
    static DispatchArgs a;
    auto* cmd = app.add_subcommand("coverage", "Enterprises and hazard sources that no capable team reaches in time (the planners' gap map)");
    add_road_options(cmd, a);
    cmd->add_option("--need", a.need, "Required capabilities of the teams, comma-separated (hazmat,...)");
    cmd->add_option("--status", a.status, "Accepted team status(es) (default: any)");
    cmd->add_option("--minutes", a.coverage_minutes, "Time limit: ETA = turnout + travel (default 15)")->check(CLI::PositiveNumber);
    cmd->add_option("--teams", a.from_layer, "Team layer (default rescue_teams)");
    cmd->add_option("--targets", a.targets, "Layers to check, comma-separated (default enterprises,hazard_sources)");
    cmd->add_option("--geojson", a.geojson, "Write the gaps as GeoJSON points");
    cmd->add_flag("--json", a.json, "JSON output: gaps (layer, id, name, reachable, eta_s, best_team), worst first");
    cmd->callback([&run] { run = [] { return run_coverage(a); }; });
}

} // namespace vigil::cli

/// @file
/// The Dispatch panel's logic: gathering teams and warehouses for core's router and supply
/// chooser, and writing the sheet.

#include "dispatch.hpp"

#include "app_state.hpp"
#include "record_details.hpp"

#include <vigil/catalog/normalize.hpp>
#include <vigil/geo/geodesic.hpp>
#include <vigil/model/layer.hpp>
#include <vigil/store/road_graph_store.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace vigil::viewer {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

/// The stored graph when current, else one built from the layer (see RoadNetwork). The speeds
/// are the built-in ones, the numbers of layers/routing/road_speeds.json, which `vigil nearest
/// --by road` reads by default: the panel and the command line rank alike. (The browser build
/// has no catalogue directory to read the file from.)
RoadNetwork::Obtained obtain_graph(const model::Layer& roads, const std::filesystem::path& database) {
    const auto t0 = Clock::now();
    RoadNetwork::Obtained out;
    const routing::SpeedProfile speeds = routing::SpeedProfile::defaults();
    if (!database.empty()) {
        try {
            const auto project = store::Project::open(database);
            if (auto g = store::load_stored_road_graph(project, store::road_graph_stamp(project, speeds))) {
                out.graph = std::make_shared<const routing::RoadGraph>(std::move(*g));
                out.from_store = true;
            }
        } catch (const std::exception& e) {
            // A damaged stored graph must not stop dispatch: the layer has everything needed.
            // The panel says why the stored one was not used.
            out.note = std::string("数据库中的道路网无法读取，已由图层构建 the stored road graph is unreadable, built from the layer: ") + e.what();
        }
    }
    if (!out.graph) out.graph = std::make_shared<const routing::RoadGraph>(routing::RoadGraph::from_layer(roads, speeds));
    out.ms = ms_since(t0);
    return out;
}

/// A point for any geometry: the point itself, else a representative point (as the CLI does).
geo::Coord anchor(const geo::Geometry& g) { return g.type == geo::GeometryType::Point ? g.coords[0] : geo::representative_point(g); }

std::string field_text(const model::Layer& layer, std::size_t row, catalog::FieldRole role) {
    const auto& kind = layer.kind();
    const auto i = kind.index_of_role(role);
    return i ? catalog::display_value(kind.fields[*i], layer.value(row, *i)) : std::string();
}

double number_of(const model::Value& v) {
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    return 0; // a team without turnout time: 0 min, as rank_by_eta documents and the CLI does
}

std::string fixed(double v, int decimals) {
    if (!std::isfinite(v)) return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string csv_cell(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

nlohmann::ordered_json coords_json(std::span<const geo::Coord> pts) {
    auto a = nlohmann::ordered_json::array();
    for (const auto& c : pts) a.push_back({std::round(c.x * 1e7) / 1e7, std::round(c.y * 1e7) / 1e7});
    return a;
}

nlohmann::ordered_json number_or_null(double v, double scale) {
    return std::isfinite(v) ? nlohmann::ordered_json(std::round(v * scale) / scale) : nlohmann::ordered_json(nullptr);
}

// The supply part of the sheet: the needs that parse (the others flagged), the warehouses'
// ETAs and core's plan, laid out for the panel and the sheet.
void plan_supplies(DispatchSheet& sheet, const LayerView* wh, const routing::RoadGraph& graph, geo::Coord target,
                   const routing::SearchOptions& options, const std::string& needs_text) {
    auto read = dispatch::read_needs(needs_text);
    sheet.supply_problems = std::move(read.problems);
    const auto& needs = read.needs;
    if (needs.empty()) return;
    if (!wh) throw UsageError("此项目没有物资仓库图层 this project has no warehouses layer");
    const model::Layer& wl = *wh->layer;
    const auto stock_field = wl.kind().field_index("stock");
    std::vector<std::size_t> rows;
    std::vector<geo::Coord> at;
    for (std::size_t r = 0; r < wl.size(); ++r) {
        if (!wh->row_shown(r) || wl.geometry(r).is_empty()) continue;
        rows.push_back(r);
        at.push_back(anchor(wl.geometry(r)));
    }
    routing::Router wrouter(graph);
    const auto wtravel = wrouter.to_incident(target, at, options);
    std::vector<dispatch::Depot> depots(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        depots[i].reachable = wtravel[i].reachable;
        depots[i].eta_s = wtravel[i].travel_s;
        if (stock_field)
            if (const auto* s = std::get_if<std::string>(&wl.value(rows[i], *stock_field)))
                depots[i].stock = dispatch::parse_stock(*s, "warehouse " + wl.id(rows[i]) + " stock");
    }
    const auto plan = dispatch::plan_supply(needs, depots);
    auto shown_unit = [&](std::size_t n) {
        return needs[n].unit->dimension == units::Dimension::Count ? std::string() : std::string(needs[n].unit->symbol);
    };
    for (std::size_t d : plan.depots) {
        DispatchDepot dd;
        dd.row = rows[d];
        dd.id = wl.id(rows[d]);
        dd.name = record_title(wl, rows[d]);
        dd.at = at[d];
        dd.eta_s = depots[d].eta_s;
        for (const auto& a : plan.allocations)
            if (a.depot == d)
                dd.gives.push_back(needs[a.need].item + " " + text::format_double(a.quantity) + " " + std::string(needs[a.need].unit->symbol));
        dd.route = wrouter.route(d);
        sheet.depots.push_back(std::move(dd));
    }
    for (std::size_t n = 0; n < needs.size(); ++n) {
        DispatchNeed dn{needs[n].item, shown_unit(n), needs[n].quantity, {}, plan.covered_s[n]};
        for (const auto& a : plan.allocations)
            if (a.need == n) dn.parts.push_back({wl.id(rows[a.depot]), record_title(wl, rows[a.depot]), a.quantity, a.eta_s});
        sheet.supply_needs.push_back(std::move(dn));
        if (plan.shortfall[n] > 0)
            sheet.shortfall.push_back({needs[n].item, std::string(needs[n].unit->symbol), needs[n].quantity, plan.available[n], plan.shortfall[n]});
    }
    sheet.supply_complete = plan.complete;
    sheet.supply_first_s = plan.first_arrival_s;
    sheet.supply_arrival_s = plan.arrival_s;
    sheet.supply_headline = dispatch::supply_headline(plan, needs);
    sheet.notes.insert(sheet.notes.end(), plan.notes.begin(), plan.notes.end());
}

} // namespace

// [RoadNetwork] -----------------------------------------------------------------------------

RoadNetwork::~RoadNetwork() {
    m_job.wait(); // the worker reads m_roads' layer
}

void RoadNetwork::reset(std::shared_ptr<const model::Layer> roads, std::filesystem::path database) {
    m_job.wait();
    m_job = {};
    m_roads = std::move(roads);
    m_database = std::move(database);
    m_graph.reset();
    m_started = false;
    m_error.clear();
    m_built = {};
}

void RoadNetwork::start() {
    if (m_started) return;
    m_started = true;
    if (!m_roads || m_roads->empty()) {
        m_error = "此项目没有道路图层 this project has no roads: import a road layer (vigil import DB FILE --layer roads)";
        return;
    }
    // Off the frame's thread on both platforms (platform/jobs.hpp): a graph built from a large
    // roads layer takes seconds.
    m_job = platform::BackgroundJob<Obtained>::start([roads = m_roads, database = m_database] { return obtain_graph(*roads, database); });
}

void RoadNetwork::collect() {
    if (!m_job.ready()) return;
    try {
        m_built = m_job.take();
        m_graph = std::move(m_built.graph);
    } catch (const std::exception& e) {
        m_error = std::string("道路网构建失败 road graph: ") + e.what();
    }
}

const routing::RoadGraph* RoadNetwork::graph() {
    collect();
    return m_graph.get();
}

bool RoadNetwork::building() {
    collect();
    return m_job.running();
}

void RoadNetwork::wait() {
    m_job.wait();
    collect();
}

// [Dispatch] --------------------------------------------------------------------------------

DispatchSheet run_dispatch(const std::vector<LayerView>& layers, const routing::RoadGraph& graph, const DispatchQuery& q) {
    const auto t0 = Clock::now();
    DispatchSheet sheet;
    sheet.query = q;
    auto find = [&](std::string_view kind) -> const LayerView* {
        for (const auto& l : layers)
            if (l.kind().kind == kind) return &l;
        return nullptr;
    };
    const LayerView* teams = find(q.kind);
    if (!teams) {
        sheet.error = "此项目没有图层 this project has no layer '" + q.kind + "'";
        return sheet;
    }
    try {
        // Closures: the segments inside the closed areas are masked for every search below.
        std::vector<std::uint32_t> closed;
        if (!q.closures.empty()) closed = graph.segments_in(closure_geometry(q.closures));
        sheet.closed_segments = closed.size();
        routing::SearchOptions options;
        options.closed_segments = closed;
        geo::Coord target = q.at;
        if (!closed.empty()) {
            // Nobody drives into a closed area: when the incident lies in one (or its road is
            // closed), the teams go to the nearest road node outside the closures that an open
            // road leaves (a closed segment can only be entered at its ends, so a point on one
            // is unreachable).
            const geo::Geometry area = closure_geometry(q.closures);
            std::vector<std::uint8_t> shut(graph.segment_count(), 0);
            for (auto s : closed) shut[s] = 1;
            const auto snap = graph.snap(q.at, options.max_snap_m);
            if (geo::contains(area, q.at) || (snap && shut[snap->segment])) {
                double best = std::numeric_limits<double>::infinity();
                for (std::uint32_t n = 0; n < graph.node_count(); ++n) {
                    const geo::Coord c = graph.node(n);
                    const double d = geo::haversine_m(q.at, c);
                    if (d >= best || geo::contains(area, c)) continue;
                    bool open = false;
                    for (const auto& arc : graph.out_arcs(n)) open |= !shut[arc.segment];
                    for (const auto& arc : graph.in_arcs(n)) open |= !shut[arc.segment];
                    if (open) {
                        best = d;
                        target = c;
                    }
                }
                if (std::isfinite(best)) {
                    sheet.staging = target;
                    sheet.notes.push_back("集结点 staging: " + text::format_double(std::round(geo::geodesic_distance_m(q.at, target))) +
                                          " m from the incident, the nearest open road outside the closed area");
                }
            }
        }

        // The teams: every record that passes the filter, nearest first as the crow flies (the
        // order `vigil nearest --by road` hands the router, so ties in ETA break the same way).
        const model::Layer& layer = *teams->layer;
        auto filter = query::Filter::compile(layer.kind(), q.filter);
        const auto hits = query::nearest(layer, q.at, std::max<std::size_t>(1, layer.size()), filter);
        const auto turnout_field = layer.kind().index_of_role(catalog::FieldRole::Turnout);
        std::vector<geo::Coord> points;
        std::vector<double> turnout_s;
        for (const auto& h : hits) {
            points.push_back(anchor(layer.geometry(h.row)));
            turnout_s.push_back(turnout_field ? number_of(layer.value(h.row, *turnout_field)) * 60 : 0);
        }
        routing::Router router(graph);
        const auto travel = router.to_incident(target, points, options);
        for (const auto& rk : routing::rank_by_eta(travel, turnout_s)) {
            const auto& h = hits[rk.index];
            const auto& tt = travel[rk.index];
            DispatchTeam t;
            t.row = h.row;
            t.id = layer.id(h.row);
            t.name = record_title(layer, h.row);
            t.status = field_text(layer, h.row, catalog::FieldRole::Status);
            t.capabilities = field_text(layer, h.row, catalog::FieldRole::Capabilities);
            t.at = points[rk.index];
            t.air_m = h.distance_m;
            t.reachable = tt.reachable;
            t.turnout_s = turnout_s[rk.index];
            t.eta_s = rk.eta_s;
            t.travel_s = tt.travel_s;
            t.road_m = tt.road_distance_m;
            if (tt.reachable) t.route = router.route(rk.index);
            sheet.teams.push_back(std::move(t));
        }

        // Supplies: the warehouses' ETAs (no turnout: a warehouse loads while the team drives)
        // and the plan. In its own try: a typo in the needs, or a project without warehouses,
        // is flagged under the supplies and never costs the dispatcher the team list.
        if (!text::trim(q.needs).empty()) {
            sheet.supplies_asked = true;
            try {
                plan_supplies(sheet, find("warehouses"), graph, target, options, q.needs);
            } catch (const Error& e) {
                sheet.supply_problems.push_back(e.what());
            }
        }

        // Isochrones: from where is the incident reached within 5/10/15/30 min (teams drive to it).
        if (!q.isochrone_minutes.empty()) {
            std::vector<double> limits;
            for (double m : q.isochrone_minutes) limits.push_back(m * 60);
            std::sort(limits.begin(), limits.end());
            const geo::Coord incident[] = {target};
            const auto times = router.node_times(incident, limits.back(), routing::TravelDirection::to_points, options);
            for (auto& band : routing::isochrone_polygons(graph, times, limits))
                sheet.isochrones.push_back({band.limit_s / 60, std::move(band.area)});
        }
    } catch (const Error& e) {
        DispatchSheet failed;
        failed.query = q;
        failed.error = e.what();
        return failed;
    }
    sheet.query_ms = ms_since(t0);
    return sheet;
}

RouteStyle route_style(std::size_t rank, std::size_t top_n) {
    // Rank 1 the warmest: the dispatcher's eye goes to red first. Eight distinct colours, then
    // they repeat (top_n is capped at 20 by the panel).
    static constexpr Rgba k_palette[] = {{211, 47, 47, 255}, {245, 124, 0, 255}, {251, 192, 45, 255}, {56, 142, 60, 255},
                                         {0, 151, 167, 255}, {25, 118, 210, 255}, {94, 53, 177, 255}, {194, 24, 91, 255}};
    if (rank == 0 || rank > top_n) return {Rgba{97, 97, 97, 150}, 1.5f, false};
    return {k_palette[(rank - 1) % std::size(k_palette)], rank == 1 ? 5.0f : 4.0f, true};
}

geo::Geometry closure_geometry(const std::vector<Rings>& closures) {
    if (closures.size() == 1) return geo::Geometry::polygon(closures[0]);
    return geo::Geometry::multi_polygon(closures);
}

std::vector<FillSpan> fill_spans(const std::vector<std::vector<geo::Coord>>& rings, double y0, double y1, double step) {
    // An edge table sorted by top y, an active list swept down the rows: each row costs the
    // edges that cross it, not all of them.
    struct Edge {
        double top, bottom, x_top, slope;
    };
    std::vector<Edge> edges;
    for (const auto& r : rings)
        for (std::size_t i = 1; i < r.size(); ++i) {
            geo::Coord a = r[i - 1], b = r[i];
            if (a.y == b.y || !std::isfinite(a.y) || !std::isfinite(b.y)) continue;
            if (a.y > b.y) std::swap(a, b);
            edges.push_back({a.y, b.y, a.x, (b.x - a.x) / (b.y - a.y)});
        }
    std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) { return a.top < b.top; });
    std::vector<FillSpan> spans;
    std::vector<const Edge*> active;
    std::vector<double> xs;
    std::size_t next = 0;
    for (double y = y0 + step / 2; y < y1; y += step) { // sample at the band's middle
        while (next < edges.size() && edges[next].top <= y) active.push_back(&edges[next++]);
        std::erase_if(active, [&](const Edge* e) { return e->bottom <= y; });
        xs.clear();
        for (const Edge* e : active)
            if (e->top <= y) xs.push_back(e->x_top + (y - e->top) * e->slope);
        std::sort(xs.begin(), xs.end());
        const float top = static_cast<float>(y - step / 2);
        for (std::size_t i = 0; i + 1 < xs.size(); i += 2) spans.push_back({top, static_cast<float>(xs[i]), static_cast<float>(xs[i + 1])});
    }
    return spans;
}

std::string format_minutes(double seconds) {
    if (!std::isfinite(seconds)) return "—";
    return fixed(seconds / 60, 1) + " min";
}

std::string dispatch_csv(const DispatchSheet& sheet) {
    std::ostringstream out;
    out << "\xEF\xBB\xBF" << "type,rank,id,name,reachable,eta_min,travel_min,turnout_min,road_km,air_km,lon,lat,detail\r\n";
    auto row = [&](std::initializer_list<std::string> cells) {
        bool first = true;
        for (const auto& c : cells) {
            out << (first ? "" : ",") << csv_cell(c);
            first = false;
        }
        out << "\r\n";
    };
    const auto& q = sheet.query;
    row({"incident", "", "", q.place, "", "", "", "", "", "", fixed(q.at.x, 7), fixed(q.at.y, 7), q.needs});
    if (sheet.staging)
        row({"staging", "", "", "集结点 staging", "", "", "", "", "", "", fixed(sheet.staging->x, 7), fixed(sheet.staging->y, 7), ""});
    std::size_t rank = 0;
    for (const auto& t : sheet.teams) {
        row({"team", t.reachable ? std::to_string(++rank) : "", t.id, t.name, t.reachable ? "true" : "false", fixed(t.eta_s / 60, 2),
             fixed(t.travel_s / 60, 2), fixed(t.turnout_s / 60, 2), fixed(t.road_m / 1000, 3), fixed(t.air_m / 1000, 3), fixed(t.at.x, 7),
             fixed(t.at.y, 7), t.status + (t.capabilities.empty() ? "" : " | " + t.capabilities)});
    }
    std::size_t n = 0;
    for (const auto& d : sheet.depots) {
        std::string gives;
        for (const auto& g : d.gives) gives += (gives.empty() ? "" : "; ") + g;
        row({"warehouse", std::to_string(++n), d.id, d.name, "true", fixed(d.eta_s / 60, 2), fixed(d.eta_s / 60, 2), "", "", "", fixed(d.at.x, 7),
             fixed(d.at.y, 7), gives});
    }
    for (const auto& s : sheet.shortfall)
        row({"shortfall", "", "", s.item, "", "", "", "", "", "", "", "",
             "needed " + text::format_double(s.needed) + " " + s.unit + ", available " + text::format_double(s.available) + " " + s.unit +
                 ", missing " + text::format_double(s.missing) + " " + s.unit});
    return out.str();
}

std::string dispatch_geojson(const DispatchSheet& sheet) {
    using json = nlohmann::ordered_json;
    json features = json::array();
    auto feature = [&](json geometry, json props) {
        features.push_back({{"type", "Feature"}, {"properties", std::move(props)}, {"geometry", std::move(geometry)}});
    };
    auto point = [](geo::Coord c) { return json{{"type", "Point"}, {"coordinates", {std::round(c.x * 1e7) / 1e7, std::round(c.y * 1e7) / 1e7}}}; };
    const auto& q = sheet.query;
    feature(point(q.at), {{"type", "incident"}, {"place", q.place}, {"needs", q.needs}});
    if (sheet.staging) feature(point(*sheet.staging), {{"type", "staging"}});
    std::size_t rank = 0;
    for (const auto& t : sheet.teams) {
        const json r = t.reachable ? json(++rank) : json(nullptr);
        feature(point(t.at), {{"type", "team"}, {"rank", r}, {"id", t.id}, {"name", t.name}, {"reachable", t.reachable},
                              {"eta_s", number_or_null(t.eta_s, 10)}, {"travel_s", number_or_null(t.travel_s, 10)},
                              {"turnout_s", number_or_null(t.turnout_s, 10)}, {"road_distance_m", number_or_null(t.road_m, 10)},
                              {"distance_m", std::round(t.air_m * 100) / 100}, {"status", t.status}, {"capabilities", t.capabilities}});
        if (!t.route.empty())
            feature(json{{"type", "LineString"}, {"coordinates", coords_json(t.route)}}, {{"type", "route"}, {"rank", r}, {"id", t.id}});
    }
    for (const auto& d : sheet.depots) {
        feature(point(d.at), {{"type", "warehouse"}, {"id", d.id}, {"name", d.name}, {"eta_s", number_or_null(d.eta_s, 10)}, {"gives", d.gives}});
        if (!d.route.empty())
            feature(json{{"type", "LineString"}, {"coordinates", coords_json(d.route)}}, {{"type", "warehouse_route"}, {"id", d.id}});
    }
    for (const auto& iso : sheet.isochrones) {
        if (iso.area.is_empty()) continue;
        json polys = json::array();
        const auto& g = iso.area;
        const std::size_t n_poly = g.polygon_starts.empty() ? 1 : g.polygon_starts.size() - 1;
        for (std::size_t p = 0; p < n_poly; ++p) {
            const std::size_t r0 = g.polygon_starts.empty() ? 0 : g.polygon_starts[p];
            const std::size_t r1 = g.polygon_starts.empty() ? g.ring_count() : g.polygon_starts[p + 1];
            json rings = json::array();
            for (std::size_t r = r0; r < r1; ++r) rings.push_back(coords_json(g.ring(r)));
            polys.push_back(std::move(rings));
        }
        feature(json{{"type", "MultiPolygon"}, {"coordinates", std::move(polys)}}, {{"type", "isochrone"}, {"minutes", iso.minutes}});
    }
    for (const auto& rings : q.closures) {
        json coords = json::array();
        for (const auto& r : rings) coords.push_back(coords_json(r));
        feature(json{{"type", "Polygon"}, {"coordinates", std::move(coords)}}, {{"type", "closure"}});
    }
    json shortfall = json::array();
    for (const auto& s : sheet.shortfall)
        shortfall.push_back({{"item", s.item}, {"unit", s.unit}, {"needed", s.needed}, {"available", s.available}, {"missing", s.missing}});
    json problems = json::array();
    for (const auto& p : sheet.supply_problems) problems.push_back(p);
    json out = {{"type", "FeatureCollection"},
                {"supply_headline", sheet.supply_headline},
                {"supply_problems", std::move(problems)},
                {"shortfall", std::move(shortfall)},
                {"features", std::move(features)}};
    return out.dump(1);
}

} // namespace vigil::viewer

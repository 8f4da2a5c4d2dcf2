// The project's road graph, closures and the staging point (see road_graph.hpp).

#include <vigil/app/road_graph.hpp>

#include <vigil/geo/geodesic.hpp>
#include <vigil/model/layer.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/store/road_graph_store.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <limits>
#include <map>

namespace vigil::app {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// "roads=N@TIME;speeds=DIGEST;rule=R" -> {roads: N@TIME, speeds: DIGEST, rule: R}.
std::map<std::string, std::string> stamp_parts(const std::string& stamp) {
    std::map<std::string, std::string> out;
    for (const auto piece : text::split(stamp, ';')) {
        const std::string part(piece);
        const auto eq = part.find('=');
        if (eq != std::string::npos) out[part.substr(0, eq)] = part.substr(eq + 1);
    }
    return out;
}

// Which of roads / speeds / speed rule differ between the stored stamp and the current one, in
// words: the note tells the user what to do about it.
std::string stale_because(const std::string& stored, const std::string& current) {
    const auto a = stamp_parts(stored), b = stamp_parts(current);
    auto differs = [&](const char* key) {
        const auto i = a.find(key), j = b.find(key);
        return i == a.end() || j == b.end() || i->second != j->second;
    };
    std::string why;
    auto add = [&](const char* what) { why += (why.empty() ? "" : trc("list separator", ", ")) + std::string(what); };
    if (differs("roads")) add(tr("other roads"));
    if (differs("speeds")) add(tr("other speeds"));
    if (differs("rule")) add(tr("an older speed rule"));
    return why.empty() ? std::string(tr("another stamp")) : why;
}

std::shared_ptr<const routing::RoadGraph> build(const model::Layer& roads, const RoadGraphOptions& options) {
    auto graph = routing::RoadGraph::from_layer(roads, options.speeds);
    if (options.build_hierarchy) graph.build_hierarchy();
    return std::make_shared<const routing::RoadGraph>(std::move(graph));
}

} // namespace

ProjectRoadGraph project_road_graph(const store::Project& project, const RoadGraphOptions& options,
                                    std::shared_ptr<const model::Layer> roads) {
    const auto t0 = Clock::now();
    const std::string db = project.database().path();
    const std::string no_roads = trf("database '{}' has no roads: import a road layer (vigil import DB FILE --layer roads)", db);
    if (!project.catalog().find("roads")) throw UsageError(no_roads);
    const std::string stamp = store::road_graph_stamp(project, options.speeds);
    if (stamp.empty()) throw UsageError(no_roads);

    ProjectRoadGraph out;
    const auto stored_stamp = store::stored_road_graph_stamp(project);
    if (!stored_stamp) {
        out.source = RoadGraphSource::none_stored;
        out.note = trf("no road graph is stored in {}; built it from the roads layer now (import the roads again to store it)", db);
    } else if (*stored_stamp != stamp) {
        out.source = RoadGraphSource::stale;
        out.note =
            trf("the road graph stored in {} was built from {}; built it from the roads layer now (import the roads again to store it)", db,
                stale_because(*stored_stamp, stamp));
    } else {
        try {
            if (auto g = store::load_stored_road_graph(project, stamp)) {
                out.graph = std::make_shared<const routing::RoadGraph>(std::move(*g));
                out.source = RoadGraphSource::stored;
            }
        } catch (const Error& e) {
            // A damaged stored graph must not stop dispatch: the roads layer has everything needed.
            out.source = RoadGraphSource::damaged;
            out.note = trf("the stored road graph is unreadable, built from the layer: {}", e.what());
        }
    }
    if (!out.graph) {
        if (!roads) roads = project.load_layer("roads");
        out.graph = build(*roads, options);
    }
    out.ms = ms_since(t0);
    return out;
}

ProjectRoadGraph layer_road_graph(const model::Layer& roads, const RoadGraphOptions& options) {
    if (roads.empty()) throw UsageError(tr("the roads layer is empty: import a road layer (vigil import DB FILE --layer roads)"));
    const auto t0 = Clock::now();
    ProjectRoadGraph out;
    out.source = RoadGraphSource::layer_only;
    out.graph = build(roads, options);
    out.ms = ms_since(t0);
    return out;
}

nlohmann::ordered_json to_json(const ProjectRoadGraph& g) {
    static constexpr const char* k_source[] = {"stored", "none_stored", "stale", "damaged", "layer_only"};
    nlohmann::ordered_json j;
    j["source"] = k_source[static_cast<std::size_t>(g.source)];
    j["from_store"] = g.from_store();
    j["note"] = g.note;
    j["nodes"] = g.graph ? g.graph->node_count() : 0;
    j["segments"] = g.graph ? g.graph->segment_count() : 0;
    j["hierarchy"] = g.graph && g.graph->hierarchy() != nullptr;
    j["ms"] = std::round(g.ms * 10) / 10;
    return j;
}

geo::Geometry closure_geometry(const std::vector<Rings>& closures) {
    if (closures.empty()) return {};
    if (closures.size() == 1) return geo::Geometry::polygon(closures[0]);
    return geo::Geometry::multi_polygon(closures);
}

std::vector<std::uint32_t> closed_segments(const routing::RoadGraph& graph, const std::vector<Rings>& closures) {
    if (closures.empty()) return {};
    return graph.segments_in(closure_geometry(closures));
}

Staging staging_point(const routing::RoadGraph& graph, geo::Coord at, const std::vector<Rings>& closures,
                      std::span<const std::uint32_t> closed, double max_snap_m) {
    Staging out;
    if (closures.empty()) return out;
    const geo::Geometry area = closure_geometry(closures);
    std::vector<std::uint8_t> shut(graph.segment_count(), 0);
    for (auto s : closed) shut[s] = 1;
    const auto snap = graph.snap(at, max_snap_m);
    // Inside a closure even when no road inside it was closed (a small area around a yard): the
    // access leg would still run through the closed area.
    out.incident_closed = geo::contains(area, at) || (snap && shut[snap->segment]);
    if (!out.incident_closed) return out;
    double best = std::numeric_limits<double>::infinity();
    for (std::uint32_t n = 0; n < graph.node_count(); ++n) {
        const geo::Coord c = graph.node(n);
        const double d = geo::haversine_m(at, c);
        if (d >= best || geo::contains(area, c)) continue;
        bool open = false;
        for (const auto& arc : graph.out_arcs(n)) open |= !shut[arc.segment];
        for (const auto& arc : graph.in_arcs(n)) open |= !shut[arc.segment];
        if (open) {
            best = d;
            out.point = c;
        }
    }
    if (out.point) {
        out.distance_m = geo::geodesic_distance_m(at, *out.point);
        out.note = trf("staging: {} m from the incident, the nearest open road outside the closed area",
                       text::format_double(std::round(out.distance_m)));
    } else {
        out.note = tr("the incident lies in the closed area and no open road leaves it: nothing can reach it");
    }
    return out;
}

} // namespace vigil::app

/// @file
/// The Dispatch panel's viewer matters: the road graph obtained off the frame, the question put
/// to core's app::rank_teams, the routes' colours and the fills' spans.

#include "dispatch.hpp"

#include "app_state.hpp"

#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>

namespace vigil::viewer {

namespace {

/// The project's database for the road-graph job: its path, or (where a job may not read files,
/// platform::k_jobs_read_files) its bytes, read here on the frame's thread.
struct DatabaseSource {
    std::filesystem::path path;
    std::optional<std::vector<std::uint8_t>> bytes;
    std::string read_error; ///< why the bytes could not be read (the job then builds from the layer)
};

DatabaseSource database_source(const std::filesystem::path& database) {
    DatabaseSource source{database, std::nullopt, {}};
    if (platform::k_jobs_read_files || database.empty()) return source;
    std::ifstream in(database, std::ios::binary);
    std::vector<std::uint8_t> bytes;
    if (in) bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) source.read_error = trf("cannot read '{}'", database.string());
    else source.bytes = std::move(bytes);
    return source;
}

/// The stored graph when current, else one built from the layer, by core (app::project_road_graph).
/// The speeds are the built-in ones (the browser build has no catalogue directory to read
/// road_speeds.json from); no hierarchy is built for a graph built here (seconds on a big network,
/// while plain Dijkstra answers a city within a frame or two).
app::ProjectRoadGraph obtain_graph(std::shared_ptr<const model::Layer> roads, DatabaseSource database) {
    const app::RoadGraphOptions options{routing::SpeedProfile::defaults(), /*build_hierarchy=*/false};
    if (database.path.empty()) return app::layer_road_graph(*roads, options);
    std::optional<store::Project> project;
    try {
        if (!database.read_error.empty()) throw Error(database.read_error);
        if (database.bytes) project.emplace(store::Project::open_bytes(std::move(*database.bytes), database.path.string()));
        else project.emplace(store::Project::open(database.path));
    } catch (const std::exception& e) {
        // The layers are loaded already: a database that cannot be opened again costs only the
        // stored graph, and the panel says why.
        auto built = app::layer_road_graph(*roads, options);
        built.note = trf("the database cannot be opened, built from the layer: {}", e.what());
        return built;
    }
    return app::project_road_graph(*project, options, std::move(roads));
}

std::string fixed(double v, int decimals) {
    if (!std::isfinite(v)) return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
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
        m_error = tr("this project has no roads: import a road layer (vigil import DB FILE --layer roads)");
        return;
    }
    // Off the frame's thread on both platforms (platform/jobs.hpp): a graph built from a large
    // roads layer takes seconds.
    m_job = platform::BackgroundJob<Obtained>::start(
        [roads = m_roads, database = database_source(m_database)]() mutable { return obtain_graph(roads, std::move(database)); });
}

void RoadNetwork::collect() {
    if (!m_job.ready()) return;
    try {
        m_built = m_job.take();
        m_graph = m_built.graph;
    } catch (const std::exception& e) {
        m_error = trf("road graph: {}", e.what());
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
    DispatchSheet sheet;
    try {
        static_cast<app::DispatchSheet&>(sheet) = app::rank_teams(layer_set_of(layers), graph, q);
    } catch (const Error& e) {
        sheet = DispatchSheet{};
        sheet.query = q;
        sheet.error = e.what();
    }
    return sheet;
}

RouteStyle route_style(std::size_t rank, std::size_t top_n) {
    // A qualitative palette that stays distinct (CIE76 ΔE > 25 between any two, the grey of the
    // others included) and readable to colour-blind eyes: Okabe and Ito's colours, rank 1 the
    // strongest red, then hues away from the roads' own red, orange and yellow, so a route never
    // reads as a road. Past the palette the routes are drawn as the others (thin, grey) rather
    // than repeat a colour.
    if (rank == 0 || rank > top_n || rank > std::size(k_route_palette)) return {k_route_other, 1.5f, false};
    return {k_route_palette[rank - 1], rank == 1 ? 5.0f : 4.0f, true};
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

} // namespace vigil::viewer

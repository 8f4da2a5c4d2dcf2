/// @file
/// routing_bench: the peers' routing tasks (../shared/peers, bench_pgrouting.py and
/// cpp_baseline.cpp) through vigil::routing, on the peers' generated 250k/1M-edge networks.
///
/// Prints `peer=vigil task=T n=N median_ms=X` (and `task=T.cpu`, thread CPU time) like the peers,
/// and `# check` lines to compare with `peers/ref_check.py` (reached teams, sum of costs).
///
/// The peers' task routes *from* the incident to 500 teams over the edges as given; Router
/// answers "team -> incident" (teams drive to the incident). The bench therefore builds the graph
/// with every edge reversed, which makes the two questions the same one and the sums comparable.
/// Lengths and costs are the peers' (RoadGraph::from_edges), not recomputed from coordinates.
///
/// With the contraction hierarchy (RoadGraph::build_hierarchy) the tasks run PHAST / CH; the plain
/// Dijkstra figures stay as `*_dijkstra`. Also: the hierarchy's build time, the 30-minute
/// isochrone, one-to-one routes (route_1to1_ch), a query with road closures (plain Dijkstra on a
/// mask), and serialising / loading the graph with its hierarchy.
///
/// Environment: PEERS_DATA (/tmp/peers-data), NETS ("250k 1M"), RUNS (5).

#include "bench_common.hpp"
#include <vigil/routing/isochrone.hpp>
#include <vigil/routing/one_to_many.hpp>
#include <vigil/routing/road_graph.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using vigil::bench::env;
using vigil::bench::median;
using vigil::bench::wanted;

namespace {

// Rows of a CSV file without quoting (the peers' files have none), header skipped.
std::vector<std::vector<std::string>> read_csv(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        std::cerr << "routing_bench: cannot read " << path << " (run ../shared/peers/gen_data.py)\n";
        std::exit(1);
    }
    std::vector<std::vector<std::string>> rows;
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, ',')) cells.push_back(cell);
        rows.push_back(std::move(cells));
    }
    return rows;
}

double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Samples {
    std::vector<double> wall, cpu;
    template <class F> void time(F&& f) {
        const double c0 = thread_cpu_ms();
        const auto t0 = std::chrono::steady_clock::now();
        f();
        wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        cpu.push_back(thread_cpu_ms() - c0);
    }
};

void emit(const char* task, const std::string& n, const Samples& s) {
    std::printf("peer=vigil task=%s n=%s median_ms=%.4f\n", task, n.c_str(), median(s.wall));
    std::printf("peer=vigil task=%s.cpu n=%s median_ms=%.4f\n", task, n.c_str(), median(s.cpu));
}

void bench_network(const std::string& data, const std::string& tag, int runs) {
    using namespace vigil;
    auto node_rows = read_csv(data + "/roads_" + tag + "_nodes.csv");
    auto edge_rows = read_csv(data + "/roads_" + tag + "_edges.csv");
    std::vector<geo::Coord> nodes(node_rows.size());
    for (const auto& r : node_rows) {
        const auto id = std::strtoul(r[0].c_str(), nullptr, 10); // 1-based
        nodes[id - 1] = {std::strtod(r[1].c_str(), nullptr), std::strtod(r[2].c_str(), nullptr)};
    }
    std::vector<routing::EdgeInput> edges;
    edges.reserve(edge_rows.size());
    for (const auto& r : edge_rows) {
        routing::EdgeInput e;
        // Reversed (see the file comment): the peers' source -> target becomes b -> a.
        e.b = static_cast<std::uint32_t>(std::strtoul(r[1].c_str(), nullptr, 10) - 1);
        e.a = static_cast<std::uint32_t>(std::strtoul(r[2].c_str(), nullptr, 10) - 1);
        e.length_m = std::strtod(r[3].c_str(), nullptr);
        e.time_s = std::strtod(r[5].c_str(), nullptr);
        e.oneway = std::strtod(r[6].c_str(), nullptr) < 0;
        edges.push_back(e);
    }
    auto node_col = [&](const char* what) {
        std::vector<geo::Coord> pts;
        for (const auto& r : read_csv(data + "/" + what + "_" + tag + ".csv"))
            pts.push_back(nodes[std::strtoul(r[1].c_str(), nullptr, 10) - 1]);
        return pts;
    };
    const auto teams = node_col("teams");
    const auto incidents = node_col("incidents");
    const auto incident = incidents.at(0);

    routing::RoadGraph graph;
    Samples build;
    for (int r = 0; r < runs; ++r) build.time([&] { graph = routing::RoadGraph::from_edges(nodes, edges); });
    emit("graph_build_csr", tag, build); // CSR both ways + the segment R-tree

    auto report = [&](const char* what, const std::vector<routing::TravelTime>& result, const routing::Router& router) {
        double sum = 0;
        int reached = 0;
        for (const auto& t : result)
            if (t.reachable) {
                sum += t.travel_s;
                ++reached;
            }
        std::fprintf(stderr, "# check vigil network n=%s %s reached=%d sum_cost_s=%.1f (settled %zu of %zu nodes; %zu arcs)\n", tag.c_str(),
                     what, reached, sum, router.settled_count(), graph.node_count(), graph.arc_count());
    };
    routing::Router router(graph);
    std::vector<routing::TravelTime> result;
    routing::SearchOptions plain;
    plain.use_hierarchy = false;
    Samples otm;
    for (int r = 0; r < runs; ++r) otm.time([&] { result = router.to_incident(incident, teams, plain); });
    emit("one_to_many_500_cost_dijkstra", tag, otm); // includes snapping the 501 points onto the network
    report("one_to_many_500 (dijkstra)", result, router);

    Samples ch_build;
    ch_build.time([&] { graph.build_hierarchy(); }); // once: seconds
    emit("ch_build", tag, ch_build);
    std::fprintf(stderr, "# ch n=%s nodes=%zu upward_arcs=%zu shortcuts=%zu\n", tag.c_str(), graph.node_count(),
                 graph.hierarchy()->arc_count(), graph.hierarchy()->shortcut_count());

    // A fresh router snaps the 501 points (cold: each run on a new router, its construction not
    // timed); a router that has seen them answers from its snap cache (the dispatcher's case:
    // teams stand still while the incident moves). The peers take node ids and snap nothing.
    // Constructing a router sizes its workspaces to the graph (tens of MB at 1M nodes): timed on
    // its own, as `router_construct`, since a dispatcher's router lives for the session.
    Samples phast_cold, construct;
    for (int r = 0; r < runs; ++r) {
        std::optional<routing::Router> cold;
        construct.time([&] { cold.emplace(graph); });
        phast_cold.time([&] { result = cold->to_incident(incident, teams); });
    }
    emit("router_construct", tag, construct);
    emit("one_to_many_500_cost_cold_snaps", tag, phast_cold);
    routing::Router fast(graph);
    result = fast.to_incident(incident, teams);
    Samples phast;
    for (int r = 0; r < runs; ++r) phast.time([&] { result = fast.to_incident(incident, teams); });
    emit("one_to_many_500_cost", tag, phast); // RPHAST, team snaps and selection from the router's cache
    // The same live router asked about a team set it has not seen (each run moves every team by
    // a centimetre): 500 new snaps and a new RPHAST selection, warm workspace.
    Samples new_teams;
    for (int r = 0; r < runs; ++r) {
        std::vector<geo::Coord> moved = teams;
        for (auto& t : moved) t.x += (r + 1) * 1e-7;
        new_teams.time([&] { (void)fast.to_incident(incident, moved); });
    }
    emit("one_to_many_500_cost_new_teams", tag, new_teams);
    report("one_to_many_500", result, fast);

    Samples iso;
    routing::NodeTimes times;
    const geo::Coord origin[1] = {incident};
    // The peers drive *from* the incident; on the reversed graph that is "towards" it.
    for (int r = 0; r < runs; ++r) iso.time([&] { times = fast.node_times(origin, 1800, routing::TravelDirection::to_points); });
    emit("isochrone_30min", tag, iso);
    std::fprintf(stderr, "# check vigil network n=%s isochrone_30min nodes=%zu (incl. origin)\n", tag.c_str(), times.nodes.size());
    Samples iso_plain;
    for (int r = 0; r < runs; ++r)
        iso_plain.time([&] { times = fast.node_times(origin, 1800, routing::TravelDirection::to_points, plain); });
    emit("isochrone_30min_dijkstra", tag, iso_plain);
    std::fprintf(stderr, "# check vigil network n=%s isochrone_30min (dijkstra) nodes=%zu\n", tag.c_str(), times.nodes.size());

    const double limits[] = {300, 600, 900, 1800};
    Samples poly;
    std::vector<routing::IsochroneBand> bands;
    for (int r = 0; r < runs; ++r) poly.time([&] { bands = routing::isochrone_polygons(graph, times, limits); });
    emit("isochrone_polygons_4bands", tag, poly);
    for (const auto& b : bands)
        std::fprintf(stderr, "# isochrone n=%s limit=%.0f s rings=%zu vertices=%zu\n", tag.c_str(), b.limit_s, b.area.ring_count(),
                     b.area.coords.size());

    // route_1to1: pair i = incident[i mod 10] -> team[(7i+3) mod 500] (peers/common.py).
    const int pairs = std::max(1, std::atoi(env("OD_PAIRS", "10").c_str()));
    std::vector<double> costs(static_cast<std::size_t>(pairs));
    Samples one;
    for (int r = 0; r < runs; ++r)
        for (int i = 0; i < pairs; ++i)
            one.time([&] {
                const auto& inc = incidents[static_cast<std::size_t>(i % 10)];
                const auto& team = teams[static_cast<std::size_t>((7 * i + 3) % 500)];
                costs[static_cast<std::size_t>(i)] = fast.between(team, inc).travel_s; // reversed graph: team -> incident
                (void)fast.route(0);
            });
    emit("route_1to1_ch", tag, one);
    std::fprintf(stderr, "# check vigil network n=%s route_1to1 costs_s=[", tag.c_str());
    for (int i = 0; i < pairs; ++i) std::fprintf(stderr, "%s%.1f", i ? ", " : "", costs[static_cast<std::size_t>(i)]);
    std::fprintf(stderr, "]\n");

    // Closures: every segment in a 2 km x 2 km square 3 km east of the incident.
    const double dx = 0.011, dy = 0.009;
    const geo::Coord c{incident.x + 0.033, incident.y};
    const auto square = geo::Geometry::polygon(
        {{{c.x - dx, c.y - dy}, {c.x + dx, c.y - dy}, {c.x + dx, c.y + dy}, {c.x - dx, c.y + dy}, {c.x - dx, c.y - dy}}});
    const auto shut = graph.segments_in(square);
    routing::SearchOptions closed;
    closed.closed_segments = shut;
    Samples closure;
    for (int r = 0; r < runs; ++r) closure.time([&] { result = fast.to_incident(incident, teams, closed); });
    emit("one_to_many_500_closures", tag, closure);
    std::fprintf(stderr, "# closures n=%s closed_segments=%zu\n", tag.c_str(), shut.size());
    report("one_to_many_500 with closures", result, fast);

    Samples ser, de;
    std::vector<std::byte> bytes;
    for (int r = 0; r < runs; ++r) ser.time([&] { bytes = graph.serialize(); });
    emit("graph_serialize", tag, ser);
    routing::RoadGraph loaded;
    for (int r = 0; r < runs; ++r) de.time([&] { loaded = routing::RoadGraph::deserialize(bytes); });
    emit("graph_deserialize", tag, de);
    std::fprintf(stderr, "# bytes n=%s graph_with_ch=%zu\n", tag.c_str(), bytes.size());

    Samples snap;
    for (int r = 0; r < runs; ++r)
        snap.time([&] {
            for (const auto& t : teams) (void)graph.snap(t);
        });
    emit("snap_500", tag, snap);
}

} // namespace

int main() {
    const std::string data = env("PEERS_DATA", "/tmp/peers-data");
    const int runs = std::max(1, std::atoi(env("RUNS", "5").c_str()));
    std::stringstream nets(env("NETS", "250k 1M"));
    std::string tag;
    while (nets >> tag) bench_network(data, tag, runs);
    return 0;
}

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
/// Environment: PEERS_DATA (/tmp/peers-data), NETS ("250k 1M"), RUNS (5).

#include "bench_common.hpp"
#include <vigil/routing/one_to_many.hpp>
#include <vigil/routing/road_graph.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
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
    template <class F>
    void time(F&& f) {
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
    const auto incident = node_col("incidents").at(0);

    routing::RoadGraph graph;
    Samples build;
    for (int r = 0; r < runs; ++r) build.time([&] { graph = routing::RoadGraph::from_edges(nodes, edges); });
    emit("graph_build_csr", tag, build); // CSR both ways + the segment R-tree

    routing::Router router(graph);
    std::vector<routing::TravelTime> result;
    Samples otm;
    for (int r = 0; r < runs; ++r) otm.time([&] { result = router.to_incident(incident, teams); });
    emit("one_to_many_500_cost", tag, otm); // includes snapping the 501 points onto the network
    double sum = 0;
    int reached = 0;
    for (const auto& t : result)
        if (t.reachable) {
            sum += t.travel_s;
            ++reached;
        }
    std::fprintf(stderr, "# check vigil network n=%s one_to_many_500 reached=%d sum_cost_s=%.1f (settled %zu of %zu nodes; %zu arcs)\n",
                 tag.c_str(), reached, sum, router.settled_count(), graph.node_count(), graph.arc_count());

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

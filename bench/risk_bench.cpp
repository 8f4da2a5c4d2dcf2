/// @file
/// risk_bench: the peers' risk-grid tasks (../shared/peers/bench_grid.py: risk_grid_cutoff over
/// 1000 x 1000 cells and M = 10k hazards, risk_grid_dense with M = 100) through
/// vigil::hazard::RiskGrid, and the full model grid (100 sources x 16 wind sectors with
/// lookup-table lethality) with its share of the machine's peak floating-point rate.
/// Prints the peers' line format: `peer=vigil task=... n=... median_ms=...`, `.cpu` lines with
/// the process CPU time, and `# check` lines to compare with the numpy peer's.
///
///     risk_bench [THREADS]          (default 2; PEERS_DATA, RUNS, BENCH_ONLY as the peers)

#include "bench_common.hpp"

#include <vigil/hazard/risk_grid.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <numbers>
#include <random>
#include <sstream>
#include <string>
#include <thread>

using namespace vigil;
using namespace vigil::hazard;

namespace {

struct Hazard {
    double x, y, f, sigma;
};

std::vector<Hazard> read_hazards(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path + " (run ../shared/peers/gen_data.py)");
    std::string line;
    std::getline(in, line); // hid,lon,lat,x,y,freq_per_year,sigma_m
    std::vector<Hazard> out;
    while (std::getline(in, line)) {
        std::vector<double> v;
        std::stringstream ss(line);
        for (std::string cell; std::getline(ss, cell, ',');) v.push_back(std::stod(cell));
        if (v.size() != 7) throw std::runtime_error(path + ": bad row " + line);
        out.push_back({v[3], v[4], v[5], v[6]});
    }
    return out;
}

double cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

struct Timing {
    double wall = 0, cpu = 0;
};

template <class F> Timing measure(int runs, F&& f) {
    std::vector<double> wall, cpu;
    for (int r = 0; r < runs; ++r) {
        const double c0 = cpu_ms();
        const auto t0 = std::chrono::steady_clock::now();
        f();
        wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        cpu.push_back(cpu_ms() - c0);
    }
    return {bench::median(wall), bench::median(cpu)};
}

void emit(const std::string& task, const std::string& n, const Timing& t) {
    std::printf("peer=vigil task=%s n=%s median_ms=%.3f\n", task.c_str(), n.c_str(), t.wall);
    std::printf("peer=vigil task=%s.cpu n=%s median_ms=%.3f\n", task.c_str(), n.c_str(), t.cpu);
    std::fflush(stdout);
}

// The peers' grid: x 650000..752000, y 3844000..3928000, 1000 x 1000, row 0 = south.
const GridSpec k_peer_grid{650000.0, 3844000.0, 102.0, 84.0, 1000, 1000};

std::vector<Scenario> gaussian_scenarios(const std::vector<Hazard>& h, std::size_t m, double cutoff) {
    std::vector<Scenario> s;
    for (std::size_t k = 0; k < m && k < h.size(); ++k) s.push_back({{h[k].x, h[k].y}, h[k].f, nullptr, {}, h[k].sigma, cutoff, ""});
    return s;
}

void check_line(const char* task, std::size_t m, const std::vector<double>& g) {
    double sum = 0, mx = 0;
    std::size_t ge = 0;
    for (double v : g) {
        sum += v;
        mx = std::max(mx, v);
        ge += v >= 1e-6;
    }
    std::fprintf(stderr, "# check vigil %s M=%zu sum=%.6e cells_ge_1e-6=%zu max=%.3e\n", task, m, sum, ge, mx);
}

} // namespace

int main(int argc, char** argv) try {
    const unsigned threads = argc > 1 ? static_cast<unsigned>(std::stoul(argv[1])) : 2;
    const int runs = std::stoi(bench::env("RUNS", "3"));
    const std::string data = bench::env("PEERS_DATA", "/tmp/peers-data");
    std::fprintf(stderr, "# risk_bench threads=%u runs=%d hardware_concurrency=%u\n", threads, runs, std::thread::hardware_concurrency());

    if (bench::wanted("risk_grid_cutoff") || bench::wanted("risk_grid_dense")) {
        const auto hazards = read_hazards(data + "/hazards.csv");
        if (bench::wanted("risk_grid_cutoff"))
            for (std::size_t m : {std::size_t{100}, std::size_t{1000}, std::size_t{10000}}) {
                RiskGrid grid(k_peer_grid, gaussian_scenarios(hazards, m, 4.0));
                auto t = measure(runs, [&] { grid.compute(threads); });
                emit("risk_grid_cutoff", std::to_string(m), t);
                check_line("risk_grid_cutoff", m, grid.values());
                std::fprintf(stderr, "# risk_grid_cutoff M=%zu cell_terms=%zu threads=%u\n", m, grid.terms(), threads);
            }
        if (bench::wanted("risk_grid_dense")) {
            // No cutoff: a reach far beyond the grid, so every cell gets every term.
            RiskGrid grid(k_peer_grid, gaussian_scenarios(hazards, 100, 1e7));
            auto t = measure(runs, [&] { grid.compute(threads); });
            emit("risk_grid_dense", "100", t);
            check_line("risk_grid_dense", 100, grid.values());
        }
    }

    if (bench::wanted("risk_grid_model")) {
        // 100 sources over 20 x 20 km, 10 m cells (2000 x 2000). Each has an isotropic fire /
        // explosion profile (r_max 300 m) and a toxic plume (2 km downwind, ±300 m) in the 16
        // sectors of a wind rose (one SectorTable, shared: the sources have the same outcomes).
        // Profiles shaped like the real ones; their cost does not depend on their shape.
        auto fire = std::make_shared<RadialTable>([](double r) { return r < 60 ? 1.0 : std::exp(-(r - 60) / 50); }, 300.0);
        auto plume = std::make_shared<DirectionalTable>(
            [](double u, double v) {
                const double sy = 8 + 0.08 * u;
                return std::min(1.0, 1.2 * std::exp(-u / 700) * std::exp(-v * v / (2 * sy * sy)));
            },
            2000.0, 300.0);
        std::mt19937_64 rng(20261128);
        std::uniform_real_distribution<double> pos(1000, 19000), lf(-6.5, -4.5);
        std::vector<Scenario> sc;
        for (int k = 0; k < 100; ++k) {
            Scenario s{{pos(rng), pos(rng)}, std::pow(10.0, lf(rng)), fire, {}, 0, 4, ""};
            for (int d = 0; d < 16; ++d) s.directional.push_back({1.0 / 16, d * std::numbers::pi / 8, plume});
            sc.push_back(std::move(s));
        }
        RiskGrid grid(GridSpec{0, 0, 10, 10, 2000, 2000}, sc);
        auto t = measure(runs, [&] { grid.compute(threads); });
        emit("risk_grid_model", "100x16", t);
        check_line("risk_grid_model", 100, grid.values());
        // Flops per cell-term, counted from the kernels in core/src/hazard/risk_grid.hpp/.cpp:
        // wind sectors (SectorTable::at, all 16 directions in one term): dx (1) + d² (2 mul,
        // 1 add) + √√d² (2 sqrt) + scale (1 mul) + diamond angle (1 add, 1 div, 1 add) + scale
        // (1 mul) + 2 frac (2 sub) + 3 lerps (3 sub, 3 mul, 3 add) + f·P (1 mul) + accumulate
        // (1 add) = 24; radial: dx (1) + d² (2) + scale (1) + frac (1) + lerp (3) + f·P (1) +
        // add (1) = 10. The compares and table loads are not counted.
        const std::size_t terms = grid.terms();
        // Split the terms by kind: rerun counting only radial parts.
        std::vector<Scenario> radial_only = sc;
        for (auto& s : radial_only) s.directional.clear();
        RiskGrid rg(GridSpec{0, 0, 10, 10, 2000, 2000}, radial_only);
        rg.compute(threads);
        const double radial_terms = static_cast<double>(rg.terms());
        const double dir_terms = static_cast<double>(terms) - radial_terms;
        const double flops = 24 * dir_terms + 10 * radial_terms;
        const double gflops = flops / (t.wall * 1e-3) / 1e9;
        std::fprintf(stderr, "# risk_grid_model cell_terms=%zu (wind sectors %.0f, radial %.0f) flops=%.3e wall=%.1f ms -> %.2f GFLOP/s\n",
                     terms, dir_terms, radial_terms, flops, t.wall, gflops);
        std::printf("# risk_grid_model gflops=%.3f threads=%u\n", gflops, threads);
    }
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "risk_bench: %s\n", e.what());
    return 1;
}

// vigil_bench: the peers' point tasks (../shared/peers/README.md) run through Vigil's own code:
// the import path of `vigil import`, the in-memory layer of `vigil nearest`, the Hilbert R-tree.
// Prints `peer=vigil task=T n=N median_ms=X` (and `task=T.cpu`) like the peers, and `check ...`
// lines comparable with peers/ref_check.py.
//
// Environment (as for the peers): PEERS_DATA (/tmp/peers-data), RUNS (3), QUERIES (200),
// SIZES ("10k 100k 1M"), BENCH_WORK (/tmp/vigil-bench), IMPORT_RUNS (RUNS; imports are slow).

#include "bench_common.hpp"
#include <vigil/gdal/importer.hpp>
#include <vigil/geo/geodesic.hpp>
#include <vigil/index/hilbert_rtree.hpp>
#include <vigil/io/csv_reader.hpp>
#include <vigil/io/geojson_reader.hpp>
#include <vigil/query/nearest.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <malloc.h>
#include <sys/resource.h>
#include <vector>

namespace fs = std::filesystem;
using namespace vigil;

using vigil::bench::env;
using vigil::bench::median;
using vigil::bench::wanted;

namespace {

/// A line of /proc/self/status ("VmRSS") in MiB; 0 where there is none.
double status_mb(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(std::string(key) + ":", 0) == 0) return std::stod(line.substr(std::strlen(key) + 1)) / 1024.0;
    return 0;
}

double cpu_ms() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

void emit(const std::string& task, const std::string& n, const std::vector<double>& wall, const std::vector<double>& cpu) {
    std::cout << fmt::format("peer=vigil task={} n={} median_ms={:.4f}\n", task, n, median(wall));
    if (!cpu.empty()) std::cout << fmt::format("peer=vigil task={}.cpu n={} median_ms={:.4f}\n", task, n, median(cpu));
    std::cerr << fmt::format("# vigil {} n={} samples={} min={:.4f} max={:.4f}\n", task, n, wall.size(),
                             *std::min_element(wall.begin(), wall.end()), *std::max_element(wall.begin(), wall.end()));
    std::cout.flush();
}

/// Times `fn` `runs` times (wall and process CPU).
void timed(const std::string& task, const std::string& n, int runs, const std::function<void()>& fn) {
    if (!wanted(task)) return;
    std::vector<double> wall, cpu;
    for (int r = 0; r < runs; ++r) {
        double c0 = cpu_ms();
        auto t0 = std::chrono::steady_clock::now();
        fn();
        wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        cpu.push_back(cpu_ms() - c0);
    }
    emit(task, n, wall, cpu);
}

struct Point {
    std::int64_t id;
    geo::Coord lonlat, xy;
};

std::vector<Point> read_points(const fs::path& csv) {
    io::CsvReader reader(csv.string());
    const auto& cols = reader.columns();
    auto col = [&](const char* name) { return static_cast<std::size_t>(std::find(cols.begin(), cols.end(), name) - cols.begin()); };
    std::size_t ci = col("id"), clon = col("lon"), clat = col("lat"), cx = col("x"), cy = col("y");
    std::vector<Point> out;
    importing::RawRecord r;
    while (reader.next(r))
        out.push_back({*text::parse_int64(r.values[ci].text),
                       {*text::parse_double(r.values[clon].text), *text::parse_double(r.values[clat].text)},
                       {*text::parse_double(r.values[cx].text), *text::parse_double(r.values[cy].text)}});
    return out;
}

std::vector<Point> read_queries(const fs::path& csv, std::size_t limit) {
    io::CsvReader reader(csv.string());
    std::vector<Point> out;
    importing::RawRecord r;
    while (out.size() < limit && reader.next(r))
        out.push_back({*text::parse_int64(r.values[0].text),
                       {*text::parse_double(r.values[1].text), *text::parse_double(r.values[2].text)},
                       {*text::parse_double(r.values[3].text), *text::parse_double(r.values[4].text)}});
    return out;
}

class NullSink final : public importing::RecordSink {
public:
    void write(const importing::Record&) override { ++count; }
    std::size_t count = 0;
};

} // namespace

int main() try {
    const fs::path data = env("PEERS_DATA", "/tmp/peers-data");
    const fs::path work = env("BENCH_WORK", "/tmp/vigil-bench");
    const int runs = std::stoi(env("RUNS", "3"));
    const int import_runs = std::stoi(env("IMPORT_RUNS", env("RUNS", "3").c_str()));
    const std::size_t queries_n = std::stoul(env("QUERIES", "200"));
    fs::create_directories(work);
    auto catalog = catalog::Catalog::load_directory(VIGIL_BENCH_LAYERS_DIR);
    auto kind = catalog.get("peer_points");
    auto queries = read_queries(data / "queries.csv", queries_n);

    const std::string sizes = env("SIZES", "10k 100k 1M"); // split() views into it
    for (auto size : text::split(sizes, ' ')) {
        const std::string n(size);
        if (n.empty()) continue;
        const fs::path geojson = data / ("points_" + n + ".geojson");
        const fs::path csv = data / ("points_" + n + ".csv");

        // Phases of an import, for the record: reading alone, then reading + validating.
        timed("read_geojson", n, runs, [&] {
            io::GeoJsonReader r(geojson.string());
            importing::RawRecord rec;
            std::size_t count = 0;
            while (r.next(rec)) ++count;
        });
        timed("validate_geojson", n, runs, [&] {
            io::GeoJsonReader r(geojson.string());
            NullSink sink;
            auto t = importing::make_core_transform("wgs84");
            auto s = importing::ImportPipeline(*kind, *t, {}).run(r, sink);
            if (s.refused) throw std::runtime_error("validation refused the peers' data: " + s.problems.at(0).reason);
        });

        // The whole `vigil import`: read, validate, upsert, spatial index, provenance, one transaction.
        const fs::path db = work / ("points_" + n + ".sqlite");
        auto import_into = [&](const fs::path& file) {
            for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
            gdal::ImportRequest req;
            req.database = db;
            req.file = file;
            req.layer = "peer_points";
            auto r = gdal::import_file(req, catalog);
            if (r.summary.refused || r.inserted == 0) throw std::runtime_error("import failed");
        };
        timed("import_csv", n, import_runs, [&] { import_into(csv); });
        timed("import_geojson", n, import_runs, [&] { import_into(geojson); });

        if (!wanted("load_layer")) continue;
        // Opening the database and loading the layer into memory with its index (what the
        // viewer and `vigil serve` do first; `vigil nearest` reads through the R*Tree instead).
        std::shared_ptr<const model::Layer> layer;
        {
            // Resident memory of the loaded layer against its database file: what the load adds
            // to the process (the freed temporaries of the load included: the process keeps them).
            malloc_trim(0); // the imports' freed heap back to the system, so the load cannot reuse it unseen
            const double before = status_mb("VmRSS");
            layer = store::Project::open(db).load_layer("peer_points");
            const double held = status_mb("VmRSS") - before;
            const double file = static_cast<double>(fs::file_size(db)) / (1024.0 * 1024.0);
            std::cout << fmt::format("memory n={} layer_rss_mb={:.1f} db_file_mb={:.1f} ratio={:.2f}\n", n, held, file, held / file);
            std::cout.flush();
            layer.reset();
        }
        timed("load_layer", n, runs, [&] { layer = store::Project::open(db).load_layer("peer_points"); });

        // Planar tasks on UTM 49N x/y, exactly as the peers and ref_check.py define them.
        auto points = read_points(csv);
        index::HilbertRTree tree;
        timed("index_build_hilbert", n, runs, [&] {
            index::HilbertRTreeBuilder b(points.size());
            for (const auto& p : points) b.add(p.xy);
            tree = b.finish();
        });
        std::vector<double> wall;
        std::vector<std::uint32_t> first_ids;
        for (int r = 0; r < runs; ++r)
            for (std::size_t q = 0; q < queries.size(); ++q) {
                auto t0 = std::chrono::steady_clock::now();
                auto hits = tree.nearest_planar(queries[q].xy, 10);
                wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
                if (r == 0 && q == 0)
                    for (const auto& h : hits) first_ids.push_back(static_cast<std::uint32_t>(points[h.item].id));
            }
        emit("knn10", n, wall, {});
        std::string ids;
        for (auto id : first_ids) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
        std::cout << "check points n=" << n << " knn10 q1 ids=[" << ids << "]\n";

        wall.clear();
        std::size_t total = 0;
        for (int r = 0; r < runs; ++r)
            for (std::size_t q = 0; q < queries.size(); ++q) {
                auto t0 = std::chrono::steady_clock::now();
                const geo::Coord c = queries[q].xy;
                std::size_t found = 0;
                tree.search(geo::BBox{c.x - 2000, c.y - 2000, c.x + 2000, c.y + 2000}, [&](std::uint32_t i) {
                    double dx = points[i].xy.x - c.x, dy = points[i].xy.y - c.y;
                    if (dx * dx + dy * dy <= 2000.0 * 2000.0) ++found;
                    return true;
                });
                wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
                if (r == 0) total += found;
            }
        emit("radius2km", n, wall, {});
        std::cout << "check points n=" << n << " radius2km rows_over_" << queries.size() << "_queries=" << total << "\n";

        // The product's path: geodesic distances on WGS84 over the loaded layer (lon/lat).
        wall.clear();
        for (int r = 0; r < runs; ++r)
            for (const auto& q : queries) {
                auto t0 = std::chrono::steady_clock::now();
                auto hits = query::nearest(*layer, q.lonlat, 10);
                wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
            }
        emit("knn10_geodesic", n, wall, {});
        wall.clear();
        for (int r = 0; r < runs; ++r)
            for (const auto& q : queries) {
                auto t0 = std::chrono::steady_clock::now();
                auto hits = query::within(*layer, q.lonlat, 2000);
                wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
            }
        emit("radius2km_geodesic", n, wall, {});
        fs::remove(db);
        fs::remove(db.string() + "-wal");
        fs::remove(db.string() + "-shm");
    }
    return 0;
} catch (const std::exception& e) {
    std::cerr << "vigil_bench: " << e.what() << "\n";
    return 1;
}

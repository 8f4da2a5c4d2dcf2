// cold_query_core: `vigil nearest` / `vigil within`'s one-shot path (store::nearest_on_disk /
// within_on_disk) in a program linked with the core alone, for bench/cold_query.py. The `vigil`
// binary links GDAL and the viewer, whose ~130 shared libraries the dynamic loader maps and
// relocates before main() runs; this program shows what the question itself costs a fresh
// process once that is out of the way.
//
//   cold_query_core nearest|within DB LAYER LON LAT K|RADIUS
// Prints one line per hit: id and distance in metres (2 decimals), nearest first.

#include <vigil/store/on_disk_query.hpp>

#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <string>

int main(int argc, char** argv) try {
    using namespace vigil;
    if (argc != 7) {
        std::fputs("usage: cold_query_core nearest|within DB LAYER LON LAT K|RADIUS\n", stderr);
        return 2;
    }
    const std::string verb = argv[1];
    const auto project = store::Project::open(argv[2]);
    const geo::Coord at{std::stod(argv[4]), std::stod(argv[5])};
    const auto answer = verb == "nearest" ? store::nearest_on_disk(project, argv[3], at, std::stoul(argv[6]))
                                          : store::within_on_disk(project, argv[3], at, std::stod(argv[6]));
    std::string out;
    for (const auto& h : answer.hits) out += fmt::format("{}|{:.2f}\n", answer.records->id(h.row), h.distance_m);
    std::fputs(out.c_str(), stdout);
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "cold_query_core: %s\n", e.what());
    return 1;
}

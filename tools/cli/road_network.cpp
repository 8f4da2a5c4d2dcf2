// The road network for the dispatch commands (see road_network.hpp).

#include "road_network.hpp"

#include "cli_common.hpp"

#include <vigil/io/geojson_reader.hpp>
#include <vigil/store/road_graph_store.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

namespace vigil::cli {

routing::SpeedProfile load_speeds(const std::string& file) {
    const auto f = read_catalogue_file(file, std::filesystem::path("routing") / "road_speeds.json", tr("road speed file"));
    return f ? routing::SpeedProfile::parse(f->text, f->path) : routing::SpeedProfile::defaults();
}

app::ProjectRoadGraph load_road_graph(const store::Project& project, const routing::SpeedProfile& speeds) {
    auto graph = app::project_road_graph(project, {speeds, /*build_hierarchy=*/true});
    if (!graph.note.empty() && !globals().quiet) std::cerr << trf("note: {}", graph.note) << "\n";
    return graph;
}

std::vector<app::Rings> read_closures(const std::string& path, const std::string& where) {
    if (path.empty()) {
        if (!where.empty()) throw UsageError(tr("--avoid-where needs --avoid FILE"));
        return {};
    }
    std::string key;
    std::vector<std::string> wanted;
    if (!where.empty()) {
        const auto eq = where.find('=');
        if (eq == std::string::npos || eq == 0)
            throw UsageError(trf("--avoid-where {}: expected PROPERTY=VALUE[,VALUE...], e.g. tier=3", where));
        key = where.substr(0, eq);
        wanted = parse_words(where.substr(eq + 1));
    }
    io::GeoJsonReader reader(path);
    if (auto crs = reader.declared_crs(); crs && *crs != "EPSG:4326" && *crs != "OGC:CRS84")
        throw UsageError(trf("--avoid {}: the closure areas must be in WGS84 longitude/latitude (the file says {})", path, *crs));
    std::vector<app::Rings> polygons;
    importing::RawRecord record;
    while (reader.next(record)) {
        if (!record.issues.empty()) throw FormatError(trf("{}: feature {}: {}", path, record.row, record.issues.front().reason));
        if (!key.empty()) {
            const auto& columns = reader.columns();
            const auto column = std::find(columns.begin(), columns.end(), key);
            const auto index = static_cast<std::size_t>(column - columns.begin());
            if (column == columns.end() || index >= record.values.size() || record.values[index].is_null()) continue;
            const std::string value = record.values[index].to_display();
            if (std::find(wanted.begin(), wanted.end(), value) == wanted.end()) continue;
        }
        const auto& g = record.geometry;
        auto add_polygon = [&](std::size_t first_ring, std::size_t rings) {
            std::vector<std::vector<geo::Coord>> poly;
            for (std::size_t r = first_ring; r < first_ring + rings; ++r) {
                auto ring = g.ring(r);
                poly.emplace_back(ring.begin(), ring.end());
            }
            polygons.push_back(std::move(poly));
        };
        if (g.type == geo::GeometryType::Polygon) {
            add_polygon(0, g.ring_count());
        } else if (g.type == geo::GeometryType::MultiPolygon) {
            for (std::size_t p = 0; p + 1 < g.polygon_starts.size(); ++p)
                add_polygon(g.polygon_starts[p], g.polygon_starts[p + 1] - g.polygon_starts[p]);
        }
    }
    if (polygons.empty())
        throw UsageError(where.empty() ? trf("--avoid {}: no Polygon or MultiPolygon in the file", path)
                                       : trf("--avoid {}: no Polygon or MultiPolygon in the file with {}", path, where));
    return polygons;
}

} // namespace vigil::cli

/// @file
/// The road network as the dispatch commands (nearest --by road, supply, isochrone, coverage)
/// see it: the speed profile file and the project's road graph. Read-only, so the lean front links
/// it too; storing a graph after an import is road_graph_refresh.hpp's (the full program's).
#pragma once

#include <vigil/app/road_graph.hpp>
#include <vigil/model/layer.hpp>
#include <vigil/routing/road_graph.hpp>
#include <vigil/store/project_reader.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::cli {

/// The speed profile: `file`, else routing/road_speeds.json next to the layer catalogue, else
/// the built-in one (the same numbers).
/// @throws vigil::IoError / vigil::FormatError for an unreadable or bad file.
routing::SpeedProfile load_speeds(const std::string& file);

/// The project's road graph with its contraction hierarchy (app::project_road_graph): the one
/// stored at import when it matches `speeds`, else built now, and then its note (why the stored
/// one was not used) goes to stderr unless --quiet.
/// @throws vigil::UsageError if the project has no roads.
app::ProjectRoadGraph load_road_graph(const store::Project& project, const routing::SpeedProfile& speeds);

/// Road closures read from a file: the polygons of every Polygon/MultiPolygon of the GeoJSON
/// file `path` (e.g. `vigil zone --geojson`'s zones, or areas drawn in QGIS); other geometries
/// are ignored. `where` ("PROPERTY=V1,V2", e.g. "tier=3" for the red zone only) keeps the
/// features whose property has one of the values. Empty `path`: no closures. Which roads they
/// close, and where responders stage, is the services' business (app/road_graph.hpp).
/// @throws vigil::FormatError naming the file and feature for a bad geometry, vigil::UsageError
///         for a file with no polygon at all, or in another CRS than WGS84.
std::vector<app::Rings> read_closures(const std::string& path, const std::string& where = {});

} // namespace vigil::cli

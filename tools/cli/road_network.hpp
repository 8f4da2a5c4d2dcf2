/// @file
/// The road network as the dispatch commands (nearest --by road, supply, isochrone, coverage)
/// and the import commands see it: the speed profile file and the project's road graph.
#pragma once

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

/// The project's road graph with its contraction hierarchy: the one stored at import when it
/// matches `speeds`, else built now (and a note on stderr says so, unless --quiet).
/// @throws vigil::UsageError if the project has no roads.
routing::RoadGraph load_road_graph(const store::Project& project, const routing::SpeedProfile& speeds);

/// Road closures: the segments of `graph` inside or crossing any Polygon/MultiPolygon of the
/// GeoJSON file `path` (e.g. `vigil zone --geojson`'s zones, or areas drawn in QGIS); other
/// geometries in the file are ignored. `where` ("PROPERTY=V1,V2", e.g. "tier=3" for the red
/// zone only) keeps the features whose property has one of the values. Empty `path`: no closures.
/// @throws vigil::FormatError naming the file and feature for a bad geometry, vigil::UsageError
///         for a file with no polygon at all.
std::vector<std::uint32_t> closed_segments(const routing::RoadGraph& graph, const std::string& path, const std::string& where = {});

/// Where a record stands for routing: its point, or a representative point of a line/area.
geo::Coord record_point(const model::Layer& layer, std::size_t row);

/// A record's turnout time (the kind's Turnout-role field, in minutes) in seconds; 0 without one.
double record_turnout_s(const model::Layer& layer, std::size_t row);

/// After an import into `layer`: when it is the roads layer, builds and stores the road graph
/// and prints one line about it (unless `quiet`). Returns a JSON-able summary line ("" if not
/// roads).
std::string refresh_road_graph(const std::string& db, const std::string& layer, const std::string& speeds_file, bool quiet);

} // namespace vigil::cli

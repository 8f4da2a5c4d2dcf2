/// @file
/// The JSON of a nearest or within answer (docs/json.md "Nearest and within"): what `vigil nearest
/// --json` and `vigil within --json` print and what the page's vigil.nearest returns, written
/// here once. {"query": {layer, lon, lat}, "results": [{id, name, lon, lat, distance_m, <every
/// other field of the kind>}]}, nearest first; a point's own coordinates, another geometry's
/// representative point; distances rounded to the centimetre; field values as
/// catalog::value_json gives them (sets and lists as arrays, bools as true/false, null as null).
#pragma once

#include <vigil/geo/geometry.hpp>
#include <vigil/model/layer.hpp>
#include <vigil/query/nearest.hpp>

#include <string>
#include <vector>

namespace vigil::app {

/// The answer's JSON text; `pretty`: indented by two spaces, one member per line (the CLI),
/// else compact (the page). Written straight to text, not through a JSON tree: a radius can
/// name thousands of records, and building and dumping the tree took half of a cold `vigil
/// within --json` at 1M records (~2,000 results: 49M of 105M instructions, callgrind).
std::string hits_json(const model::Layer& layer, geo::Coord at, const std::vector<query::Hit>& hits, bool pretty);

} // namespace vigil::app

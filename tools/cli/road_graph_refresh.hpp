/// @file
/// Storing the road graph in a project after an import (vigil import, vigil demo). Apart from
/// road_network.hpp because it writes through vigil_native_store, which the lean front
/// (front_main.cpp) does not link.
#pragma once

#include <string>

namespace vigil::cli {

/// After an import into `layer`: when it is the roads layer, builds and stores the road graph
/// and prints one line about it (unless `quiet`). Returns a JSON-able summary line ("" if not
/// roads).
std::string refresh_road_graph(const std::string& db, const std::string& layer, const std::string& speeds_file, bool quiet);

} // namespace vigil::cli

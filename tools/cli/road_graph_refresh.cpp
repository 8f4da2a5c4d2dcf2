// Storing the road graph after an import (see road_graph_refresh.hpp).

#include "road_graph_refresh.hpp"

#include "road_network.hpp"

#include <vigil/native/road_graph_writer.hpp>
#include <vigil/util/i18n.hpp>

#include <fmt/format.h>

#include <iostream>

namespace vigil::cli {

std::string refresh_road_graph(const std::string& db, const std::string& layer, const std::string& speeds_file, bool quiet) {
    if (layer != "roads") return {};
    auto info = native::store_road_graph(db, load_speeds(speeds_file));
    std::string line = info.stored ? trf("road graph stored: {} nodes, {} segments, {} shortcuts, {:.1f} MB, built in {:.2f} s", info.nodes,
                                         info.segments, info.shortcuts, static_cast<double>(info.bytes) / 1e6, info.build_ms / 1000)
                                   : std::string(tr("road graph removed: the roads layer is empty"));
    if (!quiet) std::cout << "  " << line << "\n";
    return line;
}

} // namespace vigil::cli

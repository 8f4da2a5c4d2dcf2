/// @file
/// Building the road graph and its contraction hierarchy after a roads import and storing them
/// in the project database (store/road_graph_store.hpp has the table and the reader).
#pragma once

#include <vigil/routing/road_graph.hpp>

#include <cstddef>
#include <filesystem>

namespace vigil::native {

struct StoredRoadGraph {
    bool stored = false; ///< false: the project has no roads (any stored graph was removed)
    std::size_t nodes = 0, segments = 0, shortcuts = 0;
    std::size_t bytes = 0; ///< size of the stored BLOB
    double build_ms = 0;   ///< graph + hierarchy
};

/// Builds the graph of the project's roads with `speeds`, contracts it and stores it (one
/// transaction, replacing the previous graph). The stored data is left as it was if anything
/// fails.
/// @throws vigil::IoError / vigil::DatabaseError for the database, vigil::FormatError for a
///         damaged road geometry.
StoredRoadGraph store_road_graph(const std::filesystem::path& db, const routing::SpeedProfile& speeds);

} // namespace vigil::native

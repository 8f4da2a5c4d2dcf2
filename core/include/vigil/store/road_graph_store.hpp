/// @file
/// The road graph kept in the project database, so that a dispatch query does not rebuild it
/// (and its contraction hierarchy: seconds on a city network) every time.
///
///     vigil_road_graph (one row):  stamp | built_at | node_count | segment_count |
///                                  shortcut_count | build_ms | graph BLOB (RoadGraph::serialize)
///
/// The stamp says what the graph was built from: the roads layer's feature count and last
/// update time, a digest of the speed profile and the speed rule's version
/// (SpeedProfile::k_rule_version: a graph stored before posted limits stopped raising class
/// speeds has optimistic times). A reader that computes a different stamp (roads imported
/// again by an older Vigil, another --speeds file, another rule) ignores the stored graph and
/// builds one in memory instead: a stale graph is never used. Writing happens natively after a
/// roads import (vigil_native_store: native/road_graph_writer.hpp); reading is platform-free, so
/// the browser can use the stored graph too.
#pragma once

#include <vigil/routing/road_graph.hpp>
#include <vigil/store/project_reader.hpp>

#include <optional>
#include <string>

namespace vigil::store {

inline constexpr const char* k_road_graph_table = "vigil_road_graph";

/// What the stored graph must have been built from to be used with `speeds`: empty if the
/// project has no roads layer (or an empty one).
std::string road_graph_stamp(const Project& project, const routing::SpeedProfile& speeds);

/// The stamp of the stored graph, or nullopt when the database holds none (no table, no row).
std::optional<std::string> stored_road_graph_stamp(const Project& project);

/// The stored graph if there is one and its stamp is `stamp`; nullopt otherwise (no table, no
/// row, another stamp).
/// @throws vigil::FormatError if the row is there with the right stamp but its bytes are damaged.
std::optional<routing::RoadGraph> load_stored_road_graph(const Project& project, const std::string& stamp);

/// The project's road graph for `speeds`: the stored one when current, else built from the roads
/// layer in memory (with its hierarchy when `build_hierarchy`). `from_store` tells which.
/// @throws vigil::UsageError if the project has no roads (naming the database).
routing::RoadGraph project_road_graph(const Project& project, const routing::SpeedProfile& speeds, bool build_hierarchy,
                                      bool* from_store = nullptr);

} // namespace vigil::store

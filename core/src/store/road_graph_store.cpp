/// @file
/// Reading the stored road graph and deciding whether it is current (see road_graph_store.hpp).

#include <vigil/store/road_graph_store.hpp>

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <cstdint>
#include <cstdio>

namespace vigil::store {

namespace {

// FNV-1a, 64 bit: the stamp only has to tell profiles apart, not resist an adversary, and core
// has no cryptographic hash (the SHA-256 of file provenance lives in the native adapters).
std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

std::string speeds_text(const routing::SpeedProfile& speeds) {
    auto number = [](double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", v);
        return std::string(buf);
    };
    std::string text = "default=" + number(speeds.default_kmh) + ";access=" + number(speeds.access_kmh);
    for (const auto& [cls, kmh] : speeds.class_kmh) text += ";" + cls + "=" + number(kmh); // std::map: sorted
    return text;
}

} // namespace

std::string road_graph_stamp(const Project& project, const routing::SpeedProfile& speeds) {
    for (const auto& l : project.layers()) {
        if (l.kind != "roads") continue;
        if (l.feature_count == 0) return {};
        char digest[17];
        std::snprintf(digest, sizeof digest, "%016llx", static_cast<unsigned long long>(fnv1a(speeds_text(speeds))));
        // The speed rule too: the same profile under another rule (rule 1 let posted limits raise
        // class speeds) gives other, optimistic times; a graph stored under it must not match.
        return "roads=" + std::to_string(l.feature_count) + "@" + l.updated_at + ";speeds=" + digest +
               ";rule=" + std::to_string(routing::SpeedProfile::k_rule_version);
    }
    return {};
}

std::optional<std::string> stored_road_graph_stamp(const Project& project) {
    const auto& db = project.database();
    if (!db.table_exists(k_road_graph_table)) return std::nullopt;
    auto st = db.prepare(std::string("SELECT stamp FROM ") + k_road_graph_table + " WHERE id = 1");
    if (!st.step()) return std::nullopt;
    return std::string(st.column_text(0));
}

std::optional<routing::RoadGraph> load_stored_road_graph(const Project& project, const std::string& stamp) {
    const auto& db = project.database();
    if (stamp.empty() || !db.table_exists(k_road_graph_table)) return std::nullopt;
    auto st = db.prepare(std::string("SELECT stamp, graph FROM ") + k_road_graph_table + " WHERE id = 1");
    if (!st.step() || st.column_text(0) != stamp) return std::nullopt;
    auto blob = st.column_blob(1);
    try {
        return routing::RoadGraph::deserialize(std::as_bytes(blob));
    } catch (const FormatError& e) {
        throw FormatError(trf("{}: {}: {} (run 'vigil import' of the roads again, or delete the row to rebuild it in memory)", db.path(),
                              k_road_graph_table, e.what()));
    }
}

routing::RoadGraph project_road_graph(const Project& project, const routing::SpeedProfile& speeds, bool build_hierarchy, bool* from_store) {
    const std::string no_roads =
        trf("database '{}' has no roads: import a road layer (vigil import DB FILE --layer roads)", project.database().path());
    if (!project.catalog().find("roads")) throw UsageError(no_roads);
    const std::string stamp = road_graph_stamp(project, speeds);
    if (stamp.empty()) throw UsageError(no_roads);
    if (auto stored = load_stored_road_graph(project, stamp)) {
        if (from_store) *from_store = true;
        return std::move(*stored);
    }
    if (from_store) *from_store = false;
    auto roads = project.load_layer("roads");
    auto graph = routing::RoadGraph::from_layer(*roads, speeds);
    if (build_hierarchy) graph.build_hierarchy();
    return graph;
}

} // namespace vigil::store

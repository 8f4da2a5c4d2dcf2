/// @file
/// store_road_graph(): roads layer -> RoadGraph + hierarchy -> vigil_road_graph (one row).

#include <vigil/native/road_graph_writer.hpp>

#include <vigil/native/project_writer.hpp>
#include <vigil/store/road_graph_store.hpp>
#include <vigil/store/sqlite.hpp>

#include <chrono>
#include <cstdint>

namespace vigil::native {

StoredRoadGraph store_road_graph(const std::filesystem::path& db, const routing::SpeedProfile& speeds) {
    StoredRoadGraph out;
    std::string stamp;
    std::vector<std::byte> bytes;
    {
        auto project = store::Project::open(db);
        stamp = store::road_graph_stamp(project, speeds);
        if (!stamp.empty()) {
            const auto t0 = std::chrono::steady_clock::now();
            auto graph = routing::RoadGraph::from_layer(*project.load_layer("roads"), speeds);
            graph.build_hierarchy();
            out.build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            out.nodes = graph.node_count();
            out.segments = graph.segment_count();
            out.shortcuts = graph.hierarchy()->shortcut_count();
            bytes = graph.serialize();
            out.bytes = bytes.size();
        }
    }
    auto database = store::Database::open(db, store::Database::Mode::ReadWrite);
    const std::string table = store::k_road_graph_table;
    database.exec("BEGIN IMMEDIATE");
    try {
        database.exec("CREATE TABLE IF NOT EXISTS " + table +
                      " (id INTEGER PRIMARY KEY CHECK (id = 1), stamp TEXT NOT NULL, built_at TEXT NOT NULL,"
                      " node_count INTEGER NOT NULL, segment_count INTEGER NOT NULL, shortcut_count INTEGER NOT NULL,"
                      " build_ms REAL NOT NULL, graph BLOB NOT NULL)");
        if (stamp.empty()) {
            database.exec("DELETE FROM " + table);
        } else {
            auto st = database.prepare("INSERT OR REPLACE INTO " + table +
                                       // i18n: not shown: SQL
                                       " (id, stamp, built_at, node_count, segment_count, shortcut_count, build_ms, graph)"
                                       " VALUES (1, ?, ?, ?, ?, ?, ?, ?)");
            st.bind(1, stamp)
                .bind(2, utc_now())
                .bind(3, static_cast<std::int64_t>(out.nodes))
                .bind(4, static_cast<std::int64_t>(out.segments))
                .bind(5, static_cast<std::int64_t>(out.shortcuts))
                .bind(6, out.build_ms)
                .bind_blob(7, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
            st.run();
            out.stored = true;
        }
        database.exec("COMMIT");
    } catch (...) {
        database.exec("ROLLBACK");
        throw;
    }
    return out;
}

} // namespace vigil::native

/// @file
/// The edit service's store (app::EditStore, app/edits.hpp) over the SpatiaLite project file.
/// @attention needs SpatiaLite at run time (vigil_native_store).
///
/// Opened through ProjectWriter::open, so an older file is migrated to schema 3 first and the
/// connection runs in WAL with synchronous=FULL (a committed edit survives a power cut) and a
/// busy timeout: readers (viewers, `vigil nearest`) never block the editor, and a second editor
/// waits for the write lock instead of failing half-way. Every operation is one BEGIN IMMEDIATE
/// transaction: the records, their versions, vigil_audit and vigil_changes change together or not
/// at all. Point records are inserted with SpatiaLite's geometry blob; SpatiaLite's own triggers
/// keep the R*Tree spatial index, and the layer summary (vigil_layers) follows.
///
/// The WAL kept in check: SQLite's automatic checkpoint (on the editing connection, after a commit)
/// copies the log back into the database, but the log restarts from its beginning only at a
/// moment when no reader still reads an older snapshot from it. Viewers that keep overlapping
/// read transactions open (a slow load of a big layer) never leave such a moment, and the -wal
/// file then grows with every edit: 492-509 MiB in one minute of full-speed edits beside eight
/// readers holding 1 s snapshots (bench/edit_concurrency.py --hold-ms 1000). So a thread with a
/// connection of its own looks every 200 ms; when the log holds more than `wal_limit` bytes it
/// runs wal_checkpoint(TRUNCATE), which holds off the editor (up to 3 s, its busy wait) while
/// the readers of older snapshots finish (new readers go on, reading the database file), then
/// empties the file. When a reader outlasts the wait it gives up and tries again 2 s later,
/// then 4, 8 ... 64 s. At a dispatcher's pace (~30 KiB of log an edit) the limit is ~1,000
/// edits within one reader's transaction: only a benchmark's full-speed editor reaches it. In
/// the benchmark above this kept the log to 149 MiB instead of 509 (some tries still gave up: not a bound),
/// at the price of edits held off for up to 2.5 s; with ordinary viewers it stays under 10 MiB
/// and never needs to wait (docs/benchmarks.md "Edits: crash and concurrency").
#pragma once

#include <vigil/app/edits.hpp>
#include <vigil/native/project_writer.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>

namespace vigil::native {

namespace detail {
class WalCheckpointer;
} // namespace detail

class SpatialiteEditStore final : public app::EditStore {
public:
    /// The log size above which the checkpoint thread empties it: half the 64 MiB that issue 14
    /// allows, leaving room for what is written while it waits for readers.
    static constexpr std::uintmax_t k_wal_limit = std::uintmax_t{32} << 20;

    /// Opens `path` (which must exist) for edits. The tables of the kinds edits touch
    /// (incidents, dispatches, rescue_teams, warehouses) are created from `catalog` when missing,
    /// and their stored definitions brought up to `catalog`'s (a status value added there counts).
    /// `wal_limit`: bytes of log above which the checkpoint thread empties it (see above).
    /// @throws as ProjectWriter::open.
    static std::unique_ptr<SpatialiteEditStore> open(const std::filesystem::path& path, const catalog::Catalog& catalog,
                                                     std::uintmax_t wal_limit = k_wal_limit);
    ~SpatialiteEditStore() override;
    /// How many times the checkpoint thread has emptied the log (for tests and benchmarks).
    std::int64_t wal_truncations() const;

    std::shared_ptr<const catalog::LayerKind> kind(std::string_view layer) const override;
    void begin() override;
    void commit() override;
    void rollback() override;
    std::string now() const override;
    std::optional<app::StoredRecord> find(const catalog::LayerKind& kind, std::string_view id) const override;
    std::vector<app::StoredRecord> find_where(const catalog::LayerKind& kind, std::string_view field,
                                              std::string_view value) const override;
    std::vector<std::string> ids_with_prefix(const catalog::LayerKind& kind, std::string_view prefix) const override;
    void update(const catalog::LayerKind& kind, std::int64_t fid, const std::vector<std::pair<std::size_t, model::Value>>& values,
                std::int64_t version, const std::string& at) override;
    void insert(const catalog::LayerKind& kind, const std::vector<model::Value>& values, geo::Coord point, const std::string& at) override;
    std::int64_t append_audit(const app::AuditEntry& entry) override;
    void append_change(const std::string& layer, const std::string& record_id, const std::string& action, const std::string& at) override;
    std::vector<app::AuditEntry> audit(const app::AuditQuery& query) const override;

    store::Database& database() { return m_writer.database(); }

private:
    SpatialiteEditStore(ProjectWriter writer, catalog::Catalog catalog);
    std::vector<app::StoredRecord> select(const catalog::LayerKind& kind, const std::string& where,
                                          const std::vector<std::string>& args) const;
    // Reads (find, audit) are const in the interface; they prepare statements on the same connection.
    mutable ProjectWriter m_writer;
    catalog::Catalog m_catalog;
    std::unique_ptr<store::Transaction> m_tx;
    std::unique_ptr<detail::WalCheckpointer> m_checkpointer; // last: stopped before the connection closes
};

} // namespace vigil::native

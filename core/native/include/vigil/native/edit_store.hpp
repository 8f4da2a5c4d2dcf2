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
#pragma once

#include <vigil/app/edits.hpp>
#include <vigil/native/project_writer.hpp>

#include <filesystem>
#include <memory>

namespace vigil::native {

class SpatialiteEditStore final : public app::EditStore {
public:
    /// Opens `path` (which must exist) for edits. The tables of the kinds edits touch
    /// (incidents, dispatches, rescue_teams, warehouses) are created from `catalog` when missing,
    /// and their stored definitions brought up to `catalog`'s (a status value added there counts).
    /// @throws as ProjectWriter::open.
    static std::unique_ptr<SpatialiteEditStore> open(const std::filesystem::path& path, const catalog::Catalog& catalog);

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
};

} // namespace vigil::native

/// @file
/// Writing the project database: a SpatiaLite file (SQLite + mod_spatialite) that ogrinfo, the
/// spatialite shell and QGIS open as is. @attention needs SpatiaLite at run time (vigil_native_store).
///
/// Every import is one transaction (BEGIN IMMEDIATE ... COMMIT): the layer table, its spatial
/// index, the layer summary and the provenance row change together or not at all. During the
/// import SpatiaLite's per-row triggers on the layer table are set aside, and the R*Tree spatial
/// index is rebuilt in one pass at the end by writing its shadow tables directly
/// (index/sqlite_rtree_pack.hpp): a million one-by-one R*Tree inserts cost ~20 s here, the
/// bulk build well under one. The triggers are restored, unchanged, before COMMIT.
#pragma once

#include <vigil/catalog/catalog.hpp>
#include <vigil/importing/existing_records.hpp>
#include <vigil/importing/pipeline.hpp>
#include <vigil/store/sqlite.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace vigil::native {

/// Where an import came from, for vigil_imports.
struct ImportProvenance {
    std::string file_path;
    std::string file_name;
    std::int64_t file_size = 0;
    std::string file_sha256;
    std::string format;
    std::string source_crs;
    std::string encoding;
    std::string options_json;
    std::string started_at; ///< ISO 8601 UTC
};

/// Imports of at least this many bytes take the bulk path (see LayerImport).
constexpr std::int64_t k_default_bulk_import_bytes = 16 << 20;

/// The current time as ISO 8601 UTC with milliseconds ("2026-11-28T16:53:11.123Z").
std::string utc_now();

class LayerImport;

class ProjectWriter {
public:
    /// Opens a project database for writing, creating and initialising it when `create` is set
    /// and the file does not exist. Throws vigil::IoError (cannot open/create), vigil::SchemaError
    /// (an existing file that is not a Vigil project, or one from a newer Vigil), and
    /// vigil::DatabaseError (SpatiaLite missing: "apt-get install libsqlite3-mod-spatialite").
    static ProjectWriter open(const std::filesystem::path& path, bool create);

    ProjectWriter(ProjectWriter&&) noexcept;
    ProjectWriter& operator=(ProjectWriter&&) noexcept;
    ~ProjectWriter();

    /// Creates the tables of every kind in `catalog` that the database does not have yet, and
    /// stores their definitions (one transaction).
    void ensure_layers(const catalog::Catalog& catalog);

    /// Starts an import into `kind` (BEGIN IMMEDIATE). The returned object is the pipeline's
    /// sink; commit() or rollback() ends it (destruction without commit rolls back).
    /// `bulk_threshold_bytes`: imports of files at least this large drop the id index and rebuild
    /// it in one sorted pass, and write through a rollback journal instead of the WAL (new pages
    /// once, not twice); smaller imports keep the index and the WAL.
    /// `on_existing`: what a record whose id is stored may do (see importing::OnExisting). With
    /// Refuse, a record that would change a stored one is not written but counted
    /// (would_update()); the caller must then roll back.
    /// `overwrite_edits`: unless set, a record that a person edited (vigil_audit) since the
    /// import that last wrote it is neither updated nor removed, but listed (edits_refusal());
    /// the caller must then roll back. Every updated record's version is bumped, and a committed
    /// import that changed anything appends one bulk row (record_id NULL) to vigil_changes.
    std::unique_ptr<LayerImport> begin_import(const catalog::LayerKind& kind, const ImportProvenance& provenance,
                                              std::int64_t bulk_threshold_bytes = k_default_bulk_import_bytes,
                                              importing::OnExisting on_existing = importing::OnExisting::Refuse,
                                              bool overwrite_edits = false);

    /// Records a refused or failed import in vigil_imports, in its own small transaction.
    void log_import(const ImportProvenance& provenance, const std::string& layer, const std::string& status,
                    const importing::ImportSummary& summary, const std::string& message);

    store::Database& database() { return *m_db; }

private:
    ProjectWriter() = default;
    std::unique_ptr<store::Database> m_db;
};

/// One import's writes, in one transaction. A record whose id is stored and whose fields,
/// extra columns and geometry equal the stored ones is left as it is (unchanged, no history);
/// one that differs is updated (Update, ReplaceLayer: the stored version goes to
/// record_history first) or counted as a would-be update (Refuse).
class LayerImport final : public importing::RecordSink {
public:
    ~LayerImport() override;
    void write(const importing::Record& record) override;
    /// With ReplaceLayer, removes the stored records the file did not hold (each kept in
    /// record_history); then rebuilds the spatial index, restores the triggers, updates the
    /// layer summary and the provenance row, and commits. Returns the import id. Throws
    /// vigil::Error when records would have been updated under Refuse.
    std::int64_t commit(const importing::ImportSummary& summary);
    void rollback();
    /// The source file's SHA-256, when it becomes known after begin_import().
    void set_file_sha256(const std::string& sha256);

    std::uint64_t inserted() const { return m_inserted; }
    std::uint64_t updated() const { return m_updated; }
    std::uint64_t unchanged() const { return m_unchanged; }
    std::uint64_t removed() const { return m_removed; }
    /// Under Refuse: the records that would have changed stored ones (count 0 if none), with
    /// the stored side of the first few filled in. `rows_read` is the file's record count (for
    /// the row-number test).
    importing::UpdateRefusal would_update(std::uint64_t rows_read) const;
    /// Without overwrite_edits: the records edited since their last import that the file would
    /// change, in words (Chinese, then English, the first few with their fields, editor and
    /// time); "" when none. Non-empty: the caller must roll back (commit() throws it).
    std::string edits_refusal() const;

private:
    friend class ProjectWriter;
    struct State;
    explicit LayerImport(std::unique_ptr<State> state);
    static void restore_journal(State& s);
    /// Copies the stored row State::current stands on into record_history.
    void keep_history(std::int64_t fid, const char* action);
    /// Whether record `id` (at `fid`) was edited since its last import; lists it if so.
    bool note_edits(const std::string& id, std::int64_t fid);
    std::unique_ptr<State> m_state;
    std::uint64_t m_inserted = 0;
    std::uint64_t m_updated = 0;
    std::uint64_t m_unchanged = 0;
    std::uint64_t m_removed = 0;
};

} // namespace vigil::native

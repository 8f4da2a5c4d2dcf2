/// @file
/// Following a project database as others edit it: the change sequence every edit and import
/// appends to (vigil_changes, project_schema.hpp), polled cheaply and read as deltas per layer,
/// so that a viewer re-reads only the records that changed instead of reloading the project.
///
///     poll()         PRAGMA data_version on a connection kept open: it differs from the last
///                    look exactly when another connection committed (microseconds, no table read)
///     read()         vigil_changes WHERE seq > cursor, folded to one entry per layer: ids to
///                    re-read (insert/update), ids removed (delete), or the whole layer (bulk)
///     read_records() those records from the layer table, decoded as a load decodes them
///
/// The layer tables are the truth, the sequence only says where to look: a record named by a
/// change is re-read by its id, and one no longer there is removed whatever the change said. So
/// a change read twice, or a record committed after its change was read, does no harm.
/// Platform-free (plain SQLite); a project without vigil_changes (written by an older Vigil) is
/// simply not followed: note() says so once, nothing fails.
#pragma once

#include <vigil/model/layer.hpp>
#include <vigil/model/layer_patch.hpp>
#include <vigil/store/project_reader.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace vigil::store {

/// One row of vigil_changes.
struct ChangeRow {
    std::int64_t seq = 0;
    std::string at;                       ///< UTC ISO 8601 with milliseconds
    std::string layer;                    ///< the layer kind
    std::optional<std::string> record_id; ///< none: a bulk change of the layer
    std::string action;                   ///< insert | update | delete | bulk
};

/// What changed in one layer.
struct LayerChanges {
    std::string layer;
    bool reload = false;              ///< a bulk change (an import): read the layer whole
    std::vector<std::string> changed; ///< ids inserted or updated, to re-read (each once, first change first)
    std::vector<std::string> removed; ///< ids whose last change was a delete
};

/// The changes of a run of sequence numbers, one entry per layer (first changed first).
struct ChangeSet {
    std::int64_t first_seq = 0, last_seq = 0;
    std::size_t rows = 0; ///< vigil_changes rows read
    std::string last_at;  ///< the newest change's time
    std::vector<LayerChanges> layers;
    bool empty() const { return rows == 0; }
};

/// Folds change rows (in sequence order) into one entry per layer: a record's last action wins
/// (insert then delete: removed; delete then insert: changed), a bulk row makes the layer a
/// reload and drops its per-record entries. An unknown action is taken as an update (safe side:
/// the record is re-read and the table says what it is).
ChangeSet fold_changes(std::span<const ChangeRow> rows);

class ChangeFeed {
public:
    /// Opens a read-only connection of its own to the project at `path`, kept open (data_version
    /// is per connection), and starts after the newest change there now. Open the feed *before*
    /// loading the layers it is to keep current: a change committed in between is then read
    /// again, which is harmless, rather than missed. Throws what store::Project::open throws.
    explicit ChangeFeed(const std::filesystem::path& path);

    /// Whether the database has a change sequence (checked again after each commit seen, so a
    /// project that gains the table is followed from its first change).
    bool followed() const { return m_followed; }
    /// Why the project is not followed ("" when it is): for a status line, said once.
    const std::string& note() const { return m_note; }

    /// True when another connection committed since the last poll (PRAGMA data_version). Cheap
    /// enough for every frame; reads no table.
    bool poll();
    /// The changes after the cursor, folded; advances the cursor past them. Empty when there are
    /// none (or no change sequence).
    ChangeSet read();
    /// Sequence number of the last change read (0 before any).
    std::int64_t cursor() const { return m_cursor; }

    /// The stored records of `ids` in layer `kind` (ids not in the table are left out: removed
    /// since), decoded as Project::load_layer decodes them.
    /// @throws vigil::UsageError for a kind the project lacks, vigil::FormatError for a damaged geometry.
    std::vector<model::Record> read_records(std::string_view kind, std::span<const std::string> ids);
    /// The project as this feed's connection sees it (its catalogue re-read after a bulk
    /// change or a change to a kind it did not know: an import may bring or redefine a kind).
    const Project& project() const { return *m_project; }

private:
    void check_followed();
    std::filesystem::path m_path;
    std::optional<Project> m_project;
    bool m_followed = false;
    std::string m_note;
    std::int64_t m_cursor = 0;
    std::int64_t m_data_version = 0;
};

} // namespace vigil::store

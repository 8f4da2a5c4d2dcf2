/// @file
/// Consistent snapshots of a live project database for download. The live file is never sent:
/// a writer may be half-way through a transaction, and a WAL database's committed state is
/// spread over two files. `VACUUM INTO` copies exactly the last committed state into a private
/// file, which is then mapped read-only and unlinked (without the server-only tables: the audit); each Snapshot is immutable and shared, so
/// a download keeps the snapshot it started with while a newer one takes over for later requests.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace vigil::web::detail {

/// Tables a snapshot leaves out: who edited what, from which seat (vigil_audit).
inline constexpr const char* k_server_only_tables[] = {"vigil_audit"};

/// A private temporary folder (mode 0700 under $TMPDIR or /tmp), removed with its contents on
/// destruction.
class TempDir {
public:
    explicit TempDir(std::string_view prefix);
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

/// The bytes of a file mapped read-only. The file is unlinked once mapped: the mapping keeps
/// the data alive, and a process killed outright (SIGKILL, where no destructor runs) leaves at
/// most the snapshot it was making.
class MappedFile {
public:
    /// Throws vigil::IoError.
    static std::shared_ptr<const MappedFile> map_and_unlink(const std::filesystem::path& path);
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    ~MappedFile();
    std::string_view bytes() const { return {static_cast<const char*>(m_data), m_size}; }

private:
    MappedFile(void* data, std::size_t size) : m_data(data), m_size(size) {}
    void* m_data;
    std::size_t m_size;
};

/// One immutable snapshot of the database.
struct Snapshot {
    std::shared_ptr<const MappedFile> file; ///< the SQLite bytes (rollback-journal mode)
    std::string gzip;                       ///< the same, gzip-coded; empty when that saves under 10%
    std::string hash;                       ///< content_hash of the bytes
    std::string time;                       ///< when the copy was taken, ISO-8601 UTC
    std::string_view bytes() const { return file->bytes(); }
};

/// Size, modification time and inode of the database and its -wal file: any commit changes at
/// least one of them (a WAL commit appends to -wal; a checkpoint or rollback-journal commit
/// writes the main file; a replaced file has a new inode).
struct SourceState {
    std::uint64_t db_size = 0, db_mtime_ns = 0, db_inode = 0;
    std::uint64_t wal_size = 0, wal_mtime_ns = 0;
    bool operator==(const SourceState&) const = default;
};

/// Makes snapshots of one database into its own TempDir.
class SnapshotMaker {
public:
    /// Makes the first snapshot at once. Throws vigil::IoError (missing or unreadable file),
    /// vigil::FormatError (not SQLite) or vigil::DatabaseError (the copy failed).
    explicit SnapshotMaker(std::filesystem::path database);

    /// The snapshot in service. Never null.
    std::shared_ptr<const Snapshot> current() const;

    /// Makes a new snapshot when the database files changed since the last one was made (or
    /// always, with `force`) and puts it in service if its content differs. Returns true when a
    /// new snapshot went into service. On failure it throws and the previous snapshot stays in
    /// service. One refresh runs at a time; callers wait.
    bool refresh(bool force = false);

    const std::filesystem::path& database() const { return m_database; }

private:
    std::shared_ptr<const Snapshot> make();

    std::filesystem::path m_database;
    TempDir m_dir;
    std::mutex m_refresh_mutex; ///< one refresh at a time; guards m_state and m_counter
    SourceState m_state;        ///< of the database when the snapshot in service was begun
    std::uint64_t m_counter = 0;
    mutable std::mutex m_current_mutex; ///< guards m_current (held only to copy the pointer)
    std::shared_ptr<const Snapshot> m_current;
};

/// The state of the database files now (zeros for a missing -wal file). Throws vigil::IoError
/// when the database itself is missing.
SourceState source_state(const std::filesystem::path& database);

} // namespace vigil::web::detail

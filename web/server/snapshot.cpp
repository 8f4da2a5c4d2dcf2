#include "snapshot.hpp"

#include "http_rules.hpp"

#include <vigil/store/sqlite.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <sqlite3.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vigil::web::detail {

namespace fs = std::filesystem;

namespace {

// VACUUM INTO over a read-only connection of our own (not store::Database::open, whose opening
// check would report a locked database as "not a usable SQLite database"). VACUUM INTO reads one
// consistent snapshot (a read transaction) and writes a fresh, compact copy of it. With WAL it
// never waits for writers; with a rollback journal it waits up to 5 s while a writer holds its
// exclusive lock, then fails and the previous snapshot stays in service.
void vacuum_into(const fs::path& source, const fs::path& target) {
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(source.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> guard(db, &sqlite3_close_v2);
    if (rc != SQLITE_OK) throw IoError(trf("cannot open database '{}': {}", source.string(), db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 5000);
    auto fail = [&](int code) {
        std::string msg = sqlite3_errmsg(db);
        if ((code & 0xff) == SQLITE_NOTADB) throw FormatError(trf("'{}' is not an SQLite database: {}", source.string(), msg));
        throw DatabaseError(trf("snapshot of '{}' failed: {}", source.string(), msg));
    };
    sqlite3_stmt* stmt = nullptr;
    rc = sqlite3_prepare_v2(db, "VACUUM INTO ?", -1, &stmt, nullptr);
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt_guard(stmt, &sqlite3_finalize);
    if (rc != SQLITE_OK) fail(rc);
    sqlite3_bind_text(stmt, 1, target.c_str(), -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(stmt);
    if (rc != SQLITE_DONE) fail(rc);
}

} // namespace

TempDir::TempDir(std::string_view prefix) {
    std::error_code ec;
    fs::path base = fs::temp_directory_path(ec);
    if (ec) base = "/tmp";
    std::string templ = (base / (std::string(prefix) + "XXXXXX")).string();
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    // mkdtemp creates the folder with mode 0700: other users cannot read the snapshots.
    if (!::mkdtemp(buf.data())) throw IoError(trf("cannot create a temporary folder in {}: {}", base.string(), std::strerror(errno)));
    m_path = buf.data();
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
}

std::shared_ptr<const MappedFile> MappedFile::map_and_unlink(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw IoError(trf("cannot open '{}': {}", path.string(), std::strerror(errno)));
    struct stat st {};
    void* data = nullptr;
    std::size_t size = 0;
    if (::fstat(fd, &st) == 0) {
        size = static_cast<std::size_t>(st.st_size);
        data = size == 0 ? nullptr : ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    }
    int err = errno;
    ::close(fd);
    if (data == MAP_FAILED || (size > 0 && data == nullptr))
        throw IoError(trf("cannot map '{}' into memory: {}", path.string(), std::strerror(err)));
    std::error_code ec;
    fs::remove(path, ec);
    return std::shared_ptr<const MappedFile>(new MappedFile(data, size));
}

MappedFile::~MappedFile() {
    if (m_data) ::munmap(m_data, m_size);
}

SourceState source_state(const fs::path& database) {
    SourceState s;
    struct stat st {};
    if (::stat(database.c_str(), &st) != 0) throw IoError("database '" + database.string() + "': " + std::strerror(errno));
    s.db_size = static_cast<std::uint64_t>(st.st_size);
    s.db_mtime_ns = static_cast<std::uint64_t>(st.st_mtim.tv_sec) * 1000000000ull + static_cast<std::uint64_t>(st.st_mtim.tv_nsec);
    s.db_inode = static_cast<std::uint64_t>(st.st_ino);
    auto wal = database;
    wal += "-wal";
    if (::stat(wal.c_str(), &st) == 0) {
        s.wal_size = static_cast<std::uint64_t>(st.st_size);
        s.wal_mtime_ns = static_cast<std::uint64_t>(st.st_mtim.tv_sec) * 1000000000ull + static_cast<std::uint64_t>(st.st_mtim.tv_nsec);
    }
    return s;
}

SnapshotMaker::SnapshotMaker(fs::path database) : m_database(std::move(database)), m_dir("vigil-serve-") {
    std::error_code ec;
    if (!fs::exists(m_database, ec)) throw IoError(trf("database '{}' does not exist", m_database.string()));
    if (fs::is_directory(m_database, ec)) throw IoError(trf("database '{}' is a folder, not a file", m_database.string()));
    refresh(true);
}

std::shared_ptr<const Snapshot> SnapshotMaker::current() const {
    std::lock_guard lock(m_current_mutex);
    return m_current;
}

bool SnapshotMaker::refresh(bool force) {
    std::lock_guard lock(m_refresh_mutex);
    // The state is read *before* copying: a commit landing during the copy changes the files
    // again, so the next check sees a difference and copies once more.
    auto state = source_state(m_database);
    if (!force && state == m_state && m_current) return false;
    auto snapshot = make();
    m_state = state;
    // Touched but not changed (or changed only by this very read, which may create the -wal
    // and -shm files of a WAL database): the snapshot in service stays, with its time.
    if (m_current && snapshot->hash == m_current->hash) return false;
    std::lock_guard current_lock(m_current_mutex);
    m_current = std::move(snapshot);
    return true;
}

std::shared_ptr<const Snapshot> SnapshotMaker::make() {
    auto began = std::chrono::system_clock::now();
    auto file = m_dir.path() / ("snapshot-" + std::to_string(++m_counter) + ".sqlite");
    struct RemoveOnFailure {
        fs::path path;
        bool armed = true;
        ~RemoveOnFailure() {
            if (!armed) return;
            std::error_code ec;
            fs::remove(path, ec);
            fs::remove(fs::path(path.string() + "-journal"), ec);
        }
    } cleanup{file};
    vacuum_into(m_database, file);
    {
        // The copy keeps a WAL database's "WAL mode" header bytes; a file downloaded into the
        // browser has no -wal beside it and is opened from memory (sqlite3_deserialize), which
        // needs rollback-journal mode. Switching here also checks that the copy opens.
        auto copy = store::Database::open(file, store::Database::Mode::ReadWrite);
        copy.exec("PRAGMA journal_mode = DELETE");
        // The audit names the dispatchers and their seats: it stays on the server. A page needs
        // none of it (it follows the records and vigil_changes). secure_delete: the freed pages
        // are zeroed, so no audit text is left in the bytes a page downloads.
        copy.exec("PRAGMA secure_delete = ON");
        for (const char* table : k_server_only_tables) copy.exec(std::string("DROP TABLE IF EXISTS ") + table);
    }
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->file = MappedFile::map_and_unlink(file);
    cleanup.armed = false;
    snapshot->hash = content_hash(snapshot->bytes());
    // Project databases shrink to a fifth or less; one full of already compressed blobs (photos)
    // would not, and then the copy is not kept.
    auto gz = gzip_compress(snapshot->bytes());
    if (gz.size() * 10 < snapshot->bytes().size() * 9) snapshot->gzip = std::move(gz);
    snapshot->time = iso8601_utc(began);
    return snapshot;
}

} // namespace vigil::web::detail

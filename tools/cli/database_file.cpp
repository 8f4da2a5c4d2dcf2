// Building a database beside its name and renaming it into place (see database_file.hpp).

#include "database_file.hpp"

#include <vigil/store/sqlite.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <sqlite3.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/syscall.h>
#include <unistd.h>

namespace vigil::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* k_companions[] = {"-wal", "-shm", "-journal"};

fs::path with_suffix(const fs::path& p, const char* suffix) { return fs::path(p.string() + suffix); }

void remove_with_companions(const fs::path& p) {
    std::error_code ec;
    fs::remove(p, ec);
    for (const char* s : k_companions) fs::remove(with_suffix(p, s), ec);
}

void fsync_path(const fs::path& p, int flags) {
    const int fd = ::open(p.c_str(), flags | O_CLOEXEC);
    if (fd < 0) throw IoError(trf("cannot open {} to sync it: {}", p.string(), std::strerror(errno)));
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) throw IoError(trf("cannot sync {}: {}", p.string(), std::strerror(err)));
}

/// Folds the database's WAL into the main file and leaves journal_mode DELETE, so that the main
/// file alone is the whole database (what a rename moves). A file that is not SQLite is left.
void fold_wal(const fs::path& p) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(p.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    }
    sqlite3_close_v2(db);
}

/// rename(2) that refuses to replace: renameat2(RENAME_NOREPLACE) where the kernel has it, else
/// link + unlink (the same guarantee on file systems without renameat2).
bool rename_no_replace(const fs::path& from, const fs::path& to) {
#ifdef SYS_renameat2
    if (::syscall(SYS_renameat2, AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), 1u /*RENAME_NOREPLACE*/) == 0) return true;
    if (errno == EEXIST) return false;
    if (errno != ENOSYS && errno != EINVAL)
        throw IoError(trf("cannot rename {} to {}: {}", from.string(), to.string(), std::strerror(errno)));
#endif
    if (::link(from.c_str(), to.c_str()) != 0) {
        if (errno == EEXIST) return false;
        throw IoError(trf("cannot rename {} to {}: {}", from.string(), to.string(), std::strerror(errno)));
    }
    ::unlink(from.c_str());
    return true;
}

} // namespace

DatabaseUnderConstruction::DatabaseUnderConstruction(fs::path target) : m_target(std::move(target)) {
    const fs::path dir = m_target.parent_path().empty() ? fs::path(".") : m_target.parent_path();
    // The process id keeps two builders apart; a leftover of a killed build has another id and
    // is removed by nobody but is never mistaken for the database (its name says what it is).
    m_temp = dir / ("." + m_target.filename().string() + ".building-" + std::to_string(::getpid()));
    remove_with_companions(m_temp);
}

DatabaseUnderConstruction::~DatabaseUnderConstruction() {
    if (!m_installed) remove_with_companions(m_temp);
}

void DatabaseUnderConstruction::install(bool replace) {
    fold_wal(m_temp);
    std::error_code ec;
    for (const char* s : k_companions)
        if (fs::exists(with_suffix(m_temp, s), ec))
            throw IoError(trf("the new database {} still has its {} file: a connection is open", m_temp.string(), s));
    fsync_path(m_temp, O_RDONLY);
    const fs::path dir = m_target.parent_path().empty() ? fs::path(".") : m_target.parent_path();
    if (!replace) {
        if (!rename_no_replace(m_temp, m_target))
            throw UsageError(trf("'{}' already exists (add --force to replace it)", m_target.string()));
    } else {
        // The old database's committed pages may still sit in its WAL: fold them in first (so a
        // kill from here on leaves the old database whole), then remove its -wal/-shm so that
        // they are never applied to the new file once it has the name.
        if (fs::exists(m_target, ec)) {
            fold_wal(m_target);
            for (const char* s : k_companions) fs::remove(with_suffix(m_target, s), ec);
        }
        if (::rename(m_temp.c_str(), m_target.c_str()) != 0)
            throw IoError(trf("cannot rename {} to {}: {}", m_temp.string(), m_target.string(), std::strerror(errno)));
    }
    m_installed = true;
    fsync_path(dir, O_RDONLY | O_DIRECTORY);
}

} // namespace vigil::cli

/// @file
/// Building a project database beside its final name and putting it in place in one step, so
/// that no kill, crash or refused source ever leaves a half-built file under that name: the
/// name holds the previous database or the complete new one.
#pragma once

#include <filesystem>

namespace vigil::cli {

/// A database being built at a temporary name next to `target` (same folder, so the final
/// rename stays on one file system). The destructor removes the temporary file and its
/// -wal/-shm/-journal companions unless install() ran.
class DatabaseUnderConstruction {
public:
    explicit DatabaseUnderConstruction(std::filesystem::path target);
    ~DatabaseUnderConstruction();
    DatabaseUnderConstruction(const DatabaseUnderConstruction&) = delete;
    DatabaseUnderConstruction& operator=(const DatabaseUnderConstruction&) = delete;

    /// Where to build it.
    const std::filesystem::path& path() const { return m_temp; }

    /// Puts the finished database at the target name. Every connection to path() must be closed.
    /// Its WAL is folded into the file first (a rename moves only the main file), the file and
    /// the folder are synced. With `replace` an existing target is replaced (its own WAL folded
    /// in or removed first, so that a stale -wal is never applied to the new file); without, an
    /// existing target is refused and left as it is.
    /// @throws vigil::UsageError when the target exists and !replace, vigil::IoError naming the
    ///         file for a failed sync or rename.
    void install(bool replace);

private:
    std::filesystem::path m_target, m_temp;
    bool m_installed = false;
};

} // namespace vigil::cli

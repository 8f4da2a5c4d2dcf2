/// @file
/// A report written beside an input file (FILE.problems.csv, FILE.rejected.csv) that can never
/// overwrite anything but an earlier report of its own kind.
///
/// Data packages arrive as archives unzipped with whatever they carry, symbolic links included:
/// a link named `企业.problems.csv` pointing at the project database once made a refused import
/// truncate the database it had just promised to leave unchanged. So the report is written into a
/// fresh temporary file (created exclusively: O_EXCL never follows a link) in the same folder and
/// renamed into place only when complete; rename(2) replaces a directory entry, never what a link
/// points to. Where the wanted name holds anything but an earlier report of ours (a link, a
/// folder, a user's own file), the report takes the next free name instead and says so.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace vigil::native {

class ReportFile {
public:
    /// `wanted`: the report's name. `signature`: how every report of this kind begins (its header
    /// line), which is how an earlier report is told from a file that must not be replaced.
    ReportFile(std::filesystem::path wanted, std::string signature);
    ~ReportFile(); ///< removes the temporary file of a report never published
    ReportFile(const ReportFile&) = delete;
    ReportFile& operator=(const ReportFile&) = delete;

    /// Appends text; the first call creates the temporary file and writes the signature. Throws
    /// IoError naming the folder when it cannot be created or written (e.g. the disk is full).
    void write(std::string_view text);
    bool started() const { return m_fd >= 0 || m_published; }

    /// Completes the report and gives it its name: `wanted` when that is free or holds an earlier
    /// report of this kind, else `STEM-2.csv`, `STEM-3.csv` … Returns the name used.
    std::filesystem::path publish();

private:
    void flush();
    void close_fd();

    std::filesystem::path m_wanted;
    std::string m_signature;
    std::filesystem::path m_temp;
    std::string m_buffer;
    int m_fd = -1;
    bool m_published = false;
};

} // namespace vigil::native

/// @file
/// The web folder as an immutable in-memory table: relative path -> bytes, MIME type, hash and
/// an optional gzip copy. Requests are answered from the table alone, so no request path is
/// ever handed to the file system: traversal is impossible by construction.
#pragma once

#include <vigil/web/server.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vigil::web::detail {

struct StaticFile {
    std::string content;
    std::string gzip; ///< empty when not worth it (already compressed types, tiny files)
    std::string mime_type;
    std::string hash; ///< content_hash(content): the entity tag's opaque part
};

class StaticFiles {
public:
    /// Scans the folder: regular files only, symbolic links neither followed nor served (every
    /// open is O_NOFOLLOW, relative to an already opened parent folder), names limited to
    /// is_safe_name(), at most 16 folders deep. What is skipped is reported to `problems`.
    /// Throws vigil::IoError when `root` is not a readable folder or holds no index.html.
    static std::shared_ptr<const StaticFiles> scan(const std::filesystem::path& root, const LogSink& problems);

    /// A cheap summary (names, sizes, modification times) of what scan() would read now; when
    /// it differs from fingerprint(), the folder changed. Empty if the folder is unreadable.
    static std::string fingerprint_of(const std::filesystem::path& root);

    /// The file at a relative path ("index.html", "fonts/a.otf"), or nullptr.
    const StaticFile* find(std::string_view relative_path) const;
    std::size_t size() const { return m_files.size(); }
    std::uint64_t total_bytes() const { return m_total_bytes; }
    const std::string& fingerprint() const { return m_fingerprint; }

private:
    std::unordered_map<std::string, StaticFile> m_files;
    std::uint64_t m_total_bytes = 0;
    std::string m_fingerprint;
};

} // namespace vigil::web::detail

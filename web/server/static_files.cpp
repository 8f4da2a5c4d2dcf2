#include "static_files.hpp"

#include "http_rules.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vigil::web::detail {

namespace {

constexpr int k_max_depth = 16;
constexpr std::uint64_t k_max_file_bytes = 512ull << 20; // a web build is a few MB; this is a guard
constexpr std::uint64_t k_max_total_bytes = 2ull << 30;
constexpr std::size_t k_max_files = 20000;
// Below this size a gzip copy saves less than its headers cost; above, keep it only if it saves 10%.
constexpr std::size_t k_min_gzip_bytes = 256;

class Fd {
public:
    explicit Fd(int fd) : m_fd(fd) {}
    ~Fd() {
        if (m_fd >= 0) ::close(m_fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

using FileVisitor = std::function<void(int dir_fd, const std::string& name, const std::string& rel, const struct stat& st)>;

// Walks the servable entries below dir_fd. Every step is relative to a folder already opened
// without following links, so a name swapped for a symlink between the listing and the open
// is refused by the kernel (O_NOFOLLOW) rather than followed.
void walk(int dir_fd, const std::string& prefix, int depth, const LogSink* problems, const FileVisitor& visit) {
    auto report = [&](const std::string& rel, const std::string& why) {
        if (problems && *problems) (*problems)(trf("web: skipped '{}': {}", log_safe(rel), why));
    };
    std::vector<std::string> names;
    {
        int listing_fd = ::dup(dir_fd);
        DIR* dir = listing_fd >= 0 ? ::fdopendir(listing_fd) : nullptr;
        if (!dir) {
            if (listing_fd >= 0) ::close(listing_fd);
            report(prefix, trf("cannot list the folder: {}", std::strerror(errno)));
            return;
        }
        while (auto* entry = ::readdir(dir)) names.emplace_back(entry->d_name);
        ::closedir(dir);
    }
    std::sort(names.begin(), names.end()); // a stable order makes the fingerprint comparable
    for (const auto& name : names) {
        if (name == "." || name == "..") continue;
        std::string rel = prefix + name;
        if (!is_safe_name(name)) {
            report(rel, trf("hidden, or a name outside {}", "[A-Za-z0-9._-]"));
            continue;
        }
        if (depth == 0 && name == "data") {
            report(rel, trf("{} belongs to the server (manifest, database, tiles)", "/data/"));
            continue;
        }
        struct stat st {};
        if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue; // vanished meanwhile
        if (S_ISLNK(st.st_mode)) {
            report(rel, tr("a symbolic link (links are never followed)"));
        } else if (S_ISDIR(st.st_mode)) {
            if (depth + 1 >= k_max_depth) {
                report(rel, tr("folders nested too deep"));
                continue;
            }
            Fd sub(::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (sub.get() < 0) {
                report(rel, trf("cannot open the folder: {}", std::strerror(errno)));
                continue;
            }
            walk(sub.get(), rel + "/", depth + 1, problems, visit);
        } else if (S_ISREG(st.st_mode)) {
            if (is_database_name(name)) {
                report(rel, trf("a database file ({} are never served: the project is served only as the snapshot {})",
                                "*.sqlite, *-wal, *-shm, *-journal", "/data/project.sqlite"));
                continue;
            }
            visit(dir_fd, name, rel, st);
        } else {
            report(rel, tr("not a regular file"));
        }
    }
}

Fd open_root(const std::filesystem::path& root) {
    // The root itself is the user's choice and may be a link; only what lies inside is checked.
    return Fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
}

std::string no_web_build(const std::filesystem::path& root) {
    return trf("no web build in {}: build it with {} or pass {}", root.string(), "tools/build-web.sh",
               "--web DIR"); // i18n: not shown: an option, typed as it is
}

// Reads a regular file opened relative to its folder; nullopt (with a report) if it is not one now.
std::optional<std::string> read_file(int dir_fd, const std::string& name, const std::string& rel, const LogSink& problems) {
    auto report = [&](const std::string& why) {
        if (problems) problems(trf("web: skipped '{}': {}", log_safe(rel), why));
    };
    // O_NONBLOCK: a FIFO swapped in after the listing must not hang the scan.
    Fd fd(::openat(dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    struct stat st {};
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0) {
        report(trf("cannot open: {}", std::strerror(errno)));
        return std::nullopt;
    }
    if (!S_ISREG(st.st_mode)) {
        report(tr("not a regular file"));
        return std::nullopt;
    }
    if (static_cast<std::uint64_t>(st.st_size) > k_max_file_bytes) {
        report(trf("larger than {} MiB", k_max_file_bytes >> 20));
        return std::nullopt;
    }
    std::string content(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t done = 0;
    while (done < content.size()) {
        auto n = ::read(fd.get(), content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            report(trf("read error: {}", std::strerror(errno)));
            return std::nullopt;
        }
        if (n == 0) break; // shrank while reading: serve what is there, the next scan catches up
        done += static_cast<std::size_t>(n);
    }
    content.resize(done);
    return content;
}

void add_fingerprint(std::string& fp, const std::string& rel, const struct stat& st) {
    fp += rel;
    fp += '\t';
    fp += std::to_string(st.st_size);
    fp += '\t';
    fp += std::to_string(st.st_mtim.tv_sec);
    fp += '.';
    fp += std::to_string(st.st_mtim.tv_nsec);
    fp += '\n';
}

} // namespace

std::shared_ptr<const StaticFiles> StaticFiles::scan(const std::filesystem::path& root, const LogSink& problems) {
    Fd root_fd = open_root(root);
    if (root_fd.get() < 0) throw IoError(no_web_build(root));
    auto table = std::make_shared<StaticFiles>();
    bool over_limit = false;
    std::size_t seen = 0;
    walk(root_fd.get(), "", 0, &problems, [&](int dir_fd, const std::string& name, const std::string& rel, const struct stat& st) {
        // Every file seen counts in the fingerprint, served or not, exactly as in fingerprint_of():
        // otherwise an unreadable file would look like a change at every check.
        if (seen++ < k_max_files) add_fingerprint(table->m_fingerprint, rel, st);
        if (over_limit) return;
        if (table->m_files.size() >= k_max_files || table->m_total_bytes + static_cast<std::uint64_t>(st.st_size) > k_max_total_bytes) {
            over_limit = true;
            if (problems) problems(trf("web: stopped scanning at '{}': more than {} files or {} GiB", log_safe(rel), k_max_files, 2));
            return;
        }
        auto content = read_file(dir_fd, name, rel, problems);
        if (!content) return;
        StaticFile file;
        file.mime_type = std::string(mime_type_for(name));
        file.hash = content_hash(*content);
        if (is_compressible(file.mime_type) && content->size() >= k_min_gzip_bytes) {
            auto gz = gzip_compress(*content);
            if (gz.size() * 10 < content->size() * 9) file.gzip = std::move(gz);
        }
        file.content = std::move(*content);
        table->m_total_bytes += file.content.size();
        table->m_files.emplace(rel, std::move(file));
    });
    if (!table->find("index.html")) throw IoError(no_web_build(root));
    return table;
}

std::string StaticFiles::fingerprint_of(const std::filesystem::path& root) {
    Fd root_fd = open_root(root);
    if (root_fd.get() < 0) return {};
    std::string fp;
    std::size_t count = 0;
    walk(root_fd.get(), "", 0, nullptr, [&](int, const std::string&, const std::string& rel, const struct stat& st) {
        if (count++ < k_max_files) add_fingerprint(fp, rel, st);
    });
    return fp;
}

const StaticFile* StaticFiles::find(std::string_view relative_path) const {
    auto it = m_files.find(std::string(relative_path));
    return it == m_files.end() ? nullptr : &it->second;
}

} // namespace vigil::web::detail

#include <vigil/native/report_file.hpp>

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace vigil::native {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t k_flush_bytes = 1 << 16;

std::string describe_errno(int e) {
    if (e == ENOSPC) return tr("the disk is full");
    if (e == EDQUOT) return tr("the disk quota is used up");
    if (e == EFBIG) return tr("the file-size limit was reached");
    return std::strerror(e);
}

// True when `path` is a plain file (not a link, folder or device) whose content begins with
// `signature`: a report this program wrote earlier, which a new one may replace.
bool is_earlier_report(const fs::path& path, const std::string& signature) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return false;
    std::vector<char> head(signature.size());
    const ssize_t n = ::read(fd, head.data(), head.size());
    ::close(fd);
    return n == static_cast<ssize_t>(signature.size()) && std::memcmp(head.data(), signature.data(), head.size()) == 0;
}

// Gives `temp` the name `target` only if nothing has that name (renameat2's RENAME_NOREPLACE:
// atomic, so a link created between a check and the rename cannot be replaced either).
bool rename_if_free(const fs::path& temp, const fs::path& target) {
    if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) return true;
    if (errno == EEXIST) return false;
    throw IoError(trf("cannot name the report '{}': {}", target.string(), describe_errno(errno)));
}

} // namespace

ReportFile::ReportFile(fs::path wanted, std::string signature) : m_wanted(std::move(wanted)), m_signature(std::move(signature)) {}

ReportFile::~ReportFile() {
    close_fd();
    if (!m_published && !m_temp.empty()) ::unlink(m_temp.c_str());
}

void ReportFile::write(std::string_view text) {
    if (m_published) throw IoError(trf("report '{}' written to after it was published", m_wanted.string()));
    if (m_fd < 0) {
        const fs::path dir = m_wanted.parent_path().empty() ? fs::path(".") : m_wanted.parent_path();
        std::string pattern = (dir / ("." + m_wanted.filename().string() + ".XXXXXX")).string();
        m_fd = ::mkostemp(pattern.data(), O_CLOEXEC); // O_CREAT | O_EXCL, mode 0600
        if (m_fd < 0) throw IoError(trf("cannot write a report in '{}': {}", dir.string(), describe_errno(errno)));
        m_temp = pattern;
        ::fchmod(m_fd, 0644); // a report is for reading, like any file the user saves
        m_buffer = m_signature;
    }
    m_buffer.append(text);
    if (m_buffer.size() >= k_flush_bytes) flush();
}

void ReportFile::flush() {
    std::size_t done = 0;
    while (done < m_buffer.size()) {
        const ssize_t n = ::write(m_fd, m_buffer.data() + done, m_buffer.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw IoError(trf("cannot write the report '{}': {}", m_wanted.string(), describe_errno(errno)));
        done += static_cast<std::size_t>(n);
    }
    m_buffer.clear();
}

void ReportFile::close_fd() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
}

fs::path ReportFile::publish() {
    if (m_published) return m_wanted;
    if (m_fd < 0) write({}); // an empty report still carries its header
    flush();
    if (::fsync(m_fd) != 0) throw IoError(trf("cannot write the report '{}': {}", m_wanted.string(), describe_errno(errno)));
    close_fd();

    if (rename_if_free(m_temp, m_wanted) || (is_earlier_report(m_wanted, m_signature) && ::rename(m_temp.c_str(), m_wanted.c_str()) == 0)) {
        m_published = true;
        return m_wanted;
    }
    // The name holds something else (a link, a folder, the user's own file): leave it alone.
    const std::string stem = m_wanted.stem().string();
    const std::string ext = m_wanted.extension().string();
    for (int i = 2; i < 1000; ++i) {
        fs::path other = m_wanted.parent_path() / (stem + "-" + std::to_string(i) + ext);
        if (rename_if_free(m_temp, other) || (is_earlier_report(other, m_signature) && ::rename(m_temp.c_str(), other.c_str()) == 0)) {
            m_published = true;
            m_wanted = other;
            return other;
        }
    }
    throw IoError(trf("no free name for the report beside '{}' (tried -2 … -999)", m_wanted.string()));
}

} // namespace vigil::native

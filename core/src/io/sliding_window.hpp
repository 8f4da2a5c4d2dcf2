/// @file
/// The window through which the streaming readers (CSV, GeoJSON; private to core/src/io) see
/// a file: a buffer that slides forward over it and grows only when one unit of the format (a
/// record, a feature) is bigger than half of it. Holding a whole file instead was measured to
/// cost as much as half the parse time in page faults, and a browser (wasm32) may not have the
/// memory at all.
///
/// The window is followed by Padding NUL bytes, so the readers' scanners stop at its end without
/// bounds checks. A reader keeps its own cursor and end pointer (the scanners' hot state) and
/// re-reads them from data() and size() after every refill(), which moves the data.
#pragma once

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

namespace vigil::io::detail {

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

/// Opens `path` for reading bytes; throws IoError naming the file and the system's reason.
inline FilePtr open_file(const std::string& path) {
    FilePtr f(std::fopen(path.c_str(), "rb"));
    if (!f) throw IoError(trf("{}: cannot open the file: {}", path, std::strerror(errno)));
    return f;
}

/// The smallest reading window (the readers' window_bytes option may ask for less).
inline constexpr std::size_t k_min_window = 16;

/// A sliding window over a file, or a whole buffer held in memory (a window that already
/// reaches the end). `Padding` is how many NUL bytes follow the data: each reader picks what
/// its scanners may read past the end.
template <std::size_t Padding> class SlidingWindow {
public:
    /// Opens the file (IoError if it cannot) and fills a first window of `window_bytes` (at
    /// least k_min_window).
    SlidingWindow(std::string path, std::size_t window_bytes) : m_path(std::move(path)), m_file(open_file(m_path)) {
        std::error_code ec;
        auto bytes = std::filesystem::file_size(m_path, ec);
        m_total = ec ? 0 : static_cast<std::uint64_t>(bytes);
        m_buf.resize(std::max(window_bytes, k_min_window) + Padding);
        refill(m_buf.data());
    }

    /// Holds `contents` whole: the window is the whole buffer from the start.
    explicit SlidingWindow(std::string contents) : m_buf(std::move(contents)) {
        m_filled = m_buf.size();
        m_total = m_filled;
        m_final = true;
        m_buf.resize(m_filled + Padding, '\0');
    }

    /// Moves [keep, end) to the front of the window and fills the rest from the file; doubles
    /// the window when `keep` already holds more than half of it, so that every retry of a
    /// step sees more data than the last. Afterwards data() is the new address of `keep`.
    void refill(const char* keep) {
        std::size_t keep_off = static_cast<std::size_t>(keep - m_buf.data());
        std::size_t remain = m_filled - keep_off;
        if (keep_off > 0 && remain > 0) std::memmove(m_buf.data(), m_buf.data() + keep_off, remain);
        m_base += keep_off;
        m_filled = remain;
        std::size_t capacity = m_buf.size() - Padding;
        if (m_filled * 2 > capacity) {
            capacity *= 2;
            m_buf.resize(capacity + Padding);
        }
        while (!m_final && m_filled < capacity) {
            std::size_t want = capacity - m_filled;
            std::size_t got = std::fread(m_buf.data() + m_filled, 1, want, m_file.get());
            m_filled += got;
            if (got < want) {
                if (std::ferror(m_file.get())) throw IoError(trf("{}: cannot read the file", m_path));
                m_final = true;
                m_file.reset();
            }
        }
        std::memset(m_buf.data() + m_filled, 0, Padding);
    }

    /// The window's first byte; data()[size()] is the first of the Padding NULs.
    const char* data() const noexcept { return m_buf.data(); }
    /// Bytes of the window holding data.
    std::size_t size() const noexcept { return m_filled; }
    /// The window reaches the end of the file: running out of data is the end, not a reason to
    /// refill.
    bool is_final() const noexcept { return m_final; }
    /// File offset of data()[0].
    std::uint64_t base() const noexcept { return m_base; }
    /// File offset of a byte in the window.
    std::uint64_t offset_of(const char* at) const noexcept { return m_base + static_cast<std::uint64_t>(at - m_buf.data()); }
    /// File size (0 when the system cannot tell), or the size of the buffer held in memory.
    std::uint64_t total() const noexcept { return m_total; }

private:
    std::string m_path;       ///< named in the read error; empty for a buffer in memory
    FilePtr m_file;           ///< null when reading from memory or once the file is read through
    std::string m_buf;        ///< the window, then Padding NULs
    std::size_t m_filled = 0; ///< bytes of the window holding data
    bool m_final = false;     ///< the window reaches the end of the file
    std::uint64_t m_base = 0; ///< file offset of m_buf[0]
    std::uint64_t m_total = 0;
};

} // namespace vigil::io::detail

/// @file
/// The RFC 4180 CSV reader: one pass, cells copied straight into the caller's RawRecord (whose
/// strings keep their capacity from record to record).
///
/// A file is read through a window (1 MiB by default) that slides forward (see sliding_window.hpp
/// for why: page faults on a whole-file buffer cost as much as half the parsing). A record that
/// runs into the end of the window throws NeedMore; the window is refilled from the record's
/// start and the record is read again.
///
/// Choices beyond RFC 4180, made for registers exported from spreadsheets:
/// - line breaks may be CRLF, LF or a lone CR (old Mac Excel); a record's row is the physical
///   line where it starts, counting line breaks inside quoted cells;
/// - spaces (and tabs, unless tab is the separator) around unquoted cells are trimmed; quoted
///   content is kept exactly; text after a closing quote (`"abc"def`) is kept, as Excel does;
/// - empty lines (or lines of spaces only) carry no data and are skipped; a line of separators
///   only (",,,") is returned as a record whose values are all Null;
/// - empty header cells at the end of the header line (a spreadsheet's formatted but unused
///   columns) are dropped; data rows may then have as many trailing cells as the header line had,
///   as long as those cells are empty. A named column after an unnamed one is an error.

#include <vigil/io/csv_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include "sliding_window.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>

namespace vigil::io {

using importing::RawRecord;
using importing::RawValue;
using importing::SourceIssue;

namespace {

/// NUL bytes after the window: the sentinel that stops the cell scanners.
constexpr std::size_t k_padding = 16;

/// A record ran into the end of the window; caught by the retry loop, never leaves the reader.
struct NeedMore {};

using text::sanitize_utf8;

std::string csv_utf8_problem(std::string_view s) {
    std::size_t bad = 0;
    text::is_valid_utf8(s, &bad);
    return trf("not valid UTF-8 (byte 0x{:02X} at offset {}); use --encoding GBK (or the file's encoding)",
               static_cast<unsigned char>(s[bad]), bad);
}

/// The separator that occurs most often outside quotes in one line: the first, or with
/// `skip_bare_lines` the first that holds any candidate (title lines above a header may hold
/// none). Ties go to the earlier candidate in ',', ';', '\t', '|' order, and a line with none of
/// them is one column. Sets `complete` to false when the text ended before that line did.
char detect_separator(const char* p, const char* end, bool& complete, bool skip_bare_lines = false) {
    constexpr std::array<char, 4> candidates{',', ';', '\t', '|'};
    std::array<std::size_t, 4> counts{};
    bool quoted = false;
    complete = false;
    for (; p < end; ++p) {
        char c = *p;
        if (c == '"') {
            quoted = !quoted; // a doubled quote toggles twice: still right
        } else if (!quoted) {
            if (c == '\n' || c == '\r') {
                if (skip_bare_lines && counts[0] + counts[1] + counts[2] + counts[3] == 0) continue;
                complete = true;
                break;
            }
            for (std::size_t k = 0; k < candidates.size(); ++k)
                if (c == candidates[k]) ++counts[k];
        }
    }
    std::size_t best = 0;
    for (std::size_t k = 1; k < candidates.size(); ++k)
        if (counts[k] > counts[best]) best = k;
    return counts[best] == 0 ? ',' : candidates[best];
}

} // namespace

struct CsvReader::Impl {
    std::string m_path;
    detail::SlidingWindow<k_padding> m_window;
    std::size_t m_bom = 0;
    char m_sep = ',';
    const char* m_p = nullptr;
    const char* m_end = nullptr; ///< m_window.data() + m_window.size(); *m_end is NUL
    std::uint64_t m_line = 1;    ///< physical line of m_p
    std::vector<std::string> m_columns;
    std::size_t m_raw_width = 0; ///< header cells including the dropped trailing empty ones
    std::array<bool, 256> m_stop{};
    std::string m_cell;

    /// Reads a file through the sliding window.
    Impl(std::string path, CsvReaderOptions options) : m_path(std::move(path)), m_window(m_path, options.window_bytes) { start(options); }

    /// Reads a buffer held in memory: the window is the whole buffer from the start.
    Impl(std::string path, std::string contents, CsvReaderOptions options) : m_path(std::move(path)), m_window(std::move(contents)) {
        start(options);
    }

    void start(CsvReaderOptions options) {
        const char* d = m_window.data();
        const std::size_t filled = m_window.size();
        m_end = d + filled;
        if (filled >= 2 && ((d[0] == '\xFF' && d[1] == '\xFE') || (d[0] == '\xFE' && d[1] == '\xFF')))
            throw FormatError(trf("{}: line 1, column 1: the file is UTF-16; use --encoding UTF-16 "
                                  "(or save it as UTF-8)",
                                  m_path));
        if (filled >= 3 && d[0] == '\xEF' && d[1] == '\xBB' && d[2] == '\xBF') m_bom = 3;
        m_p = d + m_bom;
        m_stop['\n'] = m_stop['\r'] = m_stop['\0'] = true;
        retry([&] {
            skip_blank_lines();
            if (m_p >= m_end) {
                if (!m_window.is_final()) need_more();
                throw FormatError(trf("{}: line 1, column 1: the file is empty (no header line)", m_path));
            }
            bool complete = false;
            m_sep = options.separator != 0 ? options.separator : detect_separator(m_p, m_end, complete);
            if (options.separator == 0 && !complete && !m_window.is_final()) need_more();
            m_stop[static_cast<unsigned char>(m_sep)] = true;
            for (std::size_t i = 0; i < options.title_records; ++i) {
                bool high = false;
                do read_cell(high);
                while (after_cell());
                skip_blank_lines();
                if (m_p >= m_end && m_window.is_final())
                    throw FormatError(trf("{}: the file ends before its header line ({} title lines)", m_path, options.title_records));
            }
            read_header();
            return true;
        });
    }

    /// Slides the window to start at `keep` (growing it when `keep` holds more than half of
    /// it, so each retry sees more data); m_p is then the new address of `keep`.
    void refill(const char* keep) {
        m_window.refill(keep);
        m_p = m_window.data();
        m_end = m_p + m_window.size();
    }

    [[noreturn]] static void need_more() { throw NeedMore{}; }

    /// Runs `unit` (which reads from m_p), refilling the window and rerunning it from the same
    /// place and line while it runs out of data.
    template <class F> bool retry(F&& unit) {
        for (;;) {
            const char* start = m_p;
            const std::uint64_t line = m_line;
            try {
                return unit();
            } catch (const NeedMore&) {
                m_line = line;
                refill(start);
            } catch (const FormatError&) {
                m_line = line; // calling next() again reports the same error
                m_p = start;
                throw;
            }
        }
    }

    /// True when q is at the end of the data; NeedMore when that is only the window's end.
    bool at_end(const char* q) const {
        if (q < m_end) return false;
        if (!m_window.is_final()) need_more();
        return true;
    }

    [[noreturn]] void fail(std::uint64_t line, const char* at, std::string_view what) const {
        // Records start at line starts and the window always starts at a record, so the line
        // start is in the window.
        const char* first = m_window.data() + (m_window.base() == 0 ? m_bom : 0);
        const char* line_start = at;
        while (line_start > first && line_start[-1] != '\n' && line_start[-1] != '\r') --line_start;
        std::size_t column = 1; // in characters, as an editor counts
        for (const char* q = line_start; q < at; ++q)
            if ((static_cast<unsigned char>(*q) & 0xC0) != 0x80) ++column;
        throw FormatError(trf("{}: line {}, column {}: {}", m_path, line, column, what));
    }

    bool is_space(char c) const { return c == ' ' || (c == '\t' && m_sep != '\t'); }

    /// Skips empty lines and lines of spaces only, counting them. (With tab as the separator a
    /// line of tabs is a record of empty cells, like ",,," with commas.)
    void skip_blank_lines() {
        for (;;) {
            const char* q = m_p;
            while (is_space(*q)) ++q;
            if (*q == '\n') {
                m_p = q + 1;
            } else if (*q == '\r') {
                at_end(q + 1); // CR LF must not be split: it would count as two lines
                m_p = q + (q[1] == '\n' ? 2 : 1);
            } else {
                if (at_end(q)) m_p = q;
                return;
            }
            ++m_line;
        }
    }

    /// Reads one cell at m_p and leaves m_p on the separator, the line break or the end.
    /// Returns a view into the file when it can, else into m_cell; `high` tells whether a byte
    /// >= 0x80 occurred (only then is UTF-8 validated).
    std::string_view read_cell(bool& high) {
        unsigned char acc = 0;
        while (is_space(*m_p)) ++m_p;
        if (*m_p != '"') {
            const char* start = m_p;
            const char* q = m_p;
            for (;;) {
                while (!m_stop[static_cast<unsigned char>(*q)]) {
                    acc |= static_cast<unsigned char>(*q);
                    ++q;
                }
                if (*q == '\0' && !at_end(q)) { // a NUL byte inside the file is just content
                    ++q;
                    continue;
                }
                break;
            }
            m_p = q;
            while (q > start && is_space(q[-1])) --q;
            high = (acc & 0x80) != 0;
            return {start, static_cast<std::size_t>(q - start)};
        }

        const char* open = m_p;
        std::uint64_t open_line = m_line;
        ++m_p;
        const char* run = m_p;
        bool built = false;
        for (;;) {
            unsigned char c = static_cast<unsigned char>(*m_p);
            if (c == '"') {
                at_end(m_p + 1); // a doubled quote must not be split
                if (m_p[1] != '"') break;
                if (!built) m_cell.clear();
                m_cell.append(run, m_p + 1); // keep one of the two quotes
                m_p += 2;
                run = m_p;
                built = true;
                continue;
            }
            if (c == '\n') {
                ++m_line;
            } else if (c == '\r') {
                at_end(m_p + 1); // CR LF must not be split: it would count as two lines
                if (m_p[1] != '\n') ++m_line;
            } else if (c == '\0' && at_end(m_p)) {
                fail(open_line, open, tr("this quoted cell is never closed (a closing '\"' is missing)"));
            }
            acc |= c;
            ++m_p;
        }
        std::string_view cell;
        if (built) {
            m_cell.append(run, m_p);
            cell = m_cell;
        } else {
            cell = {run, static_cast<std::size_t>(m_p - run)};
        }
        ++m_p; // the closing quote
        const char* after = m_p;
        while (is_space(*m_p)) ++m_p;
        if (*m_p == '\0') at_end(m_p);
        if (!m_stop[static_cast<unsigned char>(*m_p)]) {
            // Text after the closing quote: kept as it stands, as spreadsheets do.
            if (!built) m_cell.assign(cell.data(), cell.size());
            m_p = after;
            for (;;) {
                while (!m_stop[static_cast<unsigned char>(*m_p)]) {
                    acc |= static_cast<unsigned char>(*m_p);
                    ++m_p;
                }
                if (*m_p == '\0' && !at_end(m_p)) {
                    ++m_p;
                    continue;
                }
                break;
            }
            m_cell.append(after, m_p);
            cell = m_cell;
        }
        high = (acc & 0x80) != 0;
        return cell;
    }

    /// Consumes the separator or the line break after a cell; true when the record goes on.
    bool after_cell() {
        char c = *m_p;
        if (c == m_sep && m_p < m_end) {
            ++m_p;
            return true;
        }
        if (c == '\r') {
            at_end(m_p + 1);
            ++m_p;
            if (*m_p == '\n') ++m_p;
            ++m_line;
        } else if (c == '\n') {
            ++m_p;
            ++m_line;
        }
        return false;
    }

    void read_header() {
        const std::uint64_t line = m_line;
        std::vector<std::string> names;
        for (;;) {
            bool high = false;
            std::string_view cell = read_cell(high);
            if (high && !text::is_valid_utf8(cell))
                throw FormatError(trf("{}: line {}: header cell {} is {}", m_path, line, names.size() + 1, csv_utf8_problem(cell)));
            names.emplace_back(text::trim(cell));
            if (!after_cell()) break;
        }
        m_raw_width = names.size();
        while (!names.empty() && names.back().empty()) names.pop_back();
        if (names.empty()) throw FormatError(trf("{}: line {}: the header line has no column names", m_path, line));
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (names[i].empty()) throw FormatError(trf("{}: line {}: column {} of the header has no name", m_path, line, i + 1));
            for (std::size_t j = 0; j < i; ++j)
                if (names[j] == names[i])
                    throw FormatError(
                        trf("{}: line {}: the header names column \"{}\" twice (columns {} and {})", m_path, line, names[i], j + 1, i + 1));
        }
        m_columns = std::move(names);
    }

    bool next(RawRecord& out) {
        return retry([&] { return read_record(out); });
    }

    bool read_record(RawRecord& out) {
        skip_blank_lines();
        if (at_end(m_p)) return false;
        const std::size_t width = m_columns.size();
        out.row = m_line;
        if (out.values.size() != width) out.values.resize(width);
        for (auto& v : out.values) v.reset();
        out.geometry.type = geo::GeometryType::None;
        out.geometry.coords.clear();
        out.geometry.ring_starts.clear();
        out.geometry.polygon_starts.clear();
        out.issues.clear();

        std::size_t n = 0;
        bool extra_data = false;
        for (;;) {
            bool high = false;
            std::string_view cell = read_cell(high);
            if (!cell.empty()) {
                if (n < width) {
                    RawValue& v = out.values[n];
                    v.kind = RawValue::Kind::Text;
                    v.text.assign(cell.data(), cell.size());
                    if (high && !text::is_valid_utf8(v.text)) {
                        out.issues.push_back(SourceIssue{m_columns[n], trf("the cell is {}", csv_utf8_problem(v.text))});
                        v.text = sanitize_utf8(v.text);
                    }
                } else {
                    extra_data = true;
                }
            }
            ++n;
            if (!after_cell()) break;
        }
        if (n < width || (n > width && (extra_data || n > m_raw_width)))
            out.issues.push_back(SourceIssue{"", n == 1 ? trf("row has {} cell, the header has {}", n, width)
                                                        : trf("row has {} cells, the header has {}", n, width)});
        return true;
    }
};

char guess_separator(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    bool complete = false;
    return detect_separator(text.data(), text.data() + text.size(), complete, /*skip_bare_lines=*/true);
}

std::vector<PeekedRow> peek_csv_rows(std::string_view text, char separator, std::size_t max_rows) {
    std::vector<PeekedRow> rows;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::size_t i = 0;
    std::uint64_t line = 1;
    while (i < text.size() && rows.size() < max_rows) {
        // A blank line (spaces only) is no record, as in the reader.
        std::size_t j = i;
        while (j < text.size() && (text[j] == ' ' || (text[j] == '\t' && separator != '\t'))) ++j;
        if (j < text.size() && (text[j] == '\n' || text[j] == '\r')) {
            i = j + ((text[j] == '\r' && j + 1 < text.size() && text[j + 1] == '\n') ? 2 : 1);
            ++line;
            continue;
        }
        if (j >= text.size()) break;
        PeekedRow row;
        row.line = line;
        std::string cell;
        bool quoted = false, done = false;
        for (; i < text.size() && !done; ++i) {
            char c = text[i];
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        cell.push_back('"');
                        ++i;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') ++line;
                    cell.push_back(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == separator) {
                row.cells.emplace_back(text::trim(cell));
                cell.clear();
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
                ++line;
                done = true;
            } else {
                cell.push_back(c);
            }
        }
        if (!done && (quoted || i >= text.size())) {
            // The text ends inside this record: it may be cut off, so only a last line that
            // visibly ends the file counts.
            if (quoted) break;
        }
        row.cells.emplace_back(text::trim(cell));
        rows.push_back(std::move(row));
    }
    return rows;
}

CsvReader::CsvReader(std::string path, CsvReaderOptions options) : m_impl(std::make_unique<Impl>(std::move(path), options)) {}

CsvReader::CsvReader(std::string display_path, std::string contents, CsvReaderOptions options)
    : m_impl(std::make_unique<Impl>(std::move(display_path), std::move(contents), options)) {}

CsvReader::~CsvReader() = default;

const std::string& CsvReader::path() const { return m_impl->m_path; }

const std::vector<std::string>& CsvReader::columns() const { return m_impl->m_columns; }

bool CsvReader::next(importing::RawRecord& out) { return m_impl->next(out); }

std::uint64_t CsvReader::progress_done() const { return m_impl->m_window.offset_of(m_impl->m_p); }

std::uint64_t CsvReader::progress_total() const { return m_impl->m_window.total(); }

char CsvReader::separator() const { return m_impl->m_sep; }

} // namespace vigil::io

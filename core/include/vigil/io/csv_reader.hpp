/// @file
/// A fast RFC 4180 CSV reader for registers exported from spreadsheets: UTF-8 (with or without
/// BOM), CRLF or LF, quoted fields with embedded separators, quotes and line breaks; the
/// separator (',', ';', tab or '|') detected from the header line unless given.
///
/// Every value is returned as RawValue Text (or Null when the cell is empty); the catalogue's
/// field types decide how cells are parsed. Coordinates stay ordinary columns: the pipeline
/// finds them by their aliases (经度/lon/..., or a WKT column).
#pragma once

#include <vigil/importing/record_source.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::io {

struct CsvReaderOptions {
    char separator = 0; ///< 0 = detect from the header line
    /// The text must be UTF-8. Bytes that are not are reported on the record (row and column)
    /// with the hint to pass --encoding; the reader never guesses an encoding.

    /// Records before the header line (a title, the reporting unit, a date above the column
    /// names); they are skipped, and rows keep the file's line numbers.
    std::size_t title_records = 0;

    /// Bytes of a file held at a time; the window grows only while one record needs more.
    /// Tests make it tiny so that records get cut at window boundaries.
    std::size_t window_bytes = std::size_t{1} << 20;
};

/// One record of the top of a CSV text, as text cells, with the line it starts on.
struct PeekedRow {
    std::uint64_t line = 0;
    std::vector<std::string> cells;
};

/// The separator of a CSV text: the one of ',', ';', tab, '|' that occurs most often outside
/// quotes on its first line that has any of them (a title line above the header may have none).
char guess_separator(std::string_view text);

/// The first `max_rows` records of `text` (blank lines skipped, as the reader skips them), for
/// finding the header below title rows. Stops early at the end of `text` or at a record `text`
/// cuts off; never throws.
std::vector<PeekedRow> peek_csv_rows(std::string_view text, char separator, std::size_t max_rows);

class CsvReader final : public importing::RecordSource {
public:
    /// Opens the file and reads it through a sliding window (throws vigil::IoError naming the
    /// file if it cannot, FormatError if the file is empty or has no header).
    explicit CsvReader(std::string path, CsvReaderOptions options = {});
    /// Reads from a buffer already in memory (e.g. after transcoding from GBK).
    CsvReader(std::string display_path, std::string contents, CsvReaderOptions options = {});
    ~CsvReader() override;

    const std::string& path() const override;
    const std::vector<std::string>& columns() const override;
    /// Rows with a different number of cells than the header, and cells that are not valid
    /// UTF-8, are returned with an entry in RawRecord::issues (the row is never dropped silently).
    /// An unterminated quote at the end of the file throws vigil::FormatError with its line.
    bool next(importing::RawRecord& out) override;
    bool has_geometry() const override { return false; }
    std::uint64_t progress_done() const override;
    std::uint64_t progress_total() const override;

    char separator() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace vigil::io

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

namespace vigil::io {

struct CsvReaderOptions {
    char separator = 0; ///< 0 = detect from the header line
    /// The text must be UTF-8. Bytes that are not are reported on the record (row and column)
    /// with the hint to pass --encoding; the reader never guesses an encoding.

    /// Bytes of a file held at a time; the window grows only while one record needs more.
    /// Tests make it tiny so that records get cut at window boundaries.
    std::size_t window_bytes = std::size_t{1} << 20;
};

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

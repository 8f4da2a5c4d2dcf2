/// @file
/// A streaming reader for GeoJSON FeatureCollections (RFC 7946, plus the old "crs" member),
/// written for speed and for exact problem reports rather than generality.
///
/// Why not GDAL or a DOM parser: GDAL 3.6's GeoJSON driver needs ~35 s for a million points and
/// silently turns NaN/Infinity/1e309 into EMPTY or inf; a DOM parser holds the whole tree. This
/// reader scans the text once, parses numbers with fast_float, and reports non-finite or
/// out-of-range numbers, too-deep nesting and oversized features on the feature concerned.
///
/// Also accepts a single Feature, a bare geometry (one record, no properties), and GeoJSON
/// Text Sequences / newline-delimited features (one Feature per line, RFC 8142).
#pragma once

#include <vigil/importing/record_source.hpp>

#include <cstddef>
#include <memory>
#include <string>

namespace vigil::io {

struct GeoJsonReaderOptions {
    /// Features with more vertices than this are reported (not read) - a defence against
    /// a single 50-million-vertex feature exhausting memory.
    std::size_t max_vertices_per_feature = 10'000'000;
    /// Maximum nesting of arrays/objects inside a feature.
    int max_depth = 64;
    /// Bytes of a file held at a time; the window grows only while one feature needs more.
    /// Tests make it tiny so that every kind of token gets cut at a window boundary.
    std::size_t window_bytes = std::size_t{1} << 20;
};

class GeoJsonReader final : public importing::RecordSource {
public:
    /// Opens the file (throws vigil::IoError naming the file if it cannot) and reads it through
    /// a sliding window, so memory use does not grow with the file.
    explicit GeoJsonReader(std::string path, GeoJsonReaderOptions options = {});
    /// Reads from a buffer already in memory; `display_path` is used in messages.
    GeoJsonReader(std::string display_path, std::string contents, GeoJsonReaderOptions options = {});
    ~GeoJsonReader() override;

    const std::string& path() const override;
    const std::vector<std::string>& columns() const override;
    /// Feature properties become values; "id" at feature level (outside properties) is offered
    /// as a column named "id" when properties have no "id". Nested arrays/objects are RawValue Json.
    /// Throws vigil::FormatError "FILE: line L, column C: <what>" on syntax errors.
    bool next(importing::RawRecord& out) override;
    std::optional<std::string> declared_crs() const override;
    bool has_geometry() const override { return true; }
    std::uint64_t progress_done() const override;
    std::uint64_t progress_total() const override;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace vigil::io

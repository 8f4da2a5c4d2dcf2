/// @file
/// What every reader of source files (the fast GeoJSON and CSV readers in core, GDAL natively)
/// hands to the import pipeline: raw records, in the source's own column names and CRS,
/// each with the row number a person would look for in the file.
#pragma once

#include <vigil/geo/geometry.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::importing {

/// One attribute value as the source gave it. Text sources (CSV, XLSX cells typed as text)
/// give Text; the catalogue's field type decides how it is parsed later.
struct RawValue {
    enum class Kind : std::uint8_t { Null, Bool, Integer, Real, Text, Json };
    Kind kind = Kind::Null;
    bool boolean = false;
    std::int64_t integer = 0;
    double real = 0;
    std::string text; ///< Text: the UTF-8 text; Json: a nested array/object serialised as JSON

    static RawValue null() { return {}; }
    /// Back to Null in place; the text keeps its capacity for the next record (readers reuse
    /// their values record after record).
    void reset() {
        kind = Kind::Null;
        boolean = false;
        integer = 0;
        real = 0;
        text.clear();
    }
    static RawValue from_bool(bool v) {
        RawValue r;
        r.kind = Kind::Bool;
        r.boolean = v;
        return r;
    }
    static RawValue from_int(std::int64_t v) {
        RawValue r;
        r.kind = Kind::Integer;
        r.integer = v;
        return r;
    }
    static RawValue from_real(double v) {
        RawValue r;
        r.kind = Kind::Real;
        r.real = v;
        return r;
    }
    static RawValue from_text(std::string v) {
        RawValue r;
        r.kind = Kind::Text;
        r.text = std::move(v);
        return r;
    }
    static RawValue from_json(std::string v) {
        RawValue r;
        r.kind = Kind::Json;
        r.text = std::move(v);
        return r;
    }

    bool is_null() const { return kind == Kind::Null; }
    /// The value as a person would type it (numbers in shortest round-trip form).
    std::string to_display() const;
};

/// A problem confined to one record, found while reading it.
struct SourceIssue {
    std::string column; ///< the source column, "geometry", or empty for the whole row
    std::string reason;
};

struct RawRecord {
    /// 1-based position a person can find in the file: the line number for CSV (the header is
    /// line 1, so the first data row is 2), the feature number for GeoJSON and GDAL layers.
    std::uint64_t row = 0;
    /// Aligned with RecordSource::columns() at the time the record was read; shorter when the
    /// source had no value for the last columns (they are Null).
    std::vector<RawValue> values;
    /// Geometry in the source CRS. None when the source has no geometry of its own (a CSV whose
    /// coordinates are ordinary columns) or when the feature has a null geometry.
    geo::Geometry geometry;
    /// Problems the reader found in this record: an unusable geometry (column "geometry":
    /// non-finite or out-of-range numbers, malformed structure, too many vertices), a cell that is
    /// not valid UTF-8, a row with more or fewer cells than the header. The pipeline reports
    /// them with the row number and refuses the record.
    std::vector<SourceIssue> issues;

    void clear() {
        row = 0;
        values.clear();
        geometry = {};
        issues.clear();
    }
};

/// A readable source of raw records. Readers throw vigil::FormatError (naming the file and the
/// position) for damage they cannot read past, such as truncated JSON; problems confined to one
/// record (a bad coordinate, a short CSV row) are reported on that record instead, so that the
/// pipeline can list every problem of a file at once.
class RecordSource {
public:
    virtual ~RecordSource() = default;

    /// The file being read, for messages.
    virtual const std::string& path() const = 0;
    /// Attribute column names in UTF-8, in source order. May grow while reading (GeoJSON
    /// properties are discovered feature by feature).
    virtual const std::vector<std::string>& columns() const = 0;
    /// Reads the next record into `out`; false at the end of the source.
    virtual bool next(RawRecord& out) = 0;
    /// The CRS the file declares (an authority code such as "EPSG:4547", or WKT), if any.
    virtual std::optional<std::string> declared_crs() const { return std::nullopt; }
    /// Whether records carry their own geometry (GeoJSON, Shapefile) rather than coordinate columns.
    virtual bool has_geometry() const = 0;
    /// For progress display: bytes (or records) done and in total; total 0 when unknown.
    virtual std::uint64_t progress_done() const { return 0; }
    virtual std::uint64_t progress_total() const { return 0; }
};

} // namespace vigil::importing

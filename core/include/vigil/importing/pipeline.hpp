/// @file
/// The import pipeline: raw records from any RecordSource -> catalogue fields -> WGS84 ->
/// validated records for a RecordSink (the SpatiaLite writer natively, memory in tests).
///
///     source.next() ──> FieldMapper ──> normalize_value per field ──┐
///                                                                   ├─> batch ─> to_wgs84 ─> plausibility ─> sink
///     geometry / lon,lat / WKT columns ─────────────────────────────┘
///
/// Every problem is collected with its row, record id, field and value. Unless skip_invalid is
/// set, the first problem stops all writing (the caller then rolls its transaction back) while
/// reading continues to the end, so that one run lists every problem of the file.
#pragma once

#include <vigil/catalog/catalog.hpp>
#include <vigil/geo/geometry.hpp>
#include <vigil/importing/coordinate_transform.hpp>
#include <vigil/importing/record_source.hpp>
#include <vigil/model/value.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::importing {

/// A validated record, ready to store: one value per catalogue field, WGS84 geometry in the
/// kind's stored form (Point, MultiLineString or MultiPolygon).
struct Record {
    std::uint64_t row = 0;
    std::vector<model::Value> values;
    geo::Geometry geometry;
    std::string extra_json; ///< unknown source columns as a JSON object, "" if none
};

class RecordSink {
public:
    virtual ~RecordSink() = default;
    virtual void write(const Record& record) = 0;
};

struct Problem {
    std::uint64_t row = 0; ///< as in RawRecord::row; 0 for problems about the whole file
    std::string record_id; ///< the record's id if it could be read
    std::string field;     ///< catalogue field, "geometry", a source column, or "" (whole row)
    std::string value;     ///< the offending value as written (shortened)
    std::string reason;
};

/// A record another record may take its location from (catalogue `location_fallback`): where
/// it stands (WGS84) and the kind of the layer holding it.
struct ReferencePoint {
    geo::Coord at{};
    std::string kind;
};

/// Looks up the record an id names in the layers the kind's `location_fallback` field references
/// (the project's teams and warehouses for equipment); nullopt when none holds it.
using LocateReference = std::function<std::optional<ReferencePoint>(std::string_view id)>;

struct ImportOptions {
    std::vector<std::pair<std::string, std::string>> column_map; ///< --map FIELD=COLUMN
    bool skip_invalid = false;                                   ///< import valid rows, report the others (instead of refusing all)
    /// --strict: what the catalogue declares a warning (a credit code's check character) refuses
    /// the record too.
    bool strict = false;
    /// For a kind with a `location_fallback` field: a row without coordinates is placed at the
    /// record that field names, found through this (the native importer reads the project's
    /// layers). Unset, or the record not found: the row is refused for its missing coordinates,
    /// naming the id — a location is never invented.
    LocateReference locate_reference;
    std::size_t batch_size = 4096;
    std::size_t max_problems_kept = 100000; ///< problems beyond this are counted, not kept
};

struct ImportSummary {
    std::uint64_t rows_read = 0;
    std::uint64_t rows_valid = 0;
    std::uint64_t rows_rejected = 0;
    std::uint64_t rows_written = 0;
    std::uint64_t problem_count = 0;
    std::vector<Problem> problems;  ///< the first max_problems_kept problems, in file order
    bool refused = false;           ///< true when problems were found and skip_invalid was off
    geo::BBox extent;               ///< of the records written
    std::vector<std::string> notes; ///< how columns were mapped and other decisions, for the report
    /// Values imported as written although a check the catalogue declares a warning failed
    /// (without --strict); the records are stored. The first max_problems_kept, in file order.
    std::vector<Problem> warnings;
    std::uint64_t warning_count = 0;
    /// Rows without coordinates placed at the record their `location_fallback` field names (the
    /// notes say so, with examples; the kind's mark field is set on each).
    std::uint64_t located_by_reference = 0;
};

using ProgressFn = std::function<void(std::uint64_t done, std::uint64_t total)>;
/// Called for each rejected record with its raw values (aligned with `columns`) and problems.
using RejectFn = std::function<void(const std::vector<std::string>& columns, const RawRecord& raw, const std::vector<Problem>& problems)>;

class ImportPipeline {
public:
    ImportPipeline(const catalog::LayerKind& kind, const CoordinateTransform& transform, ImportOptions options);

    /// Reads `source` to its end. Throws vigil::FormatError (from the source) for unreadable
    /// files and vigil::UsageError for a --map that names nothing; data problems are returned in
    /// the summary. When summary.refused is true the caller must discard what the sink received.
    ImportSummary run(RecordSource& source, RecordSink& sink, const ProgressFn& progress = {}, const RejectFn& on_reject = {});

private:
    const catalog::LayerKind& m_kind;
    const CoordinateTransform& m_transform;
    ImportOptions m_options;
};

/// "FILE:ROW [id=X] field (label) = "value": reason" — the one-line form used by the CLI.
std::string format_problem(const std::string& file, const catalog::LayerKind& kind, const Problem& p);

} // namespace vigil::importing

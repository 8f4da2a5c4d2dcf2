/// @file
/// `vigil import`: one file into one layer of a project database, end to end. Picks the reader
/// (Vigil's own fast GeoJSON and CSV readers; GDAL for every other format), the CRS transform
/// (from --crs, else what the file declares, else WGS84 where the format says so), runs the
/// validating pipeline inside one transaction, and keeps provenance. @attention links GDAL.
#pragma once

#include <vigil/catalog/catalog.hpp>
#include <vigil/importing/pipeline.hpp>
#include <vigil/native/project_writer.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace vigil::gdal {

struct ImportRequest {
    std::filesystem::path database;
    std::filesystem::path file;
    std::string layer;        ///< kind name or alias
    std::string crs;          ///< --crs; empty = from the file
    std::string encoding;     ///< --encoding; empty = UTF-8 (or the file's .cpg)
    std::string source_layer; ///< --source-layer: layer or sheet of a multi-layer file
    /// Which OSM tags GDAL's OSM driver turns into columns when roads come from .osm/.pbf
    /// (layers/routing/osmconf.ini); empty = routing/osmconf.ini in the default catalogue folder.
    std::filesystem::path osm_config_file;
    std::vector<std::pair<std::string, std::string>> column_map; ///< --map FIELD=COLUMN
    bool skip_invalid = false;
    /// --header-row: the row (line of a CSV, row of a sheet) holding the column names;
    /// 0 = found among the first rows by the layer's field names (title rows above it skipped).
    std::uint64_t header_row = 0;
    bool strict = false; ///< --strict: checks the catalogue declares warnings refuse too
    /// What records whose ids the layer holds may do: by default the import is refused if any
    /// would change (--update, --replace-layer allow it; see importing::OnExisting).
    importing::OnExisting on_existing = importing::OnExisting::Refuse;
    /// --overwrite-edits: with --update/--replace-layer, records a person edited since their last
    /// import may be overwritten too (their edits stay in vigil_audit); else the import is refused.
    bool overwrite_edits = false;
    bool create_database = true;
    std::int64_t bulk_threshold_bytes = native::k_default_bulk_import_bytes; ///< see ProjectWriter::begin_import
};

struct ImportResult {
    importing::ImportSummary summary;
    std::int64_t import_id = 0; ///< 0 when refused
    std::uint64_t inserted = 0;
    std::uint64_t updated = 0;   ///< stored records changed (their previous versions are in record_history)
    std::uint64_t unchanged = 0; ///< records of the file equal to the stored ones, left as they were
    std::uint64_t removed = 0;   ///< --replace-layer: stored records the file did not hold (kept in record_history)
    /// When the import was refused because it would change stored records (count > 0; then
    /// summary.refused is true and summary.problems is empty), which and why, and that in words.
    importing::UpdateRefusal would_update;
    std::string refusal_message;
    /// When the import was refused because it would overwrite records people edited since their
    /// last import (see ImportRequest::overwrite_edits): which, in words. Empty otherwise.
    std::string edits_refusal;
    std::string layer;      ///< the kind imported into
    std::string format;     ///< "GeoJSON (vigil)", "CSV (vigil)", or GDAL's driver
    std::string source_crs; ///< as recorded
    std::string sha256;
    std::filesystem::path rejected_csv; ///< written with --skip-invalid when rows were rejected
    /// written when a refusal lists more problems than fit a screen, and when an import kept
    /// records with warnings (summary.warnings): every problem and warning of the file
    std::filesystem::path problems_csv;
};

using ImportProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

/// Runs an import. Throws vigil::Error subclasses for what stops an import before it can start
/// (missing file, empty file, unknown layer, unknown CRS, unreadable format); problems in the data
/// are returned in result.summary (refused == true means nothing was stored, and the refusal is
/// logged in vigil_imports). A file without problems is still refused when it would change
/// stored records and request.on_existing is Refuse: then result.would_update says which.
ImportResult import_file(const ImportRequest& request, const catalog::Catalog& catalog, const ImportProgress& progress = {});

/// How many problems a refusal shows before writing them all to a CSV file instead.
constexpr std::size_t k_problems_on_screen = 50;

} // namespace vigil::gdal

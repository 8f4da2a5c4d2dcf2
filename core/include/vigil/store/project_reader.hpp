/// @file
/// Reading a project database with plain SQLite (no SpatiaLite): the catalogue it stores, its
/// layers' summaries, whole layers as in-memory snapshots, and the import history. The same
/// code runs natively and in the browser (over bytes fetched by HTTP).
#pragma once

#include <vigil/catalog/catalog.hpp>
#include <vigil/geo/geometry.hpp>
#include <vigil/model/layer.hpp>
#include <vigil/store/sqlite.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace vigil::store {

struct LayerInfo {
    std::string kind;
    std::string title_zh;
    std::string title_en;
    std::string geometry_type; ///< POINT, MULTILINESTRING, MULTIPOLYGON
    std::string source_crs;    ///< the datum(s) the records came in, e.g. "GCJ-02" or "EPSG:4547, EPSG:4326"
    std::int64_t feature_count = 0;
    geo::BBox extent;
    std::string updated_at;
};

struct ImportInfo {
    std::int64_t import_id = 0;
    std::string started_at, finished_at, layer, status, file_path, file_name, file_sha256, format, source_crs, encoding, options, message,
        vigil_version;
    std::int64_t file_size = 0, rows_read = 0, rows_inserted = 0, rows_updated = 0, rows_rejected = 0, problem_count = 0;
};

class Project {
public:
    /// Opens a project database read-only. Throws vigil::IoError if it does not exist,
    /// vigil::SchemaError if it is not a Vigil project or is from a newer Vigil.
    static Project open(const std::filesystem::path& path);
    /// Opens a project from its bytes (the browser's fetch result).
    static Project open_bytes(std::vector<std::uint8_t> bytes, std::string display_name);

    int schema_version() const { return m_schema_version; }
    /// The layer kinds stored in the database (their catalogue definitions as imported).
    const catalog::Catalog& catalog() const { return m_catalog; }
    std::vector<LayerInfo> layers() const;
    /// Loads one layer completely. Throws vigil::UsageError for an unknown kind and
    /// vigil::FormatError (naming the table and fid) for a damaged geometry.
    std::shared_ptr<const model::Layer> load_layer(std::string_view kind) const;
    /// The stored definition of a layer kind. Throws vigil::UsageError for an unknown kind,
    /// naming the layers the database has.
    std::shared_ptr<const catalog::LayerKind> layer_kind(std::string_view kind) const;
    /// Most recent first.
    std::vector<ImportInfo> imports(std::size_t limit = 100) const;

    const Database& database() const { return m_db; }

private:
    explicit Project(Database db);
    Database m_db;
    int m_schema_version = 0;
    catalog::Catalog m_catalog;
};

} // namespace vigil::store

/// @file
/// The project database's layout, shared by the native writer and the platform-free reader.
///
/// One SQLite file, SpatiaLite-compatible (ogrinfo, the spatialite shell and QGIS open it as is):
///
///   <kind>            one table per layer kind, named after the kind:
///                       fid INTEGER PRIMARY KEY (SpatiaLite's pkid), the catalogue's fields in
///                       order (the id field with a unique index <kind>_id_unique), extra TEXT (unknown source columns, JSON),
///                       import_id INTEGER (the import that last wrote the row), updated_at TEXT,
///                       geom (SpatiaLite BLOB, SRID 4326, registered in geometry_columns, with
///                       an R*Tree spatial index idx_<kind>_geom)
///   vigil_meta        key/value: schema_version, created_at, created_by
///   vigil_catalog     kind -> the catalogue file's JSON as imported (the database describes itself,
///                     so the browser needs no layers/ folder)
///   vigil_layers      kind -> title, geometry type, source datum(s), feature count, extent
///   vigil_imports     provenance of every import, committed or refused: file, SHA-256, size,
///                     format, CRS, encoding, options, row counts, status, message, times
///   record_history    (schema 2) the previous version of every record an import changed or
///                     removed: layer, record_id, fid, action ('updated' | 'removed'), previous
///                     (the row's fields, extra, import_id and updated_at as a JSON object;
///                     empty columns left out),
///                     previous_geom (the stored geometry blob), replaced_at, import_id (the
///                     import that replaced it) — written in the same transaction as the change
///   vigil_changes     the change sequence viewers follow (store/change_feed.hpp): seq, at, layer,
///                     record_id (NULL: a bulk change of the layer, an import), action ('insert' |
///                     'update' | 'delete' | 'bulk'); every edit writes its rows in the
///                     transaction of the change, every import one bulk row per layer it changed
///   layer_styles      QGIS's table of layer styles (as QGIS creates it): each layer's catalogue
///                     symbology as its default style, which QGIS loads with the layer; users'
///                     own styles beside it are left alone (native/qgis_styles.hpp)
///
/// PRAGMA user_version holds the schema version; application_id marks the file as Vigil's.
/// Schema 2 adds record_history (nothing else changed): readers accept 1 and 2, and the writer
/// migrates a schema-1 file when it opens it, so that an older Vigil, which would overwrite
/// records without keeping history, no longer writes to it.
#pragma once

#include <vigil/catalog/catalog.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::store {

constexpr int k_schema_version = 2;
/// "VGL1" as a big-endian 32-bit integer, for PRAGMA application_id.
constexpr std::int32_t k_application_id = 0x56474C31;

/// SQL declared type of a catalogue field's column.
std::string_view sql_type(catalog::FieldType t);

/// SpatiaLite geometry type name stored for a kind: POINT, MULTILINESTRING or MULTIPOLYGON.
std::string_view spatialite_geometry_type(catalog::GeometryKind g);

/// CREATE TABLE statements for the vigil_* tables (IF NOT EXISTS).
std::string_view metadata_ddl();

/// CREATE TABLE statement for a layer's table, without the geometry column (SpatiaLite's
/// AddGeometryColumn adds it so that it is registered and constrained).
std::string layer_table_ddl(const catalog::LayerKind& kind);

/// The unique index on a layer's id field (a separate index rather than an inline UNIQUE, so a
/// bulk import can drop it and rebuild it in one sorted pass).
std::string id_index_name(const catalog::LayerKind& kind);
std::string id_index_ddl(const catalog::LayerKind& kind);

} // namespace vigil::store

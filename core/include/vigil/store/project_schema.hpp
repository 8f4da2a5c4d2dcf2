/// @file
/// The project database's layout, shared by the native writer and the platform-free reader.
///
/// One SQLite file, SpatiaLite-compatible (ogrinfo, the spatialite shell and QGIS open it as is):
///
///   <kind>            one table per layer kind, named after the kind:
///                       fid INTEGER PRIMARY KEY (SpatiaLite's pkid), the catalogue's fields in
///                       order (the id field with a unique index <kind>_id_unique), extra TEXT (unknown source columns, JSON),
///                       import_id INTEGER (the import that last wrote the row), updated_at TEXT,
///                       version INTEGER NOT NULL DEFAULT 1 (schema 3: bumped by every edit
///                       transaction and every import that changes the row),
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
///   layer_styles      QGIS's table of layer styles (as QGIS creates it): each layer's catalogue
///                     symbology as its default style, which QGIS loads with the layer; users'
///                     own styles beside it are left alone (native/qgis_styles.hpp)
///
///   vigil_audit       (schema 3) append-only log of every edit a person made (app/edits.hpp):
///                     seq (AUTOINCREMENT: never reused), at (UTC ISO 8601 with ms), user, seat
///                     (the host or browser the edit came from), layer, record_id, field, before,
///                     after (stored values as text; NULL for none), action ('insert' | 'edit' |
///                     'undo'), reason, change_id (the edits of one operation, one transaction,
///                     share it), version (the record's version after the edit), incident (the
///                     incident the operation served, for its log). Triggers vigil_audit_no_update
///                     and vigil_audit_no_delete refuse every UPDATE and DELETE.
///   vigil_changes     (schema 3) the change sequence viewers poll: seq (AUTOINCREMENT), at,
///                     layer, record_id (NULL for a bulk change: one row per layer an import
///                     committed), action ('insert' | 'update' | 'delete' | 'bulk'). Written in the
///                     same transaction as the change itself. A viewer polls PRAGMA data_version
///                     (cheap, changes when another connection commits), then reads
///                     `SELECT * FROM vigil_changes WHERE seq > :last` and reloads only those
///                     records (the whole layer for a NULL record_id): store/change_feed.hpp.
///
/// PRAGMA user_version holds the schema version; application_id marks the file as Vigil's.
/// Schema 2 adds record_history; schema 3 adds the layers' version column, vigil_audit and
/// vigil_changes. Readers accept 1 to 3, and the writer migrates an older file when it opens it
/// (one transaction), so that an older Vigil, which would overwrite records without keeping
/// history or bumping versions, no longer writes to it.
#pragma once

#include <vigil/catalog/catalog.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::store {

constexpr int k_schema_version = 3;
/// The layer tables' version column as created (and added by the migration to schema 3).
constexpr std::string_view k_version_column_ddl = "version INTEGER NOT NULL DEFAULT 1";
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

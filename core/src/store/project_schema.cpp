#include <vigil/store/project_schema.hpp>

#include <vigil/store/sqlite.hpp>

namespace vigil::store {

std::string_view sql_type(catalog::FieldType t) {
    using catalog::FieldType;
    switch (t) {
    case FieldType::Integer:
    case FieldType::Bool: return "INTEGER";
    case FieldType::Real: return "REAL";
    case FieldType::Text:
    case FieldType::Date:
    case FieldType::Enum:
    case FieldType::Set:
    case FieldType::List: return "TEXT";
    }
    return "TEXT";
}

std::string_view spatialite_geometry_type(catalog::GeometryKind g) {
    switch (g) {
    case catalog::GeometryKind::Point: return "POINT";
    case catalog::GeometryKind::Line: return "MULTILINESTRING";
    case catalog::GeometryKind::Polygon: return "MULTIPOLYGON";
    }
    return "GEOMETRY";
}

std::string_view metadata_ddl() {
    // i18n: not shown: the schema's SQL (its triggers' refusals stay in the schema, for whoever edits the audit table by hand)
    return R"SQL(
CREATE TABLE IF NOT EXISTS vigil_meta (
  key   TEXT PRIMARY KEY,
  value TEXT
);
CREATE TABLE IF NOT EXISTS vigil_catalog (
  kind       TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS vigil_layers (
  kind          TEXT PRIMARY KEY,
  title_zh      TEXT,
  title_en      TEXT,
  geometry_type TEXT NOT NULL,
  source_crs    TEXT,
  feature_count INTEGER NOT NULL DEFAULT 0,
  min_x REAL, min_y REAL, max_x REAL, max_y REAL,
  updated_at    TEXT,
  last_import_id INTEGER
);
CREATE TABLE IF NOT EXISTS vigil_imports (
  import_id     INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  layer         TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('committed', 'refused', 'failed')),
  file_path     TEXT NOT NULL,
  file_name     TEXT NOT NULL,
  file_size     INTEGER,
  file_sha256   TEXT,
  format        TEXT,
  source_crs    TEXT,
  encoding      TEXT,
  options       TEXT,
  rows_read     INTEGER NOT NULL DEFAULT 0,
  rows_inserted INTEGER NOT NULL DEFAULT 0,
  rows_updated  INTEGER NOT NULL DEFAULT 0,
  rows_rejected INTEGER NOT NULL DEFAULT 0,
  problem_count INTEGER NOT NULL DEFAULT 0,
  message       TEXT,
  vigil_version TEXT
);
CREATE TABLE IF NOT EXISTS record_history (
  history_id  INTEGER PRIMARY KEY AUTOINCREMENT,
  layer       TEXT NOT NULL,
  record_id   TEXT NOT NULL,
  fid         INTEGER NOT NULL,
  action      TEXT NOT NULL CHECK (action IN ('updated', 'removed')),
  previous    TEXT NOT NULL,
  previous_geom BLOB,
  replaced_at TEXT NOT NULL,
  import_id   INTEGER
);
CREATE INDEX IF NOT EXISTS record_history_record ON record_history (layer, record_id);
CREATE TABLE IF NOT EXISTS vigil_audit (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  at         TEXT NOT NULL,
  user       TEXT NOT NULL,
  seat       TEXT NOT NULL,
  layer      TEXT NOT NULL,
  record_id  TEXT NOT NULL,
  field      TEXT,
  before     TEXT,
  after      TEXT,
  action     TEXT NOT NULL,
  reason     TEXT,
  change_id  TEXT NOT NULL,
  version    INTEGER NOT NULL,
  incident   TEXT
);
CREATE INDEX IF NOT EXISTS vigil_audit_record ON vigil_audit (layer, record_id);
CREATE INDEX IF NOT EXISTS vigil_audit_incident ON vigil_audit (incident);
CREATE TRIGGER IF NOT EXISTS vigil_audit_no_update BEFORE UPDATE ON vigil_audit
BEGIN SELECT RAISE(ABORT, '审计表只能追加 vigil_audit is append-only: rows cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS vigil_audit_no_delete BEFORE DELETE ON vigil_audit
BEGIN SELECT RAISE(ABORT, '审计表只能追加 vigil_audit is append-only: rows cannot be deleted'); END;
CREATE TABLE IF NOT EXISTS vigil_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,          -- UTC ISO 8601 with milliseconds, e.g. 2026-12-07T11:20:00.123Z
  layer TEXT NOT NULL,       -- the layer kind (table name), e.g. rescue_teams
  record_id TEXT,            -- the record's id field value; NULL = a bulk change of the layer (an import)
  action TEXT NOT NULL       -- 'insert' | 'update' | 'delete' | 'bulk'
);
)SQL";
}

std::string layer_table_ddl(const catalog::LayerKind& kind) {
    std::string sql = "CREATE TABLE " + quote_identifier(kind.kind) + " (\n  fid INTEGER PRIMARY KEY AUTOINCREMENT";
    for (const auto& f : kind.fields) {
        sql += ",\n  " + quote_identifier(f.name) + " " + std::string(sql_type(f.type));
        if (f.role == catalog::FieldRole::Id) sql += " NOT NULL";
    }
    sql += ",\n  extra TEXT,\n  import_id INTEGER,\n  updated_at TEXT,\n  " + std::string(k_version_column_ddl) + "\n)";
    return sql;
}

std::string id_index_name(const catalog::LayerKind& kind) { return kind.kind + "_id_unique"; }

std::string id_index_ddl(const catalog::LayerKind& kind) {
    return "CREATE UNIQUE INDEX IF NOT EXISTS " + quote_identifier(id_index_name(kind)) + " ON " + quote_identifier(kind.kind) + " (" +
           quote_identifier(kind.fields[kind.id_index()].name) + ")";
}

} // namespace vigil::store

#include <vigil/native/project_writer.hpp>

#include <vigil/geo/spatialite_blob.hpp>
#include <vigil/index/sqlite_rtree_pack.hpp>
#include <vigil/native/qgis_styles.hpp>
#include <vigil/store/project_schema.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

namespace vigil::native {

using store::Database;
using store::quote_identifier;
using store::Statement;
using store::Transaction;

std::string utc_now() {
    auto now = std::chrono::system_clock::now();
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                  tm.tm_min, tm.tm_sec, static_cast<int>(ms));
    return buf;
}

namespace {

void load_spatialite(Database& db) {
    sqlite3_enable_load_extension(db.handle(), 1);
    char* err = nullptr;
    int rc = sqlite3_load_extension(db.handle(), "mod_spatialite", nullptr, &err);
    // Only our own code loads extensions; SQL from data must never be able to.
    sqlite3_enable_load_extension(db.handle(), 0);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : tr("unknown error");
        sqlite3_free(err);
        throw DatabaseError(
            trf("cannot load SpatiaLite (mod_spatialite): {}; install it with: apt-get install libsqlite3-mod-spatialite", msg));
    }
}

void expect_one(Database& db, const std::string& sql, const std::string& what) {
    if (db.query_int(sql, 0) != 1) throw DatabaseError(trf("{}: SpatiaLite could not {} ({})", db.path(), what, sql));
}

int spatialite_type_code(catalog::GeometryKind g) {
    switch (g) {
    case catalog::GeometryKind::Point: return 1;
    case catalog::GeometryKind::Line: return 5;
    case catalog::GeometryKind::Polygon: return 6;
    }
    return 0;
}

// Creates the layer's table, geometry column and spatial index if missing; adds columns for
// catalogue fields the table lacks; stores the kind's definition and its QGIS style. Runs inside
// the caller's transaction.
void ensure_layer(Database& db, const catalog::LayerKind& kind) {
    const std::string table = quote_identifier(kind.kind);
    if (!db.table_exists(kind.kind)) {
        db.exec(store::layer_table_ddl(kind));
        db.exec(store::id_index_ddl(kind));
        expect_one(db,
                   "SELECT AddGeometryColumn('" + kind.kind + "', 'geom', 4326, '" +
                       std::string(store::spatialite_geometry_type(kind.geometry)) + "', 'XY')",
                   trf("add the geometry column of {}", kind.kind));
        expect_one(db, "SELECT CreateSpatialIndex('" + kind.kind + "', 'geom')", trf("create the spatial index of {}", kind.kind));
    } else {
        auto st = db.prepare("SELECT geometry_type FROM geometry_columns WHERE f_table_name = lower(?) AND f_geometry_column = 'geom'");
        st.bind(1, kind.kind);
        if (!st.step()) throw SchemaError(trf("{}: table '{}' exists but has no registered geometry column 'geom'", db.path(), kind.kind));
        int code = static_cast<int>(st.column_int64(0));
        if (code != spatialite_type_code(kind.geometry))
            throw SchemaError(trf("{}: layer '{}' is stored with geometry type {} but the catalogue now says {}; export the layer and "
                                  "re-import it into a new database",
                                  db.path(), kind.kind, code, catalog::geometry_kind_name(kind.geometry)));
        auto present = db.table_columns(kind.kind);
        for (const auto& f : kind.fields)
            if (std::find(present.begin(), present.end(), f.name) == present.end())
                // i18n: not shown: SQL
                db.exec("ALTER TABLE " + table + " ADD COLUMN " + quote_identifier(f.name) + " " + std::string(store::sql_type(f.type)));
        if (std::find(present.begin(), present.end(), "version") == present.end())
            // i18n: not shown: SQL
            db.exec("ALTER TABLE " + table + " ADD COLUMN " + std::string(store::k_version_column_ddl));
    }
    const std::string now = utc_now();
    auto cat = db.prepare("INSERT INTO vigil_catalog(kind, definition, updated_at) VALUES (?, ?, ?) "
                          "ON CONFLICT(kind) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at "
                          "WHERE definition <> excluded.definition");
    cat.bind(1, kind.kind).bind(2, kind.definition).bind(3, now);
    cat.run();
    auto lay = db.prepare("INSERT INTO vigil_layers(kind, title_zh, title_en, geometry_type, feature_count, updated_at) "
                          "VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT(kind) DO UPDATE SET title_zh = excluded.title_zh, "
                          "title_en = excluded.title_en");
    lay.bind(1, kind.kind).bind(2, kind.title.zh).bind(3, kind.title.en);
    lay.bind(4, std::string(store::spatialite_geometry_type(kind.geometry))).bind(5, now);
    lay.run();
    write_qgis_styles(db, kind);
}

} // namespace

ProjectWriter ProjectWriter::open(const std::filesystem::path& path, bool create) {
    std::error_code ec;
    bool exists = std::filesystem::exists(path, ec);
    if (!exists && !create) throw IoError(trf("database '{}' does not exist (create it with 'vigil init')", path.string()));
    if (exists && std::filesystem::is_directory(path, ec)) throw IoError(trf("'{}' is a folder, not a database file", path.string()));
    ProjectWriter w;
    w.m_db = std::make_unique<Database>(Database::open(path, create ? Database::Mode::ReadWriteCreate : Database::Mode::ReadWrite));
    Database& db = *w.m_db;
    load_spatialite(db);
    if (!db.table_exists("vigil_meta")) {
        // Never turn somebody else's database into a Vigil project behind their back.
        if (db.query_int("SELECT count(*) FROM sqlite_schema") > 0)
            throw SchemaError(trf("'{}' already holds tables but is not a Vigil project; refusing to change it", path.string()));
        db.exec("PRAGMA journal_mode = WAL");
        Transaction tx(db);
        expect_one(db, "SELECT InitSpatialMetadata(0, 'WGS84')", tr("initialise its metadata"));
        db.exec(std::string(store::metadata_ddl()));
        auto meta = db.prepare("INSERT INTO vigil_meta(key, value) VALUES (?, ?)");
        const std::pair<std::string, std::string> rows[] = {{"schema_version", std::to_string(store::k_schema_version)},
                                                            {"created_at", utc_now()},
                                                            {"created_by", std::string("vigil ") + VIGIL_VERSION}};
        for (const auto& [k, v] : rows) {
            meta.bind(1, k).bind(2, v);
            meta.run();
        }
        db.exec("PRAGMA application_id = " + std::to_string(store::k_application_id));
        db.exec("PRAGMA user_version = " + std::to_string(store::k_schema_version));
        tx.commit();
    } else {
        auto version = db.query_int("PRAGMA user_version");
        if (version > store::k_schema_version)
            throw SchemaError(trf("'{}' has schema version {}, newer than this Vigil ({}): update Vigil", path.string(), version,
                                  store::k_schema_version));
        if (version < store::k_schema_version) {
            // Schema 1 -> 2: record_history; 2 -> 3: the layers' version column, vigil_audit and
            // vigil_changes (created by metadata_ddl), and the version number, all together.
            Transaction tx(db);
            db.exec(std::string(store::metadata_ddl()));
            std::vector<std::string> kinds;
            auto st = db.prepare("SELECT kind FROM vigil_layers ORDER BY kind");
            while (st.step()) kinds.emplace_back(st.column_text(0));
            st = Statement();
            for (const auto& kind : kinds) {
                auto present = db.table_columns(kind);
                if (!present.empty() && std::find(present.begin(), present.end(), "version") == present.end())
                    // i18n: not shown: SQL
                    db.exec("ALTER TABLE " + quote_identifier(kind) + " ADD COLUMN " + std::string(store::k_version_column_ddl));
            }
            auto meta = db.prepare("INSERT INTO vigil_meta(key, value) VALUES ('schema_version', ?) "
                                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
            meta.bind(1, std::to_string(store::k_schema_version));
            meta.run();
            db.exec("PRAGMA user_version = " + std::to_string(store::k_schema_version));
            tx.commit();
        } else {
            db.exec(std::string(store::metadata_ddl())); // tables added by later revisions of this schema
        }
    }
    // Dispatchers' edits must survive a power cut: FULL syncs the WAL on every commit.
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA cache_size = -262144"); // 256 MiB page cache for large imports
    return w;
}

ProjectWriter::ProjectWriter(ProjectWriter&&) noexcept = default;
ProjectWriter& ProjectWriter::operator=(ProjectWriter&&) noexcept = default;
ProjectWriter::~ProjectWriter() = default;

void ProjectWriter::ensure_layers(const catalog::Catalog& catalog) {
    Transaction tx(*m_db);
    for (const auto& k : catalog.kinds()) ensure_layer(*m_db, *k);
    tx.commit();
}

void ProjectWriter::log_import(const ImportProvenance& p, const std::string& layer, const std::string& status,
                               const importing::ImportSummary& s, const std::string& message) {
    Transaction tx(*m_db);
    auto st =
        m_db->prepare("INSERT INTO vigil_imports(started_at, finished_at, layer, status, file_path, file_name, file_size, file_sha256, "
                      // i18n: not shown: SQL
                      "format, source_crs, encoding, options, rows_read, rows_inserted, rows_updated, rows_rejected, problem_count, "
                      "message, vigil_version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,0,0,?,?,?,?)");
    st.bind(1, p.started_at).bind(2, utc_now()).bind(3, layer).bind(4, status).bind(5, p.file_path).bind(6, p.file_name);
    st.bind(7, p.file_size).bind(8, p.file_sha256).bind(9, p.format).bind(10, p.source_crs).bind(11, p.encoding);
    st.bind(12, p.options_json).bind(13, static_cast<std::int64_t>(s.rows_read));
    st.bind(14, static_cast<std::int64_t>(s.rows_rejected)).bind(15, static_cast<std::int64_t>(s.problem_count));
    st.bind(16, message).bind(17, VIGIL_VERSION);
    st.run();
    tx.commit();
}

struct LayerImport::State {
    Database* db = nullptr;
    bool bulk = false;
    bool restore_wal = false;
    bool started_empty = false;
    std::vector<index::RTreeItem> written; // (fid, box) of every row written, when started_empty
    const catalog::LayerKind* kind = nullptr;
    ImportProvenance provenance;
    std::unique_ptr<Transaction> tx;
    std::int64_t import_id = 0;
    std::unordered_map<std::string, std::int64_t> existing; // id -> fid
    Statement insert, update;
    std::vector<std::uint8_t> blob;
    std::string now;
    std::vector<std::pair<std::string, std::string>> triggers; // set aside during the import
    std::size_t id_index = 0;
    importing::OnExisting on_existing = importing::OnExisting::Refuse;
    // The stored row of one fid: whether it equals the bound new values, then every stored
    // column (for record_history and the refusal's listing), then its source file's name.
    Statement current;
    Statement history;
    std::unordered_set<std::int64_t> kept; // stored fids the file holds (updated or unchanged)
    importing::RowNumberTally ids;
    std::uint64_t would_update = 0;
    std::vector<importing::WouldReplace> would_replace;
    // Records a person edited since their last import (vigil_audit): refused unless
    // overwrite_edits. `edited` finds a record's edits after the import that last wrote it.
    bool overwrite_edits = false;
    Statement edited;
    std::uint64_t edited_count = 0;
    std::vector<std::string> edited_listed; // "T01: status (王五, 2026-…)", the first few
};

namespace {

// Binds a record's stored form: its field values, extra and geometry, from parameter `p` on.
int bind_record(Statement& st, int p, const importing::Record& r, std::vector<std::uint8_t>& blob) {
    for (const auto& v : r.values) st.bind_value(p++, v);
    if (r.extra_json.empty()) st.bind_null(p++);
    else st.bind(p++, r.extra_json);
    geo::encode_spatialite_blob(r.geometry, 4326, blob);
    st.bind_blob(p++, blob);
    return p;
}

std::string text_of(const Statement& st, int column) {
    return st.column_is_null(column) ? std::string() : std::string(st.column_text(column));
}

} // namespace

std::unique_ptr<LayerImport> ProjectWriter::begin_import(const catalog::LayerKind& kind, const ImportProvenance& provenance,
                                                         std::int64_t bulk_threshold_bytes, importing::OnExisting on_existing,
                                                         bool overwrite_edits) {
    auto s = std::make_unique<LayerImport::State>();
    s->on_existing = on_existing;
    s->overwrite_edits = overwrite_edits;
    s->db = m_db.get();
    s->kind = &kind;
    s->provenance = provenance;
    s->now = utc_now();
    s->id_index = kind.id_index();
    Database& db = *m_db;
    s->bulk = provenance.file_size >= bulk_threshold_bytes;
    if (s->bulk && db.query_text("PRAGMA journal_mode") == "wal") {
        // Only possible while no other connection has the database open; otherwise stay in WAL.
        try {
            s->restore_wal = db.query_text("PRAGMA journal_mode = DELETE") == "delete";
        } catch (const DatabaseError&) {
            s->restore_wal = false;
        }
    }
    s->tx = std::make_unique<Transaction>(db);
    ensure_layer(db, kind);

    auto prov = db.prepare("INSERT INTO vigil_imports(started_at, layer, status, file_path, file_name, file_size, file_sha256, "
                           "format, source_crs, encoding, options, vigil_version) VALUES (?,?,'failed',?,?,?,?,?,?,?,?,?)");
    prov.bind(1, provenance.started_at).bind(2, kind.kind).bind(3, provenance.file_path).bind(4, provenance.file_name);
    prov.bind(5, provenance.file_size).bind(6, provenance.file_sha256).bind(7, provenance.format);
    prov.bind(8, provenance.source_crs).bind(9, provenance.encoding).bind(10, provenance.options_json).bind(11, VIGIL_VERSION);
    prov.run();
    s->import_id = db.last_insert_rowid();

    const std::string table = quote_identifier(kind.kind);
    const std::string id_col = quote_identifier(kind.fields[s->id_index].name);
    auto ids = db.prepare("SELECT " + id_col + ", fid FROM " + table);
    while (ids.step()) s->existing.emplace(std::string(ids.column_text(0)), ids.column_int64(1));

    s->started_empty = s->existing.empty();
    if (s->bulk) db.exec("DROP INDEX IF EXISTS " + quote_identifier(store::id_index_name(kind)));

    auto trig = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?");
    trig.bind(1, kind.kind);
    while (trig.step()) s->triggers.emplace_back(std::string(trig.column_text(0)), std::string(trig.column_text(1)));
    for (const auto& [name, sql] : s->triggers) db.exec("DROP TRIGGER " + quote_identifier(name));

    std::string cols, params, sets;
    for (const auto& f : kind.fields) {
        cols += quote_identifier(f.name) + ", ";
        params += "?, ";
        sets += quote_identifier(f.name) + " = ?, ";
    }
    s->insert = db.prepare("INSERT INTO " + table + " (" + cols + "extra, import_id, updated_at, geom) VALUES (" + params + "?, ?, ?, ?)");
    s->update = db.prepare("UPDATE " + table + " SET " + sets +
                           "extra = ?, import_id = ?, updated_at = ?, geom = ?, version = version + 1 WHERE fid = ?");
    if (!s->started_empty) {
        // IS compares NULLs as equal and blobs byte for byte; the geometry blob is encoded the
        // same way every time, so a record re-imported from the same file compares equal.
        std::string same;
        int p = 1;
        for (const auto& f : kind.fields) same += quote_identifier(f.name) + " IS ?" + std::to_string(p++) + " AND ";
        // i18n: not shown: SQL
        same += "extra IS ?" + std::to_string(p) + " AND geom IS ?" + std::to_string(p + 1);
        s->current = db.prepare("SELECT (" + same + "), " + cols +
                                // i18n: not shown: SQL
                                "extra, import_id, updated_at, geom, "
                                "(SELECT file_name FROM vigil_imports i WHERE i.import_id = t.import_id) FROM " +
                                table + " AS t WHERE fid = ?" + std::to_string(p + 2));
        s->history = db.prepare("INSERT INTO record_history(layer, record_id, fid, action, previous, previous_geom, replaced_at, "
                                "import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        // Edits after the import that last wrote the record (its finished_at: no edit can commit
        // inside an import's transaction; one in the same millisecond counts as after, the safe
        // side); a record no import wrote (an incident opened by a dispatcher) counts every edit.
        s->edited = db.prepare("SELECT a.field, a.user, a.at FROM vigil_audit a WHERE a.layer = ?1 AND a.record_id = ?2 AND a.at >= "
                               "coalesce((SELECT i.finished_at FROM vigil_imports i WHERE i.import_id = (SELECT import_id FROM " +
                               table + " WHERE fid = ?3)), '') ORDER BY a.seq");
    }
    return std::unique_ptr<LayerImport>(new LayerImport(std::move(s)));
}

LayerImport::LayerImport(std::unique_ptr<State> state) : m_state(std::move(state)) {}

LayerImport::~LayerImport() {
    if (m_state && m_state->tx && m_state->tx->active()) rollback();
}

namespace {

// The stored row `current` stands on, as the JSON object record_history keeps: every field's
// stored value, extra, import_id and updated_at (geometry separately, as its blob). Empty
// (NULL) columns are left out: registers are sparse, and the history of a full re-import of a
// large layer then costs about half the space.
std::string previous_json(const Statement& current, const catalog::LayerKind& kind) {
    nlohmann::json j = nlohmann::json::object();
    int c = 1;
    auto put = [&](const std::string& name) {
        model::Value v = current.column_value(c++);
        if (auto i = std::get_if<std::int64_t>(&v)) j[name] = *i;
        else if (auto d = std::get_if<double>(&v)) j[name] = *d;
        else if (auto t = std::get_if<std::string>(&v)) j[name] = *t;
    };
    for (const auto& f : kind.fields) put(f.name);
    for (const char* name : {"extra", "import_id", "updated_at"}) put(name);
    return j.dump();
}

} // namespace

void LayerImport::keep_history(std::int64_t fid, const char* action) {
    State& s = *m_state;
    const int geom_column = static_cast<int>(s.kind->fields.size()) + 4;
    s.history.bind(1, s.kind->kind).bind(2, text_of(s.current, 1 + static_cast<int>(s.id_index))).bind(3, fid).bind(4, action);
    s.history.bind(5, previous_json(s.current, *s.kind));
    if (s.current.column_is_null(geom_column)) s.history.bind_null(6);
    else s.history.bind_blob(6, s.current.column_blob(geom_column));
    s.history.bind(7, s.now).bind(8, s.import_id);
    s.history.run();
}

void LayerImport::write(const importing::Record& r) {
    State& s = *m_state;
    const auto& id = std::get<std::string>(r.values[s.id_index]);
    s.ids.add(id);
    auto it = s.existing.find(id);
    if (it != s.existing.end()) {
        const int fid_param = bind_record(s.current, 1, r, s.blob);
        s.current.bind(fid_param, it->second);
        if (!s.current.step()) throw DatabaseError(trf("{}: record {} of {} vanished during the import", s.db->path(), id, s.kind->kind));
        const bool same = s.current.column_int64(0) != 0;
        if (same) {
            s.current.reset();
            s.kept.insert(it->second);
            ++m_unchanged;
            return;
        }
        if (s.on_existing == importing::OnExisting::Refuse) {
            if (s.would_replace.size() < importing::k_would_replace_listed) {
                importing::WouldReplace w;
                w.id = id;
                w.row = r.row;
                const auto name = s.kind->index_of_role(catalog::FieldRole::Name);
                const auto county = s.kind->index_of_role(catalog::FieldRole::County);
                auto new_text = [&](std::optional<std::size_t> f) {
                    auto t = f ? std::get_if<std::string>(&r.values[*f]) : nullptr;
                    return t ? *t : std::string();
                };
                if (name) w.stored_name = text_of(s.current, 1 + static_cast<int>(*name));
                if (county) w.stored_county = text_of(s.current, 1 + static_cast<int>(*county));
                w.new_name = new_text(name);
                w.new_county = new_text(county);
                w.stored_file = text_of(s.current, static_cast<int>(s.kind->fields.size()) + 5);
                s.would_replace.push_back(std::move(w));
            }
            s.current.reset();
            ++s.would_update;
            return;
        }
        if (!s.overwrite_edits && note_edits(id, it->second)) {
            s.current.reset();
            s.kept.insert(it->second);
            return;
        }
        keep_history(it->second, "updated");
        s.current.reset();
        s.kept.insert(it->second);
    }
    // Refusing: the transaction will be rolled back, so nothing more is worth writing.
    if (s.would_update > 0 || s.edited_count > 0) return;
    Statement& st = it == s.existing.end() ? s.insert : s.update;
    int p = 1;
    for (const auto& v : r.values) st.bind_value(p++, v);
    if (r.extra_json.empty()) st.bind_null(p++);
    else st.bind(p++, r.extra_json);
    st.bind(p++, s.import_id);
    st.bind(p++, s.now);
    geo::encode_spatialite_blob(r.geometry, 4326, s.blob);
    st.bind_blob(p++, s.blob);
    if (it != s.existing.end()) st.bind(p++, it->second);
    st.run();
    // New ids need not join `existing`: the pipeline has already refused duplicates in the file.
    std::int64_t fid = it == s.existing.end() ? s.db->last_insert_rowid() : it->second;
    if (s.started_empty) s.written.push_back({fid, r.geometry.bbox()});
    if (it == s.existing.end()) ++m_inserted;
    else ++m_updated;
}

bool LayerImport::note_edits(const std::string& id, std::int64_t fid) {
    State& s = *m_state;
    s.edited.bind(1, s.kind->kind).bind(2, id).bind(3, fid);
    std::string fields;
    std::string last;
    while (s.edited.step()) {
        std::string field = s.edited.column_is_null(0) ? std::string("(record)") : std::string(s.edited.column_text(0));
        if (fields.find(field) == std::string::npos) fields += (fields.empty() ? "" : ", ") + field;
        last = std::string(s.edited.column_text(1)) + ", " + std::string(s.edited.column_text(2));
    }
    s.edited.reset();
    if (fields.empty()) return false;
    ++s.edited_count;
    if (s.edited_listed.size() < importing::k_would_replace_listed) s.edited_listed.push_back(id + ": " + fields + " (" + last + ")");
    return true;
}

std::string LayerImport::edits_refusal() const {
    const State& s = *m_state;
    if (s.edited_count == 0) return {};
    std::string list;
    for (const auto& e : s.edited_listed) list += (list.empty() ? "" : "; ") + e;
    if (s.edited_count > s.edited_listed.size()) list += "; …";
    // TRANSLATORS: {1} is the layer's id (enterprises), {2} its Chinese title (企业): "{2:.0}" prints nothing in English.
    return trf("{0} records of {1}{2:.0} were edited since their last import and the import would overwrite the edits; nothing imported "
               "({3}); see them with 'vigil history', and import with --overwrite-edits to replace them anyway",
               s.edited_count, s.kind->kind, s.kind->title.zh, list);
}

importing::UpdateRefusal LayerImport::would_update(std::uint64_t rows_read) const {
    const State& s = *m_state;
    importing::UpdateRefusal r;
    r.count = s.would_update;
    r.first = s.would_replace;
    r.ids_look_like_row_numbers = s.ids.looks_like_row_numbers(rows_read);
    if (r.ids_look_like_row_numbers) r.largest_row_number = s.ids.largest();
    const catalog::Field& id = s.kind->fields[s.id_index];
    if (const catalog::Field* from = s.kind->field(id.fallback_field)) {
        r.fallback_field = from->name;
        r.fallback_label_zh = from->label.zh;
        r.fallback_label_en = from->label.en;
    }
    return r;
}

std::int64_t LayerImport::commit(const importing::ImportSummary& summary) {
    State& s = *m_state;
    Database& db = *s.db;
    const std::string table = quote_identifier(s.kind->kind);
    const std::string idx = "idx_" + s.kind->kind + "_geom";
    if (s.would_update > 0)
        throw DatabaseError(trf("{}: {} records of {} would be overwritten without --update; the import must be rolled back, not committed",
                                db.path(), s.would_update, s.kind->kind));
    if (s.edited_count > 0) throw Error(edits_refusal());

    // 0. Replacing the layer: the stored records the file does not hold go, each into history
    //    first, in fid order so that the history reads in the layer's order.
    if (s.on_existing == importing::OnExisting::ReplaceLayer && !s.started_empty) {
        std::vector<std::int64_t> gone;
        for (const auto& [id, fid] : s.existing)
            if (!s.kept.count(fid)) gone.push_back(fid);
        std::sort(gone.begin(), gone.end());
        if (!s.overwrite_edits) {
            // An edited record the file no longer holds would be removed: refused like an update.
            auto id_of = db.prepare("SELECT " + quote_identifier(s.kind->fields[s.id_index].name) + " FROM " + table + " WHERE fid = ?");
            for (std::int64_t fid : gone) {
                id_of.bind(1, fid);
                if (id_of.step()) note_edits(std::string(id_of.column_text(0)), fid);
                id_of.reset();
            }
            if (s.edited_count > 0) throw Error(edits_refusal());
        }
        auto del = db.prepare("DELETE FROM " + table + " WHERE fid = ?");
        const int fid_param = static_cast<int>(s.kind->fields.size()) + 3;
        for (std::int64_t fid : gone) {
            s.current.bind(fid_param, fid);
            if (!s.current.step())
                throw DatabaseError(trf("{}: record fid {} of {} vanished during the import", db.path(), fid, s.kind->kind));
            keep_history(fid, "removed");
            s.current.reset();
            del.bind(1, fid);
            del.run();
            ++m_removed;
        }
    }

    // 1. Spatial index: rebuilt from every stored geometry's MBR — the rows written now, if the
    //    table was empty before, else read back from the blob headers.
    std::vector<index::RTreeItem> items;
    geo::BBox extent;
    if (s.started_empty) {
        items = std::move(s.written);
        for (const auto& it : items) extent.add(it.box);
    } else {
        items.reserve(s.existing.size() + m_inserted);
        auto st = db.prepare("SELECT fid, geom FROM " + table + " WHERE geom IS NOT NULL");
        while (st.step()) {
            auto info = geo::read_spatialite_blob_header(st.column_blob(1));
            items.push_back({st.column_int64(0), info.mbr});
            extent.add(info.mbr);
        }
    }
    if (s.bulk) db.exec(store::id_index_ddl(*s.kind));
    const std::int64_t count = static_cast<std::int64_t>(items.size());
    int node_size = static_cast<int>(db.query_int("SELECT length(data) FROM " + quote_identifier(idx + "_node") + " WHERE nodeno = 1", 0));
    if (node_size <= 0) throw DatabaseError(trf("{}: spatial index {} has no root node", db.path(), idx));
    index::PackedSqliteRTree packed = index::pack_sqlite_rtree(std::move(items), node_size);
    db.exec("DELETE FROM " + quote_identifier(idx + "_node") + "; DELETE FROM " + quote_identifier(idx + "_rowid") + "; DELETE FROM " +
            quote_identifier(idx + "_parent"));
    {
        auto ins = db.prepare("INSERT INTO " + quote_identifier(idx + "_node") + " (nodeno, data) VALUES (?, ?)");
        for (const auto& n : packed.nodes) {
            ins.bind(1, n.nodeno).bind_blob(2, n.data);
            ins.run();
        }
        auto rows = db.prepare("INSERT INTO " + quote_identifier(idx + "_rowid") + " (rowid, nodeno) VALUES (?, ?)");
        for (const auto& [rowid, node] : packed.rowids) {
            rows.bind(1, rowid).bind(2, node);
            rows.run();
        }
        auto parents = db.prepare("INSERT INTO " + quote_identifier(idx + "_parent") + " (nodeno, parentnode) VALUES (?, ?)");
        for (const auto& [node, parent] : packed.parents) {
            parents.bind(1, node).bind(2, parent);
            parents.run();
        }
    }

    // 2. SpatiaLite's triggers back, exactly as they were.
    for (const auto& [name, sql] : s.triggers) db.exec(sql);
    s.triggers.clear();

    // 3. SpatiaLite's layer statistics and timestamps (what its own triggers would have kept).
    const std::string now = utc_now();
    {
        auto st =
            db.prepare("INSERT OR REPLACE INTO geometry_columns_statistics(f_table_name, f_geometry_column, last_verified, "
                       "row_count, extent_min_x, extent_min_y, extent_max_x, extent_max_y) VALUES (lower(?), 'geom', ?, ?, ?, ?, ?, ?)");
        st.bind(1, s.kind->kind).bind(2, now).bind(3, count);
        if (extent.empty()) st.bind_null(4).bind_null(5).bind_null(6).bind_null(7);
        else st.bind(4, extent.min_x).bind(5, extent.min_y).bind(6, extent.max_x).bind(7, extent.max_y);
        st.run();
        auto t = db.prepare("UPDATE geometry_columns_time SET last_insert = ?, last_update = ? WHERE f_table_name = lower(?) AND "
                            "f_geometry_column = 'geom'");
        t.bind(1, now).bind(2, now).bind(3, s.kind->kind);
        t.run();
    }

    // 4. The layer summary: count, extent, and the datums its rows came in.
    std::string datums;
    {
        auto st = db.prepare("SELECT DISTINCT i.source_crs FROM vigil_imports i WHERE i.import_id IN (SELECT DISTINCT import_id FROM " +
                             table + ") ORDER BY i.source_crs");
        while (st.step()) datums += (datums.empty() ? "" : ", ") + std::string(st.column_text(0));
    }
    {
        auto st = db.prepare("UPDATE vigil_layers SET feature_count = ?, min_x = ?, min_y = ?, max_x = ?, max_y = ?, source_crs = ?, "
                             "updated_at = ?, last_import_id = ? WHERE kind = ?");
        st.bind(1, count);
        if (extent.empty()) st.bind_null(2).bind_null(3).bind_null(4).bind_null(5);
        else st.bind(2, extent.min_x).bind(3, extent.min_y).bind(4, extent.max_x).bind(5, extent.max_y);
        st.bind(6, datums).bind(7, now).bind(8, s.import_id).bind(9, s.kind->kind);
        st.run();
    }

    // 5. Provenance.
    {
        auto st = db.prepare("UPDATE vigil_imports SET finished_at = ?, status = 'committed', rows_read = ?, rows_inserted = ?, "
                             "rows_updated = ?, rows_rejected = ?, problem_count = ?, message = ?, file_sha256 = ? WHERE import_id = ?");
        // TRANSLATORS: the separator of the counts of an import ("3 inserted, 2 updated").
        const char* sep = tr(", ");
        std::string message = trf("{} inserted", m_inserted) + sep + trf("{} updated", m_updated);
        if (m_unchanged) message += sep + trf("{} unchanged", m_unchanged);
        if (m_removed) message += sep + trf("{} removed (--replace-layer)", m_removed);
        if (m_updated || m_removed) message += tr("; previous versions in record_history");
        if (summary.rows_rejected) message += sep + trf("{} rejected (--skip-invalid)", summary.rows_rejected);
        st.bind(1, now).bind(2, static_cast<std::int64_t>(summary.rows_read)).bind(3, static_cast<std::int64_t>(m_inserted));
        st.bind(4, static_cast<std::int64_t>(m_updated)).bind(5, static_cast<std::int64_t>(summary.rows_rejected));
        st.bind(6, static_cast<std::int64_t>(summary.problem_count)).bind(7, message).bind(8, s.provenance.file_sha256);
        st.bind(9, s.import_id);
        st.run();
    }
    // 6. One bulk row in the change sequence: viewers reload the layer.
    if (m_inserted || m_updated || m_removed) {
        auto st = db.prepare("INSERT INTO vigil_changes(at, layer, record_id, action) VALUES (?, ?, NULL, 'bulk')");
        st.bind(1, now).bind(2, s.kind->kind);
        st.run();
    }
    s.insert = Statement();
    s.update = Statement();
    s.current = Statement();
    s.history = Statement();
    s.edited = Statement();
    s.tx->commit();
    restore_journal(s);
    return s.import_id;
}

void LayerImport::restore_journal(State& s) {
    if (!s.restore_wal) return;
    s.restore_wal = false;
    s.db->exec("PRAGMA journal_mode = WAL");
}

void LayerImport::set_file_sha256(const std::string& sha256) { m_state->provenance.file_sha256 = sha256; }

void LayerImport::rollback() {
    State& s = *m_state;
    s.insert = Statement();
    s.update = Statement();
    s.current = Statement();
    s.history = Statement();
    s.edited = Statement();
    if (s.tx) s.tx->rollback();
    restore_journal(s);
}

} // namespace vigil::native

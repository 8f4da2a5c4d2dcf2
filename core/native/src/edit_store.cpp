#include <vigil/native/edit_store.hpp>

#include <vigil/geo/spatialite_blob.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace vigil::native {

using store::quote_identifier;
using store::Statement;

namespace {

// The kinds edits write; their tables and current definitions are ensured on open.
constexpr std::string_view k_edited_kinds[] = {app::k_incidents_kind, app::k_dispatches_kind, app::k_teams_kind, app::k_warehouses_kind};

std::string field_columns(const catalog::LayerKind& kind) {
    std::string cols;
    for (const auto& f : kind.fields) cols += ", " + quote_identifier(f.name);
    return cols;
}

} // namespace

namespace detail {

// The checkpoint thread (edit_store.hpp, "The WAL is bounded"), on a connection of its own.
class WalCheckpointer {
public:
    WalCheckpointer(const std::filesystem::path& path, std::uintmax_t limit)
        : m_db(store::Database::open(path, store::Database::Mode::ReadWrite)), m_limit(limit) {
        // How long TRUNCATE may hold off the editor waiting for readers of older snapshots (it
        // waits twice: for the readers of snapshots older than the log's end, then for those that
        // began while it copied); the editor's own busy timeout (5 s) is longer, so an edit
        // waits instead of failing.
        sqlite3_busy_timeout(m_db.handle(), 3000);
        const auto page = static_cast<std::uintmax_t>(m_db.query_int("PRAGMA page_size", 4096));
        m_limit_frames = static_cast<std::int64_t>(std::max<std::uintmax_t>(1, m_limit / std::max<std::uintmax_t>(page, 512)));
        m_thread = std::thread([this] { run(); });
    }
    WalCheckpointer(const WalCheckpointer&) = delete;
    WalCheckpointer& operator=(const WalCheckpointer&) = delete;
    ~WalCheckpointer() {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_one();
        m_thread.join();
    }
    std::int64_t truncations() const { return m_truncations.load(); }

private:
    // wal_checkpoint's row: busy (1 when it could not finish), frames in the log, frames copied.
    std::pair<bool, std::int64_t> checkpoint(const char* mode) {
        auto st = m_db.prepare(std::string("PRAGMA wal_checkpoint(") + mode + ")");
        if (!st.step()) return {true, 0};
        return {st.column_int64(0) != 0, st.column_int64(1)};
    }

    void run() {
        std::unique_lock lock(m_mutex);
        while (!m_wake.wait_for(lock, std::chrono::milliseconds(200), [this] { return m_stop; })) {
            lock.unlock(); // the destructor's stop is not held up by a checkpoint
            look();
            lock.lock();
        }
    }

    void look() {
        try {
            // PASSIVE never waits and never blocks anyone: it says how long the log is now (and
            // copies what it can, work the editor's commit then need not do).
            if (checkpoint("PASSIVE").second < m_limit_frames || std::chrono::steady_clock::now() < m_next_try) return;
            if (checkpoint("TRUNCATE").first) {
                // A reader outlasted the wait: try again later, and later each time, so that a
                // reader holding on for minutes does not have the editor held off again and again.
                m_next_try = std::chrono::steady_clock::now() + m_backoff;
                m_backoff = std::min(m_backoff * 2, std::chrono::seconds(64));
            } else {
                m_backoff = std::chrono::seconds(2);
                ++m_truncations;
            }
        } catch (const std::exception&) { // a locked or vanished file: the next look tries again
        }
    }

    store::Database m_db;
    std::uintmax_t m_limit;
    std::int64_t m_limit_frames = 0;
    std::chrono::steady_clock::time_point m_next_try;
    std::chrono::seconds m_backoff{2};
    std::atomic<std::int64_t> m_truncations{0};
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_thread; // last: started once the rest is set
};

} // namespace detail

SpatialiteEditStore::SpatialiteEditStore(ProjectWriter writer, catalog::Catalog catalog)
    : m_writer(std::move(writer)), m_catalog(std::move(catalog)) {}

SpatialiteEditStore::~SpatialiteEditStore() = default;

std::int64_t SpatialiteEditStore::wal_truncations() const { return m_checkpointer ? m_checkpointer->truncations() : 0; }

std::unique_ptr<SpatialiteEditStore> SpatialiteEditStore::open(const std::filesystem::path& path, const catalog::Catalog& catalog,
                                                               std::uintmax_t wal_limit) {
    ProjectWriter writer = ProjectWriter::open(path, false);
    store::Database& db = writer.database();
    // A file that a bulk import left in rollback-journal mode goes back to WAL: readers then never
    // block the editor (ProjectWriter::open has set synchronous=FULL).
    if (db.query_text("PRAGMA journal_mode") != "wal") db.exec("PRAGMA journal_mode = WAL");
    catalog::Catalog needed;
    for (auto name : k_edited_kinds) {
        auto kind = catalog.find(name);
        if (!kind) continue;
        bool current = db.table_exists(kind->kind);
        if (current) {
            auto st = db.prepare("SELECT definition = ? FROM vigil_catalog WHERE kind = ?");
            st.bind(1, kind->definition).bind(2, kind->kind);
            current = st.step() && st.column_int64(0) == 1;
        }
        if (!current) needed.add(*kind);
    }
    // Only when something is missing or stale: an unchanged ensure would still write (and wake
    // every polling viewer) on each command.
    if (!needed.empty()) writer.ensure_layers(needed);
    catalog::Catalog kinds;
    for (const auto& k : catalog.kinds()) kinds.add(*k);
    std::unique_ptr<SpatialiteEditStore> store(new SpatialiteEditStore(std::move(writer), std::move(kinds)));
    store->m_checkpointer = std::make_unique<detail::WalCheckpointer>(path, wal_limit);
    return store;
}

std::shared_ptr<const catalog::LayerKind> SpatialiteEditStore::kind(std::string_view layer) const {
    auto k = m_catalog.get(layer);
    if (!m_writer.database().table_exists(k->kind)) {
        throw UsageError(trf("the project has no layer '{}' (import it first)", k->kind));
    }
    return k;
}

void SpatialiteEditStore::begin() {
    if (m_tx && m_tx->active()) throw DatabaseError(trf("{}: an edit transaction is open already", m_writer.database().path()));
    m_tx = std::make_unique<store::Transaction>(m_writer.database());
}

void SpatialiteEditStore::commit() {
    if (!m_tx) throw DatabaseError(trf("{}: no edit transaction to commit", m_writer.database().path()));
    m_tx->commit();
    m_tx.reset();
}

void SpatialiteEditStore::rollback() {
    if (m_tx) m_tx->rollback();
    m_tx.reset();
}

std::string SpatialiteEditStore::now() const { return utc_now(); }

std::vector<app::StoredRecord> SpatialiteEditStore::select(const catalog::LayerKind& kind, const std::string& where,
                                                           const std::vector<std::string>& args) const {
    const bool point = kind.geometry == catalog::GeometryKind::Point;
    auto st = m_writer.database().prepare("SELECT fid, version, geom" + field_columns(kind) + " FROM " + quote_identifier(kind.kind) +
                                          " WHERE " + where + " ORDER BY fid");
    for (std::size_t i = 0; i < args.size(); ++i) st.bind(static_cast<int>(i + 1), args[i]);
    std::vector<app::StoredRecord> out;
    while (st.step()) {
        app::StoredRecord r;
        r.fid = st.column_int64(0);
        r.version = st.column_is_null(1) ? 1 : st.column_int64(1);
        if (point && !st.column_is_null(2)) {
            auto g = geo::decode_spatialite_blob(st.column_blob(2));
            r.point = geo::representative_point(g);
        }
        for (std::size_t i = 0; i < kind.fields.size(); ++i) r.values.push_back(st.column_value(static_cast<int>(i) + 3));
        out.push_back(std::move(r));
    }
    return out;
}

std::optional<app::StoredRecord> SpatialiteEditStore::find(const catalog::LayerKind& kind, std::string_view id) const {
    auto r = select(kind, quote_identifier(kind.fields[kind.id_index()].name) + " = ?1", {std::string(id)});
    if (r.empty()) return std::nullopt;
    return std::move(r.front());
}

std::vector<app::StoredRecord> SpatialiteEditStore::find_where(const catalog::LayerKind& kind, std::string_view field,
                                                               std::string_view value) const {
    if (!kind.field(field)) throw SchemaError(trf("layer kind {} has no field '{}'", kind.kind, field));
    return select(kind, quote_identifier(field) + " = ?1", {std::string(value)});
}

std::vector<std::string> SpatialiteEditStore::ids_with_prefix(const catalog::LayerKind& kind, std::string_view prefix) const {
    const std::string id = quote_identifier(kind.fields[kind.id_index()].name);
    // substr rather than LIKE: an id may hold % or _.
    auto st = m_writer.database().prepare("SELECT " + id + " FROM " + quote_identifier(kind.kind) + " WHERE substr(" + id +
                                          ", 1, length(?1)) = ?1");
    st.bind(1, prefix);
    std::vector<std::string> out;
    while (st.step()) out.emplace_back(st.column_text(0));
    return out;
}

void SpatialiteEditStore::update(const catalog::LayerKind& kind, std::int64_t fid,
                                 const std::vector<std::pair<std::size_t, model::Value>>& values, std::int64_t version,
                                 const std::string& at) {
    std::string sets;
    for (const auto& [i, v] : values) sets += quote_identifier(kind.fields.at(i).name) + " = ?, ";
    auto st =
        m_writer.database().prepare("UPDATE " + quote_identifier(kind.kind) + " SET " + sets + "version = ?, updated_at = ? WHERE fid = ?");
    int p = 1;
    for (const auto& [i, v] : values) st.bind_value(p++, v);
    st.bind(p, version).bind(p + 1, at).bind(p + 2, fid);
    st.run();
    if (m_writer.database().changes() != 1)
        throw DatabaseError(trf("{}: record fid {} of {} vanished during the edit", m_writer.database().path(), fid, kind.kind));
}

void SpatialiteEditStore::insert(const catalog::LayerKind& kind, const std::vector<model::Value>& values, geo::Coord point,
                                 const std::string& at) {
    if (kind.geometry != catalog::GeometryKind::Point)
        throw UsageError(trf("only point records can be created by an edit ({})", kind.kind));
    store::Database& db = m_writer.database();
    std::string params;
    for (std::size_t i = 0; i < kind.fields.size(); ++i) params += "?, ";
    auto st = db.prepare("INSERT INTO " + quote_identifier(kind.kind) + " (" + field_columns(kind).substr(2) +
                         ", updated_at, version, geom) VALUES (" + params + "?, 1, ?)");
    int p = 1;
    for (const auto& v : values) st.bind_value(p++, v);
    st.bind(p, at);
    st.bind_blob(p + 1, geo::encode_spatialite_blob(geo::Geometry::point(point), 4326));
    st.run();
    // The layer summary the viewers and `vigil layers` read.
    auto sum =
        db.prepare("UPDATE vigil_layers SET feature_count = feature_count + 1, min_x = min(coalesce(min_x, ?1), ?1), "
                   "min_y = min(coalesce(min_y, ?2), ?2), max_x = max(coalesce(max_x, ?1), ?1), max_y = max(coalesce(max_y, ?2), ?2), "
                   "updated_at = ?3 WHERE kind = ?4");
    sum.bind(1, point.x).bind(2, point.y).bind(3, at).bind(4, kind.kind);
    sum.run();
}

std::int64_t SpatialiteEditStore::append_audit(const app::AuditEntry& e) {
    store::Database& db = m_writer.database();
    auto st =
        db.prepare("INSERT INTO vigil_audit(at, user, seat, layer, record_id, field, before, after, action, reason, change_id, version, "
                   "incident) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
    st.bind(1, e.at).bind(2, e.user).bind(3, e.seat).bind(4, e.layer).bind(5, e.record_id);
    auto opt = [&](int i, const std::optional<std::string>& v) {
        if (v) st.bind(i, *v);
        else st.bind_null(i);
    };
    opt(6, e.field);
    opt(7, e.before);
    opt(8, e.after);
    st.bind(9, e.action);
    if (e.reason.empty()) st.bind_null(10);
    else st.bind(10, e.reason);
    st.bind(11, e.change_id).bind(12, e.version);
    if (e.incident.empty()) st.bind_null(13);
    else st.bind(13, e.incident);
    st.run();
    return db.last_insert_rowid();
}

void SpatialiteEditStore::append_change(const std::string& layer, const std::string& record_id, const std::string& action,
                                        const std::string& at) {
    auto st = m_writer.database().prepare("INSERT INTO vigil_changes(at, layer, record_id, action) VALUES (?, ?, ?, ?)");
    st.bind(1, at).bind(2, layer).bind(3, record_id).bind(4, action);
    st.run();
}

std::vector<app::AuditEntry> SpatialiteEditStore::audit(const app::AuditQuery& q) const {
    std::string where;
    std::vector<std::string> args;
    if (q.seq) {
        where = "seq = " + std::to_string(*q.seq);
    } else if (!q.incident.empty()) {
        where = "incident = ?1 OR (layer = ?2 AND record_id = ?1)";
        args = {q.incident, std::string(app::k_incidents_kind)};
    } else if (!q.after_at.empty()) {
        where = "at > ?1";
        args = {q.after_at};
    } else {
        where = "layer = ?1 AND record_id = ?2";
        args = {q.layer, q.record_id};
    }
    // after_version: newest first along the (layer, record_id) index, stopping at the first entry
    // at or below it (a record's versions grow with seq), so the older history is never read.
    const bool newest_first = q.after_version && !q.seq && q.incident.empty() && q.after_at.empty();
    auto st = m_writer.database().prepare("SELECT seq, at, user, seat, layer, record_id, field, before, after, action, reason, change_id, "
                                          "version, incident FROM vigil_audit WHERE " +
                                          where + (newest_first ? " ORDER BY seq DESC" : " ORDER BY seq"));
    for (std::size_t i = 0; i < args.size(); ++i) st.bind(static_cast<int>(i + 1), args[i]);
    std::vector<app::AuditEntry> out;
    auto text = [&](int i) { return st.column_is_null(i) ? std::string() : std::string(st.column_text(i)); };
    auto opt = [&](int i) { return st.column_is_null(i) ? std::optional<std::string>() : std::optional<std::string>(st.column_text(i)); };
    while (st.step()) {
        if (newest_first && st.column_int64(12) <= *q.after_version) break;
        app::AuditEntry e;
        e.seq = st.column_int64(0);
        e.at = text(1);
        e.user = text(2);
        e.seat = text(3);
        e.layer = text(4);
        e.record_id = text(5);
        e.field = opt(6);
        e.before = opt(7);
        e.after = opt(8);
        e.action = text(9);
        e.reason = text(10);
        e.change_id = text(11);
        e.version = st.column_int64(12);
        e.incident = text(13);
        out.push_back(std::move(e));
    }
    if (newest_first) std::reverse(out.begin(), out.end());
    return out;
}

} // namespace vigil::native

/// @file
/// A second connection editing a project database as an editor does: the record's row and its
/// vigil_changes row in one transaction. For the tests of everything that follows the database
/// live (core's change feed, the viewer). Plain SQLite, so that it runs in the core's tests too:
/// a test that inserts records first drops the layer's SpatiaLite insert triggers (they call
/// SpatiaLite's functions, which plain SQLite lacks; nothing the tests read uses the R*Tree).
#pragma once

#include <vigil/geo/spatialite_blob.hpp>
#include <vigil/store/project_schema.hpp>
#include <vigil/store/sqlite.hpp>

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <string>

namespace vigil::test {

/// Now in UTC, ISO 8601 with milliseconds: "2026-12-07T11:20:00.123Z".
inline std::string utc_now_ms() {
    using namespace std::chrono;
    const auto now = system_clock::now();
    const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    const std::time_t t = system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                       tm.tm_sec, ms);
}

class ChangeWriter {
public:
    /// Opens `path` for writing; `with_changes` adds the change sequence (metadata_ddl) if absent.
    explicit ChangeWriter(const std::filesystem::path& path, bool with_changes = true)
        : m_db(store::Database::open(path, store::Database::Mode::ReadWrite)) {
        if (with_changes) m_db.exec(store::metadata_ddl());
    }
    store::Database& database() { return m_db; }

    /// Sets a text field of record `id`, with its change row (none when `record_change` is false:
    /// a tool that edits behind Vigil's back).
    void set(const std::string& kind, const std::string& id, const std::string& field, const std::string& value,
             bool record_change = true) {
        store::Transaction tx(m_db);
        auto st = m_db.prepare("UPDATE " + store::quote_identifier(kind) + " SET " + store::quote_identifier(field) +
                               " = ?, updated_at = ? WHERE id = ?");
        st.bind(1, value).bind(2, utc_now_ms()).bind(3, id);
        st.run();
        if (record_change) change(kind, id, "update");
        tx.commit();
    }
    void remove(const std::string& kind, const std::string& id) {
        store::Transaction tx(m_db);
        auto st = m_db.prepare("DELETE FROM " + store::quote_identifier(kind) + " WHERE id = ?");
        st.bind(1, id);
        st.run();
        change(kind, id, "delete");
        tx.commit();
    }
    /// Inserts a point record with an id, a name and a status.
    void insert_point(const std::string& kind, const std::string& id, const std::string& name, const std::string& status, geo::Coord at) {
        for (const char* prefix : {"ggi_", "gii_"}) m_db.exec("DROP TRIGGER IF EXISTS " + store::quote_identifier(prefix + kind + "_geom"));
        store::Transaction tx(m_db);
        auto st =
            m_db.prepare("INSERT INTO " + store::quote_identifier(kind) + " (id, name, status, updated_at, geom) VALUES (?, ?, ?, ?, ?)");
        geo::Geometry g;
        g.type = geo::GeometryType::Point;
        g.coords = {at};
        st.bind(1, id).bind(2, name).bind(3, status).bind(4, utc_now_ms()).bind_blob(5, geo::encode_spatialite_blob(g));
        st.run();
        change(kind, id, "insert");
        tx.commit();
    }
    /// Runs `sql` (a change of many records, as an import makes) and records one bulk change of `kind`.
    void bulk(const std::string& kind, const std::string& sql) {
        store::Transaction tx(m_db);
        m_db.exec(sql);
        auto st = m_db.prepare("INSERT INTO vigil_changes (at, layer, record_id, action) VALUES (?, ?, NULL, 'bulk')");
        st.bind(1, utc_now_ms()).bind(2, kind);
        st.run();
        tx.commit();
    }
    /// One change row (inside the caller's transaction).
    void change(const std::string& kind, const std::string& id, const std::string& action) {
        auto st = m_db.prepare("INSERT INTO vigil_changes (at, layer, record_id, action) VALUES (?, ?, ?, ?)");
        st.bind(1, utc_now_ms()).bind(2, kind).bind(3, id).bind(4, action);
        st.run();
    }

private:
    store::Database m_db;
};

/// A copy of a project database in a scratch folder, to edit.
inline std::filesystem::path scratch_copy(const std::filesystem::path& from, const std::filesystem::path& dir, const std::string& name) {
    const auto to = dir / name;
    std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
    return to;
}

} // namespace vigil::test

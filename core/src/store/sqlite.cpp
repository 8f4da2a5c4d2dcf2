#include <vigil/store/sqlite.hpp>

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <sqlite3.h>

#include <cstring>

namespace vigil::store {

std::string quote_identifier(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

Database Database::open(const std::filesystem::path& path, Mode mode) {
    std::error_code ec;
    if (mode != Mode::ReadWriteCreate && !std::filesystem::exists(path, ec))
        throw IoError(trf("database '{}' does not exist", path.string()));
    // One connection per thread (readers open their own): no need for SQLite's per-call mutex.
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
    case Mode::ReadOnly: flags |= SQLITE_OPEN_READONLY; break;
    case Mode::ReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::ReadWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    }
    Database db;
    db.m_path = path.string();
    int rc = sqlite3_open_v2(db.m_path.c_str(), &db.m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db.m_db ? sqlite3_errmsg(db.m_db) : sqlite3_errstr(rc);
        throw IoError(trf("cannot open database '{}': {}", db.m_path, msg));
    }
    sqlite3_extended_result_codes(db.m_db, 1);
    sqlite3_busy_timeout(db.m_db, 5000);
    // A file that is not SQLite opens fine and fails on first read: check now, with a clear word.
    try {
        db.exec("SELECT count(*) FROM sqlite_schema");
    } catch (const DatabaseError& e) {
        throw FormatError(trf("'{}' is not a usable SQLite database: {}", db.m_path, e.what()));
    }
    return db;
}

Database Database::open_memory() {
    Database db;
    db.m_path = ":memory:";
    if (sqlite3_open_v2(":memory:", &db.m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
        throw DatabaseError(tr("cannot open an in-memory database"));
    return db;
}

Database Database::open_bytes(std::vector<std::uint8_t> bytes, std::string display_name) {
    Database db;
    db.m_path = std::move(display_name);
    if (sqlite3_open_v2(":memory:", &db.m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
        throw DatabaseError(tr("cannot open an in-memory database"));
    // A database last written in WAL mode says so in header bytes 18-19 (both 2); an image in
    // memory has no -wal file, and SQLite refuses it unless the header says "rollback journal".
    if (bytes.size() >= 100 && bytes[18] == 2 && bytes[19] == 2) bytes[18] = bytes[19] = 1;
    // SQLite takes ownership of a sqlite3_malloc'd buffer, so copy into one.
    auto size = static_cast<sqlite3_int64>(bytes.size());
    auto* buf = static_cast<unsigned char*>(sqlite3_malloc64(static_cast<sqlite3_uint64>(bytes.empty() ? 1 : bytes.size())));
    if (!buf) throw DatabaseError(trf("out of memory opening '{}'", db.m_path));
    if (!bytes.empty()) std::memcpy(buf, bytes.data(), bytes.size());
    int rc = sqlite3_deserialize(db.m_db, "main", buf, size, size, SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
    if (rc != SQLITE_OK) throw FormatError(trf("'{}' could not be opened as SQLite: {}", db.m_path, sqlite3_errstr(rc)));
    try {
        db.exec("SELECT count(*) FROM sqlite_schema");
    } catch (const DatabaseError& e) {
        throw FormatError(trf("'{}' is not a usable SQLite database: {}", db.m_path, e.what()));
    }
    return db;
}

Database::Database(Database&& other) noexcept : m_db(other.m_db), m_path(std::move(other.m_path)) { other.m_db = nullptr; }

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        if (m_db) sqlite3_close_v2(m_db);
        m_db = other.m_db;
        m_path = std::move(other.m_path);
        other.m_db = nullptr;
    }
    return *this;
}

Database::~Database() {
    if (m_db) sqlite3_close_v2(m_db);
}

void Database::throw_error(std::string_view what) const {
    std::string msg = m_db ? sqlite3_errmsg(m_db) : tr("no database");
    throw DatabaseError(m_path + ": " + std::string(what) + ": " + msg);
}

void Database::exec(std::string_view sql) {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(m_db, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw DatabaseError(m_path + ": " + msg + " (in: " + s.substr(0, 200) + ")");
    }
}

Statement Database::prepare(std::string_view sql) const {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) throw DatabaseError(m_path + ": " + sqlite3_errmsg(m_db) + " (in: " + std::string(sql.substr(0, 200)) + ")");
    return Statement(stmt, m_path, std::string(sql));
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(m_db); }
std::int64_t Database::changes() const { return sqlite3_changes64(m_db); }

bool Database::table_exists(std::string_view table) const {
    auto st = prepare("SELECT 1 FROM sqlite_schema WHERE type IN ('table','view') AND name = ?");
    st.bind(1, table);
    return st.step();
}

std::vector<std::string> Database::table_columns(std::string_view table) const {
    std::vector<std::string> out;
    auto st = prepare("SELECT name FROM pragma_table_info(?) ORDER BY cid");
    st.bind(1, table);
    while (st.step()) out.emplace_back(st.column_text(0));
    return out;
}

std::int64_t Database::query_int(std::string_view sql, std::int64_t fallback) const {
    auto st = prepare(sql);
    if (!st.step() || st.column_is_null(0)) return fallback;
    return st.column_int64(0);
}

std::string Database::query_text(std::string_view sql) const {
    auto st = prepare(sql);
    if (!st.step() || st.column_is_null(0)) return {};
    return std::string(st.column_text(0));
}

Statement::Statement(Statement&& o) noexcept : m_stmt(o.m_stmt), m_database_name(std::move(o.m_database_name)), m_sql(std::move(o.m_sql)) {
    o.m_stmt = nullptr;
}

Statement& Statement::operator=(Statement&& o) noexcept {
    if (this != &o) {
        if (m_stmt) sqlite3_finalize(m_stmt);
        m_stmt = o.m_stmt;
        m_database_name = std::move(o.m_database_name);
        m_sql = std::move(o.m_sql);
        o.m_stmt = nullptr;
    }
    return *this;
}

Statement::~Statement() {
    if (m_stmt) sqlite3_finalize(m_stmt);
}

void Statement::fail(int rc) const {
    sqlite3* connection = m_stmt ? sqlite3_db_handle(m_stmt) : nullptr;
    std::string msg = connection ? sqlite3_errmsg(connection) : sqlite3_errstr(rc);
    throw DatabaseError(m_database_name + ": " + msg + " (in: " + m_sql.substr(0, 200) + ")");
}

Statement& Statement::bind_null(int i) {
    if (int rc = sqlite3_bind_null(m_stmt, i); rc != SQLITE_OK) fail(rc);
    return *this;
}
Statement& Statement::bind(int i, std::int64_t v) {
    if (int rc = sqlite3_bind_int64(m_stmt, i, v); rc != SQLITE_OK) fail(rc);
    return *this;
}
Statement& Statement::bind(int i, double v) {
    if (int rc = sqlite3_bind_double(m_stmt, i, v); rc != SQLITE_OK) fail(rc);
    return *this;
}
Statement& Statement::bind(int i, std::string_view v) {
    if (int rc = sqlite3_bind_text64(m_stmt, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8); rc != SQLITE_OK) fail(rc);
    return *this;
}
Statement& Statement::bind_blob(int i, std::span<const std::uint8_t> v) {
    if (int rc = sqlite3_bind_blob64(m_stmt, i, v.data(), v.size(), SQLITE_TRANSIENT); rc != SQLITE_OK) fail(rc);
    return *this;
}
Statement& Statement::bind_value(int i, const model::Value& v) {
    if (auto n = std::get_if<std::int64_t>(&v)) return bind(i, *n);
    if (auto d = std::get_if<double>(&v)) return bind(i, *d);
    if (auto s = std::get_if<std::string>(&v)) return bind(i, std::string_view(*s));
    return bind_null(i);
}

bool Statement::step() {
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(rc);
}

void Statement::run() {
    while (step()) {}
    reset();
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

int Statement::column_count() const { return sqlite3_column_count(m_stmt); }
bool Statement::column_is_null(int i) const { return sqlite3_column_type(m_stmt, i) == SQLITE_NULL; }
std::int64_t Statement::column_int64(int i) const { return sqlite3_column_int64(m_stmt, i); }
double Statement::column_double(int i) const { return sqlite3_column_double(m_stmt, i); }
std::string_view Statement::column_text(int i) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, i));
    int n = sqlite3_column_bytes(m_stmt, i);
    return p ? std::string_view(p, static_cast<std::size_t>(n)) : std::string_view();
}
std::span<const std::uint8_t> Statement::column_blob(int i) const {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, i));
    int n = sqlite3_column_bytes(m_stmt, i);
    return p ? std::span<const std::uint8_t>(p, static_cast<std::size_t>(n)) : std::span<const std::uint8_t>();
}
std::string Statement::column_name(int i) const {
    const char* n = sqlite3_column_name(m_stmt, i);
    return n ? n : "";
}
model::Value Statement::column_value(int i) const {
    switch (sqlite3_column_type(m_stmt, i)) {
    case SQLITE_INTEGER: return column_int64(i);
    case SQLITE_FLOAT: return column_double(i);
    case SQLITE_TEXT: return std::string(column_text(i));
    case SQLITE_BLOB: {
        auto b = column_blob(i);
        return std::string(reinterpret_cast<const char*>(b.data()), b.size());
    }
    default: return std::monostate{};
    }
}

Transaction::Transaction(Database& db) : m_db(db) {
    m_db.exec("BEGIN IMMEDIATE");
    m_active = true;
}

Transaction::~Transaction() {
    if (m_active) {
        try {
            m_db.exec("ROLLBACK");
        } catch (...) {
            // Nothing more to do: the connection rolls back on close anyway.
        }
    }
}

void Transaction::commit() {
    m_db.exec("COMMIT");
    m_active = false;
}

void Transaction::rollback() {
    if (!m_active) return;
    m_active = false;
    m_db.exec("ROLLBACK");
}

} // namespace vigil::store

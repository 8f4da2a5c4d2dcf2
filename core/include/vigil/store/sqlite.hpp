/// @file
/// A small RAII layer over the SQLite C API: Database, Statement, Transaction. Every failure
/// throws vigil::DatabaseError carrying SQLite's message, the database path and the statement.
/// Works with the system SQLite natively and the amalgamation under Emscripten.
#pragma once

#include <vigil/model/value.hpp>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace vigil::store {

/// "name" with inner quotes doubled: safe for any table or column name.
std::string quote_identifier(std::string_view name);

class Statement;

class Database {
public:
    enum class Mode { ReadOnly, ReadWrite, ReadWriteCreate };

    /// Opens a database file. ReadOnly never creates or changes the file. Throws
    /// vigil::IoError if the file does not exist (ReadOnly/ReadWrite) or cannot be opened.
    static Database open(const std::filesystem::path& path, Mode mode);
    /// An empty private in-memory database.
    static Database open_memory();
    /// A read-only database over bytes in memory (sqlite3_deserialize): how the browser opens a
    /// project database fetched over HTTP. Throws vigil::FormatError if they are not SQLite.
    static Database open_bytes(std::vector<std::uint8_t> bytes, std::string display_name);

    Database() = default;
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    sqlite3* handle() const { return m_db; }
    const std::string& path() const { return m_path; }
    bool is_open() const { return m_db != nullptr; }

    /// Runs one or more statements that return no rows.
    void exec(std::string_view sql);
    Statement prepare(std::string_view sql) const;
    std::int64_t last_insert_rowid() const;
    std::int64_t changes() const;
    bool table_exists(std::string_view table) const;
    /// Column names of a table, in order (empty if the table does not exist).
    std::vector<std::string> table_columns(std::string_view table) const;
    /// First column of the first row of a query, as an integer (or `fallback` if no row/null).
    std::int64_t query_int(std::string_view sql, std::int64_t fallback = 0) const;
    std::string query_text(std::string_view sql) const;

    [[noreturn]] void throw_error(std::string_view what) const;

private:
    sqlite3* m_db = nullptr;
    std::string m_path;
};

class Statement {
public:
    Statement() = default;
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Parameters are 1-based, as in SQLite.
    Statement& bind_null(int index);
    Statement& bind(int index, std::int64_t v);
    Statement& bind(int index, int v) { return bind(index, static_cast<std::int64_t>(v)); }
    Statement& bind(int index, double v);
    Statement& bind(int index, std::string_view v); ///< copied (SQLITE_TRANSIENT)
    Statement& bind(int index, const char* v) { return bind(index, std::string_view(v)); }
    Statement& bind(int index, const std::string& v) { return bind(index, std::string_view(v)); }
    Statement& bind_blob(int index, std::span<const std::uint8_t> v);
    Statement& bind_value(int index, const model::Value& v);

    /// Executes one step: true while rows come, false when done.
    bool step();
    /// Steps to completion, expecting no rows.
    void run();
    void reset();

    int column_count() const;
    bool column_is_null(int i) const;
    std::int64_t column_int64(int i) const;
    double column_double(int i) const;
    std::string_view column_text(int i) const;
    std::span<const std::uint8_t> column_blob(int i) const;
    std::string column_name(int i) const;
    /// The column as a Value: integers, reals and text as themselves, null as null, blobs as
    /// their bytes in a string.
    model::Value column_value(int i) const;

    sqlite3_stmt* handle() const { return m_stmt; }

private:
    friend class Database;
    Statement(sqlite3_stmt* stmt, std::string database_name, std::string sql)
        : m_stmt(stmt), m_database_name(std::move(database_name)), m_sql(std::move(sql)) {}
    [[noreturn]] void fail(int rc) const;
    sqlite3_stmt* m_stmt = nullptr;
    // The statement's own copy of its database's name for messages, and no pointer to the
    // Database object: that object may be moved (or moved from and destroyed) while the
    // statement lives; the connection itself is sqlite3_db_handle(m_stmt), valid as long as the
    // statement (sqlite3_close_v2 keeps a connection with unfinalized statements).
    std::string m_database_name;
    std::string m_sql;
};

/// BEGIN IMMEDIATE on construction (the write lock is taken at once, so a second writer waits
/// on busy_timeout instead of failing half-way); ROLLBACK in the destructor unless commit() ran.
class Transaction {
public:
    explicit Transaction(Database& db);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    void commit();
    void rollback();
    bool active() const { return m_active; }

private:
    Database& m_db;
    bool m_active = false;
};

} // namespace vigil::store

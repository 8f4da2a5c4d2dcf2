/// @file
/// The one exception hierarchy of Vigil. Each class says *when* it is thrown.
///
/// Queries that legitimately have no answer ("no team reachable") return values instead;
/// programmer errors use VIGIL_ASSERT (util/assert.hpp). Exceptions are caught once, at the
/// boundary (CLI main, viewer command), and turned into a message and an exit code.
#pragma once

#include <stdexcept>
#include <string>

namespace vigil {

/// Root of every exception Vigil throws on purpose.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A file could not be opened, read or written (missing file, permission, disk full).
class IoError : public Error {
public:
    using Error::Error;
};

/// Input bytes do not follow their format (truncated GeoJSON, bad geometry blob, bad CSV quoting).
/// The message names the file and the position where known.
class FormatError : public Error {
public:
    using Error::Error;
};

/// The layer catalogue or a project database does not have the expected structure
/// (unknown layer kind, bad catalogue file, database from a newer Vigil).
class SchemaError : public Error {
public:
    using Error::Error;
};

/// A value the user gave (a command-line option, a coordinate, a CRS name) is not acceptable.
class UsageError : public Error {
public:
    using Error::Error;
};

/// An SQLite call failed; the message carries SQLite's own text and the statement.
class DatabaseError : public Error {
public:
    using Error::Error;
};

} // namespace vigil

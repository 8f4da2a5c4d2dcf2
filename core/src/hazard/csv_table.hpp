/// @file
/// Internal: a reference table's CSV text (embedded at build time, a few kilobytes) as rows under
/// a checked header, read by the one CSV reader of the core (io::CsvReader, the importer's: RFC
/// 4180, BOM, CRLF). Errors are InventoryError naming the table and line.
///
/// The tables are the ones embedded at build time (tests prove each parses): their errors cannot
/// reach a user, and stay in English (marked "i18n: not shown" below).
#pragma once

#include <vigil/hazard/gb18218.hpp>
#include <vigil/io/csv_reader.hpp>
#include <vigil/util/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::hazard::detail {

/// Rows of text cells under the header; col() finds a column by name or names what is missing.
struct Table {
    std::string name;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;

    std::size_t col(std::string_view column) const {
        auto it = std::find(header.begin(), header.end(), column);
        if (it == header.end()) // i18n: not shown: built-in table
            throw InventoryError(fmt::format("reference table {}: no column '{}'", name, column));
        return static_cast<std::size_t>(it - header.begin());
    }
};

inline Table read_table(std::string_view text, const std::string& name) {
    Table t{name, {}, {}};
    try {
        // Comma always: cells such as "J3;W2" must not make the reader guess ';'.
        io::CsvReader reader(name, std::string(text), io::CsvReaderOptions{','});
        t.header = reader.columns();
        importing::RawRecord record;
        while (reader.next(record)) {
            if (!record.issues.empty()) // i18n: not shown: built-in table
                throw InventoryError(fmt::format("reference table {}, line {}: {}", name, record.row, record.issues.front().reason));
            std::vector<std::string> row;
            row.reserve(t.header.size());
            for (const auto& v : record.values) row.push_back(v.is_null() ? std::string() : v.text);
            row.resize(t.header.size()); // trailing empty cells come back as absent
            t.rows.push_back(std::move(row));
        }
    } catch (const FormatError& e) {
        throw InventoryError("reference table " + name + ": " + e.what()); // i18n: not shown: built-in table
    }
    if (t.header.empty()) throw InventoryError("reference table " + name + " is empty"); // i18n: not shown: built-in table
    return t;
}

} // namespace vigil::hazard::detail

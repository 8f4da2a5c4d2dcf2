/// @file
/// Internal: the reference tables' CSV text (RFC 4180, in memory: they are at most a few hundred
/// kilobytes) as rows under a checked header. Errors are InventoryError naming the table.
#pragma once

#include <vigil/hazard/gb18218.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::hazard::detail {

// ---- CSV (RFC 4180, in memory: the tables are a few kilobytes) ----

inline std::vector<std::vector<std::string>> parse_csv(std::string_view text, std::string_view table) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string cell;
    bool quoted = false;
    bool any = false;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    cell += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                cell += c;
            }
            continue;
        }
        if (c == '"') {
            quoted = true;
            any = true;
        } else if (c == ',') {
            row.push_back(std::move(cell));
            cell.clear();
            any = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            if (any || !cell.empty()) {
                row.push_back(std::move(cell));
                rows.push_back(std::move(row));
            }
            row.clear();
            cell.clear();
            any = false;
        } else {
            cell += c;
            any = true;
        }
    }
    if (quoted) throw InventoryError("reference table " + std::string(table) + ": unterminated quote");
    if (any || !cell.empty()) {
        row.push_back(std::move(cell));
        rows.push_back(std::move(row));
    }
    return rows;
}

/// Rows as maps from the header's column names; checks the columns exist.
struct Table {
    std::string name;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;

    std::size_t col(std::string_view column) const {
        auto it = std::find(header.begin(), header.end(), column);
        if (it == header.end())
            throw InventoryError("reference table " + name + ": no column '" + std::string(column) + "'");
        return static_cast<std::size_t>(it - header.begin());
    }
};

inline Table read_table(std::string_view text, std::string name) {
    auto rows = parse_csv(text, name);
    if (rows.empty()) throw InventoryError("reference table " + name + " is empty");
    Table t{std::move(name), std::move(rows.front()), {}};
    for (std::size_t i = 1; i < rows.size(); ++i) {
        if (rows[i].size() != t.header.size())
            throw InventoryError("reference table " + t.name + ", line " + std::to_string(i + 1) + ": " +
                                 std::to_string(rows[i].size()) + " cells, header has " + std::to_string(t.header.size()));
        t.rows.push_back(std::move(rows[i]));
    }
    return t;
}

} // namespace vigil::hazard::detail

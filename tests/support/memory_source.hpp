/// @file
/// In-memory RecordSource and RecordSink for pipeline tests.
#pragma once

#include <vigil/importing/pipeline.hpp>
#include <vigil/importing/record_source.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace vigil::test {

/// Rows of text cells under a header, like a CSV file already read (row numbers count the
/// header as line 1). Cells of the `json_columns` come as nested JSON values (as GDAL and the
/// GeoJSON reader hand over arrays and objects).
class MemorySource final : public importing::RecordSource {
public:
    MemorySource(std::vector<std::string> columns, std::vector<std::vector<std::string>> rows, std::vector<std::size_t> json_columns = {})
        : m_columns(std::move(columns)), m_rows(std::move(rows)), m_json_columns(std::move(json_columns)) {}

    const std::string& path() const override { return m_path; }
    const std::vector<std::string>& columns() const override { return m_columns; }
    bool has_geometry() const override { return false; }
    bool next(importing::RawRecord& out) override {
        if (m_next >= m_rows.size()) return false;
        out.clear();
        out.row = m_next + 2;
        for (const auto& cell : m_rows[m_next]) {
            const bool json = std::find(m_json_columns.begin(), m_json_columns.end(), out.values.size()) != m_json_columns.end();
            out.values.push_back(cell.empty() ? importing::RawValue::null()
                                 : json       ? importing::RawValue::from_json(cell)
                                              : importing::RawValue::from_text(cell));
        }
        ++m_next;
        return true;
    }

private:
    std::string m_path = "memory.csv";
    std::vector<std::string> m_columns;
    std::vector<std::vector<std::string>> m_rows;
    std::vector<std::size_t> m_json_columns;
    std::size_t m_next = 0;
};

class MemorySink final : public importing::RecordSink {
public:
    void write(const importing::Record& r) override { records.push_back(r); }
    std::vector<importing::Record> records;
};

} // namespace vigil::test

// The statistics table and its CSV and XLSX writers (see stats_table.hpp).

#include <vigil/app/stats_table.hpp>

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <numeric>

namespace vigil::app {
namespace {

std::vector<StatsColumn> figure_columns() {
    return {
        {"enterprises", trc("statistics column", "Enterprises")},
        {"red", trc("statistics column", "Red")},
        {"orange", trc("statistics column", "Orange")},
        {"yellow", trc("statistics column", "Yellow")},
        {"blue", trc("statistics column", "Blue")},
        {"none", trc("statistics column", "No colour")},
        {"hazard_sources", trc("statistics column", "Hazard sources")},
        {"grade1", trc("statistics column", "Grade I")},
        {"grade2", trc("statistics column", "Grade II")},
        {"grade3", trc("statistics column", "Grade III")},
        {"grade4", trc("statistics column", "Grade IV")},
        {"open_hazards", trc("statistics column", "Open hidden hazards")},
        {"overdue_hazards", trc("statistics column", "Overdue hidden hazards")},
        {"open_major_hazards", trc("statistics column", "Open major hidden hazards")},
        {"enterprises_with_overdue", trc("statistics column", "Enterprises with overdue hazards")},
    };
}

void add_figures(std::vector<StatsCell>& row, const hazard::CountyStats& s) {
    const auto n = [&row](auto v) { row.emplace_back(static_cast<std::int64_t>(v)); };
    n(s.enterprises);
    for (std::size_t c = 0; c < 4; ++c) n(s.by_colour[c]);
    n(s.uncoloured);
    n(s.hazard_sources);
    for (std::size_t g = 0; g < 4; ++g) n(s.by_grade[g]);
    n(s.open_hazards);
    n(s.overdue_hazards);
    n(s.open_major_hazards);
    n(s.enterprises_with_overdue);
}

std::string cell_text(const StatsCell& c) {
    if (const auto* s = std::get_if<std::string>(&c)) return *s;
    return std::to_string(std::get<std::int64_t>(c));
}

std::string csv_field(const std::string& s) {
    const bool quote = s.find_first_of(",\"\r\n") != std::string::npos || (!s.empty() && (s.front() == ' ' || s.back() == ' '));
    if (!quote) return s;
    std::string out = "\"";
    for (char ch : s) {
        if (ch == '"') out += '"';
        out += ch;
    }
    return out + '"';
}

// ---- The XLSX workbook ------------------------------------------------------------------------
// Written by hand, not through GDAL or a zip library: the browser build links neither GDAL nor
// zlib, and an .xlsx of one small sheet needs neither — a ZIP container of stored (uncompressed)
// entries with their CRC-32, and five short XML parts (ECMA-376 Part 1, SpreadsheetML).

std::string xml_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char ch : s) {
        switch (ch) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default:
            // XML 1.0 allows no control characters but tab, LF and CR: dropped.
            if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') break;
            out += ch;
        }
    }
    return out;
}

/// "A", "B", … "Z", "AA", … for a 0-based column.
std::string column_letters(std::size_t col) {
    std::string s;
    for (std::size_t n = col + 1; n > 0; n = (n - 1) / 26) s.insert(s.begin(), static_cast<char>('A' + (n - 1) % 26));
    return s;
}

void put16(std::string& out, std::uint32_t v) {
    out += static_cast<char>(v & 0xFF);
    out += static_cast<char>((v >> 8) & 0xFF);
}
void put32(std::string& out, std::uint32_t v) {
    put16(out, v & 0xFFFF);
    put16(out, v >> 16);
}

/// A ZIP archive (APPNOTE 6.3) of stored entries; names in ASCII; no ZIP64 (a workbook of a few
/// hundred rows is far below 4 GiB).
class StoredZip {
public:
    void add(std::string_view name, std::string_view data) {
        if (data.size() > 0xFFFFFFF0u || m_out.size() > 0xFFFFFFF0u) throw Error(tr("The workbook is too large for an XLSX file"));
        Entry e{std::string(name), crc32(data), static_cast<std::uint32_t>(data.size()), static_cast<std::uint32_t>(m_out.size())};
        put32(m_out, 0x04034b50);
        header_fields(m_out, e);
        m_out += e.name;
        m_out += data;
        m_entries.push_back(std::move(e));
    }
    std::string finish() && {
        const auto cd_start = static_cast<std::uint32_t>(m_out.size());
        for (const auto& e : m_entries) {
            put32(m_out, 0x02014b50);
            put16(m_out, 20); // made by: MS-DOS attributes, version 2.0
            header_fields(m_out, e);
            put16(m_out, 0); // comment length
            put16(m_out, 0); // disk number
            put16(m_out, 0); // internal attributes
            put32(m_out, 0); // external attributes
            put32(m_out, e.offset);
            m_out += e.name;
        }
        const auto cd_size = static_cast<std::uint32_t>(m_out.size() - cd_start);
        put32(m_out, 0x06054b50);
        put16(m_out, 0);
        put16(m_out, 0);
        put16(m_out, static_cast<std::uint32_t>(m_entries.size()));
        put16(m_out, static_cast<std::uint32_t>(m_entries.size()));
        put32(m_out, cd_size);
        put32(m_out, cd_start);
        put16(m_out, 0); // comment length
        return std::move(m_out);
    }

private:
    struct Entry {
        std::string name;
        std::uint32_t crc, size, offset;
    };
    /// The fields the local and the central headers share, from "version needed" to "extra length".
    static void header_fields(std::string& out, const Entry& e) {
        put16(out, 20);     // version needed: 2.0
        put16(out, 0);      // flags
        put16(out, 0);      // method: stored
        put16(out, 0);      // time 00:00:00
        put16(out, 0x0021); // date 1980-01-01 (fixed: the same table gives the same bytes)
        put32(out, e.crc);
        put32(out, e.size); // compressed size = size (stored)
        put32(out, e.size);
        put16(out, static_cast<std::uint32_t>(e.name.size()));
        put16(out, 0); // extra length
    }
    std::string m_out;
    std::vector<Entry> m_entries;
};

// i18n: not shown: the workbook's XML parts (ECMA-376), read by spreadsheet programs
constexpr std::string_view k_xml_head = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
)";
// i18n: not shown: an XML part
constexpr std::string_view k_content_types = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>
)";
// i18n: not shown: an XML part
constexpr std::string_view k_package_rels = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
)";
// i18n: not shown: an XML part (fmt: the sheet's name)
constexpr std::string_view k_workbook = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets></workbook>
)";
// i18n: not shown: an XML part
constexpr std::string_view k_workbook_rels = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>
)";

std::string sheet_xml(const std::vector<std::vector<StatsCell>>& rows) {
    std::string out(k_xml_head);
    out += "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
    for (std::size_t r = 0; r < rows.size(); ++r) {
        out += fmt::format("<row r=\"{}\">", r + 1);
        for (std::size_t c = 0; c < rows[r].size(); ++c) {
            const std::string ref = column_letters(c) + std::to_string(r + 1);
            if (const auto* s = std::get_if<std::string>(&rows[r][c]))
                out += fmt::format("<c r=\"{}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>", ref, xml_escape(*s));
            else out += fmt::format("<c r=\"{}\"><v>{}</v></c>", ref, std::get<std::int64_t>(rows[r][c]));
        }
        out += "</row>";
    }
    out += "</sheetData></worksheet>\n";
    return out;
}

/// Excel's rules for a sheet name: at most 31 characters, none of []:*?/\ .
std::string sheet_name_of(std::string_view name) {
    std::string out;
    std::size_t chars = 0;
    for (std::size_t i = 0; i < name.size() && chars < 31;) {
        const auto c = static_cast<unsigned char>(name[i]);
        const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (len == 1 && std::string_view("[]:*?/\\").find(name[i]) != std::string_view::npos) {
            ++i;
            continue;
        }
        out += name.substr(i, len);
        i += len;
        ++chars;
    }
    return out.empty() ? "Sheet1" : out; // i18n: not shown: only when the caller's name was all forbidden characters
}

} // namespace

std::uint32_t crc32(std::string_view bytes) {
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    std::uint32_t c = 0xFFFFFFFFu;
    for (char ch : bytes) c = table[(c ^ static_cast<unsigned char>(ch)) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

StatsTable stats_table(const StatsResult& r) {
    StatsTable t;
    t.by = r.request.by;
    t.as_of = r.request.as_of;
    const bool by_grid = t.by == StatsGrouping::Grid;
    if (by_grid) {
        t.columns.push_back({"code", trc("statistics column", "Grid code"), false});
        t.columns.push_back({"grid", trc("statistics column", "Grid"), false});
    } else {
        t.columns.push_back({"county", trc("statistics column", "County"), false});
    }
    for (auto& c : figure_columns()) t.columns.push_back(std::move(c));
    if (by_grid) {
        t.columns.push_back({"member", trc("statistics column", "Grid member"), false});
        t.columns.push_back({"phone", trc("statistics column", "Phone"), false});
    }
    for (std::size_t i = 0; i < r.groups.size(); ++i) {
        const auto& s = r.groups[i];
        std::vector<StatsCell> row;
        if (by_grid) row.emplace_back(s.code);
        row.emplace_back(s.county);
        add_figures(row, s);
        if (by_grid) {
            const GridGroupInfo info = i < r.grids.size() ? r.grids[i] : GridGroupInfo{};
            row.emplace_back(info.member);
            row.emplace_back(info.phone);
        }
        t.rows.push_back(std::move(row));
        t.group_of_row.push_back(i);
    }
    if (by_grid) t.total.emplace_back(std::string());
    t.total.emplace_back(r.total.county);
    add_figures(t.total, r.total);
    if (by_grid) {
        t.total.emplace_back(std::string());
        t.total.emplace_back(std::string());
    }
    return t;
}

StatsTable sorted_stats_table(const StatsTable& t, std::size_t column, bool descending) {
    if (column >= t.columns.size()) throw UsageError(trf("statistics table: no column {} (it has {})", column, t.columns.size()));
    std::vector<std::size_t> order(t.rows.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const StatsCell& x = t.rows[a][column];
        const StatsCell& y = t.rows[b][column];
        return descending ? y < x : x < y; // std::variant: same alternative compares by value
    });
    StatsTable out;
    out.by = t.by;
    out.as_of = t.as_of;
    out.columns = t.columns;
    out.total = t.total;
    for (std::size_t i : order) {
        out.rows.push_back(t.rows[i]);
        out.group_of_row.push_back(t.group_of_row[i]);
    }
    return out;
}

std::string stats_csv(const StatsTable& t) {
    std::string out = "\xEF\xBB\xBF"; // the BOM: Excel reads the file as UTF-8 (else as the ANSI code page)
    const auto line = [&out](const auto& cells, auto text) {
        for (std::size_t c = 0; c < cells.size(); ++c) {
            if (c) out += ',';
            out += csv_field(text(cells[c]));
        }
        out += "\r\n";
    };
    line(t.columns, [](const StatsColumn& c) { return c.header; });
    for (const auto& row : t.rows) line(row, cell_text);
    line(t.total, cell_text);
    return out;
}

std::string xlsx_workbook(std::string_view sheet_name, const std::vector<std::vector<StatsCell>>& rows) {
    StoredZip zip;
    zip.add("[Content_Types].xml", k_content_types);
    zip.add("_rels/.rels", k_package_rels);
    zip.add("xl/workbook.xml", fmt::format(fmt::runtime(k_workbook), xml_escape(sheet_name_of(sheet_name))));
    zip.add("xl/_rels/workbook.xml.rels", k_workbook_rels);
    zip.add("xl/worksheets/sheet1.xml", sheet_xml(rows));
    return std::move(zip).finish();
}

std::string stats_xlsx(const StatsTable& t) {
    std::vector<std::vector<StatsCell>> rows;
    rows.reserve(t.rows.size() + 2);
    std::vector<StatsCell> header;
    for (const auto& c : t.columns) header.emplace_back(c.header);
    rows.push_back(std::move(header));
    rows.insert(rows.end(), t.rows.begin(), t.rows.end());
    rows.push_back(t.total);
    return xlsx_workbook(t.by == StatsGrouping::Grid ? tr("Statistics by grid") : tr("Statistics by county"), rows);
}


nlohmann::json to_json(const StatsTable& t) {
    using nlohmann::json;
    const auto object = [&t](const std::vector<StatsCell>& cells) {
        json o = json::object();
        for (std::size_t c = 0; c < t.columns.size() && c < cells.size(); ++c)
            std::visit([&](const auto& v) { o[t.columns[c].key] = v; }, cells[c]);
        return o;
    };
    json columns = json::array(), rows = json::array();
    for (const auto& c : t.columns) columns.push_back({{"key", c.key}, {"header", c.header}, {"numeric", c.numeric}});
    for (const auto& r : t.rows) rows.push_back(object(r));
    return {{"by", std::string(stats_grouping_name(t.by))},
            {"as_of", t.as_of},
            {"columns", columns},
            {"rows", rows},
            {"total", object(t.total)}};
}

} // namespace vigil::app

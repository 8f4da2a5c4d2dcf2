// The statistics table (app::stats_table) and its writers on small in-memory layers: its cells
// are app::statistics' figures, by county and by grid; sorting keeps the total last; the CSV
// reads back cell for cell (BOM, CRLF, RFC 4180 quoting); the XLSX is a well-formed ZIP of
// stored entries whose CRCs and sizes hold and whose sheet carries the same cells.

#include <vigil/app/stats.hpp>
#include <vigil/app/stats_table.hpp>
#include <vigil/util/error.hpp>

#include "app_layers.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstring>
#include <map>
#include <regex>

using namespace vigil;

namespace test_stats_table_cases {

using test::square;
using Fields = std::map<std::string, model::Value>;

/// Two counties; the second's name has a comma and a quote (quoted in CSV, escaped in XML).
app::LayerSet county_project() {
    app::LayerSet set;
    set.add(test::make_layer(
        "admin_areas",
        {{"410825", square(113.0, 34.9, 0.1), {{"name", std::string("温县")}, {"level", std::string("county")}}},
         {"410883", square(113.1, 34.9, 0.1), {{"name", std::string("孟州市, \"东\" <区>")}, {"level", std::string("county")}}}}));
    set.add(test::make_layer(
        "enterprises", {test::point("E1", {113.05, 34.95}, {{"risk_level", std::string("red")}, {"overdue_hazards", std::int64_t{2}}}),
                        test::point("E2", {113.15, 34.95}, {{"risk_level", std::string("blue")}}),
                        test::point("E3", {113.12, 34.95}, {{"risk_level", std::string("orange")}, {"open_hazards", std::int64_t{4}}}),
                        test::point("E4", {113.16, 34.96})}));
    return set;
}

/// The figures of one group in the table's column order (after the name columns).
std::vector<std::int64_t> figures(const hazard::CountyStats& s) {
    return {static_cast<std::int64_t>(s.enterprises),
            static_cast<std::int64_t>(s.by_colour[0]),
            static_cast<std::int64_t>(s.by_colour[1]),
            static_cast<std::int64_t>(s.by_colour[2]),
            static_cast<std::int64_t>(s.by_colour[3]),
            static_cast<std::int64_t>(s.uncoloured),
            static_cast<std::int64_t>(s.hazard_sources),
            static_cast<std::int64_t>(s.by_grade[0]),
            static_cast<std::int64_t>(s.by_grade[1]),
            static_cast<std::int64_t>(s.by_grade[2]),
            static_cast<std::int64_t>(s.by_grade[3]),
            static_cast<std::int64_t>(s.open_hazards),
            static_cast<std::int64_t>(s.overdue_hazards),
            static_cast<std::int64_t>(s.open_major_hazards),
            static_cast<std::int64_t>(s.enterprises_with_overdue)};
}

std::vector<std::int64_t> numbers(const std::vector<app::StatsCell>& row, std::size_t first, std::size_t count) {
    std::vector<std::int64_t> out;
    for (std::size_t c = first; c < first + count; ++c) out.push_back(std::get<std::int64_t>(row.at(c)));
    return out;
}

std::string text_of(const app::StatsCell& c) {
    if (const auto* s = std::get_if<std::string>(&c)) return *s;
    return std::to_string(std::get<std::int64_t>(c));
}

/// RFC 4180 read back: records of fields (CRLF between records, quotes doubled inside quotes).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (quoted) {
            if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') rows.back().back() += text[++i];
            else if (ch == '"') quoted = false;
            else rows.back().back() += ch;
        } else if (ch == '"') {
            quoted = true;
        } else if (ch == ',') {
            rows.back().emplace_back();
        } else if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            ++i;
            rows.emplace_back(1);
        } else {
            rows.back().back() += ch;
        }
    }
    if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back(); // after the last CRLF
    return rows;
}

std::uint32_t u16(const std::string& b, std::size_t at) {
    return static_cast<unsigned char>(b.at(at)) | static_cast<std::uint32_t>(static_cast<unsigned char>(b.at(at + 1))) << 8;
}
std::uint32_t u32(const std::string& b, std::size_t at) { return u16(b, at) | u16(b, at + 2) << 16; }

/// The entries of a ZIP of stored entries, read through its central directory (as unzip does),
/// each checked against its local header and its CRC.
std::map<std::string, std::string> unzip_stored(const std::string& zip) {
    REQUIRE(zip.size() > 22);
    const std::size_t eocd = zip.size() - 22; // no archive comment
    REQUIRE(u32(zip, eocd) == 0x06054b50u);
    const std::uint32_t entries = u16(zip, eocd + 10);
    std::size_t cd = u32(zip, eocd + 16);
    REQUIRE(cd + u32(zip, eocd + 12) == eocd);
    std::map<std::string, std::string> out;
    for (std::uint32_t e = 0; e < entries; ++e) {
        REQUIRE(u32(zip, cd) == 0x02014b50u);
        CHECK(u16(zip, cd + 10) == 0); // stored
        const std::uint32_t crc = u32(zip, cd + 16), size = u32(zip, cd + 24), name_len = u16(zip, cd + 28);
        CHECK(u32(zip, cd + 20) == size);
        const std::size_t local = u32(zip, cd + 42);
        const std::string name = zip.substr(cd + 46, name_len);
        REQUIRE(u32(zip, local) == 0x04034b50u);
        CHECK(u32(zip, local + 14) == crc);
        CHECK(zip.substr(local + 30, u16(zip, local + 26)) == name);
        const std::string data = zip.substr(local + 30 + name_len + u16(zip, local + 28), size);
        CHECK(app::crc32(data) == crc);
        out[name] = data;
        cd += 46 + name_len + u16(zip, cd + 30) + u16(zip, cd + 32);
    }
    return out;
}

std::string xml_unescape(std::string s) {
    for (const auto& [from, to] :
         std::vector<std::pair<std::string, std::string>>{{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&amp;", "&"}}) {
        for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
    }
    return s;
}

/// The cells of sheet1.xml row by row, as text.
std::vector<std::vector<std::string>> sheet_cells(const std::string& xml) {
    std::vector<std::vector<std::string>> rows;
    const std::regex row_re("<row r=\"(\\d+)\">(.*?)</row>");
    const std::regex cell_re("<c r=\"([A-Z]+)(\\d+)\"( t=\"inlineStr\")?>(?:<is><t[^>]*>(.*?)</t></is>|<v>(-?\\d+)</v>)</c>");
    for (auto r = std::sregex_iterator(xml.begin(), xml.end(), row_re); r != std::sregex_iterator(); ++r) {
        CHECK(std::stoul((*r)[1]) == rows.size() + 1);
        rows.emplace_back();
        const std::string body = (*r)[2];
        for (auto c = std::sregex_iterator(body.begin(), body.end(), cell_re); c != std::sregex_iterator(); ++c)
            rows.back().push_back((*c)[3].matched ? xml_unescape((*c)[4]) : std::string((*c)[5]));
    }
    return rows;
}

/// The table as text, the header row first and the total row last (what a file holds).
std::vector<std::vector<std::string>> as_text(const app::StatsTable& t) {
    std::vector<std::vector<std::string>> out(1);
    for (const auto& c : t.columns) out[0].push_back(c.header);
    for (const auto& r : t.rows) {
        out.emplace_back();
        for (const auto& c : r) out.back().push_back(text_of(c));
    }
    out.emplace_back();
    for (const auto& c : t.total) out.back().push_back(text_of(c));
    return out;
}


TEST_CASE("stats table: by county, the cells are app::statistics' figures, the header in the user's language", "[app][stats][table]") {
    const auto set = county_project();
    const auto r = app::statistics({}, set);
    const auto t = app::stats_table(r);
    REQUIRE(t.columns.size() == 16);
    CHECK(t.columns[0].key == "county");
    CHECK_FALSE(t.columns[0].numeric);
    CHECK(t.columns[0].header == "County"); // tests speak English
    CHECK(t.columns[2].key == "red");
    CHECK(t.columns[15].key == "enterprises_with_overdue");
    REQUIRE(t.rows.size() == r.groups.size());
    for (std::size_t i = 0; i < r.groups.size(); ++i) {
        INFO(r.groups[i].county);
        CHECK(std::get<std::string>(t.rows[i][0]) == r.groups[i].county);
        CHECK(numbers(t.rows[i], 1, 15) == figures(r.groups[i]));
        CHECK(t.group_of_row[i] == i);
    }
    CHECK(std::get<std::string>(t.total[0]) == r.total.county);
    CHECK(numbers(t.total, 1, 15) == figures(r.total));
    CHECK(std::get<std::int64_t>(t.total[1]) == 4);

    // The JSON form keys each row by the columns' keys: what the page's vigil.statsTable gives.
    const auto j = app::to_json(t);
    CHECK(j["by"] == "county");
    CHECK(j["columns"][3]["key"] == "orange");
    CHECK(j["columns"][3]["header"] == "Orange");
    CHECK(j["rows"].size() == r.groups.size());
    CHECK(j["rows"][1]["county"] == r.groups[1].county);
    CHECK(j["rows"][1]["enterprises"] == r.groups[1].enterprises);
    CHECK(j["total"]["open_hazards"] == r.total.open_hazards);
    // and agrees with the statistics' own JSON (`vigil stats --json`).
    const auto s = app::to_json(r);
    for (std::size_t i = 0; i < r.groups.size(); ++i) {
        CHECK(j["rows"][i]["red"] == s["counties"][i]["by_colour"]["red"]);
        CHECK(j["rows"][i]["none"] == s["counties"][i]["by_colour"]["none"]);
        CHECK(j["rows"][i]["grade1"] == s["counties"][i]["by_grade"]["grade1"]);
        CHECK(j["rows"][i]["overdue_hazards"] == s["counties"][i]["overdue_hazards"]);
    }
}

TEST_CASE("stats table: by grid, the grid's code and name first, its member and phone last", "[app][stats][table][grids]") {
    auto set = county_project();
    set.add(test::make_layer(
        "grids", {{"G1", square(113.0, 34.9, 0.1),
                   Fields{{"name", std::string("西网格")},
                          {"level", std::string("township")},
                          {"member", std::string("张三")},
                          {"phone", std::string("13800000001")}}},
                  {"G2", square(113.1, 34.9, 0.05),
                   Fields{{"name", std::string("东网格")}, {"level", std::string("township")}, {"member", std::string("李四")}}}}));
    app::StatsRequest q;
    q.by = app::StatsGrouping::Grid;
    const auto r = app::statistics(q, set);
    const auto t = app::stats_table(r);
    REQUIRE(t.columns.size() == 19);
    CHECK(t.columns[0].key == "code");
    CHECK(t.columns[1].key == "grid");
    CHECK(t.columns[17].key == "member");
    CHECK(t.columns[18].key == "phone");
    REQUIRE(t.rows.size() == r.groups.size());
    REQUIRE(r.groups.size() == 3); // G1, G2 and "(no grid)" for E4 at 113.16
    for (std::size_t i = 0; i < r.groups.size(); ++i) {
        CHECK(std::get<std::string>(t.rows[i][0]) == r.groups[i].code);
        CHECK(std::get<std::string>(t.rows[i][1]) == r.groups[i].county);
        CHECK(numbers(t.rows[i], 2, 15) == figures(r.groups[i]));
        CHECK(std::get<std::string>(t.rows[i][17]) == r.grids[i].member);
        CHECK(std::get<std::string>(t.rows[i][18]) == r.grids[i].phone);
    }
    CHECK(std::get<std::string>(t.rows[0][17]) == "张三");
    CHECK(std::get<std::string>(t.rows[0][18]) == "13800000001");
    CHECK(numbers(t.total, 2, 15) == figures(r.total));
    CHECK(t.total.size() == 19);
}

TEST_CASE("stats table: sorted by any column, ties in the groups' order, the total last", "[app][stats][table]") {
    const auto t = app::stats_table(app::statistics({}, county_project()));
    const auto desc = app::sorted_stats_table(t, 1, true); // enterprises, most first
    REQUIRE(desc.rows.size() == 2);
    CHECK(std::get<std::int64_t>(desc.rows[0][1]) == 3);
    CHECK(desc.group_of_row == std::vector<std::size_t>{1, 0});
    CHECK(desc.total == t.total);
    const auto by_name = app::sorted_stats_table(t, 0, false); // text by its bytes
    CHECK(std::get<std::string>(by_name.rows[0][0]) < std::get<std::string>(by_name.rows[1][0]));
    const auto ties = app::sorted_stats_table(t, 7, false); // hazard sources: all 0
    CHECK(ties.group_of_row == std::vector<std::size_t>{0, 1});
    CHECK_THROWS_AS(app::sorted_stats_table(t, 16, false), UsageError);
}

TEST_CASE("stats table: the CSV has a BOM and CRLF, quotes what needs it, and reads back cell for cell", "[app][stats][table][csv]") {
    const auto t = app::stats_table(app::statistics({}, county_project()));
    const std::string csv = app::stats_csv(t);
    REQUIRE(csv.rfind("\xEF\xBB\xBF", 0) == 0);
    CHECK(csv.find("\r\n") != std::string::npos);
    CHECK(csv.find("\"孟州市, \"\"东\"\" <区>\"") != std::string::npos);
    const auto rows = parse_csv(csv.substr(3));
    CHECK(rows == as_text(t));
    CHECK(rows.size() == t.rows.size() + 2);
}

TEST_CASE("stats table: the XLSX is a ZIP of stored parts with good CRCs, its sheet the same cells", "[app][stats][table][xlsx]") {
    CHECK(app::crc32("123456789") == 0xCBF43926u); // the CRC-32 check value
    CHECK(app::crc32("") == 0u);
    auto set = county_project();
    const auto t = app::stats_table(app::statistics({}, set));
    const std::string xlsx = app::stats_xlsx(t);
    CHECK(xlsx.rfind("PK\x03\x04", 0) == 0);
    const auto parts = unzip_stored(xlsx);
    for (const char* name :
         {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml"}) {
        INFO(name);
        REQUIRE(parts.count(name) == 1);
        CHECK(parts.at(name).rfind("<?xml", 0) == 0);
    }
    CHECK(parts.at("xl/workbook.xml").find("name=\"Statistics by county\"") != std::string::npos);
    const auto cells = sheet_cells(parts.at("xl/worksheets/sheet1.xml"));
    CHECK(cells == as_text(t));
    // Numbers are numbers (no t="inlineStr"), names strings.
    CHECK(parts.at("xl/worksheets/sheet1.xml").find("<c r=\"B2\"><v>") != std::string::npos);
    CHECK(parts.at("xl/worksheets/sheet1.xml").find("<c r=\"A2\" t=\"inlineStr\">") != std::string::npos);
    // The same table gives the same bytes (no clock in the archive).
    CHECK(app::stats_xlsx(t) == xlsx);

    // Many columns: the references go past Z (AA, AB, ...); a sheet name Excel refuses is cleaned.
    std::vector<std::vector<app::StatsCell>> wide(1);
    for (std::int64_t i = 0; i < 30; ++i) wide[0].emplace_back(i);
    const auto sheet = unzip_stored(app::xlsx_workbook("a/b[c]:*?d\\", wide));
    CHECK(sheet.at("xl/worksheets/sheet1.xml").find("<c r=\"AD1\"><v>29</v></c>") != std::string::npos);
    CHECK(sheet.at("xl/workbook.xml").find("name=\"abcd\"") != std::string::npos);
}

} // namespace test_stats_table_cases

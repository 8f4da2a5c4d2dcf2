// A register as a county clerk keeps it: compound cells ("工贸-粉尘涉爆"), title rows above the
// header, numbers typed on a Chinese keyboard, a credit code with a mistyped check character.
// What the catalogue (layers/enterprises.json) declares decides, not code.

#include <vigil/catalog/normalize.hpp>
#include <vigil/importing/field_mapping.hpp>
#include <vigil/importing/pipeline.hpp>
#include <vigil/io/csv_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include "memory_source.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace vigil;
using test::MemorySink;
using test::MemorySource;

namespace test_clerk_values_cases {

const catalog::LayerKind& enterprises() { return *test::real_catalog().get("enterprises"); }

std::size_t field(const char* name) { return *enterprises().field_index(name); }

const importing::CoordinateTransform& wgs84() {
    static auto t = importing::make_core_transform("wgs84");
    return *t;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }


TEST_CASE("a compound industry cell splits by the catalogue's rule", "[importing][clerk][compound]") {
    const auto& k = enterprises();
    auto s = catalog::split_compound(k, field("industry"), "工贸-粉尘涉爆");
    INFO(s.problem);
    REQUIRE(s.problem.empty());
    REQUIRE(s.parts.size() == 2);
    CHECK(s.parts[0].field == field("industry"));
    CHECK(s.parts[0].value == "industry_trade");
    CHECK(s.parts[1].field == field("special_hazards"));
    CHECK(s.parts[1].value == "dust_explosion");

    // Two parts that are one value together: the hazardous-chemicals trader.
    s = catalog::split_compound(k, field("industry"), "危化／经营");
    REQUIRE(s.parts.size() == 1);
    CHECK(s.parts[0].value == "hazchem_trading");
    s = catalog::split_compound(k, field("industry"), "危化—使用—涉氨制冷");
    REQUIRE(s.parts.size() == 2);
    CHECK(s.parts[0].value == "hazchem_use");
    CHECK(s.parts[1].value == "ammonia_refrigeration");

    // No separator: not compound, the ordinary refusal stands.
    s = catalog::split_compound(k, field("industry"), "粉尘涉爆");
    CHECK(s.parts.empty());
    CHECK(s.problem.empty());

    // A part no field takes: which fields it could belong to and their values.
    s = catalog::split_compound(k, field("industry"), "危化-仓储");
    CHECK(s.parts.empty());
    CHECK(s.problem.rfind("the parts '危化', '仓储' of '危化-仓储' are no value of industry (Industry) or special_hazards (Special "
                          "hazards); allowed: industry: hazchem_production (Hazardous chemicals: production)",
                          0) == 0);
    {
        // The clerk's language: the fields by their labels, the parts in Chinese quotes.
        vigil::i18n::set_language(vigil::i18n::Language::zh_CN);
        const auto zh = catalog::split_compound(k, field("industry"), "危化-仓储");
        vigil::i18n::set_language(vigil::i18n::Language::en);
        CHECK(zh.problem.rfind(
                  "“危化-仓储”中的“危化”、“仓储”不是 industry（行业类别） 或 special_hazards（专项风险） 的取值；可用：industry："
                  "hazchem_production（危险化学品生产）",
                  0) == 0);
    }
    s = catalog::split_compound(k, field("industry"), "工贸-粉尘涉恶");
    CHECK(s.problem.rfind("the part '粉尘涉恶' of '工贸-粉尘涉恶' is no value of industry (Industry) or special_hazards (Special hazards); "
                          "allowed: ",
                          0) == 0);
    CHECK(has(s.problem, "special_hazards: dust_explosion (Combustible dust)"));

    // Two industries in one cell cannot both be right.
    s = catalog::split_compound(k, field("industry"), "纺织-食品");
    CHECK(s.parts.empty());
    CHECK(has(s.problem, "'纺织-食品' gives industry (Industry) two values"));
    // Only hazards: no industry.
    s = catalog::split_compound(k, field("industry"), "粉尘涉爆/涉氨制冷");
    CHECK(has(s.problem, "no part of '粉尘涉爆/涉氨制冷' is a value of industry (Industry)"));
}

TEST_CASE("compound parts join the special-hazards the row already has; rows and fields named", "[importing][clerk][compound]") {
    MemorySource src({"统一社会信用代码", "企业名称", "行业类别", "专项风险", "经度", "纬度"},
                     {{"91410825MA3X4K7L2E", "温县铝材加工厂", "工贸-粉尘涉爆", "有限空间", "113.08", "34.94"},
                      {"91410825MA44B2C1XU", "温县化工贸易有限公司", "危化-经营", "", "113.09", "34.95"}, // a synonym as it stands
                      {"91410825MA45QW2E8J", "温县某厂", "工贸-粉尘涉恶", "", "113.10", "34.93"}});
    MemorySink sink;
    importing::ImportOptions o;
    o.skip_invalid = true;
    auto s = importing::ImportPipeline(enterprises(), wgs84(), o).run(src, sink);
    REQUIRE(sink.records.size() == 2);
    CHECK(sink.records[0].values[field("industry")] == model::Value{std::string("industry_trade")});
    CHECK(sink.records[0].values[field("special_hazards")] == model::Value{std::string(R"(["dust_explosion","confined_space"])")});
    CHECK(sink.records[1].values[field("industry")] == model::Value{std::string("hazchem_trading")});
    CHECK(model::is_null(sink.records[1].values[field("special_hazards")]));
    REQUIRE(s.problems.size() == 1);
    CHECK(s.problems[0].row == 4);
    CHECK(s.problems[0].field == "industry");
    CHECK(has(importing::format_problem("温县.csv", enterprises(), s.problems[0]),
              "温县.csv:4 [id=91410825MA45QW2E8J] industry (Industry) = \"工贸-粉尘涉恶\": "
              "the part '粉尘涉恶' of '工贸-粉尘涉恶' is no value of industry (Industry) or special_hazards (Special hazards)"));
    bool noted = false;
    for (const auto& n : s.notes)
        noted = noted || n ==
                             "1 compound value(s) split by the catalogue's rule, e.g. row 2: '工贸-粉尘涉爆' → Industry Industry and trade "
                             "(general) + Special hazards Combustible dust";
    INFO(s.notes.back());
    CHECK(noted);
}

TEST_CASE("a credit code's wrong check character warns, --strict refuses, a wrong form always refuses", "[importing][clerk][severity]") {
    // ...K7L2E is right; ...K7L2F has a mistyped check character; the third has 17 characters.
    const std::vector<std::string> cols = {"统一社会信用代码", "企业名称", "经度", "纬度"};
    const std::vector<std::vector<std::string>> rows = {{"91410825MA3X4K7L2E", "甲", "113.08", "34.94"},
                                                        {"91410825ma3x4k7l2f", "乙", "113.09", "34.95"},
                                                        {"91410825MA3X4K7L2", "丙", "113.10", "34.93"}};
    {
        MemorySource src(cols, rows);
        MemorySink sink;
        importing::ImportOptions o;
        o.skip_invalid = true;
        auto s = importing::ImportPipeline(enterprises(), wgs84(), o).run(src, sink);
        REQUIRE(sink.records.size() == 2);
        CHECK(sink.records[1].values[field("uscc")] == model::Value{std::string("91410825MA3X4K7L2F")}); // as written, upper-cased
        CHECK(sink.records[1].values[field("id")] == model::Value{std::string("91410825MA3X4K7L2F")});
        CHECK(s.warning_count == 1);
        REQUIRE(s.warnings.size() == 1);
        CHECK(s.warnings[0].row == 3);
        CHECK(s.warnings[0].reason ==
              "warning: '91410825ma3x4k7l2f': check character is 'F' but the code needs 'E' (mistyped digit?); imported as written");
        REQUIRE(s.problems.size() == 1); // the 17-character code: refused whatever the severity
        CHECK(s.problems[0].row == 4);
        CHECK(has(s.problems[0].reason, "a unified social credit code has 18 characters, this has 17"));
    }
    {
        MemorySource src(cols, {rows[0], rows[1]});
        MemorySink sink;
        importing::ImportOptions o;
        o.strict = true;
        auto s = importing::ImportPipeline(enterprises(), wgs84(), o).run(src, sink);
        CHECK(s.refused);
        CHECK(s.warning_count == 0);
        REQUIRE(s.problems.size() == 1);
        CHECK(s.problems[0].row == 3);
        CHECK(has(s.problems[0].reason, "check character is 'F' but the code needs 'E' (mistyped digit?) (refused with --strict)"));
    }
}

TEST_CASE("the header row is found below title rows by the layer's field names", "[importing][clerk][header]") {
    const auto& k = enterprises();
    std::vector<std::vector<std::string>> rows = {{"焦作市温县危险化学品企业登记表", "", ""},
                                                  {"填报单位：温县应急管理局", "", ""},
                                                  {"序号", "企业名称", "统一社会信用代码", "行业类别", "经度", "纬度"},
                                                  {"1", "温县化工有限公司", "91410825MA3X4K7L2E", "危化-经营", "113.08", "34.94"}};
    CHECK(importing::header_score(k, rows[2]) == 5);
    CHECK(importing::find_header_row(k, rows) == 2);
    // A register whose first row is its header stays so; one naming no field keeps row 1 too.
    CHECK(importing::find_header_row(k, {rows[2], rows[3]}) == 0);
    CHECK(importing::find_header_row(k, {{"a", "b"}, {"c", "d"}}) == 0);
}

TEST_CASE("CSV title lines are skipped and rows keep the file's line numbers", "[importing][clerk][header][csv]") {
    const std::string text = "焦作市温县危险化学品企业登记表\r\n\r\n企业名称,经度,纬度\r\n甲,113.08,34.94\r\n\"乙\n二\",113.09,34.95\r\n";
    CHECK(io::guess_separator(text) == ',');
    auto peeked = io::peek_csv_rows(text, ',', 10);
    REQUIRE(peeked.size() == 4);
    CHECK(peeked[0].line == 1);
    CHECK(peeked[0].cells == std::vector<std::string>{"焦作市温县危险化学品企业登记表"});
    CHECK(peeked[1].line == 3);
    CHECK(peeked[3].line == 5);
    CHECK(peeked[3].cells[0] == "乙\n二");

    io::CsvReaderOptions o;
    o.title_records = 1;
    o.separator = ',';
    io::CsvReader r("t.csv", text, o);
    CHECK(r.columns() == std::vector<std::string>{"企业名称", "经度", "纬度"});
    importing::RawRecord rec;
    REQUIRE(r.next(rec));
    CHECK(rec.row == 4);
    CHECK(rec.values[0].text == "甲");
    REQUIRE(r.next(rec));
    CHECK(rec.row == 5);
    CHECK_FALSE(r.next(rec));
}

TEST_CASE("numbers typed on a Chinese keyboard fold to ASCII", "[util][clerk][numbers]") {
    CHECK(text::fold_number_text("１１３．０７９１，３４．９４１２") == "113.0791,34.9412");
    CHECK(text::fold_number_text("113.0791、34.9412") == "113.0791,34.9412");
    CHECK(text::fold_number_text("－１２．５") == "-12.5");
    CHECK(text::fold_number_text("\u22123") == "-3");
    CHECK(text::fold_number_text("温县") == "温县");
    CHECK(text::parse_double("\u221212.5") == -12.5);
    CHECK(text::parse_double("１１３．０７９１") == 113.0791);
    CHECK(text::parse_int64("１２０") == 120);
    CHECK_FALSE(text::parse_double("113、5").has_value()); // an enumeration comma is no decimal point
    // An imported number cell so typed.
    catalog::Normalized n = catalog::normalize_value(enterprises().fields[field("employees")], importing::RawValue::from_text("１２０"));
    CHECK(n.value == model::Value{std::int64_t{120}});
}

} // namespace test_clerk_values_cases

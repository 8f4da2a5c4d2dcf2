#include <vigil/util/text.hpp>

#include <catch2/catch.hpp>

using namespace vigil::text;

TEST_CASE("UTF-8 validation finds the first bad byte", "[util][text]") {
    CHECK(is_valid_utf8("焦作 Jiaozuo"));
    std::size_t bad = 99;
    // GBK bytes for 消防 are not UTF-8.
    CHECK_FALSE(is_valid_utf8("ok \xCF\xFB\xB7\xC0", &bad));
    CHECK(bad == 3);
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));         // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));     // surrogate
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80")); // above U+10FFFF
    CHECK_FALSE(is_valid_utf8("\xE7\x84"));         // truncated
}

TEST_CASE("match_key folds case, width, spaces and separators", "[util][text]") {
    CHECK(match_key("Risk Level") == "risklevel");
    CHECK(match_key("risk_level") == "risklevel");
    CHECK(match_key("ＲＩＳＫ－ＬＥＶＥＬ") == "risklevel");
    CHECK(match_key("\xEF\xBB\xBF 经度 ") == "经度");
    CHECK(match_key("　企业名称　") == "企业名称");
}

TEST_CASE("split_list accepts the separators people type", "[util][text]") {
    CHECK(split_list("危化品、水域，消防;医疗") == std::vector<std::string>{"危化品", "水域", "消防", "医疗"});
    CHECK(split_list(" hazmat , , water ") == std::vector<std::string>{"hazmat", "water"});
    CHECK(split_list("").empty());
}

TEST_CASE("numbers: strict, no NaN, decimal comma refused", "[util][text]") {
    CHECK(parse_double("113.24") == Approx(113.24));
    CHECK(parse_double(" +35.5 ") == Approx(35.5));
    CHECK(parse_double("１１３．２") == Approx(113.2));
    CHECK(parse_double("1e3") == Approx(1000));
    CHECK_FALSE(parse_double("NaN"));
    CHECK_FALSE(parse_double("inf"));
    CHECK_FALSE(parse_double("1e309"));
    CHECK_FALSE(parse_double("116,40"));
    CHECK_FALSE(parse_double("116,40", true)); // not a thousands grouping either
    CHECK(parse_double("1,234,567.5", true) == Approx(1234567.5));
    CHECK_FALSE(parse_double("12abc"));
    CHECK_FALSE(parse_double("0x10"));
    CHECK(parse_int64("42") == 42);
    CHECK(parse_int64("12.0") == 12);
    CHECK_FALSE(parse_int64("12.5"));
    CHECK(format_double(0.1) == "0.1");
    CHECK(format_fixed(113.2, 3) == "113.200");
}

TEST_CASE("CSV quoting and JSON escaping", "[util][text]") {
    CHECK(csv_quote("a") == "a");
    CHECK(csv_quote("a,b") == "\"a,b\"");
    CHECK(csv_quote("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(json_escape("a\"b\\c\n") == "a\\\"b\\\\c\\n");
    CHECK(json_escape(std::string("\x01", 1)) == "\\u0001");
}

TEST_CASE("sanitize_utf8 replaces each bad byte and keeps the rest", "[util][text]") {
    CHECK(sanitize_utf8("消防") == "消防");
    CHECK(sanitize_utf8("a\xCF\xFB"
                        "b") == "a\xEF\xBF\xBD\xEF\xBF\xBD"
                                "b");
    CHECK(is_valid_utf8(sanitize_utf8("\xE7\x84")));
}

#include <vigil/catalog/normalize.hpp>
#include <vigil/catalog/units.hpp>

#include "test_paths.hpp"

#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

using namespace vigil;
using catalog::normalize_value;
using importing::RawValue;

namespace test_normalize_cases {

using vigil::test::real_catalog;

const catalog::Field& field(const char* kind, const char* name) { return *real_catalog().get(kind)->field(name); }

model::Value ok(const catalog::Field& f, RawValue v) {
    auto n = normalize_value(f, v);
    INFO(n.problem);
    REQUIRE(n.ok());
    return n.value;
}

std::string problem(const catalog::Field& f, RawValue v) {
    auto n = normalize_value(f, v);
    REQUIRE_FALSE(n.ok());
    return n.problem;
}

RawValue t(const char* s) { return RawValue::from_text(s); }


TEST_CASE("enum values accept their synonyms in both languages", "[catalog][normalize]") {
    const auto& risk = field("enterprises", "risk_level");
    CHECK(ok(risk, t("红")) == model::Value{std::string("red")});
    CHECK(ok(risk, t("重大风险")) == model::Value{std::string("red")});
    CHECK(ok(risk, t(" 橙色 ")) == model::Value{std::string("orange")});
    CHECK(ok(risk, t("YELLOW")) == model::Value{std::string("yellow")});
    CHECK(ok(risk, t("")) == model::Value{});
    auto why = problem(risk, t("紫"));
    CHECK(why.find("'紫' is not one of") != std::string::npos);
    CHECK(why.find("red (Major (red))") != std::string::npos);
}

TEST_CASE("sets: any separators, canonical order, unknown words named", "[catalog][normalize]") {
    const auto& caps = field("rescue_teams", "capabilities");
    CHECK(ok(caps, t("水域、危化品")) == model::Value{std::string(R"(["hazmat","water"])")});
    CHECK(ok(caps, RawValue::from_json(R"(["fire","Hazmat"])")) == model::Value{std::string(R"(["hazmat","fire"])")});
    CHECK(ok(caps, t("危化品,危化")) == model::Value{std::string(R"(["hazmat"])")});
    CHECK(problem(caps, t("危化品、飞行")).find("'飞行'") != std::string::npos);
}

TEST_CASE("booleans, dates, integers and reals with units", "[catalog][normalize]") {
    const auto& major = field("enterprises", "major_hazard");
    CHECK(ok(major, t("是")) == model::Value{std::int64_t{1}});
    CHECK(ok(major, t("否")) == model::Value{std::int64_t{0}});
    CHECK(ok(major, RawValue::from_bool(true)) == model::Value{std::int64_t{1}});
    CHECK(ok(major, t("Y")) == model::Value{std::int64_t{1}});
    CHECK_FALSE(normalize_value(major, t("也许")).ok());

    const auto& date = field("enterprises", "last_inspection");
    for (const char* s :
         {"2026-03-05", "2026/3/5", "2026.03.05", "2026年3月5日", "20260305", "2026-03-05 14:30:00", "2026-03-05T14:30:00Z"})
        CHECK(ok(date, t(s)) == model::Value{std::string("2026-03-05")});
    CHECK_FALSE(normalize_value(date, t("2026-02-30")).ok());
    CHECK_FALSE(normalize_value(date, t("昨天")).ok());
    CHECK(ok(date, t("2024-02-29")) == model::Value{std::string("2024-02-29")});

    const auto& employees = field("enterprises", "employees");
    CHECK(ok(employees, t("120")) == model::Value{std::int64_t{120}});
    CHECK(ok(employees, t("120人")) == model::Value{std::int64_t{120}});
    CHECK(ok(employees, RawValue::from_real(35.0)) == model::Value{std::int64_t{35}});
    CHECK(problem(employees, t("-3")).find("out of range") != std::string::npos);
    CHECK(problem(employees, t("12.5")).find("whole number") != std::string::npos);

    const auto& turnout = field("rescue_teams", "turnout_min");
    CHECK(std::get<double>(ok(turnout, t("5分钟"))) == Approx(5));
    CHECK(std::get<double>(ok(turnout, t("0.5h"))) == Approx(30));
    CHECK(std::get<double>(ok(turnout, t("90 s"))) == Approx(1.5));
    CHECK(problem(turnout, t("5kg")).find("cannot be converted") != std::string::npos);
}

TEST_CASE("named checks: credit code, CAS, UN number, phone", "[catalog][normalize]") {
    const auto& uscc = field("enterprises", "uscc");
    // A code whose check character is right (GB 32100-2015 weights).
    CHECK(ok(uscc, t("91410800MA40B8XK8P")) == model::Value{std::string("91410800MA40B8XK8P")});
    // A wrong check character alone is a warning (the catalogue's check_severity): kept as written.
    auto mistyped = catalog::normalize_value(uscc, t("91410800ma40b8xk8a"));
    CHECK(mistyped.ok());
    CHECK(mistyped.value == model::Value{std::string("91410800MA40B8XK8A")});
    CHECK(mistyped.warning.find("check character") != std::string::npos);
    CHECK(problem(uscc, t("9141080")).find("18 characters") != std::string::npos);
    CHECK(problem(uscc, t("91410800MA40B8XKIK")).find("cannot appear") != std::string::npos);

    std::string cas = "7782-50-5";
    CHECK(catalog::apply_check("cas", cas).empty());
    std::string bad_cas = "7782-50-4";
    CHECK(catalog::apply_check("cas", bad_cas).find("check digit") != std::string::npos);
    std::string un = "UN 1017";
    CHECK(catalog::apply_check("un_number", un).empty());
    CHECK(un == "1017");
    std::string bad_un = "UN10";
    CHECK_FALSE(catalog::apply_check("un_number", bad_un).empty());

    const auto& phone = field("enterprises", "phone");
    for (const char* p :
         {"0391-3568119", "13903911234", "+86 139 0391 1234", "(0391)3568119", "119", "0391-3568119/13903911234", "0391-3568119转801"})
        CHECK(model::is_null(ok(phone, t(p))) == false);
    CHECK(problem(phone, t("12345abc")).find("not a Chinese phone number") != std::string::npos);
    CHECK_FALSE(normalize_value(phone, t("1234567890123")).ok());
}

TEST_CASE("list fields: JSON arrays and the compact one-line form", "[catalog][normalize]") {
    const auto& inv = field("hazard_sources", "inventory");
    auto v = ok(inv, t("液氯 7782-50-5 UN1017 50t; 液氨(7664-41-7) 100吨"));
    auto j = nlohmann::json::parse(std::get<std::string>(v));
    REQUIRE(j.size() == 2);
    CHECK(j[0]["substance"] == "液氯");
    CHECK(j[0]["cas"] == "7782-50-5");
    CHECK(j[0]["un_number"] == "1017");
    CHECK(j[0]["quantity_t"].get<double>() == Approx(50));
    CHECK(j[1]["substance"] == "液氨");
    CHECK(j[1]["quantity_t"].get<double>() == Approx(100));

    auto kg = nlohmann::json::parse(std::get<std::string>(ok(inv, t("甲醇:500kg"))));
    CHECK(kg[0]["quantity_t"].get<double>() == Approx(0.5));

    auto from_json = nlohmann::json::parse(
        std::get<std::string>(ok(inv, RawValue::from_json(R"([{"名称": "氯", "CAS号": "7782-50-5", "数量": "5t"}])"))));
    CHECK(from_json[0]["substance"] == "氯");
    CHECK(from_json[0]["quantity_t"].get<double>() == Approx(5));

    CHECK(problem(inv, t("液氯 7782-50-4 50t")).find("item 1") != std::string::npos); // bad CAS check digit: not taken as CAS... named
    CHECK(problem(inv, t("液氯")).find("quantity_t") != std::string::npos);           // required quantity missing
    CHECK(problem(inv, RawValue::from_json(R"([{"colour": "red"}])")).find("unknown key 'colour'") != std::string::npos);

    const auto& stock = field("warehouses", "stock");
    auto s = nlohmann::json::parse(std::get<std::string>(ok(stock, t("中和剂 5t; 吸附棉 2000kg; 沙袋 3000 个; 防化服:40套"))));
    REQUIRE(s.size() == 4);
    CHECK(s[0]["item"] == "中和剂");
    CHECK(s[0]["quantity"].get<double>() == Approx(5));
    CHECK(s[0]["unit"] == "t");
    CHECK(s[1]["unit"] == "kg");
    CHECK(s[2]["quantity"].get<double>() == Approx(3000));
    CHECK(s[2]["unit"] == "个");
    CHECK(s[3]["item"] == "防化服");
    CHECK(s[3]["unit"] == "套");
}

TEST_CASE("coordinates in decimal degrees and degrees-minutes-seconds", "[catalog][normalize]") {
    CHECK(*catalog::parse_coordinate("113.24") == Approx(113.24));
    CHECK(*catalog::parse_coordinate("113°14'24\"E") == Approx(113.24));
    CHECK(*catalog::parse_coordinate("113度14分24秒") == Approx(113.24));
    CHECK(*catalog::parse_coordinate("35°13.2'N") == Approx(35.22));
    CHECK(*catalog::parse_coordinate("S 35°13'12\"") == Approx(-35.22));
    CHECK_FALSE(catalog::parse_coordinate("116,40"));
    CHECK_FALSE(catalog::parse_coordinate("abc"));
    CHECK_FALSE(catalog::parse_coordinate("113°75'"));
}

TEST_CASE("units convert within a dimension only", "[catalog][units]") {
    auto q = units::parse_quantity("2,000 kg");
    REQUIRE(q);
    CHECK(q->value == Approx(2000));
    CHECK(*units::convert(q->value, *q->unit, *units::find_unit("吨")) == Approx(2));
    CHECK_FALSE(units::convert(1, *units::find_unit("kg"), *units::find_unit("m")));
    CHECK(units::find_unit("公斤")->symbol == "kg");
    CHECK(units::find_unit("ＫＧ")->symbol == "kg");
    CHECK_FALSE(units::parse_quantity("5 furlongs"));
    CHECK_FALSE(units::parse_quantity("kg"));
}

TEST_CASE("display values read as people write them", "[catalog][normalize]") {
    CHECK(catalog::display_value(field("enterprises", "risk_level"), std::string("red"), "zh") == "重大风险（红）");
    CHECK(catalog::display_value(field("enterprises", "risk_level"), std::string("red"), "en") == "Major (red)");
    CHECK(catalog::display_value(field("rescue_teams", "capabilities"), std::string(R"(["hazmat","water"])"), "zh") ==
          "危化品处置、水域救援");
    CHECK(catalog::display_value(field("enterprises", "major_hazard"), std::int64_t{1}, "zh") == "是");
    CHECK(catalog::display_value(field("enterprises", "major_hazard"), std::int64_t{1}) == "yes"); // the user's language
    CHECK(catalog::value_json(field("enterprises", "major_hazard"), std::int64_t{0}) == false);
}

} // namespace test_normalize_cases

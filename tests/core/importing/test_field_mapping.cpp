#include <vigil/importing/existing_records.hpp>
#include <vigil/importing/field_mapping.hpp>
#include <vigil/util/error.hpp>

#include "test_paths.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace vigil;

namespace test_field_mapping_cases {
std::shared_ptr<const catalog::LayerKind> kind(const char* name) {
    static catalog::Catalog c = catalog::Catalog::load_directory(test::layers_dir());
    return c.get(name);
}
int column_of(const catalog::LayerKind& k, const importing::ColumnMapping& m, const char* field) {
    return m.field_column[*k.field_index(field)];
}

TEST_CASE("Chinese and English headers find their fields", "[importing][mapping]") {
    auto teams = kind("rescue_teams");
    importing::FieldMapper mapper(*teams, {}, false);
    std::vector<std::string> cols = {"队伍编号", "队伍名称", "救援能力", "状态", "经度", "纬度", "Duty Phone", "备用字段"};
    const auto& m = mapper.update(cols);
    CHECK(column_of(*teams, m, "id") == 0);
    CHECK(column_of(*teams, m, "name") == 1);
    CHECK(column_of(*teams, m, "capabilities") == 2);
    CHECK(column_of(*teams, m, "status") == 3);
    CHECK(column_of(*teams, m, "duty_phone") == 6);
    CHECK(m.lon_column == 4);
    CHECK(m.lat_column == 5);
    CHECK(m.extra_columns == std::vector<int>{7});
    auto lines = mapper.describe(cols);
    CHECK(std::find(lines.begin(), lines.end(), "kept in 'extra' (no matching field): 备用字段") != lines.end());
}

TEST_CASE("explicit column maps (--map) beat aliases; unknown fields are refused", "[importing][mapping]") {
    auto ent = kind("enterprises");
    importing::FieldMapper mapper(*ent, {{"name", "单位全称"}, {"lon", "X坐标值"}, {"lat", "Y坐标值"}}, false);
    const auto& m = mapper.update({"编号", "名称", "单位全称", "X坐标值", "Y坐标值"});
    CHECK(column_of(*ent, m, "name") == 2);
    CHECK(column_of(*ent, m, "id") == 0);
    CHECK(m.lon_column == 3);
    CHECK(m.lat_column == 4);
    // "名称" is now unclaimed and kept.
    CHECK(m.extra_columns == std::vector<int>{1});
    CHECK_THROWS_AS(importing::FieldMapper(*ent, {{"colour", "x"}}, false), UsageError);
}

TEST_CASE("sources with their own geometry keep coordinate columns as extras", "[importing][mapping]") {
    auto wh = kind("warehouses");
    importing::FieldMapper mapper(*wh, {}, true);
    const auto& m = mapper.update({"id", "name", "lon", "lat"});
    CHECK(m.lon_column == -1);
    CHECK(m.extra_columns == std::vector<int>{2, 3});
}

TEST_CASE("a column --map gives to the id still fills the credit code it holds", "[importing][mapping]") {
    auto ent = kind("enterprises");
    importing::FieldMapper mapper(*ent, {{"id", "统一社会信用代码"}}, false);
    std::vector<std::string> cols = {"序号", "企业名称", "统一社会信用代码", "经度", "纬度"};
    const auto& m = mapper.update(cols);
    CHECK(column_of(*ent, m, "id") == 2);
    CHECK(column_of(*ent, m, "uscc") == 2);
    CHECK(column_of(*ent, m, "name") == 1);
    CHECK(m.extra_columns == std::vector<int>{0});
    CHECK_FALSE(m.from_fallback[*ent->field_index("id")]);
    // A column found by alias stays one field's: 企业名称 is the name only.
    CHECK(std::count(m.field_column.begin(), m.field_column.end(), 1) == 1);
}

TEST_CASE("an enterprise register without an id column is keyed by its credit code", "[importing][mapping]") {
    auto ent = kind("enterprises");
    importing::FieldMapper mapper(*ent, {}, false);
    std::vector<std::string> cols = {"序号", "企业名称", "统一社会信用代码", "经度", "纬度"};
    const auto& m = mapper.update(cols);
    CHECK(column_of(*ent, m, "id") == 2);
    CHECK(column_of(*ent, m, "uscc") == 2);
    CHECK(m.from_fallback[*ent->field_index("id")]);
    CHECK(m.extra_columns == std::vector<int>{0});
    auto lines = mapper.describe(cols);
    CHECK(std::find(lines.begin(), lines.end(), "id <- 统一社会信用代码 (the file has no column for id, so uscc fills it)") != lines.end());
    // With an id column of its own the fallback stays out of it.
    const auto& m2 = mapper.update({"企业编号", "企业名称", "统一社会信用代码", "经度", "纬度"});
    CHECK(column_of(*ent, m2, "id") == 0);
    CHECK_FALSE(m2.from_fallback[*ent->field_index("id")]);
    // Kinds without a fallback are unchanged: no id column is still no id column.
    auto teams = kind("rescue_teams");
    importing::FieldMapper t(*teams, {}, false);
    CHECK(column_of(*teams, t.update({"队伍名称", "经度", "纬度"}), "id") == -1);
}

TEST_CASE("ids that look like row numbers are told apart from codes", "[importing][existing]") {
    importing::RowNumberTally a;
    for (const char* id : {"1", "2", "3"}) a.add(id);
    CHECK(a.looks_like_row_numbers(3));
    CHECK_FALSE(a.looks_like_row_numbers(2)); // 3 in a file of 2 rows is no row number
    importing::RowNumberTally b;
    for (const char* id : {"101", "102"}) b.add(id);
    CHECK_FALSE(b.looks_like_row_numbers(2));
    importing::RowNumberTally c;
    for (const char* id : {"1", "T2"}) c.add(id);
    CHECK_FALSE(c.looks_like_row_numbers(2));
    importing::RowNumberTally d;
    d.add("9141082500000000"); // a long numeric code is no row number
    CHECK_FALSE(d.looks_like_row_numbers(1));
}

TEST_CASE("a refusal over another county's records says so even when the ids are codes", "[importing][existing]") {
    importing::UpdateRefusal r;
    r.count = 12;
    for (int i = 0; i < 10; ++i)
        r.first.push_back({"E" + std::to_string(i), static_cast<std::uint64_t>(i + 2), "旧厂", "新厂", "温县", "沁阳市", "温县.csv"});
    std::string m = importing::format_update_refusal("沁阳.csv", "enterprises", "企业", r);
    INFO(m);
    CHECK(m.find("import refused: 12 records of 沁阳.csv") != std::string::npos);
    CHECK(m.find("  … and 2 more") != std::string::npos);
    CHECK(m.find("look like row numbers") == std::string::npos);
    CHECK(m.find("the ids are the same, but the stored records come from another file (温县.csv) and belong to another county (温县; "
                 "the file says 沁阳市): these are probably not the same records.") != std::string::npos);
    // The same county and file: nothing suspicious, only what would change and what to do.
    for (auto& w : r.first) w.new_county = w.stored_county, w.stored_file = "沁阳.csv";
    m = importing::format_update_refusal("沁阳.csv", "enterprises", "企业", r);
    CHECK(m.find("probably") == std::string::npos);
    CHECK(m.find("--update") != std::string::npos);
}

} // namespace test_field_mapping_cases

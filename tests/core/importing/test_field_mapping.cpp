#include <vigil/importing/field_mapping.hpp>
#include <vigil/util/error.hpp>

#include "test_paths.hpp"

#include <catch2/catch.hpp>

using namespace vigil;

namespace {
std::shared_ptr<const catalog::LayerKind> kind(const char* name) {
    static catalog::Catalog c = catalog::Catalog::load_directory(test::layers_dir());
    return c.get(name);
}
int column_of(const catalog::LayerKind& k, const importing::ColumnMapping& m, const char* field) {
    return m.field_column[*k.field_index(field)];
}
} // namespace

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

#include <vigil/geo/chinese_datums.hpp>
#include <vigil/geo/geodesic.hpp>
#include <vigil/importing/pipeline.hpp>
#include <vigil/util/text.hpp>

#include "memory_source.hpp"
#include "test_paths.hpp"

#include <catch2/catch.hpp>

using namespace vigil;
using importing::ImportOptions;
using importing::ImportPipeline;
using test::MemorySink;
using test::MemorySource;

namespace test_pipeline_cases {

std::shared_ptr<const catalog::LayerKind> kind(const char* name) {
    static catalog::Catalog c = catalog::Catalog::load_directory(test::layers_dir());
    return c.get(name);
}

const importing::CoordinateTransform& wgs84() {
    static auto t = importing::make_core_transform("wgs84");
    return *t;
}

const std::vector<std::string> k_team_columns = {"队伍编号", "队伍名称", "救援能力", "状态", "经度", "纬度"};

bool has_problem(const importing::ImportSummary& s, std::uint64_t row, const std::string& field, const std::string& fragment) {
    for (const auto& p : s.problems)
        if (p.row == row && p.field == field && p.reason.find(fragment) != std::string::npos) return true;
    return false;
}


TEST_CASE("valid rows become records in WGS84 with canonical values", "[importing][pipeline]") {
    MemorySource src(k_team_columns, {{"RT1", "温县应急救援队", "危化品、水域", "待命", "113.08", "34.94"},
                                      {"RT2", "温县蓝天应急救援队", "水域", "休整", "113.07", "34.93"}});
    MemorySink sink;
    auto s = ImportPipeline(*kind("rescue_teams"), wgs84(), {}).run(src, sink);
    CHECK_FALSE(s.refused);
    CHECK(s.rows_read == 2);
    CHECK(s.rows_written == 2);
    REQUIRE(sink.records.size() == 2);
    const auto& k = *kind("rescue_teams");
    CHECK(sink.records[0].values[*k.field_index("capabilities")] == model::Value{std::string(R"(["hazmat","water"])")});
    CHECK(sink.records[1].values[*k.field_index("status")] == model::Value{std::string("resting")});
    CHECK(sink.records[0].geometry.coords[0] == geo::Coord{113.08, 34.94});
    // status has a default in the catalogue; members is simply absent.
    CHECK(model::is_null(sink.records[0].values[*k.field_index("members")]));
}

TEST_CASE("every problem is listed with row, id, field and value; nothing is written after the first", "[importing][pipeline]") {
    MemorySource src(k_team_columns, {
                                         {"RT1", "好队", "危化品", "待命", "113.08", "34.94"}, // line 2: fine
                                         {"RT2", "", "危化品", "待命", "113.08", "34.94"},     // 3: name missing
                                         {"RT3", "队3", "飞行", "待命", "113.08", "34.94"},    // 4: unknown capability
                                         {"RT4", "队4", "危化品", "忙碌", "113.08", "34.94"},  // 5: unknown status
                                         {"RT5", "队5", "危化品", "待命", "34.94", "113.08"},  // 6: swapped
                                         {"RT6", "队6", "危化品", "待命", "2.35", "48.85"},    // 7: Paris
                                         {"RT1", "队7", "危化品", "待命", "113.1", "34.9"},    // 8: duplicate id
                                         {"RT8", "队8", "危化品", "待命", "116,40", "39.9"},   // 9: decimal comma
                                         {"RT9", "队9", "危化品", "待命", "", "34.9"},         // 10: no longitude
                                         {"RT10", "队10", "危化品", "待命", "0", "0"},         // 11: null island
                                     });
    MemorySink sink;
    auto s = ImportPipeline(*kind("rescue_teams"), wgs84(), {}).run(src, sink);
    CHECK(s.refused);
    CHECK(s.rows_written == 0);
    CHECK(sink.records.size() <= 1); // the first valid row may have been handed over before problems appeared
    CHECK(s.rows_rejected == 9);
    CHECK(has_problem(s, 3, "name", "required"));
    CHECK(has_problem(s, 4, "capabilities", "'飞行'"));
    CHECK(has_problem(s, 5, "status", "'忙碌' is not one of"));
    CHECK(has_problem(s, 6, "geometry", "swapped"));
    CHECK(has_problem(s, 7, "geometry", "outside China"));
    CHECK(has_problem(s, 8, "id", "duplicate id: row 2"));
    CHECK(has_problem(s, 9, "longitude", "decimal comma"));
    CHECK(has_problem(s, 10, "longitude", "missing"));
    CHECK(has_problem(s, 11, "geometry", "(0, 0)"));
    for (const auto& p : s.problems)
        if (p.row == 5) CHECK(p.record_id == "RT4");
    // Sorted by row for the report.
    CHECK(std::is_sorted(s.problems.begin(), s.problems.end(), [](const auto& a, const auto& b) { return a.row < b.row; }));
}

TEST_CASE("skipping invalid rows imports the valid ones and hands back the rejected ones", "[importing][pipeline]") {
    MemorySource src(k_team_columns, {{"RT1", "好队", "危化品", "待命", "113.08", "34.94"},
                                      {"RT2", "坏队", "危化品", "忙碌", "113.08", "34.94"},
                                      {"RT3", "好队3", "水域", "待命", "113.09", "34.95"}});
    MemorySink sink;
    ImportOptions o;
    o.skip_invalid = true;
    std::vector<std::uint64_t> rejected_rows;
    auto s = ImportPipeline(*kind("rescue_teams"), wgs84(), o)
                 .run(src, sink, {},
                      [&](const std::vector<std::string>& cols, const importing::RawRecord& raw, const std::vector<importing::Problem>& p) {
                          CHECK(cols.size() == 6);
                          CHECK(raw.values[1].text == "坏队");
                          CHECK(p.size() == 1);
                          rejected_rows.push_back(raw.row);
                      });
    CHECK_FALSE(s.refused);
    CHECK(s.rows_written == 2);
    CHECK(sink.records.size() == 2);
    CHECK(rejected_rows == std::vector<std::uint64_t>{3});
}

TEST_CASE("file-level problems are reported once", "[importing][pipeline]") {
    MemorySource src({"队伍编号", "状态", "地点"}, {{"RT1", "待命", "温县"}, {"RT2", "待命", "孟州"}});
    MemorySink sink;
    auto s = ImportPipeline(*kind("rescue_teams"), wgs84(), {}).run(src, sink);
    CHECK(s.refused);
    CHECK(has_problem(s, 0, "geometry", "no coordinate columns"));
    CHECK(has_problem(s, 0, "name", "no column for required field name"));
    CHECK(s.problem_count == 2); // not one per row
}

TEST_CASE("GCJ-02 input is stored as WGS84", "[importing][pipeline]") {
    geo::Coord wgs{113.24, 35.22};
    geo::Coord gcj = geo::wgs84_to_gcj02(wgs);
    MemorySource src(k_team_columns, {{"RT1", "队", "危化品", "待命", text::format_double(gcj.x), text::format_double(gcj.y)}});
    MemorySink sink;
    auto t = importing::make_core_transform("gcj02");
    auto s = ImportPipeline(*kind("rescue_teams"), *t, {}).run(src, sink);
    REQUIRE(sink.records.size() == 1);
    CHECK(geo::geodesic_distance_m(sink.records[0].geometry.coords[0], wgs) < 0.01);
    CHECK(t->name() == "GCJ-02");
}

TEST_CASE("WKT geometry columns and unknown columns kept as extra", "[importing][pipeline]") {
    MemorySource src(
        {"编号", "道路名称", "道路等级", "WKT", "养护单位"},
        {{"R1", "G207", "国道", "LINESTRING (113.0 34.9, 113.1 35.0)", "温县公路局"}, {"R2", "S104", "省道", "POINT (113 35)", ""}});
    MemorySink sink;
    ImportOptions o;
    o.skip_invalid = true;
    auto s = ImportPipeline(*kind("roads"), wgs84(), o).run(src, sink);
    CHECK(has_problem(s, 3, "geometry", "a line layer needs a line"));
    REQUIRE(sink.records.size() == 1);
    CHECK(sink.records[0].geometry.type == geo::GeometryType::MultiLineString);
    CHECK(sink.records[0].extra_json == R"({"养护单位":"温县公路局"})");
}

TEST_CASE("a property nested 100,000 deep is refused for its row, never a stack overflow", "[importing][pipeline]") {
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    const std::string fine = R"({"a":[1,{"b":"[[[[ not nesting ]]]"}]})";
    MemorySource src({"编号", "道路名称", "道路等级", "WKT", "附件"},
                     {{"R1", "G207", "国道", "LINESTRING (113.0 34.9, 113.1 35.0)", deep},
                      {"R2", "S104", "省道", "LINESTRING (113.0 34.9, 113.1 35.0)", fine}},
                     {4});
    MemorySink sink;
    ImportOptions o;
    o.skip_invalid = true;
    auto s = ImportPipeline(*kind("roads"), wgs84(), o).run(src, sink);
    CHECK(has_problem(s, 2, "附件", "nested more than 64 levels deep"));
    REQUIRE(sink.records.size() == 1);
    CHECK(sink.records[0].extra_json == R"({"附件":{"a":[1,{"b":"[[[[ not nesting ]]]"}]}})");
}

} // namespace test_pipeline_cases

// The emergency-resource census registers (应急管理资源普查) as a clerk sends them: one CSV with
// Chinese headers per kind — experts, equipment, plans, shelters, medical facilities — imported
// through the ordinary path into the catalogue's new kinds (values matched by label or synonym,
// stored canonical), a bad row refusing the file with its file, row and field named, and the
// equipment and plans without coordinates placed at the record they name, saying so.

#include <vigil/gdal/importer.hpp>
#include <vigil/store/project_reader.hpp>

#include "test_paths.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <string>

using namespace vigil;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace test_import_census_cases {

void write(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

gdal::ImportResult import(const fs::path& db, const fs::path& file, const std::string& layer) {
    gdal::ImportRequest r;
    r.database = db;
    r.file = file;
    r.layer = layer;
    r.crs = "EPSG:4326";
    return gdal::import_file(r, test::real_catalog());
}

/// Imports a good file (it must commit) and returns the layer as stored.
std::shared_ptr<const model::Layer> committed(const fs::path& db, const fs::path& file, const std::string& layer, std::size_t rows) {
    const auto r = import(db, file, layer);
    INFO(file.filename().string() << ": " << (r.summary.problems.empty() ? "" : r.summary.problems.front().reason));
    REQUIRE_FALSE(r.summary.refused);
    CHECK(r.inserted == rows);
    return store::Project::open(db).load_layer(r.layer);
}

/// Imports a file with one bad row: refused, nothing stored, the problem names the file, the
/// row (the CSV's line) and the field.
void refused(const fs::path& db, const fs::path& file, const std::string& layer, std::uint64_t row, const std::string& field,
             const std::string& reason_part) {
    const auto r = import(db, file, layer);
    REQUIRE(r.summary.refused);
    CHECK(r.inserted == 0);
    REQUIRE(r.summary.problems.size() == 1);
    const auto& p = r.summary.problems.front();
    CHECK(p.row == row);
    CHECK(p.field == field);
    const auto kind = test::real_catalog().get(layer);
    const std::string line = importing::format_problem(file.filename().string(), *kind, p);
    INFO(line);
    CHECK_THAT(line, Contains(file.filename().string() + ":" + std::to_string(row)) && Contains(field) && Contains(reason_part));
}

std::size_t row_of(const model::Layer& l, const std::string& id) {
    const auto r = l.find(id);
    REQUIRE(r);
    return *r;
}


TEST_CASE("census: experts by field of expertise, availability by its words", "[gdal][census][import]") {
    const auto dir = test::scratch_dir("census-experts");
    const auto db = dir / "p.sqlite";
    write(dir / "专家库.csv", "专家编号,姓名,专业领域,职称,专家级别,工作单位,联系电话,状态,所属县区,经度,纬度\n"
                              "ZJ1,王建国,危化品、消防,高级工程师,市级,焦作市应急管理局,13803910001,可联系,解放区,113.22,35.24\n"
                              "ZJ2,李敏,医疗,主任医师,省,焦作市人民医院,0391-3511234,出差,解放区,113.23,35.245\n");
    const auto l = committed(db, dir / "专家库.csv", "应急专家", 2);
    CHECK(l->kind().kind == "experts");
    const auto zj1 = row_of(*l, "ZJ1"), zj2 = row_of(*l, "ZJ2");
    CHECK(l->text(zj1, "expertise") == R"(["hazmat","fire"])");
    CHECK(l->text(zj1, "availability") == "available");
    CHECK(l->text(zj2, "expert_level") == "provincial");
    CHECK(l->text(zj2, "availability") == "unavailable");
    CHECK(l->text(zj2, "employer") == "焦作市人民医院");

    write(dir / "bad.csv", "专家编号,姓名,专业领域,联系电话,经度,纬度\n"
                           "ZJ3,赵磊,水利,13803910003,113.22,35.24\n"
                           "ZJ4,钱芳,航天,13803910004,113.22,35.24\n");
    refused(db, dir / "bad.csv", "experts", 3, "expertise", "航天");
}

TEST_CASE("census: shelters with capacity, area and facilities", "[gdal][census][import]") {
    const auto dir = test::scratch_dir("census-shelters");
    const auto db = dir / "p.sqlite";
    write(dir / "避难场所.csv",
          "场所编号,场所名称,场所类别,场地类型,可容纳人数,有效面积,配套设施,管理单位,联系电话,经度,纬度\n"
          "BN1,温县人民公园应急避难场所,Ⅱ类,公园,20000人,4公顷,供水、供电、医疗、厕所,温县城市管理局,0391-6123456,"
          "113.07,34.94\n"
          "BN2,温县第一中学应急避难场所,三类,学校,6000,9000,\"供水,厕所,物资\",温县教育局,0391-6123457,113.08,34.945\n");
    const auto l = committed(db, dir / "避难场所.csv", "避难场所", 2);
    CHECK(l->kind().kind == "shelters");
    const auto bn1 = row_of(*l, "BN1"), bn2 = row_of(*l, "BN2");
    CHECK(l->text(bn1, "shelter_class") == "class2");
    CHECK(l->text(bn1, "site_type") == "park");
    CHECK(l->text(bn1, "capacity") == "20000");
    CHECK(l->text(bn1, "area_m2") == "40000"); // 4 公顷 in m²
    CHECK(l->text(bn1, "facilities") == R"(["water","power","medical","toilet"])");
    CHECK(l->text(bn2, "shelter_class") == "class3");
    CHECK(l->text(bn2, "facilities") == R"(["water","toilet","supplies"])");

    write(dir / "bad.csv", "场所编号,场所名称,可容纳人数,经度,纬度\n"
                           "BN3,广场,-5,113.07,34.94\n");
    refused(db, dir / "bad.csv", "shelters", 2, "capacity", "-5");
}

TEST_CASE("census: medical facilities with grade, beds and burns / poisoning treatment", "[gdal][census][import]") {
    const auto dir = test::scratch_dir("census-medical");
    const auto db = dir / "p.sqlite";
    write(dir / "医院.csv", "机构编号,机构名称,机构类型,医院等级,床位数,重症监护床位,救治能力,急诊电话,经度,纬度\n"
                            "YY1,焦作市人民医院,综合医院,三甲,1800,60,急诊、烧伤科、中毒,0391-2921120,113.22,35.24\n"
                            "YY2,温县人民医院,综合,二级甲等,700,12,急诊、创伤,0391-6120120,113.07,34.94\n");
    const auto l = committed(db, dir / "医院.csv", "医院", 2);
    CHECK(l->kind().kind == "medical_facilities");
    const auto yy1 = row_of(*l, "YY1"), yy2 = row_of(*l, "YY2");
    CHECK(l->text(yy1, "grade") == "tertiary_a");
    CHECK(l->text(yy1, "capabilities") == R"(["burns","poisoning","emergency"])");
    CHECK(l->text(yy1, "icu_beds") == "60");
    CHECK(l->text(yy2, "grade") == "secondary_a");
    CHECK(l->text(yy2, "facility_type") == "general");

    write(dir / "bad.csv", "机构编号,机构名称,救治能力,经度,纬度\n"
                           "YY3,某卫生院,急诊,113.07,34.94\n"
                           "YY4,某医院,航空救援,113.07,34.94\n");
    refused(db, dir / "bad.csv", "medical_facilities", 3, "capabilities", "航空救援");
}

TEST_CASE("census: plans; an enterprise's plan without coordinates is placed at the enterprise", "[gdal][census][import]") {
    const auto dir = test::scratch_dir("census-plans");
    const auto db = dir / "p.sqlite";
    write(dir / "企业.csv", "企业编号,企业名称,行业类别,经度,纬度\n"
                            "QY1,温县化工有限公司,危化品生产,113.0813,34.9402\n");
    committed(db, dir / "企业.csv", "enterprises", 1);
    write(dir / "预案.csv",
          "预案编号,预案名称,预案级别,预案类型,适用事件,编制单位,编制企业编号,备案日期,修订日期,最近演练日期,文本链接,经度,纬度\n"
          "YA1,温县突发事件总体应急预案,县级,总体预案,各类突发事件,温县人民政府,,2024年3月1日,2024/2/1,2026.5.20,"
          "预案库/2024/温县总体.pdf,113.07,34.94\n"
          "YA2,温县化工有限公司生产安全事故综合应急预案,企业,综合应急预案,危化品、安全生产,温县化工有限公司,QY1,"
          "2025-04-01,2025-03-15,2026-06-01,,,\n");
    const auto r = import(db, dir / "预案.csv", "预案");
    REQUIRE_FALSE(r.summary.refused);
    CHECK(r.summary.located_by_reference == 1);
    bool said = false;
    for (const auto& n : r.summary.notes) said = said || (n.find("位置取自") != std::string::npos && n.find("YA2") != std::string::npos);
    CHECK(said);
    const auto project = store::Project::open(db);
    const auto l = project.load_layer("plans");
    const auto ya1 = row_of(*l, "YA1"), ya2 = row_of(*l, "YA2");
    CHECK(l->text(ya1, "plan_level") == "county");
    CHECK(l->text(ya1, "plan_type") == "overall");
    CHECK(l->text(ya1, "filed") == "2024-03-01");
    CHECK(l->text(ya1, "revised") == "2024-02-01");
    CHECK(l->text(ya1, "location_from_owner") == "0");
    CHECK(l->text(ya2, "plan_type") == "overall");
    CHECK(l->text(ya2, "events") == R"(["hazmat","production_safety"])");
    CHECK(l->text(ya2, "location_from_owner") == "1");
    const auto ent = project.load_layer("enterprises");
    CHECK(l->geometry(ya2).coords.at(0) == ent->geometry(0).coords.at(0));

    write(dir / "bad.csv", "预案编号,预案名称,修订日期,经度,纬度\n"
                           "YA3,某预案,2025-13-40,113.07,34.94\n");
    refused(db, dir / "bad.csv", "plans", 2, "revised", "2025-13-40");
}

TEST_CASE("census: equipment held by teams and warehouses; without coordinates it stands at its holder, and says so",
          "[gdal][census][import]") {
    const auto dir = test::scratch_dir("census-equipment");
    const auto db = dir / "p.sqlite";
    write(dir / "队伍.csv", "队伍编号,队伍名称,救援能力,经度,纬度\n"
                            "T1,温县消防救援站,危化品、灭火,113.071,34.942\n");
    write(dir / "仓库.csv", "仓库编号,仓库名称,库存物资,经度,纬度\n"
                            "W1,温县应急物资储备库,中和剂 5t,113.075,34.935\n");
    committed(db, dir / "队伍.csv", "rescue_teams", 1);
    committed(db, dir / "仓库.csv", "warehouses", 1);
    write(dir / "装备.csv", "装备编号,装备名称,装备类型,规格型号,数量,计量单位,状态,所属单位编号,所属单位,经度,纬度\n"
                            "ZB1,重型防化服,防化服,FHF-2,6套,套,完好,T1,温县消防救援站,,\n"
                            "ZB2,堵漏工具组,堵漏工具,DL-3,2,套,待修,T1,温县消防救援站,,\n"
                            "ZB3,单人洗消装置,洗消,XX-1,3,套,,W1,温县应急物资储备库,,\n"
                            "ZB4,大流量排水泵,水泵,PS-80,4,台,完好,W1,温县应急物资储备库,113.0751,34.9351\n");
    const auto r = import(db, dir / "装备.csv", "装备");
    INFO((r.summary.problems.empty() ? "" : r.summary.problems.front().reason));
    REQUIRE_FALSE(r.summary.refused);
    CHECK(r.summary.located_by_reference == 3);
    bool said = false;
    for (const auto& n : r.summary.notes)
        said = said || (n.find("3 record(s) had no coordinates") != std::string::npos &&
                        n.find("ZB1 at T1 (rescue_teams)") != std::string::npos && n.find("location_from_holder") != std::string::npos);
    CHECK(said);
    const auto project = store::Project::open(db);
    const auto l = project.load_layer("equipment");
    const auto teams = project.load_layer("rescue_teams");
    const auto depots = project.load_layer("warehouses");
    const auto zb1 = row_of(*l, "ZB1"), zb2 = row_of(*l, "ZB2"), zb3 = row_of(*l, "ZB3"), zb4 = row_of(*l, "ZB4");
    CHECK(l->text(zb1, "equipment_type") == "chemical_suit");
    CHECK(l->text(zb1, "quantity") == "6");
    CHECK(l->text(zb1, "status") == "in_service");
    CHECK(l->text(zb2, "equipment_type") == "leak_sealing");
    CHECK(l->text(zb2, "status") == "under_repair");
    CHECK(l->text(zb3, "status").empty()); // unknown: dispatch will not count it
    CHECK(l->geometry(zb1).coords.at(0) == teams->geometry(0).coords.at(0));
    CHECK(l->geometry(zb3).coords.at(0) == depots->geometry(0).coords.at(0));
    for (auto row : {zb1, zb2, zb3}) CHECK(l->text(row, "location_from_holder") == "1");
    CHECK(l->text(zb4, "location_from_holder") == "0"); // its own coordinates, kept
    CHECK(l->geometry(zb4).coords.at(0).x == Approx(113.0751));

    // A holder the project does not have: the row is refused, naming the id — never placed anywhere.
    write(dir / "bad.csv", "装备编号,装备名称,装备类型,数量,状态,所属单位编号,经度,纬度\n"
                           "ZB5,冲锋舟,救生艇,2,完好,T1,,\n"
                           "ZB6,发电机,发电机,1,完好,NOPE,,\n");
    refused(db, dir / "bad.csv", "equipment", 3, "held_by", "NOPE");
    // No holder either: the coordinates are missing, and the problem says there was nothing to take them from.
    write(dir / "bad2.csv", "装备编号,装备名称,装备类型,数量,状态,所属单位编号,经度,纬度\n"
                            "ZB7,发电机,发电机,1,完好,,,\n");
    refused(db, dir / "bad2.csv", "equipment", 2, "geometry", "held_by");
    // One coordinate alone is a mistake in the row, not a missing location.
    write(dir / "bad3.csv", "装备编号,装备名称,装备类型,数量,状态,所属单位编号,经度,纬度\n"
                            "ZB8,发电机,发电机,1,完好,T1,113.07,\n");
    refused(db, dir / "bad3.csv", "equipment", 2, "latitude", "missing");
    // An unknown type.
    write(dir / "bad4.csv", "装备编号,装备名称,装备类型,数量,状态,所属单位编号\n"
                            "ZB9,飞船,宇宙飞船,1,完好,T1\n");
    refused(db, dir / "bad4.csv", "equipment", 2, "equipment_type", "宇宙飞船");
}

} // namespace test_import_census_cases

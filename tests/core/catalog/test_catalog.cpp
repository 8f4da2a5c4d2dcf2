#include <vigil/catalog/catalog.hpp>
#include <vigil/util/error.hpp>

#include "test_paths.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace vigil;
using catalog::Catalog;
using catalog::FieldRole;
using catalog::FieldType;

namespace test_catalog_cases {

void write(const std::filesystem::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

const char* k_minimal = R"({
  "format": "vigil-layer/1", "kind": "things", "title": {"zh": "东西", "en": "Things"}, "geometry": "point",
  "fields": [ {"name": "id", "role": "id", "type": "text", "required": true, "label": "ID"} ] })";


TEST_CASE("the real catalogue reads, with the kinds the bureau needs", "[catalog]") {
    Catalog c = Catalog::load_directory(test::layers_dir());
    for (const char* kind : {"enterprises", "hazard_sources", "rescue_teams", "warehouses", "admin_areas", "roads"}) {
        INFO(kind);
        auto k = c.find(kind);
        REQUIRE(k);
        CHECK(k->field_with_role(FieldRole::Id));
        CHECK(k->field_with_role(FieldRole::Name));
        CHECK_FALSE(k->definition.empty());
    }
    // Chinese and English names of kinds resolve too.
    CHECK(c.find("企业")->kind == "enterprises");
    CHECK(c.find("救援队伍")->kind == "rescue_teams");
    CHECK(c.find("Rescue teams")->kind == "rescue_teams");
    CHECK_THROWS_AS(c.get("no_such_layer"), UsageError);

    auto teams = c.get("rescue_teams");
    const auto* caps = teams->field_with_role(FieldRole::Capabilities);
    REQUIRE(caps);
    CHECK(caps->type == FieldType::Set);
    CHECK(caps->find_value("危化品")->value == "hazmat");
    CHECK(caps->find_value("HAZMAT")->value == "hazmat");
    auto ent = c.get("enterprises");
    const auto* risk = ent->field("risk_level");
    REQUIRE(risk);
    CHECK(risk->find_value("红")->value == "red");
    CHECK(risk->find_value("重大风险")->value == "red");
    CHECK(risk->find_value("Orange")->value == "orange");
    CHECK(risk->find_value("紫") == nullptr);
    // Enterprises carry what the issue lists.
    for (const char* f : {"name", "uscc", "industry", "county", "address", "risk_level", "supervision_tier", "dual_prevention",
                          "standardisation_grade", "major_hazard", "employees", "contact", "phone", "open_hazards", "last_inspection"})
        CHECK(ent->field(f));
    auto hs = c.get("hazard_sources");
    const auto* inv = hs->field("inventory");
    REQUIRE(inv);
    CHECK(inv->type == FieldType::List);
    for (const char* f : {"substance", "cas", "un_number", "quantity_t"}) CHECK(inv->item_field(f));
    auto wh = c.get("warehouses");
    const auto* stock = wh->field("stock");
    REQUIRE(stock);
    for (const char* f : {"item", "quantity", "unit"}) CHECK(stock->item_field(f));
}

TEST_CASE("a new layer kind is only a new catalogue file", "[catalog]") {
    auto dir = test::scratch_dir("catalog-new-kind");
    for (const auto& e : std::filesystem::directory_iterator(test::layers_dir()))
        if (e.path().extension() == ".json") std::filesystem::copy_file(e.path(), dir / e.path().filename());
    std::size_t before = Catalog::load_directory(dir).kinds().size();
    std::filesystem::copy_file(test::data_dir() / "catalog" / "fire_hydrants.json", dir / "fire_hydrants.json");
    Catalog c = Catalog::load_directory(dir);
    CHECK(c.kinds().size() == before + 1);
    auto hydrants = c.get("消防水源");
    CHECK(hydrants->kind == "fire_hydrants");
    CHECK(hydrants->field("volume_m3")->type == FieldType::Real);
    CHECK(hydrants->field("source_type")->find_value("消火栓")->value == "hydrant");
    CHECK(hydrants->symbology.marker == "circle");
}

TEST_CASE("the census kinds: experts, equipment, plans, shelters, medical facilities", "[catalog][census]") {
    Catalog c = Catalog::load_directory(test::layers_dir());
    // Each by its Chinese name, with an id, a name, a county and the synthetic mark of the demo.
    const std::pair<const char*, const char*> kinds[] = {{"应急专家", "experts"},
                                                         {"应急装备", "equipment"},
                                                         {"应急预案", "plans"},
                                                         {"避难场所", "shelters"},
                                                         {"医院", "medical_facilities"}};
    for (const auto& [zh, kind] : kinds) {
        INFO(kind);
        auto k = c.find(zh);
        REQUIRE(k);
        CHECK(k->kind == kind);
        CHECK(k->geometry == catalog::GeometryKind::Point);
        CHECK(k->field_with_role(FieldRole::Id));
        CHECK(k->field_with_role(FieldRole::Name));
        CHECK(k->field_with_role(FieldRole::County));
        CHECK(k->field("synthetic"));
        CHECK_FALSE(k->title.en.empty());
        CHECK(k->refresh_days);
    }
    // Experts are found by field (`--need`) and availability (`--status`).
    auto experts = c.get("experts");
    CHECK(experts->field_with_role(FieldRole::Capabilities)->name == "expertise");
    for (const char* f : {"危化品", "消防", "矿山", "医疗", "地质", "气象", "水利", "电力", "建筑结构"})
        CHECK(experts->field("expertise")->find_value(f));
    CHECK(experts->field_with_role(FieldRole::Status)->name == "availability");
    CHECK(experts->field("phone")->check == "phone_cn");
    // Equipment: its types, a status that says what counts, held by a team or a warehouse, whose
    // location a register without coordinates takes.
    auto eq = c.get("equipment");
    const auto* type = eq->field("equipment_type");
    for (const char* t : {"防化服", "堵漏器材", "洗消装置", "空气呼吸器", "气体检测仪", "排水泵", "发电机", "照明", "破拆工具", "救生艇"})
        CHECK(type->find_value(t));
    CHECK(type->find_value("正压式空气呼吸器")->value == "scba");
    CHECK(eq->field_with_role(FieldRole::Status)->find_value("完好")->value == "in_service");
    CHECK(eq->field("status")->expected);
    const auto* held = eq->field("held_by");
    CHECK(held->references == "rescue_teams");
    CHECK(held->reference_kinds == std::vector<std::string>{"rescue_teams", "warehouses"});
    REQUIRE(held->location_fallback);
    CHECK(held->location_fallback->mark == "location_from_holder");
    // Plans: level, type, revised every three years (vigil check's past_revision), placed at the owner.
    auto plans = c.get("plans");
    CHECK(plans->field("plan_level")->find_value("乡镇")->value == "township");
    CHECK(plans->field("plan_type")->find_value("现场处置方案")->value == "on_site");
    CHECK(plans->field("revised")->renew_years == 3);
    for (const char* f : {"filed", "last_drill", "document", "owner"}) CHECK(plans->field(f));
    CHECK(plans->field("owner_id")->location_fallback);
    // Shelters: capacity in persons, area, facilities.
    auto shelters = c.get("shelters");
    CHECK(shelters->field("capacity")->unit == "person");
    CHECK(shelters->field("area_m2")->unit == "m2");
    for (const char* f : {"供水", "供电", "医疗", "厕所", "物资"}) CHECK(shelters->field("facilities")->find_value(f));
    // Hospitals by what they treat: burns and poisoning for a chemical accident.
    auto med = c.get("medical_facilities");
    const auto* caps = med->field_with_role(FieldRole::Capabilities);
    CHECK(caps->find_value("烧伤")->value == "burns");
    CHECK(caps->find_value("中毒救治")->value == "poisoning");
    CHECK(med->field("grade")->find_value("三甲")->value == "tertiary_a");
    for (const char* f : {"beds", "icu_beds", "phone"}) CHECK(med->field(f));
}

TEST_CASE("a reference to several kinds, and a location taken from the record referenced", "[catalog][census]") {
    auto kind = [](const std::string& fields, const std::string& geometry = "point") {
        return R"({"format": "vigil-layer/1", "kind": "t", "title": "T", "geometry": ")" + geometry + R"(", "fields": [
            {"name": "id", "role": "id", "type": "text", "required": true, "label": "ID"}, )" +
               fields + "]}";
    };
    const auto k = catalog::parse_layer_kind(kind(R"({"name": "by", "type": "text", "label": "By", "references": ["a", "b"],
                                                     "location_fallback": {"mark": "placed"}},
                                                    {"name": "placed", "type": "bool", "label": "P"})"),
                                             "ok.json");
    CHECK(k.field("by")->reference_kinds == std::vector<std::string>{"a", "b"});
    CHECK(k.field("by")->references == "a");
    CHECK(catalog::parse_layer_kind(kind(R"({"name": "by", "type": "text", "label": "By", "references": "a", "location_fallback": true})"),
                                    "ok.json")
              .field("by")
              ->location_fallback);
    auto expect_error = [](const std::string& json, const std::string& fragment) {
        INFO(json);
        CHECK_THROWS_WITH(catalog::parse_layer_kind(json, "bad.json"), Catch::Contains("bad.json") && Catch::Contains(fragment));
    };
    expect_error(kind(R"({"name": "by", "type": "text", "label": "By", "location_fallback": true})"), "only a field with 'references'");
    expect_error(kind(R"({"name": "by", "type": "text", "label": "By", "references": ["a"], "location_fallback": {"mark": "nope"}})"),
                 "'nope' names no bool field");
    expect_error(kind(R"({"name": "by", "type": "text", "label": "By", "references": ["a"], "location_fallback": true})", "polygon"),
                 "only records of a point layer");
    expect_error(kind(R"({"name": "by", "type": "text", "label": "By", "references": [1]})"), "references");
    expect_error(kind(R"({"name": "by", "type": "text", "label": "By", "references": []})"), "at least one kind");
    expect_error(kind(R"({"name": "by", "type": "integer", "label": "By", "references": "a"})"), "only a text field");
    expect_error(kind(R"({"name": "by", "type": "text", "label": "By", "references": "a", "location_fallback": false})"), "leave it out");
}

TEST_CASE("catalogue mistakes are named with file and JSON path", "[catalog]") {
    auto dir = test::scratch_dir("catalog-bad");
    auto expect_error = [&](const std::string& json, const std::string& fragment) {
        INFO(json);
        try {
            catalog::parse_layer_kind(json, "bad.json");
            FAIL("no error");
        } catch (const SchemaError& e) {
            INFO(e.what());
            CHECK(std::string(e.what()).find("bad.json") != std::string::npos);
            CHECK(std::string(e.what()).find(fragment) != std::string::npos);
        }
    };
    CHECK_NOTHROW(catalog::parse_layer_kind(k_minimal, "ok.json"));
    std::string m = k_minimal;
    expect_error("{", "not valid JSON");
    expect_error(std::string(m).replace(m.find("vigil-layer/1"), 13, "vigil-layer/9"), "format");
    expect_error(std::string(m).replace(m.find("\"point\""), 7, "\"blob\""), "geometry");
    expect_error(std::string(m).replace(m.find("\"role\": \"id\", "), 14, ""), "role");
    expect_error(std::string(m).replace(m.find("\"type\": \"text\""), 14, "\"type\": \"txt\""), "fields[0].type");
    expect_error(std::string(m).replace(m.find("\"label\": \"ID\""), 13, "\"label\": \"ID\", \"colour\": 1"), "unknown key 'colour'");
    expect_error(R"({"format": "vigil-layer/1", "kind": "t", "title": "T", "geometry": "point", "fields": [
        {"name": "id", "role": "id", "type": "text", "required": true, "label": "ID"},
        {"name": "c", "type": "enum", "label": "C", "values": [{"value": "a", "label": "A", "synonyms": ["x"]},
                                                              {"value": "b", "label": "B", "synonyms": ["X"]}]}]})",
                 "also names another value");
    expect_error(R"({"format": "vigil-layer/1", "kind": "t", "title": "T", "geometry": "point", "fields": [
        {"name": "id", "role": "id", "type": "text", "required": true, "label": "ID"},
        {"name": "geom", "type": "text", "label": "G"}]})",
                 "reserved");
    expect_error(R"({"format": "vigil-layer/1", "kind": "t", "title": "T", "geometry": "point", "fields": [
        {"name": "id", "role": "id", "type": "text", "required": true, "label": "ID"}],
        "symbology": {"color_by": {"field": "nope", "colors": {}}}})",
                 "field 'nope' does not exist");
    expect_error(R"({"format": "vigil-layer/1", "kind": "t", "title": "T", "geometry": "point", "fields": [
        {"name": "id", "role": "id", "type": "text", "required": true, "label": "ID"},
        {"name": "c", "type": "enum", "label": "C", "values": [{"value": "a", "label": "A"}]}],
        "symbology": {"size_by": {"field": "c", "sizes": {"b": 9}}}})",
                 "symbology.size_by.sizes: 'b' is not a value of field 'c'");
    expect_error(R"({"format": "vigil-layer/1", "kind": "t", "title": "T", "geometry": "point", "fields": [
        {"name": "id", "role": "id", "type": "text", "required": true, "label": "ID"}],
        "symbology": {"size_by": {"field": "id", "sizes": {"a": -1}}}})",
                 "must be a positive number");
    expect_error(R"({"format": "vigil-layer/1", "kind": "t", "title": "T", "geometry": "point", "fields": [
        {"name": "id", "role": "id", "type": "text", "required": true, "label": "ID"},
        {"name": "q", "type": "real", "unit": "furlong", "label": "Q"}]})",
                 "unknown unit");
    expect_error(R"({"format": "vigil-layer/1", "kind": "t", "title": "T", "geometry": "point", "fields": [
        {"name": "id", "role": "id", "type": "text", "required": true, "label": "ID", "fallback_field": "code"}]})",
                 "fields[0].fallback_field: names no field of this kind: 'code'");
    expect_error(R"({"format": "vigil-layer/1", "kind": "t", "title": "T", "geometry": "point", "fields": [
        {"name": "id", "role": "id", "type": "text", "required": true, "label": "ID", "fallback_field": "n"},
        {"name": "n", "type": "integer", "label": "N"}]})",
                 "both fields must be text");

    write(dir / "a.json", k_minimal);
    write(dir / "b.json", k_minimal);
    CHECK_THROWS_WITH(Catalog::load_directory(dir), Catch::Contains("already defined"));
    CHECK_THROWS_AS(Catalog::load_directory(dir / "missing"), IoError);
}

} // namespace test_catalog_cases

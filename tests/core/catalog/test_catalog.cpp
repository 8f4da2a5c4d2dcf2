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
    std::filesystem::copy_file(test::data_dir() / "catalog" / "shelters.json", dir / "shelters.json");
    Catalog c = Catalog::load_directory(dir);
    CHECK(c.kinds().size() == before + 1);
    auto shelters = c.get("避难场所");
    CHECK(shelters->kind == "shelters");
    CHECK(shelters->field("capacity")->type == FieldType::Integer);
    CHECK(shelters->symbology.marker == "star");
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

/// @file
/// Tests of the streaming GeoJSON reader: every geometry type, every container form (collection,
/// single feature, bare geometry, newline-delimited and RS sequences), property typing, escapes,
/// and the damaged inputs that must become issues on the right feature or a FormatError with
/// the right position.

#include <vigil/importing/record_source.hpp>
#include <vigil/io/geojson_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/text.hpp>

#include "test_paths.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using vigil::FormatError;
using vigil::geo::Coord;
using vigil::geo::GeometryType;
using vigil::importing::RawRecord;
using vigil::importing::RawValue;
using vigil::io::GeoJsonReader;
using vigil::io::GeoJsonReaderOptions;
using Kind = RawValue::Kind;

namespace test_geojson_reader_cases {

std::vector<RawRecord> read_all(GeoJsonReader& reader) {
    std::vector<RawRecord> out;
    RawRecord rec; // one record reused, as the pipeline does
    while (reader.next(rec)) out.push_back(rec);
    return out;
}

std::vector<RawRecord> read_text(const std::string& json, GeoJsonReaderOptions options = {}) {
    GeoJsonReader reader("mem.geojson", json, options);
    return read_all(reader);
}

/// The value of a named column (Null when the record is shorter than the columns).
RawValue value(const GeoJsonReader& reader, const RawRecord& rec, const std::string& column) {
    const auto& cols = reader.columns();
    for (std::size_t i = 0; i < cols.size(); ++i)
        if (cols[i] == column) return i < rec.values.size() ? rec.values[i] : RawValue::null();
    FAIL("no column " << column);
    return {};
}

bool has_issue(const RawRecord& rec, const std::string& column, const std::string& text) {
    for (const auto& issue : rec.issues)
        if (issue.column == column && issue.reason.find(text) != std::string::npos) return true;
    return false;
}

std::string feature(const std::string& geometry, const std::string& properties = "{}") {
    return R"({"type":"Feature","properties":)" + properties + R"(,"geometry":)" + geometry + "}";
}

std::string collection(const std::vector<std::string>& features) {
    std::string s = R"({"type":"FeatureCollection","features":[)";
    for (std::size_t i = 0; i < features.size(); ++i) s += (i ? ",\n" : "\n") + features[i];
    return s + "\n]}\n";
}

std::string format_error_of(const std::string& json) {
    try {
        GeoJsonReader reader("bad.geojson", json);
        RawRecord rec;
        while (reader.next(rec)) {}
    } catch (const FormatError& e) {
        return e.what();
    }
    return "(no error)";
}


TEST_CASE("GeoJSON: every geometry type with its structure", "[io][geojson]") {
    auto recs = read_text(collection({
        feature(R"({"type":"Point","coordinates":[113.2,35.1]})"),
        feature(R"({"type":"LineString","coordinates":[[113.0,35.0],[113.1,35.1],[113.2,35.0]]})"),
        feature(R"({"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],
                                                     [[2,2],[4,2],[4,4],[2,4],[2,2]]]})"),
        feature(R"({"type":"MultiPoint","coordinates":[[1,2],[3,4]]})"),
        feature(R"({"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[2,2],[3,3],[4,4]]]})"),
        feature(R"({"type":"MultiPolygon","coordinates":[
            [[[0,0],[1,0],[1,1],[0,1],[0,0]]],
            [[[5,5],[9,5],[9,9],[5,9],[5,5]],[[6,6],[7,6],[7,7],[6,7],[6,6]]]]})"),
        feature(R"({"type":"Point","coordinates":[113.2,35.1,120.5]})"), // Z is dropped
    }));
    REQUIRE(recs.size() == 7);
    for (std::size_t i = 0; i < recs.size(); ++i) {
        CAPTURE(i);
        CHECK(recs[i].row == i + 1);
        CHECK(recs[i].issues.empty());
    }

    CHECK(recs[0].geometry.type == GeometryType::Point);
    CHECK(recs[0].geometry.coords == std::vector<Coord>{{113.2, 35.1}});
    CHECK(recs[0].geometry.ring_starts.empty());

    CHECK(recs[1].geometry.type == GeometryType::LineString);
    CHECK(recs[1].geometry.coords.size() == 3);
    CHECK(recs[1].geometry.coords[1] == Coord{113.1, 35.1});

    CHECK(recs[2].geometry.type == GeometryType::Polygon);
    CHECK(recs[2].geometry.coords.size() == 10);
    CHECK(recs[2].geometry.ring_starts == std::vector<std::uint32_t>{0, 5, 10});
    CHECK(recs[2].geometry.polygon_starts.empty());

    CHECK(recs[3].geometry.type == GeometryType::MultiPoint);
    CHECK(recs[3].geometry.coords == std::vector<Coord>{{1, 2}, {3, 4}});

    CHECK(recs[4].geometry.type == GeometryType::MultiLineString);
    CHECK(recs[4].geometry.ring_starts == std::vector<std::uint32_t>{0, 2, 5});

    CHECK(recs[5].geometry.type == GeometryType::MultiPolygon);
    CHECK(recs[5].geometry.coords.size() == 15);
    CHECK(recs[5].geometry.ring_starts == std::vector<std::uint32_t>{0, 5, 10, 15});
    CHECK(recs[5].geometry.polygon_starts == std::vector<std::uint32_t>{0, 1, 3});

    CHECK(recs[6].geometry.coords == std::vector<Coord>{{113.2, 35.1}});
}

TEST_CASE("GeoJSON: null geometry, GeometryCollection and unknown types", "[io][geojson]") {
    GeoJsonReader reader("mem.geojson", collection({
                                            feature("null", R"({"name":"no geometry"})"),
                                            feature(R"({"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]}]})"),
                                            feature(R"({"type":"Circle","coordinates":[1,2],"radius":3})"),
                                            feature(R"({"coordinates":[1,2]})"),
                                            feature(R"({"type":"LineString"})"),
                                        }));
    auto recs = read_all(reader);
    REQUIRE(recs.size() == 5);
    CHECK(recs[0].geometry.type == GeometryType::None);
    CHECK(recs[0].issues.empty());
    CHECK(value(reader, recs[0], "name").text == "no geometry");

    CHECK(recs[1].geometry.type == GeometryType::None);
    CHECK(has_issue(recs[1], "geometry", "GeometryCollection is not supported"));
    CHECK(has_issue(recs[2], "geometry", "unknown geometry type \"Circle\""));
    CHECK(has_issue(recs[3], "geometry", "no \"type\""));
    CHECK(has_issue(recs[4], "geometry", "no \"coordinates\""));
}

TEST_CASE("GeoJSON: members in any order", "[io][geojson]") {
    // "features" before "type", geometry before properties, "coordinates" before "type", and the
    // old "crs" member after the features.
    std::string json = R"({"features":[
        {"geometry":{"coordinates":[[0,0],[1,1]],"type":"LineString"},"properties":{"a":1},"type":"Feature"},
        {"properties":{"a":2},"type":"Feature","geometry":{"bbox":[1,2,1,2],"coordinates":[1,2],"type":"Point"}}
    ],"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3857"}}})";
    GeoJsonReader reader("mem.geojson", json);
    CHECK(reader.declared_crs() == std::optional<std::string>("EPSG:3857")); // before reading
    auto recs = read_all(reader);
    REQUIRE(recs.size() == 2);
    CHECK(recs[0].geometry.type == GeometryType::LineString);
    CHECK(recs[0].geometry.coords.size() == 2);
    CHECK(recs[1].geometry.coords == std::vector<Coord>{{1, 2}});
    CHECK(value(reader, recs[1], "a").integer == 2);
    CHECK(reader.declared_crs() == std::optional<std::string>("EPSG:3857")); // and after
}

TEST_CASE("GeoJSON: old-style crs spellings are normalised", "[io][geojson]") {
    auto crs_of = [](const std::string& crs_member) {
        GeoJsonReader reader("mem.geojson", R"({"type":"FeatureCollection",)" + crs_member + R"("features":[]})");
        return reader.declared_crs();
    };
    auto named = [&](const std::string& name) { return crs_of(R"("crs":{"type":"name","properties":{"name":")" + name + R"("}},)"); };
    CHECK(named("EPSG:4326") == std::optional<std::string>("EPSG:4326"));
    CHECK(named("urn:ogc:def:crs:EPSG::4326") == std::optional<std::string>("EPSG:4326"));
    CHECK(named("urn:ogc:def:crs:EPSG:6.6:4547") == std::optional<std::string>("EPSG:4547"));
    CHECK(named("urn:ogc:def:crs:OGC:1.3:CRS84") == std::optional<std::string>("EPSG:4326"));
    CHECK(named("http://www.opengis.net/def/crs/EPSG/0/3857") == std::optional<std::string>("EPSG:3857"));
    CHECK(crs_of(R"("crs":{"type":"EPSG","properties":{"code":4490}},)") == std::optional<std::string>("EPSG:4490"));
    CHECK(crs_of(R"("crs":null,)") == std::nullopt);
    CHECK(crs_of("") == std::nullopt);
}

TEST_CASE("GeoJSON: single Feature, bare geometry and sequences", "[io][geojson]") {
    SECTION("a single Feature") {
        GeoJsonReader reader("mem.geojson",
                             R"({"properties":{"名称":"仓库"},"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]}})");
        auto recs = read_all(reader);
        REQUIRE(recs.size() == 1);
        CHECK(recs[0].row == 1);
        CHECK(value(reader, recs[0], "名称").text == "仓库");
        CHECK(recs[0].geometry.coords == std::vector<Coord>{{1, 2}});
    }
    SECTION("a bare geometry") {
        GeoJsonReader reader("mem.geojson", R"({"type":"MultiPoint","coordinates":[[1,2],[3,4]]})");
        auto recs = read_all(reader);
        REQUIRE(recs.size() == 1);
        CHECK(reader.columns().empty());
        CHECK(recs[0].geometry.type == GeometryType::MultiPoint);
        CHECK(recs[0].geometry.coords.size() == 2);
    }
    SECTION("newline-delimited features") {
        std::string text = feature(R"({"type":"Point","coordinates":[1,1]})", R"({"n":1})") + "\n" +
                           feature(R"({"type":"Point","coordinates":[2,2]})", R"({"n":2})") + "\r\n\n" +
                           feature(R"({"type":"Point","coordinates":[3,3]})", R"({"n":3})") + "\n";
        GeoJsonReader reader("mem.geojsonl", text);
        auto recs = read_all(reader);
        REQUIRE(recs.size() == 3);
        CHECK(recs[2].row == 3);
        CHECK(value(reader, recs[2], "n").integer == 3);
        CHECK(recs[2].geometry.coords == std::vector<Coord>{{3, 3}});
    }
    SECTION("RFC 8142 sequences (RS before every text)") {
        std::string text = "\x1E" + feature(R"({"type":"Point","coordinates":[1,1]})") + "\n\x1E" +
                           feature(R"({"type":"Point","coordinates":[2,2]})") + "\n";
        auto recs = read_text(text);
        REQUIRE(recs.size() == 2);
        CHECK(recs[1].geometry.coords == std::vector<Coord>{{2, 2}});
    }
    SECTION("an empty collection") {
        CHECK(read_text(R"({"type":"FeatureCollection","features":[]})").empty());
        CHECK(read_text(R"({"type":"FeatureCollection"})").empty());
    }
}

TEST_CASE("GeoJSON: property values, Chinese names and growing columns", "[io][geojson]") {
    GeoJsonReader reader("mem.geojson", collection({
                                            feature("null", R"({"企业名称":"焦作四维液压机械有限公司","从业人数":120,"面积":3560.5,
                          "重大危险源":true,"备注":null,"标签":["危化品","消防"],"联系":{"电话":"0391-1234567"}})"),
                                            feature("null", R"({"从业人数":-7,"新字段":"x","企业名称":"第二家"})"),
                                            feature("null", R"({"大数":12345678901234567890,"小数":1e-5,"负零":-0})"),
                                        }));
    auto recs = read_all(reader);
    REQUIRE(recs.size() == 3);

    const auto& r0 = recs[0];
    CHECK(r0.issues.empty());
    CHECK(value(reader, r0, "企业名称").kind == Kind::Text);
    CHECK(value(reader, r0, "企业名称").text == "焦作四维液压机械有限公司");
    CHECK(value(reader, r0, "从业人数").kind == Kind::Integer);
    CHECK(value(reader, r0, "从业人数").integer == 120);
    CHECK(value(reader, r0, "面积").kind == Kind::Real);
    CHECK(value(reader, r0, "面积").real == 3560.5);
    CHECK(value(reader, r0, "重大危险源").kind == Kind::Bool);
    CHECK(value(reader, r0, "重大危险源").boolean);
    CHECK(value(reader, r0, "备注").is_null());
    CHECK(value(reader, r0, "标签").kind == Kind::Json);
    CHECK(value(reader, r0, "标签").text == R"(["危化品","消防"])");
    CHECK(value(reader, r0, "联系").kind == Kind::Json);
    CHECK(value(reader, r0, "联系").text == R"({"电话":"0391-1234567"})");

    // The second feature: same record object reused; absent properties are Null, not leftovers.
    const auto& r1 = recs[1];
    CHECK(value(reader, r1, "从业人数").integer == -7);
    CHECK(value(reader, r1, "新字段").text == "x");
    CHECK(value(reader, r1, "企业名称").text == "第二家");
    CHECK(value(reader, r1, "面积").is_null());
    CHECK(value(reader, r1, "标签").is_null());
    CHECK(value(reader, r1, "标签").text.empty());

    const auto& r2 = recs[2];
    CHECK(value(reader, r2, "大数").kind == Kind::Real); // beyond int64: kept as a double
    CHECK(value(reader, r2, "大数").real == Approx(1.2345678901234567e19));
    CHECK(value(reader, r2, "小数").real == 1e-5);
    CHECK(value(reader, r2, "负零").kind == Kind::Integer);

    // Columns in order of first appearance; every record as long as the columns at its time.
    REQUIRE(reader.columns().size() == 11);
    CHECK(reader.columns()[0] == "企业名称");
    CHECK(reader.columns()[7] == "新字段");
    CHECK(r0.values.size() == 7);
    CHECK(r2.values.size() == 11);
}

TEST_CASE("GeoJSON: the feature id becomes column \"id\" unless properties have one", "[io][geojson]") {
    GeoJsonReader reader("mem.geojson", collection({
                                            R"({"type":"Feature","id":"HAZ-001","properties":{"name":"a"},"geometry":null})",
                                            R"({"id":42,"type":"Feature","properties":{"name":"b"},"geometry":null})",
                                            R"({"type":"Feature","id":7,"properties":{"id":"own","name":"c"},"geometry":null})",
                                            R"({"type":"Feature","properties":{"name":"d"},"geometry":null})",
                                        }));
    auto recs = read_all(reader);
    REQUIRE(recs.size() == 4);
    CHECK(value(reader, recs[0], "id").text == "HAZ-001");
    CHECK(value(reader, recs[1], "id").kind == Kind::Integer);
    CHECK(value(reader, recs[1], "id").integer == 42);
    CHECK(value(reader, recs[2], "id").text == "own");
    CHECK(value(reader, recs[3], "id").is_null());
}

TEST_CASE("GeoJSON: string escapes", "[io][geojson]") {
    GeoJsonReader reader("mem.geojson", collection({feature("null", R"({
        "plain":"a\"b\\c\/d",
        "controls":"line1\nline2\ttab\r\b\f",
        "bmp":"\u6D88\u9632\u7AD9 caf\u00e9",
        "astral":"\uD83D\uDE92 fire engine",
        "key\u540D":"escaped key",
        "lone":"x\uD800y"
    })")}));
    auto recs = read_all(reader);
    REQUIRE(recs.size() == 1);
    const auto& r = recs[0];
    CHECK(value(reader, r, "plain").text == "a\"b\\c/d");
    CHECK(value(reader, r, "controls").text == "line1\nline2\ttab\r\b\f");
    CHECK(value(reader, r, "bmp").text == "消防站 café");
    CHECK(value(reader, r, "astral").text == "\xF0\x9F\x9A\x92 fire engine");
    CHECK(value(reader, r, "key名").text == "escaped key");
    CHECK(value(reader, r, "lone").text == "x\xEF\xBF\xBDy");
    CHECK(has_issue(r, "lone", "unpaired UTF-16 surrogate"));
    CHECK(r.issues.size() == 1);
}

TEST_CASE("GeoJSON: non-finite and out-of-range numbers are issues on their feature", "[io][geojson]") {
    GeoJsonReader reader(
        "mem.geojson",
        collection({
            feature(R"({"type":"Point","coordinates":[113.2,35.1]})"), feature(R"({"type":"Point","coordinates":[NaN,35.1]})"),
            feature(R"({"type":"Point","coordinates":[Infinity,35.1]})"), feature(R"({"type":"Point","coordinates":[113.2,-Infinity]})"),
            feature(R"({"type":"Point","coordinates":[1e309,35.1]})"),
            feature(R"({"type":"Point","coordinates":[113.2,)" + std::string(309, '9') + "]}"),
            feature(R"({"type":"Point","coordinates":[113.2,35.1]})",
                    R"({"good":1.5,"nan":NaN,"inf":-Infinity,"huge":1e309,"long":)" + std::string(309, '9') + "}"),
            feature(R"({"type":"Point","coordinates":[1e-400,35.1]})"), // underflow to 0 is fine
        }));
    auto recs = read_all(reader);
    REQUIRE(recs.size() == 8);
    CHECK(recs[0].issues.empty());
    for (std::size_t i = 1; i <= 5; ++i) {
        CAPTURE(i);
        REQUIRE(recs[i].issues.size() == 1);
        CHECK(recs[i].issues[0].column == "geometry");
        CHECK(recs[i].row == i + 1);
    }
    CHECK(has_issue(recs[1], "geometry", "NaN is not a valid JSON number"));
    CHECK(has_issue(recs[2], "geometry", "Infinity is not a valid JSON number"));
    CHECK(has_issue(recs[3], "geometry", "-Infinity is not a valid JSON number"));
    CHECK(has_issue(recs[4], "geometry", "1e309 is out of the range of a double"));
    CHECK(has_issue(recs[5], "geometry", "out of the range of a double"));

    const auto& r6 = recs[6];
    CHECK(r6.issues.size() == 4);
    CHECK(has_issue(r6, "nan", "not a valid JSON number"));
    CHECK(has_issue(r6, "inf", "not a valid JSON number"));
    CHECK(has_issue(r6, "huge", "out of the range"));
    CHECK(has_issue(r6, "long", "out of the range"));
    CHECK(value(reader, r6, "good").real == 1.5);
    CHECK(value(reader, r6, "nan").is_null());

    CHECK(recs[7].issues.empty());
    CHECK(recs[7].geometry.coords[0].x == 0.0);
}

TEST_CASE("GeoJSON: malformed coordinates are issues on their feature", "[io][geojson]") {
    auto recs = read_text(collection({
        feature(R"({"type":"Point","coordinates":[113.2]})"),
        feature(R"({"type":"Point","coordinates":[]})"),
        feature(R"({"type":"LineString","coordinates":[[1,2],[3]]})"),
        feature(R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]})"),
        feature(R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]})"),
        feature(R"({"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,6]]]]})"),
        feature(R"({"type":"Point","coordinates":[[1,2]]})"),
        feature(R"({"type":"LineString","coordinates":[1,2]})"),
        feature(R"({"type":"Point","coordinates":["113.2","35.1"]})"),
        feature(R"({"type":"LineString","coordinates":[[1,2]]})"),
        feature(R"({"type":"Point","coordinates":null})"),
        feature(R"({"type":"Point","coordinates":[1,2]})"),
    }));
    REQUIRE(recs.size() == 12);
    CHECK(has_issue(recs[0], "geometry", "1 number; at least 2"));
    CHECK(has_issue(recs[1], "geometry", "0 numbers; at least 2"));
    CHECK(has_issue(recs[2], "geometry", "1 number; at least 2"));
    CHECK(has_issue(recs[3], "geometry", "ring 1 is not closed"));
    CHECK(has_issue(recs[4], "geometry", "ring 1 has 3 positions; a closed ring needs at least 4"));
    CHECK(has_issue(recs[5], "geometry", "ring 1 of polygon 2 is not closed"));
    CHECK(recs[5].issues.size() == 1);
    CHECK(has_issue(recs[6], "geometry", "only numbers"));
    CHECK(has_issue(recs[7], "geometry", "not nested as the type requires"));
    CHECK(has_issue(recs[8], "geometry", "only numbers"));
    CHECK(has_issue(recs[9], "geometry", "at least 2 positions"));
    CHECK(has_issue(recs[10], "geometry", "null coordinates"));
    CHECK(recs[11].issues.empty());
    for (std::size_t i = 0; i + 1 < recs.size(); ++i) {
        CAPTURE(i);
        CHECK(recs[i].row == i + 1);
        REQUIRE_FALSE(recs[i].issues.empty());
        CHECK(recs[i].issues[0].column == "geometry");
    }
}

TEST_CASE("GeoJSON: features with too many vertices are reported, not stored", "[io][geojson]") {
    GeoJsonReaderOptions options;
    options.max_vertices_per_feature = 4;
    std::string big = "[";
    for (int i = 0; i < 1000; ++i) big += (i ? "," : "") + std::string("[1,2]");
    big += "]";
    auto recs = read_text(collection({
                              feature(R"({"type":"LineString","coordinates":)" + big + "}"),
                              feature(R"({"type":"LineString","coordinates":[[0,0],[1,1],[2,2],[3,3]]})"),
                          }),
                          options);
    REQUIRE(recs.size() == 2);
    CHECK(has_issue(recs[0], "geometry", "1000 vertices, more than the limit of 4"));
    CHECK(recs[0].geometry.coords.empty());
    CHECK(recs[1].issues.empty());
    CHECK(recs[1].geometry.coords.size() == 4);
}

TEST_CASE("GeoJSON: deep nesting is an issue, never a stack overflow", "[io][geojson]") {
    const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
    GeoJsonReader reader("mem.geojson", collection({
                                            feature("null", R"({"name":"deep","deep":)" + deep + "}"),
                                            feature(R"({"type":"Point","coordinates":)" + deep + "}"),
                                            R"({"type":"Feature","foreign":)" + deep + R"(,"properties":{},"geometry":null})",
                                            feature(R"({"type":"Point","coordinates":[1,2]})", R"({"name":"after"})"),
                                        }));
    auto recs = read_all(reader);
    REQUIRE(recs.size() == 4);
    CHECK(has_issue(recs[0], "deep", "nested more than 64 levels deep"));
    CHECK(value(reader, recs[0], "name").text == "deep");
    CHECK(has_issue(recs[1], "geometry", ""));
    CHECK(has_issue(recs[2], "", "nested more than 64 levels deep"));
    CHECK(recs[3].issues.empty());
    CHECK(value(reader, recs[3], "name").text == "after");

    GeoJsonReaderOptions shallow;
    shallow.max_depth = 3;
    auto r = read_text(collection({feature("null", R"({"ok":[1],"nested":[[1]]})")}), shallow);
    REQUIRE(r.size() == 1);
    CHECK(r[0].issues.size() == 1);
    CHECK(has_issue(r[0], "nested", "nested more than 3 levels deep"));

    // Unbalanced deep nesting is a syntax error, found without recursion.
    CHECK_THROWS_AS(read_text(collection({feature("null", R"({"deep":)" + std::string(100'000, '[') + "}")})), FormatError);
}

TEST_CASE("GeoJSON: invalid UTF-8 is an issue naming the property", "[io][geojson]") {
    // GBK bytes for 消防 in a file that should be UTF-8.
    GeoJsonReader reader("mem.geojson", collection({
                                            feature("null", "{\"name\":\"\xCF\xFB\xB7\xC0\",\"ok\":\"消防\"}"),
                                            feature("null", "{\"\xC3\xFB\xB3\xC6\":\"value under a GBK name\"}"),
                                            feature("null", "{\"tags\":[\"\xCF\xFB\"]}"),
                                        }));
    auto recs = read_all(reader);
    REQUIRE(recs.size() == 3);
    CHECK(recs[0].issues.size() == 1);
    CHECK(has_issue(recs[0], "name", "not valid UTF-8 (byte 0xCF at offset 0)"));
    CHECK(value(reader, recs[0], "name").text == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(value(reader, recs[0], "ok").text == "消防");
    REQUIRE(recs[1].issues.size() == 1);
    CHECK(recs[1].issues[0].reason.find("property name") != std::string::npos);
    for (const auto& c : reader.columns()) CHECK(vigil::text::is_valid_utf8(c));
    CHECK(has_issue(recs[2], "tags", "not valid UTF-8"));
}

TEST_CASE("GeoJSON: elements of features that are not Feature objects", "[io][geojson]") {
    auto recs = read_text(collection({
        "42",
        R"({"type":"Point","coordinates":[1,2]})",
        feature(R"({"type":"Point","coordinates":[1,2]})"),
    }));
    REQUIRE(recs.size() == 3);
    CHECK(has_issue(recs[0], "", "not a JSON object"));
    CHECK(has_issue(recs[1], "", "expected a Feature, found a \"Point\" object"));
    CHECK(recs[2].issues.empty());
    CHECK(recs[2].row == 3);
}

TEST_CASE("GeoJSON: syntax errors throw FormatError with line and column", "[io][geojson]") {
    // Missing comma between members: the second member name is at line 2, column 19.
    CHECK(format_error_of("{\"type\":\"FeatureCollection\",\"features\":[\n"
                          "{\"type\":\"Feature\" \"properties\":{},\"geometry\":null}]}") ==
          "bad.geojson: line 2, column 19: expected ',' or '}' in a feature object, found '\"'");
    // Missing comma between features.
    CHECK_THAT(format_error_of(R"({"type":"FeatureCollection","features":[)" + feature("null") + "\n" + feature("null") + "]}"),
               Catch::Contains("line 2, column 1: expected ',' or ']' between features"));
    // Columns count characters, not bytes.
    CHECK(format_error_of("{\"type\":\"Feature\",\"properties\":{\"名称\":tru},\"geometry\":null}") ==
          "bad.geojson: line 1, column 38: invalid literal (expected true, false or null)");
    // Truncated file.
    std::string whole = collection({feature(R"({"type":"Point","coordinates":[1,2]})")});
    CHECK_THAT(format_error_of(whole.substr(0, whole.find("[1,2]") + 3)),
               Catch::StartsWith("bad.geojson: line 2, column ") && Catch::Contains("unexpected end of the file"));
    // Unterminated string: reported where the string starts.
    CHECK(format_error_of("{\"type\":\"Feature\",\n\"properties\":{\"name\":\"abc") ==
          "bad.geojson: line 2, column 22: unterminated string (it starts here)");
    CHECK_THAT(format_error_of("{\"type\":\"Feature\",\"properties\":{\"name\":\"abc\n\"}}"),
               Catch::Contains("line 1, column 44: line break inside a string"));
    CHECK_THAT(format_error_of(R"({"type":"Feature","properties":{"a":"\x"}})"), Catch::Contains("invalid escape"));
    CHECK_THAT(format_error_of(R"({"type":"Feature","properties":{"a":1.2.3}})"), Catch::Contains("invalid number"));
    CHECK_THAT(format_error_of(R"({"type":"FeatureCollection","features":[{},]})"), Catch::Contains("trailing comma"));
    CHECK_THAT(format_error_of(R"({"type":"Topology"})"), Catch::Contains("unsupported GeoJSON type \"Topology\""));
    CHECK_THAT(format_error_of(R"({"name":"x"})"), Catch::Contains("no \"type\" member"));
    CHECK_THAT(format_error_of(R"([1,2])"), Catch::Contains("expected a GeoJSON object"));
    CHECK_THAT(format_error_of(collection({}) + "garbage"), Catch::Contains("line 3, column 1"));
}

TEST_CASE("GeoJSON: empty files", "[io][geojson]") {
    CHECK_THROWS_WITH(GeoJsonReader("empty.geojson", std::string()),
                      Catch::Contains("empty.geojson") && Catch::Contains("the file is empty"));
    CHECK_THROWS_AS(GeoJsonReader("blank.geojson", std::string(" \n\t\r\n")), FormatError);
    CHECK_THROWS_AS(GeoJsonReader("bom.geojson", std::string("\xEF\xBB\xBF")), FormatError);
    CHECK_THROWS_WITH(GeoJsonReader("u16.geojson", std::string("\xFF\xFE{\0", 4)), Catch::Contains("UTF-16"));
    // A BOM before real content is fine.
    CHECK(read_text("\xEF\xBB\xBF" + feature("null")).size() == 1);
}

TEST_CASE("GeoJSON: progress counts bytes", "[io][geojson]") {
    std::string json = collection({feature("null"), feature("null")});
    GeoJsonReader reader("mem.geojson", json);
    CHECK(reader.progress_total() == json.size());
    CHECK(reader.progress_done() < json.size());
    RawRecord rec;
    REQUIRE(reader.next(rec));
    auto halfway = reader.progress_done();
    CHECK(halfway > 0);
    while (reader.next(rec)) {}
    CHECK(reader.progress_done() == json.size());
    CHECK(reader.has_geometry());
}

namespace {

/// A collection with features of every kind (escapes, surrogate pairs, nested values, NaN), a
/// BOM, and the old "crs" member after the features.
std::string big_collection(int n) {
    std::string json = "\xEF\xBB\xBF{\"type\":\"FeatureCollection\",\"name\":\"测试\",\"features\":[\n";
    for (int i = 1; i <= n; ++i) {
        if (i > 1) json += ",\n";
        std::string id = std::to_string(i);
        switch (i % 4) {
        case 0:
            json += feature(R"({"type":"Point","coordinates":[113.)" + id + ",35." + std::to_string(i * 7) + "]}",
                            R"({"id":)" + id + R"(,"名称":"焦作四维液压机械有限公司\u6D88\uD83D\uDE92","ok":true,"n":null})");
            break;
        case 1:
            json += feature(R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]})",
                            R"({"id":)" + id + R"(,"tags":["a","b",{"c":[1,2.5e3]}],"x":-0.000123,"f":false})");
            break;
        case 2: json += feature("null", R"({"id":)" + id + R"(,"text":"\"quoted\"\n\\ and \/ slash 消防"})"); break;
        default: json += feature(R"({"coordinates":[NaN,1e309],"type":"Point"})", R"({"id":)" + id + "}");
        }
    }
    return json + "\n],\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::4547\"}}}\n";
}

std::string write_file(const std::filesystem::path& path, const std::string& contents) {
    std::ofstream out(path, std::ios::binary);
    out << contents;
    return path.string();
}

/// Reads a file from disk and the same text from memory; every record must be the same.
void check_same_as_in_memory(const std::string& path, const std::string& text, GeoJsonReaderOptions options, std::size_t expected_records) {
    GeoJsonReader from_disk(path, options);
    GeoJsonReader in_memory("mem.geojson", text);
    CHECK(from_disk.path() == path);
    CHECK(from_disk.progress_total() == text.size());
    CHECK(from_disk.declared_crs() == in_memory.declared_crs()); // before reading
    RawRecord a;
    RawRecord b;
    std::size_t count = 0;
    while (from_disk.next(a)) {
        REQUIRE(in_memory.next(b));
        ++count;
        REQUIRE(a.row == b.row);
        REQUIRE(a.geometry == b.geometry);
        REQUIRE(a.issues.size() == b.issues.size());
        REQUIRE(a.values.size() == b.values.size());
        for (std::size_t k = 0; k < a.values.size(); ++k) {
            REQUIRE(a.values[k].kind == b.values[k].kind);
            REQUIRE(a.values[k].to_display() == b.values[k].to_display());
        }
    }
    CHECK_FALSE(in_memory.next(b));
    CHECK(count == expected_records);
    CHECK(from_disk.progress_done() == text.size());
    CHECK(from_disk.columns() == in_memory.columns());
    CHECK(from_disk.declared_crs() == in_memory.declared_crs()); // and after
}

} // namespace

TEST_CASE("GeoJSON: reading a file from disk through the sliding window", "[io][geojson]") {
    // Tiny windows cut every kind of token at a window boundary somewhere; the default window
    // with a multi-MiB file finds the "crs" after the features at the file's end.
    const std::size_t window = GENERATE(range(std::size_t{16}, std::size_t{48}), values<std::size_t>({200, 4096, std::size_t{1} << 20}));
    CAPTURE(window);
    GeoJsonReaderOptions options;
    options.window_bytes = window;
    const int n = window == (std::size_t{1} << 20) ? 25000 : 200;
    const std::string json = big_collection(n);
    if (n == 25000) REQUIRE(json.size() > 3u * 1024 * 1024);
    auto dir = vigil::test::scratch_dir("geojson_reader");
    auto path = write_file(dir / "features.geojson", json);
    CHECK(GeoJsonReader(path, options).declared_crs() == std::optional<std::string>("EPSG:4547"));
    check_same_as_in_memory(path, json, options, static_cast<std::size_t>(n));

    // A single Feature bigger than the window, with its crs after the geometry; a sequence.
    std::string single = R"({"type":"Feature","properties":{"名称":"仓库","list":[1,2,3,4,5,6,7,8,9,10]},)"
                         R"("geometry":{"type":"LineString","coordinates":[[1,2],[3,4],[5,6],[7,8],[9,10]]},)"
                         R"("crs":{"type":"name","properties":{"name":"EPSG:3857"}}})";
    CHECK(GeoJsonReader(write_file(dir / "single.geojson", single), options).declared_crs() == std::optional<std::string>("EPSG:3857"));
    check_same_as_in_memory((dir / "single.geojson").string(), single, options, 1);
    std::string sequence;
    for (int i = 0; i < 50; ++i)
        sequence +=
            "\x1E" +
            feature(R"({"type":"Point","coordinates":[)" + std::to_string(i) + ",35]}", R"({"k":"\u6D88)" + std::to_string(i) + R"("})") +
            "\r\n";
    check_same_as_in_memory(write_file(dir / "sequence.geojsonl", sequence), sequence, options, 50);
}

TEST_CASE("GeoJSON: errors in files on disk", "[io][geojson]") {
    auto dir = vigil::test::scratch_dir("geojson_reader_errors");
    const std::size_t window = GENERATE(as<std::size_t>{}, 16, std::size_t{1} << 20);
    GeoJsonReaderOptions options;
    options.window_bytes = window;

    SECTION("a syntax error deep in a streamed file has the right line and column") {
        std::string json = big_collection(2000);
        // Remove the comma between two features far into the file.
        auto cut = json.find(",\n{", json.size() * 3 / 4);
        REQUIRE(cut != std::string::npos);
        std::size_t line = 1;
        for (std::size_t i = 0; i < cut; ++i)
            if (json[i] == '\n') ++line;
        json.erase(cut, 1);
        auto path = write_file(dir / "missing_comma.geojson", json);
        GeoJsonReader reader(path, options);
        RawRecord rec;
        std::string message;
        try {
            while (reader.next(rec)) {}
        } catch (const FormatError& e) {
            message = e.what();
        }
        CHECK(message == path + ": line " + std::to_string(line + 1) + ", column 1: expected ',' or ']' between features, found '{'");
        // The reader stays at the damage: asking again gives the same error.
        CHECK_THROWS_WITH(reader.next(rec), message);
    }
    SECTION("a truncated file") {
        std::string json = big_collection(600);
        json.resize(json.rfind("[113.") + 4); // ends in the middle of a coordinate array
        std::size_t lines = 1;
        for (char c : json)
            if (c == '\n') ++lines;
        auto path = write_file(dir / "truncated.geojson", json);
        GeoJsonReader reader(path, options);
        RawRecord rec;
        CHECK_THROWS_WITH(
            [&] {
                while (reader.next(rec)) {}
            }(),
            Catch::StartsWith(path + ": line " + std::to_string(lines) + ", column ") && Catch::Contains("unexpected end of the file"));
    }
    SECTION("a missing file is an IoError") { CHECK_THROWS_AS(GeoJsonReader((dir / "missing.geojson").string(), options), vigil::IoError); }
    SECTION("an empty file") {
        CHECK_THROWS_WITH(GeoJsonReader(write_file(dir / "empty.geojson", "\n \n"), options), Catch::Contains("the file is empty"));
    }
}

TEST_CASE("RawValue::to_display", "[io][raw_value]") {
    CHECK(RawValue::null().to_display().empty());
    CHECK(RawValue::from_bool(true).to_display() == "true");
    CHECK(RawValue::from_bool(false).to_display() == "false");
    CHECK(RawValue::from_int(-9007199254740993).to_display() == "-9007199254740993");
    CHECK(RawValue::from_real(113.2).to_display() == "113.2");
    CHECK(RawValue::from_real(0.1 + 0.2).to_display() == "0.30000000000000004");
    CHECK(RawValue::from_real(1e21).to_display() == "1e+21");
    CHECK(RawValue::from_text("消防站").to_display() == "消防站");
    CHECK(RawValue::from_json(R"([1,"a"])").to_display() == R"([1,"a"])");
}

} // namespace test_geojson_reader_cases

// The one JSON form of a nearest or within answer (app::hits_json): what `vigil nearest|within
// --json` print and the page's vigil.nearest returns. Checked value by value against the form it
// documents (docs/json.md "Nearest and within"), pretty and compact alike.

#include "app_layers.hpp"

#include <vigil/app/hits_json.hpp>
#include <vigil/catalog/catalog.hpp>
#include <vigil/query/nearest.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

using namespace vigil;
using nlohmann::json;

namespace test_hits_json_cases {

std::shared_ptr<const catalog::LayerKind> sample_kind() {
    static const auto k = std::make_shared<const catalog::LayerKind>(catalog::parse_layer_kind(R"({
      "format": "vigil-layer/1", "kind": "samples", "title": {"zh": "样例", "en": "Samples"}, "geometry": "line",
      "fields": [
        {"name": "id", "role": "id", "type": "text", "required": true, "label": "id"},
        {"name": "name", "role": "name", "type": "text", "label": "name"},
        {"name": "staff", "type": "integer", "label": "staff"},
        {"name": "capacity", "type": "real", "label": "capacity"},
        {"name": "open", "type": "bool", "label": "open"},
        {"name": "skills", "type": "set", "values": [{"value": "hazmat", "label": "危化品"}, {"value": "water", "label": "水域"}], "label": "skills"}
      ]})",
                                                                                               "samples.json"));
    return k;
}


TEST_CASE("hits_json: the query, then every record nearest first with its point, distance and fields", "[app][json]") {
    const geo::Coord at{113.25, 35.2};
    const auto layer = test::layer_of(sample_kind(), {{geo::Geometry::point({113.2501, 35.2}),
                                                       {{"id", std::string("S1")},
                                                        {"name", std::string("甲 \"引号\" \\ 与\t制表")},
                                                        {"staff", std::int64_t{12}},
                                                        {"capacity", 2.5},
                                                        {"open", std::int64_t{1}},
                                                        {"skills", std::string(R"(["hazmat","water"])")}}},
                                                      {geo::Geometry::line_string({{113.26, 35.21}, {113.28, 35.21}}),
                                                       {{"id", std::string("S2")},
                                                        {"name", std::string("bad \xff byte")},
                                                        {"capacity", std::numeric_limits<double>::quiet_NaN()},
                                                        {"open", std::int64_t{0}}}}});
    const auto hits = query::within(*layer, at, 5000);
    REQUIRE(hits.size() == 2);

    const json expected = {{"query", {{"layer", "samples"}, {"lon", 113.25}, {"lat", 35.2}}},
                           {"results",
                            {{{"id", "S1"},
                              {"name", "甲 \"引号\" \\ 与\t制表"},
                              {"lon", 113.2501},
                              {"lat", 35.2},
                              {"distance_m", std::round(hits[0].distance_m * 100) / 100},
                              {"staff", 12},
                              {"capacity", 2.5},
                              {"open", true},
                              {"skills", {"hazmat", "water"}}},
                             {{"id", "S2"},
                              {"name", "bad \xEF\xBF\xBD byte"}, // the byte that is not UTF-8 as U+FFFD
                              {"lon", geo::representative_point(layer->geometry(1)).x},
                              {"lat", geo::representative_point(layer->geometry(1)).y},
                              {"distance_m", std::round(hits[1].distance_m * 100) / 100},
                              {"staff", nullptr},
                              {"capacity", nullptr}, // JSON has no NaN
                              {"open", false},
                              {"skills", nullptr}}}}};
    const std::string pretty = app::hits_json(*layer, at, hits, true), compact = app::hits_json(*layer, at, hits, false);
    CHECK(json::parse(pretty) == expected);
    CHECK(json::parse(compact) == expected);
    CHECK(compact.find('\n') == std::string::npos);
    // Members in the documented order, two spaces per level.
    CHECK(pretty.rfind("{\n  \"query\": {\n    \"layer\": \"samples\",\n    \"lon\": 113.25,\n    \"lat\": 35.2\n  },\n  \"results\": [\n  "
                       "  {\n      \"id\": \"S1\",\n      \"name\"",
                       0) == 0);
    CHECK(nlohmann::ordered_json::parse(pretty)["results"][0].begin().key() == "id");

    // No hit: an empty list.
    CHECK(json::parse(app::hits_json(*layer, at, {}, true))["results"] == json::array());
    CHECK(app::hits_json(*layer, at, {}, false) == R"({"query":{"layer":"samples","lon":113.25,"lat":35.2},"results":[]})");
}

} // namespace test_hits_json_cases

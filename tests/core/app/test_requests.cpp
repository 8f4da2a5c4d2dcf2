// The road services', the regional risk's and the statistics' requests read from JSON (the page API):
// each key is the command's option, defaults as the CLI's, a wrong type or an unknown key
// refused naming the key (a misspelt input would otherwise take its default silently).

#include <vigil/app/coverage.hpp>
#include <vigil/app/isochrones.hpp>
#include <vigil/app/regional_risk.hpp>
#include <vigil/app/stats.hpp>
#include <vigil/app/supply.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace vigil;
using Catch::Matchers::Contains;
using nlohmann::json;

TEST_CASE("requests: supply from JSON", "[app][requests]") {
    const auto q = app::supply_query_from_json(json::parse(R"({"at": [113.08, 34.94], "need": "中和剂:5t", "max_snap": 500,
        "closures": [[[[113.0, 34.9], [113.1, 34.9], [113.1, 35.0], [113.0, 34.9]]]]})"));
    CHECK(q.at.x == 113.08);
    CHECK(q.needs == "中和剂:5t");
    CHECK(q.layer == "warehouses");
    CHECK(q.max_snap_m == 500);
    REQUIRE(q.closures.size() == 1);
    CHECK(q.closures[0][0].size() == 4);
    CHECK_THROWS_AS(app::supply_query_from_json(json::parse(R"({"need": "中和剂:5t"})")), UsageError);
    CHECK_THROWS_WITH(app::supply_query_from_json(json::parse(R"({"at": [113, "x"], "need": "a:1"})")),
                      Contains("\"at\" must be [lon, lat]"));
    CHECK_THROWS_WITH(app::supply_query_from_json(json::parse(R"({"at": [113, 35], "need": "a:1", "avoid": "f.geojson"})")),
                      Contains("unknown key \"avoid\""));
    CHECK_THROWS_WITH(app::supply_query_from_json(json::array()), Contains("JSON object"));
}

TEST_CASE("requests: isochrones and coverage from JSON", "[app][requests]") {
    auto iso = app::isochrone_query_from_json(json::parse(R"({"from_layer": "rescue_teams", "need": "hazmat,water", "minutes": [5, 15]})"));
    CHECK(iso.from_layer == "rescue_teams");
    CHECK(iso.filter.need == std::vector<std::string>{"hazmat", "water"});
    CHECK(iso.minutes == std::vector<double>{5, 15});
    CHECK(iso.direction == routing::TravelDirection::from_points);
    iso = app::isochrone_query_from_json(json::parse(R"({"at": [113, 35], "minutes": 10, "direction": "to"})"));
    CHECK(iso.minutes == std::vector<double>{10});
    CHECK(iso.direction == routing::TravelDirection::to_points);
    CHECK(app::isochrone_query_from_json(json::object()).minutes == std::vector<double>{5, 10, 15, 30});
    CHECK_THROWS_WITH(app::isochrone_query_from_json(json::parse(R"({"at": [113, 35], "direction": "away"})")), Contains("\"direction\""));
    CHECK_THROWS_WITH(app::isochrone_query_from_json(json::parse(R"({"at": [113, 35], "status": "available"})")), Contains("from_layer"));

    const auto cov = app::coverage_query_from_json(json::parse(R"({"need": ["hazmat"], "minutes": 20, "targets": "enterprises"})"));
    CHECK(cov.filter.need == std::vector<std::string>{"hazmat"});
    CHECK(cov.minutes == 20);
    CHECK(cov.targets == std::vector<std::string>{"enterprises"});
    CHECK(cov.teams == "rescue_teams");
    CHECK_THROWS_WITH(app::coverage_query_from_json(json::parse(R"({"minutes": "15"})")), Contains("\"minutes\" must be a number"));
    CHECK_THROWS_WITH(app::coverage_query_from_json(json::parse(R"({"targets": []})")), Contains("\"targets\""));
}

TEST_CASE("requests: regional risk from JSON, with the catalogue's wind rose", "[app][requests]") {
    const auto q = app::risk_request_from_json(json::parse(R"({"area": "温县", "cell": 50, "threads": 2})"));
    CHECK(q.area == "温县");
    CHECK(q.cell_m == 50);
    CHECK(q.margin_km == 10);
    CHECK(q.threads == 2);
    // `vigil risk`'s default rose, compiled in: not the uniform one.
    CHECK_THAT(q.wind_rose.source, Contains("Jiaozuo")); // the file's own "source"
    CHECK(q.wind_rose.frequency != hazard::WindRose::uniform().frequency);
    CHECK_THROWS_WITH(app::risk_request_from_json(json::parse(R"({"cell": 50})")), Contains("\"area\""));
    CHECK_THROWS_WITH(app::risk_request_from_json(json::parse(R"({"area": "温县", "cell": 5000})")), Contains("\"cell\""));
    CHECK_THROWS_WITH(app::risk_request_from_json(json::parse(R"({"area": "温县", "margin_km": -1})")), Contains("\"margin_km\""));
    CHECK_THROWS_WITH(app::risk_request_from_json(json::parse(R"({"area": "温县", "threads": 1.5})")), Contains("\"threads\""));
}

TEST_CASE("requests: statistics from JSON, thresholds as numbers or as the CLI's text", "[app][requests]") {
    const auto plain = app::stats_request_from_json(json::object());
    CHECK(plain.rules.lec.red == 320);
    CHECK(plain.rules.matrix.yellow == 9);
    const auto q = app::stats_request_from_json(json::parse(R"({"by": "county", "lec": [300, 150, 60], "matrix": "20,10,4"})"));
    CHECK(q.rules.lec.red == 300);
    CHECK(q.rules.lec.yellow == 60);
    CHECK(q.rules.matrix.orange == 10);
    CHECK(q.rules.matrix.yellow == 4);
    CHECK_THROWS_WITH(app::stats_request_from_json(json::parse(R"({"by": "township"})")), Contains("\"by\" must be \"county\""));
    CHECK_THROWS_WITH(app::stats_request_from_json(json::parse(R"({"lec": [300, 150]})")), Contains("\"lec\" must be three numbers"));
    CHECK_THROWS_WITH(app::stats_request_from_json(json::parse(R"({"matrix": "20,x,4"})")), Contains("\"matrix\" must be three numbers"));
    CHECK_THROWS_WITH(app::stats_request_from_json(json::parse(R"({"matrix": [4, 10, 20]})")),
                      Contains("\"matrix\"") && Contains("red > orange > yellow"));
    CHECK_THROWS_WITH(app::stats_request_from_json(json::parse(R"({"thresholds": 1})")), Contains("unknown key \"thresholds\""));
}

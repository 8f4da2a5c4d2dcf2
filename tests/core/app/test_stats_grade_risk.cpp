// The statistics, GB 18218 grading and regional-risk services on small in-memory layers: the
// figures add up, bad inputs are refused naming what is wrong, the safe side is kept (a target
// whose own IR reaches a limit is listed inside it), and the JSON forms keep their members.

#include <vigil/app/grade.hpp>
#include <vigil/app/regional_risk.hpp>
#include <vigil/app/stats.hpp>
#include <vigil/geo/geodesic.hpp>
#include <vigil/util/error.hpp>

#include "app_layers.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fmt/format.h>

using namespace vigil;
using Catch::Matchers::Contains;

namespace test_stats_grade_risk_cases {

using test::square;

/// Two square counties side by side (温县 west, 孟州市 east), each 0.1° wide.
std::shared_ptr<const model::Layer> counties() {
    return test::make_layer("admin_areas",
                            {{"410825", square(113.0, 34.9, 0.1), {{"name", std::string("温县")}, {"level", std::string("county")}}},
                             {"410883", square(113.1, 34.9, 0.1), {{"name", std::string("孟州市")}, {"level", std::string("county")}}}});
}

const std::string k_chlorine_ammonia =
    R"([{"substance":"液氯","cas":"7782-50-5","quantity_t":50},{"substance":"液氨","cas":"7664-41-7","quantity_t":100}])";


TEST_CASE("stats: per county and the total, by field and by point", "[app][stats]") {
    app::LayerSet set;
    set.add(counties());
    set.add(test::make_layer(
        "enterprises", {test::point("E1", {113.05, 34.95}, {{"risk_level", std::string("red")}, {"overdue_hazards", std::int64_t{2}}}),
                        test::point("E2", {113.15, 34.95}, {{"risk_level", std::string("blue")}}),
                        test::point("E3", {113.02, 34.95}, {{"county", std::string("孟州市")}, {"risk_level", std::string("red")}})}));
    const auto r = app::stats_by_county({}, set);
    REQUIRE(r.groups.size() == 2);
    CHECK(r.groups[0].county == "温县");
    CHECK(r.groups[0].enterprises == 1); // E1 by its point; E3 by its county field though it lies in 温县
    CHECK(r.groups[1].enterprises == 2);
    CHECK(r.total.county == "Total");
    CHECK(r.total.enterprises == 3);
    CHECK(r.total.by_colour[static_cast<std::size_t>(hazard::RiskColour::Red)] == 2);
    CHECK(r.total.overdue_hazards == 2);
    const auto j = app::to_json(r);
    CHECK(j["by"] == "county");
    CHECK(j["counties"].size() == 2);
    CHECK(j["counties"][1]["by_colour"]["red"] == 1);
    CHECK(j["total"]["enterprises"] == 3);
    CHECK(j["lec_thresholds"] == nlohmann::json::array({320, 160, 70}));

    app::StatsRequest bad;
    bad.rules.lec = {10, 160, 70};
    CHECK_THROWS_WITH(app::stats_by_county(bad, set), Contains("red > orange > yellow"));
    app::LayerSet no_enterprises;
    no_enterprises.add(counties());
    CHECK_THROWS_WITH(app::stats_by_county({}, no_enterprises), Contains("'enterprises'"));
}

TEST_CASE("grade: S, R and the grade of each source; a bad inventory named, the others graded", "[app][grade]") {
    app::LayerSet set;
    set.add(test::make_layer(
        "hazard_sources",
        {test::point("H01", {113.05, 34.95}, {{"inventory", k_chlorine_ammonia}, {"population_500m", std::int64_t{120}}}),
         test::point("H02", {113.06, 34.95}, {{"inventory", std::string(R"([{"substance":"氯","quantity_t":-3}])")}}),
         test::point("H03", {113.07, 34.95}, {{"inventory", std::string(R"([{"substance":"甲醇","cas":"67-56-1","quantity_t":600}])")}})}));
    const auto r = app::grade_hazard_sources(set);
    // GB 18218-2018 tables 1, 3, 5: S = 50/5 + 100/10 = 20, R = 2 × (4·10 + 2·10) = 120 → 一级.
    REQUIRE(r.graded.size() == 2);
    CHECK(r.graded[0].id == "H01");
    CHECK(r.graded[0].fid == 1);
    CHECK(r.graded[0].assessment.s == Approx(20));
    CHECK(r.graded[0].assessment.r == Approx(120));
    CHECK(r.graded[0].assessment.grade == hazard::Grade::Grade1);
    // H03: no population given: the largest α (2.0) so that the grade is never understated, said.
    CHECK(r.graded[1].assessment.alpha == 2.0);
    CHECK_FALSE(r.graded[1].assessment.warnings.empty());
    REQUIRE(r.errors.size() == 1);
    CHECK_THAT(r.errors[0], Contains("H02"));
    const auto j = app::to_json(r);
    CHECK(j["standard"] == "GB 18218-2018");
    CHECK(j["hazard_sources"][0]["grade"] == "grade1");
    CHECK(j["hazard_sources"][0]["grade_zh"] == "一级");
    CHECK(j["hazard_sources"][0]["contributions"][0]["reference"] == "氯");
    CHECK(j["hazard_sources"][0]["contributions"][0]["table1_row"] == 12);
    CHECK(j["hazard_sources"][1]["population_500m"].is_null());
    CHECK(j["errors"].size() == 1);
    CHECK_THROWS_WITH(app::grade_hazard_sources(app::LayerSet{}), Contains("'hazard_sources'"));
}

TEST_CASE("regional risk: contours, areas and targets hang together on the safe side", "[app][risk]") {
    // A chlorine and ammonia store in a 4 × 4 km box, enterprises beside it and 1.5 km away.
    const geo::Coord store{113.05, 34.95};
    app::LayerSet set;
    set.add(test::make_layer("hazard_sources", {test::point("H01", store, {{"inventory", k_chlorine_ammonia}})}));
    set.add(test::make_layer("enterprises", {test::point("E-near", geo::destination(store, 45, 150), {{"employees", std::int64_t{200}}}),
                                             test::point("E-far", geo::destination(store, 200, 1500), {{"employees", std::int64_t{50}}}),
                                             test::point("E-out", {113.2, 35.2})}));
    const double d = 0.02;
    app::RiskRequest q;
    q.area = fmt::format("POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))", store.x - d, store.y - d, store.x + d, store.y + d);
    q.cell_m = 25;
    q.margin_km = 0;
    q.threads = 2;
    const auto r = app::regional_risk(q, set);
    CHECK(r.area_name == "polygon");
    CHECK(r.hazard_sources == 1);
    CHECK(r.scenarios > 0);
    CHECK(r.max_ir_per_year > 3e-7);
    CHECK(r.max_ir_per_year < 1e-3);
    REQUIRE(r.levels.size() == 4);
    double prev_area = 1e300;
    for (const auto& l : r.levels) {
        CHECK(l.area_km2 <= prev_area); // higher limits enclose less
        prev_area = l.area_km2;
        for (const auto& t : l.targets_inside) {
            CHECK(t.id != "E-out"); // outside the area
            // Inside its polygon, or listed on the safe side by its own IR (and saying so).
            CHECK((t.inside_polygon || t.ir >= l.limit_per_year));
        }
    }
    CHECK(r.levels[0].area_km2 > 0);
    REQUIRE_FALSE(r.levels[0].targets_inside.empty());
    CHECK(r.levels[0].targets_inside[0].id == "E-near");
    REQUIRE_FALSE(r.levels[0].contour.empty());
    CHECK(std::fabs(r.levels[0].contour[0][0][0].x - store.x) < 0.05); // lon/lat, not metres
    REQUIRE_FALSE(r.fn_curve.empty());

    const auto j = app::to_json(r);
    CHECK(j["levels"].size() == 4);
    CHECK(j["levels"][0]["targets_inside"][0]["inside_polygon"].is_boolean());
    CHECK(j["grid"]["nx"] == r.nx);
    const auto g = app::to_geojson(r);
    REQUIRE(g["features"].size() == 4);
    CHECK(g["features"][0]["geometry"]["type"] == "MultiPolygon");

    q.area = "不存在县";
    CHECK_THROWS_WITH(app::regional_risk(q, set), Contains("neither an admin area"));
    q.area = "POLYGON((0 0, 1e6 0, 1e6 1e6, 0 0))";
    CHECK_THROWS_WITH(app::regional_risk(q, set), Contains("lon/lat"));
    q.cell_m = 0.5;
    CHECK_THROWS_WITH(app::regional_risk(q, set), Contains("cell 0.5"));
}

} // namespace test_stats_grade_risk_cases

// The dispatcher's one text box (app::locate_incident): coordinates in WGS84, GCJ-02 or BD-09
// (prefix or choice, full-width as a Chinese keyboard types them, 纬度,经度 turned round), a road
// in a county with or without a kilometre post, an enterprise's name; and the refusals that say
// what there is.

#include "app_layers.hpp"

#include <vigil/app/incident_place.hpp>
#include <vigil/geo/chinese_datums.hpp>
#include <vigil/geo/geodesic.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>

using namespace vigil;
using Catch::Matchers::Contains;

namespace test_incident_place_cases {

// 温县 (113.0..113.1, 34.9..35.0) and 武陟县 east of it; G207 runs north–south through 温县 only,
// S104 east–west through both; one enterprise.
app::LayerSet place_layers() {
    app::LayerSet set;
    set.add(test::make_layer(
        "admin_areas", {{"410825", test::square(113.0, 34.9, 0.1), {{"name", std::string("温县")}, {"level", std::string("county")}}},
                        {"410823", test::square(113.1, 34.9, 0.1), {{"name", std::string("武陟县")}, {"level", std::string("county")}}}}));
    set.add(test::make_layer(
        "roads", {{"G207-1",
                   geo::Geometry::line_string({{113.05, 34.85}, {113.05, 35.05}}),
                   {{"name", std::string("G207（模拟）")}, {"ref", std::string("G207")}, {"road_class", std::string("national")}}},
                  {"S104-1",
                   geo::Geometry::line_string({{113.02, 34.95}, {113.18, 34.95}}),
                   {{"name", std::string("S104（模拟）")}, {"ref", std::string("S104")}, {"road_class", std::string("provincial")}}}}));
    set.add(test::make_layer("enterprises", {test::point("E1", {113.07, 34.94}, {{"name", std::string("焦作某化工有限公司")}})}));
    return set;
}

bool near(geo::Coord a, geo::Coord b, double tol = 1e-7) { return std::fabs(a.x - b.x) < tol && std::fabs(a.y - b.y) < tol; }

std::string all_assumptions(const app::IncidentPlace& p) {
    std::string s;
    for (const auto& a : p.assumptions) s += a + "\n";
    return s;
}

} // namespace test_incident_place_cases

using namespace test_incident_place_cases;

TEST_CASE("incident place: coordinates in WGS84, GCJ-02 and BD-09, typed on any keyboard", "[app][place]") {
    const auto layers = place_layers();
    const geo::Coord wgs{113.0791, 34.9412};

    auto p = app::locate_incident(layers, "113.0791,34.9412");
    REQUIRE(p.ok());
    CHECK(near(p.at, wgs));
    CHECK(p.county == "温县");
    CHECK_THAT(all_assumptions(p), Contains("taken as WGS84")); // no datum given: said

    // Full-width digits, comma and point, as a Chinese IME types them; and 纬度,经度.
    p = app::locate_incident(layers, "１１３．０７９１，３４．９４１２");
    REQUIRE(p.ok());
    CHECK(near(p.at, wgs));
    p = app::locate_incident(layers, "34.9412, 113.0791");
    REQUIRE(p.ok());
    CHECK(near(p.at, wgs));
    CHECK_THAT(all_assumptions(p), Contains("latitude, longitude"));

    // GCJ-02 by a prefix (with a full-width colon), or by the caller's choice.
    const geo::Coord gcj = geo::wgs84_to_gcj02(wgs);
    char typed[96];
    std::snprintf(typed, sizeof typed, "高德：%.7f，%.7f", gcj.x, gcj.y);
    p = app::locate_incident(layers, typed);
    REQUIRE(p.ok());
    CHECK(geo::haversine_m(p.at, wgs) < 0.05); // typed to 1e-7 degrees
    CHECK(p.label.rfind("GCJ-02 ", 0) == 0);
    CHECK(p.assumptions.empty());
    std::snprintf(typed, sizeof typed, "%.7f %.7f", gcj.x, gcj.y);
    p = app::locate_incident(layers, typed, app::PlaceDatum::Gcj02);
    REQUIRE(p.ok());
    CHECK(geo::haversine_m(p.at, wgs) < 0.05);

    // BD-09 (Baidu): WGS84 -> BD-09 -> typed -> WGS84 again, within a millimetre or so.
    const geo::Coord bd = geo::wgs84_to_bd09(wgs);
    std::snprintf(typed, sizeof typed, "BD-09 %.8f,%.8f", bd.x, bd.y);
    p = app::locate_incident(layers, typed);
    REQUIRE(p.ok());
    CHECK(near(p.at, wgs, 1e-7));
    CHECK(geo::haversine_m(p.at, wgs) < 0.02);
    std::snprintf(typed, sizeof typed, "百度坐标 %.8f，%.8f", bd.x, bd.y);
    CHECK(near(app::locate_incident(layers, typed).at, wgs, 1e-7));

    // Outside China: refused in words.
    p = app::locate_incident(layers, "2.35,48.85");
    CHECK_FALSE(p.ok());
    CHECK_THAT(p.error, Contains("not in China"));
    CHECK_THROWS_AS(app::locate_incident(layers, "   "), UsageError);
}

TEST_CASE("incident place: a road in a county, with or without a kilometre post", "[app][place]") {
    const auto layers = place_layers();

    // The point of G207 in 温县 nearest the county's centre (113.05, 34.95), said as assumed.
    auto p = app::locate_incident(layers, "G207 温县段");
    REQUIRE(p.ok());
    CHECK(near(p.at, {113.05, 34.95}, 1e-3));
    CHECK(p.label == "G207 温县段");
    CHECK(p.kind == "roads");
    CHECK(p.id == "G207-1");
    CHECK(p.county == "温县");
    CHECK_THAT(all_assumptions(p), Contains("nearest the county's centre"));

    // Full-width, no spaces, a kilometre post: read, kept in the label, said to be unused.
    const auto form = app::parse_place_text("ｇ２０７温县段Ｋ１２＋３００");
    CHECK(form.form == app::PlaceText::Form::Road);
    CHECK(form.road == "G207");
    CHECK(form.county == "温县");
    REQUIRE(form.km);
    CHECK(*form.km == Approx(12.3));
    p = app::locate_incident(layers, "ｇ２０７温县段Ｋ１２＋３００");
    REQUIRE(p.ok());
    CHECK(p.label == "G207 温县段 K12+300");
    CHECK_THAT(all_assumptions(p), Contains("no kilometre posts: K12+300 was not used"));

    // S104 crosses both counties: the county chooses the stretch; a short name works too.
    p = app::locate_incident(layers, "S104 武陟县");
    REQUIRE(p.ok());
    CHECK(near(p.at, {113.15, 34.95}, 1e-3));
    p = app::locate_incident(layers, "S104武陟境内");
    REQUIRE(p.ok());
    CHECK(p.county == "武陟县");
    // G207 alone lies in one county only: that one.
    p = app::locate_incident(layers, "G207");
    REQUIRE(p.ok());
    CHECK(p.county == "温县");
}

TEST_CASE("incident place: refusals say what was looked for and what there is", "[app][place]") {
    const auto layers = place_layers();
    auto p = app::locate_incident(layers, "G999 温县段");
    CHECK_FALSE(p.ok());
    CHECK_THAT(p.error, Contains("no road 'G999' in the roads layer"));
    CHECK_THAT(p.error, Contains("G207, S104"));

    p = app::locate_incident(layers, "G207 武陟县段");
    CHECK_FALSE(p.ok());
    CHECK_THAT(p.error, Contains("does not pass through 武陟县"));
    CHECK_THAT(p.error, Contains("温县"));

    p = app::locate_incident(layers, "G207 修武县段");
    CHECK_FALSE(p.ok());
    CHECK_THAT(p.error, Contains("no county '修武县'"));

    p = app::locate_incident(layers, "S104"); // two counties: which one?
    CHECK_FALSE(p.ok());
    CHECK_THAT(p.error, Contains("say which county"));
    CHECK_THAT(p.error, Contains("温县, 武陟县"));

    p = app::locate_incident(layers, "不存在的地方");
    CHECK_FALSE(p.ok());
    CHECK_THAT(p.error, Contains("cannot place"));

    app::LayerSet no_roads;
    p = app::locate_incident(no_roads, "G207 温县段");
    CHECK_THAT(p.error, Contains("no roads layer"));
}

TEST_CASE("incident place: an enterprise by name or id; supplies by the material's guide", "[app][place]") {
    const auto layers = place_layers();
    auto p = app::locate_incident(layers, "某化工");
    REQUIRE(p.ok());
    CHECK(p.kind == "enterprises");
    CHECK(p.id == "E1");
    CHECK(p.label == "焦作某化工有限公司");
    CHECK(near(p.at, {113.07, 34.94}));
    CHECK(app::locate_incident(layers, "e1").id == "E1");

    CHECK(app::parse_place_datum("gcj02") == app::PlaceDatum::Gcj02);
    CHECK(app::parse_place_datum("百度") == app::PlaceDatum::Bd09);
    CHECK_FALSE(app::parse_place_datum("utm"));

    std::string note;
    CHECK(app::supplies_for_guide("137", &note) == "中和剂:5t,吸附棉:2000kg"); // sulfuric acid
    CHECK_THAT(note, Contains("ERG guide 137"));
    CHECK_THAT(app::supplies_for_guide("128"), Contains("吸附棉"));
    CHECK(app::supplies_for_guide("").empty());
}

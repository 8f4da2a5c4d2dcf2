// Four-colour enterprise risk (LEC, risk matrix, recorded level) and the per-county statistics
// on a small hand-made case: two square counties, enterprises placed by field and by polygon.

#include <vigil/catalog/catalog.hpp>
#include <vigil/hazard/four_colour.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include "test_paths.hpp"

#include <catch2/catch.hpp>

using namespace vigil;
using namespace vigil::hazard;

namespace test_four_colour_cases {

const catalog::Catalog& cat() {
    static catalog::Catalog c = catalog::Catalog::load_directory(test::layers_dir());
    return c;
}

geo::Geometry square(double x0, double y0, double s) {
    return geo::Geometry::multi_polygon({{{{x0, y0}, {x0 + s, y0}, {x0 + s, y0 + s}, {x0, y0 + s}, {x0, y0}}}});
}

struct Ent {
    const char* id;
    const char* county;
    const char* risk;
    geo::Coord at;
    std::int64_t open, overdue;
    const char* extra;
};

std::shared_ptr<const model::Layer> enterprises(const std::vector<Ent>& rows) {
    auto kind = cat().get("enterprises");
    model::LayerBuilder b(kind);
    std::int64_t fid = 1;
    for (const auto& e : rows) {
        std::vector<model::Value> v(kind->fields.size());
        v[*kind->field_index("id")] = std::string(e.id);
        v[*kind->field_index("name")] = std::string(e.id);
        if (*e.county) v[*kind->field_index("county")] = std::string(e.county);
        if (*e.risk) v[*kind->field_index("risk_level")] = std::string(e.risk);
        v[*kind->field_index("open_hazards")] = e.open;
        v[*kind->field_index("overdue_hazards")] = e.overdue;
        b.add(fid++, std::move(v), geo::Geometry::point(e.at), e.extra);
    }
    return b.finish();
}


TEST_CASE("LEC and risk-matrix colours at the thresholds", "[hazard][four_colour]") {
    // domain.md §5 (aqrzj.com): D > 320 red, 160–320 orange, 70–160 yellow, < 70 blue.
    CHECK(lec_colour(10, 6, 7) == RiskColour::Red);    // D = 420
    CHECK(lec_colour(10, 4, 8) == RiskColour::Orange); // D = 320: not above 320
    CHECK(lec_colour(3, 6, 7) == RiskColour::Yellow);  // D = 126
    CHECK(lec_colour(1, 6, 15) == RiskColour::Yellow); // D = 90
    CHECK(lec_colour(1, 6, 7) == RiskColour::Blue);    // D = 42
    CHECK(lec_colour(6, 6, 15) == RiskColour::Red);    // D = 540
    CHECK(lec_colour(3, 6, 15) == RiskColour::Orange); // D = 270
    // Matrix, variant 1 (20/15/9) and variant 2 (20/10/4).
    CHECK(matrix_colour(4, 5) == RiskColour::Red);
    CHECK(matrix_colour(3, 5) == RiskColour::Orange);
    CHECK(matrix_colour(2, 5) == RiskColour::Yellow);
    CHECK(matrix_colour(2, 4) == RiskColour::Blue);
    CHECK(matrix_colour(2, 5, {20, 10, 4}) == RiskColour::Orange);
    CHECK_THROWS_AS(matrix_colour(0, 5), UsageError);
    CHECK_THROWS_AS(lec_colour(-1, 5, 5), UsageError);
    CHECK_THROWS_AS(validate(LecThresholds{100, 160, 70}), UsageError);
    CHECK(parse_colour("较大风险") == RiskColour::Orange);
    CHECK(parse_colour("RED") == RiskColour::Red);
    CHECK_FALSE(parse_colour("purple"));
}

TEST_CASE("colour labels in the user's language; the _zh ones always Chinese", "[hazard][four_colour][i18n]") {
    CHECK(colour_text(RiskColour::Red) == "major risk (red)");
    CHECK(colour_text(RiskColour::Blue) == "low risk (blue)");
    CHECK(colour_label_zh(RiskColour::Orange) == "较大风险（橙）");
    const auto saved = vigil::i18n::language();
    vigil::i18n::set_language(vigil::i18n::Language::zh_CN);
    const std::string yellow(colour_text(RiskColour::Yellow));
    vigil::i18n::set_language(saved);
    CHECK(yellow == "一般风险（黄）");
}

TEST_CASE("an enterprise's colour: recorded level first, then LEC, then the matrix", "[hazard][four_colour]") {
    auto layer = enterprises({{"E1", "", "orange", {0.5, 0.5}, 0, 0, R"({"L":6,"E":6,"C":15})"},
                              {"E2", "", "", {0.5, 0.5}, 0, 0, R"({"L":6,"E":6,"C":15})"},
                              {"E3", "", "", {0.5, 0.5}, 0, 0, R"({"L":"3","S":5})"},
                              {"E4", "", "", {0.5, 0.5}, 0, 0, ""},
                              {"E5", "", "", {0.5, 0.5}, 0, 0, R"({"L":"high","E":6,"C":15})"}});
    auto c1 = enterprise_colour(*layer, 0);
    CHECK(c1.colour == RiskColour::Orange);
    CHECK(c1.basis == ColourBasis::Record);
    auto c2 = enterprise_colour(*layer, 1);
    CHECK(c2.colour == RiskColour::Red); // D = 540
    CHECK(c2.basis == ColourBasis::Lec);
    auto c3 = enterprise_colour(*layer, 2);
    CHECK(c3.colour == RiskColour::Orange); // R = 15
    CHECK(c3.basis == ColourBasis::Matrix);
    CHECK_FALSE(enterprise_colour(*layer, 3).colour);
    CHECK_THROWS_WITH(enterprise_colour(*layer, 4), Catch::Contains("record E5, field L") && Catch::Contains("'high'"));
}

TEST_CASE("per-county statistics by field and by point in polygon", "[hazard][four_colour]") {
    auto admin_kind = cat().get("admin_areas");
    model::LayerBuilder ab(admin_kind);
    std::int64_t fid = 0;
    auto admin_row = [&](const char* id, const char* name, const char* level, geo::Geometry g) {
        std::vector<model::Value> v(admin_kind->fields.size());
        v[*admin_kind->field_index("id")] = std::string(id);
        v[*admin_kind->field_index("name")] = std::string(name);
        v[*admin_kind->field_index("level")] = std::string(level);
        ab.add(++fid, std::move(v), std::move(g));
    };
    admin_row("410801", "西区", "county", square(0, 0, 1));
    admin_row("410802", "东区", "county", square(1, 0, 1));
    admin_row("410899", "园区", "functional_zone", square(0.5, 0, 1)); // not a county: ignored
    auto admin = ab.finish();
    auto ents = enterprises({{"A", "西区", "red", {0.5, 0.5}, 3, 1, ""},
                             {"B", "", "blue", {1.5, 0.5}, 2, 0, ""},                         // placed in 东区 by polygon
                             {"C", "410802", "", {0.2, 0.2}, 1, 2, R"({"L":3,"E":6,"C":7})"}, // by code; LEC 126 → yellow
                             {"D", "", "yellow", {5, 5}, 0, 0, ""},                           // outside both
                             {"E", "北区", "orange", {0.5, 0.5}, 0, 0, ""}});                 // a county not in the admin layer
    auto stats = county_statistics(*ents, nullptr, admin.get());
    REQUIRE(stats.size() == 4);
    CHECK(stats[0].county == "西区");
    CHECK(stats[0].code == "410801");
    CHECK(stats[0].enterprises == 1);
    CHECK(stats[0].by_colour[0] == 1);
    CHECK(stats[0].overdue_hazards == 1);
    CHECK(stats[1].county == "东区");
    CHECK(stats[1].enterprises == 2);
    CHECK(stats[1].by_colour[static_cast<int>(RiskColour::Blue)] == 1);
    CHECK(stats[1].by_colour[static_cast<int>(RiskColour::Yellow)] == 1);
    CHECK(stats[1].by_lec == 1);
    CHECK(stats[1].open_hazards == 3);
    CHECK(stats[1].overdue_hazards == 2);
    CHECK(stats[1].enterprises_with_overdue == 1);
    CHECK(stats[2].county == "(no county)"); // sorted by name after the admin layer's counties
    CHECK(stats[3].county == "北区");
    CHECK(stats[2].enterprises + stats[3].enterprises == 2);
    CHECK_THROWS_AS(county_statistics(*ents, nullptr, admin.get(), {{1, 2, 3}, {}}), UsageError);
}

} // namespace test_four_colour_cases

#include <vigil/geo/geodesic.hpp>
#include <vigil/query/nearest.hpp>
#include <vigil/util/error.hpp>

#include "test_paths.hpp"

#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

using namespace vigil;

namespace test_nearest_cases {

std::shared_ptr<const catalog::LayerKind> teams_kind() {
    static catalog::Catalog c = catalog::Catalog::load_directory(test::layers_dir());
    return c.get("rescue_teams");
}

using vigil::test::uniform;

struct Fixture {
    std::shared_ptr<const model::Layer> layer;
    std::vector<geo::Coord> points;
};

// 10,000 teams over the Jiaozuo area with random capabilities and statuses.
const Fixture& ten_thousand() {
    static Fixture f = [] {
        Fixture fx;
        auto kind = teams_kind();
        std::mt19937_64 rng(20261128);
        const char* caps[] = {R"(["hazmat"])", R"(["fire"])", R"(["hazmat","water"])", R"(["water"])", R"(["mine","medical"])"};
        const char* statuses[] = {"available", "deployed", "resting"};
        model::LayerBuilder b(kind, 10000);
        for (int i = 0; i < 10000; ++i) {
            std::vector<model::Value> v(kind->fields.size());
            v[*kind->field_index("id")] = "T" + std::to_string(i);
            v[*kind->field_index("name")] = "队" + std::to_string(i);
            v[*kind->field_index("capabilities")] = std::string(caps[rng() % 5]);
            v[*kind->field_index("status")] = std::string(statuses[rng() % 3]);
            geo::Coord c{uniform(rng, 112.5, 113.7), uniform(rng, 34.75, 35.55)};
            fx.points.push_back(c);
            b.add(i + 1, std::move(v), geo::Geometry::point(c));
        }
        fx.layer = b.finish();
        return fx;
    }();
    return f;
}

std::vector<query::Hit> brute_force(const Fixture& f, geo::Coord at, const query::Filter& filter) {
    std::vector<query::Hit> all;
    for (std::size_t i = 0; i < f.points.size(); ++i)
        if (filter.accept(*f.layer, i)) all.push_back({i, geo::geodesic_distance_m(at, f.points[i])});
    std::sort(all.begin(), all.end(),
              [](const auto& a, const auto& b) { return a.distance_m != b.distance_m ? a.distance_m < b.distance_m : a.row < b.row; });
    return all;
}


TEST_CASE("nearest equals brute force on 10,000 random points, with and without filters", "[query]") {
    const auto& f = ten_thousand();
    std::mt19937_64 rng(7);
    auto hazmat_available = query::Filter::compile(*teams_kind(), {{"危化品"}, {"待命"}, {}});
    for (int q = 0; q < 300; ++q) {
        geo::Coord at{uniform(rng, 112.4, 113.8), uniform(rng, 34.7, 35.6)};
        const query::Filter& filter = q % 2 ? hazmat_available : query::Filter{};
        std::size_t k = 1 + static_cast<std::size_t>(rng() % 20);
        auto got = query::nearest(*f.layer, at, k, filter);
        auto want = brute_force(f, at, filter);
        want.resize(std::min(k, want.size()));
        REQUIRE(got.size() == want.size());
        for (std::size_t i = 0; i < got.size(); ++i) {
            CHECK(got[i].row == want[i].row);
            CHECK(got[i].distance_m == Approx(want[i].distance_m).margin(1e-3));
        }
    }
}

TEST_CASE("within equals brute force on 10,000 random points", "[query]") {
    const auto& f = ten_thousand();
    std::mt19937_64 rng(11);
    for (int q = 0; q < 200; ++q) {
        geo::Coord at{uniform(rng, 112.4, 113.8), uniform(rng, 34.7, 35.6)};
        double radius = uniform(rng, 100, 8000);
        auto got = query::within(*f.layer, at, radius);
        auto want = brute_force(f, at, {});
        want.erase(std::find_if(want.begin(), want.end(), [&](const auto& h) { return h.distance_m > radius; }), want.end());
        REQUIRE(got.size() == want.size());
        for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i].row == want[i].row);
    }
}

TEST_CASE("nearest honours max distance and answers 'none' with an empty list", "[query]") {
    const auto& f = ten_thousand();
    auto got = query::nearest(*f.layer, {113.0, 35.0}, 5, {}, 10.0);
    for (const auto& h : got) CHECK(h.distance_m <= 10.0);
    auto far = query::nearest(*f.layer, {100.0, 20.0}, 3, {}, 1000.0);
    CHECK(far.empty());
}

TEST_CASE("filters name what they do not know", "[query]") {
    auto k = teams_kind();
    CHECK_THROWS_WITH(query::Filter::compile(*k, {{"飞行"}, {}, {}}), Catch::Contains("'飞行' is not a value"));
    CHECK_THROWS_WITH(query::Filter::compile(*k, {{}, {"忙碌"}, {}}), Catch::Contains("'忙碌'"));
    CHECK_THROWS_WITH(query::Filter::compile(*k, {{}, {}, {{"colour", {"red"}}}}), Catch::Contains("no field 'colour'"));
}

TEST_CASE("distance to lines and polygons", "[query]") {
    auto line = geo::Geometry::line_string({{113.0, 35.0}, {113.1, 35.0}});
    double d = query::distance_to_geometry_m({113.05, 35.001}, line);
    CHECK(d == Approx(geo::geodesic_distance_m({113.05, 35.001}, {113.05, 35.0})).epsilon(1e-3));
    auto square = geo::Geometry::polygon({{{113.0, 35.0}, {113.1, 35.0}, {113.1, 35.1}, {113.0, 35.1}, {113.0, 35.0}}});
    CHECK(query::distance_to_geometry_m({113.05, 35.05}, square) == 0.0);
    CHECK(query::distance_to_geometry_m({113.2, 35.05}, square) ==
          Approx(geo::geodesic_distance_m({113.2, 35.05}, {113.1, 35.05})).epsilon(1e-3));
}

} // namespace test_nearest_cases

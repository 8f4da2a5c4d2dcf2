// model::Layer's storage: dictionary columns where values repeat, plain ones where they do not,
// the same values back either way (reals bit for bit), and the id lookup.

#include <vigil/model/layer.hpp>

#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

using namespace vigil;

namespace test_layer_cases {

std::shared_ptr<const catalog::LayerKind> teams_kind() { return test::real_catalog().get("rescue_teams"); }

std::uint64_t bits(double d) {
    std::uint64_t u;
    std::memcpy(&u, &d, sizeof u);
    return u;
}


TEST_CASE("a layer's columns give back every value, coded where values repeat", "[model]") {
    const auto kind = teams_kind();
    const std::size_t f_id = *kind->field_index("id"), f_status = *kind->field_index("status"),
                      f_turnout = *kind->field_index("turnout_min"), f_name = *kind->field_index("name");
    const char* statuses[] = {"available", "deployed", "resting"};
    const double odd_reals[] = {0.0, -0.0, std::nan(""), 1e-300, 15.0};
    test::Rng rng(17);
    std::vector<std::vector<model::Value>> rows;
    model::LayerBuilder b(kind, 20000);
    for (std::size_t i = 0; i < 20000; ++i) {
        std::vector<model::Value> v(kind->fields.size());
        v[f_id] = "T" + std::to_string(i);
        if (i % 7 != 0) v[f_name] = "一个相当长的救援队伍名称，远超过短字符串缓冲区 " + std::to_string(i);
        v[f_status] = std::string(statuses[rng.below(3)]);
        if (i < 10) v[f_turnout] = odd_reals[i % 5];
        else v[f_turnout] = static_cast<double>(rng.below(40));
        rows.push_back(v);
        b.add(static_cast<std::int64_t>(i + 1), std::move(v), geo::Geometry::point({113 + i * 1e-5, 35}), i % 3 ? "" : R"({"x":1})");
    }
    const auto layer = b.finish();
    CHECK(layer->column(f_status).is_dictionary());
    CHECK(layer->column(f_turnout).is_dictionary());
    CHECK_FALSE(layer->column(f_id).is_dictionary());
    CHECK_FALSE(layer->column(f_name).is_dictionary());
    for (std::size_t r = 0; r < rows.size(); ++r) {
        for (std::size_t f = 0; f < kind->fields.size(); ++f) {
            const auto& got = layer->value(r, f);
            REQUIRE(got.index() == rows[r][f].index());
            if (auto d = std::get_if<double>(&got)) REQUIRE(bits(*d) == bits(std::get<double>(rows[r][f]))); // -0.0 stays -0.0
            else REQUIRE(got == rows[r][f]);
        }
        REQUIRE(layer->extra(r) == (r % 3 ? "" : R"({"x":1})"));
    }
    // Iteration sees the same values as indexing.
    std::size_t r = 0;
    for (const auto& v : layer->column(f_status)) REQUIRE(&v == &layer->value(r++, f_status));
    CHECK(r == layer->size());
}

TEST_CASE("a layer built for a few records keeps its columns plain, one built for many codes them", "[model]") {
    const auto kind = teams_kind();
    const std::size_t f_status = *kind->field_index("status");
    auto build = [&](std::size_t expected, std::size_t rows) {
        model::LayerBuilder b(kind, expected);
        for (std::size_t i = 0; i < rows; ++i) {
            std::vector<model::Value> v(kind->fields.size());
            v[f_status] = std::string(i % 2 ? "available" : "deployed");
            b.add(static_cast<std::int64_t>(i + 1), std::move(v), geo::Geometry::point({113, 35}));
        }
        return b.finish();
    };
    const auto few = build(2000, 2000), many = build(5000, 5000), unknown = build(0, 2000);
    CHECK_FALSE(few->column(f_status).is_dictionary());
    CHECK(many->column(f_status).is_dictionary());
    CHECK(unknown->column(f_status).is_dictionary());
    for (const auto* layer : {few.get(), many.get(), unknown.get()})
        for (std::size_t r = 0; r < layer->size(); ++r) REQUIRE(layer->text(r, "status") == (r % 2 ? "available" : "deployed"));
}

TEST_CASE("find() looks records up by id; the first row keeps a repeated id", "[model]") {
    const auto kind = teams_kind();
    model::LayerBuilder b(kind);
    for (int i = 0; i < 5000; ++i) {
        std::vector<model::Value> v(kind->fields.size());
        v[*kind->field_index("id")] = i == 4999 ? std::string("T17") : "T" + std::to_string(i);
        if (i == 100) v[*kind->field_index("id")] = model::Value{}; // no id: never found
        b.add(i + 1, std::move(v), geo::Geometry::point({113, 35}));
    }
    const auto layer = b.finish();
    for (int i = 0; i < 4999; ++i) {
        if (i == 100) continue;
        REQUIRE(layer->find("T" + std::to_string(i)) == std::optional<std::size_t>(i));
    }
    CHECK(layer->find("T17") == std::optional<std::size_t>(17));
    CHECK_FALSE(layer->find("T100"));
    CHECK_FALSE(layer->find("T5000"));
    CHECK_FALSE(layer->find(""));
    const auto empty = model::LayerBuilder(kind).finish();
    CHECK_FALSE(empty->find("T1"));
}

} // namespace test_layer_cases

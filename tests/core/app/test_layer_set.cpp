// LayerSet: the services find their layers by kind and say which one is missing.

#include <vigil/app/layer_set.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>

#include "test_paths.hpp"

#include <catch2/catch.hpp>

using namespace vigil;

TEST_CASE("LayerSet loads the kinds asked for and names a missing one", "[app]") {
    const auto project = store::Project::open(test::data_dir() / "project_small.sqlite");
    const auto set = app::LayerSet::load(project, {"rescue_teams", "no_such_kind"});
    REQUIRE(set.all().size() == 1);
    CHECK(set.find("rescue_teams") != nullptr);
    CHECK(set.find("no_such_kind") == nullptr);
    CHECK(set.require("rescue_teams").kind().kind == "rescue_teams");
    CHECK_THROWS_WITH(set.require("warehouses"),
                      Catch::Matchers::Contains("'warehouses'") && Catch::Matchers::Contains("it has: rescue_teams"));
    const auto all = app::LayerSet::load_all(project);
    CHECK(all.all().size() == project.layers().size());
}

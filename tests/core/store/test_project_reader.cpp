#include <vigil/model/layer.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/store/sqlite.hpp>
#include <vigil/util/error.hpp>

#include "test_paths.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <memory>
#include <type_traits>

using namespace vigil;

namespace test_project_reader_cases {
std::filesystem::path fixture() { return test::data_dir() / "project_small.sqlite"; }

std::vector<std::uint8_t> bytes_of(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void check_project(const store::Project& project) {
    CHECK(project.schema_version() == 1);
    auto layers = project.layers();
    auto find = [&](const std::string& k) {
        for (const auto& l : layers)
            if (l.kind == k) return l;
        FAIL("no layer " << k);
        return store::LayerInfo{};
    };
    auto teams = find("rescue_teams");
    CHECK(teams.feature_count == 5);
    CHECK(teams.geometry_type == "POINT");
    CHECK(teams.source_crs == "EPSG:4326");
    CHECK(teams.extent.min_x == Approx(112.79));
    CHECK(find("admin_areas").geometry_type == "MULTIPOLYGON");

    auto layer = project.load_layer("救援队伍");
    REQUIRE(layer->size() == 5);
    auto row = layer->find("T02");
    REQUIRE(row);
    CHECK(layer->text(*row, "name") == "温县蓝天应急救援队");
    CHECK(layer->text(*row, "capabilities") == R"(["water","structural"])");
    CHECK(layer->text(*row, "status") == "resting");
    CHECK(std::get<double>(layer->value(*row, *layer->kind().field_index("turnout_min"))) == Approx(15));
    CHECK(layer->geometry(*row).coords[0] == geo::Coord{113.065, 34.93});

    auto areas = project.load_layer("admin_areas");
    REQUIRE(areas->size() == 2);
    auto mz = areas->find("410883");
    REQUIRE(mz);
    const auto& g = areas->geometry(*mz);
    CHECK(g.type == geo::GeometryType::MultiPolygon);
    CHECK(g.ring_count() == 2);                     // outer ring and the hole
    CHECK_FALSE(geo::contains(g, {112.72, 34.92})); // in the hole
    CHECK(geo::contains(g, {112.65, 34.85}));

    auto roads = project.load_layer("roads");
    REQUIRE(roads->size() == 1);
    CHECK(roads->geometry(0).type == geo::GeometryType::MultiLineString);

    auto imports = project.imports();
    REQUIRE(imports.size() == 3);
    CHECK(imports.back().file_name == "teams.csv");
    CHECK(imports.back().status == "committed");
    CHECK(imports.back().file_sha256.size() == 64);
    CHECK(imports.back().rows_inserted == 5);
    CHECK_THROWS_AS(project.load_layer("nothing"), UsageError);
}

TEST_CASE("a project database reads with plain SQLite: catalogue, layers, geometries, provenance", "[store]") {
    check_project(store::Project::open(fixture()));
}

TEST_CASE("a project database opens from bytes, as in the browser", "[store]") {
    check_project(store::Project::open_bytes(bytes_of(fixture()), "project_small.sqlite"));
}

TEST_CASE("what is not a project database is refused with a clear word", "[store]") {
    auto dir = test::scratch_dir("reader-bad");
    CHECK_THROWS_AS(store::Project::open(dir / "missing.sqlite"), IoError);
    std::ofstream(dir / "junk.sqlite") << "this is not sqlite at all, just text that is long enough to look like a header........";
    CHECK_THROWS_AS(store::Project::open(dir / "junk.sqlite"), FormatError);
    CHECK_THROWS_AS(store::Project::open_bytes({'n', 'o', 'p', 'e'}, "nope"), FormatError);
    {
        auto db = store::Database::open(dir / "other.sqlite", store::Database::Mode::ReadWriteCreate);
        db.exec("CREATE TABLE t(x)");
    }
    CHECK_THROWS_WITH(store::Project::open(dir / "other.sqlite"), Catch::Contains("not a Vigil project"));
}

TEST_CASE("a statement outlives the move of the database object it came from", "[store]") {
    // A Statement once kept a pointer to the Database object: moving the database (into a
    // container, out of a function) left it dangling, and the first error read freed memory.
    auto holder = std::make_unique<store::Database>(store::Database::open_memory());
    holder->exec("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT UNIQUE); INSERT INTO t(name) VALUES('甲')");
    store::Statement insert = holder->prepare("INSERT INTO t(name) VALUES(?)");
    store::Database moved = std::move(*holder);
    holder.reset(); // the object the statement was prepared on is gone
    insert.bind(1, "乙");
    insert.run();
    CHECK(moved.query_int("SELECT count(*) FROM t") == 2);
    insert.reset();
    insert.bind(1, "甲");
    CHECK_THROWS_WITH(insert.run(), Catch::Contains("UNIQUE constraint failed: t.name") && Catch::Contains("INSERT INTO t"));
}

// The id map of a layer holds string_views into the layer's own id column: a copy would look
// records up in the original's memory. Layers are shared, never copied or moved.
static_assert(!std::is_copy_constructible_v<model::Layer> && !std::is_copy_assignable_v<model::Layer>);
static_assert(!std::is_move_constructible_v<model::Layer> && !std::is_move_assignable_v<model::Layer>);

} // namespace test_project_reader_cases

// store::nearest_on_disk / within_on_disk against the in-memory queries over the whole loaded
// layer: the same records in the same order with the same distances, for random points, filters,
// k and radii, near the layer's edge and outside it, with ties and with k larger than the layer.

#include <vigil/geo/spatialite_blob.hpp>
#include <vigil/query/nearest.hpp>
#include <vigil/store/on_disk_query.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/store/project_schema.hpp>
#include <vigil/store/sqlite.hpp>

#include "test_paths.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <fstream>
#include <functional>
#include <sstream>

using namespace vigil;

namespace test_on_disk_query_cases {

struct TestRecord {
    std::vector<model::Value> values;
    geo::Geometry geometry;
};

std::string file_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A project database written with plain SQLite in the layout of project_schema.hpp, the R*Tree
// included (what SpatiaLite's CreateSpatialIndex makes, filled row by row), fids 1..n.
std::filesystem::path write_project(const std::string& name, const std::string& kind_name, const std::vector<TestRecord>& records,
                                    bool with_rtree) {
    const auto path = test::scratch_dir("on-disk-query") / (name + ".sqlite");
    std::filesystem::remove(path);
    const std::string definition = file_text(test::layers_dir() / (kind_name + ".json"));
    const auto kind = std::make_shared<const catalog::LayerKind>(catalog::parse_layer_kind(definition, kind_name));
    auto db = store::Database::open(path, store::Database::Mode::ReadWriteCreate);
    store::Transaction tx(db);
    db.exec(store::metadata_ddl());
    db.exec("PRAGMA user_version = " + std::to_string(store::k_schema_version));
    db.exec("INSERT INTO vigil_meta(key, value) VALUES ('schema_version', '1')");
    db.exec(store::layer_table_ddl(*kind));
    db.exec("ALTER TABLE " + store::quote_identifier(kind->kind) + " ADD COLUMN geom BLOB");
    auto cat = db.prepare("INSERT INTO vigil_catalog(kind, definition, updated_at) VALUES (?, ?, '2026-01-01')");
    cat.bind(1, kind->kind).bind(2, definition);
    cat.run();
    geo::BBox extent;
    for (const auto& r : records) extent.add(r.geometry.bbox());
    auto lay =
        db.prepare("INSERT INTO vigil_layers(kind, geometry_type, feature_count, min_x, min_y, max_x, max_y) VALUES (?, ?, ?, ?, ?, ?, ?)");
    lay.bind(1, kind->kind).bind(2, std::string(store::spatialite_geometry_type(kind->geometry)));
    lay.bind(3, static_cast<std::int64_t>(records.size()));
    lay.bind(4, extent.min_x).bind(5, extent.min_y).bind(6, extent.max_x).bind(7, extent.max_y);
    lay.run();
    std::string sql = "INSERT INTO " + store::quote_identifier(kind->kind) + " (fid, geom";
    for (const auto& f : kind->fields) sql += ", " + store::quote_identifier(f.name);
    sql += ") VALUES (?, ?";
    for (std::size_t f = 0; f < kind->fields.size(); ++f) sql += ", ?";
    sql += ")";
    auto ins = db.prepare(sql);
    std::optional<store::Statement> idx;
    if (with_rtree) {
        db.exec("CREATE VIRTUAL TABLE " + store::quote_identifier("idx_" + kind->kind + "_geom") +
                " USING rtree(pkid, xmin, xmax, ymin, ymax)");
        idx = db.prepare("INSERT INTO " + store::quote_identifier("idx_" + kind->kind + "_geom") + " VALUES (?, ?, ?, ?, ?)");
    }
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& r = records[i];
        const auto fid = static_cast<std::int64_t>(i + 1);
        ins.bind(1, fid);
        if (r.geometry.is_empty()) ins.bind_null(2);
        else ins.bind_blob(2, geo::encode_spatialite_blob(r.geometry));
        for (std::size_t f = 0; f < kind->fields.size(); ++f) ins.bind_value(static_cast<int>(f + 3), r.values[f]);
        ins.run();
        if (idx && !r.geometry.is_empty()) {
            const auto b = r.geometry.bbox();
            idx->bind(1, fid).bind(2, b.min_x).bind(3, b.max_x).bind(4, b.min_y).bind(5, b.max_y);
            idx->run();
        }
    }
    idx.reset();
    tx.commit();
    return path;
}

// 3,000 teams: a dense town, scattered teams, some sharing one position (ties), a few without
// a position.
std::vector<TestRecord> random_teams(const catalog::LayerKind& kind, std::uint64_t seed) {
    test::Rng rng(seed);
    const char* caps[] = {R"(["hazmat"])", R"(["fire"])", R"(["hazmat","water"])", R"(["water"])", R"(["mine","medical"])"};
    const char* statuses[] = {"available", "deployed", "resting"};
    const char* types[] = {"fire_rescue", "professional", "social"};
    std::vector<TestRecord> out;
    geo::Coord shared{113.2, 35.2};
    for (int i = 0; i < 3000; ++i) {
        TestRecord r;
        r.values.resize(kind.fields.size());
        r.values[*kind.field_index("id")] = "T" + std::to_string(i);
        r.values[*kind.field_index("name")] = "队" + std::to_string(i);
        r.values[*kind.field_index("capabilities")] = std::string(caps[rng.below(5)]);
        r.values[*kind.field_index("status")] = std::string(statuses[rng.below(3)]);
        r.values[*kind.field_index("team_type")] = std::string(types[rng.below(3)]);
        const auto pick = rng.below(20);
        if (pick == 0) {
            // no geometry: never an answer, on disk or in memory
        } else if (pick < 3) {
            r.geometry = geo::Geometry::point(shared);
        } else if (pick < 12) {
            r.geometry = geo::Geometry::point({rng.uniform(113.15, 113.25), rng.uniform(35.15, 35.25)});
        } else {
            r.geometry = geo::Geometry::point({rng.uniform(112.5, 113.7), rng.uniform(34.75, 35.55)});
        }
        out.push_back(std::move(r));
    }
    return out;
}

// Short random roads (2 to 4 vertices) over the same area.
std::vector<TestRecord> random_roads(const catalog::LayerKind& kind, std::uint64_t seed) {
    test::Rng rng(seed);
    const char* classes[] = {"primary", "secondary", "residential"};
    std::vector<TestRecord> out;
    for (int i = 0; i < 1500; ++i) {
        TestRecord r;
        r.values.resize(kind.fields.size());
        r.values[*kind.field_index("id")] = "R" + std::to_string(i);
        r.values[*kind.field_index("road_class")] = std::string(classes[rng.below(3)]);
        geo::Coord c{rng.uniform(112.5, 113.7), rng.uniform(34.75, 35.55)};
        std::vector<geo::Coord> line{c};
        const auto n = 1 + rng.below(3);
        for (std::size_t v = 0; v < n; ++v) {
            c = {c.x + rng.uniform(-0.03, 0.03), c.y + rng.uniform(-0.03, 0.03)};
            line.push_back(c);
        }
        r.geometry = geo::Geometry::multi_line_string({line});
        out.push_back(std::move(r));
    }
    return out;
}

void require_same(const store::DiskAnswer& disk, const model::Layer& full, const std::vector<query::Hit>& want, const std::string& what) {
    INFO(what);
    REQUIRE(disk.hits.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        INFO("hit " << i);
        CHECK(disk.records->fid(disk.hits[i].row) == full.fid(want[i].row));
        CHECK(disk.records->id(disk.hits[i].row) == full.id(want[i].row));
        CHECK(disk.hits[i].distance_m == want[i].distance_m); // the same computation, bit for bit
    }
}

geo::Coord random_point(test::Rng& rng) {
    switch (rng.below(4)) {
    case 0: return {rng.uniform(113.15, 113.25), rng.uniform(35.15, 35.25)}; // in the town
    case 1: return {rng.uniform(112.45, 112.55), rng.uniform(34.7, 35.6)};   // at the west edge
    case 2: return {rng.uniform(113.8, 114.5), rng.uniform(35.6, 36.0)};     // outside, north-east
    default: return {rng.uniform(112.5, 113.7), rng.uniform(34.75, 35.55)};
    }
}


TEST_CASE("nearest and within on disk give the in-memory answers for random points and filters", "[store][query]") {
    const auto kind = catalog::parse_layer_kind(file_text(test::layers_dir() / "rescue_teams.json"), "rescue_teams");
    const auto path = write_project("teams", "rescue_teams", random_teams(kind, 11), true);
    const auto project = store::Project::open(path);
    const auto full = project.load_layer("rescue_teams");
    const auto& k_def = *project.layer_kind("rescue_teams");
    const std::vector<query::Filter> filters = {
        {},
        query::Filter::compile(k_def, {{"危化品"}, {}, {}}),
        query::Filter::compile(k_def, {{}, {"待命", "resting"}, {}}),
        query::Filter::compile(k_def, {{"hazmat", "water"}, {"available"}, {{"team_type", {"social"}}}}),
    };
    test::Rng rng(2026);
    std::size_t read_for_small_k = 0, small_k_queries = 0;
    for (int q = 0; q < 400; ++q) {
        const geo::Coord at = random_point(rng);
        const auto& filter = filters[rng.below(filters.size())];
        const std::size_t k = q % 25 == 0 ? 5000 : 1 + rng.below(30); // sometimes more than the layer holds
        const double max_d = rng.below(3) == 0 ? rng.uniform(100, 30000) : std::numeric_limits<double>::infinity();
        const std::string what = fmt::format("q{} at {:.6f},{:.6f} k={} max_d={}", q, at.x, at.y, k, max_d);
        auto disk = store::nearest_on_disk(project, "救援队伍", at, k, filter, max_d);
        CHECK(disk.used_index);
        require_same(disk, *full, query::nearest(*full, at, k, filter, max_d), "nearest " + what);
        if (k <= 10) {
            read_for_small_k += disk.rows_read;
            ++small_k_queries;
        }
        const double radius = rng.uniform(0, 8000);
        auto in = store::within_on_disk(project, "rescue_teams", at, radius, filter);
        require_same(in, *full, query::within(*full, at, radius, filter), fmt::format("within {} m, {}", radius, what));
    }
    // The point of it all: a small question reads a small part of the layer.
    REQUIRE(small_k_queries > 0);
    CHECK(read_for_small_k / small_k_queries < full->size() / 5);
}

TEST_CASE("nearest on disk breaks ties by record order, as the loaded layer does", "[store][query]") {
    const auto kind = catalog::parse_layer_kind(file_text(test::layers_dir() / "rescue_teams.json"), "rescue_teams");
    const auto records = random_teams(kind, 5);
    const auto project = store::Project::open(write_project("ties", "rescue_teams", records, true));
    const auto full = project.load_layer("rescue_teams");
    // About 300 teams share (113.2, 35.2): asking there, every one of the first answers is a tie.
    for (std::size_t k : {1u, 7u, 64u, 299u, 400u}) {
        auto disk = store::nearest_on_disk(project, "rescue_teams", {113.2, 35.2}, k);
        require_same(disk, *full, query::nearest(*full, {113.2, 35.2}, k), fmt::format("k={}", k));
        REQUIRE(!disk.hits.empty());
        CHECK(disk.hits[0].distance_m == 0);
    }
}

TEST_CASE("nearest and within on disk over lines match the in-memory answers", "[store][query]") {
    const auto kind = catalog::parse_layer_kind(file_text(test::layers_dir() / "roads.json"), "roads");
    const auto project = store::Project::open(write_project("roads", "roads", random_roads(kind, 3), true));
    const auto full = project.load_layer("roads");
    const auto primary = query::Filter::compile(*project.layer_kind("roads"), {{}, {}, {{"road_class", {"primary"}}}});
    test::Rng rng(99);
    for (int q = 0; q < 150; ++q) {
        const geo::Coord at = random_point(rng);
        const auto& filter = q % 2 ? primary : query::Filter{};
        const std::size_t k = 1 + rng.below(12);
        auto disk = store::nearest_on_disk(project, "roads", at, k, filter);
        require_same(disk, *full, query::nearest(*full, at, k, filter), fmt::format("nearest q{} k={}", q, k));
        const double radius = rng.uniform(0, 5000);
        auto in = store::within_on_disk(project, "roads", at, radius, filter);
        require_same(in, *full, query::within(*full, at, radius, filter), fmt::format("within q{} r={}", q, radius));
    }
}

TEST_CASE("a layer without an R*Tree is loaded whole and gives the same answer", "[store][query]") {
    const auto kind = catalog::parse_layer_kind(file_text(test::layers_dir() / "rescue_teams.json"), "rescue_teams");
    const auto project = store::Project::open(write_project("no-rtree", "rescue_teams", random_teams(kind, 8), false));
    const auto full = project.load_layer("rescue_teams");
    auto disk = store::nearest_on_disk(project, "rescue_teams", {113.1, 35.0}, 10);
    CHECK_FALSE(disk.used_index);
    require_same(disk, *full, query::nearest(*full, {113.1, 35.0}, 10), "fallback nearest");
    auto in = store::within_on_disk(project, "rescue_teams", {113.1, 35.0}, 3000);
    CHECK_FALSE(in.used_index);
    require_same(in, *full, query::within(*full, {113.1, 35.0}, 3000), "fallback within");
}

TEST_CASE("on-disk queries of an empty layer or an unknown kind", "[store][query]") {
    const auto project = store::Project::open(write_project("empty", "rescue_teams", {}, true));
    auto disk = store::nearest_on_disk(project, "rescue_teams", {113.1, 35.0}, 10);
    CHECK(disk.used_index);
    CHECK(disk.hits.empty());
    CHECK(store::within_on_disk(project, "rescue_teams", {113.1, 35.0}, 1e6).hits.empty());
    CHECK_THROWS_WITH(store::nearest_on_disk(project, "no_such_layer", {113.1, 35.0}, 10), Catch::Contains("no layer 'no_such_layer'"));
}

} // namespace test_on_disk_query_cases

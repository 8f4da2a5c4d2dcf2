// The raster basemap's parts that need no GL: tile grid maths, the LRU cache, the request queue,
// the MBTiles and XYZ readers, decoding and the loader thread. Fixtures: tests/data/tiles
// (make_tiles.sh: Jiaozuo's counties in flat colours, zoom 8-11).
#include "tiles/lru_cache.hpp"
#include "tiles/tile_basemap.hpp"
#include "tiles/tile_grid.hpp"
#include "tiles/tile_loader.hpp"
#include "tiles/tile_source.hpp"

#include "test_paths.hpp"
#include "tile_fixtures.hpp"

#include <vigil/geo/mercator.hpp>
#include <vigil/store/sqlite.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

using namespace vigil;
using namespace vigil::viewer;
using namespace vigil::viewer::test_fixtures;
namespace fs = std::filesystem;

namespace test_tiles_cases {

fs::path xyz_fixture() { return test::data_dir() / "tiles" / "xyz"; }

std::vector<std::uint8_t> file_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A county's centroid (WGS84) and its colour in the fixture (make_tiles.sh's table).

// The pixel of `lonlat` in tile `t` (which must contain it).
std::array<int, 4> pixel_at(const RgbaImage& img, const TileId& t, geo::Coord lonlat) {
    geo::Coord px = geo::lonlat_to_world_px(lonlat, t.z);
    int x = static_cast<int>(px.x) - t.x * 256, y = static_cast<int>(px.y) - t.y * 256;
    REQUIRE(x >= 0);
    REQUIRE(x < img.width);
    REQUIRE(y >= 0);
    REQUIRE(y < img.height);
    const auto* p = &img.pixels[(static_cast<std::size_t>(y) * static_cast<std::size_t>(img.width) + static_cast<std::size_t>(x)) * 4];
    return {p[0], p[1], p[2], p[3]};
}

TileId tile_of(geo::Coord lonlat, int z) {
    geo::Coord px = geo::lonlat_to_world_px(lonlat, z);
    return {z, static_cast<int>(px.x) / 256, static_cast<int>(px.y) / 256};
}

bool close_rgb(const std::array<int, 4>& p, const std::array<int, 3>& c, int tol) {
    for (int i = 0; i < 3; ++i)
        if (std::abs(p[static_cast<std::size_t>(i)] - c[static_cast<std::size_t>(i)]) > tol) return false;
    return true;
}


TEST_CASE("tile grid: bounds, ranges and the TMS flip", "[tiles]") {
    const double h = geo::k_web_mercator_half_world_m;
    CHECK(tile_world_bounds({0, 0, 0}) == geo::BBox{-h, -h, h, h});
    CHECK(tile_world_bounds({1, 1, 0}) == geo::BBox{0, 0, h, h}); // row 0 is the north

    // A box that is exactly one tile is that tile, not its neighbours too.
    TileRange one = tiles_for_world(tile_world_bounds({5, 7, 9}), 5);
    CHECK(one.count() == 1);
    CHECK(one.contains({5, 7, 9}));
    CHECK(tiles_for_world({-2 * h, -2 * h, 2 * h, 2 * h}, 2).count() == 16); // clamped to the world
    CHECK(tiles_for_world({h + 1, 0, h + 2, 1}, 3).empty());

    // Jiaozuo at zoom 8 is the column 208, rows 100-101 (as in the XYZ fixture).
    TileRange j = tiles_for_lonlat({112.57, 34.81, 113.65, 35.50}, 8);
    CHECK(j.x0 == 208);
    CHECK(j.x1 == 208);
    CHECK(j.y0 == 100);
    CHECK(j.y1 == 101);
    CHECK(j.intersect(TileRange{8, 0, 101, 300, 300}).count() == 1);

    CHECK(flip_row(8, 101) == 154);
    CHECK(flip_row(8, flip_row(8, 101)) == 101);
    CHECK(flip_row(0, 0) == 0);
    CHECK(TileId{3, 5, 6}.key() != TileId{3, 6, 5}.key());
}

TEST_CASE("tile grid: the tile zoom and the tiles a camera sees", "[tiles]") {
    Camera cam;
    cam.set_viewport(800, 600);
    cam.set_zoom(9.4);
    CHECK(tile_zoom_for(cam, 0, 18) == 9);
    cam.set_zoom(9.5);
    CHECK(tile_zoom_for(cam, 0, 18) == 10);
    cam.set_pixel_ratio(2); // HiDPI: twice the pixels, one zoom up
    cam.set_zoom(9.4);
    CHECK(tile_zoom_for(cam, 0, 18) == 10);
    cam.set_pixel_ratio(1);
    cam.set_zoom(15);
    CHECK(tile_zoom_for(cam, 8, 11) == 11); // magnify the deepest tiles
    cam.set_zoom(3);
    CHECK(tile_zoom_for(cam, 8, 11) == 8);

    // Centred on the middle of tile (10, 834, 404): ±400 px = ±1.5625 tiles across (5 columns),
    // ±300 px = ±1.17 tiles down (3 rows).
    geo::BBox b = tile_world_bounds({10, 834, 404});
    cam.set_center_lonlat(geo::mercator_to_lonlat({(b.min_x + b.max_x) / 2, (b.min_y + b.max_y) / 2}));
    cam.set_zoom(10);
    TileRange r = visible_tiles(cam, 8, 11);
    CHECK(r.z == 10);
    CHECK(r.x0 == 832);
    CHECK(r.x1 == 836);
    CHECK(r.y0 == 403);
    CHECK(r.y1 == 405);
}

TEST_CASE("tile grid: ancestors and the part of their texture a tile covers", "[tiles]") {
    TileId t{3, 5, 6};
    CHECK(t.ancestor(2) == TileId{1, 1, 1});
    CHECK(t.child(3) == TileId{4, 11, 13});
    CHECK(uv_in_ancestor(t, {1, 1, 1}) == UvRect{0.25f, 0.5f, 0.5f, 0.75f});
    CHECK(uv_in_ancestor(t, {2, 2, 3}) == UvRect{0.5f, 0.0f, 1.0f, 0.5f});
    CHECK(uv_in_ancestor(t, t) == UvRect{});

    std::set<std::uint64_t> loaded{TileId{1, 1, 1}.key(), TileId{0, 0, 0}.key()};
    auto has = [&](const TileId& a) { return loaded.count(a.key()) != 0; };
    CHECK(nearest_ancestor(t, 5, 0, has) == TileId{1, 1, 1});
    CHECK(nearest_ancestor(t, 1, 0, has) == std::nullopt); // not that far up
    CHECK(nearest_ancestor(t, 5, 2, has) == std::nullopt); // not below the source's min zoom
    loaded.insert(TileId{2, 2, 3}.key());
    CHECK(nearest_ancestor(t, 5, 0, has) == TileId{2, 2, 3}); // the nearest wins
}

TEST_CASE("LRU cache: bounded by bytes, least recently used out first, this frame kept", "[tiles]") {
    LruCache<int, std::string> cache(250);
    std::vector<int> evicted;
    auto on_evict = [&](const int& k, std::string&) { evicted.push_back(k); };
    cache.insert(1, "a", 100, 1);
    cache.insert(2, "b", 100, 1);
    cache.insert(3, "c", 100, 1);
    CHECK(cache.bytes() == 300);
    CHECK(cache.use(1, 2) != nullptr); // 1 is now the most recent
    CHECK(cache.trim(2, on_evict) == 1);
    CHECK(evicted == std::vector<int>{2});
    CHECK(cache.size() == 2);
    CHECK(cache.bytes() == 200);
    CHECK(cache.peek(2) == nullptr);
    CHECK(*cache.peek(3) == "c");

    // Everything used in the protected frame stays, even over budget.
    cache.insert(4, "d", 100, 3);
    cache.use(1, 3);
    cache.use(3, 3);
    CHECK(cache.trim(3, on_evict) == 0);
    CHECK(cache.bytes() == 300);
    CHECK(cache.trim(4, on_evict) == 1); // next frame: the surplus goes
    CHECK(cache.bytes() == 200);

    // Replacing a key hands over the old value and keeps the byte count exact.
    cache.insert(1, "a2", 50, 5, on_evict);
    CHECK(evicted.back() == 1);
    CHECK(cache.bytes() == 150);
    std::vector<int> order;
    cache.for_each_recent_first([&](const int& k, const std::string&) { order.push_back(k); });
    CHECK(order.front() == 1);
    cache.clear(on_evict);
    CHECK(cache.size() == 0);
    CHECK(cache.bytes() == 0);
}

TEST_CASE("request queue: most recent first, bounded, cancellable", "[tiles]") {
    RequestQueue q(3);
    CHECK(q.request({1, 0, 0}));
    CHECK(q.request({1, 1, 0}));
    CHECK(q.request({1, 0, 1}));
    CHECK_FALSE(q.request({1, 1, 1})); // the oldest, (1,0,0), falls out
    CHECK(q.size() == 3);
    CHECK_FALSE(q.contains({1, 0, 0}));
    CHECK(q.request({1, 1, 0})); // again: to the front, no duplicate
    CHECK(q.size() == 3);
    CHECK(q.pending().front() == TileId{1, 1, 0});
    CHECK(q.retain({TileId{1, 1, 0}, TileId{1, 0, 1}}) == 1); // (1,1,1) no longer visible
    CHECK(q.pop() == TileId{1, 1, 0});
    CHECK(q.pop() == TileId{1, 0, 1});
    CHECK(q.pop() == std::nullopt);
    CHECK(q.empty());

    q.assign({{2, 0, 0}, {2, 1, 0}, {2, 1, 0}, {2, 2, 0}, {2, 3, 0}}); // a frame's wishes, most urgent first
    CHECK(q.size() == 3);                                              // duplicates merged, the least urgent dropped
    CHECK(q.pop() == TileId{2, 0, 0});
    CHECK_FALSE(q.contains({2, 3, 0}));
    q.assign({});
    CHECK(q.empty());
}

TEST_CASE("MBTiles: metadata, TMS rows, tile bytes, decoded colours", "[tiles]") {
    MbtilesSource src(mbtiles_fixture());
    const TileSourceInfo& info = src.info();
    CHECK(info.mbtiles);
    CHECK(info.name == "jiaozuo_counties");
    CHECK(info.format == TileFormat::Png);
    CHECK(info.min_zoom == 8);
    CHECK(info.max_zoom == 11);
    CHECK(info.bounds.min_x == Approx(112.5137).margin(1e-3));
    CHECK(info.bounds.max_y == Approx(35.5294).margin(1e-3));
    CHECK(info.tiles_at(7).empty());
    CHECK(info.tiles_at(12).empty());
    CHECK(info.tiles_at(8).count() == 2);

    // XYZ row 101 is TMS row 154: the same bytes as the XYZ fixture's 8/208/101.png.
    auto bytes = src.read({8, 208, 101});
    REQUIRE(bytes);
    CHECK(*bytes == file_bytes(xyz_fixture() / "8" / "208" / "101.png"));
    CHECK_FALSE(src.read({8, 208, 154})); // the unflipped row is elsewhere in the world
    CHECK_FALSE(src.read({11, 0, 0}));

    for (const County& c : {k_qinyang, k_wuzhi}) {
        INFO(c.name);
        TileId t = tile_of(c.lonlat, 11);
        auto b = src.read(t);
        REQUIRE(b);
        RgbaImage img = decode_tile(*b, "test");
        CHECK(img.width == 256);
        CHECK(img.height == 256);
        CHECK(img.bytes() == 256u * 256u * 4u);
        auto p = pixel_at(img, t, c.lonlat);
        CHECK(close_rgb(p, c.rgb, 0));
        CHECK(p[3] == 255);
    }
}

TEST_CASE("XYZ folder: zooms, bounds, PNG and JPEG tiles", "[tiles]") {
    XyzSource src(xyz_fixture());
    const TileSourceInfo& info = src.info();
    CHECK_FALSE(info.mbtiles);
    CHECK(info.min_zoom == 8);
    CHECK(info.max_zoom == 10);
    CHECK(info.format == TileFormat::Png);
    TileRange r = info.tiles_at(8);
    CHECK(r.x0 == 208);
    CHECK(r.x1 == 208);
    CHECK(r.y0 == 100);
    CHECK(r.y1 == 101);

    auto png = src.read({9, 416, 202});
    REQUIRE(png);
    CHECK(*png == file_bytes(xyz_fixture() / "9" / "416" / "202.png"));
    CHECK_FALSE(src.read({9, 0, 0}));

    // The zoom-10 tile is a JPEG (found although the folder's first format is PNG); lossy, so
    // the colour is compared with a tolerance.
    TileId t = tile_of(k_xiuwu.lonlat, 10);
    REQUIRE(t == TileId{10, 834, 404});
    auto jpg = src.read(t);
    REQUIRE(jpg);
    CHECK((*jpg)[0] == 0xFF);
    CHECK((*jpg)[1] == 0xD8);
    RgbaImage img = decode_tile(*jpg, "test");
    CHECK(close_rgb(pixel_at(img, t, k_xiuwu.lonlat), k_xiuwu.rgb, 12));
}

TEST_CASE("basemap sources: clear errors naming the file", "[tiles]") {
    const fs::path dir = test::scratch_dir("tiles_errors");
    auto fails_with = [](const fs::path& p, const std::string& needle) {
        try {
            open_tile_source(p);
        } catch (const Error& e) {
            std::string what = e.what();
            INFO(what);
            CHECK(what.find(p.string()) != std::string::npos);
            CHECK(what.find(needle) != std::string::npos);
            throw;
        }
    };
    CHECK_THROWS_AS(fails_with(dir / "missing.mbtiles", "no such file"), IoError);
    CHECK_THROWS_AS(TileBasemap::open(dir / "missing.mbtiles"), IoError); // no window needed to fail

    std::ofstream(dir / "text.mbtiles") << "not a database\n";
    CHECK_THROWS_AS(fails_with(dir / "text.mbtiles", "not an SQLite database"), FormatError);

    CHECK_THROWS_AS(fails_with(test::data_dir() / "project_small.sqlite", "not MBTiles"), FormatError);

    {
        auto db = store::Database::open(dir / "empty.mbtiles", store::Database::Mode::ReadWriteCreate);
        db.exec("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);"
                "CREATE TABLE metadata (name TEXT, value TEXT);");
    }
    CHECK_THROWS_AS(fails_with(dir / "empty.mbtiles", "no tiles"), FormatError);
    {
        auto db = store::Database::open(dir / "vector.mbtiles", store::Database::Mode::ReadWriteCreate);
        db.exec("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);"
                "INSERT INTO tiles VALUES (0, 0, 0, x'1f8b');"
                "CREATE TABLE metadata (name TEXT, value TEXT); INSERT INTO metadata VALUES ('format', 'pbf');");
    }
    CHECK_THROWS_AS(fails_with(dir / "vector.mbtiles", "vector tiles"), FormatError);

    fs::create_directories(dir / "empty_folder" / "3" / "1"); // folders but no tile files
    CHECK_THROWS_AS(fails_with(dir / "empty_folder", "holds no tiles"), FormatError);

    CHECK_THROWS_AS(decode_tile(std::vector<std::uint8_t>{1, 2, 3}, "bad 1/2/3"), FormatError);
}

TEST_CASE("tile loader: decodes off the frame, bounded, cancels what is no longer wanted", "[tiles]") {
    using namespace std::chrono_literals;
    auto wait_until = [](auto&& ready) {
        for (int i = 0; i < 500 && !ready(); ++i) std::this_thread::sleep_for(10ms);
        return ready();
    };

    SECTION("present and absent tiles") {
        TileLoader loader(open_tile_source(mbtiles_fixture()));
        CHECK(loader.idle());
        loader.want({{8, 208, 101}, {8, 208, 100}, {8, 0, 0}});
        REQUIRE(wait_until([&] { return loader.completed() == 3; }));
        auto done = loader.take(10);
        REQUIRE(done.size() == 3);
        CHECK(done[0].id == TileId{8, 208, 101}); // the most urgent first
        CHECK(done[0].image);
        CHECK(done[1].image);
        CHECK_FALSE(done[2].image); // outside the data: no tile, no error
        CHECK(done[2].error.empty());
        CHECK(loader.idle());
    }
    SECTION("decoded tiles waiting for upload are bounded, and moving away cancels") {
        TileLoader loader(open_tile_source(mbtiles_fixture()), 256, 2);
        std::vector<TileId> all;
        TileRange r = loader.info().tiles_at(11);
        for (int y = r.y0; y <= r.y1; ++y)
            for (int x = r.x0; x <= r.x1; ++x) all.push_back({11, x, y});
        REQUIRE(all.size() > 10);
        loader.want(all);
        REQUIRE(wait_until([&] { return loader.completed() == 2; }));
        std::this_thread::sleep_for(50ms);
        CHECK(loader.completed() == 2); // waits for the frame thread to take them
        CHECK(loader.pending() == all.size() - 2);
        loader.want({}); // the view moved away: everything still queued is cancelled
        CHECK(loader.pending() == 0);
        CHECK(loader.take(10).size() == 2);
        CHECK(wait_until([&] { return loader.idle(); }));
    }
}

} // namespace test_tiles_cases

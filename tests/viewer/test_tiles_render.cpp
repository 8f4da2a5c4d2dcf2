// The raster basemap with real GL: in this process (a GLFW window, TileBasemap drawn frame by
// frame, pixels read back) and through `vigil view --screenshot` (the whole viewer). Under Xvfb
// in CI (tools/test.sh wraps ctest in xvfb-run when there is no display).
#include "render/gl.hpp"
#include "tiles/tile_basemap.hpp"
#include "tiles/tile_grid.hpp"
#include "tiles/tile_source.hpp"

#include "gl_window.hpp"
#include "test_paths.hpp"
#include "tile_fixtures.hpp"

#include <catch2/catch.hpp>
#include <stb/stb_image.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

using namespace vigil;
using namespace vigil::viewer;
using namespace vigil::viewer::test_fixtures;
namespace fs = std::filesystem;

namespace test_tiles_render_cases {


const std::array<int, 3> k_clear{20, 20, 20};

bool close_rgb(const std::array<int, 3>& p, const std::array<int, 3>& c, int tol) {
    for (std::size_t i = 0; i < 3; ++i)
        if (std::abs(p[i] - c[i]) > tol) return false;
    return true;
}

Camera camera_at(geo::Coord lonlat, double zoom, int w = 640, int h = 480) {
    Camera c;
    c.set_viewport(w, h);
    c.set_center_lonlat(lonlat);
    c.set_zoom(zoom);
    return c;
}

// One frame as the viewer draws it: clear, upload, draw (map_renderer's begin_frame state).
void frame(TileBasemap& tiles, const Camera& cam) {
    glViewport(0, 0, static_cast<GLsizei>(cam.width()), static_cast<GLsizei>(cam.height()));
    glClearColor(k_clear[0] / 255.f, k_clear[1] / 255.f, k_clear[2] / 255.f, 1.f);
    glClear(GL_COLOR_BUFFER_BIT);
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    tiles.pump();
    tiles.draw(cam);
    glFinish();
}

// Frames until the basemap has everything it needs (as screenshot mode waits).
bool settle(TileBasemap& tiles, const Camera& cam) {
    for (int i = 0; i < 1000; ++i) {
        frame(tiles, cam);
        if (tiles.idle()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return false;
}

// The colour drawn at `lonlat` (framebuffer rows start at the bottom).
std::array<int, 3> colour_at(const Camera& cam, geo::Coord lonlat) {
    geo::Coord s = cam.lonlat_to_screen(lonlat);
    const int x = static_cast<int>(s.x), y = static_cast<int>(cam.height()) - 1 - static_cast<int>(s.y);
    REQUIRE(x >= 0);
    REQUIRE(x < cam.width());
    REQUIRE(y >= 0);
    REQUIRE(y < cam.height());
    unsigned char px[4] = {};
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(x, y, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, px);
    return {px[0], px[1], px[2]};
}

std::size_t visible_source_tiles(const Camera& cam, const TileSourceInfo& info) {
    return visible_tiles(cam, info.min_zoom, info.max_zoom)
        .intersect(info.tiles_at(tile_zoom_for(cam, info.min_zoom, info.max_zoom)))
        .count();
}


TEST_CASE("basemap: tiles drawn where the raster has its colours, magnified beyond max zoom", "[tiles][gl]") {
    OffscreenGlWindow window(640, 480);
    auto tiles = TileBasemap::open(mbtiles_fixture());
    Camera cam = camera_at({113.1, 35.05}, 9.6); // tile zoom 10, the whole city in view
    REQUIRE(settle(*tiles, cam));
    CHECK(tiles->cached_tiles() > 0);
    CHECK(tiles->cached_bytes() == tiles->cached_tiles() * 256u * 256u * 4u);
    for (const County& c : {k_qinyang, k_wuzhi, k_wenxian}) {
        INFO(c.name);
        CHECK(close_rgb(colour_at(cam, c.lonlat), c.rgb, 2));
    }
    // Inside the tiles' bounds but outside every county the tiles are transparent.
    CHECK(close_rgb(colour_at(cam, {113.55, 35.35}), k_clear, 2));

    cam = camera_at(k_wuzhi.lonlat, 15); // four levels past the deepest tiles
    REQUIRE(settle(*tiles, cam));
    CHECK(close_rgb(colour_at(cam, k_wuzhi.lonlat), k_wuzhi.rgb, 2));

    cam = camera_at({100.0, 20.0}, 10); // outside the source: nothing asked, nothing drawn
    frame(*tiles, cam);
    CHECK(tiles->idle());
}

TEST_CASE("basemap: while tiles load, loaded ancestors and children stand in", "[tiles][gl]") {
    OffscreenGlWindow window(640, 480);
    auto tiles = TileBasemap::open(mbtiles_fixture());
    REQUIRE(settle(*tiles, camera_at(k_qinyang.lonlat, 8)));

    // Zoom 11 at once: its tiles are not even requested before this frame's draw(), so what
    // shows is the zoom-8 tile, magnified.
    Camera cam = camera_at(k_qinyang.lonlat, 11);
    frame(*tiles, cam);
    CHECK_FALSE(tiles->idle());
    CHECK(close_rgb(colour_at(cam, k_qinyang.lonlat), k_qinyang.rgb, 2));
    REQUIRE(settle(*tiles, cam));

    // A basemap that has only ever loaded zoom 11 (no ancestors), zoomed out to 10: the loaded
    // zoom-11 children stand in for the zoom-10 tiles.
    auto fresh = TileBasemap::open(mbtiles_fixture());
    REQUIRE(settle(*fresh, cam));
    cam = camera_at(k_qinyang.lonlat, 10);
    frame(*fresh, cam);
    CHECK_FALSE(fresh->idle());
    CHECK(close_rgb(colour_at(cam, k_qinyang.lonlat), k_qinyang.rgb, 2));
}

TEST_CASE("basemap: the cache stays within its byte budget", "[tiles][gl]") {
    OffscreenGlWindow window(512, 512);
    const std::size_t tile_bytes = 256u * 256u * 4u;
    const std::size_t budget = 4 * tile_bytes; // smaller than one view
    auto tiles = TileBasemap::open(mbtiles_fixture(), budget);
    auto info = open_tile_source(mbtiles_fixture())->info();
    auto big = TileBasemap::open(mbtiles_fixture(), 64u << 20);

    // A tour over every zoom-11 tile of the city, twice.
    std::size_t most = 0;
    for (int round = 0; round < 2; ++round)
        for (double lon = 112.55; lon <= 113.65; lon += 0.12)
            for (double lat = 34.80; lat <= 35.50; lat += 0.12) {
                Camera cam = camera_at({lon, lat}, 11, 512, 512);
                REQUIRE(settle(*tiles, cam));
                REQUIRE(settle(*big, cam));
                // Over budget only by what this very frame shows.
                CHECK(tiles->cached_bytes() <= std::max(budget, visible_source_tiles(cam, info) * tile_bytes));
                most = std::max(most, tiles->cached_bytes());
            }
    CHECK(most <= 9 * tile_bytes);    // never more than one 3x3 view's worth
    CHECK(big->cached_tiles() >= 25); // the unbounded one kept every tile it met (29 exist)
    CHECK(big->cached_tiles() > tiles->cached_tiles());

    // A view needing fewer tiles than the budget lets the surplus go.
    Camera close = camera_at(k_wuzhi.lonlat, 15, 512, 512);
    REQUIRE(settle(*tiles, close));
    CHECK(tiles->cached_bytes() <= budget);
    CHECK(close_rgb(colour_at(close, k_wuzhi.lonlat), k_wuzhi.rgb, 2));
}

TEST_CASE("vigil view --tiles --screenshot shows the basemap", "[tiles][gl][cli]") {
    const fs::path dir = test::scratch_dir("tiles_screenshot");
    const fs::path db = dir / "empty.sqlite", png = dir / "basemap.png";
    auto run = [](const std::string& cmd) {
        std::string out;
        int rc = -1;
        // A few tries when the window cannot be opened: see glfw_ready().
        for (int attempt = 0; attempt < 3 && rc != 0; ++attempt) {
            if (attempt > 0) {
                if (out.find("cannot open a window") == std::string::npos) break;
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
            }
            FILE* p = popen((cmd + " 2>&1").c_str(), "r");
            REQUIRE(p);
            out.clear();
            char buf[512];
            while (std::fgets(buf, sizeof buf, p)) out += buf;
            rc = pclose(p);
        }
        INFO(cmd << "\n" << out);
        REQUIRE(rc == 0);
    };
    const std::string exe = std::string("\"") + VIGIL_EXECUTABLE + "\"";
    run(exe + " -q init \"" + db.string() + "\"");
    const geo::Coord centre{113.1, 35.05};
    const double zoom = 9.6;
    run(exe + " -q view \"" + db.string() + "\" --tiles \"" + mbtiles_fixture().string() + "\" --screenshot \"" + png.string() +
        "\" --size 800x600 --view 113.1,35.05,9.6");

    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load(png.c_str(), &w, &h, &n, 3);
    REQUIRE(px);
    CHECK(w == 800);
    CHECK(h == 600);
    Camera cam = camera_at(centre, zoom, w, h);
    // Each county's centroid shows its colour (a 5x5 majority: labels may cover a bit). These
    // four are east of the Layers panel, which covers the window's left 320 pixels.
    int matched = 0;
    for (const County& c : {k_boai, k_wuzhi, k_wenxian, k_xiuwu}) {
        geo::Coord s = cam.lonlat_to_screen(c.lonlat);
        int hits = 0;
        for (int dy = -2; dy <= 2; ++dy)
            for (int dx = -2; dx <= 2; ++dx) {
                const int x = static_cast<int>(s.x) + dx, y = static_cast<int>(s.y) + dy;
                if (x < 0 || y < 0 || x >= w || y >= h) continue;
                const unsigned char* p = px + (static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)) * 3;
                hits += close_rgb({p[0], p[1], p[2]}, c.rgb, 3);
            }
        INFO(c.name << " at " << s.x << "," << s.y << ": " << hits << "/25");
        CHECK(hits >= 13);
        matched += hits >= 13;
    }
    stbi_image_free(px);
    CHECK(matched == 4);
}

} // namespace test_tiles_render_cases

/// @file
/// Tests of spherical Web Mercator (EPSG:3857) and the tile pixel space.
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <vigil/geo/mercator.hpp>

#include <cmath>
#include <random>

using namespace vigil::geo;

namespace test_mercator_cases {

struct Rng : vigil::test::Rng {
    Rng() : vigil::test::Rng(3857) {}
};


TEST_CASE("lon/lat -> EPSG:3857 matches PROJ", "[geo][mercator]") {
    // Produced with: printf "35.22 113.24\n-33.86 151.21\n" | cs2cs -f %.6f EPSG:4326 EPSG:3857
    //   -> 12605819.137430 4193818.601950
    //   -> 16832620.202851 -4010018.902273
    const Coord jz = lonlat_to_mercator({113.24, 35.22});
    CHECK(jz.x == Approx(12605819.137430).margin(1e-5));
    CHECK(jz.y == Approx(4193818.601950).margin(1e-5));
    const Coord syd = lonlat_to_mercator({151.21, -33.86});
    CHECK(syd.x == Approx(16832620.202851).margin(1e-5));
    CHECK(syd.y == Approx(-4010018.902273).margin(1e-5));

    CHECK(lonlat_to_mercator({0, 0}) == Coord{0, 0});
    CHECK(lonlat_to_mercator({180, 0}).x == Approx(k_web_mercator_half_world_m).epsilon(1e-15));
    CHECK(lonlat_to_mercator({0, k_web_mercator_max_lat}).y == Approx(k_web_mercator_half_world_m).epsilon(1e-12));
}

TEST_CASE("Web Mercator clamps latitude", "[geo][mercator]") {
    const Coord north = lonlat_to_mercator({10, 90});
    CHECK(std::isfinite(north.y));
    CHECK(north.y == Approx(k_web_mercator_half_world_m).epsilon(1e-12));
    const Coord south = lonlat_to_mercator({10, -89.9});
    CHECK(south.y == Approx(-k_web_mercator_half_world_m).epsilon(1e-12));
}

TEST_CASE("Web Mercator round trips", "[geo][mercator]") {
    Rng rng;
    for (int i = 0; i < 2000; ++i) {
        const Coord p{rng.uniform(-180, 180), rng.uniform(-85, 85)};
        const Coord back = mercator_to_lonlat(lonlat_to_mercator(p));
        CHECK(back.x == Approx(p.x).margin(1e-9));
        CHECK(back.y == Approx(p.y).margin(1e-9));
        const double zoom = rng.uniform(0, 22);
        const Coord px_back = world_px_to_lonlat(lonlat_to_world_px(p, zoom), zoom);
        CHECK(px_back.x == Approx(p.x).margin(1e-9));
        CHECK(px_back.y == Approx(p.y).margin(1e-9));
    }
}

TEST_CASE("world pixels follow the 256-pixel tile scheme", "[geo][mercator]") {
    CHECK(lonlat_to_world_px({0, 0}, 0) == Coord{128, 128});
    CHECK(lonlat_to_world_px({0, 0}, 1) == Coord{256, 256});
    const Coord top_left = lonlat_to_world_px({-180, k_web_mercator_max_lat}, 3);
    CHECK(top_left.x == Approx(0).margin(1e-9));
    CHECK(top_left.y == Approx(0).margin(1e-6));
    const Coord bottom_right = lonlat_to_world_px({180, -k_web_mercator_max_lat}, 3);
    CHECK(bottom_right.x == Approx(2048));
    CHECK(bottom_right.y == Approx(2048));
    // Fractional zoom scales continuously.
    CHECK(lonlat_to_world_px({90, 0}, 0.5).x == Approx(192 * std::sqrt(2.0)));
    // Jiaozuo at zoom 12 lies in tile (3336, 1619), from the OSM slippy-map formulas
    // x = floor((lon + 180) / 360 * 2^z), y = floor((1 - ln(tan(lat) + sec(lat)) / pi) / 2 * 2^z)
    // evaluated in Python.
    const Coord jz = lonlat_to_world_px({113.24, 35.22}, 12);
    CHECK(std::floor(jz.x / 256) == 3336);
    CHECK(std::floor(jz.y / 256) == 1619);
}

TEST_CASE("metres per pixel", "[geo][mercator]") {
    // The well-known 156,543.03 m/px at zoom 0 on the equator (2 pi 6378137 / 256).
    CHECK(metres_per_pixel(0, 0) == Approx(156543.03392804097).epsilon(1e-14));
    CHECK(metres_per_pixel(0, 1) == Approx(156543.03392804097 / 2).epsilon(1e-14));
    CHECK(metres_per_pixel(60, 0) == Approx(156543.03392804097 / 2).epsilon(1e-12));
    CHECK(metres_per_pixel(35.22, 15) ==
          Approx(156543.03392804097 * std::cos(35.22 * 3.14159265358979323846 / 180) / 32768).epsilon(1e-12));
}

} // namespace test_mercator_cases

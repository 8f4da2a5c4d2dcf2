/// @file
/// The map camera's maths, headless: screen <-> world <-> lon/lat round trips, zoom about the
/// cursor, panning, fitting a box, HiDPI pixel ratios, and the ground scale the scale bar uses.

#include "app/camera.hpp"

#include <vigil/geo/geodesic.hpp>
#include <vigil/geo/mercator.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace vigil;
using viewer::Camera;

namespace test_camera_cases {

Camera jiaozuo_camera(double w = 1200, double h = 800, double zoom = 11, double ratio = 1) {
    Camera c;
    c.set_viewport(w, h);
    c.set_pixel_ratio(ratio);
    c.set_center_lonlat({113.2418, 35.2159});
    c.set_zoom(zoom);
    return c;
}


TEST_CASE("camera: the centre is the middle of the viewport", "[viewer][camera]") {
    Camera c = jiaozuo_camera();
    geo::Coord s = c.lonlat_to_screen({113.2418, 35.2159});
    CHECK(s.x == Approx(600).margin(1e-6));
    CHECK(s.y == Approx(400).margin(1e-6));
    CHECK(c.center_lonlat().x == Approx(113.2418).margin(1e-9));
    CHECK(c.center_lonlat().y == Approx(35.2159).margin(1e-9));
}

TEST_CASE("camera: screen, world and lon/lat round trips", "[viewer][camera]") {
    for (double zoom : {5.0, 8.5, 11.0, 15.25, 20.0}) // zoomed in enough that the view stays inside the mercator world
        for (double ratio : {1.0, 2.0}) {
            Camera c = jiaozuo_camera(1600, 900, zoom, ratio);
            for (geo::Coord p : {geo::Coord{0, 0}, geo::Coord{1600, 900}, geo::Coord{123.5, 777.25}, geo::Coord{800, 450}}) {
                geo::Coord back = c.lonlat_to_screen(c.screen_to_lonlat(p));
                CHECK(back.x == Approx(p.x).margin(1e-6));
                CHECK(back.y == Approx(p.y).margin(1e-6));
                geo::Coord wback = c.world_to_screen(c.screen_to_world(p));
                CHECK(wback.x == Approx(p.x).margin(1e-6));
                CHECK(wback.y == Approx(p.y).margin(1e-6));
            }
            geo::Coord ll{113.0791, 34.9412};
            geo::Coord llback = c.screen_to_lonlat(c.lonlat_to_screen(ll));
            CHECK(llback.x == Approx(ll.x).margin(1e-9));
            CHECK(llback.y == Approx(ll.y).margin(1e-9));
        }
}

TEST_CASE("camera: screen y grows southwards, x eastwards", "[viewer][camera]") {
    Camera c = jiaozuo_camera();
    geo::Coord north = c.lonlat_to_screen({113.2418, 35.30}), east = c.lonlat_to_screen({113.30, 35.2159});
    CHECK(north.y < 400);
    CHECK(east.x > 600);
}

TEST_CASE("camera: zoom_about keeps the point under the cursor", "[viewer][camera]") {
    Camera c = jiaozuo_camera(1600, 900, 11, 2);
    const geo::Coord cursor{1234, 210};
    const geo::Coord before = c.screen_to_lonlat(cursor);
    for (double delta : {1.0, 0.5, -2.0, 3.25}) {
        c.zoom_about(cursor, delta);
        geo::Coord after = c.screen_to_lonlat(cursor);
        CHECK(after.x == Approx(before.x).margin(1e-9));
        CHECK(after.y == Approx(before.y).margin(1e-9));
    }
    CHECK(c.zoom() == Approx(11 + 1 + 0.5 - 2 + 3.25));
}

TEST_CASE("camera: zoom is clamped", "[viewer][camera]") {
    Camera c;
    c.set_zoom(50);
    CHECK(c.zoom() == Camera::k_max_zoom);
    c.set_zoom(-3);
    CHECK(c.zoom() == Camera::k_min_zoom);
}

TEST_CASE("camera: panning moves the map with the pointer", "[viewer][camera]") {
    Camera c = jiaozuo_camera();
    const geo::Coord ll{113.2, 35.2};
    geo::Coord s0 = c.lonlat_to_screen(ll);
    c.pan_pixels(37, -12);
    geo::Coord s1 = c.lonlat_to_screen(ll);
    CHECK(s1.x - s0.x == Approx(37).margin(1e-6));
    CHECK(s1.y - s0.y == Approx(-12).margin(1e-6));
}

TEST_CASE("camera: fit shows the whole box inside the margins", "[viewer][camera]") {
    const geo::BBox jiaozuo{112.55, 34.80, 113.65, 35.50};
    for (double ratio : {1.0, 2.0}) {
        Camera c = jiaozuo_camera(1600 * ratio, 900 * ratio, 3, ratio);
        c.fit(jiaozuo, 40);
        geo::Coord a = c.lonlat_to_screen({jiaozuo.min_x, jiaozuo.max_y}), b = c.lonlat_to_screen({jiaozuo.max_x, jiaozuo.min_y});
        CHECK(a.x >= 40 - 1e-6);
        CHECK(a.y >= 40 - 1e-6);
        CHECK(b.x <= c.width() - 40 + 1e-6);
        CHECK(b.y <= c.height() - 40 + 1e-6);
        // Tight in one direction: one side touches its margin.
        const bool tight_x = std::abs(a.x - 40) < 1e-6 && std::abs(b.x - (c.width() - 40)) < 1e-6;
        const bool tight_y = std::abs(a.y - 40) < 1e-6 && std::abs(b.y - (c.height() - 40)) < 1e-6;
        CHECK((tight_x || tight_y));
    }
    // The same zoom on every screen: a HiDPI framebuffer of twice the pixels shows the same area.
    Camera one = jiaozuo_camera(1600, 900, 3, 1), two = jiaozuo_camera(3200, 1800, 3, 2);
    one.fit(jiaozuo, 0);
    two.fit(jiaozuo, 0);
    CHECK(one.zoom() == Approx(two.zoom()).margin(1e-9));
}

TEST_CASE("camera: fit of a point stops at the maximum zoom asked for", "[viewer][camera]") {
    Camera c = jiaozuo_camera();
    c.fit(geo::BBox{113.1, 35.1, 113.1, 35.1}, 40, 15);
    CHECK(c.zoom() == Approx(15));
    CHECK(c.center_lonlat().x == Approx(113.1).margin(1e-9));
}

TEST_CASE("camera: the visible box matches the screen corners", "[viewer][camera]") {
    Camera c = jiaozuo_camera(1000, 700, 12);
    geo::BBox v = c.visible_lonlat();
    geo::Coord tl = c.screen_to_lonlat({0, 0}), br = c.screen_to_lonlat({1000, 700});
    CHECK(v.min_x == Approx(tl.x).margin(1e-9));
    CHECK(v.max_y == Approx(tl.y).margin(1e-9));
    CHECK(v.max_x == Approx(br.x).margin(1e-9));
    CHECK(v.min_y == Approx(br.y).margin(1e-9));
}

TEST_CASE("camera: ground metres per pixel agree with geodesic distance", "[viewer][camera]") {
    // What the scale bar relies on: 200 pixels across the centre measure 200 × the ground scale.
    // The camera corrects the mercator scale by cos(latitude), a spherical rule: on the WGS84
    // ellipsoid an east-west pixel is longer by about e²·sin²(φ)/2 (0.11 % at Jiaozuo's 35°N),
    // which no scale bar shows.
    Camera c = jiaozuo_camera(1000, 800, 12);
    geo::Coord a = c.screen_to_lonlat({400, 400}), b = c.screen_to_lonlat({600, 400});
    CHECK(geo::geodesic_distance_m(a, b) == Approx(200 * c.ground_metres_per_pixel()).epsilon(2e-3));
    // And at zoom z one logical pixel is 2πR / (256·2^z) mercator metres.
    CHECK(c.world_per_pixel() == Approx(2 * geo::k_web_mercator_half_world_m / (256 * std::exp2(12.0))));
}

} // namespace test_camera_cases

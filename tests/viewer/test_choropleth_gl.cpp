/// @file
/// The choropleth with real GL (Mesa llvmpipe under Xvfb), in this process: the admin areas
/// drawn by MapRenderer from the same LayerView with the mode off and on — the county under a
/// point takes its class colour (blended at k_choropleth_alpha) only when on, and off again gives
/// back the default pixels. Proof that the renderer's polygon fill path consults the override.
#include "app/app_state.hpp"
#include "gl_window.hpp"
#include "render/gl.hpp"
#include "render/map_renderer.hpp"
#include "viewer_fixtures.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace vigil;
using namespace vigil::viewer;


namespace test_choropleth_gl_cases {

/// The admin areas drawn as the viewer draws them, and the colour at `lonlat`.
std::array<int, 3> draw_and_read(const MapRenderer& renderer, const AppState& s, geo::Coord lonlat) {
    const LayerView& l = *s.layer("admin_areas");
    auto mesh = renderer.build(*l.layer, l.row_visible, l.styles);
    renderer.begin_frame(s.camera(), Rgba{255, 255, 255, 255});
    renderer.draw(*mesh, s.camera(), 1.0f);
    renderer.end_frame();
    glFinish();
    const geo::Coord p = s.camera().lonlat_to_screen(lonlat);
    const int x = static_cast<int>(p.x), y = static_cast<int>(s.camera().height()) - 1 - static_cast<int>(p.y);
    unsigned char px[4] = {};
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(x, y, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, px);
    return {px[0], px[1], px[2]};
}


TEST_CASE("choropleth: the county polygons are filled in their class colour only while on", "[viewer][gl][choropleth]") {
    test_fixtures::OffscreenGlWindow window(640, 480, /*with_stencil=*/true);
    MapRenderer renderer;
    renderer.init();
    AppState s;
    s.camera().set_viewport(640, 480);
    s.open_project(test_fixtures::demo_db());
    const geo::Coord wenxian{113.0791, 34.9412}; // inside 温县 (README's dispatcher example)
    s.camera().set_center_lonlat(wenxian);
    s.camera().set_zoom(10);

    const auto off = draw_and_read(renderer, s, wenxian);
    CHECK(off == std::array<int, 3>{255, 255, 255}); // the catalogue's admin fill is transparent

    s.set_choropleth(ChoroplethMeasure::Overdue);
    const Choropleth& c = *s.choropleth();
    auto county = c.county_at(*s.layer("admin_areas")->layer, wenxian);
    REQUIRE(county);
    const Rgba cls = c.classes[c.class_of(measure_value(c.stats[*county], ChoroplethMeasure::Overdue))].colour;
    const auto on = draw_and_read(renderer, s, wenxian);
    // Source-over on white: white + (class − white)·alpha/255, within rounding.
    const double a = k_choropleth_alpha / 255.0;
    const int expected[3] = {static_cast<int>(255 + (cls.r - 255) * a + 0.5), static_cast<int>(255 + (cls.g - 255) * a + 0.5),
                             static_cast<int>(255 + (cls.b - 255) * a + 0.5)};
    INFO("on " << on[0] << "," << on[1] << "," << on[2] << " expected " << expected[0] << "," << expected[1] << "," << expected[2]);
    for (int k = 0; k < 3; ++k) CHECK(std::abs(on[static_cast<std::size_t>(k)] - expected[k]) <= 3);
    CHECK_FALSE(on == off);

    s.set_choropleth(ChoroplethMeasure::None);
    CHECK(draw_and_read(renderer, s, wenxian) == off);
}

} // namespace test_choropleth_gl_cases

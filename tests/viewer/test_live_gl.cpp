/// @file
/// Following the database live with real GL (Mesa llvmpipe under Xvfb): a team's status set to
/// deployed by a second connection turns its marker on the drawn frame from the standby green to
/// the deployed red within a second of the commit — frames as the window runs them: poll and
/// apply (update_live), rebuild a layer's mesh when its revision changed, draw, read the pixel.
#include "app/app_state.hpp"
#include "change_writer.hpp"
#include "gl_window.hpp"
#include "render/gl.hpp"
#include "render/map_renderer.hpp"
#include "test_paths.hpp"
#include "viewer_fixtures.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <thread>

using namespace vigil;
using namespace vigil::viewer;

namespace test_live_gl_cases {

bool near(const std::array<int, 3>& px, Rgba c) {
    return std::abs(px[0] - c.r) <= 3 && std::abs(px[1] - c.g) <= 3 && std::abs(px[2] - c.b) <= 3;
}

TEST_CASE("live: a deployed team's marker turns red on the drawn frame within a second of the commit", "[viewer][gl][live]") {
    test_fixtures::OffscreenGlWindow window(400, 300);
    MapRenderer renderer;
    renderer.init();
    const auto db = test::scratch_copy(test::data_dir() / "project_small.sqlite", test::scratch_dir("viewer-live-gl"), "project.sqlite");
    test::ChangeWriter editor(db);
    AppState s;
    s.camera().set_viewport(400, 300);
    s.open_project(db);
    REQUIRE(s.live());
    const LayerView* teams = s.layer("rescue_teams");
    const auto row = teams->layer->find("T01");
    REQUIRE(row);
    REQUIRE(teams->layer->text(*row, "status") == "available");
    const geo::Coord at = teams->layer->geometry(*row).coords[0];
    s.camera().set_center_lonlat(at);
    s.camera().set_zoom(14);
    const Rgba green = *teams->styles.colour_of_value("available"), red = *teams->styles.colour_of_value("deployed");

    // One frame: poll and apply, rebuild the mesh only when the layer's revision moved (as the
    // viewer caches it), draw, and read the pixel at the team.
    std::uint64_t built = 0;
    std::shared_ptr<LayerMesh> mesh;
    auto frame = [&] {
        s.update_live();
        const LayerView& l = *s.layer("rescue_teams");
        if (!mesh || built != l.revision) {
            mesh = renderer.build(*l.layer, l.row_visible, l.styles);
            built = l.revision;
        }
        renderer.begin_frame(s.camera(), Rgba{255, 255, 255, 255});
        renderer.draw(*mesh, s.camera(), 1.0f);
        renderer.end_frame();
        glFinish();
        const geo::Coord p = s.camera().lonlat_to_screen(at);
        const int x = static_cast<int>(p.x), y = static_cast<int>(s.camera().height()) - 1 - static_cast<int>(p.y);
        unsigned char px[4] = {};
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadPixels(x, y, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, px);
        return std::array<int, 3>{px[0], px[1], px[2]};
    };
    const auto before = frame();
    INFO("before " << before[0] << "," << before[1] << "," << before[2]);
    REQUIRE(near(before, green));

    editor.set("rescue_teams", "T01", "status", "deployed");
    const auto committed = std::chrono::steady_clock::now();
    std::array<int, 3> px = before;
    double ms = 0;
    while (!near(px, red) && ms < 3000) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        px = frame();
        ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - committed).count();
    }
    INFO("after " << px[0] << "," << px[1] << "," << px[2] << " at " << ms << " ms");
    CHECK(near(px, red));
    CHECK(ms < 1000);
    std::cout << "live, real window: commit -> the frame showing the deployed team " << ms << " ms\n";
}

} // namespace test_live_gl_cases

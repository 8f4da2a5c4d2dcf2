// The whole viewer through `vigil view --screenshot`, under Xvfb (Mesa llvmpipe): the Jiaozuo
// demo at three views compared with committed reference images, proof that the comparison sees
// symbols, labels and the basemap go missing, and the soak run (10,000 frames of panning with
// resident memory flat within 5%).
//
// The references are tests/data/golden/*.png. After a deliberate change to the look (or to the
// demo data), regenerate them with
//     VIGIL_UPDATE_GOLDEN=1 xvfb-run -a build/tests/viewer/vigil_viewer_gl_tests '[golden]'
// and look at them before committing. A failing comparison leaves the actual image and a diff
// (differing pixels in magenta over a faded reference) in the test's scratch folder.
#include "screenshots.hpp"
#include "test_paths.hpp"
#include "tile_fixtures.hpp"

#include <catch2/catch.hpp>
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <vector>

using namespace vigil;
using namespace vigil::viewer;
namespace fs = std::filesystem;

namespace test_golden_cases {

using namespace vigil::viewer::test_fixtures;

/// The demo database, made once per test process through the ordinary import path.
const fs::path& demo_db() {
    static const fs::path db = [] {
        const fs::path dir = test::scratch_dir("golden_demo");
        const fs::path path = dir / "jiaozuo.sqlite";
        auto r = shell(vigil_cmd() + " demo '" + path.string() + "' --sources '" + (dir / "sources").string() + "'");
        INFO(r.output);
        REQUIRE(r.code == 0);
        return path;
    }();
    return db;
}

struct View {
    const char* name;
    std::string args; ///< after `vigil view DB`
};

// The three views: the whole city over the raster basemap (clusters, boundaries, rivers,
// roads, county names), the city centre at street level (symbols in their risk colours and
// dense Chinese labels placed without overlaps), Wenxian with a major hazard source selected
// (selection highlight, inspector with its inventory).
// All at the demo ledger's day: the hidden hazards' colours depend on the day (deadlines pass).
const View k_views[] = {
    {"home", "--as-of 2026-12-01 --tiles '" + test_fixtures::mbtiles_fixture().string() + "'"},
    {"city", "--as-of 2026-12-01 --view 113.235,35.225,13"},
    {"wenxian", "--as-of 2026-12-01 --view 113.03,34.93,13.5 --select JZ410825-0001-W1"},
};
const char* const k_size = "1280x720";

Image render(const std::string& name, const std::string& args) {
    const fs::path out = test::scratch_dir("golden_" + name) / (name + ".png");
    // In Chinese, the viewer's default (the tests speak English otherwise).
    auto r = run_viewer("'" + demo_db().string() + "' --size " + k_size + " --screenshot '" + out.string() + "' --lang zh " + args);
    INFO(r.output);
    REQUIRE(r.code == 0);
    return Image::load(out);
}

fs::path reference(const std::string& name) { return test::data_dir() / "golden" / (name + ".png"); }


TEST_CASE("golden images: the demo at three views looks as the references", "[viewer][gl][golden]") {
    const bool update = std::getenv("VIGIL_UPDATE_GOLDEN") != nullptr;
    for (const View& v : k_views) {
        DYNAMIC_SECTION(v.name) {
            const Image actual = render(v.name, v.args);
            const fs::path ref = reference(v.name);
            if (update) {
                fs::create_directories(ref.parent_path());
                REQUIRE(stbi_write_png(ref.c_str(), actual.width, actual.height, 3, actual.rgb.data(), actual.width * 3));
                WARN("updated " << ref);
                continue;
            }
            REQUIRE(fs::exists(ref));
            const fs::path diff_png = test::scratch_dir(std::string("golden_diff_") + v.name) / "diff.png";
            const Diff d = compare(actual, Image::load(ref), diff_png);
            INFO(v.name << ": " << d.pixels << " pixels (" << d.share * 100 << "%) differ; tolerance " << k_golden_tolerance * 100
                        << "%; diff in " << diff_png);
            CHECK(d.share <= k_golden_tolerance);
        }
    }
}

TEST_CASE("golden images: the comparison fails when symbols, labels or the basemap disappear", "[viewer][gl][golden]") {
    // Each of these renders the home or city view with one ingredient missing; each must be far
    // outside the tolerance the golden test allows, or that test could not catch the loss.
    struct Loss {
        const char* what;
        const View& view;
        std::string args;
    };
    const Loss losses[] = {
        {"point symbols (all four point layers hidden)", k_views[1],
         "--view 113.235,35.225,13 --hide enterprises,hazard_sources,rescue_teams,warehouses"},
        {"enterprises alone hidden", k_views[1], "--view 113.235,35.225,13 --hide enterprises"},
        {"labels", k_views[1], "--view 113.235,35.225,13 --no-labels"},
        {"raster basemap", k_views[0], ""},
        {"vector basemap (boundaries, rivers, roads)", k_views[0],
         "--tiles '" + test_fixtures::mbtiles_fixture().string() + "' --hide admin_areas,rivers,roads"},
    };
    for (const Loss& loss : losses) {
        DYNAMIC_SECTION(loss.what) {
            const fs::path ref = reference(loss.view.name);
            REQUIRE(fs::exists(ref));
            const Image actual = render(std::string("loss_") + loss.view.name, loss.args);
            const Diff d = compare(actual, Image::load(ref));
            INFO(loss.what << ": " << d.share * 100 << "% of pixels differ from " << ref);
            // At least three times the tolerance: a clear failure, not a borderline one.
            CHECK(d.share > 3 * k_golden_tolerance);
        }
    }
}

TEST_CASE("soak: 10,000 frames of panning over the demo with an edit every second, resident memory flat within 5%", "[viewer][gl][soak]") {
    // `--soak N` pans in circles with the zoom stepping through four levels (clusters, labels and
    // meshes rebuilt again and again), compares resident memory at the end with frame 1000 and
    // exits 1 beyond +5%. Meanwhile another process edits a team's status once a second, as a
    // dispatcher would: the viewer follows each edit (a patched layer, its styles and clusters
    // again) and must still not grow.
    const int frames = std::getenv("VIGIL_SOAK_FRAMES") ? std::atoi(std::getenv("VIGIL_SOAK_FRAMES")) : 10000;
    const fs::path db = test::scratch_dir("soak-edits") / "jiaozuo.sqlite";
    fs::copy_file(demo_db(), db, fs::copy_options::overwrite_existing);
    std::atomic<bool> done{false};
    std::atomic<int> edits{0}, failed{0};
    std::thread editor([&] {
        static constexpr const char* k_status[] = {"resting", "available"};
        for (int i = 0; !done.load(); ++i) {
            const auto r = shell(vigil_cmd() + " -q team status '" + db.string() + "' JZDW-00" + std::to_string(1 + i % 2) + " " +
                                 k_status[(i / 2) % 2] + " --by soak --seat soak-test");
            (r.code == 0 ? edits : failed)++;
            for (int t = 0; t < 10 && !done.load(); ++t) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    auto r = run_viewer("'" + db.string() + "' --size 960x540 --soak " + std::to_string(frames));
    done = true;
    editor.join();
    INFO(r.output);
    CHECK(r.code == 0);
    CHECK(r.output.find("growth") != std::string::npos);
    CHECK(failed.load() == 0);
    // The edits were followed: an update applied for most of them (several may fold into one).
    const auto updates_end = r.output.rfind(" live updates applied");
    REQUIRE(updates_end != std::string::npos);
    const auto updates_at = r.output.rfind(' ', updates_end - 1);
    REQUIRE(updates_at != std::string::npos);
    const long updates = std::strtol(r.output.c_str() + updates_at + 1, nullptr, 10);
    INFO(edits.load() << " edits, " << updates << " live updates applied");
    CHECK(edits.load() >= 3);
    CHECK(updates * 2 >= edits.load() - 2);
    // Resident memory for the demo stays inside the budget (150 MB), llvmpipe's LLVM
    // (about 55 MB of it, absent with a GPU driver) included.
    const auto at = r.output.rfind("resident ");
    REQUIRE(at != std::string::npos);
    const long kib = std::strtol(r.output.c_str() + at + 9, nullptr, 10);
    CHECK(kib > 0);
    CHECK(kib < 150 * 1024);
}

// `vigil view --open dispatch --incident ID --screenshot`: an incident opened as a dispatcher
// would (by road and county), shown in the Dispatch panel with its answer at the two screen sizes
// of the issue; the map goes to it (the view differs from the panel-less one), and an unknown
// panel or incident is refused by name.
TEST_CASE("screenshots of a panel and an incident: --open dispatch --incident at 1366x768 and 1920x1080", "[viewer][gl][flow]") {
    const fs::path dir = test::scratch_dir("golden_flow");
    const fs::path db = dir / "jiaozuo.sqlite";
    fs::copy_file(demo_db(), db, fs::copy_options::overwrite_existing);
    auto r = shell(vigil_cmd() + " incident open '" + db.string() +
                   "' --at 'G207 温县段' --type 危化品泄漏 --material 硫酸 --un 1830 --title 'G207 温县段硫酸泄漏' --id INC-FLOW-1");
    INFO(r.output);
    REQUIRE(r.code == 0);
    for (const char* size : {"1366x768", "1920x1080"}) {
        DYNAMIC_SECTION(size) {
            const fs::path shot = dir / (std::string("dispatch-") + size + ".png");
            const fs::path plain = dir / (std::string("plain-") + size + ".png");
            r = run_viewer("'" + db.string() + "' --as-of 2026-12-01 --size " + size +
                           " --open dispatch --incident INC-FLOW-1 --screenshot '" + shot.string() + "'");
            INFO(r.output);
            REQUIRE(r.code == 0);
            r = run_viewer("'" + db.string() + "' --as-of 2026-12-01 --size " + size + " --screenshot '" + plain.string() + "'");
            REQUIRE(r.code == 0);
            const Image a = Image::load(shot), b = Image::load(plain);
            CHECK(std::to_string(a.width) + "x" + std::to_string(a.height) == size);
            CHECK(compare(a, b).share > 0.05); // the panel, and the map gone to the incident
        }
    }
    r = run_viewer("'" + db.string() + "' --open nope --screenshot '" + (dir / "x.png").string() + "'");
    CHECK(r.code != 0);
    CHECK(r.output.find("no such panel") != std::string::npos);
    r = run_viewer("'" + db.string() + "' --incident INC-NOPE --screenshot '" + (dir / "x.png").string() + "'");
    CHECK(r.code != 0);
    CHECK(r.output.find("INC-NOPE") != std::string::npos);
}

} // namespace test_golden_cases

// The viewer tests' shared fixtures (viewer_fixtures.hpp): a shell command's output and the
// Jiaozuo demo database built by the vigil program.

#include "viewer_fixtures.hpp"

#include <imgui.h>

#include <catch2/catch.hpp>

#include <cstdio>

namespace vigil::viewer::test_fixtures {

std::string run_command(const std::string& command) {
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    REQUIRE(p);
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    REQUIRE(pclose(p) == 0);
    return out;
}

const std::filesystem::path& demo_db() {
    // scratch_dir() is unique per process, so test processes running side by side under
    // ctest -j never write the same file.
    static const std::filesystem::path db = [] {
        auto path = test::scratch_dir("viewer-demo") / "jiaozuo.sqlite";
        run_command(std::string("\"") + VIGIL_EXECUTABLE + "\" -q demo \"" + path.string() + "\" --force");
        return path;
    }();
    return db;
}

HeadlessImGui::HeadlessImGui(float width, float height) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(width, height);
    io.DeltaTime = 1.0f / 60;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
}

HeadlessImGui::~HeadlessImGui() { ImGui::DestroyContext(); }

AppState open_demo() {
    AppState s;
    s.camera().set_viewport(1600, 900);
    s.open_project(demo_db());
    return s;
}

} // namespace vigil::viewer::test_fixtures

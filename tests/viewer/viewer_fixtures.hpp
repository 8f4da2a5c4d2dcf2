/// @file
/// Projects the viewer's tests open, and the shell commands they compare with.
#pragma once

#include "app/app_state.hpp"
#include "test_paths.hpp"

#include <filesystem>
#include <string>

namespace vigil::viewer::test_fixtures {

/// tests/data/project_small.sqlite (five rescue teams, two admin areas, a road) in a 1000x800 view.
inline AppState open_small() {
    AppState s;
    s.camera().set_viewport(1000, 800);
    s.open_project(test::data_dir() / "project_small.sqlite");
    return s;
}

/// The standard output of a shell command; REQUIREs that it exits with 0.
std::string run_command(const std::string& command);

/// The Jiaozuo demo database (with its roads), built once per test process by the vigil program
/// (~2 s).
const std::filesystem::path& demo_db();

/// The demo in a 1600x900 view.
AppState open_demo();

/// Dear ImGui without a platform or renderer backend (no window, no GL), for drawing the panels
/// headless: a context with a `width` x `height` display at 60 frames a second, no ini file, its
/// font atlas built. Destroys the context when it goes.
class HeadlessImGui {
public:
    HeadlessImGui(float width, float height);
    ~HeadlessImGui();
    HeadlessImGui(const HeadlessImGui&) = delete;
    HeadlessImGui& operator=(const HeadlessImGui&) = delete;
};

} // namespace vigil::viewer::test_fixtures

/// @file
/// Projects the viewer's headless tests open.
#pragma once

#include "app/app_state.hpp"
#include "test_paths.hpp"

namespace vigil::viewer::test_fixtures {

/// tests/data/project_small.sqlite (five rescue teams, two admin areas, a road) in a 1000x800 view.
inline AppState open_small() {
    AppState s;
    s.camera().set_viewport(1000, 800);
    s.open_project(test::data_dir() / "project_small.sqlite");
    return s;
}

} // namespace vigil::viewer::test_fixtures

# Fails if the viewer's behaviour (viewer/app) includes a window system, a GL API, Dear ImGui,
# Emscripten or the viewer's GL/ImGui folders, or tests __EMSCRIPTEN__: app/ is tested headless
# and shared by both builds; the platform differences live in viewer/platform. Run by ctest as
# "viewer app include rules".
include(${CMAKE_CURRENT_LIST_DIR}/include_rules.cmake)

set(_app "${ROOT}/viewer/app/*.hpp" "${ROOT}/viewer/app/*.cpp")
check_includes("viewer/app must stay free of GL, ImGui and platform code"
  "[<\"](GL/|GLES|GLFW|imgui|backends/|emscripten|render/|panels/|tiles/tile_basemap|gl\\.hpp)" ${_app})
check_lines("viewer/app must not test the platform (platform differences belong in viewer/platform)"
  "__EMSCRIPTEN__" "__EMSCRIPTEN__" ${_app})

# Fails if the viewer's behaviour (viewer/app) includes a window system, a GL API, Dear ImGui,
# Emscripten or the viewer's GL/ImGui folders: app/ is tested headless and shared by both
# builds; the platform differences live in viewer/platform. Run by ctest as "viewer app include
# rules".
file(GLOB_RECURSE files "${ROOT}/viewer/app/*.hpp" "${ROOT}/viewer/app/*.cpp")
set(bad "")
foreach(f IN LISTS files)
  file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include")
  foreach(line IN LISTS lines)
    if(line MATCHES "[<\"](GL/|GLES|GLFW|imgui|backends/|emscripten|render/|panels/|tiles/tile_basemap|gl\\.hpp)")
      string(APPEND bad "${f}: ${line}\n")
    endif()
  endforeach()
  file(STRINGS "${f}" ifdefs REGEX "__EMSCRIPTEN__")
  foreach(line IN LISTS ifdefs)
    string(APPEND bad "${f}: ${line} (platform differences belong in viewer/platform)\n")
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "viewer/app must stay free of GL, ImGui and platform code; these lines break the rule:\n${bad}")
endif()
list(LENGTH files n)
message(STATUS "viewer app include rules: ${n} files checked, ok")

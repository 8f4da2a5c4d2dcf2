# Fails if the platform-free core includes anything native-only or GUI-only: GDAL/OGR/CPL, PROJ,
# SpatiaLite, OpenSSL, iconv, OpenGL, GLFW, Dear ImGui, Emscripten, or the native adapters' own
# headers (vigil/native/, vigil/gdal/: core never depends on them); and if the native store
# (core/native) includes GDAL, PROJ or the GDAL import's headers, which would tie every program
# that writes a project to GDAL. Run by ctest as "core include rules".
include(${CMAKE_CURRENT_LIST_DIR}/include_rules.cmake)

check_includes("vigil_core must stay platform-free"
  "[<\"](gdal|ogr|cpl_|proj\\.h|proj/|spatialite|openssl/|iconv\\.h|GL/|GLES|GLFW|imgui|emscripten|vigil/native/|vigil/gdal/)"
  "${ROOT}/core/include/*.hpp" "${ROOT}/core/src/*.cpp" "${ROOT}/core/src/*.hpp")
check_includes("vigil_native_store must not need GDAL or PROJ"
  "[<\"](gdal|ogr|cpl_|proj\\.h|proj/|vigil/gdal/)"
  "${ROOT}/core/native/*.hpp" "${ROOT}/core/native/*.cpp")

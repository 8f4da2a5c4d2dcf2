# Third-party libraries, each behind a project-owned target name so that the native and the
# WebAssembly builds say the same thing:
#   vigil::sqlite3     system libsqlite3 natively; the SQLite amalgamation compiled here under Emscripten
#   vigil::json        nlohmann-json (header-only)
#   vigil::fast_float  fast_float (header-only)
#   vigil::fmt         fmt (compiled natively, header-only under Emscripten)
# All come from Debian packages (see docs/building.md). Under Emscripten we never add /usr/include
# to the include path (it would drag glibc headers into the wasm build): the header-only libraries
# are copied into the build tree and included from there.

function(_vigil_copy_headers out_var)
  set(dest ${CMAKE_BINARY_DIR}/third_party_headers)
  foreach(dir IN LISTS ARGN)
    if(NOT EXISTS /usr/include/${dir})
      message(SEND_ERROR "Header folder /usr/include/${dir} is missing: install the Debian package that provides it (see docs/building.md)")
    endif()
    file(COPY /usr/include/${dir} DESTINATION ${dest})
  endforeach()
  set(${out_var} ${dest} PARENT_SCOPE)
endfunction()

add_library(vigil_json INTERFACE)
add_library(vigil::json ALIAS vigil_json)
add_library(vigil_fast_float INTERFACE)
add_library(vigil::fast_float ALIAS vigil_fast_float)
add_library(vigil_fmt INTERFACE)
add_library(vigil::fmt ALIAS vigil_fmt)
add_library(vigil_sqlite3 INTERFACE)
add_library(vigil::sqlite3 ALIAS vigil_sqlite3)

if(EMSCRIPTEN)
  _vigil_copy_headers(_hdr nlohmann fast_float fmt catch2)
  target_include_directories(vigil_json SYSTEM INTERFACE ${_hdr})
  target_include_directories(vigil_fast_float SYSTEM INTERFACE ${_hdr})
  target_include_directories(vigil_fmt SYSTEM INTERFACE ${_hdr})
  target_compile_definitions(vigil_fmt INTERFACE FMT_HEADER_ONLY=1)
  set(VIGIL_CATCH2_INCLUDE_DIR ${_hdr} CACHE INTERNAL "")

  # SQLite amalgamation, made from Debian's sqlite3 source package by tools/fetch-sqlite-amalgamation.sh.
  set(VIGIL_SQLITE_AMALGAMATION_DIR "${CMAKE_SOURCE_DIR}/.deps/sqlite" CACHE PATH
      "Folder holding sqlite3.c and sqlite3.h for the WebAssembly build")
  if(NOT EXISTS ${VIGIL_SQLITE_AMALGAMATION_DIR}/sqlite3.c)
    message(SEND_ERROR "No sqlite3.c in VIGIL_SQLITE_AMALGAMATION_DIR=${VIGIL_SQLITE_AMALGAMATION_DIR}: "
                       "run tools/fetch-sqlite-amalgamation.sh first")
  endif()
  add_library(vigil_sqlite3_amalgamation STATIC ${VIGIL_SQLITE_AMALGAMATION_DIR}/sqlite3.c)
  target_include_directories(vigil_sqlite3_amalgamation SYSTEM PUBLIC ${VIGIL_SQLITE_AMALGAMATION_DIR})
  target_compile_definitions(vigil_sqlite3_amalgamation PRIVATE
    SQLITE_ENABLE_RTREE=1 SQLITE_OMIT_LOAD_EXTENSION=1 SQLITE_THREADSAFE=0 SQLITE_DEFAULT_MEMSTATUS=0
    SQLITE_DQS=0 SQLITE_ENABLE_DESERIALIZE=1)
  target_compile_options(vigil_sqlite3_amalgamation PRIVATE -O2 -w)
  target_link_libraries(vigil_sqlite3 INTERFACE vigil_sqlite3_amalgamation)
else()
  find_package(SQLite3 REQUIRED)
  target_link_libraries(vigil_sqlite3 INTERFACE SQLite::SQLite3)
  find_package(nlohmann_json 3.10 REQUIRED)
  target_link_libraries(vigil_json INTERFACE nlohmann_json::nlohmann_json)
  find_package(fmt REQUIRED)
  target_link_libraries(vigil_fmt INTERFACE fmt::fmt)
  if(NOT EXISTS /usr/include/fast_float/fast_float.h)
    message(SEND_ERROR "fast_float is missing: apt-get install libfast-float-dev")
  endif()
endif()

if(VIGIL_WITH_GDAL)
  find_package(GDAL CONFIG)
  if(NOT GDAL_FOUND)
    message(SEND_ERROR "VIGIL_WITH_GDAL=ON but GDAL was not found: apt-get install libgdal-dev, or configure with -DVIGIL_WITH_GDAL=OFF")
  endif()
  find_package(PROJ CONFIG)
  if(NOT PROJ_FOUND)
    message(SEND_ERROR "VIGIL_WITH_GDAL=ON but PROJ was not found: apt-get install libproj-dev, or configure with -DVIGIL_WITH_GDAL=OFF")
  endif()
  find_package(OpenSSL REQUIRED COMPONENTS Crypto SSL)
  find_package(CLI11 CONFIG REQUIRED)
endif()

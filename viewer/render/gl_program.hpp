/// @file
/// Compiling and linking a GL program from GLSL sources (the version header of render/gl.hpp
/// prepended), with the driver's log in the error: shared by the map renderer and the basemap.
#pragma once

#include "gl.hpp"

#include <string_view>

namespace vigil::viewer {

/// Compiles `vs` and `fs` (each after VIGIL_GLSL_HEADER and `defines`) and links them. Throws
/// vigil::Error naming `what` ("map renderer: line", "basemap: tile") with the compiler's or
/// linker's log; nothing is left allocated then.
GLuint link_program(std::string_view what, const char* vs, const char* fs, std::string_view defines = {});

} // namespace vigil::viewer

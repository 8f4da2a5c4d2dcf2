/// @file
/// Where the program finds its data files. In the build tree they are the source tree's folders
/// (compiled in); installed (`cmake --install`, the .deb) they lie beside the program:
///
///   PREFIX/bin/vigil                the lean front (front_main.cpp)
///   PREFIX/bin/vigil-full           the full program it hands other commands to
///   PREFIX/share/vigil/layers/      the layer catalogue (VIGIL_LAYERS)
///   PREFIX/share/vigil/demo/        the demo's real boundaries, rivers and places (VIGIL_DEMO_DATA)
///   PREFIX/share/vigil/web/         the browser viewer, when it was built (VIGIL_WEB)
///
/// found relative to the program itself, so an installation can be moved or unpacked anywhere
/// (`dpkg -x`) and still works. An environment variable the user set always wins.
#pragma once

#include <string>
#include <string_view>

namespace vigil::cli {

/// Points VIGIL_LAYERS, VIGIL_DEMO_DATA and VIGIL_WEB at PREFIX/share/vigil/... when the program
/// runs from an installation (PREFIX/share/vigil/layers exists), unless the user set them.
/// Called once at start, before any thread runs (setenv is not thread-safe).
void use_installed_layout();

/// Where use_installed_layout() found the folder of `variable` (VIGIL_LAYERS, VIGIL_DEMO_DATA,
/// VIGIL_WEB): "environment", "installed beside the program" or "built-in" (for `vigil paths`).
std::string data_folder_origin(std::string_view variable);

} // namespace vigil::cli

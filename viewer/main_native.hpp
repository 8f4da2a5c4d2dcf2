/// @file
/// The native viewer: a GLFW window with an OpenGL 3.3 core context driving ViewerApp::frame().
/// @attention links GLFW and OpenGL (vigil_viewer_native).
#pragma once

#include "viewer_app.hpp"

namespace vigil::viewer {

/// Opens the window and runs until it is closed; in screenshot mode renders a few frames, writes
/// the PNG and returns. Throws vigil::Error subclasses (no display, no OpenGL 3.3, bad project).
int run_native_viewer(const ViewerOptions& options);
/// One run of the window (what run_native_viewer supervises for an attended --wall).
int run_native_viewer_once(const ViewerOptions& options);

/// Where the panel layout is remembered: $XDG_CONFIG_HOME/vigil/imgui.ini (or ~/.config/...).
std::filesystem::path default_settings_path();

} // namespace vigil::viewer

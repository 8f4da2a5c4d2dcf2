/// @file
/// The GL tests' window: GLFW initialised once per process, and a hidden OpenGL 3.3 core window
/// rendering into its own framebuffer (a hidden window's own pixels need not exist), with a
/// depth + stencil buffer when asked (the polygon fills need the stencil).
#pragma once

#include "render/gl.hpp"

struct GLFWwindow;

namespace vigil::viewer::test_fixtures {

/// Initialises GLFW once for the whole program: the Xvfb here resets ~10% of connections opened
/// right after another client closed one, so no reconnecting between tests, and a few tries at
/// the start. False if it never came up (the last GLFW error: glfw_error()).
bool glfw_ready();
const char* glfw_error();

class OffscreenGlWindow {
public:
    /// REQUIREs a window, a current context and a complete framebuffer, bound for drawing.
    OffscreenGlWindow(int width, int height, bool with_stencil = false);
    ~OffscreenGlWindow();
    OffscreenGlWindow(const OffscreenGlWindow&) = delete;
    OffscreenGlWindow& operator=(const OffscreenGlWindow&) = delete;

private:
    GLFWwindow* m_window = nullptr;
    GLuint m_fbo = 0, m_rb[2] = {};
};

} // namespace vigil::viewer::test_fixtures

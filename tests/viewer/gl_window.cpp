/// @file
/// See gl_window.hpp.

#include "gl_window.hpp"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

namespace vigil::viewer::test_fixtures {

namespace {
std::string g_glfw_error;
}

bool glfw_ready() {
    static const bool ok = [] {
        glfwSetErrorCallback([](int, const char* what) { g_glfw_error = what ? what : "?"; });
        for (int i = 0; i < 20; ++i) {
            if (glfwInit()) {
                std::atexit(glfwTerminate);
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }();
    return ok;
}

const char* glfw_error() { return g_glfw_error.c_str(); }

OffscreenGlWindow::OffscreenGlWindow(int width, int height, bool with_stencil) {
    const bool ok = glfw_ready();
    INFO("GLFW: " << g_glfw_error);
    REQUIRE(ok);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    m_window = glfwCreateWindow(width, height, "vigil GL test", nullptr, nullptr);
    REQUIRE(m_window);
    glfwMakeContextCurrent(m_window);
    glGenFramebuffers(1, &m_fbo);
    glGenRenderbuffers(with_stencil ? 2 : 1, m_rb);
    glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
    glBindRenderbuffer(GL_RENDERBUFFER, m_rb[0]);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, m_rb[0]);
    if (with_stencil) {
        glBindRenderbuffer(GL_RENDERBUFFER, m_rb[1]);
        glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH24_STENCIL8, width, height);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_STENCIL_ATTACHMENT, GL_RENDERBUFFER, m_rb[1]);
    }
    REQUIRE(glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE);
}

OffscreenGlWindow::~OffscreenGlWindow() {
    glDeleteFramebuffers(1, &m_fbo);
    glDeleteRenderbuffers(m_rb[1] ? 2 : 1, m_rb);
    glfwDestroyWindow(m_window);
}

} // namespace vigil::viewer::test_fixtures

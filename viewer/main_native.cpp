#include "main_native.hpp"

#include "render/gl.hpp"

#include <vigil/util/error.hpp>

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <stb/stb_image_write.h>

#include <cstdlib>
#include <vector>

namespace vigil::viewer {

namespace {

std::string g_glfw_error;

void on_glfw_error(int, const char* description) { g_glfw_error = description ? description : "unknown GLFW error"; }

struct GlfwSession {
    GlfwSession() {
        glfwSetErrorCallback(on_glfw_error);
        if (!glfwInit())
            throw Error("cannot open a window: " + g_glfw_error +
                        " (no display? run under a desktop session or xvfb-run, or use 'vigil serve' for the browser build)");
    }
    ~GlfwSession() { glfwTerminate(); }
    GlfwSession(const GlfwSession&) = delete;
    GlfwSession& operator=(const GlfwSession&) = delete;
};

void write_png(const std::filesystem::path& path, int w, int h) {
    std::vector<unsigned char> pixels(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    // GL's rows start at the bottom; PNG's at the top. Alpha is meaningless for a window: opaque.
    std::vector<unsigned char> flipped(pixels.size());
    const std::size_t row = static_cast<std::size_t>(w) * 4;
    for (int y = 0; y < h; ++y)
        std::copy(pixels.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(h - 1 - y) * row),
                  pixels.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(h - y) * row),
                  flipped.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(y) * row));
    for (std::size_t i = 3; i < flipped.size(); i += 4) flipped[i] = 255;
    if (!stbi_write_png(path.c_str(), w, h, 4, flipped.data(), static_cast<int>(row)))
        throw IoError("cannot write the screenshot '" + path.string() + "'");
}

} // namespace

std::filesystem::path default_settings_path() {
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    const char* home = std::getenv("HOME");
    std::filesystem::path dir = xdg && *xdg ? std::filesystem::path(xdg) : std::filesystem::path(home ? home : ".") / ".config";
    return dir / "vigil" / "imgui.ini";
}

int run_native_viewer(const ViewerOptions& in) {
    ViewerOptions options = in;
    const bool screenshot = !options.screenshot.empty();
    if (!screenshot && options.settings.empty()) {
        options.settings = default_settings_path();
        std::error_code ec;
        std::filesystem::create_directories(options.settings.parent_path(), ec);
    }
    ViewerApp app(options);
    app.load(); // fail on a bad project before any window appears

    GlfwSession glfw;
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_STENCIL_BITS, 8);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, screenshot ? GLFW_FALSE : GLFW_TRUE);
    glfwWindowHint(GLFW_RESIZABLE, screenshot ? GLFW_FALSE : GLFW_TRUE);
    std::string title = "Vigil 守夜 — " + options.database.filename().string();
    GLFWwindow* window = glfwCreateWindow(options.width, options.height, title.c_str(), nullptr, nullptr);
    if (!window) throw Error("cannot create an OpenGL 3.3 window: " + g_glfw_error);
    glfwMakeContextCurrent(window);
    glfwSwapInterval(screenshot ? 0 : 1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    int fb_w = 0, fb_h = 0, win_w = 0, win_h = 0;
    glfwGetFramebufferSize(window, &fb_w, &fb_h);
    glfwGetWindowSize(window, &win_w, &win_h);
    app.init_graphics(win_w > 0 ? static_cast<double>(fb_w) / win_w : 1.0);

    int frames = 0;
    int status = 0;
    while (!glfwWindowShouldClose(window)) {
        glfwPollEvents();
        glfwGetFramebufferSize(window, &fb_w, &fb_h);
        glfwGetWindowSize(window, &win_w, &win_h);
        double ratio = win_w > 0 ? static_cast<double>(fb_w) / win_w : 1.0;
        if (fb_w == 0 || fb_h == 0) { // minimised
            glfwWaitEvents();
            continue;
        }
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        app.frame(fb_w, fb_h, ratio);
        ImGui::Render();
        glViewport(0, 0, fb_w, fb_h);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        // Screenshot after a few frames (ImGui lays windows out on the first, sizes them on the
        // next) once the basemap has loaded, but never wait more than ~10 s for it.
        if (screenshot && ++frames >= 4 && (app.settled() || frames > 600)) {
            write_png(options.screenshot, fb_w, fb_h);
            break;
        }
        glfwSwapBuffers(window);
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    return status;
}

} // namespace vigil::viewer

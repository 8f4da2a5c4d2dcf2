/// @file
/// The GLFW main loop, screenshot mode and the soak run (see main_native.hpp).

#include "main_native.hpp"

#include "platform/key_latch.hpp"
#include "render/gl.hpp"

#include <vigil/util/error.hpp>

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <malloc.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <numbers>
#include <optional>
#include <string>
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
    // GL's rows start at the bottom; PNG's at the top: flip in place (no second full-size copy:
    // the screenshot counts towards the viewer's memory budget). Alpha is meaningless for a
    // window: opaque.
    const std::size_t row = static_cast<std::size_t>(w) * 4;
    for (int y = 0; y < h / 2; ++y)
        std::swap_ranges(pixels.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(y) * row),
                         pixels.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(y + 1) * row),
                         pixels.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(h - 1 - y) * row));
    for (std::size_t i = 3; i < pixels.size(); i += 4) pixels[i] = 255;
    if (!stbi_write_png(path.c_str(), w, h, 4, pixels.data(), static_cast<int>(row)))
        throw IoError("cannot write the screenshot '" + path.string() + "'");
}

/// Drives the camera for `vigil view --soak N`: a circle of panning (360 frames a turn) with
/// the zoom stepping 0, +1, +2, +3, +2, +1 levels every 500 frames, so that clusters and labels
/// are recomputed again and again; checks that resident memory stays flat.
class Soak {
public:
    explicit Soak(int frames) : m_frames(frames), m_baseline_frame(std::min(1000, std::max(1, frames / 2))) {}

    void before_frame(ViewerApp& app) {
        // Others' edits applied since the last frame (the soak test edits once a second).
        if (const auto revision = app.state().data_revision(); revision != m_data_revision) {
            if (m_data_revision) ++m_live_updates;
            m_data_revision = revision;
        }
        Camera& cam = app.state().camera();
        const double turn = 2 * std::numbers::pi / 360, radius = 0.25 * std::min(cam.width(), cam.height());
        const double a0 = m_frame * turn, a1 = (m_frame + 1) * turn;
        cam.pan_pixels(radius * (std::cos(a1) - std::cos(a0)), radius * (std::sin(a1) - std::sin(a0)));
        static constexpr int k_steps[] = {0, 1, 2, 3, 2, 1};
        const int step = k_steps[(m_frame / 500) % 6];
        if (step != m_zoom_step) {
            cam.zoom_about({cam.width() / 2, cam.height() / 2}, step - m_zoom_step);
            m_zoom_step = step;
        }
    }

    /// After each frame; true when the run is over.
    bool after_frame() {
        ++m_frame;
        if (m_frame == 1) m_start = std::chrono::steady_clock::now();
        if (m_frame == m_baseline_frame) {
            m_baseline = resident_kib();
            std::printf("soak: frame %d resident %ld KiB\n", m_frame, m_baseline);
            std::fflush(stdout);
        }
        return m_frame >= m_frames;
    }

    /// Prints the verdict; 0 when memory stayed within 5% of the baseline, else 1.
    int finish() const {
        const long end = resident_kib();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
        const double growth =
            m_baseline > 0 ? 100.0 * (static_cast<double>(end) - static_cast<double>(m_baseline)) / static_cast<double>(m_baseline) : 0;
        std::printf("soak: frame %d resident %ld KiB, growth %+.2f%% (limit +5%%); %d frames in %.1f s (%.2f ms a frame); %d live updates "
                    "applied\n",
                    m_frame, end, growth, m_frame, seconds, m_frame > 1 ? 1000 * seconds / (m_frame - 1) : 0.0, m_live_updates);
        std::fflush(stdout);
        return growth > 5.0 ? 1 : 0;
    }

    /// VmRSS of this process, KiB (0 where /proc is missing).
    static long resident_kib() {
        std::ifstream status("/proc/self/status");
        std::string line;
        while (std::getline(status, line))
            if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
        return 0;
    }

private:
    int m_frames, m_baseline_frame;
    int m_frame = 0, m_zoom_step = 0;
    long m_baseline = 0;
    std::optional<std::uint64_t> m_data_revision; ///< none before the first frame
    int m_live_updates = 0;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

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
    const bool soak = options.soak_frames > 0;
    if (!screenshot && !soak && options.settings.empty()) {
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
    const bool unattended = screenshot || soak; // a fixed window, as fast as it draws
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, unattended ? GLFW_FALSE : GLFW_TRUE);
    glfwWindowHint(GLFW_RESIZABLE, unattended ? GLFW_FALSE : GLFW_TRUE);
    std::string title = "Vigil 守夜 — " + options.database.filename().string();
    GLFWwindow* window = glfwCreateWindow(options.width, options.height, title.c_str(), nullptr, nullptr);
    if (!window) throw Error("cannot create an OpenGL 3.3 window: " + g_glfw_error);
    glfwMakeContextCurrent(window);
    glfwSwapInterval(unattended ? 0 : 1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    install_key_latch(window); // quick key taps between two frames are not lost
    ImGui_ImplOpenGL3_Init("#version 330 core");
    int fb_w = 0, fb_h = 0, win_w = 0, win_h = 0;
    glfwGetFramebufferSize(window, &fb_w, &fb_h);
    glfwGetWindowSize(window, &win_w, &win_h);
    float content_x = 1, content_y = 1;
    glfwGetWindowContentScale(window, &content_x, &content_y);
    app.set_content_scale(unattended ? 1.0f : std::max(content_x, content_y));
    app.init_graphics(win_w > 0 ? static_cast<double>(fb_w) / win_w : 1.0);

    int frames = 0;
    int status = 0;
    std::optional<Soak> soaker;
    if (soak) soaker.emplace(options.soak_frames);
    std::uint64_t trimmed_revision = app.state().data_revision();
    while (!glfwWindowShouldClose(window)) {
        glfwPollEvents();
        glfwGetFramebufferSize(window, &fb_w, &fb_h);
        glfwGetWindowSize(window, &win_w, &win_h);
        double ratio = win_w > 0 ? static_cast<double>(fb_w) / win_w : 1.0;
        if (!unattended) { // the window may have moved to another monitor
            glfwGetWindowContentScale(window, &content_x, &content_y);
            app.set_content_scale(std::max(content_x, content_y));
        }
        if (fb_w == 0 || fb_h == 0) { // minimised
            glfwWaitEvents();
            continue;
        }
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        key_latch_frame_begun();
        if (soaker) soaker->before_frame(app);
        app.frame(fb_w, fb_h, ratio);
        // A live update replaces a layer's snapshot, built on a worker thread (glibc gives each
        // thread its own malloc arena): the old snapshot's memory is freed but stays resident in
        // that arena unless handed back. A wall runs for days with an edit a second: hand it back
        // after each update (a few ms, at most once a frame that applied one). Measured: the soak
        // with an edit a second held 8.5 MB more without it.
        if (const auto revision = app.state().data_revision(); revision != trimmed_revision) {
            trimmed_revision = revision;
            ::malloc_trim(0);
        }
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
        if (soaker && soaker->after_frame()) {
            status = soaker->finish();
            break;
        }
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    return status;
}

} // namespace vigil::viewer

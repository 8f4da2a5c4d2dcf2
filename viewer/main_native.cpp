/// @file
/// The GLFW main loop, screenshot mode and the soak run (see main_native.hpp).

#include "main_native.hpp"

#include "wall_soak.hpp"

#include "platform/key_latch.hpp"
#include "render/gl.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <malloc.h>
#include <signal.h>
#include <stb/stb_image_write.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cfloat>
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

void on_glfw_error(int, const char* description) { g_glfw_error = description ? description : tr("unknown GLFW error"); }

struct GlfwSession {
    GlfwSession() {
        glfwSetErrorCallback(on_glfw_error);
        if (!glfwInit())
            // clang-format off
            throw Error(trf("cannot open a window: {} (no display? run under a desktop session or xvfb-run, or use 'vigil serve' for the browser build)", g_glfw_error));
        // clang-format on
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
        throw IoError(trf("cannot write the screenshot '{}'", path.string()));
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
            std::printf("soak: frame %d resident %ld KiB\n", m_frame, m_baseline); // i18n: not shown: a soak test's report
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
        // i18n: not shown: a soak test's report
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

/// Where the wall's borderless window goes: one monitor (--monitor N, else the primary), or the
/// union of all of them (--span); and how wide its picture is, as the monitors report it.
struct WallPlacement {
    int x = 0, y = 0, width = 0, height = 0;
    double width_m = 0; ///< 0: not reported
};

WallPlacement wall_placement(const WallOptions& wall) {
    int count = 0;
    GLFWmonitor** monitors = glfwGetMonitors(&count);
    if (count <= 0) throw Error(tr("the wall: no monitor is connected"));
    auto place = [](GLFWmonitor* m) {
        WallPlacement p;
        glfwGetMonitorPos(m, &p.x, &p.y);
        const GLFWvidmode* mode = glfwGetVideoMode(m);
        p.width = mode ? mode->width : 1920;
        p.height = mode ? mode->height : 1080;
        int mm_w = 0, mm_h = 0;
        glfwGetMonitorPhysicalSize(m, &mm_w, &mm_h);
        p.width_m = mm_w > 0 ? mm_w / 1000.0 : 0;
        return p;
    };
    if (!wall.span) {
        if (wall.monitor >= count)
            throw UsageError(trf("--monitor {}: only {} monitors are connected (numbered from 0)", wall.monitor, count));
        return place(wall.monitor >= 0 ? monitors[wall.monitor] : glfwGetPrimaryMonitor());
    }
    WallPlacement all = place(monitors[0]);
    int x1 = all.x + all.width, y1 = all.y + all.height;
    bool every_width = all.width_m > 0;
    for (int i = 1; i < count; ++i) {
        const WallPlacement p = place(monitors[i]);
        all.x = std::min(all.x, p.x);
        all.y = std::min(all.y, p.y);
        x1 = std::max(x1, p.x + p.width);
        y1 = std::max(y1, p.y + p.height);
        all.width_m += p.width_m;
        every_width = every_width && p.width_m > 0;
    }
    all.width = x1 - all.x;
    all.height = y1 - all.y;
    if (!every_width) all.width_m = 0;
    return all;
}

std::atomic<bool> g_monitors_changed{false};
void on_monitor(GLFWmonitor*, int) { g_monitors_changed = true; }

} // namespace

std::filesystem::path default_settings_path() {
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    const char* home = std::getenv("HOME");
    std::filesystem::path dir = xdg && *xdg ? std::filesystem::path(xdg) : std::filesystem::path(home ? home : ".") / ".config";
    return dir / "vigil" / "imgui.ini";
}

namespace {

volatile sig_atomic_t g_stop_wall = 0;
/// The child's status when the wall was asked for something that cannot be: not started again.
constexpr int k_wall_usage_status = 64; // EX_USAGE
void on_stop_wall(int) { g_stop_wall = 1; }

/// The wall runs for days: when its window dies with the display (Xlib ends a process whose X
/// server went away) or anything else ends it abnormally, a fresh process starts it again —
/// after 2 s, doubling to at most 30 s while it keeps failing (no display yet) — and reads the
/// project afresh. It ends when the window is closed (status 0) or on SIGINT/SIGTERM.
int supervise_wall(const ViewerOptions& options) {
    struct sigaction sa {};
    sa.sa_handler = on_stop_wall;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    int backoff = 2;
    for (int start = 1;; ++start) {
        const auto started = std::chrono::steady_clock::now();
        const pid_t child = fork();
        if (child < 0) throw Error(tr("the wall: cannot fork"));
        if (child == 0) {
            signal(SIGINT, SIG_DFL);
            signal(SIGTERM, SIG_DFL);
            int status = 1;
            try {
                status = run_native_viewer_once(options);
            } catch (const UsageError& e) {
                // Asked for something that cannot be (a monitor that is not there, a bad tour):
                // starting again would not help.
                std::fprintf(stderr, "vigil view --wall: %s\n", e.what()); // i18n: not shown: the program's name before its message
                status = k_wall_usage_status;
            } catch (const std::exception& e) {
                std::fprintf(stderr, "vigil view --wall: %s\n", e.what()); // i18n: not shown: the program's name before its message
            }
            std::fflush(stdout);
            std::fflush(stderr);
            _exit(status);
        }
        int status = 0;
        while (waitpid(child, &status, 0) < 0) {
            if (g_stop_wall) kill(child, SIGTERM);
        }
        if (g_stop_wall) return 0;
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
        if (WIFEXITED(status) && WEXITSTATUS(status) == k_wall_usage_status) return 2;
        const double ran = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (ran > 60) backoff = 2; // it ran a while: a new failure, not the same one again
        std::fprintf(stderr, "%s\n",
                     trf("the wall stopped ({} {}); starting it again in {} s", WIFSIGNALED(status) ? tr("signal") : tr("status"),
                         WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), backoff)
                         .c_str());
        std::fflush(stderr);
        for (int i = 0; i < backoff * 10 && !g_stop_wall; ++i) usleep(100000);
        if (g_stop_wall) return 0;
        backoff = std::min(30, backoff * 2);
    }
}

} // namespace

int run_native_viewer(const ViewerOptions& options) {
    const bool attended = options.screenshot.empty() && options.soak_frames == 0 && options.wall.soak_hours <= 0;
    if (options.wall.enabled && attended) return supervise_wall(options);
    return run_native_viewer_once(options);
}

int run_native_viewer_once(const ViewerOptions& in) {
    ViewerOptions options = in;
    const bool screenshot = !options.screenshot.empty();
    const bool soak = options.soak_frames > 0 || options.wall.soak_hours > 0;
    const bool wall_window = options.wall.enabled && !screenshot && !soak; // borderless, on the monitors
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
    std::string title = trf("Vigil — {}", options.database.filename().string());
    WallPlacement placement;
    if (wall_window) {
        placement = wall_placement(options.wall);
        glfwWindowHint(GLFW_DECORATED, GLFW_FALSE);
        glfwWindowHint(GLFW_AUTO_ICONIFY, GLFW_FALSE);
        glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_FALSE);
        glfwSetMonitorCallback(on_monitor);
    }
    GLFWwindow* window = glfwCreateWindow(wall_window ? placement.width : options.width, wall_window ? placement.height : options.height,
                                          title.c_str(), nullptr, nullptr);
    if (!window) throw Error(trf("cannot create an OpenGL 3.3 window: {}", g_glfw_error));
    if (wall_window) {
        glfwSetWindowPos(window, placement.x, placement.y);
        std::fprintf(stderr, "%s\n",
                     trf("wall shown: {}x{} at {},{} on {}", placement.width, placement.height, placement.x, placement.y,
                         std::getenv("DISPLAY") ? std::getenv("DISPLAY") : "?")
                         .c_str());
        std::fflush(stderr);
    }
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
    app.configure_wall(fb_w, wall_window ? placement.width_m : 0.0);
    if (const WallSizing* sizing = app.wall_sizing(); sizing && sizing->width_assumed)
        std::fprintf(stderr, "%s\n",
                     trf("the picture's width is not known: 96 dpi assumed ({:.2f} m); give --wall-width", sizing->screen_width_m).c_str());
    app.init_graphics((win_w > 0 ? static_cast<double>(fb_w) / win_w : 1.0) * app.wall_scale());

    int frames = 0;
    int status = 0;
    std::optional<Soak> soaker;
    if (options.soak_frames > 0) soaker.emplace(options.soak_frames);
    std::optional<WallSoak> wall_soak;
    if (options.wall.soak_hours > 0) wall_soak.emplace(app, options);
    std::uint64_t trimmed_revision = app.state().data_revision();
    auto frame_started = std::chrono::steady_clock::now();
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
        if (wall_window && g_monitors_changed.exchange(false)) {
            // A monitor came or went: take the wall's place again (a new monitor may be the one
            // that was unplugged).
            try {
                placement = wall_placement(options.wall);
                glfwSetWindowPos(window, placement.x, placement.y);
                glfwSetWindowSize(window, placement.width, placement.height);
                std::fprintf(
                    stderr, "%s\n",
                    trf("monitors changed; the wall is now {}x{} at {},{}", placement.width, placement.height, placement.x, placement.y)
                        .c_str());
            } catch (const std::exception& e) {
                std::fprintf(stderr, "%s\n", trf("monitors changed: {}", e.what()).c_str());
            }
        }
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        if (const float s = app.wall_scale(); s != 1.0f) {
            // The wall's scale on top of the screen's own: ImGui lays out in logical pixels and
            // draws them s times bigger (as on a HiDPI screen); the pointer follows.
            ImGuiIO& io = ImGui::GetIO();
            const float r = static_cast<float>(ratio) * s;
            io.DisplaySize = ImVec2(static_cast<float>(fb_w) / r, static_cast<float>(fb_h) / r);
            io.DisplayFramebufferScale = ImVec2(r, r);
            if (io.MousePos.x > -FLT_MAX / 2) io.MousePos = ImVec2(io.MousePos.x / s, io.MousePos.y / s);
            ratio *= s;
        }
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
        if (wall_soak) {
            const auto now = std::chrono::steady_clock::now();
            const double ms = std::chrono::duration<double, std::milli>(now - frame_started).count();
            frame_started = now;
            if (wall_soak->after_frame(ms)) {
                status = wall_soak->finish();
                break;
            }
        }
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    return status;
}

} // namespace vigil::viewer

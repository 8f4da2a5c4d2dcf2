/// @file
/// viewer_bench: what a frame of the map viewer costs (against the viewer's frame-time targets), in one run:
///
///   frame_1M_points   Vigil's whole frame (ViewerApp::frame: the layer through MapRenderer,
///                     labels, furniture, panels; ImGui render) over a million points, against
///                     the simplest possible GL draw of the same points: one VBO of vec2,
///                     GL_POINTS at the layer's marker size, a constant colour, no blending.
///                     Both clear the window and end with glFinish; frames alternate, so both
///                     see the same machine load. Target: Vigil <= 1.5x bare GL.
///   frame_demo        the demo database's whole frame, still (labels cached) and panning
///                     (labels and clusters' screen positions recomputed every frame), at the
///                     home view and at street level. Target: < 16 ms of CPU time.
///
/// Prints the peers' line format (`peer=P task=T n=N median_ms=X`): wall time, then `.cpu`, the
/// main thread's CPU time for the frame (what a GPU-equipped machine would spend on the CPU;
/// with Mesa's llvmpipe it also includes the vertex stage, which llvmpipe runs on the calling
/// thread), and `.process_cpu` (all threads, llvmpipe's rasteriser threads included).
///
/// Needs a display (xvfb-run). Environment: PEERS_DATA (/tmp/peers-data: points_1M.csv; random
/// points over Jiaozuo when missing), BENCH_WORK (/tmp/vigil-bench), FRAMES (30), SIZE
/// (1600x900), DEMO_DB (the demo database; made with `vigil demo` when missing), BENCH_ONLY.

#include "bench_common.hpp"
#include "render/gl.hpp"
#include "render/map_renderer.hpp"
#include "viewer_app.hpp"

#include <vigil/gdal/importer.hpp>
#include <vigil/util/text.hpp>

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <fmt/format.h>

#include <vigil/geo/mercator.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace vigil;

using vigil::bench::env;
using vigil::bench::median;
using vigil::bench::wanted;

namespace {

double clock_ms(clockid_t id) {
    timespec t{};
    clock_gettime(id, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/// Wall, main-thread CPU and process CPU of each measured frame.
struct Samples {
    std::vector<double> wall, cpu, process;
    template <class F> void time(F&& frame) {
        const double c0 = clock_ms(CLOCK_THREAD_CPUTIME_ID), p0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
        const auto t0 = std::chrono::steady_clock::now();
        frame();
        wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        cpu.push_back(clock_ms(CLOCK_THREAD_CPUTIME_ID) - c0);
        process.push_back(clock_ms(CLOCK_PROCESS_CPUTIME_ID) - p0);
    }
    void emit(const std::string& peer, const std::string& task, const std::string& n) const {
        std::cout << fmt::format("peer={} task={} n={} median_ms={:.3f}\n", peer, task, n, median(wall));
        std::cout << fmt::format("peer={} task={}.cpu n={} median_ms={:.3f}\n", peer, task, n, median(cpu));
        std::cout << fmt::format("peer={} task={}.process_cpu n={} median_ms={:.3f}\n", peer, task, n, median(process));
        std::cerr << fmt::format("# {} {} n={} frames={} wall min={:.3f} max={:.3f}\n", peer, task, n, wall.size(),
                                 *std::min_element(wall.begin(), wall.end()), *std::max_element(wall.begin(), wall.end()));
        std::cout.flush();
    }
};

/// A window with a GL 3.3 core context and Dear ImGui on it (a fresh ImGui context per use,
/// so that each ViewerApp builds its own font atlas).
class Window {
public:
    Window(int w, int h) : m_w(w), m_h(h) {
        if (!glfwInit()) throw std::runtime_error("cannot open a window (no display? run under xvfb-run)");
        glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
        glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
        glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
        glfwWindowHint(GLFW_STENCIL_BITS, 8);
        glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);
        m_window = glfwCreateWindow(w, h, "viewer_bench", nullptr, nullptr);
        if (!m_window) throw std::runtime_error("cannot create an OpenGL 3.3 window");
        glfwMakeContextCurrent(m_window);
        glfwSwapInterval(0);
        std::cerr << "# GL_RENDERER " << reinterpret_cast<const char*>(glGetString(GL_RENDERER)) << "\n";
    }
    ~Window() {
        end_imgui();
        glfwDestroyWindow(m_window);
        glfwTerminate();
    }
    void begin_imgui() {
        ImGui::CreateContext();
        ImGui_ImplGlfw_InitForOpenGL(m_window, false); // no input callbacks: nobody is typing
        ImGui_ImplOpenGL3_Init("#version 330 core");
        m_imgui = true;
    }
    void end_imgui() {
        if (!m_imgui) return;
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
        ImGui::DestroyContext();
        m_imgui = false;
    }
    /// One frame of the viewer, as main_native.cpp runs it, ending with glFinish.
    void viewer_frame(viewer::ViewerApp& app) {
        glfwPollEvents();
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        app.frame(m_w, m_h, 1.0);
        ImGui::Render();
        glViewport(0, 0, m_w, m_h);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        glFinish();
    }
    int width() const { return m_w; }
    int height() const { return m_h; }

private:
    int m_w, m_h;
    GLFWwindow* m_window = nullptr;
    bool m_imgui = false;
};

GLuint compile(GLenum type, const std::string& src) {
    GLuint s = glCreateShader(type);
    const char* p = src.c_str();
    glShaderSource(s, 1, &p, nullptr);
    glCompileShader(s);
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) throw std::runtime_error("bare GL shader does not compile");
    return s;
}

/// The reference: the same points in one VBO of vec2 (relative to the same origin as Vigil's
/// mesh), GL_POINTS, a trivial shader.
class BareDraw {
public:
    BareDraw(const std::vector<geo::Coord>& world, geo::Coord origin, float point_size)
        : m_origin(origin), m_count(static_cast<GLsizei>(world.size())) {
        std::vector<float> xy;
        xy.reserve(world.size() * 2);
        for (auto w : world) {
            xy.push_back(static_cast<float>(w.x - origin.x));
            xy.push_back(static_cast<float>(w.y - origin.y));
        }
        const std::string vs = std::string(VIGIL_GLSL_HEADER) +
                               "layout(location = 0) in vec2 a_pos;\nuniform vec2 u_offset;\nuniform vec2 u_scale;\n"
                               "void main() { gl_Position = vec4((a_pos + u_offset) * u_scale, 0.0, 1.0); gl_PointSize = " +
                               fmt::format("{:.1f}", point_size) + "; }\n";
        const std::string fs =
            std::string(VIGIL_GLSL_HEADER) + "out vec4 o_colour;\nvoid main() { o_colour = vec4(0.33, 0.43, 0.48, 1.0); }\n";
        m_program = glCreateProgram();
        GLuint v = compile(GL_VERTEX_SHADER, vs), f = compile(GL_FRAGMENT_SHADER, fs);
        glAttachShader(m_program, v);
        glAttachShader(m_program, f);
        glLinkProgram(m_program);
        glDeleteShader(v);
        glDeleteShader(f);
        m_offset = glGetUniformLocation(m_program, "u_offset");
        m_scale = glGetUniformLocation(m_program, "u_scale");
        glGenVertexArrays(1, &m_vao);
        glGenBuffers(1, &m_vbo);
        glBindVertexArray(m_vao);
        glBindBuffer(GL_ARRAY_BUFFER, m_vbo);
        glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(xy.size() * sizeof(float)), xy.data(), GL_STATIC_DRAW);
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
        glBindVertexArray(0);
    }
    ~BareDraw() {
        glDeleteBuffers(1, &m_vbo);
        glDeleteVertexArrays(1, &m_vao);
        glDeleteProgram(m_program);
    }
    void frame(const viewer::Camera& cam) const {
        const double wpp = cam.world_per_pixel();
        const geo::Coord c = cam.center_world();
        glViewport(0, 0, static_cast<GLsizei>(cam.width()), static_cast<GLsizei>(cam.height()));
        glDisable(GL_BLEND);
        glDisable(GL_STENCIL_TEST);
        glDisable(GL_SCISSOR_TEST);
        glClearColor(0.93f, 0.91f, 0.89f, 1);
        glClear(GL_COLOR_BUFFER_BIT);
#ifdef GL_PROGRAM_POINT_SIZE
        glEnable(GL_PROGRAM_POINT_SIZE);
#endif
        glUseProgram(m_program);
        glUniform2f(m_offset, static_cast<float>(m_origin.x - c.x), static_cast<float>(m_origin.y - c.y));
        glUniform2f(m_scale, static_cast<float>(2.0 / (cam.width() * wpp)), static_cast<float>(2.0 / (cam.height() * wpp)));
        glBindVertexArray(m_vao);
        glDrawArrays(GL_POINTS, 0, m_count);
        glBindVertexArray(0);
        glFinish();
    }

private:
    geo::Coord m_origin;
    GLsizei m_count;
    GLuint m_program = 0, m_vao = 0, m_vbo = 0;
    GLint m_offset = -1, m_scale = -1;
};

/// A project database with the million points: the peers' points_1M.csv through `vigil
/// import`'s code (kept in BENCH_WORK for the next run), or random points over Jiaozuo.
fs::path million_point_project(const fs::path& work) {
    const fs::path db = work / "viewer_points_1M.sqlite";
    if (fs::exists(db)) return db;
    fs::path csv = fs::path(env("PEERS_DATA", "/tmp/peers-data")) / "points_1M.csv";
    if (!fs::exists(csv)) {
        csv = work / "viewer_random_points_1M.csv";
        std::ofstream out(csv);
        out << "id,kind,name,lon,lat\n";
        std::mt19937_64 rng(20261128);
        std::uniform_real_distribution<double> lon(112.65, 113.75), lat(34.74, 35.46);
        for (int i = 1; i <= 1000000; ++i)
            out << i << ",enterprise,P" << i << ',' << fmt::format("{:.7f},{:.7f}", lon(rng), lat(rng)) << '\n';
    }
    std::cerr << "# importing " << csv << " into " << db << "\n";
    auto catalog = catalog::Catalog::load_directory(VIGIL_BENCH_LAYERS_DIR);
    gdal::ImportRequest req;
    req.database = work / "viewer_points_1M.partial.sqlite";
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(req.database.string() + suffix);
    req.file = csv;
    req.layer = "peer_points";
    auto r = gdal::import_file(req, catalog);
    if (r.summary.refused || r.inserted == 0) throw std::runtime_error("import of " + csv.string() + " failed");
    fs::rename(req.database, db);
    return db;
}

fs::path demo_project(const fs::path& work) {
    fs::path db = env("DEMO_DB", "");
    if (!db.empty()) return db;
    db = fs::path(VIGIL_BENCH_BINARY_DIR) / "jiaozuo-demo.sqlite";
    if (fs::exists(db)) return db;
    db = work / "jiaozuo-demo.sqlite";
    if (!fs::exists(db)) {
        const std::string cmd = fmt::format("'{}' -q demo '{}'", VIGIL_BENCH_VIGIL, db.string());
        if (std::system(cmd.c_str()) != 0) throw std::runtime_error("cannot make the demo database: " + cmd);
    }
    return db;
}

viewer::ViewerOptions options_for(const fs::path& db, const Window& win) {
    viewer::ViewerOptions o;
    o.database = db;
    o.width = win.width();
    o.height = win.height();
    return o;
}

} // namespace

int main() try {
    const fs::path work = env("BENCH_WORK", "/tmp/vigil-bench");
    fs::create_directories(work);
    const int frames = std::stoi(env("FRAMES", "30"));
    const std::string size = env("SIZE", "1600x900");
    const int w = std::stoi(size.substr(0, size.find('x'))), h = std::stoi(size.substr(size.find('x') + 1));
    Window win(w, h);

    if (wanted("frame_1M_points")) {
        const fs::path db = million_point_project(work);
        win.begin_imgui();
        {
            viewer::ViewerApp app(options_for(db, win));
            app.load();
            app.init_graphics(1.0);
            const viewer::LayerView* l = app.state().layer("peer_points");
            if (!l) throw std::runtime_error(db.string() + " has no peer_points layer");
            std::vector<geo::Coord> world;
            world.reserve(l->layer->size());
            for (std::size_t r = 0; r < l->layer->size(); ++r)
                for (auto c : l->layer->geometry(r).coords) world.push_back(geo::lonlat_to_mercator(c));
            const geo::BBox b = l->layer->bounds();
            const geo::Coord origin = geo::lonlat_to_mercator({(b.min_x + b.max_x) / 2, (b.min_y + b.max_y) / 2});
            BareDraw bare(world, origin, static_cast<float>(l->kind().symbology.size));
            std::cerr << "# " << world.size() << " points, marker " << l->kind().symbology.size << " px, view zoom "
                      << app.state().camera().zoom() << "\n";
            for (int i = 0; i < 3; ++i) { // warm up: meshes, shaders, atlas
                win.viewer_frame(app);
                bare.frame(app.state().camera());
            }
            // And Vigil's renderer alone (no panels, no labels): where the difference lies.
            viewer::MapRenderer renderer;
            renderer.init();
            auto mesh = renderer.build(*l->layer, l->row_visible, l->styles);
            auto renderer_frame = [&] {
                renderer.begin_frame(app.state().camera(), {236, 233, 226, 255});
                renderer.draw(*mesh, app.state().camera(), 1.0f);
                renderer.end_frame();
                glFinish();
            };
            renderer_frame();
            Samples vigil_s, bare_s, renderer_s;
            for (int i = 0; i < frames; ++i) {
                vigil_s.time([&] { win.viewer_frame(app); });
                bare_s.time([&] { bare.frame(app.state().camera()); });
                renderer_s.time(renderer_frame);
            }
            vigil_s.emit("vigil", "frame_1M_points", "1M");
            bare_s.emit("bare_gl", "frame_1M_points", "1M");
            renderer_s.emit("vigil_renderer_only", "frame_1M_points", "1M");
            const double ratio = median(vigil_s.wall) / median(bare_s.wall);
            std::cout << fmt::format("ratio task=frame_1M_points vigil/bare_gl={:.3f} (wall, target <= 1.5) cpu={:.3f}\n", ratio,
                                     median(vigil_s.process) / median(bare_s.process));
        }
        win.end_imgui();
    }

    if (wanted("frame_demo")) {
        const fs::path db = demo_project(work);
        win.begin_imgui();
        {
            viewer::ViewerApp app(options_for(db, win));
            app.load();
            app.init_graphics(1.0);
            viewer::Camera& cam = app.state().camera();
            struct View {
                const char* task;
                double lon, lat, zoom;
                bool pan;
            };
            const geo::Coord home = cam.center_lonlat();
            const double home_zoom = cam.zoom();
            const View views[] = {
                {"frame_demo", home.x, home.y, home_zoom, false},
                {"frame_demo_pan", home.x, home.y, home_zoom, true},
                {"frame_demo_z13_pan", 113.24, 35.22, 13.2, true},
            };
            for (const auto& v : views) {
                cam.set_center_lonlat({v.lon, v.lat});
                cam.set_zoom(v.zoom);
                for (int i = 0; i < 3; ++i) win.viewer_frame(app);
                Samples s;
                for (int i = 0; i < frames * 2; ++i) {
                    // Panning: a few pixels a frame, back and forth, so labels are placed anew.
                    if (v.pan) cam.pan_pixels((i / 20) % 2 ? -6 : 6, 2 * (((i / 10) % 2) ? -1 : 1));
                    s.time([&] { win.viewer_frame(app); });
                }
                s.emit("vigil", v.task, "demo");
            }
        }
        win.end_imgui();
    }
    return 0;
} catch (const std::exception& e) {
    std::cerr << "viewer_bench: " << e.what() << "\n";
    return 1;
}

#include "map_renderer.hpp"

#include "gl.hpp"

#include <vigil/geo/mercator.hpp>
#include <vigil/util/error.hpp>

#include <algorithm>
#include <cmath>

namespace vigil::viewer {

namespace {

// ---------------------------------------------------------------------------- shaders

const char* k_point_vs = R"(
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec4 a_fill;
layout(location = 2) in vec4 a_stroke;
layout(location = 3) in vec3 a_size_stroke_shape;
uniform vec2 u_offset;
uniform vec2 u_scale;
uniform vec2 u_viewport;
uniform float u_ratio;
out vec2 v_local;
out vec4 v_fill;
out vec4 v_stroke;
out float v_radius;
out float v_stroke_w;
flat out int v_shape;
void main() {
    int id = gl_VertexID;
    vec2 corner = vec2(float(id & 1), float((id >> 1) & 1)) * 2.0 - 1.0;
    float r = a_size_stroke_shape.x * 0.5 * u_ratio;
    float extent = r + 1.5;
    vec2 ndc = (a_pos + u_offset) * u_scale + corner * extent * 2.0 / u_viewport;
    gl_Position = vec4(ndc, 0.0, 1.0);
    v_local = corner * extent;
    v_fill = a_fill;
    v_stroke = a_stroke;
    v_radius = r;
    v_stroke_w = a_size_stroke_shape.y * u_ratio;
    v_shape = int(a_size_stroke_shape.z + 0.5);
}
)";

// Signed distances in pixels (negative inside); shapes after Inigo Quilez's 2D SDF catalogue.
const char* k_point_fs = R"(
in vec2 v_local;
in vec4 v_fill;
in vec4 v_stroke;
in float v_radius;
in float v_stroke_w;
flat in int v_shape;
uniform float u_opacity;
out vec4 o_colour;
float sd_box(vec2 p, vec2 b) { vec2 d = abs(p) - b; return length(max(d, 0.0)) + min(max(d.x, d.y), 0.0); }
float sd_triangle(vec2 p, float r) {
    const float k = 1.7320508;
    p.y += r * 0.2;
    p.x = abs(p.x) - r;
    p.y = p.y + r / k;
    if (p.x + k * p.y > 0.0) p = vec2(p.x - k * p.y, -k * p.x - p.y) / 2.0;
    p.x -= clamp(p.x, -2.0 * r, 0.0);
    return -length(p) * sign(p.y);
}
float sd_star(vec2 p, float r) {
    const vec2 k1 = vec2(0.809016994375, -0.587785252292);
    const vec2 k2 = vec2(-0.809016994375, -0.587785252292);
    p.x = abs(p.x);
    p -= 2.0 * max(dot(k1, p), 0.0) * k1;
    p -= 2.0 * max(dot(k2, p), 0.0) * k2;
    p.x = abs(p.x);
    p.y -= r;
    vec2 ba = 0.45 * vec2(-k1.y, k1.x) - vec2(0.0, 1.0);
    float h = clamp(dot(p, ba) / dot(ba, ba), 0.0, r);
    return length(p - ba * h) * sign(p.y * ba.x - p.x * ba.y);
}
void main() {
    float r = v_radius;
    vec2 p = v_local;
    float d;
    if (v_shape == 1) d = sd_box(p, vec2(r * 0.86));
    else if (v_shape == 2) d = sd_triangle(p, r * 1.05);
    else if (v_shape == 3) d = (abs(p.x) + abs(p.y) - r) * 0.70710678;
    else if (v_shape == 4) d = sd_star(p, r * 1.1);
    else if (v_shape == 5) d = min(sd_box(p, vec2(r, r * 0.3)), sd_box(p, vec2(r * 0.3, r)));
    else d = length(p) - r;
    float coverage = clamp(0.5 - d, 0.0, 1.0);
    if (coverage <= 0.0) discard;
    float inner = clamp(-d - v_stroke_w + 0.5, 0.0, 1.0);
    vec4 c = mix(v_stroke, v_fill, v_stroke_w > 0.0 ? inner : 1.0);
    o_colour = vec4(c.rgb, c.a * coverage * u_opacity);
}
)";

const char* k_line_vs = R"(
layout(location = 0) in vec4 a_seg;
layout(location = 1) in vec4 a_colour;
layout(location = 2) in float a_width;
uniform vec2 u_offset;
uniform vec2 u_scale;
uniform vec2 u_viewport;
uniform float u_ratio;
out vec4 v_colour;
out float v_across;
out float v_half;
void main() {
    int id = gl_VertexID;
    float t = float(id & 1);
    float side = float((id >> 1) & 1) * 2.0 - 1.0;
    vec2 a = ((a_seg.xy + u_offset) * u_scale * 0.5 + 0.5) * u_viewport;
    vec2 b = ((a_seg.zw + u_offset) * u_scale * 0.5 + 0.5) * u_viewport;
    vec2 d = b - a;
    float len = length(d);
    vec2 dir = len > 1e-6 ? d / len : vec2(1.0, 0.0);
    vec2 n = vec2(-dir.y, dir.x);
    float half_w = max(a_width * u_ratio, 0.5) * 0.5;
    float extent = half_w + 1.0;
    vec2 p = mix(a, b, t) + n * side * extent + dir * (t * 2.0 - 1.0) * half_w;
    gl_Position = vec4(p / u_viewport * 2.0 - 1.0, 0.0, 1.0);
    v_colour = a_colour;
    v_across = side * extent;
    v_half = half_w;
}
)";

const char* k_line_fs = R"(
in vec4 v_colour;
in float v_across;
in float v_half;
uniform float u_opacity;
out vec4 o_colour;
void main() {
    float coverage = clamp(v_half + 0.5 - abs(v_across), 0.0, 1.0);
    if (coverage <= 0.0) discard;
    o_colour = vec4(v_colour.rgb, v_colour.a * coverage * u_opacity);
}
)";

const char* k_fill_vs = R"(
layout(location = 0) in vec2 a_pos;
uniform vec2 u_offset;
uniform vec2 u_scale;
void main() { gl_Position = vec4((a_pos + u_offset) * u_scale, 0.0, 1.0); }
)";

const char* k_fill_fs = R"(
uniform vec4 u_colour;
uniform float u_opacity;
out vec4 o_colour;
void main() { o_colour = vec4(u_colour.rgb, u_colour.a * u_opacity); }
)";

GLuint compile(GLenum type, const char* body, const char* what) {
    std::string src = std::string(VIGIL_GLSL_HEADER) + body;
    const char* p = src.c_str();
    GLuint s = glCreateShader(type);
    glShaderSource(s, 1, &p, nullptr);
    glCompileShader(s);
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[2048];
        glGetShaderInfoLog(s, sizeof log, nullptr, log);
        glDeleteShader(s);
        throw Error(std::string("map renderer: cannot compile the ") + what + " shader: " + log);
    }
    return s;
}

GLuint link(const char* vs, const char* fs, const char* what) {
    GLuint v = compile(GL_VERTEX_SHADER, vs, what), f = compile(GL_FRAGMENT_SHADER, fs, what);
    GLuint p = glCreateProgram();
    glAttachShader(p, v);
    glAttachShader(p, f);
    glLinkProgram(p);
    glDeleteShader(v);
    glDeleteShader(f);
    GLint ok = 0;
    glGetProgramiv(p, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[2048];
        glGetProgramInfoLog(p, sizeof log, nullptr, log);
        throw Error(std::string("map renderer: cannot link the ") + what + " program: " + log);
    }
    return p;
}

struct PointInstance {
    float x, y;
    std::uint32_t fill, stroke;
    float size, stroke_width, shape;
};

struct SegmentInstance {
    float x0, y0, x1, y1;
    std::uint32_t colour;
    float width;
};

struct PolygonDraw {
    GLint first = 0;       ///< first fan vertex
    GLsizei count = 0;     ///< fan vertices
    GLint cover_first = 0; ///< six vertices of the bounding-box quad
    Rgba fill;
};

} // namespace

struct MapRenderer::Programs {
    GLuint point = 0, line = 0, fill = 0;
    struct Uniforms {
        GLint offset = -1, scale = -1, viewport = -1, ratio = -1, opacity = -1, colour = -1;
    } up, ul, uf;
};

class LayerMesh {
public:
    LayerMesh() = default;
    LayerMesh(const LayerMesh&) = delete;
    LayerMesh& operator=(const LayerMesh&) = delete;
    ~LayerMesh() {
        GLuint vaos[] = {point_vao, line_vao, fill_vao};
        GLuint vbos[] = {point_vbo, line_vbo, fill_vbo};
        glDeleteVertexArrays(3, vaos);
        glDeleteBuffers(3, vbos);
    }

    geo::Coord origin{};
    GLuint point_vao = 0, point_vbo = 0, line_vao = 0, line_vbo = 0, fill_vao = 0, fill_vbo = 0;
    GLsizei points = 0, segments = 0;
    std::vector<PolygonDraw> polygons;

    void upload_points(const std::vector<PointInstance>& data) {
        points = static_cast<GLsizei>(data.size());
        if (data.empty()) return;
        glGenVertexArrays(1, &point_vao);
        glGenBuffers(1, &point_vbo);
        glBindVertexArray(point_vao);
        glBindBuffer(GL_ARRAY_BUFFER, point_vbo);
        glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(data.size() * sizeof(PointInstance)), data.data(), GL_STATIC_DRAW);
        const GLsizei stride = sizeof(PointInstance);
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(PointInstance, x)));
        glEnableVertexAttribArray(1);
        glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, reinterpret_cast<void*>(offsetof(PointInstance, fill)));
        glEnableVertexAttribArray(2);
        glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, reinterpret_cast<void*>(offsetof(PointInstance, stroke)));
        glEnableVertexAttribArray(3);
        glVertexAttribPointer(3, 3, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(PointInstance, size)));
        for (GLuint a = 0; a < 4; ++a) glVertexAttribDivisor(a, 1);
        glBindVertexArray(0);
    }

    void upload_segments(const std::vector<SegmentInstance>& data) {
        segments = static_cast<GLsizei>(data.size());
        if (data.empty()) return;
        glGenVertexArrays(1, &line_vao);
        glGenBuffers(1, &line_vbo);
        glBindVertexArray(line_vao);
        glBindBuffer(GL_ARRAY_BUFFER, line_vbo);
        glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(data.size() * sizeof(SegmentInstance)), data.data(), GL_STATIC_DRAW);
        const GLsizei stride = sizeof(SegmentInstance);
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(SegmentInstance, x0)));
        glEnableVertexAttribArray(1);
        glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, reinterpret_cast<void*>(offsetof(SegmentInstance, colour)));
        glEnableVertexAttribArray(2);
        glVertexAttribPointer(2, 1, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(SegmentInstance, width)));
        for (GLuint a = 0; a < 3; ++a) glVertexAttribDivisor(a, 1);
        glBindVertexArray(0);
    }

    void upload_fills(const std::vector<float>& xy) {
        if (xy.empty()) return;
        glGenVertexArrays(1, &fill_vao);
        glGenBuffers(1, &fill_vbo);
        glBindVertexArray(fill_vao);
        glBindBuffer(GL_ARRAY_BUFFER, fill_vbo);
        glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(xy.size() * sizeof(float)), xy.data(), GL_STATIC_DRAW);
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 2 * sizeof(float), nullptr);
        glBindVertexArray(0);
    }
};

MapRenderer::MapRenderer() = default;

MapRenderer::~MapRenderer() {
    if (m_programs) {
        glDeleteProgram(m_programs->point);
        glDeleteProgram(m_programs->line);
        glDeleteProgram(m_programs->fill);
    }
}

void MapRenderer::init() {
    auto p = std::make_unique<Programs>();
    p->point = link(k_point_vs, k_point_fs, "point");
    p->line = link(k_line_vs, k_line_fs, "line");
    p->fill = link(k_fill_vs, k_fill_fs, "fill");
    auto uniforms = [](GLuint prog, Programs::Uniforms& u) {
        u.offset = glGetUniformLocation(prog, "u_offset");
        u.scale = glGetUniformLocation(prog, "u_scale");
        u.viewport = glGetUniformLocation(prog, "u_viewport");
        u.ratio = glGetUniformLocation(prog, "u_ratio");
        u.opacity = glGetUniformLocation(prog, "u_opacity");
        u.colour = glGetUniformLocation(prog, "u_colour");
    };
    uniforms(p->point, p->up);
    uniforms(p->line, p->ul);
    uniforms(p->fill, p->uf);
    m_programs = std::move(p);
}

namespace {

geo::Coord world_of(geo::Coord lonlat) { return geo::lonlat_to_mercator(lonlat); }

// Outline segments of a line or polygon part, relative to `origin`.
void add_segments(std::span<const geo::Coord> pts, geo::Coord origin, std::uint32_t colour, float width,
                  std::vector<SegmentInstance>& out) {
    for (std::size_t i = 1; i < pts.size(); ++i) {
        geo::Coord a = world_of(pts[i - 1]), b = world_of(pts[i]);
        out.push_back({static_cast<float>(a.x - origin.x), static_cast<float>(a.y - origin.y), static_cast<float>(b.x - origin.x),
                       static_cast<float>(b.y - origin.y), colour, width});
    }
}

} // namespace

std::shared_ptr<LayerMesh> MapRenderer::build(const model::Layer& layer, const std::vector<std::uint8_t>& visible,
                                              const StyleResolver& styles) const {
    auto mesh = std::make_shared<LayerMesh>();
    geo::BBox bounds = layer.bounds();
    if (!bounds.empty()) mesh->origin = world_of({(bounds.min_x + bounds.max_x) / 2, (bounds.min_y + bounds.max_y) / 2});
    const geo::Coord o = mesh->origin;
    std::vector<PointInstance> points;
    std::vector<SegmentInstance> segments;
    std::vector<float> fills;
    for (std::size_t row = 0; row < layer.size(); ++row) {
        if (!visible.empty() && !visible[row]) continue;
        const geo::Geometry& g = layer.geometry(row);
        if (g.is_empty()) continue;
        FeatureStyle st = styles.style(layer, row);
        switch (g.type) {
        case geo::GeometryType::Point:
        case geo::GeometryType::MultiPoint:
            for (auto c : g.coords) {
                geo::Coord w = world_of(c);
                points.push_back({static_cast<float>(w.x - o.x), static_cast<float>(w.y - o.y), st.fill.packed(), st.stroke.packed(),
                                  st.size, st.stroke_width, static_cast<float>(st.marker)});
            }
            break;
        case geo::GeometryType::LineString:
            add_segments(g.coords, o, st.stroke.packed(), st.stroke_width, segments);
            break;
        case geo::GeometryType::MultiLineString:
            for (std::size_t i = 0; i < g.ring_count(); ++i) add_segments(g.ring(i), o, st.stroke.packed(), st.stroke_width, segments);
            break;
        case geo::GeometryType::Polygon:
        case geo::GeometryType::MultiPolygon: {
            if (st.fill.a > 0) {
                // Each polygon (all its rings): a fan per ring for the stencil, then its box.
                std::size_t polygons = g.type == geo::GeometryType::Polygon ? 1 : g.polygon_starts.size() - 1;
                for (std::size_t pi = 0; pi < polygons; ++pi) {
                    std::size_t r0 = g.type == geo::GeometryType::Polygon ? 0 : g.polygon_starts[pi];
                    std::size_t r1 = g.type == geo::GeometryType::Polygon ? g.ring_count() : g.polygon_starts[pi + 1];
                    PolygonDraw d;
                    d.first = static_cast<GLint>(fills.size() / 2);
                    geo::BBox box;
                    for (std::size_t r = r0; r < r1; ++r) {
                        auto ring = g.ring(r);
                        if (ring.size() < 4) continue;
                        geo::Coord w0 = world_of(ring[0]);
                        for (std::size_t i = 1; i + 1 < ring.size(); ++i) {
                            geo::Coord w1 = world_of(ring[i]), w2 = world_of(ring[i + 1]);
                            for (auto w : {w0, w1, w2}) {
                                fills.push_back(static_cast<float>(w.x - o.x));
                                fills.push_back(static_cast<float>(w.y - o.y));
                                box.add(w);
                            }
                        }
                    }
                    d.count = static_cast<GLsizei>(fills.size() / 2) - d.first;
                    d.cover_first = static_cast<GLint>(fills.size() / 2);
                    for (auto c : {geo::Coord{box.min_x, box.min_y}, geo::Coord{box.max_x, box.min_y}, geo::Coord{box.max_x, box.max_y},
                                   geo::Coord{box.min_x, box.min_y}, geo::Coord{box.max_x, box.max_y}, geo::Coord{box.min_x, box.max_y}}) {
                        fills.push_back(static_cast<float>(c.x - o.x));
                        fills.push_back(static_cast<float>(c.y - o.y));
                    }
                    d.fill = st.fill;
                    if (d.count > 0) mesh->polygons.push_back(d);
                }
            }
            if (st.stroke.a > 0 && st.stroke_width > 0)
                for (std::size_t i = 0; i < g.ring_count(); ++i) add_segments(g.ring(i), o, st.stroke.packed(), st.stroke_width, segments);
            break;
        }
        case geo::GeometryType::None: break;
        }
    }
    mesh->upload_points(points);
    mesh->upload_segments(segments);
    mesh->upload_fills(fills);
    return mesh;
}

std::shared_ptr<LayerMesh> MapRenderer::build(const Overlay& overlay) const {
    auto mesh = std::make_shared<LayerMesh>();
    geo::BBox b;
    for (const auto& p : overlay.points) b.add(p.lonlat);
    for (const auto& s : overlay.segments) {
        b.add(s.a);
        b.add(s.b);
    }
    if (!b.empty()) mesh->origin = world_of({(b.min_x + b.max_x) / 2, (b.min_y + b.max_y) / 2});
    const geo::Coord o = mesh->origin;
    std::vector<PointInstance> points;
    for (const auto& p : overlay.points) {
        geo::Coord w = world_of(p.lonlat);
        points.push_back({static_cast<float>(w.x - o.x), static_cast<float>(w.y - o.y), p.style.fill.packed(), p.style.stroke.packed(),
                          p.style.size, p.style.stroke_width, static_cast<float>(p.style.marker)});
    }
    std::vector<SegmentInstance> segments;
    for (const auto& s : overlay.segments) {
        geo::Coord pts[2] = {s.a, s.b};
        add_segments(pts, o, s.colour.packed(), s.width, segments);
    }
    mesh->upload_points(points);
    mesh->upload_segments(segments);
    return mesh;
}

void MapRenderer::begin_frame(const Camera& camera, Rgba bg) const {
    glViewport(0, 0, static_cast<GLsizei>(camera.width()), static_cast<GLsizei>(camera.height()));
    glClearColor(bg.r / 255.f, bg.g / 255.f, bg.b / 255.f, 1.f);
    glClearStencil(0);
    glClear(GL_COLOR_BUFFER_BIT | GL_STENCIL_BUFFER_BIT);
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glDisable(GL_SCISSOR_TEST);
}

void MapRenderer::end_frame() const {
    glBindVertexArray(0);
    glUseProgram(0);
    glDisable(GL_STENCIL_TEST);
}

void MapRenderer::draw(const LayerMesh& mesh, const Camera& camera, float opacity) const {
    const Programs& p = *m_programs;
    const double wpp = camera.world_per_pixel();
    const geo::Coord c = camera.center_world();
    const float off_x = static_cast<float>(mesh.origin.x - c.x), off_y = static_cast<float>(mesh.origin.y - c.y);
    const float sx = static_cast<float>(2.0 / (camera.width() * wpp)), sy = static_cast<float>(2.0 / (camera.height() * wpp));
    auto set_common = [&](GLuint prog, const Programs::Uniforms& u) {
        glUseProgram(prog);
        glUniform2f(u.offset, off_x, off_y);
        glUniform2f(u.scale, sx, sy);
        if (u.viewport >= 0) glUniform2f(u.viewport, static_cast<float>(camera.width()), static_cast<float>(camera.height()));
        if (u.ratio >= 0) glUniform1f(u.ratio, static_cast<float>(camera.pixel_ratio()));
        glUniform1f(u.opacity, opacity);
    };
    if (!mesh.polygons.empty()) {
        set_common(p.fill, p.uf);
        glBindVertexArray(mesh.fill_vao);
        glEnable(GL_STENCIL_TEST);
        glStencilMask(0xFF);
        for (const auto& d : mesh.polygons) {
            glColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_FALSE);
            glStencilFunc(GL_ALWAYS, 0, 0x01);
            glStencilOp(GL_KEEP, GL_KEEP, GL_INVERT);
            glDrawArrays(GL_TRIANGLES, d.first, d.count);
            glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
            glStencilFunc(GL_EQUAL, 1, 0x01);
            glStencilOp(GL_ZERO, GL_ZERO, GL_ZERO); // cover and clear in one pass
            glUniform4f(p.uf.colour, d.fill.r / 255.f, d.fill.g / 255.f, d.fill.b / 255.f, d.fill.a / 255.f);
            glDrawArrays(GL_TRIANGLES, d.cover_first, 6);
        }
        glDisable(GL_STENCIL_TEST);
    }
    if (mesh.segments > 0) {
        set_common(p.line, p.ul);
        glBindVertexArray(mesh.line_vao);
        glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, mesh.segments);
    }
    if (mesh.points > 0) {
        set_common(p.point, p.up);
        glBindVertexArray(mesh.point_vao);
        glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, mesh.points);
    }
    glBindVertexArray(0);
}

std::size_t MapRenderer::instance_count(const LayerMesh& mesh) {
    return static_cast<std::size_t>(mesh.points) + static_cast<std::size_t>(mesh.segments) + mesh.polygons.size();
}

} // namespace vigil::viewer

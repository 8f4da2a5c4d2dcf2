/// @file
/// The map renderer's shaders, GPU buffers and draw calls; see map_renderer.hpp.

#include "map_renderer.hpp"

#include "gl.hpp"
#include "gl_program.hpp"

#include <vigil/geo/mercator.hpp>
#include <vigil/util/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <optional>
#include <string>

namespace vigil::viewer {

namespace {

// ---------------------------------------------------------------------------- shaders

// One source, several programs, chosen per draw by defines:
//   VIGIL_SPRITE   a marker is a point sprite (one vertex); else an instanced quad (four)
//   VIGIL_TINY     markers of a few device pixels: a pixel sprite, stroke ring and fill, the
//                  corners cut off circles; no distance field and no blending (a software
//                  rasteriser spends most of a million-point frame in the fragment shader)
//   VIGIL_CIRCLES  a distance field without the shape switch, for layers of circles only
//   VIGIL_UNIFORM_STYLE  one style for the whole mesh, in uniforms: vertices are positions only
// Per-vertex styles come as bytes: size in quarter pixels, stroke in eighths, shape. `params`
// is, per marker in framebuffer pixels: distance field (radius, stroke width, half side,
// shape); tiny (side, where the stroke ring starts in 0..1 from the centre, half side, shape).
const char* k_point_vs = R"(
layout(location = 0) in vec2 a_pos;
uniform vec2 u_offset;
uniform vec2 u_scale;
uniform vec2 u_viewport;
uniform float u_ratio;
uniform float u_min_size; // logical pixels: the wall's visual-angle minimum (0 on a desk)
#ifdef VIGIL_UNIFORM_STYLE
uniform vec4 u_params;
#else
layout(location = 1) in vec4 a_fill;
layout(location = 2) in vec4 a_stroke;
layout(location = 3) in vec3 a_params;
// Constant over a marker: flat, in three slots (each slot costs set-up per primitive).
flat out vec4 v_fill;
flat out vec4 v_stroke;
flat out vec4 v_params;
#endif
#if !defined(VIGIL_SPRITE) && !defined(VIGIL_TINY)
out vec2 v_local;
#endif
void main() {
#ifdef VIGIL_UNIFORM_STYLE
    vec4 params = u_params;
#else
    float size = max(a_params.x * 0.25, u_min_size) * u_ratio, stroke = a_params.y * 0.125 * u_ratio;
#ifdef VIGIL_TINY
    float side = max(1.0, floor(size + 0.5));
    vec4 params = vec4(side, 1.0 - 2.0 * stroke / side, side * 0.5, a_params.z);
#else
    float r = size * 0.5;
    // The square the marker is drawn in: the shape plus the half pixel of antialiasing
    // (stars and triangles reach out further than their nominal radius).
    vec4 params = vec4(r, stroke, a_params.z < 0.5 ? r + 0.5 : r * 1.25 + 1.0, a_params.z);
#endif
    v_fill = a_fill;
    v_stroke = a_stroke;
    v_params = params;
#endif
    vec2 ndc = (a_pos + u_offset) * u_scale;
#if defined(VIGIL_SPRITE) || defined(VIGIL_TINY)
    gl_Position = vec4(ndc, 0.0, 1.0);
    gl_PointSize = 2.0 * params.z;
#else
    int id = gl_VertexID;
    vec2 corner = vec2(float(id & 1), float((id >> 1) & 1)) * 2.0 - 1.0;
    gl_Position = vec4(ndc + corner * params.z * 2.0 / u_viewport, 0.0, 1.0);
    v_local = corner * params.z;
#endif
}
)";

// Signed distances in pixels (negative inside); shapes after Inigo Quilez's 2D SDF catalogue.
const char* k_point_fs = R"(
#ifdef VIGIL_UNIFORM_STYLE
uniform vec4 u_fill;
uniform vec4 u_stroke;
uniform vec4 u_params;
#define FILL u_fill
#define STROKE u_stroke
#define PARAMS u_params
#else
flat in vec4 v_fill;
flat in vec4 v_stroke;
flat in vec4 v_params;
#define FILL v_fill
#define STROKE v_stroke
#define PARAMS v_params
#endif
#if !defined(VIGIL_SPRITE) && !defined(VIGIL_TINY)
in vec2 v_local;
#endif
uniform float u_opacity;
out vec4 o_colour;
#ifdef VIGIL_TINY
void main() {
    // |offset from the centre| per axis, 0..1 at the pixel centres of the sprite.
    vec2 q = abs(gl_PointCoord * 2.0 - 1.0);
#ifdef VIGIL_CIRCLES
    if (min(q.x, q.y) > 0.5) discard; // a circle: no corner pixels
#else
    if (PARAMS.w < 0.5 && min(q.x, q.y) > 0.5) discard;
#endif
    vec4 c = max(q.x, q.y) > PARAMS.y ? STROKE : FILL;
    o_colour = vec4(c.rgb, c.a * u_opacity);
}
#else
#ifndef VIGIL_CIRCLES
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
#endif
void main() {
    float r = PARAMS.x;
#ifdef VIGIL_SPRITE
    // gl_PointCoord runs 0..1 across the sprite, y downwards.
    vec2 p = (gl_PointCoord - 0.5) * (2.0 * PARAMS.z) * vec2(1.0, -1.0);
#else
    vec2 p = v_local;
#endif
#ifdef VIGIL_CIRCLES
    float d = length(p) - r;
#else
    int shape = int(PARAMS.w + 0.5);
    float d;
    if (shape == 1) d = sd_box(p, vec2(r * 0.86));
    else if (shape == 2) d = sd_triangle(p, r * 1.05);
    else if (shape == 3) d = (abs(p.x) + abs(p.y) - r) * 0.70710678;
    else if (shape == 4) d = sd_star(p, r * 1.1);
    else if (shape == 5) d = min(sd_box(p, vec2(r, r * 0.3)), sd_box(p, vec2(r * 0.3, r)));
    else d = length(p) - r;
#endif
    float coverage = clamp(0.5 - d, 0.0, 1.0);
    if (coverage <= 0.0) discard;
    float inner = clamp(-d - PARAMS.y + 0.5, 0.0, 1.0);
    vec4 c = mix(STROKE, FILL, PARAMS.y > 0.0 ? inner : 1.0);
    o_colour = vec4(c.rgb, c.a * coverage * u_opacity);
}
#endif
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

/// A marker: 20 bytes (a million markers are 20 MB of vertex data, read once per frame).
struct PointVertex {
    float x, y;
    std::uint32_t fill, stroke;
    std::uint8_t size_q;   ///< diameter in quarter logical pixels (up to 63.75)
    std::uint8_t stroke_q; ///< stroke width in eighth logical pixels (up to 31.875)
    std::uint8_t shape;    ///< Marker
    std::uint8_t pad;
};
static_assert(sizeof(PointVertex) == 20);

struct SegmentInstance {
    float x0, y0, x1, y1;
    std::uint32_t colour;
    float width;
};

/// All polygons of one fill colour: their fans (stencil), then their boxes (cover).
struct FillBatch {
    GLint fan_first = 0;
    GLsizei fan_count = 0;
    GLint cover_first = 0;
    GLsizei cover_count = 0;
    Rgba fill;
};

Rgba unpack(std::uint32_t packed) {
    return {static_cast<std::uint8_t>(packed & 0xFF), static_cast<std::uint8_t>((packed >> 8) & 0xFF),
            static_cast<std::uint8_t>((packed >> 16) & 0xFF), static_cast<std::uint8_t>(packed >> 24)};
}

std::uint8_t quantise(float v, float scale) { return static_cast<std::uint8_t>(std::clamp(std::lround(v * scale), 0L, 255L)); }

PointVertex point_vertex(geo::Coord w, geo::Coord origin, const FeatureStyle& st) {
    return {static_cast<float>(w.x - origin.x),
            static_cast<float>(w.y - origin.y),
            st.fill.packed(),
            st.stroke.packed(),
            quantise(st.size, 4),
            quantise(st.stroke_width, 8),
            static_cast<std::uint8_t>(st.marker),
            0};
}

/// Markers bigger than this (framebuffer pixels) are drawn as quads: a sprite disappears as a
/// whole when its centre leaves the viewport, which shows on a big cluster circle.
constexpr float k_max_sprite_px = 40;
/// Markers up to this diameter (framebuffer pixels) are drawn as tiny pixel sprites: at that
/// size a distance field's antialiasing is a blur of a few pixels, and it costs a software
/// rasteriser nearly twice a plain sprite.
constexpr float k_max_tiny_px = 5.5f;

// Point program variants (bits of a key).
constexpr unsigned k_sprite = 1, k_tiny = 2, k_circles = 4, k_uniform_style = 8;

} // namespace

struct MapRenderer::Programs {
    struct Uniforms {
        GLint offset = -1, scale = -1, viewport = -1, ratio = -1, opacity = -1, colour = -1;
        GLint fill = -1, stroke = -1, params = -1, min_size = -1;
    };
    struct Program {
        GLuint id = 0;
        Uniforms u;
    };
    Program line, fill;
    std::map<unsigned, Program> points; ///< by variant key, compiled on first use
    float max_point_size = 1;           ///< GL_ALIASED_POINT_SIZE_RANGE's upper end

    static Program make(const std::string& defines, const char* vs, const char* fs, const char* what) {
        Program prog;
        prog.id = link_program(std::string("map renderer: ") + what, vs, fs, defines); // i18n: not shown: a shader's name
        Uniforms& u = prog.u;
        u.offset = glGetUniformLocation(prog.id, "u_offset");
        u.scale = glGetUniformLocation(prog.id, "u_scale");
        u.viewport = glGetUniformLocation(prog.id, "u_viewport");
        u.ratio = glGetUniformLocation(prog.id, "u_ratio");
        u.opacity = glGetUniformLocation(prog.id, "u_opacity");
        u.colour = glGetUniformLocation(prog.id, "u_colour");
        u.fill = glGetUniformLocation(prog.id, "u_fill");
        u.stroke = glGetUniformLocation(prog.id, "u_stroke");
        u.params = glGetUniformLocation(prog.id, "u_params");
        u.min_size = glGetUniformLocation(prog.id, "u_min_size");
        return prog;
    }
    const Program& point(unsigned key) {
        auto it = points.find(key);
        if (it != points.end()) return it->second;
        std::string defines;
        if (key & k_sprite) defines += "#define VIGIL_SPRITE 1\n";
        if (key & k_tiny) defines += "#define VIGIL_TINY 1\n";
        if (key & k_circles) defines += "#define VIGIL_CIRCLES 1\n";
        if (key & k_uniform_style) defines += "#define VIGIL_UNIFORM_STYLE 1\n";
        return points.emplace(key, make(defines, k_point_vs, k_point_fs, "point")).first->second;
    }
};

class LayerMesh {
public:
    LayerMesh() = default;
    LayerMesh(const LayerMesh&) = delete;
    LayerMesh& operator=(const LayerMesh&) = delete;
    ~LayerMesh() {
        GLuint vaos[] = {sprite_vao, quad_vao, line_vao, fill_vao};
        GLuint vbos[] = {point_vbo, line_vbo, fill_vbo};
        glDeleteVertexArrays(4, vaos);
        glDeleteBuffers(3, vbos);
    }

    geo::Coord origin{};
    GLuint sprite_vao = 0, quad_vao = 0, point_vbo = 0, line_vao = 0, line_vbo = 0, fill_vao = 0, fill_vbo = 0;
    GLsizei points = 0, segments = 0;
    float max_size = 0;   ///< the largest marker diameter, logical pixels
    float max_extent = 0; ///< the largest half side of a marker's square, logical pixels
    bool circles_only = true;
    bool tiny_shapes = true;                 ///< only circles and squares (what the tiny path draws)
    bool opaque = true;                      ///< every fill and stroke is opaque
    std::optional<PointVertex> single_style; ///< all markers alike: positions only, style in uniforms
    std::vector<FillBatch> fills;

    void upload_points(const std::vector<PointVertex>& data) {
        points = static_cast<GLsizei>(data.size());
        if (data.empty()) return;
        auto same_style = [](const PointVertex& a, const PointVertex& b) {
            return a.fill == b.fill && a.stroke == b.stroke && a.size_q == b.size_q && a.stroke_q == b.stroke_q && a.shape == b.shape;
        };
        bool single = true;
        for (const auto& v : data) {
            const float size = v.size_q / 4.0f;
            max_size = std::max(max_size, size);
            max_extent = std::max(max_extent, v.shape == 0 ? size / 2 : size / 2 * 1.25f + 0.5f);
            circles_only = circles_only && v.shape == static_cast<std::uint8_t>(Marker::Circle);
            tiny_shapes = tiny_shapes &&
                          (v.shape == static_cast<std::uint8_t>(Marker::Circle) || v.shape == static_cast<std::uint8_t>(Marker::Square));
            opaque = opaque && (v.fill >> 24) == 255 && ((v.stroke >> 24) == 255 || v.stroke_q == 0);
            single = single && same_style(v, data.front());
        }
        glGenBuffers(1, &point_vbo);
        glBindBuffer(GL_ARRAY_BUFFER, point_vbo);
        if (single) {
            // 8 bytes a marker instead of 20: a million markers in 8 MB, like the bare minimum.
            single_style = data.front();
            std::vector<float> xy;
            xy.reserve(data.size() * 2);
            for (const auto& v : data) {
                xy.push_back(v.x);
                xy.push_back(v.y);
            }
            glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(xy.size() * sizeof(float)), xy.data(), GL_STATIC_DRAW);
        } else {
            glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(data.size() * sizeof(PointVertex)), data.data(), GL_STATIC_DRAW);
        }
        // One buffer, two views: per vertex for sprites, per instance for quads.
        for (GLuint* vao : {&sprite_vao, &quad_vao}) {
            glGenVertexArrays(1, vao);
            glBindVertexArray(*vao);
            glBindBuffer(GL_ARRAY_BUFFER, point_vbo);
            const GLuint divisor = vao == &quad_vao ? 1 : 0;
            if (single) {
                glEnableVertexAttribArray(0);
                glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 2 * sizeof(float), nullptr);
                glVertexAttribDivisor(0, divisor);
                continue;
            }
            const GLsizei stride = sizeof(PointVertex);
            glEnableVertexAttribArray(0);
            glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(PointVertex, x)));
            glEnableVertexAttribArray(1);
            glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, reinterpret_cast<void*>(offsetof(PointVertex, fill)));
            glEnableVertexAttribArray(2);
            glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, reinterpret_cast<void*>(offsetof(PointVertex, stroke)));
            glEnableVertexAttribArray(3);
            glVertexAttribPointer(3, 3, GL_UNSIGNED_BYTE, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(PointVertex, size_q)));
            for (GLuint a = 0; a < 4; ++a) glVertexAttribDivisor(a, divisor);
        }
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
    if (!m_programs) return;
    glDeleteProgram(m_programs->line.id);
    glDeleteProgram(m_programs->fill.id);
    for (const auto& [key, prog] : m_programs->points) glDeleteProgram(prog.id);
}

void MapRenderer::init() {
    auto p = std::make_unique<Programs>();
    p->line = Programs::make("", k_line_vs, k_line_fs, "line");
    p->fill = Programs::make("", k_fill_vs, k_fill_fs, "fill");
    // The point variants every frame of the demo needs, so that a shader error shows here.
    for (unsigned key : {k_sprite | k_circles, k_sprite, k_tiny, k_tiny | k_circles, k_sprite | k_circles | k_uniform_style, 0u})
        p->point(key);
    GLfloat range[2] = {1, 1};
    glGetFloatv(GL_ALIASED_POINT_SIZE_RANGE, range);
    p->max_point_size = range[1];
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

double signed_area(std::span<const geo::Coord> ring) {
    double a = 0;
    for (std::size_t i = 1; i < ring.size(); ++i) a += ring[i - 1].x * ring[i].y - ring[i].x * ring[i - 1].y;
    return a / 2;
}

/// The fans and box of one polygon (its rings [r0, r1)), relative to `origin`: a fan from the
/// first vertex of each ring, outer ring counter-clockwise and holes clockwise, so that the
/// non-zero winding rule fills exactly the polygon and overlapping polygons add up.
void add_polygon(const geo::Geometry& g, std::size_t r0, std::size_t r1, geo::Coord origin, std::vector<float>& fan,
                 std::vector<float>& cover) {
    geo::BBox box;
    auto put = [&](std::vector<float>& out, geo::Coord w) {
        out.push_back(static_cast<float>(w.x - origin.x));
        out.push_back(static_cast<float>(w.y - origin.y));
    };
    for (std::size_t r = r0; r < r1; ++r) {
        auto ring = g.ring(r);
        if (ring.size() < 4) continue;
        const bool ccw = signed_area(ring) > 0; // lon/lat and mercator agree on orientation
        const bool reverse = (r == r0) != ccw;
        const std::size_t n = ring.size() - 1; // closed: the last vertex repeats the first
        auto at = [&](std::size_t i) { return world_of(ring[reverse ? (n - i) % n : i]); };
        const geo::Coord w0 = at(0);
        for (std::size_t i = 1; i + 1 < n; ++i) {
            const geo::Coord w1 = at(i), w2 = at(i + 1);
            for (auto w : {w0, w1, w2}) {
                put(fan, w);
                box.add(w);
            }
        }
    }
    if (box.empty()) return;
    for (auto c : {geo::Coord{box.min_x, box.min_y}, geo::Coord{box.max_x, box.min_y}, geo::Coord{box.max_x, box.max_y},
                   geo::Coord{box.min_x, box.min_y}, geo::Coord{box.max_x, box.max_y}, geo::Coord{box.min_x, box.max_y}})
        put(cover, c);
}

} // namespace

std::shared_ptr<LayerMesh> MapRenderer::build(const model::Layer& layer, const std::vector<std::uint8_t>& visible,
                                              const StyleResolver& styles) const {
    auto mesh = std::make_shared<LayerMesh>();
    geo::BBox bounds = layer.bounds();
    if (!bounds.empty()) mesh->origin = world_of({(bounds.min_x + bounds.max_x) / 2, (bounds.min_y + bounds.max_y) / 2});
    const geo::Coord o = mesh->origin;
    std::vector<PointVertex> points;
    std::vector<SegmentInstance> segments;
    // Per fill colour (in order of first use): fans and cover boxes.
    struct Batch {
        Rgba fill;
        std::vector<float> fan, cover;
    };
    std::vector<Batch> batches;
    for (std::size_t row = 0; row < layer.size(); ++row) {
        if (!visible.empty() && !visible[row]) continue;
        const geo::Geometry& g = layer.geometry(row);
        if (g.is_empty()) continue;
        FeatureStyle st = styles.style(layer, row);
        switch (g.type) {
        case geo::GeometryType::Point:
        case geo::GeometryType::MultiPoint:
            for (auto c : g.coords) points.push_back(point_vertex(world_of(c), o, st));
            break;
        case geo::GeometryType::LineString: add_segments(g.coords, o, st.stroke.packed(), st.stroke_width, segments); break;
        case geo::GeometryType::MultiLineString:
            for (std::size_t i = 0; i < g.ring_count(); ++i) add_segments(g.ring(i), o, st.stroke.packed(), st.stroke_width, segments);
            break;
        case geo::GeometryType::Polygon:
        case geo::GeometryType::MultiPolygon: {
            if (st.fill.a > 0) {
                auto it = std::find_if(batches.begin(), batches.end(), [&](const Batch& b) { return b.fill == st.fill; });
                if (it == batches.end()) it = batches.insert(batches.end(), Batch{st.fill, {}, {}});
                const std::size_t polygons = g.type == geo::GeometryType::Polygon ? 1 : g.polygon_starts.size() - 1;
                for (std::size_t pi = 0; pi < polygons; ++pi) {
                    const std::size_t r0 = g.type == geo::GeometryType::Polygon ? 0 : g.polygon_starts[pi];
                    const std::size_t r1 = g.type == geo::GeometryType::Polygon ? g.ring_count() : g.polygon_starts[pi + 1];
                    add_polygon(g, r0, r1, o, it->fan, it->cover);
                }
            }
            if (st.stroke.a > 0 && st.stroke_width > 0)
                for (std::size_t i = 0; i < g.ring_count(); ++i) add_segments(g.ring(i), o, st.stroke.packed(), st.stroke_width, segments);
            break;
        }
        case geo::GeometryType::None: break;
        }
    }
    std::vector<float> fills;
    for (const auto& b : batches) {
        if (b.fan.empty()) continue;
        FillBatch d;
        d.fill = b.fill;
        d.fan_first = static_cast<GLint>(fills.size() / 2);
        fills.insert(fills.end(), b.fan.begin(), b.fan.end());
        d.fan_count = static_cast<GLsizei>(fills.size() / 2) - d.fan_first;
        d.cover_first = static_cast<GLint>(fills.size() / 2);
        fills.insert(fills.end(), b.cover.begin(), b.cover.end());
        d.cover_count = static_cast<GLsizei>(fills.size() / 2) - d.cover_first;
        mesh->fills.push_back(d);
    }
    mesh->upload_points(points);
    mesh->upload_segments(segments);
    mesh->upload_fills(fills);
    return mesh;
}

std::shared_ptr<LayerMesh> MapRenderer::build_markers(std::span<const MarkerInstance> markers) const {
    auto mesh = std::make_shared<LayerMesh>();
    geo::BBox b;
    for (const auto& m : markers) b.add(m.lonlat);
    if (!b.empty()) mesh->origin = world_of({(b.min_x + b.max_x) / 2, (b.min_y + b.max_y) / 2});
    std::vector<PointVertex> points;
    points.reserve(markers.size());
    for (const auto& m : markers) points.push_back(point_vertex(world_of(m.lonlat), mesh->origin, m.style));
    mesh->upload_points(points);
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
    std::vector<PointVertex> points;
    for (const auto& p : overlay.points) points.push_back(point_vertex(world_of(p.lonlat), o, p.style));
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
    m_draw_calls = 0;
    m_stencil_clear = true; // on the first polygon fill: most frames have none
    glViewport(0, 0, static_cast<GLsizei>(camera.width()), static_cast<GLsizei>(camera.height()));
    glClearColor(bg.r / 255.f, bg.g / 255.f, bg.b / 255.f, 1.f);
    glClear(GL_COLOR_BUFFER_BIT);
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glDisable(GL_SCISSOR_TEST);
#ifdef GL_PROGRAM_POINT_SIZE
    glEnable(GL_PROGRAM_POINT_SIZE); // desktop GL: sprites take gl_PointSize (always so in GLES/WebGL)
#endif
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
    const float ratio = static_cast<float>(camera.pixel_ratio());
    auto use = [&](const Programs::Program& prog) {
        const Programs::Uniforms& u = prog.u;
        glUseProgram(prog.id);
        glUniform2f(u.offset, off_x, off_y);
        glUniform2f(u.scale, sx, sy);
        if (u.viewport >= 0) glUniform2f(u.viewport, static_cast<float>(camera.width()), static_cast<float>(camera.height()));
        if (u.ratio >= 0) glUniform1f(u.ratio, ratio);
        glUniform1f(u.opacity, opacity);
    };
    if (!mesh.fills.empty()) {
        use(p.fill);
        glBindVertexArray(mesh.fill_vao);
        glEnable(GL_STENCIL_TEST);
        glStencilMask(0xFF);
        if (m_stencil_clear) {
            glClearStencil(0);
            glClear(GL_STENCIL_BUFFER_BIT);
            m_stencil_clear = false;
        }
        for (const auto& d : mesh.fills) {
            // Winding numbers into the stencil (front faces +1, back faces -1) ...
            glColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_FALSE);
            glStencilFunc(GL_ALWAYS, 0, 0xFF);
            glStencilOpSeparate(GL_FRONT, GL_KEEP, GL_KEEP, GL_INCR_WRAP);
            glStencilOpSeparate(GL_BACK, GL_KEEP, GL_KEEP, GL_DECR_WRAP);
            glDrawArrays(GL_TRIANGLES, d.fan_first, d.fan_count);
            // ... then colour where it is non-zero, clearing it in the same pass (each pixel
            // is painted once even where the boxes or the polygons overlap).
            glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
            glStencilFunc(GL_NOTEQUAL, 0, 0xFF);
            glStencilOp(GL_ZERO, GL_ZERO, GL_ZERO);
            glUniform4f(p.fill.u.colour, d.fill.r / 255.f, d.fill.g / 255.f, d.fill.b / 255.f, d.fill.a / 255.f);
            glDrawArrays(GL_TRIANGLES, d.cover_first, d.cover_count);
            m_draw_calls += 2;
        }
        glDisable(GL_STENCIL_TEST);
    }
    if (mesh.segments > 0) {
        use(p.line);
        glBindVertexArray(mesh.line_vao);
        glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, mesh.segments);
        ++m_draw_calls;
    }
    if (mesh.points > 0) {
        Programs& progs = *m_programs;
        const float device_size = std::max(mesh.max_size, m_min_marker) * ratio;
        const bool tiny = mesh.tiny_shapes && device_size <= k_max_tiny_px;
        const float side = 2 * (std::max(mesh.max_extent, m_min_marker * 0.625f + 0.5f) * ratio + 1.0f);
        const bool sprite = tiny || side <= std::min(progs.max_point_size, k_max_sprite_px * ratio);
        unsigned key = tiny ? k_tiny : sprite ? k_sprite : 0u;
        if (mesh.circles_only) key |= k_circles;
        if (mesh.single_style) key |= k_uniform_style;
        const Programs::Program& prog = progs.point(key);
        use(prog);
        if (prog.u.min_size >= 0) glUniform1f(prog.u.min_size, m_min_marker);
        if (const auto& st = mesh.single_style) {
            // What the vertex shader computes per marker otherwise (see k_point_vs).
            const float size = std::max(st->size_q / 4.0f, m_min_marker) * ratio, stroke = st->stroke_q / 8.0f * ratio, shape = st->shape;
            if (tiny) {
                const float px = std::max(1.0f, std::floor(size + 0.5f));
                glUniform4f(prog.u.params, px, 1 - 2 * stroke / px, px / 2, shape);
            } else {
                const float r = size / 2;
                glUniform4f(prog.u.params, r, stroke, shape < 0.5f ? r + 0.5f : r * 1.25f + 1.0f, shape);
            }
            const Rgba f = unpack(st->fill), k = unpack(st->stroke);
            glUniform4f(prog.u.fill, f.r / 255.f, f.g / 255.f, f.b / 255.f, f.a / 255.f);
            glUniform4f(prog.u.stroke, k.r / 255.f, k.g / 255.f, k.b / 255.f, k.a / 255.f);
        }
        // Tiny markers have no antialiasing: opaque ones need no blending either.
        const bool blend = !(tiny && mesh.opaque && opacity >= 1.0f);
        if (!blend) glDisable(GL_BLEND);
        if (sprite) {
            glBindVertexArray(mesh.sprite_vao);
            glDrawArrays(GL_POINTS, 0, mesh.points);
        } else {
            glBindVertexArray(mesh.quad_vao);
            glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, mesh.points);
        }
        if (!blend) glEnable(GL_BLEND);
        ++m_draw_calls;
    }
    glBindVertexArray(0);
}

std::size_t MapRenderer::instance_count(const LayerMesh& mesh) {
    std::size_t fills = 0;
    for (const auto& f : mesh.fills) fills += static_cast<std::size_t>(f.cover_count / 6);
    return static_cast<std::size_t>(mesh.points) + static_cast<std::size_t>(mesh.segments) + fills;
}

} // namespace vigil::viewer

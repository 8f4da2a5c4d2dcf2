/// @file
/// The raster basemap behind TileBasemap: the GL side (textures, one small shader, textured
/// quads) over TileLoader (reading and decoding off the frame) and LruCache (memory bound).
///
/// Per frame: pump() uploads a few decoded tiles, time-boxed so a pan stays smooth while many
/// arrive; draw() picks the tile zoom, draws every visible tile it has, and for the others asks
/// the loader and draws what it has instead: the nearest loaded ancestor (the matching part of
/// its texture, magnified) under any loaded children.
#include "tile_basemap.hpp"

#include "lru_cache.hpp"
#include "tile_grid.hpp"
#include "tile_loader.hpp"
#include "tile_source.hpp"

#include "../render/gl.hpp"
#include "../render/gl_program.hpp"

#include <vigil/geo/mercator.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <string>
#include <vector>

namespace vigil::viewer {

namespace {

// Vertices arrive in clip space: the CPU subtracts the camera centre from the tile corners in
// double before converting to float, so tiles do not jitter at street zoom levels.
const char* k_tile_vs = R"(
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec2 a_uv;
out vec2 v_uv;
void main() {
    v_uv = a_uv;
    gl_Position = vec4(a_pos, 0.0, 1.0);
}
)";

const char* k_tile_fs = R"(
in vec2 v_uv;
uniform sampler2D u_tile;
out vec4 o_colour;
void main() { o_colour = texture(u_tile, v_uv); }
)";

/// At most this many uploads per frame, and no new one after this much time: a 256² upload
/// costs ~0.1-1 ms, so a frame keeps most of its 16 ms for the map.
constexpr std::size_t k_max_uploads_per_frame = 8;
constexpr std::chrono::microseconds k_upload_time_box{4000};
/// A view needing more tiles than this (a source whose min zoom is far above the camera's) is
/// not drawn: thousands of tiny tiles would cost more than they show.
constexpr std::size_t k_max_visible_tiles = 1024;
/// How many levels below a missing tile to look for loaded children (after zooming out).
constexpr int k_child_depth = 2;
/// Freed textures kept for reuse with glTexSubImage2D (a bounded few: 8 × 256 KiB).
constexpr std::size_t k_texture_pool = 8;
/// Tiles the source does not have are remembered (so they are not asked for again): bounded by
/// count, one unit each.
constexpr std::size_t k_max_known_empty = 16384;

struct Texture {
    GLuint id = 0;
    int width = 0;
    int height = 0;
};

class RasterBasemap final : public TileBasemap {
public:
    RasterBasemap(std::unique_ptr<TileSource> source, std::size_t cache_bytes)
        : m_loader(std::move(source), 512), m_textures(cache_bytes), m_empty(k_max_known_empty) {}

    ~RasterBasemap() override {
        if (!m_gl_ready) return;
        m_textures.clear([](const TileId&, Texture& t) { glDeleteTextures(1, &t.id); });
        for (auto& t : m_pool) glDeleteTextures(1, &t.id);
        glDeleteBuffers(1, &m_vbo);
        glDeleteVertexArrays(1, &m_vao);
        glDeleteProgram(m_program);
    }

    void pump() override {
        init_gl();
        const auto start = std::chrono::steady_clock::now();
        for (std::size_t n = 0; n < k_max_uploads_per_frame; ++n) {
            if (n > 0 && std::chrono::steady_clock::now() - start > k_upload_time_box) break;
            auto done = m_loader.take(1);
            if (done.empty()) break;
            accept(done.front());
        }
    }

    void draw(const Camera& camera) override;

    bool idle() const override { return m_missing == 0 && m_loader.idle(); }
    std::size_t cached_tiles() const override { return m_textures.size(); }
    std::size_t cached_bytes() const override { return m_textures.bytes(); }

private:
    void init_gl();
    void accept(LoadedTile& done);
    void release(Texture& t);
    void add_quad(const TileId& where, const Texture& tex, UvRect uv);
    void add_children(const TileId& tile, int depth);

    TileLoader m_loader;
    LruCache<TileId, Texture, TileIdHash> m_textures;
    LruCache<TileId, char, TileIdHash> m_empty;
    std::vector<Texture> m_pool;
    std::uint64_t m_frame = 0;
    std::size_t m_missing = 0; ///< visible tiles still loading at the last draw()
    bool m_reported = false;

    bool m_gl_ready = false;
    GLuint m_program = 0, m_vao = 0, m_vbo = 0;
    GLint m_u_tile = -1;
    // This frame's quads: clip-space x, y and u, v per vertex; one draw per run of a texture.
    std::vector<float> m_vertices;
    struct Draw {
        GLuint texture;
        GLint first;
        GLsizei count;
    };
    std::vector<Draw> m_draws;
    geo::Coord m_centre{};
    double m_sx = 0, m_sy = 0;
};

void RasterBasemap::init_gl() {
    if (m_gl_ready) return;
    m_program = link_program("basemap: tile", k_tile_vs, k_tile_fs); // i18n: not shown: a shader's name in a bug report
    m_u_tile = glGetUniformLocation(m_program, "u_tile");
    glGenVertexArrays(1, &m_vao);
    glGenBuffers(1, &m_vbo);
    glBindVertexArray(m_vao);
    glBindBuffer(GL_ARRAY_BUFFER, m_vbo);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float), nullptr);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float), reinterpret_cast<void*>(2 * sizeof(float)));
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    m_gl_ready = true;
}

void RasterBasemap::accept(LoadedTile& done) {
    if (!done.error.empty() && !m_reported) {
        // Shown once: a broken file would otherwise print for every tile of every frame.
        std::fprintf(stderr, "vigil: %s\n", trf("basemap: {} (such tiles are left empty; further errors not shown)", done.error).c_str());
        m_reported = true;
    }
    if (!done.image) {
        m_empty.insert(done.id, 0, 1, m_frame);
        m_empty.trim(m_frame);
        return;
    }
    const RgbaImage& img = *done.image;
    Texture tex;
    auto reuse =
        std::find_if(m_pool.begin(), m_pool.end(), [&](const Texture& t) { return t.width == img.width && t.height == img.height; });
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    if (reuse != m_pool.end()) {
        tex = *reuse;
        m_pool.erase(reuse);
        glBindTexture(GL_TEXTURE_2D, tex.id);
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, img.width, img.height, GL_RGBA, GL_UNSIGNED_BYTE, img.pixels.data());
    } else {
        tex.width = img.width;
        tex.height = img.height;
        glGenTextures(1, &tex.id);
        glBindTexture(GL_TEXTURE_2D, tex.id);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, img.width, img.height, 0, GL_RGBA, GL_UNSIGNED_BYTE, img.pixels.data());
    }
    glBindTexture(GL_TEXTURE_2D, 0);
    // Stamped with the last drawn frame: it becomes the most recent entry, but only draw()
    // protects it from eviction, and only if it is still visible.
    m_textures.insert(done.id, tex, img.bytes(), m_frame, [this](const TileId&, Texture& old) { release(old); });
}

void RasterBasemap::release(Texture& t) {
    if (m_pool.size() < k_texture_pool) {
        m_pool.push_back(t);
    } else {
        glDeleteTextures(1, &t.id);
    }
    t.id = 0;
}

void RasterBasemap::add_quad(const TileId& where, const Texture& tex, UvRect uv) {
    const geo::BBox b = tile_world_bounds(where);
    const float x0 = static_cast<float>((b.min_x - m_centre.x) * m_sx), x1 = static_cast<float>((b.max_x - m_centre.x) * m_sx);
    const float y0 = static_cast<float>((b.min_y - m_centre.y) * m_sy), y1 = static_cast<float>((b.max_y - m_centre.y) * m_sy);
    // v grows downwards (image rows from the north), clip-space y upwards.
    const float quad[] = {x0, y1, uv.u0, uv.v0, x1, y1, uv.u1, uv.v0, x0, y0, uv.u0, uv.v1,
                          x1, y1, uv.u1, uv.v0, x1, y0, uv.u1, uv.v1, x0, y0, uv.u0, uv.v1};
    const GLint first = static_cast<GLint>(m_vertices.size() / 4);
    m_vertices.insert(m_vertices.end(), std::begin(quad), std::end(quad));
    if (!m_draws.empty() && m_draws.back().texture == tex.id && m_draws.back().first + m_draws.back().count == first)
        m_draws.back().count += 6;
    else m_draws.push_back({tex.id, first, 6});
}

void RasterBasemap::add_children(const TileId& tile, int depth) {
    if (tile.z + 1 > m_loader.info().max_zoom) return;
    for (int i = 0; i < 4; ++i) {
        TileId c = tile.child(i);
        if (const Texture* t = m_textures.use(c, m_frame)) add_quad(c, *t, {});
        else if (depth > 1) add_children(c, depth - 1);
    }
}

void RasterBasemap::draw(const Camera& camera) {
    init_gl();
    ++m_frame;
    const TileSourceInfo& info = m_loader.info();
    const int z = tile_zoom_for(camera, info.min_zoom, info.max_zoom);
    const TileRange range = tiles_for_world(camera.visible_world(), z).intersect(info.tiles_at(z));
    m_centre = camera.center_world();
    m_sx = 2.0 / (camera.width() * camera.world_per_pixel());
    m_sy = 2.0 / (camera.height() * camera.world_per_pixel());
    m_vertices.clear();
    m_draws.clear();
    m_missing = 0;

    std::vector<TileId> visible;
    if (!range.empty() && range.count() <= k_max_visible_tiles) {
        visible.reserve(range.count());
        for (int y = range.y0; y <= range.y1; ++y)
            for (int x = range.x0; x <= range.x1; ++x) visible.push_back({z, x, y});
        // Nearest the centre first: they are requested first and so arrive first.
        const double n = std::ldexp(1.0, z), h = geo::k_web_mercator_half_world_m;
        const double cx = (m_centre.x + h) / (2 * h) * n - 0.5, cy = (h - m_centre.y) / (2 * h) * n - 0.5;
        auto dist = [&](const TileId& t) { return (t.x - cx) * (t.x - cx) + (t.y - cy) * (t.y - cy); };
        std::stable_sort(visible.begin(), visible.end(), [&](const TileId& a, const TileId& b) { return dist(a) < dist(b); });
    }

    std::vector<TileId> wanted;
    auto loaded = [this](const TileId& t) { return m_textures.contains(t); };
    for (const TileId& t : visible) {
        if (const Texture* tex = m_textures.use(t, m_frame)) {
            add_quad(t, *tex, {});
            continue;
        }
        if (m_empty.use(t, m_frame)) continue; // the source has no such tile: nothing to draw
        wanted.push_back(t);
        ++m_missing;
        if (auto a = nearest_ancestor(t, t.z - info.min_zoom, info.min_zoom, loaded))
            add_quad(t, *m_textures.use(*a, m_frame), uv_in_ancestor(t, *a));
        add_children(t, k_child_depth);
    }
    // Also when nothing is wanted: that cancels what is pending for a view left behind.
    m_loader.want(wanted);
    m_textures.trim(m_frame, [this](const TileId&, Texture& t) { release(t); });
    m_empty.trim(m_frame);

    if (m_draws.empty()) return;
    glUseProgram(m_program);
    glActiveTexture(GL_TEXTURE0);
    glUniform1i(m_u_tile, 0);
    glBindVertexArray(m_vao);
    glBindBuffer(GL_ARRAY_BUFFER, m_vbo);
    // Orphan and refill: a few KiB per frame, no stall on the previous frame's draws.
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(m_vertices.size() * sizeof(float)), m_vertices.data(), GL_STREAM_DRAW);
    for (const Draw& d : m_draws) {
        glBindTexture(GL_TEXTURE_2D, d.texture);
        glDrawArrays(GL_TRIANGLES, d.first, d.count);
    }
    glBindTexture(GL_TEXTURE_2D, 0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    glBindVertexArray(0);
    glUseProgram(0);
}

} // namespace

std::unique_ptr<TileBasemap> TileBasemap::open(const std::filesystem::path& source, std::size_t cache_bytes) {
    return std::make_unique<RasterBasemap>(open_tile_source(source), cache_bytes);
}

std::unique_ptr<TileBasemap> TileBasemap::open(std::unique_ptr<TileSource> source, std::size_t cache_bytes) {
    return std::make_unique<RasterBasemap>(std::move(source), cache_bytes);
}

} // namespace vigil::viewer

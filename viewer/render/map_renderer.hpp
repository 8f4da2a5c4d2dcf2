/// @file
/// Draws map layers with GL buffers and shaders — a fixed number of draw calls per layer and
/// primitive kind, whatever the number of features, never one ImGui call per feature:
///
///   points   one draw: point sprites (GL_POINTS, one 20-byte vertex per marker) for the small
///            markers of big layers; instanced quads where a marker is too big for a sprite
///            (clusters: a sprite vanishes as a whole when its centre leaves the viewport). The
///            marker (circle, square, triangle, diamond, star, cross) is a signed-distance shape
///            in the fragment shader, with a stroke and 1-pixel antialiasing; layers of circles
///            only get a shader without the shape switch
///   lines    one instanced draw: segments widened in screen space in the vertex shader
///   polygons two draws per fill colour (not per polygon): the fans of all polygons of that
///            colour into the stencil buffer with the non-zero rule (rings oriented at build
///            time: outer counter-clockwise, holes clockwise; no triangulation), then their
///            bounding boxes where the stencil is set, clearing it; outlines are lines
///
/// Vertex positions are Web Mercator metres relative to a per-layer origin, in float; the
/// camera offset is computed in double each frame, so nothing jitters at street zoom levels.
/// Only the OpenGL ES 3.0 subset of GL 3.3 is used (render/gl.hpp), for WebGL 2 later.
#pragma once

#include "../app/camera.hpp"
#include "../app/overlay.hpp"
#include "../app/style.hpp"

#include <vigil/model/layer.hpp>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace vigil::viewer {

/// GPU data of one layer (or of an overlay such as a selection or nearest-result lines).
class LayerMesh;

/// One marker to draw (cluster circles, overlay pins).
struct MarkerInstance {
    geo::Coord lonlat;
    FeatureStyle style;
};

class MapRenderer {
public:
    MapRenderer();
    ~MapRenderer();
    MapRenderer(const MapRenderer&) = delete;
    MapRenderer& operator=(const MapRenderer&) = delete;

    /// Compiles the shaders; needs a current GL 3.3 / WebGL 2 context. Throws vigil::Error with
    /// the compiler log on failure.
    void init();

    /// Builds the GPU data of a layer: the rows whose `visible[row]` is non-zero (all when
    /// `visible` is empty), styled by `styles`.
    std::shared_ptr<LayerMesh> build(const model::Layer& layer, const std::vector<std::uint8_t>& visible,
                                     const StyleResolver& styles) const;
    std::shared_ptr<LayerMesh> build(const Overlay& overlay) const;
    /// Markers only, drawn in the given order (later on top).
    std::shared_ptr<LayerMesh> build_markers(std::span<const MarkerInstance> markers) const;

    /// Draws a mesh with an overall opacity (0..1). Call between begin_frame() and end_frame().
    void draw(const LayerMesh& mesh, const Camera& camera, float opacity) const;

    /// Clears the viewport to `background` and sets the GL state the draws expect.
    void begin_frame(const Camera& camera, Rgba background) const;
    void end_frame() const;

    /// Statistics of a built mesh, for tests and the benchmark.
    static std::size_t instance_count(const LayerMesh& mesh);
    /// The smallest point marker drawn, logical pixels (the wall's visual-angle rule; 0: every
    /// marker at its style's size, as on a desk).
    void set_min_marker_size(float logical_px) { m_min_marker = logical_px; }

    /// GL draw calls issued since begin_frame().
    std::size_t draw_calls() const { return m_draw_calls; }

private:
    struct Programs;
    std::unique_ptr<Programs> m_programs;
    mutable std::size_t m_draw_calls = 0;
    mutable bool m_stencil_clear = true;
    float m_min_marker = 0;
};

} // namespace vigil::viewer

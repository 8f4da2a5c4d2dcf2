/// @file
/// Draws map layers with GL buffers and shaders — one instanced draw call per layer and
/// primitive kind, not one ImGui call per feature:
///
///   points   instanced quads; the marker (circle, square, triangle, diamond, star, cross) is a
///            signed-distance shape in the fragment shader, with a stroke and 1-pixel antialiasing
///   lines    instanced segments widened in screen space in the vertex shader (width in pixels)
///   polygons fills through the stencil buffer (even-odd, holes and all: no triangulation), then
///            outlines as lines
///
/// Vertex positions are Web Mercator metres relative to a per-layer origin, in float; the
/// camera offset is computed in double each frame, so nothing jitters at street zoom levels.
#pragma once

#include "../app/camera.hpp"
#include "../app/overlay.hpp"
#include "../app/style.hpp"

#include <vigil/model/layer.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace vigil::viewer {

/// GPU data of one layer (or of an overlay such as a selection or nearest-result lines).
class LayerMesh;

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

    /// Draws a mesh with an overall opacity (0..1). Call between begin_frame() and end_frame().
    void draw(const LayerMesh& mesh, const Camera& camera, float opacity) const;

    /// Clears the viewport to `background` and sets the GL state the draws expect.
    void begin_frame(const Camera& camera, Rgba background) const;
    void end_frame() const;

    /// Statistics of the last built meshes, for tests and the status bar.
    static std::size_t instance_count(const LayerMesh& mesh);

private:
    struct Programs;
    std::unique_ptr<Programs> m_programs;
};

} // namespace vigil::viewer

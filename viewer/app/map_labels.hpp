/// @file
/// Which feature labels the map shows, and where: candidates from every labelled layer in view,
/// then LabelPlacer. Free of GL and ImGui (text is measured through a callback) so that tests
/// drive it headless.
///
///   order    catalogue label priority (rescue teams 90, hazard sources 80 ... enterprises 30,
///            rivers 10), then the feature's class rank (red enterprises before blue, grade-1
///            hazard sources before grade-4), then layer and row: the same every frame, so
///            labels do not flicker while the map pans
///   points   beside the marker (right, left, above, below); not for points inside a cluster,
///            nor for those the catalogue's "quiet" rule draws quietly
///   lines    centred on the middle of the longest visible run of the line, only where the run
///            is longer than the text; one name at most once per `repeat_px`
///   areas    centred on a point inside the polygon (cached per feature), once per `repeat_px`
///   kept     areas whose catalogue label says "keep" (county names) are placed before every
///            other label, each once: at its inner point, else at the nearest spot inside the
///            polygon's visible part that is free (a grid of spots around the inner point);
///            clusters and markers give way to them when nothing else is free, never the
///            reverse. Only the furniture, the panels and other kept names stop them.
///   budget   at most `max_candidates` per frame: a layer whose features in view would exceed
///            what is left is not labelled at this view (it is too dense to read anyway); and
///            nothing is recomputed while the view, the layers and the blocked areas are unchanged
#pragma once

#include "app_state.hpp"
#include "label_placer.hpp"
#include "point_clusters.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace vigil::viewer {

/// One layer to label; rows that `clustering` (may be null) puts in a cluster are not labelled.
struct LabelLayer {
    const LayerView* layer = nullptr;
    const Clustering* clustering = nullptr;
};

struct MapLabel {
    std::string text;
    geo::BBox box;                                       ///< logical screen pixels, top-left origin (text at min + 1)
    int priority = 0;                                    ///< the catalogue's label priority
    geo::GeometryType family = geo::GeometryType::Point; ///< Point, LineString or Polygon
    bool kept = false;                                   ///< an area name the catalogue keeps (drawn stronger)
};

struct LabelSettings {
    std::size_t max_candidates = 3000;
    double repeat_px = 400; ///< a line or area name at most once per this many logical pixels
    double point_gap = 3;   ///< between a marker's edge and its label
};

class MapLabeler {
public:
    /// Text size in logical pixels.
    using Measure = std::function<geo::Coord(const std::string& text)>;

    explicit MapLabeler(LabelSettings settings = {}) : m_settings(settings) {}

    /// The labels for this view. `blocked` are areas no label covers (logical pixels: the
    /// scale bar, the panels); `symbols` are areas (cluster badges) that ordinary labels avoid
    /// and kept labels avoid when they can; `font_key` names the font and its size (a change
    /// re-measures the text). Recomputes only when the camera, a layer's revision or
    /// visibility, a clustering, the blocked areas or the font changed since the last call.
    const std::vector<MapLabel>& update(const Camera& camera, const std::vector<LabelLayer>& layers, const std::vector<geo::BBox>& blocked,
                                        double font_key, const Measure& measure, const std::vector<geo::BBox>& symbols = {});

    /// Statistics of the last recomputation (for tests and the benchmark).
    struct Stats {
        std::size_t candidates = 0, placed = 0, layers_skipped = 0, recomputations = 0;
        std::size_t kept = 0, kept_placed = 0; ///< kept (area) labels in view, and placed
    };
    const Stats& stats() const { return m_stats; }
    /// The labels of the last update().
    const std::vector<MapLabel>& labels() const { return m_labels; }

private:
    struct Key {
        geo::Coord centre;
        double zoom = 0, width = 0, height = 0, ratio = 0, font = 0;
        std::vector<std::uint64_t> layers; ///< per layer: pointer, revision, visible, clustering
        std::vector<geo::BBox> blocked, symbols;
        friend bool operator==(const Key&, const Key&) = default;
    };
    geo::Coord text_size(const std::string& text, const Measure& measure);
    std::vector<geo::Coord>& anchors(const std::shared_ptr<const model::Layer>& layer);

    LabelSettings m_settings;
    std::optional<Key> m_key;
    std::vector<MapLabel> m_labels;
    Stats m_stats;
    std::unordered_map<std::string, geo::Coord> m_sizes; ///< measured text, bounded
    double m_sizes_font = -1;
    /// Area features' inner points (lon/lat; NaN until computed), per layer in use.
    std::map<std::shared_ptr<const model::Layer>, std::vector<geo::Coord>> m_anchors;
};

/// The middle of the longest part of a polyline (screen pixels) that lies inside the box
/// [0, width] x [0, height], and that part's length; nullopt when nothing of it is inside.
struct VisibleRun {
    geo::Coord middle;
    double length = 0;
};
std::optional<VisibleRun> longest_visible_run(const std::vector<geo::Coord>& screen_points, double width, double height);

} // namespace vigil::viewer

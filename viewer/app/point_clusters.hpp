/// @file
/// Clustering of dense point layers at small scales (layers whose catalogue symbology says
/// "cluster": true), free of GL and ImGui so that tests drive it headless.
///
/// Greedy distance-grid clustering, one integer zoom level at a time (as Leaflet.markercluster
/// and supercluster do), anchored in the world, not on the screen, so that panning never moves a
/// cluster or changes its count:
///
///     world (Web Mercator metres), cells of size r = radius_px logical pixels at zoom level z
///     +-----+-----+-----+      each visible point, in row order:
///     |     |  s  |     |        look for the nearest seed `s` within r in the 3x3 cells
///     +-----+-----+-----+        around it: join it; none: the point seeds a new cluster
///     |  s  |  p  |     |      seeds are >= r apart, so a cell of side r holds at most 4 of
///     +-----+-----+-----+      them: O(points) in all, about 100 ms for a million points
///
/// A cluster of one point is no cluster: it is drawn as an ordinary marker ("single"). The
/// result depends only on the layer's rows, its filter and the zoom level, so the viewer
/// caches it by (layer revision, zoom level) and recomputes it only when one of them changes.
#pragma once

#include "camera.hpp"

#include <vigil/model/layer.hpp>

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace vigil::viewer {

/// How important a feature is within its layer, for cluster colours and label order: the
/// position of its colour-class value (symbology "color_by"; else "stroke_by") in the field's
/// list of values, which the catalogue writes most severe first (red before blue, grade1 before
/// grade4, expressway before township). Lower is more important; features without a class
/// rank last (the number of values).
class FeatureRanks {
public:
    explicit FeatureRanks(const model::Layer& layer);
    int rank(std::size_t row) const;
    /// One more than the largest rank (0 when the layer has no class field).
    int classes() const { return m_classes; }

private:
    const model::Layer* m_layer;
    std::optional<std::size_t> m_field;
    std::vector<std::string> m_values;
    int m_classes = 0;
};

struct ClusterParams {
    double radius_px = 50;        ///< clustering distance, logical pixels at the zoom level
    int max_zoom = 12;            ///< points are clustered at integer zoom levels <= max_zoom
    std::uint32_t min_points = 2; ///< fewer points than this stay single markers
};

struct PointCluster {
    geo::Coord lonlat; ///< mean position of the members (WGS84)
    geo::BBox bounds;  ///< lon/lat box of the members
    std::uint32_t count = 0;
    std::uint32_t top_row = 0; ///< the most important member (lowest rank, then lowest row): its colour is the cluster's
    int top_rank = 0;
    /// The members by colour class: one entry per class present, in the catalogue's value
    /// order (most severe first; features without a class last); the counts sum to `count`.
    struct Share {
        int rank = 0;
        std::uint32_t count = 0;
        std::uint32_t row = 0; ///< the class's first member: its style gives the class's colour
    };
    std::vector<Share> composition;
};

/// The clustering of one layer at one zoom level.
struct Clustering {
    static constexpr std::uint32_t k_single = std::numeric_limits<std::uint32_t>::max();
    int zoom_level = 0;
    std::vector<PointCluster> clusters;    ///< in a deterministic order (by seed row)
    std::vector<std::uint32_t> singles;    ///< rows drawn as ordinary markers, ascending
    std::vector<std::uint32_t> cluster_of; ///< per layer row: index into clusters, or k_single
                                           ///< (also for rows hidden by the filter or without geometry)

    /// Whether `row` is drawn as part of a cluster (and so is not on the map by itself).
    bool clustered(std::size_t row) const { return row < cluster_of.size() && cluster_of[row] != k_single; }
};

/// Whether a layer is clustered at this camera zoom: its catalogue says "cluster" and the
/// integer zoom level is at most params.max_zoom.
bool clusters_at(const catalog::LayerKind& kind, double zoom, const ClusterParams& params = {});

/// Clusters the point layer's rows with `visible[row]` non-zero (all when `visible` is empty)
/// at integer zoom level `zoom_level`. Multi-points count once, at their first point.
Clustering cluster_points(const model::Layer& layer, const std::vector<std::uint8_t>& visible, const FeatureRanks& ranks, int zoom_level,
                          const ClusterParams& params = {});

/// The diameter of a cluster's circle in logical pixels: grows with the log of the count.
float cluster_symbol_size(std::uint32_t count);

/// "37", "9999", then "1.2万" (ten thousands, as Chinese counts go), "120万"; in English "12.0k", "1200k".
std::string cluster_count_text(std::uint32_t count);

/// A cluster badge, logical pixels: a ring of arcs (the composition by colour class) around a
/// disc holding the count.
///
///         .-~~~-.          diameter >= cluster_symbol_size(count), and large enough that the
///       /  .---.  \  ring  count's text box (w x h at the badge's font size) fits inside the
///      |  | 51  |  |        inner disc: hypot(w, h) + 2 * margin <= inner = diameter - 2 * ring
///       \  '---'  /
///         '-...-'
struct BadgeShape {
    double diameter = 0;
    double ring = 0;  ///< width of the composition ring
    double inner = 0; ///< diameter of the disc inside the ring
    double font_px = 0;
    std::string text;
    geo::Coord text_size; ///< measured at font_px
};

/// Sizes badges from the text they hold, so that the count fits at any font size. Without a
/// measure (headless callers, tests of clustering alone) the text is assumed 0.6 em per
/// character: the same rule, a rougher size.
class ClusterBadges {
public:
    /// Text size in logical pixels of `text` at `font_px`.
    using Measure = std::function<geo::Coord(const std::string& text, double font_px)>;
    ClusterBadges() = default;
    /// `ui_font_px`: the map's label font size (the count is written at 0.9 of it).
    ClusterBadges(double ui_font_px, Measure measure);
    BadgeShape shape(std::uint32_t count) const;
    double diameter(std::uint32_t count) const { return shape(count).diameter; }

private:
    double m_font_px = 16;
    Measure m_measure;
};

/// The cluster whose badge contains the framebuffer position `screen`, if any (the smallest
/// one when badges overlap, so that a small cluster drawn over a big one can be clicked).
std::optional<std::size_t> hit_cluster(const Clustering& clustering, const Camera& camera, geo::Coord screen,
                                       const ClusterBadges& badges = {});

/// Zooms the camera into a cluster: its members' box if that shows more detail, else one zoom
/// level closer around its centre; at least one level, and at least to the first level at which
/// the layer is not clustered when the members fit there.
void zoom_into(const PointCluster& cluster, Camera& camera, const ClusterParams& params = {});

} // namespace vigil::viewer

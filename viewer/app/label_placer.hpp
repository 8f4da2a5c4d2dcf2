/// @file
/// Label placement without overlaps: candidates are taken in priority order (major hazard
/// sources and rescue teams before ordinary enterprises, as the catalogue's label priorities
/// say), ties in a caller-given order that does not change between frames (so labels do not
/// flicker while the map pans), and each is placed at the first of a few positions around its
/// anchor that collides with nothing placed or blocked before; the others are dropped.
///
///   points: right, left, above, below the marker (the usual cartographic preference)
///   lines and areas: centred on the anchor, and a name said at most once per `repeat_px`
///   (a river stored in 28 pieces is labelled once, not 28 times)
///
/// A uniform grid over the screen keeps the collision test near-constant time per candidate.
/// Coordinates are screen pixels, origin top-left.
#pragma once

#include <vigil/geo/geometry.hpp>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace vigil::viewer {

struct LabelCandidate {
    std::string text;
    geo::Coord anchor; ///< screen pixels
    double width = 0;  ///< text size in screen pixels
    double height = 0;
    double offset = 6;       ///< distance from the anchor (marker radius + gap); unused when centred
    bool centred = false;    ///< one position only, centred on the anchor (lines, areas)
    int priority = 0;        ///< higher first
    std::uint64_t order = 0; ///< tie-breaker: stable across frames (64 bits also in wasm32)
    std::string group;       ///< labels of one group (e.g. one name) keep `repeat_px` apart; "" = none
    double repeat_px = 0;
};

struct PlacedLabel {
    std::size_t candidate = 0; ///< index into the candidates
    geo::BBox box;             ///< where the text goes (screen pixels, top-left origin)
};

class LabelPlacer {
public:
    /// A screen of `width` x `height` pixels; `cell` is the collision grid's cell size.
    LabelPlacer(double width, double height, double cell = 64);
    /// Reserves an area (a panel, the scale bar, a cluster) that labels must avoid.
    void block(const geo::BBox& box);
    /// Places what fits, in priority order; returns the placed labels in that order.
    std::vector<PlacedLabel> place(const std::vector<LabelCandidate>& candidates);
    /// Whether `box` is on the screen and collides with nothing placed or blocked.
    bool fits(const geo::BBox& box) const;
    /// Marks `box` as taken (a label placed by the caller, e.g. a kept area name).
    void take(const geo::BBox& box) { occupy(box); }

private:
    bool free(const geo::BBox& box) const;
    void occupy(const geo::BBox& box);
    bool repeats(const LabelCandidate& c) const;
    double m_width, m_height, m_cell;
    int m_cols, m_rows;
    std::vector<std::vector<geo::BBox>> m_grid;
    std::unordered_map<std::string, std::vector<geo::Coord>> m_group_anchors; ///< placed anchors per group
};

} // namespace vigil::viewer

/// @file
/// Label placement without overlaps: candidates are taken in priority order (major hazard
/// sources and rescue teams before ordinary enterprises, as the catalogue's label priorities
/// say) and each is placed at the first of a few positions around its anchor that collides
/// with nothing placed before; the others are dropped. A uniform grid over the screen keeps
/// the collision test near-constant time per candidate.
#pragma once

#include <vigil/geo/geometry.hpp>

#include <string>
#include <vector>

namespace vigil::viewer {

struct LabelCandidate {
    std::string text;
    geo::Coord anchor;   ///< screen pixels
    double width = 0;    ///< text size in screen pixels
    double height = 0;
    double offset = 6;   ///< distance from the anchor (marker radius + gap)
    int priority = 0;    ///< higher first
    std::size_t order = 0; ///< tie-breaker: stable across frames
};

struct PlacedLabel {
    std::size_t candidate = 0; ///< index into the candidates
    geo::BBox box;             ///< where the text goes (screen pixels, top-left origin)
};

class LabelPlacer {
public:
    LabelPlacer(double width, double height, double cell = 64);
    /// Reserves an area (a panel, the scale bar) that labels must avoid.
    void block(const geo::BBox& box);
    /// Places what fits; returns the placed labels.
    std::vector<PlacedLabel> place(const std::vector<LabelCandidate>& candidates);

private:
    bool free(const geo::BBox& box) const;
    void occupy(const geo::BBox& box);
    double m_width, m_height, m_cell;
    int m_cols, m_rows;
    std::vector<std::vector<geo::BBox>> m_grid;
};

} // namespace vigil::viewer
